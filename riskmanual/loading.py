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
        raise InstrumentError(f"{path}: cannot read instrument", exc.issues) from None
    return instrument_from_source(source, strict_schema=strict_schema)


def instrument_from_source(source: Source, *, strict_schema: bool = False) -> Instrument:
    """Validate parsed data as an instrument: structure first, then meaning."""
    data = source.data
    if not isinstance(data, dict):
        raise InstrumentError(
            f"{source.file}: not an instrument",
            [source.issue((), f"an instrument is a mapping of keys, not {_KIND_WORDS.get(type(data), 'a value')}")],
        )
    issues: list[Issue] = schema_issues(source) if strict_schema else []
    instrument: Instrument | None = None
    if not issues:
        try:
            instrument = Instrument.model_validate(data)
        except ValidationError as exc:
            issues = schema_issues(source) or _pydantic_issues(exc, source)
    if instrument is not None:
        issues = [source.issue(path, message, value=value) for path, message, value in check_instrument(instrument)]
    if issues:
        raise InstrumentError(f"{source.file}: invalid instrument ({len(issues)} problem(s))", issues)
    assert instrument is not None
    instrument._source = source.file
    return instrument


_KIND_WORDS = {list: "a list", str: "a text", int: "a number", float: "a number", bool: "true or false",
               type(None): "nothing (the document is empty)"}


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
                out.append(source.issue(path + (key,), f"'{key}' is not a language code such as 'sv' or 'en' "
                                        "(a text with a comma in a {sv: ..., en: ...} map needs quotes)", key=True))
                continue
            message = f"unknown key '{key}'"
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            message += f"; did you mean '{close[0]}'?" if close else "; allowed keys: " + ", ".join(allowed)
            out.append(source.issue(path + (key,), message, key=True))
        return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [source.issue(path, f"missing required key '{missing}'")]
    if kind == "type" and error.instance is None and "patternProperties" in list(error.relative_schema_path)[-3:]:
        key = path[-1] if path else ""
        return [source.issue(path, f"'{key}' has no text (if '{key}' belongs to the text before it: a text with "
                             "a comma in a {sv: ..., en: ...} map needs quotes)", key=True)]
    if kind == "type":
        return [source.issue(path, f"expected {_type_words(error.validator_value)}", value=error.instance)]
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        message = "must be one of: " + ", ".join(map(str, options))
        close = difflib.get_close_matches(str(error.instance), [str(o) for o in options], n=1)
        if close and len(options) > 1:
            message += f"; did you mean '{close[0]}'?"
        return [source.issue(path, message, value=error.instance)]
    if kind == "pattern":
        return [source.issue(path, _pattern_words(error.validator_value), value=error.instance)]
    return [source.issue(path, error.message.replace(repr(error.instance), "the value", 1), value=error.instance)]


def _tagged_union(error: Any, source: Source) -> list[Issue] | None:
    """A union with a tag (``type: ...``): explain the errors of the branch the tag names."""
    tag = error.schema.get("discriminator") if isinstance(error.schema, dict) else None
    if not tag or not isinstance(error.instance, dict):
        return None
    path = tuple(error.absolute_path)
    name, mapping = tag["propertyName"], tag.get("mapping") or {}
    if name not in error.instance:
        return [source.issue(path, f"missing required key '{name}'")]
    value = error.instance[name]
    target = mapping.get(value) if isinstance(value, str) else None
    if target is None:
        message = "must be one of: " + ", ".join(mapping)
        close = difflib.get_close_matches(str(value), list(mapping), n=1)
        message += f"; did you mean '{close[0]}'?" if close else ""
        return [source.issue(path + (name,), message, value=value)]
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


def _expected_any(error: Any) -> str:
    kinds: list[str] = []
    for sub in error.context:
        if sub.validator == "type":
            kinds.append(_type_words(sub.validator_value))
    kinds = list(dict.fromkeys(kinds))
    if kinds:
        return "expected " + " or ".join(kinds)
    return "does not match any allowed form"


_TYPE_WORDS = {
    "string": "a text",
    "object": "a mapping of keys (or, for a text, {language: text})",
    "array": "a list",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing (null)",
}


def _type_words(value: Any) -> str:
    if isinstance(value, list):
        return " or ".join(_TYPE_WORDS.get(v, v) for v in value)
    return _TYPE_WORDS.get(value, str(value))


_PATTERN_WORDS = {
    r"^[a-z0-9][a-z0-9_-]*$": "an id: lowercase letters, digits, '-' and '_', starting with a letter or digit",
    r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$": "a code: letters, digits, '.', '+', '-' and '_', no spaces",
    r"^\d{4}-\d{2}-\d{2}$": "a date written YYYY-MM-DD",
    r"^[a-z]{2,3}$": "a language code such as 'sv' or 'en'",
}


def _pattern_words(pattern: str) -> str:
    if pattern in _PATTERN_WORDS:
        return "must be " + _PATTERN_WORDS[pattern]
    if pattern.startswith(r"^(0|[1-9]\d*)"):
        return "must be a semantic version such as 1.0.0"
    return f"must match the pattern {pattern}"


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
        issues.append(source.issue(tuple(path), error["msg"]))
    return _dedupe(issues)


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[str] = set()
    out = []
    for issue in issues:
        key = str(issue)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
