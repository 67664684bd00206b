# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-store clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/riskmanual list
	$(BIN)/riskmanual validate instruments/*/*.yaml
	$(BIN)/riskmanual score sig-assessment instruments/sig-assessment/example-answers-2.0.0.json --format text --lang sv
	@# A synthetic case on its own embedded store (.venv/demo-cases.sqlite, fresh each run): a 17-year-old
	@# registered under a pseudonym, consent from the young person and the one guardian, the audit chain.
	@rm -f $(VENV)/demo-cases.sqlite* $(VENV)/demo.key
	@export RISKMANUAL_DB=$(VENV)/demo-cases.sqlite RISKMANUAL_KEY_FILE=$(VENV)/demo.key; \
	$(BIN)/riskmanual subject add 20090514-9829 --guardians 1 --assessor "Demo Handläggare" && \
	$(BIN)/riskmanual consent record 20090514-9829 --signatory young_person --agencies social_services,police,school --date 2026-11-28 --assessor "Demo Handläggare" >/dev/null && \
	$(BIN)/riskmanual consent record 20090514-9829 --signatory guardian_1 --agencies social_services,police --date 2026-11-28 --assessor "Demo Handläggare" && \
	sed 's/"birth_date": "2009-06-14"/"birth_date": "2009-05-14"/' instruments/sig-assessment/example-answers-2.0.0.json | \
	$(BIN)/riskmanual assess sig-assessment --subject 20090514-9829 --answers - --assessor "Demo Handläggare" | tail -n 1 && \
	$(BIN)/riskmanual decide 20090514-9829 --selected yes --agencies social_services,police --assessor "Demo Handläggare" \
	    --reason "Nivån Hög, vapen; den unge vill förändra sin situation och samtycke finns" && \
	$(BIN)/riskmanual history 20090514-9829 && \
	$(BIN)/riskmanual audit verify

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py

bench-store: $(STAMP)
	$(BIN)/python benchmarks/bench_store.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
