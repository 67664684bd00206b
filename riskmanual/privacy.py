"""Keep personal identity numbers out of everything riskmanual stores, logs or prints.

A personnummer (or samordningsnummer, day + 60) is recognised in every spelling people and word
processors produce: with or without century, with any dash (en dash, em dash, minus sign,
non-breaking hyphen), space (non-breaking, narrow, thin), zero-width character, tab, newline,
``_``, ``.``, ``/`` or ``+`` between its parts, ``1990-01-01-1234``, ``9001 01-1234``, ``900101 - 1234``,
and in fullwidth or other Unicode digits. The month and day must be possible (01-12; 01-31 or
61-91), so that most other numbers pass; a ten-digit phone number can still look like one, and
the refusals say so.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MASK", "SEPARATORS", "looks_like_personnummer", "mask_personnummer", "schema_pattern"]

MASK = "<personnummer hidden>"

#: What may stand between the parts of a number: dashes, spaces and invisible characters.
SEPARATORS = ("-+ \t\n\r\f\v_./"
              "\u00a0\u00ad\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
              "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
              "\u200b\u200c\u200d\u2060\ufeff")

# The shape on text folded to ASCII digits and '-' for every separator (same length, so the
# positions found are the original text's): century?, YYMMDD with at most one separator between
# the parts of the date, up to three between the date and the last four digits.
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
# A separator may also be written as an escape (``\\t``, ``\\x09``, ``\\u2013``): repr() and the
# terminal-safe echo write control characters so, and the number must stay hidden there too.
_SEP = r"(?:-|\\{1,2}(?:[tnrfv]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))"
_SHAPE = rf"(?:19|20)?[0-9]{{2}}{_SEP}?{_MONTH}{_SEP}?{_DAY}{_SEP}{{0,3}}[0-9]{{4}}"
_FOLDED = re.compile(rf"(?<![0-9]){_SHAPE}(?![0-9])")
_TABLE = {ord(c): "-" for c in SEPARATORS}


def _fold(text: str) -> str:
    """Every Unicode decimal digit as its ASCII digit, every separator as '-'; same length."""
    if text.isascii():
        return text.translate(_TABLE)
    out = []
    for char in text:
        if char in SEPARATORS:
            out.append("-")
        elif char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def looks_like_personnummer(text: str) -> bool:
    """True when ``text`` holds something shaped like a personnummer (never store those)."""
    return bool(_FOLDED.search(_fold(text)))


def mask_personnummer(text: str) -> str:
    """``text`` with everything shaped like a personnummer replaced by a placeholder."""
    folded = _fold(text)
    spans = [m.span() for m in _FOLDED.finditer(folded)]
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(MASK)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def schema_pattern() -> str:
    """The same shape as a JSON Schema (ECMA-262) pattern that matches a string holding one.

    It knows ASCII and fullwidth digits; other Unicode digits only the engine folds (the answers
    schema says so among what it cannot express)."""

    def digit(d: str) -> str:
        return f"[{d}{chr(0xFF10 + int(d))}]"

    def rng(lo: str, hi: str) -> str:
        return f"[{lo}-{hi}{chr(0xFF10 + int(lo))}-{chr(0xFF10 + int(hi))}]"

    sep = "[" + "".join(_escape(c) for c in SEPARATORS) + "]"
    any_digit = rng("0", "9")
    month = f"(?:{digit('0')}{rng('1', '9')}|{digit('1')}{rng('0', '2')})"
    day = (f"(?:{digit('0')}{rng('1', '9')}|{rng('1', '2')}{any_digit}|{digit('3')}{rng('0', '1')}|"
           f"{digit('6')}{rng('1', '9')}|{rng('7', '8')}{any_digit}|{digit('9')}{rng('0', '1')})")
    century = f"(?:{digit('1')}{digit('9')}|{digit('2')}{digit('0')})"
    not_digit = "[^0-9\uff10-\uff19]"
    return (f"(?:^|{not_digit}){century}?{any_digit}{{2}}{sep}?{month}{sep}?{day}{sep}{{0,3}}{any_digit}{{4}}"
            f"(?:{not_digit}|$)")


def _escape(char: str) -> str:
    if char in "-\\]^/":
        return "\\" + char
    if char in "\t\n\r\f\v" or not char.isprintable():
        return f"\\u{ord(char):04x}"
    return char
