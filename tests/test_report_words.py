"""How figures and plan levels are worded in the report (report/words.py)."""

from __future__ import annotations

from datetime import date

import pytest

from cchc_lib.indicators.results import TargetResult
from cchc_lib.report import words


def target(**kw) -> TargetResult:
    base = dict(
        target_id="T1",
        text="…",
        actual=None,
        threshold=100.0,
        comparator=">=",
        stretch=None,
        unit="%",
        met=None,
        status="no_data",
    )
    base.update(kw)
    return TargetResult(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        (dict(threshold=100.0), "100%"),
        (dict(threshold=50.0), "Ít nhất 50%"),
        (dict(threshold=30.0, stretch=50.0), "Ít nhất 30%, phấn đấu 50%"),
        (dict(threshold=1.0, unit="count", stretch=2.0), "Ít nhất 01, phấn đấu 02"),
        (dict(threshold=3.0, unit="rank", stretch=5.0), "Tăng ít nhất 03 bậc, phấn đấu 05 bậc"),
        (dict(threshold=5.0, unit="rank", comparator="<="), "Trong nhóm 05 đơn vị dẫn đầu"),
        (dict(threshold=2.0, unit="count", comparator="<="), "Không quá 02"),
    ],
)
def test_plan_value(kw, expected):
    assert words.plan_value(target(**kw)) == expected


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        (dict(actual=None), "—"),
        (dict(actual=87.5), "87,5%"),
        (dict(actual=12.0, unit="count"), "12"),
        (dict(actual=2.0, unit="rank"), "Tăng 2 bậc"),
        (dict(actual=0.0, unit="rank"), "Giữ nguyên"),
        (dict(actual=-3.0, unit="rank"), "Giảm 3 bậc"),
        # a place in the ranking is not a rise
        (dict(actual=4.0, unit="rank", comparator="<=", threshold=5.0), "Xếp thứ 4"),
    ],
)
def test_actual_value(kw, expected):
    assert words.actual_value(target(**kw)) == expected


def test_gap_text_only_for_a_target_not_met():
    assert words.gap_text(target(actual=80.0, met=True)) == ""
    assert words.gap_text(target(actual=None, met=None)) == ""
    assert words.gap_text(target(actual=87.5, met=False)) == (
        "chênh lệch 12,5 điểm phần trăm so với kế hoạch"
    )
    assert words.gap_text(target(actual=1.0, threshold=3.0, unit="rank", met=False)) == (
        "còn thiếu 2 bậc so với kế hoạch"
    )
    assert words.gap_text(
        target(actual=8.0, threshold=5.0, unit="rank", comparator="<=", met=False)
    ) == ("thấp hơn 3 bậc so với kế hoạch")


def test_dates_and_counts_the_decree_way():
    assert words.on(date(2022, 1, 19)) == "ngày 19/01/2022"
    assert words.date_text(date(2022, 12, 14)) == "14/12/2022"
    assert [words.count(n) for n in (0, 1, 9, 10, 1234)] == ["0", "01", "09", "10", "1.234"]


def test_result_text_drops_status_words_and_bare_percentages():
    assert words.result_text("Đã hoàn thành: Ban hành Quyết định số 12/QĐ-SCT.") == (
        "Ban hành Quyết định số 12/QĐ-SCT"
    )
    assert words.result_text("Đang thực hiện - đã thực hiện 60%") == ""
    assert words.result_text("  ") == ""


def test_first_sentence_never_cuts_a_number_or_a_word():
    assert words.first_sentence("Đạt 12.5 điểm. Còn lại") == "Đạt 12.5 điểm"
    long = "chữ " * 200
    cut = words.first_sentence(long, limit=50)
    assert cut.endswith("…") and len(cut) <= 51 and "chữ…" in cut


def test_lower_first_keeps_acronyms():
    assert words.lower_first("Triển khai ISO") == "triển khai ISO"
    assert words.lower_first("UBND tỉnh giao") == "UBND tỉnh giao"


def test_join_items():
    assert words.join_items([]) == ""
    assert words.join_items(["a"]) == "a"
    assert words.join_items(["a", "b", "c"]) == "a, b và c"
