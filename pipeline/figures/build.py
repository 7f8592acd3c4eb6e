"""The incremental figure build behind build_charts.py, `python -m pipeline.build` and `mkdocs serve`:
validate the data that changed, draw the figures whose inputs changed, write build/numbers.json.

A figure is redrawn only when one of its inputs changed: its CSVs and descriptors, its module, the
shared helpers and style, the drawing code here and the pinned library versions. What was last
drawn, from which inputs, the numbers it gave and the values it plotted, sit in the manifest
build/cache/figures.json; this module is its only reader and writer. numbers.json (what the prose
cites) and plotted.json (each chart's data table: what draw() plotted) are written from it.
"""
from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.data import datasets
from pipeline.figures import registry
from pipeline.figures.numbers import Number, dump, from_plain
from pipeline.files import sha256, sha256_bytes, write_atomically
from pipeline.paths import CACHE, CHARTS, FIGURES, NUMBERS_JSON, ROOT

Say = Callable[[str], None]
MANIFEST = CACHE / "figures.json"
PLOTTED_JSON = NUMBERS_JSON.parent / "plotted.json"
# What every plotted value says (charts._common.Plotted), and the kinds of values it may hold.
PLOTTED_FIELDS = {"series": str, "point": str, "value": (float, type(None)), "low": (float, type(None)),
                  "high": (float, type(None)), "unit": str, "text": str, "confidence": str, "source": str,
                  "dataset": str, "later": bool}
FIGURE_CODE = ROOT / "pipeline" / "figures"
# Inputs every figure shares: a change to any of them redraws everything.
SHARED_INPUTS = [
    CHARTS / "_common.py",
    *sorted(FIGURE_CODE.glob("*.py")),             # style, numbers, formatting, the contract, drawing
    ROOT / "pipeline" / "data" / "datasets.py",    # loads the frames every figure draws from
    ROOT / "pipeline" / "edition.py",
    ROOT / "requirements.txt",
]


class UnknownFigure(Exception):
    pass


class _Hashes:
    """File hashes for one run: each file is read once however many figures share it."""

    def __init__(self):
        self._seen: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._seen:
            self._seen[path] = sha256(path)
        return self._seen[path]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def input_paths(figure_id: str) -> list[Path]:
    paths = [CHARTS / f"{figure_id}.py", *SHARED_INPUTS]
    for dataset_id in registry.spec(figure_id).all_datasets:
        paths += datasets.input_files(dataset_id)
    return paths


def input_hashes(figure_id: str, hashes: _Hashes | None = None) -> dict[str, str]:
    hashes = hashes or _Hashes()
    return {_rel(p): hashes(p) for p in input_paths(figure_id)}


def dataset_hash(dataset_id: str, hashes: _Hashes | None = None) -> str:
    """What "validated" refers to: the dataset's files, every CSV it refers to (x-references: a
    licence removed from the licence table re-validates the leaderboard that cites it) and the
    validator itself (a change to its rules re-validates all data)."""
    hashes = hashes or _Hashes()
    return "+".join(hashes(p) for p in [*datasets.validation_inputs(dataset_id), ROOT / "pipeline" / "data" / "datasets.py"])


# --- the manifest of what was last drawn --------------------------------------------------------


