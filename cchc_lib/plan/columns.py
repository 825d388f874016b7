"""Task-table columns: the role of each column from its header text.

Headers are matched on folded text (no case, no diacritics), as whole words, and the
most specific match wins:

- a start word ("Bắt đầu", "Từ ngày") makes a start column, even under "Thời gian …";
- otherwise the longest matching key decides ("Thời gian thực hiện" is a deadline,
  not a "thực hiện" lead column; "Kinh phí thực hiện" is a budget);
- "Đơn vị thực hiện", "Cơ quan thực hiện" are the lead column only where there is no
  "Chủ trì" column.

Two-level headers ("Thời gian" over "Bắt đầu" | "Hoàn thành") are read from both rows:
the lower cell's own role when it has one ("Bắt đầu" → start, "Hoàn thành" → deadline,
"Chủ trì" → lead), else the upper one's.

>>> column_role("Thời gian thực hiện"), column_role("Cơ quan/Đơn vị chủ trì")
('deadline', 'lead')
>>> column_role("Kinh phí (triệu đồng)"), column_role("Kết quả, sản phẩm")
('budget', 'outputs')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cchc_lib.text import fold

__all__ = [
    "ROLE_NAMES",
    "assign_columns",
    "budget_unit_of",
    "column_role",
    "combine_header",
    "header_roles",
    "unused_columns",
]

ROLE_NAMES = {
    "tt": "TT",
    "target": "Mục tiêu/Chỉ tiêu",
    "task": "Nội dung/Nhiệm vụ",
    "activities": "Hoạt động",
    "outputs": "Sản phẩm",
    "lead": "Chủ trì",
    "partners": "Phối hợp",
    "start": "Thời gian bắt đầu",
    "deadline": "Thời gian hoàn thành",
    "budget": "Kinh phí",
    "note": "Ghi chú",
    "executor": "Đơn vị thực hiện",
}

# (role, folded key, exact): an exact key must be the whole header.
_KEYS: tuple[tuple[str, str, bool], ...] = (
    ("tt", "tt", True),
    ("tt", "stt", True),
    ("tt", "so tt", True),
    ("tt", "so thu tu", True),
    ("tt", "thu tu", True),
    ("partners", "phoi hop", False),
    ("lead", "chu tri", False),
    ("start", "bat dau", False),
    ("start", "tu ngay", False),
    ("start", "tu", True),
    ("deadline", "thoi gian hoan thanh", False),
    ("deadline", "thoi han hoan thanh", False),
    ("deadline", "thoi gian thuc hien", False),
    ("deadline", "tien do thuc hien", False),
    ("deadline", "tien do hoan thanh", False),
    ("deadline", "thoi gian ket thuc", False),
    ("deadline", "moc thoi gian", False),
    ("deadline", "lo trinh", False),
    ("deadline", "thoi han", False),
    ("deadline", "thoi gian", False),
    ("deadline", "tien do", False),
    ("deadline", "hoan thanh", True),
    ("deadline", "ket thuc", True),
    ("deadline", "den ngay", True),
    ("deadline", "den", True),
    ("budget", "kinh phi", False),
    ("budget", "du toan", False),
    ("budget", "nguon von", False),
    ("target", "muc tieu", False),
    ("target", "chi tieu", False),
    ("activities", "hoat dong", False),
    ("outputs", "san pham", False),
    ("outputs", "ket qua", False),
    ("task", "noi dung", False),
    ("task", "nhiem vu", False),
    ("task", "cong viec", False),
    ("note", "ghi chu", False),
)
# Used only when no key above matches.
_WEAK_KEYS = ("don vi thuc hien", "co quan thuc hien", "bo phan thuc hien", "thuc hien")


def _has_words(folded: str, key: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded) is not None


def _clean(header_cell: str) -> str:
    return fold(header_cell.replace("/", " / ")).strip(" .:*")


def column_role(header_cell: str) -> str | None:
    """The role of a task-table column from its header text (None: not a known column)."""
    f = _clean(header_cell)
    if not f:
        return None
    best: tuple[int, str] | None = None
    for role, key, exact in _KEYS:
        if (f == key) if exact else _has_words(f, key):
            if role == "start":
                return "start"
            if best is None or len(key) > best[0]:
                best = (len(key), role)
    if best is not None:
        return best[1]
    if any(_has_words(f, k) for k in _WEAK_KEYS):
        return "executor"
    return None


def header_roles(cells: Sequence[str]) -> tuple[str | None, ...] | None:
    """Roles for a candidate header row, or None when it is not a task-table header."""
    roles = [column_role(c) for c in cells]
    seen = {r for r in roles if r}
    if {"tt", "task"} <= seen and len(seen) >= 3:
        return tuple(roles)
    if {"tt", "target"} <= seen and len(seen) >= 4:  # target column doubles as task
        return tuple(roles)
    return None


def combine_header(
    first: Sequence[str], second: Sequence[str], continued: frozenset[int] = frozenset()
) -> tuple[list[str], list[str]] | None:
    """The texts of a two-level header and its lower cells, or None when ``second`` is
    not the lower row of the header (it then is the table's first row).

    A lower cell under an empty upper cell belongs to the nearest filled upper cell on
    its left (a horizontally merged "Thời gian" over "Bắt đầu" | "Hoàn thành").
    """
    width = max(len(first), len(second))
    upper = list(first) + [""] * (width - len(first))
    lower = [
        "" if j in continued or j >= len(second) or second[j] == upper[j] else second[j].strip()
        for j in range(width)
    ]
    filled = [c for c in lower if c]
    if len(filled) < 2 or any(
        len(c) > 40 or (column_role(c) is None and not _is_unit(c)) for c in filled
    ):
        return None
    texts, children = [], []
    parent = ""
    for j in range(width):
        if upper[j].strip():
            parent = upper[j].strip()
        top = upper[j].strip() or (parent if lower[j] else "")
        texts.append(f"{top} {lower[j]}".strip())
        children.append(lower[j])
    return texts, children


def _is_unit(cell: str) -> bool:
    return _unit_in(cell) is not None


def assign_columns(
    header: Sequence[str], children: Sequence[str] | None = None
) -> tuple[tuple[str | None, ...], list[str]]:
    """The role of each column and the warnings: a role claimed by two columns (the first
    keeps it), a "Đơn vị thực hiện" column where there is a "Chủ trì" one."""
    roles: list[str | None] = []
    for j, text in enumerate(header):
        child = children[j] if children and j < len(children) else ""
        roles.append((column_role(child) if child else None) or column_role(text))
    warnings: list[str] = []
    if "executor" in roles:
        lead = roles.index("lead") if "lead" in roles else None
        for j, r in enumerate(roles):
            if r != "executor":
                continue
            if lead is None:
                roles[j], lead = "lead", j
            else:
                roles[j] = None
                warnings.append(
                    f'Cột "{header[j]}" (cột {j + 1}) không được dùng làm cột chủ trì vì bảng '
                    f'đã có cột "{header[lead]}" (cột {lead + 1}).'
                )
    first_of: dict[str, int] = {}
    for j, r in enumerate(roles):
        if r is None or r == "note":
            continue
        if r in first_of:
            k = first_of[r]
            warnings.append(
                f'Cột "{header[k]}" (cột {k + 1}) và cột "{header[j]}" (cột {j + 1}) cùng là cột '
                f"{ROLE_NAMES[r]}; dùng cột {k + 1}, bỏ qua nội dung cột {j + 1}. Hãy sửa tiêu đề "
                "cột trong kế hoạch nếu cần dùng cột kia."
            )
            roles[j] = None
        else:
            first_of[r] = j
    return tuple(roles), warnings


def unused_columns(
    header: Sequence[str], roles: Sequence[str | None], rows: Sequence[Sequence[str]]
) -> list[str]:
    """Warnings for columns that are read by no role: named ones always, unnamed ones when
    a row has something in them."""
    out: list[str] = []
    for j, r in enumerate(roles):
        if r is not None:
            continue
        name = header[j].strip() if j < len(header) else ""
        if name and not any(f'cột "{name}"' in w for w in out):
            out.append(
                f'Cột "{name}" (cột {j + 1}) của bảng nhiệm vụ không thuộc loại cột nào đã biết '
                "(TT, Nội dung/Nhiệm vụ, Chủ trì, Phối hợp, Thời gian, Kinh phí, Sản phẩm, Ghi "
                "chú); nội dung cột này không được dùng."
            )
        elif not name and any(j < len(r_) and r_[j].strip() for r_ in rows):
            out.append(
                f"Cột {j + 1} của bảng nhiệm vụ không có tiêu đề nhưng có nội dung; nội dung cột "
                "này không được dùng. Hãy đặt tiêu đề cho cột trong kế hoạch."
            )
    return out


# Units of a budget column: "(triệu đồng)", "ĐVT: nghìn đồng", "(1.000 đồng)", "(tỷ đồng)".
_UNITS = (
    (re.compile(r"\bty\b"), 10**9),
    (re.compile(r"\b(?:trieu|tr\.? ?d|trd)\b"), 10**6),
    (re.compile(r"\b(?:nghin|ngan|1[.,]?000 dong)\b"), 10**3),
    (re.compile(r"\b(?:dong|vnd)\b"), 1),
)


def _unit_in(text: str) -> int | None:
    f = fold(text)
    for rx, unit in _UNITS:
        if rx.search(f):
            return unit
    return None


def budget_unit_of(
    header: Sequence[str], roles: Sequence[str | None], before: Sequence[str] = ()
) -> int:
    """Đồng per unit of a bare number in the budget column: from the column's header
    ("Kinh phí (triệu đồng)"), else from an "Đơn vị tính: …" line just above the table,
    else 1 (đồng)."""
    if "budget" in roles:
        unit = _unit_in(header[roles.index("budget")])
        if unit is not None:
            return unit
    for line in before:
        f = fold(line)
        if re.search(r"\b(?:don vi tinh|dvt)\b", f) and (unit := _unit_in(f)) is not None:
            return unit
    return 1
