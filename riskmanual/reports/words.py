"""The case report's fixed words in Swedish and English, and its dates in running-text style.

Swedish first, in plain language a young person and the guardians can follow (the register of
Swedish social services: den unge, vårdnadshavare, samtycke, insats, åtgärdsplan). Pure.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["WORDS", "long_date", "words"]

WORDS: dict[str, dict[str, str]] = {
    "title": {"sv": "Bedömning inför sociala insatsgrupper (SIG)",
              "en": "Assessment for a social intervention group (SIG)"},
    "subtitle": {"sv": "Underlag för akten och för mötet med den unge och vårdnadshavarna",
                 "en": "For the case file and the meeting with the young person and the guardians"},
    "young_person": {"sv": "Den unge", "en": "The young person"},
    "age": {"sv": "Ålder", "en": "Age"},
    "years": {"sv": "år", "en": "years"},
    "age_unknown": {"sv": "okänd", "en": "unknown"},
    "assessment": {"sv": "Bedömning", "en": "Assessment"},
    "date": {"sv": "Datum", "en": "Date"},
    "assessor": {"sv": "Bedömare", "en": "Assessor"},
    "instrument": {"sv": "Instrument", "en": "Instrument"},
    "version": {"sv": "version", "en": "version"},
    "hash": {"sv": "Kontrollsumma (SHA-256)", "en": "Checksum (SHA-256)"},
    "made": {"sv": "Rapporten skapad", "en": "Report made"},
    "corrects": {"sv": "Rättar bedömning", "en": "Corrects assessment"},
    "age_override": {"sv": "Sparad trots att åldern ligger utanför instrumentets målgrupp. Skäl:",
                     "en": "Saved although the age is outside the instrument's population. Reason:"},
    "page": {"sv": "Sida", "en": "Page"},
    "of": {"sv": "av", "en": "of"},
    # withdrawals
    "withdrawn_heading": {"sv": "Samtycke återkallat", "en": "Consent withdrawn"},
    "withdrawn_line": {"sv": "{who} har återkallat samtycket för {agency}.",
                       "en": "{who} has withdrawn consent for {agency}."},
    "withdrawn_rule": {"sv": "Ingen information får lämnas till dem som samtycket är återkallat för.",
                       "en": "Nothing may be shared with those for whom consent is withdrawn."},
    "withdrawn_reporting": {"sv": "Ärendet får inte användas i avidentifierad uppföljning och utvärdering.",
                            "en": "The case may not be used in pseudonymised follow-up and evaluation."},
    # the result
    "shows": {"sv": "Vad bedömningen visar", "en": "What the assessment shows"},
    "level": {"sv": "Nivå", "en": "Band"},
    "points_total": {"sv": "Poäng", "en": "Points"},
    "points_of": {"sv": "{total} poäng, där det möjliga är {minimum} till {maximum}",
                  "en": "{total} points, out of a possible {minimum} to {maximum}"},
    "points_estimated": {"sv": "varav {points} är uppskattade", "en": "of which {points} are estimates"},
    "about": {"sv": "omkring", "en": "about"},
    "no_level": {"sv": "ingen nivå", "en": "no band"},
    "incomplete": {"sv": "Bedömningen är inte klar", "en": "The assessment is not complete"},
    "incomplete_text": {"sv": "För många frågor saknar svar för att bedömningen ska få en nivå. Det som saknas:",
                        "en": "Too many items are unanswered for the assessment to get a band. What is missing:"},
    "recommendation": {"sv": "Vad nivån betyder", "en": "What the band means"},
    "target_group": {"sv": "Målgruppen", "en": "Target group"},
    "tg_yes": {"sv": "ja", "en": "yes"},
    "tg_no": {"sv": "nej", "en": "no"},
    "tg_unknown": {"sv": "kan inte avgöras", "en": "cannot be decided"},
    "critical": {"sv": "Svar som kräver särskild uppmärksamhet", "en": "Answers that need particular attention"},
    "critical_review": {"sv": "Bedömaren ska granska bedömningen innan något beslut fattas.",
                        "en": "The assessor reviews the assessment before any decision."},
    "raised": {"sv": "Det här svaret höjde nivån från {band}.", "en": "This answer raised the band from {band}."},
    "judgement": {"sv": "Bedömarens egen nivå", "en": "The assessor's own band"},
    "judgement_override": {"sv": "Bedömaren har justerat nivån från {computed} till {band}.",
                           "en": "The assessor has changed the band from {computed} to {band}."},
    "judgement_same": {"sv": "Bedömaren har bekräftat nivån {band}.",
                       "en": "The assessor has confirmed the band {band}."},
    "judgement_final": {"sv": "Bedömarens slutliga nivå är {band}.", "en": "The assessor's final band is {band}."},
    "reason": {"sv": "Skäl", "en": "Reason"},
    "no_reason": {"sv": "inget skäl angivet", "en": "no reason given"},
    "no_judgement": {"sv": "Bedömaren har inte ändrat den beräknade nivån.",
                     "en": "The assessor has not changed the computed band."},
    "not_calibrated": {"sv": "Poängen i instrumentet är inte prövade mot hur det faktiskt har gått för unga.",
                       "en": "The instrument's points are not checked against what actually happened to young people."},
    # the chart and the factors
    "chart": {"sv": "Poäng per område", "en": "Points by domain"},
    "chart_text": {"sv": "Staplarna åt höger ökar risken, staplarna åt vänster (skyddsfaktorer) minskar den. "
                           "Den ljusgrå delen visar hur många poäng området kan ge som mest.",
                   "en": "Bars to the right add to the risk; bars to the left (protective factors) lower it. "
                         "The light grey part shows the most points the domain can give."},
    "chart_axis": {"sv": "poäng", "en": "points"},
    "chart_none": {"sv": "Inga områden att visa.", "en": "No domains to show."},
    "main": {"sv": "Det som väger tyngst", "en": "What weighs most"},
    "main_rest": {"sv": "… och {n} faktorer till som tillsammans ger {points} poäng (alla finns i bilagan).",
                  "en": "… and {n} more factors that together add {points} points (all are in the appendix)."},
    "main_none": {"sv": "Inga riskfaktorer ger poäng.", "en": "No risk factor adds points."},
    "protective": {"sv": "Det som talar för att det kan gå bra", "en": "What speaks for things going well"},
    "protective_none": {"sv": "Inga skyddsfaktorer är markerade i bedömningen.",
                        "en": "No protective factor is marked in the assessment."},
    "estimates": {"sv": "Det här bygger på uppskattningar", "en": "What rests on estimates"},
    "estimates_text": {"sv": "Några frågor har inte kunnat besvaras. De har fått en uppskattad poäng som räknas "
                               "med i summan, men som inte bygger på ett svar.",
                       "en": "Some items could not be answered. They were given an estimated score that counts in the "
                             "total but does not rest on an answer."},
    "estimates_none": {"sv": "Alla frågor som ger poäng är besvarade; inget bygger på uppskattningar.",
                       "en": "Every scored item is answered; nothing rests on estimates."},
    "unknown_items": {"sv": "Okänt", "en": "Unknown"},
    "missing_items": {"sv": "Saknar svar", "en": "Not answered"},
    "na_items": {"sv": "Gäller inte", "en": "Does not apply"},
    "points_short": {"sv": "p", "en": "pt"},
    "note": {"sv": "Anteckning", "en": "Note"},
    # consent
    "consent": {"sv": "Samtycke", "en": "Consent"},
    "consent_text": {"sv": "Information får bara lämnas mellan aktörerna när samtycke finns från den unge och, "
                             "så länge den unge är under 18 år, från varje vårdnadshavare.",
                     "en": "Information may be shared between the agencies only with the consent of the young person "
                           "and, while the young person is under 18, of each guardian."},
    "agency": {"sv": "Aktör", "en": "Agency"},
    "on_assessment": {"sv": "På bedömningsdagen ({date})", "en": "On the assessment date ({date})"},
    "today": {"sv": "I dag ({date})", "en": "Today ({date})"},
    "consent_valid": {"sv": "samtycke finns", "en": "consent given"},
    "consent_missing": {"sv": "saknas från {who}", "en": "missing from {who}"},
    "consent_withdrawn": {"sv": "återkallat av {who}", "en": "withdrawn by {who}"},
    "consent_expired": {"sv": "har gått ut för {who}", "en": "expired for {who}"},
    "consent_none": {"sv": "Inget samtycke är registrerat: ingen information får lämnas.",
                     "en": "No consent is recorded: nothing may be shared."},
    "consent_absent": {"sv": "Inget samtycke finns för:", "en": "No consent for:"},
    "consent_lacking_now": {"sv": "Samtycket för {agency} gäller inte i dag: ingen information får lämnas dit.",
                            "en": "Consent for {agency} does not hold today: nothing may be shared with them."},
    "required": {"sv": "Samtycke behövs från: {who}.", "en": "Consent is needed from: {who}."},
    # the plan
    "plan": {"sv": "Åtgärdsplan", "en": "Action plan"},
    "plan_none": {"sv": "Det finns ännu ingen åtgärdsplan för den här bedömningen.",
                  "en": "There is no action plan for this assessment yet."},
    "plan_draft": {"sv": "Utkast från {date}: planen är inte överenskommen än.",
                   "en": "Draft of {date}: the plan is not agreed yet."},
    "plan_committed": {"sv": "Planen fastställdes {date}.", "en": "The plan was agreed on {date}."},
    "plan_number": {"sv": "Plan {id}", "en": "Plan {id}"},
    "goals": {"sv": "Den unges egna mål", "en": "The young person's own goals"},
    "goals_none": {"sv": "Den unges egna mål är inte skrivna i planen än.",
                   "en": "The young person's own goals are not written into the plan yet."},
    "commitments_none": {"sv": "Planen har inga åtaganden än.", "en": "The plan has no commitments yet."},
    "contact": {"sv": "Kontaktperson", "en": "Contact"},
    "action": {"sv": "Vad som görs", "en": "What is done"},
    "goal": {"sv": "Mål", "en": "Goal"},
    "need": {"sv": "Behov", "en": "Need"},
    "start": {"sv": "Start", "en": "Start"},
    "follow_up": {"sv": "Följs upp", "en": "Follow-up"},
    "state": {"sv": "Läge", "en": "State"},
    "state_reason": {"sv": "Varför", "en": "Why"},
    "last_follow_up": {"sv": "Senaste uppföljningen", "en": "Last follow-up"},
    "not_given": {"sv": "inte angivet", "en": "not given"},
    # change
    "change": {"sv": "Förändring sedan förra bedömningen", "en": "Change since the previous assessment"},
    "change_none": {"sv": "Det här är den första bedömningen med det här instrumentet.",
                    "en": "This is the first assessment with this instrument."},
    "change_from": {"sv": "Förra bedömningen gjordes {date}: {total} poäng, nivå {band}. "
                          "Nu: {now} poäng, nivå {band_now}.",
                    "en": "The previous assessment was made on {date}: {total} points, band {band}. Now: {now} points, "
                          "band {band_now}."},
    "change_version": {"sv": "Förra bedömningen gjordes med en annan version av instrumentet ({version}); frågorna "
                               "jämförs ändå fråga för fråga.",
                       "en": "The previous assessment used another version of the instrument ({version}); the items "
                             "are still compared one by one."},
    "better": {"sv": "Det som har blivit bättre", "en": "What has improved"},
    "worse": {"sv": "Det som har blivit svårare", "en": "What has become harder"},
    "domains_changed": {"sv": "Områden som har ändrats", "en": "Domains that changed"},
    "nothing_changed": {"sv": "Inga besvarade frågor har ändrats.", "en": "No answered item has changed."},
    # the whole explanation
    "explanation": {"sv": "hela förklaringen", "en": "the full explanation"},
    "appendix": {"sv": "Bilaga", "en": "Appendix"},
    "explanation_text": {"sv": "Samma förklaring som programmet ger när bedömningen räknas fram.",
                         "en": "The same explanation the program gives when it scores the assessment."},
    "labels_stored": {"sv": "Texterna från instrumentet visas på det språk bedömningen gjordes på.",
                      "en": "The instrument's texts are shown in the language the assessment was made in."},
}

_MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def words(lang: str) -> dict[str, str]:
    """Every fixed word of the report in ``lang`` (Swedish unless English is asked for)."""
    lang = "en" if lang == "en" else "sv"
    return {key: texts[lang] for key, texts in WORDS.items()}


def long_date(day: dt.date | None, lang: str) -> str:
    """``3 december 2026`` (``3 December 2026``): the date as running text, the same everywhere in the report."""
    if day is None:
        return "–"
    return f"{day.day} {_MONTHS['en' if lang == 'en' else 'sv'][day.month - 1]} {day.year}"
