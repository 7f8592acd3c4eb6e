"""The figure registry and the incremental chart build.

A figure is a module `charts/<id>.py`; its id is the module name, the output names
(`docs/figures/<id>.light.svg`, `<id>.dark.svg`), the key of its numbers and its anchor on the
page. A figure module defines:

    DATASETS = ["dataset_id", ...]    # what it is drawn from (data/<id>.csv + .resource.yaml)
    TITLE = "..."                     # states the finding
    ALT = "..."                       # chart type, data, the point; may use {number_name}
    CAPTION = "..."                   # one or two sentences; may use {number_name}
    NOTES = ["..."]                   # optional: definitions that changed, caveats
    def numbers(frames) -> dict[str, Number]   # optional: what the prose may cite
    def draw(fig, frames, theme) -> None       # draws on a matplotlib Figure (fig.subplots() for axes)
    SIZE = (w, h)                     # optional: inches, default charts._style.FIGURE_SIZE
    SOCIAL_CARD = True                # optional: also draw <id>.png (1200x630, light) for link previews

A figure is redrawn only when one of its inputs changed: its CSVs and descriptors, its module,
the shared style and helpers, the drawing code here and the pinned library versions. The hashes of
what was last drawn sit in .cache/figures.json.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline import datasets
from pipeline.paths import CACHE, CHARTS, FIGURES, NUMBERS_JSON, ROOT

VARIANTS = ("light", "dark")
MANIFEST = CACHE / "figures.json"
# Inputs every figure shares: a change to any of them redraws everything.
SHARED_INPUTS = [
    CHARTS / "_style.py",
    CHARTS / "_common.py",
    ROOT / "pipeline" / "figures.py",
    ROOT / "pipeline" / "datasets.py",  # loads the frames every figure draws from
    ROOT / "pipeline" / "formatting.py",
    ROOT / "pipeline" / "numbers.py",
    ROOT / "pipeline" / "edition.py",
    ROOT / "requirements.txt",
]


def figure_ids() -> list[str]:
    return sorted(p.stem for p in CHARTS.glob("*.py") if not p.name.startswith("_"))


def module(figure_id: str):
    return importlib.import_module(f"charts.{figure_id}")


def output_paths(figure_id: str, figures_dir: Path = FIGURES) -> list[Path]:
    return [figures_dir / f"{figure_id}.{variant}.svg" for variant in VARIANTS]


def social_card_path(figure_id: str, figures_dir: Path = FIGURES) -> Path | None:
    """The PNG that link previews (Open Graph) show, for figures that declare SOCIAL_CARD."""
    return figures_dir / f"{figure_id}.png" if getattr(module(figure_id), "SOCIAL_CARD", False) else None


def input_paths(figure_id: str) -> list[Path]:
    paths = [CHARTS / f"{figure_id}.py", *SHARED_INPUTS]
    for dataset_id in module(figure_id).DATASETS:
        paths += datasets.input_files(dataset_id)
    return paths


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def input_hashes(figure_id: str) -> dict[str, str]:
    return {_rel(p): sha256(p) for p in input_paths(figure_id)}


# --- the manifest of what was last drawn --------------------------------------------------------


def read_manifest() -> dict:
    try:
        return json.loads(MANIFEST.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {"figures": {}, "validated": {}}


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes files private; outputs are published
    os.replace(tmp, path)


@dataclass
class Plan:
    """What a run must do: which figures to draw and why, which are up to date."""

    stale: dict[str, list[str]]       # figure id -> reasons
    fresh: list[str]
    unvalidated: list[str]            # datasets whose files changed since they last passed

    def needs_work(self) -> bool:
        return bool(self.stale or self.unvalidated)


def plan(ids: list[str], force: bool = False) -> Plan:
    manifest = read_manifest()
    stale, fresh = {}, []
    for figure_id in ids:
        reasons = staleness(figure_id, manifest.get("figures", {}).get(figure_id), force)
        if reasons:
            stale[figure_id] = reasons
        else:
            fresh.append(figure_id)
    validated = manifest.get("validated", {})
    unvalidated = [d for d in datasets.dataset_ids() if validated.get(d) != _dataset_hash(d)]
    if not NUMBERS_JSON.exists():
        stale.update({f: stale.get(f, []) + ["build/numbers.json is missing"] for f in ids})
        fresh = []
    return Plan(stale, fresh, unvalidated)


def staleness(figure_id: str, entry: dict | None, force: bool) -> list[str]:
    if force:
        return ["--force"]
    if entry is None:
        return ["never drawn"]
    now = input_hashes(figure_id)
    changed = [p for p, h in now.items() if entry["inputs"].get(p) != h]
    changed += [p for p in entry["inputs"] if p not in now]
    reasons = [f"{p} changed" for p in sorted(set(changed))]
    for out, h in entry["outputs"].items():
        if sha256(ROOT / out) != h:
            reasons.append(f"{out} is missing or was edited")
    return reasons


def _dataset_hash(dataset_id: str) -> str:
    # The validator is part of what "validated" means: a change to its rules re-validates all data.
    # So is every CSV the dataset refers to (x-references): a licence removed from the licence table
    # re-validates the leaderboard that cites it.
    return "+".join(sha256(p) for p in [*datasets.validation_inputs(dataset_id), ROOT / "pipeline" / "datasets.py"])


# --- drawing ----------------------------------------------------------------------------------


def draw(figure_id: str, frames: dict, figures_dir: Path = FIGURES) -> dict[str, str]:
    """Draw both variants of one figure; return output path -> sha256."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from charts import _style

    fig_module = module(figure_id)
    size = getattr(fig_module, "SIZE", _style.FIGURE_SIZE)
    written = {}
    for variant, path in zip(VARIANTS, output_paths(figure_id, figures_dir)):
        theme = _style.THEMES[variant]
        with plt.rc_context(_style.rc(theme)):
            fig = plt.figure(figsize=size, layout="constrained")
            fig_module.draw(fig, frames, theme)
            svg = _svg_bytes(fig)
            if variant == VARIANTS[0]:  # both variants share one layout: check it once
                problems = layout_problems(fig, theme.size.small)
                if problems:
                    plt.close(fig)
                    raise datasets.DataError([datasets.Problem(f"charts/{figure_id}.py", None, None, None, p)
                                              for p in problems])
            _write(path, svg, written)
            card = social_card_path(figure_id, figures_dir)
            if variant == "light" and card:
                _write(card, _social_png_bytes(fig), written)
            plt.close(fig)
    return written


