"""Per-unit workbooks: the template of a unit, a month as a folder of units' files merged,
conflicts named with both files, missing units, ``cchc status``."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from monthly_plan import NARRATIVE, make_plan, march_indicators, march_progress
from test_monthly import errors, one

from cchc_lib.catalog import load_catalog
from cchc_lib.cli import main
from cchc_lib.errors import CchcError
from cchc_lib.model import TaskProgress
from cchc_lib.monthly import load_months, read_month, validate_path
from cchc_lib.monthly.status import period_status, render_status
from cchc_lib.monthly.template import build_template, fill_workbook, save_workbook
from cchc_lib.monthly.units import focal_unit, unit_names, unit_tasks
from cchc_lib.periods import parse_period

VP, TT, CNTT, TTR = "Văn phòng", "Thanh tra", "Tổ Công nghệ thông tin", "Trung tâm"
LEADS = {
    "I.1.1": (VP,),
    "I.1.2": (VP,),
    "I.2.1": (TT, VP),  # co-led: reported by its first lead
    "II.1.1": (TT,),
    "II.2.1": (CNTT,),
    "III.1.1": (CNTT,),
    "III.1.2": (VP,),
    "III.2.1": (TTR,),
}
BASE = make_plan()
PLAN = replace(BASE, tasks=tuple(replace(t, lead=LEADS[t.id]) for t in BASE.tasks))
CATALOG = load_catalog()


def unit_file(folder, unit, month="2022-03", *, progress=None, narrative=None, name=None, **kw):
    """The unit's workbook of ``month`` filled with the March values of its tasks."""
    mine = set(unit_tasks(PLAN, unit))
    wb = build_template(PLAN, month, unit=unit)
    rows = march_progress() if progress is None else progress
    values = march_indicators() if unit == VP else {}
    fill_workbook(
        wb,
        progress=[p for p in rows if p.task_id in mine],
        indicators=kw.get("indicators", values),
        narrative=narrative if narrative is not None else (NARRATIVE if unit == VP else None),
    )
    path = folder / month / (name or f"{unit}.xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path


def whole_file(folder, month="2022-03"):
    wb = build_template(PLAN, month)
    fill_workbook(wb, progress=march_progress(), indicators=march_indicators(), narrative=NARRATIVE)
    path = folder / f"{month}.xlsx"
    save_workbook(wb, path)
    return path


def early(month: str) -> list[TaskProgress]:
    """Rows valid in any month: open tasks, nothing completed yet."""
    return [TaskProgress(p.task_id, "in_progress", 10.0, None) for p in march_progress()]


def all_units(folder, month="2022-03"):
    progress = None if month == "2022-03" else early(month)
    return [unit_file(folder, u, month, progress=progress) for u in (VP, TT, CNTT, TTR)]


def test_units_and_focal():
    assert focal_unit(PLAN) == VP
    assert set(unit_names(PLAN)) == {VP, TT, CNTT, TTR}
    assert unit_tasks(PLAN, TT) == ("I.2.1", "II.1.1")


def test_unit_template_holds_its_tasks_and_indicators():
    wb = build_template(PLAN, "2022-03", unit="thanh tra")  # any case, diacritics
    ws = wb["Tiến độ"]
    assert [ws[f"A{r}"].value for r in range(5, ws.max_row + 1)] == ["I.2.1", "II.1.1"]
    assert "THANH TRA" in ws["A1"].value
    assert wb["Chỉ số"].max_row == 3  # indicators are the focal unit's
    assert ("unit", TT) in [tuple(r) for r in wb["_cchc"].values]
    assert "2022-03/Thanh tra.xlsx" in " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"])
    assert build_template(PLAN, "2022-03", unit=VP)["Chỉ số"].max_row == 3 + len(CATALOG.codes)
    with pytest.raises(CchcError, match="Các đơn vị"):
        build_template(PLAN, "2022-03", unit="Phòng X")


def test_cli_template_unit_default_path(tmp_path, capsys, monkeypatch):
    import cchc_lib.plan

    monkeypatch.setattr(cchc_lib.plan, "load_plan", lambda path: PLAN)
    monkeypatch.chdir(tmp_path)
    args = ["template", "--plan", "kh.txt", "--month", "2022-03", "--unit", "Thanh tra"]
    assert main(args) == 0
    assert (tmp_path / "2022-03" / "Thanh tra.xlsx").is_file()
    assert "2 nhiệm vụ" in capsys.readouterr().out


def test_month_of_unit_files_equals_the_whole_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    whole_file(tmp_path / "a")
    (whole,) = load_months(tmp_path / "a", PLAN)
    all_units(tmp_path / "b")
    assert not errors(validate_path(tmp_path / "b", PLAN))
    (merged,) = load_months(tmp_path / "b", PLAN)

    def rows(data):
        return [(p.task_id, p.status, p.percent, p.completed_on, p.result) for p in data.progress]

    assert rows(merged) == rows(whole)
    assert merged.indicators == whole.indicators and merged.narrative == whole.narrative
    assert merged.source == str(tmp_path / "b" / "2022-03") and len(merged.files) == 4
    assert dict(merged.origins)["II.1.1"].endswith("2022-03/Thanh tra.xlsx")


