"""The report as a Word document: the same words as the HTML, the official form, restyling.

The document is read back with python-docx (page setup per section, the header's PAGE field,
repeated header rows, rows kept whole, style names and fonts) on a tiny report built in code;
the notebook route (``jupyter nbconvert --to cchc_docx``) runs on a notebook whose outputs are
written here, without a kernel.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import nbformat
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from tiny import tiny_context

from cchc_lib.errors import ReportRunError
from cchc_lib.report import sections
from cchc_lib.report.doc import (
    MIME,
    Cell,
    Fragment,
    Heading,
    Paragraph,
    Row,
    Table,
    bold,
    italic,
)
from cchc_lib.report.docx import REQUIRED_STYLES, render_docx
from cchc_lib.report.render import notebook_to_docx, notebook_to_html

BASE = Path(__file__).parents[1] / "cchc_lib" / "data" / "base.docx"


@pytest.fixture(scope="module")
def fragments() -> dict[str, Fragment]:
    ctx = tiny_context(report="2022-Q1", report_number="12")
    return {name: getattr(sections, name)(ctx) for name in sections.ORDER}


@pytest.fixture(scope="module")
def document(fragments) -> Document:
    blocks = [b for f in fragments.values() for b in f.blocks]
    return Document(io.BytesIO(render_docx(blocks, draft=True)))


def words(text: str) -> list[str]:
    return text.replace("\u2002", " ").split()


def html_words(html: str) -> list[str]:
    html = re.sub(r"<style[^>]*>.*?</style>|<p class=\"draft-mark\">.*?</p>", "", html, flags=re.S)
    html = re.sub(r"</?(strong|em)>", "", html)  # inline: no word break
    return words(unescape(re.sub(r"<[^>]+>", " ", html.replace("<br>", " "))))


def docx_words(data: bytes) -> list[str]:
    """Every word of the body in document order: paragraphs and table cells alike."""
    doc = Document(io.BytesIO(data))
    out: list[str] = []
    for el in doc.element.body.iter(qn("w:p")):
        out += words("".join(t.text or "" for t in el.iter(qn("w:t"))))
    return out


# --- the model ------------------------------------------------------------------


def test_every_section_survives_json(fragments) -> None:
    for name, frag in fragments.items():
        assert Fragment.from_json(frag.to_json()) == frag, name


def test_fragment_shows_html_and_keeps_blocks_in_the_notebook(fragments) -> None:
    bundle = fragments["header"]._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", MIME}
    assert bundle["text/plain"].startswith("<Fragment")


def test_hostile_text_is_inert_in_html() -> None:
    frag = Fragment((Paragraph.of('<script>alert(1)</script> & =HYPERLINK("x")'),))
    assert "<script>" not in frag.html and "&lt;script&gt;" in frag.html


# --- the same words -------------------------------------------------------------


@pytest.mark.parametrize("name", sections.ORDER)
def test_docx_has_the_words_of_the_html(fragments, name) -> None:
    frag = fragments[name]
    assert docx_words(render_docx(frag.blocks)) == html_words(frag.html)


# --- the form -------------------------------------------------------------------


def test_sections_page_setup(document) -> None:
    secs = document.sections
    assert len(secs) == 3  # body, Phụ lục I, Phụ lục II
    for sec in secs:
        margins = (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
        assert [round(m.mm, 1) for m in margins] == [20, 20, 30, 15]
        assert sec.different_first_page_header_footer
    body, annex1, annex2 = secs
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert annex1.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex1.page_width.mm), round(annex1.page_height.mm)) == (297, 210)
    assert annex2.orientation == WD_ORIENT.PORTRAIT
    starts = [s._sectPr.find(qn("w:pgNumType")) for s in secs]
    assert starts[0] is None  # the body counts from 1 with no number on page 1
    assert [s.get(qn("w:start")) for s in starts[1:]] == ["1", "1"]  # appendices restart


def test_page_number_field_from_page_two_and_draft_mark(document) -> None:
    for sec in document.sections:
        header = sec.header._element
        instr = "".join(t.text for t in header.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        first = sec.first_page_header._element
        assert not list(first.iter(qn("w:instrText")))  # no number on a first page
        assert "DỰ THẢO" in "".join(t.text for t in first.iter(qn("w:t")))


def test_no_draft_mark_when_final(fragments) -> None:
    blocks = [b for f in fragments.values() for b in f.blocks]
    doc = Document(io.BytesIO(render_docx(blocks, draft=False)))
    for sec in doc.sections:
        for hdr in (sec.header, sec.first_page_header):
            assert "DỰ THẢO" not in "".join(t.text for t in hdr._element.iter(qn("w:t")))
    assert not list(doc.element.body.iter(qn("w:shd")))  # no highlighted passages


def test_tables_repeat_their_header_and_rows_never_split(document) -> None:
    data_tables = [t for t in document.tables if t.style.name == "CCHC Table"]
    assert len(data_tables) >= 4
    for table in data_tables:
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
        assert rows[-1].find(qn("w:trPr")).find(qn("w:tblHeader")) is None


def test_header_block_and_signature_are_borderless_tables(document) -> None:
    layout = [t for t in document.tables if t.style.name == "CCHC Layout"]
    assert len(layout) == 2
    header, signature = layout
    assert header.cell(0, 0).paragraphs[0].style.name == "CCHC Header Parent"
    assert "SỞ THỬ NGHIỆM" == header.cell(0, 0).paragraphs[1].text
    assert header.cell(0, 0).paragraphs[1].style.name == "CCHC Header Agency"
    assert (
        "Số:" in header.cell(0, 0).paragraphs[-1].text
        and "12/BC-STN" in header.cell(0, 0).paragraphs[-1].text
    )
    assert header.cell(0, 1).paragraphs[-1].style.name == "CCHC Place Date"
    assert signature.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert signature.cell(0, 1).paragraphs[-1].text == "Trần Văn Mẫu"


def test_every_paragraph_takes_a_named_style(document) -> None:
    names = {p.style.name for p in document.paragraphs if p.text}
    assert {"Heading 1", "Heading 2", "CCHC Body", "CCHC Title", "CCHC Subject"} <= names
    assert names <= set(REQUIRED_STYLES)
    # no direct fonts or sizes on body paragraphs: the look comes from the styles
    for p in document.paragraphs:
        for r in p.runs:
            assert r.font.name is None and r.font.size is None
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert document.styles["CCHC Body"].font.size.pt == 13


def test_merged_cells_and_alignment() -> None:
    table = Table(
        (0.5, 0.25, 0.25),
        (
            Row((Cell.of("A", rowspan=2), Cell.of("B", colspan=2))),
            Row((Cell.of("b1"), Cell.of("b2"))),
        ),
        (Row((Cell.of("x"), Cell.of("1", align="right"), Cell.of("2", align="center"))),),
    )
    doc = Document(io.BytesIO(render_docx([table])))
    tbl = doc.tables[0]._tbl
    rows = tbl.findall(qn("w:tr"))
    first = rows[0].findall(qn("w:tc"))
    assert first[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    assert first[1].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "2"
    second = rows[1].findall(qn("w:tc"))
    assert second[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "continue"
    assert [tc.xpath("string(.)") for tc in second] == ["", "b1", "b2"]
    body = rows[2].findall(qn("w:tc"))
    jc = [tc.find(qn("w:p")).find(qn("w:pPr")).find(qn("w:jc")) for tc in body]
    assert (
        jc[0] is None and jc[1].get(qn("w:val")) == "right" and jc[2].get(qn("w:val")) == "center"
    )


def test_runs_keep_bold_and_italic() -> None:
    doc = Document(
        io.BytesIO(render_docx([Paragraph.of("a ", bold("đậm"), " ", italic("nghiêng"))]))
    )
    runs = doc.paragraphs[0].runs
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("a ", None, None),
        ("đậm", True, None),
        (" ", None, None),
        ("nghiêng", None, True),
    ]


def test_figures_are_png_at_200_dpi(fragments) -> None:
    from PIL import Image

    data = render_docx(fragments["results"].blocks)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media and all(n.endswith(".png") for n in media)
        img = Image.open(io.BytesIO(z.read(media[0])))
        assert round(img.info["dpi"][0]) >= 199


# --- restyling ------------------------------------------------------------------


def _restyled(size: int) -> bytes:
    doc = Document(str(BASE))
    doc.styles["CCHC Body"].font.size = Pt(size)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_restyled_base_restyles_the_report(fragments) -> None:
    doc = Document(io.BytesIO(render_docx(fragments["header"].blocks, base=_restyled(14))))
    body = [p for p in doc.paragraphs if p.style.name == "CCHC Body"]
    assert body and round(body[0].style.font.size.pt) == 14


def test_a_base_without_a_needed_style_is_a_clear_error() -> None:
    doc = Document(str(BASE))
    doc.styles["CCHC Signer Name"].delete()
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(ReportRunError, match="“CCHC Signer Name”"):
        render_docx([Heading("I. X", 1)], base=buf.getvalue())


# --- the notebook route ---------------------------------------------------------


def _notebook(fragments) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("Ghi chú nội bộ", metadata={"tags": ["remove"]})]
    for name in ("header", "direction"):
        cell = nbformat.v4.new_code_cell(f"doc.{name}()")
        cell.outputs = [
            nbformat.v4.new_output("display_data", data=fragments[name]._repr_mimebundle_())
        ]
        cells.append(cell)
    cells.append(nbformat.v4.new_markdown_cell("Ngoài ra, Sở đã **tổ chức** hội nghị *chuyên đề*."))
    return nbformat.v4.new_notebook(cells=cells)


def test_an_added_markdown_cell_appears_in_html_and_docx(fragments) -> None:
    nb = _notebook(fragments)
    html = notebook_to_html(nb)
    data = notebook_to_docx(nb)
    sentence = "Ngoài ra, Sở đã tổ chức hội nghị chuyên đề."
    assert sentence in " ".join(html_words(html))
    assert sentence in " ".join(docx_words(data))
    assert "Ghi chú nội bộ" not in " ".join(docx_words(data)) + html
    doc = Document(io.BytesIO(data))
    last = [p for p in doc.paragraphs if p.text.startswith("Ngoài ra")][0]
    assert [r.text for r in last.runs if r.bold] == ["tổ chức"]


def test_nbconvert_knows_the_exporter() -> None:
    from nbconvert.exporters import get_exporter

    assert get_exporter("cchc_docx").__name__ == "DocxExporter"


@pytest.mark.slow
def test_jupyter_nbconvert_to_cchc_docx(tmp_path, fragments) -> None:
    path = tmp_path / "2022-Q1.ipynb"
    nbformat.write(_notebook(fragments), path)
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "cchc_docx", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "2022-Q1.docx"
    assert "Xây dựng Kế hoạch CCHC năm 2022" in " ".join(docx_words(out.read_bytes()))
