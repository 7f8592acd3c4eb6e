"""The figure registry and the figure contract, as code.

A figure is a module `charts/<id>.py`; its id is the module name, the output names
(`docs/figures/<id>.light.svg`, `<id>.dark.svg`), the key of its numbers and its anchor on the
page. `spec(id)` reads the module once and returns a fixed `FigureSpec`: every name the contract
knows, with its default where it is optional. A name the contract requires and the module lacks,
a top-level UPPER-CASE name the contract does not know (a typo such as `NOTE` or `SIZES`), a name
of the wrong type (`NOTES = "one caveat"`), a name the figure's kind does not use (`SIZE` on a
table) or a function that cannot be called as the pipeline calls it stops the build, one line per
problem, each naming the module and the name. A figure's own constants are `_PRIVATE` (leading
underscore).

    KIND = "chart"                    # optional: "chart" (drawn) or "table" (an HTML table)
    DATASETS = ["dataset_id", ...]    # what it draws (data/<id>.csv + .resource.yaml): its source
                                      # line, data links and data table name these and only these
    NUMBER_DATASETS = [...]           # optional: datasets numbers() reads for the prose but the
                                      # figure does not draw (no source line, no data link)
    TITLE = "..."                     # states the finding; may use {number_name}
    CAPTION = "..."                   # one or two sentences; may use {number_name}
    NOTES = ["..."]                   # optional: definitions that changed, caveats
    SOURCE_LINE = "... {sources} ..." # optional: words around the source list ({sources})
    def numbers(frames) -> dict[str, Number]   # what the prose and the texts may cite
    # a chart:
    ALT = "..."                       # chart type, data, the point; may use {number_name}
    def draw(fig, frames, theme, layout) -> list[dict]
        # draws on a matplotlib Figure (fig.subplots() for axes) and returns what it plotted, one
        # dict per value (charts._common.Plotted): the figure's data table. Every layout must
        # return the same values. Colours come from `theme` (its roles, text,
        # muted, grid, background, later_band), never from the module: the dark SVG is the light
        # one with those colours swapped (a colour that is no theme colour stops the build, and
        # tests/test_chart_conventions.py refuses colour literals, colour maps and pixels).
    SIZE = (w, h) or {"wide": (w, h), "narrow": (w, h)}   # optional: inches per layout
    SOCIAL_CARD = True                # optional: also draw <id>.png (1200x630, light) for link previews
    # a table:
    def table(rows) -> dict           # rows: {dataset id: its CSV rows as text}; returns what the table
        # shows: {"columns": [(key, heading), ...], "rows": [{key: cell, ...}, ...]}. The first
        # column heads its row; a cell is text, or {"text": ..., "class": ...} (a <span> with that
        # class); a row may carry "row_class" (the class of its <tr>). See charts/decision_guide.py.

`layout` is the variant being drawn, one of LAYOUTS: "wide" (6.4 in, the house type scale; desktop,
tablet, print and "Open larger") and "narrow" (3.6 in, a larger type scale; a phone). A figure
module draws both from one draw(): it reads `layout.narrow` to stack panels, wrap labels, move
legends and use fewer ticks, and `theme.size` (the layout's type scale) for every text.
"""
from __future__ import annotations

import ast
import difflib
import hashlib
import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from pipeline.data import datasets
from pipeline.data.datasets import DataError, Problem
from pipeline.figures.numbers import RowNotFound
from pipeline.figures.style import FIGURE_SIZE, NARROW_TYPE, NARROW_WIDTH, TYPE, TypeScale
from pipeline.paths import CHARTS, FIGURES, ROOT

VARIANTS = ("light", "dark")
KINDS = ("chart", "table")


@dataclass(frozen=True)
class Layout:
    """One way of drawing a figure: its name (part of the output names of every layout but the
    default), the width it is drawn for (inches), its type scale, and the CSS media query that
    picks it on the page ("" for the default, which print and "Open larger" use too)."""

    name: str
    width: float
    size: TypeScale
    media: str = ""

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"

    @property
    def suffix(self) -> str:
        """What the layout adds to output names: "" for the default, ".narrow" for the narrow one."""
        return "" if self.name == DEFAULT_LAYOUT else f".{self.name}"


DEFAULT_LAYOUT = "wide"
# 40em: a media query's em is the browser's 16 px, whatever the page's root size, so the narrow
# layout serves screens up to 640 px and the wide one every screen from 641 px (where it renders
# at 609 px or more: its 8.5 pt floor at 11 px or more). "screen": paper always gets the wide one.
NARROW_MEDIA = "screen and (max-width: 40em)"
LAYOUTS = {
    "wide": Layout("wide", FIGURE_SIZE[0], TYPE),
    "narrow": Layout("narrow", NARROW_WIDTH, NARROW_TYPE, NARROW_MEDIA),
}

