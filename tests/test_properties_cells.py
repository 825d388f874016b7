"""Property-based tests of the cell parsers: monthly workbooks and plan cells.

Monthly cells (``cchc_lib.monthly.cells``) get what python-calamine returns: ``str``,
``int``, ``float`` (nan and inf included), ``bool``, ``date``, ``datetime``, ``time``,
``timedelta``, ``None`` or ``""``. Each parser returns a value of its type (None for a
blank cell) or raises ``ValueError``, never anything else.

Plan cells (deadline, budget, measures) never raise at all.
"""

from __future__ import annotations

import calendar
import math
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc_lib.model import BUDGET_KINDS, DEADLINE_KINDS, STATUSES, Budget, Deadline, Measure
from cchc_lib.monthly.cells import (
    MAX_COUNT,
    cell_text,
    parse_count,
    parse_date,
    parse_month,
    parse_percent,
    parse_status,
)
from cchc_lib.plan.budget import parse_budget
from cchc_lib.plan.deadline import parse_deadline
from cchc_lib.plan.measures import COUNTED_NOUNS, extract_measures
from cchc_lib.text import nfc

SETTINGS = settings(deadline=None)

INT64 = 2**63 - 1

# --- what python-calamine hands over -------------------------------------------------


def digits(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=lo, max_size=hi)


def pick(*choices: str) -> st.SearchStrategy[str]:
    return st.sampled_from(choices)


def joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


numeric_text = st.one_of(
    st.integers(-(10**6), 10**9).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:.3f}".replace(".", ",")),
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: f"{x:g}%"),
    st.integers(0, 10**12).map(lambda n: f"{n:,}".replace(",", ".")),  # "1.234.567"
    joined(
        pick(" ", "", "\u00a0"),
        pick("", "+", "-"),
        digits(1, 4),
        pick("", ",", "."),
        digits(0, 4),
        pick("", " ", "%", " %", "% "),
    ),
)
date_text = st.one_of(
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.dates().map(lambda d: d.isoformat()),
    joined(
        digits(1, 2), pick("/", ".", "-", " / "), digits(1, 2), pick("/", ".", "-"), digits(4, 4)
    ),
    joined(digits(4, 4), pick("-"), digits(1, 2), pick("-"), digits(1, 2)),
)
month_text = st.one_of(
    joined(pick("", " "), digits(4, 4), pick("-", "/", ""), digits(2, 2), pick("", " ", "\n")),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 99)),
)


def _respell(label: str, upper: bool, nfd: bool, pad: str) -> str:
    s = label.upper() if upper else label
    s = unicodedata.normalize("NFD", s) if nfd else s
    return pad + s.replace(" ", "  " if pad else " ") + pad


status_text = st.one_of(
    st.builds(
        _respell,
        st.sampled_from(
            [
                *STATUSES.values(),
                *(k.replace("_", " ") for k in STATUSES),
                "Đã hoàn thành",
                "dang trien khai",
                "Chưa thực hiện",
            ]
        ),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["", " ", "\u00a0", "\t"]),
    ),
)

cell_strings = st.one_of(
    st.text(max_size=40), numeric_text, date_text, month_text, status_text, st.just("")
)
cells = st.one_of(
    st.none(),
    st.just(""),
    cell_strings,
    st.integers(-INT64 - 1, INT64),
    st.integers(-10, 80000),  # small counts and Excel date serials
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 100),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def outcome(parser: Callable[[Any], object], value: object) -> object:
    """The parser's result, or the ValueError it raised; any other exception propagates."""
    try:
        return parser(value)
    except ValueError as exc:
        assert str(exc), "a ValueError must explain itself"
        return exc


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- returns the right type or raises ValueError -----------------------------------


def check_percent(value: object) -> None:
    r = outcome(parse_percent, value)
    if isinstance(r, ValueError):
        return
    if is_blank(value):
        assert r is None
    else:
        assert type(r) is float and 0 <= r <= 100 and math.isfinite(r)


def check_count(value: object, minimum: int) -> None:
    r = outcome(lambda v: parse_count(v, minimum=minimum), value)
    if isinstance(r, ValueError):
        return
    if is_blank(value):
        assert r is None
    else:
        assert type(r) is int and r >= minimum


