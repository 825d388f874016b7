"""Property-based tests of reporting periods and their windows (``cchc_lib.periods``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc_lib.errors import CchcError, PeriodError
from cchc_lib.periods import KINDS, Period, month_of, parse_period

ONE_DAY = timedelta(days=1)
RULE_NAMES = ("official", "calendar")

# Years whose neighbours (previous/next year) are still valid period years (1900-2999).
years = st.integers(min_value=1901, max_value=2998)
rules = st.sampled_from(RULE_NAMES)
# Dates whose month window and year are inside 1901-2998 under both rules.
dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2998, 11, 30))

SETTINGS = settings(deadline=None)


def months_of_year(year: int, rule: str) -> list[Period]:
    return [parse_period(f"{year}-{m:02d}", rule) for m in range(1, 13)]


def assert_tiles(whole: Period, parts: list[Period]) -> None:
    """``parts`` cover ``whole``'s window and months exactly, in order, with no gap or overlap."""
    assert parts[0].start == whole.start
    assert parts[-1].end == whole.end
    for p in parts:
        assert p.start <= p.end
    for a, b in zip(parts, parts[1:], strict=False):
        assert a.end + ONE_DAY == b.start, (a, b)
    assert tuple(m for p in parts for m in p.months) == whole.months


# --- tiling ---------------------------------------------------------------------


@SETTINGS
@given(years, rules)
def test_months_tile_the_year(year: int, rule: str) -> None:
    months = months_of_year(year, rule)
    assert_tiles(parse_period(f"{year}-Y", rule), months)
    for m, p in enumerate(months, start=1):
        assert p.kind == "month"
        assert p.index == m
        assert p.months == (f"{year:04d}-{m:02d}",)
        assert p.code == p.months[0]


@SETTINGS
@given(years, rules)
def test_quarters_and_halves_tile_the_year(year: int, rule: str) -> None:
    whole = parse_period(f"{year}-Y", rule)
    quarters = [parse_period(f"{year}-Q{q}", rule) for q in range(1, 5)]
    halves = [parse_period(f"{year}-H{h}", rule) for h in (1, 2)]
    months = months_of_year(year, rule)
    assert_tiles(whole, quarters)
    assert_tiles(whole, halves)
    assert_tiles(halves[0], quarters[:2])
    assert_tiles(halves[1], quarters[2:])
    assert_tiles(parse_period(f"{year}-9M", rule), quarters[:3])
    for q, quarter in enumerate(quarters):
        assert_tiles(quarter, months[3 * q : 3 * q + 3])
    for h, half in enumerate(halves):
        assert_tiles(half, months[6 * h : 6 * h + 6])


@SETTINGS
@given(years, rules)
def test_consecutive_years_are_adjacent(year: int, rule: str) -> None:
    this, following = parse_period(f"{year}-Y", rule), parse_period(f"{year + 1}-Y", rule)
    assert this.end + ONE_DAY == following.start


@SETTINGS
@given(years)
def test_official_windows_run_from_the_15th_to_the_14th(year: int) -> None:
    for p in months_of_year(year, "official"):
        assert (p.start.day, p.end.day) == (15, 14)
        assert p.end.month == p.index
    for m, p in enumerate(months_of_year(year, "calendar"), start=1):
        assert p.start == date(year, m, 1)
        assert (p.end + ONE_DAY).day == 1


# --- previous / next --------------------------------------------------------------


def codes_of(year: int) -> list[str]:
    return (
        [f"{year}-Q{q}" for q in range(1, 5)]
        + [f"{year}-H{h}" for h in (1, 2)]
        + [f"{year}-{m:02d}" for m in range(1, 13)]
        + [f"{year}-Y"]
    )


@SETTINGS
@given(years, rules, st.data())
def test_previous_and_next_are_inverse(year: int, rule: str, data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(codes_of(year)), label="code")
    p = parse_period(code, rule)
    assert p.next.previous == p
    assert p.previous.next == p
    for q in (p.next, p.previous):
        assert (q.kind, q.rule) == (p.kind, p.rule)
        assert len(q.months) == len(p.months)
    # Same-kind neighbours are adjacent windows: no gap, no overlap.
    assert p.end + ONE_DAY == p.next.start
    assert p.previous.end + ONE_DAY == p.start


# --- one date, one month ----------------------------------------------------------


@SETTINGS
@given(dates, rules)
@example(date(2022, 3, 14), "official")
@example(date(2022, 3, 15), "official")
@example(date(2021, 12, 15), "official")
@example(date(2022, 12, 31), "calendar")
def test_a_date_lies_in_exactly_one_month_window(d: date, rule: str) -> None:
    candidates = [p for y in (d.year - 1, d.year, d.year + 1) for p in months_of_year(y, rule)]
    holding = [p for p in candidates if p.contains(d)]
    assert len(holding) == 1, holding
    (p,) = holding
    assert month_of(d, rule) == p.code == p.months[0]
    assert p.start <= d <= p.end
    # ... and in exactly one year window: the year of its month label.
    year_windows = [parse_period(f"{y}-Y", rule) for y in (d.year - 1, d.year, d.year + 1)]
    assert [y.year for y in year_windows if y.contains(d)] == [p.year]


# --- junk codes -------------------------------------------------------------------

# Near-valid material: digits, the period letters and separators.
near_codes = st.text(alphabet="0123456789-QHMYNqhmyn 9\t", max_size=12)
junk = st.one_of(
    st.text(max_size=30),
    near_codes,
    st.builds(lambda y, p: f"{y}-{p}", st.integers(-50, 99999), st.text(max_size=4)),
    st.builds(
        lambda y, p: f"{y}-{p}", years, st.sampled_from(["Q0", "Q5", "H0", "H3", "00", "13"])
    ),
)


def parse_or_error(code: object, rule: str = "official") -> Period | PeriodError:
    try:
        return parse_period(code, rule)  # type: ignore[arg-type]
    except PeriodError as exc:
        return exc


@settings(deadline=None)
@given(junk, rules)
@example("", "official")
@example("2022-Q5", "official")
@example("2022-13", "calendar")
@example("1899-Y", "official")
@example("3000-Q1", "official")
@example("2022--Q1", "official")
@example("2022-Q1\n", "official")
def test_parse_period_raises_period_error_and_nothing_else(code: str, rule: str) -> None:
    result = parse_or_error(code, rule)
    if isinstance(result, PeriodError):
        assert isinstance(result, CchcError)
        assert str(result)
        return
    # Accepted: a well-formed period whose own code reads back to it.
    assert result.kind in KINDS
    assert 1900 <= result.year <= 2999
    assert result.months and result.start <= result.end
    assert parse_period(result.code, rule) == result


@pytest.mark.parametrize("code", ["Q1", "2022", "2022-Q", "2022-Q1-Q2", "22-Q1", "2022-M13"])
def test_near_misses_raise_period_error(code: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(code)


@SETTINGS
@given(st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.dates()))
def test_parse_period_of_non_text_raises_period_error_or_parses(code: object) -> None:
    result = parse_or_error(code)
    assert isinstance(result, Period | PeriodError)


@SETTINGS
@given(st.text(max_size=20).filter(lambda r: r not in RULE_NAMES))
def test_unknown_rule_raises_period_error(rule: str) -> None:
    with pytest.raises(PeriodError):
        parse_period("2022-Q1", rule)
    with pytest.raises(PeriodError):
        month_of(date(2022, 3, 1), rule)
