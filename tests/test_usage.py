"""click's own words (usage errors, help headings) follow --lang and RISKMANUAL_LANG."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from riskmanual.cli import cli
from riskmanual.usage import SV, SV_PLURAL, install, language_of


def click_messages() -> set[str]:
    """Every literal click passes to ``_()`` in the modules whose words users see on errors and help."""
    found: set[str] = set()
    for name in ("exceptions", "parser", "types", "core", "formatting", "decorators"):
        tree = ast.parse(Path(click.__file__).with_name(f"{name}.py").read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args:
                if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
    return found


# Texts of click's programming errors (a bug in a command's definition) and of prompts the
# program never shows; a user of riskmanual cannot meet them.
NOT_SHOWN = {"Name '{name}' defined twice", "Value must be an iterable.", "Confirm the action without prompting.",
             "Do you want to continue?", "%(prog)s, version %(version)s", "Choice({choices})"}


def test_every_message_click_can_show_has_swedish() -> None:
    missing = sorted(m for m in click_messages() - NOT_SHOWN - set(SV) if not m.startswith(("DeprecationWarning",
                                                                                               "Boolean option",
                                                                                               "Could not determine",
                                                                                               "No options defined",
                                                                                               "Arguments take")))
    assert missing == []


@pytest.mark.parametrize("args, env, expected", [
    (["score"], {}, "Fel: Argument saknas 'INSTRUMENT'."),
    (["score", "--lang", "en"], {}, "Error: Missing argument 'INSTRUMENT'."),
    (["score", "--lang=en"], {}, "Error: Missing argument 'INSTRUMENT'."),
    (["score"], {"RISKMANUAL_LANG": "en"}, "Error: Missing argument 'INSTRUMENT'."),
    (["score", "--lang", "sv"], {"RISKMANUAL_LANG": "en"}, "Fel: Argument saknas 'INSTRUMENT'."),
    (["scor"], {}, "Fel: Kommandot 'scor' finns inte. Menade du 'score'?"),
    (["list", "--bogus"], {}, "Fel: Flaggan '--bogus' finns inte."),
    (["score", "a", "b", "--width", "5"], {}, "Fel: Ogiltigt värde för '--width': 5 ligger inte inom 30<=x<=500."),
    (["score", "a", "b", "--format", "xml"], {}, "Fel: Ogiltigt värde för '--format': 'xml' är inte något av 'json', 'text'."),
    (["score", "a", "b", "c"], {}, "Fel: Oväntat extra argument (c)"),
    (["validate", str(Path(__file__).parent)], {},
     f"Fel: Ogiltigt värde för 'PATHS...': '{Path(__file__).parent}' är en mapp."),
])
def test_usage_errors_follow_the_language(args: list[str], env: dict[str, str], expected: str) -> None:
    result = CliRunner().invoke(cli, args, env={"RISKMANUAL_LANG": None, **env})
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == expected
    usage = result.stderr.splitlines()[0]
    assert usage.startswith("Användning:" if expected.startswith("Fel") else "Usage:")


def test_help_headings_follow_the_language() -> None:
    swedish = CliRunner().invoke(cli, ["--help"], env={"RISKMANUAL_LANG": None})
    english = CliRunner().invoke(cli, ["--help"], env={"RISKMANUAL_LANG": "en"})
    assert "Användning:" in swedish.stdout and "Flaggor:" in swedish.stdout and "Kommandon:" in swedish.stdout
    assert "Usage:" in english.stdout and "Options:" in english.stdout and "Commands:" in english.stdout
    listing = CliRunner().invoke(cli, ["list", "--help", "--lang", "en"], env={"RISKMANUAL_LANG": None})
    assert "Options:" in listing.stdout and "Flaggor:" in CliRunner().invoke(cli, ["list", "--help"]).stdout


def test_a_plural_message_picks_its_form() -> None:
    install("sv")
    try:
        import click.core

        assert click.core.ngettext(*next(iter(SV_PLURAL)), 2) == "Oväntade extra argument ({args})"
    finally:
        install("en")


@pytest.mark.parametrize("args, env, expected", [
    (["--lang", "en"], None, "en"), (["--lang=sv"], "en", "sv"), ([], "en", "en"), ([], None, "sv"),
    ([], "fi", "sv"), (["--", "--lang", "en"], None, "sv"), (["--lang"], "en", "en"),
])
def test_language_of_reads_the_command_line_before_click(args: list[str], env: str | None, expected: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if env is None:
        monkeypatch.delenv("RISKMANUAL_LANG", raising=False)
    else:
        monkeypatch.setenv("RISKMANUAL_LANG", env)
    assert language_of(args, "RISKMANUAL_LANG", "sv", ("sv", "en")) == expected
