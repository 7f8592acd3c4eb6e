"""The 2025 release flurry: open-weight LLM releases, Jan-20 Nov 2025, counted by quarter and origin.

A unit chart: one square per release, stacked by quarter with Chinese releases at the bottom, so
both the count ("21 of 34") and the pace are read off the squares.
"""
import math

from charts import _common as c
from pipeline.figures.formatting import count, date_text, millions
from pipeline.figures.numbers import CONFIDENCE_ORDER, Number, date_number, from_row, one_row, share_of_count, weakest

DATASETS = ["open_releases_2025"]
TITLE = "Chinese labs made {releases_china} of the {releases_total} open-weight releases we tracked in 2025"
ALT = ("Unit chart of {releases_total} open-weight language-model releases from January to "
       "{last_release_day} 2025, one square per release, stacked by quarter and coloured by the "
       "developer's country. {releases_china} of the releases are from Chinese labs, {releases_us} "
       "from US labs, {releases_europe} from European labs and {releases_us_europe} from Hugging Face "
       "(US/Europe). Releases per quarter rise from {releases_q1} in the first quarter "
       "({releases_china_q1} Chinese) to {releases_q3} in the third ({releases_china_q3} Chinese), with "
       "{releases_q4} from October to {last_release_day}.")
CAPTION = ("Each square is one open-weight release in our list, which is not a census of every 2025 "
           "release. {releases_china} of the {releases_total} came from Chinese labs, and the pace "
           "peaked in July to September with {releases_q3} releases, {releases_china_q3} of them Chinese.")
NOTES = [
    "The list holds the releases the research notes could source, not every open-weight release of "
    "2025, so the counts describe this list only.",
    "Hollow squares: approximate or secondary. {releases_secondary} rows rest only on secondary "
    "sources (mirrors, wikis, news), and {releases_approx} more have a primary source but a date the "
    "notes call approximate or disputed (Nemotron Ultra, Qwen3-Coder, MiniMax-M2; MiniMax-M2 is "
    "counted on {minimax_m2_date}, but another source lists it in early November; both fall in the "
    "same quarter).",
    "Licences: {permissive_releases} of the {releases_total} releases are under Apache 2.0 or MIT as "
    "the notes give them; the rest use custom licences (Llama, Gemma, NVIDIA, Modified MIT), have "
    "conflicting sources (Hunyuan-A13B) or were not verified (LongCat-Flash, Qwen3-Next, "
    "DeepSeek-V3.1-Terminus).",
    "Sizes are not drawn. The largest releases (Kimi K2, Ling-1T, Kimi K2 Thinking) have about "
    "{largest_total_params} parameters; GLM-4.6 is given only as about "
    "{glm46_params_low}\u2013{glm46_params_high} parameters and Ling-1T as \u201cabout\u201d "
    "{ling_1t_params}.",
    "Some sources were written or last reviewed after November 2025 (wiki pages reviewed in 2026); "
    "every release itself is dated inside the window. DeepSeek-V3.2, released at the start of "
    "December 2025, is just outside it and is not included.",
]
SIZE = {"wide": (6.4, 3.3), "narrow": (3.6, 3.0)}

_DATA = "open_releases_2025"
# Stacking order (bottom up), colour role and key label of each country group.
_COUNTRIES = [("China", "china", "China"), ("US", "us", "US"), ("Europe", "europe", "Europe"),
             ("US/Europe", "other", "Hugging Face (US/Europe)")]
