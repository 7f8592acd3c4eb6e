"""The numbers the prose may cite: computed from the data frames, written to build/numbers.json.

Each figure module may define `numbers(frames) -> dict[str, Number]`; the results are collected
under the figure's id, so the prose writes `{{ n.closed_models_lead.open_share_2024 }}`. A Number
carries its value, its formatted text and the source row it came from, so nothing in the prose is
typed by hand and every number can be traced.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from pipeline.formatting import FORMATS


@dataclass(frozen=True)
class Number:
    value: float
    unit: str            # a key of pipeline.formatting.FORMATS
    source: str          # source id(s) in the dataset's descriptor
    confidence: str      # exact / approx / secondary (the weakest of the rows it uses)
    text: str = ""

    def __post_init__(self):
        if not self.text:
            object.__setattr__(self, "text", FORMATS[self.unit](self.value))

    def __str__(self) -> str:
        return self.text


def from_row(row, column: str, unit: str, **extra) -> Number:
    """A number read straight from one data row (a pandas Series with source and confidence)."""
    return Number(value=_py(row[column]), unit=unit, source=str(row["source"]),
                  confidence=str(row["confidence"]), **extra)


CONFIDENCE_ORDER = ["exact", "approx", "secondary"]


def weakest(*confidences: str) -> str:
    return max(confidences, key=CONFIDENCE_ORDER.index)


def _py(value):
    """numpy scalars -> plain Python, so numbers.json is stable and readable."""
    return value.item() if hasattr(value, "item") else value


def dump(numbers: dict[str, dict[str, Number]]) -> str:
    plain = {fig: {name: asdict(num) for name, num in sorted(nums.items())} for fig, nums in sorted(numbers.items())}
    return json.dumps(plain, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def load(text: str) -> dict[str, dict[str, Number]]:
    return {fig: {name: Number(**num) for name, num in nums.items()} for fig, nums in json.loads(text).items()}


def one_row(frame, **match):
    """The single row whose columns equal `match`; a clear error when the data has none or several."""
    selected = frame
    for column, value in match.items():
        selected = selected[selected[column].astype(str) == str(value)]
    if len(selected) != 1:
        raise LookupError(f"expected one row with {match}, found {len(selected)}")
    return selected.iloc[0]


def difference(a, b, column: str, unit: str = "points", ndigits: int = 2) -> Number:
    """Row a's value minus row b's, naming both sources and taking the weaker confidence."""
    sources = "; ".join(dict.fromkeys([str(a["source"]), str(b["source"])]))
    return Number(round(_py(a[column]) - _py(b[column]), ndigits), unit, sources,
                  weakest(str(a["confidence"]), str(b["confidence"])))
