# Two commands do all set-up on a fresh machine:  `make app`  and  `make test`.
# The virtual environment is created on first use and refreshed when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TORCH_VERSION := 2.13.0
# torch alone (no deps) comes first, from a local CPU wheel or the CPU index; its dependencies and
# everything else then come from PyPI with the project.
# Where the CPU build of torch comes from when no local wheel is found (a bare "torch"
# from PyPI is a multi-GB CUDA build). Override for a mirror: make test TORCH_INDEX_URL=...
TORCH_INDEX_URL ?= https://download.pytorch.org/whl/cpu

.PHONY: app test install corpus index lint browser screening-benchmark

$(STAMP): pyproject.toml
	@# rigour (screening) needs PyICU, which pip builds from source against ICU: install its headers as root
	@if ! pkg-config --exists icu-uc 2>/dev/null || ! command -v g++ >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++; \
	  else echo "note: PyICU needs ICU headers (libicu-dev), pkg-config and g++; install them if pip fails"; fi; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --no-deps --no-index "torch==$(TORCH_VERSION)+cpu" \
	  || $(BIN)/pip install --no-deps "torch==$(TORCH_VERSION)" --index-url "$(TORCH_INDEX_URL)"
	$(BIN)/pip install -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

app: $(STAMP)
	$(BIN)/python app.py

# The browser test drives Debian's headless Chromium; as root, install it when it is missing.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "note: chromium/chromedriver missing and not root: the browser test will be skipped"; fi; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest

corpus: $(STAMP)
	$(BIN)/python -m training.build_corpus

screening-benchmark: $(STAMP)
	$(BIN)/python -m benchmarks.screening --markdown

lint: $(STAMP)
	$(BIN)/ruff check classifier training tests benchmarks app.py
	$(BIN)/mypy classifier training benchmarks app.py
