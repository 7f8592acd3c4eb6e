"""What the essay's templates can use, the same for the web page and the PDF.

`n` holds the numbers computed from the data (build/numbers.json), `figure(id)` the markup of a
figure with its title, alt text, caption, notes, source line and data link, all taken from the
figure module and the dataset descriptors. Jinja2 runs with StrictUndefined: a name that is not
defined fails the build instead of shipping as literal braces.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

import jinja2
from markupsafe import Markup

from charts._style import FIGURE_SIZE
from pipeline import claims, datasets, edition, figures
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


# How a number's confidence shows in running text: a mark on the number, never a clause.
CONFIDENCE_MARKS = {
    "approx": ("≈", "approximate"),
    "secondary": ("", "known from a secondary report"),
}


class Marked:
    """A Number as the prose shows it: approximate values carry ≈, second-hand ones a dotted
    underline, each with a title that says why (the figure notes and the Data page say more)."""

    def __init__(self, number: Number):
        self.number = number

    def __getattr__(self, name):
        return getattr(self.number, name)

    def __str__(self) -> str:
        num = self.number
        if num.confidence not in CONFIDENCE_MARKS:
            return num.text
        sign, meaning = CONFIDENCE_MARKS[num.confidence]
        # No sign where the words already hedge, or on a date ("≈August 2025" reads as noise).
        hedged = num.text.startswith(("about ", "more than ", "over ", "≈", "~")) or num.text.endswith("+")
        text = num.text if hedged or num.unit == "year" else f"{sign}{num.text}"
        return f'<span class="num num-{num.confidence}" title="{meaning}">{html.escape(text)}</span>'


def marked(all_numbers: dict[str, dict[str, Number]]) -> dict[str, dict[str, Marked]]:
    return {fig: {name: Marked(num) for name, num in nums.items()} for fig, nums in all_numbers.items()}


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
    datasets: list[str]
    width: int
    height: int


def figure_info(figure_id: str, number: int, all_numbers: dict) -> FigureInfo:
    module = figures.module(figure_id)
    nums = all_numbers.get(figure_id, {})
    used_sources = []
    for dataset_id in module.DATASETS:
        frame_sources = _source_ids_used(dataset_id)
        used_sources += [s for sid, s in datasets.sources(dataset_id).items()
                         if sid in frame_sources and all(u["id"] != sid for u in used_sources)]  # once each
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
        datasets=list(module.DATASETS),
        # The image's intrinsic size (100 px per inch, as drawn), so the page reserves the right
        # box before the SVG arrives and nothing shifts.
        width=round(getattr(module, "SIZE", FIGURE_SIZE)[0] * 100),
        height=round(getattr(module, "SIZE", FIGURE_SIZE)[1] * 100),
    )


@cache
def _source_ids_used(dataset_id: str) -> frozenset[str]:
    import csv

    with datasets.csv_path(dataset_id).open(encoding="utf-8", newline="") as f:
        return frozenset(sid for row in csv.DictReader(f) for _, sid in datasets.cited_ids(row))


ESSAY_PAGE = ROOT / "docs" / "essay.md"
_FIGURE_CALL = re.compile(r"""\{\{\s*(?:figure\(\s*["'](\w+)["']\s*\)|(decision_guide)\(\s*\))\s*\}\}""")


def figure_order(page=ESSAY_PAGE) -> list[str]:
    """Figure ids in the order the essay shows them (their numbers: Figure 1, 2, ...)."""
    return [a or b for a, b in _FIGURE_CALL.findall(page.read_text(encoding="utf-8"))]


def figure_labels(all_numbers: dict | None = None) -> dict[str, str]:
    """'Figure N. Title' for every figure, numbered as in the essay (unshown figures last)."""
    all_numbers = numbers() if all_numbers is None else all_numbers
    shown = figure_order()
    order = shown + [f for f in figures.figure_ids() if f not in shown]
    titles = {f: DECISION_GUIDE_TITLE if f == "decision_guide" else figure_info(f, 0, all_numbers).title for f in order}
    return {f: f"Figure {i}. {titles[f]}" for i, f in enumerate(order, 1)}


DECISION_GUIDE_TITLE = "What enterprises weigh: the closed frontier for exploring, open weights for owning"


WORDS_PER_MINUTE = 230  # a common estimate for reading non-fiction on screen


def word_count(markdown_text: str) -> int:
    """Words a reader reads: front matter, template tags, HTML tags and markup left out."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown_text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " x ", text, flags=re.S)
    return len(re.findall(r"[\w’'-]+", text))


def reading_minutes(markdown_text: str) -> int:
    return max(1, -(-word_count(markdown_text) // WORDS_PER_MINUTE))


def _one_block(html: str) -> str:
    """Markdown ends a raw HTML block at a blank line; keep generated HTML one block."""
    return re.sub(r"\n\s*\n", "\n", html)


@dataclass
class Renderer:
    """Renders figures in page order, numbering them as they appear."""

    target: str                      # "web" or "print"
    prefix: str = ""                 # relative path from the page to the site root (web only)
    all_numbers: dict = field(default_factory=numbers)
    shown: list[str] = field(default_factory=list)      # charts shown, in order (charts/<id>.py)
    numbered: list[str] = field(default_factory=list)   # every numbered figure: charts and tables
    _claims: dict | None = None                          # claim id -> result, evaluated once a page

    def figure(self, figure_id: str) -> str:
        if figure_id not in figures.figure_ids():
            raise KeyError(f"figure({figure_id!r}): no such figure; known: {', '.join(figures.figure_ids())}")
        self.shown.append(figure_id)
        self.numbered.append(figure_id)
        info = figure_info(figure_id, len(self.numbered), self.all_numbers)
        html = _TEMPLATES.get_template("figure.html.j2").render(fig=info, target=self.target, prefix=self.prefix)
        return _one_block(html)

    def figref(self, figure_id: str) -> str:
        """A cross-reference to a figure of the essay, before or after it: 'Figure N', linked.

        The PDF adds the page number ("Figure 3 on page 7") from its stylesheet (print/print.css).
        """
        order = figure_order()
        if figure_id not in order:
            raise KeyError(f"figref({figure_id!r}): the essay shows no such figure; it shows {', '.join(order)}")
        number = order.index(figure_id) + 1
        return f'<a class="figref" href="#{figure_id}">Figure&nbsp;{number}</a>'

    def quote(self, quote_id: str) -> str:
        """A quotation from data/quotations.csv, marked and linked to where we read it."""
        import csv

        with datasets.csv_path("quotations").open(encoding="utf-8", newline="") as f:
            rows = {row["id"]: row for row in csv.DictReader(f)}
        if quote_id not in rows:
            raise KeyError(f"quote({quote_id!r}): no such quotation in data/quotations.csv; known: {', '.join(rows)}")
        row = rows[quote_id]
        source = datasets.sources("quotations")[row["source"]]
        return _TEMPLATES.get_template("quote.html.j2").render(q=row, src=source, target=self.target).strip()

    def decision_guide(self) -> str:
        """The decision guide (data/decision_guide.csv) as a table figure, numbered with the charts."""
        import csv

        self.numbered.append("decision_guide")
        with datasets.csv_path("decision_guide").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        (source,) = datasets.sources("decision_guide").values()
        leans = {lean: sum(r["leaning"] == lean for r in rows) for lean in ("open", "closed")}
        return _one_block(_TEMPLATES.get_template("decision_guide.html.j2").render(
            number=len(self.numbered), rows=rows, source=source, target=self.target, prefix=self.prefix,
            title=DECISION_GUIDE_TITLE,
            caption=(f"Of the {len(rows)} situations, {leans['closed']} favour a closed model and "
                     f"{leans['open']} an open one. The leanings are judgements, not measurements.")))

    def sources_page(self) -> str:
        from pipeline import catalogue

        return _one_block(_TEMPLATES.get_template("sources.html.j2").render(
            entries=catalogue.source_entries(), by_figure=catalogue.sources_by_figure(),
            dataset_count=len(datasets.dataset_ids()), prefix=self.prefix,
            labels=figure_labels(self.all_numbers)))

    def data_page(self) -> str:
        from pipeline import catalogue

        return _one_block(_TEMPLATES.get_template("datasets.html.j2").render(
            entries=catalogue.dataset_entries(), constraint_text=catalogue.constraint_text, prefix=self.prefix,
            labels=figure_labels(self.all_numbers), package=catalogue.package_download()))

    def changelog_page(self) -> str:
        from pipeline.provenance import data_version

        entries = [{**entry, "dataset": d, "date": str(entry["date"])} for d in datasets.dataset_ids()
                   for entry in datasets.descriptor(d).get("changelog", [])]
        entries.sort(key=lambda e: (e["date"], e["dataset"]), reverse=True)
        return _one_block(_TEMPLATES.get_template("changelog.html.j2").render(
            entries=entries, data_version=data_version(), prefix=self.prefix))

    def byline(self, standfirst: bool = True, contents: bool = True) -> str:
        """The essay's header under its title: on the web the standfirst (the essay's front-matter
        `description`), the byline and a folded "Contents" (contents=False on the home page)."""
        from pipeline.provenance import last_updated

        text = ESSAY_PAGE.read_text(encoding="utf-8")
        return _TEMPLATES.get_template("byline.html.j2").render(
            edition=edition, updated=last_updated(), minutes=reading_minutes(text), target=self.target,
            prefix=self.prefix, standfirst=_front_matter(text).get("description", "") if standfirst else "",
            contents=contents).strip()

    def _claim_results(self) -> dict:
        if self._claims is None:  # evaluated once a page; a broken claim stops the build here
            self._claims = {r.id: r for r in claims.check(self.all_numbers)}
        return self._claims

    def _filled(self, template: str) -> Markup:
        """A claim's text, a template over the numbers (marked as in the prose)."""
        text = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(str(template))
        return Markup(text.render(n=marked(self.all_numbers)).strip())

    def claim(self, claim_id: str, caller) -> str:
        """The block around a sentence that makes a checked claim (see pipeline/claims.py)."""
        results = self._claim_results()
        if claim_id not in results:
            raise KeyError(f"claim({claim_id!r}) is not declared in data/claims.yaml")
        # The body is Markdown; md_in_html renders it inside the block.
        body = caller()
        result = results[claim_id]
        note = self._filled(result.now) if result.state == "superseded" else ""
        html_text = _TEMPLATES.get_template("claim.html.j2").render(result=result, note=note, body="\x00BODY\x00")
        html_text = html_text.replace('data-claim=', 'markdown="1" data-claim=', 1).replace("\x00BODY\x00", "\n" + body.strip() + "\n")
        return "\n" + html_text + "\n"

    def original(self, original_id: str) -> str:
        """A sentence of the 2025 essay (data/original_claims.csv), quoted exactly and linked to its
        entry in the scorecard. Literal quotation marks: a quotation is never our own words."""
        row = _originals().get(original_id)
        if row is None:
            raise KeyError(f"original({original_id!r}): no such sentence in data/original_claims.csv")
        return (f'<span class="original-quote">\u201c{html.escape(row["quote"])}\u201d</span>'
                f'<sup class="quote-source"><a href="#score-{original_id}">{original_id}</a></sup>')

    def scorecard(self) -> str:
        """"How the 2025 argument has held up": every claim of data/claims.yaml under the sentence it
        scores (data/original_claims.csv), with what the data says now, its state and where to look."""
        originals = _originals()
        groups: dict[str, list] = {}
        for result in self._claim_results().values():
            if result.original not in originals:
                raise KeyError(f"claim {result.id!r} scores {result.original!r}, which data/original_claims.csv lacks")
            groups.setdefault(result.original, []).append(result)
        entries = [{"original": originals[o], "claims": [{"result": r, "claim": self._filled(r.claim), "now": self._filled(r.now),
                                "link": self._link(r.link)}
                                                           for r in rs]}
                   for o, rs in sorted(groups.items(), key=lambda item: int(item[0][1:]))]
        counts = {state: sum(r.state == state for r in self._claim_results().values()) for state in claims.STATES}
        return _one_block(_TEMPLATES.get_template("scorecard.html.j2").render(
            entries=entries, counts=counts, target=self.target, prefix=self.prefix))

    def _link(self, target: str) -> Markup:
        """Where the reader sees a claim's evidence: a figure of the essay, or a dataset."""
        if target in figure_order():
            return Markup(self.figref(target))
        if target in datasets.dataset_ids():
            title = datasets.descriptor(target)["title"]
            return Markup(f'<a href="{self.prefix}data/#{target}">{html.escape(title)}</a> (data)')
        raise KeyError(f"data/claims.yaml links {target!r}, which is neither a figure of the essay nor a dataset")

    def variables(self) -> dict:
        return {"n": marked(self.all_numbers), "figure": self.figure, "edition": edition, "byline": self.byline,
                "claim": self.claim, "figref": self.figref, "decision_guide": self.decision_guide,
                "quote": self.quote, "scorecard": self.scorecard, "original": self.original}


def _front_matter(markdown_text: str) -> dict:
    import yaml

    match = re.match(r"\A---\n(.*?)\n---\n", markdown_text, flags=re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def _originals() -> dict[str, dict]:
    import csv

    with datasets.csv_path("original_claims").open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def render_markdown(text: str, renderer: Renderer) -> str:
    """Fill a Markdown page's template expressions (the PDF path; MkDocs uses mkdocs-macros)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text).render(**renderer.variables())
