"""Read an instrument file and turn every problem in it into a located :class:`Issue`.

The fast path parses the YAML and validates it with the pydantic models. Only when that
fails is the JSON Schema consulted (``jsonschema`` is imported then, not before), so that
structural errors come out as clear messages with line, column and path, all at once. A
structurally valid file then goes through the checks of meaning in :mod:`riskmanual.checks`.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import check_instrument
from .errors import InstrumentError, Issue
from .instrument import Instrument
from .messages import Msg, tr
from .yamlsource import Source, SourceError, read_source

__all__ = ["instrument_from_source", "read_instrument", "schema_issues"]


def read_instrument(path: str | Path, *, strict_schema: bool = False) -> Instrument:
    """Read, validate and return the instrument in ``path``; raise :class:`InstrumentError`.

    With ``strict_schema`` the JSON Schema is checked even when the models accept the file
    (``riskmanual validate`` does this; scoring trusts the models, which the schema mirrors).
    """
    try:
        source = read_source(path)
    except SourceError as exc:
        raise InstrumentError(tr("{file}: cannot read instrument", file=str(path)), exc.issues) from None
    return instrument_from_source(source, strict_schema=strict_schema)


def instrument_from_source(source: Source, *, strict_schema: bool = False) -> Instrument:
    """Validate parsed data as an instrument: structure first, then meaning."""
    data = source.data
    if not isinstance(data, dict):
        raise InstrumentError(
            tr("{file}: not an instrument", file=source.file),
            [source.issue((), tr("an instrument is a mapping of keys, not {kind}",
                                 kind=_KIND_WORDS.get(type(data)) or tr("a value")))],
        )
    issues: list[Issue] = schema_issues(source) if strict_schema else []
    instrument: Instrument | None = None
    if not issues:
        try:
            instrument = Instrument.model_validate(data, strict=True)  # as the schema: "2" is not a number
        except ValidationError as exc:
            issues = schema_issues(source) or _pydantic_issues(exc, source)
    if instrument is not None:
        issues = [source.issue(path, message, value=value) for path, message, value in check_instrument(instrument)]
    if issues:
        raise InstrumentError(_invalid(source.file, len(issues)), issues)
    assert instrument is not None
    instrument._source = source.file
    return instrument


def _invalid(file: str, n: int) -> Msg:
    if n == 1:
        return tr("{file}: invalid instrument (1 problem)", file=file)
    return tr("{file}: invalid instrument ({n} problems)", file=file, n=n)


_KIND_WORDS = {list: tr("a list"), str: tr("a text"), int: tr("a number"), float: tr("a number"),
               bool: tr("true or false"), type(None): tr("nothing (the document is empty)")}


def schema_issues(source: Source) -> list[Issue]:
    """Every structural problem the instrument JSON Schema finds in ``source``, located."""
    from .schema import instrument_validator

    validator = instrument_validator()
    issues: list[Issue] = []
    for error in sorted(validator.iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path))):
        issues.extend(_explain(error, source))
    return _dedupe(issues)


def _explain(error: Any, source: Source) -> list[Issue]:
    """Turn one jsonschema error into issues a person can act on."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        tagged = _tagged_union(error, source)
        if tagged:
            return tagged
        branch = _best_branch(error)
        if branch is not None:
            out: list[Issue] = []
            for sub in branch:
                out.extend(_explain(sub, source))
            return out
        return [source.issue(path, _expected_any(error), value=error.instance)]
    if kind == "additionalProperties":
        allowed = list((error.schema.get("properties") or {}).keys())
        patterns = [re.compile(p) for p in error.schema.get("patternProperties") or {}]
        out = []
        for key in error.instance:
            if key in allowed or any(p.search(str(key)) for p in patterns):
                continue
            if patterns and not allowed:
                out.append(source.issue(path + (key,), tr("'{key}' is not a language code such as 'sv' or 'en' "
                                                          "(a text with a comma in a {{sv: ..., en: ...}} map needs "
                                                          "quotes)", key=key), key=True))
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if close:
                message = tr("unknown key '{key}'; did you mean '{close}'?", key=key, close=close[0])
            else:
                message = tr("unknown key '{key}'; allowed keys: {allowed}", key=key, allowed=allowed)
            out.append(source.issue(path + (key,), message, key=True))
        return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [source.issue(path, tr("missing required key '{key}'", key=missing))]
    if kind == "type" and error.instance is None and "patternProperties" in list(error.relative_schema_path)[-3:]:
        key = path[-1] if path else ""
        return [source.issue(path, tr("'{key}' has no text (if '{key}' belongs to the text before it: a text with "
                                      "a comma in a {{sv: ..., en: ...}} map needs quotes)", key=key), key=True)]
    if kind == "type":
        return [source.issue(path, tr("expected {kind}", kind=_type_words(error.validator_value)), value=error.instance)]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        return [source.issue(path, _one_of([str(o) for o in options], error.instance), value=error.instance)]
    if kind == "pattern":
        return [source.issue(path, _pattern_words(error.validator_value), value=error.instance)]
    return [source.issue(path, _limit_words(error), value=error.instance)]


