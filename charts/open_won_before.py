"""Open won before: where developers chose the layer they build on, an open project became the standard.

A dumbbell per platform and measure, each on its own dates: the open project's share at its first
and latest value (for Linux, the two values the essay cites), its rival's under it, grouped by what
kind of win it was. Each line has one label above it, "Android 72% → 71% (Sep 2021 → Q3 2025)", so
the direction reads even where the two markers overlap. Linux and Android beat closed rivals;
PyTorch and PostgreSQL were developers choosing between open projects; Kubernetes is adoption with
no rival measured. Rows never join values of different measures, except Android's, whose heading
names both.
"""
from charts import _common as c
from pipeline.figures.formatting import date_text, percent
from pipeline.figures.numbers import Number, difference, from_row, one_row, text_number

DATASETS = ["platform_history"]
SIZE = {"wide": (6.4, 6.8), "narrow": (3.6, 8.3)}

TITLE = "Where developers chose the layer they build on, an open project became the standard"
ALT = ("Dumbbell chart of the open project's share, in percent, in five platform shifts, each on its "
       "own dates and grouped by kind. Open against closed: Linux ran on {linux_top500_nov_2014} of the "
       "TOP500 supercomputers in November 2014 and on {linux_top500_nov_2017} from November 2017; "
       "Android accounted for {android_share_first} of mobile web traffic by StatCounter's count in "
       "{android_first_date} and held {android_share_latest} of the global smartphone market in "
       "{android_latest_date}, a different measure, against {ios_share_latest} for iOS. Developers "
       "choosing between open projects: PyTorch had {pytorch_share_2020} of paper implementations in "
       "2020 against {tensorflow_share_2020} for TensorFlow, and {pytorch_conference_share} of papers "
       "at ACL, EMNLP and ICLR in 2021 to 2022; in the Stack Overflow survey PostgreSQL rose from "
       "{postgresql_2020} of respondents in 2020 to {postgresql_2025} in 2025 while MySQL fell from "
       "{mysql_2020} to {mysql_2025}. Adoption: Kubernetes ran in production at "
       "{kubernetes_production_2019} and {kubernetes_production_2020} of CNCF survey respondents in "
       "2019 and 2020, and at {kubernetes_production_2025} of container users in the 2025 survey, "
       "published in early 2026.")
CAPTION = ("Linux and Android became the default against closed rivals. PyTorch and PostgreSQL won where "
           "developers chose between open projects (TensorFlow and MySQL are open source too), and "
           "Kubernetes spread with no rival measured.")
NOTES = [
    "Most values come from secondary reports of TOP500, StatCounter, Papers With Code, Stack "
    "Overflow and CNCF figures, so they are drawn hollow: apart from the CNCF 2019 and 2020 "
    "Kubernetes values (CNCF Survey 2020) and the 2020 PyTorch and TensorFlow shares (State of AI "
    "Report 2020), every value comes from a secondary report (news articles, Wikipedia, blogs); the "
    "primary pages were not in our archive. Hollow markers and dashed lines mark them.",
    "Each row joins only values of one measure; a dotted join means the sources word the measure "
    "differently (Android: StatCounter's mobile OS usage share in {android_first_date}, a blend of "
    "StatCounter and IDC smartphone OS market share in {android_latest_date}). The 2025 Kubernetes "
    "value is a share of container users, the 2019 and 2020 values shares of all respondents, so "
    "they are separate rows. The PyTorch conference row counts papers at ACL, EMNLP and ICLR "
    "(2021 to 2022) that name a framework, not Papers With Code implementations. Right-pointing "
    "triangles are floors (\u201cmore than\u201d).",
    "Later data (shaded): the CNCF 2025 survey, reported about January 2026. A February 2026 "
    "statement that Linux has held {linux_top500_feb_2026_later} of the TOP500 since 2017 is not "
    "drawn. The 2025 Stack Overflow values reach us through 2026 write-ups, but the survey itself "
    "was published in July 2025, so they are not later data.",
    "The Linux row shows November 2014 and November 2017, the values the essay cites. Not drawn: the "
    "floor of more than {linux_top500_floor_since_2010} since June 2010, and June 2017's "
    "{linux_top500_jun_2017}, computed by us from the {linux_top500_count_jun_2017} of "
    "{linux_top500_total_jun_2017} systems the source states. The other rows show the first and "
    "latest values before the essay's date.",
    "TensorFlow and MySQL are open source themselves and are drawn grey; iOS is the only closed "
    "rival here.",
    "Left out: a widely shared pair of figures for PyTorch's share of papers in 2023, because "
    "their underlying source is not named; they are not quoted here. Also not drawn: the 2022 "
    "Stack Overflow survey, in which TensorFlow ({tensorflow_developer_usage_2022} of all respondents) was ahead of PyTorch "
    "({pytorch_developer_usage_2022}); it measures developer use, not research use.",
]

