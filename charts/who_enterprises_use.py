"""Who enterprises use: enterprise LLM share by vendor, Menlo Ventures editions 2023 to Dec 2025."""
from charts._common import is_later, is_solid, marker_style, plot_series, shade_later_data
from pipeline.numbers import Number, difference, from_row, one_row, weakest

DATASETS = ["enterprise_vendor_share"]
SIZE = (6.4, 4.6)
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
CAPTION = ("OpenAI's share of enterprise LLM use fell {openai_fall_points} between 2023 and December "
           "2025 while Anthropic's rose {anthropic_rise_points}; by the end, OpenAI, Anthropic and "
           "Google together held {big_three_share_end_2025}.")
NOTES = [
    "The measure changed between editions: the mid-2025 update counts production usage, the "
    "December 2025 report estimates spend from production API usage, and the method behind the "
    "2023 and 2024 values was not in the sources we could read.",
    "The December 2025 report was published after this essay's date (later data). Google's 2023 "
    "share ({google_share_2023}) appears in Menlo's text only in that report.",
    "The 2024 report's values come from Menlo's text as quoted by Simon Willison; the 2023 values "
    "are those restated in the 2024 and 2025 reports.",
    "Hollow markers and dashed lines: approximate values (Google 2024; Meta's Llama in 2023, 2024 "
    "and December 2025) found only in an anonymous 2026 compilation, probably read off Menlo's "
    "charts. Where it repeats a value from Menlo's text, the chart uses Menlo's text.",
    "December 2025: Menlo gives no separate Llama figure; it counts Llama within the remaining "
    "{all_others_share_end_2025} with Cohere, Mistral and a long tail, so the approximate Llama "
    "value is part of that {all_others_share_end_2025}, not added to it. Mistral, Cohere and "
    "DeepSeek ({deepseek_share_mid_2025} in mid-2025) are in the data but not drawn.",
]

# The vendors drawn as lines, top to bottom at the end; colour roles from charts._style.
LINES = [("Anthropic", "anthropic"), ("OpenAI", "openai"), ("Google", "google"), ("Meta (Llama)", "meta")]
EDITIONS = ["2023", "2024 report", "2025 mid-year update", "2025 report"]
KEYS = {"2023": "2023", "2024 report": "2024", "2025 mid-year update": "mid_2025", "2025 report": "end_2025"}




def numbers(frames):
    data = frames["enterprise_vendor_share"]
    row = lambda vendor, edition: one_row(data, vendor=vendor, edition=edition)  # noqa: E731
    out = {}
    for vendor, key in [("OpenAI", "openai"), ("Anthropic", "anthropic"), ("Google", "google")]:
        for edition, suffix in KEYS.items():
            out[f"{key}_share_{suffix}"] = from_row(row(vendor, edition), "share", "percent")
    for edition, suffix in KEYS.items():
        out[f"meta_share_{suffix}"] = from_row(row("Meta (Llama)", edition), "share", "percent")
    out["deepseek_share_mid_2025"] = from_row(row("DeepSeek", "2025 mid-year update"), "share", "percent")
    out["all_others_share_end_2025"] = from_row(row("All others", "2025 report"), "share", "percent")

    out["openai_fall_points"] = difference(row("OpenAI", "2023"), row("OpenAI", "2025 report"), "share")
    out["anthropic_rise_points"] = difference(row("Anthropic", "2025 report"), row("Anthropic", "2023"), "share")
    out["google_rise_points"] = difference(row("Google", "2025 report"), row("Google", "2023"), "share")
    out["anthropic_lead_mid_2025_points"] = difference(row("Anthropic", "2025 mid-year update"),
                                                 row("OpenAI", "2025 mid-year update"), "share")
    out["anthropic_lead_end_2025_points"] = difference(row("Anthropic", "2025 report"), row("OpenAI", "2025 report"), "share")
    # The three labs' combined share, summed from the rows. Menlo's text states the same 88%
    # ("Together, these three companies account for 88%"), so the sum is exact, not a derived estimate.
    three = [row(v, "2025 report") for v in ("Anthropic", "OpenAI", "Google")]
    out["big_three_share_end_2025"] = Number(
        sum(r["share"].item() for r in three), "percent", "; ".join(dict.fromkeys(str(r["source"]) for r in three)),
        weakest(*(str(r["confidence"]) for r in three)))
    return out


def _x(row):
    """Where a row sits on the time axis: a quarter-precision date at the middle of its quarter."""
    import pandas as pd

    when = row["edition_date"]
    return when + pd.Timedelta(days=45) if row["date_precision"] == "quarter" else when


