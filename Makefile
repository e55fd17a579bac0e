# skillgraph: `make demo` and `make test` work on a fresh checkout (no network needed at run time).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test lint bench clean install install-dev browser vendor screenshots

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The CPU build of torch goes in first: a bare `torch` requirement would pull a multi-GB CUDA build.
$(VENV)/.torch: $(VENV)/bin/activate
	$(PIP) install --quiet torch==2.13.0
	touch $@

$(VENV)/.installed: $(VENV)/.torch pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.torch pyproject.toml
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	$(VENV)/bin/skillgraph demo

test: $(VENV)/.installed-dev browser
	$(PY) -m pytest -q

# The browser tests (tests/web) drive Debian's Chromium + ChromeDriver: installed here when missing.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  echo "installing Debian's chromium and chromium-driver for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else \
	    echo "error: the browser tests need /usr/bin/chromium and /usr/bin/chromedriver; run as root or" \
	         "install them: apt-get install -y chromium chromium-driver" >&2; exit 1; fi; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	    { echo "error: apt-get could not install chromium chromium-driver; the browser tests need them" >&2; exit 1; }; \
	fi

# Re-fetch the vendored web assets (htmx, Swagger UI, ReDoc) from the npm registry; see service/web/vendor.py.
vendor: $(VENV)/.installed
	$(PY) -m service.web.vendor

# Screenshots of every web page over the demo organisation, into docs/screenshots/.
screenshots: $(VENV)/.installed-dev browser
	$(PY) tests/web/screenshots.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) .skillgraph skillgraph.db skillgraph.db-wal skillgraph.db-shm
