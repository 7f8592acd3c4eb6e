"""Growth side by side: ChatGPT weekly users and open-model downloads, on one time axis.

Two aligned panels, not an indexed chart: the download points each count a different set of
models (6 providers' leading models, 1,100+ tracked LLMs, about 1.5K curated models), so they
cannot be indexed to a common first point, and the only like-for-like download growth figure
(six-fold in the year to March 2026) is secondary, later data and over a window ChatGPT's points
do not cover. The panels share the time axis and nothing else.
"""
from charts._common import is_solid, label_end, marker_style, panel_title, plot_series, shade_later_data, year_axis
from charts._style import HOLLOW_NOTE
from pipeline.numbers import Number, from_row, one_row, weakest

DATASETS = ["chatgpt_weekly_users", "open_model_downloads"]
SIZE = (6.4, 5.6)
TITLE = ("ChatGPT's weekly users grew {chatgpt_multiple} in two years; traceable counts of open-model "
         "downloads begin only in {downloads_aug_2025_date}")
ALT = ("Two aligned panels on one time axis, 2023 to 2026. Top, a line chart of ChatGPT weekly "
       "users as stated by OpenAI, from {chatgpt_first} in {chatgpt_first_date} to {chatgpt_last} in "
       "{chatgpt_last_date}. Bottom, three unconnected points of cumulative open-model downloads on "
       "Hugging Face counted by the ATOM Project, each over a different set of models: about "
       "{downloads_aug_2025} for the leading models of six providers in {downloads_aug_2025_date}, "
       "about {downloads_jan_2026} for {downloads_jan_2026_models} tracked models in "
       "{downloads_jan_2026_date}, and {downloads_mar_2026} in {downloads_mar_2026_date} from a "
       "secondary summary. The 2026 points are later data. No total download count was traced "
       "before August 2025, so the two growth paths cannot be compared over the same years.")
CAPTION = ("The panels share a time axis, not a measure: each download point counts a different set "
           "of models, so the points are not joined and no download growth rate over ChatGPT's two "
           "years can be computed. The one like-for-like download figure, a "
           "{downloads_mar_2026_yoy_multiple} rise in the year to March 2026 across ATOM's curated models, "
           "comes from a secondary summary of later data.")
NOTES = [
    "Download coverage: August 2025 is our sum of the ATOM Project's rounded regional figures for "
    "the leading models of six providers (Meta, Google, Mistral AI, Microsoft, Alibaba Qwen, "
    "DeepSeek); January 2026 covers the {downloads_jan_2026_models} LLMs ATOM tracked; March 2026 "
    "covers {downloads_mar_2026_models} curated models and is reported only in a secondary "
    "summary of the ATOM Report.",
    "Cumulative downloads only ever rise, and Hugging Face counts every request for a model's files "
    "(automated tests and repeated clones included), while weekly users is a rate: downloads show a "
    "direction of adoption, not a number of users, and the two would not grow comparably even over "
    "the same window.",
    "The original essay's \u201cunder 50M at the start of 2024 to over 1B by October 2025\u201d could "
    "not be traced to a source; the figure uses the traceable ATOM points instead. ATOM's "
    "model-family counts (Llama 2 {downloads_llama2_family} vs early Qwen "
    "{downloads_early_qwen_family}; Llama 3 and Qwen 2.5 over {downloads_llama3_family_over} each) "
    "are not drawn, because the source does not say when they were counted.",
    "Points published after November 2025 are later data (shaded). ChatGPT figures are "
    "company-reported; OpenAI's own pages were not in the archive for most points. Triangles mark "
    "values stated as \u201cmore than\u201d.",
    HOLLOW_NOTE,
]


def _first_last(frame):
    ordered = frame.sort_values("date")
    return ordered.iloc[0], ordered.iloc[-1]


def _month_year(row) -> str:
    return f"{row['date']:%B %Y}"


def _date_number(row) -> Number:
    return Number(row["date"].year, "year", row["source"], row["confidence"], text=_month_year(row))


def _coverage_thousands(row) -> Number:
    """The model count a row's coverage states as "about 1.5K ...": 1500, written "about 1.5K"."""
    import re

    found = re.search(r"about (\d+(?:\.\d+)?)K\b", str(row["coverage"]))
    if not found:
        raise LookupError(f"expected \"about <n>K\" in the coverage {row['coverage']!r}")
    value = round(float(found.group(1)) * 1000)
    return Number(value, "count", str(row["source"]), str(row["confidence"]),
                  text=f"about {found.group(1)}K")


