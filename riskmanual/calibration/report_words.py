"""The calibration report's fixed words in Swedish and English (the kind of table the case report
and the evaluation use), and the report's sentences built from the run's figures.

The run writes its warnings, reasons and group statements into ``metrics.json`` in English;
:func:`warning_text`, :func:`reason_text` and :func:`group_statement` give them in the report's
language from their parts, so a Swedish reader gets no English sentence. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["METHODS", "WORDS", "group_statement", "method_name", "people_word", "reason_text", "warning_text",
           "words"]

WORDS: dict[str, dict[str, str]] = {
    "title": {"sv": "Kalibreringsrapport", "en": "Recalibration report"},
    "version_line": {"sv": "Version {version}", "en": "Version {version}"},
    "proposed": {"sv": "föreslagen version {version}", "en": "proposed version {version}"},
    "method_line": {"sv": "Metod", "en": "Method"},
    "cohort_line": {"sv": "{n} {people}, varav {events} ({rate}) fick utfallet.",
                    "en": "{n} {people}, of whom {events} ({rate}) had the outcome."},
    "report_date": {"sv": "Rapportdatum {date}.", "en": "Report date {date}."},
    # the items the new score uses
    "used": {"sv": "Frågor som den nya poängsumman använder", "en": "Items the new score uses"},
    "used.intro": {"sv": "Bara dessa frågor ger poäng i den föreslagna versionen. Poängen visas med det tecken de har i "
                         "summan: skyddande svar drar av.",
                   "en": "Only these questions give points in the proposed version. Points are shown with the sign "
                         "they have in the total: protective answers subtract."},
    "used.none": {"sv": "Den föreslagna versionen ger inga poäng alls.", "en": "The proposed version gives no points at all."},
    "pruned": {"sv": "Frågor som inte ger några poäng blir informationsfrågor i den nya versionen: de räknas inte in i "
                     "summan och behöver inte besvaras för att bedömningen ska bli fullständig:",
               "en": "Items that give no points become information items in the new version: they do not count in "
                     "the total and need no answer for the assessment to be complete:"},
    "item_id": {"sv": "Fråga (id)", "en": "Item"},
    "question": {"sv": "Fråga", "en": "Question"},
    "per_answer": {"sv": "Poäng per svar (i summan)", "en": "Points per answer (in the total)"},
    "protective": {"sv": "skyddande", "en": "protective"},
    # warnings and the verdict
    "warnings": {"sv": "Varningar", "en": "Warnings"},
    "warnings.none": {"sv": "inga", "en": "none"},
    "as_written": {"sv": "(som programmet skrev den)", "en": "(as the program wrote it)"},
    "verdict.heading": {"sv": "Ny anpassning eller behålla?", "en": "Refit or keep?"},
    "verdict.refit": {"sv": "Byt till de nya poängen: den nya anpassningen ({name}) förutsäger bättre än de nuvarande "
                            "poängen på fall som inte ingick i anpassningen.",
                      "en": "Refit: the refit ({name}) beats the current points out-of-sample."},
    "verdict.keep": {"sv": "Behåll de nuvarande poängen: den nya anpassningen ({name}) är inte bättre på fall som inte "
                           "ingick i anpassningen.",
                     "en": "Keep the current points: the refit ({name}) does not beat them out-of-sample."},
    "verdict.inconclusive": {"sv": "Oklart, så behåll de nuvarande poängen om det inte finns andra skäl att ändra dem: "
                                   "den nya anpassningen ({name}) är inte tydligt bättre.",
                             "en": "Inconclusive, so keep the current points unless there is another reason to change "
                                   "them: the refit ({name}) does not clearly beat them out-of-sample."},
    "verdict.recalibrate": {"sv": "Omkalibreringen behåller de nuvarande poängen och skattar bara om sannolikheten.",
                            "en": "Recalibration keeps the current points and refits only the probability."},
    "verdict.test": {"sv": "AUC {refit} mot {current}, skillnad {difference} (95 % KI {ci}; parat DeLong-test på samma "
                           "korsvaliderade fall). Kalibreringslutning för den nya anpassningen: {slope} (krav: minst {min}).",
                     "en": "AUC {refit} against {current}, difference {difference} (95% interval {ci}; paired DeLong "
                           "test on the same out-of-fold cases). Calibration slope of the refit: {slope} (required: at "
                           "least {min})."},
    "verdict.current": {"sv": "Summans AUC {auc}, korsvaliderad kalibreringslutning {slope}.",
                        "en": "AUC of the total {auc}, cross-validated calibration slope {slope}."},
    "verdict.reasons": {"sv": "Skäl:", "en": "Why:"},
    "verdict.see": {"sv": "Den nya anpassningen är inte tydligt bättre än de nuvarande poängen (se omdömet nedan).",
                    "en": "The refit does not clearly beat the current points (see the verdict below)."},
    "verdict.downgraded": {"sv": "en varning på den här sidan talar emot en ny anpassning",
                           "en": "a warning on this page speaks against a refit"},
    "shrinkage": {"sv": "Krympning", "en": "Shrinkage"},
    "shrinkage.text": {"sv": "den korsvaliderade kalibreringslutningen var {factor}, under 1. Därför multipliceras "
                             "lutningen i det nya instrumentets sannolikhet med {factor} (från {before} till {after}) och "
                             "interceptet skattas om, så att sannolikheterna blir mindre extrema (likformig krympning).",
                       "en": "the cross-validated calibration slope was {factor}, below 1, so the slope of the "
                             "probability written into the new instrument is multiplied by {factor} (from {before} to "
                             "{after}) and its intercept refitted, so the probabilities are less extreme (uniform "
                             "shrinkage)."},
    # the comparison
    "methods.intro": {"sv": "Varje rad är ett sätt att räkna poäng, prövat på {people} som inte ingick när poängen "
                            "anpassades (korsvalidering). Den markerade raden är den metod rapporten gäller; "
                            "\u201dnuvarande poäng\u201d är instrumentet som det är i dag.",
                      "en": "Each row is a way of scoring the instrument, tested on {people} it had not seen while being "
                            "fitted (cross-validation). The highlighted row is the method this report recommends; "
                            "\u201ccurrent points\u201d is the instrument as it stands."},
    "method": {"sv": "Metod", "en": "Method"},
    "auc_ci": {"sv": "AUC 95 % KI", "en": "AUC 95% interval"},
    "brier": {"sv": "Brier-värde", "en": "Brier score"},
    "slope": {"sv": "Kalibrerings\u00adlutning", "en": "Calibration slope"},
    "intercept": {"sv": "Kalibrerings\u00adintercept", "en": "Calibration intercept"},
    "ece": {"sv": "Kalibrerings\u00adfel (ECE)", "en": "Calibration error (ECE)"},
    "fit_time": {"sv": "Anpassnings\u00adtid per del", "en": "Fit time per fold"},
    "chosen": {"sv": "vald", "en": "chosen"},
    "basis.rank": {"sv": "summans egen rang-AUC (inget anpassat steg)", "en": "rank AUC of the total itself (no fitted step)"},
    "basis.pooled": {"sv": "sammanslagna korsvaliderade skattningar; medel över delarna {mean}",
                     "en": "pooled out-of-fold predictions; mean over folds {mean}"},
    "basis.repeats": {"sv": "medel över {repeats} upprepningar", "en": "averaged over {repeats} repeats"},
    "explain.auc": {"sv": "sannolikheten att en person som fick utfallet hade högre poäng än en som inte fick det; 0,5 är "
                          "slump, 1 är perfekt.",
                    "en": "the chance that a person who went on to offend scored higher than one who did not; 0.5 is "
                          "chance, 1 is perfect."},
    "explain.brier": {"sv": "genomsnittligt kvadrerat avstånd mellan den skattade sannolikheten och det som hände; 0 är "
                            "perfekt, lägre är bättre.",
                      "en": "the average squared gap between the predicted probability and what happened; 0 is perfect, "
                            "lower is better."},
    "explain.slope": {"sv": "1 är idealt; under 1 är skattningarna för extrema (för höga för dem med höga poäng, för låga "
                            "för dem med låga), över 1 för försiktiga.",
                      "en": "1 is ideal; below 1 the predictions are too extreme (too high for high scorers, too low for "
                            "low scorers), above 1 too timid."},
    "explain.intercept": {"sv": "0 är idealt; över 0 fick fler {people} utfallet än skattat, under 0 färre.",
                          "en": "0 is ideal; above 0 more {people} had the outcome than predicted overall, below 0 fewer."},
    "explain.ece": {"sv": "genomsnittligt avstånd i procentenheter mellan skattad och observerad andel.",
                    "en": "the average gap, in percentage points, between the predicted and the observed rate."},
    # headline figures
    "headline": {"sv": "Huvudresultat", "en": "Headline figures"},
    "figure": {"sv": "Mått", "en": "Figure"},
    "cv": {"sv": "Prövat på nya fall (korsvaliderat)", "en": "Tested on unseen cases (cross-validated)"},
    "apparent": {"sv": "Skenbart (på samma data)", "en": "Apparent (in-sample)"},
    "fold_sd": {"sv": "AUC-spridning mellan delarna (standardavvikelse)",
                "en": "AUC spread between folds (standard deviation)"},
    "observed_rate": {"sv": "Observerad andel med utfallet", "en": "Observed outcome rate"},
    "mean_predicted": {"sv": "Genomsnittlig skattad sannolikhet", "en": "Average predicted probability"},
    "apparent.title": {"sv": "Skenbara värden är skenbara:", "en": "Apparent figures are apparent:"},
    "apparent.text": {"sv": "de mäts på samma {people} som poängen anpassades till och smickrar därför metoden. Lita på "
                            "den korsvaliderade kolumnen, där varje person bedöms med poäng anpassade utan hen.",
                      "en": "they are measured on the same {people} the points were fitted to, so they flatter the "
                            "method. Rely on the cross-validated column, which tests every person with points fitted "
                            "without them."},
    "cutoff.chosen": {"sv": "Vald gräns", "en": "Chosen cut-off"},
    "cutoff.rule": {"sv": "regel", "en": "rule"},
    "cutoff.unmet": {"sv": "regeln kunde inte uppfyllas, så närmaste gräns valdes",
                     "en": "the rule could not be met, so the nearest cut-off was taken"},
    "cutoff.effect": {"sv": "Den väljer ut {selected} {people} ({share}), hittar {sensitivity} av dem som fick utfallet, "
                            "och {ppv} av de utvalda fick utfallet.",
                      "en": "It selects {selected} {people} ({share}), finds {sensitivity} of those with the outcome, "
                            "and {ppv} of those selected have the outcome."},
    "rule.capacity": {"sv": "så många som ryms inom kapaciteten {limit}", "en": "the most people that fit the capacity of {limit}"},
    "rule.sensitivity": {"sv": "den högsta gräns som fortfarande hittar {value} av dem med utfallet",
                         "en": "the highest cut-off that still finds {value} of those with the outcome"},
    "rule.ppv": {"sv": "den lägsta gräns där minst {value} av de utvalda har utfallet",
                 "en": "the lowest cut-off at which at least {value} of those selected have the outcome"},
    "rule.threshold": {"sv": "alla vars skattade sannolikhet är minst {value}",
                       "en": "everyone whose predicted probability is at least {value}"},
    # figures
    "figures": {"sv": "Figurer", "en": "Figures"},
    "figures.intro": {"sv": "Alla figurer bygger på korsvaliderade skattningar: varje person bedöms med poäng anpassade "
                            "utan hen.",
                      "en": "All figures use out-of-fold predictions: each person is scored by points fitted without them."},
    # the rate table
    "rates": {"sv": "Andel med utfallet per poängsumma", "en": "Outcome rate per score"},
    "rates.intro": {"sv": "För varje poängsumma: hur många {people} som hade den, hur många av dem som fick utfallet, den "
                          "observerade andelen med 95 % KI och den skattade sannolikheten.",
                    "en": "For every total score: how many {people} had it, how many of them had the outcome, the "
                          "observed rate with its 95% interval, and the predicted probability."},
    "rates.repeats": {"sv": "Antalen är medel över {repeats} upprepningar.", "en": "Counts are means over {repeats} repeats."},
    "total_score": {"sv": "Poängsumma", "en": "Total score"},
    "with_outcome": {"sv": "Med utfallet", "en": "With outcome"},
    "observed": {"sv": "Observerad andel", "en": "Observed rate"},
    "interval": {"sv": "95 % KI", "en": "95% interval"},
    "predicted": {"sv": "Skattad", "en": "Predicted"},
    # old and new points
    "points": {"sv": "Gamla och nya poäng", "en": "Old and new points"},
    "points.intro": {"sv": "De poäng varje svar ger i summan, nu och enligt förslaget. Ändrade rader är skuggade.",
                     "en": "The points each answer adds to the total, now and as proposed. Changed rows are shaded."},
    "points.none": {"sv": "Ingen poängtabell.", "en": "No points table."},
    "answer": {"sv": "Svar", "en": "Answer"},
    "old_points": {"sv": "Nuvarande poäng (i summan)", "en": "Current points (in the total)"},
    "new_points": {"sv": "Nya poäng (i summan)", "en": "New points (in the total)"},
    # cut-offs
    "cutoffs": {"sv": "Gränser", "en": "Cut-offs"},
    "cutoffs.intro": {"sv": "Varje rad väljer ut alla med poängsumma vid eller över gränsen. Sensitivitet: andel av dem "
                            "med utfallet som väljs ut. Specificitet: andel av dem utan utfallet som inte väljs ut. PPV: "
                            "andel av de utvalda som har utfallet. NPV: andel av de ej utvalda som inte har det. "
                            "Tröskelsannolikhet: den lägsta skattade sannolikheten bland de utvalda. Nettonytta: som i "
                            "beslutskurvan. Den valda gränsen är markerad.",
                      "en": "Each row selects everyone scoring at or above the cut-off. Sensitivity: share of those with "
                            "the outcome who are selected. Specificity: share of those without it who are not selected. "
                            "PPV: share of those selected who have the outcome. NPV: share of those not selected who do "
                            "not have it. Threshold probability: the lowest predicted probability among those selected. "
                            "Net benefit: as in the decision curve. The chosen cut-off is highlighted."},
    "cutoff": {"sv": "Gräns", "en": "Cut-off"},
    "selected": {"sv": "Utvalda", "en": "Selected"},
    "share_selected": {"sv": "Andel utvalda", "en": "Share selected"},
    "sensitivity": {"sv": "Sensitivitet", "en": "Sensitivity"},
    "specificity": {"sv": "Specificitet", "en": "Specificity"},
    "threshold": {"sv": "Tröskel\u00adsannolikhet", "en": "Threshold probability"},
    "net_benefit": {"sv": "Nettonytta", "en": "Net benefit"},
    # groups
    "groups": {"sv": "Grupper", "en": "Groups"},
    "groups.intro": {"sv": "Samma mått för varje grupp vid den valda gränsen, med 95 % bootstrapintervall. Basfrekvens: "
                           "andel i gruppen med utfallet. Observerad minus skattad: positivt betyder att gruppen fick "
                           "utfallet oftare än skattat. Andel falskt positiva: av dem i gruppen utan utfallet, andelen "
                           "utvalda. Andel falskt negativa: av dem med utfallet, andelen som inte valdes ut. Grupper med "
                           "färre än {min} {people} är för få för att bedöma.",
                     "en": "The same figures for each group, at the chosen cut-off, with 95% bootstrap intervals. Base "
                           "rate: share of the group with the outcome. Observed minus predicted: positive means the group "
                           "had more outcomes than predicted. False positive rate: of those in the group without the "
                           "outcome, the share selected. False negative rate: of those with the outcome, the share not "
                           "selected. Groups of fewer than {min} {people} are too few to judge."},
    "groups.by": {"sv": "Efter", "en": "By"},
    "groups.none": {"sv": "Inga gruppkolumner angavs.", "en": "No group columns were given."},
    "base_rate": {"sv": "Basfrekvens", "en": "Base rate"},
    "citl": {"sv": "Observerad minus skattad", "en": "Observed minus predicted"},
    "fpr": {"sv": "Andel falskt positiva", "en": "False positive rate"},
    "fnr": {"sv": "Andel falskt negativa", "en": "False negative rate"},
    "too_few": {"sv": "för få för att bedöma (färre än {min})", "en": "too few to judge (fewer than {min})"},
    "st.range": {"sv": "Basfrekvensen efter {name} ligger mellan {low} och {high}.",
                 "en": "Base rates by {name} range from {low} to {high}."},
    "st.errors": {"sv": "Vid den valda gränsen ligger andelen falskt positiva mellan {fpr_low} och {fpr_high} och andelen "
                        "falskt negativa mellan {fnr_low} och {fnr_high}.",
                  "en": "At the chosen cut-off, false positive rates range from {fpr_low} to {fpr_high} and false "
                        "negative rates from {fnr_low} to {fnr_high}."},
    "st.citl": {"sv": "Observerad minus skattad andel ligger mellan {low} och {high} (intervallen i tabellen).",
                "en": "Observed minus predicted rate ranges from {low} to {high} (intervals in the table)."},
    "st.tradeoff": {"sv": "Eftersom basfrekvenserna skiljer sig kan kalibrering inom grupperna och lika felandelar inte "
                          "gälla samtidigt (Kleinberg m.fl. 2017; Chouldechova 2017): analytikern måste avgöra vad som "
                          "väger tyngst här.",
                    "en": "Because base rates differ, calibration within groups and equal error rates cannot both hold "
                          "(Kleinberg et al. 2017; Chouldechova 2017): the analyst has to decide which matters here."},
    "st.few": {"sv": "Färre än två grupper efter {name} med minst {min} fall: ingen jämförelse möjlig.",
               "en": "Fewer than two {name} groups with at least {min} cases: no comparison possible."},
    "st.small": {"sv": " {n} grupp(er) efter {name} med färre än {min} fall är för få för att bedöma och ingår inte.",
                 "en": " {n} {name} group(s) with fewer than {min} cases are too few to judge and left out."},
    # the assessor's final rating
    "final": {"sv": "Bedömarens slutliga nivå", "en": "The assessor's final rating"},
    "final.column": {"sv": "Kolumn", "en": "Column"},
    "final.counts": {"sv": "{n} bedömningar med slutlig nivå, {unrated} utan.",
                     "en": "{n} assessments with a final rating, {unrated} without."},
    "final.figures": {"sv": "AUC {auc} (95 % KI {ci}; nivåns egen rang-AUC). Mot de nuvarande poängen på samma fall: "
                            "skillnad {difference} (95 % KI {dci}; parat DeLong-test). Korsvaliderad "
                            "kalibreringslutning för andelen per nivå: {slope}.",
                      "en": "AUC {auc} (95% interval {ci}; rank AUC of the rating itself). Against the current points "
                            "on the same cases: difference {difference} (95% interval {dci}; paired DeLong test). "
                            "Out-of-fold calibration slope of the rate per rating: {slope}."},
    "final.note": {"sv": "För få bedömningar med slutlig nivå och vart och ett av utfallen ({n}) för att utvärdera den.",
                   "en": "Too few rated cases with each outcome ({n}) to evaluate the final rating."},
    "final.band": {"sv": "Slutlig nivå", "en": "Final rating"},
    "final.moved": {"sv": "Jämfört med den beräknade nivån var bedömarens nivå densamma i {same}, högre i {higher} och "
                          "lägre i {lower} av {n} fall.",
                    "en": "Against the computed band, the assessor's rating was the same in {same}, higher in {higher} "
                          "and lower in {lower} of {n} cases."},
    # missing answers
    "missing": {"sv": "Saknade svar", "en": "Missing answers"},
    "missing.reference": {"sv": "Vid kalibreringen räknas ett saknat svar som frågans referenssvar, det svar som ger "
                                "lägst poäng (inga poäng läggs till).",
                          "en": "During calibration a missing answer counts as the item's reference answer, the answer "
                                "that scores lowest (no points are added)."},
    "missing.error": {"sv": "Den här körningen behandlar varje saknat svar som ett fel (missing: error), så inga svar "
                            "saknas.",
                      "en": "This run treats any missing answer as an error (missing: error), so no answer is missing."},
    "missing.none": {"sv": "Inga svar saknas.", "en": "No answer is missing."},
    "missing.others": {"sv": "Övriga frågor: inga saknade svar.", "en": "Every other item: no missing answers."},
    "missing.unknown": {"sv": "Inga uppgifter om saknade svar.", "en": "No counts of missing answers."},
    "missing.count": {"sv": "Saknade svar", "en": "Missing answers"},
    "missing.share": {"sv": "Andel av {people}", "en": "Share of {people}"},
    "missing.treated": {"sv": "Hur de räknades", "en": "How they were treated"},
    "treated.reference": {"sv": "som referenssvaret (inga poäng)", "en": "as the reference answer (no points)"},
    "treated.category": {"sv": "som ett eget svar, \u201dUppgift saknas\u201d, som den nya anpassningen ger poäng",
                         "en": "as an answer of its own, \u201cNot recorded\u201d, which the refit weighs"},
    "missing.category": {"sv": "Ett saknat svar är ett eget svar (\u201dUppgift saknas\u201d) för kategorifrågor, och "
                               "den nya anpassningen ger det poäng; för övriga frågor räknas det som referenssvaret "
                               "(inga poäng).",
                         "en": "A missing answer is an answer of its own (\u201cNot recorded\u201d) for categorical "
                               "items, and the refit weighs it; other items count it as their reference answer (no "
                               "points)."},
    "treated.error": {"sv": "fel (körningen stoppas)", "en": "an error (the run stops)"},
    # data and settings
    "settings": {"sv": "Data och inställningar", "en": "Data and settings"},
    "source": {"sv": "Datakälla", "en": "Data source"},
    "sha256": {"sv": "Datans fingeravtryck (SHA-256)", "en": "Data fingerprint (SHA-256)"},
    "date": {"sv": "Datum", "en": "Date"},
    "instrument": {"sv": "Instrument", "en": "Instrument"},
    "engine": {"sv": "Programversion", "en": "Engine version"},
    "setting": {"sv": "Inställning", "en": "Setting"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "none": {"sv": "inga", "en": "none"},
    "under_10ms": {"sv": "under 0,01 s", "en": "under 0.01 s"},
    "pts": {"sv": "procentenheter", "en": "percentage points"},
    "to": {"sv": "till", "en": "to"},
    "people": {"sv": "personer", "en": "people"},
    "young_people": {"sv": "unga", "en": "young people"},
    "in_english": {"sv": "på engelska", "en": "in English"},
    # the figures' headings and explanations
    "fig.calibration.title": {"sv": "Stämmer de skattade sannolikheterna?", "en": "Do the predicted probabilities come true?"},
    "fig.calibration.text": {
        "sv": "Varje punkt är en tiondel av {people}, ordnade efter skattad sannolikhet: åt höger deras genomsnittliga "
              "skattade sannolikhet, uppåt andelen som faktiskt fick utfallet, och strecket visar osäkerheten. Punkter och "
              "utjämnade linjer nära den streckade diagonalen betyder att sannolikheterna kan tas för vad de är; ovanför "
              "den underskattas risken, nedanför överskattas den.",
        "en": "Each dot is a tenth of the {people}, grouped by predicted probability: across is their average predicted "
              "probability, up is the share who actually had the outcome, and the bar shows the uncertainty. Dots and "
              "smoothed lines close to the dashed diagonal mean the probabilities can be taken at face value; above it "
              "the risk is under-stated, below it over-stated."},
    "fig.rate_by_score.title": {"sv": "Andel med utfallet för varje poängsumma", "en": "Outcome rate for each total score"},
    "fig.rate_by_score.text": {
        "sv": "För varje poängsumma: andelen {people} med den summan som fick utfallet (punkter; strecken visar "
              "osäkerheten och är breda där få hade summan) och den sannolikhet rapporten ger summan (linjen). Andelen "
              "bör stiga med summan.",
        "en": "For every total score, the share of {people} with that score who went on to have the outcome (dots; the "
              "bars show the uncertainty and are wide where few had that score) and the probability the report assigns "
              "to the score (line). The rate should rise with the score."},
    "fig.roc.title": {"sv": "Hur väl skiljer poängsumman de två grupperna åt?",
                      "en": "How well does the score separate the two groups?"},
    "fig.roc.text": {
        "sv": "Varje kurva visar, över alla möjliga gränser, andelen av dem med utfallet som flaggas (uppåt) mot andelen "
              "av dem utan utfallet som också flaggas (åt höger). Ju mer kurvan buktar mot övre vänstra hörnet, desto "
              "bättre; diagonalen är slump. AUC i förklaringen är sannolikheten att en person som fick utfallet hade "
              "högre poäng än en som inte fick det.",
        "en": "Each curve shows, over all possible cut-offs, the share of those with the outcome who are flagged (up) "
              "against the share of those without it who are flagged too (across). The further a curve bulges toward "
              "the top-left corner, the better; the diagonal is guessing. The AUC in the legend is the chance that a "
              "person who had the outcome scored higher than one who did not."},
    "fig.score_distribution.title": {"sv": "Poängsummornas spridning", "en": "Spread of the total scores"},
    "fig.score_distribution.text": {
        "sv": "Hur poängsummorna fördelar sig bland {people} som fick utfallet och bland dem som inte fick det, var för "
              "sig som andel av den egna gruppen. Ju mindre de överlappar, desto bättre skiljer summan dem åt.",
        "en": "How the total scores of {people} who had the outcome and of those who did not are spread, each as a share "
              "of its own group. The less the two overlap, the better the score tells them apart."},
    "fig.decision_curve.title": {"sv": "Är det bättre att agera på poängsumman än att behandla alla lika?",
                                 "en": "Is acting on the score better than treating everyone alike?"},
    "fig.decision_curve.text": {
        "sv": "Nettonyttan räknar riktiga identifieringar per bedömd person, minus falsklarm viktade efter hur mycket de "
              "väger. Tröskeln åt höger säger hur många falsklarm en riktig identifiering är värd (vid 20 % är ett "
              "riktigt fall värt fyra falsklarm). Där linjen för poängsumman ligger över både ”insats för alla” "
              "och ”insats för ingen” gör poängsumman mer nytta än att ge insatsen till alla eller till ingen.",
        "en": "Net benefit counts correct identifications per person assessed, minus false alarms weighted by how much "
              "they matter. The threshold across says how many false alarms one correct identification is worth (at "
              "20%, one true case is worth four false alarms). Where the score's line lies above both “intervene "
              "with everyone” and “intervene with no one”, using the score does more good than "
              "intervening with everyone or with no one."},
    "fig.cutoffs.title": {"sv": "Vad som händer vid varje gräns", "en": "What happens at each cut-off"},
    "fig.cutoffs.text": {
        "sv": "Alla med poängsumma vid eller över gränsen väljs ut: andelen av dem med utfallet som väljs ut "
              "(sensitivitet), andelen av dem utan utfallet som inte väljs ut (specificitet), andelen av de utvalda som "
              "har utfallet (PPV) och andelen av alla {people} som väljs ut. Den streckade linjen markerar den valda "
              "gränsen.",
        "en": "Selecting everyone who scores at or above the cut-off: the share of those with the outcome who are "
              "selected (sensitivity), the share of those without it who are left out (specificity), the share of those "
              "selected who have the outcome (PPV) and the share of all {people} selected. The dashed line marks the "
              "chosen cut-off."},
}

#: The run's method names (metrics ``comparison`` keys) as the report names them.
METHODS: dict[str, dict[str, str]] = {
    "current points": {"sv": "nuvarande poäng", "en": "current points"},
    "current points, intercept-only update": {"sv": "nuvarande poäng, bara interceptet uppdaterat",
                                              "en": "current points, intercept-only update"},
    "logistic (plain refit)": {"sv": "logistisk regression (fri anpassning)", "en": "logistic (plain refit)"},
    "logistic (shrunk to current)": {"sv": "logistisk regression (krympt mot nuvarande poäng)",
                                     "en": "logistic (shrunk to current)"},
    "points": {"sv": "nya heltalspoäng", "en": "points"},
    "recalibrate": {"sv": "omkalibrering", "en": "recalibrate"},
    "logistic": {"sv": "logistisk regression", "en": "logistic"},
}


def words(lang: str) -> dict[str, str]:
    """The fixed words in ``lang`` (English for a language the table does not have)."""
    lang = "sv" if lang == "sv" else "en"
    return {key: texts[lang] for key, texts in WORDS.items()}


def method_name(name: Any, lang: str) -> str:
    """A method as the report names it; an unknown name as it is."""
    texts = METHODS.get(str(name))
    return texts["sv" if lang == "sv" else "en"] if texts else str(name)


def people_word(word: Any, lang: str) -> str:
    """Who was assessed, from the run's ``population_word``: young people or (neutral) people."""
    return WORDS["young_people" if word == "young people" else "people"]["sv" if lang == "sv" else "en"]


