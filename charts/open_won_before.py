"""Open won before: small multiples of open platforms that became the default layer.

One panel per platform (Linux on the TOP500, Android, PyTorch, PostgreSQL, Kubernetes), the open
option's share over time with its rival where the source gives one. Nearly every value comes from
a secondary report, so nearly every point is hollow; squares mark values whose source was published
after the essay's date.
"""
from charts._common import is_later, is_solid, marker_style
from pipeline.numbers import Number, difference, from_row, one_row

DATASETS = ["platform_history"]
SIZE = (6.4, 7.4)  # three rows of panels; width stays at the house 6.4 in

TITLE = ("Open platforms became the default before: Linux reached {linux_top500_nov_2017} of the "
         "TOP500 supercomputers in 2017, and Android, PyTorch and PostgreSQL lead their fields")
ALT = ("Five small line charts, one per platform, of the open option's share in percent from 2010 "
       "to 2026, with its rival where the source names one. Linux ran on {linux_top500_nov_2014} of "
       "the TOP500 supercomputers in November 2014 and on {linux_top500_nov_2017} from November 2017. "
       "Android held {android_share_first} of mobile operating-system usage in {android_first_date} "
       "and {android_share_latest} in {android_latest_date}, against {ios_share_latest} for iOS. "
       "PyTorch had {pytorch_share_2020} of paper implementations in 2020 against "
       "{tensorflow_share_2020} for TensorFlow, and {pytorch_conference_share} of papers at ACL, "
       "EMNLP and ICLR in 2021 to 2022. In the Stack Overflow survey PostgreSQL rose from "
       "{postgresql_2020} of respondents in 2020 (MySQL {mysql_2020}) to {postgresql_2025} in 2025 "
       "(MySQL {mysql_2025}), the 2025 value known only from reports published in 2026. Kubernetes "
       "ran in production at {kubernetes_production_2019} and {kubernetes_production_2020} of CNCF "
       "survey respondents in 2019 and 2020, and at {kubernetes_production_2025} of container users "
       "in the 2025 survey, published in early 2026.")
CAPTION = ("In earlier platform shifts the open option ended up as the default layer. Most values "
           "come from secondary reports of TOP500, StatCounter, Papers With Code, Stack Overflow and "
           "CNCF figures, so they are drawn hollow.")
NOTES = [
    "Secondary values: apart from the CNCF 2019 and 2020 Kubernetes values (CNCF Survey 2020) and "
    "the 2020 PyTorch and TensorFlow shares (State of AI Report 2020), every value comes from a "
    "secondary report (news articles, Wikipedia, blogs) of TOP500, StatCounter, Papers With Code, "
    "Stack Overflow or CNCF figures; the primary pages were not in our archive. They are drawn "
    "with hollow markers and dashed lines.",
    "Later data: squares mark values whose source was published after November 2025 (the shaded "
    "band is the time after it). They are the February 2026 statement that Linux has held "
    "{linux_top500_feb_2026_later} of the TOP500 since 2017, the CNCF 2025 survey (reported about "
    "January 2026) and the 2024 and 2025 PostgreSQL values, which we have only from write-ups published in 2026. The Q3 2025 "
    "Android value comes from a 2025 page whose month is not recorded.",
    "Measures differ between sources. The Android shares are StatCounter usage shares as restated "
    "by several sites, worded differently by each; the Q3 2025 source blends StatCounter and IDC "
    "figures. The 2025 Kubernetes value is a share of container users; the 2019 and 2020 values "
    "are shares of all respondents, so the two are not joined. The PyTorch triangle counts papers "
    "at ACL, EMNLP and ICLR (2021 to 2022) that name a framework, not Papers With Code "
    "implementations. Triangles are floors (\u201cmore than\u201d).",
    "Linux's June 2017 value, {linux_top500_jun_2017}, is computed by us from the "
    "{linux_top500_count_jun_2017} of {linux_top500_total_jun_2017} systems the source states. "
    "Points whose source gives only a year are drawn at mid-year, only a quarter at mid-quarter.",
    "TensorFlow and MySQL are open source themselves and are drawn grey; iOS is the only closed "
    "rival here.",
    "Left out: a widely shared pair of figures for PyTorch's share of papers in 2023, because "
    "their underlying source is not named; they are not quoted here. Also not drawn: the 2022 "
    "Stack Overflow survey, in which TensorFlow ({tensorflow_developer_usage_2022} of all respondents) was ahead of PyTorch "
    "({pytorch_developer_usage_2022}); it measures developer use, not research use.",
]

