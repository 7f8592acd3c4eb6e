"""The big flip: Chinese vs US open-model downloads, in two panels that are never put on one axis.

Top: cumulative Hugging Face downloads of curated sets of leading open models (ATOM Project /
Interconnects), with the season in which China passed the US as a shaded period. Bottom: the
share of all model downloads on the Hugging Face Hub. The two measure different things.
"""
from charts._common import is_later, is_solid, panel_title, shade_later_data
from pipeline.numbers import Number, difference, from_row, one_row

DATASETS = ["open_downloads_by_origin", "hub_download_share"]
SIZE = (6.4, 7.4)
TITLE = "Chinese open models overtook US ones in downloads in {flip_period}"
ALT = ("Two stacked charts. Top: dot chart of cumulative Hugging Face downloads of leading open "
       "models by country of origin, counted by the ATOM Project over a curated set of models. In "
       "{curated_date_2025} Chinese and US models had about {curated_us_aug_2025} each and European "
       "models about {curated_europe_aug_2025}; a shaded band marks {flip_period}, when China passed "
       "the US. Later data from a larger curated set, seen only in a secondary summary, gives China "
       "{curated_china_mar_2026} and the US {curated_us_mar_2026} by {curated_date_2026}. Bottom: bar "
       "chart of the share of all model downloads on the Hugging Face Hub: in the year to "
       "{hub_window_end_2025} China {hub_china_share_2025} and the US {hub_us_share_2025}; a later, "
       "secondary figure from a different study gives China {hub_china_share_2026} and the US "
       "{hub_us_share_2026} for the year to early 2026.")
CAPTION = ("In the ATOM Project's count of leading open models (top), Chinese models passed US ones in "
           "{flip_period}. Across the whole Hugging Face Hub (bottom), Chinese models took "
           "{hub_china_share_2025} of downloads against {hub_us_share_2025} for US ones in the year to "
           "{hub_window_end_2025}.")
NOTES = [
    "The two panels measure different things and are kept apart on purpose: the top counts "
    "cumulative downloads of a hand-picked set of leading language models; the bottom is each "
    "country's share of all model downloads on the Hugging Face Hub (all model types) over a "
    "trailing window.",
    "The curated set changed between the top panel's two dates: the {curated_date_2025} points "
    "count the leading models of {curated_providers_2025} providers (Meta, Google, Mistral AI, "
    "Microsoft, Alibaba Qwen, DeepSeek AI); the {curated_date_2026} points count "
    "{curated_models_2026} curated models (the ATOM Report). No line joins them: the rise between "
    "the two dates mixes growth with a larger count.",
    "The {curated_date_2025} counts are stated as \u201caround\u201d {curated_us_aug_2025} and "
    "{curated_europe_aug_2025}: approximate values, drawn hollow.",
    "Later data (published after November 2025), drawn hollow and hatched or in the shaded band: "
    "the {curated_date_2026} counts, seen only in a secondary summary of the ATOM Report, and the "
    "shares for the year to early 2026, seen only in a summary of Hugging Face's Spring 2026 "
    "report. That report counts differently from the 2025 study, so the jump in both shares is not "
    "a trend.",
    "The flip is dated only to a season. The primary sources say Chinese providers were "
    "\u201csurpassing the U.S. this summer\u201d ({flip_source_published}) and overtook them "
    "\u201cin the summer of 2025\u201d; accounts that name a month are secondary and not used here.",
    "The 2025 whole-Hub shares are from Longpre et al., \u201cEconomies of Open Intelligence\u201d, "
    "as relayed from MIT Technology Review; the paper's own text was not read. The FT reported the "
    "same figures rounded ({hub_china_share_2025_rounded} and {hub_us_share_2025_rounded}) on "
    "{hub_rounded_published}.",
    "Hugging Face counts every request for a model's files as a download, including automated "
    "ones, so downloads show direction, not users or market share.",
]

_COUNTS = "cumulative downloads"
_FLIP = "China passes US"
_ORIGINS = ("China", "US", "Europe")
_ROLE = {"China": "china", "US": "us", "Europe": "europe"}


def _count(data, origin, date):
    return one_row(data, kind=_COUNTS, origin=origin, date=date)


