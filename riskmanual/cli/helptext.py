"""The descriptions in ``--help`` (of every command and option) in the user's language.

The English stays in the code, where click takes it from (command docstrings, ``help=``), and is
the key of :data:`SV`, as a ``tr()`` template is the key of riskmanual/messages_sv.py.
:func:`described` puts the texts of one command in the language of click's own words
(riskmanual/usage.py: ``--lang``, else ``$RISKMANUAL_LANG``, else the default) while click
formats its help, and puts them back after; this module is imported only when help is shown.
tests/test_help_text.py fails on a text without Swedish and on a Swedish entry no text uses.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["METAVARS_SV", "SV", "described", "help_texts", "swedish_numbers", "usage_pieces", "walk"]

#: The placeholders click shows for an option's value (from its type, or given in the code) and in
#: the usage line, in Swedish. Arguments keep their names: the descriptions refer to them.
METAVARS_SV: dict[str, str] = {
    "FILE": "FIL", "DIRECTORY": "MAPP", "PATH": "SÖKVÄG", "PATH|URL": "SÖKVÄG|URL", "TEXT": "TEXT",
    "INTEGER": "HELTAL", "INTEGER RANGE": "HELTAL", "FLOAT": "TAL", "FLOAT RANGE": "TAL",
    "COLUMN": "KOLUMN", "ITEM=COLUMN": "FRÅGA=KOLUMN", "DAYS": "DAGAR", "DRAFT": "UTKAST", "REASON": "SKÄL",
    "YYYY-MM-DD": "ÅÅÅÅ-MM-DD", "[OPTIONS]": "[FLAGGOR]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
}


#: A decimal number click wrote in an option's default or range (``[standard: 0.3; 0<x<1]``).
_DECIMAL = re.compile(r"(?:(?<=standard: )|(?<=[<>]=)|(?<=[<>])|(?<=^\[))(-?\d+)\.(\d+)(?=[;\]\s<>=x]|$)")
_MINUS = re.compile(r"(?:(?<=[\s\[=<>])|^)-(?=\d)")  # a negative number's sign: the minus sign in Swedish
_EXTRA = re.compile(r"\[(?:standard: |obligatorisk|-?\d|x)[^\[\]]*\]")


def swedish_numbers(help_text: str) -> str:
    """``help_text`` with every default and range click shows in Swedish number style: a decimal
    comma and the minus sign (``[standard: 0,3; −50<=x<=50]``); the same width, so click's
    wrapping still holds."""
    return _EXTRA.sub(lambda m: _MINUS.sub("\u2212", _DECIMAL.sub(r"\1,\2", m.group())), help_text)


def usage_pieces(pieces: list[str]) -> list[str]:
    """The usage line's pieces (``[OPTIONS]``, ``COMMAND [ARGS]...``, arguments) in the language
    click speaks now."""
    from ..usage import current_language

    if current_language() != "sv":
        return pieces
    return [METAVARS_SV.get(piece, piece) for piece in pieces]

_LANG_EN = ("Language of labels, text and error messages (default: $RISKMANUAL_LANG, else the instrument's "
            "first language, else sv).")
_LANG_SV = ("Språk för etiketter, texter och felmeddelanden (standard: $RISKMANUAL_LANG, annars instrumentets "
            "första språk, annars sv).")

#: Every description ``--help`` shows (command docstrings as click cleans them, options' ``help=``)
#: and its Swedish, grouped by command.
SV: dict[str, str] = {
    # --- riskmanual (riskmanual/cli/__init__.py) ---
    "Structured risk-assessment manuals: validate instruments, score answers, explain results.":
        "Strukturerade manualer för riskbedömning: validera instrument, poängsätt svar, förklara resultat.",
    _LANG_EN: _LANG_SV,
    # validate, list, show
    "Check instrument files against the schema and the rules of meaning; list every error.":
        "Kontrollera instrumentfiler mot schemat och de innehållsliga reglerna; visa alla fel.",
    "List bundled instruments and those in $RISKMANUAL_PATH.":
        "Lista de instrument som följer med och dem i $RISKMANUAL_PATH.",
    "Print the manual: domains, items, rating guidance, bands.":
        "Skriv ut manualen: områden, frågor, vägledning för bedömningsnivåerna, nivåer.",
    # score
    "Score ANSWERS (a JSON or YAML file, or - for stdin) and print the result or its explanation;\n"
    "or score a whole table with --batch IN --out OUT.":
        "Poängsätt ANSWERS (en JSON- eller YAML-fil, eller - för standard in) och skriv ut resultatet\n"
        "eller förklaringen av det; eller poängsätt en hel tabell med --batch IN --out UT.",
    "Text: list every contributing factor, not only the main ones.":
        "Text: visa alla faktorer som bidrar, inte bara de viktigaste.",
    "Text: wrap to this many columns (default: the terminal's width, else 80).":
        "Text: radbryt vid så här många tecken (standard: terminalens bredd, annars 80).",
    "Score every row of this table (.csv or .parquet: one column per item) instead of ANSWERS.":
        "Poängsätt varje rad i den här tabellen (.csv eller .parquet: en kolumn per fråga) i stället för ANSWERS.",
    "With --batch: write the scores here (.parquet or .csv; never overwritten).":
        "Med --batch: skriv poängen till den här filen (.parquet eller .csv; en befintlig fil skrivs aldrig över).",
    "With --batch: the table's column for an item (or assessment_date, birth_date) where its name differs; "
    "repeatable.":
        "Med --batch: tabellens kolumn för en fråga (eller för assessment_date, birth_date) där namnet skiljer "
        "sig; kan upprepas.",
    "With --batch: copy this column (e.g. a case reference) into OUT, before the scores; repeatable.":
        "Med --batch: kopiera den här kolumnen (t.ex. en ärendereferens) till utfilen, före poängen; kan upprepas.",
    # simulate
    "Write a synthetic historical cohort for INSTRUMENT (a known truth to test calibration against).\n\n"
    "The outcome column is ``outcome``; ``true_probability`` holds the truth and must not be\n"
    "used for calibration. The generating model is documented in riskmanual.calibration.simulate.":
        "Skriv en syntetisk historisk kohort för INSTRUMENT (ett känt facit att pröva kalibreringen mot).\n\n"
        "Kolumnen med utfallet heter ``outcome``; ``true_probability`` innehåller facit och får inte\n"
        "användas vid kalibrering. Modellen som skapar data beskrivs i riskmanual.calibration.simulate.",
    "Number of rows (at least 1).": "Antal rader (minst 1).",
    "Random seed (0 to 4294967295): the same seed gives the same table.":
        "Slumpfrö (0 till 4\u00a0294\u00a0967\u00a0295): samma slumpfrö ger samma tabell.",
    "Output file: .csv or .parquet.": "Utfil: .csv eller .parquet.",
    "Share of item cells left empty at random.": "Andel av frågornas celler som lämnas tomma, slumpvis.",
    "Mean outcome probability.": "Genomsnittlig sannolikhet för utfallet.",
    "Logistic slope of the outcome per point of the current total.":
        "Utfallets logistiska lutning per poäng av den nuvarande summan.",
    "Replace OUT if it exists (by a rename; a link is never followed).":
        "Ersätt utfilen om den finns (genom ett namnbyte; en länk följs aldrig).",
    # calibrate
    "Calibrate INSTRUMENT against historical outcomes in DATA (CSV or Parquet).":
        "Kalibrera INSTRUMENT mot historiska utfall i DATA (CSV eller Parquet).",
    "A calibration spec file (calibration/NAME.yaml).":
        "En specifikation för kalibreringen (calibration/NAMN.yaml).",
    "The table to calibrate on (replaces the spec's data).":
        "Tabellen att kalibrera mot (ersätter specifikationens data).",
    "The 0/1 outcome column.": "Kolumnen med utfallet (0/1).",
    "recalibrate: keep points, fit probability; logistic: refit weights; points: learn an integer score.":
        "recalibrate: behåll poängen, anpassa sannolikheten; logistic: skatta om vikterna; points: ta fram nya "
        "poäng i heltal.",
    "At most K items (points method).": "Högst K frågor (metoden points).",
    "A column to report metrics by (repeatable).": "En kolumn vars grupper måtten redovisas för (kan upprepas).",
    "capacity=0.05 | capacity=40 | sensitivity=0.8 | ppv=0.5 | threshold=0.3":
        "Val av tröskel: capacity=0.05 | capacity=40 | sensitivity=0.8 | ppv=0.5 | threshold=0.3",
    "Random seed (0 to 4294967295).": "Slumpfrö (0 till 4\u00a0294\u00a0967\u00a0295).",
    "Groups smaller than this are listed as too few to judge (default 30).":
        "Grupper som är mindre än så redovisas som för små för att bedöma (standard 30).",
    "Write --report into a non-empty folder (replacing the report's files).":
        "Skriv --report till en mapp som inte är tom (rapportens filer ersätts).",
    "Language of the summary, report.html and its figures (default: $RISKMANUAL_LANG, else the instrument's "
    "first language, else sv).":
        "Språk för sammanfattningen, report.html och dess figurer (standard: $RISKMANUAL_LANG, annars "
        "instrumentets första språk, annars sv).",
    "Turn items the new points give nothing into unscored information items (default on).":
        "Frågor som får 0 poäng i den nya poängsättningen blir informationsfrågor utan poäng (standard: på).",
    "logistic: shrink toward the current points (default) or toward zero.":
        "logistic: krymp mot de nuvarande poängen (standard) eller mot noll.",
    "ITEM=COLUMN where the table names an item differently.":
        "FRÅGA=KOLUMN där tabellen har ett annat namn på en fråga.",
    "Fit the folds on N processes (1: one process; default: automatic, every core for large tables).":
        "Anpassa korsvalideringens delar i N processer (1: en process; standard: automatiskt, alla kärnor för "
        "stora tabeller).",
    "A column with the assessor's final band (ids or labels), evaluated beside the points.":
        "En kolumn med bedömarens slutliga nivå (id eller benämningar), som utvärderas bredvid poängen.",
    "Write the new instrument version here.": "Skriv den nya versionen av instrumentet till den här filen.",
    "Write report.html, metrics.json and plots here.":
        "Skriv report.html, metrics.json och diagrammen i den här mappen.",
    # schema
    "Print JSON Schemas (draft 2020-12) for instruments, answers and results.":
        "Skriv ut JSON-scheman (draft 2020-12) för instrument, svar och resultat.",
    "The schema every instrument file must satisfy.": "Schemat som varje instrumentfil måste uppfylla.",
    "The schema of valid answers for INSTRUMENT, so other systems can validate first.":
        "Schemat för giltiga svar till INSTRUMENT, så att andra system kan validera dem först.",
    "The schema of the JSON that ``riskmanual score`` prints.":
        "Schemat för den JSON som ``riskmanual score`` skriver ut.",
    # --- the case store (riskmanual/cli/case.py) ---
    "Who is acting, for the audit log (default: the OS user).":
        "Vem som utför åtgärden, för loggen (standard: användaren i operativsystemet).",
    "The pseudonym key (default: $RISKMANUAL_KEY_FILE, else pseudonym.key beside the default store); created on "
    "first use.":
        "Nyckeln för pseudonymer (standard: $RISKMANUAL_KEY_FILE, annars pseudonym.key bredvid "
        "standardregistret); skapas första gången den används.",
    "The case store: a SQLite file or a database URL (default: $RISKMANUAL_DB, else cases.sqlite in the user's "
    "data folder).":
        "Ärenderegistret: en SQLite-fil eller en databas-URL (standard: $RISKMANUAL_DB, annars cases.sqlite i "
        "användarens datamapp).",
    "A short note (no personnummer).": "En kort anteckning (inga personnummer).",
    "When it was given (default: today).": "När det gavs (standard: i dag).",
    # subject
    "Young people in the case store, known by a keyed pseudonym (never by personnummer).":
        "Unga i ärenderegistret, som hålls isär med en nyckelbaserad pseudonym (aldrig med personnummer).",
    "Register a young person by personnummer or samordningsnummer; prints the pseudonym to use.\n\n"
    "Without PERSONNUMMER (or with -) the number is asked for without echo in a terminal, or read\n"
    "from the first line of standard input, so that it stays out of the shell's history.":
        "Registrera en ung person med personnummer eller samordningsnummer; skriver ut pseudonymen att använda.\n\n"
        "Utan PERSONNUMMER (eller med -) efterfrågas numret i terminalen utan att visas, eller läses\n"
        "från första raden i standard in, så att det inte hamnar i skalets historik.",
    "How many guardians (vårdnadshavare) a minor has: 1 or 2 (required under 18).":
        "Hur många vårdnadshavare en underårig har: 1 eller 2 (krävs under 18 år).",
    "Remove everything about SUBJECT (a personnummer or pseudonym); the audit log keeps the pseudonym.":
        "Radera allt om SUBJECT (ett personnummer eller en pseudonym); loggen behåller pseudonymen.",
    "Why the data is erased (kept in the audit log).": "Varför uppgifterna raderas (sparas i loggen).",
    "Do not ask for confirmation.": "Fråga inte efter bekräftelse.",
    # consent
    "Consent to share information, recorded as events (record, withdraw) and shown as a state.":
        "Samtycke till informationsutbyte: registreras som händelser (record, withdraw) och visas som det "
        "läge som gäller.",
    "Record that a signatory consents to sharing with some agencies.":
        "Registrera att en undertecknare samtycker till informationsutbyte med vissa aktörer.",
    "Record that a signatory withdraws consent for some agencies.":
        "Registrera att en undertecknare återkallar sitt samtycke för vissa aktörer.",
    "What the consent covers: agencies, e.g. police,school,social_services, and reporting for pseudonymised "
    "follow-up and evaluation.":
        "Vad samtycket omfattar: aktörer, t.ex. police,school,social_services, och reporting för pseudonymiserad "
        "uppföljning och utvärdering.",
    "Who gives (or withdraws) consent.": "Vem som ger (eller återkallar) samtycket.",
    "When the consent ends (record only).": "När samtycket upphör (bara för record).",
    "Show SUBJECT's consent now (or --on a date) per agency, and every event behind it.":
        "Visa samtycket för SUBJECT nu (eller --on ett datum) per aktör, och varje händelse bakom det.",
    "The state on this date (default: today).": "Läget detta datum (standard: i dag).",
    # audit
    "The audit log of the case store.": "Ärenderegistrets logg.",
    "Check that the audit log's chain of hashes is unbroken (exit 1 if it is not).":
        "Kontrollera att loggens kedja av kontrollsummor är obruten (slutstatus 1 om den inte är det).",
    # assess, drafts
    "Assess SUBJECT with INSTRUMENT, guided item by item in the terminal or from --answers, and save it.":
        "Bedöm SUBJECT med INSTRUMENT, guidat fråga för fråga i terminalen eller från --answers, och spara "
        "bedömningen.",
    "The young person (personnummer or pseudonym).": "Den unge (personnummer eller pseudonym).",
    "The answers (JSON or YAML, or - for stdin); without it the assessment is guided in the terminal.":
        "Svaren (JSON eller YAML, eller - för standard in); utan den guidas bedömningen i terminalen.",
    "Continue the guided assessment of a draft ('riskmanual drafts' lists them).":
        "Fortsätt den guidade bedömningen i ett utkast ('riskmanual drafts' visar utkasten).",
    "The assessment date (default: today).": "Bedömningsdatum (standard: i dag).",
    "Save although the age is outside the instrument's population; the reason is kept.":
        "Spara trots att åldern ligger utanför den grupp instrumentet är gjort för; skälet sparas.",
    "This assessment corrects assessment ID (which stays as it was).":
        "Den här bedömningen rättar bedömning ID (som står kvar som den var).",
    "List the drafts of guided assessments that are not finished.":
        "Lista utkasten till guidade bedömningar som inte är klara.",
    # decide, history
    "Record a person's decision whether SUBJECT is selected for a SIG (the tool supports, a person decides).":
        "Registrera en persons beslut om huruvida SUBJECT väljs ut till SIG (verktyget ger stöd, en människa "
        "beslutar).",
    "Is the young person selected for a SIG?": "Väljs den unge ut till SIG?",
    "The reason for the decision, in words.": "Skälet till beslutet, i ord.",
    "The agencies that will share information in the SIG (their consent is checked).":
        "De aktörer som ska utbyta information i SIG (samtycket för dem kontrolleras).",
    "The assessment the decision rests on (default: the latest complete one).":
        "Bedömningen som beslutet grundas på (standard: den senaste fullständiga).",
    "Select although consent is lacking; the reason is kept in the audit log.":
        "Välj ut trots att samtycke saknas; skälet sparas i loggen.",
    "Every assessment of SUBJECT over time, and what improved or worsened since the one before.":
        "Alla bedömningar av SUBJECT över tid, och vad som har blivit bättre eller sämre sedan den förra.",
    # follow-up, tasks
    "Follow-up and outcome records: a new offence, an intervention completed, school or work started, closure.":
        "Uppföljning och utfall: ett nytt brott, en avslutad insats, påbörjad skola eller påbörjat arbete, "
        "avslut.",
    "Record what happened for SUBJECT, with its date.": "Registrera vad som har hänt SUBJECT, med datum.",
    "Why the case is closed (closure only).": "Varför ärendet avslutas (bara vid avslut).",
    "Reassessments, consents and commitments' follow-ups that fall due, computed from the dates\n"
    "(open cases only).":
        "Nya bedömningar, samtycken och uppföljningar av åtaganden som ska göras, beräknade från datumen\n"
        "(bara öppna ärenden).",
    "Only what is already overdue.": "Bara det som redan är försenat.",
    "Also what falls due within this many days.": "Även det som ska göras inom så här många dagar.",
    # --- plan (riskmanual/cli/plan.py) ---
    "The individual action plan: each agency's commitments, drawn from an assessment.":
        "Den individuella åtgärdsplanen: varje aktörs åtaganden, utifrån en bedömning.",
    "Draft a plan from ASSESSMENT (its id, as 'riskmanual history' shows it): for each need the\n"
    "band says to offer, the instrument's interventions with their agencies, where consent allows.":
        "Gör ett utkast till åtgärdsplan utifrån ASSESSMENT (dess id, som 'riskmanual history' visar det): för\n"
        "varje behov som nivån säger ska mötas, instrumentets insatser med sina aktörer, där samtycket tillåter.",
    "When the commitments start (default: today).": "När åtagandena börjar (standard: i dag).",
    "Follow each commitment up this many months after it starts.":
        "Följ upp varje åtagande så här många månader efter att det börjat.",
    "Show one plan (by id) or every plan of a subject (by pseudonym).":
        "Visa en åtgärdsplan (med id) eller alla planer för en ung person (med pseudonym).",
    "Edit PLAN: the young person's goals, a new commitment (--add), or one commitment's text,\n"
    "dates or state (--commitment N).":
        "Ändra PLAN: den unges mål, ett nytt åtagande (--add), eller ett åtagandes text,\n"
        "datum eller status (--commitment N).",
    "The young person's own goals, in their own words.": "Den unges egna mål, med egna ord.",
    "Add a commitment (with --agency and --action).": "Lägg till ett åtagande (med --agency och --action).",
    "The commitment to change.": "Åtagandet som ska ändras.",
    "Take the proposed --commitment out of a draft plan.":
        "Ta bort det föreslagna åtagandet (--commitment) ur ett utkast till plan.",
    "The responsible agency, e.g. school.": "Den ansvariga aktören, t.ex. school.",
    "The contact's role at the agency (not a name is fine too).":
        "Kontaktpersonens roll hos aktören (rollen räcker, ett namn behövs inte).",
    "What is done.": "Vad som görs.",
    "The goal, in plain words.": "Målet, med enkla ord.",
    "The need (item id) it answers.": "Behovet (frågans id) som åtagandet svarar mot.",
    "Move --commitment to this state.": "Ge åtagandet (--commitment) den här statusen.",
    "Why (needed for not_done and withdrawn).": "Varför (krävs för not_done och withdrawn).",
    "When the state changed (default: today).": "När statusen ändrades (standard: i dag).",
    "Commit PLAN as agreed: its proposed commitments become agreed (consent must cover each agency).":
        "Fastställ PLAN som överenskommen: dess föreslagna åtaganden blir överenskomna (samtycket måste "
        "omfatta varje aktör).",
    "When the young person, the guardians and the agencies agreed the plan (default: today).":
        "När den unge, vårdnadshavarna och aktörerna kom överens om planen (standard: i dag).",
    "Follow COMMITMENT up: what happened against its goal, and its state from now on.":
        "Följ upp COMMITMENT: vad som har hänt i förhållande till målet, och åtagandets status från och med nu.",
    "What happened against the goal.": "Vad som har hänt i förhållande till målet.",
    "The commitment's state after the follow-up.": "Åtagandets status efter uppföljningen.",
    "When it was followed up (default: today).": "När det följdes upp (standard: i dag).",
    "The next follow-up (default: the same interval again while it stays open).":
        "Nästa uppföljning (standard: samma intervall igen så länge åtagandet är öppet).",
    # --- report (riskmanual/cli/report.py) ---
    "The case report of ASSESSMENT (its number, 12 or #12, as 'riskmanual history' shows it):\n"
    "the result and why, consent, the action plan and the change since the previous assessment.":
        "Ärenderapporten för ASSESSMENT (dess nummer, 12 eller #12, som 'riskmanual history' visar det):\n"
        "resultatet och varför, samtycke, åtgärdsplanen och förändringen sedan den förra bedömningen.",
    "Write the report to this new file (never overwritten); without it to standard output.":
        "Skriv rapporten till den här nya filen (en befintlig fil skrivs aldrig över); utan den till standard ut.",
    # --- export, demo-data (riskmanual/cli/export.py) ---
    "Write the pseudonymised assessments, decisions, plans and outcomes of the young people whose\n"
    "consent covers reporting: one row per assessment, one column per item (the shape 'riskmanual\n"
    "calibrate' reads), with a data dictionary. Every export is written to the audit log.":
        "Exportera pseudonymiserade bedömningar, beslut, planer och utfall för de unga vars samtycke\n"
        "omfattar rapportering: en rad per bedömning, en kolumn per fråga (den form som 'riskmanual\n"
        "calibrate' läser), med en variabelförteckning. Varje export skrivs i loggen.",
    "The main table (.csv or .parquet); the side tables and the data dictionary are written beside it. An "
    "existing file is never overwritten.":
        "Huvudtabellen (.csv eller .parquet); sidotabellerna och variabelförteckningen skrivs bredvid den. En "
        "befintlig fil skrivs aldrig över.",
    "csv or parquet (default: from the suffix of --out, else csv).":
        "csv eller parquet (standard: efter filändelsen i --out, annars csv).",
    "Only assessments on or after this date.": "Bara bedömningar från och med detta datum.",
    "Only assessments with this instrument id (one main table, written to --out).":
        "Bara bedömningar med detta instrument-id (en huvudtabell, skriven till --out).",
    "Fill an empty case store with a synthetic cohort (made-up young people, consent,\n"
    "assessments, decisions, plans, commitments and outcomes), to try export and evaluate on.":
        "Fyll ett tomt ärenderegister med en syntetisk kohort (påhittade unga, samtycken,\n"
        "bedömningar, beslut, planer, åtaganden och utfall) att pröva export och evaluate på.",
    "How many made-up young people.": "Hur många påhittade unga.",
    "The same seed gives the same cohort.": "Samma slumpfrö ger samma kohort.",
    "The first intake date.": "Det första inskrivningsdatumet.",
    "How many months the cohort is followed (never past today).":
        "Hur många månader kohorten följs (aldrig längre än till i dag).",
    "Fill a store that already has young people (never mix with real cases).":
        "Fyll ett register som redan har unga (blanda aldrig med verkliga ärenden).",
    # --- evaluate (riskmanual/cli/evaluate.py) ---
    "Evaluate the work: target group, the young people's course and outcomes, collaboration,\n"
    "and with --compare a matched comparison.":
        "Utvärdera arbetet: målgrupp, de ungas förlopp och utfall, samverkan,\n"
        "och med --compare en matchad jämförelse.",
    "The first assessment date of the period (default: the first there is).":
        "Periodens första bedömningsdatum (standard: det första som finns).",
    "The last assessment date of the period; outcomes are followed until it (default: today).":
        "Periodens sista bedömningsdatum; utfallen följs fram till det (standard: i dag).",
    "Write here (never over an existing file); without it, to standard output.":
        "Skriv till den här filen (aldrig över en befintlig fil); utan den till standard ut.",
    "Another unit's export (riskmanual export, CSV or Parquet): outcomes against matched non-participants.":
        "En annan enhets export (riskmanual export, CSV eller Parquet): utfall jämförda med matchade unga som "
        "inte deltog.",
    "With --compare: the same band and the nearest total, or a propensity score on the items.":
        "Med --compare: samma nivå och närmaste summa, eller en benägenhetspoäng (propensity score) från frågorna.",
    "With --compare: the largest distance of a match (default 2 points; 0.2 SD of the logit).":
        "Med --compare: det största avståndet i en matchning (standard 2 poäng; 0,2 SD av logiten).",
    "The instrument id (default: the one used most).": "Instrumentets id (standard: det som används mest).",
    "Counts under this are suppressed (and rates of so few).":
        "Antal under detta visas inte (och inte heller andelar av så få).",
}


def walk(command: Any, path: tuple[str, ...] = ("riskmanual",)) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``command`` and every command under it, each with its path (``("riskmanual", "plan", "edit")``)."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


def help_texts(command: Any) -> Iterator[str]:
    """Every description ``command``'s help shows: its help and short help (cleaned as click cleans
    them), and each of its parameters' help; click's own (``--help``, ``--version``) included."""
    for text in (command.help, command.short_help):
        if text:
            yield inspect.cleandoc(text)
    for param in command.params:
        if getattr(param, "help", None):
            yield param.help


def _english() -> dict[str, str]:
    """Swedish back to English, for a text click made while it spoke Swedish (its cached --help)."""
    from ..usage import SV as CLICK_SV

    return {sv: en for catalogue in (CLICK_SV, SV) for en, sv in catalogue.items()}


def _in(text: str | None, lang: str, english: dict[str, str]) -> str | None:
    if not text:
        return text
    if lang != "sv":
        return english.get(text, text)
    from ..usage import SV as CLICK_SV

    key = english.get(text) or inspect.cleandoc(text)
    return SV.get(key) or CLICK_SV.get(key) or text


@contextmanager
def described(command: Any, ctx: Any = None) -> Iterator[None]:
    """While the block runs, ``command``'s help and short help (and, given ``ctx``, its parameters'
    help) are in the language click speaks now; afterwards they are as they were."""
    from ..usage import current_language

    lang = current_language()
    english = _english()
    # (an Argument has help from click 8.2 on)
    params = [param for param in command.get_params(ctx) if hasattr(param, "help")] if ctx is not None else []
    saved = (command.help, command.short_help, [(param.help, param.metavar) for param in params])
    try:
        command.help = _in(command.help, lang, english)
        command.short_help = _in(command.short_help, lang, english)
        for param in params:
            param.help = _in(param.help, lang, english)
            if lang == "sv" and param.param_type_name == "option":
                param.metavar = METAVARS_SV.get(param.make_metavar(ctx), param.metavar)
        yield
    finally:
        command.help, command.short_help = saved[0], saved[1]
        for param, (text, metavar) in zip(params, saved[2]):
            param.help, param.metavar = text, metavar
