"""What the essay's templates can use, the same for the web page and the PDF.

`n` holds the numbers computed from the data (build/numbers.json), `figure(id)` the markup of a
figure with its title, alt text, caption, notes, source line, data links and its data table (the
values draw() plotted, build/plotted.json), all taken from the figure module, the figure build and
the dataset descriptors. Jinja2 runs with StrictUndefined: a name that is not
defined fails the build instead of shipping as literal braces.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline import edition
from pipeline.data import datasets
from pipeline.essay import claims
from pipeline.figures import registry
from pipeline.figures.build import PLOTTED_JSON
from pipeline.figures.numbers import Number, load
from pipeline.paths import DOCS, ESSAY_PAGE, NUMBERS_JSON

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)


def numbers() -> dict[str, dict[str, Number]]:
    return load(NUMBERS_JSON.read_text(encoding="utf-8"))


def plotted() -> dict[str, list[dict]]:
    """Each chart's plotted values, as its draw() recorded them (build/plotted.json)."""
    import json

    return json.loads(PLOTTED_JSON.read_text(encoding="utf-8")) if PLOTTED_JSON.exists() else {}


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
class FigureRecord:
    """What the renderer shows of one figure, recorded as it renders it: the print edition (its
    list of figures, its numbered sources) and the link previews are built from these records, never
    by reading the HTML back."""

    id: str
    number: int
    kind: str                       # "chart" or "table"
    title: str
    alt: str
    caption: str
    notes: list[str]
    sources: list[dict]             # the sources of what it shows, each once: descriptor fields + "id"
    datasets: list[str]             # what it draws (DATASETS), for its data links
    images: dict[str, str] = field(default_factory=dict)   # variant -> path under docs/ (charts, wide)
    width: int = 0
    height: int = 0
    narrow: dict = field(default_factory=dict)  # charts: {"media", "images": variant -> path, "width", "height"}
    columns: list[tuple[str, str]] = field(default_factory=list)   # a table figure's (key, heading), in order
    rows: list[dict] = field(default_factory=list)         # a table figure's rows, in order (see table_of)
    plotted: list[dict] = field(default_factory=list)      # a chart's plotted values (its data table)
    source_line: str = ""           # words around the source list, "{sources}" where it goes

    @property
    def data_series(self) -> list[dict]:
        """The data table: plotted values grouped by series, in the order drawn."""
        groups: dict[str, list[dict]] = {}
        for value in self.plotted:
            groups.setdefault(value["series"], []).append(value)
        # "source": the sources every value of the series shares (named once, in the series' row).
        return [{"series": series, "values": values,
                 "source": values[0]["source"] if len(values) > 1 and len({v["source"] for v in values}) == 1 else ""}
                for series, values in groups.items()]

    @property
    def label(self) -> str:
        return f"Figure {self.number}"


def figure_sources(dataset_ids, only: list[str] | None = None) -> list[dict]:
    """The sources a figure's datasets cite, each once (a source id means one source everywhere);
    `only`: just these ids, in this order (the sources of what a chart plots)."""
    used: dict[str, dict] = {}
    for dataset_id in dataset_ids:
        cited = datasets.cited_source_ids(dataset_id) if only is None else set(only)
        for sid, meta in datasets.sources(dataset_id).items():
            if sid in cited and sid not in used:
                used[sid] = {**meta, "id": sid}
    if only is None:
        return list(used.values())
    missing = [sid for sid in only if sid not in used]
    if missing:
        raise KeyError(f"plotted values cite {', '.join(missing)}, which no dataset the figure draws lists as a source")
    return [used[sid] for sid in only]


def plotted_source_ids(values: list[dict]) -> list[str]:
    """The source ids plotted values cite, each once, in order of first use."""
    return list(dict.fromkeys(sid for v in values for sid in v["source"].split("; ")))


