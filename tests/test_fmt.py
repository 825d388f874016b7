from datetime import date

import pytest

from cchc_lib.fmt import (
    fmt_date,
    fmt_date_header,
    fmt_date_prose,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_value,
)


@pytest.mark.parametrize(
    "value,text",
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1234, "1.234"),
        (1234567, "1.234.567"),
        (-1234, "-1.234"),
        (1234.6, "1.235"),
        (None, ""),
    ],
)
def test_fmt_int(value, text):
    assert fmt_int(value) == text


@pytest.mark.parametrize(
    "value,text",
    [
        (26.66, "26,7%"),
        (100.0, "100%"),
        (50, "50%"),
        (0.05, "0,1%"),
        (12.25, "12,3%"),
        (99.96, "100%"),
        (None, ""),
    ],
)
def test_fmt_pct(value, text):
    assert fmt_pct(value) == text


def test_fmt_number_and_value():
    assert fmt_number(1234.5) == "1.234,5"
    assert fmt_number(1234.0, 2, keep_zeros=True) == "1.234,00"
    assert fmt_value(1234, "count") == "1.234"
    assert fmt_value(26.66, "%") == "26,7%"
    assert fmt_value(3, "rank") == "3"
    assert fmt_value(2.5, "count") == "2,5"
    assert fmt_value(None, "%") == ""


def test_dates():
    d = date(2022, 3, 14)
    assert fmt_date(d) == "14/3/2022"
    assert fmt_date(date(2021, 12, 5)) == "5/12/2021"
    assert fmt_date(None) == ""
    assert fmt_date_prose(d) == "ngày 14 tháng 3 năm 2022"
    assert fmt_date_header(d) == "ngày 14 tháng 3 năm 2022"


@pytest.mark.parametrize(
    "d,text",
    [
        (date(2022, 2, 5), "ngày 05 tháng 02 năm 2022"),
        (date(2022, 1, 19), "ngày 19 tháng 01 năm 2022"),
        (date(2022, 3, 9), "ngày 09 tháng 3 năm 2022"),
        (date(2022, 12, 10), "ngày 10 tháng 12 năm 2022"),
        (date(2022, 10, 1), "ngày 01 tháng 10 năm 2022"),
    ],
)
def test_date_header_leading_zeros(d, text):
    assert fmt_date_header(d) == text
