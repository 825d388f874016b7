"""Dossier exports: reading, checks per row, the counting rules, Biểu 06, the command."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from dossier_exports import (
    HEADER,
    SECRET_ADDRESS,
    SECRET_NAME,
    SECRET_PHONE,
    dossier,
    rows,
    write_csv,
    write_xlsx,
)

from cchc_lib.cli import main
from cchc_lib.dossiers.codes import default_codes, load_codes
from cchc_lib.dossiers.form06 import form06_table, form06_workbook
from cchc_lib.dossiers.reader import find_exports, read_rows
from cchc_lib.dossiers.records import build_records, load_dossiers
from cchc_lib.dossiers.stats import INDICATOR_MAP, dossier_statistics, indicator_values
from cchc_lib.errors import DossierFormatError

D = date


def records_of(table, source="ho-so.xlsx", codes=None):
    return build_records([read_rows(table, source)], codes or default_codes())


# A quarter with one dossier of every kind (2022-Q1 = 15/12/2021 - 14/3/2022).
QUARTER = rows(
    dossier("CARRY-OPEN", D(2021, 12, 1), D(2022, 4, 1), channel="Trực tiếp", status="Đang xử lý"),
    dossier("CARRY-DONE", D(2021, 12, 10), D(2022, 1, 5), D(2022, 1, 4), channel="Trực tiếp"),
    dossier("OLD-DONE", D(2021, 11, 2), D(2021, 11, 20), D(2021, 11, 19)),
    dossier("EARLY", D(2022, 1, 3), D(2022, 1, 20), D(2022, 1, 10)),
    dossier("ONTIME", D(2022, 1, 3), D(2022, 1, 20), D(2022, 1, 20), channel="Bưu chính công ích"),
    dossier("NODEADLINE", D(2022, 2, 1), None, D(2022, 2, 9), field="Điện"),
    dossier("LATE", D(2022, 2, 1), D(2022, 2, 10), D(2022, 2, 12), channel="3"),
    dossier("PENDING-IN", D(2022, 3, 1), D(2022, 3, 14), status="Đang xử lý", field="Điện"),
    dossier("PENDING-PAST", D(2022, 3, 1), D(2022, 3, 13), status="Yêu cầu bổ sung"),
    dossier("AFTER", D(2022, 3, 20), D(2022, 3, 30), D(2022, 3, 25)),
    dossier("REFUSED", D(2022, 1, 5), None, status="Không được tiếp nhận"),
    dossier("WITHDRAWN", D(2022, 1, 6), D(2022, 1, 20), status="7"),
)


def test_counting_rules_by_hand():
    records, problems = records_of(QUARTER)
    assert problems == []
    t = dossier_statistics(records, "2022-Q1").totals
    assert (t.tu_ky_truoc, t.moi_tiep_nhan, t.tong_nhan) == (2, 6, 8)
    assert (t.truc_tuyen, t.truc_tiep, t.buu_chinh) == (4, 0, 2)
    assert (t.da_giai_quyet, t.truoc_han, t.dung_han, t.qua_han) == (5, 2, 2, 1)
    assert (t.dang_giai_quyet, t.trong_han, t.dang_qua_han) == (3, 2, 1)
    assert t.tong_nhan == t.da_giai_quyet + t.dang_giai_quyet
    assert t.ty_le_dung_han == 80.0 and t.ty_le_truc_tuyen == pytest.approx(66.67)
    assert dict(records.rows_excluded) == {"khong_duoc_tiep_nhan": 1, "cong_dan_rut": 1}
    assert records.rows_read == 12 and records.rows_counted == 10


def test_calendar_rule_and_one_month():
    records, _ = records_of(QUARTER)
    cal = dossier_statistics(records, "2022-Q1", rule="calendar").totals
    assert (cal.tu_ky_truoc, cal.moi_tiep_nhan) == (2, 7)  # 1/1-31/3: AFTER is received in it
    jan = dossier_statistics(records, "2022-01").totals  # 15/12/2021 - 14/1/2022
    assert (jan.tu_ky_truoc, jan.moi_tiep_nhan, jan.da_giai_quyet, jan.dang_giai_quyet) == (
        2,
        2,
        2,
        2,
    )


def test_groups_and_json_contract():
    records, _ = records_of(QUARTER)
    stats = dossier_statistics(records, "2022-Q1", by="linh_vuc")
    out = json.loads(json.dumps(stats.to_json()))
    assert out["period"] == "2022-Q1"
    assert out["window"] == {"start": "2021-12-15", "end": "2022-03-14"}
    assert out["rows_read"] == 12 and out["rows_excluded"] == {
        "khong_duoc_tiep_nhan": 1,
        "cong_dan_rut": 1,
    }
    keys = {
        "tu_ky_truoc", "moi_tiep_nhan", "truc_tuyen", "truc_tiep", "buu_chinh", "tong_nhan",
        "da_giai_quyet", "truoc_han", "dung_han", "qua_han", "dang_giai_quyet", "trong_han",
        "dang_qua_han", "ty_le_dung_han", "ty_le_truc_tuyen",
    }  # fmt: skip
    assert keys <= set(out["totals"])
    groups = {g["key"]: g for g in out["groups"]}
    assert set(groups) == {"Thương mại", "Điện"}
    assert groups["Điện"]["tong_nhan"] == 2 and groups["Thương mại"]["tong_nhan"] == 6
    for k in keys - {"ty_le_dung_han", "ty_le_truc_tuyen"}:
        assert sum(g[k] for g in out["groups"]) == out["totals"][k]


def test_indicator_mapping():
    records, _ = records_of(QUARTER)
    v = indicator_values(dossier_statistics(records, "2022-Q1"))
    assert v == {
        "hs_tiep_nhan": 6,
        "hs_truc_tuyen": 4,
        "hs_bcci": 2,
        "hs_truoc_han": 2,
        "hs_dung_han": 2,
        "hs_tre_han": 1,
        "hs_dang_giai_quyet": 2,
        "hs_qua_han_chua_giai_quyet": 1,
    }
    from cchc_lib.catalog import load_catalog

    assert set(INDICATOR_MAP) <= set(load_catalog().codes)


# --- reading ----------------------------------------------------------------------------


def test_csv_semicolon_bom_and_xlsx_read_alike(tmp_path):
    a = load_dossiers(write_csv(tmp_path / "a.csv", QUARTER))[0]
    b = load_dossiers(write_csv(tmp_path / "b.csv", QUARTER, sep=";", bom=False))[0]
    c = load_dossiers(write_xlsx(tmp_path / "c.xlsx", QUARTER, column_offset=2))[0]
    want = records_of(QUARTER)[0]
    for got in (a, b, c):
        assert got.rows_read == 12
        assert (
            dossier_statistics(got, "2022-Q1").totals == dossier_statistics(want, "2022-Q1").totals
        )
    # row numbers as the file shows them: 3 title rows, the header on row 4
    assert c.frame.filter(c.frame["key"] == "EARLY")["_row"].to_list() == [8]
    assert a.frame.filter(a.frame["key"] == "EARLY")["_row"].to_list() == [8]


def test_header_aliases_of_other_vendors(tmp_path):
    table = [
        [
            "MaHoSo",
            "NgayTiepNhan",
            "NgayHenTra",
            "NgayKetThucXuLy",
            "KenhThucHien",
            "TrangThaiHoSo",
        ],
        ["A1", "20220105083000", "20220110170000", "20220108101500", "2", "10"],
        ["A2", "2022-01-06T08:00:00+07:00", "2022-01-12", "", "1", "4"],
        ["A3", "06.01.2022", "44574", "", "3", "2"],
    ]
    records, problems = records_of(table)
    assert problems == []
    t = dossier_statistics(records, "2022-01").totals
    assert (t.moi_tiep_nhan, t.truc_tuyen, t.truc_tiep, t.buu_chinh) == (3, 1, 1, 1)
    assert (t.truoc_han, t.dang_giai_quyet, t.dang_qua_han) == (1, 2, 2)  # 44574 = 13/1/2022


def test_xlsx_date_cells_and_text_dates(tmp_path):
    table = rows(
        dossier(
            "X1", datetime(2022, 1, 3, 9, 30), datetime(2022, 1, 10, 17), datetime(2022, 1, 7, 8)
        ),
        dossier("X2", "04/01/2022 08:30", "10/01/2022", "10/01/2022 16:00"),
    )
    records, problems = load_dossiers(write_xlsx(tmp_path / "x.xlsx", table))
    assert problems == []
    t = dossier_statistics(records, "2022-01").totals
    assert (t.truoc_han, t.dung_han) == (1, 1)


def test_no_header_names_found_and_needed(tmp_path):
    table = [["Mã hồ sơ", "Ngày", "Số"], ["A1", "1/1/2022", 3]]
    with pytest.raises(DossierFormatError) as e:
        load_dossiers(write_xlsx(tmp_path / "x.xlsx", table))
    msg = str(e.value)
    assert (
        "x.xlsx" in msg and "“Ngày”" in msg and "Ngày tiếp nhận" in msg and "Hình thức nộp" in msg
    )


def test_missing_required_column(tmp_path):
    header = [h for h in HEADER if h != "Ngày hẹn trả"]
    table = [header, ["1", "A1", "x", "y", "z", "p", "f", "u", "2", "1/1/2022", "", "Đang xử lý"]]
    with pytest.raises(DossierFormatError, match="thiếu cột “Ngày hẹn trả”"):
        load_dossiers(write_csv(tmp_path / "a.csv", table))


def test_not_utf8_csv(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(",".join(HEADER).encode("cp1258", errors="replace") + b"\n\xe0\xe1\n")
    with pytest.raises(DossierFormatError, match="UTF-8"):
        load_dossiers(p)


def test_folder_and_find_exports(tmp_path):
    (tmp_path / "2022-01.xlsx").write_bytes(b"")
    assert find_exports(tmp_path) is None
    ho_so = tmp_path / "ho-so"
    ho_so.mkdir()
    write_csv(ho_so / "q1.csv", rows(*QUARTER[4:8], title=False))
    write_csv(ho_so / "q2.csv", rows(*QUARTER[8:], title=False))
    assert find_exports(tmp_path) == ho_so
    records, _ = load_dossiers(ho_so)
    assert records.rows_read == 12 and len(records.sources) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DossierFormatError, match="không có tệp"):
        load_dossiers(empty)


# --- problems ----------------------------------------------------------------------------


BAD = rows(
    dossier("OK", D(2022, 1, 3), D(2022, 1, 10), D(2022, 1, 7)),
    dossier("BADDATE", "32/01/2022", D(2022, 2, 10)),
    dossier("DUEBEFORE", D(2022, 1, 10), D(2022, 1, 5)),
    dossier("RESULTBEFORE", D(2022, 1, 10), D(2022, 1, 20), D(2022, 1, 9)),
    dossier("STATUS", D(2022, 1, 3), D(2022, 1, 10), status="Đang chờ ông A"),
    dossier("CHANNEL", D(2022, 1, 3), D(2022, 1, 10), channel="Zalo"),
    dossier("", D(2022, 1, 3), D(2022, 1, 10)),
    dossier("NORECEIVED", None, D(2022, 1, 10)),
    dossier("TWICE", D(2022, 1, 3), D(2022, 1, 10)),
    dossier("TWICE", D(2022, 1, 3), D(2022, 1, 12)),
    dossier("COPY", D(2022, 1, 3), D(2022, 1, 10)),
    dossier("COPY", D(2022, 1, 3), D(2022, 1, 10)),
)


def test_bad_rows_listed_and_left_out():
    records, problems = records_of(BAD, source="ho-so.csv")
    assert dict(records.rows_excluded) == {
        "ngay_khong_doc_duoc": 1,
        "han_truoc_ngay_tiep_nhan": 1,
        "ket_qua_truoc_ngay_tiep_nhan": 1,
        "trang_thai_khong_ro": 1,
        "kenh_khong_ro": 1,
        "thieu_ma_ho_so": 1,
        "thieu_ngay_tiep_nhan": 1,
        "trung_ma_ho_so": 2,
        "ban_sao_trung_lap": 1,
    }
    assert sorted(records.frame["key"].to_list()) == ["COPY", "OK"]
    by_row = {p.row: p for p in problems}
    assert by_row[6].column == "Ngày tiếp nhận" and by_row[6].value == "32/01/2022"
    assert by_row[7].column == "Ngày hẹn trả" and "5/1/2022" in by_row[7].message
    assert by_row[8].column == "Ngày có kết quả"
    assert by_row[9].value == "Đang chờ ông A" and by_row[9].column == "Trạng thái"
    assert by_row[10].value == "Zalo"
    assert "dòng 14" in by_row[13].message and "dòng 13" in by_row[14].message
    assert all(p.file == "ho-so.csv" for p in problems)
    stats = dossier_statistics(records, "2022-01").to_json()
    assert stats["rows_read"] == 12 and sum(stats["rows_excluded"].values()) == 10
    assert stats["totals"]["moi_tiep_nhan"] == 2


def test_office_codes_beside_the_plan(tmp_path):
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text("x", encoding="utf-8")
    (tmp_path / "ke-hoach.dossiers.yaml").write_text(
        "statuses:\n  dang_xu_ly:\n    codes: ['Đang chờ ông A']\n"
        "channels:\n  truc_tuyen:\n    codes: [Zalo]\nexclude: [khong_duoc_tiep_nhan]\n",
        encoding="utf-8",
    )
    codes = load_codes(plan)
    assert codes.status("đang chờ ông a") == "dang_xu_ly" and codes.channel("ZALO") == "truc_tuyen"
    assert codes.exclude == {"khong_duoc_tiep_nhan"}
    assert codes.status("Đã trả kết quả") == "da_tra_ket_qua"  # defaults kept
    records, _ = records_of(BAD, codes=codes)
    assert "trang_thai_khong_ro" not in dict(records.rows_excluded)
    (tmp_path / "ke-hoach.dossiers.yaml").write_text("exclude: [khong_co]\n", encoding="utf-8")
    with pytest.raises(DossierFormatError, match="khong_co"):
        load_codes(plan)


def test_personal_data_never_in_any_output(tmp_path, capsys):
    src = write_xlsx(tmp_path / "ho-so.xlsx", BAD)
    csv_src = write_csv(tmp_path / "ho-so.csv", BAD)
    secrets = (SECRET_NAME, SECRET_PHONE, SECRET_ADDRESS)
    for source in (src, csv_src):
        records, problems = load_dossiers(source)
        text = " ".join(str(p) for p in problems) + repr(records.frame.to_dicts())
        stats = dossier_statistics(records, "2022-01", by="don_vi")
        text += json.dumps(stats.to_json(), ensure_ascii=False) + repr(form06_table(stats))
        assert not any(s in text for s in secrets)
        assert set(records.frame.columns).isdisjoint({"chu_ho_so", "dien_thoai", "dia_chi"})
    out = tmp_path / "b06.xlsx"
    probs = tmp_path / "problems.csv"
    for fmt in ("text", "json"):
        assert main(["dossiers", "--data", str(src), "--period", "2022-01", "--format", fmt,
                     "--by", "thu_tuc", "--problems", str(probs)]) == 0  # fmt: skip
    assert main(["dossiers", "--data", str(src), "--period", "2022-01", "--format", "xlsx",
                 "-o", str(out)]) == 0  # fmt: skip
    captured = capsys.readouterr()
    import zipfile

    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    everything = captured.out + captured.err + xml + probs.read_text("utf-8-sig")
    assert "Đang chờ ông A" in everything  # the problems are there ...
    assert not any(s in everything for s in secrets)  # ... the people are not


# --- Biểu 06 ------------------------------------------------------------------------------


def test_form06_table_and_workbook():
    records, _ = records_of(QUARTER)
    stats = dossier_statistics(records, "2022-Q1", by="linh_vuc")
    table = form06_table(stats)
    assert table.numbers == tuple(f"({i})" for i in range(1, 14))
    assert sum(c.colspan for c in table.header[0]) == 13
    assert [c.text for c in table.header[1]][:4] == [
        "Tổng số", "Trong đó: Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
    ]  # fmt: skip
    assert table.total == ("", "Tổng cộng", "8", "4", "2", "2", "5", "2", "2", "1", "3", "2", "1")
    assert [r[1] for r in table.rows] == ["Thương mại", "Điện"]
    assert all(len(r) == 13 for r in (*table.rows, table.total))
    assert "15/12/2021" in table.period and "quý I năm 2022" in table.period
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(form06_workbook(stats, agency="=HYPERLINK(1)"))).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    flat = [v for r in values for v in r]
    assert "Biểu số 06/VPCP/KSTT" in flat and "(13)" in flat
    total = next(r for r in values if r[1] == "Tổng cộng")
    assert total[2:] == [8, 4, 2, 2, 5, 2, 2, 1, 3, 2, 1]
    cell = next(c for r in ws.iter_rows() for c in r if str(c.value).startswith("Đơn vị báo cáo"))
    assert cell.data_type == "s"


def test_cli_json_and_text(tmp_path, capsys):
    src = write_csv(tmp_path / "a.csv", QUARTER)
    assert main(["dossiers", "--data", str(src), "--period", "2022-Q1", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["totals"]["tong_nhan"] == 8 and out["groups"] == []
    assert main(["dossiers", "--data", str(src), "--period", "2022-Q1", "--by", "linh_vuc"]) == 0
    text = capsys.readouterr().out
    assert "QUÝ I NĂM 2022" in text and "Không tính 1 dòng" in text and "Điện" in text
    assert main(["dossiers", "--data", str(src), "--period", "2022-Q9"]) == 2
    assert main(["dossiers", "--data", str(src), "--period", "2022-Q1", "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err


def test_xlsx_slow_path_reads_the_same(tmp_path):
    """A repeated header name sends the reader down calamine's path; same records."""
    table = [[], *([*r, "Trạng thái" if i == 3 else None] for i, r in enumerate(QUARTER))]
    path = write_xlsx(tmp_path / "x.xlsx", table, column_offset=1)  # data from B2
    from cchc_lib.dossiers.reader import _excel_by_peek

    assert _excel_by_peek(path) is None  # the fast path declines
    records, problems = load_dossiers(path)
    assert problems == []
    want = records_of(QUARTER)[0]
    assert (
        dossier_statistics(records, "2022-Q1").totals == dossier_statistics(want, "2022-Q1").totals
    )
    assert records.frame.filter(records.frame["key"] == "EARLY")["_row"].to_list() == [9]
    fast = load_dossiers(write_xlsx(tmp_path / "y.xlsx", [[], *QUARTER], column_offset=2))[0]
    assert fast.frame.filter(fast.frame["key"] == "EARLY")["_row"].to_list() == [9]
