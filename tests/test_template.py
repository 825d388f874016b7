"""The monthly Excel template: layout, protection, validations, print setup, --from."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import openpyxl
import pytest
from monthly_plan import make_plan, march_progress, write_month

from cchc_lib.catalog import load_catalog
from cchc_lib.cli import main
from cchc_lib.errors import CchcError, DataValidationError
from cchc_lib.model import NARRATIVE_KEYS, STATUSES
from cchc_lib.monthly import load_month, read_month
from cchc_lib.monthly.template import (
    SHEET_META,
    build_template,
    fill_workbook,
    plan_fingerprint,
    save_workbook,
    write_template,
)

PLAN = make_plan()
HEADERS = [
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "Chủ trì",
    "Thời hạn",
    "Trạng thái",
    "Tỷ lệ hoàn thành (%)",
    "Ngày hoàn thành",
    "Kết quả, sản phẩm",
    "Khó khăn, vướng mắc",
    "Ghi chú",
]


@pytest.fixture(scope="module")
def wb():
    return build_template(PLAN, "2022-03")


def test_sheets_in_order_meta_hidden(wb):
    assert wb.sheetnames == ["Tiến độ", "Chỉ số", "Thuyết minh", "Hướng dẫn", SHEET_META]
    assert wb[SHEET_META].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in wb[SHEET_META].iter_rows(values_only=True)}
    assert meta["month"] == "2022-03" and meta["plan_fingerprint"] == plan_fingerprint(PLAN)
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:4])


def test_progress_titles_header_and_rows(wb):
    ws = wb["Tiến độ"]
    titles = " ".join(str(ws.cell(row=r, column=1).value) for r in (1, 2, 3))
    assert "PHÒNG THỬ NGHIỆM" in titles and "Tháng 3/2022" in titles
    assert "15/2/2022" in titles and "14/3/2022" in titles
    assert [c.value for c in ws[4]] == HEADERS
    rows = list(ws.iter_rows(min_row=5, max_col=4, values_only=True))
    assert rows == [(t.id, t.task, ", ".join(t.lead), t.deadline.raw) for t in PLAN.tasks]
    assert ws["C7"].value == "Văn phòng, Thanh tra"


def test_locked_and_unlocked_cells(wb):
    ws = wb["Tiến độ"]
    assert ws.protection.sheet is True and not ws.protection.password
    last = 4 + len(PLAN.tasks)
    for r in range(5, last + 1):
        assert all(ws.cell(row=r, column=c).protection.locked for c in range(1, 5))
        assert not any(ws.cell(row=r, column=c).protection.locked for c in range(5, 11))
    for name in ("Chỉ số", "Thuyết minh"):
        assert wb[name].protection.sheet is True and not wb[name].protection.password
    assert not wb["Chỉ số"]["D4"].protection.locked and wb["Chỉ số"]["A4"].protection.locked


def _validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_progress_validations_and_formats(wb):
    ws = wb["Tiến độ"]
    last = 4 + len(PLAN.tasks)
    dvs = _validations(ws)
    status = dvs[f"E5:E{last}"]
    assert status.type == "list" and status.formula1 == '"' + ",".join(STATUSES.values()) + '"'
    pct = dvs[f"F5:F{last}"]
    assert (pct.type, pct.operator, pct.formula1, pct.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    done = dvs[f"G5:G{last}"]
    assert done.type == "date" and done.showErrorMessage
    assert all(ws.cell(row=r, column=7).number_format == "dd/mm/yyyy" for r in range(5, last + 1))
    assert all(ws.cell(row=5, column=c).alignment.wrap_text for c in range(1, 11))


def test_frozen_header_widths_and_print_setup(wb):
    ws = wb["Tiến độ"]
    assert ws.freeze_panes == "C5"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"


def test_indicator_sheet(wb):
    ws = wb["Chỉ số"]
    assert [c.value for c in ws[3]] == [
        "Mã chỉ số",
        "Tên chỉ số",
        "Đơn vị tính",
        "Giá trị",
        "Ghi chú",
    ]
    catalog = load_catalog()
    rows = list(ws.iter_rows(min_row=4, max_col=3, values_only=True))
    assert rows == [(i.code, i.name, i.unit_label) for i in catalog.indicators]
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert f"D{3 + len(rows)}" in str(dv.sqref)


def test_narrative_and_guide(wb):
    ws = wb["Thuyết minh"]
    assert [c.value for c in ws[3]] == ["Mục", "Nội dung"]
    labels = [r[0] for r in ws.iter_rows(min_row=4, max_col=1, values_only=True)]
    assert labels == list(NARRATIVE_KEYS.values())
    assert ws.row_dimensions[4].height >= 100 and ws["B4"].alignment.wrap_text
    guide = "\n".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    for words in [*STATUSES.values(), "15/2/2022", "14/3/2022", "dd/mm/yyyy", "số nguyên"]:
        assert words in guide
    assert "2022-03.xlsx" in guide and "không đổi tên" in guide.lower()


def blank_codes(problems) -> set:
    """The codes of the "required indicator left blank" errors; asserts there is no other."""
    errors = [p for p in problems if p.severity == "error"]
    assert all("chưa ghi giá trị chỉ số bắt buộc" in p.message for p in errors), errors
    return {p.message.split()[8] for p in errors}  # "chưa ghi giá trị chỉ số bắt buộc <code>"


def test_written_template_reads_back_with_only_the_blank_indicators_as_errors(tmp_path):
    path = tmp_path / "2022-03.xlsx"
    write_template(PLAN, "2022-03", path)
    data, problems = read_month(path, PLAN)
    assert data is not None and [p.task_id for p in data.progress] == [t.id for t in PLAN.tasks]
    assert blank_codes(problems) == set(load_catalog().required)


def test_fill_and_load_round_trip(tmp_path):
    data = load_month(write_month(tmp_path, PLAN), PLAN)
    assert [(p.task_id, p.status, p.percent, p.completed_on) for p in data.progress] == [
        (p.task_id, p.status, p.percent, p.completed_on) for p in march_progress()
    ]


def test_from_previous_prefills_status_percent_date_results(tmp_path):
    prev = write_month(tmp_path, PLAN, "2022-03")
    before = hashlib.sha256(prev.read_bytes()).hexdigest()
    out = tmp_path / "2022-04.xlsx"
    write_template(PLAN, "2022-04", out, previous=prev)
    assert hashlib.sha256(prev.read_bytes()).hexdigest() == before
    ws = openpyxl.load_workbook(out)["Tiến độ"]
    assert [ws[f"E{r}"].value for r in (5, 6, 7)] == [
        "Hoàn thành",
        "Đang thực hiện",
        "Chưa triển khai",
    ]
    assert ws["F6"].value == 25 and ws["G5"].value == datetime(2022, 1, 18)
    assert ws["H5"].value == "Kế hoạch số 5/KH-PTN"
    assert ws["I8"].value is None and ws["J6"].value is None  # difficulties/notes not copied
    data, problems = read_month(out, PLAN)
    assert data.month == "2022-04" and data.progress_of("III.1.2").completed_on == date(2022, 3, 14)
    # stocks carried (marked, to be confirmed), flows left blank: the month is not done yet
    catalog = load_catalog()
    stocks = {c for c in catalog.required if catalog[c].kind == "stock"}
    assert blank_codes(problems) == set(catalog.required) - stocks
    assert {p.row for p in problems if "chép từ tháng trước" in p.message} == {
        4 + catalog.codes.index(c) for c in stocks
    }
    ind = openpyxl.load_workbook(out)["Chỉ số"]
    row = 4 + catalog.codes.index("tthc_tong")
    assert ind[f"D{row}"].value == 100 and ind[f"E{row}"].value.startswith("Chép từ tháng 3/2022")
    assert ind[f"D{4 + catalog.codes.index('hs_tiep_nhan')}"].value is None


def test_from_previous_refuses_same_path_and_broken_file(tmp_path):
    prev = write_month(tmp_path, PLAN, "2022-03")
    with pytest.raises(CchcError):
        write_template(PLAN, "2022-04", prev, previous=prev)
    bad = tmp_path / "2022-02.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(DataValidationError):
        build_template(PLAN, "2022-03", previous=bad)


def test_save_with_timestamp_is_byte_stable(tmp_path):
    stamp = datetime(2022, 3, 14, 17, 0)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        wb = build_template(PLAN, "2022-03")
        fill_workbook(wb, progress=march_progress())
        save_workbook(wb, path, timestamp=stamp)
    assert a.read_bytes() == b.read_bytes()
    assert openpyxl.load_workbook(a).properties.modified == stamp


def test_any_plan_seed_and_second(tmp_path, seed_plan, second_plan):
    for plan in (seed_plan, second_plan):
        month = f"{plan.meta.year}-06"
        path = tmp_path / f"{month}.xlsx"
        write_template(plan, month, path)
        data, problems = read_month(path, plan)
        assert len(data.progress) == len(plan.tasks)
        assert blank_codes(problems) == set(load_catalog().required)
        ws = openpyxl.load_workbook(path)["Tiến độ"]
        assert plan.meta.agency.upper() in ws["A1"].value


def test_cli_template(tmp_path, seed_path, capsys):
    out = tmp_path / "2022-03.xlsx"
    assert main(["template", "--plan", str(seed_path), "--month", "2022-03", "-o", str(out)]) == 0
    assert out.is_file() and "2022-03" in capsys.readouterr().out
    assert main(["template", "--plan", str(seed_path), "--month", "2022-03", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    nxt = tmp_path / "2022-04.xlsx"
    args = ["template", "--plan", str(seed_path), "--month", "2022-04", "-o", str(nxt)]
    assert main([*args, "--from", str(out)]) == 0
    assert main([*args, "--force", "--month", "2022-13"]) == 2
