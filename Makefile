# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-store precompile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/riskmanual list
	$(BIN)/riskmanual validate instruments/*/*.yaml
	$(BIN)/riskmanual score sig-assessment instruments/sig-assessment/example-answers-2.0.0.json --format text --lang sv
	@# A synthetic case on its own embedded store (.venv/demo-cases.sqlite, fresh each run): a made-up
	@# 17-year-old (the number is generated here, never written down) is registered and from then on
	@# known only by the pseudonym; consent from the young person and the one guardian, an assessment,
	@# the decision, the history, the action plan (three commitments kept, goals written, agreed),
	@# the audit chain, and the case report as a PDF (.venv/demo-report.pdf).
	@rm -f $(VENV)/demo-cases.sqlite* $(VENV)/demo.key $(VENV)/demo-report.pdf
	@export RISKMANUAL_DB=$(VENV)/demo-cases.sqlite RISKMANUAL_KEY_FILE=$(VENV)/demo.key; \
	P=$$($(BIN)/python -c 'import datetime, random; from riskmanual.identity import synthetic_number; print(synthetic_number(datetime.date(2009, 5, 14), random.randint(1, 999)))' | \
	    $(BIN)/riskmanual subject add --guardians 1 --assessor "Demo Handläggare" | tee /dev/stderr | grep -o 'p-[0-9a-f]*') && \
	$(BIN)/riskmanual consent record $$P --signatory young_person --agencies social_services,police,school,reporting --date 2026-11-28 --assessor "Demo Handläggare" >/dev/null && \
	$(BIN)/riskmanual consent record $$P --signatory guardian_1 --agencies social_services,police,reporting --date 2026-11-28 --assessor "Demo Handläggare" && \
	sed 's/"birth_date": "2009-06-14"/"birth_date": "2009-05-14"/' instruments/sig-assessment/example-answers-2.0.0.json | \
	$(BIN)/riskmanual assess sig-assessment --subject $$P --answers - --assessor "Demo Handläggare" | tail -n 1 && \
	$(BIN)/riskmanual decide $$P --selected yes --agencies social_services,police --assessor "Demo Handläggare" \
	    --reason "Nivån Hög, vapen; den unge vill förändra sin situation och samtycke finns" && \
	$(BIN)/riskmanual history $$P && \
	$(BIN)/riskmanual plan draft 1 --assessor "Demo Handläggare" | head -n 2 && \
	for C in $$($(BIN)/riskmanual plan show 1 --format json | $(BIN)/python -c \
	    'import json, sys; print(*[c["id"] for c in json.load(sys.stdin)[0]["commitments"][3:]])'); do \
	    $(BIN)/riskmanual plan edit 1 --commitment $$C --drop --assessor "Demo Handläggare" >/dev/null || exit 1; done && \
	$(BIN)/riskmanual plan edit 1 --commitment 1 --contact "Socialsekreterare, ungdomsgruppen" \
	    --goal "Träffar sin kontaktperson varje vecka och har en aktivitet utan kamraterna från nätverket" \
	    --assessor "Demo Handläggare" >/dev/null && \
	$(BIN)/riskmanual plan commit 1 --assessor "Demo Handläggare" && \
	$(BIN)/riskmanual plan edit 1 --commitment 1 --state started --assessor "Demo Handläggare" >/dev/null && \
	$(BIN)/riskmanual audit verify && \
	$(BIN)/riskmanual report 1 --format pdf --out $(VENV)/demo-report.pdf --assessor "Demo Handläggare"

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py

# The compiled form of each bundled instrument, shipped in the wheel (riskmanual/precompiled/);
# run after changing a bundled instrument or the engine version (a test says when).
precompile: $(STAMP)
	$(BIN)/python -m riskmanual.compile_cache

bench-store: $(STAMP)
	$(BIN)/python benchmarks/bench_store.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