def draw(fig, frames, theme):
    import matplotlib.dates as mdates
    import matplotlib.transforms as mtransforms
    import pandas as pd
    from matplotlib.ticker import FuncFormatter

    from pipeline.formatting import percent

    data = frames["enterprise_vendor_share"].copy()
    data["x"] = data.apply(_x, axis=1)
    ax = fig.subplots()

    x_of = {e: data.loc[data["edition"] == e, "x"].iloc[0] for e in EDITIONS}
    right = x_of["2025 report"] + pd.Timedelta(days=230)
    ax.set_xlim(x_of["2023"] - pd.Timedelta(days=95), right)
    shade_later_data(ax, theme, right=mdates.date2num(right))

    def value_text(r):
        text = percent(r["share"])
        return text if is_solid(r["confidence"]) else f"≈{text}"

    # End labels: y positions nudged apart so that no two overlap (in share points).
    end_y = {"Anthropic": 40, "OpenAI": 27, "Google": 21, "All others": 13.2, "Meta (Llama)": 6.8}
    for vendor, role in LINES:
        color = theme.color(role)
        rows = data[data["vendor"] == vendor].sort_values("x")
        # Usage and spend are different measures: the segment into the December 2025 (spend)
        # edition is dotted, so the line does not present the change of measure as a trend.
        usage, spend = rows[rows["edition"] != "2025 report"], rows[rows["edition"] == "2025 report"]
        plot_series(ax, usage["x"], usage["share"], usage["confidence"], color, theme)
        if not spend.empty:
            before, after = (usage.iloc[-1] if not usage.empty else None), spend.iloc[0]
            if before is not None:
                ax.plot([before["x"], after["x"]], [before["share"], after["share"]], color=color,
                        linestyle=(0, (1, 2.2)), linewidth=1.8, zorder=3)
            ax.plot([after["x"]], [after["share"]], zorder=4, **marker_style(color, after["confidence"], theme))
        first, last = rows.iloc[0], rows.iloc[-1]
        # An exact 2023 value stated only in a later-published report (Google's) gets a dagger;
        # the approximate ones are already hollow and explained in the footnote.
        dagger = "†" if is_solid(first["confidence"]) and is_later(first["published"]) else ""
        ax.annotate(value_text(first) + dagger, (first["x"], first["share"]), xytext=(-7, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=9.5, color=color, fontweight="bold")
        ax.annotate(f"{vendor} {value_text(last)}", (last["x"], end_y[vendor]), xytext=(9, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=10, color=color,
                    fontweight="bold")
        # The two leaders' middle values, where Anthropic passes OpenAI: the upper line's label
        # above its point, the lower line's below.
        if vendor in ("Anthropic", "OpenAI"):
            for edition, upper in (("2024 report", "OpenAI"), ("2025 mid-year update", "Anthropic")):
                r = rows[rows["edition"] == edition].iloc[0]
                up = vendor == upper
                ax.annotate(value_text(r), (r["x"], r["share"]), xytext=(0, 9 if up else -9),
                            textcoords="offset points", ha="center", va="bottom" if up else "top",
                            fontsize=9, color=color)

    # December 2025: everyone else as one bucket (Menlo gives no split); it contains Llama.
    rest = one_row(data, vendor="All others", edition="2025 report")
    rest_color = theme.color("other")
    ax.plot([rest["x"]], [rest["share"]], zorder=4, **marker_style(rest_color, rest["confidence"], theme, marker="s"))
    ax.annotate(f"All others {value_text(rest)}\n(incl. Llama, Cohere, Mistral)", (rest["x"], end_y["All others"]),
                xytext=(9, 0), textcoords="offset points", ha="left", va="center", fontsize=8.5,
                color=rest_color, linespacing=1.05)

    # The x axis names each edition and what it measured. The last two editions are four months
    # apart, so their labels lean away from each other.
    labels = {"2023": "2023", "2024 report": "Nov 2024\nreport", "2025 mid-year update": "Jul 2025\nusage share",
              "2025 report": "Dec 2025\nspend share"}
    lean = {"2025 mid-year update": ("right", 10), "2025 report": ("left", -10)}
    ax.set_xticks([mdates.date2num(x_of[e]) for e in EDITIONS], [labels[e] for e in EDITIONS], fontsize=9)
    for label, e in zip(ax.get_xticklabels(), EDITIONS):
        if e in lean:
            ha, dx = lean[e]
            label.set_horizontalalignment(ha)
            label.set_multialignment(ha)
            label.set_transform(label.get_transform() + mtransforms.ScaledTranslation(dx / 72, 0, fig.dpi_scale_trans))
        if is_later(data.loc[data["edition"] == e, "edition_date"].iloc[0]):
            label.set_color(theme.text)
    ax.tick_params(axis="x", length=0, pad=5)
    ax.set_ylim(0, 55)
    ax.set_yticks([0, 10, 20, 30, 40, 50])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))
    ax.set_ylabel("Share of enterprise LLM use")
    ax.spines["bottom"].set_color(theme.grid)

    fig.supxlabel("Measure: 2023–24 not stated; Jul 2025 production usage; Dec 2025 spend from API usage, dotted.\n"
                  "Hollow, dashed: approximate, probably read off Menlo's charts by a secondary compilation.\n"
                  "† Google's 2023 share is stated only in the Dec 2025 report, published after November 2025.",
                  x=0.0, ha="left", fontsize=8.5, color=theme.muted, linespacing=1.3)
