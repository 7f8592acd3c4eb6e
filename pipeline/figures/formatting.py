"""One way to write a number, used by the prose, the figures' labels, alt texts and the PDF."""
from __future__ import annotations


def _plain(value: float, decimals: int | None = None) -> str:
    """Whole numbers without a decimal point; otherwise as many decimals as the data has (max 2)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 2)
    return f"{value:,.{decimals}f}"


def percent(value: float, decimals: int | None = None) -> str:
    return f"{_plain(value, decimals)}%"


def points(value: float, decimals: int | None = None) -> str:
    return f"{_plain(value, decimals)} points"


def millions(value: float) -> str:
    """800 -> '800 million'; 2000 -> '2 billion'; 1150 -> '1.15 billion'."""
    if value >= 1000:
        return f"{_plain(value / 1000)} billion"
    return f"{_plain(value)} million"


def millions_short(value: float) -> str:
    """Axis-label form of millions(): 800 -> '800M', 2000 -> '2B'."""
    if value >= 1000:
        return f"{_plain(value / 1000)}B"
    return f"{_plain(value)}M"


def months(value: float) -> str:
    unit = "month" if value == 1 else "months"
    return f"{_plain(value)} {unit}"


def multiple(value: float, decimals: int = 0) -> str:
    """Growth multiples: 8 -> '8×'. Digits rather than '8-fold', so the rounding stays visible."""
    return f"{_plain(round(value, decimals), decimals)}×"


def count(value: float) -> str:
    return _plain(value, 0)


def date_text(when, precision: str = "month", short: bool = False) -> str:
    """The one way to write a date, at the precision the data has.

    precision: "day" (4 August 2025), "day-month" (4 August), "month" (August 2025), "month-only"
    (August), "quarter" (Q3 2025), "year" (2025). short=True abbreviates the month (4 Aug 2025).
    Works for date, datetime and pandas Timestamp alike.
    """
    month = f"{when:%b}" if short else f"{when:%B}"
    forms = {
        "day": f"{when.day} {month} {when.year}",
        "day-month": f"{when.day} {month}",
        "month": f"{month} {when.year}",
        "month-only": month,
        "quarter": f"Q{(when.month - 1) // 3 + 1} {when.year}",
        "year": str(when.year),
    }
    return forms[precision]


def date_range_text(start, end, short: bool = False) -> str:
    """A period in words, the year written once when both ends share it: "January to May 2026",
    "January 2023 to October 2025" (short: "Jan–May 2026")."""
    first = date_text(start, "month-only" if start.year == end.year else "month", short)
    return f"{first}{'–' if short else ' to '}{date_text(end, 'month', short)}"


FORMATS = {
    "percent": percent,
    "points": points,
    "millions": millions,
    "months": months,
    "multiple": multiple,
    "count": count,
    "year": lambda v: str(int(v)),
}