def check_date(value: object) -> None:
    r = outcome(parse_date, value)
    if isinstance(r, ValueError):
        return
    if is_blank(value):
        assert r is None
    else:
        assert type(r) is date  # a datetime comes back as its date


def check_status(value: object) -> None:
    r = outcome(parse_status, value)
    if isinstance(r, ValueError):
        return
    if is_blank(value):
        assert r is None
    else:
        assert r in STATUSES


def check_text(value: object) -> None:
    r = outcome(cell_text, value)
    if isinstance(r, ValueError):
        return
    assert isinstance(r, str)
    assert r == r.strip()
    if is_blank(value):
        assert r == ""
    if isinstance(value, str):
        assert unicodedata.is_normalized("NFC", r)


def check_month(value: object) -> None:
    r = outcome(parse_month, value)
    if isinstance(r, ValueError):
        return
    assert isinstance(r, tuple) and len(r) == 2
    year, month = r
    assert type(year) is int and type(month) is int and 1 <= month <= 12


@settings(deadline=None)
@given(cells, st.integers(-5, 5))
@example(float("nan"), 0)
@example(float("inf"), 0)
@example(-0.0, 0)
@example(True, 0)
@example(" 80 % ", 0)
@example("100,0", 0)
@example("1.234", 0)
@example(2.5, 0)
@example(datetime(2022, 3, 4, 10, 30), 0)
@example(44621, 0)
@example(44621.5, 0)
@example("31/02/2022", 0)
@example("0000-01-01", 0)
@example("2022-13", 0)
@example("Hoàn thành", 0)
def test_monthly_cell_parsers_return_their_type_or_raise_value_error(
    value: object, minimum: int
) -> None:
    check_percent(value)
    check_count(value, minimum)
    check_date(value)
    check_status(value)
    check_text(value)
    check_month(value)


# --- exact values ---------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.integers(0, 100), st.floats(0, 100)))
def test_parse_percent_of_a_number_in_range_is_that_number(x: float) -> None:
    assert parse_percent(x) == x


@SETTINGS
@given(st.integers(0, 100), st.integers(0, 9))
def test_parse_percent_of_written_percentages(whole: int, tenth: int) -> None:
    text = f"{whole},{tenth}" if whole < 100 else "100"
    x = float(text.replace(",", "."))
    assert parse_percent(text) == x
    assert parse_percent(f" {text} %") == x


@SETTINGS
@given(st.integers(0, MAX_COUNT))
@example(0)
@example(MAX_COUNT)
def test_parse_count_of_a_whole_number_is_that_number(n: int) -> None:
    assert parse_count(n) == n
    assert parse_count(float(n)) == n
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}".replace(",", ".")) == n  # Vietnamese thousands


@SETTINGS
@given(st.integers(MAX_COUNT + 1, INT64 * 2**40))
@example(10**28)  # once crashed number formatting
def test_parse_count_above_the_bound_is_an_error(n: int) -> None:
    for value in (n, float(n), str(n)):
        with pytest.raises(ValueError, match="quá lớn"):
            parse_count(value)


@SETTINGS
@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from("/.-"), st.booleans())
def test_parse_date_round_trips_dd_mm_yyyy(d: date, sep: str, pad: bool) -> None:
    text = (
        f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year:04d}"
        if pad
        else f"{d.day}{sep}{d.month}{sep}{d.year}"
    )
    assert parse_date(text) == d
    assert parse_date(f" {text} ") == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(cell_text(d)) == d  # what cell_text writes, parse_date reads back


@SETTINGS
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
def test_parse_date_of_datetimes_and_serials(dt: datetime) -> None:
    assert parse_date(dt) == dt.date()
    serial = (dt.date() - date(1899, 12, 30)).days
    assert parse_date(serial) == dt.date()
    assert parse_date(float(serial)) == dt.date()


@SETTINGS
@given(status_text)
def test_parse_status_reads_every_spelling_of_a_label(text: str) -> None:
    assert parse_status(text) in STATUSES


@SETTINGS
@given(st.integers(0, 9999), st.integers(1, 12))
def test_parse_month_round_trips(year: int, month: int) -> None:
    assert parse_month(f"{year:04d}-{month:02d}") == (year, month)
    assert parse_month(f" {year:04d}-{month:02d} ") == (year, month)