def _totals(frame):
    return frame[frame["scope"] == "total"].sort_values("date")


def numbers(frames):
    users = frames["chatgpt_weekly_users"]
    first, last = _first_last(users)
    both = f"{first['source']}; {last['source']}"
    downloads = frames["open_model_downloads"]
    totals = _totals(downloads)
    aug25 = one_row(totals, source="interconnects-atom-2025-08-04")
    jan26 = one_row(totals, source="atom-ram-2026-01-12")
    mar26 = one_row(totals, source="besthub-2026-atom-summary")
    family = downloads[downloads["scope"] == "model family"]
    llama2 = one_row(family, subset="Llama 2")
    early_qwen = one_row(family, subset="early Qwen (Qwen 1.5)")
    llama3 = one_row(family, subset="Llama 3")
    qwen25 = one_row(family, subset="Qwen 2.5")
    return {
        # ChatGPT (names the essay already cites)
        "chatgpt_first": from_row(first, "weekly_users_millions", "millions"),
        "chatgpt_first_date": _date_number(first),
        "chatgpt_last": from_row(last, "weekly_users_millions", "millions"),
        "chatgpt_last_date": _date_number(last),
        "chatgpt_multiple": Number(last["weekly_users_millions"].item() / first["weekly_users_millions"].item(),
                                   "multiple", both, weakest(first["confidence"], last["confidence"])),
        # Cumulative open-model downloads: each total counts a different set of models.
        "downloads_aug_2025": from_row(aug25, "downloads_millions", "millions"),
        "downloads_aug_2025_date": _date_number(aug25),
        "downloads_jan_2026": from_row(jan26, "downloads_millions", "millions"),
        "downloads_jan_2026_date": _date_number(jan26),
        # "1,100+" in the source: a lower bound, written with its plus sign.
        "downloads_jan_2026_models": Number(int(jan26["models_tracked"]), "count", jan26["source"],
                                            jan26["confidence"], text=f"{int(jan26['models_tracked']):,}+"),
        "downloads_mar_2026": from_row(mar26, "downloads_millions", "millions"),
        "downloads_mar_2026_date": _date_number(mar26),
        # "about 1.5K curated mainline language models" in the row's coverage: written as the row has it.
        "downloads_mar_2026_models": _coverage_thousands(mar26),
        # Stated by the (secondary) source for its own set of models, not computed by us.
        "downloads_mar_2026_yoy_multiple": from_row(mar26, "stated_yoy_multiple", "multiple"),
        # Model families (count date not stated in the source; "_over" = the source says "over").
        "downloads_llama2_family": from_row(llama2, "downloads_millions", "millions"),
        "downloads_early_qwen_family": from_row(early_qwen, "downloads_millions", "millions"),
        "downloads_llama3_family_over": from_row(llama3, "downloads_millions", "millions"),
        "downloads_qwen25_family_over": from_row(qwen25, "downloads_millions", "millions"),
    }


# Where each download label sits: the offset (in points) of the label block from its point, whether
# the block stands above or hangs below that offset, and the short coverage line under the value.
# Keyed by source id, so a new row fails loudly here instead of being drawn unlabelled.
_DOWNLOAD_LABELS = {
    "interconnects-atom-2025-08-04": dict(dx=-12, dy=0, above=None, coverage="6 providers' leading models"),
    "atom-ram-2026-01-12": dict(dx=-34, dy=-30, above=False, coverage="{models} tracked LLMs"),
    "besthub-2026-atom-summary": dict(dx=-60, dy=24, above=True, coverage="~1.5K curated models; {multiple} in a year"),
}
_QUALIFIER_SIGN = {"about": "\u2248", "more than": ">", "equal": ""}
_LINE = 13  # points between the value line and the coverage line


