"""The big flip: Chinese vs US open-model downloads, one small panel per count, never on one axis.

The first panel is the "before": the 2023 and 2024 model families (Llama 2 against early Qwen,
Llama 3 against Qwen 2.5), as ATOM counted them. Each later panel is one count (a curated set of
leading models, or the whole Hugging Face Hub) at one time, China against the US on that count's own
scale; the panels run in order of publication and the ones published after the essay's date are
shaded. No two counts share an axis, so nothing invites reading a trend across different methods.

This module also holds the download and ChatGPT numbers the essay cites from its shortened
"Growth side by side" section (that figure was dropped; its numbers live on here). ChatGPT's users
are not drawn, so that dataset is a NUMBER_DATASET: the figure's sources and data links leave it out.
"""
import re

from charts import _common as c
from pipeline.figures.formatting import date_text, millions, millions_short, percent
from pipeline.figures.numbers import Number, RowNotFound, date_number, difference, from_row, one_row, ratio, text_number

DATASETS = ["open_model_downloads", "open_downloads_by_origin", "hub_download_share"]
NUMBER_DATASETS = ["chatgpt_weekly_users"]
SIZE = {"wide": (6.4, 6.9), "narrow": (3.6, 9.4)}
TITLE = ("Chinese open models caught up with US ones in downloads by {flip_period}, and every count "
         "since puts them ahead")
ALT = ("Five small bar charts, each comparing Chinese and US open models on one count of Hugging Face "
       "downloads, in order of publication. First, before the flip, the model families of 2023 and "
       "2024 as the ATOM Project counted them: Llama 2 had {downloads_llama2_family} downloads against "
       "{downloads_early_qwen_family} for early Qwen, and Llama 3 and Qwen 2.5 had more than "
       "{downloads_qwen25_family_over} each. Then ATOM Project, leading models of "
       "{curated_providers_2025} providers, {curated_date_2025}: about {curated_china_aug_2025} "
       "cumulative downloads each. Whole Hugging Face Hub, the year to {hub_window_end_2025}: China "
       "{hub_china_share_2025} of downloads, the US {hub_us_share_2025}. Later data, from secondary "
       "summaries: the whole Hub in the year to early 2026, counted differently, China "
       "{hub_china_share_2026} and the US {hub_us_share_2026}; ATOM's {curated_models_2026} curated "
       "models by {curated_date_2026}, China {curated_china_mar_2026} and the US {curated_us_mar_2026}.")
CAPTION = ("In the ATOM Project's counts, Meta's Llama 2 family had {downloads_llama2_family} downloads "
           "against {downloads_early_qwen_family} for early Qwen; by {flip_period}, when ATOM dates the "
           "moment Chinese open models passed US ones, its count of leading models had them level. Across the "
           "whole Hugging Face Hub, Chinese models took {hub_china_share_2025} of downloads against "
           "{hub_us_share_2025} for US ones in the year to {hub_window_end_2025}. Each panel is a "
           "different count on its own scale.")
NOTES = [
    "The first panel counts each model family's cumulative Hugging Face downloads as ATOM gave them "
    "on {flip_source_published}, without saying when they were counted; Llama 3 and Qwen 2.5 are "
    "given only as more than {downloads_qwen25_family_over} each (the bars stop there).",
    "The panels measure different things and are never put on one axis: the ATOM panels count "
    "cumulative downloads of hand-picked leading language models; the Hub panels give each "
    "country's share of all model downloads on the Hugging Face Hub (all model types) over a "
    "trailing window.",
    "The curated set changed between ATOM's two counts: the {curated_date_2025} count covers the "
    "leading models of {curated_providers_2025} providers (Meta, Google, Mistral AI, Microsoft, "
    "Alibaba Qwen, DeepSeek AI); the {curated_date_2026} count covers {curated_models_2026} curated "
    "models (the ATOM Report), seen only in a secondary summary. The rise between them mixes growth "
    "with a larger count. The {curated_date_2025} values are stated as \u201caround\u201d "
    "{curated_us_aug_2025} (approximate, drawn hollow); European models had about "
    "{curated_europe_aug_2025} (not drawn).",
    "Later data (published after November 2025, shaded): the {curated_date_2026} counts and the "
    "shares for the year to early 2026, seen only in a summary of Hugging Face's Spring 2026 report. "
    "That report counts differently from the 2025 study, so the two Hub panels are not a trend.",
    "The flip is dated only to a season. The primary sources say Chinese providers were "
    "\u201csurpassing the U.S. this summer\u201d ({flip_source_published}) and overtook them "
    "\u201cin the summer of 2025\u201d; accounts that name a month are secondary and not used here.",
    "The 2025 whole-Hub shares are from Longpre et al., \u201cEconomies of Open Intelligence\u201d, "
    "as the Financial Times reported them on {hub_ft_published}, at its rounding; a later relay of "
    "MIT Technology Review gives {hub_china_share_2025_relayed} and {hub_us_share_2025_relayed}.",
    "Hugging Face counts every request for a model's files as a download, including automated "
    "ones, so downloads show direction, not users or market share.",
]

