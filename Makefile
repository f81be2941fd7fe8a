# Two commands do all set-up on a fresh clone:
#   make run    create .venv, install requirements.txt, serve the app on http://localhost:8501
#               (python -m seqviz.ui.serve: `streamlit run app.py` with the start-up work done first)
#   make test   install the dev requirements too, then run every test (unit, page, browser)
#   make serve       REPLICAS app servers (default 2) behind Debian's nginx on PORT, for a school's server
#                    (python -m seqviz.deploy; SERVE_ARGS="--shared --models DIR" for shared-server mode)
#   make load-test   the load tests: 20 browsers and 12 protocol-level students on one server, the nginx
#                    pair, a replica and a server stopped under open pages, a short soak, the installed
#                    seqviz command serving every page (CI runs it)
#   make capacity    the load report in docs/: one server and two replicas, 10 to 60 students (~30 min)
#   make install-hf  the optional transformers extra (the explorer page); make test installs it too
#   make slides      the slide pack in slides/ (SLIDES_LANG=zh for Chinese; needs kaleido and Chromium)
#   make lint        ruff check (make test runs it first);  make fmt  ruff's fixes and formatter

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
PYTEST_ARGS ?=
TEST_WORKERS ?= 2
SLIDES_LANG ?= en
REPLICAS ?= 2
SERVE_ARGS ?=
AXE    := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run serve test lint fmt load-test capacity slides install install-hf install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# stamp files: reinstall only when a requirements file changes
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.hf: requirements.txt requirements-hf.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-hf.txt
	touch $(VENV)/.runtime $@

$(VENV)/.dev: requirements.txt requirements-hf.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $(VENV)/.hf $@

install: $(VENV)/.runtime
install-hf: $(VENV)/.hf
install-dev: $(VENV)/.dev

run: $(VENV)/.runtime
	$(PY) -m seqviz.ui.serve --server.port $(PORT)

serve: $(VENV)/.runtime
	$(PY) -m seqviz.deploy --replicas $(REPLICAS) --port $(PORT) $(SERVE_ARGS)

test: lint $(AXE)
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# axe-core for the browser tests' accessibility checks, pinned in tests/browser/package-lock.json (needs npm;
# without it those checks skip, or fail where SEQVIZ_REQUIRE_BROWSER=1 as in CI)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "make: npm not found, the accessibility checks will not run (Debian: apt-get install npm)"; fi

lint: $(VENV)/.dev
	$(PY) -m ruff check .

fmt: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# two workers (tests/conftest.py's LOAD_GROUPS): server start-ups and restarts leave the cores half idle
load-test: $(VENV)/.dev
	$(PY) -m pytest -m load -n $(TEST_WORKERS) $(PYTEST_ARGS)

capacity: $(VENV)/.dev
	$(PY) -m seqviz.load --capacity docs

slides: $(VENV)/.runtime
	$(PY) -m seqviz.export --out slides --lang $(SLIDES_LANG)

clean:
	rm -rf $(VENV) artifacts .pytest_cache slides tests/browser/node_modules
