"""What a reader would miss in a drawn figure (the build refuses a figure that has any of it):
a data point or bar outside its axes, a label pointing outside them, a text outside the canvas or
below the smallest type size, a line across a label that must stay clear."""
from __future__ import annotations

_TOLERANCE = 1.5  # pixels: a marker centred on the axis edge or a text touching the canvas edge is fine
# A browser may set a line of chart text wider than matplotlib measures it: chromium drew a heading
# matplotlib measured at about 232 pt some 6.7 pt (3%) wider, past the canvas edge. A text must fit
# the canvas with that much room to grow, on the side its alignment lets it grow.
_TEXT_GROWTH = 0.03


def _inside(box, x: float, y: float, pad: float = _TOLERANCE) -> bool:
    return box.x0 - pad <= x <= box.x1 + pad and box.y0 - pad <= y <= box.y1 + pad


def _contains(outer, inner, pad: float = _TOLERANCE) -> bool:
    return _inside(outer, inner.x0, inner.y0, pad) and _inside(outer, inner.x1, inner.y1, pad)


def _ticks_in_view(axis) -> list:
    """The ticks the axis draws: those inside its view (matplotlib keeps ticks outside it, undrawn).
    Only public API: get_ticklabels sets every tick's place and text, as drawing does."""
    axis.get_ticklabels(which="both")
    transform = axis.get_transform()
    low, high = sorted(transform.transform(axis.get_view_interval()))
    close = (high - low) * 1e-10   # as matplotlib's own test: a tick on the edge is drawn
    return [tick for tick in axis.get_major_ticks() + axis.get_minor_ticks()
            if low - close <= transform.transform(tick.get_loc()) <= high + close]


def _drawn_texts(fig):
    """Every text the figure draws: figure and axes texts, annotations, titles, axis labels, the
    tick labels of ticks inside the view, legend entries."""
    from matplotlib.text import Text

    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        # The axes' children: its texts and annotations and its three titles (centre, left, right).
        texts += [child for child in ax.get_children() if isinstance(child, Text)]
        for axis in (ax.xaxis, ax.yaxis):
            if not (ax.axison and axis.get_visible()):
                continue
            texts.append(axis.label)
            for tick in _ticks_in_view(axis):
                texts += [t for t in (tick.label1, tick.label2) if t.get_visible()]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _coordinate(axis, value) -> str:
    """A data coordinate as the reader knows it: a date on a date axis, else the number."""
    import matplotlib.dates as mdates

    converter = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    if isinstance(converter, mdates.DateConverter) or isinstance(axis.get_major_locator(), mdates.DateLocator):
        return mdates.num2date(value).date().isoformat()
    return f"{float(value):g}"


def _grown(text, extent):
    """The text's box as a browser may draw it: wider by _TEXT_GROWTH, away from its anchor."""
    from matplotlib.transforms import Bbox

    grow = extent.width * _TEXT_GROWTH
    left, right = {"left": (0, grow), "right": (grow, 0)}.get(text.get_horizontalalignment(), (grow / 2, grow / 2))
    if text.get_rotation() % 180:  # vertical text grows along y; its width is not at stake
        left = right = 0
    return Bbox.from_extents(extent.x0 - left, extent.y0, extent.x1 + right, extent.y1)


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

    fig.draw_without_rendering()  # lay the figure out at its own dpi, as the reader's copy is (no pixels)
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
                # The anchor, not the text: data coordinates (dates as numbers) through transData.
                x, y = ax.transData.transform((float(text.convert_xunits(text.xy[0])),
                                               float(text.convert_yunits(text.xy[1]))))
                if not _inside(box, x, y):
                    problems.append(f"{panel}: the label {_where(text)} points at a value outside its axes "
                                    "and is not drawn")
    canvas = fig.bbox
    lines = [(line, line.get_transform().transform_path(line.get_path())) for ax in fig.axes for line in ax.get_lines()
             if line.get_visible() and len(line.get_xydata())]
    for text in _drawn_texts(fig):
        extent = text.get_window_extent(renderer)
        if not _contains(canvas, _grown(text, extent)):
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
