"""Synthetic personnummer for tests: generated at run time, valid check digits, made-up people."""

from __future__ import annotations

import datetime as dt

from riskmanual.identity import synthetic_number


def synthetic(birth: dt.date, serial: int = 238, *, coordination: bool = False, twelve: bool = True,
              separator: str = "-") -> str:
    """A number with a correct check digit for ``birth`` and ``serial`` (001-999)."""
    return synthetic_number(birth, serial, coordination=coordination, twelve=twelve, separator=separator)