# --- what a reader would miss -----------------------------------------------------------------

_TOLERANCE = 1.5  # pixels: a marker centred on the axis edge or a text touching the canvas edge is fine


def _inside(box, x: float, y: float, pad: float = _TOLERANCE) -> bool:
    return box.x0 - pad <= x <= box.x1 + pad and box.y0 - pad <= y <= box.y1 + pad


def _contains(outer, inner, pad: float = _TOLERANCE) -> bool:
    return _inside(outer, inner.x0, inner.y0, pad) and _inside(outer, inner.x1, inner.y1, pad)


def _drawn_texts(fig):
    """Every text the figure draws: figure and axes texts, annotations, titles, axis labels, the
    tick labels of ticks inside the view, legend entries."""
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        texts += list(ax.texts) + [ax.title, ax._left_title, ax._right_title]
        for axis in (ax.xaxis, ax.yaxis):
            if not (ax.axison and axis.get_visible()):
                continue
            texts.append(axis.label)
            for tick in axis._update_ticks():  # only the ticks inside the view are drawn
                texts += [t for t in (tick.label1, tick.label2) if t.get_visible()]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _coordinate(axis, value) -> str:
    """A data coordinate as the reader knows it: a date on a date axis, else the number."""
    import matplotlib.dates as mdates

    converter = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    if isinstance(converter, (mdates.DateConverter, mdates._SwitchableDateConverter)):
        return mdates.num2date(value).date().isoformat()
    return f"{float(value):g}"


def _where(text) -> str:
    return repr(" ".join(text.get_text().split())[:60])