# Groups of rows: the group's heading, then (series, row heading) per row. A heading may name the
# dates of the row's ends ({first}, {last}): Android's two ends measure different things.
_GROUPS = [
    ("Open beat closed rivals", [
        ("linux_top500", "Linux: share of TOP500 supercomputers"),
        ("android_mobile_os", "Android vs iOS: share of mobile web traffic in {first} (StatCounter), of "
                              "the smartphone market in {last}"),
    ]),
    ("Developers chose between open projects", [
        ("pytorch_paper_implementations", "PyTorch vs TensorFlow: paper implementations"),
        ("pytorch_conference_papers", "PyTorch: papers at ACL, EMNLP, ICLR"),
        ("postgresql_so_survey", "PostgreSQL vs MySQL: developers using it"),
    ]),
    ("Adoption, no rival measured", [
        ("kubernetes_production", "Kubernetes in production: share of respondents"),
        ("kubernetes_production_container_users", "Kubernetes: share of container users"),
    ]),
]
_CLOSED_RIVALS = {"iOS"}  # TensorFlow and MySQL are open source too: drawn in "other"
# The ends a row draws when not its first and latest values before the essay: the ones the essay cites.
_ENDS = {"linux_top500": ("2014-11-01", "2017-11-01")}
_MEASURE = "unit"         # the column that says what a value is a share of


# --- numbers -----------------------------------------------------------------------------------


def _comparator(row, unit="percent") -> Number:
    return Number(value=row["comparator_value"].item(), unit=unit, source=str(row["source"]),
                  confidence=str(row["confidence"]))


def _floor(row) -> Number:
    """A "more than" value: the text says so."""
    return from_row(row, "value", "percent", text=f"more than {percent(row['value'])}")


def _when(row) -> Number:
    """When a value holds, in the row's own words (its period column, e.g. "about March 2024")."""
    return text_number(row, row["period"])


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
        "android_first_date": _when(android_first),
        "android_share_latest": from_row(android_last, "value", "percent"),
        "ios_share_latest": _comparator(android_last),
        "android_latest_date": _when(android_last),
        "android_share_low": from_row(android_low, "value", "percent"),
        "android_share_low_date": _when(android_low),
        "android_share_high": from_row(android_high, "value", "percent"),
        "android_share_high_date": _when(android_high),
        # Kubernetes in production (CNCF)
        "kubernetes_production_2019": from_row(k8s_2019, "value", "percent"),
        "kubernetes_production_2020": from_row(k8s_2020, "value", "percent"),
        "kubernetes_production_2025": from_row(k8s_2025, "value", "percent"),
        # PyTorch vs TensorFlow
        "pytorch_share_2020": from_row(torch_2020, "value", "percent"),
        "tensorflow_share_2020": _comparator(torch_2020),
        "pytorch_lead_points_2020": difference(torch_2020, torch_2020, "value", column_b="comparator_value"),
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
        "postgresql_gain_points_2020_2025": difference(pg_2025, pg_2020, "value", measure="unit"),
    }


# --- drawing -----------------------------------------------------------------------------------


def _later(row) -> bool:
    """Later data: the value was first published after the essay's date (the survey's own release
    when the data gives it, else the source we read)."""
    first = row.get("first_published")
    return c.is_later(first if first == first and first is not None else row["published"])


def _year(row) -> str:
    """A value's date as short words, at its precision."""
    precision = {"day": "month", "month": "month", "quarter": "quarter", "year": "year"}[row["date_precision"]]
    return date_text(row["date"], precision, short=True)


def _ends(data, series):
    """The first and the latest value of a series published by the essay's date (or its only one,
    when all are later), unless _ENDS names the dates."""
    rows = data[data["series"] == series].sort_values("date")
    if series in _ENDS:
        return [one_row(rows, date=when) for when in _ENDS[series]]
    before = rows[~rows.apply(_later, axis=1)]
    rows = before if len(before) else rows
    return [rows.iloc[0]] if len(rows) == 1 else [rows.iloc[0], rows.iloc[-1]]


def _value_text(row, column) -> str:
    floor = ">" if row["qualifier"] == "more than" and column == "value" else ""
    return f"{floor}{percent(row[column], 0)}"


