"""The appendix task table: areas, sub-areas, numbered rows and their tasks.

Repairs the damage plans carry from conversion:
- a row with empty TT and target but its own task, lead and deadline adds a task to
  the numbered row above;
- a row split by a page break continues on a row whose other cells are empty: its
  cells are merged back into the cells they continue;
- HTML residue (``<ul …> - a. - b. </ul>``) becomes list items;
- an area's numeral and title may share one cell ("II CẢI CÁCH THỂ CHẾ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc_lib.plan.sources import RawDocument
from cchc_lib.text import nfc

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_AREA = re.compile(rf"^(?P<code>{ROMAN})(?:\s*[.:/)]\s*|\s+|$)(?P<title>.*)$")
_SUB = re.compile(r"^(?P<code>\d{1,2}\.\d{1,2})(?:\.\s*|\s+|$)(?P<title>.*)$")
_ROW = re.compile(r"^(?P<num>\d{1,3})\s*[.)]?$")
_TAG = re.compile(r"<[^>]*>")
# A list item starts at the cell start or after ". ; :" followed by "- " or "+ " or "•".
_ITEM = re.compile(r"(?:^|(?<=[.;:!?])|\n)\s*[-–•+]\s+")
_LEADING_BULLET = re.compile(r"^\s*[-–•+]\s+")

ROLES = ("tt", "target", "task", "activities", "outputs", "lead", "partners", "deadline", "budget")


def strip_html(s: str) -> str:
    """Remove HTML residue (tags) a converter left in a cell."""
    return nfc(_TAG.sub(" ", s))


def split_items(cell: str) -> tuple[str, ...]:
    """A list cell into items: "- a. - b." -> ("a.", "b."); plain text -> (text,).

    >>> split_items("- Rà soát. - Cập nhật.")
    ('Rà soát.', 'Cập nhật.')
    """
    text = strip_html(cell.replace("\n", "\n")) if "<" in cell else cell
    if not text.strip():
        return ()
    if not (_LEADING_BULLET.match(text) or "\n" in text):
        return (nfc(text),)
    parts = [nfc(p) for p in _ITEM.split(text)]
    return tuple(p for p in parts if p)


def join_continuation(before: str, after: str) -> str:
    """Merge a page-split cell back: "đơn" + "vị thuộc Sở" -> "đơn vị thuộc Sở".

    A continuation that starts a list item stays a separate line.
    """
    if not before:
        return after
    if not after:
        return before
    if _LEADING_BULLET.match(after):
        return before.rstrip() + "\n" + after.strip()
    if after[0] in ",.;:)!?":
        return before.rstrip() + after
    return before.rstrip() + " " + after.lstrip()


def roman_value(code: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(code):
        v = vals[ch]
        total += -v if i + 1 < len(code) and vals[code[i + 1]] > v else v
    return total


@dataclass
class _TaskDraft:
    cells: dict[str, str]
    loc: str


@dataclass
class _RowDraft:
    area: str
    subarea: str | None
    num: int
    target: str
    loc: str
    tasks: list[_TaskDraft] = field(default_factory=list)


@dataclass
class _AreaDraft:
    code: str
    title: str
    subareas: list[list[str]] = field(default_factory=list)  # [code, title]


@dataclass
class TableParse:
    areas: list[_AreaDraft]
    rows: list[_RowDraft]
    warnings: list[str]


def _cells_by_role(doc: RawDocument, cells: tuple[str, ...]) -> dict[str, str]:
    out = dict.fromkeys(ROLES, "")
    for role, value in zip(doc.columns, cells, strict=False):
        if role:
            out[role] = join_continuation(out[role], value.strip()) if out[role] else value.strip()
    if not out["task"] and out["target"] and "task" not in doc.columns:
        out["task"] = out["target"]
    return out


def _first_filled_is(cells: tuple[str, ...], index: int) -> bool:
    for i, c in enumerate(cells):
        if c.strip():
            return i == index
    return False


def _area_row(cells: tuple[str, ...]) -> tuple[str, str] | None:
    filled = [c for c in cells if c.strip()]
    if not filled or len(filled) > 2:
        return None
    m = _AREA.match(filled[0].strip())
    if not m or not m.group("code"):
        return None
    title = m.group("title").strip()
    if len(filled) == 2:
        if title:
            return None
        title = filled[1].strip()
    letters = [ch for ch in title if ch.isalpha()]
    if not letters:
        return None
    return m.group("code"), title


def _sub_row(cells: tuple[str, ...]) -> tuple[str, str] | None:
    filled = [c for c in cells if c.strip()]
    if not filled or len(filled) > 2:
        return None
    m = _SUB.match(filled[0].strip())
    if not m:
        return None
    title = m.group("title").strip()
    if len(filled) == 2:
        if title:
            return None
        title = filled[1].strip()
    return (m.group("code"), title) if title else None


class _TableWalker:
    """Walks the appendix rows in order, keeping the current area, sub-area and last row kind."""

    def __init__(self, doc: RawDocument) -> None:
        self.doc = doc
        self.width = len(doc.columns)
        self.tt_col = doc.columns.index("tt")
        self.areas: list[_AreaDraft] = []
        self.rows: list[_RowDraft] = []
        self.warnings: list[str] = []
        self.area: _AreaDraft | None = None
        self.sub: str | None = None
        self.last_kind: str | None = None  # "area" | "sub" | "task"

    def walk(self) -> TableParse:
        for loc, cells in self.doc.rows:
            self.check_width(loc, cells)
            self.row(loc, cells)
        return TableParse(self.areas, self.rows, self.warnings)

    def check_width(self, loc: str, cells: tuple[str, ...]) -> None:
        if len(cells) < self.width and len(cells) > 1:
            self.warnings.append(
                f"{loc}: dòng có {len(cells)} ô, ít hơn {self.width} cột của bảng; "
                "các ô thiếu được coi là trống."
            )
        elif len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            self.warnings.append(
                f"{loc}: dòng có {len(cells)} ô, nhiều hơn {self.width} cột; phần thừa bị bỏ qua."
            )

    def row(self, loc: str, cells: tuple[str, ...]) -> None:
        """Classify one row and apply it."""
        first = _first_filled_is(cells, self.tt_col)
        if first and (ar := _area_row(cells)):
            self.open_area(loc, *ar)
            return
        if first and self.area is not None and (sr := _sub_row(cells)):
            self.open_sub(*sr)
            return
        by = _cells_by_role(self.doc, cells)
        if m := _ROW.match(by["tt"].strip()):
            self.numbered(loc, int(m.group("num")), by)
        elif by["tt"].strip():
            self.warnings.append(f'{loc}: không hiểu ô TT "{by["tt"]}"; dòng bị bỏ qua.')
        elif by["task"] and (by["lead"] or by["deadline"]) and not by["target"] and self.rows:
            if self.last_kind == "task":  # a row that adds a task to the numbered row above
                self.rows[-1].tasks.append(_TaskDraft(by, loc))
            else:
                self.continuation(loc, cells, by)
        else:
            self.continuation(loc, cells, by)

    def open_area(self, loc: str, code: str, title: str) -> None:
        known = next((a for a in self.areas if a.code == code), None)
        if known is not None:
            self.warnings.append(
                f"{loc}: lĩnh vực {code} xuất hiện lần thứ hai; "
                "các dòng sau được gộp vào lĩnh vực đã có."
            )
            self.area = known
        else:
            self.area = _AreaDraft(code, title)
            self.areas.append(self.area)
        self.sub = None
        self.last_kind = "area"

    def open_sub(self, code: str, title: str) -> None:
        assert self.area is not None
        self.sub = code
        if not any(s[0] == code for s in self.area.subareas):
            self.area.subareas.append([code, title])
        self.last_kind = "sub"

    def numbered(self, loc: str, num: int, by: dict[str, str]) -> None:
        if self.area is None:
            self.warnings.append(f"{loc}: dòng số {num} nằm trước mọi lĩnh vực (I, II, …); bỏ qua.")
            return
        key = (self.area.code, self.sub, num)
        row = next((r for r in self.rows if (r.area, r.subarea, r.num) == key), None)
        if row is not None:
            self.warnings.append(
                f"{loc}: số thứ tự {num} lặp lại trong lĩnh vực {self.area.code}; "
                "nhiệm vụ của dòng này được gộp vào dòng trước cùng số."
            )
        else:
            row = _RowDraft(self.area.code, self.sub, num, by["target"], loc)
            self.rows.append(row)
        row.tasks.append(_TaskDraft(by, loc))
        self.last_kind = "task"

    def continuation(self, loc: str, cells: tuple[str, ...], by: dict[str, str]) -> None:
        """A row split by a page break: merge every non-empty cell into the one it continues."""
        if self.last_kind == "task" and self.rows:
            row = self.rows[-1]
            task = row.tasks[-1]
            for role in ROLES:
                if role == "tt" or not by[role]:
                    continue
                if role == "target":
                    row.target = join_continuation(row.target, by[role])
                    if "task" not in self.doc.columns:
                        task.cells["task"] = join_continuation(task.cells["task"], by[role])
                else:
                    task.cells[role] = join_continuation(task.cells[role], by[role])
            return
        if self.last_kind in ("area", "sub") and self.area is not None:
            text = next((c for c in cells if c.strip()), "").strip()
            if self.last_kind == "sub" and self.area.subareas:
                self.area.subareas[-1][1] = join_continuation(self.area.subareas[-1][1], text)
            else:
                self.area.title = join_continuation(self.area.title, text)
            return
        self.warnings.append(f"{loc}: không gắn được dòng này vào nhiệm vụ nào; dòng bị bỏ qua.")


def parse_table(doc: RawDocument) -> TableParse:
    """Walk the appendix rows and build areas and numbered rows with their tasks."""
    return _TableWalker(doc).walk()
