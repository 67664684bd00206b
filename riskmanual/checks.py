"""Checks of meaning on a structurally valid instrument.

The JSON Schema (and the pydantic models it is generated from) say what shape an
instrument has; these checks say whether it makes sense: ids are unique and resolve,
conditions have no cycles, bins and bands are ordered and gap-free, bands cover every
total the engine can produce, and every text exists in every declared language.
Each check yields ``(path, message, value)``; nothing here raises or does I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .instrument import (
    AllOf,
    AnyOf,
    BooleanResponse,
    ChoiceResponse,
    Comparison,
    Condition,
    DerivedResponse,
    Instrument,
    Item,
    NumericResponse,
)
from .messages import Msg, tr
from .text import TEXT_FIELD, has_control

__all__ = ["check_instrument", "condition_items"]

Found = tuple[tuple[str | int, ...], Msg, Any]


def check_instrument(instrument: Instrument) -> list[Found]:
    """All problems of meaning in ``instrument``, in document order."""
    found: list[Found] = []
    for check in (_check_metadata, _check_languages, _check_domains, _check_items, _check_conditions,
                  _check_bands, _check_target_group, _check_probability, _check_carry_over,
                  _check_goals_item):
        found.extend(check(instrument))
    return found


def _check_metadata(instrument: Instrument) -> Iterator[Found]:
    versions = [entry.version for entry in instrument.changelog]
    if instrument.version not in versions:
        yield ("changelog",), tr("the changelog has no entry for this version {version}", version=instrument.version), versions
    ids = {item.id for item in instrument.items}
    for index, entry in enumerate(instrument.changelog):
        if entry.version != instrument.version:
            continue  # earlier entries name items of earlier versions
        named = [("added", i, item) for i, item in enumerate(entry.added or [])]
        named += [("renamed", old, new) for old, new in (entry.renamed or {}).items()]
        for field, key, item in named:
            if item not in ids:
                yield (("changelog", index, field, key), tr("the changelog names item '{item}', which this version does "
                       "not have", item=item), item)
        for i, item in enumerate(entry.removed or []):
            if item in ids:
                yield (("changelog", index, "removed", i), tr("the changelog says item '{item}' was removed, but this "
                       "version still has it", item=item), item)
    age = instrument.population.age
    if age is not None and age.min > age.max:
        yield ("population", "age"), tr("age.min is above age.max"), {"min": age.min, "max": age.max}
    if len(set(instrument.languages)) != len(instrument.languages):
        yield ("languages",), tr("a language is listed twice"), instrument.languages


def _check_languages(instrument: Instrument) -> Iterator[Found]:
    wanted = set(instrument.languages)
    for path, text in _texts(instrument, ()):
        for lang, words in (text.items() if isinstance(text, dict) else [(None, text)]):
            if isinstance(words, str) and has_control(words):
                yield (path + ((lang,) if lang else ()), tr("control characters are not allowed"), words)
        if isinstance(text, dict):
            missing = sorted(wanted - set(text))
            extra = sorted(set(text) - wanted)
            if missing:
                yield path, tr("text is missing the declared language(s) {languages}", languages=missing), text
            if extra:
                yield path, tr("text has language(s) {languages} not declared in 'languages'", languages=extra), text


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every user-facing text in a model tree, with its path."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            child = getattr(value, name)
            if child is None:
                continue
            if TEXT_FIELD in info.metadata or _is_text_annotation(info.annotation):
                if isinstance(child, list):
                    for index, text in enumerate(child):
                        yield path + (name, index), text
                elif isinstance(child, dict) and _is_text_map(info.annotation):
                    for key, text in child.items():
                        yield path + (name, key), text
                else:
                    yield path + (name,), child
            else:
                yield from _texts(child, path + (name,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, path + (index,))


def _is_text_annotation(annotation: Any) -> bool:
    """True for ``list[Text]`` and ``dict[Code, Text]`` fields, whose arguments carry the marker."""
    for arg in getattr(annotation, "__args__", ()) or ():
        if TEXT_FIELD in getattr(arg, "__metadata__", ()) or _is_text_annotation(arg):
            return True
    return False


def _is_text_map(annotation: Any) -> bool:
    """True for ``dict[Code, Text]`` fields (several texts by key), not for one text's language map."""
    if get_origin(annotation) is dict:
        args = get_args(annotation)
        return len(args) == 2 and TEXT_FIELD in getattr(args[1], "__metadata__", ())
    return any(_is_text_map(arg) for arg in get_args(annotation))


