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
    "unknown answer '{value}'": "svaret '{value}' finns inte",
    "band '{band}' can never be reached: totals run from {low} to {high}":
        "nivån '{band}' kan aldrig nås: summan kan bara bli {low} till {high}",
    # --- errors.py: how an issue shows the value it found ---
    " (got {value})": " (angivet: {value})",
    "{value}": "{value}",
    "a mapping of {n} entries": "en mappning med {n} poster",
    "a list of {n} entries": "en lista med {n} poster",
    "a number of about {n} digits": "ett tal med omkring {n} siffror",
    # --- checks.py: the rules of meaning of an instrument ---
    "the changelog has no entry for this version {version}": "ändringsloggen (changelog) saknar en post för den här versionen {version}",
    "the changelog names item '{item}', which this version does not have":
        "ändringsloggen nämner frågan '{item}', som den här versionen inte har",
    "the changelog says item '{item}' was removed, but this version still has it":
        "ändringsloggen säger att frågan '{item}' är borttagen, men den här versionen har den kvar",
    "age.min is above age.max": "age.min är större än age.max",
    "a language is listed twice": "ett språk står med två gånger",
    "text is missing the declared language(s) {languages}": "texten saknar det deklarerade språket/språken {languages}",
    "text has language(s) {languages} not declared in 'languages'": "texten har språket/språken {languages}, som inte står i 'languages'",
    "domain id '{id}' is used twice": "områdes-id '{id}' används två gånger",
    "domain '{id}' has no items and no subdomains": "området '{id}' har varken frågor eller delområden",
    "item id '{id}' is used twice": "fråge-id '{id}' används två gånger",
    "unknown domain '{value}'": "området '{value}' finns inte",
    "domain '{id}' has subdomains: put the item in one of them": "området '{id}' har delområden: lägg frågan i ett av dem",
    "unknown rating level '{value}'": "bedömningsnivån '{value}' finns inte bland frågans svar",
    "only dynamic items can have interventions: a static item cannot change":
        "bara dynamiska frågor kan ha insatser: en statisk faktor går inte att förändra",
    "information items are not scored: their points must be 0": "informationsfrågor ger inga poäng: deras poäng ska vara 0",
    "protective points are strengths and must not be negative; scoring.protective says whether they are subtracted":
        "poäng för skyddsfaktorer är styrkor och får inte vara negativa; scoring.protective anger om de dras av",
    "option code '{code}' is used twice": "svarskoden '{code}' används två gånger",
    "'{code}' is reserved: use allow_unknown / allow_not_applicable": "'{code}' är reserverad: använd allow_unknown / allow_not_applicable",
    "max must be above min ({min})": "max måste vara större än min ({min})",
    "a scored numeric item needs bins that map values to points": "en poänggivande sifferfråga behöver intervall (bins) som ger värdena poäng",
    "a scored derived item needs bins that map values to points": "en poänggivande beräknad fråga behöver intervall (bins) som ger värdena poäng",
    "at least one bin is needed": "minst ett intervall behövs",
    "at least one band is needed": "minst en nivå behövs",
    "at least one row is needed": "minst en rad behövs",
    "bin is empty: below must be above min ({min})": "intervallet är tomt: below måste vara större än min ({min})",
    "band is empty: below must be above min ({min})": "nivån är tom: below måste vara större än min ({min})",
    "row is empty: below must be above min ({min})": "raden är tom: below måste vara större än min ({min})",
    "only the first bin may leave min open": "bara det första intervallet får sakna min",
    "only the first band may leave min open": "bara den första nivån får sakna min",
    "only the first row may leave min open": "bara den första raden får sakna min",
    "only the last bin may leave below open": "bara det sista intervallet får sakna below",
    "only the last band may leave below open": "bara den sista nivån får sakna below",
    "only the last row may leave below open": "bara den sista raden får sakna below",
    "gap: nothing covers {a} <= x < {b} between bins {i} and {j}": "glapp: inget täcker {a} <= x < {b} mellan intervall {i} och {j}",
    "gap: nothing covers {a} <= x < {b} between bands {i} and {j}": "glapp: inget täcker {a} <= x < {b} mellan nivå {i} och {j}",
    "gap: nothing covers {a} <= x < {b} between rows {i} and {j}": "glapp: inget täcker {a} <= x < {b} mellan rad {i} och {j}",
    "overlap: bins {i} and {j} both cover {a} <= x < {b}": "överlapp: intervall {i} och {j} täcker båda {a} <= x < {b}",
    "overlap: bands {i} and {j} both cover {a} <= x < {b}": "överlapp: nivå {i} och {j} täcker båda {a} <= x < {b}",
    "overlap: rows {i} and {j} both cover {a} <= x < {b}": "överlapp: rad {i} och {j} täcker båda {a} <= x < {b}",
    "values below {a} (down to {b}) are covered by no bin": "värden under {a} (ned till {b}) täcks inte av något intervall",
    "values below {a} (down to {b}) are covered by no band": "värden under {a} (ned till {b}) täcks inte av någon nivå",
    "values below {a} (down to {b}) are covered by no row": "värden under {a} (ned till {b}) täcks inte av någon rad",
    "values from {a} (up to {b}) are covered by no bin": "värden från {a} (upp till {b}) täcks inte av något intervall",
    "values from {a} (up to {b}) are covered by no band": "värden från {a} (upp till {b}) täcks inte av någon nivå",
    "values from {a} (up to {b}) are covered by no row": "värden från {a} (upp till {b}) täcks inte av någon rad",
    "any": "obegränsat",
    "unknown item '{value}'": "frågan '{value}' finns inte",
    "conditions form a cycle: {cycle}": "villkoren bildar en cirkel: {cycle}",
    "'in' needs a list of values": "'in' behöver en lista med värden",
    "'{op}' needs a single value, not a list": "'{op}' behöver ett enda värde, inte en lista",
    "unknown answer code of item '{item}' '{value}'": "frågan '{item}' har ingen svarskod '{value}'",
    "'{op}' needs an ordered item; '{item}' is not ordinal": "'{op}' kräver en fråga med ordnade svar; '{item}' är inte ordinal",
    "item '{item}' is numeric: compare it with a number": "frågan '{item}' besvaras med ett tal: jämför den med ett tal",
    "band id '{id}' is used twice": "nivå-id '{id}' används två gånger",
    "unknown band '{value}'": "nivån '{value}' finns inte",
    "the interval does not contain the rate {rate}": "intervallet innehåller inte andelen {rate}",
    "more events than cases (n = {n})": "fler utfall än fall (n = {n})",
    "{message}; did you mean '{close}'?": "{message}; menade du '{close}'?",
    "{message}; expected one of: {known}": "{message}; möjliga värden: {known}",
    # --- loading.py: structural errors (JSON Schema, pydantic) in words ---
    "{file}: cannot read instrument": "{file}: instrumentet går inte att läsa",
    "{file}: not an instrument": "{file}: inget instrument",
    "an instrument is a mapping of keys, not {kind}": "ett instrument är en mappning med nycklar, inte {kind}",
    "a value": "ett värde",
    "{file}: invalid instrument (1 problem)": "{file}: ogiltigt instrument (1 fel)",
    "{file}: invalid instrument ({n} problems)": "{file}: ogiltigt instrument ({n} fel)",
    "a list": "en lista",
    "a number": "ett tal",
    "a text": "en text",
    "a whole number": "ett heltal",
    "true or false": "true eller false",
    "nothing (the document is empty)": "ingenting (dokumentet är tomt)",
    "nothing (null)": "ingenting (null)",
    "a mapping of keys (or, for a text, {{language: text}})": "en mappning med nycklar (eller, för en text, {{språk: text}})",
    "'{key}' is not a language code such as 'sv' or 'en' (a text with a comma in a {{sv: ..., en: ...}} map needs quotes)":
        "'{key}' är ingen språkkod som 'sv' eller 'en' (en text med kommatecken i en {{sv: ..., en: ...}}-mappning "
        "behöver citattecken)",
    "unknown key '{key}'; did you mean '{close}'?": "okänd nyckel '{key}'; menade du '{close}'?",
    "unknown key '{key}'; allowed keys: {allowed}": "okänd nyckel '{key}'; tillåtna nycklar: {allowed}",
    "missing required key '{key}'": "nyckeln '{key}' saknas men krävs",
    "'{key}' has no text (if '{key}' belongs to the text before it: a text with a comma in a {{sv: ..., en: ...}} map needs quotes)":
        "'{key}' har ingen text (om '{key}' hör till texten före: en text med kommatecken i en "
        "{{sv: ..., en: ...}}-mappning behöver citattecken)",
    "expected {kind}": "förväntade {kind}",
    "must be one of: {options}; did you mean '{close}'?": "måste vara något av: {options}; menade du '{close}'?",
    "must be one of: {options}": "måste vara något av: {options}",
    "does not match any allowed form": "har ingen av de tillåtna formerna",
    "{a} or {b}": "{a} eller {b}",
    "{kind}": "{kind}",
    "must be an id: lowercase letters, digits, '-' and '_', starting with a letter or digit":
        "måste vara ett id: små bokstäver, siffror, '-' och '_', som börjar med en bokstav eller siffra",
    "must be a code: letters, digits, '.', '+', '-' and '_', no spaces":
        "måste vara en kod: bokstäver, siffror, '.', '+', '-' och '_', inga mellanslag",
    "must be a date written YYYY-MM-DD": "måste vara ett datum skrivet ÅÅÅÅ-MM-DD",
    "must be a language code such as 'sv' or 'en'": "måste vara en språkkod som 'sv' eller 'en'",
    "must be a semantic version such as 1.0.0": "måste vara ett versionsnummer som 1.0.0",
    "must match the pattern {pattern}": "måste följa mönstret {pattern}",
    "must not be empty": "får inte vara tom",
    "must be at least {n} characters long": "måste vara minst {n} tecken lång",
    "must be at most {n} characters long": "får vara högst {n} tecken lång",
    "needs at least one entry": "behöver minst en post",
    "needs at least {n} entries": "behöver minst {n} poster",
    "may have at most {n} entries": "får ha högst {n} poster",
    "must be at least {n}": "måste vara minst {n}",
    "must be at most {n}": "får vara högst {n}",
    "must be above {n}": "måste vara större än {n}",
    "must be below {n}": "måste vara mindre än {n}",
    "has an entry twice": "har en post två gånger",
    "has a key that is not allowed here": "har en nyckel som inte är tillåten här",
    "does not fit the schema: {detail}": "stämmer inte med schemat: {detail}",
    "this key is required": "nyckeln krävs",
    "unknown key": "okänd nyckel",
    "expected a text": "förväntade en text",
    "expected a whole number": "förväntade ett heltal",
    "expected a number": "förväntade ett tal",
    "expected true or false": "förväntade true eller false",
    "expected a mapping of keys": "förväntade en mappning med nycklar",
    "expected a list": "förväntade en lista",
    "expected a date written YYYY-MM-DD": "förväntade ett datum skrivet ÅÅÅÅ-MM-DD",
    "expected a date without a time of day": "förväntade ett datum utan klockslag",
    "expected a finite number": "förväntade ett ändligt tal",
    "this kind is not one the format knows": "formatet känner inte till den här typen",
    "a required key that says the kind is missing": "nyckeln som anger typen saknas men krävs",
    "{detail}": "{detail}",
    "invalid value: {detail}": "ogiltigt värde: {detail}",
    # --- yamlsource.py: reading a file ---
    "more problems may follow; the first {n} are listed": "fler fel kan finnas; de första {n} visas",
    "more than {n} values in one file; refused": "fler än {n} värden i en fil; vägras",
    "while reading nested values": "när nästlade värden lästes",
    "nested too deeply; refused": "för djupt nästlat; vägras",
    "not a regular file (a FIFO, a device or a socket); refused":
        "inte en vanlig fil (en FIFO, en enhet eller en socket); vägras",
    "aliases repeat more than {n} characters of text; refused": "alias upprepar mer än {n} tecken text; vägras",
    "a number of more than {n} digits; refused": "ett tal med fler än {n} siffror; vägras",
    "'{value}' cannot be read as {tag}": "'{value}' kan inte läsas som {tag}",
    "no such file": "filen finns inte",
    "is a directory, not a file": "är en mapp, inte en fil",
    "cannot read: {reason}": "kan inte läsas: {reason}",
    "file is larger than the limit of {limit} bytes; refused": "filen är större än gränsen på {limit} byte; den läses inte",
    "not UTF-8 text: byte {offset} (0x{byte}) on line {line} cannot be read; save the file as UTF-8 (in most editors: Save as, encoding UTF-8)":
        "ingen UTF-8-text: byte {offset} (0x{byte}) på rad {line} går inte att läsa; spara filen som UTF-8 "
        "(i de flesta redigerare: Spara som, teckenkodning UTF-8)",
    "YAML syntax error: {detail}": "syntaxfel i YAML: {detail}",
    "{first}: {second}": "{first}: {second}",
    "while reading {what}": "när {what} lästes",
    "while reading the next part": "när nästa del lästes",
    "the indentation does not match": "indraget stämmer inte",
    "expected a new document": "ett nytt dokument väntades",
    "expected a value here": "ett värde väntades här",
    "a ',' or a closing bracket is missing": "ett ',' eller en avslutande parentes saknas",
    "a list entry ('- ') was expected here: check the indentation":
        "en listpost ('- ') väntades här: kontrollera indraget",
    "a key was expected here: check the indentation and that every key ends with ':'":
        "en nyckel väntades här: kontrollera indraget och att varje nyckel slutar med ':'",
    "a ':' is missing after a key": "ett ':' saknas efter en nyckel",
    "a ':' is not allowed here (quote the text, or check the indentation)":
        "ett ':' är inte tillåtet här (sätt texten inom citattecken eller kontrollera indraget)",
    "a character here cannot start a value (a tab, or a character such as @ or ` that must be quoted)":
        "ett tecken här kan inte inleda ett värde (en tabb, eller ett tecken som @ eller ` som måste stå inom citattecken)",
    "the file ends in the middle of a value (is a quote not closed?)":
        "filen tar slut mitt i ett värde (saknas ett avslutande citattecken?)",
    "unknown escape sequence with '\\' (write '\\\\' for a backslash, or use single quotes)":
        "okänd kombination med '\\' (skriv '\\\\' för ett omvänt snedstreck, eller använd enkla citattecken)",
    "an alias (*name) that no anchor (&name) defines": "ett alias (*namn) som inget ankare (&namn) definierar",
    "an anchor (&name) is defined twice": "ett ankare (&namn) är definierat två gånger",
    "this is the second definition": "det här är den andra definitionen",
    "unexpected ':'": "oväntat ':'",
    "expected the end of the line": "radens slut väntades",
    "a list entry ('- ') is not allowed here": "en listpost ('- ') är inte tillåten här",
    "a tab is used for indentation: use spaces": "en tabb används för indrag: använd mellanslag",
    "a key cannot be a list or a mapping": "en nyckel kan inte vara en lista eller en mappning",
    "a mapping": "en mappning",
    "a list": "en lista",
    "a mapping in braces": "en mappning inom klammerparenteser",
    "a list in brackets": "en lista inom hakparenteser",
    "a value": "ett värde",
    "a key": "en nyckel",
    "a quoted text": "en text inom citattecken",
    "a text": "en text",
    "a block text": "en blocktext",
    "an alias": "ett alias",
    "an anchor": "ett ankare",
    "a tag": "en tagg",
    "a directive": "ett direktiv",
    "invalid YAML": "ogiltig YAML",
    "character {code} is not allowed in YAML ({reason})": "tecknet {code} är inte tillåtet i YAML ({reason})",
    "YAML error: {detail}": "YAML-fel: {detail}",
    "the file is empty": "filen är tom",
    "nested more than {depth} levels deep; refused": "nästlad i mer än {depth} nivåer; den läses inte",
    "an alias refers to a value that contains it; recursive data is refused":
        "ett alias pekar på ett värde som innehåller aliaset; rekursiva data läses inte",
    "aliases repeat more than {n} values; refused": "alias upprepar fler än {n} värden; filen läses inte",
    "unsupported YAML tag {tag}": "YAML-taggen {tag} stöds inte",
    "{value} is not a number this tool accepts: use a finite number": "{value} är inget tal som programmet godtar: använd ett ändligt tal",
    "YAML merge keys (<<) are not supported": "sammanslagningsnycklar (<<) i YAML stöds inte",
    "a mapping key must be a plain string or number": "en nyckel måste vara en enkel text eller ett tal",
    "duplicate key '{key}' (first at line {line})": "nyckeln '{key}' står två gånger (först på rad {line})",
    # --- registry.py: finding instruments ---
    "in ${name}: no such home folder": "i ${name}: hemkatalogen finns inte",
    "not UTF-8 text": "inte UTF-8-text",
    "warning: {issue} (skipped)": "varning: {issue} (hoppas över)",
    "no instrument file {file}": "instrumentfilen {file} finns inte",
    "no instrument '{id}'; known: {known}": "instrumentet '{id}' finns inte; kända instrument: {known}",
    "none": "inga",
    "no version {version} of '{id}'; available: {versions}": "'{id}' finns inte i version {version}; tillgängliga versioner: {versions}",
    "{file} says it is {ref}, not {wanted}": "{file} säger att det är {ref}, inte {wanted}",
    # --- cli.py: the command line ---
    "... and {n} more": "… och {n} till",
    "error: {message}": "fel: {message}",
    "${name}={value}: use one of {languages}": "${name}={value}: använd något av {languages}",
    "{file}: {message}": "{file}: {message}",
    "{file}: ok ({ref}, {items})": "{file}: ok ({ref}, {items})",
    "no instruments found": "inga instrument hittades",
    "{file}: cannot read answers": "{file}: svaren går inte att läsa",
    "{value} is not a finite number": "{value} är inget ändligt tal",
    "cannot tell the format of '{file}': use a .csv or .parquet file":
        "formatet för '{file}' går inte att avgöra: använd en .csv- eller .parquet-fil",
    "error: {file} already exists; use --force to overwrite it": "fel: {file} finns redan; använd --force för att skriva över den",
    "error: cannot write {file}: {reason}": "fel: {file} går inte att skriva: {reason}",
    "{rows} rows, {events} events, base rate {rate}: wrote {file}": "{rows} rader, {events} utfall, basfrekvens {rate}: skrev {file}",
    "{file}: not an answers document": "{file}: inga svar",
    "an answers document is a mapping with instrument, version, assessment_date and answers":
        "ett svarsdokument är en mappning med instrument, version, assessment_date och answers",
    # --- answers.py and scoring.py: answers that do not fit ---
    "these answers are for '{named}', not '{id}'; score them with '{named}'":
        "svaren gäller '{named}', inte '{id}'; poängsätt dem med '{named}'",
    "these answers are for version {version}, but the instrument is version {current}; score them with {id}@{version}":
        "svaren gäller version {version}, men instrumentet har version {current}; poängsätt dem med {id}@{version}",
    "the assessment date is in the future (today is {today})": "bedömningsdatumet ligger i framtiden (i dag är det {today})",
    "the birth date is after the assessment date": "födelsedatumet ligger efter bedömningsdatumet",
    "the birth date gives an age above 120": "födelsedatumet ger en ålder över 120 år",
    "looks like a personnummer (a phone number without spaces can look like one): use a case reference, never a personal identity number": 'ser ut som ett personnummer (ett telefonnummer utan mellanslag kan se ut som ett): använd en ärendereferens, aldrig ett personnummer',
    "a note looks like it holds a personnummer (a phone number without spaces can look like one): remove it": 'anteckningen ser ut att innehålla ett personnummer (ett telefonnummer utan mellanslag kan se ut som ett): ta bort det',
    "the reason looks like it holds a personnummer (a phone number without spaces can look like one): remove it": 'motiveringen ser ut att innehålla ett personnummer (ett telefonnummer utan mellanslag kan se ut som ett): ta bort det',
    "item '{item}' is computed by the engine (from the birth date); do not answer it":
        "frågan '{item}' räknas fram av programmet (från födelsedatumet); besvara den inte",
    "item '{item}' must be answered: 'unknown' is not allowed": "frågan '{item}' måste besvaras: 'unknown' (okänt) är inte tillåtet",
    "item '{item}' always applies: 'not_applicable' is not allowed":
        "frågan '{item}' gäller alltid: 'not_applicable' (ej tillämplig) är inte tillåtet",
    "expected a number (or unknown)": "förväntade ett tal (eller unknown)",
    "out of range: expected {min} to {max}": "utanför intervallet: förväntade {min} till {max}",
    "no item '{item}' in {ref}; did you mean '{close}'?": "{ref} har ingen fråga '{item}'; menade du '{close}'?",
    "no item '{item}' in {ref}": "{ref} har ingen fråga '{item}'",
    "unknown band; did you mean '{code}' ({label})? Expected one of: {known}":
        "nivån finns inte; menade du '{code}' ({label})? Möjliga nivåer: {known}",
    "unknown band; expected one of: {known}": "nivån finns inte; möjliga nivåer: {known}",
    "not an answer to this item; did you mean '{code}' ({label})? Expected one of: {codes}":
        "frågan har inget sådant svar; menade du '{code}' ({label})? Möjliga svar: {codes}",
    "not an answer to this item; expected one of: {codes}": "frågan har inget sådant svar; möjliga svar: {codes}",
    "expected yes or no; did you mean '{code}' ({label})? Expected one of: {codes}":
        "förväntade yes eller no; menade du '{code}' ({label})? Möjliga svar: {codes}",
    "expected yes or no (or true / false); expected one of: {codes}":
        "förväntade yes eller no (eller true / false); möjliga svar: {codes}",
    "answers must be a mapping": "svaren måste vara en mappning",
    "answers must be a mapping of keys": "svaren måste vara en mappning med nycklar",
    "{file}: invalid answers": "{file}: ogiltiga svar",
    "unknown key (allowed: {keys})": "okänd nyckel (tillåtna: {keys})",
    "missing required key": "nyckeln saknas men krävs",
    "item '{item}' does not apply here (its condition is false): leave it out or answer not_applicable":
        "frågan '{item}' gäller inte här (villkoret är inte uppfyllt): utelämna den eller svara not_applicable",
    "item '{item}' applies here (its condition holds or cannot be decided): it cannot be not_applicable":
        "frågan '{item}' gäller här (villkoret är uppfyllt eller kan inte avgöras): den kan inte vara not_applicable",
    "this instrument's result is the assessor's final rating: give judgement: {{band: ..., reason: ...}}":
        "instrumentets resultat är bedömarens slutliga nivå: ange judgement: {{band: ..., reason: ...}}",
    "{ref} does not allow the assessor to override the computed band":
        "{ref} tillåter inte att bedömaren justerar den beräknade nivån",
    "an incomplete assessment has no computed band to override":
        "en ofullständig bedömning har ingen beräknad nivå att justera",
    "a written reason is required for the assessor's band": "bedömarens nivå kräver en skriftlig motivering",
    "{file}: answers do not fit {ref} (1 problem)": "{file}: svaren passar inte {ref} (1 fel)",
    "{file}: answers do not fit {ref} ({n} problems)": "{file}: svaren passar inte {ref} ({n} fel)",
    "overrides may only go up; {given} is lower than the computed band {computed}":
        "nivån får bara justeras uppåt; {given} är lägre än den beräknade nivån {computed}",
    "overrides may only go down; {given} is higher than the computed band {computed}":
        "nivån får bara justeras nedåt; {given} är högre än den beräknade nivån {computed}",
    "invalid identity number": "ogiltigt personnummer eller samordningsnummer",
    "not a personnummer or samordningsnummer: write 10 or 12 digits, as YYMMDD-NNNC or YYYYMMDD-NNNC":
        "inget personnummer eller samordningsnummer: skriv 10 eller 12 siffror, som ÅÅMMDD-NNNK eller ÅÅÅÅMMDD-NNNK",
    "the check digit of the personnummer or samordningsnummer is wrong: check for a typing error":
        "kontrollsiffran i personnumret eller samordningsnumret stämmer inte: kontrollera att det är rätt skrivet",
    "a 12-digit personnummer has no '+': write it without a separator or with '-'":
        "ett personnummer med 12 siffror har inget '+': skriv det utan skiljetecken eller med '-'",
    "the personnummer or samordningsnummer does not hold a real date of birth":
        "personnumret eller samordningsnumret innehåller inget verkligt födelsedatum",
    "the personnummer or samordningsnummer gives a date of birth in the future":
        "personnumret eller samordningsnumret ger ett födelsedatum i framtiden",
    "unknown signatory '{value}'; use one of {choices}": "okänd undertecknare '{value}'; använd någon av {choices}",
    "the young person has {n} recorded guardian(s); there is no {signatory}": "den unge har {n} registrerade vårdnadshavare; det finns ingen {signatory}",
    "the young person is 18 or older on {date}: only their own consent counts": "den unge är 18 år eller äldre den {date}: bara hens eget samtycke gäller",
    "unknown agency {values}; use some of {choices}": "okänd aktör {values}; använd några av {choices}",
    "name at least one agency": "ange minst en aktör",
    "the date {date} is in the future": "datumet {date} ligger i framtiden",
    "the consent expires on {expires}, not after it was given on {date}": "samtycket upphör {expires}, inte efter att det gavs {date}",
    "the consent cannot be recorded": "samtycket kan inte registreras",
    "no consent from {signatory} to share with {agency}": "inget samtycke från {signatory} till informationsutbyte med {agency}",
    "{signatory} has withdrawn consent to share with {agency}": "{signatory} har återkallat samtycket till informationsutbyte med {agency}",
    "the consent of {signatory} to share with {agency} has expired": "samtycket från {signatory} till informationsutbyte med {agency} har upphört",
    "the pseudonym key file does not exist; without it no subject can be found": "nyckelfilen för pseudonymer finns inte; utan den går ingen person att hitta",
    "the pseudonym key file is not a regular file": "nyckelfilen för pseudonymer är ingen vanlig fil",
    "the pseudonym key file can be read or written by others: make it readable by its owner only (chmod 600)": "nyckelfilen för pseudonymer kan läsas eller ändras av andra: gör den läsbar bara för ägaren (chmod 600)",
    "the pseudonym key file does not hold a key (64 hexadecimal digits)": "nyckelfilen för pseudonymer innehåller ingen nyckel (64 hexadecimala siffror)",
    "cannot use the pseudonym key": "nyckeln för pseudonymer kan inte användas",
    "no case store at {file}": "inget ärenderegister i {file}",
    "cannot create the case store": "ärenderegistret kan inte skapas",
    "the case store {file} is not a file": "ärenderegistret {file} är ingen fil",
    "the case store {file} was made by a newer riskmanual (schema {found}); upgrade riskmanual to open it": "ärenderegistret {file} är skapat av en nyare riskmanual (schema {found}); uppgradera riskmanual för att öppna det",
    "the case store {file} cannot be read: it is damaged or not a database": "ärenderegistret {file} går inte att läsa: det är skadat eller ingen databas",
    "the case store {file} is locked by another program; try again": "ärenderegistret {file} är låst av ett annat program; försök igen",
    "the case store {file} cannot be used": "ärenderegistret {file} kan inte användas",
    "not a database URL or file": "ingen databasadress eller fil",
    "a young person has 0, 1 or 2 guardians, not {n}": "en ung person har 0, 1 eller 2 vårdnadshavare, inte {n}",
    "the young person is {age} years old: record their guardian(s) with --guardians 1 or 2 (a minor's consent needs each guardian's)": "den unge är {age} år: ange vårdnadshavarna med --guardians 1 eller 2 (för den som är under 18 år krävs varje vårdnadshavares samtycke)",
    "the subject cannot be added": "personen kan inte läggas till",
    "the subject is already registered as {pseudonym}": "personen är redan registrerad som {pseudonym}",
    "no subject {pseudonym} in the case store; add them with 'riskmanual subject add'": "ingen person {pseudonym} i ärenderegistret; lägg till hen med 'riskmanual subject add'",
    "nothing to withdraw: {signatory} has given no consent to these agencies": "inget att återkalla: {signatory} har inte gett samtycke för dessa aktörer",
    "Events:": "Händelser:",
    "withdrawn": "återkallat",
    " (until {date})": " (till och med {date})",
    "Consent for {pseudonym} on {date} (needed from: {who}):": "Samtycke för {pseudonym} den {date} (krävs från: {who}):",
    "may share": "informationsutbyte tillåtet",
    "withdrawn by {who}": "återkallat av {who}",
    "expired for {who}": "upphört för {who}",
    "missing from {who}": "saknas från {who}",
    "may not share": "informationsutbyte inte tillåtet",
    "no consent recorded: nothing may be shared": "inget samtycke registrerat: ingen information får lämnas ut",
    "audit log intact: {n} entries, every hash matches": "loggen är hel: {n} poster, alla kontrollsummor stämmer",
    "entry {seq} does not match the chain: an entry was changed, removed or inserted": "post {seq} passar inte i kedjan: en post har ändrats, tagits bort eller lagts till",
    "the audit log is broken": "loggen är bruten",
    "{value} is not a date written YYYY-MM-DD": "{value} är inget datum skrivet ÅÅÅÅ-MM-DD",
    "{pseudonym}: born {birth}, {age} years, {n} guardian(s) recorded": "{pseudonym}: född {birth}, {age} år, {n} vårdnadshavare registrerade",
    "erasing cannot be undone: add --yes to confirm without a terminal": "en radering kan inte ångras: lägg till --yes för att bekräfta utan terminal",
    "Erase everything about {pseudonym}? This cannot be undone.": "Radera allt om {pseudonym}? Det går inte att ångra.",
    "{reason}": "{reason}",
    "given": "givet",
    "the case store cannot be read: it is damaged or not a database ({reason})": "ärenderegistret går inte att läsa: det är skadat eller ingen databas ({reason})",
    "the answers give another birth date than the subject's; leave birth_date out": "svaren anger ett annat födelsedatum än personens; utelämna birth_date",
    "the young person is {age} years old on the assessment date, outside {min}–{max} years that {ref} is made for; give --force with a reason to save it anyway": "den unge är {age} år på bedömningsdagen, utanför {min}–{max} år som {ref} är gjort för; ange --force med ett skäl för att ändå spara bedömningen",
    "assessment {id} is not one of this subject's": "bedömning {id} hör inte till den här personen",
    "a decision needs a written reason": "ett beslut behöver ett skrivet skäl",
    "no complete assessment to base the decision on: save one with 'riskmanual assess'": "ingen fullständig bedömning att grunda beslutet på: spara en med 'riskmanual assess'",
    "assessment {id} is not a complete assessment of this subject": "bedömning {id} är inte en fullständig bedömning av den här personen",
    "the young person cannot be selected: consent is missing for the agencies involved (or give --consent-override with a reason)": "den unge kan inte väljas ut: samtycke saknas för de aktörer som ingår (eller ange --consent-override med ett skäl)",
    "Saved as assessment {id} for {pseudonym}.": "Sparad som bedömning {id} för {pseudonym}.",
    "Decision {id}: {pseudonym} is selected for a SIG.": "Beslut {id}: {pseudonym} är utvald för SIG.",
    "Decision {id}: {pseudonym} is not selected for a SIG.": "Beslut {id}: {pseudonym} är inte utvald för SIG.",
    "{pseudonym}: no assessments yet": "{pseudonym}: inga bedömningar ännu",
    "no band (incomplete)": "ingen nivå (ofullständig)",
    " (corrects #{id})": " (rättar #{id})",
    "another version of the instrument than the one before: items are compared by id": "en annan version av instrumentet än förra gången: frågorna jämförs efter id",
    "Better:": "Bättre:",
    "Worse:": "Sämre:",
    "Domains:": "Områden:",
    "{pseudonym}: erased ({n} consent events, {a} assessments, {d} decisions)": "{pseudonym}: raderad ({n} samtyckeshändelser, {a} bedömningar, {d} beslut)",
    "no draft {id}": "inget utkast {id}",
    "draft {id} was changed elsewhere since it was opened (version {version}); open it again with --resume {id}": "utkast {id} har ändrats någon annanstans sedan det öppnades (version {version}); öppna det igen med --resume {id}",
    "no draft {id}; 'riskmanual drafts' lists the open ones": "inget utkast {id}; 'riskmanual drafts' visar de öppna",
    "draft {id} was started with {ref}, which is no longer installed": "utkast {id} påbörjades med {ref}, som inte längre finns installerat",
    "draft {id} was started with another content of {ref} (the file has changed since); it cannot be resumed against the changed instrument": "utkast {id} påbörjades med ett annat innehåll i {ref} (filen har ändrats sedan dess); det kan inte återupptas mot det ändrade instrumentet",
    "write a number from {min} to {max}": "skriv ett tal från {min} till {max}",
    "write a whole number": "skriv ett heltal",
    "not an answer to this item; type one of: {choices}": "inget svar på den här frågan; skriv något av: {choices}",
    "this item must be answered; it cannot be skipped": "frågan måste besvaras; den kan inte hoppas över",
    "this item cannot be unknown": "frågan kan inte vara okänd",
    "no item '{item}' is asked here": "frågan '{item}' ställs inte här",
    "a note has at most {n} characters": "en anteckning har högst {n} tecken",
    "a note must not hold a personnummer, nor a number written like one (a phone number without spaces can look like one)": 'en anteckning får inte innehålla ett personnummer eller ett tal som skrivs som ett (ett telefonnummer utan mellanslag kan se ut som ett)',
    "every item has been gone through": "alla frågor är genomgångna",
    "give INSTRUMENT and --subject, or --resume DRAFT": "ange INSTRUMENT och --subject, eller --resume UTKAST",
    "the guided assessment needs a terminal; without one give the answers with --answers FILE": "den guidade bedömningen behöver en terminal; utan terminal anger du svaren med --answers FIL",
    "The draft is saved: continue with 'riskmanual assess --resume {id}'.": "Utkastet är sparat: fortsätt med 'riskmanual assess --resume {id}'.",
    "no open drafts": "inga öppna utkast",
    "draft {id}: {pseudonym}, {instrument}, {date}, {n} answers, saved {saved}": "utkast {id}: {pseudonym}, {instrument}, {date}, {n} svar, sparat {saved}",
    "No guidance for this item.": "Ingen vägledning för den här frågan.",
    "Sources: {sources}": "Informationskällor: {sources}",
    "Time window: {window}": "Tidsfönster: {window}",
    "Your answers:": "Dina svar:",
    "not answered": "inte besvarad",
    "Save the assessment? (yes/no) ": "Spara bedömningen? (ja/nej) ",
    "Draft {id} for {pseudonym}: {title}": "Utkast {id} för {pseudonym}: {title}",
    "(now: {answer})": "(nu: {answer})",
    "Note saved.": "Anteckningen är sparad.",
    "Critical answer: the assessor must review it.": "Kritiskt svar: bedömaren måste granska det.",
    "unknown kind '{value}'; use one of {choices}": "okänd typ '{value}'; använd någon av {choices}",
    "a closure needs a reason, one of {choices}": "ett avslut behöver ett skäl, något av {choices}",
    "the follow-up cannot be recorded": "uppföljningen kan inte registreras",
    "{pseudonym}: recorded {what} on {date}": "{pseudonym}: registrerat {what} den {date}",
    "nothing falls due": "inget att göra just nu",
    "reassess with {instrument}": "ny bedömning med {instrument}",
    "consent of {who} for {agencies} expires": "samtycket från {who} för {agencies} upphör",
    "no band '{band}'; use one of {bands}": "ingen nivå '{band}'; använd någon av {bands}",
    "the band needs a written reason": "nivån behöver ett skrivet skäl",
    "The computed band is {band}.": "Den beräknade nivån är {band}.",
    "Your final band ({bands}): ": "Din slutliga nivå ({bands}): ",
    "Adjust the band? Press Enter to keep it, or give another ({bands}): ": "Justera nivån? Tryck Enter för att behålla den, eller ange en annan ({bands}): ",
    "Reason for the band: ": "Skäl för nivån: ",
    "Note: {who} has withdrawn consent for {agencies}; nothing may be shared with them.": "Obs: {who} har återkallat samtycket för {agencies}; ingen information får lämnas dit.",
    "a derived item is computed by the engine; nothing can be carried into it": "en härledd fråga beräknas av motorn; inget kan föras över till den",
    "'{value}' is not an answer item '{item}' takes": "'{value}' är inget svar som frågan '{item}' tar emot",
    "{n} answers from {instrument} of {date} can be the starting answers (you go through every item). Use them? (yes/no) ": "{n} svar från {instrument} den {date} kan bli startsvar (du går igenom varje fråga). Använda dem? (ja/nej) ",
    "at most {n} characters (got {length})": "högst {n} tecken (angivet: {length})",
    "control characters are not allowed": "styrtecken är inte tillåtna",
    "must not hold a personnummer, nor a number written like one (a phone number without spaces can look like one): write a pseudonym or a case reference": 'får inte innehålla ett personnummer eller ett tal som skrivs som ett (ett telefonnummer utan mellanslag kan se ut som ett): skriv en pseudonym eller en ärendereferens',
    "the text cannot be stored": "texten kan inte sparas",
    "Personnummer or samordningsnummer": "Personnummer eller samordningsnummer",
    # --- case/plan.py and cli/plan.py: the action plan ---
    "follow up commitment {number} ({agency})": "följ upp åtagande {number} ({agency})",
    "'{state}' needs a reason":
        "'{state}' kräver ett skäl",
    "No commitments yet: add one with 'riskmanual plan edit {id} --add'":
        "Inga åtaganden än: lägg till ett med 'riskmanual plan edit {id} --add'",
    "No plans yet: draft one with 'riskmanual plan draft ASSESSMENT'":
        "Ingen åtgärdsplan än: gör ett utkast med 'riskmanual plan draft BEDÖMNING'",
    "The young person's own goals: {goals}":
        'Den unges egna mål: {goals}',
    "plan {id} has no commitments: add one with 'riskmanual plan edit {id} --add'":
        "plan {id} har inga åtaganden: lägg till ett med 'riskmanual plan edit {id} --add'",
    "the date {date} is before the commitment's last event ({last})":
        'datumet {date} ligger före åtagandets senaste händelse ({last})',
    "unknown agency '{value}'; use one of {choices}":
        "aktören '{value}' finns inte; använd en av {choices}",
    "unknown state '{value}'; use one of {choices}":
        "läget '{value}' finns inte; använd ett av {choices}",
    '(next follow-up {date})':
        '(nästa uppföljning {date})',
    '--add needs --agency and --action':
        '--add kräver --agency och --action',
    '--drop and --state need --commitment N':
        '--drop och --state kräver --commitment N',
    'Action plan {id} for {pseudonym} ({state}), from assessment #{assessment}, drafted {date}':
        'Åtgärdsplan {id} för {pseudonym} ({state}), från bedömning #{assessment}, utkast {date}',
    'Commitment #{id} ({agency}) followed up: {state}':
        'Åtagande #{id} ({agency}) följt upp: {state}',
    'a commitment needs to say what is done':
        'ett åtagande måste säga vad som ska göras',
    'a follow-up needs to say what happened against the goal':
        'en uppföljning måste säga vad som hänt i förhållande till målet',
    'an agency can be given a commitment only while the current consent covers it':
        'en aktör kan få ett åtagande bara när samtycket just nu omfattar aktören',
    'assessment {id} is incomplete: a plan is drawn from a complete assessment':
        'bedömning {id} är ofullständig: en åtgärdsplan utgår från en fullständig bedömning',
    'commitment {id} cannot go from {before} to {after}; from {before} it can go to {choices}':
        'åtagande {id} kan inte gå från {before} till {after}; från {before} kan det gå till {choices}',
    'commitment {id} is not in plan {plan}':
        'åtagande {id} ingår inte i plan {plan}',
    'commitment {id} is {state}: a final commitment is not changed':
        'åtagande {id} är {state}: ett avslutat åtagande ändras inte',
    'commitment {id} is {state}: a final commitment is not followed up or changed':
        'åtagande {id} är {state}: ett avslutat åtagande följs inte upp och ändras inte',
    'committed {date}':
        'fastställd {date}',
    'contact: {who}':
        'kontakt: {who}',
    'draft':
        'utkast',
    'follow up after 1 to 24 months, not {n}':
        'följ upp efter 1 till 24 månader, inte {n}',
    'followed up {date}: {outcome}':
        'följt upp {date}: {outcome}',
    'give either --add or --commitment, not both':
        'ange antingen --add eller --commitment, inte båda',
    'goal: {goal}':
        'mål: {goal}',
    'need: {need}':
        'behov: {need}',
    'not written yet (plan edit --goals)':
        'inte skrivna än (plan edit --goals)',
    'nothing to change: give --goals, --add or --commitment N':
        'inget att ändra: ange --goals, --add eller --commitment N',
    'only a proposed commitment of a draft plan can be dropped; withdraw commitment {id} with a reason instead':
        'bara ett föreslaget åtagande i ett utkast kan strykas; återta åtagande {id} med ett skäl i stället',
    'plan {id} is a draft: commit it before its commitments move on':
        'plan {id} är ett utkast: fastställ den innan åtagandena går vidare',
    'plan {id} was committed on {date}':
        'plan {id} fastställdes {date}',
    'reason: {reason}':
        'skäl: {reason}',
    'start {start}, follow-up {follow_up}':
        'start {start}, uppföljning {follow_up}',
    'the follow-up date {follow_up} is before the start {start}':
        'uppföljningsdatumet {follow_up} ligger före starten {start}',
    'the plan cannot be committed before it was drafted ({date})':
        'planen kan inte fastställas före utkastet ({date})',
    'the plan cannot start before the assessment it rests on ({date})':
        'planen kan inte börja före bedömningen den bygger på ({date})',
    'there is no assessment {id} in the store':
        'det finns ingen bedömning {id} i ärenderegistret',
    'there is no commitment {id} in the store':
        'det finns inget åtagande {id} i ärenderegistret',
    'there is no plan {id} in the store':
        'det finns ingen plan {id} i ärenderegistret',
    '{value} is not a number such as 12 or #12':
        '{value} är inte ett nummer som 12 eller #12',
    'the goals item must be an information item: goals give no points':
        'målfrågan ska vara en informationsfråga: mål ger inga poäng',
    'may be used':
        'får användas',
    # --- reports/: the case report ---
    "a PDF is not written to a terminal: give --out FILE or redirect the output":
        "en PDF skrivs inte ut i terminalen: ange --out FIL eller styr om utdata",
    "error: {file} already exists: choose a new name (a report never overwrites a file)":
        "fel: {file} finns redan: välj ett nytt namn (en rapport skriver aldrig över en fil)",
    "a PDF needs WeasyPrint and the Pango library (pip install 'riskmanual[reports]'): {reason}":
        "en PDF kräver WeasyPrint och biblioteket Pango (pip install 'riskmanual[reports]'): {reason}",
    "Wrote the report of assessment #{id} for {pseudonym} to {file}":
        "Rapporten om bedömning #{id} för {pseudonym} är skriven till {file}",
    # --- case/export.py, case/export_files.py and case/demo_data.py: export and the synthetic cohort ---
    "no subject's consent covers reporting: nothing is exported": "ingen ung har ett samtycke som täcker rapportering: inget exporteras",
    "record it with 'riskmanual consent record SUBJECT --signatory young_person --agencies reporting' (and each guardian's while the young person is under 18)": "registrera det med 'riskmanual consent record SUBJECT --signatory young_person --agencies reporting' (och varje vårdnadshavares så länge den unge är under 18 år)",
    "no assessment to export: none of a subject whose consent covers reporting{on_or_after}": "ingen bedömning att exportera: ingen av en ung vars samtycke täcker rapportering{on_or_after}",
    " on or after {date}": " den {date} eller senare",
    "nothing is exported: a file of the export cannot be created": "inget exporteras: en fil i exporten kan inte skapas",
    "unknown format '{value}'; use one of {choices}": "okänt format '{value}'; använd något av {choices}",
    "a symbolic link: refusing to write through it": "en symbolisk länk: skriver inte genom den",
    "exists: choose a new --out (an export never overwrites a file)": "finns redan: välj ett nytt --out (en export skriver aldrig över en fil)",
    "cannot write: {reason}": "kan inte skriva: {reason}",
    "no such folder": "mappen finns inte",
    "the number of young people must be 1 to 1000000, not {n}": "antalet unga ska vara 1–1000000, inte {n}",
    "the number of months must be 1 to 120, not {n}": "antalet månader ska vara 1–120, inte {n}",
    "the start {date} is in the future": "starten {date} ligger i framtiden",
    "the case store already has {n} young people: synthetic cases are not mixed with real ones; use a new store (--db) or give --force": "ärenderegistret har redan {n} unga: syntetiska ärenden blandas inte med verkliga; använd ett nytt register (--db) eller ange --force",
    "{assessments} assessments of {subjects} young people exported; left out (no consent to reporting): {left_out}": "{assessments} bedömningar av {subjects} unga exporterade; utelämnade (inget samtycke till rapportering): {left_out}",
    "  wrote {file} (data dictionary)": "  skrev {file} (variabelförteckning)",
    "  wrote {file} ({rows} rows)": "  skrev {file} ({rows} rader)",
    "'{file}' ends in .{suffix} but the format is {format}": "'{file}' slutar på .{suffix} men formatet är {format}",
    "Synthetic cohort (seed {seed}, from {start}): {young_people} young people, {selected} selected for SIG": "Syntetisk kohort (slumpfrö {seed}, från {start}): {young_people} unga, {selected} utvalda till SIG",
    "  {assessments} assessments, {decisions} decisions, {plans} action plans, {commitments} commitments, {follow_ups} follow-up records, {consents} consent events": "  {assessments} bedömningar, {decisions} beslut, {plans} åtgärdsplaner, {commitments} åtaganden, {follow_ups} uppföljningsposter, {consents} samtyckeshändelser",
    "  Everyone is made up; no personnummer is stored. Try: riskmanual export --out cases.csv": "  Alla är påhittade; inget personnummer sparas. Prova: riskmanual export --out cases.csv",
    "interrupted: nothing was written": "avbrutet: inget skrevs",
    # --- evaluation/: the evaluation ---
    "{value} is not true/false, 1/0 or empty": "{value} är inte true/false, 1/0 eller tomt",
    "--from {start} is after --to {end}": "--from {start} ligger efter --to {end}",
    "Wrote the evaluation to {file}.": "Utvärderingen är skriven till {file}.",
    "cannot read the comparison file {file}": "jämförelsefilen {file} kan inte läsas",
    "cannot read the comparison file: {reason}": "jämförelsefilen kan inte läsas: {reason}",
    "error: {file} already exists: choose a new --out (an evaluation never overwrites a file)": "fel: {file} finns redan: välj ett nytt --out (en utvärdering skriver aldrig över en fil)",
    "missing column '{column}'": "kolumnen '{column}' saknas",
    "nothing to evaluate: no assessments from {start} on": "inget att utvärdera: inga bedömningar från och med {start}",
    "nothing to evaluate: no assessments from {start} to {end}": "inget att utvärdera: inga bedömningar från {start} till och med {end}",
    "nothing to evaluate: no assessments until {end}": "inget att utvärdera: inga bedömningar till och med {end}",
    "nothing to evaluate: the case store has no assessments": "inget att utvärdera: ärenderegistret har inga bedömningar",
    "nothing to evaluate: the young people assessed in the period have not consented to reporting": "inget att utvärdera: de unga som bedömts under perioden har inte samtyckt till uppföljning",
    "the comparison file has more than {n} rows": "jämförelsefilen har fler än {n} rader",
    "the comparison file {file} has more than {n} rows": "jämförelsefilen {file} har fler än {n} rader",
    "the comparison file {file} has values that do not fit ({n} shown)": "jämförelsefilen {file} har värden som inte passar ({n} visas)",
    "the comparison file {file} lacks required columns": "jämförelsefilen {file} saknar kolumner som krävs",
    "the period starts on {start}, after it ends on {end}": "perioden börjar {start}, efter att den slutar {end}",
    "the propensity score cannot be estimated: {reason}": "benägenhetspoängen kan inte skattas: {reason}",
    # calibration and simulation (riskmanual calibrate, riskmanual simulate; riskmanual.calibration)
    "give either --spec or INSTRUMENT and DATA, not both": "ange antingen --spec eller INSTRUMENT och DATA, inte båda",
    "INSTRUMENT and DATA are required (or --spec FILE)": "INSTRUMENT och DATA krävs (eller --spec FIL)",
    "--outcome COLUMN is required": "--outcome KOLUMN krävs",
    "'{text}' is not ITEM=COLUMN": "'{text}' har inte formen ITEM=COLUMN (frågans id=kolumnens namn)",
    "invalid calibration settings": "ogiltiga inställningar för kalibreringen",
    "--select takes one of {allowed}, not '{value}'": "--select tar ett av {allowed}, inte '{value}'",
    "--select {rule} needs a number, not '{value}'": "--select {rule} kräver ett tal, inte '{value}'",
    "--select {rule} needs a finite number, not '{value}'": "--select {rule} kräver ett ändligt tal, inte '{value}'",
    "capacity is a share in (0, 1) or a whole number of people":
        "capacity är en andel mellan 0 och 1 eller ett helt antal personer",
    "{rule} must lie between 0 and 1": "{rule} måste ligga mellan 0 och 1",
    "{file} exists": "{file} finns redan",
    "file exists: choose a new --out (calibration never overwrites)":
        "filen finns redan: välj en ny --out (kalibreringen skriver aldrig över en fil)",
    "{folder}: a symbolic link": "{folder}: en symbolisk länk",
    "the report folder is a symbolic link: refusing to write through it":
        "rapportmappen är en symbolisk länk: skriver inte genom den",
    "{folder}: not empty": "{folder}: mappen är inte tom",
    "the report folder is not empty: choose a new folder, or give --force to replace the report's files":
        "rapportmappen är inte tom: välj en ny mapp, eller ange --force för att ersätta rapportens filer",
    "{source}: filters do not fit the table": "{source}: filtren (where) passar inte tabellen",
    "no column '{column}' to filter on": "kolumnen '{column}' att filtrera på finns inte i tabellen",
    "{file}: cannot read the spec": "{file}: specifikationen kan inte läsas",
    "{file}: invalid calibration spec": "{file}: ogiltig specifikation för kalibreringen",
    "unknown key '{key}'": "okänd nyckel '{key}'",
    "environment variable '{name}' is not set": "miljövariabeln '{name}' är inte satt",
    "Field required": "uppgiften saknas men krävs",
    "Extra inputs are not permitted": "okänd nyckel: den är inte tillåten här",
    "Input should be {expected}": "ska vara {expected}",
    "Input should be greater than or equal to {value}": "ska vara minst {value}",
    "Input should be less than or equal to {value}": "får vara högst {value}",
    "Input should be greater than {value}": "ska vara större än {value}",
    "Input should be less than {value}": "ska vara mindre än {value}",
    "Input should be a valid dictionary or instance of {name}": "ska vara en mappning med nycklar och värden ({name})",
    "Input should be a valid string": "ska vara en text",
    "Input should be a valid integer": "ska vara ett heltal",
    "Input should be a valid integer, unable to parse string as an integer": "ska vara ett heltal; texten går inte att läsa som ett heltal",
    "Input should be a valid integer, got a number with a fractional part": "ska vara ett heltal, inte ett tal med decimaler",
    "Input should be a valid number": "ska vara ett tal",
    "Input should be a valid number, unable to parse string as a number": "ska vara ett tal; texten går inte att läsa som ett tal",
    "Input should be a valid boolean": "ska vara true eller false",
    "Input should be a valid boolean, unable to interpret input": "ska vara true eller false (ja/nej); värdet går inte att tolka",
    "Input should be a valid list": "ska vara en lista",
    "Input should be a valid tuple": "ska vara en lista med värden",
    "Input should be a valid dictionary": "ska vara en mappning med nycklar och värden",
    "exists: choose a new name (files are never overwritten)": "finns redan: välj ett nytt namn (filer skrivs aldrig över)",
    "{file}: report not written": "{file}: rapporten skrevs inte",
    "is a folder": "är en mapp",
    "not a plain file name": "inte ett enkelt filnamn",
    "is a symbolic link: refusing to write through it": "är en symbolisk länk: skriver inte genom den",
    "exists and is not a folder": "finns redan och är inte en mapp",
    "is not empty: choose a new folder, or give --force to replace the report's files":
        "är inte tom: välj en ny mapp, eller ange --force för att ersätta rapportens filer",
    "appeared while writing: not replaced": "dök upp under skrivningen: ersattes inte",
    "is a folder: not replaced": "är en mapp: ersattes inte",
    "cannot create: {reason}": "kan inte skapas: {reason}",
    "{file}: not UTF-8 text": "{file}: inte UTF-8-text",
    "{file}: duplicate column names": "{file}: samma kolumnnamn förekommer flera gånger",
    "column name '{column}' appears more than once with different values: which one is meant is ambiguous":
        "kolumnnamnet '{column}' förekommer mer än en gång med olika värden: det går inte att avgöra vilken som avses",
    "no scored item '{key}' in {ref}": "{ref} har ingen poänggivande fråga '{key}'",
    "the table has no rows": "tabellen har inga rader",
    "no outcome column '{column}' in the table": "kolumnen '{column}' med utfallet finns inte i tabellen",
    "no group column '{column}' in the table": "gruppkolumnen '{column}' finns inte i tabellen",
    "no id column '{column}' in the table": "id-kolumnen '{column}' finns inte i tabellen",
    "no final rating column '{column}' in the table": "kolumnen '{column}' med bedömarens slutliga nivå finns inte i tabellen",
    "no item '{item}' column '{column}' in the table": "kolumnen '{column}' för frågan '{item}' finns inte i tabellen",
    "no item column '{column}' in the table": "kolumnen '{column}' för frågan '{column}' finns inte i tabellen",
    "{source}: the table does not fit {ref}": "{source}: tabellen passar inte {ref}",
    "{count} missing answer(s) to item '{item}', and the spec says missing is an error (missing: error)":
        "{count} svar saknas på frågan '{item}', och specifikationen säger att ett saknat svar är ett fel (missing: error)",
    "... and {more} more problems listed here, perhaps more beyond":
        "… och {more} fel till som inte visas här, kanske fler utöver dem",
    "the outcome has only one class ({value}): nothing to calibrate against":
        "utfallet har bara ett värde ({value}): det finns inget att kalibrera mot",
    "item '{item}' already has an answer '{code}': missing cannot become its own category":
        "frågan '{item}' har redan svaret '{code}': ett saknat svar kan inte bli en egen kategori",
    "{count} missing answer(s) to item '{item}', and the spec says missing is its own category (missing: category), which only a categorical item can have ('{item}' is {kind}): map its blank cells to an answer with values, or use missing: reference or error":
        "{count} svar saknas på frågan '{item}', och specifikationen säger att ett saknat svar är en egen kategori "
        "(missing: category), vilket bara en fråga med svarskategorier utan ordning kan ha ('{item}' har {kind}): "
        "koppla de tomma cellerna till ett svar med values, eller använd missing: reference eller error",
    "{source}: too few cases for {folds} folds": "{source}: för få fall för {folds} delar i korsvalideringen",
    "{count} case(s) with outcome {outcome}, fewer than the {folds} folds: every fold needs at least one; use fewer --folds or more data":
        "{count} fall med utfallet {outcome}, färre än de {folds} delarna i korsvalideringen: varje del behöver minst "
        "ett sådant fall; ange färre --folds eller använd mer data",
    "the outcome must be 0 or 1 (or yes/no, true/false, ja/nej)":
        "utfallet måste vara 0 eller 1 (eller ja/nej, true/false, yes/no)",
    "the outcome must be one of {positive} (positive) or {negative} (negative)":
        "utfallet måste vara ett av {positive} (utfallet inträffade) eller {negative} (utfallet inträffade inte)",
    "item '{item}' takes a number": "frågan '{item}' besvaras med ett tal",
    "out of range for item '{item}': expected {low} to {high}":
        "utanför tillåtna värden för frågan '{item}': förväntat ett tal från {low} till {high}",
    "not an answer to item '{item}'; expected a number": "inte ett svar på frågan '{item}'; förväntat ett tal",
    "not an answer to item '{item}'; expected one of: {codes}":
        "inte ett svar på frågan '{item}'; förväntat ett av: {codes}",
    "not a band of {ref}: the final rating is one of {bands} (or their labels)":
        "inte en nivå i {ref}: den slutliga nivån är en av {bands} (eller deras benämningar)",
    "the calibrated instrument does not validate": "det kalibrerade instrumentet klarar inte valideringen",
    "{file}: refusing to overwrite the input instrument": "{file}: skriver inte över instrumentet som kalibreras",
    "choose another --out: the input instrument is never overwritten":
        "välj en annan --out: instrumentet som kalibreras skrivs aldrig över",
    "{reason}; choose a new --out (calibration never overwrites)":
        "{reason}; välj en ny --out (kalibreringen skriver aldrig över en fil)",
    "{file}: not written": "{file} skrevs inte",
    "cannot create the folder: {reason}": "mappen kan inte skapas: {reason}",
    "{file}: unknown table format": "{file}: okänt tabellformat",
    "cannot tell the format from the suffix '{suffix}': use .csv or .parquet":
        "formatet går inte att avgöra av filändelsen '{suffix}': använd .csv eller .parquet",
    "{reason}; use --force to replace it": "{reason}; ange --force för att ersätta den",
    "invalid simulation parameters": "ogiltiga parametrar för simuleringen",
    "n must be a whole number of at least 1 (got {value})": "n måste vara ett heltal, minst 1 (angivet: {value})",
    "missing_rate must be at least 0 and below 1 (got {value})":
        "missing_rate måste vara minst 0 och under 1 (angivet: {value})",
    "base_rate must lie strictly between 0 and 1 (got {value})":
        "base_rate måste ligga mellan 0 och 1, men får inte vara 0 eller 1 (angivet: {value})",
    "slope must be a finite number (got {value})": "slope måste vara ett ändligt tal (angivet: {value})",
    "{file}: no such file": "{file}: filen finns inte",
    "not UTF-8 text (byte {at})": "inte UTF-8-text (byte {at})",
    "{file}: cannot read": "{file} kan inte läsas",
    "not a readable {kind} table: {reason}": "inte en läsbar {kind}-tabell: {reason}",
    "{file}: empty file": "{file}: tom fil",
    "the file is empty: no header and no rows": "filen är tom: ingen rubrikrad och inga rader",
    # --- batch scoring (riskmanual score --batch; riskmanual.batch) ---
    "the table does not fit {ref}": "tabellen passar inte {ref}",
    "no column for this item; did you mean '{close}'?": "ingen kolumn för frågan; menade du '{close}'?",
    "no column for this item": "ingen kolumn för frågan",
    "no column '{column}' for item '{item}'; did you mean '{close}'?":
        "ingen kolumn '{column}' för frågan '{item}'; menade du '{close}'?",
    "no column '{column}' for item '{item}'": "ingen kolumn '{column}' för frågan '{item}'",
    "column '{column}' appears more than once: which one is meant is ambiguous":
        "kolumnen '{column}' förekommer mer än en gång: det går inte att avgöra vilken som avses",
    "no column '{column}' for the {field}": "ingen kolumn '{column}' för {field}",
    "cannot write {file}: {reason}": "{file} kan inte skrivas: {reason}",
    "{file} already exists: choose a new --out (scoring never overwrites a file)":
        "{file} finns redan: välj ett nytt --out (poängsättningen skriver aldrig över en fil)",
    "{rows} rows: {scored} scored, {incomplete} incomplete, {refused} refused; wrote {file}":
        "{rows} rader: {scored} bedömda, {incomplete} ofullständiga, {refused} avvisade; skrev {file}",
    "--out is for --batch: give --batch IN.csv or IN.parquet": "--out hör till --batch: ange --batch IN.csv eller IN.parquet",
    "--batch needs --out OUT.parquet or OUT.csv": "--batch kräver --out UT.parquet eller UT.csv",
    "give either ANSWERS or --batch, not both": "ange antingen ANSWERS eller --batch, inte båda",
    "{file}: not a file": "{file}: är inte en fil",
    "give ANSWERS (a JSON or YAML file, or - for stdin), or --batch IN --out OUT to score a table":
        "ange ANSWERS (en JSON- eller YAML-fil, eller - för standard in), eller --batch IN --out UT för att poängsätta en tabell",
    "scoring": "poängsätter",
    "expected {expected} fields, found {found}": "väntade {expected} fält, fann {found}",
    "--column and --keep are for --batch: give --batch IN --out OUT":
        "--column och --keep hör till --batch: ange --batch IN --out UT",
    "'{item}' is given two columns: '{first}' and '{second}'": "'{item}' har fått två kolumner: '{first}' och '{second}'",
    "'{column}' is the name of one of OUT's score columns: rename the column in IN, or leave it out":
        "'{column}' är namnet på en av poängkolumnerna i UT: byt namn på kolumnen i IN, eller utelämna den",
    "no column '{column}' to keep; did you mean '{close}'?": "ingen kolumn '{column}' att behålla; menade du '{close}'?",
    "no column '{column}' to keep": "ingen kolumn '{column}' att behålla",
    "column '{column}' holds a personnummer (row {row}): OUT never holds one; keep a pseudonymous reference instead":
        "kolumnen '{column}' innehåller ett personnummer (rad {row}): UT får aldrig innehålla något; behåll en "
        "pseudonym referens i stället",
    "{file}: cannot keep '{column}'": "{file}: '{column}' kan inte behållas",
}
