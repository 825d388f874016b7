"""The first rows of an .xlsx sheet, without loading the sheet.

Finding the header row needs only the sheet's first rows, but every spreadsheet library
(calamine included) loads the whole sheet to give any of them; a 1,000,000-row export would be
loaded twice. This reads the sheet's XML as a stream (the standard library's expat parser)
until :data:`ROWS` rows with values are seen, and the shared strings only as far as those rows
refer to them. Text cells only (headers are text); anything unusual (no visible worksheet, a
part missing) gives None and the caller takes the slow path through the spreadsheet library.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse

__all__ = ["Peek", "peek_xlsx"]

ROWS = 40
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(frozen=True)
class Peek:
    """One visible worksheet: its name, its first rows as text (row 0 = sheet row 1,
    column 0 = A; non-text cells are None), and the first row holding any value (where
    calamine's range, hence fastexcel's row 0, starts)."""

    sheet: str
    rows: list[list[str | None]]
    first_row: int


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheets(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of the visible worksheets, in workbook order."""
    rels = {}
    for _, el in iterparse(z.open("xl/_rels/workbook.xml.rels")):
        if el.tag.endswith("Relationship"):
            target = el.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            rels[el.get("Id") or ""] = posixpath.normpath(part)
    out = []
    for _, el in iterparse(z.open("xl/workbook.xml")):
        if el.tag == f"{_NS}sheet" and el.get("state", "visible") == "visible":
            found = rels.get(el.get(_REL) or "")
            if found and found in z.namelist() and "worksheets/" in found:
                out.append((el.get("name", ""), found))
    return out


def _first_rows(z: zipfile.ZipFile, part: str) -> tuple[dict[tuple[int, int], object], int]:
    """Cells of the first rows with values: (row, col) -> text, or ("s", index) for a
    shared string; and the first such row."""
    cells: dict[tuple[int, int], object] = {}
    rows_seen: list[int] = []
    with z.open(part) as fh:
        for _, el in iterparse(fh):
            if el.tag == f"{_NS}c":
                m = _REF.match(el.get("r", ""))
                kind = el.get("t", "n")
                v = el.find(f"{_NS}v")
                if m is None:
                    return {}, -1  # cells without references: let the library read it
                r, c = int(m.group(2)) - 1, _col(m.group(1))
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in el.iter(f"{_NS}t"))
                    has = bool(text)
                    cells[(r, c)] = text
                else:
                    has = v is not None and (v.text or "") != ""
                    if has and kind == "s":
                        cells[(r, c)] = ("s", int(v.text))  # type: ignore[union-attr, arg-type]
                    elif has and kind == "str":
                        cells[(r, c)] = v.text  # type: ignore[union-attr]
                if has and (not rows_seen or rows_seen[-1] != r):
                    rows_seen.append(r)
                el.clear()
            elif el.tag == f"{_NS}row":
                el.clear()
                if rows_seen and rows_seen[-1] - rows_seen[0] >= ROWS:
                    break
    return cells, (rows_seen[0] if rows_seen else -1)


def _si_text(si) -> str:
    """The text of a shared string: its ``t``, or its runs' ``t``; phonetic runs (``rPh``)
    are not part of it."""
    parts = []
    for child in si:
        if child.tag == f"{_NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{_NS}r":
            parts.extend(t.text or "" for t in child.iter(f"{_NS}t"))
    return "".join(parts)


def _shared(z: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings of index in ``wanted``, reading the table only as far as needed."""
    if not wanted:
        return {}
    out: dict[int, str] = {}
    last = max(wanted)
    i = 0
    with z.open("xl/sharedStrings.xml") as fh:
        for _, el in iterparse(fh):
            if el.tag == f"{_NS}si":
                if i in wanted:
                    out[i] = _si_text(el)
                el.clear()
                if i >= last:
                    break
                i += 1
    return out


def peek_xlsx(path: str | Path) -> list[Peek] | None:
    """The first rows of each visible worksheet of the .xlsx at ``path``, or None."""
    try:
        with zipfile.ZipFile(path) as z:
            result = []
            for name, part in _sheets(z):
                cells, first = _first_rows(z, part)
                if first < 0:
                    continue
                wanted: set[int] = {int(v[1]) for v in cells.values() if isinstance(v, tuple)}
                strings = _shared(z, wanted)
                height = max(r for r, _ in cells) + 1
                width = max(c for _, c in cells) + 1
                rows: list[list[str | None]] = [[None] * width for _ in range(height)]
                for (r, c), v in cells.items():
                    text = strings.get(int(v[1])) if isinstance(v, tuple) else v
                    rows[r][c] = text if isinstance(text, str) else None
                result.append(Peek(name, rows, first))
            return result
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        return None