def _check_domains(instrument: Instrument) -> Iterator[Found]:
    seen: set[str] = set()

    def visit(domains: list[Any], path: tuple[str | int, ...]) -> Iterator[Found]:
        for index, domain in enumerate(domains):
            here = path + (index,)
            if domain.id in seen:
                yield here + ("id",), tr("domain id '{id}' is used twice", id=domain.id), domain.id
            seen.add(domain.id)
            yield from visit(domain.domains or [], here + ("domains",))

    yield from visit(instrument.domains, ("domains",))
    used = {item.domain for item in instrument.items}
    for domain, _parents in instrument.walk_domains():
        if domain.domains is None and domain.id not in used:
            path = _domain_path(instrument, domain.id)
            yield path, tr("domain '{id}' has no items and no subdomains", id=domain.id), domain.id


def _domain_path(instrument: Instrument, domain_id: str) -> tuple[str | int, ...]:
    def find(domains: list[Any], path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
        for index, domain in enumerate(domains):
            if domain.id == domain_id:
                return path + (index,)
            below = find(domain.domains or [], path + (index, "domains"))
            if below:
                return below
        return None

    return find(instrument.domains, ("domains",)) or ("domains",)


def _check_items(instrument: Instrument) -> Iterator[Found]:
    seen: set[str] = set()
    for index, item in enumerate(instrument.items):
        path: tuple[str | int, ...] = ("items", index)
        if item.id in seen:
            yield path + ("id",), tr("item id '{id}' is used twice", id=item.id), item.id
        seen.add(item.id)
        if item.domain not in instrument.domains_by_id:
            yield path + ("domain",), _unknown(tr("unknown domain '{value}'", value=item.domain), item.domain, instrument.domains_by_id), item.domain
        elif instrument.domains_by_id[item.domain].domains:
            yield path + ("domain",), tr("domain '{id}' has subdomains: put the item in one of them", id=item.domain), item.domain
        yield from _check_response(item, path + ("response",))
        if item.guidance and item.guidance.levels:
            codes = _codes(item)
            for code in item.guidance.levels:
                if codes is not None and code not in codes:
                    yield (path + ("guidance", "levels", code), _unknown(tr("unknown rating level '{value}'", value=code), code, codes), code)
        if item.interventions and item.stability == "static":
            yield path + ("interventions",), tr("only dynamic items can have interventions: a static item cannot change"), None
        if item.critical_rule is not None and not isinstance(item.critical, bool):
            yield from _check_critical(instrument, item, path + ("critical",))
        if item.required and isinstance(item.response, DerivedResponse):
            yield (path + ("required",), tr("a derived item is computed by the engine and cannot be required; "
                                            "the answers' birth_date gives it"), True)
        if item.kind == "information":
            low, high = item.points_range()
            if low != 0 or high != 0:
                yield path + ("response",), tr("information items are not scored: their points must be 0"), [low, high]
        if item.kind == "protective":
            low, _high = item.points_range()
            if low < 0:
                yield (path + ("response",), tr("protective points are strengths and must not be negative; "
                                                "scoring.protective says whether they are subtracted"), low)


def _check_critical(instrument: Instrument, item: Item, path: tuple[str | int, ...]) -> Iterator[Found]:
    rule = item.critical_rule
    assert rule is not None
    codes = _codes(item)
    if rule.answers is None and rule.at_least is None:
        yield path, tr("say which answers are critical: answers (codes) or at_least (a number)"), None
    if rule.answers is not None:
        if codes is None:
            yield path + ("answers",), tr("answers lists codes, but this item has numbers: use at_least"), rule.answers
        else:
            for index, code in enumerate(rule.answers):
                if code not in codes:
                    yield path + ("answers", index), _unknown(tr("unknown answer '{value}'", value=code), code, codes), code
    if rule.at_least is not None and codes is not None:
        yield path + ("at_least",), tr("at_least is for numeric and derived items; use answers (codes)"), rule.at_least
    if rule.min_band is not None and instrument.band(rule.min_band) is None:
        yield path + ("min_band",), _unknown(tr("unknown band '{value}'", value=rule.min_band), rule.min_band, [b.id for b in instrument.bands]), rule.min_band


def _codes(item: Item) -> tuple[str, ...] | None:
    response = item.response
    if isinstance(response, (BooleanResponse, ChoiceResponse)):
        return response.codes
    return None


def _check_response(item: Item, path: tuple[str | int, ...]) -> Iterator[Found]:
    response = item.response
    if isinstance(response, ChoiceResponse):
        seen: set[str] = set()
        for index, option in enumerate(response.options):
            if option.code in seen:
                yield path + ("options", index, "code"), tr("option code '{code}' is used twice", code=option.code), option.code
            if option.code in ("unknown", "not_applicable"):
                yield (path + ("options", index, "code"),
                       tr("'{code}' is reserved: use allow_unknown / allow_not_applicable", code=option.code), option.code)
            seen.add(option.code)
    elif isinstance(response, NumericResponse):
        if response.min >= response.max:
            yield path + ("max",), tr("max must be above min ({min})", min=response.min), response.max
        elif response.bins is not None:
            yield from _check_ranges(response.bins, response.min, response.max, path + ("bins",), _BIN)
        if response.bins is None and item.kind != "information":
            yield path + ("bins",), tr("a scored numeric item needs bins that map values to points"), None
    elif isinstance(response, DerivedResponse):
        if response.bins is not None:
            yield from _check_ranges(response.bins, None, None, path + ("bins",), _BIN)
        elif item.kind != "information":
            yield path + ("bins",), tr("a scored derived item needs bins that map values to points"), None


_BIN, _BAND, _ROW = "bin", "band", "row"


def _ranges_words(kind: str, key: str, **v: Any) -> Msg:
    """The message ``key`` about a bin, band or probability row (Swedish inflects each differently)."""
    words = {
        "none": lambda: (tr("at least one bin is needed"), tr("at least one band is needed"), tr("at least one row is needed")),
        "empty": lambda: (tr("bin is empty: below must be above min ({min})", **v),
                  tr("band is empty: below must be above min ({min})", **v),
                  tr("row is empty: below must be above min ({min})", **v)),
        "open_min": lambda: (tr("only the first bin may leave min open"), tr("only the first band may leave min open"),
                     tr("only the first row may leave min open")),
        "open_below": lambda: (tr("only the last bin may leave below open"), tr("only the last band may leave below open"),
                       tr("only the last row may leave below open")),
        "gap": lambda: (tr("gap: nothing covers {a} <= x < {b} between bins {i} and {j}", **v),
                tr("gap: nothing covers {a} <= x < {b} between bands {i} and {j}", **v),
                tr("gap: nothing covers {a} <= x < {b} between rows {i} and {j}", **v)),
        "overlap": lambda: (tr("overlap: bins {i} and {j} both cover {a} <= x < {b}", **v),
                    tr("overlap: bands {i} and {j} both cover {a} <= x < {b}", **v),
                    tr("overlap: rows {i} and {j} both cover {a} <= x < {b}", **v)),
        "below": lambda: (tr("values below {a} (down to {b}) are covered by no bin", **v),
                  tr("values below {a} (down to {b}) are covered by no band", **v),
                  tr("values below {a} (down to {b}) are covered by no row", **v)),
        "from": lambda: (tr("values from {a} (up to {b}) are covered by no bin", **v),
                 tr("values from {a} (up to {b}) are covered by no band", **v),
                 tr("values from {a} (up to {b}) are covered by no row", **v)),
    }[key]()
    return words[(_BIN, _BAND, _ROW).index(kind)]


def _check_ranges(ranges: list[Any], low: float | None, high: float | None,
                  path: tuple[str | int, ...], what: str) -> Iterator[Found]:
    """Ranges ``min <= x < below`` must be non-empty, ordered, contiguous and cover [low, high]."""
    if not ranges:
        yield path, _ranges_words(what, "none"), ranges
        return
    for index, current in enumerate(ranges):
        if current.min is not None and current.below is not None and current.min >= current.below:
            yield path + (index, "below"), _ranges_words(what, "empty", min=current.min), current.below
        if index > 0:
            previous = ranges[index - 1]
            if current.min is None:
                yield path + (index, "min"), _ranges_words(what, "open_min"), None
            elif previous.below is None:
                yield path + (index - 1, "below"), _ranges_words(what, "open_below"), None
            elif current.min > previous.below:
                yield (path + (index, "min"),
                       _ranges_words(what, "gap", a=previous.below, b=current.min, i=index - 1, j=index), current.min)
            elif current.min < previous.below:
                yield (path + (index, "min"),
                       _ranges_words(what, "overlap", a=current.min, b=previous.below, i=index - 1, j=index), current.min)
    first, last = ranges[0], ranges[-1]
    if first.min is not None and (low is None or first.min > low):
        yield path + (0, "min"), _ranges_words(what, "below", a=first.min, b=_show(low)), first.min
    if last.below is not None and (high is None or last.below <= high):
        yield (path + (len(ranges) - 1, "below"), _ranges_words(what, "from", a=last.below, b=_show(high)), last.below)


def _show(value: float | None) -> float | Msg:
    if value is None:
        return tr("any")
    return value


def _check_conditions(instrument: Instrument) -> Iterator[Found]:
    items = instrument.items_by_id
    graph: dict[str, set[str]] = {}
    for index, item in enumerate(instrument.items):
        if item.applies_when is None:
            continue
        path: tuple[str | int, ...] = ("items", index, "applies_when")
        graph[item.id] = set()
        for cond_path, comparison in _comparisons(item.applies_when, path):
            target = items.get(comparison.item)
            if target is None:
                yield cond_path + ("item",), _unknown(tr("unknown item '{value}'", value=comparison.item), comparison.item, items), comparison.item
                continue
            graph[item.id].add(target.id)
            yield from _check_comparison(comparison, target, cond_path)
    for cycle in _cycles(graph):
        index = next(i for i, item in enumerate(instrument.items) if item.id == cycle[0])
        yield ("items", index, "applies_when"), tr("conditions form a cycle: {cycle}", cycle=" -> ".join(cycle + [cycle[0]])), None
    for index, item in enumerate(instrument.items):
        for number, intervention in enumerate(item.interventions or []):
            if intervention.applies_when is None:
                continue
            path = ("items", index, "interventions", number, "applies_when")
            for cond_path, comparison in _comparisons(intervention.applies_when, path):
                target = items.get(comparison.item)
                if target is None:
                    yield cond_path + ("item",), _unknown(tr("unknown item '{value}'", value=comparison.item), comparison.item, items), comparison.item
                else:
                    yield from _check_comparison(comparison, target, cond_path)
    if instrument.target_group and instrument.target_group.when is not None:
        for cond_path, comparison in _comparisons(instrument.target_group.when, ("target_group", "when")):
            target = items.get(comparison.item)
            if target is None:
                yield cond_path + ("item",), _unknown(tr("unknown item '{value}'", value=comparison.item), comparison.item, items), comparison.item
            else:
                yield from _check_comparison(comparison, target, cond_path)


def condition_items(condition: Condition) -> set[str]:
    """Ids of every item a condition refers to."""
    return {comparison.item for _path, comparison in _comparisons(condition, ())}


def _comparisons(condition: Condition, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Comparison]]:
    if isinstance(condition, Comparison):
        yield path, condition
    elif isinstance(condition, AllOf):
        for index, child in enumerate(condition.all):
            yield from _comparisons(child, path + ("all", index))
    elif isinstance(condition, AnyOf):
        for index, child in enumerate(condition.any):
            yield from _comparisons(child, path + ("any", index))


