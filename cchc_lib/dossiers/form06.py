"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): the table as plain data, and as .xlsx.

:func:`form06_table` gives the two-level header with the column numbers (1)…(13) and the
rows by group plus the total row, every cell a string formatted the Vietnamese way, so a
report lays it out without knowing the rules. :func:`form06_workbook` writes the same table
as a workbook ready to send (counts as numbers).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.dossiers.stats import BY, Counts, DossierStats
from cchc_lib.fmt import fmt_date, fmt_int, fmt_pct

__all__ = [
    "FORM_BASIS",
    "FORM_NAME",
    "FORM_TITLE",
    "Form06Table",
    "HeaderCell",
    "form06_table",
    "form06_workbook",
    "write_form06",
]

FORM_NAME = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
FORM_TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
    "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
UNIT = "Đơn vị tính: Số hồ sơ TTHC"
COUNT_COLUMNS = (
    "tong_nhan",
    "truc_tuyen",
    "truc_tiep_bcci",
    "tu_ky_truoc",
    "da_giai_quyet",
    "truoc_han",
    "dung_han",
    "qua_han",
    "dang_giai_quyet",
    "trong_han",
    "dang_qua_han",
)
"""What columns (3)…(13) hold; ``truc_tiep_bcci`` = trực tiếp + bưu chính."""


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Form06Table:
    """Biểu 06 as strings. ``header`` has two rows of :class:`HeaderCell` (a cell spanning
    two rows appears in the first only); ``numbers`` are "(1)"…"(13)"; each row of ``rows``
    and ``total`` has 13 cells."""

    name: str
    basis: str
    title: str
    period: str  # "Kỳ báo cáo: quý I năm 2022 (từ ngày 15/12/2021 đến ngày 14/3/2022)"
    unit: str
    group_heading: str
    header: tuple[tuple[HeaderCell, ...], tuple[HeaderCell, ...]]
    numbers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]
    notes: tuple[str, ...]


def _values(c: Counts) -> tuple[int, ...]:
    return (
        c.tong_nhan,
        c.truc_tuyen,
        c.truc_tiep + c.buu_chinh,
        c.tu_ky_truoc,
        c.da_giai_quyet,
        c.truoc_han,
        c.dung_han,
        c.qua_han,
        c.dang_giai_quyet,
        c.trong_han,
        c.dang_qua_han,
    )


def _header(group_heading: str) -> tuple[tuple[HeaderCell, ...], tuple[HeaderCell, ...]]:
    top = (
        HeaderCell("STT", rowspan=2),
        HeaderCell(group_heading, rowspan=2),
        HeaderCell("Số hồ sơ nhận giải quyết", colspan=4),
        HeaderCell("Kết quả giải quyết: Số hồ sơ đã giải quyết", colspan=4),
        HeaderCell("Số hồ sơ đang giải quyết", colspan=3),
    )
    sub = tuple(
        HeaderCell(t)
        for t in (
            "Tổng số",
            "Trong đó: Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
        )
    )
    return top, sub


def form06_table(stats: DossierStats) -> Form06Table:
    """The table of ``stats`` (grouped by lĩnh vực when it is not grouped otherwise: call
    :func:`~cchc_lib.dossiers.stats.dossier_statistics` with ``by="linh_vuc"``)."""
    heading = "Lĩnh vực, công việc giải quyết theo cấp"
    if stats.by and stats.by != "linh_vuc":
        heading = BY[stats.by]
    rows = tuple(
        (fmt_int(i), key, *(fmt_int(v) for v in _values(c)))
        for i, (key, c) in enumerate(stats.groups, start=1)
    )
    t = stats.totals
    total = ("", "Tổng cộng", *(fmt_int(v) for v in _values(t)))
    notes = []
    if t.ty_le_dung_han is not None:
        notes.append(f"Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn: {fmt_pct(t.ty_le_dung_han)}.")
    if t.ty_le_truc_tuyen is not None:
        notes.append(f"Tỷ lệ hồ sơ tiếp nhận trực tuyến: {fmt_pct(t.ty_le_truc_tuyen)}.")
    p = stats.period
    period = f"Kỳ báo cáo: {p.label} (từ ngày {fmt_date(p.start)} đến ngày {fmt_date(p.end)})"
    return Form06Table(
        FORM_NAME,
        FORM_BASIS,
        FORM_TITLE,
        period,
        UNIT,
        heading,
        _header(heading),
        tuple(f"({i})" for i in range(1, 14)),
        rows,
        total,
        tuple(notes),
    )


