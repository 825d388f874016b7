"""Reading dossier exports (.csv, .xlsx, .xlsm, .xls) into a frame of the used columns.

Each reader finds the header row in the first rows, checks the required columns and reads
only the columns it needs, as text: CSV through Polars (``read_csv`` with the columns
selected; UTF-8 with or without BOM, comma, semicolon or tab), spreadsheets through fastexcel
(calamine, straight to Arrow, the columns selected). Personal columns are never selected, so
their values never reach a frame, a message or an output. Files are only opened for reading.

The frame has one String column per field found (see :data:`columns.LOADED`) and ``_row``,
the row number in the file (1-based, as Excel or a text editor shows it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from cchc_lib import faults
from cchc_lib.dossiers.columns import (
    FIELDS,
    HEADER_SCAN,
    LOADED,
    PERSONAL,
    Header,
    field_label,
    find_header,
    header_key,
    needed_text,
)
from cchc_lib.errors import DossierFormatError

__all__ = [
    "EXPORTS_FOLDER",
    "EXTENSIONS",
    "RawExport",
    "export_files",
    "find_exports",
    "read_export",
    "read_rows",
]

EXTENSIONS = (".csv", ".xlsx", ".xlsm", ".xls")
_HEAD_BYTES = 1 << 16
_SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True)
class RawExport:
    """The used columns of one export, as text, before any check."""

    source: str
    frame: pl.LazyFrame
    present: frozenset[str]  # the fields the header has
    names: tuple[tuple[str, str], ...]  # (field, header text in the file)
    sheet: str | None = None
    head: pl.LazyFrame | None = None  # the first rows, cheap to read (date forms are guessed)

    def sample(self, n: int = 2000) -> pl.DataFrame:
        return (self.head if self.head is not None else self.frame).head(n).collect()


# --- header ------------------------------------------------------------------------


def _header_texts(rows: Sequence[Sequence[object]]) -> tuple[str, ...]:
    """Header texts of the row most like a header (one matching a known or personal column
    name); never the content of a data row."""
    best: tuple[int, tuple[str, ...]] = (0, ())
    known = {header_key(a) for _, names in FIELDS.values() for a in names}
    known |= {header_key(a) for a in PERSONAL}
    for cells in rows[:HEADER_SCAN]:
        texts = tuple(str(v).strip() for v in cells if isinstance(v, str) and v.strip())
        hits = sum(header_key(t) in known for t in texts)
        if hits > best[0]:
            best = (hits, texts)
    return best[1]


def _check_header(rows: Sequence[Sequence[object]], source: str) -> Header:
    header = find_header(rows)
    if header is None:
        found = _header_texts(rows)
        shown = ", ".join(f"“{t}”" for t in found) if found else "không có cột nào mang tên đã biết"
        raise DossierFormatError(
            source,
            f"không tìm thấy dòng tiêu đề của danh sách hồ sơ trong {HEADER_SCAN} dòng đầu. "
            f"Các cột tìm thấy: {shown}. Cần các cột: {needed_text()}. Cách sửa: xuất lại danh "
            "sách hồ sơ từ hệ thống một cửa (Excel hoặc CSV) có dòng tiêu đề, hoặc sửa tên cột "
            "cho đúng một trong các tên trên",
        )
    if header.missing:
        names = ", ".join(f"“{field_label(k)}”" for k in header.missing)
        raise DossierFormatError(
            source,
            f"dòng tiêu đề (dòng {header.row + 1}) thiếu cột {names}. Các cột có: "
            + ", ".join(f"“{t}”" for t in header.found)
            + f". Cần các cột: {needed_text()}. Cách sửa: xuất lại danh sách có đủ các cột "
            "này, hoặc đổi tên cột cho đúng",
        )
    return header


def _finish(frame: pl.LazyFrame, keys: list[str], first_data_row: int) -> pl.LazyFrame:
    """Name the columns by field, add the missing optional ones (null) and ``_row`` (lazy:
    nothing is read yet for a CSV). Blank rows are dropped and text is stripped later, where
    it matters (:mod:`.records`), which costs far less than touching every cell here."""
    frame = frame.with_row_index("_row", offset=first_data_row)
    frame = frame.select(
        pl.col("_row").cast(pl.Int64),
        *(pl.nth(i + 1).cast(pl.String).alias(k) for i, k in enumerate(keys)),
    )
    return frame.with_columns(
        [pl.lit(None, dtype=pl.String).alias(k) for k in LOADED if k not in keys]
    ).select(["_row", *LOADED])


def _raw(source: str, frame, header: Header, used, first: int, sheet=None, head=None) -> RawExport:
    keys = [k for k, _ in used]
    lazy = frame if isinstance(frame, pl.LazyFrame) else frame.lazy()
    names = tuple(header.names.items())
    top = _finish(head, keys, first) if head is not None else None
    return RawExport(
        source, _finish(lazy, keys, first), frozenset(header.columns), names, sheet, top
    )


def _used(header: Header) -> list[tuple[str, int]]:
    """(field, column) of the loaded fields present, by column."""
    return sorted(((k, c) for k, c in header.columns.items() if k in LOADED), key=lambda kc: kc[1])


# --- in-memory rows (tests, and the cell texts every reader agrees on) --------------------


def cell_text(value: object) -> str | None:
    """A cell as the spreadsheet reader gives it as text: dates ISO, whole floats without
    ``.0``, blanks None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_rows(rows: Sequence[Sequence[object]], source: str = "<dữ liệu>") -> RawExport:
    """The used columns of an export given as rows of values (row 0 = the file's row 1)."""
    header = _check_header(rows, source)
    used = _used(header)
    data = rows[header.row + 1 :]
    columns = {
        k: pl.Series(k, [cell_text(r[c]) if c < len(r) else None for r in data], dtype=pl.String)
        for k, c in used
    }
    return _raw(source, pl.DataFrame(columns), header, used, header.row + 2)


