"""One instrument version compiled into plain data, for the scorers to interpret.

:func:`compile_instrument` turns a validated :class:`~riskmanual.instrument.Instrument` into a
:class:`CompiledInstrument`: nested dicts and lists of str, int, float, bool and None only, so it
can be written as JSON (the compile cache, the files shipped with the bundled instruments) and
read back without pydantic. Per item it holds the option -> points table, the bins, the
condition, the domain chain and the missing rule; for the instrument the dependency order of
the conditions, the missing limits, the bands, the target group and the probability model.
:mod:`riskmanual.engine` interprets it; :mod:`riskmanual.compile_cache` keeps it on disk. (Not
to be confused with the action plan of the case workflow.)
"""

from __future__ import annotations

import json
from typing import Any

from ._version import __version__

__all__ = ["FORMAT_VERSION", "CompiledInstrument", "compile_instrument", "compiled_for", "from_json", "to_json"]

#: The layout's version: bump it whenever a field is added, removed or changes meaning (cached
#: compiled instruments of another format are rebuilt).
FORMAT_VERSION = 1


class CompiledInstrument(dict):  # type: ignore[type-arg]
    """A compiled instrument: a ``dict`` (JSON-serialisable as it is) with the documented keys.

    Top level: ``format``, ``engine_version``, ``id``, ``version``, ``ref``, ``sha256``, ``title``,
    ``languages``, ``calibrated``, ``protective``, ``missing``, ``limits``, ``items``, ``order``,
    ``domains``, ``bands``, ``target_group``, ``probability``, ``judgement``, ``words_langs``.
    """

    @property
    def items_by_id(self) -> dict[str, dict[str, Any]]:
        """Items by id (built once, kept out of the JSON)."""
        found = self.__dict__.get("_by_id")
        if found is None:
            found = self.__dict__["_by_id"] = {item["id"]: item for item in self["items"]}
        return found  # type: ignore[no-any-return]

    @property
    def band_positions(self) -> dict[str, int]:
        """Each band's position by id (built once, kept out of the JSON)."""
        found = self.__dict__.get("_band_positions")
        if found is None:
            found = self.__dict__["_band_positions"] = {band["id"]: n for n, band in enumerate(self["bands"])}
        return found  # type: ignore[no-any-return]


def compiled_for(instrument: Any) -> CompiledInstrument:
    """The compiled form of ``instrument``, computed once per instrument object."""
    return instrument.memo("compiled", lambda: compile_instrument(instrument))  # type: ignore[no-any-return]


