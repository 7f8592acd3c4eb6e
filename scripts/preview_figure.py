#!/usr/bin/env python3
"""Draw figures to PNG for a quick look, without touching the published SVGs or the cache.

    .venv/bin/python scripts/preview_figure.py ID [ID ...]   -> build/preview/<id>.{light,dark}.png

Uses the same draw() and theme as the build. For the look at phone width, open the SVG in a
browser instead; this is for the edit-and-look loop on one chart.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.data import datasets  # noqa: E402
from pipeline.figures import registry as figures
from pipeline.paths import BUILD  # noqa: E402


def main(ids: list[str]) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline.figures import style as _style

    for figure_id in ids or figures.figure_ids():
        module = figures.module(figure_id)
        datasets.validate(module.DATASETS)
        frames = figures.frames_for(figure_id)
        for variant in figures.VARIANTS:
            theme = _style.THEMES[variant]
            with plt.rc_context(_style.rc(theme)):
                fig = plt.figure(figsize=getattr(module, "SIZE", _style.FIGURE_SIZE), layout="constrained")
                module.draw(fig, frames, theme)
                out = BUILD / "preview" / f"{figure_id}.{variant}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                fig.savefig(out, dpi=110)
                plt.close(fig)
                print(out.relative_to(BUILD.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
