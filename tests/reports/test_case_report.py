"""The case report's data and its HTML and markdown: what it shows, in which words, and that text
from the case (notes, commitments) can never become markup."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest
from sqlalchemy import select

from riskmanual import load_instrument
from riskmanual.case.assessments import save_assessment
from riskmanual.case.models import AuditEntry
from riskmanual.case.store import open_store
from riskmanual.case.subjects import add_subject
from riskmanual.errors import StoreError
from riskmanual.privacy import looks_like_personnummer
from riskmanual.reports import gather
from riskmanual.reports.chart import bars, domain_chart
from riskmanual.reports.render import _clean, html, markdown, markdown_escape
from riskmanual.reports.words import WORDS, long_date

from . import HOSTILE, NUMBER, TODAY, build_case, example
from ..identities import synthetic


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(str(tmp_path / "cases.sqlite"), key_path=tmp_path / "pseudonym.key", actor="Anna Handläggare")
    yield opened
    opened.close()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_the_report_gathers_the_case_and_reading_it_is_audited_once(store) -> None:
    case = build_case(store)
    with store.transaction() as session:
        before = session.execute(select(AuditEntry.seq)).scalars().all()
    report = gather(store, case.second, lang="sv", fmt="pdf", today=TODAY)
    with store.transaction() as session:
        added = session.execute(select(AuditEntry).where(AuditEntry.seq > max(before))).scalars().all()
    assert [(e.action, e.records, e.subject) for e in added] == [
        ("report.render", {"assessment": case.second, "format": "pdf"}, case.pseudonym)]
    assert report.pseudonym == case.pseudonym and report.age == 17 and report.assessor == "Anna Handläggare"
    assert report.band == "Hög" and report.instrument_sha256 == report.result.instrument.sha256
    assert [c.item for c in report.estimated] == ["mental_health"]
    assert [c.item for c in report.critical] == ["weapons"]
    then = {row.agency: row.status for row in report.consent_then.rows}
    now = {row.agency: row.status for row in report.consent_now.rows}
    assert then["school"] == "valid" and now["school"] == "withdrawn" and now["police"] == "valid"
    assert now["reporting"] == "valid" and now["employment_service"] == "missing"
    assert report.withdrawals == [("guardian_1", "school")]
    [plan] = report.plans
    assert sorted(c.state for c in plan.commitments) == ["agreed", "done", "not_done", "started"]
    assert report.change is not None and report.change.previous_id == case.first
    assert {c.id for c in report.change.better} == {"antisocial_attitudes", "prosocial_adult_bond"}
    assert {c.id for c in report.change.worse} == {"unstructured_leisure"}


def test_unknown_assessment_is_a_store_error(store) -> None:
    build_case(store)
    with pytest.raises(StoreError) as caught:
        gather(store, 999, today=TODAY)
    assert "999" in caught.value.message.render("sv") and "ingen bedömning" in caught.value.message.render("sv")


def test_the_swedish_html_has_the_plain_headings_and_no_personnummer(store) -> None:
    case = build_case(store)
    page = html(gather(store, case.second, lang="sv", today=TODAY))
    for heading in ("Vad bedömningen visar", "Det som talar för att det kan gå bra",
                    "Det här bygger på uppskattningar", "Samtycke", "Åtgärdsplan",
                    "Förändring sedan förra bedömningen", "Samtycke återkallat"):
        assert heading in page
    assert case.pseudonym in page and "17 år" in page and "30 november 2026" in page
    assert "Vårdnadshavare 1 har återkallat samtycket för skolan." in page
    assert "Samtycket för skolan gäller inte i dag" in page  # on the school's open commitment
    assert "Fritidsgården har stängt för renovering till mars." in page  # the reason it was not done
    assert "Första träffen med kontaktpersonen är gjord." in page  # the last follow-up
    assert _digits(NUMBER)[-10:] not in _digits(page.replace(case.pseudonym, "").replace(
        gather(store, case.second, today=TODAY).instrument_sha256, ""))
    assert "omkring 24 poäng" in page and "24.12" not in page  # whole points up front; 24,12 in the appendix
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
    assert not re.search(r"\d,0(?!\d)", text), "a whole number written with ,0"
    for english in ("Band", "points", "Consent", "Action plan", "withdrawn"):
        assert not re.search(rf"\b{english}\b", text), english


def test_the_english_report_uses_the_instruments_english_labels(store) -> None:
    case = build_case(store)
    report = gather(store, case.second, lang="en", today=TODAY)
    assert report.labels_in == "en" and report.band == "High"
    page = html(report)
    assert "What the assessment shows" in page and "Guardian 1 has withdrawn consent for school." in page
    assert "30 November 2026" in page and "24.12 points" in page and "Hög" not in page


def test_hostile_text_is_text_in_html_and_escaped_in_markdown(store) -> None:
    case = build_case(store, hostile=True)
    report = gather(store, case.second, lang="sv", today=TODAY)
    page = html(report)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = markdown(report)
    assert "<script>" not in text and r"\<script\>alert(1)\</script\>" in text
    assert not any(line.lstrip().startswith("#") and "rubrik" in line for line in text.splitlines())
    assert r"\# rubrik" in text and r"\[länk\](http://example.invalid)" in text and "\\|" in text
    assert markdown_escape("a\n# b | [c](d) *e* &lt;") == r"a \# b \| \[c\](d) \*e\* \&lt;"
    # control characters cannot be stored, and would not be printed if an old store held them
    assert markdown_escape("a\x1b[31mb\x07") == r"a \[31mb"
    assert _clean("a\x1b[31mb\x07\tc\nd") == "a[31mb\tc\nd"


def test_a_case_without_a_plan_or_earlier_assessment_says_so(store) -> None:
    alias = add_subject(store, synthetic(dt.date(2006, 3, 2), 455), guardians=0, today=TODAY).pseudonym
    document = {**example("2026-11-30"), "birth_date": "2006-03-02"}
    document["answers"].pop("parental_supervision")  # asked only under 18
    saved, _ = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), document, today=TODAY)
    report = gather(store, saved, lang="sv", today=TODAY)
    page = html(report)
    assert "Det finns ännu ingen åtgärdsplan för den här bedömningen." in page
    assert "Det här är den första bedömningen med det här instrumentet." in page
    assert "Inget samtycke är registrerat: ingen information får lämnas." in page
    assert "Samtycke behövs från: den unge." in page  # 20 years old: only their own consent
    assert "Det finns ännu ingen åtgärdsplan" in markdown(report)


def test_an_incomplete_assessment_says_what_is_missing(store) -> None:
    alias = add_subject(store, synthetic(dt.date(2009, 5, 14), 101), guardians=2, today=TODAY).pseudonym
    document = example("2026-11-30")
    for item in ("criminal_peers", "anger_control", "impulsivity", "attendance", "substance_use", "family_conflict"):
        document["answers"][item] = "unknown"
    saved, result = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), document, today=TODAY)
    assert result.status == "incomplete"
    page = html(gather(store, saved, lang="sv", today=TODAY))
    assert "Bedömningen är inte klar" in page and "ingen nivå" in page
    assert "Okänt: Kamrater som begår brott" in page


def test_the_chart_is_an_svg_in_the_reports_language(store) -> None:
    case = build_case(store)
    report = gather(store, case.second, lang="sv", today=TODAY)
    shown = bars(report.result)
    assert "Skyddsfaktorer" in [b.label for b in shown] and "Riskfaktorer" not in [b.label for b in shown]
    assert "Boende och försörjning" not in [b.label for b in shown]  # can give no points here
    svg = domain_chart(report.result, "sv", axis_label="poäng", title="Poäng per område")
    assert svg is not None and svg.startswith("<svg") and "Brottshistorik" in svg
    # bar labels in whole points (the young person reads them), Swedish minus sign
    assert "1,12" not in svg and "1.12" not in svg and "−12" in svg


def test_every_word_has_swedish_and_english_with_the_same_fields() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, texts in WORDS.items():
        assert texts["sv"].strip() and texts["en"].strip(), key
        assert fields(texts["sv"]) == fields(texts["en"]), key
        assert not looks_like_personnummer(texts["sv"]), key
    assert long_date(dt.date(2026, 12, 3), "sv") == "3 december 2026"
    assert long_date(dt.date(2026, 12, 3), "en") == "3 December 2026"



def test_the_assessors_override_and_an_expired_consent_are_shown(store) -> None:
    from riskmanual.case.subjects import record_consent

    alias = add_subject(store, synthetic(dt.date(2009, 5, 14), 202), guardians=1, today=TODAY).pseudonym
    record_consent(store, alias, kind="record", signatory="young_person", agencies=["police"],
                   date=dt.date(2026, 9, 1), expires=dt.date(2026, 12, 1), today=TODAY)
    record_consent(store, alias, kind="record", signatory="guardian_1", agencies=["police"],
                   date=dt.date(2026, 9, 1), today=TODAY)
    document = example("2026-11-30")
    document["judgement"] = {"band": "moderate", "reason": "Stabilt boende och ny skolplacering sedan oktober."}
    saved, _ = save_assessment(store, alias, load_instrument("sig-assessment@2.0.0"), document, today=TODAY)
    report = gather(store, saved, lang="sv", today=TODAY)
    assert report.band == "Måttlig"
    assert {r.agency: r.status for r in report.consent_now.rows}["police"] == "expired"
    assert {r.agency: r.status for r in report.consent_then.rows}["police"] == "valid"
    page = html(report)
    assert "Bedömaren har justerat nivån från Hög till Måttlig." in page
    assert "Stabilt boende och ny skolplacering sedan oktober." in page
    assert "har gått ut för den unge" in page
    assert "Samtycke återkallat" not in page  # nothing is withdrawn
