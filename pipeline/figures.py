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
            _write(path, _svg_bytes(fig), written)
            card = social_card_path(figure_id, figures_dir)
            if variant == "light" and card:
                _write(card, _social_png_bytes(fig), written)
            plt.close(fig)
    return written


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
