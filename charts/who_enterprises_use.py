"""Who enterprises use: enterprise LLM share by vendor, Menlo Ventures editions 2023 to Dec 2025.

One line per vendor; Meta's Llama, the largest open-weight family, in the open colour. Lines joining
editions that measure differently are dotted, and each edition names its measure on the x axis.
Values known only from an anonymous compilation stay in the data, marked secondary, but are not
drawn: a source with no author and no address cannot carry a figure.
"""
from charts import _common as c
from pipeline.figures.formatting import date_text, percent
from pipeline.figures.numbers import difference, from_row, one_row, total

DATASETS = ["enterprise_vendor_share"]
SIZE = {"wide": (6.4, 4.6), "narrow": (3.6, 5.2)}
TITLE = "Anthropic overtook OpenAI as enterprises' main model vendor by mid-2025"
ALT = ("Line chart of the share of enterprise large-language-model use held by each vendor in "
       "Menlo Ventures' reports, from 2023 to December 2025. OpenAI falls from {openai_share_2023} "
       "in 2023 to {openai_share_2024} in the 2024 report, {openai_share_mid_2025} in mid-2025 and "
       "{openai_share_end_2025} in December 2025. Anthropic rises from {anthropic_share_2023} to "
       "{anthropic_share_2024}, {anthropic_share_mid_2025} and {anthropic_share_end_2025}, passing "
       "OpenAI by mid-2025. Google rises from {google_share_2023} to {google_share_end_2025}. Meta's "
       "Llama holds {meta_share_mid_2025} in mid-2025; in December 2025 Meta's Llama, Cohere, Mistral "
       "and a long tail together hold {all_others_share_end_2025}. The December 2025 report measures "
       "spend and was published after the essay's date; the mid-2025 update measures usage.")
CAPTION = ("Anthropic passed OpenAI in Menlo's mid-2025 count of production usage "
           "({anthropic_share_mid_2025} against {openai_share_mid_2025}) and led by "
           "{anthropic_lead_end_2025_points} in its December 2025 estimate of spend, when OpenAI, Anthropic "
           "and Google together held {big_three_share_end_2025}. Meta's Llama, the largest open-weight "
           "family, held {meta_share_mid_2025} of usage in mid-2025. The editions measure different "
           "things, so changes between them are not like-for-like.")
NOTES = [
    "The measure changed between editions: the mid-2025 update counts production usage, the "
    "December 2025 report estimates spend from production API usage, and the method behind the "
    "2023 and 2024 values is not stated in the sources read. Dotted lines join editions that "
    "measure differently; differences across them (OpenAI's fall of {openai_fall_points} from 2023 "
    "to December 2025, Anthropic's rise of {anthropic_rise_points}) compare different measures.",
    "The December 2025 report was published after this essay's date (later data, shaded). Google's "
    "2023 share ({google_share_2023}) appears in Menlo's text only in that report.",
    "The 2024 report's values come from Menlo's text as quoted by Simon Willison; the 2023 values "
    "are those restated in the 2024 and 2025 reports.",
    "Not drawn: Google's 2024 share and Meta's Llama in 2023, 2024 and December 2025, which only an "
    "anonymous 2026 compilation gives (its author and repository are unknown; it probably read them "
    "off Menlo's charts). They stay in the data, marked secondary. Where that compilation repeats a "
    "value from Menlo's text, the chart uses Menlo's text.",
    "December 2025: Menlo gives no separate Llama figure; it counts Llama within the remaining "
    "{all_others_share_end_2025} with Cohere, Mistral and a long tail (the grey square). Mistral, "
    "Cohere and DeepSeek ({deepseek_share_mid_2025} in mid-2025) are in the data but not drawn.",
]

# The vendors drawn as lines; colour roles from charts._style (Meta's Llama takes the open colour).
_LINES = [("Anthropic", "anthropic"), ("OpenAI", "openai"), ("Google", "google"), ("Meta (Llama)", "meta")]
_OPEN_VENDOR = "Meta (Llama)"
_EDITIONS = ["2023", "2024 report", "2025 mid-year update", "2025 report"]
_KEYS = {"2023": "2023", "2024 report": "2024", "2025 mid-year update": "mid_2025", "2025 report": "end_2025"}
# What each edition measured, in the words the x axis uses (keyed by the data's measure column).
_MEASURE_WORDS = {"not stated in the sources we could read": "not stated",
                 "share of production AI usage (not spend)": "usage",
                 "share of enterprise LLM spend estimated from production API usage": "spend"}
_DATA = "enterprise_vendor_share"
# Values from this source are not drawn, nor cited (see the module docstring).
_UNDRAWN_SOURCE = "github-llm-market-share-note-2026"