_COUNTS = "cumulative downloads"
_FLIP = "China passes US"
_ORIGINS = ("China", "US")
_ROLE = {"China": "china", "US": "us", "Europe": "europe"}
_FT = "tass-ft-2025-11-26"            # the FT's report of Longpre et al. (before the essay's date)
_RELAY = "airesearch-news-2026-04"    # a 2026 relay of MIT Technology Review's report of it
_HF_2026 = "get-smrtr-2026"


def _count(data, origin, date):
    return one_row(data, kind=_COUNTS, origin=origin, date=date)


def _share(data, origin, source):
    return one_row(data, origin=origin, source=source)


def _coverage_count(row, pattern, text="{}", scale=1):
    """A count the row states in its coverage column ("leading models of 6 providers", "about 1.5K").

    `pattern` captures the number as written; `text` writes it back as the row words it, `scale`
    turns it into a plain count (1000 for "K"). A coverage the pattern no longer fits fails loudly.
    """
    found = re.search(pattern, str(row["coverage"]))
    if not found:
        raise RowNotFound(f"expected {pattern!r} in the coverage {row['coverage']!r}")
    value = round(float(found.group(1)) * scale, 2)
    return Number(int(value) if value.is_integer() else value, "count", str(row["source"]),
                  str(row["confidence"]), text=text.format(found.group(1)))


_THOUSANDS = r"about (\d+(?:\.\d+)?)K\b"


def _download_numbers(frames) -> dict:
    """ChatGPT's weekly users and the traceable open-model download totals (the essay's short
    "growth side by side" passage cites them; no figure draws them)."""
    users = frames["chatgpt_weekly_users"].sort_values("date")
    first, last = users.iloc[0], users.iloc[-1]
    downloads = frames["open_model_downloads"]
    totals = downloads[downloads["scope"] == "total"]
    aug25 = one_row(totals, source="interconnects-atom-2025-08-04")
    jan26 = one_row(totals, source="atom-ram-2026-01-12")
    mar26 = one_row(totals, source="besthub-2026-atom-summary")
    family = downloads[downloads["scope"] == "model family"]
    return {
        "chatgpt_first": from_row(first, "weekly_users_millions", "millions"),
        "chatgpt_first_date": date_number(first),
        "chatgpt_last": from_row(last, "weekly_users_millions", "millions"),
        "chatgpt_last_date": date_number(last),
        # OpenAI says "weekly users" and "weekly active users" for the same figure, so the terms
        # in the measure column are not compared.
        "chatgpt_multiple": ratio(last, first, "weekly_users_millions", measure=None),
        # Cumulative open-model downloads: each total counts a different set of models.
        # The row is our sum of the source's three regional counts (its note says so).
        "downloads_aug_2025": from_row(aug25, "downloads_millions", "millions",
                                       derived="our sum of the source's regional counts"),
        "downloads_aug_2025_date": date_number(aug25),
        "downloads_jan_2026": from_row(jan26, "downloads_millions", "millions"),
        "downloads_jan_2026_date": date_number(jan26),
        # "1,100+" in the source: a lower bound, written with its plus sign.
        "downloads_jan_2026_models": Number(int(jan26["models_tracked"]), "count", jan26["source"],
                                            jan26["confidence"], text=f"{int(jan26['models_tracked']):,}+"),
        "downloads_mar_2026": from_row(mar26, "downloads_millions", "millions"),
        "downloads_mar_2026_date": date_number(mar26),
        "downloads_mar_2026_models": _coverage_count(mar26, _THOUSANDS, "about {}K", 1000),
        # Stated by the (secondary) source for its own set of models, not computed by us.
        "downloads_mar_2026_yoy_multiple": from_row(mar26, "stated_yoy_multiple", "multiple"),
        # Model families (count date not stated in the source; "_over" = the source says "over").
        "downloads_llama2_family": from_row(one_row(family, subset="Llama 2"), "downloads_millions", "millions"),
        "downloads_early_qwen_family": from_row(one_row(family, subset="early Qwen (Qwen 1.5)"),
                                                "downloads_millions", "millions"),
        "downloads_llama3_family_over": from_row(one_row(family, subset="Llama 3"), "downloads_millions", "millions"),
        "downloads_qwen25_family_over": from_row(one_row(family, subset="Qwen 2.5"), "downloads_millions", "millions"),
    }


