# make serve  : set up .venv, then serve the site with live reload on $(ADDR)
# make test   : set up .venv, then run the whole suite and a strict site build
# make build  : set up .venv, then write the static site to site/

PYTHON ?= python3
VENV   ?= .venv
ADDR   ?= 127.0.0.1:8000
# WITH_TORCH=1 also installs the optional PyTorch extra (CPU build 2.13.0).
WITH_TORCH ?=

BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: test serve build check bench venv clean torch

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

TORCH_STAMP := $(VENV)/.installed-torch

torch: $(TORCH_STAMP)

$(TORCH_STAMP): $(STAMP) requirements/torch.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/torch.txt
	@touch $@

test: $(STAMP) $(if $(WITH_TORCH),torch)
	$(BIN)/python -m pytest
	$(BIN)/mkdocs build --strict --site-dir site

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(ADDR) --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

check: $(STAMP)
	$(BIN)/python -m derivations check

bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python benchmarks/bench_backprop.py

clean:
	rm -rf site $(VENV)
