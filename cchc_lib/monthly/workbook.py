"""Opening one workbook file safely: the sheets the layout reads, as rows of values.

python-calamine reads the values (fast; formulas as their cached values) of .xlsx, .xlsm, .xls
and .ods. Around it, this module guards what calamine cannot tell or survive:

- only regular files are opened (a FIFO named ``2022-03.xlsx`` would block a reader forever);
- only the data sheets are loaded, the visible one when a hidden sheet has the same name;
- a cell far outside the form (``XFD1048576``) would make calamine allocate the whole used
  range (hundreds of GB, an abort): such cells are cut out before calamine sees the sheet and
  reported, so a workbook is read in about the time of its real data;
- Excel error values (``#DIV/0!``) read as blanks in calamine: they are marked
  :class:`~cchc_lib.monthly.cells.CellError` at their cells;
- numbers formatted as percentages (0.5 shown as 50%) are marked
  :class:`~cchc_lib.monthly.cells.Percent`.

Nothing is ever written to the file.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine as calamine

from cchc_lib.monthly.cells import CellError, Percent
from cchc_lib.monthly.sheets import Collector, Rows, header_key

__all__ = ["EXTENSIONS", "MAX_COLUMNS", "Book", "is_regular", "open_book"]

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
"""Workbook formats read (python-calamine reads them all)."""
MAX_COLUMNS = 50
"""Cells right of column AX are outside any layout: cut out (and reported), never read."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REMAKE = "gửi lại tệp gốc, hoặc lập tệp mới bằng lệnh cchc template rồi nhập lại số liệu"
_STRAY_FIX = "xóa các ô này (chọn ô, nhấn Delete; hoặc xóa cả cột, cả dòng thừa) rồi lưu lại tệp"
_SHOWN_STRAYS = 5


@dataclass
class Book:
    """The data sheets of one workbook: ``sheets`` (name -> rows) and every sheet's name."""

    sheets: dict[str, Rows]
    names: tuple[str, ...]
    hidden: frozenset[str] = field(default=frozenset())


def is_regular(path: Path) -> bool:
    """True for a regular file (not a folder, FIFO, socket or device), following links."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def open_book(
    path: Path,
    choose: Callable[[Sequence[str], frozenset[str], Collector], list[str]],
    row_limit: Callable[[str], int],
    out: Collector,
) -> Book | None:
    """The sheets ``choose(names, hidden, out)`` picks, read as rows, or ``None`` (a problem is
    recorded). ``row_limit(sheet)`` is the last row a sheet's data can reach: rows below it are
    cut out and reported, like cells right of :data:`MAX_COLUMNS`."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        out.error(f"không đọc được tệp ({exc.strerror or exc})", _REMAKE)
        return None
    if not stat.S_ISREG(mode):
        out.error(
            "không phải là một tệp bảng tính thông thường (là thư mục, ống dẫn hoặc thiết bị)",
            "chỉ đặt tệp Excel (.xlsx) vào thư mục số liệu; xóa hoặc đổi tên mục này",
        )
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head == _OLE_MAGIC and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in fh.read():
                out.error(
                    "tệp được đặt mật khẩu (mã hóa), không đọc được",
                    "mở tệp bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) "
                    "rồi lưu lại",
                )
                return None
    except OSError as exc:
        out.error(f"không đọc được tệp ({exc.strerror or exc})", _REMAKE)
        return None
    try:
        if head.startswith(b"PK"):
            return _zip_book(path, choose, row_limit, out)
        return _plain_book(path, choose, row_limit, out)
    except calamine.PasswordError:
        out.error("tệp được đặt mật khẩu, không đọc được", "bỏ mật khẩu rồi lưu lại")
    except (
        calamine.CalamineError,
        OSError,
        ValueError,
        UnicodeError,
        KeyError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        ElementTree.ParseError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        out.error(
            "tệp không phải là bảng tính Excel (.xlsx, .xlsm, .xls) hoặc .ods hợp lệ, "
            f"hoặc đã bị hỏng ({str(exc)[:200]})",
            _REMAKE,
        )
    return None


# --- calamine -----------------------------------------------------------------------


def _names(book: calamine.CalamineWorkbook) -> tuple[tuple[str, ...], frozenset[str]]:
    names = tuple(book.sheet_names)
    hidden = frozenset(
        m.name for m in book.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible
    )
    return names, hidden


def _rows(book: calamine.CalamineWorkbook, name: str) -> list[list[object]]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)  # type: ignore[return-value]