# --- CSV ----------------------------------------------------------------------------


def _csv_head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(_HEAD_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DossierFormatError(
            str(path),
            "tệp CSV mã UTF-16, không đọc được. Cách sửa: mở bằng Excel rồi lưu lại dạng "
            "“CSV UTF-8 (phân tách bằng dấu phẩy)”",
        )
    if len(data) == _HEAD_BYTES:
        data = data[: data.rfind(b"\n") + 1] or data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DossierFormatError(
            str(path),
            "tệp CSV không phải mã UTF-8 (có thể là Windows-1258 hoặc TCVN3). Cách sửa: mở bằng "
            "Excel rồi lưu lại dạng “CSV UTF-8 (phân tách bằng dấu phẩy)”",
        ) from None


def _csv_layout(path: Path) -> tuple[str, Header]:
    text = _csv_head(path)
    lines = text.splitlines()[: HEADER_SCAN + 1]
    candidates = []
    for sep in _SEPARATORS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
        header = find_header(rows)
        if header is not None:
            candidates.append((len(header.columns), -_SEPARATORS.index(sep), sep, header))
    if not candidates:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=_sniff(lines)))
        _check_header(rows, str(path))  # raises
    _, _, sep, header = max(candidates, key=lambda c: c[:2])
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    return sep, _check_header(rows, str(path))


def _sniff(lines: list[str]) -> str:
    counts = {s: sum(line.count(s) for line in lines) for s in _SEPARATORS}
    return max(counts, key=lambda s: counts[s])


def read_csv(path: Path) -> RawExport:
    sep, header = _csv_layout(path)
    used = _used(header)
    faults.point("dossiers.read")

    def scan(n_rows: int | None) -> pl.LazyFrame:
        return pl.scan_csv(
            path,
            separator=sep,
            skip_rows=header.row + 1,
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            encoding="utf8",
            n_rows=n_rows,
        ).select(pl.nth([c for _, c in used]))

    return _raw(str(path), scan(None), header, used, header.row + 2, head=scan(2000))


# --- spreadsheets ----------------------------------------------------------------------


def _fast_load(path: Path, sheet: str, header_row: int, use_columns: list) -> pl.DataFrame:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    loaded = reader.load_sheet(
        sheet,
        header_row=header_row,
        use_columns=use_columns,
        dtypes="string",
        whitespace_as_null=True,
    )
    return pl.DataFrame(loaded)


def _excel_by_peek(path: Path) -> RawExport | None:
    """The fast path for .xlsx: header from the first rows of the XML, one load."""
    from cchc_lib.dossiers.peek import peek_xlsx

    peeks = peek_xlsx(path)
    for pk in peeks or ():
        rows = pk.rows[pk.first_row : pk.first_row + HEADER_SCAN]
        if find_header(rows) is None:
            continue
        header = _check_header(rows, str(path))
        used = _used(header)
        texts = rows[header.row]
        names = [texts[c] for _, c in used]
        if any(n is None or sum(t == n for t in texts) != 1 for n in names):
            return None  # blank or repeated header names: select by position instead
        try:
            frame = _fast_load(path, pk.sheet, header.row, names)
            frame = frame.select(names)
        except Exception:  # noqa: BLE001 - any surprise: the slow path decides
            return None
        return _raw(str(path), frame, header, used, pk.first_row + header.row + 2, pk.sheet)
    return None