# The contract: name -> the kinds of figure that require it; name -> (the kinds that may use it,
# its default). A name given to a kind that does not use it is refused (SIZE on a table figure).
_REQUIRED = {
    "DATASETS": KINDS, "TITLE": KINDS, "CAPTION": KINDS, "numbers": KINDS,
    "ALT": ("chart",), "draw": ("chart",), "table": ("table",),
}
_OPTIONAL = {"KIND": (KINDS, "chart"), "NOTES": (KINDS, ()), "SIZE": (("chart",), FIGURE_SIZE),
             "SOCIAL_CARD": (("chart",), False), "NUMBER_DATASETS": (KINDS, ()), "SOURCE_LINE": (KINDS, "")}
CONTRACT = set(_REQUIRED) | set(_OPTIONAL)
# The functions, with the arguments the pipeline calls them with.
_SIGNATURES = {"draw": ("fig", "frames", "theme", "layout"), "numbers": ("frames",), "table": ("rows",)}


@dataclass(frozen=True)
class FigureSpec:
    """What a figure module declares, checked and with every default filled in."""

    id: str
    kind: str
    datasets: tuple[str, ...]
    title: str
    caption: str
    notes: tuple[str, ...]
    numbers: Callable
    alt: str = ""
    sizes: dict = field(default_factory=lambda: default_sizes(FIGURE_SIZE))   # layout name -> (w, h) inches
    social_card: bool = False
    number_datasets: tuple[str, ...] = ()
    source_line: str = ""
    draw: Callable | None = None
    table: Callable | None = None
    module: ModuleType | None = field(default=None, compare=False, repr=False)

    @property
    def is_chart(self) -> bool:
        return self.kind == "chart"

    @property
    def source(self) -> Path:
        return CHARTS / f"{self.id}.py"

    @property
    def size(self) -> tuple[float, float]:
        """Inches at the default (wide) layout."""
        return self.sizes[DEFAULT_LAYOUT]

    @property
    def all_datasets(self) -> tuple[str, ...]:
        """Everything the module reads: what it draws, then what only its numbers read."""
        return self.datasets + self.number_datasets


def default_sizes(size) -> dict[str, tuple[float, float]]:
    """SIZE as the module gives it (wide (w, h), or a dict per layout) -> (w, h) for every layout. A
    layout the module does not size gets its layout's width and the wide height, a quarter taller."""
    given = dict(size) if isinstance(size, dict) else {DEFAULT_LAYOUT: tuple(size)}
    wide = tuple(given.get(DEFAULT_LAYOUT, FIGURE_SIZE))
    return {name: tuple(given.get(name, (layout.width, round(wide[1] * 1.25, 2)) if name != DEFAULT_LAYOUT else wide))
            for name, layout in LAYOUTS.items()}


class ContractError(DataError):
    """A figure module that breaks the contract: reported like bad data, one line per problem."""


def figure_ids() -> list[str]:
    """Every registered figure: charts and table figures alike."""
    return sorted(p.stem for p in CHARTS.glob("*.py") if not p.name.startswith("_"))


def chart_ids() -> list[str]:
    return [f for f in figure_ids() if spec(f).is_chart]


# --- loading: a module is loaded afresh when its source changed (a long `mkdocs serve` sees edits) --

_loaded: dict[str, str] = {}   # module name -> hash of the source it was loaded from


def _source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(name: str, path: Path) -> ModuleType:
    """The module `name` as `path` holds it now. A changed source gets a new module object, not
    `importlib.reload`: a reload keeps every name the new source no longer defines (a deleted SIZE,
    a renamed numbers), so the contract would be checked against names that are gone."""
    current = _source_hash(path)
    if name in sys.modules and _loaded.get(name) == current:
        return sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    package_name, _, attribute = name.rpartition(".")
    package = importlib.import_module(package_name)
    loader_spec = importlib.util.spec_from_file_location(name, path)
    fresh = importlib.util.module_from_spec(loader_spec)
    previous = sys.modules.get(name)
    sys.modules[name] = fresh
    try:
        loader_spec.loader.exec_module(fresh)
    except BaseException:
        if previous is None:
            del sys.modules[name]
        else:
            sys.modules[name] = previous
        raise
    setattr(package, attribute, fresh)   # `from charts import _common` reads the package attribute
    _loaded[name] = current
    return fresh


def module(figure_id: str) -> ModuleType:
    path = CHARTS / f"{figure_id}.py"
    if not path.exists():
        raise KeyError(f"no such figure: {figure_id}; known: {', '.join(figure_ids())}")
    helpers = CHARTS / "_common.py"
    if helpers.exists() and _loaded.get("charts._common") != _source_hash(helpers):
        if "charts._common" in _loaded:  # the helpers changed: every figure re-imports them
            for name in [n for n in _loaded if n.startswith("charts.") and n != "charts._common"]:
                del _loaded[name]
        _import("charts._common", helpers)
    return _import(f"charts.{figure_id}", path)