def _plain_book(path: Path, choose, row_limit, out: Collector) -> Book:
    """.xls (and anything calamine sniffs that is not a zip): ranges are bounded by the format
    (65,536 × 256), so only rows and columns beyond the limits are cut from the values read."""
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        names, hidden = _names(book)
        chosen = choose(names, hidden, out)
        sheets: dict[str, Rows] = {}
        for name in chosen:
            sheet = book.get_sheet_by_name(name)
            end = sheet.end or (0, 0)
            limit = row_limit(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=min(end[0] + 1, limit))
            if end[0] >= limit or end[1] >= MAX_COLUMNS:
                rows = [r[:MAX_COLUMNS] for r in rows]
                out.sheet = name
                out.warning(
                    f"trang có ô nằm ngoài vùng biểu mẫu (xa nhất đến dòng {end[0] + 1}, "
                    f"cột {_letters(end[1])}); các ô sau dòng {limit} hoặc sau cột "
                    f"{_letters(MAX_COLUMNS - 1)} không được đọc",
                    _STRAY_FIX,
                )
            sheets[name] = rows
        return Book(sheets, names, hidden)


# --- xlsx / xlsm / ods: look at the XML before calamine does ---------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*?)(/?)>")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_STYLE = re.compile(rb'\ss="([0-9]+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)</")
_INLINE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t\b[^>]*>([^<]*)</")
# a cell reference right of MAX_COLUMNS (AX = 50): three letters, or two from BA / AY on. The
# pattern starts with a literal, so the search skips through the XML at C speed; a rare false
# hit only sends the sheet through the exact (slower) path.
_FAR_COLUMN = re.compile(rb'r="(?:[A-Z]{3}|[B-Z][A-Z]|A[Y-Z])[0-9]')
_ROW_TAG = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr="([0-9]+)"')


def _zip_book(path: Path, choose, row_limit, out: Collector) -> Book:
    with zipfile.ZipFile(path) as z:
        if "content.xml" in z.namelist() and "xl/workbook.xml" not in z.namelist():
            return _ods_book(path, z, choose, row_limit, out)
        parts = _sheet_parts(z)
        percent_styles = _percent_styles(z)
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            names, hidden = _names(book)
            chosen = choose(names, hidden, out)
            scans = {}
            for name in chosen:
                part = parts.get(name)
                xml = z.read(part) if part else b""
                scans[name] = _scan(xml, row_limit(name), percent_styles)
            if not any(s.cut for s in scans.values()):
                sheets = {name: _marked(_rows(book, name), scans[name]) for name in chosen}
                return Book(sheets, names, hidden)
        # far cells: calamine reads a copy of the workbook whose data sheets have them cut out
        copy = _cut_copy(z, {parts[n]: s for n, s in scans.items() if s.cut and n in parts})
    with calamine.CalamineWorkbook.from_filelike(copy) as book:
        sheets = {}
        for name in chosen:
            scan = scans[name]
            if scan.strays:
                out.sheet = name
                _report_strays(scan, row_limit(name), out)
            sheets[name] = _marked(_rows(book, name), scan)
    return Book(sheets, names, hidden)


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip entry of its XML, from workbook.xml and its relationships."""
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS_PKG}}}Relationship")}
    out = {}
    for sheet in wb.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[sheet.get("name", "")] = os.path.normpath(part).replace(os.sep, "/")
    return out


_BUILTIN_PERCENT = {9, 10}


def _is_percent_format(code: str) -> bool:
    """True when a number format shows the value × 100 with "%": a % outside quotes,
    brackets and escapes (``0.0"%"`` only prints a literal sign)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return "%" in plain


