"""Reporting periods and their cut-off windows.

A period is a set of month labels ("2022-01" .. "2022-03") plus a window of
dates. Under the ``official`` rule a month label covers the 15th of the month
before to the 14th of the month itself ("tháng 3/2022" = 15/02-14/03/2022), so
quý I 2022 runs 15/12/2021-14/03/2022; the ``calendar`` rule uses calendar
months. Dated events (a task completed on 16/03/2022) belong to the window
holding their date.

>>> p = parse_period("2022-Q1")
>>> p.start, p.end
(datetime.date(2021, 12, 15), datetime.date(2022, 3, 14))
>>> p.label
'quý I năm 2022'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cchc_lib.errors import PeriodError
from cchc_lib.fmt import fmt_date

__all__ = [
    "CUTOFF_DAY",
    "KINDS",
    "RULES",
    "Period",
    "month_of",
    "month_window",
    "parse_period",
    "year_window",
]

RULES = {
    "official": "theo quy định kỳ báo cáo: từ ngày 15 tháng trước đến ngày 14 tháng cuối kỳ",
    "calendar": "theo tháng dương lịch: từ ngày đầu tháng đầu kỳ đến ngày cuối tháng cuối kỳ",
}
"""Window rules and the Vietnamese wording that names them in reports."""

CUTOFF_DAY = 14
"""Under the official rule a month's window ends on this day (the next starts the day after)."""

KINDS = ("month", "quarter", "half", "nine_months", "year")
"""``Period.kind`` values. ``index`` numbers the quarter (1-4), half (1-2) or month (1-12)."""

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_VALID_FORMS = (
    "2022-Q1, 2022-Q2, 2022-Q3, 2022-Q4 (quý), 2022-H1, 2022-H2 (6 tháng), "
    "2022-9M (9 tháng đầu năm), 2022-Y (năm), 2022-03 (tháng)"
)

_CODE = re.compile(r"^(\d{4})-?(Q[1-4]|H[12]|6M|9M|Y|N|M?\d{1,2})$")


def _first_day(year: int, month: int) -> date:
    return date(year, month, 1)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + delta
    return k // 12, k % 12 + 1


def _month_window(year: int, month: int, rule: str) -> tuple[date, date]:
    if rule == "official":
        py, pm = _shift_month(year, month, -1)
        return date(py, pm, CUTOFF_DAY + 1), date(year, month, CUTOFF_DAY)
    last = calendar.monthrange(year, month)[1]
    return _first_day(year, month), date(year, month, last)


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise PeriodError(
            f'Quy tắc tính kỳ "{rule}" không hợp lệ. Chọn một trong: '
            + ", ".join(RULES)
            + " (official: từ ngày 15 tháng trước đến ngày 14 tháng cuối kỳ; "
            "calendar: theo tháng dương lịch)."
        )


def month_window(month: str, rule: str = "official") -> tuple[date, date]:
    """The window of one month label ("2022-03") under ``rule``.

    >>> month_window("2022-03")
    (datetime.date(2022, 2, 15), datetime.date(2022, 3, 14))
    """
    _check_rule(rule)
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(month).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PeriodError(f'Tháng "{month}" không đúng dạng YYYY-MM (ví dụ 2022-03).')
    return _month_window(int(m.group(1)), int(m.group(2)), rule)


def year_window(year: int, rule: str = "official") -> tuple[date, date]:
    """The window of a plan year: 15/12 of the year before to 14/12 under the official rule.

    >>> year_window(2022)
    (datetime.date(2021, 12, 15), datetime.date(2022, 12, 14))
    """
    _check_rule(rule)
    return _month_window(year, 1, rule)[0], _month_window(year, 12, rule)[1]


def month_of(d: date, rule: str = "official") -> str:
    """The month label ("YYYY-MM") whose window holds ``d``.

    >>> month_of(date(2022, 3, 14)), month_of(date(2022, 3, 15))
    ('2022-03', '2022-04')
    """
    _check_rule(rule)
    if rule == "official" and d.day > CUTOFF_DAY:
        y, m = _shift_month(d.year, d.month, 1)
        return f"{y:04d}-{m:02d}"
    return f"{d.year:04d}-{d.month:02d}"


