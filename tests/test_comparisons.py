"""``load_comparisons``: the period before and the same period last year, from last year's
workbooks under their own plan or from a totals file; a missing one is a note, never a failure."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, SEED

from cchc_lib.indicators.load import load_comparisons, load_period

DATA = ROOT / "data"
PLAN_2021 = next((DATA / "2021").glob("*.txt"))


@pytest.fixture(scope="module")
def q1():
    return load_period(SEED, DATA / "2022", "2022-Q1")


@pytest.fixture(scope="module")
def q3():
    return load_period(SEED, DATA / "2022", "2022-Q3")


def test_bundled_last_year_found_beside_this_year(q1):
    c = load_comparisons(q1)
    assert c.notes == ()
    assert (c.previous.period.code, c.last_year.period.code) == ("2021-Q4", "2021-Q1")
    want = load_period(PLAN_2021, DATA / "2021", "2021-Q1").results
    assert c.last_year.indicators == dict(want.indicators)
    assert c.last_year.rates == dict(want.rates) and c.last_year.summary == want.summary
    assert "ke-hoach-cchc-2021" in c.last_year.source


def test_previous_quarter_of_the_same_year_from_the_months_read(q3):
    c = load_comparisons(q3)
    want = load_period(SEED, DATA / "2022", "2022-Q2").results
    assert c.previous.period.code == "2022-Q2"
    assert c.previous.indicators == dict(want.indicators)


def test_year_and_half_compare_with_last_year_only():
    y = load_period(SEED, DATA / "2022", "2022-Y")
    c = load_comparisons(y)
    assert c.previous is None and c.last_year.period.code == "2021-Y"


def test_totals_file(q1, tmp_path):
    totals = tmp_path / "tong-hop-2021.yaml"
    totals.write_text(
        "periods:\n  2021-Q1: {hs_tiep_nhan: 850, hs_truc_tuyen: 425, ty_le_ky_so: 90.5}\n",
        encoding="utf-8",
    )
    c = load_comparisons(q1, previous_year_data=totals)
    assert c.last_year.indicators == {"hs_tiep_nhan": 850.0, "hs_truc_tuyen": 425.0}
    assert (
        c.last_year.rates["ty_le_truc_tuyen"] == 50.0 and c.last_year.rates["ty_le_ky_so"] == 90.5
    )
    assert c.last_year.summary is None
    assert c.previous is None and any("2021-Q4" in n for n in c.notes)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("periods:\n  2021-Q1: {khong_co: 1}\n", "khong_co"),
        ("periods:\n  2021-Q1: {hs_tiep_nhan: -3}\n", "không âm"),
        ("periods:\n  2022-Q1: {hs_tiep_nhan: 3}\n", "không thuộc năm 2021"),
        ("[1, 2", "không đọc được"),
    ],
)
def test_bad_totals_file_is_a_note(q1, tmp_path, text, words):
    totals = tmp_path / "totals.yaml"
    totals.write_text(text, encoding="utf-8")
    c = load_comparisons(q1, previous_year_data=tmp_path)
    assert c.last_year is None and any(words in n for n in c.notes), c.notes


def test_folder_without_its_plan_or_with_another_years_plan(q1, tmp_path):
    folder = tmp_path / "2021"
    folder.mkdir()
    for f in (DATA / "2021").glob("*.xlsx"):
        shutil.copyfile(f, folder / f.name)
    c = load_comparisons(q1, previous_year_data=folder)
    assert c.last_year is None and any("tệp kế hoạch" in n for n in c.notes)
    (folder / "plan.yaml").write_text(f"plan: {SEED}\n", encoding="utf-8")
    c = load_comparisons(q1, previous_year_data=folder)
    assert c.last_year is None and any("năm 2022, không phải năm 2021" in n for n in c.notes)
    (folder / "plan.yaml").write_text(f"plan: {PLAN_2021}\n", encoding="utf-8")
    c = load_comparisons(q1, previous_year_data=folder)
    assert c.notes == () and c.last_year is not None


def test_no_last_year_is_a_note(tmp_path):
    shutil.copytree(DATA / "2022", tmp_path / "2022")
    current = load_period(SEED, tmp_path / "2022", "2022-Q3")
    c = load_comparisons(current)
    assert c.previous is not None and c.last_year is None
    assert any("không có số liệu năm 2021" in n for n in c.notes)


def test_carried_over_must_be_what_the_period_before_left_pending(q1, tmp_path):
    # the bundled years agree: January 2022 carries in what December 2021 left pending
    c = load_comparisons(q1)
    left = c.previous.indicators["hs_dang_giai_quyet"] + (
        c.previous.indicators["hs_qua_han_chua_giai_quyet"] or 0
    )
    assert dict(q1.results.indicators)["hs_ky_truoc"] == left == 15
    # a last year that left 31 pending: one of the two figures is wrong, and the analyst is told
    totals = tmp_path / "totals.yaml"
    totals.write_text(
        "periods:\n  2021-Q4: {hs_dang_giai_quyet: 31, hs_qua_han_chua_giai_quyet: 0}\n",
        encoding="utf-8",
    )
    (note,) = [n for n in load_comparisons(q1, previous_year_data=totals).notes if "chuyển" in n]
    assert "quý I năm 2022 là 15" in note and "quý IV năm 2021 còn 31" in note
    assert "hs_ky_truoc" in note