def layout_problems(fig, smallest: float) -> list[str]:
    """What a reader would miss in a drawn figure, one line each:

    - a data point (a vertex of any line, e.g. a marker) outside its axes, where it is clipped away;
    - a bar or other patch outside its axes;
    - an annotation whose anchor point is outside its axes (matplotlib then hides the annotation);
    - a text reaching outside the figure canvas, or set below the smallest type size;
    - a line crossing a label that must stay clear (the "later data" label).
    Axis limits that come from the data never trigger the first three.
    """
    import numpy as np
    from matplotlib.text import Annotation

    fig.canvas.draw()  # lay the figure out at its own dpi, as the reader's copy is
    renderer = fig.canvas.get_renderer()
    problems = []
    for n, ax in enumerate(fig.axes, 1):
        panel = f"axes {n}" + (f" ({ax.get_title(loc='left').splitlines()[0]!r})" if ax.get_title(loc="left") else "")
        box = ax.get_window_extent(renderer)
        for line in ax.get_lines():
            xy = np.asarray(line.get_xydata(), dtype=float)
            if not line.get_visible() or not len(xy):
                continue
            shown = line.get_transform().transform(xy)
            for (x, y), data in zip(shown, xy):
                if np.isfinite([x, y]).all() and not _inside(box, x, y):
                    point = f"({_coordinate(ax.xaxis, data[0])}, {_coordinate(ax.yaxis, data[1])})"
                    problems.append(f"{panel}: the data point {point} lies outside its axes and is not drawn "
                                    "(do the axis limits come from the data?)")
                    break
        for patch in ax.patches:
            if patch.get_visible() and not _contains(box, patch.get_window_extent(renderer),
                                                     _TOLERANCE + patch.get_linewidth()):
                problems.append(f"{panel}: a bar or shape lies outside its axes")
        for text in ax.texts:
            if isinstance(text, Annotation) and text.xycoords == "data":
                x, y = text._get_xy(renderer, text.xy, text.xycoords)  # the anchor, not the text
                if not _inside(box, x, y):
                    problems.append(f"{panel}: the label {_where(text)} points at a value outside its axes "
                                    "and is not drawn")
    canvas = fig.bbox
    lines = [(line, line.get_transform().transform_path(line.get_path())) for ax in fig.axes for line in ax.get_lines()
             if line.get_visible() and len(line.get_xydata())]
    for text in _drawn_texts(fig):
        extent = text.get_window_extent(renderer)
        if not _contains(canvas, extent):
            problems.append(f"the text {_where(text)} reaches outside the figure")
        if text.get_fontsize() < smallest - 1e-6:
            problems.append(f"the text {_where(text)} is set in {text.get_fontsize():g} pt, below the smallest "
                            f"size ({smallest:g} pt)")
        if getattr(text, "house_keep_clear", False):
            for line, path in lines:
                if path.intersects_bbox(extent, filled=False) or any(
                        _inside(extent, x, y, 0) for x, y in path.vertices):
                    problems.append(f"a line crosses the label {_where(text)}")
                    break
    return problems


def _write(path: Path, data: bytes, written: dict) -> None:
    write_atomically(path, data)
    written[_rel(path)] = hashlib.sha256(data).hexdigest()


def _social_png_bytes(fig) -> bytes:
    """1200x630 pixels, the size link previews expect; no software tag, so the bytes are stable."""
    import io

    fig.set_size_inches(12, 6.3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


# Text in the SVGs names DejaVu Sans (the font it was laid out with). Verdana has nearly the same
# widths, so labels keep their places where DejaVu is missing; then any sans-serif, never the
# browser's default serif.
FONT_FALLBACKS = b"'DejaVu Sans', Verdana, 'Bitstream Vera Sans'"  # matplotlib appends sans-serif


def _svg_bytes(fig) -> bytes:
    import io

    buf = io.BytesIO()
    # No date and no generator version in the file: same inputs, same bytes.
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue().replace(b"'DejaVu Sans'", FONT_FALLBACKS)


def compute_numbers(figure_id: str, frames: dict) -> dict:
    from dataclasses import asdict

    fig_module = module(figure_id)
    if not hasattr(fig_module, "numbers"):
        return {}
    try:
        computed = fig_module.numbers(frames)
    except (LookupError, ValueError, TypeError) as exc:
        # Usually a data edit removed or duplicated a row the prose cites: say so, no traceback.
        problem = datasets.Problem(f"charts/{figure_id}.py", None, None, None,
                                   f"numbers() cannot read what the prose cites from {', '.join(fig_module.DATASETS)}: {exc}")
        raise datasets.DataError([problem]) from None
    return {name: asdict(num) for name, num in computed.items()}


def frames_for(figure_id: str) -> dict:
    return {d: datasets.load(d) for d in module(figure_id).DATASETS}
