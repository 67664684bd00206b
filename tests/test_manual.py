"""The manual rendered from an instrument, as plain text and Markdown, in Swedish and English."""

from __future__ import annotations

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
        ("en", ["Low (-1 ≤ total < 3)", "Moderate (3 ≤ total < 6)", "High (6 ≤ total ≤ 11)", "No SIG."]),
        ("sv", ["Låg (-1 ≤ total < 3)", "Måttlig (3 ≤ total < 6)", "Hög (6 ≤ total ≤ 11)", "Ingen SIG."]),
    ],
)
def test_band_ranges(full: Instrument, lang: str, expected: list[str]) -> None:
    manual = render_manual(full, lang, "text")
    for text in expected:
        assert text in manual


def test_markdown_band_labels_are_bold(full: Instrument) -> None:
    assert "- **Moderate** (3 ≤ total < 6)" in render_manual(full, "en", "markdown")


@pytest.mark.parametrize(("lang", "prefix"), [("en", "Applies only when"), ("sv", "Gäller bara om")])
def test_condition_of_gang(full: Instrument, lang: str, prefix: str) -> None:
    manual = render_manual(full, lang, "text")
    gang = manual.index("[gang]")
    assert f"{prefix}: peers = yes" in manual[gang:manual.index("[school]")]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Interventions: Mentor (social services); Exit support (police)"),
     ("sv", "Insatser: Mentor (socialtjänsten); Avhopparstöd (polisen)")],
)
def test_interventions_with_agency_names(full: Instrument, lang: str, expected: str) -> None:
    assert expected in render_manual(full, lang, "markdown")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["Moderate [moderate]: 1 points – Some violence.", "High [high]: 2 points – Repeated violence."]),
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
    assert "age: computed from the birth date" in manual
    assert "… ≤ x < 18: 2 points" in manual
    assert "0-100" in manual
    assert "3 ≤ x …: 2 points" in manual


def test_item_tags_mark_kind_stability_and_critical(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "Violence [violence] (risk factor, static, critical item)" in manual
    assert "Prosocial adult [adult] (protective factor, dynamic)" in manual
    assert "District [district] (information, static)" in manual


def test_protective_points_are_shown_subtracted(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "yes [yes]: -1 points" in manual


def test_no_negative_zero_points(full: Instrument) -> None:
    # A protective "no" worth 0 is subtracted: it must read 0, not -0.
    for lang in ("sv", "en"):
        manual = render_manual(full, lang, "text")
        assert "-0 " not in manual
    assert "no [no]: 0 points" in render_manual(full, "en", "text")


def test_scoring_rules_override_and_probability(full: Instrument) -> None:
    manual = render_manual(full, "en", "text")
    assert "at most 2 missing answers, else incomplete; missing answers are prorated" in manual
    assert "protective factors are subtracted from the total" in manual
    assert "allowed, direction: up, reason required: yes" in manual
    assert "Target group: Moderate or higher, aged 15-25" in manual
    assert "Probability: logistic, Synthetic sample" in manual


def test_metadata_population_and_outcome(full: Instrument) -> None:
    manual = render_manual(full, "sv", "text")
    assert "Version 1.2.0 · Status: active · test-full" in manual
    assert "Målgrupp: 15-25 år. Unga 15–25 år." in manual
    assert "Utfall: Ny misstanke om brott. (24 månader)" in manual
    assert "Licens: CC-BY-4.0" in manual


def test_spj_manual_says_the_assessor_decides() -> None:
    manual = render_manual(load_instrument("example-spj"), "en", "text")
    assert "The assessor's final rating is the result" in manual
    assert "protective factors form a separate scale" in manual


def test_actuarial_manual_says_override_not_allowed() -> None:
    manual = render_manual(load_instrument("example-actuarial"), "sv", "markdown")
    assert "**Bedömarens omprövning**: inte tillåten" in manual


def test_unknown_language_falls_back_to_english(full: Instrument) -> None:
    manual = render_manual(full, "de", "text")
    assert manual.startswith("Test instrument\n")
    assert "Domains and items" in manual


def test_manual_ends_with_one_newline(full: Instrument) -> None:
    manual = render_manual(full, "en", "markdown")
    assert manual.endswith("\n") and not manual.endswith("\n\n")