def _check_comparison(comparison: Comparison, target: Item, path: tuple[str | int, ...]) -> Iterator[Found]:
    values = comparison.value if isinstance(comparison.value, list) else [comparison.value]
    if comparison.op == "in" and not isinstance(comparison.value, list):
        yield path + ("value",), tr("'in' needs a list of values"), comparison.value
    if comparison.op != "in" and isinstance(comparison.value, list):
        yield path + ("value",), tr("'{op}' needs a single value, not a list", op=comparison.op), comparison.value
    response = target.response
    codes = _codes(target)
    if codes is not None:
        if isinstance(response, BooleanResponse):
            values = ["yes" if v is True else "no" if v is False else v for v in values]
        for value in values:
            if value not in codes:
                yield path + ("value",), _unknown(tr("unknown answer code of item '{item}' '{value}'", item=target.id, value=str(value)),
                                                  str(value), codes), value
        if comparison.op in ("<", "<=", ">", ">=") and not (
            isinstance(response, ChoiceResponse) and response.type == "ordinal"
        ):
            yield path + ("op",), tr("'{op}' needs an ordered item; '{item}' is not ordinal", op=comparison.op, item=target.id), comparison.op
    else:
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                yield path + ("value",), tr("item '{item}' is numeric: compare it with a number", item=target.id), value


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle in a dependency graph, once, as a list of node ids."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    for root in sorted(graph):
        if root in state:
            continue
        # Depth-first without recursion: a long chain of conditions must not overflow the stack.
        state[root] = 1
        stack, children = [root], [iter(sorted(graph.get(root, ())))]
        while children:
            child = next(children[-1], None)
            if child is None:
                state[stack.pop()] = 2
                children.pop()
            elif state.get(child) == 1:
                cycles.append(stack[stack.index(child):])
            elif child not in state:
                state[child] = 1
                stack.append(child)
                children.append(iter(sorted(graph.get(child, ()))))
    return cycles


