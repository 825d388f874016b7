"""Build ``cchc_lib/data/base.docx``: the named styles every Word report takes its look from.

An office restyles this file once in Word (fonts, sizes, spacing of the named styles) and names
its copy in the parameters (``docx_base: …``); every later report inherits the change. The
renderer (``cchc_lib/report/docx.py``) only refers to styles by the names defined here
(``STYLES``); it never sets a font or a spacing on a paragraph itself.

    .venv/bin/python tools/make_docx_base.py     # rewrites cchc_lib/data/base.docx
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "cchc_lib" / "data" / "base.docx"
FONT = "Times New Roman"

J, C, L, R = (
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
)

# name: (base, size pt, bold, italic, caps, align, first-line indent cm, space before pt,
#        space after pt, keep with next)
PARAGRAPH_STYLES: dict[str, tuple] = {
    "CCHC Body": ("Normal", 13, False, False, False, J, 1.27, 0, 6, False),
    "CCHC Lead": ("CCHC Body", 13, False, False, False, J, 1.27, 0, 6, True),
    "CCHC Closing": ("CCHC Body", 13, False, False, False, J, 1.27, 0, 6, True),
    "CCHC Item": ("CCHC Body", 13, False, False, False, J, 1.27, 0, 6, False),
    "CCHC Plain": ("CCHC Body", 13, False, False, False, J, 0, 0, 6, False),
    "CCHC Center": ("CCHC Body", 13, False, False, False, C, 0, 0, 6, False),
    "CCHC Note": ("CCHC Body", 11, False, True, False, J, 0, 0, 6, False),
    "CCHC Caption": ("CCHC Body", 12, False, True, False, C, 0, 3, 9, False),
    "CCHC Table Caption": ("CCHC Body", 13, True, False, False, L, 0, 9, 4, True),
    "CCHC Cell": ("Normal", 12, False, False, False, L, 0, 1, 1, False),
    "CCHC Cell Head": ("CCHC Cell", 12, True, False, False, C, 0, 1, 1, False),
    "CCHC Header Parent": ("Normal", 13, False, False, True, C, 0, 0, 0, False),
    "CCHC Header Agency": ("Normal", 13, True, False, True, C, 0, 0, 0, False),
    "CCHC Header Number": ("Normal", 13, False, False, False, C, 0, 6, 0, False),
    "CCHC Motto": ("Normal", 12, True, False, True, C, 0, 0, 0, False),
    "CCHC Motto Sub": ("Normal", 13, True, False, False, C, 0, 0, 0, False),
    "CCHC Place Date": ("Normal", 13, False, True, False, C, 0, 6, 0, False),
    "CCHC Rule": ("Normal", 2, False, False, False, C, 0, 2, 0, False),
    "CCHC Title": ("Normal", 14, True, False, True, C, 0, 12, 0, True),
    "CCHC Subject": ("Normal", 14, True, False, False, C, 0, 0, 0, True),
    "CCHC Recipients Label": ("Normal", 12, True, True, False, L, 0, 0, 0, False),
    "CCHC Recipients": ("Normal", 11, False, False, False, L, 0, 0, 0, False),
    "CCHC Signer Title": ("Normal", 13, True, False, True, C, 0, 0, 0, False),
    "CCHC Signer Name": ("Normal", 13, True, False, False, C, 0, 70, 0, False),
    "CCHC Appendix Label": ("Normal", 14, True, False, False, C, 0, 0, 2, True),
    "CCHC Appendix Title": ("Normal", 13, True, False, False, C, 0, 0, 2, True),
    "CCHC Appendix Subtitle": ("Normal", 13, False, True, False, C, 0, 0, 8, True),
    "CCHC Page Header": ("Normal", 13, False, False, False, C, 0, 0, 0, False),
}
HEADINGS = {  # the built-in heading styles, restyled: Word's navigation pane lists them
    "Heading 1": (13, True, False, True),
    "Heading 2": (13, True, False, False),
    "Heading 3": (13, True, True, False),
}
TABLE_STYLES = ("CCHC Table", "CCHC Layout")
STYLES = (*PARAGRAPH_STYLES, *HEADINGS, *TABLE_STYLES)
"""Every style name the renderer uses; a base .docx must define all of them."""


def _fonts(rpr_owner) -> None:
    """Name Times New Roman for every script (Word picks eastAsia/cs fonts separately)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _paragraph_style(doc, name: str, spec: tuple) -> None:
    base, size, bold, italic, caps, align, indent, before, after, keep = spec
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    font = style.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    font.all_caps = caps
    _fonts(style.element)
    pf = style.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Cm(indent) if indent else Cm(0)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE if name.startswith("CCHC Cell") else None
    if not name.startswith(("CCHC Cell", "CCHC Header", "CCHC Motto", "CCHC Rule")):
        pf.line_spacing = 1.15
    pf.keep_with_next = keep
    pf.widow_control = True


def _heading(doc, name: str, spec: tuple) -> None:
    size, bold, italic, caps = spec
    style = doc.styles[name]
    style.base_style = doc.styles["Normal"]
    font = style.font
    font.name, font.size, font.bold, font.italic, font.all_caps = FONT, Pt(size), bold, italic, caps
    font.color.rgb = None
    font.color.theme_color = None
    _fonts(style.element)
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color",):
        el = rpr.find(qn(tag))
        if el is not None:
            rpr.remove(el)
    pf = style.paragraph_format
    pf.alignment = J
    pf.first_line_indent = Cm(1.27)
    pf.space_before, pf.space_after = Pt(6), Pt(6)
    pf.line_spacing = 1.15
    pf.keep_with_next = True


def _borders(style, size: int) -> None:
    tblpr = style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("left", 70), ("right", 70)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(width if size else 0))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)


def build() -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    for name, spec in PARAGRAPH_STYLES.items():
        _paragraph_style(doc, name, spec)
    for name, spec in HEADINGS.items():
        _heading(doc, name, spec)
    for name, size in zip(TABLE_STYLES, (4, 0), strict=True):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
        style.base_style = doc.styles["Normal Table"]
        _borders(style, size)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    core = doc.core_properties
    core.author, core.title, core.comments = "cchc", "Mẫu báo cáo CCHC", "cchc base styles"
    core.revision = 1
    for p in list(doc.element.body):
        if p.tag == qn("w:p"):
            doc.element.body.remove(p)
    _ = WD_TABLE_ALIGNMENT  # imported for readers restyling tables
    buf = io.BytesIO()
    doc.save(buf)
    return _stable(buf.getvalue())


def _stable(data: bytes) -> bytes:
    """The same bytes on every build: fixed zip entry times and document dates."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


if __name__ == "__main__":
    data = build()
    OUT.write_bytes(data)
    print(
        f"wrote {OUT.relative_to(ROOT)} ({len(data):,} bytes, {len(STYLES)} styles)",
        file=sys.stderr,
    )
