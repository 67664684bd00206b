"""A personnummer is never printed back: not in a message, a value, nor a file name, even when cut."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from riskmanual.cli import cli
from riskmanual.errors import Issue
from riskmanual.privacy import MASK, looks_like_personnummer, mask_personnummer, schema_pattern

NUMBER = "19900101-1234"  # the shape only; no check digit is needed to be hidden


def test_masking_the_plain_spellings() -> None:
    for text in ("19900101-1234", "900101-1234", "900101+1234", "9001011234", "199001011234", "900101 1234"):
        assert looks_like_personnummer(f"ringde {text} i går")
        assert mask_personnummer(f"ringde {text} i går") == f"ringde {MASK} i går"


def test_a_long_value_is_masked_before_it_is_cut() -> None:
    value = "x" * 70 + NUMBER + "y" * 50
    shown = Issue("bad", path=("case",), value=value).render("en")
    assert "1990" not in shown and "0101" not in shown and "1234" not in shown


def test_a_file_name_holding_a_number_is_masked(tmp_path: Path) -> None:
    path = tmp_path / f"{NUMBER}.json"
    path.write_text("{not json", "utf-8")
    issue = Issue("bad", file=str(path), line=1, column=1)
    assert NUMBER not in issue.render("en") and MASK in issue.render("en")
    assert NUMBER not in str(issue.as_dict("en"))
    result = CliRunner().invoke(cli, ["score", "sig-screening", str(path), "--lang", "en"])
    assert result.exit_code == 1 and NUMBER not in result.output and MASK in result.output


# Every spelling found in the adversarial run: dashes, spaces and invisible characters of word
# processors, separators inside the date, fullwidth and other digits, samordningsnummer.
SPELLINGS = [
    "900101\u20131234", "900101\u20141234", "900101\u20111234", "900101\u22121234", "900101\u00a01234",
    "900101\u202f1234", "900101\u200b1234", "900101\t1234", "900101\n1234", "900101 - 1234", "900101--1234",
    "900101_1234", "900101.1234", "900101/1234", "1990-01-01-1234", "9001 01-1234", "19900101\u20131234",
    "\uff19\uff10\uff10\uff11\uff10\uff11\uff0d\uff11\uff12\uff13\uff14", "\u0669\u0660\u0660\u0661\u0660\u0661-1234",
    "900161-1234", "19900191 1234",
]


def test_masking_every_spelling() -> None:
    for text in SPELLINGS:
        assert looks_like_personnummer(f"ringde {text} i går"), repr(text)
        assert mask_personnummer(f"ringde {text} i går") == f"ringde {MASK} i går", repr(text)


def test_other_numbers_pass() -> None:
    for text in ("2026-11-30", "kl. 14.30", "ärende 2026/1234", "1234567890", "991399-1234", "900100-1234",
                 "900132-1234", "9001011234567", "tel 08-123 45 67", "version 2.0.0"):
        assert not looks_like_personnummer(text), text


def test_a_phone_number_is_refused_with_honest_words() -> None:
    from riskmanual.case.subjects import check_text
    from riskmanual.errors import StoreError

    try:
        check_text("ring 0701234567", "note")
    except StoreError as error:
        words = error.issues[0].render("sv")
        assert "telefonnummer" in words and "personnummer" in words
    else:  # pragma: no cover - the test fails
        raise AssertionError("a phone number shaped like a personnummer was accepted")


_PART = st.sampled_from(["9", "0", "1", "2", "3", "6", "\uff11", "\uff10", "\uff19", "-", " ", "\u2013", "\u00a0",
                         "\u200b", "+", "_", ".", "/", "\n", "a", "Å", ":"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PART, min_size=8, max_size=20).map("".join))
def test_the_schema_pattern_agrees_with_the_engine(text: str) -> None:
    """The answers schema's pattern (ASCII and fullwidth digits) refuses exactly what the engine does."""
    assert bool(re.search(schema_pattern(), text)) == looks_like_personnummer(text), repr(text)


