"""Swedish personal identity numbers (personnummer, samordningsnummer) and keyed pseudonyms.

A subject is identified by a personnummer or samordningsnummer, which is never kept: it is
checked (format, a real date, the Luhn check digit), its birth date is read, and it is turned
into a keyed pseudonym (HMAC-SHA-256 with a secret key). Nothing here does I/O; the key comes
from :mod:`riskmanual.case.keys`. Error messages never repeat the number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from .errors import IdentityError, Issue
from .messages import tr

__all__ = ["PSEUDONYM_PREFIX", "IdentityError", "PersonalNumber", "is_pseudonym", "parse_personal_number", "pseudonym",
           "synthetic_number"]

PSEUDONYM_PREFIX = "p-"
_PSEUDONYM = re.compile(r"^p-[0-9a-f]{32}$")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_FORM = re.compile(r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$")


@dataclass(frozen=True)
class PersonalNumber:
    """A checked number: its 12-digit form (kept only in memory), the birth date and its kind."""

    digits: str
    birth_date: dt.date
    coordination: bool

    def __repr__(self) -> str:  # never print the number, even in a traceback or a debugger
        return f"PersonalNumber(<hidden>, coordination={self.coordination})"

    __str__ = __repr__


def _plain(text: str) -> str:
    """Digits in ASCII, one kind of dash, no spaces: fullwidth digits, an en dash or a non-breaking
    space become ``0-9``, ``-`` and nothing."""
    out = []
    for char in unicodedata.normalize("NFKC", text).strip():
        if char.isspace() or char in "\u200b\u200c\u200d\ufeff":
            continue
        if char in _DASHES:
            out.append("-")
        elif char.isdigit():
            out.append(str(unicodedata.digit(char)))
        else:
            out.append(char)
    return "".join(out)


def _luhn(nine: str) -> int:
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def parse_personal_number(text: str, *, today: dt.date | None = None) -> PersonalNumber:
    """Check ``text`` as a personnummer or samordningsnummer (10 or 12 digits, ``-`` or ``+``).

    A 10-digit number gets its century from the separator (``+`` from the year the person
    turns 100) and ``today``. Raises :class:`IdentityError` with a message that does not
    contain the number.
    """
    today = today or dt.date.today()
    found = _FORM.match(_plain(text))
    if found is None:
        raise _error(tr("not a personnummer or samordningsnummer: write 10 or 12 digits, as YYMMDD-NNNC or "
                        "YYYYMMDD-NNNC"))
    date, serial, check = found["date"], found["serial"], found["check"]
    if _luhn(date + serial) != int(check):
        raise _error(tr("the check digit of the personnummer or samordningsnummer is wrong: check for a typing error"))
    day = int(date[4:6])
    coordination = day > 60
    if coordination:
        day -= 60
    year2, month = int(date[0:2]), int(date[2:4])
    if found["century"]:
        if found["sep"] == "+":
            raise _error(tr("a 12-digit personnummer has no '+': write it without a separator or with '-'"))
        years = [int(found["century"]) * 100 + year2]
    else:
        born_latest = today.year - (100 if found["sep"] == "+" else 0)
        year = born_latest - (born_latest - year2) % 100
        years = [year]
    try:
        birth = dt.date(years[0], month, day)
    except ValueError:
        raise _error(tr("the personnummer or samordningsnummer does not hold a real date of birth")) from None
    if birth > today:
        raise _error(tr("the personnummer or samordningsnummer gives a date of birth in the future"))
    if found["century"] is None and found["sep"] != "+" and (today.year - birth.year) >= 100:
        raise _error(tr("the personnummer or samordningsnummer does not hold a real date of birth"))
    return PersonalNumber(digits=f"{birth.year:04d}{date[2:]}{serial}{check}", birth_date=birth,
                          coordination=coordination)


def synthetic_number(birth: dt.date, serial: int, *, coordination: bool = False, twelve: bool = True,
                     separator: str = "-") -> str:
    """A made-up number with a correct check digit, for tests and demonstrations: it is generated
    when needed, never written down, since any well-formed number may belong to someone."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    number = f"{nine[:6]}{separator}{nine[6:]}{_luhn(nine)}"
    return f"{birth.year // 100}{number}" if twelve else number


def pseudonym(key: bytes, number: PersonalNumber) -> str:
    """The subject's keyed pseudonym: ``p-`` and 32 hex digits of HMAC-SHA-256(key, 12 digits).

    The same number and key always give the same pseudonym; without the key it cannot be
    recomputed from the number (a plain hash of a personnummer can, by trying them all).
    """
    if len(key) < 32:
        raise ValueError("the pseudonym key must be at least 32 bytes")
    return PSEUDONYM_PREFIX + hmac.new(key, number.digits.encode("ascii"), hashlib.sha256).hexdigest()[:32]


def is_pseudonym(text: str) -> bool:
    """Whether ``text`` is a pseudonym this module makes (``p-`` and 32 hex digits)."""
    return bool(_PSEUDONYM.match(text))


def _error(message: object) -> IdentityError:
    return IdentityError(tr("invalid identity number"), [Issue(message, path=("subject",))])  # type: ignore[arg-type]
