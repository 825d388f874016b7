"""The report's blocks (:mod:`.doc`) as a Word document, with python-docx.

Every paragraph and table takes its look from a named style of the base document
(``cchc_lib/data/base.docx``, built by ``tools/make_docx_base.py``; an office may restyle a
copy and name it in ``docx_base``). The renderer sets no font or spacing itself, only the
form of Nghị định 30/2020: A4, margins 20/20/30/15 mm, the page number centred in the header
from page 2, each appendix a section of its own numbered from 1 (Phụ lục I in landscape),
table header rows repeated and rows kept whole, the header block and the signature as
borderless tables. Charts are PNG (Word cannot embed SVG).

>>> from cchc_lib.report.doc import Heading, Paragraph
>>> data = render_docx([Heading("I. CÔNG TÁC CHỈ ĐẠO", 1), Paragraph.of("Nội dung.")])
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from cchc_lib.errors import ReportRunError
from cchc_lib.report.doc import (
    Block,
    Cell,
    DocHeader,
    DocumentInfo,
    Figure,
    Heading,
    Paragraph,
    Row,
    Run,
    SectionBreak,
    Signature,
    Table,
)
from cchc_lib.xlsx import safe_text

__all__ = ["REQUIRED_STYLES", "render_docx"]

PARAGRAPH_STYLE = {
    "body": "CCHC Body",
    "lead": "CCHC Lead",
    "closing": "CCHC Closing",
    "item": "CCHC Item",
    "note": "CCHC Note",
    "center": "CCHC Center",
    "caption": "CCHC Caption",
    "plain": "CCHC Plain",
    "table-caption": "CCHC Table Caption",
    "appendix-label": "CCHC Appendix Label",
    "appendix-title": "CCHC Appendix Title",
    "appendix-subtitle": "CCHC Appendix Subtitle",
}
OTHER_STYLES = (
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "CCHC Cell",
    "CCHC Cell Head",
    "CCHC Header Parent",
    "CCHC Header Agency",
    "CCHC Header Number",
    "CCHC Motto",
    "CCHC Motto Sub",
    "CCHC Place Date",
    "CCHC Rule",
    "CCHC Title",
    "CCHC Subject",
    "CCHC Recipients Label",
    "CCHC Recipients",
    "CCHC Signer Title",
    "CCHC Signer Name",
    "CCHC Page Header",
    "CCHC Table",
    "CCHC Layout",
)
REQUIRED_STYLES = (*PARAGRAPH_STYLE.values(), *OTHER_STYLES)
"""Every style a base .docx must define (``tools/make_docx_base.py`` writes them all)."""

# A4 in twentieths of a point; margins top 20, bottom 20, left 30, right 15 mm.
_MM = 1440 / 25.4
_A4 = (round(210 * _MM), round(297 * _MM))
_MARGINS = {"top": 20, "right": 15, "bottom": 20, "left": 30, "header": 10, "footer": 10}
_GENERATED_FILL = "FFF2CC"  # light yellow behind generated passages in a draft


def _text_width(orientation: str) -> int:
    width = _A4[1] if orientation == "landscape" else _A4[0]
    return width - round((_MARGINS["left"] + _MARGINS["right"]) * _MM)


class _Xml:
    """Element builders (python-docx's element classes, elements in schema order).

    Tags and attribute names are resolved to Clark names once, and elements are made by
    python-docx's parser directly: a report has tens of thousands of them.
    """

    def __init__(self) -> None:
        from docx.oxml.ns import nsmap, qn
        from docx.oxml.parser import oxml_parser

        self.qn = qn
        self._make = oxml_parser.makeelement
        self._nsmap = {"w": nsmap["w"]}
        self._names: dict[str, str] = {}

    def name(self, tag: str) -> str:
        clark = self._names.get(tag)
        if clark is None:
            clark = self._names[tag] = self.qn(tag)
        return clark

    def make(self, tag: str, attrs: dict[str, str] | None = None, *children: Any) -> Any:
        node = self._make(self.name(tag), nsmap=self._nsmap)
        if attrs:
            for k, v in attrs.items():
                node.set(self.name(k), v)
        for child in children:
            if child is not None:
                node.append(child)
        return node

    def run(self, run: Run, extra: Iterable[Any] = ()) -> Any:
        rpr = self.make("w:rPr")
        if run.bold:
            rpr.append(self.make("w:b"))
        if run.italic:
            rpr.append(self.make("w:i"))
        for e in extra:
            rpr.append(e)
        r = self.make("w:r", None, rpr if len(rpr) else None)
        for k, line in enumerate(safe_text(run.text).split("\n")):
            if k:
                r.append(self.make("w:br"))
            t = self.make("w:t")
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
        return r

    def paragraph(
        self,
        style_id: str,
        runs: Sequence[Run],
        *,
        shade: str | None = None,
        rule: tuple[int, int] | None = None,
        align: str | None = None,
    ) -> Any:
        ppr = self.make("w:pPr", None, self.make("w:pStyle", {"w:val": style_id}))
        if rule is not None:  # a short centred line: top border, indented on both sides
            border = self.make(
                "w:top", {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}
            )
            ppr.append(self.make("w:pBdr", None, border))
        if shade:
            ppr.append(self.make("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
        if rule is not None:
            ppr.append(self.make("w:ind", {"w:left": str(rule[0]), "w:right": str(rule[1])}))
        if align:
            ppr.append(self.make("w:jc", {"w:val": align}))
        p = self.make("w:p", None, ppr)
        for r in runs:
            p.append(self.run(r))
        return p


class _Writer:
    def __init__(self, base: bytes | None, draft: bool) -> None:
        from docx import Document

        self.doc = Document(io.BytesIO(base if base is not None else _base_bytes()))
        self.x = _Xml()
        self.draft = draft
        self.ids = self._style_ids()
        body = self.doc.element.body
        self.sect = body.get_or_add_sectPr()
        for child in list(body):
            if child is not self.sect:
                body.remove(child)
        self.body = body
        self.sections: list[SectionBreak] = [SectionBreak("portrait", restart_numbering=False)]

    def _style_ids(self) -> dict[str, str]:
        """Style ids by name, looked up once; a base without a needed style is an error."""
        by_name = {s.name: s.style_id for s in self.doc.styles}
        missing = [name for name in REQUIRED_STYLES if name not in by_name]
        if missing:
            raise ReportRunError(
                "Tệp Word mẫu (docx_base) thiếu kiểu định dạng (style) "
                + ", ".join(f"“{m}”" for m in missing)
                + ". Cách sửa: mở tệp mẫu có sẵn cchc_lib/data/base.docx, sửa kiểu định dạng "
                "trong đó (không đổi tên, không xóa kiểu) rồi lưu thành tệp mẫu mới."
            )
        return by_name

    def put(self, element: Any) -> None:
        self.sect.addprevious(element)

    def p(self, style: str, runs: Sequence[Run], **kw: Any) -> Any:
        el = self.x.paragraph(self.ids[style], runs, **kw)
        self.put(el)
        return el

    # --- blocks -----------------------------------------------------------------

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.p(f"Heading {min(3, block.level)}", (Run(block.text),))
        elif isinstance(block, Paragraph):
            shade = _GENERATED_FILL if (block.generated and self.draft) else None
            self.p(PARAGRAPH_STYLE.get(block.style, "CCHC Body"), block.runs, shade=shade)
        elif isinstance(block, Table):
            self.put(self.table(block))
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, DocHeader):
            self.header_block(block)
        elif isinstance(block, Signature):
            self.signature(block)
        elif isinstance(block, SectionBreak):
            self.section_break(block)
        elif isinstance(block, DocumentInfo):
            self.doc.core_properties.title = block.title

    def section_break(self, block: SectionBreak) -> None:
        """End the current section with a paragraph carrying its properties."""
        closing = copy.deepcopy(self.sect)
        p = self.x.make("w:p", None, self.x.make("w:pPr", None, closing))
        self.put(p)
        self.sections.append(block)

    def figure(self, block: Figure) -> None:
        from docx.shared import Mm
        from docx.text.paragraph import Paragraph as DocxParagraph

        el = self.p("CCHC Center", ())
        para = DocxParagraph(el, self.doc._body)
        para.paragraph_format.keep_with_next = True
        para.add_run().add_picture(io.BytesIO(block.png), width=Mm(min(block.width_mm, 160)))
        self.p("CCHC Caption", (Run(block.caption),))

    def header_block(self, block: DocHeader) -> None:
        width = _text_width("portrait")
        left_w, right_w = round(width * 0.4), width - round(width * 0.4)
        left = [
            self.x.paragraph(self.ids["CCHC Header Parent"], (Run(t),)) for t in block.left[:-1]
        ]
        if block.left:
            left.append(self.x.paragraph(self.ids["CCHC Header Agency"], (Run(block.left[-1]),)))
            left.append(self._rule(left_w, round(25 * _MM)))
        left.append(self.x.paragraph(self.ids["CCHC Header Number"], (Run(block.number),)))
        right = [
            self.x.paragraph(self.ids["CCHC Motto"], (Run(block.MOTTO[0]),)),
            self.x.paragraph(self.ids["CCHC Motto Sub"], (Run(block.MOTTO[1]),)),
            self._rule(right_w, round(62 * _MM)),
            self.x.paragraph(self.ids["CCHC Place Date"], (Run(block.place_date),)),
        ]
        self.put(self._layout((left_w, right_w), (left, right)))
        self.p("CCHC Title", (Run(block.title),))
        self.p("CCHC Subject", (Run(block.subject),))
        self.put(self._rule(width, round(40 * _MM)))

    def signature(self, block: Signature) -> None:
        width = _text_width("portrait")
        half = width // 2
        left = [self.x.paragraph(self.ids["CCHC Recipients Label"], (Run("Nơi nhận:"),))]
        left += [
            self.x.paragraph(self.ids["CCHC Recipients"], (Run(f"- {r}"),))
            for r in block.recipients
        ]
        right = [
            self.x.paragraph(self.ids["CCHC Signer Title"], (Run(t),)) for t in block.title_lines
        ]
        right.append(self.x.paragraph(self.ids["CCHC Signer Name"], (Run(block.name),)))
        table = self._layout((half, width - half), (left, right))
        self.put(table)

    def _rule(self, cell_width: int, length: int) -> Any:
        side = max(0, (cell_width - length) // 2)
        return self.x.paragraph(self.ids["CCHC Rule"], (), rule=(side, side))

    def _layout(self, widths: Sequence[int], columns: Sequence[list[Any]]) -> Any:
        """A borderless table of one row (the header block, the signature): kept on one page."""
        x = self.x
        tblpr = x.make(
            "w:tblPr",
            None,
            x.make("w:tblStyle", {"w:val": self.ids["CCHC Layout"]}),
            x.make("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
            x.make("w:tblLayout", {"w:type": "fixed"}),
            x.make("w:tblLook", {"w:val": "0000"}),
        )
        grid = x.make("w:tblGrid", None, *(x.make("w:gridCol", {"w:w": str(w)}) for w in widths))
        tr = x.make("w:tr", None, x.make("w:trPr", None, x.make("w:cantSplit")))
        for w, paragraphs in zip(widths, columns, strict=True):
            tcpr = x.make("w:tcPr", None, x.make("w:tcW", {"w:w": str(w), "w:type": "dxa"}))
            tr.append(x.make("w:tc", None, tcpr, *(paragraphs or [x.make("w:p")])))
        return x.make("w:tbl", None, tblpr, grid, tr)

    def table(self, block: Table) -> Any:
        """A data table, written as XML text and parsed once (thousands of cells)."""
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import parse_xml

        total = _text_width(self.sections[-1].orientation)
        widths = [max(200, round(total * w)) for w in block.widths]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            f'<w:tblStyle w:val="{_attr(self.ids["CCHC Table"])}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for rows, head in ((block.header, True), (block.body, False)):
            parts += self._rows(rows, widths, head, block.font_size)
        parts.append("</w:tbl>")
        return parse_xml("".join(parts))

    def _rows(
        self, rows: Sequence[Row], widths: Sequence[int], head: bool, size: float
    ) -> list[str]:
        """Rows on the table grid: colspans as gridSpan, rowspans as vertical merges."""
        out = []
        pending: dict[int, int] = {}  # grid column -> rows still covered by a rowspan above
        trpr = (
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if head
            else ("<w:trPr><w:cantSplit/></w:trPr>")
        )
        for k, row in enumerate(rows):
            out.append(f"<w:tr>{trpr}")
            # keep an area row with the row below it, and the last two rows together
            keep = not head and (row.kind == "group" or k == len(rows) - 2)
            col = 0
            cells = list(row.cells)
            while col < len(widths) and (cells or col in pending):
                if pending.get(col):
                    pending[col] -= 1
                    out.append(self._cell(None, widths, col, 1, "continue", size, head, row.kind))
                    col += 1
                    continue
                cell = cells.pop(0)
                span = max(1, min(cell.colspan, len(widths) - col))
                merge = "restart" if cell.rowspan > 1 else None
                if cell.rowspan > 1:
                    for c in range(col, col + span):
                        pending[c] = cell.rowspan - 1
                out.append(self._cell(cell, widths, col, span, merge, size, head, row.kind, keep))
                col += span
            out.append("</w:tr>")
        return out

    def _cell(
        self,
        cell: Cell | None,
        widths: Sequence[int],
        col: int,
        span: int,
        merge: str | None,
        size: float,
        head: bool,
        kind: str,
        keep: bool = False,
    ) -> str:
        tcpr = f'<w:tcW w:w="{sum(widths[col : col + span])}" w:type="dxa"/>'
        if span > 1:
            tcpr += f'<w:gridSpan w:val="{span}"/>'
        if merge:
            tcpr += f'<w:vMerge w:val="{merge}"/>'
        tcpr += f'<w:vAlign w:val="{"center" if head else "top"}"/>'
        style = _attr(self.ids["CCHC Cell Head" if head else "CCHC Cell"])
        ppr = f'<w:pStyle w:val="{style}"/>' + ("<w:keepNext/>" if keep else "")
        if cell is not None and not head and cell.align != "left":
            ppr += f'<w:jc w:val="{"right" if cell.align == "right" else "center"}"/>'
        emphasis = kind in ("group", "total")
        sz = (
            ""
            if size == 12
            else f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
        )
        runs = "".join(
            _run_xml(r, bold=r.bold or emphasis, extra=sz) for r in (cell.runs if cell else ())
        )
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p></w:tc>"

    # --- finishing --------------------------------------------------------------

    def finish(self) -> bytes:
        """Page setup and headers of every section, then the bytes."""
        from docx.enum.section import WD_ORIENT
        from docx.shared import Twips

        for section, spec in zip(self.doc.sections, self.sections, strict=True):
            landscape = spec.orientation == "landscape"
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            w, h = (_A4[1], _A4[0]) if landscape else _A4
            section.page_width, section.page_height = Twips(w), Twips(h)
            for name, mm in _MARGINS.items():
                setattr(
                    section,
                    f"{name}_margin"
                    if name in ("top", "right", "bottom", "left")
                    else f"{name}_distance",
                    round(mm * 36000),
                )
            section.different_first_page_header_footer = True
            self._numbering(section, spec)
            self._headers(section, spec)
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def _numbering(self, section: Any, spec: SectionBreak) -> None:
        sect = section._sectPr
        old = sect.find(self.x.qn("w:pgNumType"))
        if old is not None:
            sect.remove(old)
        if spec.restart_numbering:
            num = self.x.make("w:pgNumType", {"w:start": "1"})
            cols = sect.find(self.x.qn("w:cols"))
            (cols.addprevious if cols is not None else sect.append)(num)

    def _headers(self, section: Any, spec: SectionBreak) -> None:
        """The page number centred from the section's second page; "DỰ THẢO" right in a draft."""
        width = _text_width(spec.orientation)
        for header, number in ((section.header, True), (section.first_page_header, False)):
            header.is_linked_to_previous = False
            hdr = header._element
            for child in list(hdr):
                hdr.remove(child)
            p = self.x.paragraph(self.ids["CCHC Page Header"], ())
            ppr = p.find(self.x.qn("w:pPr"))
            tabs = self.x.make(
                "w:tabs",
                None,
                self.x.make("w:tab", {"w:val": "center", "w:pos": str(width // 2)}),
                self.x.make("w:tab", {"w:val": "right", "w:pos": str(width)}),
            )
            ppr.append(tabs)
            ppr.append(self.x.make("w:jc", {"w:val": "left"}))
            p.append(self.x.run(Run("\t")))
            if number:
                self._page_field(p)
            if self.draft:
                p.append(self.x.run(Run("\t")))
                border = self.x.make(
                    "w:bdr", {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}
                )
                p.append(self.x.run(Run("DỰ THẢO", bold=True), extra=(border,)))
            hdr.append(p)

    def _page_field(self, p: Any) -> None:
        x = self.x
        begin = x.make("w:r", None, x.make("w:fldChar", {"w:fldCharType": "begin"}))
        instr = x.make("w:instrText")
        instr.text = " PAGE "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        sep = x.make("w:r", None, x.make("w:fldChar", {"w:fldCharType": "separate"}))
        value = x.make("w:r", None, x.make("w:t"))
        value[0].text = "2"
        end = x.make("w:r", None, x.make("w:fldChar", {"w:fldCharType": "end"}))
        for el in (begin, x.make("w:r", None, instr), sep, value, end):
            p.append(el)


def _attr(value: str) -> str:
    return xml_escape(value, {'"': "&quot;"})


def _run_xml(run: Run, *, bold: bool, extra: str = "") -> str:
    rpr = ("<w:b/>" if bold else "") + ("<w:i/>" if run.italic else "") + extra
    text = "<w:br/>".join(
        f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>'
        for line in safe_text(run.text).split("\n")
    )
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{text}</w:r>"


def _base_bytes() -> bytes:
    return resources.files("cchc_lib").joinpath("data/base.docx").read_bytes()


def load_base(path: str | Path) -> bytes:
    """The bytes of a restyled base .docx named in the parameters; a clear error otherwise."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReportRunError(
            f"Không đọc được tệp Word mẫu docx_base {p} ({exc.strerror or exc}). Cách sửa: "
            "kiểm tra đường dẫn trong tệp tham số, hoặc để trống để dùng mẫu có sẵn."
        ) from None
    if data[:4] != b"PK\x03\x04":
        raise ReportRunError(
            f"Tệp Word mẫu docx_base {p} không phải tệp .docx. Cách sửa: lưu mẫu bằng Word "
            "dưới dạng .docx, hoặc để trống để dùng mẫu có sẵn."
        )
    return data


def render_docx(
    blocks: Iterable[Block], *, base: bytes | None = None, draft: bool = False
) -> bytes:
    """The blocks as the bytes of a .docx; ``base`` is a restyled base document's bytes."""
    writer = _Writer(base, draft)
    for block in blocks:
        writer.add(block)
    return writer.finish()