def to_json(compiled: CompiledInstrument) -> str:
    """``compiled`` as canonical JSON text (sorted keys, UTF-8, one trailing newline)."""
    return json.dumps(compiled, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def from_json(text: str | bytes) -> CompiledInstrument:
    """A compiled instrument read back from :func:`to_json`'s text; ``ValueError`` when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("items"), list):
        raise ValueError("not a compiled instrument of this format")
    return CompiledInstrument(data)


def _text(value: Any) -> Any:
    """An instrument text as plain data (a string or ``{lang: string}``)."""
    return dict(value) if isinstance(value, dict) else value


def _condition(condition: Any, index: dict[str, int], codes: dict[str, tuple[str, list[str]]]) -> Any:
    """``applies_when``/``when`` as ``{"all": [...]}``, ``{"any": [...]}`` or a comparison
    ``{"item", "index", "op", "values", "rank"}`` (booleans read as yes/no; for ``<``, ``<=``,
    ``>``, ``>=`` on a choice item ``values`` is ``[position of the target code]`` and ``rank``
    true: the answer's position in the item's codes is compared)."""
    if condition is None:
        return None
    if hasattr(condition, "all"):
        return {"all": [_condition(c, index, codes) for c in condition.all]}
    if hasattr(condition, "any"):
        return {"any": [_condition(c, index, codes) for c in condition.any]}
    item = condition.item
    targets = condition.value if isinstance(condition.value, list) else [condition.value]
    kind, item_codes = codes.get(item, ("numeric", []))
    if kind == "boolean":
        targets = ["yes" if t is True else "no" if t is False else t for t in targets]
    rank = False
    if condition.op in ("<", "<=", ">", ">="):
        if kind in ("ordinal", "categorical"):
            rank, targets = True, [item_codes.index(str(targets[0]))]
        else:
            targets = [float(targets[0])]
    return {"item": item, "index": index[item], "op": condition.op, "values": list(targets), "rank": rank}


def kind_and_codes(item: Any) -> tuple[str, list[str]]:
    """An item's response type and its answer codes (``[]`` for numbers)."""
    kind = item.response.type
    return kind, list(item.response.codes) if kind in ("boolean", "ordinal", "categorical") else []


def _refs(condition: Any) -> list[str]:
    if condition is None:
        return []
    if hasattr(condition, "all"):
        return [ref for c in condition.all for ref in _refs(c)]
    if hasattr(condition, "any"):
        return [ref for c in condition.any for ref in _refs(c)]
    return [condition.item]


def _order(items: list[Any]) -> list[int]:
    """Item positions so that every item comes after the items its condition reads."""
    position = {item.id: i for i, item in enumerate(items)}
    done: set[int] = set()
    order: list[int] = []

    def visit(i: int, path: set[int]) -> None:
        if i in done or i in path:  # a cycle is refused by validation; never loop on one
            return
        path.add(i)
        for ref in _refs(items[i].applies_when):
            if ref in position:
                visit(position[ref], path)
        path.discard(i)
        done.add(i)
        order.append(i)

    for i in range(len(items)):
        visit(i, set())
    return order


def _bins(response: Any) -> list[dict[str, Any]]:
    return [{"min": b.min, "below": b.below, "points": b.points, "label": _text(b.label)}
            for b in (getattr(response, "bins", None) or [])]


def compile_instrument(instrument: Any, langs: tuple[str, ...] | None = None) -> CompiledInstrument:
    """Compile a validated instrument; ``langs`` are the languages the critical rules' words are
    written in beforehand (default: the engine's languages and the instrument's)."""
    from .messages import LANGUAGES  # noqa: PLC0415
    from .scoring import _rule_words  # noqa: PLC0415 - the scorer's own words, so the two cannot differ

    langs = langs or tuple(dict.fromkeys([*LANGUAGES, *instrument.languages]))
    parents = instrument.domain_parents
    index = {item.id: i for i, item in enumerate(instrument.items)}
    codes = {item.id: kind_and_codes(item) for item in instrument.items}
    items = []
    for i, item in enumerate(instrument.items):
        response = item.response
        scale = instrument.scale_sign(item)
        low, high = sorted(scale * p for p in item.points_range())
        kind = response.type
        unit: Any = None
        if kind == "numeric" and response.unit is not None:
            unit = response.unit.model_dump() if hasattr(response.unit, "model_dump") else _text(response.unit)
        elif kind == "derived" and response.source == "age":
            unit = {"singular": {"sv": "år", "en": "year"}, "plural": {"sv": "år", "en": "years"}}
        rule = item.critical_rule
        critical = None
        if rule is not None:
            floor = instrument.band(rule.min_band) if rule.min_band else None
            critical = {
                "answers": list(rule.answers) if rule.answers is not None else None,
                "at_least": rule.at_least, "review": rule.review, "min_band": floor.id if floor else None,
                "reason": _text(rule.reason), "words": {lang: _rule_words(item, rule, floor, lang) for lang in langs},
            }
        items.append({
            "id": item.id, "index": i, "domain": item.domain, "kind": item.kind, "stability": item.stability,
            "scored": item.scored, "label": _text(item.label), "type": kind,
            "codes": codes[item.id][1],
            "points": item.points_table(),
            "option_labels": {o.code: _text(o.label) for o in response.options} if kind in ("ordinal", "categorical")
            else {},
            "bins": _bins(response),
            "min": getattr(response, "min", None) if kind == "numeric" else None,
            "max": getattr(response, "max", None) if kind == "numeric" else None,
            "integer": response.integer if kind == "numeric" else None,
            "unit": unit,
            "range": list(item.points_range()),
            "sign": instrument.sign(item), "scale_sign": scale, "low": low + 0.0, "high": high + 0.0,
            "chain": [item.domain, *parents.get(item.domain, ())],
            "handling": instrument.missing_rule(item.domain).handling,
            "applies_when": _condition(item.applies_when, index, codes),
            "allow_unknown": item.allow_unknown, "allow_not_applicable": item.allow_not_applicable,
            "required": item.required,
            "critical": critical,
            "interventions": [{"label": _text(iv.label), "agency": iv.agency,
                               "applies_when": _condition(iv.applies_when, index, codes)}
                              for iv in item.interventions or []],
        })
    rule = instrument.target_group
    target_group = None
    if rule is not None:
        target_group = {"label": _text(rule.label), "decision": _text(rule.decision), "min_band": rule.min_band,
                        "age": [rule.age.min, rule.age.max] if rule.age is not None else None,
                        "when": _condition(rule.when, index, codes)}
    model = instrument.probability
    probability: Any = None
    if model is not None:
        common = {"form": model.form, "sample": _text(model.sample), "date": model.date,
                  "follow_up_months": model.follow_up_months}
        if model.form == "logistic":
            probability = {**common, "intercept": model.intercept, "slope": model.slope,
                           "reference_score": model.reference_score, "n": model.n}
        else:
            probability = {**common, "rows": [{"min": r.min, "below": r.below, "rate": r.rate, "n": r.n,
                                               "ci": list(r.ci) if r.ci is not None else None} for r in model.rows]}
    judgement = instrument.judgement
    return CompiledInstrument({
        "format": FORMAT_VERSION,
        "engine_version": __version__,
        "id": instrument.id,
        "version": instrument.version,
        "ref": instrument.ref,
        "sha256": instrument.sha256,
        "title": _text(instrument.title),
        "languages": list(instrument.languages),
        "calibrated": None if instrument.calibration is None else instrument.calibration.status == "calibrated",
        "protective": instrument.scoring.protective,
        "missing": {"max_missing": instrument.scoring.missing.max_missing,
                    "handling": instrument.scoring.missing.handling},
        "limits": [[domain.id, domain.missing.max_missing] for domain, _parents in instrument.walk_domains()
                   if domain.missing is not None and domain.missing.max_missing is not None],
        "items": items,
        "order": _order(instrument.items),
        "domains": [{"id": domain.id, "label": _text(domain.label), "parent": chain[-1] if chain else None}
                    for domain, chain in instrument.walk_domains()],
        "bands": [{"id": b.id, "label": _text(b.label), "min": b.min, "below": b.below,
                   "recommendation": _text(b.recommendation), "needs": b.needs} for b in instrument.bands],
        "target_group": target_group,
        "probability": probability,
        "judgement": {"final_rating": judgement.final_rating,
                      "override": {"allowed": judgement.override.allowed, "direction": judgement.override.direction,
                                   "reason_required": judgement.override.reason_required}},
        "words_langs": list(langs),
    })