# Panel order (left to right, top to bottom): platform, title, series drawn as lines or floors.
PANELS = [
    ("Linux", "Linux: share of TOP500\nsupercomputers", ["linux_top500"]),
    ("Android", "Android: share of mobile\nOS usage", ["android_mobile_os"]),
    ("PyTorch", "PyTorch: share of research\ncode", ["pytorch_paper_implementations",
                                                    "pytorch_conference_papers"]),
    ("PostgreSQL", "PostgreSQL: developers using\nit (Stack Overflow survey)", ["postgresql_so_survey"]),
    ("Kubernetes", "Kubernetes: used in production\n(CNCF survey)", ["kubernetes_production",
                                                                    "kubernetes_production_container_users"]),
]
CLOSED_RIVALS = {"iOS"}  # TensorFlow and MySQL are open source too: drawn in "other"
LABEL_SIZE = 9


# --- numbers -----------------------------------------------------------------------------------


def _comparator(row, unit="percent") -> Number:
    return Number(value=row["comparator_value"].item(), unit=unit, source=str(row["source"]),
                  confidence=str(row["confidence"]))


def _floor(row) -> Number:
    """A "more than" value: the text says so."""
    from pipeline.formatting import percent

    return from_row(row, "value", "percent", text=f"more than {percent(row['value'])}")


def _date_number(row) -> Number:
    """When a value holds, in the row's own words (its period column, e.g. "about March 2024")."""
    return Number(row["date"].year, "year", str(row["source"]), str(row["confidence"]), text=str(row["period"]))




