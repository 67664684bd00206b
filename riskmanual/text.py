"""Multilingual text: a plain string, or a map from language code to string."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

__all__ = ["Text", "TEXT_FIELD", "localize"]


class _TextMarker:
    """Marks a model field as user-facing text, so validation can check its languages."""

    def __repr__(self) -> str:
        return "TEXT_FIELD"


TEXT_FIELD = _TextMarker()

LanguageMap = dict[
    Annotated[str, Field(pattern=r"^[a-z]{2,3}$")],
    Annotated[str, Field(min_length=1)],
]

#: A user-facing text: the same string in every language, or ``{sv: ..., en: ...}``.
Text = Annotated[Union[Annotated[str, Field(min_length=1)], LanguageMap], TEXT_FIELD]


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
