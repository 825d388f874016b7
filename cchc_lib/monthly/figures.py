"""The "Chỉ số" sheet: one value per catalog indicator; parts never above wholes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cchc_lib.catalog import Catalog, load_catalog
from cchc_lib.monthly.cells import cell_text, error_code, is_blank, parse_count, parse_percent
from cchc_lib.monthly.layout import (
    INDICATOR_COLUMNS,
    SHEET_INDICATORS,
)
from cchc_lib.monthly.sheets import (
    PERCENT_FIX,
    TEMPLATE_FIX,
    Collector,
    Rows,
    cell_at,
    missing_columns,
    parse_cell,
    start_sheet,
)

CARRIED_NOTE = "Chép từ tháng"
"""How ``cchc template --from`` marks a stock value copied from last month, to be confirmed."""


@dataclass
class IndicatorSheet:
    """The "Chỉ số" sheet of one workbook: the value of each code whose row is there (None when
    blank) and the Excel row of each."""

    values: dict[str, float | None] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    sheet: str | None = None
    invalid: set[str] = field(default_factory=set)  # codes whose value could not be read


def read_indicators(
    sheets: Mapping[str, Rows],
    name: str | None,
    out: Collector,
    catalog: Catalog | None = None,
    expected: tuple[str, ...] | None = None,
) -> IndicatorSheet:
    """The values of the "Chỉ số" sheet; parts <= wholes. ``expected`` codes must have a row
    (default: the whole catalog; a missing optional one is a warning)."""
    catalog = catalog or load_catalog()
    expected = catalog.codes if expected is None else expected
    found = IndicatorSheet()
    if name is None and not expected:
        return found
    start = start_sheet(sheets, name, SHEET_INDICATORS, INDICATOR_COLUMNS, "code", out)
    if start is None:
        return found
    found.sheet = out.sheet
    rows, h, cols = start
    head = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)
    missing_columns(("value",), cols, INDICATOR_COLUMNS, h + 1, out)
    c_code, c_value, c_note = cols["code"], cols.get("value"), cols.get("note")
    values: dict[str, int | float | None] = found.values
    where: dict[str, int] = found.rows
    for i in range(h + 1, len(rows)):
        row, r = rows[i], i + 1
        raw_code, raw = cell_at(row, c_code), cell_at(row, c_value)
        if is_blank(raw_code):
            if not is_blank(raw):
                out.error(
                    "dòng có giá trị nhưng không có mã chỉ số",
                    "ghi lại đúng mã chỉ số như biểu mẫu hoặc xóa giá trị",
                    row=r,
                    column=head["code"],
                )
            continue
        code = cell_text(raw_code)
        if error_code(raw_code) is not None or code not in catalog:
            out.error(
                f"mã chỉ số {code!r} không có trong danh mục",
                "dùng đúng mã chỉ số như biểu mẫu; không thêm dòng mới",
                row=r,
                column=head["code"],
                value=raw_code,
            )
            continue
        if code in where:
            out.error(
                f"chỉ số {code} bị lặp (đã có ở dòng {where[code]})",
                "giữ một dòng cho mỗi chỉ số, xóa dòng thừa",
                row=r,
                column=head["code"],
                value=raw_code,
            )
            continue
        where[code] = r
        _value(found, catalog, code, row, r, (c_value, c_note), out)
    for code in expected:
        if code not in where:
            missing = out.warning if catalog[code].optional else out.error
            missing(
                f"thiếu dòng chỉ số {code} ({catalog[code].name})",
                f"khôi phục dòng chỉ số {code}, hoặc {TEMPLATE_FIX}",
                column=head["code"],
                value=code,
            )
    check_parts(values, where, out, catalog)
    return found


def _value(
    found: IndicatorSheet,
    catalog: Catalog,
    code: str,
    row,
    r: int,
    columns: tuple[int | None, int | None],
    out: Collector,
) -> None:
    """The value of one indicator's row; a value still marked as carried over is warned."""
    head = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)
    c_value, c_note = columns
    unit = catalog[code].unit
    parser: Callable[[object], float | None]
    if unit == "%":
        parser, fix = parse_percent, PERCENT_FIX
    else:
        low = 1 if unit == "rank" else 0
        parser = functools.partial(parse_count, minimum=low)
        fix = f"ghi số nguyên từ {low} trở lên, không ghi chữ, đơn vị hay phần thập phân"
    value = found.values[code] = parse_cell(parser, row, c_value, r, head["value"], out, fix)
    if value is None and not is_blank(cell_at(row, c_value)):
        found.invalid.add(code)
    note_cell = cell_at(row, c_note)
    note = cell_text(note_cell) if error_code(note_cell) is None else ""
    if value is not None and note.startswith(CARRIED_NOTE):
        out.warning(
            f"giá trị chỉ số {code} được chép từ tháng trước, chưa được xác nhận",
            "kiểm tra số liệu tháng này; nếu đúng, xóa ghi chú “Chép từ tháng …”",
            row=r,
            column=head["value"],
            value=value,
        )


def check_parts(
    values: Mapping[str, float | None],
    where: Mapping[str, int],
    out: Collector,
    catalog: Catalog | None = None,
) -> None:
    """No part (or sum of parts) of the catalog is larger than its whole."""
    catalog = catalog or load_catalog()
    column = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)["value"]
    for rule in catalog.parts:
        parts = [values.get(c) for c in rule.part]
        whole = values.get(rule.whole)
        if whole is None or any(v is None for v in parts) or rule.whole not in where:
            continue
        total = sum(v for v in parts if v is not None)
        if total > whole:
            names = " + ".join(f"“{catalog[c].name}”" for c in rule.part)
            out.error(
                f"{names} ({total:g}) lớn hơn “{catalog[rule.whole].name}” ({whole:g}, "
                f"dòng {where[rule.whole]})",
                "kiểm tra lại các số liệu; số thành phần không được lớn hơn số tổng",
                row=where.get(rule.part[0]),
                column=column,
                value=total,
            )
