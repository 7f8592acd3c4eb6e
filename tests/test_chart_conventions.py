"""Convention tests: every figure module keeps the contract, and the shared helpers draw the
house rules (hollow and dashed for non-exact values, later data after the essay's date)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from charts import _common
from pipeline.figures import style as _style
from pipeline.data import datasets
from pipeline.figures import registry as figures
from pipeline.edition import ESSAY_DATE

LIGHT = _style.THEMES["light"]


@pytest.mark.parametrize("figure_id", figures.figure_ids())
def test_every_figure_module_keeps_the_contract(figure_id):
    fig = figures.spec(figure_id)  # raises, naming the module and the name, when it does not
    assert fig.datasets and all(d in datasets.dataset_ids() for d in fig.datasets)
    assert fig.size[0] <= _style.FIGURE_SIZE[0], "wider than the house width: unreadable on a phone"
    assert (fig.draw is not None) == fig.is_chart and (fig.table is not None) == (not fig.is_chart)


def test_every_dataset_is_shown_somewhere():
    from pipeline.essay.render import datasets_shown

    assert set(datasets.dataset_ids()) - datasets_shown() == set()


def test_exact_values_are_filled_and_others_hollow():
    exact = _common.marker_style("#123456", "exact", LIGHT)
    assert exact["markerfacecolor"] == "#123456"
    for confidence in ("approx", "secondary"):
        assert _common.marker_style("#123456", confidence, LIGHT)["markerfacecolor"] == LIGHT.background


def test_a_segment_touching_a_non_exact_point_is_dashed():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    _common.plot_series(ax, [1, 2, 3], [1, 2, 3], ["exact", "exact", "approx"], "#123456", LIGHT)
    segments = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    styles = [line.get_linestyle() for line in segments]
    plt.close(fig)
    assert styles[0] == "-" and styles[1] != "-", styles


def test_later_data_is_what_was_published_after_the_essay():
    assert not _common.is_later(ESSAY_DATE)
    assert _common.is_later(ESSAY_DATE + timedelta(days=1))
    assert not _common.is_later(date(2024, 1, 1))


def test_type_comes_from_the_type_scale():
    """Sizes are named in pipeline/figures/style.py (theme.size.title/label/annotation/small); a literal
    font size in a figure module would bypass the scale and the legibility floor."""
    import re

    from pipeline.paths import CHARTS

    literal = re.compile(r"\b(fontsize|labelsize|titlesize)\s*=\s*[\d.]")
    found = [f"{p.name}:{n}" for p in sorted(CHARTS.glob("*.py")) if p.name != "_style.py"
             for n, line in enumerate(p.read_text().splitlines(), 1) if literal.search(line)]
    assert found == [], f"literal font sizes: {found}"
    sizes = _style.TYPE
    assert sizes.small <= sizes.annotation <= sizes.label <= sizes.title
    assert _style.rc(LIGHT)["font.size"] == sizes.label


# Keyword arguments that set a colour in matplotlib, and calls that draw pixels.
_COLOUR_KEYWORDS = {"color", "c", "colors", "facecolor", "fc", "edgecolor", "ec", "markerfacecolor", "mfc",
                    "markeredgecolor", "mec", "backgroundcolor", "labelcolor", "cmap"}
_RASTER_CALLS = {"imshow", "pcolormesh", "pcolor", "pcolorfast", "matshow", "figimage", "contourf", "hexbin"}


def test_colours_come_from_the_theme():
    """The build makes each dark SVG by swapping the light one's theme colours: a colour written in
    a module (even one that equals a theme colour, such as "white"), a colour map, pixels or a
    drawing that asks which theme it is in would come out wrong in dark mode."""
    import ast

    from pipeline.paths import CHARTS

    found = []
    for path in sorted(CHARTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.keyword) and node.arg in _COLOUR_KEYWORDS and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) and node.value.value.lower() != "none":
                found.append(f"{where} {node.arg}={node.value.value!r}")
            elif isinstance(node, ast.keyword) and node.arg == "rasterized":
                found.append(f"{where} rasterized=")
            elif isinstance(node, ast.Attribute) and node.attr in _RASTER_CALLS:
                found.append(f"{where} {node.attr}()")
            elif isinstance(node, ast.Attribute) and node.attr == "name" and isinstance(node.value, ast.Name) \
                    and node.value.id == "theme":
                found.append(f"{where} theme.name")
    assert found == [], "colours not taken from the theme (theme.color(role), theme.text, ...):\n" + "\n".join(found)


def test_a_dotted_segment_marks_a_change_of_measure():
    assert _common.segment_style("exact", "exact", "usage", "usage") == "-"
    assert _common.segment_style("exact", "approx", "usage", "usage") == _common.DASHED
    assert _common.segment_style("exact", "exact", "usage", "spend") == _common.DOTTED
    assert _common.segment_style("approx", "exact", "usage", "spend") == _common.DOTTED
