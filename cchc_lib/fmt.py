"""Vietnamese number and date formatting (Nghị định 30/2020/NĐ-CP habits).

Thousands are separated by ``.``, decimals by ``,``; dates in tables are
``14/3/2022``, in prose "ngày 14 tháng 3 năm 2022".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "fmt_date",
    "fmt_date_header",
    "fmt_date_prose",
    "fmt_int",
    "fmt_number",
    "fmt_pct",
    "fmt_value",
    "iso_date",
]


def _round(value: float, decimals: int) -> Decimal:
    """Round half away from zero (12,25 -> 12,3), unlike Python's ``round``."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ".".join(reversed(out))


def fmt_number(value: float | None, decimals: int = 1, *, keep_zeros: bool = False) -> str:
    """A number with Vietnamese separators; trailing decimal zeros dropped unless asked.

    >>> fmt_number(1234.5)
    '1.234,5'
    >>> fmt_number(1234.0)
    '1.234'
    >>> fmt_number(None)
    ''
    """
    if value is None:
        return ""
    d = _round(value, decimals)
    sign = "-" if d < 0 else ""
    text = f"{abs(d):f}"
    whole, _, frac = text.partition(".")
    if not keep_zeros:
        frac = frac.rstrip("0")
    return sign + _group(whole) + ("," + frac if frac else "")


def shown_difference(current: float, before: float, decimals: int = 1) -> float:
    """The difference of two values as printed (rounded first), so that a reader subtracting
    the printed figures finds the printed change: 67,66 and 68,02 -> 67,7 - 68,0 = -0,3.

    >>> shown_difference(67.66, 68.02)
    -0.3
    >>> shown_difference(88.74, 88.71)
    0.0
    """
    return float(_round(current, decimals) - _round(before, decimals))


def fmt_int(value: float | None) -> str:
    """A whole number with ``.`` between thousands.

    >>> fmt_int(1234)
    '1.234'
    >>> fmt_int(-1234567)
    '-1.234.567'
    """
    return fmt_number(value, 0)


def fmt_pct(value: float | None, decimals: int = 1) -> str:
    """A percentage: ``26,7%``; whole values without decimals (``100%``).

    >>> fmt_pct(26.66)
    '26,7%'
    >>> fmt_pct(100.0)
    '100%'
    """
    if value is None:
        return ""
    return fmt_number(value, decimals) + "%"


def fmt_value(value: float | None, unit: str) -> str:
    """Format by catalog unit: "%" as a percentage, "count"/"rank" as whole numbers.

    Non-integral counts (rare: averages) keep one decimal.
    """
    if value is None:
        return ""
    if unit == "%":
        return fmt_pct(value)
    if float(value).is_integer():
        return fmt_int(value)
    return fmt_number(value, 1)


def fmt_date(d: date | None) -> str:
    """Date for tables: ``14/3/2022`` (no leading zeros).

    >>> fmt_date(date(2022, 3, 4))
    '4/3/2022'
    """
    if d is None:
        return ""
    return f"{d.day}/{d.month}/{d.year}"


def fmt_date_prose(d: date) -> str:
    """Date in running text: "ngày 14 tháng 3 năm 2022".

    >>> fmt_date_prose(date(2022, 1, 5))
    'ngày 5 tháng 1 năm 2022'
    """
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def fmt_date_header(d: date) -> str:
    """Date under the national motto, with the decree's leading zeros.

    Days below 10 and months 1-2 get a leading zero (Nghị định 30/2020/NĐ-CP).

    >>> fmt_date_header(date(2022, 2, 5))
    'ngày 05 tháng 02 năm 2022'
    >>> fmt_date_header(date(2022, 3, 14))
    'ngày 14 tháng 3 năm 2022'
    """
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def iso_date(d: date | None) -> str | None:
    """A date for JSON: ``2022-03-14``; None stays None.

    >>> iso_date(date(2022, 3, 14)), iso_date(None)
    ('2022-03-14', None)
    """
    return d.isoformat() if d else None
