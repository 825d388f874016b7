"""The appendix task table: areas, sub-areas, numbered rows and their tasks.

Areas are numbered I, II, … (Roman), 1, 2, … (Arabic) or A, B, … (letters), in upper or
sentence case, in their own row or sharing a cell with the title ("II CẢI CÁCH THỂ
CHẾ", "1. Cải cách thể chế"); the first area row decides the numbering of the table.
Sub-areas are "7.1", "7.2" rows holding only a title.

Task rows are numbered 1, 2, …; 1.1, 1.2, … (the last number counts); a), b), … (the
letter's place in the Vietnamese alphabet); or carry "-" or nothing. Ids (see
:mod:`cchc_lib.plan` and the README) are ``{area}.{row}.{k}``, with the sub-area's last
number between area and row when there is one.

Repairs the damage plans carry from conversion:
- a row with empty TT and target but its own task, lead and deadline adds a task to
  the numbered row above;
- a row split by a page break continues on a row whose other cells are empty: its
  cells are merged back into the cells they continue;
- HTML residue (``<ul …> - a. - b. </ul>``) becomes list items;
- a numbered row holding only a heading, followed by rows of tasks, is the heading (the
  target) of those tasks rather than a task of its own;
- in Word, a vertically merged TT, target or task cell means the row continues the
  row above; other merged cells (lead, deadline, …) give their value to every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc_lib.plan.sources import RawDocument
from cchc_lib.text import nfc

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SEP = r"(?:\s*[.:/)\-–]\s*|\s+|$)"
_AREA_FORMS = {
    "roman": re.compile(rf"^(?P<code>{ROMAN}){_SEP}(?P<title>.*)$"),
    "arabic": re.compile(rf"^(?P<code>\d{{1,2}}){_SEP}(?P<title>.*)$"),
    "letter": re.compile(rf"^(?P<code>[A-H]){_SEP}(?P<title>.*)$"),
}
_SUB = re.compile(r"^(?P<code>\d{1,2}\.\d{1,2})(?:\.\s*|\s+|$)(?P<title>.*)$")
_INT = re.compile(r"^(?P<num>\d{1,3})\s*[.)]?$")
_DOTTED = re.compile(r"^(?P<path>\d{1,2}(?:\.\d{1,3}){1,3})\.?$")
_LETTER = re.compile(r"^(?P<letter>[a-zđ])\s*[.)]?$")
_DASH = re.compile(r"^[-–—+•*]$")
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
_TAG = re.compile(r"<[^>]*>")
# A list item starts at the cell start or after ". ; :" followed by "- " or "+ " or "•".
_ITEM = re.compile(r"(?:^|(?<=[.;:!?])|\n)\s*[-–•+]\s+")
_LEADING_BULLET = re.compile(r"^\s*[-–•+]\s+")

ROLES = (
    "tt",
    "target",
    "task",
    "activities",
    "outputs",
    "lead",
    "partners",
    "start",
    "deadline",
    "budget",
)
_STRUCTURE = ("tt", "target", "task")


def strip_html(s: str) -> str:
    """Remove HTML residue (tags) a converter left in a cell."""
    return nfc(_TAG.sub(" ", s))


def split_items(cell: str) -> tuple[str, ...]:
    """A list cell into items: "- a. - b." -> ("a.", "b."); plain text -> (text,).

    >>> split_items("- Rà soát. - Cập nhật.")
    ('Rà soát.', 'Cập nhật.')
    """
    text = strip_html(cell) if "<" in cell else cell
    if not text.strip():
        return ()
    if not (_LEADING_BULLET.match(text) or "\n" in text):
        return (nfc(text),)
    parts = [p for part in _ITEM.split(text) for p in _lines(part)]
    return tuple(p for p in parts if p)


def _lines(part: str) -> list[str]:
    """The lines of an item: a line starting in lower case continues the line before it
    (a manual line break inside a sentence); any other line is an item of its own."""
    out: list[str] = []
    for line in (nfc(x) for x in part.split("\n")):
        if not line:
            continue
        if out and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def join_continuation(before: str, after: str, sep: str = " ") -> str:
    """Merge a page-split cell back: "đơn" + "vị thuộc Sở" -> "đơn vị thuộc Sở".

    A continuation that starts a list item stays a separate line; ``sep="\\n"`` keeps
    the continuation on a line of its own (a new item).
    """
    if not before:
        return after
    if not after:
        return before
    if _LEADING_BULLET.match(after) or sep == "\n":
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


def area_number(code: str) -> int | None:
    """The number of an area code: "VII" -> 7, "3" -> 3, "B" -> 2."""
    if code.isdigit():
        return int(code)
    if re.fullmatch(ROMAN, code) and code:
        return roman_value(code)
    if len(code) == 1 and "A" <= code <= "Z":
        return ord(code) - ord("A") + 1
    return None


@dataclass
class _TaskDraft:
    cells: dict[str, str]
    loc: str
    heading: bool = False  # the row holds only a text: it may head the rows below


@dataclass
class _RowDraft:
    area: str
    subarea: str | None
    num: int
    target: str
    loc: str
    style: str = "int"  # how the row was numbered: "int" | "dotted" | "letter" | "auto"
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
    skipped: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


def _role_cells(
    doc: RawDocument, cells: tuple[str, ...], continued: frozenset[int]
) -> tuple[dict[str, str], set[str]]:
    """Cells by role, and the roles whose cell continues a merged cell of the row above."""
    out = dict.fromkeys(ROLES, "")
    merged: set[str] = set()
    for j, (role, value) in enumerate(zip(doc.columns, cells, strict=False)):
        if not role or role not in out:
            continue
        if j in continued:
            merged.add(role)
            if role in _STRUCTURE:
                continue  # the row belongs to the row above
        out[role] = join_continuation(out[role], value.strip()) if out[role] else value.strip()
    if not out["task"] and out["target"] and "task" not in doc.columns:
        out["task"] = out["target"]
    return out, merged


def _title_cells(
    doc: RawDocument, cells: tuple[str, ...], continued: frozenset[int]
) -> tuple[str, str] | None:
    """(numeral, title) of a row holding only a numeral and a title, in one or two cells,
    starting in the TT column (or in the content column when TT is empty)."""
    filled = [(j, c.strip()) for j, c in enumerate(cells) if c.strip() and j not in continued]
    if not filled or len(filled) > 2:
        return None
    starts = {doc.columns.index(r) for r in ("tt", "task", "target") if r in doc.columns}
    if filled[0][0] not in starts:
        return None
    if len(filled) == 2:
        if filled[0][0] != doc.columns.index("tt"):
            return None
        return filled[0][1], filled[1][1]
    return filled[0][1], ""


def _split_numeral(form: str, text: str, title: str) -> tuple[str, str] | None:
    m = _AREA_FORMS[form].match(text)
    if not m or not m.group("code"):
        return None
    own = m.group("title").strip()
    if own and title:
        return None
    title = own or title
    if not any(ch.isalpha() for ch in title):
        return None
    return m.group("code"), title


def _numbering(tt: str) -> tuple[str, int | None, int | None]:
    """(kind, number, prefix) of a TT cell: "int" 3, "dotted" 2 (prefix 1) for "1.2",
    "letter" 2 for "b)", "dash", "" (empty) or "?" (unknown)."""
    tt = tt.strip()
    if not tt:
        return "", None, None
    if m := _INT.match(tt):
        return "int", int(m.group("num")), None
    if m := _DOTTED.match(tt):
        parts = [int(p) for p in m.group("path").split(".")]
        return "dotted", parts[-1], parts[-2]
    if (m := _LETTER.match(tt)) and m.group("letter") in VIETNAMESE_LETTERS:
        return "letter", VIETNAMESE_LETTERS.index(m.group("letter")) + 1, None
    if _DASH.match(tt):
        return "dash", None, None
    return "?", None, None


class _TableWalker:
    """Walks the appendix rows in order, keeping the current area, sub-area and last row kind."""

    def __init__(self, doc: RawDocument) -> None:
        self.doc = doc
        self.width = len(doc.columns)
        self.tt_col = doc.columns.index("tt")
        self.areas: list[_AreaDraft] = []
        self.rows: list[_RowDraft] = []
        self.warnings: list[str] = []
        self.skipped: list[tuple[str, tuple[str, ...]]] = []
        self.style: str | None = None  # numbering of the areas: "roman" | "arabic" | "letter"
        self.area: _AreaDraft | None = None
        self.sub: str | None = None
        self.last_kind: str | None = None  # "area" | "sub" | "task"

    def walk(self) -> TableParse:
        continued = self.doc.continued or tuple(frozenset() for _ in self.doc.rows)
        for (loc, cells), cont in zip(self.doc.rows, continued, strict=False):
            self.row(loc, cells, cont)
        self.finish()
        return TableParse(self.areas, self.rows, self.warnings, self.skipped)

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

    def area_of(self, cells: tuple[str, ...], continued: frozenset[int]) -> tuple[str, str] | None:
        """(code, title) when the row opens an area under the table's numbering."""
        found = _title_cells(self.doc, cells, continued)
        if found is None:
            return None
        text, title = found
        forms = [self.style] if self.style else ["roman", "letter", "arabic"]
        for form in forms:
            assert form is not None
            hit = _split_numeral(form, text, title)
            if hit is None:
                continue
            code = hit[0]
            if form == "letter" and self.style is None and code != "A":
                continue  # "C", "D" … open a letter-numbered table only after "A"
            if form == "arabic" and not self.next_arabic_area(int(code)):
                continue
            if self.style is None:
                self.style = form
            return hit
        return None

    def next_arabic_area(self, n: int) -> bool:
        """An Arabic numeral opens an area only as the next one (or the first, before any
        task), so that task rows numbered 1, 2, … stay tasks."""
        if self.style is None:
            return not self.rows
        last = area_number(self.area.code) if self.area else 0
        return n == (last or 0) + 1

    def row(self, loc: str, cells: tuple[str, ...], continued: frozenset[int]) -> None:
        """Classify one row and apply it."""
        if ar := self.area_of(cells, continued):
            self.open_area(loc, *ar)
            return
        found = _title_cells(self.doc, cells, continued)
        if self.area is not None and found and found[0] == cells[self.tt_col].strip():
            if sr := self.sub_of(*found):
                self.open_sub(*sr)
                return
        self.check_width(loc, cells)  # (an area or sub-area row may stop after its title)
        by, merged = _role_cells(self.doc, cells, continued)
        if "task" in merged:  # the task cell continues the task above (Word merge)
            self.continuation(loc, cells, by, sep="\n")
            return
        kind, num, prefix = _numbering(by["tt"])
        if kind == "?":
            self.warnings.append(f'{loc}: không hiểu ô TT "{by["tt"]}"; dòng bị bỏ qua.')
            self.skipped.append((loc, cells))
        elif kind in ("int", "dotted", "letter"):
            assert num is not None
            self.numbered(loc, kind, num, prefix, by)
        elif by["task"] and (
            kind == "dash" or (not by["target"] and (by["lead"] or by["deadline"]))
        ):
            self.unnumbered(loc, cells, by)
        else:
            self.continuation(loc, cells, by)

    def sub_of(self, text: str, title: str) -> tuple[str, str] | None:
        m = _SUB.match(text)
        if not m:
            return None
        own = m.group("title").strip()
        if own and title:
            return None
        title = own or title
        return (m.group("code"), title) if title else None

    def open_area(self, loc: str, code: str, title: str) -> None:
        code = code.upper()
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

    def open_row(self) -> _RowDraft | None:
        """The numbered row tasks may still be added to (the last row, in this area)."""
        if self.last_kind != "task" or not self.rows:
            return None
        return self.rows[-1]

    def numbered(
        self, loc: str, kind: str, num: int, prefix: int | None, by: dict[str, str]
    ) -> None:
        if self.area is None:
            self.warnings.append(f"{loc}: dòng số {num} nằm trước mọi lĩnh vực (I, II, …); bỏ qua.")
            self.skipped.append((loc, tuple(by.values())))
            return
        open_row = self.open_row()
        if open_row is not None and (
            (kind == "letter" and open_row.style in ("int", "dotted"))
            or (kind == "dotted" and open_row.style == "int" and prefix == open_row.num)
        ):
            self.add_task(open_row, by, loc)  # "a)" or "1.2" under row 1: a task of row 1
            return
        self.new_row(loc, num, by, kind)

    def new_row(self, loc: str, num: int, by: dict[str, str], style: str) -> None:
        assert self.area is not None
        key = (self.area.code, self.sub, num)
        row = next((r for r in self.rows if (r.area, r.subarea, r.num) == key), None)
        if row is not None:
            self.warnings.append(
                f"{loc}: số thứ tự {num} lặp lại trong lĩnh vực {self.area.code}; "
                "nhiệm vụ của dòng này được gộp vào dòng trước cùng số."
            )
        else:
            row = _RowDraft(self.area.code, self.sub, num, by["target"], loc, style)
            self.rows.append(row)
        self.add_task(row, by, loc)

    def add_task(self, row: _RowDraft, by: dict[str, str], loc: str) -> None:
        filled = {r for r, v in by.items() if v and r != "tt"}
        heading = filled == {"task"} or (
            filled == {"task", "target"} and "task" not in self.doc.columns
        )
        row.tasks.append(_TaskDraft(by, loc, heading))
        self.last_kind = "task"

    def unnumbered(self, loc: str, cells: tuple[str, ...], by: dict[str, str]) -> None:
        """A task row without a number ("-" or empty TT)."""
        open_row = self.open_row()
        if open_row is not None and open_row.style != "auto":
            self.add_task(open_row, by, loc)  # adds a task to the numbered row above
        elif self.area is not None:
            in_area = [
                r.num for r in self.rows if (r.area, r.subarea) == (self.area.code, self.sub)
            ]
            self.new_row(loc, max(in_area, default=0) + 1, by, "auto")
        else:
            self.continuation(loc, cells, by)

    def continuation(
        self, loc: str, cells: tuple[str, ...], by: dict[str, str], sep: str = " "
    ) -> None:
        """A row split by a page break: merge every non-empty cell into the one it continues."""
        if self.last_kind == "task" and self.rows:
            row = self.rows[-1]
            task = row.tasks[-1]
            for role in ROLES:
                if role == "tt" or not by[role] or (sep == "\n" and by[role] == task.cells[role]):
                    continue
                if role == "target":
                    row.target = join_continuation(row.target, by[role])
                    if "task" not in self.doc.columns:
                        task.cells["task"] = join_continuation(task.cells["task"], by[role])
                else:
                    join = sep if role in ("activities", "outputs") else " "
                    task.cells[role] = join_continuation(task.cells[role], by[role], join)
                    task.heading = False
            return
        if self.last_kind in ("area", "sub") and self.area is not None:
            text = next((c for c in cells if c.strip()), "").strip()
            if self.last_kind == "sub" and self.area.subareas:
                self.area.subareas[-1][1] = join_continuation(self.area.subareas[-1][1], text)
            else:
                self.area.title = join_continuation(self.area.title, text)
            return
        self.warnings.append(f"{loc}: không gắn được dòng này vào nhiệm vụ nào; dòng bị bỏ qua.")
        self.skipped.append((loc, cells))

    def finish(self) -> None:
        """A numbered row holding only a heading, with tasks below it: the heading is the
        row's target, not a task."""
        for row in self.rows:
            if len(row.tasks) > 1 and row.tasks[0].heading:
                head = row.tasks.pop(0)
                text = head.cells["task"] or head.cells["target"]
                if not row.target:
                    row.target = text
                elif text and text != row.target:
                    row.target = join_continuation(row.target, text)


def parse_table(doc: RawDocument) -> TableParse:
    """Walk the appendix rows and build areas and numbered rows with their tasks."""
    return _TableWalker(doc).walk()