_specs: dict[tuple[str, str], FigureSpec] = {}


def spec(figure_id: str) -> FigureSpec:
    """The figure's declarations, checked against the contract (see the module docstring)."""
    fig_module = module(figure_id)
    key = (figure_id, _loaded[f"charts.{figure_id}"])
    if key not in _specs:
        _specs[key] = _checked(figure_id, fig_module)
    return _specs[key]


def _top_level_names(path: Path) -> list[str]:
    """Names the module itself assigns at top level (not the ones it imports)."""
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    names.append(name.id)
    return names


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _strings(value) -> bool:
    """A list or tuple of str (a bare str is refused: it would be read as its characters)."""
    return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)


def _size_problems(size) -> list[str]:
    """What is wrong with SIZE: (w, h) inches for the wide layout, or {layout: (w, h)}; each two
    positive numbers, no wider than its layout (wider is unreadable on the screen it is for)."""
    if isinstance(size, dict):
        given = size
    elif isinstance(size, (list, tuple)):
        given = {DEFAULT_LAYOUT: size}
    else:
        return [f"SIZE must be (width, height) in inches or a dict of them by layout, not {type(size).__name__}"]
    problems = []
    for name, pair in given.items():
        if name not in LAYOUTS:
            problems.append(f"SIZE names the layout {name!r}; the layouts are {', '.join(LAYOUTS)}")
            continue
        where = "" if given is not size else f"[{name!r}]"
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(_is_number(v) and v > 0 for v in pair)):
            problems.append(f"SIZE{where} must be two positive numbers (width, height) in inches, not {pair!r}")
        elif pair[0] > LAYOUTS[name].width:
            problems.append(f"SIZE{where} is {pair[0]} in wide, wider than the {name} layout's {LAYOUTS[name].width} in")
    return problems


def _checked(figure_id: str, fig_module: ModuleType) -> FigureSpec:
    """The module's spec, or one ContractError listing every problem found (file and name each)."""
    shown = f"charts/{figure_id}.py"
    problems = []

    def problem(rule: str, name: str | None = None):
        problems.append(Problem(shown, None, name, None, rule))

    given = vars(fig_module)
    kind = given.get("KIND", "chart")
    if kind not in KINDS:
        problem(f"KIND must be one of {', '.join(KINDS)}", "KIND")
        kind = "chart"
    for name, kinds in _REQUIRED.items():
        if kind in kinds and name not in given:
            problem(f"the figure contract requires {name} (see pipeline/figures/registry.py)", name)
        elif kind not in kinds and name in given:
            problem(f"a {kind} figure does not use {name}", name)
    for name, (kinds, _default) in _OPTIONAL.items():
        if kind not in kinds and name in given:
            problem(f"a {kind} figure does not use {name}", name)
    for name in _top_level_names(Path(fig_module.__file__)):
        if name.isupper() and not name.startswith("_") and name not in CONTRACT:
            close = difflib.get_close_matches(name, sorted(n for n in CONTRACT if n.isupper()), n=1)
            hint = f"; did you mean {close[0]}?" if close else "; a figure's own constants start with _"
            problem(f"{name} is not part of the figure contract{hint}", name)

    for name in ("TITLE", "CAPTION", "ALT", "SOURCE_LINE"):
        if name in given and not isinstance(given[name], str):
            problem(f"{name} must be a str, not {type(given[name]).__name__}", name)
    for name in ("DATASETS", "NUMBER_DATASETS", "NOTES"):
        if name in given and not _strings(given[name]):
            problem(f"{name} must be a list of str, not {type(given[name]).__name__}"
                    + (" (a bare str would be read as its characters)" if isinstance(given[name], str) else ""), name)
    if "SOCIAL_CARD" in given and not isinstance(given["SOCIAL_CARD"], bool):
        problem(f"SOCIAL_CARD must be True or False, not {given['SOCIAL_CARD']!r}", "SOCIAL_CARD")
    if "SIZE" in given and kind == "chart":
        for rule in _size_problems(given["SIZE"]):
            problem(rule, "SIZE")
    for name, arguments in _SIGNATURES.items():
        function = given.get(name)
        if function is None:
            continue
        if not callable(function):
            problem(f"{name} must be a function ({', '.join(arguments)})", name)
            continue
        try:
            inspect.signature(function).bind(*arguments)
        except TypeError as exc:
            problem(f"{name}() takes {len(arguments)} argument(s) ({', '.join(arguments)}): {exc}", name)
        except ValueError:
            pass  # no signature to read (a builtin): it is called and fails loudly if wrong

    def strings(name: str) -> tuple[str, ...]:
        value = given.get(name, ())
        return tuple(value) if _strings(value) else ()

    dataset_ids, number_ids = strings("DATASETS"), strings("NUMBER_DATASETS")
    known = set(datasets.dataset_ids())
    for name, ids in (("DATASETS", dataset_ids), ("NUMBER_DATASETS", number_ids)):
        for dataset_id in ids:
            if dataset_id not in known:
                problem(f"{name} names {dataset_id!r}, which has no data/{dataset_id}.resource.yaml", name)
    for dataset_id in sorted(set(dataset_ids) & set(number_ids)):
        problem(f"{dataset_id!r} is in DATASETS and NUMBER_DATASETS: a dataset is drawn or only counted",
                "NUMBER_DATASETS")
    if "DATASETS" in given and _strings(given["DATASETS"]) and not dataset_ids:
        problem("DATASETS is empty: a figure is drawn from data", "DATASETS")
    source_line = given.get("SOURCE_LINE", "")
    if isinstance(source_line, str) and source_line and "{sources}" not in source_line:
        problem("SOURCE_LINE must say where the sources go: {sources}", "SOURCE_LINE")
    if problems:
        raise ContractError(problems)
    return FigureSpec(
        id=figure_id, kind=kind, datasets=dataset_ids, title=given["TITLE"], caption=given["CAPTION"],
        notes=strings("NOTES"), numbers=given["numbers"], alt=given.get("ALT", ""),
        sizes=default_sizes(given.get("SIZE", FIGURE_SIZE)), social_card=given.get("SOCIAL_CARD", False),
        number_datasets=number_ids, source_line=source_line, draw=given.get("draw"),
        table=given.get("table"), module=fig_module)


