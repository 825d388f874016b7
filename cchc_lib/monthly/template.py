"""The monthly Excel workbook units fill in: layout, writer and filler.

``build_template(plan, month)`` returns an openpyxl ``Workbook`` (pure);
``write_template(plan, month, path)`` writes it. ``fill_workbook`` puts values into
a built template (used by the sample generator and the tests); ``save_workbook``
writes it, byte-stable when given a timestamp.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib import resources
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.atomic import atomic_write_bytes
from cchc_lib.catalog import Catalog, plan_catalog
from cchc_lib.errors import CchcError, DataValidationError
from cchc_lib.fmt import fmt_date
from cchc_lib.model import NARRATIVE_KEYS, STATUSES, MonthData, Plan, Task, TaskProgress
from cchc_lib.monthly.cells import month_label
from cchc_lib.monthly.figures import CARRIED_NOTE
from cchc_lib.monthly.layout import (  # noqa: F401 - re-exported: the template is where the layout is used
    INDICATOR_COLUMNS,
    INDICATOR_HEADER_ROW,
    NARRATIVE_COLUMNS,
    NARRATIVE_HEADER_ROW,
    PROGRESS_COLUMNS,
    PROGRESS_HEADER_ROW,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_NARRATIVE,
    SHEET_PROGRESS,
    TEMPLATE_VERSION,
    plan_fingerprint,
)
from cchc_lib.monthly.units import resolve_unit, unit_indicators, unit_names, unit_tasks
from cchc_lib.periods import month_window, year_window
from cchc_lib.xlsx import safe_text, set_value

__all__ = [
    "SHEET_PROGRESS",
    "SHEET_INDICATORS",
    "SHEET_NARRATIVE",
    "SHEET_GUIDE",
    "SHEET_META",
    "build_template",
    "write_template",
    "fill_workbook",
    "save_workbook",
    "plan_fingerprint",
]

_LOCKED_PROGRESS = 4

_FONT = Font(name="Times New Roman", size=12)
_BOLD = Font(name="Times New Roman", size=12, bold=True)
_TITLE = Font(name="Times New Roman", size=14, bold=True)
_ITALIC = Font(name="Times New Roman", size=12, italic=True)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_CARRIED_FILL = PatternFill("solid", fgColor="FFF2CC")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_UNLOCKED = Protection(locked=False)
_DATE_FORMAT = "dd/mm/yyyy"


def check_unit(plan: Plan, unit: str) -> str:
    """The canonical name of ``unit``, or a ``CchcError`` listing the plan's units."""
    found = resolve_unit(unit, plan)
    if found is None:
        raise CchcError(
            f"Đơn vị “{unit}” không có trong kế hoạch. Các đơn vị: "
            + "; ".join(unit_names(plan))
            + "."
        )
    return found


def build_template(
    plan: Plan,
    month: str,
    previous: str | os.PathLike[str] | None = None,
    *,
    unit: str | None = None,
) -> Workbook:
    """The empty workbook for ``month`` ("2022-03"), optionally prefilled from last month.

    ``previous`` is last month's workbook: status, percent, completion date and results are
    copied by task id (difficulties and notes are not); stock indicators are copied and marked
    as carried over, to be confirmed; flows are left blank. ``unit``: the workbook of one unit
    (the tasks it leads, the indicators it reports), saved as ``<month>/<unit>.xlsx``.
    """
    catalog = plan_catalog(plan)
    unit = check_unit(plan, unit) if unit else None
    tasks = plan.tasks if unit is None else tuple(plan.task(t) for t in unit_tasks(plan, unit))
    codes = catalog.codes if unit is None else unit_indicators(plan, unit, catalog)
    wb = Workbook()
    wb.calculation = CalcProperties(fullCalcOnLoad=False)
    progress = wb.active
    progress.title = SHEET_PROGRESS
    _progress_sheet(progress, plan, month, tasks, unit)
    _indicator_sheet(wb.create_sheet(SHEET_INDICATORS), month, catalog, codes)
    _narrative_sheet(wb.create_sheet(SHEET_NARRATIVE), month)
    _guide_sheet(wb.create_sheet(SHEET_GUIDE), plan, month, unit)
    meta = wb.create_sheet(SHEET_META)
    for key, value in (
        ("month", month),
        ("plan_fingerprint", plan_fingerprint(plan)),
        ("plan_year", str(plan.meta.year)),
        ("template_version", TEMPLATE_VERSION),
        *((("unit", unit),) if unit else ()),
    ):
        row = meta.max_row + 1 if meta["A1"].value is not None else 1
        set_value(meta.cell(row=row, column=1), key)
        set_value(meta.cell(row=row, column=2), value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.properties.title = f"Số liệu CCHC {month_label(month).lower()}" + (
        f" – {unit}" if unit else ""
    )
    wb.properties.subject = safe_text(plan.meta.agency)
    wb.properties.creator = "cchc"
    wb.properties.keywords = f"cchc;month={month};plan={plan_fingerprint(plan)}"
    if previous is not None:
        last = _previous(plan, previous)
        ids = {t.id for t in tasks}
        fill_workbook(wb, progress=[p for p in _carried_over(plan, last) if p.task_id in ids])
        _carry_stocks(wb, last, catalog, codes)
    return wb


def write_template(
    plan: Plan,
    month: str,
    path: str | os.PathLike[str],
    *,
    previous: str | Path | None = None,
    unit: str | None = None,
) -> None:
    """Write the template for ``month`` to ``path`` (never onto ``previous``)."""
    if previous is not None and Path(previous).resolve() == Path(path).resolve():
        raise CchcError(
            f"Tệp đích {path} trùng với tệp tháng trước: chọn một tên tệp khác cho tháng {month}."
        )
    save_workbook(build_template(plan, month, previous, unit=unit), path)


# --- sheets ---------------------------------------------------------------------


_PERCENT_ERROR = "Nhập một số từ 0 đến 100 (không ghi ký hiệu %)."


def _put(ws: Worksheet, row: int, column: int, value: object):
    """Write ``value`` into a cell (text always inert, see :mod:`cchc_lib.xlsx`)."""
    cell = ws.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def _validation(kind: str, error: str, **kw: str) -> DataValidation:
    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error=error,
        **kw,
    )


