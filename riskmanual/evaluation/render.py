"""The evaluation as an HTML page (jinja2, autoescaped), Swedish first, English with ``lang="en"``:
tables of suppressed figures, each rate with its interval and n, and a small chart of the
selected young people's mean total and dynamic risk over reassessments (inline SVG)."""

from __future__ import annotations

import io
from typing import Any

from ..numbers import EN_DASH, NBSP, number, percent, signed, span
from ..text import localize
from .report import Evaluation
from .suppression import Rate, Summary

__all__ = ["WORDS", "render_html"]

HIDDEN = EN_DASH  # a suppressed figure

#: The page's fixed words, Swedish and English.
WORDS: dict[str, dict[str, str]] = {
    "title": {"sv": "Utvärdering av arbetet i sociala insatsgrupper", "en": "Evaluation of the social intervention groups' work"},
    "period": {"sv": "Period (bedömningsdag)", "en": "Period (assessment date)"},
    "observed": {"sv": "utfall följda till och med", "en": "outcomes followed until"},
    "open": {"sv": "alla bedömningar", "en": "every assessment"},
    "from": {"sv": "från och med", "en": "from"},
    "until": {"sv": "till och med", "en": "until"},
    "instrument": {"sv": "Instrument", "en": "Instrument"},
    "uncalibrated": {"sv": "inte kalibrerat mot utfall", "en": "not calibrated against outcomes"},
    "calibrated": {"sv": "kalibrerat", "en": "calibrated"},
    "evaluated": {"sv": "Unga som ingår", "en": "Young people included"},
    "excluded": {"sv": "Unga som inte ingår eftersom samtycke till uppföljning saknas",
                 "en": "Young people left out because consent to reporting is lacking"},
    "other_instruments": {"sv": "Bedömningar med andra instrument som inte ingår",
                          "en": "Assessments with other instruments left out"},
    "assessments": {"sv": "Bedömningar", "en": "Assessments"},
    "suppression": {"sv": "Små tal visas inte", "en": "Small numbers are not shown"},
    "suppression_rule": {
        "sv": "Antal från 1 till {t1} visas som {dash}, liksom andelar där täljaren, nämnaren eller skillnaden mellan "
              "dem är under {t}, och medelvärden och medianer av färre än {t} personer. Där ett dolt tal skulle kunna "
              "räknas fram ur en summa i samma tabell är ytterligare ett tal dolt. {n} tal är dolda i rapporten.",
        "en": "Counts from 1 to {t1} are shown as {dash}, as are rates whose numerator, denominator or the difference "
              "between them is under {t}, and means and medians of fewer than {t} people. Where a hidden number could "
              "be worked out from a total in the same table, one more number is hidden. {n} numbers are hidden in "
              "this report."},
    "suppressed_where": {"sv": "Var tal är dolda", "en": "Where numbers are hidden"},
    "reason.small": {"sv": "litet antal", "en": "small count"},
    "reason.secondary": {"sv": "kan räknas fram ur en summa", "en": "could be worked out from a total"},
    "reason.small_rate": {"sv": "andel av få", "en": "rate of few"},
    "reason.small_summary": {"sv": "färre än gränsen", "en": "fewer than the threshold"},
    "few": {"sv": "Färre än 30 personer: skattningen är osäker.", "en": "Fewer than 30 people: the estimate is uncertain."},
    "of": {"sv": "av", "en": "of"},
    "none": {"sv": "inga", "en": "none"},
    "total": {"sv": "Totalt", "en": "Total"},
    "n": {"sv": "Antal", "en": "Number"},
    # the target group
    "tg": {"sv": "Målgrupp och urval", "en": "Target group and selection"},
    "tg.intro": {"sv": "De unga som bedömts under perioden, efter om de uppfyller instrumentets målgruppsregel vid den "
                       "bedömning som beslutet vilar på och om de valts ut till SIG.",
                 "en": "The young people assessed in the period, by whether they meet the instrument's target-group "
                       "rule at the assessment the decision rests on, and whether they were selected for SIG."},
    "met": {"sv": "Uppfyller målgruppsregeln", "en": "Meets the target-group rule"},
    "not_met": {"sv": "Uppfyller inte målgruppsregeln", "en": "Does not meet the rule"},
    "undecided": {"sv": "Kan inte avgöras", "en": "Cannot be decided"},
    "selected": {"sv": "Utvald", "en": "Selected"},
    "not_selected": {"sv": "Inte utvald", "en": "Not selected"},
    "no_decision": {"sv": "Inget beslut", "en": "No decision"},
    "below": {"sv": "Utvalda trots att de inte uppfyller regeln", "en": "Selected although below the rule"},
    "passed": {"sv": "Uppfyller regeln men inte utvalda", "en": "Meet the rule but not selected"},
    "reasons": {"sv": "Skäl som angetts", "en": "Reasons recorded"},
    "other_reasons": {"sv": "Skäl som angetts färre än {t} gånger (visas inte, fritext kan röja vem det gäller)",
                      "en": "Reasons written fewer than {t} times (not shown: free text can identify)"},
    "bands_selected": {"sv": "Nivå vid urvalet bland de utvalda", "en": "Band at selection among the selected"},
    "band": {"sv": "Nivå", "en": "Band"},
    "no_band": {"sv": "ingen nivå", "en": "no band"},
    # the young people's course
    "course": {"sv": "De utvaldas utveckling och utfall", "en": "The selected young people's course and outcomes"},
    "course.intro": {"sv": "Bedömning 1 är den som urvalet vilar på; 2, 3 … är de fullständiga ombedömningarna efter "
                           "den. Varje steg räknar de unga som hunnit bedömas så många gånger.",
                     "en": "Assessment 1 is the one the selection rests on; 2, 3 … are the complete reassessments after "
                           "it. Each step counts the young people assessed that many times."},
    "visit": {"sv": "Bedömning", "en": "Assessment"},
    "mean_total": {"sv": "Summa, medel (95 % KI)", "en": "Total, mean (95% CI)"},
    "mean_dynamic": {"sv": "Dynamisk risk, medel (95 % KI)", "en": "Dynamic risk, mean (95% CI)"},
    "dynamic": {"sv": "Dynamisk risk", "en": "Dynamic risk"},
    "dynamic.intro": {"sv": "Dynamisk risk är summan av poängen för de dynamiska frågorna, de som kan förändras "
                            "(skyddsfaktorerna drar av).",
                      "en": "Dynamic risk is the sum of the points of the dynamic items, those that can change "
                            "(protective factors subtract)."},
    "domains": {"sv": "Dynamiska områden, medelpoäng", "en": "Dynamic domains, mean points"},
    "domain": {"sv": "Område", "en": "Domain"},
    "chart": {"sv": "Medelvärde per bedömning; skuggat: 95 % konfidensintervall.",
              "en": "Mean by assessment; shaded: 95% confidence interval."},
    "changes": {"sv": "Sänkt risk vid den senaste ombedömningen jämfört med urvalet",
                "en": "Lower risk at the latest reassessment than at selection"},
    "reassessed": {"sv": "Ombedömda", "en": "Reassessed"},
    "fell": {"sv": "Lägre (95 % KI)", "en": "Lower (95% CI)"},
    "same": {"sv": "Oförändrad", "en": "Unchanged"},
    "rose": {"sv": "Högre", "en": "Higher"},
    "outcomes": {"sv": "Utfall efter urvalet, efter nivå vid urvalet", "en": "Outcomes after selection, by band at selection"},
    "outcomes.intro": {"sv": "Inom {m} månader från beslutet om urval. De som ännu inte följts så länge räknas inte "
                             "(censurerade) och anges för sig.",
                       "en": "Within {m} months of the decision to select. Those not yet followed that long are not "
                             "counted (censored) and are given apart."},
    "all": {"sv": "Alla utvalda", "en": "All selected"},
    "new_offence": {"sv": "Ny misstanke om brott", "en": "New suspected offence"},
    "school_or_work": {"sv": "Skola eller arbete påbörjat", "en": "School or work started"},
    "closed": {"sv": "Avslutade", "en": "Closed"},
    "censored": {"sv": "censurerade", "en": "censored"},
    "closure_reasons": {"sv": "Skäl till avslut", "en": "Reasons for closing"},
    "calibration": {"sv": "Stämmer instrumentets sannolikhet?", "en": "Does the instrument's probability fit?"},
    "no_probability": {"sv": "Instrumentet anger ingen sannolikhet för återfall (det är inte kalibrerat), så den "
                             "observerade andelen kan inte jämföras med en förväntad.",
                       "en": "The instrument gives no probability of reoffending (it is not calibrated), so the "
                             "observed rate cannot be set against an expected one."},
    "observed_rate": {"sv": "Observerad andel (95 % KI)", "en": "Observed rate (95% CI)"},
    "expected": {"sv": "Instrumentets sannolikhet, medel", "en": "Instrument's probability, mean"},
    "calibration.intro": {"sv": "Alla bedömda, ny misstanke om brott inom {m} månader från bedömningen. För de utvalda "
                                "speglar utfallet också insatserna.",
                          "en": "All assessed, new suspected offence within {m} months of the assessment. For the "
                                "selected the outcome also reflects the interventions."},
    # the collaboration
    "collab": {"sv": "Samverkan", "en": "Collaboration"},
    "plans": {"sv": "Åtgärdsplaner", "en": "Action plans"},
    "committed": {"sv": "varav fastställda", "en": "of which committed"},
    "commitments": {"sv": "Åtaganden per aktör och hur de står nu", "en": "Commitments by agency and where they stand"},
    "agency": {"sv": "Aktör", "en": "Agency"},
    "not_done_reasons": {"sv": "Skäl till att åtaganden inte genomfördes", "en": "Reasons commitments were not done"},
    "days_consent_plan": {"sv": "Dagar från samtycke till fastställd plan, median (kvartiler)",
                          "en": "Days from consent to committed plan, median (quartiles)"},
    "days_plan_follow": {"sv": "Dagar från fastställd plan till första uppföljning, median (kvartiler)",
                         "en": "Days from committed plan to first follow-up, median (quartiles)"},
    "consent_rate": {"sv": "Utvalda vars samtycke täckte alla aktörer i beslutet",
                     "en": "Selected whose consent covered every agency of the decision"},
    "withdrawal_rate": {"sv": "Unga som återkallat något samtycke under perioden",
                        "en": "Young people who withdrew some consent in the period"},
    "overdue": {"sv": "Försenade uppföljningar av pågående åtaganden", "en": "Overdue follow-ups of open commitments"},
    "agreed": {"sv": "Överenskomna", "en": "Agreed"},
    "started": {"sv": "varav påbörjade", "en": "of which started"},
    "standing.open": {"sv": "pågår", "en": "open"},
    "standing.done": {"sv": "genomförda", "en": "done"},
    "standing.not_done": {"sv": "inte genomförda", "en": "not done"},
    "standing.withdrawn": {"sv": "återtagna", "en": "withdrawn"},
    "commitments.note": {"sv": "Överenskomna åtaganden efter hur de står nu. Förslag i utkast som aldrig blev "
                               "överenskomna räknas inte: {n}.",
                         "en": "Agreed commitments by where they stand now. Proposals in drafts that were never "
                               "agreed are not counted: {n}."},
    "or_undecided": {"sv": "(eller kan inte avgöras)", "en": "(or cannot be decided)"},
    "or_no_decision": {"sv": "(eller inget beslut)", "en": "(or no decision)"},
    "overdue.short": {"sv": "Försenad uppföljning", "en": "Overdue follow-up"},
    # the comparison
    "cmp": {"sv": "Jämförelse med unga som inte deltagit", "en": "Comparison with young people who did not take part"},
    "cmp.method.band_total": {"sv": "samma nivå och närmaste summa (högst {c} poängs skillnad), med återläggning",
                              "en": "the same band and the nearest total (at most {c} points apart), with replacement"},
    "cmp.method.propensity": {"sv": "närmaste benägenhetspoäng (logistisk regression på {k} gemensamma frågor, "
                                    "högst {c} i logit), med återläggning",
                              "en": "the nearest propensity score (logistic regression on {k} shared items, at most "
                                    "{c} on the logit), with replacement"},
    "cmp.file": {"sv": "Jämförelsefil", "en": "Comparison file"},
    "cmp.matching": {"sv": "Matchning", "en": "Matching"},
    "cmp.participants": {"sv": "Utvalda i registret", "en": "Selected in the store"},
    "cmp.matched": {"sv": "matchade", "en": "matched"},
    "cmp.unmatched": {"sv": "utan jämförbar person", "en": "without a comparable person"},
    "cmp.candidates": {"sv": "Unga i filen som inte valts ut", "en": "Young people in the file not selected"},
    "cmp.used": {"sv": "använda i matchningen", "en": "used in the matching"},
    "cmp.balance": {"sv": "Summa vid baslinjen, medel: deltagare {p}, jämförelsegrupp {c}",
                    "en": "Total at baseline, mean: participants {p}, comparison group {c}"},
    "outcome": {"sv": "Utfall", "en": "Outcome"},
    "pairs": {"sv": "Par med känt utfall", "en": "Pairs with a known outcome"},
    "participants": {"sv": "Deltagare", "en": "Participants"},
    "controls": {"sv": "Jämförelsegrupp", "en": "Comparison group"},
    "difference": {"sv": "Skillnad, procentenheter (95 % KI)", "en": "Difference, percentage points (95% CI)"},
    "new_offence_12m": {"sv": "Ny misstanke om brott inom 12 månader", "en": "New suspected offence within 12 months"},
    "new_offence_24m": {"sv": "Ny misstanke om brott inom 24 månader", "en": "New suspected offence within 24 months"},
    "school_or_work_12m": {"sv": "Skola eller arbete inom 12 månader", "en": "School or work within 12 months"},
    "caveats": {"sv": "Att tänka på", "en": "Caveats"},
    "caveat.observational": {"sv": "Jämförelsen är en observationsstudie: deltagarna jämförs med unga som inte valdes ut. "
                                   "Den visar hur utfallen skiljer sig, inte vad insatserna har lett till.",
                             "en": "The comparison is observational: participants are set against young people who "
                                   "were not selected. It shows how outcomes differ, not what the interventions caused."},
    "caveat.confounding": {"sv": "Matchningen tar bara hänsyn till det som bedömningen mäter; skillnader som inte mäts "
                                 "(motivation, familj, skäl till att inte väljas ut) kan förklara skillnaden.",
                           "en": "Matching only accounts for what the assessment measures; unmeasured differences "
                                 "(motivation, family, the reasons for not being selected) may explain the difference."},
    "caveat.units": {"sv": "Jämförelsegruppen kan komma från en annan verksamhet där brott, skola och avslut "
                           "registreras på annat sätt.",
                     "en": "The comparison group may come from another unit that records offences, school and "
                           "closures differently."},
    "caveat.windows": {"sv": "Utfallen räknas från bedömningsdagen; den som ännu inte följts hela tiden räknas inte. "
                             "Uppföljningstiden kan skilja mellan grupperna.",
                       "en": "Outcomes count from the assessment date; those not yet followed the whole window are left "
                             "out. The follow-up can differ between the groups."},
    "caveat.replacement": {"sv": "En person i jämförelsegruppen kan matchas mot flera deltagare; intervallen tar inte "
                                 "hänsyn till det och är därför något för smala.",
                           "en": "One person in the comparison group can be matched to several participants; the "
                                 "intervals do not account for it and are somewhat too narrow."},
    "footer": {"sv": "Skapad av riskmanual evaluate. Uppgifterna är pseudonymiserade och sammanställda; inga enskilda "
                     "unga visas.",
               "en": "Made by riskmanual evaluate. The data are pseudonymised and aggregated; no individual young "
                     "person is shown."},
}


