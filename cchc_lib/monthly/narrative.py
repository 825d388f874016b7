"""The "Thuyết minh" sheet: the analyst's text, by part (Ưu điểm, Tồn tại, …)."""

from __future__ import annotations

from collections.abc import Mapping

from cchc_lib.model import NARRATIVE_KEYS
from cchc_lib.monthly.cells import cell_text, error_code, is_blank, parse_month
from cchc_lib.monthly.layout import (
    NARRATIVE_COLUMNS,
    SHEET_NARRATIVE,
)
from cchc_lib.monthly.sheets import (
    Collector,
    Rows,
    cell_at,
    header_key,
    missing_columns,
    start_sheet,
)


def read_narrative(
    sheets: Mapping[str, Rows],
    name: str | None,
    month: str,
    out: Collector,
    *,
    required: bool = True,
    quarter_note: bool = True,
) -> tuple[tuple[str, str], ...]:
    """``(key, text)`` of the "Thuyết minh" sheet, in NARRATIVE_KEYS order, non-empty only.

    ``required=False``: a unit's workbook may leave the sheet out. ``quarter_note``: warn when
    a quarter-end month has no text.
    """
    if name is None and not required:
        return ()
    start = start_sheet(sheets, name, SHEET_NARRATIVE, NARRATIVE_COLUMNS, "label", out)
    if start is None:
        return ()
    rows, h, cols = start
    missing_columns(("text",), cols, NARRATIVE_COLUMNS, h + 1, out)
    head = dict((k, t) for k, t, _ in NARRATIVE_COLUMNS)
    labels = {header_key(label): key for key, label in NARRATIVE_KEYS.items()}
    labels.update({header_key(key.replace("_", " ")): key for key in NARRATIVE_KEYS})
    texts: dict[str, str] = {}
    for i in range(h + 1, len(rows)):
        row, r = rows[i], i + 1
        label, raw = cell_at(row, cols["label"]), cell_at(row, cols.get("text"))
        if error_code(raw) is not None:
            out.error(
                f"ô có giá trị lỗi {error_code(raw)} của Excel",
                "ghi nội dung bằng chữ, không dùng công thức",
                row=r,
                column=head["text"],
                value=error_code(raw),
            )
            continue
        text = cell_text(raw)
        if not text:
            continue
        key = labels.get(header_key(label)) if not is_blank(label) else None
        if key is None:
            out.warning(
                "nội dung thuyết minh không thuộc mục nào đã biết nên bị bỏ qua; các mục: "
                + ", ".join(NARRATIVE_KEYS.values()),
                "ghi nội dung vào đúng dòng của mục",
                row=r,
                column=head["label"],
                value=label,
            )
        elif key in texts:
            out.warning(
                f"mục “{NARRATIVE_KEYS[key]}” bị lặp; đã ghép nội dung hai dòng",
                "ghi mỗi mục trong một dòng",
                row=r,
                column=head["label"],
                value=label,
            )
            texts[key] += "\n" + text
        else:
            texts[key] = text
    if quarter_note and not texts and parse_month(month)[1] % 3 == 0:
        out.warning(
            f"tháng {month} là tháng cuối quý nhưng chưa có thuyết minh",
            "ghi ngắn gọn ưu điểm, tồn tại, nguyên nhân, nhiệm vụ kỳ tới, đề xuất",
            column=head["text"],
        )
    return tuple((k, texts[k]) for k in NARRATIVE_KEYS if k in texts)