def _share(data, origin, source):
    return one_row(data, origin=origin, source=source)


def _text_date(row, column="date"):
    """A Number holding a row's date as words, at the precision the data has."""
    when = row[column]
    return Number(when.year, "year", str(row["source"]), str(row["confidence"]), text=f"{when:%B %Y}")


def _text_day(row, column="published"):
    """A Number holding a row's day-precise date as words, e.g. "4 August 2025"."""
    when = row[column]
    return Number(when.year, "year", str(row["source"]), str(row["confidence"]),
                  text=f"{when.day} {when:%B %Y}")


def _coverage_count(row, pattern, text="{}", scale=1):
    """A count the row states in its coverage column ("leading models of 6 providers", "about 1.5K").

    `pattern` captures the number as written; `text` writes it back as the row words it, `scale`
    turns it into a plain count (1000 for "K"). A coverage the pattern no longer fits fails loudly.
    """
    import re

    found = re.search(pattern, str(row["coverage"]))
    if not found:
        raise LookupError(f"expected {pattern!r} in the coverage {row['coverage']!r}")
    value = round(float(found.group(1)) * scale, 2)
    return Number(int(value) if value.is_integer() else value, "count", str(row["source"]),
                  str(row["confidence"]), text=text.format(found.group(1)))




def numbers(frames):
    counts = frames["open_downloads_by_origin"]
    hub = frames["hub_download_share"]
    cn25, us25, eu25 = (_count(counts, o, "2025-08-01") for o in ("China", "US", "Europe"))
    cn26, us26 = (_count(counts, o, "2026-03-01") for o in ("China", "US"))
    flip = one_row(counts, kind=_FLIP, source="interconnects-atom-2025-08-04")
    flip_confirmed = one_row(counts, kind=_FLIP, source="atom-report-2026-04-08")
    hub_cn25, hub_us25 = (_share(hub, o, "airesearch-news-2026-04") for o in ("China", "US"))
    ft_cn25, ft_us25 = (_share(hub, o, "tass-ft-2025-11-26") for o in ("China", "US"))
    hub_cn26, hub_us26 = (_share(hub, o, "get-smrtr-2026") for o in ("China", "US"))
    return {
        # Curated set of 6 providers' leading models, as of August 2025 ("around": approx).
        "curated_china_aug_2025": from_row(cn25, "downloads_millions", "millions"),
        "curated_us_aug_2025": from_row(us25, "downloads_millions", "millions"),
        "curated_europe_aug_2025": from_row(eu25, "downloads_millions", "millions"),
        "curated_date_2025": _text_date(cn25),
        "curated_providers_2025": _coverage_count(cn25, r"leading models of (\d+) providers"),
        # ~1.5K curated models, by March 2026: later data, secondary.
        "curated_china_mar_2026": from_row(cn26, "downloads_millions", "millions"),
        "curated_us_mar_2026": from_row(us26, "downloads_millions", "millions"),
        "curated_gap_mar_2026": difference(cn26, us26, "downloads_millions", "millions"),
        "curated_date_2026": _text_date(cn26),
        "curated_models_2026": _coverage_count(cn26, r"about (\d+(?:\.\d+)?)K curated", "about {}K", 1000),
        # When the flip happened: a season, not a month.
        "flip_period": Number(flip["date"].year, "year", str(flip["source"]), str(flip["confidence"]),
                              text=str(flip["period"])),
        # The day of the primary source that dates the flip to "this summer".
        "flip_source_published": _text_day(flip),
        "flip_period_confirmed": Number(flip_confirmed["date"].year, "year", str(flip_confirmed["source"]),
                                        str(flip_confirmed["confidence"]), text=str(flip_confirmed["period"])),
        # Whole Hub, 12 months to August 2025 (Longpre et al.).
        "hub_china_share_2025": from_row(hub_cn25, "share", "percent"),
        "hub_us_share_2025": from_row(hub_us25, "share", "percent"),
        "hub_gap_points_2025": difference(hub_cn25, hub_us25, "share", "points"),
        "hub_window_end_2025": _text_date(hub_cn25),
        "hub_china_share_2025_rounded": from_row(ft_cn25, "share", "percent"),
        "hub_us_share_2025_rounded": from_row(ft_us25, "share", "percent"),
        "hub_rounded_published": _text_day(ft_cn25),
        # Whole Hub, year to early 2026 (HF Spring 2026 report via a summary): later, secondary.
        "hub_china_share_2026": from_row(hub_cn26, "share", "percent"),
        "hub_us_share_2026": from_row(hub_us26, "share", "percent"),
        "hub_gap_points_2026": difference(hub_cn26, hub_us26, "share", "points"),
    }


