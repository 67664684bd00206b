"""Swedish texts of the engine's translatable messages, keyed by their English template.

Every ``tr("...")`` template in the package has an entry here; a test checks it.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    # --- scoring: required items, notes, critical answers, checks of the new fields ---
    "the note is {n} characters long; at most {limit} are allowed":
        "anteckningen är {n} tecken lång; högst {limit} tecken är tillåtna",
    "item '{item}' is required: it must be answered, 'unknown' is not allowed":
        "frågan '{item}' är obligatorisk: den måste besvaras, 'okänt' är inte tillåtet",
    "item '{item}' is required and applies here: answer it (it is never estimated)":
        "frågan '{item}' är obligatorisk och gäller här: besvara den (den uppskattas aldrig)",
    "the answer {answers} is critical": "svaret {answers} är kritiskt",
    "the answers {answers} are critical": "svaren {answers} är kritiska",
    "{value} or more is critical": "{value} eller mer är kritiskt",
    "an assessor's review is required": "bedömarens granskning krävs",
    "the band is at least {band}": "nivån är minst {band}",
    "say which answers are critical: answers (codes) or at_least (a number)":
        "ange vilka svar som är kritiska: answers (koder) eller at_least (ett tal)",
    "answers lists codes, but this item has numbers: use at_least":
        "answers anger koder, men frågan besvaras med tal: använd at_least",
    "at_least is for numeric and derived items; use answers (codes)":
        "at_least gäller frågor som besvaras med tal; använd answers (koder)",
    "a derived item is computed by the engine and cannot be required; the answers' birth_date gives it":
        "en beräknad fråga räknas fram av programmet och kan inte vara obligatorisk; födelsedatumet i svaren ger den",
    "band '{band}' can never be reached: totals run from {low} to {high}":
        "nivån '{band}' kan aldrig nås: summan kan bara bli {low} till {high}",
}