def _tagged_union(error: Any, source: Source) -> list[Issue] | None:
    """A union with a tag (``type: ...``): explain the errors of the branch the tag names."""
    tag = error.schema.get("discriminator") if isinstance(error.schema, dict) else None
    if not tag or not isinstance(error.instance, dict):
        return None
    path = tuple(error.absolute_path)
    name, mapping = tag["propertyName"], tag.get("mapping") or {}
    if name not in error.instance:
        return [source.issue(path, tr("missing required key '{key}'", key=name))]
    value = error.instance[name]
    target = mapping.get(value) if isinstance(value, str) else None
    if target is None:
        return [source.issue(path + (name,), _one_of(list(mapping), value, always=True), value=value)]
    branches = error.schema.get(error.validator) or []
    index = next((i for i, branch in enumerate(branches) if branch.get("$ref") == target), None)
    out: list[Issue] = []
    for sub in error.context:
        if sub.relative_schema_path[0] == index:
            out.extend(_explain(sub, source))
    return out or None


def _best_branch(error: Any) -> list[Any] | None:
    """The union branch the author most likely meant: the one whose tag matches, fewest errors."""
    branches: dict[int, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    if not isinstance(error.instance, dict):
        return None

    def rank(errors: list[Any]) -> tuple[int, int, int]:
        tag_mismatch = any(
            (e.validator == "const" and len(e.relative_path) == 1) or (e.validator == "type" and not e.relative_path)
            for e in errors
        )
        shape = sum(1 for e in errors if e.validator in ("required", "additionalProperties") and not e.relative_path)
        return (int(tag_mismatch), shape, len(errors))

    if not branches:
        return None
    best = min(branches.values(), key=rank)
    if any(e.validator == "type" and not e.relative_path for e in best):
        return None  # no branch takes a value of this kind: say which kinds would do
    return best


def _one_of(options: list[str], value: Any, always: bool = False) -> Msg:
    close = difflib.get_close_matches(str(value), options, n=1)
    if close and (always or len(options) > 1):
        return tr("must be one of: {options}; did you mean '{close}'?", options=options, close=close[0])
    return tr("must be one of: {options}", options=options)


def _expected_any(error: Any) -> Msg:
    kinds: list[Msg] = []
    for sub in error.context:
        if sub.validator == "type":
            kinds.append(_type_words(sub.validator_value))
    kinds = list(dict.fromkeys(kinds))
    if kinds:
        return tr("expected {kind}", kind=_either(kinds))
    return tr("does not match any allowed form")


def _either(words: list[Msg]) -> Msg:
    out = words[0]
    for word in words[1:]:
        out = tr("{a} or {b}", a=out, b=word)
    return out


_TYPE_WORDS = {
    "string": tr("a text"),
    "object": tr("a mapping of keys (or, for a text, {{language: text}})"),
    "array": tr("a list"),
    "number": tr("a number"),
    "integer": tr("a whole number"),
    "boolean": tr("true or false"),
    "null": tr("nothing (null)"),
}


def _type_words(value: Any) -> Msg:
    if isinstance(value, list):
        return _either([_type_words(v) for v in value])
    return _TYPE_WORDS.get(value) or tr("{kind}", kind=str(value))


_PATTERN_WORDS = {
    r"^[a-z0-9][a-z0-9_-]*$": tr("must be an id: lowercase letters, digits, '-' and '_', starting with a letter or digit"),
    r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$": tr("must be a code: letters, digits, '.', '+', '-' and '_', no spaces"),
    r"^\d{4}-\d{2}-\d{2}$": tr("must be a date written YYYY-MM-DD"),
    r"^[a-z]{2,3}$": tr("must be a language code such as 'sv' or 'en'"),
}


def _pattern_words(pattern: str) -> Msg:
    if pattern in _PATTERN_WORDS:
        return _PATTERN_WORDS[pattern]
    if pattern.startswith(r"^(0|[1-9]\d*)"):
        return tr("must be a semantic version such as 1.0.0")
    return tr("must match the pattern {pattern}", pattern=pattern)


def _limit_words(error: Any) -> Msg:
    """jsonschema's other checks (lengths, sizes, bounds) in words, in either language."""
    kind, limit = error.validator, error.validator_value
    if kind == "minLength":
        return tr("must not be empty") if limit == 1 else tr("must be at least {n} characters long", n=limit)
    if kind == "maxLength":
        return tr("must be at most {n} characters long", n=limit)
    if kind == "minItems":
        return tr("needs at least one entry") if limit == 1 else tr("needs at least {n} entries", n=limit)
    if kind == "maxItems":
        return tr("may have at most {n} entries", n=limit)
    if kind == "minimum":
        return tr("must be at least {n}", n=limit)
    if kind == "maximum":
        return tr("must be at most {n}", n=limit)
    if kind == "exclusiveMinimum":
        return tr("must be above {n}", n=limit)
    if kind == "exclusiveMaximum":
        return tr("must be below {n}", n=limit)
    if kind == "uniqueItems":
        return tr("has an entry twice")
    if kind == "propertyNames":
        return tr("has a key that is not allowed here")
    return tr("does not fit the schema: {detail}", detail=error.message.replace(repr(error.instance), "the value", 1))


def _pydantic_issues(exc: ValidationError, source: Source) -> list[Issue]:
    """Fallback when the schema accepted what the models refused: locate pydantic's errors."""
    issues = []
    for error in exc.errors():
        path: list[str | int] = []
        node: Any = source.data
        for part in error["loc"]:
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                path.append(part)
        issues.append(source.issue(tuple(path), pydantic_message(error)))
    return _dedupe(issues)


def pydantic_message(error: Any) -> Msg:
    """One pydantic error in words, in either language (its own text for the rare kinds)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    simple = {
        "missing": tr("this key is required"),
        "extra_forbidden": tr("unknown key"),
        "string_type": tr("expected a text"),
        "int_type": tr("expected a whole number"),
        "int_parsing": tr("expected a whole number"),
        "int_from_float": tr("expected a whole number"),
        "float_type": tr("expected a number"),
        "float_parsing": tr("expected a number"),
        "bool_type": tr("expected true or false"),
        "bool_parsing": tr("expected true or false"),
        "dict_type": tr("expected a mapping of keys"),
        "list_type": tr("expected a list"),
        "date_type": tr("expected a date written YYYY-MM-DD"),
        "date_parsing": tr("expected a date written YYYY-MM-DD"),
        "date_from_datetime_parsing": tr("expected a date written YYYY-MM-DD"),
        "date_from_datetime_inexact": tr("expected a date without a time of day"),
        "string_too_short": tr("must not be empty"),
        "finite_number": tr("expected a finite number"),
        "union_tag_invalid": tr("this kind is not one the format knows"),
        "union_tag_not_found": tr("a required key that says the kind is missing"),
    }
    if kind in simple:
        return simple[kind]
    if kind == "literal_error":
        return tr("must be one of: {options}", options=str(ctx.get("expected", "")).replace("'", ""))
    if kind == "string_pattern_mismatch":
        return _pattern_words(str(ctx.get("pattern", "")))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        n = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        return {"greater_than_equal": tr("must be at least {n}", n=n), "greater_than": tr("must be above {n}", n=n),
                "less_than_equal": tr("must be at most {n}", n=n), "less_than": tr("must be below {n}", n=n)}[kind]
    if kind == "string_too_long":
        return tr("must be at most {n} characters long", n=ctx.get("max_length"))
    if kind == "too_short":
        return tr("needs at least {n} entries", n=ctx.get("min_length"))
    if kind == "too_long":
        return tr("may have at most {n} entries", n=ctx.get("max_length"))
    if kind in ("value_error", "assertion_error"):
        return tr("{detail}", detail=str(ctx.get("error", error.get("msg", ""))))
    return tr("invalid value: {detail}", detail=str(error.get("msg", "")))


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[str] = set()
    out = []
    for issue in issues:
        key = str(issue)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