def numbers(frames):
    data = frames["platform_history"]

    def row(series, date):
        return one_row(data, series=series, date=date)

    linux_floor = row("linux_top500", "2010-06-01")
    linux_2014 = row("linux_top500", "2014-11-01")
    linux_jun_2017 = row("linux_top500", "2017-06-01")
    linux_nov_2017 = row("linux_top500", "2017-11-01")
    linux_2026 = row("linux_top500", "2026-02-01")

    android = data[data["series"] == "android_mobile_os"].sort_values("date")
    android_first, android_last = android.iloc[0], android.iloc[-1]
    android_low = android.loc[android["value"].idxmin()]
    android_high = android.loc[android["value"].idxmax()]

    k8s_2019 = row("kubernetes_production", "2019-01-01")
    k8s_2020 = row("kubernetes_production", "2020-01-01")
    k8s_2025 = row("kubernetes_production_container_users", "2025-01-01")

    torch_2020 = row("pytorch_paper_implementations", "2020-01-01")
    torch_conf = row("pytorch_conference_papers", "2022-01-01")
    torch_dev = row("pytorch_developer_usage", "2022-01-01")

    pg_2020 = row("postgresql_so_survey", "2020-01-01")
    pg_2023 = row("postgresql_so_survey", "2023-01-01")
    pg_2024 = row("postgresql_so_survey", "2024-01-01")
    pg_2025 = row("postgresql_so_survey", "2025-01-01")
    pg_pro_2025 = row("postgresql_so_survey_professionals", "2025-01-01")

    return {
        # Linux on the TOP500
        "linux_top500_floor_since_2010": _floor(linux_floor),
        "linux_top500_nov_2014": from_row(linux_2014, "value", "percent"),
        "linux_top500_count_nov_2014": from_row(linux_2014, "count", "count"),
        "linux_top500_jun_2017": from_row(linux_jun_2017, "value", "percent"),
        "linux_top500_count_jun_2017": from_row(linux_jun_2017, "count", "count"),
        "linux_top500_total_jun_2017": from_row(linux_jun_2017, "of_total", "count"),
        "linux_top500_nov_2017": from_row(linux_nov_2017, "value", "percent"),
        "linux_top500_feb_2026_later": from_row(linux_2026, "value", "percent"),
        # Android vs iOS
        "android_share_first": from_row(android_first, "value", "percent"),
        "ios_share_first": _comparator(android_first),
        "android_first_date": _date_number(android_first),
        "android_share_latest": from_row(android_last, "value", "percent"),
        "ios_share_latest": _comparator(android_last),
        "android_latest_date": _date_number(android_last),
        "android_share_low": from_row(android_low, "value", "percent"),
        "android_share_low_date": _date_number(android_low),
        "android_share_high": from_row(android_high, "value", "percent"),
        "android_share_high_date": _date_number(android_high),
        # Kubernetes in production (CNCF)
        "kubernetes_production_2019": from_row(k8s_2019, "value", "percent"),
        "kubernetes_production_2020": from_row(k8s_2020, "value", "percent"),
        "kubernetes_production_2025": from_row(k8s_2025, "value", "percent"),
        # PyTorch vs TensorFlow
        "pytorch_share_2020": from_row(torch_2020, "value", "percent"),
        "tensorflow_share_2020": _comparator(torch_2020),
        "pytorch_lead_points_2020": Number(torch_2020["value"].item() - torch_2020["comparator_value"].item(),
                                           "points", str(torch_2020["source"]), str(torch_2020["confidence"])),
        "pytorch_conference_share": _floor(torch_conf),
        "pytorch_developer_usage_2022": from_row(torch_dev, "value", "percent"),
        "tensorflow_developer_usage_2022": _comparator(torch_dev),
        # PostgreSQL vs MySQL (Stack Overflow survey)
        "postgresql_2020": from_row(pg_2020, "value", "percent"),
        "mysql_2020": _comparator(pg_2020),
        "postgresql_2023": from_row(pg_2023, "value", "percent"),
        "mysql_2023": _comparator(pg_2023),
        "postgresql_2024": from_row(pg_2024, "value", "percent"),
        "postgresql_2025": from_row(pg_2025, "value", "percent"),
        "mysql_2025": _comparator(pg_2025),
        "postgresql_professionals_2025": from_row(pg_pro_2025, "value", "percent"),
        "postgresql_gain_points_2020_2025": difference(pg_2025, pg_2020, "value"),
    }


# --- drawing -----------------------------------------------------------------------------------


def _x(row):
    """Where a row sits on the time axis: the middle of the month, quarter or year it describes."""
    import pandas as pd

    offset = {"day": pd.Timedelta(0), "month": pd.Timedelta(days=14), "quarter": pd.Timedelta(days=45),
              "year": pd.Timedelta(days=182)}[row["date_precision"]]
    return row["date"] + offset


def _later(row) -> bool:
    published = row["published"]
    return published == published and is_later(published)  # NaT (not recorded) is not later


def _line(ax, rows, column, color, theme):
    """Join a series' points; a segment touching a non-exact point is dashed, as in plot_series."""
    points = [(_x(r), r[column], r["confidence"], _later(r)) for _, r in rows.iterrows()
              if r[column] == r[column]]
    for (x0, y0, c0, _), (x1, y1, c1, _) in zip(points, points[1:]):
        solid = is_solid(c0) and is_solid(c1)
        ax.plot([x0, x1], [y0, y1], color=color, linestyle="-" if solid else (0, (4, 3)), linewidth=1.8,
                zorder=3, solid_capstyle="round")
    for x, y, confidence, later in points:
        ax.plot([x], [y], zorder=4, clip_on=False,
                **marker_style(color, confidence, theme, marker="s" if later else "o", size=6.5))


def _floors(ax, rows, color, theme):
    for _, r in rows.iterrows():
        ax.plot([_x(r)], [r["value"]], zorder=4, clip_on=False,
                **marker_style(color, r["confidence"], theme, marker="^", size=7.5))


def _label(ax, row, column, text, color, dx, dy, ha="center", va="center", bold=False):
    ax.annotate(text, (_x(row), row[column]), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                color=color, fontsize=LABEL_SIZE, fontweight="bold" if bold else "normal",
                linespacing=1.1, zorder=6)


