from datetime import date

import pytest

from cchc_lib.errors import CchcError, PeriodError
from cchc_lib.periods import month_of, parse_period

D = date

# code -> (official window, calendar window, months)
WINDOWS_2022 = {
    "2022-Q1": ((D(2021, 12, 15), D(2022, 3, 14)), (D(2022, 1, 1), D(2022, 3, 31)), (1, 3)),
    "2022-Q2": ((D(2022, 3, 15), D(2022, 6, 14)), (D(2022, 4, 1), D(2022, 6, 30)), (4, 6)),
    "2022-Q3": ((D(2022, 6, 15), D(2022, 9, 14)), (D(2022, 7, 1), D(2022, 9, 30)), (7, 9)),
    "2022-Q4": ((D(2022, 9, 15), D(2022, 12, 14)), (D(2022, 10, 1), D(2022, 12, 31)), (10, 12)),
    "2022-H1": ((D(2021, 12, 15), D(2022, 6, 14)), (D(2022, 1, 1), D(2022, 6, 30)), (1, 6)),
    "2022-H2": ((D(2022, 6, 15), D(2022, 12, 14)), (D(2022, 7, 1), D(2022, 12, 31)), (7, 12)),
    "2022-9M": ((D(2021, 12, 15), D(2022, 9, 14)), (D(2022, 1, 1), D(2022, 9, 30)), (1, 9)),
    "2022-Y": ((D(2021, 12, 15), D(2022, 12, 14)), (D(2022, 1, 1), D(2022, 12, 31)), (1, 12)),
    "2022-01": ((D(2021, 12, 15), D(2022, 1, 14)), (D(2022, 1, 1), D(2022, 1, 31)), (1, 1)),
    "2022-02": ((D(2022, 1, 15), D(2022, 2, 14)), (D(2022, 2, 1), D(2022, 2, 28)), (2, 2)),
    "2022-03": ((D(2022, 2, 15), D(2022, 3, 14)), (D(2022, 3, 1), D(2022, 3, 31)), (3, 3)),
    "2022-12": ((D(2022, 11, 15), D(2022, 12, 14)), (D(2022, 12, 1), D(2022, 12, 31)), (12, 12)),
}


@pytest.mark.parametrize("code", sorted(WINDOWS_2022))
def test_windows_both_rules(code):
    official, cal, (first, last) = WINDOWS_2022[code]
    p = parse_period(code)
    assert (p.start, p.end) == official
    assert p.rule == "official"
    assert p.months == tuple(f"2022-{m:02d}" for m in range(first, last + 1))
    c = parse_period(code, rule="calendar")
    assert (c.start, c.end) == cal
    assert c.months == p.months
    assert p.code == code


def test_leap_year_calendar_february():
    assert parse_period("2024-02", "calendar").end == D(2024, 2, 29)


@pytest.mark.parametrize(
    "code,label",
    [
        ("2022-Q1", "quý I năm 2022"),
        ("2022-Q2", "quý II năm 2022"),
        ("2022-Q3", "quý III năm 2022"),
        ("2022-Q4", "quý IV năm 2022"),
        ("2022-H1", "6 tháng đầu năm 2022"),
        ("2022-H2", "6 tháng cuối năm 2022"),
        ("2022-9M", "9 tháng đầu năm 2022"),
        ("2022-Y", "năm 2022"),
        ("2022-03", "tháng 3 năm 2022"),
    ],
)
def test_labels(code, label):
    assert parse_period(code).label == label


@pytest.mark.parametrize(
    "code,previous,nxt",
    [
        ("2022-Q1", "2021-Q4", "2022-Q2"),
        ("2022-Q3", "2022-Q2", "2022-Q4"),
        ("2022-Q4", "2022-Q3", "2023-Q1"),
        ("2022-H1", "2021-H2", "2022-H2"),
        ("2022-H2", "2022-H1", "2023-H1"),
        ("2022-Y", "2021-Y", "2023-Y"),
        ("2022-9M", "2021-9M", "2022-Q4"),
        ("2022-01", "2021-12", "2022-02"),
        ("2022-12", "2022-11", "2023-01"),
    ],
)
def test_previous_and_next(code, previous, nxt):
    p = parse_period(code, "calendar")
    assert p.previous.code == previous
    assert p.next.code == nxt
    assert p.previous.rule == "calendar"
    assert p.previous.kind == p.kind


