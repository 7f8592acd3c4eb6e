"""The 2025 release flurry: open-weight LLM releases, Jan-Nov 2025, by date, size and country."""
from charts._common import is_later, marker_style
from pipeline.numbers import CONFIDENCE_ORDER, Number, from_row, one_row, weakest

DATASETS = ["open_releases_2025"]
TITLE = "{china_share} of the open-weight releases we could source for 2025 came from Chinese labs"
ALT = ("Scatter chart of {releases_total} open-weight language-model releases from January to "
       "November 2025, placed by release date and by the total parameters of the largest model "
       "in each release (log scale), coloured by the developer's country. {releases_china} of the "
       "releases are from Chinese labs, {releases_us} from US labs, {releases_europe} from European "
       "labs and {releases_us_europe} from Hugging Face (US/Europe). Releases per quarter rise from "
       "{releases_q1} in the first quarter to {releases_q3} in the third, with {releases_q4} from "
       "October to {last_release_day}. The largest, Kimi K2, Ling-1T and Kimi K2 Thinking, have about "
       "{largest_total_params} parameters; all three are Chinese.")
CAPTION = ("Each dot is one open-weight release we could source; the list is not a census of every "
           "2025 release. {releases_china} of the {releases_total} came from Chinese labs, and the "
           "pace peaked in July to September with {releases_q3} releases.")
NOTES = [
    "This is the count of releases the research notes could source, not a census: other 2025 "
    "open-weight releases exist that are not in the list, so the counts and the {china_share} "
    "share describe this list only.",
    "The height is the total parameter count of the largest model in each release (for example "
    "Llama 4 Maverick, not Scout; gpt-oss-120b, not gpt-oss-20b). Mixture-of-experts models use "
    "only a fraction of these parameters per token; the dataset keeps the active counts.",
    "Hollow dots: approximate or secondary. {releases_secondary} rows rest only on secondary sources "
    "(mirrors, wikis, news), and {releases_approx} more have a primary source but a date the notes "
    "call approximate or disputed (Nemotron Ultra, Qwen3-Coder, MiniMax-M2; MiniMax-M2 is drawn "
    "on {minimax_m2_date}, but another source lists it in early November).",
    "GLM-4.6 is given only as about {glm46_params_low}–{glm46_params_high} parameters and is "
    "drawn at {glm46_params_drawn}; Ling-1T is \u201cabout\u201d {ling_1t_params}. "
    "DeepSeek-V3.1-Terminus has no parameter count in its source and sits in the strip below the "
    "chart.",
    "Licences: {permissive_releases} of the {releases_total} releases are under Apache 2.0 or MIT as "
    "the notes give them; the rest use custom licences (Llama, Gemma, NVIDIA, Modified MIT), have "
    "conflicting sources (Hunyuan-A13B) or were not verified (LongCat-Flash, Qwen3-Next, "
    "DeepSeek-V3.1-Terminus).",
    "Some sources were written or last reviewed after November 2025 (wiki pages reviewed in 2026); "
    "every release itself is dated inside the window. DeepSeek-V3.2, released at the start of "
    "December 2025, is just outside it and is not included.",
]
SIZE = (6.4, 5.2)

DATA = "open_releases_2025"
# Display order, colour role and legend label of each country group.
COUNTRIES = [("China", "china", "China"), ("US", "us", "US"), ("Europe", "europe", "Europe"),
             ("US/Europe", "other", "US/Europe (Hugging Face)")]
# Quarter number, name, first and last day, header drawn above the chart.
QUARTERS = [(1, "Q1", "01-01", "03-31", "Jan–Mar"), (2, "Q2", "04-01", "06-30", "Apr–Jun"),
            (3, "Q3", "07-01", "09-30", "Jul–Sep"), (4, "Q4", "10-01", "12-31", "Oct–{last:%-d %b}")]
# Labelled releases: model -> (label, show the size?, dx, dy in points, horizontal alignment).
LABELS = {
    "DeepSeek-R1": ("DeepSeek-R1", True, -6, 11, "left"),
    "Llama 4": ("Llama 4", True, -4, 10, "left"),
    "Qwen3": ("Qwen3", True, 2, -12, "center"),
    "Kimi K2": ("Kimi K2", True, -7, 0, "right"),
    "GLM-4.5": ("GLM-4.5", True, 8, 0, "left"),
    "gpt-oss": ("gpt-oss", True, 0, -12, "center"),
    "Ling-1T": ("Ling-1T", False, -4, 11, "right"),
    "Kimi K2 Thinking": ("K2 Thinking", False, 4, 11, "left"),
    "OLMo 3": ("OLMo 3", True, 0, -12, "center"),
}


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
    from pipeline.formatting import millions

    # millions() writes 355 as "355 million" and 1000 as "1 billion"; parameters are stored in
    # billions, so the same digits read one step up.
    return millions(billions).replace(" billion", " trillion").replace(" million", " billion")


def _day(row, column="release_date") -> Number:
    """A row's day as words, e.g. "20 November"."""
    when = row[column]
    return Number(when.year, "year", str(row["source"]), str(row["confidence"]),
                  text=f"{when.day} {when:%B}")


