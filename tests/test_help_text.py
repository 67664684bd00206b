"""``--help`` describes every command and option in Swedish and English (riskmanual/cli/helptext.py)."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from riskmanual.cli import _Described, cli
from riskmanual.cli.helptext import SV, help_texts, walk
from riskmanual.usage import SV as CLICK_SV

from .conftest import ROOT


def flat(text: str) -> str:
    """The help as one line: click wraps it at the terminal's width."""
    return " ".join(text.split())


def where(path: tuple[str, ...], command: object, text: str) -> str:
    for param in getattr(command, "params", []):
        if getattr(param, "help", None) == text:
            return f"{' '.join(path)} {param.opts[0] if param.opts else param.name}"
    return " ".join(path)


def shown_texts() -> dict[str, str]:
    """Every description the help of some command shows, with where it is shown first."""
    found: dict[str, str] = {}
    for path, command in walk(cli):
        for text in help_texts(command):
            found.setdefault(text, where(path, command, text))
    return found


def test_every_command_describes_itself_in_the_users_language() -> None:
    plain = [" ".join(path) for path, command in walk(cli) if not isinstance(command, _Described)]
    assert plain == [], f"made without riskmanual's command class (use @cli.command() / @cli.group()): {plain}"


def test_every_description_has_swedish() -> None:
    missing = {text: at for text, at in shown_texts().items() if text not in SV and text not in CLICK_SV}
    assert not missing, "help texts without Swedish; add them to SV in riskmanual/cli/helptext.py:\n" + "\n".join(
        f"  {at}: {text!r}" for text, at in sorted(missing.items(), key=lambda pair: pair[1]))


def test_no_stale_swedish() -> None:
    stale = sorted(set(SV) - set(shown_texts()))
    assert stale == [], "entries in riskmanual/cli/helptext.py SV that no help shows (changed or removed):\n" + \
        "\n".join(f"  {text!r}" for text in stale)


CODE = re.compile(r"--[a-z][a-z-]*|\$[A-Z_]+|``[^`]+``|'riskmanual [a-z -]+'|[a-z_]+\.(?:yaml|html|json|sqlite|key)")
ENGLISH = re.compile(r"\b(the|and|with|when|of|to|is|are|this|or|not|only|default|else)\b")


@pytest.mark.parametrize("english", sorted(SV))
def test_the_swedish_keeps_the_codes_and_leaves_no_english(english: str) -> None:
    swedish = SV[english]
    assert swedish.strip() and swedish != english
    assert sorted(CODE.findall(swedish)) == sorted(CODE.findall(english))
    words = CODE.sub(" ", swedish)
    assert ENGLISH.findall(words) == [], swedish


def help_of(args: list[str], lang: str | None) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], env={"RISKMANUAL_LANG": lang})
    assert result.exit_code == 0, result.output
    return flat(result.stdout)


def test_score_help_follows_riskmanual_lang() -> None:
    swedish = help_of(["score"], "sv")
    assert "Poängsätt ANSWERS (en JSON- eller YAML-fil, eller - för standard in)" in swedish
    assert "--batch FIL Poängsätt varje rad i den här tabellen (.csv eller .parquet: en kolumn per fråga)" in swedish
    assert "Text: radbryt vid så här många tecken (standard: terminalens bredd, annars 80). [30<=x<=500]" in swedish
    assert "--format [json|text] [standard: json]" in swedish
    assert "-h, --help Visa den här hjälptexten och avsluta." in swedish
    assert "Score every row" not in swedish and "Language of" not in swedish
    english = help_of(["score"], "en")
    assert "Score ANSWERS (a JSON or YAML file, or - for stdin)" in english
    assert "--batch FILE Score every row of this table (.csv or .parquet: one column per item)" in english
    assert "Text: wrap to this many columns (default: the terminal's width, else 80). [30<=x<=500]" in english
    assert "--format [json|text] [default: json]" in english
    assert "-h, --help Show this message and exit." in english
    assert "Poängsätt" not in english
    assert help_of(["score"], None) == swedish  # Swedish by default


