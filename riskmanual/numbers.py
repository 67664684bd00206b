"""Numbers as a reader expects them in Swedish or English text.

Swedish (Språkrådet, Svenska skrivregler): decimal comma (``6,5``), whole numbers without
``,0``, a minus sign (``−3``), a space between thousands (``10 000``), en-dash ranges
without spaces (``15–25``; ``−10 till 43`` when a negative number is involved), a space
before the percent sign (``37 %``). English: ``6.5``, ``-3``, ``10,000``, ``15–25``
(``-10 to 43``), ``37%``.

Pure functions without I/O; the engine's explanations, manuals and messages use them.
"""

from __future__ import annotations

import math
from typing import Any, Optional

__all__ = ["count", "fixed", "number", "percent", "plural", "points", "quantity", "signed", "span", "unit_word"]

MINUS = "\u2212"  # − minus sign
EN_DASH = "\u2013"  # –
NBSP = "\u00a0"  # non-breaking space (thousands in Swedish, before % and units)


def _is_sv(lang: Optional[str]) -> bool:
    return lang != "en"


def number(value: float | int, lang: Optional[str] = "sv", decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros.

    >>> number(6.5, "sv"), number(2.0, "sv"), number(-3, "sv"), number(6.666, "en")
    ('6,5', '2', '−3', '6.67')
    """
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return "NaN"
        return ("−" if _is_sv(lang) else "-") * (value < 0) + "∞"
    try:
        rounded = round(float(value), decimals)
    except OverflowError:  # an integer past the float range
        return ("−" if _is_sv(lang) else "-") * (value < 0) + "∞"
    if rounded == 0:
        rounded = 0.0  # no "−0"
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}" if decimals > 0 else f"{abs(rounded):.0f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    sv = _is_sv(lang)
    if sv:
        # Swedish groups from 10 000; a four-digit number is written together (1000).
        if len(whole) > 4:
            whole = _group(whole, NBSP)
    elif len(whole) > 3:
        whole = _group(whole, ",")
    out = whole + ((("," if sv else ".") + frac) if frac else "")
    if negative:
        out = (MINUS if sv else "-") + out
    return out


def fixed(value: float, lang: Optional[str] = "sv", digits: int = 3) -> str:
    """``value`` with exactly ``digits`` decimals, as a table of figures writes it (``0,730``,
    ``−0,024``, ``12 345,0``; ``0.730`` in English), never ``−0``.

    >>> fixed(0.73, "sv"), fixed(-0.0001, "sv"), fixed(12345, "en", 1)
    ('0,730', '0,000', '12,345.0')
    """
    text = f"{abs(float(value)):.{digits}f}"
    negative = float(value) < 0 and text.strip("0.") != ""
    whole, _, frac = text.partition(".")
    sv = _is_sv(lang)
    if len(whole) > (4 if sv else 3):
        whole = _group(whole, NBSP if sv else ",")
    text = whole + (("," if sv else ".") + frac if frac else "")
    return ((MINUS if sv else "-") if negative else "") + text


def _group(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.append(digits[-3:])
        digits = digits[:-3]
    parts.append(digits)
    return sep.join(reversed(parts))


def signed(value: float | int, lang: Optional[str] = "sv", decimals: int = 2) -> str:
    """``+2``, ``−1,5`` (``-1.5`` in English), ``0`` (zero carries no sign)."""
    text = number(value, lang, decimals)
    if text[0].isdigit() and text != "0":
        return "+" + text
    return text


def span(lo: float | int, hi: float | int, lang: Optional[str] = "sv", decimals: int = 2) -> str:
    """A range: ``15–25``; ``−10 till 43`` (``-10 to 43``) when a bound is negative."""
    a, b = number(lo, lang, decimals), number(hi, lang, decimals)
    if a == b:
        return a
    if lo < 0 or hi < 0:
        return f"{a} {'till' if _is_sv(lang) else 'to'} {b}"
    return f"{a}{EN_DASH}{b}"


def plural(n: float | int, singular: str, plural: str) -> str:
    """The singular for exactly one (``1 anmälan``), otherwise the plural (``1,5 timmar``)."""
    return singular if n == 1 else plural


def unit_word(unit: Any, n: float | int, lang: Optional[str] = "sv") -> str:
    """The word for ``n`` of ``unit``: a :class:`riskmanual.instrument.Unit` (singular and
    plural), a text (the same for every count; a plain string or ``{sv: ..., en: ...}``),
    or a mapping ``{"singular": ..., "plural": ...}``; ``""`` for no unit."""
    from .text import localize  # noqa: PLC0415 - tiny, pure

    if unit is None:
        return ""
    singular = getattr(unit, "singular", None)
    many = getattr(unit, "plural", None)
    if singular is None and isinstance(unit, dict) and "singular" in unit and "plural" in unit:
        singular, many = unit["singular"], unit["plural"]
    if singular is not None:
        return plural(n, localize(singular, lang), localize(many, lang))
    return localize(unit, lang)


def quantity(n: float | int, unit: Any, lang: Optional[str] = "sv", decimals: int = 2) -> str:
    """``n`` with its unit: ``1 anmälan``, ``3 anmälningar``, ``2,5 timmar``; just the
    number when there is no unit."""
    word = unit_word(unit, n, lang)
    text = number(n, lang, decimals)
    return f"{text} {word}" if word else text


def count(n: float | int, singular: str, many: str, lang: Optional[str] = "sv") -> str:
    """``1 fråga`` / ``3 frågor`` from the words given (already in the right language)."""
    return f"{number(n, lang)} {plural(n, singular, many)}"


_POINTS = {"sv": ("poäng", "poäng"), "en": ("point", "points")}


def points(n: float | int, lang: Optional[str] = "sv", decimals: int = 2, sign: bool = False) -> str:
    """``1 poäng``, ``6,5 poäng``; ``1 point``, ``2 points``; ``+2 poäng`` with ``sign``."""
    one, many = _POINTS["en" if lang == "en" else "sv"]
    text = signed(n, lang, decimals) if sign else number(n, lang, decimals)
    rounded = round(float(n), decimals)
    return f"{text} {one if rounded in (1, -1) else many}"


def percent(p: float, lang: Optional[str] = "sv", decimals: int = 0) -> str:
    """A proportion (0–1) as a percentage: ``37 %`` in Swedish, ``37%`` in English;
    ``<1 %`` for a positive proportion that rounds to 0."""
    value = p * 100
    text = number(value, lang, decimals)
    if text == "0" and value > 0:
        text = "<" + number(10 ** -decimals, lang, decimals)
    return f"{text}{NBSP}%" if _is_sv(lang) else f"{text}%"