# Quarter number and name.
_QUARTERS = [(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]
_PER_ROW = 3      # squares side by side in a quarter's column
_COLUMN_GAP = 1.6  # between quarters, in squares


# --- numbers ----------------------------------------------------------------------------------


def _ids(rows) -> str:
    """The main source ids of the rows, once each, in order of first use."""
    return "; ".join(dict.fromkeys(str(s) for s in rows["source"]))


def _confidence(rows) -> str:
    return weakest(*(str(c) for c in rows["confidence"]))


def _count(rows) -> Number:
    return Number(len(rows), "count", _ids(rows), _confidence(rows))


def _quarter(frame, q: int):
    return frame[frame["release_date"].dt.quarter == q]


def _largest(data):
    """The row with the most total parameters; among ties, one with the strongest confidence."""
    top = data[data["total_params_b"] == data["total_params_b"].max()]
    return top.sort_values("confidence", key=lambda c: c.map(CONFIDENCE_ORDER.index), kind="stable").iloc[0]


def _params_words(billions: float) -> str:
    """Total parameters in words: 355 -> "355 billion", 1000 -> "1 trillion"."""
    # millions() writes 355 as "355 million" and 1000 as "1 billion"; parameters are stored in
    # billions, so the same digits read one step up.
    return millions(billions).replace(" billion", " trillion").replace(" million", " billion")


def numbers(frames):
    data = frames[_DATA].sort_values("release_date")
    china = data[data["country"] == "China"]
    permissive = data[data["licence_class"] == "permissive"]
    trillion = data[data["total_params_b"] >= 1000]
    largest = _largest(data)
    glm = one_row(data, model="GLM-4.6")
    ling = one_row(data, model="Ling-1T")
    not_census = "of a list that is not a census"
    nums = {
        "releases_total": _count(data),
        "releases_china": _count(china),
        "releases_us": _count(data[data["country"] == "US"]),
        "releases_europe": _count(data[data["country"] == "Europe"]),
        "releases_us_europe": _count(data[data["country"] == "US/Europe"]),
        # Whole percent: a share of a hand-made list should not look more precise than "21 of 34".
        "china_share": share_of_count(len(china), len(data), _ids(data), _confidence(data), why=not_census),
        "releases_deepseek": _count(data[data["organization"] == "DeepSeek"]),
        "releases_qwen": _count(data[data["organization"] == "Alibaba (Qwen)"]),
        "largest_total_params": from_row(largest, "total_params_b", "count",
                                         text=f"{count(largest['total_params_b'] / 1000)} trillion"),
        "trillion_param_releases": _count(trillion),
        "permissive_releases": _count(permissive),
        "permissive_share": share_of_count(len(permissive), len(data), _ids(data), _confidence(data),
                                           why=not_census),
        "releases_exact": _count(data[data["confidence"] == "exact"]),
        "releases_approx": _count(data[data["confidence"] == "approx"]),
        "releases_secondary": _count(data[data["confidence"] == "secondary"]),
        # The last release listed: Q4 is counted up to it.
        "last_release_day": date_number(data.iloc[-1], "release_date", "day-month"),
        "minimax_m2_date": date_number(one_row(data, model="MiniMax-M2"), "release_date", "day-month"),
        # A size given only as a range: its ends.
        "glm46_params_low": from_row(glm, "total_params_low_b", "count", text=count(glm["total_params_low_b"])),
        "glm46_params_high": from_row(glm, "total_params_high_b", "count",
                                      text=_params_words(glm["total_params_high_b"])),
        "ling_1t_params": from_row(ling, "total_params_b", "count", text=_params_words(ling["total_params_b"])),
    }
    for q, name in _QUARTERS:
        nums[f"releases_{name.lower()}"] = _count(_quarter(data, q))
        nums[f"releases_china_{name.lower()}"] = _count(_quarter(china, q))
    return nums


# --- drawing ----------------------------------------------------------------------------------


def _span(q: int, last, short: bool = True) -> str:
    """A quarter's months, e.g. "Jan–Mar"; the last quarter runs to the last release listed."""
    import pandas as pd  # heavy: imported only when a figure is drawn (see charts/_common.py)

    first = pd.Timestamp(year=last.year, month=3 * q - 2, day=1)
    end = pd.Timestamp(year=last.year, month=3 * q, day=1)
    if end.to_period("M") >= last.to_period("M"):
        return f"{date_text(first, 'month-only', short=short)}\u2013{date_text(last, 'day-month', short=short)}"
    return f"{date_text(first, 'month-only', short=short)}\u2013{date_text(end, 'month-only', short=short)}"


def draw(fig, frames, theme, layout):
    from matplotlib.lines import Line2D  # heavy: imported only when a figure is drawn
    from matplotlib.patches import Rectangle

    data = frames[_DATA].sort_values("release_date")
    assert not any(c.is_later(d) for d in data["release_date"]), "later data needs a later-data band"
    order = {key: i for i, (key, _, _) in enumerate(_COUNTRIES)}
    colors = {key: theme.color(role) for key, role, _ in _COUNTRIES}
    ax = fig.subplots()
    plotted = c.Plotted(_DATA)
    last = data["release_date"].max()
    tallest = max(math.ceil(len(_quarter(data, q)) / _PER_ROW) for q, _ in _QUARTERS)
    labels = dict((key, label) for key, _, label in _COUNTRIES)

    for i, (q, _) in enumerate(_QUARTERS):
        rows = _quarter(data, q).copy()
        # Chinese releases at the bottom; within a country the exact ones first.
        rows["_order"] = rows["country"].map(order) * 10 + rows["confidence"].map(CONFIDENCE_ORDER.index)
        rows = rows.sort_values(["_order", "release_date"], kind="stable")
        left = i * (_PER_ROW + _COLUMN_GAP)
        for k, (_, row) in enumerate(rows.iterrows()):
            color = colors[row["country"]]
            solid = c.is_solid(row["confidence"])
            ax.add_patch(Rectangle((left + k % _PER_ROW + 0.09, k // _PER_ROW + 0.09), 0.82, 0.82,
                                   facecolor=color if solid else theme.background, edgecolor=color,
                                   linewidth=1.6, zorder=3))
        # The table: each quarter's squares by country and fill, with the releases they stand for.
        for (_, confidence), group in rows.groupby(["_order", "confidence"], sort=False):
            country = group["country"].iloc[0]
            fill = "" if c.is_solid(confidence) else (", approximate" if confidence == "approx" else ", secondary")
            plotted.add(f"{_span(q, last, short=False)} 2025", f"{labels[country]}{fill}: {', '.join(group['model'])}",
                        value=len(group), unit="count", confidence=confidence, source=_ids(group))
        middle = left + _PER_ROW / 2
        china = (rows["country"] == "China").sum()
        top = tallest + 0.2
        ax.annotate(f"{len(rows)} releases\n{china} Chinese", (middle, top), ha="center", va="bottom",
                    fontsize=theme.size.annotation if layout.narrow else theme.size.label, color=theme.text,
                    fontweight="bold", linespacing=1.2)
        ax.annotate(_span(q, last), (middle, 0), xytext=(0, -5), textcoords="offset points", ha="center", va="top",
                    fontsize=theme.size.annotation, color=theme.muted)

    width = len(_QUARTERS) * _PER_ROW + (len(_QUARTERS) - 1) * _COLUMN_GAP
    ax.set_xlim(-0.2, width + 0.2)
    ax.set_ylim(0, tallest + 1.5)
    ax.set_aspect("equal", adjustable="box")
    ax.axis("off")

    totals = data["country"].value_counts()
    keys = [Line2D([], [], linestyle="none", marker="s", markersize=9, color=colors[key],
                   label=f"{label} {totals.get(key, 0)}") for key, _, label in _COUNTRIES]
    keys.append(Line2D([], [], linestyle="none", marker="s", markersize=9, markerfacecolor=theme.background,
                       markeredgecolor=theme.muted, markeredgewidth=1.6,
                       label="hollow: approx. or secondary" if layout.narrow else "hollow: approx.\nor secondary"))
    if layout.narrow:  # two columns: the countries, then what a hollow square means on its own line
        fig.legend(handles=keys[:-1], loc="outside upper left", ncol=2, fontsize=theme.size.annotation,
                   handletextpad=0.2, columnspacing=1.0, labelcolor=theme.text)
        fig.legend(handles=keys[-1:], loc="outside lower left", fontsize=theme.size.annotation,
                   handletextpad=0.2, labelcolor=theme.text)
    else:
        fig.legend(handles=keys, loc="outside upper left", ncol=len(keys), fontsize=theme.size.annotation,
                   handletextpad=0.2, columnspacing=1.0, labelcolor=theme.text)
    return plotted