Number = Callable[[Any], str]

# The run's warnings and reasons (riskmanual/calibration/run.py and data.py), as patterns with
# the Swedish and English sentence each becomes. Numbers are re-written in the report's style.
_WARNINGS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"column '(?P<column>.*)' appears (?P<copies>\d+) times with identical values; one copy is used"),
     {"sv": "kolumnen \u201d{column}\u201d finns {copies} gånger med samma värden; en av dem används",
      "en": "column '{column}' appears {copies} times with identical values; one copy is used"}),
    (re.compile(r"only (?P<events>\d+) outcome events for (?P<items>\d+) scored items \((?P<per>[\d.]+) per item, "
                r"fewer than (?P<min>\d+)\): refitted points will be unstable; prefer recalibration or the current points"),
     {"sv": "bara {events} fall med utfallet på {items} poänggivande frågor ({per} per fråga, färre än {min}): nya "
            "poäng blir instabila; välj hellre omkalibrering eller de nuvarande poängen",
      "en": "only {events} outcome events for {items} scored items ({per} per item, fewer than {min}): refitted points "
            "will be unstable; prefer recalibration or the current points"}),
    (re.compile(r"the cross-validated calibration slope of (?P<name>.+) is (?P<slope>-?[\d.]+), below (?P<min>[\d.]+): "
                r"its probabilities are too extreme for new cases; the written probability is shrunk by this slope"),
     {"sv": "den korsvaliderade kalibreringslutningen för {name} är {slope}, under {min}: sannolikheterna är för "
            "extrema för nya fall; den skrivna sannolikheten krymps med denna lutning",
      "en": "the cross-validated calibration slope of {name} is {slope}, below {min}: its probabilities are too extreme "
            "for new cases; the written probability is shrunk by this slope"}),
    (re.compile(r"the instrument gives the final rating to the assessor, but no final_rating column was named: only "
                r"the computed points are evaluated"),
     {"sv": "instrumentet låter bedömaren sätta den slutliga nivån, men ingen kolumn för den (final_rating) angavs: "
            "bara de beräknade poängen utvärderas",
      "en": "the instrument gives the final rating to the assessor, but no final_rating column was named: only the "
            "computed points are evaluated"}),
    (re.compile(r"protective items on a separate scale \((?P<names>.*)\): their values are checked; recalibration keeps "
                r"them on their own scale, outside the total"),
     {"sv": "skyddande frågor på en egen skala ({names}): deras värden kontrolleras; omkalibreringen behåller dem på "
            "den egna skalan, utanför summan",
      "en": "protective items on a separate scale ({names}): their values are checked; recalibration keeps them on "
            "their own scale, outside the total"}),
    (re.compile(r"protective items on a separate scale \((?P<names>.*)\): their values are checked; the refit gives "
                r"them their own weights in the total, and a new version that uses any of them subtracts the "
                r"protective scale from the total \(scoring: protective: subtract\)"),
     {"sv": "skyddande frågor på en egen skala ({names}): deras värden kontrolleras; den nya anpassningen ger dem egna "
            "vikter i summan, och en ny version som använder någon av dem drar av den skyddande skalan från summan",
      "en": "protective items on a separate scale ({names}): their values are checked; the refit gives them their own "
            "weights in the total, and a new version that uses any of them subtracts the protective scale from the "
            "total (scoring: protective: subtract)"}),
    (re.compile(r"missing is its own category except for items with a condition \((?P<names>.*)\): their blank "
                r"cells may mean the item does not apply, and count as the reference answer"),
     {"sv": "ett saknat svar är ett eget svar utom för frågor med ett villkor ({names}): där kan en tom cell betyda "
            "att frågan inte gäller, och den räknas som referenssvaret",
      "en": "missing is its own category except for items with a condition ({names}): their blank cells may mean the "
            "item does not apply, and count as the reference answer"}),
)
_REASONS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(r"the interval of the AUC difference includes zero"),
     {"sv": "intervallet för skillnaden i AUC innehåller noll", "en": "the interval of the AUC difference includes zero"}),
    (re.compile(r"the current points discriminate better"),
     {"sv": "de nuvarande poängen skiljer bättre", "en": "the current points discriminate better"}),
    (re.compile(r"the refit's calibration slope is below (?P<min>[\d.]+) \(its probabilities are too extreme\)"),
     {"sv": "den nya anpassningens kalibreringslutning är under {min} (sannolikheterna är för extrema)",
      "en": "the refit's calibration slope is below {min} (its probabilities are too extreme)"}),
    (re.compile(r"too few events per item for a stable refit \(see the warnings\)"),
     {"sv": "för få fall med utfallet per fråga för en stabil ny anpassning (se varningarna)",
      "en": "too few events per item for a stable refit (see the warnings)"}),
    (re.compile(r"recalibration keeps the points by design"),
     {"sv": "omkalibrering behåller poängen", "en": "recalibration keeps the points by design"}),
    (re.compile(r"a warning on this page speaks against a refit"),
     {"sv": WORDS["verdict.downgraded"]["sv"], "en": WORDS["verdict.downgraded"]["en"]}),
)
_NUMBERS = {"copies", "events", "items", "per", "min", "slope"}