class _Words:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **fields: Any) -> str:
        entry = WORDS.get(key)
        text = entry[self.lang] if entry else key
        return text.format(**fields) if fields else text


def _formatters(lang: str) -> dict[str, Any]:
    def count(value: int | None) -> str:
        return HIDDEN if value is None else number(value, lang, 0)

    def rate(r: Rate | None) -> str:
        if r is None or (not r.suppressed and not r.n):
            return WORDS["none"][lang]
        if r.value is None:
            return HIDDEN + (f" ({WORDS['of'][lang]} {number(r.n, lang, 0)})" if r.n else "")
        interval = span(round(r.low * 100), round(r.high * 100), lang, 0)  # type: ignore[operator]
        pct = NBSP + "%" if lang == "sv" else "%"
        return (f"{percent(r.value, lang)} ({interval}{pct}), {number(r.events, lang, 0)} {WORDS['of'][lang]} "
                f"{number(r.n, lang, 0)}{' *' if r.few else ''}")

    def mean(s: Summary | None) -> str:
        if s is None or s.value is None:
            return HIDDEN if s is not None and s.suppressed else WORDS["none"][lang]
        return f"{number(s.value, lang, 1)} ({span(round(s.low, 1), round(s.high, 1), lang, 1)})"

    def median(s: Summary | None) -> str:
        if s is None or s.value is None:
            return HIDDEN if s is not None and s.suppressed else WORDS["none"][lang]
        return (f"{number(s.value, lang, 0)} ({span(round(s.low), round(s.high), lang, 0)}), n = "
                f"{number(s.n, lang, 0)}")

    def points(value: float | None) -> str:
        return HIDDEN if value is None else signed(value * 100, lang, 0)

    def interval(low: float | None, high: float | None) -> str:
        return HIDDEN if low is None or high is None else span(round(low * 100), round(high * 100), lang, 0)

    def share(value: float | None) -> str:
        return HIDDEN if value is None else percent(value, lang)

    return {"count": count, "rate": rate, "mean": mean, "median": median, "pp": points, "interval": interval,
            "share": share, "num": lambda v, d=1: HIDDEN if v is None else number(v, lang, d)}


