"""Chart layout: what a reader would miss. Every figure keeps its data points inside its axes and its
text inside the canvas, sets no text below the smallest type size, and lets no line cross the
"later data" label; the build refuses a figure that does not (pipeline.figures.legibility)."""
from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from charts import _common
from pipeline.figures import style as _style  # noqa: E402
from pipeline.figures import registry as figures  # noqa: E402
from pipeline.figures.legibility import layout_problems  # noqa: E402

from conftest import run  # noqa: E402

LIGHT = _style.THEMES["light"]


def drawn(figure_id: str, layout: str = "wide", variant: str = "light"):
    spec = figures.spec(figure_id)
    theme = _style.theme_for(variant, figures.LAYOUTS[layout].size)
    with plt.rc_context(_style.rc(theme)):
        fig = plt.figure(figsize=spec.sizes[layout], layout="constrained")
        plotted = spec.draw(fig, figures.frames_for(figure_id), theme, figures.LAYOUTS[layout])
    return fig, plotted


@pytest.mark.parametrize("layout", list(figures.LAYOUTS))
@pytest.mark.parametrize("figure_id", figures.chart_ids())
def test_every_point_and_label_is_inside_and_legible(figure_id, layout):
    """In every layout, at the layout's own smallest size (the narrow one sets larger type)."""
    fig, _ = drawn(figure_id, layout)
    try:
        assert layout_problems(fig, figures.LAYOUTS[layout].size.small) == []
    finally:
        plt.close(fig)


def test_the_narrow_layout_is_drawn_for_a_phone_in_larger_type():
    """The narrow layout is drawn about 360 px wide (100 px an inch) with a type scale whose
    smallest size renders at 11 CSS px or more in a 358 px column (a 390 px phone): the figures'
    SVG units are points, 72 an inch."""
    narrow, wide = figures.LAYOUTS["narrow"], figures.LAYOUTS["wide"]
    assert 3.4 <= narrow.width <= 3.8 and narrow.media and not wide.media
    assert narrow.size.small * 358 / (narrow.width * 72) >= 11
    assert wide.size.small * 609 / (wide.width * 72) >= 11    # the narrowest column that gets the wide one
    for figure_id in figures.chart_ids():
        sizes = figures.spec(figure_id).sizes
        assert sizes["narrow"][0] == narrow.width and sizes["wide"][0] <= wide.width, (figure_id, sizes)


def _figure():
    with plt.rc_context(_style.rc(LIGHT)):
        fig = plt.figure(figsize=(4, 3))
        return fig, fig.subplots()


def test_the_check_names_a_point_off_a_fixed_axis_and_its_hidden_label():
    fig, ax = _figure()
    ax.plot([1, 2], [500, 1500], marker="o")
    ax.annotate("1.5B", (2, 1500))
    ax.set_ylim(0, 1000)  # a fixed limit: the second point and its label vanish
    problems = layout_problems(fig, _style.SMALL)
    plt.close(fig)
    assert any("the data point (2, 1500) lies outside its axes" in p for p in problems), problems
    assert any("'1.5B' points at a value outside its axes" in p for p in problems), problems