def numbers(frames):
    counts = frames["open_downloads_by_origin"]
    hub = frames["hub_download_share"]
    cn25, us25, eu25 = (_count(counts, o, "2025-08-01") for o in ("China", "US", "Europe"))
    cn26, us26 = (_count(counts, o, "2026-03-01") for o in ("China", "US"))
    flip = one_row(counts, kind=_FLIP, source="interconnects-atom-2025-08-04")
    flip_confirmed = one_row(counts, kind=_FLIP, source="atom-report-2026-04-08")
    ft_cn25, ft_us25 = (_share(hub, o, _FT) for o in _ORIGINS)
    relay_cn25, relay_us25 = (_share(hub, o, _RELAY) for o in _ORIGINS)
    hub_cn26, hub_us26 = (_share(hub, o, _HF_2026) for o in _ORIGINS)
    return {
        # Curated set of 6 providers' leading models, as of August 2025 ("around": approx).
        "curated_china_aug_2025": from_row(cn25, "downloads_millions", "millions"),
        "curated_us_aug_2025": from_row(us25, "downloads_millions", "millions"),
        "curated_europe_aug_2025": from_row(eu25, "downloads_millions", "millions"),
        "curated_date_2025": date_number(cn25),
        "curated_providers_2025": _coverage_count(cn25, r"leading models of (\d+) providers"),
        # ~1.5K curated models, by March 2026: later data, secondary.
        "curated_china_mar_2026": from_row(cn26, "downloads_millions", "millions"),
        "curated_us_mar_2026": from_row(us26, "downloads_millions", "millions"),
        "curated_gap_mar_2026": difference(cn26, us26, "downloads_millions", "millions"),
        "curated_date_2026": date_number(cn26),
        "curated_models_2026": _coverage_count(cn26, _THOUSANDS, "about {}K", 1000),
        # When the flip happened: a season, not a month.
        "flip_period": text_number(flip, flip["period"]),
        # The day of the primary source that dates the flip to "this summer".
        "flip_source_published": date_number(flip, "published", "day"),
        "flip_period_confirmed": text_number(flip_confirmed, flip_confirmed["period"]),
        # Whole Hub, 12 months to August 2025 (Longpre et al.), as the FT reported it, at its
        # rounding; the 2026 relay of MIT Technology Review's more precise figures beside it.
        "hub_china_share_2025": from_row(ft_cn25, "share", "percent"),
        "hub_us_share_2025": from_row(ft_us25, "share", "percent"),
        "hub_gap_points_2025": difference(ft_cn25, ft_us25, "share", "points"),
        "hub_window_end_2025": date_number(ft_cn25),
        "hub_ft_published": date_number(ft_cn25, "published", "day"),
        "hub_china_share_2025_relayed": from_row(relay_cn25, "share", "percent"),
        "hub_us_share_2025_relayed": from_row(relay_us25, "share", "percent"),
        # Whole Hub, year to early 2026 (HF Spring 2026 report via a summary): later, secondary.
        "hub_china_share_2026": from_row(hub_cn26, "share", "percent"),
        "hub_us_share_2026": from_row(hub_us26, "share", "percent"),
        "hub_gap_points_2026": difference(hub_cn26, hub_us26, "share", "points"),
        **_download_numbers(frames),
    }


# --- drawing ----------------------------------------------------------------------------------


_FAMILIES = [("China", "early Qwen (Qwen 1.5)", "Qwen 1.5"), ("US", "Llama 2", "Llama 2"),
             ("China", "Qwen 2.5", "Qwen 2.5"), ("US", "Llama 3", "Llama 3")]


class _Panel:
    """One count: when it was published, its header and detail lines, and its bars as (label, row)."""

    def __init__(self, published, header, detail, bars, column, kind, dataset):
        self.published, self.header, self.detail = published, header, detail
        self.bars, self.column, self.kind, self.dataset = bars, column, kind, dataset