# --- plan cells: deadlines ---------------------------------------------------------------

_DEADLINE_WORDS = [
    "Trước ngày", "trước", "Chậm nhất", "chậm nhất là ngày", "Hạn chót", "Đến ngày", "Vào",
    "ngày", "tháng", "Tháng", "quý", "Quý", "QUÝ", "năm", "Năm", "Trong", "trong", "Từ", "từ",
    "đến", "tới", "và", "6 tháng đầu năm", "6 tháng cuối năm", "Nửa đầu năm", "cả năm",
    "Thường xuyên", "Hằng quý", "Hàng tháng", "Định kỳ", "Theo quy định", "Khi có yêu cầu",
    "Theo Kế hoạch", "Theo kế hoạch ISO năm", "Theo lộ trình", "I", "II", "III", "IV", "V",
    "i", "iv", "-", "–", "—", "/", ".", ",", "&", ";", ":", "...", "(", ")",
]  # fmt: skip
deadline_words = st.one_of(
    st.sampled_from(_DEADLINE_WORDS),
    st.integers(0, 40).map(str),
    st.integers(0, 12).map(lambda n: f"{n:02d}"),
    st.integers(0, 9999).map(str),
    joined(digits(1, 2), pick("/", ".", "-"), digits(1, 2), pick("", "/", ".", "-"), digits(0, 4)),
)
deadline_text = st.one_of(
    st.text(max_size=40),
    st.lists(deadline_words, max_size=8).map(" ".join),
    st.lists(deadline_words, max_size=8).map("".join),
    st.lists(deadline_words, max_size=6).map(lambda w: unicodedata.normalize("NFD", " ".join(w))),
)


@settings(deadline=None)
@given(deadline_text, st.one_of(st.integers(1900, 2100), st.integers(1, 9999)))
@example("Quý II, III", 2022)
@example("Trước ngày 31/02/2022", 2022)
@example("Tháng 13", 2022)
@example("Quý V", 2022)
@example("Tháng 8 đến tháng 2", 2022)
@example("Trước ngày 20/01", 9999)
@example("Năm 0000", 2022)
def test_parse_deadline_never_raises(raw: str, year: int) -> None:
    result = parse_deadline(raw, year)
    assert isinstance(result, tuple) and len(result) == 2
    d, warning = result
    assert isinstance(d, Deadline)
    assert warning is None or (isinstance(warning, str) and warning)
    assert d.kind in DEADLINE_KINDS
    assert d.raw == nfc(raw)
    if d.kind == "unspecified":
        assert d.start is None and d.end is None and not d.ongoing
        return
    assert warning is None
    assert isinstance(d.start, date) and isinstance(d.end, date)
    assert d.start <= d.end
    assert d.ongoing == (d.kind == "recurring")
    if d.kind == "recurring":
        assert (d.start, d.end) == (date(year, 1, 1), date(year, 12, 31))
    if d.kind == "per_plan":
        assert (d.start.month, d.start.day, d.end.month, d.end.day) == (1, 1, 12, 31)
    if d.kind == "window":
        assert d.start.day == 1
        assert d.end.day == calendar.monthrange(d.end.year, d.end.month)[1]  # a month's last day


# --- plan cells: budgets ------------------------------------------------------------------

_BUDGET_WORDS = [
    "tỷ", "tỉ", "triệu", "nghìn", "ngàn", "đồng", "đ", "VNĐ", "vnd", "Kinh phí:", "Tổng",
    "Khoảng", "Dự kiến", "Không", "Không có", "phát sinh", "Theo dự toán được duyệt",
    "Trong dự toán", "Lồng ghép", "Nguồn xã hội hóa", "(", ")", "(Năm mươi triệu đồng)", "-",
    ".", ",", "/",
]  # fmt: skip
vn_numbers = st.one_of(
    st.integers(0, 10**13).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(0, 10**13).map(lambda n: f"{n:,}".replace(",", " ")),
    st.integers(0, 10**6).map(str),
    st.lists(digits(1, 4), min_size=1, max_size=4).flatmap(
        lambda groups: st.sampled_from([".", ","]).map(lambda sep: sep.join(groups))
    ),
    digits(20, 40),
)
budget_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(_BUDGET_WORDS), vn_numbers), max_size=8).map(" ".join),
    st.lists(st.one_of(st.sampled_from(_BUDGET_WORDS), vn_numbers), max_size=6).map("".join),
)