# --- what a figure reads and writes -------------------------------------------------------------


def output_paths(figure_id: str, figures_dir: Path = FIGURES) -> list[Path]:
    """The drawn files (charts only; a table figure is HTML and writes none)."""
    if not spec(figure_id).is_chart:
        return []
    paths = [path for by_variant in image_paths(figure_id, figures_dir).values() for path in by_variant.values()]
    card = social_card_path(figure_id, figures_dir)
    return paths + ([card] if card else [])


def image_paths(figure_id: str, figures_dir: Path = FIGURES) -> dict[str, dict[str, Path]]:
    """layout name -> variant -> SVG, for a chart: <id>.light.svg, <id>.dark.svg (wide) and
    <id>.narrow.light.svg, <id>.narrow.dark.svg."""
    return {name: {variant: figures_dir / f"{figure_id}{layout.suffix}.{variant}.svg" for variant in VARIANTS}
            for name, layout in LAYOUTS.items()}


def social_card_path(figure_id: str, figures_dir: Path = FIGURES) -> Path | None:
    """The PNG that link previews (Open Graph) show, for figures that declare SOCIAL_CARD."""
    return figures_dir / f"{figure_id}.png" if spec(figure_id).social_card else None


def frames_for(figure_id: str) -> dict:
    """The data frames a figure is drawn from and its numbers read, by dataset id."""
    return {d: datasets.load(d) for d in spec(figure_id).all_datasets}


def compute_numbers(figure_id: str, frames: dict) -> dict:
    """The figure's numbers as plain dicts (what build/numbers.json holds)."""
    from dataclasses import asdict

    fig = spec(figure_id)
    try:
        computed = fig.numbers(frames)
    except RowNotFound as exc:
        # A data edit removed or duplicated a row the prose cites: say so, no traceback. Anything
        # else (a KeyError from a misspelt unit, a TypeError) is a bug in the module: it propagates.
        problem = Problem(f"charts/{figure_id}.py", None, None, None,
                          f"numbers() cannot read what the prose cites from {', '.join(fig.all_datasets)}: {exc}")
        raise DataError([problem]) from None
    return {name: asdict(num) for name, num in computed.items()}


def texts(figure_id: str) -> list[tuple[str, str]]:
    """(name, text) of every display text: TITLE, ALT (charts), CAPTION, NOTES[i]."""
    fig = spec(figure_id)
    found = [("TITLE", fig.title)] + ([("ALT", fig.alt)] if fig.is_chart else []) + [("CAPTION", fig.caption)]
    return found + [(f"NOTES[{i}]", note) for i, note in enumerate(fig.notes)]


def datasets_drawn() -> set[str]:
    return {d for f in figure_ids() for d in spec(f).datasets}


def datasets_counted() -> set[str]:
    """Datasets figure modules read only for the numbers the prose cites."""
    return {d for f in figure_ids() for d in spec(f).number_datasets}
