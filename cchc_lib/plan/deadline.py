"""Parse "Thời gian hoàn thành" cells into Deadline values.

Matching is done on folded text (``text.fold``: no diacritics, lower case), so
"Quý II, III", "QUÝ II, III" and "Quy II, III" read the same, in NFC or NFD.

Decisions (a missing year is always the plan year):

- by_date ("Trước ngày 20/01/2022"): ``end`` is the date, ``start`` is 1 January
  of the plan year (of the date's year if that is earlier).
- window: from the first day of the first month / quarter / half named to the
  last day of the last one.  A list ("Quý II, III", "Tháng 3 và 6") is one window
  from the start of the first item to the end of the last.  "Năm 2022" and
  "Trong năm 2022" are a window over the whole year, not ongoing work.
- recurring ("Thường xuyên", "Hằng quý", "Theo quy định", ...): the plan year,
  ``ongoing=True``.
- per_plan ("Theo Kế hoạch năm", "Theo Kế hoạch ISO năm 2022"): the year named,
  else the plan year.
- several due dates ("Trước ngày 15/6 và 15/12"; "Tháng 3, tháng 9" or "Quý I và
  Quý III", months or quarters that are not consecutive): ``dues`` holds every due
  date in order and ``end`` is the last one, so the task is complete when its last part
  is; a list of consecutive months or quarters ("Quý II, III") is one window.
- a leading verb ("Hoàn thành trong Quý III/2025") is ignored; a phrase naming
  recurring work anywhere ("Trước ngày 15 hằng tháng") is recurring.
- unspecified: an empty cell or one with only dashes/dots (no warning); an
  unknown phrase, an impossible date (31/02) or a range that ends before it
  starts (each with a warning).

>>> d, warning = parse_deadline("Quý II, III", 2022)
>>> d.kind, d.start.isoformat(), d.end.isoformat(), warning
('window', '2022-04-01', '2022-09-30', None)
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from cchc_lib.model import Deadline
from cchc_lib.text import fold, nfc, normalize_dashes

__all__ = ["parse_deadline"]

# Recurring work: the phrase opens with one of these (folded; "hằng"/"hàng" -> "hang").
_RECURRING = re.compile(
    r"(?:thuong xuyen|hang (?:nam|quy|thang|tuan|ngay)|dinh ky|theo quy dinh"
    r"|khi co yeu cau|theo yeu cau|lien tuc)\b"
)

# Done on the schedule of another plan: "Theo Kế hoạch năm", "Theo lộ trình".
_PER_PLAN = re.compile(r"theo (?:ke hoach|lo trinh|chuong trinh|tien do)\b")
_NAMED_YEAR = re.compile(r"\bnam\s+([0-9]{4})(?![0-9])")  # "... ISO năm 2022"

# "Trước ngày", "Chậm nhất là ngày", "Hạn chót", "Đến ngày", ... before a date.
_DATE_LEAD = (
    r"(?P<lead>(?:(?:hoan thanh\s+)?(?:truoc|cham nhat|han chot|han|vao|den)\s*:?\s*"
    r"(?:la\s+)?)?(?:ngay\s*)?)"
)
# "20/01/2022", "20-01-2022", "20.01" (the same separator twice).
_BY_DATE = re.compile(
    _DATE_LEAD + r"(?P<d>[0-9]{1,2})\s*(?P<sep>[/.-])\s*(?P<m>[0-9]{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>[0-9]{4}))?"
)
# "ngày 20 tháng 3 năm 2022".
_BY_DATE_PROSE = re.compile(
    _DATE_LEAD + r"(?P<d>[0-9]{1,2}) thang (?P<m>[0-9]{1,2})(?:,? nam (?P<y>[0-9]{4}))?"
)

# "6 tháng đầu năm", "Trong 6 tháng cuối năm 2022", "Nửa đầu năm".
_HALF = re.compile(
    r"(?:trong\s+)?(?:6 thang|sau thang|nua) (?P<half>dau|cuoi) nam(?:\s+(?P<y>[0-9]{4}))?"
)

# "Năm 2022", "Trong năm 2022", "Cả năm", or a bare "2022".
_WHOLE_YEAR = re.compile(
    r"(?:(?:trong|ca|trong ca|suot)\s+)?nam(?:\s+(?P<y>[0-9]{4}))?|(?P<y2>[0-9]{4})"
)

# Month and quarter phrases are read as tokens: "tháng 2/2022 đến tháng 8/2022",
# "quý i - quý ii năm 2022".  Only these characters may occur (checked first).
_PERIOD_CHARS = re.compile(r"[0-9a-z,/&\s-]*")
_TOKEN = re.compile(r"[0-9]+|[a-z]+|[-,/&]")
_FILLERS = frozenset({"tu", "trong", "vao", "den", "toi", "va", "nam", "-", ",", "/", "&"})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_UNKNOWN = (
    'Không nhận ra thời gian hoàn thành "{raw}"; hãy ghi theo một mẫu như '
    '"Trước ngày 20/01/{y}", "Tháng 3/{y}", "Quý II/{y}", "6 tháng đầu năm", '
    '"Năm {y}" hoặc "Thường xuyên".'
)
_INVALID = (
    'Thời gian hoàn thành "{raw}" có ngày, tháng hoặc quý không tồn tại; '
    'hãy sửa lại (ví dụ "Trước ngày 28/02/{y}", "Quý IV").'
)
_REVERSED = (
    'Thời gian hoàn thành "{raw}" có thời điểm bắt đầu sau thời điểm kết thúc; '
    "hãy ghi mốc sớm trước, mốc muộn sau."
)

_Result = tuple[str, date, date, bool] | tuple[str, date, date, bool, tuple[date, ...]]

# "Hoàn thành trong Quý III/2025", "Thực hiện trong tháng 6": the verb adds nothing.
_VERB_LEAD = re.compile(r"^(?:hoan thanh|thuc hien|trien khai|to chuc|xong)\s+(?=\S)")
_DATE = r"[0-9]{1,2}\s*/\s*[0-9]{1,2}(?:\s*/\s*[0-9]{4})?"
_ONE_DATE = re.compile(r"([0-9]{1,2})\s*/\s*([0-9]{1,2})(?:\s*/\s*([0-9]{4}))?")
_DATE_LIST = re.compile(
    _DATE_LEAD + _DATE + r"(?:\s*(?:,|;|&|\bva\b)\s*(?:(?:truoc\s+)?ngay\s*)?" + _DATE + ")+"
)


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)  # ValueError for month 13
    return first, date(year, month, calendar.monthrange(year, month)[1])


def _quarter_span(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter}")
    return _month_span(year, 3 * quarter - 2)[0], _month_span(year, 3 * quarter)[1]


_RANGE_WORDS = frozenset({"-", "den", "toi", "tu"})


def _period_items(folded: str, unit: str, roman: bool) -> list[tuple[int, int | None]] | None:
    """[(item, year or None), ...] of a month/quarter phrase, None if it is not one.

    A four-digit number is a year; it applies to every item before it that has
    none yet ("tháng 01-02/2022" -> both months in 2022).
    """
    if not _PERIOD_CHARS.fullmatch(folded):
        return None
    tokens = _TOKEN.findall(folded)
    lead = 0
    while lead < len(tokens) and tokens[lead] in ("tu", "trong", "vao"):
        lead += 1
    if lead >= len(tokens) or tokens[lead] != unit:
        return None
    items: list[int] = []
    years: list[int | None] = []
    for tok in tokens[lead:]:
        if tok == unit or tok in _FILLERS:
            continue
        if roman and tok in _ROMAN:
            items.append(_ROMAN[tok])
            years.append(None)
        elif tok.isdigit() and len(tok) <= 2:
            items.append(int(tok))
            years.append(None)
        elif tok.isdigit() and len(tok) == 4 and years and years[-1] is None:
            k = len(years)
            while k and years[k - 1] is None:  # every item since the last year
                k -= 1
                years[k] = int(tok)
        else:
            return None
    return list(zip(items, years, strict=True)) or None


def _periods(folded: str, year: int) -> _Result | None:
    """A window over the months or quarters named; a list of months or quarters that are
    not consecutive ("Tháng 3, tháng 9", "Quý I và Quý III") is also due at the end of
    each of them."""
    for unit, span, roman in (("thang", _month_span, False), ("quy", _quarter_span, True)):
        items = _period_items(folded, unit, roman)
        if items:
            (n0, y0), (n1, y1) = items[0], items[-1]
            result: _Result = ("window", span(y0 or year, n0)[0], span(y1 or year, n1)[1], False)
            is_range = bool(_RANGE_WORDS & set(_TOKEN.findall(folded)))
            ends = [span(y or year, n)[1] for n, y in items]
            gaps = any(
                (b - a).days > 31 * (1 if unit == "thang" else 3)
                for a, b in zip(ends, ends[1:], strict=False)
            )
            if len(items) > 1 and not is_range and gaps and ends == sorted(ends):
                return (*result, tuple(ends))
            return result
    return None


def _dates(folded: str, year: int) -> _Result | None:
    """Several due dates: "Trước ngày 15/6 và 15/12", "Trước 30/6/2024; 31/12/2024". A date
    without its year takes the year of the next date that has one, else the plan year."""
    m = _DATE_LIST.fullmatch(folded)
    if not m:
        return None
    found = [(int(d), int(mo), int(y) if y else None) for d, mo, y in _ONE_DATE.findall(folded)]
    years: list[int] = []
    nxt = year
    for _, _, y in reversed(found):
        nxt = y or nxt
        years.append(nxt)
    dues = tuple(
        sorted(date(y, mo, d) for (d, mo, _), y in zip(found, reversed(years), strict=True))
    )
    return "by_date", date(min(year, dues[0].year), 1, 1), dues[-1], False, dues


def _parse(folded: str, year: int) -> _Result | None:
    """(kind, start, end, ongoing[, dues]) of a folded phrase; ValueError for impossible
    dates."""
    result = _parse_one(_VERB_LEAD.sub("", folded, count=1), year)
    if result is None and _RECURRING.search(folded):  # "Trước ngày 15 hằng tháng"
        return ("recurring", *_year_span(year), True)
    return result


def _parse_one(folded: str, year: int) -> _Result | None:
    if _RECURRING.match(folded):
        return ("recurring", *_year_span(year), True)
    if _PER_PLAN.match(folded):
        named = _NAMED_YEAR.search(folded)
        return ("per_plan", *_year_span(int(named.group(1)) if named else year), False)
    m = _BY_DATE.fullmatch(folded) or _BY_DATE_PROSE.fullmatch(folded)
    if m and (m.group("lead") or m.group("y")):  # a bare "3/4" is too ambiguous
        end = date(int(m.group("y") or year), int(m.group("m")), int(m.group("d")))
        return "by_date", date(min(year, end.year), 1, 1), end, False
    if several := _dates(folded, year):
        return several
    m = _HALF.fullmatch(folded)
    if m:
        y = int(m.group("y") or year)
        months = (1, 6) if m.group("half") == "dau" else (7, 12)
        return "window", _month_span(y, months[0])[0], _month_span(y, months[1])[1], False
    m = _WHOLE_YEAR.fullmatch(folded)
    if m:
        return ("window", *_year_span(int(m.group("y") or m.group("y2") or year)), False)
    return _periods(folded, year)


def parse_deadline(raw: str, year: int) -> tuple[Deadline, str | None]:
    """Parse a "Thời gian hoàn thành" cell against the plan ``year``; never raises.

    Returns the Deadline (``raw`` kept as written, NFC) and a Vietnamese warning,
    or None when the phrase was understood or the cell is empty.

    >>> parse_deadline("Tháng 01-02/2022", 2022)[0].end
    datetime.date(2022, 2, 28)
    >>> parse_deadline("Sớm nhất có thể", 2022)[0].kind
    'unspecified'
    """
    text = nfc(raw.replace("\n", " "))
    folded = normalize_dashes(fold(text)).strip(" .;:,-")
    if not any(ch.isalnum() for ch in folded):  # empty, or only "-" / "..."
        return Deadline(text, "unspecified"), None
    try:
        result = _parse(folded, year)
    except (ValueError, OverflowError):  # 31/02, month 13, quarter 5, year 0
        return Deadline(text, "unspecified"), _INVALID.format(raw=text, y=year)
    if result is None:
        return Deadline(text, "unspecified"), _UNKNOWN.format(raw=text, y=year)
    kind, start, end, ongoing = result[:4]
    dues: tuple[date, ...] = result[4] if len(result) > 4 else ()
    if start > end:
        return Deadline(text, "unspecified"), _REVERSED.format(raw=text)
    return Deadline(text, kind, start, end, ongoing, dues), None