def numbers(frames):
    from pipeline.formatting import count

    data = frames[DATA].sort_values("release_date")
    china = data[data["country"] == "China"]
    permissive = data[data["licence_class"] == "permissive"]
    trillion = data[data["total_params_b"] >= 1000]
    largest = _largest(data)
    glm = one_row(data, model="GLM-4.6")
    ling = one_row(data, model="Ling-1T")
    nums = {
        "releases_total": _count(data),
        "releases_china": _count(china),
        "releases_us": _count(data[data["country"] == "US"]),
        "releases_europe": _count(data[data["country"] == "Europe"]),
        "releases_us_europe": _count(data[data["country"] == "US/Europe"]),
        "china_share": Number(round(100 * len(china) / len(data), 1), "percent", _ids(data), _confidence(data)),
        "releases_deepseek": _count(data[data["organization"] == "DeepSeek"]),
        "releases_qwen": _count(data[data["organization"] == "Alibaba (Qwen)"]),
        "largest_total_params": from_row(largest, "total_params_b", "count",
                                         text=f"{count(largest['total_params_b'] / 1000)} trillion"),
        "trillion_param_releases": _count(trillion),
        "permissive_releases": _count(permissive),
        "permissive_share": Number(round(100 * len(permissive) / len(data), 1), "percent", _ids(data),
                                   _confidence(data)),
        "releases_exact": _count(data[data["confidence"] == "exact"]),
        "releases_approx": _count(data[data["confidence"] == "approx"]),
        "releases_secondary": _count(data[data["confidence"] == "secondary"]),
        # The last release listed: Q4 is counted up to it.
        "last_release_day": _day(data.iloc[-1]),
        "minimax_m2_date": _day(one_row(data, model="MiniMax-M2")),
        # A size given only as a range: its ends, and the size drawn (the low end, see _size_shown).
        "glm46_params_low": from_row(glm, "total_params_low_b", "count",
                                     text=count(glm["total_params_low_b"])),
        "glm46_params_high": from_row(glm, "total_params_high_b", "count",
                                      text=_params_words(glm["total_params_high_b"])),
        "glm46_params_drawn": Number(_size_shown(glm), "count", str(glm["source"]), str(glm["confidence"]),
                                     text=_params_words(_size_shown(glm))),
        "ling_1t_params": from_row(ling, "total_params_b", "count",
                                   text=_params_words(ling["total_params_b"])),
    }
    for q, name, *_ in QUARTERS:
        nums[f"releases_{name.lower()}"] = _count(_quarter(data, q))
    return nums


# --- drawing ----------------------------------------------------------------------------------


def _size_shown(row):
    """Total parameters drawn for a row: the stated value, else the low end of a range, else None."""
    import pandas as pd

    for column in ("total_params_b", "total_params_low_b"):
        if pd.notna(row[column]):
            return float(row[column])
    return None


def _params_text(billions: float) -> str:
    from pipeline.formatting import count

    return f"{count(billions / 1000)}T" if billions >= 1000 else f"{count(billions)}B"


def draw(fig, frames, theme):
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

    data = frames[DATA].sort_values("release_date")
    assert not any(is_later(d) for d in data["release_date"]), "later data needs a later-data band"
    colors = {key: theme.color(role) for key, role, _ in COUNTRIES}
    ax, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [14, 1], "hspace": 0.02})

    start, end = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-01")
    # Quarter boundaries and the count of releases in each quarter.
    for q, name, first, last, span in QUARTERS:
        left = pd.Timestamp(f"2025-{first}")
        if q > 1:
            for a in (ax, strip):
                a.axvline(left, color=theme.grid, linewidth=1, zorder=0)
        n = len(_quarter(data, q))
        right = min(pd.Timestamp(f"2025-{last}"), end)
        middle = left + (right - left) / 2
        span = span.format(last=data["release_date"].max())  # Q4 runs to the last release listed
        ax.text(middle, 1.01, f"{n} releases\n{span}", transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=9, color=theme.muted, linespacing=1.25)

    for _, row in data.iterrows():
        style = marker_style(colors[row["country"]], row["confidence"], theme, size=7)
        layer = 5 if row["confidence"] == "exact" else 4  # filled dots stay whole where dots touch
        size = _size_shown(row)
        if size is None:
            strip.plot([row["release_date"]], [0.5], zorder=layer, clip_on=False, **style)
            strip.annotate(f"{row['model']}", (row["release_date"], 0.5), xytext=(7, 0),
                           textcoords="offset points", va="center", fontsize=8.5, color=theme.muted)
            continue
        ax.plot([row["release_date"]], [size], zorder=layer, **style)
        if row["model"] in LABELS:
            text, show_size, dx, dy, ha = LABELS[row["model"]]
            ax.annotate(f"{text} {_params_text(size)}" if show_size else text,
                        (row["release_date"], size), xytext=(dx, dy), textcoords="offset points",
                        ha=ha, va="center", fontsize=9, color=theme.text, zorder=6)

    ax.set_yscale("log")
    ax.set_ylim(1.8, 2600)
    ax.yaxis.set_major_locator(FixedLocator([3, 10, 30, 100, 300, 1000]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _params_text(v)))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(axis="y", labelsize=9.5)
    ax.set_ylabel("Total parameters, largest model (log scale)", fontsize=9.5)
    ax.tick_params(axis="x", length=0)
    ax.spines["bottom"].set_visible(False)

    strip.set_ylim(0, 1)
    strip.set_yticks([0.5], ["size not\nstated"], fontsize=8.5, color=theme.muted)
    strip.grid(False)
    strip.set_xlim(start, end)
    strip.xaxis.set_major_locator(mdates.MonthLocator())
    strip.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    strip.tick_params(axis="x", labelsize=9.5)

    countries = [Line2D([], [], **marker_style(colors[key], "exact", theme, size=7), label=label)
                 for key, _, label in COUNTRIES]
    fig.legend(handles=countries, loc="outside upper center", ncol=len(countries), fontsize=9.5,
               handletextpad=0.2, columnspacing=1.3)
    hollow = Line2D([], [], **marker_style(theme.muted, "secondary", theme, size=7),
                    label="Hollow: approximate, or\nsecondary sources only")
    ax.legend(handles=[hollow], loc="lower left", fontsize=9, handletextpad=0.3, borderaxespad=0.4)
