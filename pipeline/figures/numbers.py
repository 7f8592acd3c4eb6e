"""The numbers the prose may cite: computed from the data frames, written to build/numbers.json.

Each figure module defines `numbers(frames) -> dict[str, Number]` (the figure contract requires it,
pipeline/figures/registry.py; `{}` when the prose cites none); the results are collected under the
figure's id, so the prose writes `{{ n.closed_models_lead.open_share_2024 }}`. A Number
carries its value, its formatted text and the source row it came from, so nothing in the prose is
typed by hand and every number can be traced.

Numbers computed from more than one value say so. `derived` names the arithmetic ("difference of
two rows", "100 minus a row's share"); `caveat` is set when the values it combines measure
different things (two editions of a survey that changed its method) or are themselves rounded, and
such a number carries at least "approx" confidence. The prose can test both
(`{% if n.x.y.caveat %}`), and both are in build/numbers.json.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from pipeline.figures.formatting import FORMATS, date_text


@dataclass(frozen=True)
class Number:
    value: float
    unit: str            # a key of pipeline.figures.formatting.FORMATS
    source: str          # source id(s) in the dataset's descriptor
    confidence: str      # exact / approx / secondary (the weakest of the rows it uses)
    text: str = ""
    derived: str = ""    # how it was computed when not read from one cell, e.g. "difference of two rows"
    caveat: str = ""     # why a derived number is weaker than its rows, e.g. the measures differ

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


def dump(numbers: dict[str, dict]) -> str:
    """build/numbers.json: every figure's numbers (Number or the plain dicts the build keeps)."""
    plain = {fig: {name: asdict(num) if isinstance(num, Number) else num for name, num in sorted(nums.items())}
             for fig, nums in sorted(numbers.items())}
    return json.dumps(plain, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def from_plain(fields: dict) -> Number:
    return Number(**fields)


def load(text: str) -> dict[str, dict[str, Number]]:
    return {fig: {name: from_plain(num) for name, num in nums.items()} for fig, nums in json.loads(text).items()}


class RowNotFound(LookupError):
    """The data lacks what numbers() reads: no row (or several) where one was expected, or a cell
    that does not say what it should. A data problem, reported without a traceback; any other
    exception from numbers() is a bug in the figure module and keeps its traceback."""


def one_row(frame, **match):
    """The single row whose columns equal `match`; RowNotFound when the data has none or several."""
    selected = frame
    for column, value in match.items():
        selected = selected[selected[column].astype(str) == str(value)]
    if len(selected) != 1:
        raise RowNotFound(f"expected one row with {match}, found {len(selected)}")
    return selected.iloc[0]


def measure_caveat(a, b, measure: str | None) -> str:
    """Why rows a and b do not measure the same thing ("" when they do, or when measure is None).

    `measure` names the column that says what a row measures (`measure`, `unit`, `metric`, ...).
    Two rows measure the same thing when that column has the same text in both: a dataset words a
    measure the same way wherever it is the same (two editions whose method is "not stated" are
    compared by the publisher itself, so they count as one measure).
    """
    if measure is None:
        return ""
    ma, mb = str(a[measure]).strip(), str(b[measure]).strip()
    if ma == mb:
        return ""
    return f"compares different measures: {ma} vs {mb}"


def _sources(*rows) -> str:
    return "; ".join(dict.fromkeys(str(r["source"]) for r in rows))


def _combined(rows, derived: str, caveats: list[str]) -> dict:
    """The fields a number computed from several rows carries: weakest confidence, at least
    "approx" when a caveat applies."""
    caveat = "; ".join(c for c in caveats if c)
    confidence = weakest(*(str(r["confidence"]) for r in rows), *(["approx"] if caveat else []))
    return dict(source=_sources(*rows), confidence=confidence, derived=derived, caveat=caveat)


def difference(a, b, column: str, unit: str = "points", ndigits: int = 2, *, column_b: str | None = None,
               measure: str | None = "measure", approximate: str = "") -> Number:
    """Row a's `column` minus row b's (`column_b` if given; a and b may be the same row).

    Names both sources and takes the weaker confidence. When the rows measure different things
    (see measure_caveat) or `approximate` gives a reason (e.g. both values are rounded averages),
    the difference is marked with a caveat and is at least "approx".
    """
    value = round(_py(a[column]) - _py(b[column_b or column]), ndigits)
    caveats = [measure_caveat(a, b, measure) if a is not b else "", approximate]
    return Number(value, unit, **_combined([a, b], "difference of two values", caveats))


def ratio(a, b, column: str, unit: str = "multiple", *, measure: str | None = "measure",
          approximate: str = "") -> Number:
    """Row a's value divided by row b's, with the same marking as difference()."""
    value = _py(a[column]) / _py(b[column])
    caveats = [measure_caveat(a, b, measure), approximate]
    return Number(value, unit, **_combined([a, b], "ratio of two values", caveats))


def complement(row, column: str, unit: str = "percent", total: float = 100, why: str = "") -> Number:
    """`total` minus a row's value: a share the source implies but does not state."""
    return Number(total - _py(row[column]), unit, str(row["source"]), str(row["confidence"]),
                  derived=f"{total:g} minus a stated share" + (f" ({why})" if why else ""))


def total(rows, column: str, unit: str = "percent", *, measure: str | None = "measure", why: str = "") -> Number:
    """The sum of several rows' values."""
    rows = list(rows)
    caveats = [measure_caveat(rows[0], r, measure) for r in rows[1:]]
    fields = _combined(rows, f"sum of {len(rows)} values" + (f" ({why})" if why else ""), caveats)
    return Number(sum(_py(r[column]) for r in rows), unit, **fields)


def share_of_count(part: int, whole: int, source: str, confidence: str, ndigits: int = 0, why: str = "") -> Number:
    """A count as a percentage of another count, rounded (whole percent by default)."""
    return Number(round(100 * part / whole, ndigits), "percent", source, confidence,
                  derived=f"{part} of {whole} as a percentage" + (f" ({why})" if why else ""))


def date_number(row, column: str = "date", precision: str = "month", short: bool = False) -> Number:
    """A row's date as words at the given precision (see formatting.date_text); value is the year."""
    when = row[column]
    return Number(when.year, "year", str(row["source"]), str(row["confidence"]),
                  text=date_text(when, precision, short=short))


def text_number(row, text: str, year_column: str = "date") -> Number:
    """Words the row states (a period, a season) carried as a Number with the row's source."""
    return Number(row[year_column].year, "year", str(row["source"]), str(row["confidence"]), text=str(text))
