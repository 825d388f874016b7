"""Reading and validating monthly workbooks: round trip, one failing case per rule,
damaged inputs (hypothesis), and inputs never written to."""

from __future__ import annotations

import functools
import hashlib
import io
import tempfile
import unicodedata
from dataclasses import astuple, dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monthly_plan import (
    NARRATIVE,
    make_plan,
    march_indicators,
    march_progress,
    write_month,
)
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import IllegalCharacterError

from cchc_lib.catalog import load_catalog
from cchc_lib.cli import main
from cchc_lib.errors import CchcError, DataValidationError, Problem
from cchc_lib.model import MonthData, TaskProgress
from cchc_lib.monthly import (
    load_month,
    load_months,
    parse_month_sheets,
    read_month,
    read_months,
    validate_path,
)

PLAN = make_plan()
ROW = {t.id: 5 + i for i, t in enumerate(PLAN.tasks)}  # Excel row of each task
IND_ROW = {code: 4 + i for i, code in enumerate(load_catalog().codes)}
P, C, N = "Tiến độ", "Chỉ số", "Thuyết minh"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def one(problems, **where) -> Problem:
    """The single problem matching every field in ``where``."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, [str(p) for p in problems])
    return found[0]


def check(tmp_path: Path, damage, **kw) -> list[Problem]:
    """The problems of the March workbook with ``damage`` applied.

    A :class:`SetCell` damage is checked on in-memory rows (the pure sheet parser, values as
    python-calamine returns them); any other damage through a real file.
    """
    if isinstance(damage, SetCell) and not kw:
        rows = damage.applied(base_rows())
        return parse_month_sheets(rows, PLAN, source=str(tmp_path / "2022-03.xlsx"), month=MONTH)[1]
    path = write_month(tmp_path, PLAN, damage=damage, **kw)
    before = sha(path)
    data, problems = read_month(path, PLAN)
    assert sha(path) == before
    return problems


MONTH = "2022-03"


@functools.cache
def _base_sheets() -> dict[str, list[list[object]]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_month(Path(tmp), PLAN)
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            return {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names
            }


def base_rows() -> dict[str, list[list[object]]]:
    """The clean March workbook's sheets as rows (a fresh copy each call)."""
    return {name: [list(r) for r in rows] for name, rows in _base_sheets().items()}


def as_calamine(value: object) -> object:
    """A value as python-calamine reads it back from a cell openpyxl wrote."""
    if value is None:
        return ""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, int | float):
        return float(value)
    return value


