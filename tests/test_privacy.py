"""A personnummer is never printed back: not in a message, a value, nor a file name, even when cut."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from riskmanual.cli import cli
from riskmanual.errors import Issue
from riskmanual.privacy import MASK, looks_like_personnummer, mask_personnummer

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
