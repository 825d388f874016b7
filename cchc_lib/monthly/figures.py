"""The "Chỉ số" sheet: one value per catalog indicator; parts never above wholes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from cchc_lib.catalog import load_catalog
from cchc_lib.monthly.cells import cell_text, is_blank, parse_count, parse_percent
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


def read_indicators(
    sheets: Mapping[str, Rows], name: str | None, out: Collector
) -> tuple[tuple[str, float | None], ...]:
    """``(code, value)`` in catalog order from the "Chỉ số" sheet; parts <= wholes."""
    catalog = load_catalog()
    blank = tuple((code, None) for code in catalog.codes)
    start = start_sheet(sheets, name, SHEET_INDICATORS, INDICATOR_COLUMNS, "code", out)
    if start is None:
        return blank
    rows, h, cols = start
    head = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)
    missing_columns(("value",), cols, INDICATOR_COLUMNS, h + 1, out)
    c_code, c_value = cols["code"], cols.get("value")
    values: dict[str, int | float | None] = {}
    where: dict[str, int] = {}
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
        if code not in catalog:
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
        unit = catalog[code].unit
        parser: Callable[[object], float | None]
        if unit == "%":
            parser, fix = parse_percent, PERCENT_FIX
        else:
            low = 1 if unit == "rank" else 0
            parser = functools.partial(parse_count, minimum=low)
            fix = f"ghi số nguyên từ {low} trở lên, không ghi chữ, đơn vị hay phần thập phân"
        values[code] = parse_cell(parser, row, c_value, r, head["value"], out, fix)
    for code in catalog.codes:
        if code not in where:
            out.error(
                f"thiếu dòng chỉ số {code} ({catalog[code].name})",
                f"khôi phục dòng chỉ số {code}, hoặc {TEMPLATE_FIX}",
                column=head["code"],
                value=code,
            )
    _check_parts(values, where, out)
    return tuple((code, values.get(code)) for code in catalog.codes)


def _check_parts(
    values: Mapping[str, float | None], where: Mapping[str, int], out: Collector
) -> None:
    """No part (or sum of parts) of the catalog is larger than its whole."""
    catalog = load_catalog()
    column = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)["value"]
    for rule in catalog.parts:
        parts = [values.get(c) for c in rule.part]
        whole = values.get(rule.whole)
        if whole is None or any(v is None for v in parts):
            continue
        total = sum(v for v in parts if v is not None)
        if total > whole:
            names = " + ".join(f"“{catalog[c].name}”" for c in rule.part)
            out.error(
                f"{names} ({total:g}) lớn hơn “{catalog[rule.whole].name}” ({whole:g}, "
                f"dòng {where[rule.whole]})",
                "kiểm tra lại các số liệu; số thành phần không được lớn hơn số tổng",
                row=where[rule.part[0]],
                column=column,
                value=total,
            )