def _check_bands(instrument: Instrument) -> Iterator[Found]:
    seen: set[str] = set()
    for index, band in enumerate(instrument.bands):
        if band.id in seen:
            yield ("bands", index, "id"), tr("band id '{id}' is used twice", id=band.id), band.id
        seen.add(band.id)
    low, high = instrument.score_range()
    yield from _check_ranges(instrument.bands, low, high, ("bands",), _BAND)
    for index, band in enumerate(instrument.bands):
        if (band.min is not None and band.min > high) or (band.below is not None and band.below <= low):
            yield (("bands", index), tr("band '{band}' can never be reached: totals run from {low} to {high}",
                                        band=band.id, low=_show(low), high=_show(high)), None)


def _check_target_group(instrument: Instrument) -> Iterator[Found]:
    rule = instrument.target_group
    if rule is None:
        return
    bands = [band.id for band in instrument.bands]  # a list: the message names them in a stable order
    if rule.min_band not in bands:
        yield ("target_group", "min_band"), _unknown(tr("unknown band '{value}'", value=rule.min_band), rule.min_band, bands), rule.min_band
    if rule.age is not None and rule.age.min > rule.age.max:
        yield ("target_group", "age"), tr("age.min is above age.max"), {"min": rule.age.min, "max": rule.age.max}


