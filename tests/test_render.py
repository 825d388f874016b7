"""cchc_lib.report.render: executed notebook -> self-contained HTML -> official-form PDF."""

from __future__ import annotations

import base64
import io
import logging
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator

import nbformat
import pytest
from fontTools.ttLib import TTFont
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from cchc_lib.errors import ReportRunError
from cchc_lib.report.render import FONTS_DIR, export_notebook, html_to_pdf, notebook_to_html

A4 = (595.28, 841.89)
TOP_MARGIN_PT = 20 / 25.4 * 72
TEXT_WIDTH_PT = (210 - 30 - 15) / 25.4 * 72

CODE = "display(HTML(bao_cao_muc_1(plan, period)))"
STDOUT = "DEBUG-STDOUT-chi-tiet-noi-bo"
STDERR = "WARN-STDERR-canh-bao"
BODY = "Cộng hòa xã hội chủ nghĩa Việt Nam"
VIET_LOWER = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" '
    'viewBox="0 0 200 100"><rect x="10" y="10" width="180" height="80" fill="#555"/></svg>'
)

HEADER = """
<table class="doc-header"><tr>
  <td><p class="agency-parent">UBND TỈNH HÀ TĨNH</p><p class="agency">SỞ CÔNG THƯƠNG</p>
      <p class="doc-number">Số: /BC-SCT</p></td>
  <td><p class="motto-1">Cộng hòa xã hội chủ nghĩa Việt Nam</p>
      <p class="motto-2">Độc lập - Tự do - Hạnh phúc</p>
      <p class="place-date">Hà Tĩnh, ngày 14 tháng 3 năm 2022</p></td>
</tr></table>
<p class="doc-title">Báo cáo</p>
<p class="doc-subject">Kết quả thực hiện công tác cải cách hành chính quý I năm 2022</p>
"""
PARA = (
    "Các phòng, đơn vị thuộc Sở đã triển khai đồng bộ các nhiệm vụ cải cách hành chính; "
    "công tác kiểm soát thủ tục hành chính và chuyển đổi số tiếp tục được quan tâm chỉ đạo."
)
SIGNATURE = """
<table class="signature"><tr>
  <td class="recipients"><p class="recipients-label">Nơi nhận:</p>
      <ul><li>- Như trên;</li><li>- Lưu: VT, VP.</li></ul></td>
  <td class="signer"><p class="signer-title">Giám đốc</p><p class="signer-name">Nguyễn Văn An</p></td>
</tr></table>
"""