# --- drawing ----------------------------------------------------------------------------------

_LABEL_SIZE = 9.5
_SMALL = 8.5




def _value_text(row):
    from pipeline.formatting import millions_short

    prefix = "\u2248" if row["qualifier"] == "about" else ""
    return f"{row['origin']} {prefix}{millions_short(row['downloads_millions'])}"


def _draw_counts(ax, data, theme):
    import matplotlib.dates as mdates
    import matplotlib.transforms as mtransforms
    import pandas as pd
    from matplotlib.ticker import FuncFormatter

    from charts._common import marker_style
    from pipeline.formatting import millions_short

    start, end = pd.Timestamp("2025-03-01"), pd.Timestamp("2026-06-01")
    ax.set_xlim(start, end)
    ax.set_ylim(0, 1450)

    # The flip: a season, drawn as a period, never as a crossing point.
    flip = data[(data["kind"] == _FLIP) & ~data["published"].map(is_later)].iloc[0]
    season_start = flip["date"]
    season_end = season_start + pd.DateOffset(months=3)
    band_alpha = 0.22 if theme.name == "light" else 0.13
    ax.axvspan(season_start, season_end, color=theme.color("highlight"), alpha=band_alpha, linewidth=0, zorder=0)
    ax.text(season_start + (season_end - season_start) / 2, 0.985,
            f"China passes US\n({flip['period']})", transform=ax.get_xaxis_transform(),
            ha="center", va="top", fontsize=9, fontweight="bold", color=theme.text)
    shade_later_data(ax, theme, right=mdates.date2num(end))

    counts = data[data["kind"] == _COUNTS]
    # Each curated set has its own marker; no line joins the sets (different models are counted).
    markers = {cov: m for cov, m in zip(counts.sort_values("date")["coverage"].unique(), ("o", "s"))}
    # Points with the same date and value (China and US in August 2025) are set side by side.
    tied = counts.duplicated(["date", "downloads_millions"], keep=False)
    dodge = {"China": -5, "US": 5, "Europe": 0}
    for i, row in counts.iterrows():
        color = theme.color(_ROLE[row["origin"]])
        dx = dodge[row["origin"]] if tied[i] else 0
        shift = mtransforms.offset_copy(ax.transData, fig=ax.figure, x=dx, units="points")
        style = marker_style(color, row["confidence"], theme, marker=markers[row["coverage"]], size=8)
        ax.plot([row["date"]], [row["downloads_millions"]], transform=shift, zorder=4, **style)

    def label(origin, when, dx, ha, dy=0):
        row = counts[(counts["origin"] == origin) & (counts["date"] == pd.Timestamp(when))].iloc[0]
        ax.annotate(_value_text(row), (row["date"], row["downloads_millions"]), xytext=(dx, dy),
                    textcoords="offset points", ha=ha, va="center", fontsize=_LABEL_SIZE,
                    fontweight="bold", color=theme.color(_ROLE[origin]))

    label("China", "2025-08-01", -12, "right")
    label("US", "2025-08-01", 12, "left")
    label("Europe", "2025-08-01", 10, "left")
    label("China", "2026-03-01", -11, "right")
    label("US", "2026-03-01", -11, "right")

    # What each point set counts, beside it.
    muted = dict(fontsize=_SMALL, color=theme.muted, va="bottom", linespacing=1.25)
    ax.annotate("\u25cb 6 providers'\n   leading models", (pd.Timestamp("2025-08-01"), 300),
                xytext=(0, 16), textcoords="offset points", ha="center", **muted)
    ax.annotate("\u25a1 \u22481.5K tracked models\n   (secondary summary)", (pd.Timestamp("2026-03-01"), 723),
                xytext=(8, -36), textcoords="offset points", ha="center", va="top",
                **{k: v for k, v in muted.items() if k != "va"})

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    def month(v, pos):  # the year under the first tick and under January
        when = mdates.num2date(v)
        return f"{when:%b}\n{when:%Y}" if pos == 0 or when.month == 1 else f"{when:%b}"

    ax.xaxis.set_major_formatter(FuncFormatter(month))
    ax.tick_params(axis="x", labelsize=_SMALL + 0.5)
    ax.set_yticks([0, 500, 1000])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: millions_short(v) if v else "0"))
    ax.set_ylabel("Cumulative downloads")