def _translate(text: Any, table: Any, lang: str, fmt: Number) -> tuple[str, bool]:
    for pattern, texts in table:
        match = pattern.fullmatch(str(text))
        if match:
            values = {k: (fmt(float(v)) if k in _NUMBERS else (method_name(v, lang) if k == "name" else v))
                      for k, v in match.groupdict().items()}
            return texts["sv" if lang == "sv" else "en"].format(**values), True
    return str(text), False


def warning_text(text: Any, lang: str, fmt: Number) -> tuple[str, bool]:
    """A run warning in ``lang``, and whether it was known (an unknown one is given as written)."""
    return _translate(text, _WARNINGS, lang, fmt)


def reason_text(text: Any, lang: str, fmt: Number) -> tuple[str, bool]:
    """A reason of the verdict in ``lang``, and whether it was known."""
    return _translate(text, _REASONS, lang, fmt)


def against_refit(text: Any) -> bool:
    """True for a warning that speaks against refitting the points (too few events, too steep a slope)."""
    return bool(_WARNINGS[1][0].fullmatch(str(text)) or _WARNINGS[2][0].fullmatch(str(text)))


def group_statement(name: str, rows: dict[str, Any], min_size: int, lang: str, pct: Number, signed_pct: Number) -> str:
    """The sentence on how the groups differ (as :func:`riskmanual.calibration.metrics._statement`
    writes it in English), built only from the groups with at least ``min_size`` cases."""
    w = words(lang)
    small = [g for g, r in rows.items() if r.get("too_few")]
    rows = {g: r for g, r in rows.items() if not r.get("too_few")}
    note = w["st.small"].format(n=len(small), name=name, min=min_size) if small else ""
    if len(rows) < 2:
        return w["st.few"].format(name=name, min=min_size) + note
    rates = [r["base_rate"] for r in rows.values()]
    fpr = [r["false_positive_rate"] for r in rows.values() if r.get("false_positive_rate") is not None]
    fnr = [r["false_negative_rate"] for r in rows.values() if r.get("false_negative_rate") is not None]
    citl = [r["calibration_in_the_large"] for r in rows.values()]
    parts = [w["st.range"].format(name=name, low=pct(min(rates)), high=pct(max(rates)))]
    if fpr and fnr:
        parts.append(w["st.errors"].format(fpr_low=pct(min(fpr)), fpr_high=pct(max(fpr)), fnr_low=pct(min(fnr)),
                                           fnr_high=pct(max(fnr))))
    parts.append(w["st.citl"].format(low=signed_pct(min(citl)), high=signed_pct(max(citl))))
    if max(rates) - min(rates) > 0.02:
        parts.append(w["st.tradeoff"])
    return " ".join(parts) + note
