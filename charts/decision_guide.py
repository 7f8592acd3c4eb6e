"""The decision guide: which way each enterprise situation leans, open or closed, and why.

A table figure: numbered with the charts, with a title, caption and source line like them, shown
as an HTML table (scannable on a phone, printable on paper) instead of a drawing.
"""
from pipeline.figures.numbers import Number, weakest

KIND = "table"
DATASETS = ["decision_guide"]
TITLE = "What enterprises weigh: the closed frontier for exploring, open weights for owning"
CAPTION = ("Which way each situation leans, and why. The leanings are judgements, not measurements.")
# The situations are Platz's; the wording of each row is ours, after his list.
SOURCE_LINE = "after the situations listed in {sources}\u2019s essay"

_DATA = "decision_guide"


def _count(frame, where=None) -> Number:
    rows = frame if where is None else frame[frame["leaning"] == where]
    return Number(len(rows), "count", "; ".join(dict.fromkeys(frame["source"])),
                  weakest(*frame["confidence"]), derived="count of rows")


def numbers(frames):
    data = frames[_DATA]
    return {"situations": _count(data), "closed": _count(data, "closed"), "open": _count(data, "open")}


def table(rows):
    """The table as it is shown: situation (heading its row), leaning (coloured by its value), why."""
    return {
        "columns": [("situation", "Situation"), ("leaning", "Leans toward"), ("why", "Why")],
        "rows": [{"situation": r["situation"],
                  "leaning": {"text": r["leaning"].capitalize(), "class": f"lean lean-{r['leaning']}"},
                  "why": r["why"], "row_class": f"lean-{r['leaning']}"} for r in rows[_DATA]],
    }