@dataclass(frozen=True)
class Period:
    """A reporting period: its months and the window of dates it covers.

    Build one with :func:`parse_period`; ``kind`` is one of :data:`KINDS`.
    """

    code: str
    year: int
    kind: str
    index: int | None
    months: tuple[str, ...]
    start: date
    end: date
    rule: str = "official"

    # --- derived -----------------------------------------------------------
    @property
    def last_month(self) -> int:
        return int(self.months[-1][5:])

    @property
    def is_official(self) -> bool:
        """True for the four reports filed each year: Q1, H1, Q3, Y."""
        return (self.kind, self.index) in {("quarter", 1), ("half", 1), ("quarter", 3)} or (
            self.kind == "year"
        )

    @property
    def label(self) -> str:
        """Vietnamese wording for titles: "quý I năm 2022", "6 tháng đầu năm 2022"."""
        y = self.year
        if self.kind == "quarter":
            return f"quý {_ROMAN[self.index or 0]} năm {y}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {y}"
        if self.kind == "nine_months":
            return f"9 tháng đầu năm {y}"
        if self.kind == "year":
            return f"năm {y}"
        return f"tháng {self.index} năm {y}"

    @property
    def rule_label(self) -> str:
        """A sentence naming the window and the rule, for every report."""
        return (
            f"Số liệu tính từ ngày {fmt_date(self.start)} đến ngày {fmt_date(self.end)} "
            f"({RULES[self.rule]})"
        )

    @property
    def is_year_end(self) -> bool:
        """True when the period holds the year's last month (yearly targets are judged)."""
        return self.last_month == 12

    @property
    def previous(self) -> Period:
        """The immediately preceding period of the same kind.

        Q3 -> Q2, Q1 -> previous year's Q4, H1 -> previous year's H2,
        9M/Y -> the previous year's 9M/Y, a month -> the month before.
        """
        y, k, i = self.year, self.kind, self.index
        if k == "quarter":
            code = f"{y}-Q{i - 1}" if i and i > 1 else f"{y - 1}-Q4"
        elif k == "half":
            code = f"{y}-H1" if i == 2 else f"{y - 1}-H2"
        elif k == "nine_months":
            code = f"{y - 1}-9M"
        elif k == "year":
            code = f"{y - 1}-Y"
        else:
            py, pm = _shift_month(y, i or 1, -1)
            code = f"{py}-{pm:02d}"
        return parse_period(code, self.rule)

    @property
    def next(self) -> Period:
        """The period that follows (for "nhiệm vụ kỳ tới").

        Quarters, halves, years and months step to the next of their kind;
        9M is followed by the year's last quarter.
        """
        y, k, i = self.year, self.kind, self.index
        if k == "quarter":
            code = f"{y}-Q{i + 1}" if i and i < 4 else f"{y + 1}-Q1"
        elif k == "half":
            code = f"{y}-H2" if i == 1 else f"{y + 1}-H1"
        elif k == "nine_months":
            code = f"{y}-Q4"
        elif k == "year":
            code = f"{y + 1}-Y"
        else:
            ny, nm = _shift_month(y, i or 1, 1)
            code = f"{ny}-{nm:02d}"
        return parse_period(code, self.rule)

    @property
    def year_to_date(self) -> tuple[str, ...]:
        """Month labels from January of the period's year to its last month."""
        return tuple(f"{self.year:04d}-{m:02d}" for m in range(1, self.last_month + 1))

    def contains(self, d: date) -> bool:
        """True when ``d`` lies in the window (both ends included)."""
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.code


def _build(year: int, kind: str, index: int | None, first: int, last: int, rule: str) -> Period:
    months = tuple(f"{year:04d}-{m:02d}" for m in range(first, last + 1))
    start = _month_window(year, first, rule)[0]
    end = _month_window(year, last, rule)[1]
    suffix = {
        "quarter": f"Q{index}",
        "half": f"H{index}",
        "nine_months": "9M",
        "year": "Y",
        "month": f"{index:02d}" if index else "",
    }[kind]
    return Period(f"{year:04d}-{suffix}", year, kind, index, months, start, end, rule)


def parse_period(code: str, rule: str = "official") -> Period:
    """A period from its code: "2022-Q1", "2022-H1", "2022-9M", "2022-Y", "2022-03".

    Case and spaces are ignored; "2022-6M" means H1. Raises :class:`PeriodError`
    with the valid forms otherwise.

    >>> parse_period("2022-H1").months
    ('2022-01', '2022-02', '2022-03', '2022-04', '2022-05', '2022-06')
    """
    _check_rule(rule)
    raw = code
    text = re.sub(r"\s+", "", str(code)).upper()
    m = _CODE.match(text)
    if not m:
        raise PeriodError(f'Kỳ báo cáo "{raw}" không hợp lệ. Các dạng hợp lệ: {_VALID_FORMS}.')
    year = int(m.group(1))
    part = m.group(2)
    if not 1900 <= year <= 2999:
        raise PeriodError(f'Kỳ báo cáo "{raw}": năm {year} không hợp lệ. Ví dụ: 2022-Q1.')
    if part.startswith("Q"):
        q = int(part[1])
        return _build(year, "quarter", q, 3 * q - 2, 3 * q, rule)
    if part.startswith("H") or part == "6M":
        h = 1 if part == "6M" else int(part[1])
        return _build(year, "half", h, 6 * h - 5, 6 * h, rule)
    if part == "9M":
        return _build(year, "nine_months", None, 1, 9, rule)
    if part in ("Y", "N"):
        return _build(year, "year", None, 1, 12, rule)
    month = int(part.lstrip("M"))
    if not 1 <= month <= 12:
        raise PeriodError(
            f'Kỳ báo cáo "{raw}": tháng {month} không hợp lệ (từ 01 đến 12). '
            f"Các dạng hợp lệ: {_VALID_FORMS}."
        )
    return _build(year, "month", month, month, month, rule)
