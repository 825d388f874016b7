"""Read a plan file (text or Word) into a neutral ``RawDocument``.

The text form is what converters produce from the signed document: paragraphs,
then the appendix as tab-separated lines. The Word form keeps the appendix as a
real table. Both become paragraphs (in order) plus the task table's header and
rows; parsing happens in :mod:`cchc_lib.plan`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.errors import PlanFormatError
from cchc_lib.text import fold, nfc

# Column roles, recognised by the folded header text (first match wins, so the
# more specific words come first). Other agencies use other column sets.
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tt", ("stt", "tt", "so tt", "so thu tu")),
    ("partners", ("phoi hop",)),
    ("lead", ("chu tri", "thuc hien", "don vi thuc hien")),
    ("deadline", ("thoi gian", "thoi han", "tien do")),
    ("budget", ("kinh phi", "nguon kinh phi", "du toan")),
    ("target", ("muc tieu", "chi tieu")),
    ("activities", ("hoat dong",)),
    ("outputs", ("ket qua", "san pham")),
    ("task", ("nhiem vu", "noi dung", "ten nhiem vu", "cong viec")),
)
REQUIRED_ROLES = ("tt", "task")


@dataclass(frozen=True)
class RawDocument:
    source: str
    paragraphs: tuple[tuple[str, str], ...]  # (location, text)
    columns: tuple[str | None, ...]  # role of each table column (None: unknown)
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (location, cells)
    trailing: tuple[tuple[str, str], ...] = ()  # paragraphs after the table


def column_role(header_cell: str) -> str | None:
    """The role of a task-table column from its header text.

    >>> column_role("Thời gian hoàn thành")
    'deadline'
    >>> column_role("Cơ quan phối hợp")
    'partners'
    """
    f = fold(header_cell).strip(" .:")
    if not f:
        return None
    for role, keys in COLUMN_ROLES:
        for k in keys:
            if f == k or (len(k) > 3 and k in f):
                return role
    return None


def header_roles(cells: list[str]) -> tuple[str | None, ...] | None:
    """Roles for a candidate header row, or None when it is not a task-table header."""
    roles: list[str | None] = []
    seen: set[str] = set()
    for c in cells:
        r = column_role(c)
        if r in seen:
            r = None
        if r:
            seen.add(r)
        roles.append(r)
    if all(r in seen for r in REQUIRED_ROLES) and len(seen) >= 3:
        return tuple(roles)
    if "tt" in seen and "target" in seen and len(seen) >= 4:  # target column doubles as task
        return tuple(roles)
    return None


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
        raise PlanFormatError(
            path,
            f"dòng {line}",
            "tệp không được mã hóa UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). "
            "Hãy mở tệp và lưu lại với mã Unicode UTF-8, rồi chạy lại.",
        ) from None


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
    roles: tuple[str | None, ...] | None = None
    for i, line in enumerate(lines):
        if "\t" in line:
            roles = header_roles([nfc(c) for c in line.split("\t")])
            if roles:
                header_at = i
                break
    if header_at is None or roles is None:
        raise PlanFormatError(
            path,
            None,
            "không tìm thấy bảng nhiệm vụ của phụ lục: cần một dòng tiêu đề cột "
            "phân cách bằng dấu Tab có cột 'TT' và cột 'Nhiệm vụ' (hoặc 'Nội dung'). "
            "Hãy kiểm tra tệp có đúng là Kế hoạch CCHC kèm phụ lục nhiệm vụ.",
        )
    paragraphs = tuple(
        (f"dòng {i + 1}", nfc(line)) for i, line in enumerate(lines[:header_at]) if nfc(line)
    )
    rows = tuple(
        (f"dòng {i + 1}", tuple(nfc(c) for c in line.split("\t")))
        for i, line in enumerate(lines[header_at + 1 :], start=header_at + 1)
        if nfc(line)
    )
    return RawDocument(
        source=path,
        paragraphs=paragraphs,
        columns=roles,
        header=tuple(nfc(c) for c in lines[header_at].split("\t")),
        rows=rows,
    )


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


def _row_cells(tr) -> list[str]:
    """Cells of a Word table row by grid column: a horizontally merged cell's text goes
    to its first column only, and a vertically continued cell counts as empty."""
    from docx.oxml.ns import qn

    cells: list[str] = []
    for tc in tr.findall(qn("w:tc")):
        tcpr = tc.find(qn("w:tcPr"))
        span = 1
        continued = False
        if tcpr is not None:
            gs = tcpr.find(qn("w:gridSpan"))
            if gs is not None:
                span = int(gs.get(qn("w:val"), "1") or 1)
            vm = tcpr.find(qn("w:vMerge"))
            if vm is not None and vm.get(qn("w:val")) in (None, "continue"):
                continued = True
        lines = [ln for p in tc.iter(qn("w:p")) for ln in _para_text(p).split("\n")]
        text = "" if continued else "\n".join(nfc(ln) for ln in lines if nfc(ln))
        cells.append(text)
        cells.extend([""] * (span - 1))
    return cells


def read_docx(data_path: Path, path: str) -> RawDocument:
    """Read paragraphs and the task table of a .docx plan (in document order)."""
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(str(data_path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise PlanFormatError(
            path,
            None,
            f"tệp Word bị hỏng hoặc không phải .docx ({exc}). Hãy mở và lưu lại bằng Word.",
        ) from None
    paragraphs: list[tuple[str, str]] = []
    trailing: list[tuple[str, str]] = []
    found: tuple[tuple[str | None, ...], tuple[str, ...], list] | None = None
    n_par = n_tab = 0
    for block in document.element.body.iterchildren():
        target = trailing if found else paragraphs
        if block.tag == qn("w:p"):
            n_par += 1
            for line in _para_text(block).split("\n"):
                if nfc(line):
                    target.append((f"đoạn {n_par}", nfc(line)))
        elif block.tag == qn("w:tbl"):
            n_tab += 1
            trs = block.findall(qn("w:tr"))
            rows = [_row_cells(tr) for tr in trs]
            if not found:
                for h, cells in enumerate(rows[:3]):
                    roles = header_roles(cells)
                    if roles:
                        body = [
                            (f"bảng {n_tab}, dòng {h + 2 + k}", tuple(r))
                            for k, r in enumerate(rows[h + 1 :])
                        ]
                        found = (roles, tuple(cells), body)
                        break
                if found:
                    continue
            for r, cells in enumerate(rows, start=1):  # header blocks, signature tables
                for c in cells:
                    for line in c.split("\n"):
                        if nfc(line):
                            target.append((f"bảng {n_tab}, dòng {r}", nfc(line)))
    if not found:
        raise PlanFormatError(
            path,
            None,
            "không tìm thấy bảng nhiệm vụ trong tệp Word: cần một bảng có dòng tiêu đề "
            "gồm cột 'TT' và cột 'Nhiệm vụ' (hoặc 'Nội dung'). Hãy kiểm tra phụ lục của kế hoạch.",
        )
    roles, header, body = found
    return RawDocument(
        source=path,
        paragraphs=tuple(paragraphs),
        columns=roles,
        header=header,
        rows=tuple(body),
        trailing=tuple(trailing),
    )


def read_source(path: str | Path) -> RawDocument:
    """Open ``path`` and read it as a Word or text plan."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise PlanFormatError(name, None, "không tìm thấy tệp. Hãy kiểm tra lại đường dẫn.")
    if p.is_dir():
        raise PlanFormatError(name, None, "đây là một thư mục, không phải tệp kế hoạch.")
    data = p.read_bytes()
    if data[:4] == b"PK\x03\x04":
        if p.suffix.lower() in (".xlsx", ".xlsm", ".pptx", ".odt", ".ods"):
            raise PlanFormatError(
                name, None, "đây không phải tệp Word (.docx) hay văn bản (.txt) của kế hoạch."
            )
        return read_docx(p, name)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanFormatError(
            name,
            None,
            "đây là tệp Word cũ (.doc). Hãy mở bằng Word và lưu thành .docx, rồi chạy lại.",
        )
    return read_text(data, name)