def check_budget(raw: str) -> Budget:
    b = parse_budget(raw)
    assert isinstance(b, Budget)
    assert b.kind in BUDGET_KINDS
    assert b.raw == nfc(raw)
    assert (b.amount_vnd is not None) == (b.kind == "amount")
    if b.kind == "amount":
        assert type(b.amount_vnd) is int and b.amount_vnd > 0
    return b


@settings(deadline=None)
@given(budget_text)
@example("0 đồng")
@example("1 tỷ 200 triệu đồng")
@example("200 triệu 1 tỷ")
@example("0,0001 đồng")
@example("9" * 30 + " tỷ")
def test_parse_budget_never_raises(raw: str) -> None:
    check_budget(raw)


@SETTINGS
@given(st.integers(1, 10**15), st.sampled_from(["", " đồng", "đ", " VNĐ"]))
def test_parse_budget_reads_written_amounts(n: int, currency: str) -> None:
    written = f"{n:,}".replace(",", ".")
    b = check_budget(written + currency)
    assert (b.kind, b.amount_vnd) == ("amount", n)


@SETTINGS
@given(st.integers(1, 10**4), st.sampled_from([("tỷ", 10**9), ("triệu", 10**6), ("nghìn", 1000)]))
def test_parse_budget_reads_amounts_with_a_unit(n: int, unit: tuple[str, int]) -> None:
    word, scale = unit
    b = check_budget(f"{n} {word} đồng")
    assert (b.kind, b.amount_vnd) == ("amount", n * scale)


# --- plan cells: measures ------------------------------------------------------------------

_MEASURE_WORDS = [
    "ít nhất", "tối thiểu", "không quá", "không vượt quá", "tối đa", "dưới", "trên", "phấn đấu",
    "đạt", "tăng", "thêm", "đúng", "bằng", "chính xác", "trở lên", "trở xuống", "đến", "tới",
    "năm", "ngày", "tháng", "số", "mức độ", "ISO", "giai đoạn", "phần trăm", "%", "bậc",
    "hạng", "hàng", "-", "–", ".", ";", "?", "!", "…", "/", ":", "(", ")", ",", "\n", "\n\n",
    "\n- ", "TP.", "v.v.",
]  # fmt: skip
measure_words = st.one_of(
    st.sampled_from(_MEASURE_WORDS + list(COUNTED_NOUNS)),
    joined(digits(1, 4), pick("", ",", "."), digits(0, 3), pick("", "%", " %")),
    joined(digits(1, 3), pick("-", " - ", "–", " đến "), digits(1, 3), pick("", "%")),
    digits(31, 40),
)
measure_text = st.one_of(
    st.text(max_size=60),
    st.lists(measure_words, max_size=14).map(" ".join),
    st.lists(measure_words, max_size=10).map(lambda w: unicodedata.normalize("NFD", " ".join(w))),
    st.lists(measure_words, max_size=10).map(lambda w: " ".join(w).upper()),
)


@settings(deadline=None)
@given(measure_text)
@example("Có ít nhất 01-02 sáng kiến được công nhận. 100% hồ sơ đúng hạn.")
@example("không quá 5-3%")
@example("tăng 03-05 bậc")
@example("(100% hồ sơ; 02 phòng)")
@example("50% đến 2025")
def test_extract_measures_never_raises(text: str) -> None:
    measures = extract_measures(text)
    assert isinstance(measures, tuple)
    for m in measures:
        assert isinstance(m, Measure)
        assert m.unit in {"%", "count", "rank"}
        assert m.comparator in {">=", "=", "<="}
        assert isinstance(m.text, str) and m.text
        assert isinstance(m.value, float) and math.isfinite(m.value) and m.value >= 0
        if m.stretch is not None:
            assert isinstance(m.stretch, float) and math.isfinite(m.stretch)
            # A range: the minimum and the aim (for "<=" the larger number is the limit).
            if m.comparator == "<=":
                assert m.value > m.stretch
            else:
                assert m.value < m.stretch
