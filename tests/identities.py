"""Synthetic personnummer for tests: valid check digits, made-up people (never real ones)."""

from __future__ import annotations

import datetime as dt

from riskmanual.identity import _luhn


def synthetic(birth: dt.date, serial: int = 238, *, coordination: bool = False, twelve: bool = True,
              separator: str = "-") -> str:
    """A number with a correct check digit for ``birth`` and ``serial`` (001-999)."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    number = f"{nine[:6]}{separator}{nine[6:]}{_luhn(nine)}"
    return f"{birth.year // 100}{number}" if twelve else number
