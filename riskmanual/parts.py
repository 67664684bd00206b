"""What an instrument's results share in one language: labels, item references, each answer's
contribution, and the result's parts as a caller's ``make`` built them (see :class:`Parts`).

Built once per compiled instrument and language and kept beside the data (not in its JSON), so
that :func:`riskmanual.assemble.result_dict` looks up, rather than builds, what does not change
between assessments. It imports neither pydantic nor yaml.
"""

from __future__ import annotations

import operator
from typing import Any

from .engine import Out, _round, impute_pools, is_critical, points_of
from .messages import message
from .numbers import quantity
from .text import localize

__all__ = ["Parts", "band_ref", "parts_for"]


def _label(item: Out, value: Any, lang: str) -> str:
    kind = item["type"]
    if kind == "boolean":
        return message(str(value), lang)
    if kind in ("ordinal", "categorical"):
        return localize(item["option_labels"][value], lang)
    number = float(value)
    label = quantity(number, item["unit"], lang)  # 2,5 timmar; 1 anmälan; 17 år
    for b in item["bins"]:
        if (b["min"] is None or number >= b["min"]) and (b["below"] is None or number < b["below"]):
            if b["label"]:
                label += f" ({localize(b['label'], lang)})"
            break
    return label


def _critical_answer(item: Out, value: Any) -> bool:
    rule = item["critical"]
    return rule is not None and is_critical(rule["answers"], rule["at_least"], value)


