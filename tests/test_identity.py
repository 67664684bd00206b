"""Personnummer and samordningsnummer: checked, read for the birth date, never repeated; keyed pseudonyms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskmanual.errors import IdentityError, RiskmanualError
from riskmanual.identity import is_pseudonym, parse_personal_number, pseudonym

from .identities import synthetic

TODAY = dt.date(2026, 12, 2)
KEY = bytes(range(32))
BORN = dt.date(2009, 5, 14)


@pytest.mark.parametrize("text", [
    synthetic(BORN), synthetic(BORN, twelve=False), synthetic(BORN, separator=""),
    synthetic(BORN, twelve=False, separator=""), synthetic(BORN).replace("-", "\u2013"),
    " " + synthetic(BORN).replace("-", " - ") + "\n", synthetic(BORN).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
])
def test_every_spelling_of_one_number_gives_one_person(text: str) -> None:
    number = parse_personal_number(text, today=TODAY)
    assert number.birth_date == BORN and not number.coordination
    assert pseudonym(KEY, number) == pseudonym(KEY, parse_personal_number(synthetic(BORN), today=TODAY))


def test_a_samordningsnummer_has_sixty_added_to_the_day() -> None:
    number = parse_personal_number(synthetic(BORN, coordination=True), today=TODAY)
    assert number.coordination and number.birth_date == BORN
    assert parse_personal_number("701063-2391", today=TODAY).birth_date == dt.date(1970, 10, 3)


def test_the_plus_sign_means_a_hundred_years_or_more() -> None:
    assert parse_personal_number("640823+3234", today=TODAY).birth_date == dt.date(1864, 8, 23)
    assert parse_personal_number("640823-3234", today=TODAY).birth_date == dt.date(1964, 8, 23)


@pytest.mark.parametrize("text, words", [
    ("abc", "write 10 or 12 digits"),
    ("", "write 10 or 12 digits"),
    ("0701234567", "check digit"),  # a phone number
    (synthetic(BORN)[:-1] + str((int(synthetic(BORN)[-1]) + 1) % 10), "check digit"),
    (synthetic(dt.date(2009, 5, 14)).replace("0514", "0231"), "check digit"),
    (synthetic(dt.date(2030, 1, 1)), "in the future"),
    (synthetic(BORN, separator="+"), "has no '+'"),
    ("1" * 4000, "write 10 or 12 digits"),
])
def test_a_wrong_number_is_refused_without_repeating_it(text: str, words: str) -> None:
    with pytest.raises(IdentityError) as caught:
        parse_personal_number(text, today=TODAY)
    assert isinstance(caught.value, RiskmanualError)
    shown = caught.value.render("en") + caught.value.render("sv")
    assert words in caught.value.render("en")
    assert not re.search(r"\d{4}", shown)  # no part of the number comes back


def test_an_impossible_date_with_a_right_check_digit_is_refused() -> None:
    from riskmanual.identity import _luhn

    nine = "090231238"
    with pytest.raises(IdentityError, match="real date"):
        parse_personal_number(f"20{nine[:6]}-{nine[6:]}{_luhn(nine)}", today=TODAY)


def test_a_number_is_never_shown_by_repr() -> None:
    number = parse_personal_number(synthetic(BORN), today=TODAY)
    assert "0514" not in repr(number) and "0514" not in str(number)


def test_pseudonyms_need_the_key() -> None:
    number = parse_personal_number(synthetic(BORN), today=TODAY)
    alias = pseudonym(KEY, number)
    assert is_pseudonym(alias) and alias != pseudonym(bytes(32), number)
    with pytest.raises(ValueError):
        pseudonym(b"short", number)


@given(st.dates(dt.date(1930, 1, 1), dt.date(2025, 12, 31)), st.integers(1, 999), st.booleans(), st.booleans())
def test_any_valid_number_reads_back_its_birth_date(birth: dt.date, serial: int, coordination: bool,
                                                     twelve: bool) -> None:
    number = parse_personal_number(synthetic(birth, serial, coordination=coordination, twelve=twelve), today=TODAY)
    assert number.birth_date == birth and number.coordination == coordination
    assert number.digits == synthetic(birth, serial, coordination=coordination, separator="")