def read_manifest() -> dict:
    try:
        return json.loads(MANIFEST.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {"figures": {}, "validated": {}}


def _write_manifest(manifest: dict) -> None:
    write_atomically(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


@dataclass
class Plan:
    """What a run must do: which figures to draw and why, which are up to date."""

    stale: dict[str, list[str]]       # figure id -> reasons
    fresh: list[str]
    unvalidated: list[str]            # datasets whose files changed since they last passed
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)   # figure id -> input hashes now
    validated: dict[str, str] = field(default_factory=dict)           # dataset id -> hash now

    def needs_work(self) -> bool:
        return bool(self.stale or self.unvalidated)


def plan(ids: list[str], force: bool = False, manifest: dict | None = None) -> Plan:
    manifest = read_manifest() if manifest is None else manifest
    hashes = _Hashes()
    stale, fresh, inputs = {}, [], {}
    for figure_id in ids:
        inputs[figure_id] = input_hashes(figure_id, hashes)
        reasons = _staleness(manifest.get("figures", {}).get(figure_id), inputs[figure_id], force, hashes)
        if reasons:
            stale[figure_id] = reasons
        else:
            fresh.append(figure_id)
    validated = {d: dataset_hash(d, hashes) for d in datasets.dataset_ids()}
    unvalidated = [d for d, h in validated.items() if manifest.get("validated", {}).get(d) != h]
    for output in (NUMBERS_JSON, PLOTTED_JSON):
        if not output.exists():
            stale.update({f: stale.get(f, []) + [f"{_rel(output)} is missing"] for f in ids})
            fresh = []
    return Plan(stale, fresh, unvalidated, inputs, validated)


def _staleness(entry: dict | None, now: dict[str, str], force: bool, hashes: _Hashes) -> list[str]:
    if force:
        return ["--force"]
    if entry is None:
        return ["never drawn"]
    changed = [p for p, h in now.items() if entry["inputs"].get(p) != h]
    changed += [p for p in entry["inputs"] if p not in now]
    reasons = [f"{p} changed" for p in sorted(set(changed))]
    for out, h in entry["outputs"].items():
        if hashes(ROOT / out) != h:
            reasons.append(f"{out} is missing or was edited")
    return reasons


# --- the build ----------------------------------------------------------------------------------


def _selected(ids: list[str] | None) -> list[str]:
    known = registry.figure_ids()
    if not ids:
        return known
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UnknownFigure(f"unknown figure id(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return ids


@contextlib.contextmanager
def _exclusive():
    """One figure build at a time (`mkdocs serve`, an editor hook and a manual run may overlap):
    two builds interleaving their manifest writes would forget each other's figures."""
    import fcntl

    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    with open(MANIFEST.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(ids: list[str] | None = None, force: bool = False, say: Say = print,
          numbers_first: Callable[[], None] | None = None) -> list[str]:
    """Validate changed data, redraw stale figures, rewrite numbers.json. Returns the ids drawn.

    numbers_first, if given, is called once numbers.json and plotted.json hold what this run leaves
    in them, before the files are drawn where it can be (`mkdocs serve` renders the pages meanwhile):
    when every file to be redrawn exists already (a redraw replaces each in one rename) and none is
    left over. A chart's plotted values then come from a drawing of its first variant in memory,
    and every variant drawn after must plot the same. Otherwise it is called at the end."""
    with _exclusive():
        return _build(ids, force, say, numbers_first)


def _build(ids: list[str] | None, force: bool, say: Say, numbers_first: Callable[[], None] | None = None) -> list[str]:
    selected = _selected(ids)
    for figure_id in selected:
        registry.spec(figure_id)          # a module that breaks the contract stops the run here
    manifest = read_manifest()
    work = plan(selected, force=force, manifest=manifest)

    if work.unvalidated:
        _validate_while_importing(work.unvalidated, drawing=bool(work.stale))  # raises DataError before anything is drawn
        say(f"validated {len(work.unvalidated)} dataset(s): {', '.join(work.unvalidated)}")
        for dataset_id in work.unvalidated:
            manifest.setdefault("validated", {})[dataset_id] = work.validated[dataset_id]

    for figure_id in work.fresh:
        say(f"skipped {figure_id} (up to date)")
    first = {}
    if numbers_first and work.stale and not leftover_outputs() and \
            all(path.exists() for f in work.stale for path in registry.output_paths(f)):
        first = {figure_id: _numbers_and_plotted(figure_id) for figure_id in work.stale}
        _write_numbers({**manifest.get("figures", {}), **first})
        numbers_first()
        numbers_first = None
    for figure_id, entry in _draw_all(list(work.stale)):
        if figure_id in first and first[figure_id] != {k: entry[k] for k in first[figure_id]}:
            raise _problem(figure_id, "draw() plotted other values, or numbers() gave others, when called again "
                                      "with the same data: they must depend on the data alone")
        entry["inputs"] = work.inputs[figure_id]
        manifest.setdefault("figures", {})[figure_id] = entry
        verb = "drew" if registry.spec(figure_id).is_chart else "tabulated"
        say(f"{verb} {figure_id} ({'; '.join(work.stale[figure_id])})")

    say(f"{len(work.stale)} figure(s) drawn, {len(work.fresh)} skipped")
    known = set(registry.figure_ids())
    removed = set(manifest.get("figures", {})) - known    # their numbers leave numbers.json too
    if work.needs_work() or removed or not NUMBERS_JSON.exists() or not PLOTTED_JSON.exists():
        manifest["figures"] = {f: e for f, e in manifest.get("figures", {}).items() if f in known}
        _write_manifest(manifest)
        _write_numbers(manifest["figures"])
    for path in leftover_outputs():
        path.unlink()
        say(f"removed {_rel(path)} (no figure draws it: docs/ would publish it)")
    if numbers_first:
        numbers_first()
    return list(work.stale)


def _write_numbers(figures: dict[str, dict]) -> None:
    """numbers.json and plotted.json from the manifest's figure entries."""
    numbers = {fid: entry["numbers"] for fid, entry in figures.items()}
    write_atomically(NUMBERS_JSON, dump(numbers).encode())
    plotted = {fid: entry.get("plotted", []) for fid, entry in sorted(figures.items()) if registry.spec(fid).is_chart}
    write_atomically(PLOTTED_JSON, (json.dumps(plotted, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode())


def _numbers_and_plotted(figure_id: str) -> dict:
    """A figure's numbers and, for a chart, what its first variant plots, drawn in memory only (no
    layout, no check, no file: draw() does them when it draws the files)."""
    frames = registry.frames_for(figure_id)
    entry = {"numbers": registry.compute_numbers(figure_id, frames)}
    if registry.spec(figure_id).is_chart:
        with _drawn(figure_id, frames, registry.DEFAULT_LAYOUT, registry.VARIANTS[0]) as (_fig, _theme, plotted):
            entry["plotted"] = plotted
    return entry


def leftover_outputs(figures_dir: Path = FIGURES) -> list[Path]:
    """Files in docs/figures/ that no registered figure draws: the outputs of a figure since removed
    or renamed, of a layout or social card it no longer has. The folder holds only drawn files
    (it is generated and git-ignored), so whatever is not a current output is stale."""
    if not figures_dir.is_dir():
        return []
    wanted = {path for figure_id in registry.figure_ids() for path in registry.output_paths(figure_id, figures_dir)}
    return sorted(path for path in figures_dir.iterdir() if path.is_file() and path not in wanted)


def _draw_one(figure_id: str, beside: bool = False) -> tuple[str, dict]:
    frames = registry.frames_for(figure_id)
    numbers = registry.compute_numbers(figure_id, frames)  # first: a data problem stops before drawing
    if not registry.spec(figure_id).is_chart:
        return figure_id, {"outputs": {}, "numbers": numbers}
    outputs, plotted = (draw_beside if beside else draw)(figure_id, frames)
    return figure_id, {"outputs": outputs, "numbers": numbers, "plotted": plotted}


def _draw_all(ids: list[str]):
    """Draw figures, on every core when there are several charts (drawing is CPU-bound, figures
    are independent). matplotlib and pandas are imported once, before the workers fork. One chart
    alone (a saved CSV edit) has its layouts drawn beside each other instead."""
    import os

    charts = [f for f in ids if registry.spec(f).is_chart]
    workers = min(len(charts), os.cpu_count() or 1)
    if workers < 2:
        beside = len(charts) == 1 and (os.cpu_count() or 1) > 1
        yield from (_draw_one(f, beside and f in charts) for f in ids)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _import_drawing()
    import pandas  # noqa: F401

    # The slowest first, so that the last worker to finish is not the one holding the largest figure.
    order = sorted(ids, key=lambda f: -sum(datasets.csv_path(d).stat().st_size for d in registry.spec(f).datasets))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_draw_one, order)


def _validate_while_importing(ids: list[str], drawing: bool) -> None:
    """Validate datasets (raising DataError); when figures will be drawn, in a forked process while
    this one imports matplotlib and pandas, which drawing needs next (about half a second each)."""
    import os

    if not drawing or (os.cpu_count() or 1) < 2:
        datasets.validate(ids)
        return
    from pipeline.forked import Forked

    checking = Forked(datasets.validate, ids)
    try:
        _import_drawing()
        import pandas  # noqa: F401
    finally:
        checking.wait()


def _import_drawing():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# --- drawing ------------------------------------------------------------------------------------


def draw(figure_id: str, frames: dict, figures_dir: Path = FIGURES,
         layouts: list[str] | None = None) -> tuple[dict[str, str], list[dict]]:
    """Draw every layout (or those named) of one chart, in every colour variant. Returns (output
    path -> sha256, the values it plotted); every layout must plot the same values, and each is
    checked for what a reader would miss at its own type scale. A layout is drawn in the first
    variant (light); the others are that SVG with the theme's colours swapped (`recoloured`). A
    layout's bytes depend on nothing drawn in another, so the layouts may be drawn in any process
    and order (draw_beside)."""
    written, plotted = {}, None
    card = registry.social_card_path(figure_id, figures_dir)
    for name, by_variant in registry.image_paths(figure_id, figures_dir).items():
        if layouts is not None and name not in layouts:
            continue
        first, *others = registry.VARIANTS
        with laid_out(figure_id, frames, name, first) as (fig, values):
            svg = svg_bytes(fig)
            if card and name == registry.DEFAULT_LAYOUT:
                _write(card, _social_png_bytes(fig), written)
        if plotted is None:
            plotted = values
        elif values != plotted:
            raise _problem(figure_id, f"draw() plotted other values in the {name} layout than in the first one: "
                                      "every layout shows the same data")
        _write(by_variant[first], svg, written)
        for variant in others:
            _write(by_variant[variant], recoloured(svg, variant, figure_id, name), written)
    return written, plotted


@contextlib.contextmanager
def laid_out(figure_id: str, frames: dict, name: str, variant: str, check: bool = True):
    """One layout of a chart in one colour variant, drawn and laid out once: yields (the figure, the
    values draw() plotted). The first variant's layout is checked for what a reader would miss (the
    others share it; check=False leaves that to the caller, scripts/preview_figure.py). The layout
    is then kept: saving would run constrained layout again (at the SVG's 72 dpi), a third of the
    time a chart took, and the file shows exactly what was checked."""
    from pipeline.figures.legibility import layout_problems

    with _drawn(figure_id, frames, name, variant) as (fig, theme, values):
        if check and variant == registry.VARIANTS[0]:
            problems = layout_problems(fig, theme.size.small)  # lays the figure out to measure it
            if problems:
                raise datasets.DataError([datasets.Problem(f"charts/{figure_id}.py", None, None, None,
                                                           f"{name} layout: {p}") for p in problems])
        else:
            fig.draw_without_rendering()  # the layout must exist before its engine is switched off
        fig.house_layout_engine = fig.get_layout_engine()  # with the figure's own settings, for the card
        fig.set_layout_engine("none")
        yield fig, values


@contextlib.contextmanager
def _drawn(figure_id: str, frames: dict, name: str, variant: str):
    """A chart's draw() on a new figure of the layout's size, in the variant's theme, not yet laid
    out: yields (the figure, the theme, the values it plotted), and closes the figure after."""
    from pipeline.figures import style

    plt = _import_drawing()
    fig_spec, layout = registry.spec(figure_id), registry.LAYOUTS[name]
    theme = style.theme_for(variant, layout.size)
    with plt.rc_context(style.rc(theme)):
        fig = plt.figure(figsize=fig_spec.sizes[name], layout="constrained")
        try:
            yield fig, theme, checked_plotted(figure_id, fig_spec.draw(fig, frames, theme, layout), f"{name}, {variant}")
        finally:
            plt.close(fig)


# A colour in matplotlib's SVG: "#rrggbb" after fill, stroke or stop-color, in a style or an
# attribute. Elsewhere (text, ids, url(#p1a2b...) references) "#" and hex digits are left alone.
_SVG_COLOUR = re.compile(rb'((?:fill|stroke|stop-color)(?:: |="))(#[0-9A-Fa-f]{6})\b')


def recoloured(svg: bytes, variant: str, figure_id: str = "", layout: str = "") -> bytes:
    """The first variant's SVG in another variant's colours: each theme colour swapped for the same
    role's colour in that theme. Drawing the dark variants took as long as the light ones; swapping
    is instant, and a test holds the result equal to a real dark drawing. A colour that is no theme
    colour, or pixels (which cannot be recoloured), stop the build: figures take every colour from
    their theme (the figure contract)."""
    from pipeline.figures import style

    swap = {mine.encode(): theirs.encode() for mine, theirs in style.recolouring(registry.VARIANTS[0], variant).items()}
    foreign = sorted({colour.lower().decode() for _, colour in _SVG_COLOUR.findall(svg)} - {k.decode() for k in swap})
    if foreign or b"<image" in svg:
        what = f"colours that are not theme colours ({', '.join(foreign)})" if foreign else "a raster image"
        raise _problem(figure_id, f"the {layout} layout draws {what}: a figure takes every colour from its theme "
                                  f"(theme.color(role) and the theme's named colours, pipeline/figures/style.py) and "
                                  f"draws vectors, so that its {variant} variant is the {registry.VARIANTS[0]} one recoloured")
    return _SVG_COLOUR.sub(lambda found: found.group(1) + swap[found.group(2).lower()], svg)


def draw_beside(figure_id: str, frames: dict, figures_dir: Path = FIGURES) -> tuple[dict[str, str], list[dict]]:
    """draw(), with the layouts after the first drawn in a forked process beside this one: drawing
    one chart's four files took about 0.75 s on one core, and a saved CSV edit usually redraws one
    chart. Same files, same checks, same result as draw()."""
    from pipeline.forked import Forked

    first, *others = registry.LAYOUTS
    beside = Forked(draw, figure_id, frames, figures_dir, others)
    try:
        written, plotted = draw(figure_id, frames, figures_dir, [first])
    except BaseException:
        beside.stop()
        raise
    more, theirs = beside.wait()
    if theirs != plotted:
        raise _problem(figure_id, f"draw() plotted other values in the {', '.join(others)} layout than in the "
                                  f"{first} one: every layout shows the same data")
    return {**written, **more}, plotted


def _problem(figure_id: str, rule: str) -> datasets.DataError:
    return datasets.DataError([datasets.Problem(f"charts/{figure_id}.py", None, None, None, rule)])


def checked_plotted(figure_id: str, values, where: str = "") -> list[dict]:
    """draw()'s return value as plain JSON data, or a problem naming what is wrong with it."""
    at = f" ({where})" if where else ""
    if not isinstance(values, list) or not values:
        raise _problem(figure_id, f"draw() must return the values it plotted (charts._common.Plotted){at}, "
                                  f"not {type(values).__name__}")
    plain = []
    known = set(registry.spec(figure_id).datasets)
    for n, value in enumerate(values, 1):
        wrong = [k for k, kinds in PLOTTED_FIELDS.items() if not isinstance(value.get(k), kinds)]
        if wrong or set(value) - set(PLOTTED_FIELDS):
            raise _problem(figure_id, f"plotted value {n}{at}: fields {', '.join(wrong or sorted(set(value) - set(PLOTTED_FIELDS)))} "
                                      "missing or of the wrong kind")
        outside = [d for d in value["dataset"].split("; ") if d not in known]
        if outside:
            raise _problem(figure_id, f"plotted value {n}{at} comes from {', '.join(outside)}, which DATASETS does not "
                                      "name (a dataset the figure only counts belongs in NUMBER_DATASETS, and is not drawn)")
        plain.append({k: value[k] for k in PLOTTED_FIELDS})
    undrawn = known - {d for value in plain for d in value["dataset"].split("; ")}
    if undrawn:
        raise _problem(figure_id, f"DATASETS names {', '.join(sorted(undrawn))}, but draw() plots nothing from it{at}: "
                                  "move a dataset the figure only counts to NUMBER_DATASETS")
    return plain


def _write(path: Path, data: bytes, written: dict) -> None:
    write_atomically(path, data)
    written[_rel(path)] = sha256_bytes(data)


def _social_png_bytes(fig) -> bytes:
    """1200x630 pixels, the size link previews expect; no software tag, so the bytes are stable.
    Laid out again at that size by the figure's own layout engine: the layout kept for the SVG would
    leave the wide layout's margins on a card almost twice its size."""
    import io

    fig.set_layout_engine(fig.house_layout_engine)
    fig.set_size_inches(12, 6.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


# Text in the SVGs names DejaVu Sans (the font it was laid out with). Verdana has nearly the same
# widths, so labels keep their places where DejaVu is missing; then any sans-serif, never the
# browser's default serif.
FONT_FALLBACKS = b"'DejaVu Sans', Verdana, 'Bitstream Vera Sans'"  # matplotlib appends sans-serif


def svg_bytes(fig) -> bytes:
    import io

    buf = io.BytesIO()
    # No date and no generator version in the file: same inputs, same bytes.
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue().replace(b"'DejaVu Sans'", FONT_FALLBACKS)


# --- reading the result ----------------------------------------------------------------------------


def current_numbers() -> dict[str, dict[str, Number]]:
    """Numbers for every figure without drawing: from the last build where inputs are unchanged,
    recomputed in memory where they changed (the fast check; nothing is written)."""
    manifest = read_manifest()
    work = plan(registry.figure_ids(), manifest=manifest)
    result = {}
    for figure_id in registry.figure_ids():
        entry = manifest.get("figures", {}).get(figure_id)
        if figure_id in work.stale or entry is None:
            plain = registry.compute_numbers(figure_id, registry.frames_for(figure_id))
        else:
            plain = entry["numbers"]
        result[figure_id] = {name: from_plain(num) for name, num in plain.items()}
    return result


def check(ids: list[str] | None, say: Say) -> int:
    work = plan(_selected(ids))
    for figure_id, reasons in work.stale.items():
        say(f"stale: {figure_id} ({'; '.join(reasons)})")
    for dataset_id in work.unvalidated:
        say(f"not validated since it changed: {dataset_id}")
    leftover = [] if ids else leftover_outputs()
    for path in leftover:
        say(f"left over: {_rel(path)} (no figure draws it)")
    if work.needs_work() or leftover:
        say("run: python build_charts.py")
        return 1
    say(f"all {len(work.fresh)} figure(s) up to date")
    return 0


def list_figures(say: Say) -> int:
    work = plan(registry.figure_ids())
    for figure_id in registry.figure_ids():
        fig = registry.spec(figure_id)
        status = "stale" if figure_id in work.stale else "up to date"
        say(f"{figure_id:28} {fig.kind:6} {status:11} {', '.join(fig.datasets)}")
    return 0