def _percent_styles(z: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (``s=``) whose number format is a percentage."""
    try:
        root = ElementTree.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iter(f"{{{_NS_MAIN}}}numFmt")
    }
    percent = _BUILTIN_PERCENT | {i for i, code in custom.items() if _is_percent_format(code)}
    xfs = root.find(f"{{{_NS_MAIN}}}cellXfs")
    if xfs is None:
        return frozenset()
    return frozenset(
        i
        for i, xf in enumerate(xfs.iter(f"{{{_NS_MAIN}}}xf"))
        if int(xf.get("numFmtId", "0") or 0) in percent
    )


@dataclass
class _Scan:
    """What the XML of one sheet holds beyond calamine's values."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based
    percent: set[tuple[int, int]] = field(default_factory=set)
    strays: list[tuple[str, str]] = field(default_factory=list)  # (ref, value) cut out
    stray_count: int = 0
    cut: bytes | None = None  # the sheet's XML without the stray cells, when any


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _letters(index: int) -> str:
    name, i = "", index + 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _pos(attrs: bytes) -> tuple[int, int] | None:
    m = _REF.search(attrs)
    return (int(m.group(2)) - 1, _col_index(m.group(1))) if m else None


def _cell_value(xml: bytes, start: int) -> str:
    end = _CELL_END.search(xml, start)
    body = xml[start : end.start()] if end else b""
    m = _VALUE.search(body) or _INLINE.search(body)
    return m.group(1).decode("utf-8", "replace") if m else ""


def _far_row_start(xml: bytes, limit: int) -> int | None:
    """Offset of the first ``<row>`` numbered beyond ``limit`` (10^k above it, see below)."""
    digits = len(str(limit))
    # only rows have an all-digit r="…" (a cell's starts with its column letters)
    pattern = re.compile(rb'r="[1-9][0-9]{%d,}"' % digits)  # noqa: UP031
    for m in pattern.finditer(xml):
        start = xml.rfind(b"<", 0, m.start())
        if _ROW_TAG.match(xml, start):
            return start
    return None


def _scan(xml: bytes, limit: int, percent_styles: frozenset[int]) -> _Scan:
    """Error cells, percent-formatted cells and stray cells of one sheet's XML.

    Fast for a sheet without any: a few substring searches. Rows numbered 10^k and beyond,
    where 10^k is the first power of ten above ``limit``, and cells right of
    :data:`MAX_COLUMNS` are strays: the memory calamine needs is then bounded by the form.
    """
    scan = _Scan()
    far_row = _far_row_start(xml, limit)
    if far_row is not None or _FAR_COLUMN.search(xml):
        xml = _cut_strays(xml, far_row, scan)
    if b't="e"' in xml:
        for m in _CELL_TAG.finditer(xml):
            attrs = m.group(1)
            if b't="e"' in attrs and m.group(2) != b"/" and (p := _pos(attrs)) is not None:
                scan.errors[p] = _cell_value(xml, m.end()) or "#N/A"
    if percent_styles and b' s="' in xml:
        wanted = percent_styles
        for m in _CELL_TAG.finditer(xml):
            attrs = m.group(1)
            s = _STYLE.search(attrs)
            if s and int(s.group(1)) in wanted and (p := _pos(attrs)) is not None:
                scan.percent.add(p)
    return scan


def _cut_strays(xml: bytes, far_row: int | None, scan: _Scan) -> bytes:
    """``xml`` without the rows from ``far_row`` on and the cells right of MAX_COLUMNS;
    what was cut is listed in ``scan``."""
    tail = b""
    if far_row is not None:
        close = xml.find(b"sheetData>", far_row)  # the closing </sheetData> (or </x:sheetData>)
        end = xml.rfind(b"<", far_row, close) if close != -1 else len(xml)
        end = end if end != -1 else len(xml)
        _note_strays(xml[far_row:end], scan)
        tail = xml[end:]
        xml = xml[:far_row]
    pieces = []
    last = 0
    for m in _CELL_TAG.finditer(xml):
        ref = _REF.search(m.group(1))
        if ref is None or _col_index(ref.group(1)) < MAX_COLUMNS:
            continue
        stop = m.end() if m.group(2) == b"/" else _end_of_cell(xml, m.end())
        _note(scan, ref, xml, m)
        pieces.append(xml[last : m.start()])
        last = stop
    pieces.append(xml[last:])
    scan.cut = b"".join(pieces) + tail
    return scan.cut


def _end_of_cell(xml: bytes, start: int) -> int:
    end = _CELL_END.search(xml, start)
    return end.end() if end else start


def _note(scan: _Scan, ref: re.Match[bytes], xml: bytes, m: re.Match[bytes]) -> None:
    value = "" if m.group(2) == b"/" else _cell_value(xml, m.end())
    if not value:
        return  # a formatted but empty cell is harmless
    scan.stray_count += 1
    if len(scan.strays) < _SHOWN_STRAYS:
        shared = b't="s"' in m.group(1)
        shown = "(chuỗi ký tự)" if shared else value[:40]
        scan.strays.append(((ref.group(1) + ref.group(2)).decode(), shown))


def _note_strays(segment: bytes, scan: _Scan) -> None:
    for m in _CELL_TAG.finditer(segment):
        ref = _REF.search(m.group(1))
        if ref is not None:
            _note(scan, ref, segment, m)


def _report_strays(scan: _Scan, limit: int, out: Collector) -> None:
    listed = "; ".join(f"ô {ref}" + (f" “{v}”" if v else "") for ref, v in scan.strays)
    more = scan.stray_count - len(scan.strays)
    out.warning(
        f"có {scan.stray_count} ô có giá trị nằm ngoài vùng biểu mẫu (sau cột "
        f"{_letters(MAX_COLUMNS - 1)} hoặc rất xa dưới dòng {limit}), không được đọc: {listed}"
        + (f" và {more} ô khác" if more > 0 else ""),
        _STRAY_FIX,
    )


def _cut_copy(z: zipfile.ZipFile, cut: Mapping[str, _Scan]) -> io.BytesIO:
    """The workbook with the given sheet parts replaced by their cut XML (uncompressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as w:
        for info in z.infolist():
            scan = cut.get(info.filename)
            data = scan.cut if scan is not None and scan.cut is not None else z.read(info)
            w.writestr(info.filename, data)
    buf.seek(0)
    return buf


def _marked(rows: list[list[object]], scan: _Scan) -> Rows:
    """``rows`` with error cells as :class:`CellError` and percent-formatted numbers as
    :class:`Percent` (in place: the rows are this reader's own)."""
    for (r, c), code in scan.errors.items():
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = CellError(code)
    for r, c in scan.percent:
        if r < len(rows) and c < len(rows[r]):
            v = rows[r][c]
            if type(v) is float or type(v) is int:
                rows[r][c] = Percent(v)
    return rows


# --- ods ----------------------------------------------------------------------------

_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(ns: str, tag: str) -> str:
    return f"{{{_ODS[ns]}}}{tag}"


def _ods_tables(z: zipfile.ZipFile, limits: Mapping[str, int]) -> dict[str, _Scan]:
    """Errors, percentages and the far cells of the wanted tables of an .ods ``content.xml``
    (repeated rows and columns counted, never materialised); ``limits``: table -> row limit."""
    scans: dict[str, _Scan] = {}
    row = col = 0
    far = 0
    scan: _Scan | None = None
    with z.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == _q("table", "table"):
                    name = el.get(_q("table", "name"), "")
                    scan = scans.setdefault(name, _Scan()) if name in limits else None
                    far = 10 ** len(str(limits.get(name, 1)))
                    row = 0
                elif tag == _q("table", "table-row"):
                    col = 0
                continue
            if tag == _q("table", "table-row"):
                row += int(el.get(_q("table", "number-rows-repeated"), "1") or 1)
                el.clear()
            elif tag in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
                n = int(el.get(_q("table", "number-columns-repeated"), "1") or 1)
                if scan is not None:
                    _ods_cell(el, row, col, scan, far)
                col += n
    return scans


def _ods_cell(el: ElementTree.Element, row: int, col: int, scan: _Scan, far: int) -> None:
    kind = el.get(_q("office", "value-type"))
    ext = el.get(_q("calcext", "value-type"))
    text = "".join(el.itertext()).strip()
    if not kind and not text:
        return
    if col >= MAX_COLUMNS or row >= far:
        scan.stray_count += 1
        if len(scan.strays) < _SHOWN_STRAYS:
            scan.strays.append((f"{_letters(col)}{row + 1}", text[:40]))
        return
    if ext == "error":
        scan.errors[(row, col)] = text or "#N/A"
    elif kind == "percentage":
        scan.percent.add((row, col))


def _ods_book(path: Path, z: zipfile.ZipFile, choose, row_limit, out: Collector) -> Book:
    """An .ods: calamine reads the values; a far cell is refused (calamine cannot skip it)."""
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        names, hidden = _names(book)
        chosen = choose(names, hidden, out)
        scans = _ods_tables(z, {name: row_limit(name) for name in chosen})
        sheets: dict[str, Rows] = {}
        for name in chosen:
            scan = scans.get(name, _Scan())
            if scan.strays:
                out.sheet = name
                listed = "; ".join(f"ô {ref}" + (f" “{v}”" if v else "") for ref, v in scan.strays)
                out.error(
                    f"trang có ô có giá trị nằm rất xa vùng biểu mẫu ({listed}), không đọc được",
                    _STRAY_FIX + ", hoặc lưu tệp dạng .xlsx",
                )
                continue
            sheets[name] = _marked(_rows(book, name), scan)
        return Book(sheets, names, hidden)


def choose_data_sheets(
    wanted: Sequence[str], meta: str
) -> Callable[[Sequence[str], frozenset[str], Collector], list[str]]:
    """A ``choose`` for :func:`open_book`: each of ``wanted`` by name (ignoring case, diacritics,
    spaces), the visible sheet when a hidden one has the same name (a hidden one alone is an
    error); ``meta`` (the template's hidden sheet) whatever its state."""

    def choose(names: Sequence[str], hidden: frozenset[str], out: Collector) -> list[str]:
        chosen = []
        for want in (*wanted, meta):
            key = header_key(want)
            same = [n for n in names if n == want or header_key(n) == key]
            if want == meta:
                chosen += same[:1]
                continue
            visible = [n for n in same if n not in hidden]
            if visible:
                chosen.append(want if want in visible else visible[0])
                for h in (n for n in same if n in hidden):
                    out.sheet = h
                    out.warning(
                        f'trang ẩn "{h}" trùng tên với trang "{chosen[-1]}" nên không được đọc',
                        "xóa trang ẩn nếu không dùng nữa",
                    )
            elif same:
                out.sheet = same[0]
                out.error(
                    f'trang "{same[0]}" đang bị ẩn: số liệu chỉ được đọc từ trang hiển thị',
                    f'bỏ ẩn trang "{same[0]}" (chuột phải vào tên trang > Bỏ ẩn) nếu đây đúng '
                    "là trang số liệu, rồi lưu lại",
                )
        out.sheet = None
        return chosen

    return choose