def form06_workbook(stats: DossierStats, *, agency: str = "", recipient: str = "") -> bytes:
    """Biểu 06 as .xlsx bytes: the form's heading, the two-level header, the numbers row,
    one row per group, the total row; counts stored as numbers, text as inert text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from cchc_lib.xlsx import set_value

    table = form06_table(stats)
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)

    def put(row: int, col: int, value: object, *, font=plain, align=None, border=None) -> None:
        cell = ws.cell(row=row, column=col)
        set_value(cell, value)
        cell.font = font
        if align is not None:
            cell.alignment = align
        if border is not None:
            cell.border = border

    heading = [
        (table.name, bold),
        (table.basis, Font(name="Times New Roman", italic=True, size=11)),
        (table.title, Font(name="Times New Roman", bold=True, size=13)),
        (table.period, plain),
    ]
    if agency:
        heading.append((f"Đơn vị báo cáo: {agency}", plain))
    if recipient:
        heading.append((f"Đơn vị nhận báo cáo: {recipient}", plain))
    heading.append((table.unit, Font(name="Times New Roman", italic=True, size=12)))
    for r, (text, font) in enumerate(heading, start=1):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=13)
        put(r, 1, text, font=font, align=Alignment(horizontal="center", wrap_text=True))
    top_row = len(heading) + 2
    _write_header(ws, put, table, top_row, bold, wrap, box)
    first = top_row + 3
    body = [*((row, plain) for row in table.rows), (table.total, bold)]
    for i, (row, font) in enumerate(body):
        counts = _row_counts(stats, i)
        for c, text in enumerate(row, start=1):
            value: object = text
            if c >= 3:
                value = counts[c - 3]
            elif c == 1 and text:
                value = int(text)
            align = Alignment(
                horizontal="left" if c == 2 else "center", vertical="center", wrap_text=True
            )
            put(first + i, c, value, font=font, align=align, border=box)
    for r, note in enumerate(table.notes, start=first + len(body) + 1):
        put(r, 1, note, font=Font(name="Times New Roman", italic=True, size=12))
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, 14):
        ws.column_dimensions[get_column_letter(c)].width = 11
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{top_row}:{top_row + 2}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row_counts(stats: DossierStats, i: int) -> tuple[int, ...]:
    if i < len(stats.groups):
        return _values(stats.groups[i][1])
    return _values(stats.totals)


def _write_header(ws, put, table: Form06Table, top: int, bold, wrap, box) -> None:
    col = 1
    for cell in table.header[0]:
        ws.merge_cells(
            start_row=top,
            start_column=col,
            end_row=top + cell.rowspan - 1,
            end_column=col + cell.colspan - 1,
        )
        for r in range(top, top + 2):
            for c in range(col, col + cell.colspan):
                ws.cell(row=r, column=c).border = box
        put(top, col, cell.text, font=bold, align=wrap, border=box)
        col += cell.colspan
    for c, cell in enumerate(table.header[1], start=3):
        put(top + 1, c, cell.text, font=bold, align=wrap, border=box)
    for c, number in enumerate(table.numbers, start=1):
        put(top + 2, c, number, font=bold, align=wrap, border=box)
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[top + 1].height = 48


def write_form06(stats: DossierStats, path: str | os.PathLike[str], **kwargs: str) -> Path:
    """Write :func:`form06_workbook` to ``path`` atomically."""
    from cchc_lib.atomic import atomic_write_bytes

    return atomic_write_bytes(Path(path), form06_workbook(stats, **kwargs))
