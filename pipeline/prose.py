"""What the essay's templates can use, the same for the web page and the PDF.

`n` holds the numbers computed from the data (build/numbers.json), `figure(id)` the markup of a
figure with its title, alt text, caption, notes, source line and data link, all taken from the
figure module and the dataset descriptors. Jinja2 runs with StrictUndefined: a name that is not
defined fails the build instead of shipping as literal braces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import jinja2

from pipeline import datasets, edition, figures
from pipeline.numbers import Number, load
from pipeline.paths import NUMBERS_JSON, ROOT

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(ROOT / "pipeline" / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)


def numbers() -> dict[str, dict[str, Number]]:
    return load(NUMBERS_JSON.read_text(encoding="utf-8"))


def _formatted(template: str, nums: dict[str, Number], figure_id: str, what: str) -> str:
    try:
        return template.format(**{k: str(v) for k, v in nums.items()})
    except KeyError as missing:
        raise KeyError(f"charts/{figure_id}.py: {what} uses {missing}, which numbers() does not define") from None


@dataclass
class FigureInfo:
    id: str
    number: int
    title: str
    alt: str
    caption: str
    notes: list[str]
    sources: list[dict]
    light_src: str
    dark_src: str
    data_hrefs: list[str]
    width: int = 640
    height: int = 380


def figure_info(figure_id: str, number: int, all_numbers: dict) -> FigureInfo:
    module = figures.module(figure_id)
    nums = all_numbers.get(figure_id, {})
    used_sources = []
    for dataset_id in module.DATASETS:
        frame_sources = _source_ids_used(dataset_id)
        used_sources += [s for sid, s in datasets.sources(dataset_id).items() if sid in frame_sources]
    light, dark = (p.relative_to(ROOT / "docs").as_posix() for p in figures.output_paths(figure_id))
    return FigureInfo(
        id=figure_id,
        number=number,
        title=_formatted(module.TITLE, nums, figure_id, "TITLE"),
        alt=_formatted(module.ALT, nums, figure_id, "ALT"),
        caption=_formatted(module.CAPTION, nums, figure_id, "CAPTION"),
        notes=[_formatted(n, nums, figure_id, "NOTES") for n in getattr(module, "NOTES", [])],
        sources=used_sources,
        light_src=light,
        dark_src=dark,
        data_hrefs=[f"data/{d}.csv" for d in module.DATASETS],
    )


@cache
def _source_ids_used(dataset_id: str) -> frozenset[str]:
    import csv

    with datasets.csv_path(dataset_id).open(encoding="utf-8", newline="") as f:
        return frozenset(row[datasets.SOURCE_COLUMN] for row in csv.DictReader(f))


@dataclass
class Renderer:
    """Renders figures in page order, numbering them as they appear."""

    target: str                      # "web" or "print"
    prefix: str = ""                 # relative path from the page to the site root (web only)
    all_numbers: dict = field(default_factory=numbers)
    shown: list[str] = field(default_factory=list)

    def figure(self, figure_id: str) -> str:
        if figure_id not in figures.figure_ids():
            raise KeyError(f"figure({figure_id!r}): no such figure; known: {', '.join(figures.figure_ids())}")
        self.shown.append(figure_id)
        info = figure_info(figure_id, len(self.shown), self.all_numbers)
        html = _TEMPLATES.get_template("figure.html.j2").render(fig=info, target=self.target, prefix=self.prefix)
        # Markdown would treat blank lines or indentation inside the block as text; keep it one block.
        return re.sub(r"\n\s*\n", "\n", html)

    def variables(self) -> dict:
        return {"n": self.all_numbers, "figure": self.figure, "edition": edition}


def render_markdown(text: str, renderer: Renderer) -> str:
    """Fill a Markdown page's template expressions (the PDF path; MkDocs uses mkdocs-macros)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text).render(**renderer.variables())