def _panels(frames):
    """The "before" (2023-24 families), then each count in order of publication. Headers take their
    numbers from the rows."""
    counts, hub = frames["open_downloads_by_origin"], frames["hub_download_share"]
    family = frames["open_model_downloads"]
    family = family[family["scope"] == "model family"]
    rows = [(origin, name, one_row(family, subset=subset)) for origin, subset, name in _FAMILIES]
    first = rows[0][2]
    before = _Panel(first["published"], "Before: the 2023\u201324 model families",
                    "cumulative Hugging Face downloads (ATOM Project, count date not stated)",
                    [(f"{origin}: {name}", row) for origin, name, row in rows], "downloads_millions", "millions",
                    "open_model_downloads")
    panels = []
    cumulative = counts[counts["kind"] == _COUNTS]
    for date, group in cumulative.groupby("date", sort=True):
        by_origin = {o: group[group["origin"] == o].iloc[0] for o in _ORIGINS}
        first = by_origin["China"]
        coverage = str(first["coverage"]).split(" (")[0]
        who = "ATOM Project" if first["source"] == first["study"] else "ATOM, via a summary"
        panels.append(_Panel(first["published"], f"{date_text(date, 'month', short=True)}: {coverage}",
                             f"cumulative Hugging Face downloads ({who})", list(by_origin.items()),
                             "downloads_millions", "millions", "open_downloads_by_origin"))
    for source, group in hub[hub["source"].isin([_FT, _HF_2026])].groupby("source", sort=False):
        by_origin = {o: group[group["origin"] == o].iloc[0] for o in _ORIGINS}
        first = by_origin["China"]
        if source == _FT:
            header = f"Year to {date_text(first['date'], 'month', short=True)}: the whole Hugging Face Hub"
            detail = "share of all downloads (Longpre et al., as the FT reported)"
        else:
            header = "Year to early 2026: the whole Hub, counted differently"
            detail = "share of downloads (Hugging Face's report, via a summary)"
        panels.append(_Panel(first["published"], header, detail, list(by_origin.items()), "share", "percent",
                             "hub_download_share"))
    return [before] + sorted(panels, key=lambda p: p.published)


def _value_text(row, column, kind) -> str:
    about = "\u2248" if row.get("qualifier") == "about" else ""
    more = ">" if row.get("qualifier") == "more than" else ""
    return about + more + (millions_short(row[column]) if kind == "millions" else percent(row[column]))


def _table_text(row, column, kind) -> str:
    """A value as the data table writes it: in words, with "about" or "more than" as the row says."""
    qualifier = {"about": "about ", "more than": "more than "}.get(row.get("qualifier"), "")
    return qualifier + (millions(row[column]) if kind == "millions" else percent(row[column]))


def _wrapped(text: str, narrow: bool, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if narrow else text


def _draw_panel(ax, panel, theme, layout, plotted):
    narrow = layout.narrow
    later = c.is_later(panel.published)
    detail = _wrapped(panel.detail, narrow, 40)
    if later:
        ax.set_facecolor(theme.later_band)
        if narrow:  # no room beside the detail line: the later-data label goes under it
            detail += f"\n{c.LATER_LABEL}"
        else:
            c.later_label(ax, theme)
    column, kind = panel.column, panel.kind
    top = max(row[column] for _, row in panel.bars)
    for y, (label, row) in enumerate(panel.bars):
        origin = label.split(":")[0]
        color = theme.color(_ROLE[origin])
        solid = c.is_solid(row["confidence"])
        ax.barh(y, row[column], height=0.64, color=color if solid else theme.background, edgecolor=color,
                linewidth=1.8, zorder=2)
        c.direct_label(ax, row[column], y, f"{label} {_value_text(row, column, kind)}", color, theme, dx=6)
        plotted.add(panel.header, label, row, column, kind, text=_table_text(row, column, kind), dataset=panel.dataset,
                    later=later)
    ax.set_xlim(0, top * (2.05 if narrow else 1.6))  # each count on its own scale, with room for the labels
    ax.set_ylim(len(panel.bars) - 0.45, -0.45)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    header = _wrapped(panel.header, narrow, 34)
    ax.set_title(header + "\n" * (detail.count("\n") + 1), loc="left", fontsize=theme.size.label, fontweight="bold",
                 color=theme.text, pad=4, linespacing=1.3)
    ax.annotate(detail, (0, 1), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
                ha="left", va="bottom", fontsize=theme.size.annotation, color=theme.muted, linespacing=1.1)


def draw(fig, frames, theme, layout):
    panels = _panels(frames)
    plotted = c.Plotted()
    axes = fig.subplots(len(panels), 1, height_ratios=[len(p.bars) for p in panels])
    for ax, panel in zip(axes, panels):
        _draw_panel(ax, panel, theme, layout, plotted)
    return plotted