def _label(name, ends, column) -> str:
    """The one label of a line: "Android 72% → 71% (Sep 2021 → Q3 2025)", or "Kubernetes 82% (2025)"."""
    values = " \u2192 ".join(_value_text(r, column) for r in ends)
    dates = " \u2192 ".join(_year(r) for r in ends)
    return f"{name} {values} ({dates})"


def _dumbbell(ax, y, ends, column, color, theme):
    """One series' first and latest values on one line, a chevron pointing from the first to the
    latest when there is room between the markers."""
    pts = [(r[column], r) for r in ends]
    if len(pts) == 2:
        (x0, r0), (x1, r1) = pts
        style = c.segment_style(r0["confidence"], r1["confidence"], r0[_MEASURE], r1[_MEASURE])
        ax.plot([x0, x1], [y, y], color=color, linewidth=2.2, zorder=3, linestyle=style,
                dash_capstyle="round" if style == c.DOTTED else "butt")
        if abs(x1 - x0) >= 6:  # room for a chevron between the markers
            ax.plot([(x0 + x1) / 2], [y], marker=">" if x1 > x0 else "<", markersize=7, color=color,
                    linestyle="none", zorder=4)
    for x, r in pts:
        marker = ">" if r["qualifier"] == "more than" and column == "value" else "o"
        ax.plot([x], [y], zorder=5, **c.marker_style(color, r["confidence"], theme, marker=marker, size=8))


def _record(plotted, series, ends, column, later):
    for r in ends:
        floor = r["qualifier"] == "more than" and column == "value"
        plotted.add(series, f"{_year(r)} ({r['measure']})", r, column, "percent",
                    qualifier="more than" if floor else "", later=later)


def draw(fig, frames, theme, layout):
    import textwrap

    data = frames["platform_history"]
    open_c, closed_c, other_c = (theme.color(r) for r in ("open", "closed", "other"))
    ax = fig.subplots()
    plotted = c.Plotted("platform_history")
    wrap = 44 if layout.narrow else 90
    y = 0.0
    for group, rows in _GROUPS:
        # A group heading that does not fit a phone's width takes two lines, its first where a
        # one-line heading would be.
        group = "\n".join(textwrap.wrap(group, 34 if layout.narrow else 90))
        extra = 0.36 * group.count("\n")
        ax.annotate(group, (0, y + extra / 2), xycoords=("axes fraction", "data"), ha="left", va="center",
                    fontsize=theme.size.title, fontweight="bold", color=theme.text, linespacing=1.15)
        y += 0.85 + extra
        for series, heading in rows:
            ends = _ends(data, series)
            later = any(_later(r) for r in ends)
            rival = ends[0]["comparator"] if ends[0]["comparator"] == ends[0]["comparator"] else None
            heading = "\n".join(textwrap.wrap(heading.format(first=_year(ends[0]), last=_year(ends[-1])), wrap))
            lines_drawn = [("value", ends[0]["platform"], open_c)]
            if rival:
                lines_drawn.append(("comparator_value", rival, closed_c if rival in _CLOSED_RIVALS else other_c))
            top = y - 0.3
            ax.annotate(heading, (0, y - 0.2), xycoords=("axes fraction", "data"), ha="left", va="top",
                        fontsize=theme.size.annotation, color=theme.muted, linespacing=1.15)
            y += 0.57 + 0.3 * heading.count("\n")
            for k, (column, name, color) in enumerate(lines_drawn):
                ax.annotate(_label(name, ends, column), (0, y), xycoords=("axes fraction", "data"), ha="left",
                            va="center", fontsize=theme.size.annotation, fontweight="bold", color=color)
                if later and k == 0:
                    c.keep_clear(ax.annotate("later data" if layout.narrow else c.LATER_LABEL, (1, y),
                                             xycoords=("axes fraction", "data"), xytext=(-3, 0),
                                             textcoords="offset points", ha="right", va="center",
                                             fontsize=theme.size.annotation, color=theme.muted))
                _dumbbell(ax, y + 0.38, ends, column, color, theme)
                _record(plotted, heading.replace("\n", " ") + (f" \u2014 {name}" if rival else ""), ends, column, later)
                y += 0.9
            if later:
                ax.axhspan(top, y - 0.3, color=theme.later_band, zorder=0, linewidth=0)
        y += 0.25
    ax.set_ylim(y - 0.3, -0.5)
    ax.set_xlim(-2, 104)
    ax.set_xticks([0, 25, 50, 75, 100], [percent(v) for v in (0, 25, 50, 75, 100)])
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    ax.set_yticks([])
    ax.tick_params(axis="x", length=0)
    ax.spines["bottom"].set_visible(False)
    ax.xaxis.set_ticks_position("bottom")
    return plotted
