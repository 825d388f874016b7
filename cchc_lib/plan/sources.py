"""Read a plan file (text or Word) into a neutral ``RawDocument``.

The text form is what converters produce from the signed document: paragraphs,
then the appendix as tab-separated lines. The Word form keeps the appendix as a
real table. Both become paragraphs (in order) plus the task table's header and
rows; parsing happens in :mod:`cchc_lib.plan`.

Only regular files are read, and at most :data:`MAX_PLAN_BYTES` of them; control
characters are cleaned at reading (Word's manual line break becomes a line break,
terminal escape sequences are removed), so nothing raw reaches a report or a terminal.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.errors import PlanFormatError
from cchc_lib.plan.columns import (
    assign_columns,
    budget_unit_of,
    combine_header,
    header_roles,
    unused_columns,
)
from cchc_lib.text import fold, nfc

__all__ = [
    "MAX_PLAN_BYTES",
    "RawDocument",
    "clean_control",
    "read_docx",
    "read_regular_file",
    "read_source",
    "read_text",
]

MAX_PLAN_BYTES = 64 * 1024 * 1024
"""A plan (text or Word, with pictures) is a few MB at most; larger input is refused."""
MAX_COLUMNS = 64
"""The widest task table read (a Word table without its grid is bounded by this)."""

# Terminal escape sequences (CSI, OSC, two-character escapes) and the control characters
# that are not layout: C0 except tab/newline/CR, DEL, C1, bidirectional overrides.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[()*+#%][0-9A-Za-z@]?|[@-Z\\-_]?)"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_control(s: str) -> str:
    """Control characters out of plan text: a manual line break ("\\x0b") or a page or
    paragraph separator becomes "\\n", escape sequences and other controls are removed.

    >>> clean_control("Phòng A\\x0bPhòng B\\x1b[31m đỏ\\x1b[0m\\x07")
    'Phòng A\\nPhòng B đỏ'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", s).translate(_LINE_BREAKS))


@dataclass(frozen=True)
class RawDocument:
    source: str
    paragraphs: tuple[tuple[str, str], ...]  # (location, text)
    columns: tuple[str | None, ...]  # role of each table column (None: unknown)
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (location, cells)
    trailing: tuple[tuple[str, str], ...] = ()  # paragraphs after the table
    notes: tuple[str, ...] = ()  # warnings of reading: columns not used, rows skipped
    budget_unit: int = 1  # đồng per unit of a bare number in the budget column
    continued: tuple[frozenset[int], ...] = ()  # per row: columns continuing a merged cell
    header_loc: str = ""


# --- files ----------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    A FIFO, a device (``/dev/zero``) or a folder is refused without reading from it;
    raises ValueError with a Vietnamese reason (callers wrap it in their error).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ValueError("không tìm thấy tệp. Hãy kiểm tra lại đường dẫn.") from None
    except IsADirectoryError:
        raise ValueError("đây là một thư mục, không phải tệp.") from None
    except OSError as exc:
        raise ValueError(f"không mở được tệp ({exc.strerror}).") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ValueError("đây là một thư mục, không phải tệp.")
        raise ValueError(
            "đây không phải một tệp thông thường (có thể là thiết bị hay đường ống); "
            "hãy chỉ định tệp kế hoạch đã lưu trên đĩa."
        )
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(
            f"tệp lớn hơn {_mb(limit)}, không phải một kế hoạch. Hãy kiểm tra lại tệp đã chọn."
        )
    return data


# --- text -----------------------------------------------------------------------