def test_narrative_parts_of_several_units_are_joined(tmp_path):
    unit_file(tmp_path, VP)
    unit_file(
        tmp_path,
        TT,
        narrative={"uu_diem": "Thanh tra hoàn thành kiểm tra.", "de_xuat": "Không có."},
    )
    for u in (CNTT, TTR):
        unit_file(tmp_path, u)
    (data,) = load_months(tmp_path, PLAN)
    assert data.text("uu_diem") == NARRATIVE["uu_diem"] + "\nThanh tra hoàn thành kiểm tra."
    assert data.text("de_xuat") == "Không có."  # the same paragraph is kept once


def test_task_given_by_a_unit_that_does_not_lead_it(tmp_path):
    all_units(tmp_path)
    path = tmp_path / "2022-03" / f"{TT}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Tiến độ"]
    ws.append(["III.2.1", "", "", "", "Hoàn thành", 100, date(2022, 3, 1)])
    wb.save(path)
    p = one(validate_path(tmp_path, PLAN), file=str(path), value="III.2.1")
    assert p.severity == "error" and TTR in p.message and TT in p.message


def test_task_in_the_whole_file_and_its_units_file_names_both(tmp_path):
    whole = whole_file(tmp_path)
    unit_file(tmp_path, TT)
    problems = validate_path(tmp_path, PLAN)
    p = one(problems, file=str(whole), value="II.1.1")
    assert p.severity == "error" and "2022-03/Thanh tra.xlsx" in p.message
    assert not [
        x for x in errors(problems) if x.value == "I.1.1"
    ]  # the rest come from 2022-03.xlsx


def test_indicator_given_twice_names_both_files(tmp_path):
    all_units(tmp_path)
    path = tmp_path / "2022-03" / f"{TT}.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["Chỉ số"].append(["sang_kien", "", "", 1])
    wb.save(path)
    (p,) = [x for x in validate_path(tmp_path, PLAN) if "sang_kien" in x.message]
    files = {
        Path(p.file).name,
        *(n for n in ("Văn phòng.xlsx", "Thanh tra.xlsx") if n in p.message),
    }
    assert files == {"Văn phòng.xlsx", "Thanh tra.xlsx"} and p.severity == "error"


def test_missing_unit_is_an_error_naming_the_unit(tmp_path):
    for u in (VP, TT, CNTT):
        unit_file(tmp_path, u)
    problems = validate_path(tmp_path, PLAN)
    p = one(problems, value="III.2.1")
    assert p.severity == "error" and TTR in p.message and "--unit" in p.fix
    assert p.file == str(tmp_path / "2022-03")


def test_unit_file_names_checked(tmp_path):
    unit_file(tmp_path, VP, name="Phòng X.xlsx")
    unit_file(tmp_path, TT, name=f"{VP}.xlsx")  # Thanh tra's form saved under another name
    problems = validate_path(tmp_path, PLAN)
    p = one(problems, file=str(tmp_path / "2022-03" / "Phòng X.xlsx"))
    assert p.severity == "warning" and "Phòng X" in p.message and VP in p.fix
    q = one(problems, file=str(tmp_path / "2022-03" / f"{VP}.xlsx"), severity="error")
    assert TT in q.message


def test_unit_file_beside_the_month_files(tmp_path):
    for u in (VP, TT, CNTT, TTR):
        src = unit_file(tmp_path / "x", u)
        shutil.move(src, tmp_path / f"2022-03 {u}.xlsx")
    (data,) = load_months(tmp_path, PLAN)
    assert len(data.files) == 4 and len(data.progress) == len(PLAN.tasks)


def test_a_unit_file_read_alone_is_checked_for_its_unit_only(tmp_path):
    path = unit_file(tmp_path, TT)
    data, problems = read_month(path, PLAN)
    assert not errors(problems) and [p.task_id for p in data.progress] == ["I.2.1", "II.1.1"]


def test_status_before_the_cutoff(tmp_path, capsys, monkeypatch):
    for m in ("2022-01", "2022-02"):
        all_units(tmp_path, m)
    unit_file(tmp_path, VP, "2022-03")
    unit_file(tmp_path, TT, "2022-03")
    status = period_status(PLAN, tmp_path, parse_period("2022-Q1"), date(2022, 3, 7))
    assert status.months == ("2022-01", "2022-02", "2022-03") and not status.complete
    assert status.cells[(CNTT, "2022-03")].state == "missing"
    assert status.cells[(TT, "2022-02")].state == "submitted"
    assert {t.task_id for t in status.stale} == set()  # March's rows differ from February's
    text = render_status(status, tmp_path, date(2022, 3, 7))
    assert "còn 7 ngày" in text and "Chưa nộp" in text and f"{TTR}: tháng 03/2022" in text
    assert period_status(PLAN, tmp_path, parse_period("2022-Q1"), date(2022, 2, 10)).complete

    import cchc_lib.plan

    monkeypatch.setattr(cchc_lib.plan, "load_plan", lambda path: PLAN)
    args = ["status", "--plan", "kh.txt", "--data", str(tmp_path), "--period", "2022-Q1"]
    assert main([*args, "--today", "2022-03-07"]) == 1
    unit_file(tmp_path, CNTT, "2022-03")
    unit_file(tmp_path, TTR, "2022-03")
    assert main([*args, "--today", "2022-03-07"]) == 0
    assert "ĐỦ" in capsys.readouterr().out