def _header(ws: Worksheet, row: int, columns: tuple[tuple[str, str, int], ...]) -> None:
    for col, (_, header, width) in enumerate(columns, start=1):
        cell = _put(ws, row, col, header)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD_FILL, _BORDER, _CENTER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = 34


def _title(ws: Worksheet, row: int, text: str, ncols: int, font: Font) -> None:
    _put(ws, row, 1, text).font = font
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _protect_and_print(ws: Worksheet, header_row: int, freeze: str) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.freeze_panes = freeze
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_options.horizontalCentered = True


def _fit_height(ws: Worksheet, row: int, columns=PROGRESS_COLUMNS) -> None:
    """Set the row height for its wrapped text (spreadsheet apps do not always autofit)."""
    lines = 1
    for c, (_, _, width) in enumerate(columns, start=1):
        value = ws.cell(row=row, column=c).value
        if isinstance(value, str):
            per_line = max(1, int(width * 1.2))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in value.split("\n")))
    ws.row_dimensions[row].height = min(409, 16 * lines + 4)


def _progress_sheet(
    ws: Worksheet, plan: Plan, month: str, tasks: tuple[Task, ...], unit: str | None
) -> None:
    ncols = len(PROGRESS_COLUMNS)
    agency = plan.meta.agency.upper() + (f" – {unit.upper()}" if unit else "")
    _title(ws, 1, agency, ncols, _TITLE)
    _title(ws, 2, f"TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CCHC NĂM {plan.meta.year}", ncols, _TITLE)
    start, end = month_window(month)
    _title(
        ws,
        3,
        f"{month_label(month)} (số liệu từ ngày {fmt_date(start)} đến ngày {fmt_date(end)})",
        ncols,
        _ITALIC,
    )
    _header(ws, PROGRESS_HEADER_ROW, PROGRESS_COLUMNS)
    first = PROGRESS_HEADER_ROW + 1
    for r, task in enumerate(tasks, start=first):
        values = (task.id, task.task, ", ".join(task.lead), task.deadline.raw)
        for c in range(1, ncols + 1):
            cell = _put(ws, r, c, values[c - 1] if c <= len(values) else None)
            cell.font, cell.border, cell.alignment = _FONT, _BORDER, _WRAP
            if c <= _LOCKED_PROGRESS:
                cell.fill = _LOCKED_FILL
            else:
                cell.protection = _UNLOCKED
        ws.cell(row=r, column=7).number_format = _DATE_FORMAT
        _fit_height(ws, r)
    last = max(first, first + len(tasks) - 1)
    year_start, _ = year_window(plan.meta.year)
    status = _validation(
        "list",
        "Chọn một trong: " + "; ".join(STATUSES.values()) + ".",
        formula1='"' + ",".join(STATUSES.values()) + '"',
    )
    percent = _validation(
        "decimal", _PERCENT_ERROR, operator="between", formula1="0", formula2="100"
    )
    done_on = _validation(
        "date",
        f"Nhập ngày dạng dd/mm/yyyy, từ {fmt_date(year_start)} đến {fmt_date(end)}.",
        operator="between",
        formula1=str(int(to_excel(year_start))),
        formula2=str(int(to_excel(end))),
    )
    for dv, col in ((status, "E"), (percent, "F"), (done_on, "G")):
        dv.add(f"{col}{first}:{col}{last}")
        ws.add_data_validation(dv)
    _protect_and_print(ws, PROGRESS_HEADER_ROW, f"C{first}")


