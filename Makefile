# publist: `make demo` converts the bundled seed into out/; `make test` runs the test suite.
# Both create .venv and install what they need (idempotently) on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SEED   := seeds/hussenot-leonard.txt
NAME   := $(basename $(notdir $(SEED)))
OUT    := out

.PHONY: demo demo-complete test install system-deps lint clean fixtures examples bench citeproc-upstream suite long

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

system-deps:
	bash tools/install-system-deps.sh

demo: install
	mkdir -p $(OUT)
	$(VENV)/bin/publist convert $(SEED) -t csl-json -o $(OUT)/$(NAME).json
	$(VENV)/bin/publist convert $(SEED) -t bibtex -o $(OUT)/$(NAME).bib
	$(VENV)/bin/publist convert $(SEED) -t biblatex -o $(OUT)/$(NAME).biblatex.bib
	$(VENV)/bin/publist convert $(SEED) -t ris -o $(OUT)/$(NAME).ris
	$(VENV)/bin/publist render $(SEED) -s apa -o $(OUT)/$(NAME).apa.txt
	$(VENV)/bin/publist render $(SEED) -s ieee --format html -o $(OUT)/$(NAME).ieee.html
	$(VENV)/bin/publist cv $(SEED) --format markdown -o $(OUT)/$(NAME).cv.md
	$(VENV)/bin/publist cv $(SEED) --format html -o $(OUT)/$(NAME).cv.html
	$(VENV)/bin/publist cv $(SEED) --format latex -o $(OUT)/$(NAME).cv.tex
	$(VENV)/bin/publist cv $(SEED) --selected --group-by type --format html -o $(OUT)/$(NAME).cv-selected.html
	mkdir -p $(OUT)/al-folio/_bibliography
	$(VENV)/bin/publist convert $(SEED) -t al-folio -o $(OUT)/al-folio/_bibliography/papers.bib
	$(VENV)/bin/publist hugo $(SEED) -o $(OUT)/hugo/content/publications
	$(VENV)/bin/publist convert $(SEED) -t jsonresume -o $(OUT)/$(NAME).resume.json
	$(VENV)/bin/publist convert $(SEED) -t rendercv -o $(OUT)/$(NAME).rendercv.yaml
	@ls -l $(OUT)

demo-complete: install   # `publist complete` on a copy of the seed, against the loopback test server
	mkdir -p $(OUT)/complete
	cp $(SEED) $(OUT)/complete/
	rm -rf $(OUT)/complete/$(NAME).meta.yaml $(OUT)/complete/cache
	$(PY) tools/demo_complete.py $(OUT)/complete/$(notdir $(SEED))

test: $(VENV)/.installed-test system-deps
	$(PY) -m pytest -q

examples: $(VENV)/.installed-test system-deps   # the seed's CV, committed under examples/
	$(VENV)/bin/publist cv $(SEED) --format markdown -o examples/$(NAME).cv.md
	$(VENV)/bin/publist cv $(SEED) --format html -o examples/$(NAME).cv.html
	$(VENV)/bin/publist cv $(SEED) --format latex -o examples/$(NAME).cv.tex
	$(PY) tools/screenshot.py examples/$(NAME).cv.html examples/$(NAME).cv.png

bench: $(VENV)/.installed-test   # benchmarks against citeproc-js, Citation.js and pandoc
	$(PY) -m pip install -q --disable-pip-version-check pypandoc-binary
	cd benchmarks && npm ci --no-audit --no-fund --loglevel=error
	$(PY) benchmarks/run.py $(BENCH_ARGS)

fixtures: $(VENV)/.installed-test   # regenerate the citeproc-js conformance fixtures (node + npm)
	$(PY) tests/conformance/generate.py

long: $(VENV)/.installed-test   # 2,000 generated items in the ten styles against citeproc-js (LONG_ARGS=--list)
	$(PY) tests/conformance/long_compare.py $(LONG_ARGS)

CSL_TEST_SUITE ?= ../shared/csl-test-suite
suite: $(VENV)/.installed-test   # the CSL test suite (bibliography mode) from $(CSL_TEST_SUITE); fails below the floor
	CSL_TEST_SUITE=$(CSL_TEST_SUITE) $(PY) tests/conformance/csl_suite.py

UPSTREAM := build/citeproc-upstream
citeproc-upstream: $(VENV)/.installed-test   # the A/B tests against the newest citeproc-py (not in make test)
	rm -rf $(UPSTREAM)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --target $(UPSTREAM) --upgrade citeproc-py
	@PYTHONPATH=$(UPSTREAM) $(PY) -c "import importlib.metadata as m; print('citeproc-py', m.version('citeproc-py'))"
	PYTHONPATH=$(UPSTREAM):src PUBLIST_CITEPROC_UNPINNED=1 $(PY) -m pytest -q -p no:cacheprovider \
		tests/test_render_fidelity.py tests/test_render_scoped.py tests/test_conformance.py

LINT_PATHS := src tests tools benchmarks   # tests/test_lint.py reads this line

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy

clean:
	rm -rf $(OUT) build *.egg-info

.PHONY: zotero-routes
zotero-routes: $(VENV)/.installed   # the README's table: publist's outputs through Zotero's importers (needs the peers)
	$(PY) tools/zotero_routes.py --by-type $(SEED) tests/data/zotero/every-type.json