@dataclass(frozen=True)
class SetCell:
    """A damage that writes one cell: usable on an openpyxl workbook or on rows."""

    sheet: str
    ref: str
    value: object

    def __call__(self, wb) -> None:
        wb[self.sheet][self.ref] = self.value

    def applied(self, sheets: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
        col, row = coordinate_to_tuple(self.ref)[::-1]
        rows = sheets[self.sheet]
        while len(rows) < row:
            rows.append([""] * (len(rows[0]) if rows else 0))
        line = rows[row - 1]
        line.extend([""] * (col - len(line)))
        line[col - 1] = as_calamine(self.value)
        return sheets


# --- round trip -------------------------------------------------------------------


def test_round_trip_values_equal(tmp_path):
    path = write_month(tmp_path, PLAN)
    before = sha(path)
    data = load_month(path, PLAN)
    assert sha(path) == before
    assert isinstance(data, MonthData)
    assert data.month == "2022-03" and data.source == str(path)
    got = [
        (p.task_id, p.status, p.percent, p.completed_on, p.result, p.difficulties, p.note)
        for p in data.progress
    ]
    want = [
        (p.task_id, p.status, p.percent, p.completed_on, p.result, p.difficulties, p.note)
        for p in march_progress()
    ]
    assert got == want
    assert [p.row for p in data.progress] == list(ROW.values())
    assert data.progress[0] == TaskProgress(
        "I.1.1", "done", 100.0, date(2022, 1, 18), "Kế hoạch số 5/KH-PTN", row=5
    )
    assert hash(data.progress[1]) == hash(TaskProgress(*astuple(data.progress[1])))
    assert dict(data.indicators) == march_indicators()
    assert [c for c, _ in data.indicators] == list(load_catalog().codes)
    assert dict(data.narrative) == NARRATIVE
    assert data.text("ton_tai") == ""


def test_clean_file_has_no_problem_at_all(tmp_path):
    assert read_month(write_month(tmp_path, PLAN), PLAN)[1] == []


# --- one failing fixture per rule -------------------------------------------------


def set_cell(sheet: str, ref: str, value) -> SetCell:
    return SetCell(sheet, ref, value)


@pytest.mark.parametrize(
    "damage",
    [
        SetCell("Tiến độ", "E6", "xong"),
        SetCell("Tiến độ", "G5", datetime(2022, 3, 15)),
        SetCell("Tiến độ", "F6", 150),
        SetCell("Chỉ số", "D4", -1),
        SetCell("Tiến độ", "A7", None),
    ],
)
def test_in_memory_rows_give_the_problems_a_file_gives(tmp_path, damage):
    """The in-memory shortcut of ``check`` is faithful to reading a real file."""
    path = write_month(tmp_path, PLAN, damage=damage)
    assert check(tmp_path, damage) == read_month(path, PLAN)[1]


def test_unknown_task_id(tmp_path):
    ps = check(tmp_path, set_cell(P, "A6", "IX.9.9"))
    p = one(ps, row=6, column="Mã nhiệm vụ", value="IX.9.9")
    assert p.sheet == P and p.severity == "error" and "không có trong kế hoạch" in p.message
    one(ps, row=None, column="Mã nhiệm vụ", value="I.1.2")  # the real task is now missing


def test_missing_task_row(tmp_path):
    ps = check(tmp_path, lambda wb: wb[P].delete_rows(ROW["II.1.1"]))
    p = one(ps, sheet=P, value="II.1.1")
    assert p.row is None and p.column == "Mã nhiệm vụ" and "thiếu dòng" in p.message
    assert len(errors(ps)) == 1


def test_data_row_without_task_id(tmp_path):
    ps = check(tmp_path, set_cell(P, "A7", None))
    p = one(ps, sheet=P, row=7, column="Mã nhiệm vụ")
    assert p.value is None and "không có mã nhiệm vụ" in p.message


def test_duplicate_row(tmp_path):
    ps = check(tmp_path, set_cell(P, "A8", "I.1.1"))
    p = one(ps, sheet=P, row=8, column="Mã nhiệm vụ", value="I.1.1")
    assert "bị lặp" in p.message and "dòng 5" in p.message


def test_status_outside_list_lists_allowed_values(tmp_path):
    ps = check(tmp_path, set_cell(P, "E6", "xong"))
    p = one(ps, sheet=P, row=6, column="Trạng thái", value="xong")
    for label in ("Chưa triển khai", "Đang thực hiện", "Hoàn thành", "Dừng thực hiện"):
        assert label in p.message
    assert p.severity == "error"


@pytest.mark.parametrize(
    "text", ["hoàn thành", "HOÀN THÀNH", "hoan thanh", "  Hoàn   thành ", "Đã hoàn thành"]
)
def test_status_matched_ignoring_case_diacritics_and_nfd(tmp_path, text):
    for form in ("NFC", "NFD"):
        ps = check(tmp_path, set_cell(P, "E5", unicodedata.normalize(form, text)))
        assert errors(ps) == []


def test_blank_status_is_a_warning(tmp_path):
    ps = check(tmp_path, set_cell(P, "E6", None))
    p = one(ps, sheet=P, row=6, column="Trạng thái")
    assert p.severity == "warning"


@pytest.mark.parametrize(
    ("value", "words"), [("nhiều", "không phải là số"), (150, "từ 0 đến 100"), (-1, "từ 0")]
)
def test_percent_not_a_number_or_out_of_range(tmp_path, value, words):
    ps = check(tmp_path, set_cell(P, "F6", value))
    p = one(ps, sheet=P, row=6, column="Tỷ lệ hoàn thành (%)", value=value)
    assert words in p.message and p.severity == "error"


def test_percent_text_forms_accepted(tmp_path):
    for text in ("25", "25%", "25,5", " 25 % "):
        ps = check(tmp_path, set_cell(P, "F6", text))
        assert errors(ps) == []


def test_done_without_completion_date(tmp_path):
    ps = check(tmp_path, set_cell(P, "G5", None))
    p = one(ps, sheet=P, row=5, column="Ngày hoàn thành")
    assert p.value is None and "chưa ghi ngày hoàn thành" in p.message


def test_done_with_percent_below_100(tmp_path):
    ps = check(tmp_path, set_cell(P, "F5", 80))
    p = one(ps, sheet=P, row=5, column="Tỷ lệ hoàn thành (%)", value=80)
    assert "phải là 100" in p.message


def test_done_with_blank_percent_reads_as_100(tmp_path):
    path = write_month(tmp_path, PLAN, damage=set_cell(P, "F5", None))
    assert load_month(path, PLAN).progress_of("I.1.1").percent == 100.0


@pytest.mark.parametrize("value", [date(2021, 6, 1), "01/06/2023", date(2021, 12, 14)])
def test_completion_date_outside_plan_year(tmp_path, value):
    ps = check(tmp_path, set_cell(P, "G5", value))
    p = one(ps, sheet=P, row=5, column="Ngày hoàn thành")
    assert "ngoài năm kế hoạch" in p.message and p.value == value


def test_completion_date_after_cutoff(tmp_path):
    ps = check(tmp_path, set_cell(P, "G11", datetime(2022, 3, 15)))
    p = one(ps, sheet=P, row=11, column="Ngày hoàn thành")
    assert "14/3/2022" in p.message and "ngày chốt" in p.message


@pytest.mark.parametrize("value", ["15/12/2021", "14/3/2022", "2022-01-18", 44579, 44579.0])
def test_completion_date_forms_accepted(tmp_path, value):
    assert errors(check(tmp_path, set_cell(P, "G5", value))) == []


@pytest.mark.parametrize("value", ["32/01/2022", "hôm qua", "3.5", True])
def test_completion_date_not_a_date(tmp_path, value):
    p = one(check(tmp_path, set_cell(P, "G5", value)), sheet=P, row=5, column="Ngày hoàn thành")
    assert "dd/mm/yyyy" in p.message


def test_completion_date_on_unfinished_task_is_a_warning(tmp_path):
    ps = check(tmp_path, set_cell(P, "G6", date(2022, 3, 1)))
    assert one(ps, sheet=P, row=6, column="Ngày hoàn thành").severity == "warning"


@pytest.mark.parametrize(
    ("value", "words"),
    [(-5, "không được nhỏ hơn 0"), (2.5, "số nguyên"), ("nhiều", "không phải là số")],
)
def test_negative_fractional_or_text_counts(tmp_path, value, words):
    r = IND_ROW["tuyen_truyen"]
    p = one(check(tmp_path, set_cell(C, f"D{r}", value)), sheet=C, row=r, column="Giá trị")
    assert p.value == value and words in p.message


def test_count_text_forms_accepted(tmp_path):
    r = IND_ROW["hs_tiep_nhan"]
    path = write_month(tmp_path, PLAN, damage=set_cell(C, f"D{r}", "1.234"))
    assert load_month(path, PLAN).indicator("hs_tiep_nhan") == 1234


def test_part_larger_than_whole(tmp_path):
    r = IND_ROW["hs_truc_tuyen"]
    ps = check(tmp_path, set_cell(C, f"D{r}", 400))
    p = one(ps, sheet=C, row=r, column="Giá trị", value=400)
    assert "lớn hơn" in p.message and "Số hồ sơ tiếp nhận" in p.message


def test_sum_of_parts_larger_than_whole(tmp_path):
    r = IND_ROW["hs_bcci"]
    ps = check(tmp_path, set_cell(C, f"D{r}", 71))  # 250 + 71 > 320
    p = one(ps, sheet=C, row=IND_ROW["hs_truc_tuyen"], column="Giá trị", value=321)
    assert "Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích" in p.message


def test_unknown_missing_and_duplicate_indicator(tmp_path):
    r = IND_ROW["tuyen_truyen"]
    ps = check(tmp_path, set_cell(C, f"A{r}", "chi_so_la"))
    one(ps, sheet=C, row=r, column="Mã chỉ số", value="chi_so_la")
    one(ps, sheet=C, row=None, column="Mã chỉ số", value="tuyen_truyen")
    ps = check(tmp_path, set_cell(C, f"A{r}", "vb_di"))
    assert "bị lặp" in one(ps, sheet=C, row=r, column="Mã chỉ số", value="vb_di").message


def test_rank_blank_until_known_and_at_least_one(tmp_path):
    r = IND_ROW["xep_hang_chi_so_cchc"]
    p = one(check(tmp_path, set_cell(C, f"D{r}", 0)), sheet=C, row=r, column="Giá trị")
    assert "nhỏ hơn 1" in p.message


def test_month_in_file_differs_from_file_name(tmp_path):
    ps = check(tmp_path, None, name="2022-04.xlsx")
    p = one(ps, value="2022-03")
    assert (p.sheet, p.row, p.column) == (None, None, None)
    assert "2022-04" in p.message and "2022-03.xlsx" in p.fix


def test_month_from_title_when_hidden_sheet_is_gone(tmp_path):
    ps = check(tmp_path, lambda wb: wb.remove(wb["_cchc"]), name="2022-05.xlsx")
    assert one(ps, value="2022-03").severity == "error"

    def no_month_anywhere(wb):
        wb.remove(wb["_cchc"])
        wb[P]["A3"] = None
        wb[P]["D6"] = "Tháng 7/2022"  # a deadline text below the header is not the month

    p = one(check(tmp_path, no_month_anywhere), sheet=None, row=None)
    assert p.severity == "warning" and "thông tin tháng" in p.message


def test_file_name_not_a_month(tmp_path):
    ps = check(tmp_path, None, name="bao-cao-thang-3.xlsx")
    p = one(ps, value="bao-cao-thang-3.xlsx")
    assert "YYYY-MM" in p.message and "2022-03.xlsx" in p.fix


def test_month_outside_plan_year(tmp_path):
    path = write_month(tmp_path, make_plan(2023), "2023-03", progress=[], indicators={})
    p = one(read_month(path, PLAN)[1], value="2023-03")
    assert "năm kế hoạch 2022" in p.message


def test_missing_sheet(tmp_path):
    def rename(wb):
        wb[C].title = "Sheet1"

    p = one(check(tmp_path, rename), sheet=C, row=None)
    assert "thiếu trang" in p.message and "Sheet1" in p.message


def test_missing_column(tmp_path):
    p = one(check(tmp_path, set_cell(P, "E4", "Tình trạng")), sheet=P, column="Trạng thái")
    assert p.row == 4 and "thiếu cột" in p.message


def test_missing_header_row(tmp_path):
    p = one(check(tmp_path, set_cell(P, "A4", "Số")), sheet=P, column="Mã nhiệm vụ")
    assert "dòng tiêu đề" in p.message


def test_narrative_unknown_label_warning_and_quarter_end_empty(tmp_path):
    ps = check(tmp_path, set_cell(N, "A4", "Linh tinh"))
    assert one(ps, sheet=N, row=4, column="Mục", value="Linh tinh").severity == "warning"
    ps = check(tmp_path, None, narrative={})
    assert one(ps, sheet=N, column="Nội dung").severity == "warning"


def test_tolerates_blank_rows_moved_columns_and_nfd_headers(tmp_path):
    def shuffle(wb):
        ws = wb[P]
        ws.unmerge_cells("A1:J1")
        ws.unmerge_cells("A2:J2")
        ws.unmerge_cells("A3:J3")
        for r in range(1, ws.max_row + 1):  # swap status and note columns
            e, j = ws[f"E{r}"].value, ws[f"J{r}"].value
            ws[f"E{r}"], ws[f"J{r}"] = j, e
        ws["B4"] = unicodedata.normalize("NFD", "NHIỆM VỤ")
        ws.insert_rows(1, 3)
        ws.insert_rows(10, 2)
        wb[C].insert_rows(2, 1)

    path = write_month(tmp_path, PLAN, damage=shuffle)
    data = load_month(path, PLAN)
    assert [(p.task_id, p.status, p.note) for p in data.progress] == [
        (p.task_id, p.status, p.note) for p in march_progress()
    ]
    assert dict(data.indicators) == march_indicators()


# --- files that are not workbooks -------------------------------------------------


def test_not_a_workbook(tmp_path):
    path = tmp_path / "2022-03.xlsx"
    path.write_text("đây không phải bảng tính", encoding="utf-8")
    (p,) = validate_path(path, PLAN)
    assert (p.file, p.sheet, p.row, p.column, p.value) == (str(path), None, None, None, None)
    assert "không phải là bảng tính" in p.message and p.severity == "error"


def test_corrupt_workbook(tmp_path):
    good = write_month(tmp_path, PLAN).read_bytes()
    path = tmp_path / "2022-03.xlsx"
    path.write_bytes(good[: len(good) // 2])
    (p,) = validate_path(path, PLAN)
    assert (p.sheet, p.row, p.column) == (None, None, None) and "hỏng" in p.message


def test_password_protected_workbook(tmp_path):
    # An encrypted OOXML file is an OLE container with an "EncryptedPackage" stream.
    path = tmp_path / "2022-03.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    )
    before = sha(path)
    (p,) = validate_path(path, PLAN)
    assert (p.file, p.sheet, p.row, p.column) == (str(path), None, None, None)
    assert "mật khẩu" in p.message and sha(path) == before
    with pytest.raises(DataValidationError):
        load_month(path, PLAN)


def test_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "2022-01.xlsx").write_bytes(b"PK\x03\x04 broken")
    write_month(tmp_path, PLAN, "2022-02", damage=set_cell(P, "E6", "xong"), progress=[])
    ps = validate_path(tmp_path, PLAN)
    one(ps, file=str(tmp_path / "2022-01.xlsx"))
    one(ps, file=str(tmp_path / "2022-02.xlsx"), row=6, column="Trạng thái", value="xong")


# --- across months ----------------------------------------------------------------


def test_task_going_back_from_done_is_a_warning(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    april = [
        TaskProgress("I.1.1", "in_progress", 90.0, None) if p.task_id == "I.1.1" else p
        for p in march_progress()
    ]
    write_month(tmp_path, PLAN, "2022-04", progress=april)
    ps = validate_path(tmp_path, PLAN)
    p = one(ps, file=str(tmp_path / "2022-04.xlsx"), row=5, column="Trạng thái")
    assert p.sheet == P and p.value == "Đang thực hiện"
    assert p.severity == "warning" and "2022-03" in p.message
    datas = load_months(tmp_path, PLAN)  # warnings only: no exception
    assert [d.month for d in datas] == ["2022-03", "2022-04"]


def _done(tid: str, on: date, result: str, note: str = "") -> list[TaskProgress]:
    return [
        TaskProgress(tid, "done", 100.0, on, result, "", note) if p.task_id == tid else p
        for p in march_progress()
    ]


def test_done_task_still_described_as_under_way_is_flagged_once(tmp_path):
    rows = _done("III.1.2", date(2022, 3, 14), "Đang thực hiện, dự kiến ban hành tháng 4")
    write_month(tmp_path, PLAN, "2022-03", progress=rows)
    write_month(tmp_path, PLAN, "2022-04", progress=rows)  # copied on: said once, in March
    ps = [p for p in validate_path(tmp_path, PLAN) if p.column == "Kết quả, sản phẩm"]
    (p,) = ps
    assert (Path(p.file).name, p.sheet, p.row, p.severity) == ("2022-03.xlsx", P, 11, "warning")
    assert "“Hoàn thành” nhưng kết quả ghi “Đang thực hiện" in p.message
    # one file alone says it too; a result that is a product does not
    assert one(validate_path(tmp_path / "2022-03.xlsx", PLAN), column="Kết quả, sản phẩm")
    write_month(tmp_path, PLAN, "2022-05")
    assert not [p for p in validate_path(tmp_path / "2022-05.xlsx", PLAN) if p.row == 11]


def test_done_before_the_plan_was_issued_is_flagged_unless_explained(tmp_path):
    write_month(tmp_path, PLAN, "2022-03", progress=_done("I.1.1", date(2022, 1, 5), "KH 5"))
    p = one(validate_path(tmp_path, PLAN), column="Ngày hoàn thành")
    assert p.severity == "warning" and p.row == 5 and p.value == date(2022, 1, 5)
    assert "trước ngày ban hành Kế hoạch (10/1/2022)" in p.message
    explained = _done("I.1.1", date(2022, 1, 5), "KH 5", note="Làm từ cuối năm trước")
    write_month(tmp_path, PLAN, "2022-03", progress=explained)
    assert not [p for p in validate_path(tmp_path, PLAN) if p.column == "Ngày hoàn thành"]


def test_read_months_gives_the_warnings_load_months_drops(tmp_path):
    write_month(tmp_path, PLAN, "2022-03", progress=_done("I.1.1", date(2022, 1, 5), "KH 5"))
    datas, warnings = read_months(tmp_path, PLAN)
    assert [d.month for d in datas] == ["2022-03"]
    assert [w.column for w in warnings if w.column == "Ngày hoàn thành"] == ["Ngày hoàn thành"]
    assert load_months(tmp_path, PLAN) == datas


def test_month_missing_from_requested_months(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    with pytest.raises(DataValidationError) as exc:
        load_months(tmp_path, PLAN, months=["2022-03", "2022-04"])
    p = one(list(exc.value.problems), file=str(tmp_path / "2022-04.xlsx"))
    assert (p.sheet, p.row, p.column, p.value) == (None, None, None, None)
    assert "thiếu số liệu tháng 2022-04" in p.message
    assert [d.month for d in load_months(tmp_path, PLAN, months=["2022-03"])] == ["2022-03"]


def test_gap_in_folder_is_a_warning_and_stray_files_are_ignored(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    (tmp_path / "ghi chu.xlsx").write_bytes(b"")
    (tmp_path / "~$2022-03.xlsx").write_bytes(b"")
    ps = validate_path(tmp_path, PLAN)
    assert errors(ps) == []
    assert {p.message.split(" (")[0] for p in ps if "thiếu số liệu" in p.message} == {
        "thiếu số liệu tháng 2022-01",
        "thiếu số liệu tháng 2022-02",
    }
    one(ps, value="ghi chu.xlsx")


def test_load_months_collects_every_file_before_raising(tmp_path):
    write_month(tmp_path, PLAN, "2022-03", damage=set_cell(P, "E6", "xong"))
    write_month(tmp_path, PLAN, "2022-04", progress=[], damage=set_cell(P, "F7", 200))
    with pytest.raises(DataValidationError) as exc:
        load_months(tmp_path, PLAN)
    files = {Path(p.file).name for p in errors(list(exc.value.problems))}
    assert files == {"2022-03.xlsx", "2022-04.xlsx"}
    assert "Cách sửa" in str(exc.value)


def test_missing_path_and_empty_folder(tmp_path):
    (p,) = validate_path(tmp_path / "khong-co", PLAN)
    assert "không tìm thấy" in p.message
    with pytest.raises(DataValidationError):
        load_months(tmp_path, PLAN)


# --- CLI --------------------------------------------------------------------------


def test_cli_validate_exit_codes(tmp_path, capsys, monkeypatch):
    import cchc_lib.plan

    monkeypatch.setattr(cchc_lib.plan, "load_plan", lambda path: PLAN)
    write_month(tmp_path, PLAN, "2022-03")
    assert main(["validate", str(tmp_path), "--plan", "fake.txt"]) == 0
    out = capsys.readouterr().out
    assert "0 lỗi" in out
    write_month(tmp_path, PLAN, "2022-04", progress=[], damage=set_cell(P, "E6", "xong"))
    assert main(["validate", str(tmp_path), "--plan", "fake.txt"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any("“xong”" in line for line in out)
    assert out[-1].startswith("Kết quả kiểm tra") and "1 lỗi" in out[-1]


# --- damaged workbooks (property test) --------------------------------------------

_GOOD: bytes = b""


def _good_bytes() -> bytes:
    global _GOOD
    if not _GOOD:
        with tempfile.TemporaryDirectory() as d:
            _GOOD = write_month(Path(d), PLAN).read_bytes()
    return _GOOD


_NAME_CHARS = "abcxyzTiếnđộChỉsố "
cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**7), 10**7),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.booleans(),
)
ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("cell"),
            st.integers(0, 4),
            st.integers(1, 45),
            st.integers(1, 11),
            cell_values,
        ),
        st.tuples(st.just("delete_row"), st.integers(0, 4), st.integers(1, 45)),
        st.tuples(
            st.just("rename"), st.integers(0, 4), st.text(_NAME_CHARS, min_size=1, max_size=12)
        ),
        st.tuples(st.just("drop_sheet"), st.integers(0, 4)),
    ),
    min_size=1,
    max_size=12,
)


def _apply(wb, op) -> None:
    sheets = wb.worksheets
    ws = sheets[op[1] % len(sheets)]
    if op[0] == "cell":
        try:
            ws.cell(row=op[2], column=op[3]).value = op[4]
        except (AttributeError, ValueError, IllegalCharacterError):  # merged cell, bad text
            pass
    elif op[0] == "delete_row":
        ws.delete_rows(op[2])
    elif op[0] == "rename" and op[2].strip() and op[2] not in wb.sheetnames:
        ws.title = op[2]
    elif op[0] == "drop_sheet" and len(sheets) > 2:
        wb.remove(ws)


@pytest.mark.slow
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ops)
def test_damaged_workbook_raises_only_our_errors(damage):
    wb = openpyxl.load_workbook(io.BytesIO(_good_bytes()))
    for op in damage:
        _apply(wb, op)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "2022-03.xlsx"
        wb.save(path)
        before = sha(path)
        try:
            data = load_month(path, PLAN)
        except DataValidationError as exc:
            assert exc.problems and all(isinstance(p, Problem) for p in exc.problems)
        except CchcError:
            pass
        else:
            assert isinstance(data, MonthData)
        assert all(isinstance(p, Problem) for p in validate_path(path, PLAN))
        assert sha(path) == before


@settings(deadline=None)
@given(st.integers(0, 10**6), st.binary(min_size=1, max_size=64), st.booleans())
def test_damaged_bytes_raise_only_our_errors(at, junk, truncate):
    good = _good_bytes()
    at %= len(good)
    data = good[:at] if truncate else good[:at] + junk + good[at + len(junk) :]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "2022-03.xlsx"
        path.write_bytes(data)
        try:
            load_month(path, PLAN)
        except CchcError:
            pass
        assert path.read_bytes() == data