def _decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise PlanFormatError(path, None, "tệp rỗng. Hãy chọn tệp kế hoạch CCHC (.txt hoặc .docx).")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PlanFormatError(path, None, f"không đọc được mã UTF-16 ({exc}).") from None
    if b"\x00" in data[:4096]:
        raise PlanFormatError(
            path,
            None,
            "đây là tệp nhị phân, không phải văn bản. Hãy dùng tệp .txt (UTF-8) hoặc .docx.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            raise PlanFormatError(
                path,
                f"dòng {line}",
                "tệp bị cắt cụt: ký tự cuối cùng không trọn vẹn (tệp chưa được chép hay tải về "
                "hết). Hãy chép lại tệp đầy đủ từ bản gốc, rồi chạy lại.",
            ) from None
        raise PlanFormatError(
            path,
            f"dòng {line}",
            "tệp không được mã hóa UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). "
            "Hãy mở tệp và lưu lại với mã Unicode UTF-8, rồi chạy lại.",
        ) from None


def _cell(text: str) -> str:
    """One table cell: controls cleaned, each line NFC, empty lines dropped."""
    lines = (nfc(ln) for ln in clean_control(text).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _lines_of(loc: str, text: str) -> list[tuple[str, str]]:
    """Paragraph lines with their location: a manual line break starts a new line, and a
    tab separates columns (a header or signature block laid out with tabs): the piece in
    column k > 1 is located "…, cột k"."""
    out = []
    for line in clean_control(text).split("\n"):
        for k, piece in enumerate(line.split("\t")):
            if piece := nfc(piece):
                out.append((loc if k == 0 else f"{loc}, cột {k + 1}", piece))
    return out


def _is_column_numbers(cells: list[str] | tuple[str, ...]) -> bool:
    """A row numbering the columns: "(1) (2) (3) …" or "1 2 3 …" (at least three)."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 3:
        return False
    nums = []
    for c in filled:
        m = re.fullmatch(r"\(?(\d{1,2})\)?", c)
        if not m:
            return False
        nums.append(int(m.group(1)))
    return nums == list(range(nums[0], nums[0] + len(nums)))


def _show_rows(rows: list[tuple[str, list[str]]], limit: int = 3) -> str:
    shown = []
    for loc, cells in rows[:limit]:
        text = " | ".join(c.replace("\n", " ") for c in cells if c.strip())
        shown.append(f'{loc}: "{text[:120]}{"…" if len(text) > 120 else ""}"')
    return "; ".join(shown)


class _TableBuilder:
    """Header (one or two rows), roles and body rows of a task table, shared by both forms."""

    def __init__(self, header_loc: str, first: list[str]) -> None:
        self.header_loc = header_loc
        self.first = first
        self.header = list(first)
        self.subheader: list[str] | None = None
        self.children: list[str] | None = None
        self.rows: list[tuple[str, tuple[str, ...]]] = []
        self.continued: list[frozenset[int]] = []
        self.notes: list[str] = []
        self.pending_sub = True

    def add(self, loc: str, cells: list[str], continued: frozenset[int] = frozenset()) -> None:
        if not any(c.strip() for c in cells):
            return
        if self.pending_sub:
            self.pending_sub = False
            combined = combine_header(self.first, cells, continued)
            if combined is not None:
                (self.header, self.children), self.subheader = combined, cells
                return
        if _is_column_numbers(cells):
            return
        if fold(" ".join(cells)) == fold(" ".join(self.first)) or (
            self.subheader is not None and cells == self.subheader
        ):
            return  # the header repeated on a new page
        self.rows.append((loc, tuple(cells)))
        self.continued.append(continued)

    def document(
        self, source: str, paragraphs: list[tuple[str, str]], trailing: list[tuple[str, str]]
    ) -> RawDocument:
        roles, notes = assign_columns(self.header, self.children)
        notes += unused_columns(self.header, roles, [cells for _, cells in self.rows])
        unit = budget_unit_of(self.header, roles, [t for _, t in paragraphs[-4:]])
        return RawDocument(
            source=source,
            paragraphs=tuple(paragraphs),
            columns=roles,
            header=tuple(self.header),
            rows=tuple(self.rows),
            trailing=tuple(trailing),
            notes=tuple(notes + self.notes),
            budget_unit=unit,
            continued=tuple(self.continued),
            header_loc=self.header_loc,
        )


def read_text(data: bytes, path: str) -> RawDocument:
    """Split a converted plan into body paragraphs and the tab-separated appendix."""
    text = _decode(data, path)
    head = fold(text[:2000])
    if head.lstrip().startswith(("<!doctype", "<html")) or "<body" in head:
        raise PlanFormatError(
            path,
            None,
            "đây là một trang web (HTML), không phải kế hoạch. "
            "Hãy tải về văn bản kế hoạch (.docx) hoặc bản chuyển sang văn bản (.txt).",
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_at = None
    for i, line in enumerate(lines):
        if "\t" in line and header_roles([_cell(c) for c in line.split("\t")]):
            header_at = i
            break
    if header_at is None:
        tabbed = [(f"dòng {i + 1}", ln.split("\t")) for i, ln in enumerate(lines) if "\t" in ln]
        raise PlanFormatError(
            path,
            None,
            "không tìm thấy bảng nhiệm vụ của phụ lục: cần một dòng tiêu đề cột "
            "phân cách bằng dấu Tab có cột 'TT' và cột 'Nhiệm vụ' (hoặc 'Nội dung'). "
            "Hãy kiểm tra tệp có đúng là Kế hoạch CCHC kèm phụ lục nhiệm vụ."
            + (f" Các dòng có dấu Tab đầu tiên: {_show_rows(tabbed)}." if tabbed else ""),
        )
    paragraphs = [
        piece
        for i, line in enumerate(lines[:header_at])
        for piece in _lines_of(f"dòng {i + 1}", line)
    ]
    table = _TableBuilder(f"dòng {header_at + 1}", [_cell(c) for c in lines[header_at].split("\t")])
    for i, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        table.add(f"dòng {i}", [_cell(c) for c in line.split("\t")])
    return table.document(path, paragraphs, [])


# --- Word -----------------------------------------------------------------------


def _para_text(p) -> str:
    """Text of a w:p element; line breaks become "\n", tabs "\t"."""
    from docx.oxml.ns import qn

    out: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _attr_int(el, name: str, where: str, path: str, what: str, width: int) -> int:
    """A w:val count (gridSpan, gridBefore) checked against the table's width."""
    from docx.oxml.ns import qn

    if el is None:
        return 1 if name == "gridSpan" else 0
    raw = (el.get(qn("w:val")) or "").strip()
    if not raw.isdigit() or len(raw) > 6:
        raise PlanFormatError(
            path,
            where,
            f'ô có độ rộng gộp {what} = "{raw[:20]}" không phải một số cột. Tệp Word bị hỏng: '
            "hãy mở tệp bằng Word, gộp lại các ô của dòng này rồi lưu lại.",
        )
    n = int(raw)
    low = 1 if name == "gridSpan" else 0
    if not low <= n <= width:
        raise PlanFormatError(
            path,
            where,
            f"ô có độ rộng gộp {what} = {n} cột, trong khi bảng chỉ có {width} cột. Tệp Word "
            "bị hỏng: hãy mở tệp bằng Word, gộp lại các ô của dòng này rồi lưu lại.",
        )
    return n


def _grid_width(tbl) -> int:
    from docx.oxml.ns import qn

    grid = tbl.find(qn("w:tblGrid"))
    cols = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    if cols:
        return min(cols, MAX_COLUMNS)
    return min(
        MAX_COLUMNS, max((len(tr.findall(qn("w:tc"))) for tr in tbl.findall(qn("w:tr"))), default=0)
    )


def _cell_text(tc) -> str:
    from docx.oxml.ns import qn

    return _cell("\n".join(_para_text(p) for p in tc.iter(qn("w:p"))))


def _table_rows(tbl, n_tab: int, path: str) -> list[tuple[str, list[str], frozenset[int]]]:
    """Rows of a Word table by grid column, at most the table's width.

    A horizontally merged cell (gridSpan) holds its text in its first column; a vertically
    merged cell (vMerge) carries its text to every row it spans, and those columns are
    returned as continued.
    """
    from docx.oxml.ns import qn

    width = _grid_width(tbl)
    carry: dict[int, str] = {}
    out = []
    for r, tr in enumerate(tbl.findall(qn("w:tr")), start=1):
        where = f"bảng {n_tab}, dòng {r}"
        cells = [""] * width
        continued: set[int] = set()
        trpr = tr.find(qn("w:trPr"))
        before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
        col = _attr_int(before, "gridBefore", where, path, "gridBefore", width)
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            gs = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            span = _attr_int(gs, "gridSpan", where, path, "gridSpan", width)
            if col >= width:
                break  # cells beyond the grid: nothing to place them in
            vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            if vm is not None and vm.get(qn("w:val")) in (None, "continue"):
                cells[col] = carry.get(col, "")
                continued.update(range(col, min(col + span, width)))
            else:
                cells[col] = _cell_text(tc)
                if vm is not None:
                    carry[col] = cells[col]
                else:
                    carry.pop(col, None)
            col += span
        out.append((where, cells, frozenset(continued)))
    return out


def _open_docx(data: bytes, path: str):
    try:
        import docx

        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise PlanFormatError(
            path,
            None,
            f"tệp Word bị hỏng hoặc không phải .docx ({exc}). Hãy mở và lưu lại bằng Word.",
        ) from None


def _find_header(rows) -> int | None:
    for h, (_, cells, _) in enumerate(rows[:5]):
        if header_roles(cells):
            return h
    return None


def read_docx(data: bytes, path: str) -> RawDocument:
    """Read paragraphs and the task table of a .docx plan (in document order).

    Tables after the task table with the same number of columns continue it (an appendix
    split by page); their repeated header rows are skipped.
    """
    from docx.oxml.ns import qn

    document = _open_docx(data, path)
    paragraphs: list[tuple[str, str]] = []
    trailing: list[tuple[str, str]] = []
    table: _TableBuilder | None = None
    width = 0
    n_par = n_tab = 0
    for block in document.element.body.iterchildren():
        target = trailing if table else paragraphs
        if block.tag == qn("w:p"):
            n_par += 1
            target.extend(_lines_of(f"đoạn {n_par}", _para_text(block)))
            continue
        if block.tag != qn("w:tbl"):
            continue
        n_tab += 1
        rows = _table_rows(block, n_tab, path)
        if table is None and (h := _find_header(rows)) is not None:
            table, width = _TableBuilder(rows[h][0], rows[h][1]), len(rows[h][1])
            for loc, cells, cont in rows[h + 1 :]:
                table.add(loc, cells, cont)
            continue
        if table is not None and not trailing and rows and len(rows[0][1]) == width:
            for loc, cells, cont in rows:
                table.add(loc, cells, cont)
            continue
        for loc, cells, _ in rows:  # header blocks, signature tables
            target.extend(piece for c in cells for piece in _lines_of(loc, c))
    if table is None:
        raise PlanFormatError(
            path,
            None,
            "không tìm thấy bảng nhiệm vụ trong tệp Word: cần một bảng có dòng tiêu đề "
            "gồm cột 'TT' và cột 'Nhiệm vụ' (hoặc 'Nội dung'). Hãy kiểm tra phụ lục của kế hoạch.",
        )
    return table.document(path, paragraphs, trailing)


def read_source(path: str | Path) -> RawDocument:
    """Open ``path`` and read it as a Word or text plan."""
    p = Path(path)
    name = str(path)
    try:
        data = read_regular_file(p, MAX_PLAN_BYTES)
    except ValueError as exc:
        raise PlanFormatError(name, None, str(exc)) from None
    if data[:4] == b"PK\x03\x04":
        if p.suffix.lower() in (".xlsx", ".xlsm", ".pptx", ".odt", ".ods"):
            raise PlanFormatError(
                name, None, "đây không phải tệp Word (.docx) hay văn bản (.txt) của kế hoạch."
            )
        return read_docx(data, name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanFormatError(
            name,
            None,
            "đây là tệp Word cũ (.doc). Hãy mở bằng Word và lưu thành .docx, rồi chạy lại.",
        )
    return read_text(data, name)