def numbers(frames):
    data = frames[_DATA]
    row = lambda vendor, edition: one_row(data, vendor=vendor, edition=edition)  # noqa: E731
    out = {}
    for vendor, key in [("OpenAI", "openai"), ("Anthropic", "anthropic"), ("Google", "google"), ("Meta (Llama)", "meta")]:
        for edition, suffix in _KEYS.items():
            r = row(vendor, edition)
            if r["source"] != _UNDRAWN_SOURCE:
                out[f"{key}_share_{suffix}"] = from_row(r, "share", "percent")
    out["deepseek_share_mid_2025"] = from_row(row("DeepSeek", "2025 mid-year update"), "share", "percent")
    out["all_others_share_end_2025"] = from_row(row("All others", "2025 report"), "share", "percent")

    # Across editions: difference() marks these as comparing different measures (approx).
    out["openai_fall_points"] = difference(row("OpenAI", "2023"), row("OpenAI", "2025 report"), "share")
    out["anthropic_rise_points"] = difference(row("Anthropic", "2025 report"), row("Anthropic", "2023"), "share")
    out["google_rise_points"] = difference(row("Google", "2025 report"), row("Google", "2023"), "share")
    # Within one edition: one measure, so as exact as the rows.
    out["anthropic_lead_mid_2025_points"] = difference(row("Anthropic", "2025 mid-year update"),
                                                       row("OpenAI", "2025 mid-year update"), "share")
    out["anthropic_lead_end_2025_points"] = difference(row("Anthropic", "2025 report"), row("OpenAI", "2025 report"), "share")
    # The three labs' combined share, summed from the rows. Menlo's text states the same 88%
    # ("Together, these three companies account for 88%").
    out["big_three_share_end_2025"] = total([row(v, "2025 report") for v in ("Anthropic", "OpenAI", "Google")],
                                            "share", why="Menlo states the same total")
    return out


def _x(row):
    """Where a row sits on the time axis: a quarter-precision date at the middle of its quarter."""
    import pandas as pd  # heavy: imported only when a figure is drawn (see charts/_common.py)

    when = row["edition_date"]
    return when + pd.Timedelta(days=45) if row["date_precision"] == "quarter" else when


def _tick(data, edition, narrow: bool) -> str:
    """An edition on the x axis: its date (the year alone when the data knows only the quarter of a
    restated value) and what it measured."""
    r = data[data["edition"] == edition].iloc[0]
    when = date_text(r["edition_date"], "year" if r["date_precision"] == "quarter" else "month", short=True)
    if narrow:  # no room for the measures under the dates: the note at the top names them
        return when.replace(" ", "\n")
    return f"{when}\n{_MEASURE_WORDS.get(r['measure'], r['measure'])}"


def _value(r) -> str:
    return c.approx_sign(r["confidence"]) + percent(r["share"])


def _point(r) -> str:
    """An edition as the data table names it."""
    when = date_text(r["edition_date"], "year" if r["date_precision"] == "quarter" else "month")
    return f"{when} ({_MEASURE_WORDS.get(r['measure'], r['measure'])})"