def _draw_shares(ax, data, theme):
    from matplotlib.ticker import FuncFormatter

    from pipeline.formatting import percent

    # One pair of bars per study; the FT's rounded copy of the 2025 figures is not drawn twice.
    drawn = data[data["source"] != "tass-ft-2025-11-26"].sort_values("date")
    groups = list(drawn.groupby("date", sort=True))
    y, ticks, tick_labels, tick_colors = 0.0, [], [], []
    for i, (_, group) in enumerate(groups):
        first = group.iloc[0]
        later = is_later(first["published"])
        header = _group_header(first, later)
        if i:
            y += 0.55
            ax.axhline(y - 0.62, color=theme.grid, linewidth=0.9, zorder=1)
        ax.text(0, y - 0.5, header, ha="left", va="bottom", fontsize=_SMALL, color=theme.muted,
                linespacing=1.25, zorder=3,
                bbox=dict(facecolor=theme.background, edgecolor="none", pad=1.5))
        for origin in ("China", "US"):
            row = group[group["origin"] == origin].iloc[0]
            color = theme.color(_ROLE[origin])
            solid = is_solid(row["confidence"])
            ax.barh(y, row["share"], height=0.62, color=color if solid else theme.background,
                    edgecolor=color, linewidth=1.6, hatch="////" if later else None, zorder=2)
            ax.text(row["share"] + 0.8, y, percent(row["share"]), ha="left", va="center",
                    fontsize=_LABEL_SIZE, fontweight="bold", color=color)
            ticks.append(y)
            tick_labels.append(origin)
            tick_colors.append(color)
            y += 0.8
        y += 0.35
    ax.set_yticks(ticks, tick_labels, fontsize=_LABEL_SIZE)
    for tick, color in zip(ax.get_yticklabels(), tick_colors):
        tick.set_color(color)
        tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y - 0.55, -0.95)
    ax.set_xlim(0, 50)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xticks([0, 10, 20, 30, 40, 50])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))
    ax.tick_params(axis="x", labelsize=_SMALL + 0.5, length=0)
    ax.spines["bottom"].set_visible(False)


def _group_header(row, later):
    """Which window and which study a pair of bars comes from, and how far to trust it."""
    if row["study"] == "longpre-2025-11":
        lines = ["12 months to Aug 2025: Longpre et al., all model types"]
    else:
        lines = ["Year to early 2026: Hugging Face's Spring 2026 report,", "counted differently"]
    flags = [] if is_solid(row["confidence"]) else [f"{row['confidence']} summary"]
    if later:
        flags.append("later data")
    if flags:
        lines[-1] += f" ({', '.join(flags)})"
    return "\n".join(lines)


def draw(fig, frames, theme):
    top, bottom = fig.subplots(2, 1, height_ratios=[1.25, 1])
    _draw_counts(top, frames["open_downloads_by_origin"], theme)
    panel_title(top, "Curated sets of leading open models:\ncumulative Hugging Face downloads", theme.text, size=10.5, pad=8)
    _draw_shares(bottom, frames["hub_download_share"], theme)
    panel_title(bottom, "Whole Hugging Face Hub: share of all model downloads", theme.text, size=10.5, pad=8)
    fig.supxlabel("Hollow: approximate (\u201caround\u201d) or secondary values. Hatched or grey band: "
                  "later data.", x=0.01, ha="left", fontsize=_SMALL, color=theme.muted)
