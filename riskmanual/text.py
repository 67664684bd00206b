"""Multilingual text: a plain string, or a map from language code to string."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Text", "TEXT_FIELD", "has_control", "localize", "markdown_escape", "printable"]

# C0 and C1 control characters, DEL, and the bidirectional overrides that can reorder what a
# terminal shows; newline and tab are allowed in texts (not in one-line messages).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character other than newline and tab."""
    if text.isprintable():  # every character _CONTROL matches is unprintable: most texts end here, quickly
        return False
    return bool(_CONTROL.search(text))


def printable(text: str, *, one_line: bool = True) -> str:
    """``text`` safe to print to a terminal: every control character (newline and tab too, when
    ``one_line``) shown as an escape (``\\x1b``), so nothing typed can move the cursor, set the
    window title or forge another line."""
    pattern = _CONTROL_LINE if one_line else _CONTROL
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


class _TextMarker:
    """Marks a model field as user-facing text, so validation can check its languages."""

    def __repr__(self) -> str:
        return "TEXT_FIELD"


TEXT_FIELD = _TextMarker()



def __getattr__(name: str) -> Any:
    """``Text`` and ``LanguageMap`` are built on first use, so that the pure helpers here (and the
    command line's warm-cache path that uses them) never import pydantic."""
    if name not in ("Text", "LanguageMap"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Annotated, Union  # noqa: PLC0415

    from pydantic import Field  # noqa: PLC0415

    language_map = dict[
        Annotated[str, Field(pattern=r"^[a-z]{2,3}$")],
        Annotated[str, Field(min_length=1)],
    ]
    #: A user-facing text: the same string in every language, or ``{sv: ..., en: ...}``.
    text = Annotated[Union[Annotated[str, Field(min_length=1)], language_map], TEXT_FIELD]
    globals().update(LanguageMap=language_map, Text=text)
    return globals()[name]


def localize(text: str | dict[str, str] | None, lang: str | None, fallback: str = "") -> str:
    """The text in ``lang``; otherwise in English, otherwise in any language it has."""
    if text is None:
        return fallback
    if isinstance(text, str):
        return text
    if lang and lang in text:
        return text[lang]
    if "en" in text:
        return text["en"]
    return next(iter(text.values()), fallback)


_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~!&])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))", re.M)


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown: no raw HTML, no emphasis, links or headings, and no line
    that starts a list or a quote (CommonMark backslash escapes, which every renderer knows)."""
    def line_start(m: re.Match[str]) -> str:
        return m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}")

    return _MD_LINE_START.sub(line_start, _MD_INLINE.sub(r"\\\1", text))