def _check_probability(instrument: Instrument) -> Iterator[Found]:
    probability = instrument.probability
    if probability is None or probability.form != "table":
        return
    low, high = instrument.score_range()
    yield from _check_ranges(probability.rows, low, high, ("probability", "rows"), _ROW)
    for index, row in enumerate(probability.rows):
        if row.ci is not None and not (row.ci[0] <= row.rate <= row.ci[1]):
            yield ("probability", "rows", index, "ci"), tr("the interval does not contain the rate {rate}", rate=row.rate), row.ci
        if row.events is not None and row.events > row.n:
            yield ("probability", "rows", index, "events"), tr("more events than cases (n = {n})", n=row.n), row.events


def _unknown(message: Msg, value: str, known: Any) -> Msg:
    """``message`` (that ``value`` is unknown) with a did-you-mean, or the known values when few."""
    import difflib

    known = list(dict.fromkeys(str(k) for k in known))
    close = difflib.get_close_matches(str(value), known, n=1)
    if close:
        return tr("{message}; did you mean '{close}'?", message=message, close=close[0])
    if known and len(known) <= 12:
        return tr("{message}; expected one of: {known}", message=message, known=known)
    return message


def _check_carry_over(instrument: Instrument) -> Iterator[Found]:
    """Starting answers must land on items of this instrument, as answers those items take."""
    items = instrument.items_by_id
    for index, rule in enumerate(instrument.carry_over or []):
        for target, source in rule.items.items():
            path: tuple[str | int, ...] = ("carry_over", index, "items", target)
            item = items.get(target)
            if item is None:
                yield path, _unknown(tr("unknown item '{value}'", value=target), target, items), target
                continue
            if isinstance(item.response, DerivedResponse):
                yield path, tr("a derived item is computed by the engine; nothing can be carried into it"), target
                continue
            mapped = [] if isinstance(source, str) or source.answers is None else list(source.answers.items())
            codes = _codes(item)
            for code, value in mapped:
                if isinstance(item.response, NumericResponse):
                    fits = isinstance(value, (int, float)) and item.response.min <= value <= item.response.max
                else:
                    fits = codes is not None and str(value) in codes
                if not fits:
                    yield (path + ("answers", code), tr("'{value}' is not an answer item '{item}' takes",
                                                        value=str(value), item=target), value)


def _check_goals_item(instrument: Instrument) -> Iterator[Found]:
    """The goals item is an information item of this instrument (its note holds the goals)."""
    goals = instrument.goals_item
    if goals is None:
        return
    items = instrument.items_by_id
    item = items.get(goals)
    if item is None:
        yield ("goals_item",), _unknown(tr("unknown item '{value}'", value=goals), goals, items), goals
    elif item.kind != "information":
        yield ("goals_item",), tr("the goals item must be an information item: goals give no points"), goals
