"""Reading a workbook sheet as rows: find sheets and header rows, collect problems.

Readers take a sheet as rows of raw values (row 0 is Excel row 1), find the header row by
its text, and turn each row into values while recording every problem in a
:class:`Collector`. They never raise for bad data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cchc_lib.errors import Problem
from cchc_lib.monthly.cells import (
    parse_month,
)
from cchc_lib.monthly.layout import (
    SHEET_META,
)
from cchc_lib.text import fold

Rows = Sequence[Sequence[object]]

_HEADER_SCAN = 40
TEMPLATE_FIX = "lập lại biểu mẫu bằng lệnh cchc template và chép số liệu sang"

_EXTRA_ALIASES = {
    "task_id": ("ma nv", "ma so nhiem vu"),
    "task": ("ten nhiem vu",),
    "lead": ("don vi chu tri",),
    "deadline": ("thoi gian hoan thanh",),
    "percent": ("ti le hoan thanh", "ty le", "ti le"),
    "result": ("ket qua",),
    "difficulties": ("kho khan",),
    "unit": ("don vi",),
    "value": ("so lieu",),
}


@dataclass
class Collector:
    """Gathers the problems of one file; ``sheet`` is set by each reader."""

    file: str
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def error(
        self,
        message: str,
        fix: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.add(message, fix, row=row, column=column, value=value)

    def warning(
        self,
        message: str,
        fix: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.add(message, fix, row=row, column=column, value=value, severity="warning")

    def add(
        self,
        message: str,
        fix: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(
            Problem(
                self.file,
                message,
                fix,
                sheet=self.sheet,
                row=row,
                column=column,
                value=value,
                severity=severity,
            )
        )


def has_errors(problems: Sequence[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def header_key(text: object) -> str:
    return re.sub(r"[^0-9a-z]+", " ", fold(str(text))).strip()


def find_sheet(sheets: Mapping[str, Rows], name: str) -> str | None:
    """The actual name of sheet ``name``, ignoring case, diacritics and spaces."""
    if name in sheets:
        return name
    wanted = header_key(name)
    return next((n for n in sheets if header_key(n) == wanted), None)


def _aliases(columns: tuple[tuple[str, str, int], ...]) -> dict[str, tuple[str, ...]]:
    return {k: (header_key(h), *_EXTRA_ALIASES.get(k, ())) for k, h, _ in columns}


def find_header(rows: Rows, columns, anchor: str) -> tuple[int, dict[str, int]] | None:
    """Index of the header row (the first with ``anchor`` and another column) and the
    column of each key. Exact header text wins over a prefix ("Tỷ lệ (%)")."""
    aliases = _aliases(columns)
    for i, row in enumerate(rows[:_HEADER_SCAN]):
        keys = [header_key(v) if isinstance(v, str) else "" for v in row]
        found: dict[str, int] = {}
        for exact in (True, False):
            for name, alts in aliases.items():
                if name in found:
                    continue
                for c, k in enumerate(keys):
                    if (
                        k
                        and c not in found.values()
                        and any(k == a if exact else k.startswith(a + " ") for a in alts)
                    ):
                        found[name] = c
                        break
        if anchor in found and len(found) >= 2:
            return i, found
    return None


def read_meta(sheets: Mapping[str, Rows], progress: str | None) -> tuple[str | None, str | None]:
    """``(month, plan fingerprint)`` written in the workbook, from the hidden sheet or,
    failing that, the month from the title ("Tháng 3/2022") of the progress sheet."""
    month = fingerprint = None
    meta = find_sheet(sheets, SHEET_META)
    for row in sheets[meta] if meta else ():
        if len(row) >= 2 and row[0] == "month" and isinstance(row[1], str):
            try:
                parse_month(row[1])
                month = row[1].strip()
            except ValueError:
                pass
        elif len(row) >= 2 and row[0] == "plan_fingerprint" and isinstance(row[1], str):
            fingerprint = row[1].strip() or None
    if month is None and progress is not None:
        for row in sheets[progress][:_HEADER_SCAN]:
            if any(isinstance(v, str) and header_key(v) == "ma nhiem vu" for v in row):
                break  # only the title rows above the header, not task texts
            for v in row:
                m = isinstance(v, str) and re.search(r"thang (\d{1,2})/(\d{4})", fold(v))
                if m and 1 <= int(m.group(1)) <= 12:
                    return f"{m.group(2)}-{int(m.group(1)):02d}", fingerprint
    return month, fingerprint


def meta_value(sheets: Mapping[str, Rows], key: str) -> str | None:
    """A value written by ``cchc template`` in the hidden sheet (``unit``, ``plan_year``…)."""
    meta = find_sheet(sheets, SHEET_META)
    for row in sheets[meta] if meta else ():
        if len(row) >= 2 and row[0] == key and isinstance(row[1], str) and row[1].strip():
            return row[1].strip()
    return None


def start_sheet(
    sheets: Mapping[str, Rows], name: str | None, canonical: str, columns, anchor: str, out
) -> tuple[Rows, int, dict[str, int]] | None:
    out.sheet = name or canonical
    if name is None:
        out.error(
            f'thiếu trang "{canonical}" (có các trang: {", ".join(sheets) or "không có"})',
            f'đặt lại đúng tên trang "{canonical}", hoặc {TEMPLATE_FIX}',
        )
        return None
    rows = sheets[name]
    header = dict((k, h) for k, h, _ in columns)
    found = find_header(rows, columns, anchor)
    if found is None:
        out.error(
            f'không tìm thấy dòng tiêu đề có cột "{header[anchor]}"',
            f"khôi phục dòng tiêu đề như biểu mẫu, hoặc {TEMPLATE_FIX}",
            column=header[anchor],
        )
        return None
    return rows, found[0], found[1]


def missing_columns(keys, cols: dict[str, int], columns, row: int, out) -> None:
    header = dict((k, h) for k, h, _ in columns)
    for k in keys:
        if k not in cols:
            out.error(
                f'thiếu cột "{header[k]}" ở dòng tiêu đề',
                f'khôi phục cột "{header[k]}" (đúng tên), hoặc {TEMPLATE_FIX}',
                row=row,
                column=header[k],
            )


def cell_at(row: Sequence[object], c: int | None) -> object:
    return row[c] if c is not None and c < len(row) else None


PERCENT_FIX = "ghi một số từ 0 đến 100, không ghi chữ hay ký hiệu %"


def parse_cell(fn, row, c: int | None, r: int, column: str, out: Collector, fix: str):
    value = cell_at(row, c)
    try:
        return fn(value)
    except ValueError as exc:
        out.error(str(exc), fix, row=r, column=column, value=value)
        return None
