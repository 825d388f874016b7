"""Guards against silent gaps: blank required indicators, Excel error values, percent formats,
huge counts, duplicate month files, hidden sheets, stray far cells, FIFOs, other formats."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from monthly_plan import make_plan, march_indicators, march_progress, write_month
from ods import OdsError, OdsPercent, write_ods
from test_monthly import IND_ROW, ROW, base_rows, errors, one, sha

from cchc_lib.catalog import load_catalog
from cchc_lib.cli import main
from cchc_lib.errors import DataValidationError
from cchc_lib.model import TaskProgress
from cchc_lib.monthly import load_month, load_months, parse_month_sheets, read_month, validate_path
from cchc_lib.monthly.cells import CellError, Percent

PLAN = make_plan()
P, C = "Tiến độ", "Chỉ số"
CATALOG = load_catalog()


def parse(rows, month="2022-03"):
    return parse_month_sheets(rows, PLAN, source=f"{month}.xlsx", month=month)


def set_rows(sheet: str, ref: tuple[int, int], value):
    """The clean March rows with one cell (Excel row, 1-based column) set to ``value`` as is."""
    rows = base_rows()
    r, c = ref
    rows[sheet][r - 1][c - 1] = value
    return rows


# --- required indicators never blank ---------------------------------------------------


def test_blank_indicator_sheet_lists_every_blank_required_cell(tmp_path):
    blank = dict.fromkeys(CATALOG.codes)
    path = write_month(tmp_path, PLAN, indicators=blank)
    with pytest.raises(DataValidationError) as exc:
        load_month(path, PLAN)
    found = [p for p in exc.value.problems if "chỉ số bắt buộc" in p.message]
    # the code named in the message, the cell found empty (no value to quote)
    assert {p.message.split()[8] for p in found} == set(CATALOG.required)
    assert all(p.value is None and "ô giá trị để trống" in p.message for p in found)
    assert {(p.sheet, p.column) for p in found} == {(C, "Giá trị")}
    assert sorted(p.row for p in found) == sorted(IND_ROW[c] for c in CATALOG.required)
    optional = {c for c in CATALOG.codes if CATALOG[c].optional}
    assert optional >= {"xep_hang_chi_so_cchc", "xep_hang_nam_truoc"}
    assert not [p for p in exc.value.problems if set(p.message.split()) & optional]


def test_one_blank_required_value_is_an_error_never_a_zero():
    rows = set_rows(C, (IND_ROW["hs_tiep_nhan"], 4), "")
    data, problems = parse(rows)
    p = one(problems, row=IND_ROW["hs_tiep_nhan"], sheet=C)
    assert p.severity == "error" and "hs_tiep_nhan" in p.message and "không được coi là 0" in p.fix
    assert data.indicator("hs_tiep_nhan") is None


def test_blank_months_are_refused_by_validate_and_indicators(tmp_path, capsys, monkeypatch):
    import cchc_lib.plan

    monkeypatch.setattr(cchc_lib.plan, "load_plan", lambda path: PLAN)
    write_month(tmp_path, PLAN, "2022-01")
    write_month(tmp_path, PLAN, "2022-02")
    write_month(tmp_path, PLAN, "2022-03", indicators=dict.fromkeys(CATALOG.codes))
    assert main(["validate", str(tmp_path), "--plan", "kh.txt"]) == 1
    out = capsys.readouterr().out
    assert out.count("chưa ghi giá trị chỉ số bắt buộc") == len(CATALOG.required)
    args = ["indicators", "--plan", "kh.txt", "--data", str(tmp_path), "--period", "2022-Q1"]
    assert main(args) == 1
    assert "hs_tiep_nhan" in capsys.readouterr().err


# --- Excel error values, percent formats, bounds ----------------------------------------


@pytest.mark.parametrize("code", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?"])
def test_error_value_in_percent_of_a_done_task_is_an_error_not_100(code):
    r = ROW["I.1.1"]  # "Hoàn thành"
    data, problems = parse(set_rows(P, (r, 6), CellError(code)))
    p = one(problems, row=r, column="Tỷ lệ hoàn thành (%)")
    assert p.severity == "error" and code in p.message


def test_error_values_in_text_code_and_indicator_cells():
    rows = set_rows(P, (ROW["I.1.2"], 8), CellError("#REF!"))
    rows[C][IND_ROW["vb_di"] - 1][3] = CellError("#N/A")
    _, problems = parse(rows)
    one(problems, row=ROW["I.1.2"], column="Kết quả, sản phẩm", value="#REF!")
    p = one(problems, row=IND_ROW["vb_di"], column="Giá trị")
    assert "#N/A" in p.message and "bắt buộc" not in p.message  # not reported as blank


def test_error_values_read_from_a_real_file(tmp_path):
    def damage(wb):
        wb[P][f"F{ROW['I.1.1']}"] = "#DIV/0!"  # openpyxl stores it as an error value
        wb[C][f"D{IND_ROW['hs_tiep_nhan']}"] = "#N/A"

    path = write_month(tmp_path, PLAN, damage=damage)
    _, problems = read_month(path, PLAN)
    one(problems, row=ROW["I.1.1"], column="Tỷ lệ hoàn thành (%)")
    one(problems, row=IND_ROW["hs_tiep_nhan"], column="Giá trị")


def test_percent_formatted_cells_read_as_percent(tmp_path):
    def damage(wb):
        cell = wb[P][f"F{ROW['I.1.2']}"]
        cell.value, cell.number_format = 0.5, "0%"
        other = wb[P][f"F{ROW['III.1.1']}"]  # a literal % sign is not a percentage format
        other.value, other.number_format = 30, '0"%"'

    data = load_month(write_month(tmp_path, PLAN, damage=damage), PLAN)
    assert data.progress_of("I.1.2").percent == 50
    assert data.progress_of("III.1.1").percent == 30
    assert (
        parse(set_rows(P, (ROW["I.1.2"], 6), Percent(0.255)))[0].progress_of("I.1.2").percent
        == 25.5
    )


def test_percent_formatted_count_is_an_error():
    r = IND_ROW["vb_di"]
    _, problems = parse(set_rows(C, (r, 4), Percent(2.0)))
    assert "phần trăm" in one(problems, row=r, column="Giá trị").message


def test_counts_above_the_bound_are_errors():
    r = IND_ROW["hs_tiep_nhan"]
    _, problems = parse(set_rows(C, (r, 4), 1e28))
    assert "quá lớn" in one(problems, row=r, column="Giá trị").message


def test_percent_lower_than_last_month_is_a_warning(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    april = [
        TaskProgress("I.1.2", "in_progress", 20.0, None) if p.task_id == "I.1.2" else p
        for p in march_progress()
    ]
    write_month(tmp_path, PLAN, "2022-04", progress=april)
    p = one(validate_path(tmp_path, PLAN), row=ROW["I.1.2"], column="Tỷ lệ hoàn thành (%)")
    assert p.severity == "warning" and "25%" in p.message and "2022-03" in p.message


# --- files: duplicates, hidden sheets, stray cells, FIFOs, formats ---------------------


def test_two_files_for_one_month_is_an_error_naming_both(tmp_path):
    a = write_month(tmp_path, PLAN, "2022-03")
    b = tmp_path / "2022-03.xlsm"
    shutil.copyfile(a, b)
    (p,) = [x for x in validate_path(tmp_path, PLAN) if "cùng tháng" in x.message]
    assert p.severity == "error" and "2022-03.xlsx" in p.message and "2022-03.xlsm" in p.message


def test_hidden_sheet_never_used_in_place_of_the_visible_one(tmp_path):
    def damage(wb):
        stale = wb.copy_worksheet(wb[P])
        stale.title = "tien do"  # same name to the reader, hidden, with other figures
        stale.sheet_state = "hidden"
        stale[f"E{ROW['I.2.1']}"] = "Hoàn thành"

    data, problems = read_month(write_month(tmp_path, PLAN, damage=damage), PLAN)
    assert data.progress_of("I.2.1").status == "not_started"
    assert not errors(problems) and any("trang ẩn" in p.message for p in problems)


def test_hidden_data_sheet_alone_is_an_error(tmp_path):
    def damage(wb):
        wb[P].sheet_state = "hidden"

    _, problems = read_month(write_month(tmp_path, PLAN, damage=damage), PLAN)
    assert any("đang bị ẩn" in p.message and p.severity == "error" for p in problems)


@pytest.mark.parametrize("ref", ["XFD1048576", "A1048576", "BA7"])
def test_far_stray_cell_is_cut_out_and_reported(tmp_path, ref):
    def damage(wb):
        wb[P][ref] = "x"

    path = write_month(tmp_path, PLAN, damage=damage)
    before = sha(path)
    data, problems = read_month(path, PLAN)
    assert sha(path) == before
    assert not errors(problems), [str(p) for p in errors(problems)]
    stray = one(problems, sheet=P, severity="warning")
    assert ref in stray.message
    assert [p.task_id for p in data.progress] == [t.id for t in PLAN.tasks]
    assert dict(data.indicators) == march_indicators()


def test_fifo_named_as_a_month_is_refused_not_waited_on(tmp_path):
    write_month(tmp_path, PLAN, "2022-02")
    os.mkfifo(tmp_path / "2022-03.xlsx")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(validate_path(tmp_path, PLAN)))
    worker.start()
    worker.join(20)
    if worker.is_alive():  # unblock the reader before failing
        with open(tmp_path / "2022-03.xlsx", "wb"):
            pass
        pytest.fail("the reader waited on a FIFO")
    p = one(result[0], file=str(tmp_path / "2022-03.xlsx"))
    assert p.severity == "error" and "thông thường" in p.message


def test_xlsm_and_ods_read_with_the_same_checks(tmp_path):
    (tmp_path / "a").mkdir()
    xlsx = write_month(tmp_path / "a", PLAN)
    want = load_month(xlsx, PLAN)
    xlsm = tmp_path / "b" / "2022-03.xlsm"
    xlsm.parent.mkdir()
    shutil.copyfile(xlsx, xlsm)
    got = load_month(xlsm, PLAN)
    assert (got.progress, got.indicators, got.narrative) == (
        want.progress,
        want.indicators,
        want.narrative,
    )
    rows = base_rows()
    ods = write_ods(tmp_path / "2022-03.ods", rows)
    got = load_month(ods, PLAN)
    assert [(p.task_id, p.status, p.percent, p.completed_on) for p in got.progress] == [
        (p.task_id, p.status, p.percent, p.completed_on) for p in want.progress
    ]
    assert got.indicators == want.indicators
    rows[P][ROW["I.1.1"] - 1][5] = OdsError("#DIV/0!")
    rows[P][ROW["I.1.2"] - 1][5] = OdsPercent(0.4)
    (tmp_path / "c").mkdir()
    data, problems = read_month(write_ods(tmp_path / "c" / "2022-03.ods", rows), PLAN)
    one(problems, row=ROW["I.1.1"], column="Tỷ lệ hoàn thành (%)")
    assert data.progress_of("I.1.2").percent == 40


def test_ods_with_a_far_cell_is_refused_not_a_crash(tmp_path):
    path = write_ods(tmp_path / "2022-03.ods", base_rows(), far="x")
    _, problems = read_month(path, PLAN)
    assert any("rất xa" in p.message and p.severity == "error" for p in problems)


def test_month_folder_with_other_years_and_formats(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    (tmp_path / "ke-hoach.txt").write_text("x", encoding="utf-8")  # not a workbook: left alone
    (tmp_path / "2021-12.xlsx").write_bytes(b"")
    ps = validate_path(tmp_path, PLAN)
    assert not errors(ps)
    assert one(ps, value="2021-12.xlsx").severity == "warning"
    assert [d.month for d in load_months(tmp_path, PLAN)] == ["2022-03"]
