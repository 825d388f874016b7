"""parse_deadline: every phrase of DOMAIN.md §1, variants, warnings, property tests."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib.model import DEADLINE_KINDS
from cchc_lib.plan.deadline import parse_deadline

Y = 2022
YEAR = (date(Y, 1, 1), date(Y, 12, 31))


def d(month: int, day: int, year: int = Y) -> date:
    return date(year, month, day)


# phrase -> (kind, start, end, ongoing); plan year 2022
PHRASES = {
    # seen in the seed
    "Thường xuyên": ("recurring", *YEAR, True),
    "Trước ngày 20/01/2022": ("by_date", d(1, 1), d(1, 20), False),
    "Tháng 01/2022": ("window", d(1, 1), d(1, 31), False),
    "Tháng 01-02/2022": ("window", d(1, 1), d(2, 28), False),
    "Tháng 2/2022 đến tháng 8/2022": ("window", d(2, 1), d(8, 31), False),
    "Quý I": ("window", d(1, 1), d(3, 31), False),
    "Quý III": ("window", d(7, 1), d(9, 30), False),
    "Quý II, III": ("window", d(4, 1), d(9, 30), False),
    "Quý I – Quý II năm 2022": ("window", d(1, 1), d(6, 30), False),
    "Theo Kế hoạch năm": ("per_plan", *YEAR, False),
    "Theo Kế hoạch ISO năm 2022": ("per_plan", *YEAR, False),
    # common elsewhere
    "Quý IV": ("window", d(10, 1), d(12, 31), False),
    "Quý I/2022": ("window", d(1, 1), d(3, 31), False),
    "Quý 1": ("window", d(1, 1), d(3, 31), False),
    "6 tháng đầu năm": ("window", d(1, 1), d(6, 30), False),
    "6 tháng cuối năm": ("window", d(7, 1), d(12, 31), False),
    "Năm 2022": ("window", *YEAR, False),
    "Trong năm 2022": ("window", *YEAR, False),
    "Tháng 3-4/2022": ("window", d(3, 1), d(4, 30), False),
    "Từ tháng 3 đến tháng 6/2022": ("window", d(3, 1), d(6, 30), False),
    "Trước 30/6/2022": ("by_date", d(1, 1), d(6, 30), False),
    "Chậm nhất ngày 20/3/2022": ("by_date", d(1, 1), d(3, 20), False),
    "Hằng năm": ("recurring", *YEAR, True),
    "Hàng năm": ("recurring", *YEAR, True),
    "Hằng quý": ("recurring", *YEAR, True),
    "Hàng tháng": ("recurring", *YEAR, True),
    "Định kỳ": ("recurring", *YEAR, True),
    "Theo quy định": ("recurring", *YEAR, True),
    "Khi có yêu cầu": ("recurring", *YEAR, True),
    # separators, Arabic/Roman, missing years, other spellings
    "Quý I — Quý II": ("window", d(1, 1), d(6, 30), False),
    "Quý II và Quý III năm 2022": ("window", d(4, 1), d(9, 30), False),
    "Quý 2, 3": ("window", d(4, 1), d(9, 30), False),
    "Quý IV năm 2022": ("window", d(10, 1), d(12, 31), False),
    "Tháng 3 - 4": ("window", d(3, 1), d(4, 30), False),
    "Tháng 3 và tháng 6/2022": ("window", d(3, 1), d(6, 30), False),
    "Tháng 3 năm 2022": ("window", d(3, 1), d(3, 31), False),
    "Trong tháng 12": ("window", d(12, 1), d(12, 31), False),
    "Tháng 12/2021 - tháng 2/2022": ("window", d(12, 1, 2021), d(2, 28), False),
    "Trong 6 tháng đầu năm 2022": ("window", d(1, 1), d(6, 30), False),
    "Trong năm": ("window", *YEAR, False),
    "Trước ngày 20/01": ("by_date", d(1, 1), d(1, 20), False),
    "20/01/2022": ("by_date", d(1, 1), d(1, 20), False),
    "Trước ngày 20-01-2022": ("by_date", d(1, 1), d(1, 20), False),
    "Chậm nhất là ngày 20 tháng 3 năm 2022": ("by_date", d(1, 1), d(3, 20), False),
    "Thường xuyên, định kỳ hằng quý": ("recurring", *YEAR, True),
    "Quý I.": ("window", d(1, 1), d(3, 31), False),
}


@pytest.mark.parametrize("raw", list(PHRASES))
def test_phrase(raw):
    deadline, warning = parse_deadline(raw, Y)
    kind, start, end, ongoing = PHRASES[raw]
    assert (deadline.kind, deadline.start, deadline.end, deadline.ongoing) == (
        kind,
        start,
        end,
        ongoing,
    )
    assert warning is None
    assert deadline.raw == raw


@pytest.mark.parametrize("raw", list(PHRASES))
def test_phrase_nfd_upper_and_without_diacritics(raw):
    expected = parse_deadline(raw, Y)[0]
    for variant in (
        unicodedata.normalize("NFD", raw),
        raw.upper(),
        unicodedata.normalize("NFD", raw.upper()),
        "".join(c for c in unicodedata.normalize("NFD", raw) if not unicodedata.combining(c))
        .replace("đ", "d")
        .replace("Đ", "D"),
        f"  {raw}  ",
    ):
        got, warning = parse_deadline(variant, Y)
        assert warning is None
        assert (got.kind, got.start, got.end, got.ongoing) == (
            expected.kind,
            expected.start,
            expected.end,
            expected.ongoing,
        )
        assert got.raw == unicodedata.normalize("NFC", variant).strip()


def test_missing_year_is_the_plan_year():
    assert parse_deadline("Quý II", 2023)[0].start == date(2023, 4, 1)
    assert parse_deadline("Thường xuyên", 2023)[0].end == date(2023, 12, 31)
    assert parse_deadline("Tháng 2", 2024)[0].end == date(2024, 2, 29)  # leap year
    assert parse_deadline("Trước ngày 20/01", 2023)[0].end == date(2023, 1, 20)


def test_per_plan_takes_the_year_named():
    deadline = parse_deadline("Theo Kế hoạch ISO năm 2022", 2023)[0]
    assert (deadline.kind, deadline.start, deadline.end) == (
        "per_plan",
        date(2022, 1, 1),
        date(2022, 12, 31),
    )


def test_by_date_before_the_plan_year_keeps_start_before_end():
    deadline = parse_deadline("Trước 31/12/2021", 2022)[0]
    assert (deadline.start, deadline.end) == (date(2021, 1, 1), date(2021, 12, 31))


def test_empty_is_unspecified_without_warning():
    for raw in ("", "   ", "\n", "-", "..."):
        deadline, warning = parse_deadline(raw, Y)
        assert (deadline.kind, deadline.start, deadline.end, warning) == (
            "unspecified",
            None,
            None,
            None,
        )
        assert deadline.raw == raw.strip()


@pytest.mark.parametrize(
    "raw,words",
    [
        ("Sớm nhất có thể", "Không nhận ra"),
        ("Quý V", "Không nhận ra"),
        ("20/3", "Không nhận ra"),
        ("Trước ngày 31/02/2022", "không tồn tại"),
        ("Tháng 13/2022", "không tồn tại"),
        ("Quý 5", "không tồn tại"),
        ("Tháng 0", "không tồn tại"),
        ("Quý III, I", "bắt đầu sau"),
    ],
)
def test_unknown_or_invalid_warns(raw, words):
    deadline, warning = parse_deadline(raw, Y)
    assert deadline.kind == "unspecified"
    assert deadline.start is None and deadline.end is None
    assert warning is not None and words in warning and f'"{raw}"' in warning
    assert unicodedata.is_normalized("NFC", warning)


def test_raw_is_nfc_and_stripped():
    deadline, _ = parse_deadline(unicodedata.normalize("NFD", "  Quý II, III \n"), Y)
    assert deadline.raw == "Quý II, III"
    assert unicodedata.is_normalized("NFC", deadline.raw)


def _check(raw: str, year: int) -> None:
    deadline, warning = parse_deadline(raw, year)
    assert deadline.kind in DEADLINE_KINDS
    assert warning is None or isinstance(warning, str)
    if deadline.start and deadline.end:
        assert deadline.start <= deadline.end
    if deadline.kind == "unspecified":
        assert deadline.start is None and deadline.end is None
        assert (warning is None) == (not any(c.isalnum() for c in deadline.raw))
    else:
        assert deadline.start and deadline.end and warning is None


@given(st.text(), st.integers(1900, 2100))
def test_never_raises_on_any_text(raw, year):
    _check(raw, year)


_PHRASE_LIKE = re.compile(
    r"(Trước ngày |Tháng |Từ tháng |Quý |Năm |6 tháng đầu năm )"
    r"([0-9]{1,2}|I{1,3}|IV|V)?([/\-–,. ]|đến|và| năm )?([0-9]{1,4}|I{1,3}|IV)?"
    r"([/\-–, ]|đến tháng )?([0-9]{1,4})?"
)


@given(st.from_regex(_PHRASE_LIKE, fullmatch=True), st.integers(1, 9999))
def test_never_raises_on_phrase_like_text(raw, year):
    _check(raw, year)


# --- phrases of other agencies' plans (issue 12) -----------------------------------------

Y24 = 2024
OTHER_PLANS = {
    "Trước ngày 30/6/2024": ("by_date", date(Y24, 1, 1), date(Y24, 6, 30), ()),
    "Quý IV/2024": ("window", date(Y24, 10, 1), date(Y24, 12, 31), ()),
    "Cả năm": ("window", date(Y24, 1, 1), date(Y24, 12, 31), ()),
    "Tháng 3, tháng 9": (
        "window", date(Y24, 3, 1), date(Y24, 9, 30), (date(Y24, 3, 31), date(Y24, 9, 30)),
    ),
    "Quý I và Quý III": (
        "window", date(Y24, 1, 1), date(Y24, 9, 30), (date(Y24, 3, 31), date(Y24, 9, 30)),
    ),
    "Định kỳ 6 tháng": ("recurring", date(Y24, 1, 1), date(Y24, 12, 31), ()),
    "Trước ngày 15/6 và 15/12": (
        "by_date", date(Y24, 1, 1), date(Y24, 12, 15), (date(Y24, 6, 15), date(Y24, 12, 15)),
    ),
    "Trước ngày 15/6/2024; 15/12/2024": (
        "by_date", date(Y24, 1, 1), date(Y24, 12, 15), (date(Y24, 6, 15), date(Y24, 12, 15)),
    ),
    "Hoàn thành trong Quý III/2025": ("window", date(2025, 7, 1), date(2025, 9, 30), ()),
    "Theo quy định": ("recurring", date(Y24, 1, 1), date(Y24, 12, 31), ()),
    "Theo kế hoạch của tỉnh": ("per_plan", date(Y24, 1, 1), date(Y24, 12, 31), ()),
    "Trước ngày 15 hằng tháng": ("recurring", date(Y24, 1, 1), date(Y24, 12, 31), ()),
    # consecutive months or quarters are one window, not several due dates
    "Quý II, III": ("window", date(Y24, 4, 1), date(Y24, 9, 30), ()),
    "Tháng 3 - 4": ("window", date(Y24, 3, 1), date(Y24, 4, 30), ()),
    "Tháng 3\nnăm 2024": ("window", date(Y24, 3, 1), date(Y24, 3, 31), ()),
}  # fmt: skip


@pytest.mark.parametrize("raw", list(OTHER_PLANS))
def test_other_plans_phrases(raw):
    deadline, warning = parse_deadline(raw, Y24)
    assert warning is None
    got = (deadline.kind, deadline.start, deadline.end, deadline.dues)
    assert got == OTHER_PLANS[raw]


def test_dues_are_in_the_json_only_when_several():
    one = parse_deadline("Quý I", Y24)[0].to_dict()
    two = parse_deadline("Trước ngày 15/6 và 15/12", Y24)[0].to_dict()
    assert "dues" not in one
    assert two["dues"] == ["2024-06-15", "2024-12-15"] and two["end"] == "2024-12-15"