def test_the_check_names_text_off_the_canvas_small_text_and_a_crossed_label():
    fig, ax = _figure()
    ax.plot([0, 1], [0, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.annotate("far off to the right", (1, 0.5), xytext=(400, 0), textcoords="offset points")
    ax.text(0.1, 0.9, "tiny", fontsize=_style.SMALL - 1)
    _common.keep_clear(ax.text(0.5, 0.5, "crossed", ha="center", va="center"))
    problems = layout_problems(fig, _style.SMALL)
    plt.close(fig)
    assert any("'far off to the right' reaches outside the figure" in p for p in problems), problems
    assert any("'tiny' is set in" in p for p in problems), problems
    assert any("a line crosses the label 'crossed'" in p for p in problems), problems


def test_a_line_of_text_needs_room_to_grow_as_a_browser_may_set_it():
    """A heading matplotlib measures 1% inside the canvas edge is refused (chromium set one 3% wider
    than measured); aligned right, it may grow leftwards instead, and fits."""
    fig, _ = _figure()
    renderer = fig.canvas.get_renderer()
    edge = fig.bbox.x1
    left = fig.text(0, 0.9, "A heading that nearly fills the width", ha="left")
    width = left.get_window_extent(renderer).width
    left.set_x((edge - width * 1.01) / edge)          # ends 1% of its width inside the edge
    right = fig.text(0.99, 0.5, "A heading that nearly fills the width", ha="right")
    problems = layout_problems(fig, _style.SMALL)
    plt.close(fig)
    assert [p for p in problems if "reaches outside" in p] == \
        ["the text 'A heading that nearly fills the width' reaches outside the figure"], problems


def test_the_check_reads_titles_and_only_the_tick_labels_inside_the_view():
    """Through public matplotlib only: the left and right titles are read, and a tick label outside
    the view (matplotlib keeps such ticks but does not draw them) is not."""
    fig, ax = _figure()
    ax.plot([0, 1], [0, 1])
    ax.set_title("tiny left", loc="left", fontsize=_style.SMALL - 1)
    ax.set_title("tiny right", loc="right", fontsize=_style.SMALL - 1)
    ax.set_xticks([0, 0.5, 1, 5], ["in", "in too", "edge", "outside"], fontsize=_style.SMALL - 1)
    ax.set_xlim(0, 1)
    problems = layout_problems(fig, _style.SMALL)
    plt.close(fig)
    small = {p.split("'")[1] for p in problems if "below the smallest size" in p}
    assert small == {"tiny left", "tiny right", "in", "in too", "edge"}, problems


def test_a_point_off_a_date_axis_is_named_by_its_date_and_its_label_by_its_anchor():
    from datetime import date

    fig, ax = _figure()
    ax.plot([date(2024, 1, 1), date(2025, 6, 1)], [1, 2], marker="o")
    ax.annotate("late", (date(2025, 6, 1), 2))
    ax.set_xlim(date(2023, 12, 1), date(2025, 1, 1))
    problems = layout_problems(fig, _style.SMALL)
    plt.close(fig)
    assert any("the data point (2025-06-01, 2) lies outside its axes" in p for p in problems), problems
    assert any("'late' points at a value outside its axes" in p for p in problems), problems


def test_the_check_uses_no_private_matplotlib_name():
    """A private name (ax._left_title, axis._update_ticks, ...) can change in any matplotlib release."""
    import re

    from conftest import ROOT

    source = (ROOT / "pipeline" / "figures" / "legibility.py").read_text()
    assert not re.findall(r"\.(_[a-z]\w*)", source)


FIXED_AXIS_FIGURE = '''"""A figure drawn the way the old growth chart was: a fixed 0-1000 axis."""
DATASETS = ["chatgpt_weekly_users"]
TITLE = ALT = CAPTION = "test"


def numbers(frames):
    return {}


def draw(fig, frames, theme, layout):
    from charts._common import Plotted

    users = frames["chatgpt_weekly_users"].sort_values("date")
    ax = fig.subplots()
    ax.plot(users["date"], users["weekly_users_millions"], marker="o")
    last = users.iloc[-1]
    ax.annotate(str(last["weekly_users_millions"]), (last["date"], last["weekly_users_millions"]))
    ax.set_ylim(0, 1000)
    plotted = Plotted("chatgpt_weekly_users")
    for _, row in users.iterrows():
        plotted.add("ChatGPT weekly users", str(row["date"]), row, "weekly_users_millions", "millions")
    return plotted
'''


def test_a_value_far_out_of_range_stops_the_build_on_a_fixed_axis_and_stays_visible_otherwise(built_copy):
    project = built_copy  # its other figures and validated data are kept (asserted below: the edited ones are redrawn)
    users = project / "data" / "chatgpt_weekly_users.csv"
    users.write_text(users.read_text().replace("2025-10-06,day,800,", "2025-10-06,day,1500,"))
    (project / "charts" / "zz_fixed_axis.py").write_text(FIXED_AXIS_FIGURE)

    result = run(["build_charts.py", "zz_fixed_axis"], cwd=project, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "charts/zz_fixed_axis.py" in result.stderr
    assert "the data point (2025-10-06, 1500) lies outside its axes" in result.stderr
    assert "'1500' points at a value outside its axes" in result.stderr

    # The real figures take their axis limits from the data: values far beyond the old fixed axes are drawn.
    lag = project / "data" / "open_closed_lag.csv"
    lag.write_text(lag.read_text().replace("range,range,,5,22,", "range,range,,5,34,"))
    shares = project / "data" / "enterprise_open_share.csv"
    shares.write_text(shares.read_text().replace("late 2024,19,", "late 2024,95,"))
    (project / "charts" / "zz_fixed_axis.py").unlink()
    drawn = run(["build_charts.py", "close_pursuit", "closed_models_lead"], cwd=project).stdout
    # Drawn again, not skipped as up to date from the built copy's caches, with the edited values.
    assert "drew close_pursuit (data/open_closed_lag.csv changed)" in drawn, drawn
    assert "drew closed_models_lead (data/enterprise_open_share.csv changed)" in drawn, drawn
    plotted = json.loads((project / "build" / "plotted.json").read_text())
    assert any(p.get("high") == 34 for p in plotted["close_pursuit"]), "close_pursuit does not plot the edited 34"
    assert any(p.get("value") == 95 for p in plotted["closed_models_lead"]), "closed_models_lead does not plot the edited 95"