class Parts:
    """An instrument's texts in one language and what follows from them alone, built once per
    compiled instrument and language (kept beside the data, not in its JSON): labels, the
    item references, each answer's contribution (remembered as it is first met), per-domain item
    lists and interventions; and the result's parts as a caller's ``make`` built them, remembered
    by their figures (each cache bounded: cleared when it grows past a limit)."""

    __slots__ = ("labels", "domain_labels", "band_labels", "interventions", "fixed_interventions", "members", "title",
                 "refs", "answers", "lang", "need_items", "pools", "rows", "parts", "domains", "made_refs", "needs",
                 "domain_keys")

    def __init__(self, compiled: Out, lang: str) -> None:
        items = compiled["items"]
        self.lang = lang
        self.labels = [localize(item["label"], lang) for item in items]
        self.domain_labels = [localize(d["label"], lang) for d in compiled["domains"]]
        self.band_labels = [localize(b["label"], lang) for b in compiled["bands"]]
        self.title = localize(compiled["title"], lang)
        self.refs = [{"item": item["id"], "label": label, "domain": item["domain"]}
                     for item, label in zip(items, self.labels)]
        self.interventions = [
            [(iv["applies_when"], {"label": localize(iv["label"], lang), "agency": iv["agency"],
                                   "agency_label": message(f"agency.{iv['agency']}", lang)})
             for iv in item["interventions"]]
            for item in items
        ]
        #: per item the interventions when none has a condition (the same for every assessment), else None
        self.fixed_interventions = [None if any(c is not None for c, _ in ivs) else [w for _, w in ivs]
                                    for ivs in self.interventions]
        position = {d["id"]: n for n, d in enumerate(compiled["domains"])}
        #: per domain its scored items (position, adds to the total, a risk, lowest and highest points)
        self.members: list[list[tuple[int, bool, bool, float, float]]] = [[] for _ in position]
        for item in items:
            chain = tuple(position[domain_id] for domain_id in item["chain"]) if item["scored"] else ()
            for d in chain:
                self.members[d].append((item["index"], bool(item["sign"]), item["kind"] == "risk", item["low"],
                                        item["high"]))
        #: per domain a function from the items' states (see riskmanual.sections.domains) to its members' states
        self.domain_keys = [_picker([m[0] for m in members]) for members in self.members]
        #: per item, answer and the answer's type (1, 1.0 and True are one key, but not one JSON): see contribution
        self.answers: dict[tuple[int, Any, type], list[Any]] = {}
        self.pools = impute_pools(items)
        #: per item what the loop in result_dict reads of it (dict lookups are what that loop costs)
        self.rows = [(item["index"], item["sign"], item["low"], item["high"], item["scored"], item) for item in items]
        #: per item whether a positive contribution is a need (a dynamic risk)
        self.need_items = [item["scored"] and item["kind"] == "risk" and item["stability"] == "dynamic" for item in items]
        #: per domain, by its members' states, its figures and what ``make`` built from them
        self.domains: list[dict[Any, list[Any]]] = [{} for _ in position]
        #: per kind of part (see share) what ``make`` built, by the part's figures
        self.parts: dict[str, dict[Any, Any]] = {}
        #: item references and needs as ``make`` built them
        self.made_refs: list[Any] = [None] * len(items)
        self.needs: dict[tuple[Any, ...], Any] = {}

    def contribution(self, item: Out, value: Any) -> list[Any]:
        """This answer's contribution dict (note None; shared: read it, never change it), its raw
        points, and slots for what ``make`` builds of it and of its need (see :meth:`emit` and
        :func:`riskmanual.sections.needs`)."""
        key = (item["index"], value, type(value))
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) > 50_000:  # numeric answers are many; the cache must not grow with them
                self.answers.clear()
            points = points_of(item, value)
            found = self.answers[key] = [{
                "item": item["id"], "label": self.labels[item["index"]], "domain": item["domain"], "kind": item["kind"],
                "stability": item["stability"], "response": value, "response_label": _label(item, value, self.lang),
                "points": _round(item["scale_sign"] * points), "imputed": False,
                "critical": _critical_answer(item, value), "note": None,
            }, points, None, None]
        return found

    def share(self, kind: str, key: Any, data: Out, make: Any) -> Any:
        """``data`` as the result holds it: itself, or what ``make[kind]`` built from the same
        figures (``key``) before."""
        if make is None:
            return data
        memo = self.parts.get(kind)
        if memo is None:
            memo = self.parts[kind] = {}
        found = memo.get(key)
        if found is None:
            if len(memo) > 10_000:
                memo.clear()
            found = memo[key] = make[kind](data)
        return found

    def ref(self, index: int, make: Any) -> Any:
        """The item's reference as the result holds it (a new dict, or ``make``'s, remembered)."""
        if make is None:
            return self.refs[index].copy()
        found = self.made_refs[index]
        if found is None:
            found = self.made_refs[index] = make["ref"](self.refs[index].copy())
        return found

    @staticmethod
    def emit(template: Out, value: Any, note: str | None, make: Any, entry: list[Any] | None) -> Any:
        """The contribution as the result holds it: a new dict, or what ``make`` builds from one
        (remembered in ``entry``, :meth:`contribution`'s, when there is no note: the same answer
        gives the same contribution)."""
        if make is None or note is not None or entry is None or (value == 0 and type(value) is float):
            # a note or an estimate is this assessment's own; 0.0 and -0.0 are one key, not one JSON
            out = template.copy()
            out["response"] = value
            out["note"] = note
            return out if make is None else make(out)
        found = entry[2]
        if found is None:
            found = entry[2] = make(template.copy())
        return found


def _picker(positions: list[int]) -> Any:
    """A function from a list to the tuple of its elements at ``positions``."""
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*positions) if positions else lambda values: ()


def parts_for(compiled: Out, lang: str) -> Parts:
    """The compiled instrument's :class:`Parts` in ``lang``, built on first use and kept beside it."""
    cache = getattr(compiled, "__dict__", None)
    if cache is None:
        return Parts(compiled, lang)
    found = cache.get(("local", lang))
    if found is None:
        found = cache[("local", lang)] = Parts(compiled, lang)
    return found  # type: ignore[no-any-return]


def band_ref(compiled: Out, band: int | None, lang: str) -> Out | None:
    """The band at position ``band`` as a result names it (id and label), or None."""
    if band is None:
        return None
    return {"id": compiled["bands"][band]["id"], "label": parts_for(compiled, lang).band_labels[band]}
