# The two commands:  make build  (set up, then build figures, site and PDF)
#                    make test   (set up, then run every test)
# Other targets: serve (live preview), pdf (the PDF alone, to look at), check (fast data check),
#                site-zensical (the site built by Zensical instead of MkDocs), bench, lint, clean.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

# Debian packages: the build needs fonts (DejaVu with its italics: Typst does not slant a font itself); the tests also a browser and poppler.
BUILD_DEBS := fonts-dejavu-core fonts-dejavu-extra fonts-droid-fallback
TEST_DEBS := chromium poppler-utils

.PHONY: build test serve charts pdf check bench lint clean setup setup-test debs site-zensical

build: setup
	$(PY) -m pipeline.build

# Two processes (pytest-xdist; tests/conftest.py makes the shared builds once for both); TEST_JOBS=0 runs one.
TEST_JOBS ?= 2
test: setup-test
	$(PY) -m pytest $(if $(filter 0,$(TEST_JOBS)),,-n $(TEST_JOBS) --dist loadgroup)

serve: setup
	$(PY) build_charts.py && $(VENV)/bin/mkdocs serve

charts: setup
	$(PY) build_charts.py

# The PDF alone, to look at: build/the-future-of-open-models.pdf (make pdf LETTER=1 for US Letter).
pdf: setup
	$(PY) -m pipeline.pdf $(if $(LETTER),--letter)

# The same site built by Zensical (MkDocs + Material stays the default).
site-zensical: setup $(VENV)/.installed-zensical
	$(PY) -m pipeline.build --generator zensical

check: setup
	$(PY) -m pipeline.check

bench: setup
	$(PY) scripts/benchmark.py

lint: setup-test
	node scripts/lint-workflows.mjs

# For a machine where the build itself does not run as root: `sudo make debs` first (CI runs as
# root in a Debian 12 container, where `make build` installs them itself).
debs:
	scripts/need-debian-packages $(BUILD_DEBS)

clean:
	rm -rf site build .cache .zensical.yml docs/figures docs/posts/updates site.new-* site.old-*

# --- setup: a virtual environment with the pinned packages, redone when requirements.txt changes
setup: $(VENV)/.installed
# Fonts: DejaVu for text and figures; Droid Fallback for the CJK characters in some source titles.
$(VENV)/.installed: requirements.txt
	scripts/need-debian-packages $(BUILD_DEBS)
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || scripts/need-debian-packages python3-venv  # Debian's python3 needs it
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	cp requirements.txt $@

# Tests also need the npm tools (package-lock.json), Debian's chromium and poppler, Zensical
# (requirements-zensical.txt: tests/test_zensical.py builds the site with it too) and cffconvert
# (in a venv of its own, .venv-cff: it pins jsonschema<4, which the build's packages cannot use).
setup-test: setup node_modules/.installed $(VENV)/.installed-zensical .venv-cff/.installed
	scripts/need-debian-packages $(TEST_DEBS)
$(VENV)/.installed-zensical: requirements-zensical.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	cp requirements-zensical.txt $@
node_modules/.installed: package.json package-lock.json
	scripts/need-node
	npm ci --no-audit --no-fund --silent
	touch $@
.venv-cff/.installed: requirements-cff.txt
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || scripts/need-debian-packages python3-venv
	$(PYTHON) -m venv .venv-cff
	.venv-cff/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-cff.txt
	cp requirements-cff.txt $@
