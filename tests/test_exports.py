"""Dossier figures counted from the one-stop system's exports (indicators/exports.py): the
monthly sheet's typed figures checked against them, months the export does not cover."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dossier_exports import dossier, rows, write_csv
from monthly_plan import make_plan, march_indicators, write_month

from cchc_lib.errors import DossierFormatError
from cchc_lib.indicators.links import default_links
from cchc_lib.indicators.load import period_from
from cchc_lib.periods import parse_period

PLAN = make_plan()
MARCH = parse_period("2022-03")  # 15/02/2022 - 14/03/2022


def export(folder, *extra, first=date(2022, 1, 5), last=date(2022, 3, 20)):
    """Three dossiers of March (two online resolved early, one direct pending), plus one at
    each end of what the export knows."""
    (folder / "ho-so").mkdir(exist_ok=True)
    table = rows(
        dossier("A1", first, first + timedelta(days=5), first + timedelta(days=3)),
        dossier("M1", date(2022, 2, 20), date(2022, 3, 1), date(2022, 2, 25)),
        dossier("M2", date(2022, 3, 1), date(2022, 3, 10), date(2022, 3, 5)),
        dossier(
            "M3",
            date(2022, 3, 10),
            date(2022, 3, 30),
            None,
            channel="Trực tiếp",
            status="Đang xử lý",
        ),
        dossier("Z1", last, date(2022, 3, 30), None, status="Đang xử lý"),
        *extra,
    )
    return write_csv(folder / "ho-so" / "danh-sach.csv", table)


def test_the_months_dossier_figures_come_from_the_export(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    export(tmp_path)
    data = period_from(PLAN, default_links(), tmp_path, MARCH)
    (month,) = data.months
    assert month.indicator("hs_tiep_nhan") == 3 and month.indicator("hs_truc_tuyen") == 2
    assert month.indicator("hs_truoc_han") == 2 and month.indicator("hs_dang_giai_quyet") == 1
    assert dict(data.results.indicators)["hs_tiep_nhan"] == 3
    # what the sheet typed is not what the system counted: a warning naming both
    typed = march_indicators()["hs_tiep_nhan"]
    (w,) = [w for w in data.warnings if "(hs_tiep_nhan)" in w.message]
    assert w.severity == "warning" and w.sheet == "Chỉ số" and w.value == typed
    assert f"tệp tháng ghi {typed}" in w.message and "danh sách hồ sơ" in w.message
    assert "cho 3;" in w.message
    # figures the export does not give stay the sheet's
    assert month.indicator("tthc_tong") == march_indicators()["tthc_tong"]


def test_a_month_the_export_does_not_cover_keeps_the_sheets_figures(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    export(tmp_path, first=date(2022, 3, 1))  # nothing known before 01/03: no "từ kỳ trước"
    data = period_from(PLAN, default_links(), tmp_path, MARCH)
    assert data.months[0].indicator("hs_tiep_nhan") == march_indicators()["hs_tiep_nhan"]
    (w,) = [w for w in data.warnings if "không đủ cho tháng 03/2022" in w.message]
    assert "từ ngày 20/02/2022" in w.message  # the first dossier it knows


def test_bad_rows_are_told_and_left_out(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    bad = dossier("B1", "31/02/2022", date(2022, 3, 1))
    export(tmp_path, bad)
    data = period_from(PLAN, default_links(), tmp_path, MARCH)
    assert data.months[0].indicator("hs_tiep_nhan") == 3
    assert any("danh-sach.csv" in w.file and w.row is not None for w in data.warnings)


def test_a_dossiers_path_that_does_not_exist_is_an_error(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    with pytest.raises(DossierFormatError, match="không tìm thấy"):
        period_from(PLAN, default_links(), tmp_path, MARCH, dossiers=tmp_path / "khong-co")


def test_without_exports_the_sheet_is_used_untouched(tmp_path):
    write_month(tmp_path, PLAN, "2022-03")
    data = period_from(PLAN, default_links(), tmp_path, MARCH)
    assert data.exports is None and data.warnings == ()
    assert data.months[0].indicator("hs_tiep_nhan") == march_indicators()["hs_tiep_nhan"]