def test_previous_h2_months():
    prev = parse_period("2022-H1").previous
    assert prev.kind == "half" and prev.index == 2
    assert prev.months[0] == "2021-07" and prev.months[-1] == "2021-12"
    assert (prev.start, prev.end) == (D(2021, 6, 15), D(2021, 12, 14))


@pytest.mark.parametrize(
    "code,official",
    [
        ("2022-Q1", True),
        ("2022-H1", True),
        ("2022-Q3", True),
        ("2022-Y", True),
        ("2022-Q2", False),
        ("2022-Q4", False),
        ("2022-9M", False),
        ("2022-H2", False),
        ("2022-03", False),
    ],
)
def test_is_official(code, official):
    assert parse_period(code).is_official is official


def test_contains_edges():
    q1 = parse_period("2022-Q1")
    assert q1.contains(D(2021, 12, 15))
    assert not q1.contains(D(2021, 12, 14))
    assert q1.contains(D(2022, 3, 14))
    assert not q1.contains(D(2022, 3, 15))
    cal = parse_period("2022-Q1", "calendar")
    assert cal.contains(D(2022, 3, 15))
    assert not cal.contains(D(2021, 12, 15))


def test_month_of():
    assert month_of(D(2022, 3, 14)) == "2022-03"
    assert month_of(D(2022, 3, 15)) == "2022-04"
    assert month_of(D(2021, 12, 20)) == "2022-01"
    assert month_of(D(2022, 3, 15), "calendar") == "2022-03"


def test_rule_labels():
    assert parse_period("2022-Q1").rule_label == (
        "Số liệu tính từ ngày 15/12/2021 đến ngày 14/3/2022 (theo quy định kỳ báo cáo: "
        "từ ngày 15 tháng trước đến ngày 14 tháng cuối kỳ)"
    )
    cal = parse_period("2022-Q1", "calendar").rule_label
    assert "1/1/2022" in cal and "31/3/2022" in cal and "dương lịch" in cal


def test_year_end_and_ytd():
    assert parse_period("2022-Y").is_year_end
    assert parse_period("2022-Q4").is_year_end
    assert not parse_period("2022-Q3").is_year_end
    assert parse_period("2022-Q3").year_to_date == tuple(f"2022-{m:02d}" for m in range(1, 10))


@pytest.mark.parametrize(
    "text,code",
    [
        (" 2022-q1 ", "2022-Q1"),
        ("2022Q3", "2022-Q3"),
        ("2022-6M", "2022-H1"),
        ("2022-3", "2022-03"),
        ("2022-y", "2022-Y"),
    ],
)
def test_lenient_codes(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize("bad", ["2022-Q5", "2022-13", "Q1", "2022", "2022-H3", "", "năm 2022"])
def test_invalid_codes(bad):
    with pytest.raises(PeriodError) as exc:
        parse_period(bad)
    msg = str(exc.value)
    assert "không hợp lệ" in msg
    assert isinstance(exc.value, CchcError)


def test_invalid_code_lists_forms():
    with pytest.raises(PeriodError, match="2022-H1.*2022-9M.*2022-Y.*2022-03"):
        parse_period("2022-Q5")


def test_invalid_rule():
    with pytest.raises(PeriodError, match="official.*calendar"):
        parse_period("2022-Q1", rule="lunar")


def test_period_is_frozen_and_hashable():
    p = parse_period("2022-Q1")
    with pytest.raises(AttributeError):
        p.year = 2023  # type: ignore[misc]
    assert {p: 1}[parse_period("2022-Q1")] == 1
    assert p != parse_period("2022-Q1", "calendar")