def test_the_schema_pattern_finds_the_spellings() -> None:
    pattern = re.compile(schema_pattern())
    for text in SPELLINGS:
        if "\u0669" not in text:  # Arabic-Indic digits: only the engine folds them (NOT_EXPRESSIBLE)
            assert pattern.search(f"x {text} y"), repr(text)


# --- no spelling of a number survives in any output ---------------------------------------

_DASHES = ["-", "\u2013", "\u2014", "\u2011", "\u2212", " ", "\u00a0", "\u202f", "\u200b", "_", ".", "/", "+", " - ",
           "--", "\t", "\n", "\r", "\x0b"]


@st.composite
def spellings(draw):
    """A made-up number in a spelling people or word processors produce, and its ten digits."""
    import datetime as dt

    from riskmanual.identity import synthetic_number

    birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2012, 12, 31)))
    plain = synthetic_number(birth, draw(st.integers(1, 999)), coordination=draw(st.booleans()), twelve=True,
                             separator="")
    century, digits = plain[:2], plain[2:]
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    inside = draw(st.sampled_from(["", "", "-", " ", "\u2013"]))
    text = (century if draw(st.booleans()) else "") + inside.join(parts[:3]) + draw(st.sampled_from(_DASHES + [""])) \
        + parts[3]
    if draw(st.booleans()):
        text = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in text)
    return text, digits


def _leaks(output: str, digits: str) -> bool:
    from riskmanual.privacy import _fold

    folded = re.sub(r"[^0-9]", "", _fold(output))
    return digits in folded


@settings(max_examples=60, deadline=None)
@given(spelling=spellings(), place=st.sampled_from(["case", "assessor", "note", "key", "value", "file", "instrument"]))
def test_no_spelling_survives_in_any_output(tmp_path_factory, spelling, place) -> None:
    import json

    text, digits = spelling
    folder = tmp_path_factory.mktemp("leak")
    document = json.loads((Path(__file__).parent.parent / "instruments" / "sig-screening"
                           / "example-answers-2.0.0.json").read_text("utf-8"))
    name = "answers.json"
    instrument = "sig-screening"
    if place in ("case", "assessor"):
        document[place] = f"ärende {text}"
    elif place == "note":
        document.setdefault("notes", {})["violence_or_weapons"] = f"ringde {text} i går"
    elif place == "key":
        document["answers"][f"x {text}"] = "yes"
    elif place == "value":
        document["answers"]["violence_or_weapons"] = f"pnr {text}"
    elif place == "file":
        name = f"{text.replace('/', '-')}.json"
    else:
        instrument = text
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    for fmt in ("json", "text"):
        result = CliRunner().invoke(cli, ["score", instrument, str(path), "--format", fmt, "--lang", "sv"])
        assert not _leaks(result.output, digits), (place, text, result.output[-400:])


@settings(max_examples=40, deadline=None)
@given(spelling=spellings(), args=st.sampled_from([
    ["score", "sig-screening", "a.json", "--format", "{x}"],
    ["score", "sig-screening", "a.json", "--format", "x {x}\x1b]0;title\x07"],
    ["calibrate", "sig-screening", "a.csv", "--outcome", "y", "--select", "{x}"],
    ["calibrate", "sig-screening", "a.csv", "--outcome", "y", "--method", "{x}"],
    ["case", "--lang", "sv", "{x}"],
]))
def test_no_spelling_survives_in_a_usage_error(spelling, args) -> None:
    """click quotes a wrong flag value back (with repr, a tab as backslash-t): masked all the same,
    and no control character reaches the terminal raw."""
    text, digits = spelling
    words = [a.replace("{x}", text) for a in args]
    result = CliRunner().invoke(cli, words)
    assert result.exit_code == 2, result.output
    assert not _leaks(result.output, digits), (words, result.output[-400:])
    assert "\x1b" not in result.output and "\x07" not in result.output