def _png(width: int, height: int) -> str:
    """A grey PNG of the given pixel size, base64 (as in a notebook output)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode()


def _html_cell(html: str, *, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = new_code_cell(CODE, execution_count=3, metadata={"tags": list(tags)})
    cell.outputs = [
        new_output("display_data", data={"text/html": html, "text/plain": "<IPython.HTML>"})
    ]
    return cell


def _rows(n: int, first: int = 1) -> str:
    return "".join(
        f'<tr><td class="num">{i}</td><td>Nhiệm vụ số {i}: rà soát, đơn giản hóa thủ tục '
        f'hành chính</td><td class="num">{i},5%</td></tr>'
        for i in range(first, first + n)
    )


def _table(n: int) -> str:
    return (
        "<table><thead><tr><th>TT</th><th>Nhiệm vụ</th><th>Tiến độ</th></tr></thead>"
        f"<tbody>{_rows(n)}</tbody></table>"
    )


@pytest.fixture(scope="module")
def small_nb() -> nbformat.NotebookNode:
    code = new_code_cell(CODE, execution_count=7)
    code.outputs = [
        new_output("stream", name="stdout", text=STDOUT + "\n"),
        new_output("stream", name="stderr", text=STDERR + "\n"),
        new_output("display_data", data={"text/html": f"<p>{BODY}.</p>", "text/plain": "x"}),
        new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"}),
        new_output("display_data", data={"image/png": _png(8, 4), "text/plain": "<Figure>"}),
        new_output("execute_result", data={"text/plain": "'GIA-TRI-THO'"}, execution_count=7),
        new_output("error", ename="ValueError", evalue="LOI-NOI-BO", traceback=["LOI-NOI-BO"]),
    ]
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("## I. Kết quả\n\nĐoạn [tham khảo](#muc-1) trong markdown."),
        code,
        _html_cell("<p>CELL-BI-LOAI-BO</p>", tags=("remove",)),
    ]
    return nb


@pytest.fixture(scope="module")
def small_html(small_nb: nbformat.NotebookNode) -> str:
    return notebook_to_html(small_nb, title="Báo cáo thử")


def test_html_keeps_outputs_and_markdown(small_html: str) -> None:
    assert f"<p>{BODY}.</p>" in small_html
    assert "I. Kết quả" in small_html
    assert "data:image/svg+xml;base64," in small_html
    assert "data:image/png;base64," in small_html
    assert "<title>Báo cáo thử</title>" in small_html
    assert '<html lang="vi">' in small_html


def test_html_drops_code_prompts_streams_errors_and_removed_cells(small_html: str) -> None:
    for absent in (CODE, "bao_cao_muc_1", STDOUT, STDERR, "GIA-TRI-THO", "LOI-NOI-BO"):
        assert absent not in small_html
    assert "CELL-BI-LOAI-BO" not in small_html
    assert not re.search(r"\b(In|Out)(&nbsp;|\s)*\[", small_html)
    assert "prompt" not in small_html
    assert "¶" not in small_html  # heading anchor links


def test_html_is_self_contained(small_html: str) -> None:
    assert "<script" not in small_html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", small_html, re.I)
    for needle in ("mathjax", "require.js", "cdn", "<link"):
        assert needle not in small_html.lower()
    # every stylesheet is inline
    assert "@page" in small_html and "font-family" in small_html


def test_export_html_only(small_nb: nbformat.NotebookNode, small_html: str) -> None:
    out = export_notebook(small_nb, ["html"], title="Báo cáo thử")
    assert list(out) == ["html"]
    assert out["html"].decode("utf-8") == small_html


def test_export_rejects_unknown_format(small_nb: nbformat.NotebookNode) -> None:
    with pytest.raises(ReportRunError, match="rtf"):
        export_notebook(small_nb, ["html", "rtf"])


def test_bundled_font_covers_vietnamese() -> None:
    letters = VIET_LOWER + VIET_LOWER.upper()
    assert all(unicodedata.is_normalized("NFC", ch) for ch in letters)
    assert len(set(letters)) == 2 * (12 * 6 + 1)  # 12 vowels x 6 tones, đ
    assert (FONTS_DIR / "LICENSE").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        cmap = TTFont(FONTS_DIR / f"LiberationSerif-{style}.ttf").getBestCmap()
        assert [ch for ch in letters if ord(ch) not in cmap] == [], style


# ---------------------------------------------------------------- PDF


def _long_notebook() -> nbformat.NotebookNode:
    chart = new_code_cell("plot()", execution_count=4)
    chart.outputs = [
        new_output("display_data", data={"image/png": _png(2000, 300), "text/plain": "<F>"}),
        new_output("display_data", data={"image/png": _png(200, 50), "text/plain": "<F>"}),
    ]
    stream = new_code_cell("print(x)", execution_count=5)
    stream.outputs = [new_output("stream", name="stdout", text=STDOUT + "\n")]
    nb = new_notebook()
    nb.cells = [
        _html_cell(HEADER),
        _html_cell(f"<h2>I. Kết quả</h2><p>{BODY} ghi nhận kết quả.</p>" + f"<p>{PARA}</p>" * 3),
        stream,
        chart,
        _html_cell(_table(60)),
        _html_cell(f"<p>{PARA}</p>" + SIGNATURE),
        _html_cell('<section class="appendix"><h1>Phụ lục I</h1>' + _table(40) + "</section>"),
        _html_cell('<section class="appendix landscape"><h1>Phụ lục II</h1></section>'),
    ]
    return nb


class _Page:
    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.width = float(page.mediabox.width)
        self.height = float(page.mediabox.height)
        self.lines: list[tuple[float, str]] = []
        self.images: list[float] = []  # drawn widths in pt

        def on_text(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            if text.strip():
                self.lines.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

        def on_op(op, args, cm, tm):  # type: ignore[no-untyped-def]
            if op == b"Do":
                self.images.append(cm[0])

        self.text = page.extract_text(visitor_text=on_text, visitor_operand_before=on_op)

    @property
    def top_margin_text(self) -> str:
        return " ".join(t for y, t in self.lines if y > self.height - TOP_MARGIN_PT)


@pytest.fixture(scope="module")
def long_pdf(caplog_module: list[logging.LogRecord]) -> tuple[PdfReader, list[_Page]]:
    pdf = export_notebook(_long_notebook(), ["pdf"], title="Báo cáo dài")["pdf"]
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [_Page(p) for p in reader.pages]


@pytest.fixture(scope="module")
def caplog_module() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def _appendix_starts(pages: list[_Page]) -> list[int]:
    return [i for i, p in enumerate(pages) if "PHỤ LỤC" in p.text]


@pytest.mark.slow
def test_pdf_pages_are_a4_and_long(long_pdf) -> None:  # type: ignore[no-untyped-def]
    _, pages = long_pdf
    assert len(pages) >= 3
    landscape = _appendix_starts(pages)[-1]
    for i, page in enumerate(pages):
        size = (page.height, page.width) if i == landscape else (page.width, page.height)
        assert size == pytest.approx(A4, abs=1), i


@pytest.mark.slow
def test_pdf_page_numbers(long_pdf) -> None:  # type: ignore[no-untyped-def]
    _, pages = long_pdf
    first_appendix, second_appendix = _appendix_starts(pages)
    assert pages[0].top_margin_text == ""
    main = [p.top_margin_text for p in pages[1:first_appendix]]
    assert main == [str(n) for n in range(2, first_appendix + 1)]
    appendix_1 = [p.top_margin_text for p in pages[first_appendix:second_appendix]]
    assert len(appendix_1) >= 2
    # each appendix numbered from 1, its first page without the number (as the DOCX does)
    assert appendix_1 == ["", *(str(n) for n in range(2, len(appendix_1) + 1))]
    assert pages[second_appendix].top_margin_text == ""
    if second_appendix + 1 < len(pages):
        assert pages[second_appendix + 1].top_margin_text == "2"
    assert pages[second_appendix].width > pages[second_appendix].height


@pytest.mark.slow
def test_pdf_text_is_exact_vietnamese_without_console_output(long_pdf) -> None:  # type: ignore[no-untyped-def]
    _, pages = long_pdf
    first = pages[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Hà Tĩnh, ngày 14 tháng 3 năm 2022" in first
    assert f"{BODY} ghi nhận kết quả." in first
    every = "\n".join(p.text for p in pages)
    assert unicodedata.is_normalized("NFC", every)
    assert STDOUT not in every and CODE not in every
    assert "Nơi nhận:" in every and "GIÁM ĐỐC" in every


@pytest.mark.slow
def test_pdf_table_header_repeats_and_rows_stay_whole(long_pdf) -> None:  # type: ignore[no-untyped-def]
    _, pages = long_pdf
    first_appendix = _appendix_starts(pages)[0]
    with_rows = [p for p in pages[:first_appendix] if "Nhiệm vụ số" in p.text]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "TT Nhiệm vụ Tiến độ" in page.text
    numbers = [int(n) for p in with_rows for n in re.findall(r"Nhiệm vụ số (\d+):", p.text)]
    assert numbers == list(range(1, 61))


@pytest.mark.slow
def test_pdf_fonts_embedded_liberation_serif(long_pdf) -> None:  # type: ignore[no-untyped-def]
    reader, _ = long_pdf
    seen: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    assert seen == {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
    }


@pytest.mark.slow
def test_pdf_images_natural_width_capped_at_text_width(long_pdf) -> None:  # type: ignore[no-untyped-def]
    _, pages = long_pdf
    widths = sorted(w for p in pages for w in p.images)
    assert widths == pytest.approx([200 * 0.75, TEXT_WIDTH_PT], abs=1)


@pytest.mark.slow
def test_pdf_render_logs_no_css_or_resource_warnings(long_pdf, caplog_module) -> None:  # type: ignore[no-untyped-def]
    # Without libharfbuzz-subset WeasyPrint warns that it subsets with fontTools.
    messages = [r.getMessage() for r in caplog_module if "HarfBuzz-Subset" not in r.getMessage()]
    assert messages == []


@pytest.mark.slow
def test_pdf_refuses_network_resources(caplog: pytest.LogCaptureFixture) -> None:
    html = '<html><body><p>Ảnh</p><img src="https://example.invalid/x.png"></body></html>'
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert "Ảnh" in reader.pages[0].extract_text()
    assert "disallowed protocol" in caplog.text
