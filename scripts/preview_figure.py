#!/usr/bin/env python3
"""Draw figures to PNG for a quick look, without touching the published SVGs or the cache.

    .venv/bin/python scripts/preview_figure.py ID [ID ...]
        -> build/preview/<id>.{light,dark}.png and <id>.narrow.{light,dark}.png

Uses the same draw(), layouts and themes as the build, and prints what the build would refuse
(a point off its axes, a label off the canvas, text below the layout's smallest size) and how many
values the figure plotted. The PNGs are drawn at the size a reader sees them: the wide layout at
840 px (a desktop column), the narrow one at 358 px (a 390 px phone), at twice the pixels.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.data import datasets  # noqa: E402
from pipeline.figures.legibility import layout_problems  # noqa: E402
from pipeline.figures import registry as figures  # noqa: E402
from pipeline.paths import BUILD  # noqa: E402

SHOWN_PX = {"wide": 840, "narrow": 358}


def main(ids: list[str]) -> int:
    from pipeline.figures import build as figure_build

    status = 0
    for figure_id in ids or figures.chart_ids():
        spec = figures.spec(figure_id)
        datasets.validate(list(spec.all_datasets))
        frames = figures.frames_for(figure_id)
        for name in figures.LAYOUTS:
            # Drawn and laid out as the build does it, but not refused: the problems are printed.
            # The dark PNG is a real dark drawing; the build's dark SVG is the light one recoloured,
            # which tests/test_chart_build.py holds equal to it.
            for variant in figures.VARIANTS:
                with figure_build.laid_out(figure_id, frames, name, variant, check=False) as (fig, plotted):
                    out = BUILD / "preview" / f"{figure_id}{figures.LAYOUTS[name].suffix}.{variant}.png"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    fig.savefig(out, dpi=2 * SHOWN_PX[name] / spec.sizes[name][0])
                    if variant == figures.VARIANTS[0]:
                        for problem in layout_problems(fig, figures.LAYOUTS[name].size.small):
                            print(f"  {name}: {problem}")
                            status = 1
                print(out.relative_to(BUILD.parent), f"({len(plotted)} values plotted)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
