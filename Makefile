# decision_aid: `make run` sets up and serves; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
STAMP := $(VENV)/.installed

# Debian packages the app and its tests need: pango for WeasyPrint, fonts (Noto CJK for
# Chinese/Japanese/Korean names, Noto core for Arabic and others), poppler for pdftotext/pdffonts,
# chromium for the browser tests, Java for veraPDF's PDF/UA-1 check in the tests, nginx and
# openssl for the production recipe's HTTPS test (tests/test_deploy_https.py).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
	poppler-utils chromium default-jre-headless nginx-light openssl
# A command per package that proves it is there (dpkg -s is the check).

.PHONY: run test test-fast lint format bench load screenshots system-deps setup clean test-postgres translations \
	test-deploy

# The compiled catalogs (.mo) are built here from the committed .po files, never committed:
# `make setup` (and so `make run` and `make test`) builds any that are missing or older than
# their .po. docs/languages.md has the whole workflow.
TRANSLATIONS := decision_aid/translations
CATALOG_LANGUAGES := es zh_Hans
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

setup: $(STAMP) $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	@$(BIN)/pybabel -q compile -i $< -o $@ -l $*

# After changing words in a template, in Python or in a content YAML file: extract them all into
# messages.pot, merge it into each language's .po (a changed English text becomes "fuzzy", which
# tests/test_languages.py rejects until a translator checks it), and compile.
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --add-location=file --sort-by-file \
		--add-comments=TRANSLATORS: --project=decision_aid --version=1 \
		--msgid-bugs-address=none --copyright-holder="the decision_aid team" \
		-o $(TRANSLATIONS)/messages.pot .
	@for lang in $(CATALOG_LANGUAGES); do \
		test -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; done
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS) --statistics

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "Missing system packages:$$missing"; \
			echo "Install them as root: apt-get install$$missing"; exit 1; \
		fi; \
	fi

$(STAMP): setup.cfg pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/decision-aid serve --host $(HOST) --port $(PORT)

# Test processes: each has its own live server and chromium; a test file stays in one process,
# so its module fixtures (rendered PDFs) are made once. TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= 2

# system-deps again: a checkout set up before a package joined the list gets it too.
test: setup system-deps
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# Everything but the browser tests (tests/test_browser_*.py, the `browser` marker), which need
# chromium and take most of the time: for a quick check while working.
test-fast: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not browser" \
		$(foreach f,$(wildcard tests/test_browser_*.py),--ignore=$(f))

# Only the production recipe (deploy/): its static checks, and nginx with TLS in front of gunicorn
# driven in chromium (also part of `make test`).
test-deploy: setup system-deps
	$(BIN)/python -m pytest -q tests/test_deploy.py tests/test_deploy_https.py

# The store and clinic tests against a throwaway local PostgreSQL (installed with apt-get when
# missing and root), started and stopped by the script.
test-postgres: setup
	PYTHON=$(BIN)/python sh scripts/test_postgres.sh

lint: setup
	$(BIN)/ruff check decision_aid tests scripts bench
	$(BIN)/ruff format --check decision_aid tests scripts bench

format: setup
	$(BIN)/ruff check --fix decision_aid tests bench
	$(BIN)/ruff format decision_aid tests bench

# docs/guidance-rules.md is generated from the rule registry (decision_aid/guidance/rule_table.py
# and the rules_*.py entries); tests/test_guidance.py fails when it is out of date.
.PHONY: rules-doc
rules-doc: setup
	$(BIN)/decision-aid rules --format markdown > docs/guidance-rules.md

bench: setup
	$(BIN)/python bench/run.py

# The load test (bench/load.py): gunicorn with deploy/'s settings on SQLite, on PostgreSQL, two
# instances behind Debian's nginx, the bare-Flask baseline and the abuse mode, on 127.0.0.1 only.
# MODES=sqlite,postgres,scaleout,bare,abuse PATIENTS=50 LOAD_SECONDS=150 choose what and how long.
load: setup
	@$(BIN)/python -c 'import aiohttp' 2>/dev/null || $(BIN)/pip install -q -e '.[load]'
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; \
		else echo "nginx is missing. Install it as root: apt-get install nginx-light"; exit 1; fi; }
	$(BIN)/python bench/load.py

# Every page at 360 and 1280 px, the staff pages, the PDFs' pages and the languages, into
# build/screenshots/ (git-ignored); then the few the documents show are copied, optimised, into
# docs/screenshots/ (3 MB at most, tests/test_docs.py).
screenshots: setup
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/staff_screenshots.py
	$(BIN)/python scripts/pdf_screenshots.py
	$(BIN)/python scripts/language_screenshots.py
	$(BIN)/python scripts/curate_screenshots.py

clean:
	rm -rf $(VENV) *.egg-info