def _rows(data, series):
    return data[data["series"] == series].sort_values("date")


def _shade_later(ax, theme, left, right):
    """The house "later data" band, without its in-plot text (too narrow here; the key says it)."""
    import matplotlib.dates as mdates

    from pipeline.edition import ESSAY_DATE

    cutoff = mdates.date2num(ESSAY_DATE)
    ax.axvspan(cutoff, mdates.date2num(right), color=theme.later_band, zorder=0, linewidth=0)
    ax.axvline(cutoff, color=theme.muted, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1)


def _draw_linux(ax, data, theme, c):
    rows = _rows(data, "linux_top500")
    points = rows[rows["qualifier"] != "more than"]
    _floors(ax, rows[rows["qualifier"] == "more than"], c["open"], theme)
    _line(ax, points, "value", c["open"], theme)
    from pipeline.formatting import percent

    floor = one_row(rows, date="2010-06-01")
    _label(ax, floor, "value", f"over {percent(floor['value'])}\nfrom June 2010", c["open"], -4, -10,
           ha="left", va="top")
    y2014 = one_row(rows, date="2014-11-01")
    _label(ax, y2014, "value", percent(y2014["value"]), c["open"], 7, -9, ha="left", va="top")
    nov2017 = one_row(rows, date="2017-11-01")
    _label(ax, nov2017, "value", f"{percent(nov2017['value'])} from\nNov 2017", c["open"], 8, -9,
           ha="left", va="top", bold=True)


def _draw_rival_pair(ax, rows, theme, c):
    """The open platform and its named rival (closed colour only for a closed rival)."""
    rival = str(rows.iloc[0]["comparator"])
    rival_color = c["closed"] if rival in CLOSED_RIVALS else c["other"]
    _line(ax, rows, "comparator_value", rival_color, theme)
    _line(ax, rows, "value", c["open"], theme)
    return rival, rival_color


def _draw_android(ax, data, theme, c):
    from pipeline.formatting import percent

    rows = _rows(data, "android_mobile_os")
    rival, rival_color = _draw_rival_pair(ax, rows, theme, c)
    first, last = rows.iloc[0], rows.iloc[-1]
    _label(ax, first, "value", "Android", c["open"], -8, 0, ha="right", bold=True)
    _label(ax, first, "comparator_value", rival, rival_color, -8, 0, ha="right", bold=True)
    _label(ax, last, "value", percent(last["value"]), c["open"], 6, 9, ha="right", va="bottom")
    _label(ax, last, "comparator_value", percent(last["comparator_value"]), rival_color, 6, 9,
           ha="right", va="bottom")


def _draw_pytorch(ax, data, theme, c):
    from pipeline.formatting import percent

    rows = _rows(data, "pytorch_paper_implementations")
    rival, rival_color = _draw_rival_pair(ax, rows, theme, c)
    first = rows.iloc[0]
    _label(ax, first, "value", f"PyTorch {percent(first['value'])}", c["open"], -8, 0, ha="right", bold=True)
    _label(ax, first, "comparator_value", f"{rival} {percent(first['comparator_value'])}", rival_color, -8, 0,
           ha="right", bold=True)
    ax.annotate("of paper\nimplementations", (_x(first), first["value"]), xytext=(-8, -6),
                textcoords="offset points", ha="right", va="top", color=theme.muted, fontsize=LABEL_SIZE,
                linespacing=1.1)
    conf = _rows(data, "pytorch_conference_papers")
    _floors(ax, conf, c["open"], theme)
    row = conf.iloc[0]
    _label(ax, row, "value", f"over {percent(row['value'])} of papers at\nACL, EMNLP, ICLR",
           c["open"], -9, 0, ha="right")


