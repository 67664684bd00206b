"""The explanation leads with what a decision needs: recommendation, critical answers, estimates."""

from __future__ import annotations

import datetime as dt

from riskmanual import explain, read_instrument, score

from .conftest import DATA
from .test_scoring_semantics import TODAY, doc


def _run(lang: str = "sv", **answers):
    inst = read_instrument(DATA / "critical.yaml")
    return score(inst, doc(**answers), lang=lang, today=TODAY)


def test_the_recommendation_follows_the_headline() -> None:
    lines = explain(_run()).splitlines()
    assert lines[0].startswith("Testinstrument för kritiska svar 1.0.0: 3 poäng")
    assert lines[1] == "Rekommendation: Överväg insatser"


def test_critical_answers_come_first_with_their_effect() -> None:
    text = explain(_run(weapon="yes", network="none", peers="low", reports=0))
    head = text.split("Det som bidrar mest:")[0]
    assert "Kritiska svar:" in head
    assert "! Vapen: ja – svaret 'ja' är kritiskt: bedömarens granskning krävs; nivån är minst Hög" in head
    assert "(summans nivå var Låg). Vapen kräver skydd" in head
    assert "Ett kritiskt svar kräver att bedömaren granskar bedömningen" in head


def test_estimates_are_listed_apart_and_the_band_range_is_said() -> None:
    text = explain(_run(network="unknown"))
    main = text.split("Det som bidrar mest:")[1].split("\n\n")[0]
    assert "Koppling till kriminellt nätverk" not in main
    estimated = text.split("Uppskattade svar")[1].split("\n\n")[0]
    assert "+1 p  Koppling till kriminellt nätverk: okänt (uppskattat)" in estimated
    assert ("Nivån vilar på uppskattningar: med svar på den okända frågan kan den bli Låg till Hög. "
            "Beslutet kan ändras när svaren finns.") in text


def test_needs_follow_the_band() -> None:
    assert "Behov att överväga:" in explain(_run())
    assert "Behov att arbeta med:" in explain(_run(weapon="yes"))
    low = explain(_run(network="none", peers="moderate", reports=0))
    assert "Nivån motiverar inga insatser" in low and "Behov att" not in low


def test_the_decision_reads_as_itself() -> None:
    assert "Fördjupad bedömning: JA – " in explain(_run())
    assert "Full assessment: YES - " in explain(_run("en"))
    assert "Målgrupp" not in explain(_run())


def test_domains_are_indented_and_show_both_scales() -> None:
    text = explain(_run("en"))
    assert "\n  Current situation: 2 (risk +2, protective +2) [0–5]\n    Network: 2 [0–5]\n    Support: 0 (protective +2) [0]" in text


def test_information_and_long_notes() -> None:
    inst = read_instrument(DATA / "critical.yaml")
    answers = doc()
    answers["notes"] = {"peers": "ord " * 1_200}
    result = score(inst, answers, lang="en", today=TODAY)
    text = explain(result)
    assert "Information (not scored):\n  Age: 17" in text
    assert "(shortened; the whole note is in the JSON)" in text and len(text) < 3_000
    assert result.model_dump()["contributions"][1]["note"] == answers["notes"]["peers"] or any(
        c.note == answers["notes"]["peers"] for c in result.contributions)


def test_wrapping_keeps_every_line_within_the_width() -> None:
    result = _run(weapon="yes", network="unknown")
    for width in (40, 60, 100):
        assert max(len(line) for line in explain(result, width=width).splitlines()) <= width


def test_show_all_lists_every_factor(tmp_path) -> None:
    inst = read_instrument(DATA.parent.parent / "instruments" / "sig-assessment" / "1.0.0.yaml")
    import json

    answers = json.loads((DATA.parent.parent / "instruments" / "sig-assessment" / "example-answers.json").read_text())
    result = score(inst, answers, lang="en", today=dt.date(2026, 12, 2))
    risks = [c for c in result.contributions if c.kind == "risk" and c.points > 0 and not c.imputed]
    everything = explain(result, show_all=True)
    assert all(c.label in everything for c in risks) and "show all with --all" not in everything
    assert "show all with --all" in explain(result)


def test_the_cli_wraps_and_lists_all() -> None:
    from click.testing import CliRunner

    from riskmanual.cli import cli

    root = DATA.parent.parent
    done = CliRunner().invoke(cli, [
        "score", "sig-assessment@1.0.0", str(root / "instruments" / "sig-assessment" / "example-answers.json"),
        "--format", "text", "--lang", "sv", "--all", "--width", "50"])
    assert done.exit_code == 0, done.output
    assert max(len(line) for line in done.output.splitlines()) <= 50
    assert "visa alla med --all" not in done.output
    assert CliRunner().invoke(cli, ["score", "sig-assessment@1.0.0", "x.json", "--width", "5"]).exit_code == 2
