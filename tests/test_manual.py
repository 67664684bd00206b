"""The manual rendered from an instrument, as plain text and Markdown, in Swedish and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskmanual import Instrument, load_instrument, read_instrument
from riskmanual.manual import render_manual

FULL = Path(__file__).parent / "data" / "full.yaml"

LABELS = {
    "sv": ["Ålder", "Tidigare brott", "Våld", "Kriminella kamrater", "Nätverk", "Skolsituation",
           "Prosocial vuxen", "Stadsdel"],
    "en": ["Age", "Prior offences", "Violence", "Criminal peers", "Network", "School situation",
           "Prosocial adult", "District"],
}


@pytest.fixture(scope="module")
def full() -> Instrument:
    return read_instrument(FULL)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_item_label_is_in_the_manual(full: Instrument, lang: str, fmt: str) -> None:
    manual = render_manual(full, lang, fmt)
    for label, item in zip(LABELS[lang], full.items):
        assert f"{label} [{item.id}]" in manual


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_english_manual_has_no_swedish_labels(full: Instrument, fmt: str) -> None:
    manual = render_manual(full, "en", fmt)
    assert "Kriminella kamrater" not in manual and "Testinstrument" not in manual


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_swedish_manual_has_no_english_labels(full: Instrument, fmt: str) -> None:
    manual = render_manual(full, "sv", fmt)
    assert "Criminal peers" not in manual and "Test instrument" not in manual


def test_markdown_headings(full: Instrument) -> None:
    lines = render_manual(full, "en", "markdown").splitlines()
    assert lines[0] == "# Test instrument"
    for heading in ("## Domains and items", "### History", "### Current situation", "#### Peers",
                    "#### School", "### Protective factors", "## Bands", "## References"):
        assert heading in lines


def test_markdown_headings_in_swedish(full: Instrument) -> None:
    lines = render_manual(full, "sv", "markdown").splitlines()
    assert lines[0] == "# Testinstrument"
    for heading in ("## Områden och frågor", "### Historik", "#### Kamrater", "## Nivåer", "## Referenser"):
        assert heading in lines


def test_text_headings_are_underlined(full: Instrument) -> None:
    lines = render_manual(full, "en", "text").splitlines()
    assert lines[:2] == ["Test instrument", "=" * len("Test instrument")]
    index = lines.index("Domains and items")
    assert lines[index + 1] == "-" * len("Domains and items")
    assert not any(line.startswith("#") for line in lines)


def test_text_uses_star_bullets_and_markdown_dash_bullets(full: Instrument) -> None:
    assert "* Answers:" in render_manual(full, "en", "text")
    assert "- Answers:" in render_manual(full, "en", "markdown")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Low (from -1 to under 3 points)", "Moderate (from 3 to under 6 points)", "High (6–11 points)",
                "Recommendation: No SIG."]),
        ("sv", ["Låg (från −1 till under 3 poäng)", "Måttlig (från 3 till under 6 poäng)", "Hög (6–11 poäng)",
                "Rekommendation: Ingen SIG."]),
    ],
)
def test_band_ranges(full: Instrument, lang: str, expected: list[str]) -> None:
    manual = render_manual(full, lang, "text")
    for text in expected:
        assert text in manual


def test_markdown_band_labels_are_bold(full: Instrument) -> None:
    assert "- **Moderate** (from 3 to under 6 points)" in render_manual(full, "en", "markdown")


@pytest.mark.parametrize(("lang", "expected"), [("en", "Applies only when *Criminal peers* is yes"),
                                              ("sv", "Gäller bara om *Kriminella kamrater* är ja")])
def test_condition_of_gang_in_words(full: Instrument, lang: str, expected: str) -> None:
    manual = render_manual(full, lang, "text")
    gang = manual.index("[gang]")
    assert expected in manual[gang:manual.index("[school]")]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Interventions: Mentor (social services); Exit support (police)"),
     ("sv", "Insatser: Mentor (socialtjänsten); Avhopparstöd (polisen)")],
)
def test_interventions_with_agency_names(full: Instrument, lang: str, expected: str) -> None:
    assert expected in render_manual(full, lang, "markdown")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["Moderate [moderate]: 1 point – Some violence.", "High [high]: 2 points – Repeated violence."]),
     ("sv", ["Måttlig [moderate]: 1 poäng – Enstaka våld.", "Hög [high]: 2 poäng – Upprepat våld."])],
)
def test_rating_level_guidance(full: Instrument, lang: str, expected: list[str]) -> None:
    manual = render_manual(full, lang, "text")
    for text in expected:
        assert text in manual


def test_item_guidance_question_sources_and_window(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    for text in ("Question: How many prior offences?", "Definition: Number of convictions.",
                 "Information sources: Police records", "Time window: Lifetime"):
        assert text in manual


def test_numeric_and_derived_bins(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "Age: computed from the birth date" in manual
    assert "under 18 years: 2 points" in manual
    assert "18–21 years: 1 point\n" in manual
    assert "22 or older: 0 points" in manual
    assert "Range: 0–100" in manual
    assert "1–2: 1 point" in manual
    assert "3 or more: 2 points" in manual
    sv = render_manual(full, "sv", "text")
    for text in ("under 18 år: 2 poäng", "18–21 år: 1 poäng", "22 år eller äldre: 0 poäng", "3 eller fler: 2 poäng"):
        assert text in sv


def test_item_tags_mark_kind_stability_and_critical(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "Violence [violence] (risk factor, static, critical item)" in manual
    assert "Prosocial adult [adult] (protective factor, dynamic)" in manual
    assert "District [district] (information, static)" in manual


def test_protective_points_are_shown_subtracted(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "yes [yes]: -1 point" in manual
    assert "ja [yes]: −1 poäng" in render_manual(full, "sv", "text")


def test_no_negative_zero_points(full: Instrument) -> None:
    # A protective "no" worth 0 is subtracted: it must read 0, not -0.
    for lang in ("sv", "en"):
        manual = render_manual(full, lang, "text")
        assert "-0 " not in manual
    assert "no [no]: 0 points" in render_manual(full, "en", "text")


def test_scoring_rules_override_and_probability(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert ("at most 2 missing answers, else the assessment is incomplete; missing answers get the mean points "
            "of the answered items in their domain") in manual
    assert "at most 1 missing answer, else" in manual
    assert "Protective factors are subtracted from the total" in manual
    assert "allowed, direction: up, reason required: yes" in manual
    assert "Target group: Moderate or higher, aged 15-25 (band Moderate or higher and aged 15–25)" in manual
    assert "Probability: logistic model, Synthetic sample" in manual
    sv = render_manual(full, "sv", "text")
    assert "högst 1 saknat svar, annars" in sv and "högst 2 saknade svar, annars" in sv
    assert "Justering av nivån: tillåten, riktning: uppåt, motivering krävs: ja" in sv
    assert "(nivå Måttlig eller högre och ålder 15–25 år)" in sv
    assert "Sannolikhet: logistisk modell, Syntetiskt urval" in sv


def test_metadata_population_and_outcome(full: Instrument) -> None:
    manual = render_manual(full, "sv", "text")
    assert "Version 1.2.0 · Status: aktiv · test-full" in manual
    assert "Kalibrering: okalibrerad." in manual
    assert "Avsett för: 15–25 år. Unga 15–25 år." in manual
    assert "Utfall: Ny misstanke om brott. (24 månader)" in manual
    assert "Licens: CC-BY-4.0" in manual


def test_spj_manual_says_the_assessor_decides() -> None:
    manual = render_manual(load_instrument("example-spj"), "en", "text")
    assert "The assessor's final rating is the result" in manual
    assert "Protective factors form a separate scale" in manual


def test_actuarial_manual_says_override_not_allowed() -> None:
    manual = render_manual(load_instrument("example-actuarial"), "sv", "markdown")
    assert "**Justering av nivån**: inte tillåten" in manual
    assert "omprövning" not in manual


def test_unknown_language_falls_back_to_english(full: Instrument) -> None:
    manual = render_manual(full, "de", "text")
    assert manual.startswith("Test instrument\n")
    assert "Domains and items" in manual


def test_manual_ends_with_one_newline(full: Instrument) -> None:
    manual = render_manual(full, "en", "markdown")
    assert manual.endswith("\n") and not manual.endswith("\n\n")


CRITICAL = Path(__file__).parent / "data" / "critical.yaml"


@pytest.mark.parametrize(("lang", "expected"), [
    ("sv", ["Vapen [weapon] (riskfaktor, statisk, kritisk fråga, obligatorisk)",
            "Kritiskt svar: ja. Följd: bedömaren måste granska bedömningen; nivån blir minst Hög. Skäl: ",
            "Kritiskt från 10 anmälningar. Följd: bedömaren måste granska bedömningen.",
            "0 anmälningar: 0 poäng", "1–2 anmälningar: 1 poäng", "3 eller fler anmälningar: 2 poäng",
            "Svarsintervall: 0–50 anmälningar",
            "Barn- och ungdomspsykiatrisk bedömning (BUP) – gäller bara om *Ålder* är under 18 år",
            "Behov: behoven listas inte", "Behov: behoven listas att överväga", "Ny bedömning inom 6 månader.",
            "Ny bedömning inom 3 månader.", "Beslut: Fördjupad bedömning"]),
    ("en", ["Weapons [weapon] (risk factor, static, critical item, required)",
            "Critical answer: yes. Then: the assessor must review the assessment; the band is at least High.",
            "Critical from 10 reports.", "1–2 reports: 1 point", "3 or more reports: 2 points",
            "– applies only when *Age* is under 18 years", "Reassess within 6 months.",
            "Needs: needs are not listed", "Decision: Full assessment"]),
])
def test_new_fields_in_words(lang: str, expected: list[str]) -> None:
    manual = render_manual(read_instrument(CRITICAL), lang, "text")
    for text in expected:
        assert text in manual, text


def test_an_agency_already_in_the_label_is_not_repeated() -> None:
    manual = render_manual(read_instrument(CRITICAL), "sv", "text")
    assert "(BUP) (BUP)" not in manual


#: Engine words and Python spellings that must not appear in a Swedish manual.
ENGLISH = re.compile(r"\b(active|draft|retired|uncalibrated|calibrated|both|up|down|points?|items?|allowed|"
                     r"reason required|missing|critical|required|static|dynamic|risk factor|protective factor|"
                     r"None|True|False|and|or)\b|\['|\bx\b|≤|<=|\d\.\d")


def _bundled() -> list[str]:
    from riskmanual.registry import list_instruments

    return sorted({f"{e.id}@{e.version}" for e in list_instruments() if e.origin == "bundled"})


@pytest.mark.parametrize("ref", _bundled())
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_no_english_engine_word_in_a_swedish_manual(ref: str, fmt: str) -> None:
    """Every engine word is Swedish; what remains English is the instrument's own plain texts
    (references, a calibration note), ids and codes in brackets."""
    from riskmanual.checks import _texts

    instrument = load_instrument(ref)
    if "sv" not in instrument.languages:
        pytest.skip(f"{ref} has no Swedish")
    manual = render_manual(instrument, "sv", fmt)
    plain = sorted({text for _, text in _texts(instrument, ()) if isinstance(text, str)}, key=len, reverse=True)
    plain += list(instrument.references or []) + [", ".join(instrument.authors), instrument.licence]
    if fmt == "markdown":  # the instrument's own texts are escaped there
        from riskmanual.text import markdown_escape

        plain = [markdown_escape(text) for text in plain] + plain
    found = []
    for line in manual.splitlines():
        if line.startswith(("Version ", "# ", "Författare")) and instrument.version in line + instrument.version:
            line = line.replace(instrument.version, "")
        for text in plain:
            line = line.replace(text, "")
        line = re.sub(r"\[[^\]]*\]", "", line)  # codes: [moderate]
        line = line.replace(instrument.id, "")
        for match in ENGLISH.finditer(line):
            found.append(f"{match.group(0)!r} in {line!r}")
    assert not found, "\n".join(found[:20])