def _draw_postgresql(ax, data, theme, c):
    from pipeline.formatting import percent

    rows = _rows(data, "postgresql_so_survey")
    rival, rival_color = _draw_rival_pair(ax, rows, theme, c)
    first, last = rows.iloc[0], rows.iloc[-1]
    _label(ax, first, "value", f"PostgreSQL {percent(first['value'])}", c["open"], -8, 0, ha="right", bold=True)
    _label(ax, first, "comparator_value", f"{rival} {percent(first['comparator_value'])}", rival_color, -8, 0,
           ha="right", bold=True)
    _label(ax, last, "value", percent(last["value"]), c["open"], 4, 8, ha="right", va="bottom")
    _label(ax, last, "comparator_value", percent(last["comparator_value"]), rival_color, 4, -8,
           ha="right", va="top")


def _draw_kubernetes(ax, data, theme, c):
    from pipeline.formatting import percent

    respondents = _rows(data, "kubernetes_production")
    _line(ax, respondents, "value", c["open"], theme)
    first, last = respondents.iloc[0], respondents.iloc[-1]
    _label(ax, first, "value", percent(first["value"]), c["open"], -7, 0, ha="right", bold=True)
    _label(ax, last, "value", percent(last["value"]), c["open"], 7, 0, ha="left", bold=True)
    ax.annotate("of respondents", (_x(first), first["value"]), xytext=(-7, -10), textcoords="offset points",
                ha="right", va="top", color=theme.muted, fontsize=LABEL_SIZE)
    users = _rows(data, "kubernetes_production_container_users")
    _line(ax, users, "value", c["open"], theme)
    row = users.iloc[0]
    _label(ax, row, "value", f"{percent(row['value'])} of\ncontainer\nusers", c["open"], -3, -10,
           ha="right", va="top")


DRAWERS = {"Linux": _draw_linux, "Android": _draw_android, "PyTorch": _draw_pytorch,
           "PostgreSQL": _draw_postgresql, "Kubernetes": _draw_kubernetes}


def _key(ax, theme, c):
    """The sixth cell: what the marks mean (shapes, fill, colours, the later band)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax.axis("off")
    muted = theme.muted

    def mark(marker, filled, linestyle="none"):
        return Line2D([], [], color=muted, linestyle=linestyle, linewidth=1.8, marker=marker, markersize=7,
                      markeredgecolor=muted, markeredgewidth=1.6,
                      markerfacecolor=muted if filled else theme.background)

    handles = [
        (Line2D([], [], color=c["open"], linewidth=3), "Open platform"),
        (Line2D([], [], color=c["closed"], linewidth=3), "Closed rival (iOS)"),
        (Line2D([], [], color=c["other"], linewidth=3), "Open-source rival\n(TensorFlow, MySQL)"),
        (mark("o", True, "-"), "Primary source"),
        (mark("o", False, (0, (4, 3))), "Secondary report"),
        (mark("^", False), "\u201cMore than\u201d (a floor)"),
        (mark("s", False), "Reported after Nov 2025"),
        (Patch(facecolor=theme.later_band, edgecolor=theme.grid), "After November 2025"),
    ]
    ax.legend([h for h, _ in handles], [t for _, t in handles], loc="center left", bbox_to_anchor=(0.02, 0.5),
              fontsize=LABEL_SIZE, handlelength=2.2, labelspacing=0.55, borderaxespad=0, frameon=False,
              labelcolor=theme.text)


def draw(fig, frames, theme):
    from datetime import date

    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator, FuncFormatter

    from pipeline.formatting import percent

    data = frames["platform_history"]
    c = {role: theme.color(role) for role in ("open", "closed", "other")}
    axes = fig.subplots(3, 2, sharex=True, sharey=True).ravel()
    left, right = date(2009, 7, 1), date(2026, 9, 1)
    for ax, (platform, title, _series) in zip(axes, PANELS):
        _shade_later(ax, theme, left, right)
        DRAWERS[platform](ax, data, theme, c)
        ax.set_title(title, fontsize=10, loc="left", color=theme.text, fontweight="bold", linespacing=1.15)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))
        ax.tick_params(labelsize=LABEL_SIZE)
        ax.tick_params(axis="x", labelbottom=True)
        ax.xaxis.set_major_locator(mdates.YearLocator(4, month=1, day=1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(mdates.YearLocator(1))
        ax.set_xlim(left, right)
    _key(axes[-1], theme, c)
