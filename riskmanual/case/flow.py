"""The guided assessment as a pure state machine: the items that apply, a cursor, and the
actions answer, skip, back, goto and note. The terminal (and the tests) drive it; it does no I/O.

An answer may be typed as the option's number, its code, or its label in either language, in
any case (``2``, ``high``, ``Hög``, ``hög``); yes/no items also take ``ja``/``nej``/``j``/``n``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..answers import NOT_APPLICABLE, UNKNOWN, MAX_NOTE, age_in_years
from ..instrument import BooleanResponse, ChoiceResponse, DerivedResponse, Instrument, Item, NumericResponse
from ..messages import Msg, message, tr
from ..privacy import looks_like_personnummer
from ..scoring import _is_critical, applicable
from ..text import localize

__all__ = ["Choice", "Flow", "FlowError"]

#: What an assessor types for "unknown" besides the code and the label (``okänt / går ej att bedöma``).
_UNKNOWN_WORDS = frozenset({"okänt", "okänd", "vet ej", "?"})


class FlowError(ValueError):
    """An answer that does not fit the item; the message says what would."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.msg = message


@dataclass(frozen=True)
class Choice:
    number: int
    code: str
    label: str
    points: float | None


@dataclass
class Flow:
    """The answers so far and where the assessor is; ``document()`` is an answers document."""

    instrument: Instrument
    assessment_date: dt.date
    birth_date: dt.date | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    cursor: int = 0
    judgement: dict[str, str] | None = None

    # --- which items are asked --------------------------------------------------------

    @property
    def age(self) -> int | None:
        return age_in_years(self.birth_date, self.assessment_date) if self.birth_date else None

    def _values(self) -> dict[str, Any]:
        return {k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                for k, v in self.answers.items()}

    def items(self) -> list[Item]:
        """The items to ask now, in the instrument's order: not derived, and applicable given the answers."""
        applies = applicable(self.instrument, self._values(), self.age)
        return [i for i in self.instrument.items if not isinstance(i.response, DerivedResponse)
                and (applies[i.id] or self.answers.get(i.id) == NOT_APPLICABLE)]

    @property
    def current(self) -> Item | None:
        items = self.items()
        return items[self.cursor] if self.cursor < len(items) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def progress(self) -> tuple[int, int]:
        return min(self.cursor + 1, len(self.items())), len(self.items())

    def choices(self, item: Item, lang: str) -> list[Choice]:
        """What can be typed, numbered from 1: the options, then unknown / not applicable where allowed."""
        response, out = item.response, []
        if isinstance(response, BooleanResponse):
            out = [(c, message(c, lang), getattr(response.points, c)) for c in ("yes", "no")]
        elif isinstance(response, ChoiceResponse):
            out = [(o.code, localize(o.label, lang), o.points if item.scored else None) for o in response.options]
        if item.allow_unknown and not item.required:
            out.append((UNKNOWN, message("unknown", lang), None))
        if item.allow_not_applicable:
            out.append((NOT_APPLICABLE, message("not_applicable", lang), None))
        return [Choice(n, code, label, points) for n, (code, label, points) in enumerate(out, start=1)]

    # --- actions ------------------------------------------------------------------------

    def interpret(self, item: Item, text: str, lang: str) -> Any:
        """The answer ``text`` means for ``item``; raises :class:`FlowError` with what would fit."""
        typed = " ".join(text.split())
        wanted = typed.casefold()
        choices = self.choices(item, lang)
        if isinstance(item.response, NumericResponse):
            for c in choices:  # unknown / not applicable in words (a digit is the number itself)
                words = {c.code, c.label.casefold()} | (_UNKNOWN_WORDS if c.code == UNKNOWN else set())
                if wanted in words:
                    return c.code
            try:
                number = float(wanted.replace(",", ".").replace("\u2212", "-"))
            except ValueError:
                raise FlowError(tr("write a number from {min} to {max}", min=item.response.min,
                                   max=item.response.max)) from None
            if number != number or not item.response.min <= number <= item.response.max:
                raise FlowError(tr("write a number from {min} to {max}", min=item.response.min, max=item.response.max))
            if item.response.integer and number != int(number):
                raise FlowError(tr("write a whole number"))
            return int(number) if item.response.integer else number
        names: dict[str, str] = {}
        for c in choices:
            names[str(c.number)] = c.code
            names[c.code.casefold()] = c.code
            for language in self.instrument.languages or [lang]:
                label = c.label if language == lang else _label(item, c.code, language)
                names[" ".join(label.split()).casefold()] = c.code
        if isinstance(item.response, BooleanResponse):
            names.update({"ja": "yes", "j": "yes", "y": "yes", "nej": "no", "n": "no"})
        codes = {c.code for c in choices}
        if UNKNOWN in codes:
            names.update(dict.fromkeys(_UNKNOWN_WORDS, UNKNOWN))
        if NOT_APPLICABLE in codes:
            names.update({"ej tillämplig": NOT_APPLICABLE, "ej tillämpligt": NOT_APPLICABLE, "n/a": NOT_APPLICABLE})
        if wanted in names:
            return names[wanted]
        listed = ", ".join(f"{c.number} {c.label}" for c in choices)
        raise FlowError(tr("not an answer to this item; type one of: {choices}", choices=listed))

    def answer(self, text: str, lang: str) -> bool:
        """Record the answer to the current item and move on; True when the answer is critical."""
        item = self._need_current()
        value = self.interpret(item, text, lang)
        self.answers[item.id] = value
        self._after_change(item)
        self.cursor += 1
        return value not in (UNKNOWN, NOT_APPLICABLE) and _is_critical(item, float(value) if isinstance(value, (int, float)) else value)

    def skip(self, *, as_unknown: bool) -> None:
        """Leave the current item unanswered (missing), or record it as unknown where allowed."""
        item = self._need_current()
        if item.required:
            raise FlowError(tr("this item must be answered; it cannot be skipped"))
        if as_unknown:
            if not item.allow_unknown:
                raise FlowError(tr("this item cannot be unknown"))
            self.answers[item.id] = UNKNOWN
        else:
            self.answers.pop(item.id, None)
        self._after_change(item)
        self.cursor += 1

    def back(self) -> None:
        self.cursor = max(0, self.cursor - 1)

    def goto(self, item_id: str) -> None:
        ids = [i.id for i in self.items()]
        if item_id not in ids:
            raise FlowError(tr("no item '{item}' is asked here", item=item_id))
        self.cursor = ids.index(item_id)

    def note(self, text: str) -> None:
        item = self._need_current_or_last()
        if len(text) > MAX_NOTE:
            raise FlowError(tr("a note has at most {n} characters", n=MAX_NOTE))
        if looks_like_personnummer(text):
            raise FlowError(tr("a note must not hold a personnummer, nor a number written like one (a phone number "
                  "without spaces can look like one)"))
        self.notes[item.id] = text

    def source(self, text: str) -> None:
        """Where the current item's information came from (kept with its note)."""
        item = self._need_current_or_last()
        if looks_like_personnummer(text):
            raise FlowError(tr("a note must not hold a personnummer, nor a number written like one (a phone number "
                  "without spaces can look like one)"))
        self.sources[item.id] = text

    def judge(self, band: str | None, reason: str) -> None:
        """The assessor's own band (an override, or the final rating), with the written reason."""
        ids = [b.id for b in self.instrument.bands]
        if band not in ids:
            raise FlowError(tr("no band '{band}'; use one of {bands}", band=str(band), bands=ids))
        if not reason.strip():
            raise FlowError(tr("the band needs a written reason"))
        if looks_like_personnummer(reason):
            raise FlowError(tr("a note must not hold a personnummer, nor a number written like one (a phone number "
                  "without spaces can look like one)"))
        self.judgement = {"band": band, "reason": reason.strip()}

    def document(self) -> dict[str, Any]:
        """The answers document for :func:`riskmanual.score` (answers to items that no longer apply dropped)."""
        asked = {i.id for i in self.items()}
        return {
            "instrument": self.instrument.id,
            "version": self.instrument.version,
            "assessment_date": self.assessment_date.isoformat(),
            **({"birth_date": self.birth_date.isoformat()} if self.birth_date else {}),
            "answers": {k: v for k, v in self.answers.items() if k in asked},
            "notes": {k: _with_source(self.notes.get(k), self.sources.get(k), self.instrument.languages)
                      for k in asked if k in self.notes or k in self.sources},
            **({"judgement": dict(self.judgement)} if self.judgement else {}),
        }

    # --- helpers ------------------------------------------------------------------------

    def _need_current(self) -> Item:
        item = self.current
        if item is None:
            raise FlowError(tr("every item has been gone through"))
        return item

    def _need_current_or_last(self) -> Item:
        items = self.items()
        if not items:
            raise FlowError(tr("every item has been gone through"))
        return items[min(self.cursor, len(items) - 1)]

    def _after_change(self, item: Item) -> None:
        """An answer can make later items apply or stop applying: keep the cursor on the next item."""
        ids = [i.id for i in self.items()]
        if item.id in ids:
            self.cursor = ids.index(item.id)


def _label(item: Item, code: str, lang: str) -> str:
    if isinstance(item.response, BooleanResponse) or code in (UNKNOWN, NOT_APPLICABLE):
        return message({UNKNOWN: "unknown", NOT_APPLICABLE: "not_applicable"}.get(code, code), lang)
    if isinstance(item.response, ChoiceResponse):
        return localize(next(o.label for o in item.response.options if o.code == code), lang)
    return code


def _with_source(note: str | None, source: str | None, languages: list[str]) -> str:
    if not source:
        return note or ""
    word = "Källa" if (languages or ["sv"])[0] == "sv" else "Source"
    return f"{note} ({word}: {source})" if note else f"{word}: {source}"
