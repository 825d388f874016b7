"""The plan parser: the seed pinned exactly, a second plan as text and Word, bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from second_plan import EXPECTED_DEADLINES, N_AREAS, N_TASKS

from cchc_lib.errors import PlanFormatError
from cchc_lib.plan import load_plan
from cchc_lib.plan.table import join_continuation, split_items

# --- the seed ---------------------------------------------------------------------

SEED_TASK_IDS = [
    "I.1.1", "I.1.2", "I.1.3", "I.1.4", "I.2.1",
    "II.1.1", "II.2.1", "II.3.1", "II.4.1",
    "III.1.1", "III.2.1", "III.3.1", "III.4.1", "III.5.1",
    "IV.1.1", "IV.2.1", "IV.3.1",
    "V.1.1", "V.2.1",
    "VI.1.1", "VI.2.1", "VI.3.1",
    "VII.1.1.1", "VII.1.2.1", "VII.1.3.1", "VII.1.4.1", "VII.1.5.1", "VII.1.6.1", "VII.1.7.1",
    "VII.2.1.1", "VII.2.2.1", "VII.2.3.1",
]  # fmt: skip

Y = "recurring", "2022-01-01", "2022-12-31"
SEED_DEADLINES = {
    "I.1.1": ("Trước ngày 20/01/2022", "by_date", "2022-01-01", "2022-01-20"),
    "I.1.2": ("Tháng 01-02/2022", "window", "2022-01-01", "2022-02-28"),
    "I.1.3": ("Thường xuyên", *Y),
    "I.1.4": ("Thường xuyên", *Y),
    "I.2.1": ("Quý III", "window", "2022-07-01", "2022-09-30"),
    "II.1.1": ("Quý I", "window", "2022-01-01", "2022-03-31"),
    "II.2.1": ("Thường xuyên", *Y),
    "II.3.1": ("Theo Kế hoạch năm", "per_plan", "2022-01-01", "2022-12-31"),
    "II.4.1": ("Thường xuyên", *Y),
    "III.1.1": ("Tháng 2/2022 đến tháng 8/2022", "window", "2022-02-01", "2022-08-31"),
    "III.2.1": ("Thường xuyên", *Y),
    "III.3.1": ("Thường xuyên", *Y),
    "III.4.1": ("Thường xuyên", *Y),
    "III.5.1": ("Thường xuyên", *Y),
    "IV.1.1": ("Quý I – Quý II năm 2022", "window", "2022-01-01", "2022-06-30"),
    "IV.2.1": ("Tháng 01/2022", "window", "2022-01-01", "2022-01-31"),
    "IV.3.1": ("Thường xuyên", *Y),
    "V.1.1": ("Thường xuyên", *Y),
    "V.2.1": ("Thường xuyên", *Y),
    "VI.1.1": ("Thường xuyên", *Y),
    "VI.2.1": ("Tháng 01/2022", "window", "2022-01-01", "2022-01-31"),
    "VI.3.1": ("Thường xuyên", *Y),
    "VII.1.1.1": ("Quý II, III", "window", "2022-04-01", "2022-09-30"),
    "VII.1.2.1": ("Thường xuyên", *Y),
    "VII.1.3.1": ("Thường xuyên", *Y),
    "VII.1.4.1": ("Quý II, III", "window", "2022-04-01", "2022-09-30"),
    "VII.1.5.1": ("Quý II, III", "window", "2022-04-01", "2022-09-30"),
    "VII.1.6.1": ("Quý II, III", "window", "2022-04-01", "2022-09-30"),
    "VII.1.7.1": ("Thường xuyên", *Y),
    "VII.2.1.1": ("Theo Kế hoạch ISO năm 2022", "per_plan", "2022-01-01", "2022-12-31"),
    "VII.2.2.1": ("Thường xuyên", *Y),
    "VII.2.3.1": ("Thường xuyên", *Y),
}
A = ("Theo dự toán được duyệt", "approved_estimate")
N = ("0", "none")
U = ("", "unspecified")
SEED_BUDGETS = {
    "I.1.1": N, "I.1.2": N, "I.1.3": A, "I.1.4": A, "I.2.1": N,
    "II.1.1": N, "II.2.1": A, "II.3.1": ("Theo dự toán được duyet", "approved_estimate"), "II.4.1": A,
    "III.1.1": A, "III.2.1": A, "III.3.1": N, "III.4.1": A, "III.5.1": A,
    "IV.1.1": N, "IV.2.1": N, "IV.3.1": N, "V.1.1": N, "V.2.1": A,
    "VI.1.1": U, "VI.2.1": U, "VI.3.1": U,
    "VII.1.1.1": A, "VII.1.2.1": A, "VII.1.3.1": A, "VII.1.4.1": A, "VII.1.5.1": A,
    "VII.1.6.1": A, "VII.1.7.1": A, "VII.2.1.1": A, "VII.2.2.1": A, "VII.2.3.1": A,
}  # fmt: skip


def test_seed_meta(seed_plan):
    m = seed_plan.meta
    assert m.agency == "Sở Công Thương"
    assert m.parent == "UBND tỉnh Hà Tĩnh"
    assert m.number == "/KH-SCT"
    assert m.place == "Hà Tĩnh"
    assert m.date == date(2022, 1, 19)
    assert m.year == 2022
    assert m.title == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"
    assert (m.signer_title, m.signer_position, m.signer_name) == (
        "GIÁM ĐỐC",
        None,
        "Hoàng Văn Quảng",
    )
    assert m.recipients[0] == "UBND tỉnh;"
    assert m.recipients[-1].startswith("Lưu: VT")
    assert len(m.recipients) == 7


def test_seed_counts(seed_plan):
    assert [a.code for a in seed_plan.areas] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [t.id for t in seed_plan.tasks] == SEED_TASK_IDS
    assert len(seed_plan.purposes) == 4
    assert len(seed_plan.goals) == 2
    assert len([t for t in seed_plan.targets if t.section == "II.2"]) == 9
    assert len([t for t in seed_plan.targets if t.section == "appendix"]) == 29
    per_area = {a: sum(1 for s in seed_plan.solutions if s.area == a) for a in "1234567"}
    assert per_area == {"1": 4, "2": 6, "3": 5, "4": 4, "5": 4, "6": 5, "7": 10}
    vii = seed_plan.area("VII")
    assert [(s.code, s.title) for s in vii.subareas] == [
        ("7.1", "Ứng dụng công nghệ thông tin trong hoạt động của đơn vị"),
        ("7.2", "Áp dụng ISO trong hoạt động của đơn vị"),
    ]
    assert seed_plan.area("II").title == "CẢI CÁCH THỂ CHẾ"  # numeral and title in one cell


@pytest.mark.parametrize("task_id", SEED_TASK_IDS)
def test_seed_deadline_and_budget(seed_plan, task_id):
    t = seed_plan.task(task_id)
    raw, kind, start, end = SEED_DEADLINES[task_id]
    assert (t.deadline.raw, t.deadline.kind) == (raw, kind)
    assert (t.deadline.start.isoformat(), t.deadline.end.isoformat()) == (start, end)
    assert t.deadline.ongoing is (kind == "recurring")
    assert (t.budget.raw, t.budget.kind) == SEED_BUDGETS[task_id]


def test_seed_repairs(seed_plan):
    # rows with empty TT and target add tasks to the numbered row above
    row1 = [t for t in seed_plan.tasks if t.area == "I" and t.row == 1]
    assert len(row1) == 4
    assert {t.target for t in row1} == {
        "Nâng cao chất lượng công tác chỉ đạo điều hành, công tác tham mưu CCHC"
    }
    # page-split continuations merged back with correct spacing
    t = seed_plan.task("II.3.1")
    assert t.partners == ("Các phòng chuyên môn", "Các đơn vị thuộc Sở")
    assert t.budget.raw == "Theo dự toán được duyet"
    assert t.activities == (
        "Kế hoạch kiểm tra, tự kiểm tra.",
        "Danh mục các văn bản đưa vào tự kiểm tra; Phiếu tự kiểm tra văn bản QPPL "
        "(đối với những văn bản có sai sót).",
    )
    t = seed_plan.task("VII.1.2.1")
    assert t.task.endswith("đảm bảo an toàn thông tin trên môi trường mạng của cơ quan")
    assert t.activities == (
        "Phân công nhiệm vụ Tổ CNTT, thực hiện các biện pháp tăng cường đảm bảo "
        "an toàn thông tin trên môi trường mạng của cơ quan",
    )
    t = seed_plan.task("VII.1.7.1")
    assert t.target.endswith("giữa các cơ quan với nhau, tiến tới không chuyên văn bản giấy")
    # HTML residue becomes list items
    t = seed_plan.task("I.2.1")
    assert t.activities[0] == "Ban hành Kế hoạch Kiểm tra, tự kiểm tra CCHC năm 2022."
    assert len(t.activities) == 5
    assert not any("<" in a or ">" in a for task in seed_plan.tasks for a in task.activities)
    assert seed_plan.task("II.1.1").activities == (
        "Dự thảo Kế hoạch.",
        "Gửi góp ý dự thảo Kế hoạch và hoàn thiện",
    )
    # bullet continuation across a paragraph break in the body
    assert seed_plan.goals[0].endswith(
        "góp phần thúc đẩy thực hiện thắng lợi mục tiêu Nghị quyết "
        "của Đại hội Đại biểu Đảng bộ tỉnh lần thứ XIX."
    )


def test_seed_units_canonical(seed_plan):
    assert seed_plan.task("I.1.1").lead == ("Văn phòng Sở",)
    assert seed_plan.task("I.2.1").partners == ("Thanh tra Sở", "Các phòng chuyên môn")
    assert seed_plan.task("IV.1.1").lead == ("Trung tâm Khuyến công và Xúc tiến thương mại",)
    assert seed_plan.task("VII.1.4.1").lead == ("Văn phòng Sở", "Tổ Công nghệ thông tin")
    assert seed_plan.task("VII.1.2.1").partners == ("Sở Thông tin và Truyền thông",)
    assert seed_plan.task("VII.2.1.1").lead == ("Văn phòng Sở", "BCĐ ISO")


def test_seed_measures(seed_plan):
    by_id = {t.id: t for t in seed_plan.targets}
    rank = by_id["II.1.2"].measures
    assert [(m.comparator, m.value, m.stretch, m.unit) for m in rank] == [(">=", 3, 5, "rank")]
    init = by_id["II.2.2"].measures[0]
    assert (init.comparator, init.value, init.stretch, init.unit) == (">=", 1, 2, "count")
    five = by_id["II.2.5"].measures
    assert len(five) == 5
    assert [(m.value, m.unit) for m in five] == [
        (100, "%"),
        (100, "%"),
        (50, "%"),
        (50, "%"),
        (50, "%"),
    ]
    assert five[2].text.startswith("Có ít nhất 50% TTHC được tích hợp")
    assert by_id["II.2.7"].measures == ()  # a decree's number and date are not measures
    iso = by_id["PL.VII.2.1"].measures
    assert iso == ()


def test_seed_no_warnings_beyond_known(seed_plan):
    assert seed_plan.warnings == ()


def test_json_contract(seed_plan):
    from cchc_lib.plan.export import plan_to_json

    data = json.loads(plan_to_json(seed_plan))
    assert set(data) >= {"meta", "targets", "areas", "tasks", "warnings"}
    assert set(data["meta"]) >= {
        "agency", "number", "place", "date", "year", "title", "signer_title", "signer_name",
    }  # fmt: skip
    task = data["tasks"][0]
    assert set(task) >= {
        "id", "area", "subarea", "row", "target", "task", "activities", "outputs", "lead",
        "partners", "deadline", "budget",
    }  # fmt: skip
    assert task["deadline"] == {
        "raw": "Trước ngày 20/01/2022", "kind": "by_date", "start": "2022-01-01",
        "end": "2022-01-20", "ongoing": False,
    }  # fmt: skip
    assert set(data["targets"][0]) >= {"section", "text", "measures"}
    assert set(data["areas"][6]) >= {"code", "title", "subareas"}


# --- a second plan: other agency, year, columns; text and Word ------------------------


@pytest.mark.parametrize("form", ["txt", "docx"])
def test_second_plan(second_plan_paths, form):
    plan = load_plan(second_plan_paths[form])
    assert plan.meta.agency == "Phòng Tài nguyên và Môi trường"
    assert plan.meta.parent == "UBND huyện Đức Thọ"  # sentence form (was the header line)
    assert plan.meta.header_lines == ("UBND HUYỆN ĐỨC THỌ", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG")
    assert plan.meta.number == "15/KH-TNMT"
    assert plan.meta.year == 2023
    assert plan.meta.date == date(2023, 2, 5)
    assert plan.meta.title == "KẾ HOẠCH Cải cách hành chính năm 2023"
    assert (plan.meta.signer_title, plan.meta.signer_position, plan.meta.signer_name) == (
        "KT. TRƯỞNG PHÒNG",
        "PHÓ TRƯỞNG PHÒNG",
        "Lê Thị Mai Anh",
    )
    assert plan.meta.recipients == ("UBND huyện;", "Phòng Nội vụ;", "Lưu: VT.")
    assert len(plan.areas) == N_AREAS
    assert len(plan.tasks) == N_TASKS
    for task_id, (kind, start, end) in EXPECTED_DEADLINES.items():
        d = plan.task(task_id).deadline
        assert (d.kind, d.start.isoformat(), d.end.isoformat()) == (kind, start, end), task_id
    t = plan.task("I.1.1")
    assert t.lead == ("Bộ phận Đất đai",)
    assert t.partners == ("Bộ phận Một cửa",)
    assert t.outputs == ("Báo cáo rà soát",)
    assert t.budget.kind == "unspecified"  # no Kinh phí column in this plan
    assert plan.warnings == ()
    targets = [t for t in plan.targets if t.section == "II.2"]
    assert [(m.comparator, m.value, m.unit) for t in targets for m in t.measures] == [
        (">=", 60, "%"),
        (">=", 70, "%"),
        ("<=", 2, "%"),
    ]


def test_second_plan_text_and_docx_agree(second_plan_paths):
    a = load_plan(second_plan_paths["txt"]).to_dict()
    b = load_plan(second_plan_paths["docx"]).to_dict()
    for d in (a, b):
        d.pop("source")
        for t in d["tasks"]:
            t.pop("source_line")
    assert a == b


# --- helpers ---------------------------------------------------------------------------


def test_join_continuation():
    assert join_continuation("đơn", "vị thuộc Sở") == "đơn vị thuộc Sở"
    assert join_continuation("Theo dự toán được", "duyet") == "Theo dự toán được duyet"
    assert join_continuation("a", "- b") == "a\n- b"
    assert join_continuation("", "x") == "x"


def test_split_items():
    assert split_items('<ul style="list-style-type: none"> - a. - b. </ul>') == ("a.", "b.")
    assert split_items("Quản lý văn bản - Hồ sơ công việc") == (
        "Quản lý văn bản - Hồ sơ công việc",
    )
    assert split_items("- Văn bản rà soát; - Phối hợp") == ("Văn bản rà soát;", "Phối hợp")
    assert split_items("") == ()


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "rỗng"),
        (b"   \n\n", "rỗng"),
        (b"\x00\x01\x02binary\x00", "nhị phân"),
        ("Kế hoạch năm 2022\nkhông có bảng".encode("cp1258", "replace") + b"\xe0\xe1", "UTF-8"),
        (b"<!DOCTYPE html><html><body>Trang web</body></html>", "trang web"),
        ("KẾ HOẠCH CCHC NĂM 2022\n\nI. MỤC ĐÍCH\n- a\n".encode(), "không tìm thấy bảng nhiệm vụ"),
        ("KẾ HOẠCH\nTT\tNhiệm vụ\tChủ trì\n1\tx\ty\n".encode(), "lĩnh vực"),
    ],
)
def test_not_a_plan(tmp_path, content, expected):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(PlanFormatError) as exc:
        load_plan(p)
    assert str(p) in str(exc.value)
    assert expected in str(exc.value)


def test_docx_without_task_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Họ tên"
    t.cell(0, 1).text = "Chức vụ"
    p = tmp_path / "plan.docx"
    d.save(str(p))
    with pytest.raises(PlanFormatError, match="không tìm thấy bảng nhiệm vụ trong tệp Word"):
        load_plan(p)


def test_corrupt_docx(tmp_path):
    p = tmp_path / "plan.docx"
    p.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    with pytest.raises(PlanFormatError, match="bị hỏng"):
        load_plan(p)


def test_missing_file(tmp_path):
    with pytest.raises(PlanFormatError, match="không tìm thấy tệp"):
        load_plan(tmp_path / "nope.txt")


def test_unknown_deadline_is_a_warning(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8").replace("Quý III\t0", "Khi nào xong thì thôi\t0")
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    plan = load_plan(p)
    assert plan.task("I.2.1").deadline.kind == "unspecified"
    assert any("I.2.1" in w and "Khi nào xong thì thôi" in w for w in plan.warnings)


def test_seed_is_never_modified(seed_path):
    import hashlib

    before = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    load_plan(seed_path)
    assert hashlib.sha256(seed_path.read_bytes()).hexdigest() == before
