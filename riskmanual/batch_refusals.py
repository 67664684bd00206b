"""Which rows of a batch the single scorer would refuse, and its words for why (for :mod:`riskmanual.batch`).

The problems of each refused row come in the single scorer's order: the dates, each cell's own
problem (item order), answers to items whose condition is false, not_applicable for items that
apply, required items left empty, and last the assessor's final rating when the instrument asks
for one. Texts are made once per distinct cell, not once per row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .answers import NO_VALUE, NOT_APPLICABLE, Answers, check_answers
from .batch_points import flags
from .messages import tr

__all__ = ["Refusals"]

_NONE, _VALUE, _UNKNOWN, _NA = 0, 1, 2, 3


class Refusals:
    """The refusal checks of :class:`riskmanual.batch_rules.Rows` (which holds the cells and masks)."""

    n: int
    items: list[dict[str, Any]]
    cells: list[Any]
    compiled: Any
    instrument: Any
    lang: str
    today: dt.date
    age: np.ndarray
    known_age: np.ndarray
    odd_birth: np.ndarray
    judgement: tuple[np.ndarray, str] | None

    def kind_in(self, i: int, *kinds: int) -> np.ndarray:  # pragma: no cover - defined by Rows
        raise NotImplementedError

    def applies_on(self, i: int) -> np.ndarray:  # pragma: no cover - defined by Rows
        raise NotImplementedError

    def _refusals(self, assessed: Any, born: Any) -> dict[int, list[str]]:
        """Each refused row's problems, in the order the single scorer lists them."""
        errors: dict[int, list[str]] = {}

        def add(mask: np.ndarray, texts: Any, key: Any = None) -> None:
            """Add ``texts(row)`` to each row of ``mask``; with ``key`` (a per-row array of distinct
            cells) the texts are made once per distinct cell."""
            rows = np.flatnonzero(mask)
            if key is None:
                for row in rows.tolist():
                    errors.setdefault(row, []).extend(texts(row))
                return
            made: dict[int, list[str]] = {}
            for row, k in zip(rows.tolist(), key[rows].tolist()):
                found = made.get(k)
                if found is None:
                    found = made[k] = texts(row)
                errors.setdefault(row, []).extend(found)

        parse = [(dates, np.array([bool(p) for p in dates.problems], dtype=bool)) for dates in (assessed, born) if dates is not None]
        unparsed = np.zeros(self.n, dtype=bool)
        for dates, bad in parse:
            unparsed |= flags(bad, dates.index)
        if unparsed.any():
            for dates, bad in parse:
                add(flags(bad, dates.index), lambda row, d=dates: d.problems[d.index[row]], dates.index)
        ok = ~unparsed
        late = ok & flags(assessed.ordinal > self.today.toordinal(), assessed.index)
        if born is not None:
            late |= ok & self.odd_birth  # after the assessment date, or an age above 120
        if late.any():
            pair = assessed.index.astype(np.int64) * (len(born.problems) if born is not None else 1) + \
                (born.index.astype(np.int64) if born is not None else 0)
            add(late, lambda row: self._date_problems(assessed, born, row), pair)
        for i, (item, cells) in enumerate(zip(self.items, self.cells)):
            bad = np.array([bool(p) for p in cells.problems], dtype=bool)
            if bad.any():
                add(ok & cells.flags(bad), lambda row, c=cells: c.problems[c.index[row]], cells.index)
        for i, item in enumerate(self.items):
            if item["applies_when"] is None:
                continue
            mask = ok & self.kind_in(i, _VALUE, _UNKNOWN) & ~self.applies_on(i)
            if mask.any():
                message = tr("item '{item}' does not apply here (its condition is false): leave it out or answer "
                             "not_applicable", item=item["id"])
                add(mask, lambda row, i=i, m=message: [self._text(i, m, self._value(i, row))], self.cells[i].index)
        for i, item in enumerate(self.items):
            if item["applies_when"] is None or item["allow_not_applicable"]:
                continue
            mask = ok & self.kind_in(i, _NA) & self.applies_on(i)
            if mask.any():
                message = tr("item '{item}' applies here (its condition holds or cannot be decided): it cannot be "
                             "not_applicable", item=item["id"])
                text = [self._text(i, message, NOT_APPLICABLE)]
                add(mask, lambda row, t=text: t)
        for i, item in enumerate(self.items):
            if not item["required"]:
                continue
            mask = ok & self.kind_in(i, _NONE) & self.applies_on(i)
            if mask.any():
                message = tr("item '{item}' is required and applies here: answer it (it is never estimated)",
                             item=item["id"])
                text = [self._text(i, message, NO_VALUE)]
                add(mask, lambda row, t=text: t)
        if self.compiled["judgement"]["final_rating"] == "assessor":
            from .batch_cells import _text  # noqa: PLC0415

            text = _text(("judgement",), tr("this instrument's result is the assessor's final rating: give judgement: "
                                            "{{band: ..., reason: ...}}"), None, self.lang)
            clean = np.ones(self.n, dtype=bool)
            clean[list(errors)] = False
            self.judgement = (clean, text)  # every other row: one text, set in one go (see _errors)
        return errors

    def _value(self, i: int, row: int) -> Any:
        cells = self.cells[i]
        d = cells.index[row]
        return cells.values[d] if cells.kind[d] == _VALUE else "unknown"

    def _text(self, i: int, message: Any, value: Any) -> str:
        from .batch_cells import _text  # noqa: PLC0415

        return _text(("answers", self.items[i]["id"]), message, value, self.lang)

    def _date_problems(self, assessed: Any, born: Any, row: int) -> list[str]:
        from .batch_cells import _text  # noqa: PLC0415

        assessment = dt.date.fromordinal(assessed.ordinal_at(row))
        birth = dt.date.fromordinal(born.ordinal_at(row)) if born is not None and born.ordinal_at(row) >= 0 else None
        answers = Answers.model_construct(instrument=self.instrument.id, version=self.instrument.version,
                                          assessment_date=assessment, birth_date=birth, answers={}, notes={},
                                          judgement=None, assessor=None, case=None)
        _values, problems = check_answers(self.instrument, answers, today=self.today)
        return [_text(path, message, value, self.lang) for path, message, value in problems]
