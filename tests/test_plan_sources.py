"""Reading plan files: only regular files, bounded; encodings; control characters; Word
tables (merged cells, bad spans); columns by header text; refused tables."""

from __future__ import annotations

import os
import threading

import pytest

from cchc_lib.errors import LinkError, PlanFormatError
from cchc_lib.indicators.links import load_links
from cchc_lib.plan import load_plan, parse_plan
from cchc_lib.plan.columns import assign_columns, budget_unit_of, column_role, combine_header
from cchc_lib.plan.sources import clean_control, read_regular_file, read_text

HEAD = (
    "ỦY BAN NHÂN DÂN\n\nHUYỆN THANH CHƯƠNG\n\nSố: 7/KH-UBND\n\n"
    "Thanh Chương, ngày 10 tháng 01 năm 2024\n\nKẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024\n\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n\n- Nâng cao chất lượng.\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
    "CHỦ TỊCH\n\nPhan Văn Giáp\n\n"
)
COLUMNS = "STT\tNội dung\tCơ quan chủ trì\tThời hạn\n"


def _plan(rows: str, columns: str = COLUMNS) -> str:
    return HEAD + columns + rows


def _parse(text: str):
    return parse_plan(read_text(text.encode("utf-8"), "kh.txt"))


# --- files -------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    result: list[BaseException] = []
    worker = threading.Thread(target=lambda: _catch(result, lambda: load_plan(fifo)))
    worker.start()
    worker.join(timeout=10)
    alive = worker.is_alive()
    if alive:  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        worker.join(timeout=5)
    assert not alive, "reading a FIFO must not wait for a writer"
    assert isinstance(result[0], PlanFormatError)
    assert "không phải một tệp thông thường" in str(result[0])


def _catch(out: list, fn) -> None:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        out.append(exc)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused():
    with pytest.raises(PlanFormatError, match="không phải một tệp thông thường"):
        load_plan("/dev/zero")


def test_size_is_bounded(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 2048)
    with pytest.raises(ValueError, match="lớn hơn"):
        read_regular_file(p, 1024)
    assert read_regular_file(p, 4096) == b"x" * 2048


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(PlanFormatError, match="thư mục"):
        load_plan(tmp_path)


def test_truncated_utf8_is_reported_as_truncated(tmp_path):
    data = _plan("I\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tPhòng Tư pháp\tQuý I\n").encode("utf-8")
    p = tmp_path / "kh.txt"
    p.write_bytes(data + "Ệ".encode()[:-1])  # the file ends inside a character
    with pytest.raises(PlanFormatError) as exc:
        load_plan(p)
    assert "bị cắt cụt" in str(exc.value) and "TCVN3" not in str(exc.value)
    p.write_bytes(b"K\xea ho\xe1ch n\xe3m 2024\n" + data)
    with pytest.raises(PlanFormatError, match="TCVN3"):
        load_plan(p)


# --- control characters ------------------------------------------------------------


def test_clean_control():
    assert clean_control("a\x0bb\x0cc") == "a\nb\nc"
    assert clean_control("\x1b[2J\x1b]0;title\x07x\x1b(B\x9b31my") == "xy"
    assert clean_control("tab\tstays\nnewline") == "tab\tstays\nnewline"
    assert clean_control("\u202eabc\u200f") == "abc"


def test_control_characters_in_cells_are_line_breaks_or_removed():
    plan = _parse(
        _plan(
            "I\tCẢI CÁCH THỂ CHẾ\n"
            "1\tRà soát văn bản\x0b- đợt 1\tPhòng Tư pháp\x0bPhòng Nội vụ\t\x1b[31mQuý I\x1b[0m\n"
        )
    )
    t = plan.task("I.1.1")
    assert t.lead == ("Phòng Tư pháp", "Phòng Nội vụ")
    assert t.deadline.raw == "Quý I" and t.deadline.kind == "window"
    text = repr(plan.to_dict())
    assert "\\x1b" not in text and "\\x0b" not in text


def test_plan_show_never_prints_control_characters(tmp_path, capsys):
    from cchc_lib.cli import main

    p = tmp_path / "kh.txt"
    p.write_text(
        _plan("I\tCẢI CÁCH \x1b[5mTHỂ CHẾ\n1\tRà soát\x07\tPhòng Tư pháp\tSớm\x1b]0;x\x07\n"),
        encoding="utf-8",
    )
    assert main(["plan", "show", str(p)]) == 0
    out = capsys.readouterr().out
    assert not any(ord(c) < 32 and c != "\n" for c in out), out
    assert "CẢI CÁCH THỂ CHẾ" in out


