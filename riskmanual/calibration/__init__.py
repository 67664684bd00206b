"""Calibration against historical outcomes (needs the ``calibration`` extra: numpy, pandas,
scikit-learn, statsmodels, matplotlib, jinja2, fairlearn).

    from riskmanual.calibration import CalibrationSettings, calibrate

    run = calibrate(CalibrationSettings(instrument="example-compas", data="cohort.csv",
                                        outcome="two_year_recid", method="points", max_items=6))
    run.metrics["cv"]["auc"]

Nothing here is imported by ``import riskmanual`` or by ``riskmanual score``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ..errors import Issue
from ..messages import Msg, tr
from .data import CalibrationError, Cohort, build_cohort, did_you_mean, read_table
from .run import CalibrationRun, CalibrationSettings, Where, calibrate_cohort

__all__ = [
    "CalibrationError",
    "CalibrationRun",
    "CalibrationSettings",
    "Cohort",
    "apply_where",
    "build_cohort",
    "calibrate",
    "load_spec",
    "read_table",
]


def apply_where(frame: Any, where: list[Where]) -> Any:
    """Keep the rows that satisfy every filter (ProPublica's standard filter is four of these)."""
    import pandas as pd

    import difflib

    import numpy as np

    source = frame.attrs.get("source", "<DataFrame>")
    mask = pd.Series(True, index=frame.index)
    issues = []
    names = [str(c) for c in frame.attrs.get("all_columns", frame.columns)]  # the whole header, not the columns read
    for index, rule in enumerate(where):
        if rule.column not in frame.columns:
            close = difflib.get_close_matches(rule.column, names, n=1)
            issues.append(Issue(did_you_mean(tr("no column '{column}' to filter on", column=rule.column), close),
                                path=("where", index, "column"), file=source))
            continue
        column = frame[rule.column]
        values = rule.value if isinstance(rule.value, list) else [rule.value]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        left = pd.to_numeric(column, errors="coerce") if numeric else column.astype(str)
        right = values if numeric else [str(v) for v in values]
        if rule.op == "in":
            keep = left.isin(right)
        elif rule.op == "not_in":
            keep = ~left.isin(right)
        else:
            target = right[0]
            keep = {"=": left == target, "!=": left != target, "<": left < target, "<=": left <= target,
                    ">": left > target, ">=": left >= target}[rule.op]
        mask &= keep.fillna(False).astype(bool)
    if issues:
        raise CalibrationError(tr("{source}: filters do not fit the table", source=source), issues)
    lines = np.asarray(frame.attrs.get("lines", np.arange(len(frame)) + 2))
    kept = frame[mask.to_numpy()].reset_index(drop=True)
    kept.attrs.update(frame.attrs)
    kept.attrs["lines"] = lines[mask.to_numpy()]  # errors name the file's own rows after filtering
    return kept


def load_spec(path: str | Path) -> CalibrationSettings:
    """Read a calibration spec file (the keys of :class:`CalibrationSettings`), errors located.

    Relative paths in a spec (instrument files, data, out, report) are read from the spec's folder.
    """
    from pydantic import ValidationError

    from ..yamlsource import SourceError, read_source

    try:
        source = read_source(path)
    except SourceError as exc:
        raise CalibrationError(tr("{file}: cannot read the spec", file=str(path)), exc.issues) from None
    import difflib

    data = source.data
    issues = []
    if isinstance(data, dict):
        data = {key: _expand(value, (key,), str(path), source, issues) for key, value in data.items()}
    if issues:
        raise CalibrationError(tr("{file}: invalid calibration spec", file=str(path)), issues)
    try:
        return CalibrationSettings.model_validate(data)
    except ValidationError as exc:
        keys = list(CalibrationSettings.model_fields)
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, column = source.locate(loc)
            message = setting_message(error)
            if error["type"] == "extra_forbidden" and len(loc) == 1:
                close = difflib.get_close_matches(str(loc[0]), keys, n=1)
                message = did_you_mean(tr("unknown key '{key}'", key=str(loc[0])), close)
            issues.append(Issue(message, path=loc, file=str(path), line=line, column=column))
        raise CalibrationError(tr("{file}: invalid calibration spec", file=str(path)), issues) from None


def setting_message(error: dict[str, Any]) -> Msg | str:
    """A pydantic error about a setting in the reader's language (pydantic's English words
    when it is not one of the common kinds)."""
    kind, ctx = error.get("type"), error.get("ctx") or {}
    if kind == "literal_error" and isinstance(ctx.get("expected"), str):
        choices = re.findall(r"'(?:[^'\\]|\\.)*'|\d+", ctx["expected"])
        if len(choices) > 1:
            return tr("Input should be {expected}", expected=tr("{a} or {b}", a=", ".join(choices[:-1]), b=choices[-1]))
        return tr("Input should be {expected}", expected=ctx["expected"])
    if kind == "greater_than_equal" and "ge" in ctx:
        return tr("Input should be greater than or equal to {value}", value=ctx["ge"])
    if kind == "less_than_equal" and "le" in ctx:
        return tr("Input should be less than or equal to {value}", value=ctx["le"])
    if kind == "greater_than" and "gt" in ctx:
        return tr("Input should be greater than {value}", value=ctx["gt"])
    if kind == "less_than" and "lt" in ctx:
        return tr("Input should be less than {value}", value=ctx["lt"])
    if kind == "model_type" and "class_name" in ctx:
        return tr("Input should be a valid dictionary or instance of {name}", name=str(ctx["class_name"]))
    words = _SETTING_WORDS.get(str(kind))
    return words if words is not None else str(error["msg"])


#: pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in words.
_SETTING_WORDS: dict[str, Msg] = {
    "missing": tr("Field required"),
    "extra_forbidden": tr("Extra inputs are not permitted"),
    "string_type": tr("Input should be a valid string"),
    "int_type": tr("Input should be a valid integer"),
    "int_parsing": tr("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": tr("Input should be a valid integer, got a number with a fractional part"),
    "float_type": tr("Input should be a valid number"),
    "float_parsing": tr("Input should be a valid number, unable to parse string as a number"),
    "bool_type": tr("Input should be a valid boolean"),
    "bool_parsing": tr("Input should be a valid boolean, unable to interpret input"),
    "list_type": tr("Input should be a valid list"),
    "tuple_type": tr("Input should be a valid tuple"),
    "dict_type": tr("Input should be a valid dictionary"),
}


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value: Any, loc: tuple[Any, ...], file: str, source: Any, issues: list[Issue]) -> Any:
    """``${VAR}`` in a spec's strings is replaced by the environment variable; unset is an error."""
    import os

    if isinstance(value, str):
        def one(match: Any) -> str:
            name = match.group(1)
            if name not in os.environ:
                line, column = source.locate(loc)
                issues.append(Issue(tr("environment variable '{name}' is not set", name=name), path=loc, file=file,
                                    line=line, column=column))
                return match.group(0)
            return os.environ[name]
        return _VAR.sub(one, value)
    if isinstance(value, list):
        return [_expand(v, loc + (i,), file, source, issues) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _expand(v, loc + (k,), file, source, issues) for k, v in value.items()}
    return value


def calibrate(settings: CalibrationSettings, *, frame: Any = None, progress: Callable[[str], None] | None = None,
              base: str | Path | None = None) -> CalibrationRun:
    """Run a calibration: load the instrument and data, cross-validate, fit, choose the cut-off.

    ``frame`` (a pandas DataFrame) replaces reading ``settings.data``; ``base`` is the
    folder relative paths in the settings are read from. Nothing is written: see
    :func:`riskmanual.calibration.output.write_instrument` and ``report.write_report``.
    """
    from ..registry import load_instrument

    base_path = Path(base) if base else Path.cwd()
    instrument = load_instrument(settings.instrument if not _is_path(settings.instrument)
                                 else base_path / settings.instrument)
    if frame is None:
        frame = read_table(base_path / settings.data, columns=needed_columns(instrument, settings))
    if settings.where:
        frame = apply_where(frame, settings.where)
    cohort = build_cohort(instrument, frame, settings.outcome, groups=settings.groups,
                          id_column=settings.id_column, columns=settings.columns, values=settings.values,
                          outcome_values=settings.outcome_values, column_rule=settings.column_rule,
                          missing_policy=settings.missing, final_rating=settings.final_rating)
    return calibrate_cohort(settings, cohort, progress=progress)


def needed_columns(instrument: Any, settings: CalibrationSettings) -> set[str]:
    """The columns a run reads: the items' (named as the settings say), outcome, groups, id, filters."""
    from .data import _rule_name
    from .encoding import encode_instrument

    wanted = {settings.outcome, *settings.groups, *(w.column for w in settings.where)}
    if settings.id_column:
        wanted.add(settings.id_column)
    if settings.final_rating:
        wanted.add(settings.final_rating)
    for enc in encode_instrument(instrument).items:
        wanted.add(settings.columns.get(enc.item.id, _rule_name(settings.column_rule, enc.item.id)))
    return wanted


def _is_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref
