"""parse_budget and parse_vn_number: every phrase of DOMAIN.md §1, variants, property tests."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib.model import BUDGET_KINDS
from cchc_lib.plan.budget import parse_budget, parse_vn_number

PHRASES = {
    "0": ("none", None),
    "Không": ("none", None),
    "0 đồng": ("none", None),
    "0đ": ("none", None),
    "Không có": ("none", None),
    "Theo dự toán được duyệt": ("approved_estimate", None),
    "Theo dự toán được giao": ("approved_estimate", None),
    "Trong dự toán": ("approved_estimate", None),
    "Theo dự toán được duyet": ("approved_estimate", None),  # diacritic lost at a page break
    "Trong dự toán ngân sách được giao năm 2022": ("approved_estimate", None),
    "50.000.000": ("amount", 50_000_000),
    "50.000.000 đồng": ("amount", 50_000_000),
    "50.000.000đ": ("amount", 50_000_000),
    "50.000.000 VNĐ": ("amount", 50_000_000),
    "50 triệu đồng": ("amount", 50_000_000),
    "15,5 triệu đồng": ("amount", 15_500_000),
    "1,2 tỷ": ("amount", 1_200_000_000),
    "1,2 tỉ đồng": ("amount", 1_200_000_000),
    "1.200 triệu": ("amount", 1_200_000_000),
    "1 tỷ 200 triệu đồng": ("amount", 1_200_000_000),
    "500 nghìn đồng": ("amount", 500_000),
    "50 000 000 đồng": ("amount", 50_000_000),
    "Kinh phí: 30 triệu đồng": ("amount", 30_000_000),
    "50.000.000 đồng (Năm mươi triệu đồng)": ("amount", 50_000_000),
    "": ("unspecified", None),
    "-": ("unspecified", None),
    "Lồng ghép trong kinh phí hoạt động thường xuyên": ("other", None),
    "Lồng ghép": ("other", None),
    "Nguồn xã hội hóa": ("other", None),
    "Ngân sách tỉnh và nguồn hợp pháp khác": ("other", None),
    "200 triệu 1 tỷ": ("other", None),  # parts must go from the largest unit down
    "1.2.3": ("other", None),
}


@pytest.mark.parametrize("raw", list(PHRASES))
def test_phrase(raw):
    budget = parse_budget(raw)
    assert (budget.kind, budget.amount_vnd) == PHRASES[raw]
    assert budget.raw == raw
    if budget.amount_vnd is not None:
        assert type(budget.amount_vnd) is int


@pytest.mark.parametrize("raw", list(PHRASES))
def test_nfd_and_upper_case(raw):
    expected = PHRASES[raw]
    for variant in (unicodedata.normalize("NFD", raw), raw.upper(), f" {raw}\n"):
        budget = parse_budget(variant)
        assert (budget.kind, budget.amount_vnd) == expected
        assert budget.raw == unicodedata.normalize("NFC", variant).strip()


@pytest.mark.parametrize(
    "text,value",
    [
        ("50.000.000", Decimal(50_000_000)),
        ("15,5", Decimal("15.5")),
        ("1.200", Decimal(1200)),
        ("1,2", Decimal("1.2")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1,200,000", Decimal(1_200_000)),
        ("15.5", Decimal("15.5")),
        ("01", Decimal(1)),
        ("1.2.3", None),
        ("1,2,3", None),
        ("1.2,3,4", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_vn_number(text, value):
    assert parse_vn_number(text) == value


@given(st.text())
def test_never_raises_on_any_text(raw):
    budget = parse_budget(raw)
    assert budget.kind in BUDGET_KINDS
    assert (budget.amount_vnd is not None) == (budget.kind == "amount")
    if budget.kind == "amount":
        assert isinstance(budget.amount_vnd, int) and budget.amount_vnd > 0


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[0-9]{1,12}([.,][0-9]{1,4}){0,3}", fullmatch=True),
            st.sampled_from(["tỷ", "triệu", "nghìn", "đồng", "đ", "VNĐ", "Kinh phí:", "(", ")"]),
        ),
        max_size=8,
    )
)
def test_never_raises_on_amount_like_text(words):
    budget = parse_budget(" ".join(words))
    assert budget.kind in BUDGET_KINDS
    assert budget.amount_vnd is None or budget.amount_vnd > 0


@pytest.mark.parametrize(
    "raw, unit, amount",
    [
        ("350,5", 10**6, 350_500_000),
        ("1.200", 10**6, 1_200_000_000),
        ("4.750,25", 10**6, 4_750_250_000),
        ("50", 1000, 50_000),
        ("50.000.000 đồng", 10**6, 50_000_000),  # the cell's own unit wins
        ("2 tỷ", 10**6, 2_000_000_000),
        ("15,5 triệu", 1000, 15_500_000),
    ],
)
def test_amount_in_the_column_unit(raw, unit, amount):
    b = parse_budget(raw, unit=unit)
    assert (b.kind, b.amount_vnd) == ("amount", amount)


def test_column_unit_does_not_change_words():
    assert parse_budget("Trong dự toán được giao", unit=10**6).kind == "approved_estimate"
    assert parse_budget("0", unit=10**6).kind == "none"