def _indicator_sheet(ws: Worksheet, month: str, catalog: Catalog, codes: tuple[str, ...]) -> None:
    ncols = len(INDICATOR_COLUMNS)
    _title(ws, 1, f"CHỈ SỐ THỐNG KÊ CCHC {month_label(month).upper()}", ncols, _TITLE)
    start, end = month_window(month)
    _title(ws, 2, f"Kỳ số liệu: từ ngày {fmt_date(start)} đến ngày {fmt_date(end)}", ncols, _ITALIC)
    _header(ws, INDICATOR_HEADER_ROW, INDICATOR_COLUMNS)
    first = INDICATOR_HEADER_ROW + 1
    whole = _validation(
        "whole",
        "Nhập số nguyên không âm (không ghi chữ, đơn vị).",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    decimal = _validation(
        "decimal", _PERCENT_ERROR, operator="between", formula1="0", formula2="100"
    )
    for r, ind in enumerate((catalog[c] for c in codes), start=first):
        for c, value in enumerate((ind.code, ind.name, ind.unit_label, None, None), start=1):
            cell = _put(ws, r, c, value)
            cell.font, cell.border, cell.alignment = _FONT, _BORDER, _WRAP
            if c <= 3:
                cell.fill = _LOCKED_FILL
            else:
                cell.protection = _UNLOCKED
        (decimal if ind.unit == "%" else whole).add(f"D{r}")
    for dv in (whole, decimal):
        if dv.sqref:
            ws.add_data_validation(dv)
    _protect_and_print(ws, INDICATOR_HEADER_ROW, f"A{first}")


def _narrative_sheet(ws: Worksheet, month: str) -> None:
    ncols = len(NARRATIVE_COLUMNS)
    _title(ws, 1, f"THUYẾT MINH KẾT QUẢ CCHC {month_label(month).upper()}", ncols, _TITLE)
    _title(ws, 2, "Bắt buộc với các tháng cuối quý (3, 6, 9, 12)", ncols, _ITALIC)
    _header(ws, NARRATIVE_HEADER_ROW, NARRATIVE_COLUMNS)
    for r, label in enumerate(NARRATIVE_KEYS.values(), start=NARRATIVE_HEADER_ROW + 1):
        head = _put(ws, r, 1, label)
        head.font, head.border, head.alignment, head.fill = _BOLD, _BORDER, _WRAP, _LOCKED_FILL
        body = ws.cell(row=r, column=2)
        body.font, body.border, body.alignment, body.protection = _FONT, _BORDER, _WRAP, _UNLOCKED
        ws.row_dimensions[r].height = 120
    _protect_and_print(ws, NARRATIVE_HEADER_ROW, f"A{NARRATIVE_HEADER_ROW + 1}")
    ws.page_setup.orientation = "portrait"  # five tall boxes: one portrait page
    ws.page_setup.fitToHeight = 1


def _guide_lines(
    agency: str, year: int, month: str, unit: str | None = None
) -> list[tuple[str, bool]]:
    """The "Hướng dẫn" text (data file ``data/template_guide.yaml``) for this month."""
    start, end = month_window(month)
    fields = {
        "agency": agency + (f" – {unit}" if unit else ""),
        "month_label": month_label(month),
        "file_name": f"{month}/{unit}.xlsx" if unit else f"{month}.xlsx",
        "start": fmt_date(start),
        "end": fmt_date(end),
        "year_start": fmt_date(year_window(year)[0]),
        "statuses": "; ".join(f'"{s}"' for s in STATUSES.values()),
    }
    text = resources.files("cchc_lib").joinpath("data/template_guide.yaml").read_text("utf-8")
    return [
        (line["text"].format(**fields), bool(line.get("bold")))
        for line in yaml.safe_load(text)
        if unit or not line.get("unit_only")
    ]


def _guide_sheet(ws: Worksheet, plan: Plan, month: str, unit: str | None = None) -> None:
    columns = (("text", "", 68),)
    ws.column_dimensions["A"].width = columns[0][2]
    lines = _guide_lines(plan.meta.agency, plan.meta.year, month, unit)
    for r, (text, bold) in enumerate(lines, 1):
        cell = _put(ws, r, 1, text)
        cell.font = _TITLE if r == 1 else (_BOLD if bold else _FONT)
        cell.alignment = _WRAP
        _fit_height(ws, r, columns)
    ws.protection.sheet = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_margins.left = ws.page_margins.right = 0.6


# --- filling --------------------------------------------------------------------


def _rows_by_key(ws: Worksheet, header_row: int) -> dict[str, int]:
    rows: dict[str, int] = {}
    for r in range(header_row + 1, ws.max_row + 1):
        key = ws.cell(row=r, column=1).value
        if key is not None:
            rows.setdefault(str(key), r)
    return rows


def _number(x: float | None) -> float | int | None:
    return int(x) if isinstance(x, float) and x.is_integer() else x


def fill_workbook(
    wb: Workbook,
    *,
    progress: Iterable[TaskProgress] = (),
    indicators: Mapping[str, float | None] | None = None,
    narrative: Mapping[str, str] | None = None,
) -> None:
    """Put values into a workbook made by ``build_template`` (matched by task id/code).

    Unknown task ids, indicator codes or narrative keys raise ``KeyError``.
    """
    ws = wb[SHEET_PROGRESS]
    rows = _rows_by_key(ws, PROGRESS_HEADER_ROW)
    for p in progress:
        r = rows[p.task_id]
        _put(ws, r, 5, STATUSES[p.status])
        _put(ws, r, 6, _number(p.percent))
        _put(ws, r, 7, p.completed_on)
        ws.cell(row=r, column=7).number_format = _DATE_FORMAT
        for c, text in ((8, p.result), (9, p.difficulties), (10, p.note)):
            _put(ws, r, c, text or None)
        _fit_height(ws, r)
    if indicators:
        ws = wb[SHEET_INDICATORS]
        rows = _rows_by_key(ws, INDICATOR_HEADER_ROW)
        for code, value in indicators.items():
            _put(ws, rows[code], 4, _number(value))
    if narrative:
        ws = wb[SHEET_NARRATIVE]
        rows = _rows_by_key(ws, NARRATIVE_HEADER_ROW)
        for key, text in narrative.items():
            _put(ws, rows[NARRATIVE_KEYS[key]], 2, text or None)


def _previous(plan: Plan, previous: str | os.PathLike[str]) -> MonthData:
    from cchc_lib.monthly import read_month  # the reader imports this module's layout

    data, problems = read_month(previous, plan, check_name=False)
    if data is None:
        raise DataValidationError(problems)
    return data


def _carried_over(plan: Plan, data: MonthData) -> list[TaskProgress]:
    known = {t.id for t in plan.tasks}
    return [
        TaskProgress(p.task_id, p.status, p.percent, p.completed_on, p.result)
        for p in data.progress
        if p.task_id in known
    ]


def _carry_stocks(wb: Workbook, last: MonthData, catalog: Catalog, codes: tuple[str, ...]) -> None:
    """Copy last month's stock values, each marked in "Ghi chú" as carried, to be confirmed."""
    ws = wb[SHEET_INDICATORS]
    rows = _rows_by_key(ws, INDICATOR_HEADER_ROW)
    values = dict(last.indicators)
    y, m = last.month.split("-")
    for code in codes:
        value = values.get(code)
        if catalog[code].kind != "stock" or value is None or code not in rows:
            continue
        cell = _put(ws, rows[code], 4, _number(value))
        cell.fill = _CARRIED_FILL
        set_value(
            ws.cell(row=rows[code], column=5),
            f"{CARRIED_NOTE} {int(m)}/{y}: kiểm tra, sửa nếu đã thay đổi, rồi xóa ghi chú này",
        )


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_workbook(
    wb: Workbook, path: str | os.PathLike[str], *, timestamp: datetime | None = None
) -> None:
    """Save ``wb`` to ``path`` (atomically). With ``timestamp`` the bytes are reproducible:
    document dates and zip entry times are set to it."""
    buf = io.BytesIO()
    if timestamp is not None:
        wb.properties.created = timestamp
    wb.save(buf)
    data = buf.getvalue()
    if timestamp is not None:
        stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                content = zin.read(info)
                if info.filename == "docProps/core.xml":
                    content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
                entry = zipfile.ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = info.external_attr
                zout.writestr(entry, content)
        data = out.getvalue()
    atomic_write_bytes(Path(path), data)  # a temporary file beside it, fsync'ed, renamed


def default_timestamp(month: str) -> datetime:
    """A fixed creation time for generated files: the month's cut-off day, 17:00."""
    return datetime.combine(month_window(month)[1], datetime.min.time()).replace(hour=17)