def draw(fig, frames, theme):
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    from pipeline.formatting import count, millions_short, multiple

    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1])
    left, right = pd.Timestamp("2023-09-01"), pd.Timestamp("2026-06-01")
    short = FuncFormatter(lambda v, _: "0" if v == 0 else millions_short(v))

    # --- top: ChatGPT weekly users ---------------------------------------------------------------
    users = frames["chatgpt_weekly_users"].sort_values("date")
    closed = theme.color("closed")
    plot_series(top, users["date"], users["weekly_users_millions"], users["confidence"], closed, theme)
    at_least = users[users["qualifier"] == "more than"]
    top.plot(at_least["date"], at_least["weekly_users_millions"], marker="^", markersize=9, linestyle="none",
             color=closed, markeredgecolor=theme.background, zorder=5)
    first, last = _first_last(users)
    label_end(top, first["date"], first["weekly_users_millions"], millions_short(first["weekly_users_millions"]),
              closed, dx=-8, dy=10, ha="right")
    label_end(top, last["date"], last["weekly_users_millions"], millions_short(last["weekly_users_millions"]),
              closed, dx=-8, dy=10, ha="right")
    top.set_ylim(0, 1000)
    top.yaxis.set_major_locator(MultipleLocator(250))
    top.yaxis.set_major_formatter(short)
    top.set_ylabel("Weekly users")
    panel_title(top, "ChatGPT weekly users, as stated by OpenAI", closed)

    # --- bottom: cumulative open-model downloads, one unjoined point per coverage -----------------
    downloads = _totals(frames["open_model_downloads"])
    open_c = theme.color("open")
    for _, row in downloads.iterrows():
        style = _DOWNLOAD_LABELS[row["source"]]
        bottom.plot([row["date"]], [row["downloads_millions"]], zorder=4,
                    **marker_style(open_c, row["confidence"], theme, size=8))
        value = _QUALIFIER_SIGN[row["qualifier"]] + millions_short(row["downloads_millions"])
        if not is_solid(row["confidence"]):
            value += f" ({row['confidence']})"
        detail = style["coverage"].format(
            models=f"{count(row['models_tracked'])}+" if pd.notna(row["models_tracked"]) else "",
            multiple=multiple(row["stated_yoy_multiple"]) if pd.notna(row["stated_yoy_multiple"]) else "")
        _label_block(bottom, row["date"], row["downloads_millions"], value, detail, style, open_c, theme)
    earliest = downloads.iloc[0]
    bottom.text(pd.Timestamp("2024-05-01"), 1500,
                f"No total download count traced\nbefore {earliest['date']:%B %Y}",
                ha="center", va="center", fontsize=9, fontstyle="italic", color=theme.muted)
    bottom.set_ylim(0, 3000)
    bottom.yaxis.set_major_locator(MultipleLocator(1000))
    bottom.yaxis.set_major_formatter(short)
    bottom.set_ylabel("Cumulative downloads")
    panel_title(bottom, "Open-model downloads on Hugging Face, ATOM Project counts", open_c)

    # --- shared time axis and the later-data band ------------------------------------------------
    year_axis(bottom)
    for ax in (top, bottom):
        ax.set_xlim(left, right)
    edge = mdates.date2num(right)
    shade_later_data(top, theme, right=edge)
    before = len(bottom.texts)
    shade_later_data(bottom, theme, right=edge)
    for text in bottom.texts[before:]:  # one "later data" label (on the top panel) is enough
        text.remove()


def _label_block(ax, x, y, value: str, detail: str, style: dict, color: str, theme) -> None:
    """A two-line direct label: the value in bold, the coverage in muted type under it. Blocks set
    away from their point (above or below) get a thin leader line to it."""
    dx, dy, above = style["dx"], style["dy"], style["above"]
    if above is None:         # beside the point: value centred on it, coverage under
        value_dy, detail_dy, va = dy, dy - _LINE, "center"
    elif above:               # block stands on the offset: coverage at the bottom, value on top
        value_dy, detail_dy, va = dy + _LINE, dy, "bottom"
    else:                     # block hangs from the offset: value at the top, coverage under
        value_dy, detail_dy, va = dy, dy - _LINE, "top"
    leader = None if above is None else dict(arrowstyle="-", color=theme.muted, linewidth=0.7,
                                             shrinkA=2, shrinkB=6)
    ax.annotate(value, (x, y), xytext=(dx, value_dy), textcoords="offset points", ha="right", va=va, color=color, fontsize=10, fontweight="bold", zorder=5,
                arrowprops=leader if above is False else None)
    ax.annotate(detail, (x, y), xytext=(dx, detail_dy), textcoords="offset points", ha="right", va=va,
                color=theme.muted, fontsize=8.5, zorder=5, arrowprops=leader if above else None)

