"""The riskmanual exception hierarchy.

Every error the library raises on bad input derives from :class:`RiskmanualError`
and carries the list of :class:`Issue` objects that say *where* it happened::

    RiskmanualError (Exception)
    ├── InstrumentError (ValueError)    an instrument file is unreadable or invalid
    ├── AnswersError (ValueError)       answers do not fit their instrument
    └── NotFoundError (LookupError)     no instrument with that path, id or version

Callers that only want to report problems catch ``RiskmanualError`` and print
``error.issues``; each issue renders as ``FILE:LINE:COL: PATH: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .messages import Msg, current_language, render, tr
from .privacy import mask_personnummer
from .text import printable

__all__ = [
    "AnswersError",
    "InstrumentError",
    "Issue",
    "NotFoundError",
    "RiskmanualError",
    "format_path",
]


def format_path(path: Iterable[str | int]) -> str:
    """Render a location as a JSON-path-like string: ``items[3].response.options[1].points``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


_MISSING = object()


@dataclass(frozen=True)
class Issue:
    """One problem in one place: a file, a line and column, a path inside the document."""

    message: str
    path: tuple[str | int, ...] = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    value: Any = _MISSING

    @property
    def json_path(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        return self.render()

    def render(self, lang: str | None = None) -> str:
        """``FILE:LINE:COL: PATH: message (got VALUE)`` in ``lang`` (default: the current
        language, :func:`riskmanual.messages.set_language`)."""
        lang = lang or current_language()
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{self.json_path}: {render(self.message, lang)}"
        if self.value is not _MISSING:
            text += render(tr(" (got {value})", value=_show(self.value)), lang)
        # Whatever a user typed, a file name included, may hold a personnummer: never print one back,
        # nor a control character that could move the cursor or forge another error line.
        return f"{printable(mask_personnummer(where))}: {printable(mask_personnummer(text))}"

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": mask_personnummer(self.file) if self.file else self.file,
            "line": self.line,
            "column": self.column,
            "path": mask_personnummer(self.json_path),
            "message": mask_personnummer(render(self.message, lang or current_language())),
        }
        if self.value is not _MISSING:
            data["value"] = mask_personnummer(render(_show(self.value), lang or current_language()))
        return data


def _show(value: Any) -> str | Msg:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 15:
        return tr("a number of about {n} digits", n=int(abs(value).bit_length() * 0.30103) + 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return tr("{value}", value=value)  # 3, 2.5 / 2,5: the reader's number style, never 3.0
    # Masked before repr (which writes a tab as a backslash and a 't', hiding the number's shape
    # from the mask) and before cutting (a cut number would no longer look like one).
    text = mask_personnummer(repr(_masked(value)))
    if len(text) <= 80:
        return text
    if isinstance(value, dict):
        return tr("a mapping of {n} entries", n=len(value))
    if isinstance(value, list):
        return tr("a list of {n} entries", n=len(value))
    return text[:77] + "..."


def _masked(value: Any, depth: int = 0) -> Any:
    """``value`` with every string in it masked (keys and items of lists and mappings too)."""
    if isinstance(value, str):
        return mask_personnummer(value)
    if depth > 20:
        return value
    if isinstance(value, dict):
        return {_masked(k, depth + 1): _masked(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_masked(v, depth + 1) for v in value)
    return value


class RiskmanualError(Exception):
    """Root of every error riskmanual raises on bad input; ``issues`` lists them all."""

    def __init__(self, message: str, issues: Iterable[Issue] = ()) -> None:
        self.issues: list[Issue] = list(issues)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.render()

    def render(self, lang: str | None = None) -> str:
        """The summary and every issue, one a line, in ``lang`` (default: the current language)."""
        head = printable(mask_personnummer(render(self.message, lang or current_language())))
        if not self.issues:
            return head
        return "\n".join([head] + [f"  {issue.render(lang)}" for issue in self.issues])


class InstrumentError(RiskmanualError, ValueError):
    """An instrument file cannot be read, or its content is not a valid instrument."""


class AnswersError(RiskmanualError, ValueError):
    """Answers cannot be read, or do not fit the instrument they claim to answer."""


class NotFoundError(RiskmanualError, LookupError):
    """No instrument matches the path, id or ``id@version`` that was asked for."""


class IdentityError(RiskmanualError, ValueError):
    """A personnummer or samordningsnummer that is not valid (the message never repeats it)."""


class StoreError(RiskmanualError):
    """The case store cannot be opened or written: missing, locked, corrupt, newer, or a stale write."""


class ConsentError(RiskmanualError):
    """What was asked needs a consent that is missing, expired or withdrawn."""


class EvaluationError(RiskmanualError):
    """An evaluation cannot be made: nothing in the period, or a comparison file that does not fit."""
