"""Swedish and English number style (riskmanual/numbers.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskmanual.instrument import Unit
from riskmanual.numbers import NBSP, count, number, percent, plural, points, quantity, signed, span, unit_word


def test_decimal_comma_and_whole_numbers():
    assert number(6.5, "sv") == "6,5"
    assert number(6.5, "en") == "6.5"
    assert number(2.0, "sv") == "2"
    assert number(2.0, "en") == "2"
    assert number(6.666666, "sv") == "6,67"
    assert number(0.1 + 0.2, "sv") == "0,3"
    assert number(1.25, "sv", decimals=1) in ("1,2", "1,3")


def test_minus_sign_and_no_negative_zero():
    assert number(-3, "sv") == "\u22123"
    assert number(-3, "en") == "-3"
    assert number(-0.001, "sv") == "0"
    assert number(-1.5, "sv") == "\u22121,5"


def test_thousands():
    assert number(1000, "sv") == "1000"
    assert number(10000, "sv") == f"10{NBSP}000"
    assert number(1234567.5, "sv") == f"1{NBSP}234{NBSP}567,5"
    assert number(10000, "en") == "10,000"
    assert number(1000, "en") == "1,000"


def test_signed():
    assert signed(2, "sv") == "+2"
    assert signed(-1.5, "sv") == "\u22121,5"
    assert signed(-1.5, "en") == "-1.5"
    assert signed(0, "sv") == "0"
    assert signed(0.5, "en") == "+0.5"


def test_span():
    assert span(15, 25, "sv") == "15\u201325"
    assert span(15, 25, "en") == "15\u201325"
    assert span(-10, 43, "sv") == "\u221210 till 43"
    assert span(-10, 43, "en") == "-10 to 43"
    assert span(1.5, 2.5, "sv") == "1,5\u20132,5"
    assert span(3, 3, "sv") == "3"


def test_plural_and_points():
    assert plural(1, "anmälan", "anmälningar") == "anmälan"
    assert plural(3, "anmälan", "anmälningar") == "anmälningar"
    assert plural(0, "anmälan", "anmälningar") == "anmälningar"
    assert plural(1.5, "timme", "timmar") == "timmar"
    assert points(1, "sv") == "1 poäng"
    assert points(2.0, "sv") == "2 poäng"
    assert points(6.5, "sv") == "6,5 poäng"
    assert points(1, "en") == "1 point"
    assert points(2, "en") == "2 points"
    assert points(1.0, "en") == "1 point"
    assert points(2, "sv", sign=True) == "+2 poäng"
    assert count(1, "fråga", "frågor", "sv") == "1 fråga"
    assert count(3, "fråga", "frågor", "sv") == "3 frågor"


def test_units():
    unit = Unit(singular={"sv": "anmälan", "en": "report"}, plural={"sv": "anmälningar", "en": "reports"})
    assert quantity(1, unit, "sv") == "1 anmälan"
    assert quantity(3, unit, "sv") == "3 anmälningar"
    assert quantity(1, unit, "en") == "1 report"
    assert quantity(4, unit, "en") == "4 reports"
    assert quantity(2, {"sv": "år", "en": "years"}, "sv") == "2 år"
    assert quantity(2, "km", "en") == "2 km"
    assert quantity(2, None, "en") == "2"
    assert unit_word({"singular": "dag", "plural": "dagar"}, 2, "sv") == "dagar"


def test_percent():
    assert percent(0.37, "sv") == f"37{NBSP}%"
    assert percent(0.37, "en") == "37%"
    assert percent(0.125, "sv", decimals=1) == f"12,5{NBSP}%"
    assert percent(0.001, "sv") == f"<1{NBSP}%"
    assert percent(0, "sv") == f"0{NBSP}%"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_swedish_never_has_a_decimal_point_or_hyphen(x):
    text = number(x, "sv")
    assert "." not in text and "-" not in text
    assert not text.endswith(",0")
    back = float(text.replace(NBSP, "").replace(",", ".").replace("\u2212", "-"))
    assert abs(back - x) <= 0.005 + 1e-9 * abs(x)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_english_parses_back(x):
    text = number(x, "en")
    assert abs(float(text.replace(",", "")) - x) <= 0.005 + 1e-9 * abs(x)
