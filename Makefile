# Two commands for a fresh clone: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint catalogs db seed audio bench clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-test

catalogs: $(VENV)/.installed-test
	$(BIN)/pybabel compile -d translations --statistics

db: catalogs
	$(FLASK) db upgrade

seed: db
	$(FLASK) seed-demo --if-empty

# Kreyòl has no Twilio voice: its recordings are synthesized with espeak-ng (never committed).
audio: seed
	@if command -v espeak-ng >/dev/null && command -v sox >/dev/null; then \
		$(FLASK) audio synthesize --locale ht; \
	else \
		echo "Kreyòl recordings not built: install espeak-ng and sox" \
		     "(apt-get install espeak-ng sox libsox-fmt-mp3), then run make audio."; \
	fi

run: audio
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production on one machine: refuses to start without the production settings (it names the
# missing ones), migrates, then runs the Procfile (web, worker, cron) with honcho. Installs
# nothing: see README, "Deploy on one Debian server".
serve:
	$(BIN)/python -m organize.ops.serve

test: catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-dev catalogs
	$(BIN)/python bench/redaction.py
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/broadcast.py
	$(BIN)/python bench/broadcast.py --rate-check

clean:
	rm -rf $(VENV) instance/organize.db .pytest_cache .mypy_cache .ruff_cache
