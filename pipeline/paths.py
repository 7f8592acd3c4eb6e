"""Where every input and output of the pipeline lives, named once."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHARTS = ROOT / "charts"
DOCS = ROOT / "docs"
ESSAY_PAGE = DOCS / "essay.md"         # the essay: its figures are numbered in the order it shows them
PRINT = ROOT / "print"
FIGURES = DOCS / "figures"          # drawn SVGs; MkDocs serves them from here
BUILD = ROOT / "build"              # numbers.json and other generated inputs of the site/PDF
CACHE = BUILD / "cache"             # what the last builds saw (for skipping work); not .cache/, which Zensical owns
SITE = ROOT / "site"                # the published web edition (the PDF sits inside it)
NUMBERS_JSON = BUILD / "numbers.json"
# What `build_charts.py --numbers-first` prints once NUMBERS_JSON holds this run's numbers (the
# `mkdocs serve` hook waits for it; the hook must not import figure code to learn it).
NUMBERS_WRITTEN = "numbers written"
PDF_NAME = "the-future-of-open-models.pdf"