def figure_info(figure_id: str, number: int, all_numbers: dict, all_plotted: dict | None = None) -> FigureRecord:
    fig = registry.spec(figure_id)
    nums = all_numbers.get(figure_id, {})
    values = (plotted() if all_plotted is None else all_plotted).get(figure_id, []) if fig.is_chart else []
    record = FigureRecord(
        id=figure_id,
        number=number,
        kind=fig.kind,
        title=_formatted(fig.title, nums, figure_id, "TITLE"),
        alt=_formatted(fig.alt, nums, figure_id, "ALT"),
        caption=_formatted(fig.caption, nums, figure_id, "CAPTION"),
        notes=[_formatted(n, nums, figure_id, "NOTES") for n in fig.notes],
        # A chart names the sources of what it plots; a table figure those of its rows.
        sources=figure_sources(fig.datasets, plotted_source_ids(values) if values else None),
        datasets=list(fig.datasets),
        plotted=values,
        source_line=fig.source_line,
    )
    if fig.is_chart:
        paths = registry.image_paths(figure_id)
        wide, narrow = registry.DEFAULT_LAYOUT, "narrow"
        record.images = {v: p.relative_to(DOCS).as_posix() for v, p in paths[wide].items()}
        # The image's intrinsic size (100 px per inch, as drawn), so the page reserves the right
        # box before the SVG arrives and nothing shifts.
        record.width, record.height = (round(x * 100) for x in fig.sizes[wide])
        record.narrow = {"media": registry.LAYOUTS[narrow].media,
                         "images": {v: p.relative_to(DOCS).as_posix() for v, p in paths[narrow].items()},
                         "width": round(fig.sizes[narrow][0] * 100), "height": round(fig.sizes[narrow][1] * 100)}
    else:
        record.columns, record.rows = table_of(figure_id, fig.table(_text_frames(fig.datasets)))
    return record


def table_of(figure_id: str, shown) -> tuple[list[tuple[str, str]], list[dict]]:
    """(columns, rows) of what a table figure's table(rows) returned: {"columns": [(key, heading),
    ...], "rows": [{key: cell, ..., "row_class": optional}]}, a cell being text or {"text", "class"}.
    A row without a cell for every column is refused here, naming the figure, not in the template."""
    where = f"charts/{figure_id}.py: table()"
    if not (isinstance(shown, dict) and set(shown) == {"columns", "rows"}):
        raise ValueError(f'{where} must return {{"columns": [(key, heading), ...], "rows": [...]}}')
    columns = [tuple(column) for column in shown["columns"]]
    if not columns or any(len(column) != 2 for column in columns):
        raise ValueError(f"{where}: columns must be (key, heading) pairs")
    keys = [key for key, _heading in columns]
    for i, row in enumerate(shown["rows"]):
        missing = [key for key in keys if key not in row]
        if missing:
            raise ValueError(f"{where}: row {i + 1} has no {', '.join(missing)}")
        for key in keys:
            if isinstance(row[key], dict) and set(row[key]) != {"text", "class"}:
                raise ValueError(f'{where}: row {i + 1}, {key}: a cell is text or {{"text", "class"}}')
    return columns, list(shown["rows"])