def _load_checked(path: Path, sheet: str, header_row: int, used, start, texts):
    """The used columns by position. fastexcel's row and column numbers have counted from
    A1 or from the sheet's first used cell depending on its version: the loaded headers say
    which (the first reading whose headers are the expected ones is kept)."""
    for row in dict.fromkeys((header_row, header_row + start[0])):
        for shift in dict.fromkeys((0, start[1])):
            try:
                frame = _fast_load(path, sheet, row, [c - shift for _, c in used])
            except Exception:  # noqa: BLE001 - out of range: try the other numbering
                continue
            names = [str(n).strip() for n in frame.columns]
            if all(n == t or n.startswith(t + "_") for n, t in zip(names, texts, strict=True)):
                return frame
    raise DossierFormatError(
        str(path),
        f"không đọc được các cột {', '.join(texts)} của trang “{sheet}”. Cách sửa: lưu lại "
        "tệp bằng Excel (.xlsx) rồi thử lại",
    )


def _excel_by_library(path: Path) -> RawExport:
    """Any spreadsheet: header from calamine, then the used columns through fastexcel."""
    import python_calamine as calamine

    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            tried: list[list[object]] = []
            for meta in book.sheets_metadata:
                if meta.visible != calamine.SheetVisibleEnum.Visible:
                    continue
                sheet = book.get_sheet_by_name(meta.name)
                if sheet.start is None:
                    continue
                top = sheet.to_python(skip_empty_area=False, nrows=sheet.start[0] + HEADER_SCAN)
                rows: list[list[object]] = [list(r) for r in top[sheet.start[0] :]]
                if find_header(rows) is None:
                    tried.extend(rows)
                    continue
                header = _check_header(rows, str(path))
                used = _used(header)
                texts = [str(rows[header.row][c]).strip() for _, c in used]
                frame = _load_checked(path, meta.name, header.row, used, sheet.start, texts)
                first = sheet.start[0] + header.row + 2
                return _raw(str(path), frame, header, used, first, meta.name)
    except calamine.PasswordError:
        raise DossierFormatError(
            str(path), "tệp được đặt mật khẩu. Cách sửa: bỏ mật khẩu rồi lưu lại"
        ) from None
    except (calamine.CalamineError, OSError, ValueError, UnicodeError) as exc:
        raise DossierFormatError(
            str(path),
            f"tệp không phải bảng tính Excel hợp lệ hoặc đã bị hỏng ({exc}). Cách sửa: xuất lại "
            "danh sách hồ sơ từ hệ thống",
        ) from None
    _check_header(tried, str(path))  # raises: no sheet has a header
    raise AssertionError("unreachable")


def read_excel(path: Path) -> RawExport:
    faults.point("dossiers.read")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        fast = _excel_by_peek(path)
        if fast is not None:
            return fast
    return _excel_by_library(path)


# --- files ---------------------------------------------------------------------------


def read_export(path: str | Path) -> RawExport:
    """The used columns of one export file; :class:`DossierFormatError` when it cannot be
    read at all (no header, a required column missing, not a spreadsheet or CSV)."""
    p = Path(path)
    if not p.is_file():
        raise DossierFormatError(str(p), "không tìm thấy tệp. Cách sửa: kiểm tra lại đường dẫn")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return read_csv(p)
    if suffix in EXTENSIONS:
        return read_excel(p)
    raise DossierFormatError(
        str(p),
        f"không phải tệp xuất hồ sơ ({', '.join(EXTENSIONS)}). Cách sửa: xuất danh sách hồ sơ "
        "từ hệ thống dạng Excel hoặc CSV",
    )


def export_files(path_or_folder: str | Path | Sequence[str | Path]) -> list[Path]:
    """The export files named, or those of a folder (sorted; temporary ``~$`` files and
    hidden files skipped). An empty folder is an error."""
    if isinstance(path_or_folder, str | Path):
        items = [Path(path_or_folder)]
    else:
        items = [Path(p) for p in path_or_folder]
    files: list[Path] = []
    for item in items:
        if item.is_dir():
            found = sorted(
                p
                for p in item.iterdir()
                if p.is_file()
                and p.suffix.lower() in EXTENSIONS
                and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise DossierFormatError(
                    str(item),
                    f"thư mục không có tệp xuất hồ sơ nào ({', '.join(EXTENSIONS)}). Cách sửa: "
                    "đặt các tệp danh sách hồ sơ xuất từ hệ thống một cửa vào thư mục này",
                )
            files.extend(found)
        else:
            files.append(item)
    return files


EXPORTS_FOLDER = "ho-so"
"""Where a year's exports live inside its data folder: ``data/<year>/ho-so/``."""


def _exports_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", "."))
    ]


def find_exports(folder: str | Path) -> Path | None:
    """The exports of a data folder: ``folder/ho-so`` when it holds export files, else
    ``folder`` itself when it holds exports and no monthly workbooks (``YYYY-MM.xlsx``);
    None when there are none (the report then uses the monthly figures only).
    """
    root = Path(folder)
    if _exports_in(root / EXPORTS_FOLDER):
        return root / EXPORTS_FOLDER
    files = _exports_in(root)
    if files and not any(re.match(r"^\d{4}-\d{2}", p.name) for p in files):
        return root
    return None
