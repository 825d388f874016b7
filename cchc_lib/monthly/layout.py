"""The monthly workbook's layout: sheet names, columns, header rows.

Shared by the writer (:mod:`cchc_lib.monthly.template`, which needs openpyxl) and the readers
(:mod:`cchc_lib.monthly.reader` and the sheet readers, which do not), so reading a workbook
never imports the writer.
"""

from __future__ import annotations

import hashlib

from cchc_lib.model import Plan

SHEET_PROGRESS = "Tiến độ"
SHEET_INDICATORS = "Chỉ số"
SHEET_NARRATIVE = "Thuyết minh"
SHEET_GUIDE = "Hướng dẫn"
SHEET_META = "_cchc"
TEMPLATE_VERSION = "1"

# (key, header, width); the first four progress columns are prefilled and locked.
PROGRESS_COLUMNS = (
    ("task_id", "Mã nhiệm vụ", 12),
    ("task", "Nhiệm vụ", 42),
    ("lead", "Chủ trì", 16),
    ("deadline", "Thời hạn", 16),
    ("status", "Trạng thái", 15),
    ("percent", "Tỷ lệ hoàn thành (%)", 11),
    ("completed_on", "Ngày hoàn thành", 12),
    ("result", "Kết quả, sản phẩm", 34),
    ("difficulties", "Khó khăn, vướng mắc", 24),
    ("note", "Ghi chú", 16),
)
INDICATOR_COLUMNS = (
    ("code", "Mã chỉ số", 26),
    ("name", "Tên chỉ số", 62),
    ("unit", "Đơn vị tính", 13),
    ("value", "Giá trị", 13),
    ("note", "Ghi chú", 40),
)
NARRATIVE_COLUMNS = (("label", "Mục", 22), ("text", "Nội dung", 110))
PROGRESS_HEADER_ROW = 4
INDICATOR_HEADER_ROW = 3
NARRATIVE_HEADER_ROW = 3


def plan_fingerprint(plan: Plan) -> str:
    """A short hash of the plan's task list; workbooks carry it to spot a changed plan."""
    text = "\n".join(f"{t.id}\t{t.task}\t{t.deadline.raw}" for t in plan.tasks)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