def _chart(evaluation: Evaluation, words: _Words) -> str | None:
    """Mean total and mean dynamic risk by assessment step as a small inline SVG (None with
    fewer than two steps to show)."""
    visits = [v for v in evaluation.outcomes.visits if v.total.value is not None and v.dynamic.value is not None]
    if len(visits) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lang = words.lang
    with plt.rc_context({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        steps = [v.number for v in visits]
        for key, attr, style in (("mean_total", "total", "o-"), ("mean_dynamic", "dynamic", "s--")):
            values = [getattr(v, attr) for v in visits]
            ax.plot(steps, [s.value for s in values], style, color="#1f4e79" if attr == "total" else "#b35900",
                    label=words(key).split(",")[0])
            ax.fill_between(steps, [s.low for s in values], [s.high for s in values], alpha=0.15,
                            color="#1f4e79" if attr == "total" else "#b35900")
        ax.set_xticks(steps, [str(s) for s in steps])
        ax.set_xlabel(words("visit"))
        ax.set_ylabel("poäng" if lang == "sv" else "points")
        if lang == "sv":
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: number(v, "sv", 1)))
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.02, 0.5))  # beside: never over a line
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def render_html(evaluation: Evaluation, lang: str = "sv") -> str:
    """The evaluation as one self-contained HTML page in ``lang``."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    words = _Words(lang if lang in ("sv", "en") else "sv")
    env = Environment(loader=PackageLoader("riskmanual.evaluation", "templates"), autoescape=select_autoescape(
        default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(_formatters(words.lang))
    chart = _chart(evaluation, words)
    labels = {band: localize(label, words.lang) for band, label in evaluation.bands}
    domains = {f"dom.{d}": localize(label, words.lang) for d, label in evaluation.dynamic_domains}
    from ..case.consent import agency_words
    from ..case.followup import kind_words

    reasons: dict[str, int] = {}
    for entry in evaluation.suppressed:
        reasons[entry.reason] = reasons.get(entry.reason, 0) + 1
    return env.get_template("evaluation.html.j2").render(
        e=evaluation, w=words, lang=words.lang, chart=Markup(chart) if chart else None, band_label=labels,
        domain_label=domains, agency=lambda a: agency_words(a).render(words.lang),
        closure=lambda r: kind_words(r).render(words.lang), hidden_reasons=reasons,
        dash=HIDDEN)
