"""The one house style for every figure: palette, type, sizes, light and dark themes.

Colours are the Okabe-Ito set, which stays distinguishable under the common forms of colour
blindness; each role (open, closed, China, ...) keeps its colour in every figure. The dark theme
uses the same roles with variants that keep contrast on Material's slate background.

Nothing here imports matplotlib: figures ask for `rc(theme)` and apply it themselves, so listing or
checking figures never pays for the import.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FONT_FAMILY = ["DejaVu Sans"]  # ships with matplotlib, so every machine draws the same glyphs
FIGURE_SIZE = (6.4, 3.8)        # inches: the wide layout (desktop, tablet, print)
NARROW_WIDTH = 3.6              # inches: the narrow layout, drawn for a phone's column of about 360 px
HOLLOW_NOTE = "Hollow markers and dashed lines: approximate or secondary values."


@dataclass(frozen=True)
class TypeScale:
    """The four type sizes (points) every figure uses; nothing in a chart is set in another size.

    A theme carries its scale, so each layout of a figure gets its own sizes without touching the
    figure modules (they read `theme.size.label`, never a literal): the build hands draw() the theme
    with the scale of the layout it draws (`theme_for`).
    """
    title: float = 11        # panel and group titles (bold)
    label: float = 10        # direct labels of the data: values, series and category names
    annotation: float = 9    # tick labels, axis titles, muted annotations, "later data"
    small: float = 8.5       # the floor: second lines of labels (what a value counts); never smaller


TYPE = TypeScale()
# The narrow layout is drawn 3.6 in wide and shown at about 330-360 CSS px on a phone (1.27-1.38 px
# a point), so its floor of 9 pt renders at 11.4 px or more on a 360 px screen and 12.4 px at 390 px.
# The wide layout is shown from 641 px up, at 1.3 px a point or more: 8.5 pt is 11 px or more.
NARROW_TYPE = TypeScale(title=11, label=10, annotation=9.5, small=9)
# The named sizes, for code that has no theme at hand (tests, rc below).
TITLE, LABEL, ANNOTATION, SMALL = TYPE.title, TYPE.label, TYPE.annotation, TYPE.small


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    grid: str
    later_band: str
    colors: dict[str, str] = field(default_factory=dict)
    size: TypeScale = TYPE

    def color(self, role: str) -> str:
        return self.colors[role]


_LIGHT_ROLES = {
    "open": "#0072B2",      # blue
    "closed": "#D55E00",    # vermillion
    "china": "#D55E00",
    "us": "#0072B2",
    "europe": "#009E73",    # bluish green
    "other": "#6E6E6E",
    "accent": "#CC79A7",    # reddish purple
    "highlight": "#E69F00", # orange
    "anthropic": "#CC79A7",
    "openai": "#009E73",
    "google": "#6E6E6E",    # grey: the chart about vendors is about Anthropic vs OpenAI, and Meta
    "meta": "#0072B2",      # Meta's Llama is the one open-weight vendor: it takes the open colour
}
_DARK_ROLES = {
    "open": "#56B4E9",      # sky blue
    "closed": "#F5A35C",    # lighter vermillion/orange, 7:1 on slate
    "china": "#F5A35C",
    "us": "#56B4E9",
    "europe": "#3DD6A3",
    "other": "#B0B3BD",
    "accent": "#E69AC4",
    "highlight": "#F0E442", # yellow
    "anthropic": "#E69AC4",
    "openai": "#3DD6A3",
    "google": "#B0B3BD",
    "meta": "#56B4E9",
}

THEMES = {
    "light": Theme("light", background="#ffffff", text="#1f2328", muted="#57606a", grid="#d8dde3",
                   later_band="#f1f3f5", colors=_LIGHT_ROLES),
    # Material's slate scheme background is hsl(232, 15%, 14%) = #1e2029.
    "dark": Theme("dark", background="#1e2029", text="#e8e9ee", muted="#b3b7c4", grid="#3b3f4e",
                  later_band="#2a2d3a", colors=_DARK_ROLES),
}


def recolouring(source: str = "light", target: str = "dark") -> dict[str, str]:
    """Each colour of one theme -> the same part's or role's colour in another, lowercase "#rrggbb".
    Figures take every colour from their theme, so one variant of a drawing is the other with these
    colours swapped (pipeline/figures/build.py makes the dark SVGs so). A colour two roles share in
    one theme but not in the other has no single counterpart and is left out, so a drawing that
    uses it stops the build rather than come out wrong."""
    from dataclasses import fields

    a, b = THEMES[source], THEMES[target]
    parts = [f.name for f in fields(Theme) if f.type in (str, "str") and f.name != "name"]
    pairs = [(getattr(a, part), getattr(b, part)) for part in parts]
    pairs += [(a.colors[role], b.colors[role]) for role in a.colors]
    counterparts: dict[str, set[str]] = {}
    for mine, theirs in pairs:
        counterparts.setdefault(mine.lower(), set()).add(theirs.lower())
    return {mine: theirs.pop() for mine, theirs in counterparts.items() if len(theirs) == 1}


def theme_for(variant: str, size: TypeScale = TYPE) -> Theme:
    """The theme of a colour variant ("light", "dark") with a layout's type scale."""
    from dataclasses import replace

    return replace(THEMES[variant], size=size)


def rc(theme: Theme) -> dict:
    """matplotlib rcParams for a theme."""
    return {
        "figure.figsize": FIGURE_SIZE,
        "figure.facecolor": theme.background,
        "axes.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILY,
        "font.size": theme.size.label,
        "axes.titlesize": theme.size.title,
        "axes.labelsize": theme.size.annotation,
        "xtick.labelsize": theme.size.annotation,
        "ytick.labelsize": theme.size.annotation,
        "text.color": theme.text,
        "axes.labelcolor": theme.muted,
        "axes.edgecolor": theme.grid,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.left": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": theme.grid,
        "grid.linewidth": 0.8,
        "axes.axisbelow": True,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "ytick.left": False,
        "legend.frameon": False,
        "legend.fontsize": theme.size.annotation,
        "lines.linewidth": 2.2,
        "lines.markersize": 7,
        # Determinism: fixed ids in the SVG. Text stays text (not glyph paths): files are 3-5x
        # smaller, which keeps the essay page within its weight budget; pipeline/figures/build.py adds
        # fallbacks with similar metrics for readers without DejaVu Sans.
        "svg.hashsalt": "future-of-open-models",
        "svg.fonttype": "none",
    }
