"""Growth side by side: ChatGPT weekly users over time (open-model downloads join in the essay)."""
from charts._common import label_end, plot_series, year_axis
from pipeline.numbers import Number, one_row

DATASETS = ["chatgpt_weekly_users"]
TITLE = "ChatGPT's weekly users grew {chatgpt_multiple} in two years"
ALT = ("Line chart of ChatGPT weekly users as stated by OpenAI, from {chatgpt_first} in "
       "{chatgpt_first_date} to {chatgpt_last} in {chatgpt_last_date}.")
CAPTION = ("Each point is a separate statement by OpenAI or its executives, found in press coverage. "
           "Triangles mark values stated as \u201cmore than\u201d.")
NOTES = ["Company-reported figures; OpenAI's own pages were not in the archive for most points."]


def _first_last(frame):
    ordered = frame.sort_values("date")
    return ordered.iloc[0], ordered.iloc[-1]


def numbers(frames):
    users = frames["chatgpt_weekly_users"]
    first, last = _first_last(users)
    both = f"{first['source']}; {last['source']}"
    return {
        "chatgpt_first": Number(first["weekly_users_millions"].item(), "millions", first["source"], first["confidence"]),
        "chatgpt_first_date": Number(first["date"].year, "year", first["source"], first["confidence"],
                                     text=f"{first['date']:%B %Y}"),
        "chatgpt_last": Number(last["weekly_users_millions"].item(), "millions", last["source"], last["confidence"]),
        "chatgpt_last_date": Number(last["date"].year, "year", last["source"], last["confidence"],
                                    text=f"{last['date']:%B %Y}"),
        "chatgpt_multiple": Number(last["weekly_users_millions"].item() / first["weekly_users_millions"].item(),
                                   "multiple", both, "exact"),
    }


def draw(fig, frames, theme):
    ax = fig.subplots()
    from matplotlib.ticker import FuncFormatter

    from pipeline.formatting import millions_short

    users = frames["chatgpt_weekly_users"].sort_values("date")
    color = theme.color("closed")
    plot_series(ax, users["date"], users["weekly_users_millions"], users["confidence"], color, theme)
    at_least = users[users["qualifier"] == "more than"]
    ax.plot(at_least["date"], at_least["weekly_users_millions"], marker="^", markersize=9, linestyle="none",
            color=color, markeredgecolor=theme.background, zorder=5)
    first, last = _first_last(users)
    label_end(ax, first["date"], first["weekly_users_millions"], millions_short(first["weekly_users_millions"]),
              color, dx=-8, dy=10, ha="right")
    label_end(ax, last["date"], last["weekly_users_millions"], millions_short(last["weekly_users_millions"]),
              color, dx=-8, dy=10, ha="right")
    year_axis(ax)
    ax.set_ylim(0, 900)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: millions_short(v)))
    ax.set_ylabel("Weekly users")