def draw(fig, frames, theme, layout):
    import matplotlib.dates as mdates  # heavy: imported only when a figure is drawn
    import pandas as pd

    narrow = layout.narrow
    data = frames[_DATA].copy()
    data["x"] = data.apply(_x, axis=1)
    shown = data[data["source"] != _UNDRAWN_SOURCE]
    ax = fig.subplots()
    plotted = c.Plotted(_DATA)
    x_of = {e: data.loc[data["edition"] == e, "x"].iloc[0] for e in _EDITIONS}
    right = x_of["2025 report"] + pd.Timedelta(days=330 if narrow else 250)
    ax.set_xlim(x_of["2023"] - pd.Timedelta(days=190 if narrow else 110), right)
    c.shade_later_data(ax, theme, right=right, label=not narrow)
    if narrow:
        c.later_label(ax, theme, "later data")

    drawn = shown[shown["vendor"].isin([v for v, _ in _LINES])]
    gap = (0.095 if narrow else 0.075) * max(drawn["share"])  # about one line of label type, in share points
    ends, starts = [], []
    for vendor, role in _LINES:
        color = theme.color(role)
        rows = drawn[drawn["vendor"] == vendor].sort_values("x")
        open_vendor = vendor == _OPEN_VENDOR
        c.plot_series(ax, rows["x"], rows["share"], rows["confidence"], color, theme, measures=rows["measure"],
                      linewidth=3.0 if open_vendor else 2.2, size=8 if open_vendor else 7, zorder=4 if open_vendor else 3)
        for _, r in rows.iterrows():
            plotted.add(_NAMES.get(vendor, vendor), _point(r), r, "share", "percent")
        if len(rows) == 1:  # Meta's Llama: one edition of Menlo's own text, labelled under its point
            r = rows.iloc[0]
            c.direct_label(ax, r["x"], r["share"], f"Meta's Llama {_value(r)}\n(open-weight)", color, theme,
                           dx=10 if narrow else -9, dy=-10 if narrow else -3, ha="right", va="top",
                           linespacing=1.05, multialignment="right")
            continue
        ends.append((rows.iloc[-1], vendor, color))
        starts.append((rows.iloc[0], color))
        if vendor in ("Anthropic", "OpenAI"):
            # The two leaders' middle values, where Anthropic passes OpenAI: the upper line's label
            # above its point, the lower line's below.
            for edition, upper in (("2024 report", "OpenAI"), ("2025 mid-year update", "Anthropic")):
                r = rows[rows["edition"] == edition].iloc[0]
                up = vendor == upper
                c.direct_label(ax, r["x"], r["share"], _value(r), color, theme, dx=0, dy=9 if up else -9,
                               ha="center", va="bottom" if up else "top", size="annotation", bold=False)

    # December 2025: everyone else as one bucket (Menlo gives no split); it contains Llama.
    rest = one_row(data, vendor="All others", edition="2025 report")
    ax.plot([rest["x"]], [rest["share"]], zorder=4, **c.marker_style(theme.muted, rest["confidence"], theme, marker="s"))
    plotted.add("All others (incl. Meta's Llama, Cohere, Mistral)", _point(rest), rest, "share", "percent")
    ends.append((rest, "All others", theme.muted))

    # End labels at the right, spread so none overlap; start values at the left.
    for (r, name, color), y in zip(ends, c.spread([r["share"] for r, _, _ in ends], gap)):
        text = f"{name} {_value(r)}"
        if name == "All others":
            text = f"All others {_value(r)}\n(incl. Llama)"
        ax.annotate(text, (r["x"], r["share"]), xytext=(r["x"] + pd.Timedelta(days=18), y), textcoords="data",
                    ha="left", va="center", fontsize=theme.size.label if name != "All others" else theme.size.small,
                    color=color, fontweight="bold" if name != "All others" else "normal", linespacing=1.05)
    for (r, color), y in zip(starts, c.spread([r["share"] for r, _ in starts], gap)):
        ax.annotate(_value(r), (r["x"], r["share"]), xytext=(r["x"] - pd.Timedelta(days=22), y), textcoords="data",
                    ha="right", va="center", fontsize=theme.size.label, color=color, fontweight="bold")

    ax.set_xticks([mdates.date2num(x_of[e]) for e in _EDITIONS], [_tick(data, e, narrow) for e in _EDITIONS])
    # The last two editions are four months apart: their labels lean away from each other.
    lean = {"2025 mid-year update": "right", "2025 report": "left", **({"2024 report": "right"} if narrow else {})}
    for label, e in zip(ax.get_xticklabels(), _EDITIONS):
        label.set_color(theme.text if e == "2025 report" else theme.muted)
        if e in lean:
            label.set_horizontalalignment(lean[e])
            label.set_multialignment(lean[e])
    ax.tick_params(axis="x", length=0, pad=5)
    c.percent_axis(ax, data["share"], step=10)
    if narrow:  # room above the lines for the note that names the measures; the title names the axis
        ax.set_ylim(0, ax.get_ylim()[1] + 10)
    else:
        ax.set_ylabel("Share of enterprise LLM use")
    ax.spines["bottom"].set_color(theme.grid)
    # What the dotted lines mean, once, beside the first dotted stretch (on a phone, at the top left).
    if narrow:
        # Which edition measured what, in the words and dates of the x axis of the wide layout.
        said: dict[str, list[str]] = {}
        for e in _EDITIONS:
            tick = _tick(data, e, narrow=False).split("\n")
            said.setdefault(tick[1], []).append(tick[0])
        lines = [f"{words}: {', '.join(when)}" for words, when in said.items()] + ["dotted: measure changed"]
        note = ax.annotate("\n".join(lines), (0, 1), xycoords="axes fraction", xytext=(4, -2),
                           textcoords="offset points", ha="left", va="top", fontsize=theme.size.annotation,
                           color=theme.muted, linespacing=1.15)
    else:
        mid = x_of["2024 report"] + (x_of["2025 mid-year update"] - x_of["2024 report"]) / 2
        note = ax.annotate("dotted: the measure\nchanged", (mid, ax.get_ylim()[1]), xytext=(0, -4),
                           textcoords="offset points", ha="center", va="top", fontsize=theme.size.annotation,
                           color=theme.muted, linespacing=1.15)
    c.keep_clear(note)
    return plotted


_NAMES = {"Meta (Llama)": "Meta's Llama (open-weight)"}
