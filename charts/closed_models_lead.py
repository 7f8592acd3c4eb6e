"""Closed models in the lead: open vs closed share of enterprise LLM use, by Menlo edition."""
from charts._common import is_later, is_solid
from pipeline.numbers import Number, from_row, one_row

DATASETS = ["enterprise_open_share"]
SOCIAL_CARD = True  # the headline figure: the image link previews show
TITLE = "Closed models carry most enterprise AI work, and the open share shrank in 2025"
ALT = ("Horizontal stacked bar chart of the open-source versus closed share of enterprise "
       "large-language-model use in three Menlo Ventures editions. The open share is "
       "{open_share_2024} in the 2024 report, {open_share_mid_2025} in the mid-2025 update and "
       "{open_share_end_2025} in the December 2025 report; closed models hold the rest.")
CAPTION = ("Open-weight models held {open_share_2024} of enterprise use in Menlo Ventures' 2024 "
           "report and {open_share_mid_2025} of production usage by mid-2025; by December 2025 (later "
           "data, measured as share of spend) they held {open_share_end_2025}, {drop_points} below 2024.")
NOTES = [
    "The measure changed between editions: the mid-2025 update counts production usage, the "
    "December 2025 report estimates spend from production API usage, and the 2024 report's method "
    "was not in the sources we could read.",
    "Menlo reports only the open share; the closed share is implied as the rest of the total.",
    "The December 2025 report was published after this essay's date.",
]


def numbers(frames):
    data = frames["enterprise_open_share"]
    y2024 = one_row(data, edition="2024 report")
    mid25 = one_row(data, edition="2025 mid-year update")
    end25 = one_row(data, edition="2025 report")
    return {
        "open_share_2024": from_row(y2024, "open_share", "percent"),
        "closed_share_2024": Number(100 - y2024["open_share"].item(), "percent", y2024["source"], y2024["confidence"]),
        "open_share_mid_2025": from_row(mid25, "open_share", "percent"),
        "open_share_end_2025": from_row(end25, "open_share", "percent"),
        "drop_points": Number(y2024["open_share"].item() - end25["open_share"].item(), "points",
                              f"{y2024['source']}; {end25['source']}", "exact"),
    }


def draw(fig, frames, theme):
    ax = fig.subplots()
    from pipeline.formatting import percent

    data = frames["enterprise_open_share"].sort_values("published", ascending=False).reset_index(drop=True)
    open_c, closed_c = theme.color("open"), theme.color("closed")
    labels = []
    for y, row in data.iterrows():
        later = is_later(row["published"])
        fill = dict(edgecolor=theme.background, linewidth=0.8, height=0.62, hatch="////" if later else None)
        ax.barh(y, row["open_share"], color=open_c, **fill)
        ax.barh(y, 100 - row["open_share"], left=row["open_share"], color=closed_c, **fill)
        inside = dict(va="center", color=theme.background, fontweight="bold", fontsize=10)
        ax.text(1.2, y, f"{percent(row['open_share'])} open", ha="left", **inside)
        ax.text(98.8, y, f"{percent(100 - row['open_share'])} closed", ha="right", **inside)
        label = f"{row['edition']}\n{row['published']:%b %Y}"
        if later:
            label += ", later data"
        if not is_solid(row["confidence"]):
            label += " (approx.)"
        labels.append(label)
    ax.set_yticks(range(len(data)), labels, fontsize=9.5, color=theme.text)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.grid(False)
    ax.set_xticks([0, 25, 50, 75, 100], [percent(v) for v in (0, 25, 50, 75, 100)])
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="x", length=0)
    ax.set_xlabel("Share of enterprise LLM use (closed share implied as 100 − open)")
