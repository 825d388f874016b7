"""Export a parsed plan: the JSON contract, or an Excel workbook for analysts."""

from __future__ import annotations

import json
from pathlib import Path

from cchc_lib.model import Plan

TASK_COLUMNS = (
    ("id", "Mã nhiệm vụ", 12),
    ("area", "Lĩnh vực", 8),
    ("subarea", "Tiểu mục", 8),
    ("row", "TT", 5),
    ("target", "Mục tiêu/Chỉ tiêu", 40),
    ("task", "Nhiệm vụ", 50),
    ("activities", "Hoạt động", 50),
    ("outputs", "Kết quả, sản phẩm", 40),
    ("lead", "Chủ trì", 24),
    ("partners", "Phối hợp", 24),
    ("deadline_raw", "Thời gian hoàn thành (nguyên văn)", 22),
    ("deadline_kind", "Loại thời hạn", 12),
    ("deadline_start", "Từ ngày", 12),
    ("deadline_end", "Đến ngày", 12),
    ("budget_raw", "Kinh phí (nguyên văn)", 22),
    ("budget_kind", "Loại kinh phí", 16),
    ("budget_amount", "Số tiền (đồng)", 16),
    ("deadline_dues", "Các lần đến hạn", 22),
    ("start_raw", "Thời gian bắt đầu (nguyên văn)", 18),
)
META_ROWS = (
    ("agency", "Cơ quan ban hành"),
    ("parent", "Cơ quan cấp trên"),
    ("header_lines", "Tiêu đề văn bản (góc trái)"),
    ("number", "Số"),
    ("place", "Địa danh"),
    ("date", "Ngày ban hành"),
    ("year", "Năm kế hoạch"),
    ("title", "Tên kế hoạch"),
    ("signer_lines", "Chức danh người ký"),
    ("signer_name", "Người ký"),
)


def _append(ws, values) -> None:
    """A row of values, text always stored as inert text (``cchc_lib.xlsx.set_value``)."""
    from cchc_lib.xlsx import set_value

    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_value(ws.cell(row, col), value)


def plan_to_json(plan: Plan) -> str:
    """The plan as the JSON contract other tools read (UTF-8 text, not ASCII-escaped)."""
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2)


def plan_to_workbook(plan: Plan):
    """An openpyxl workbook: a sheet of tasks with every field, a sheet of targets and measures."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    _append(ws, [h for _, h, _ in TASK_COLUMNS])
    for t in plan.tasks:
        values = {
            "id": t.id,
            "area": t.area,
            "subarea": t.subarea or "",
            "row": t.row,
            "target": t.target,
            "task": t.task,
            "activities": "\n".join(f"- {a}" for a in t.activities),
            "outputs": "\n".join(f"- {o}" for o in t.outputs),
            "lead": ", ".join(t.lead),
            "partners": ", ".join(t.partners),
            "deadline_raw": t.deadline.raw,
            "deadline_kind": t.deadline.kind,
            "deadline_start": t.deadline.start,
            "deadline_end": t.deadline.end,
            "budget_raw": t.budget.raw,
            "budget_kind": t.budget.kind,
            "budget_amount": t.budget.amount_vnd,
            "deadline_dues": ", ".join(f"{d.day}/{d.month}/{d.year}" for d in t.deadline.dues),
            "start_raw": t.deadline.start_raw,
        }
        _append(ws, [values[k] for k, _, _ in TASK_COLUMNS])
    for i, (_, _, width) in enumerate(TASK_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    ws2 = wb.create_sheet("Chỉ tiêu")
    _append(
        ws2,
        [
            "Mã chỉ tiêu",
            "Mục",
            "Chỉ tiêu",
            "Câu đo lường",
            "So sánh",
            "Giá trị",
            "Mức phấn đấu",
            "Đơn vị",
        ],
    )
    for tg in plan.targets:
        if not tg.measures:
            _append(ws2, [tg.id, tg.section, tg.text, "", "", None, None, ""])
        for m in tg.measures:
            _append(
                ws2, [tg.id, tg.section, tg.text, m.text, m.comparator, m.value, m.stretch, m.unit]
            )
    for col, width in zip("ABCDEFGH", (12, 10, 60, 50, 8, 10, 12, 8), strict=True):
        ws2.column_dimensions[col].width = width
    ws3 = wb.create_sheet("Thông tin chung")
    meta = plan.meta
    for key, label in META_ROWS:
        value = getattr(meta, key)
        _append(ws3, [label, " / ".join(value) if isinstance(value, tuple) else value])
    ws3.column_dimensions["A"].width, ws3.column_dimensions["B"].width = 28, 70
    for sheet in (ws, ws2):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet["M"] + sheet["N"] if sheet is ws else ():
            cell.number_format = "DD/MM/YYYY"
    return wb


def write_plan(plan: Plan, path: str | Path) -> None:
    """Write ``.json`` or ``.xlsx`` by the file's suffix, atomically."""
    from cchc_lib.atomic import atomic_write_bytes

    p = Path(path)
    if p.suffix.lower() == ".json":
        atomic_write_bytes(p, (plan_to_json(plan) + "\n").encode("utf-8"))
    elif p.suffix.lower() == ".xlsx":
        import io

        buf = io.BytesIO()
        plan_to_workbook(plan).save(buf)
        atomic_write_bytes(p, buf.getvalue())
    else:
        from cchc_lib.errors import CchcError

        raise CchcError(f"Không xuất được {path}: chỉ hỗ trợ tệp .json hoặc .xlsx.")