def _text_frames(dataset_ids) -> dict[str, list[dict]]:
    """A table figure's data as rows of text (no pandas: a table shows the cells as written)."""
    return {d: datasets.rows(d) for d in dataset_ids}


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter, the rest) of a Markdown page."""
    import yaml

    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


_FIGURE_CALL = re.compile(r"""\{\{\s*figure\(\s*["'](\w+)["']\s*\)\s*\}\}""")


def figure_order(page: Path = ESSAY_PAGE) -> list[str]:
    """Figure ids in the order the essay shows them (their numbers: Figure 1, 2, ...)."""
    return _FIGURE_CALL.findall(page.read_text(encoding="utf-8"))


def figure_labels(all_numbers: dict | None = None) -> dict[str, str]:
    """'Figure N. Title' for every figure, numbered as in the essay (unshown figures last)."""
    all_numbers = numbers() if all_numbers is None else all_numbers
    shown = figure_order()
    order = shown + [f for f in registry.figure_ids() if f not in shown]
    return {f: f"Figure {i}. {_formatted(registry.spec(f).title, all_numbers.get(f, {}), f, 'TITLE')}"
            for i, f in enumerate(order, 1)}


# Datasets the essay's macros render (not figures): what each macro reads.
MACRO_DATASETS = {"quote": ["quotations"], "original": ["original_claims"], "scorecard": ["original_claims"]}


def datasets_shown() -> set[str]:
    """Every dataset the essay shows: drawn or tabulated by a figure, counted for the numbers the
    prose cites, or read by a macro."""
    return registry.datasets_drawn() | registry.datasets_counted() | {d for ds in MACRO_DATASETS.values() for d in ds}


WORDS_PER_MINUTE = 230  # a common estimate for reading non-fiction on screen


def word_count(markdown_text: str) -> int:
    """Words a reader reads: front matter, template tags, HTML tags and markup left out."""
    text = split_front_matter(markdown_text)[1]
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " x ", text, flags=re.S)
    return len(re.findall(r"[\w’'-]+", text))


def reading_minutes(markdown_text: str) -> int:
    return max(1, -(-word_count(markdown_text) // WORDS_PER_MINUTE))


def _one_block(html: str) -> str:
    """Markdown ends a raw HTML block at a blank line; keep generated HTML one block."""
    return re.sub(r"\n\s*\n", "\n", html)


@dataclass
class Renderer:
    """Renders one page's template calls, numbering figures as they appear, and records what it
    rendered (`figures`, and for print the numbered `sources` their source lines cite)."""

    target: str                      # "web" or "print"
    prefix: str = ""                 # relative path from the page to the site root (web only)
    all_numbers: dict = field(default_factory=numbers)
    all_plotted: dict = field(default_factory=plotted)
    figures: list[FigureRecord] = field(default_factory=list)   # every figure shown, in order
    sources: dict[str, dict] = field(default_factory=dict)      # print: source id -> entry with "n", "figures"
    _claims: dict | None = None                                  # claim id -> result, evaluated once a page

    def figure(self, figure_id: str) -> str:
        if figure_id not in registry.figure_ids():
            raise KeyError(f"figure({figure_id!r}): no such figure; known: {', '.join(registry.figure_ids())}")
        record = figure_info(figure_id, len(self.figures) + 1, self.all_numbers, self.all_plotted)
        self.figures.append(record)
        # On paper each source with an address is numbered for the list at the end.
        cited = [self._cite(s, record) if str(s.get("path", "")).startswith("http") else s for s in record.sources] \
            if self.target == "print" else []
        html = _TEMPLATES.get_template("figure.html.j2").render(
            fig=record, cited=cited, target=self.target, prefix=self.prefix, site_url=edition.SITE_URL,
            value_html=self.value_html, source_refs=self.source_refs)
        return _one_block(html)

    def value_html(self, value: dict) -> Markup:
        """A plotted value as its data table shows it: its text with the confidence marking of the
        prose (≈ for approximate, a dotted underline for second-hand), said in words to a screen
        reader too."""
        number = Number(value["value"] if value["value"] is not None else value["low"], value["unit"], value["source"],
                        value["confidence"], text=value["text"])
        # The table's key says what the marks mean: no title on every cell, a word for screen readers.
        shown = re.sub(r' title="[^"]*"', "", str(Marked(number)), count=1)
        if value["confidence"] in CONFIDENCE_MARKS and self.target == "web":
            shown += f'<span class="visually-hidden"> ({value["confidence"]})</span>'
        return Markup(shown)

    def source_refs(self, value: dict) -> Markup:
        """The sources of a plotted value: on the web their ids, linked to the Sources page; on paper
        the numbers of the list of sources at the end (or the id, for a source with no address)."""
        links = []
        for sid in value["source"].split("; "):
            if self.target == "print":
                entry = self.sources.get(sid)
                links.append(f'<a class="source-ref" href="#source-{entry["n"]}">[{entry["n"]}]</a>' if entry
                             else html.escape(sid))
            else:
                links.append(f'<a href="{html.escape(self.prefix)}sources/#src-{html.escape(sid)}">{html.escape(sid)}</a>')
        return Markup(" ".join(links) if self.target == "print" else ", ".join(links))

    def data_appendix(self) -> str:
        """Print: "The data behind the figures", every chart's data table after the essay, with the
        numbers of the list of sources (call it after the essay is rendered, so all are numbered)."""
        charts = [f for f in self.figures if f.kind == "chart"]
        return _one_block(_TEMPLATES.get_template("data_appendix.html.j2").render(
            figures=charts, value_html=self.value_html, source_refs=self.source_refs, site_url=edition.SITE_URL,
            later=edition.ESSAY_DATE_TEXT))

    def _cite(self, source: dict, record: FigureRecord) -> dict:
        """Number a source for the print edition's list at the end, in order of first citation."""
        entry = self.sources.setdefault(source["id"], {**source, "n": len(self.sources) + 1, "figures": []})
        if record.label not in entry["figures"]:
            entry["figures"].append(record.label)
        return entry

    def figref(self, figure_id: str) -> str:
        """A cross-reference to a figure of the essay, before or after it: 'Figure N', linked.

        The PDF adds the page number ("Figure 3 on page 7"): `figref` in print/lib.typ.
        """
        order = figure_order()
        if figure_id not in order:
            raise KeyError(f"figref({figure_id!r}): the essay shows no such figure; it shows {', '.join(order)}")
        number = order.index(figure_id) + 1
        return f'<a class="figref" href="#{figure_id}">Figure&nbsp;{number}</a>'

    def quote(self, quote_id: str) -> str:
        """A quotation from data/quotations.csv, marked and linked to where we read it."""
        (dataset,) = MACRO_DATASETS["quote"]
        rows = {row["id"]: row for row in datasets.rows(dataset)}
        if quote_id not in rows:
            raise KeyError(f"quote({quote_id!r}): no such quotation in data/{dataset}.csv; known: {', '.join(rows)}")
        row = rows[quote_id]
        source = datasets.sources(dataset)[row["source"]]
        return _TEMPLATES.get_template("quote.html.j2").render(q=row, src=source, target=self.target).strip()

    def sources_page(self) -> str:
        from pipeline.essay import pages

        return _one_block(_TEMPLATES.get_template("sources.html.j2").render(
            entries=pages.source_entries(), by_figure=pages.sources_by_figure(),
            dataset_count=len(datasets.dataset_ids()), prefix=self.prefix,
            labels=figure_labels(self.all_numbers)))

    def data_page(self) -> str:
        from pipeline.essay import pages

        return _one_block(_TEMPLATES.get_template("datasets.html.j2").render(
            entries=pages.dataset_entries(), constraint_text=pages.constraint_text, prefix=self.prefix,
            labels=figure_labels(self.all_numbers), package=pages.package_download()))

    def changelog_page(self) -> str:
        from pipeline.data import changelog

        return _one_block(_TEMPLATES.get_template("changelog.html.j2").render(
            entries=changelog.entries(), data_version=changelog.data_version(), prefix=self.prefix))

    def byline(self, standfirst: bool = True, contents: bool = True) -> str:
        """The essay's header under its title: on the web the standfirst (the essay's front-matter
        `description`), the byline and a folded "Contents" (contents=False on the home page)."""
        from pipeline.data.provenance import last_updated

        text = ESSAY_PAGE.read_text(encoding="utf-8")
        return _TEMPLATES.get_template("byline.html.j2").render(
            edition=edition, updated=last_updated(), minutes=reading_minutes(text), target=self.target,
            prefix=self.prefix, standfirst=split_front_matter(text)[0].get("description", "") if standfirst else "",
            contents=contents).strip()

    def _claim_results(self) -> dict:
        if self._claims is None:  # evaluated once a page; a broken claim stops the build here
            self._claims = {r.id: r for r in claims.check(self.all_numbers)}
        return self._claims

    def _filled(self, template: str) -> Markup:
        """A claim's text, a template over the numbers (marked as in the prose)."""
        text = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(str(template))
        return Markup(text.render(n=marked(self.all_numbers), between=self.between).strip())

    def claim(self, claim_id: str, caller) -> str:
        """The block around a sentence that makes a checked claim (see pipeline/essay/claims.py)."""
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

    def cite(self) -> str:
        """"Cite this essay": APA-style text and BibTeX naming the data version and the commit this
        page was built from (the footer's and the PDF cover's build information)."""
        from pipeline.data.provenance import build_info, last_updated

        build, updated, url = build_info(), last_updated(), edition.SITE_URL + "essay/"
        bibtex = "\n".join([
            f"@misc{{future_of_open_models_{updated.year},",
            f'  author       = "{{{edition.AUTHOR_CREDIT}}}",',  # inner braces keep a corporate author whole
            f"  title        = {{{edition.TITLE}}},",
            f"  year         = {{{updated.year}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  note         = {{Data version {build['data_version']}, commit {build['commit']}; "
            f"first published {edition.ESSAY_DATE_TEXT}; CC BY 4.0}}",
            "}"])
        return _one_block(_TEMPLATES.get_template("cite.html.j2").render(
            credit=edition.AUTHOR_CREDIT, title=edition.TITLE, url=url, updated=updated, build=build, bibtex=bibtex))

    def original(self, original_id: str, words: str | None = None) -> str:
        """A sentence of the 2025 essay (data/original_claims.csv), or `words` from it, quoted exactly
        and, when data/claims.yaml scores it, linked to its entry in the scorecard. Literal quotation
        marks: a quotation is never our own words, and words not found verbatim stop the build."""
        row = _originals().get(original_id)
        if row is None:
            raise KeyError(f"original({original_id!r}): no such sentence in data/original_claims.csv")
        if words is not None and words not in row["quote"]:
            raise ValueError(f"original({original_id!r}, {words!r}): not in the sentence {row['quote']!r}")
        quoted = f'<span class="original-quote">\u201c{html.escape(words or row["quote"])}\u201d</span>'
        if not any(spec["original"] == original_id for spec in claims.declared()):
            return quoted  # a frame of his argument, not a claim the data can score
        return quoted + f'<sup class="quote-source"><a href="#score-{original_id}">scorecard</a></sup>'

    def between(self, low, high) -> str:
        """A range in running text, "≈4–6 months": one number, marked once by the weaker confidence
        (the low end is written without its unit, e.g. numbers made with a bare text)."""
        from dataclasses import replace

        from pipeline.figures.numbers import weakest

        low, high = (getattr(x, "number", x) for x in (low, high))
        low_text = low.text
        unit = re.search(r"[^\d.,]+$", high.text)  # " months", "%": said once, after the high end
        if unit and low_text.endswith(unit.group()):
            low_text = low_text[: -len(unit.group())]
        joined = replace(high, text=f"{low_text}\u2013{high.text}", confidence=weakest(low.confidence, high.confidence))
        return str(Marked(joined))

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

    # The names a page's Markdown may call, the same for every generator and for the PDF, e.g.
    # {{ figure("close_pursuit") }}, {{ figref("close_pursuit") }} ("Figure N"; the PDF adds the page),
    # {% call claim("id") %}sentence{% endcall %}, {{ quote("id") }}, {{ byline() }}, and the
    # generated pages' {{ sources_page() }}, {{ data_page() }}, {{ changelog_page() }}.
    MACROS = ("figure", "figref", "claim", "quote", "byline", "scorecard", "original", "between", "cite",
              "sources_page", "data_page", "changelog_page")

    def variables(self) -> dict:
        return {"n": marked(self.all_numbers), "edition": edition, **{name: getattr(self, name) for name in self.MACROS}}


def _originals() -> dict[str, dict]:
    (dataset,) = MACRO_DATASETS["original"]
    return {row["id"]: row for row in datasets.rows(dataset)}


def render_markdown(text: str, renderer: Renderer) -> str:
    """Fill a Markdown page's template expressions (the PDF path; MkDocs uses mkdocs-macros)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text).render(**renderer.variables())