@pytest.mark.parametrize("args, env, swedish", [
    (["list", "--lang", "sv"], "en", True), (["list", "--lang=en"], "sv", False),
    (["schema", "answers", "--lang", "sv"], "en", True), (["validate", "--lang", "en"], None, False),
])
def test_lang_chooses_the_language_of_the_help(args: list[str], env: str | None, swedish: bool) -> None:
    text = help_of(args, env)
    lang_help = ("Språk för etiketter, texter och felmeddelanden" if swedish
                 else "Language of labels, text and error messages")
    assert lang_help in text
    assert ("Flaggor:" in text) is swedish


def test_command_lists_show_the_short_help_in_the_language() -> None:
    swedish = help_of([], "sv")
    assert "Strukturerade manualer för riskbedömning" in swedish
    assert "--version Visa versionen och avsluta." in swedish
    assert "list Lista de instrument som följer med" in swedish and "score Poängsätt ANSWERS" in swedish
    english = help_of([], "en")
    assert "list List bundled instruments" in english and "--version Show the version and exit." in english
    plan = help_of(["plan"], "sv")
    assert "commit Fastställ PLAN som överenskommen" in plan and "draft Gör ett utkast" in plan
    assert "consent record Registrera att en undertecknare" not in plan


def test_every_command_shows_its_help_in_both_languages() -> None:
    for path, command in walk(cli):
        for lang in ("sv", "en"):
            text = "".join(help_of(list(path[1:]), lang).split())  # click may wrap after a hyphen
            catalogue = {text_: SV.get(text_) or CLICK_SV.get(text_) for text_ in help_texts(command)
                         if not command.short_help or text_ != inspect.cleandoc(command.short_help)}  # lists only
            for english, swedish in catalogue.items():
                assert "".join((swedish if lang == "sv" else english).split()) in text, (path, lang, english)


def test_the_english_stays_in_the_commands() -> None:
    before = {" ".join(path): list(help_texts(command)) for path, command in walk(cli)}
    help_of(["score"], "sv")
    help_of([], "sv")
    help_of(["plan", "edit"], "sv")
    assert {" ".join(path): list(help_texts(command)) for path, command in walk(cli)} == before
    assert cli.commands["score"].help.startswith("Score ANSWERS")


def test_scoring_never_loads_the_help_texts() -> None:
    code = (
        "import json, sys\n"
        "from riskmanual.cli import cli\n"
        "try:\n"
        "    cli(['score', 'example-actuarial', 'instruments/example-actuarial/example-answers.json',"
        " '--format', 'text', '--lang', 'sv'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.endswith('helptext'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_placeholders_and_numbers_are_swedish_in_swedish_help() -> None:
    english_words = re.compile(r"\b(FILE|DIRECTORY|PATH|INTEGER|FLOAT|RANGE|OPTIONS|COMMAND|ARGS|COLUMN|ITEM|DAYS|"
                               r"DRAFT|REASON|YYYY)\b")
    for path, _ in walk(cli):
        swedish = help_of(list(path[1:]), "sv")
        assert not english_words.findall(swedish), (path, english_words.findall(swedish))
        for extra in re.findall(r"\[(?:standard|[-\d]|x)[^\[\]]*\]", swedish):
            assert not re.search(r"\d\.\d|(?<![\w-])-\d", extra), (path, extra)
    simulate = " ".join(help_of(["simulate"], "sv").split())
    assert "--base-rate TAL" in simulate and "[standard: 0,3; 0<x<1]" in simulate
    assert "[standard: 0,35; −50<=x<=50]" in simulate
    score_help = help_of(["score"], "sv")
    assert "score [FLAGGOR] INSTRUMENT [ANSWERS]" in score_help
    assert "--column FRÅGA=KOLUMN" in score_help and "--batch FIL" in score_help
    english = " ".join(help_of(["simulate"], "en").split())
    assert "--base-rate FLOAT RANGE" in english and "[default: 0.3; 0<x<1]" in english
    assert "[OPTIONS]" in help_of(["score"], "en")


def test_a_usage_error_shows_the_usage_line_in_the_language() -> None:
    swedish = CliRunner().invoke(cli, ["--nope"], env={"RISKMANUAL_LANG": "sv"})
    assert swedish.exit_code == 2 and "[FLAGGOR] KOMMANDO [ARGUMENT]..." in swedish.output
    english = CliRunner().invoke(cli, ["--nope"], env={"RISKMANUAL_LANG": "en"})
    assert "[OPTIONS] COMMAND [ARGS]..." in english.output