# --- Word tables ---------------------------------------------------------------------


def _docx(tmp_path, spans: dict[tuple[int, int], str] | None = None):
    """A small Word plan; ``spans`` sets raw gridSpan values on (row, column) cells."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    for line in HEAD.split("\n\n"):
        if line:
            d.add_paragraph(line)
    table = d.add_table(rows=3, cols=4)
    for j, h in enumerate(COLUMNS.strip().split("\t")):
        table.cell(0, j).text = h
    for j, v in enumerate(["I", "CẢI CÁCH THỂ CHẾ", "", ""]):
        table.cell(1, j).text = v
    for j, v in enumerate(["1", "Rà soát", "Phòng Tư pháp", "Quý II"]):
        table.cell(2, j).text = v
    for (r, c), value in (spans or {}).items():
        tcpr = table.cell(r, c)._tc.get_or_add_tcPr()
        gs = OxmlElement("w:gridSpan")
        gs.set(qn("w:val"), value)
        tcpr.append(gs)
    p = tmp_path / "kh.docx"
    d.save(str(p))
    return p


def test_a_good_word_plan_reads(tmp_path):
    plan = load_plan(_docx(tmp_path))
    assert [t.id for t in plan.tasks] == ["I.1.1"]
    assert plan.meta.agency == "UBND huyện Thanh Chương"


@pytest.mark.parametrize(
    "value, words",
    [
        ("abc", "không phải một số cột"),
        ("100000000", "không phải"),
        ("9", "chỉ có 4 cột"),
        ("0", "chỉ có 4 cột"),
    ],
)
def test_a_bad_span_is_refused_with_a_message(tmp_path, value, words):
    with pytest.raises(PlanFormatError) as exc:
        load_plan(_docx(tmp_path, {(2, 1): value}))
    msg = str(exc.value)
    assert words in msg and "bảng 1, dòng 3" in msg and "gridSpan" in msg


def test_cells_beyond_the_grid_are_not_allocated(tmp_path):
    # a span of 4 from the second column runs past the table's 4 columns
    plan = load_plan(_docx(tmp_path, {(2, 1): "4"}))
    task = plan.task("I.1.1")
    assert task.task == "Rà soát" and task.lead == ()  # the cells after it have no column


# --- columns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, role",
    [
        ("Thời gian hoàn thành", "deadline"),
        ("Thời hạn hoàn thành", "deadline"),
        ("Thời gian thực hiện", "deadline"),
        ("Tiến độ thực hiện", "deadline"),
        ("Lộ trình", "deadline"),
        ("Thời hạn", "deadline"),
        ("Cơ quan/Đơn vị chủ trì", "lead"),
        ("Chủ trì", "lead"),
        ("Đơn vị chủ trì thực hiện", "lead"),
        ("Đơn vị thực hiện", "executor"),
        ("Cơ quan phối hợp", "partners"),
        ("Nội dung công việc", "task"),
        ("Nội dung", "task"),
        ("Nhiệm vụ", "task"),
        ("Sản phẩm", "outputs"),
        ("Kết quả, sản phẩm", "outputs"),
        ("Kinh phí (triệu đồng)", "budget"),
        ("Kinh phí thực hiện", "budget"),
        ("Mục tiêu/Chỉ tiêu", "target"),
        ("Bắt đầu", "start"),
        ("Thời gian bắt đầu", "start"),
        ("Hoàn thành", "deadline"),
        ("STT", "tt"),
        ("Ghi chú", "note"),
        ("Lĩnh vực ưu tiên", None),
    ],
)
def test_column_role(header, role):
    assert column_role(header) == role


def test_executor_is_the_lead_only_without_a_chu_tri_column():
    roles, warnings = assign_columns(["TT", "Nội dung", "Đơn vị thực hiện"])
    assert roles == ("tt", "task", "lead") and warnings == []
    roles, warnings = assign_columns(["TT", "Nội dung", "Chủ trì", "Đơn vị thực hiện"])
    assert roles == ("tt", "task", "lead", None)
    assert '"Đơn vị thực hiện" (cột 4)' in warnings[0] and '"Chủ trì" (cột 3)' in warnings[0]


def test_a_role_claimed_twice_names_both_columns():
    roles, warnings = assign_columns(["TT", "Nội dung", "Thời gian", "Thời hạn hoàn thành"])
    assert roles == ("tt", "task", "deadline", None)
    assert '"Thời gian" (cột 3)' in warnings[0] and '"Thời hạn hoàn thành" (cột 4)' in warnings[0]


def test_unknown_and_unnamed_columns_are_warnings():
    plan = _parse(
        _plan(
            "I\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tPhòng Tư pháp\tQuý I\tx\tghi thêm\n",
            "STT\tNội dung\tCơ quan chủ trì\tThời hạn\tLĩnh vực ưu tiên\t\n",
        )
    )
    assert any('Cột "Lĩnh vực ưu tiên" (cột 5)' in w for w in plan.warnings)
    assert any(
        "Cột 6 của bảng nhiệm vụ không có tiêu đề nhưng có nội dung" in w for w in plan.warnings
    )


def test_two_level_header():
    upper = ["STT", "Nội dung", "Thời gian thực hiện", "", "Kinh phí"]
    lower = ["", "", "Bắt đầu", "Hoàn thành", "(triệu đồng)"]
    texts, children = combine_header(upper, lower)
    assert texts[2:] == [
        "Thời gian thực hiện Bắt đầu",
        "Thời gian thực hiện Hoàn thành",
        "Kinh phí (triệu đồng)",
    ]
    roles, _ = assign_columns(texts, children)
    assert roles == ("tt", "task", "start", "deadline", "budget")
    assert budget_unit_of(texts, roles) == 10**6
    assert combine_header(upper, ["1", "Rà soát", "Quý I", "Quý II", "5"]) is None


def test_two_level_header_in_text_keeps_the_start():
    plan = _parse(
        _plan(
            "I\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tPhòng Tư pháp\tTháng 2/2024\tTháng 5/2024\t12,5\n",
            "STT\tNội dung\tCơ quan chủ trì\tThời gian\t\tKinh phí (triệu đồng)\n"
            "\t\t\tBắt đầu\tHoàn thành\t\n",
        )
    )
    t = plan.task("I.1.1")
    assert (t.deadline.raw, t.deadline.start_raw) == ("Tháng 5/2024", "Tháng 2/2024")
    assert (t.deadline.start.month, t.deadline.end.month) == (2, 5)
    assert t.budget.amount_vnd == 12_500_000
    assert plan.warnings == ()


@pytest.mark.parametrize(
    "note, unit", [("Đơn vị tính: nghìn đồng", 1000), ("ĐVT: triệu đồng", 10**6), ("", 1)]
)
def test_budget_unit_from_a_line_above_the_table(note, unit):
    plan = _parse(
        HEAD
        + (note + "\n" if note else "")
        + "STT\tNội dung\tCơ quan chủ trì\tThời hạn\tKinh phí\n"
        + "I\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tPhòng Tư pháp\tQuý I\t20\n"
    )
    assert plan.task("I.1.1").budget.amount_vnd == 20 * unit


def test_column_number_row_and_repeated_header_are_skipped():
    plan = _parse(
        _plan(
            "(1)\t(2)\t(3)\t(4)\nI\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tPhòng Tư pháp\tQuý I\n"
            + COLUMNS
            + "2\tCông bố\tPhòng Tư pháp\tQuý II\n"
        )
    )
    assert [t.id for t in plan.tasks] == ["I.1.1", "I.2.1"]
    assert plan.warnings == ()


# --- numbering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, ids",
    [
        # Roman areas, sentence case, numeral and title in one cell; tasks 1, 2
        ("I. Cải cách thể chế\n1\tA\tP\tQuý I\n2\tB\tP\tQuý I\n", ["I.1.1", "I.2.1"]),
        # Arabic areas, tasks 1.1, 1.2
        ("1\tCải cách thể chế\n1.1\tA\tP\tQuý I\n1.2\tB\tP\tQuý I\n2\tCải cách TTHC\n"
         "2.1\tC\tP\tQuý I\n", ["1.1.1", "1.2.1", "2.1.1"]),
        # letter areas, tasks "-" and unnumbered
        ("A\tCẢI CÁCH THỂ CHẾ\n-\tA\tP\tQuý I\n\tB\tP\tQuý I\nB\tCẢI CÁCH TTHC\n-\tC\tP\tQuý I\n",
         ["A.1.1", "A.2.1", "B.1.1"]),
        # a heading row with a), b) tasks; a row adding a task to the row above
        ("I\tCẢI CÁCH THỂ CHẾ\n1\tNhóm văn bản\na)\tA\tP\tQuý I\nb)\tB\tP\tQuý I\n"
         "2\tC\tP\tQuý I\n\tD\tP\tQuý II\n", ["I.1.1", "I.1.2", "I.2.1", "I.2.2"]),
        # rows 1.1, 1.2 under a numbered row 1 of a Roman area: tasks of that row
        ("II\tCẢI CÁCH TTHC\n1\tNhóm công khai\n1.1\tA\tP\tQuý I\n1.2\tB\tP\tQuý I\n",
         ["II.1.1", "II.1.2"]),
        # sub-areas
        ("VII\tCHÍNH QUYỀN SỐ\n7.1\tỨng dụng CNTT\n1\tA\tP\tQuý I\n7.2\tISO\n1\tB\tP\tQuý I\n",
         ["VII.1.1.1", "VII.2.1.1"]),
        # letter-numbered tasks directly under an area
        ("I\tCẢI CÁCH THỂ CHẾ\na)\tA\tP\tQuý I\nb)\tB\tP\tQuý I\nđ)\tC\tP\tQuý I\n",
         ["I.1.1", "I.2.1", "I.5.1"]),
    ],
)  # fmt: skip
def test_numberings(rows, ids):
    assert [t.id for t in _parse(_plan(rows)).tasks] == ids


def test_a_refused_table_shows_its_first_rows():
    with pytest.raises(PlanFormatError) as exc:
        _parse(_plan("Nhóm 1\tRà soát\tPhòng Tư pháp\tQuý I\n?\tCông bố\tP\tQuý II\n"))
    msg = str(exc.value)
    assert "không có dòng lĩnh vực nào" in msg and "tiêu đề cột ở dòng" in msg
    assert 'dòng 22: "Nhóm 1 | Rà soát | Phòng Tư pháp | Quý I"' in msg


def test_a_text_without_a_header_shows_its_tab_lines():
    with pytest.raises(PlanFormatError) as exc:
        _parse(HEAD + "Cột A\tCột B\n1\tx\n")
    assert 'dòng 21: "Cột A | Cột B"' in str(exc.value)


# --- side files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, words",
    [
        (b"aliases:\n  V\xe3n ph\xf2ng: X\n", "UTF-8"),
        (b"aliases: [unclosed\n", "YAML"),
        (b"aliases:\n  - a\n", "aliases"),
        (b"aliases:\n  d: 2022-13-45\n", "không đọc được"),
    ],
)
def test_bad_units_file_is_a_plan_format_error(tmp_path, data, words):
    plan = tmp_path / "kh.txt"
    plan.write_text(_plan("I\tCẢI CÁCH THỂ CHẾ\n1\tRà soát\tP\tQuý I\n"), encoding="utf-8")
    (tmp_path / "kh.units.yaml").write_bytes(data)
    with pytest.raises(PlanFormatError) as exc:
        load_plan(plan)
    assert "kh.units.yaml" in str(exc.value) and words in str(exc.value)


def test_bad_links_file_is_a_link_error(tmp_path):
    plan = tmp_path / "kh.txt"
    side = tmp_path / "kh.links.yaml"
    side.write_bytes(b"links:\n  - id: \xe1\n")
    with pytest.raises(LinkError, match="UTF-8"):
        load_links(plan)
    side.unlink()
    if hasattr(os, "mkfifo"):
        os.mkfifo(side)
        with pytest.raises(LinkError, match="không phải một tệp thông thường"):
            load_links(plan)


def test_an_appendix_split_into_two_word_tables(tmp_path):
    import docx

    d = docx.Document()
    for line in HEAD.split("\n\n"):
        if line:
            d.add_paragraph(line)
    header = COLUMNS.strip().split("\t")
    parts = [
        [header, ["I", "CẢI CÁCH THỂ CHẾ", "", ""], ["1", "Rà soát", "Phòng Tư pháp", "Quý I"]],
        [header, ["2", "Công bố", "Phòng Tư pháp", "Quý II"]],  # the header repeated
        [["3", "Kiểm tra", "Phòng Nội vụ", "Quý III"]],  # no header
    ]
    for rows in parts:
        t = d.add_table(rows=len(rows), cols=4)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                t.cell(i, j).text = v
        d.add_paragraph("")
    p = tmp_path / "kh.docx"
    d.save(str(p))
    plan = load_plan(p)
    assert [t.id for t in plan.tasks] == ["I.1.1", "I.2.1", "I.3.1"]
    assert plan.task("I.3.1").lead == ("Phòng Nội vụ",)
