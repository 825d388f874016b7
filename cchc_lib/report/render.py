"""Executed report notebook -> one self-contained HTML document -> PDF.

The HTML comes from nbconvert with our ``cchc`` template (outputs only: no code,
prompts, streams or tracebacks); the PDF is that same HTML printed by WeasyPrint
with the bundled Liberation Serif fonts, so every machine embeds the same
Vietnamese-complete serif.

>>> pdf = export_notebook(nb, ["pdf"], title="Báo cáo quý I")["pdf"]  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import functools
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters import Exporter
from traitlets import default
from traitlets.config import Config

from cchc_lib.errors import ReportRunError
from cchc_lib.report.formats import FORMATS
from cchc_lib.report.notebook import REMOVE_TAG, markdown_html, notebook_blocks

if TYPE_CHECKING:  # WeasyPrint is imported on first PDF (HTML-only runs skip its start-up)
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

__all__ = [
    "FORMATS",
    "CchcHTMLExporter",
    "DocxExporter",
    "export_notebook",
    "html_to_pdf",
    "notebook_to_docx",
    "notebook_to_html",
]


_PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = _PACKAGE_DIR / "templates"
FONTS_DIR = _PACKAGE_DIR / "fonts"
TEMPLATE_NAME = "cchc"

# (file, font-weight, font-style) of the bundled family.
_FONT_FAMILY = "Liberation Serif"
_FONT_FACES = (
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
)


class CchcHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter with the cchc template: outputs only, markdown cells through
    the report's own blocks (the same words the Word file gets). ``--to cchc_html``."""

    export_from_notebook = "cchc_html"

    def __init__(self, config: Config | None = None, **kw: Any) -> None:
        c = Config(config or {})
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
        kw.setdefault("template_name", TEMPLATE_NAME)
        kw.setdefault("extra_template_basedirs", [str(TEMPLATES_DIR)])
        for flag in ("exclude_input", "exclude_input_prompt", "exclude_output_prompt"):
            kw.setdefault(flag, True)
        kw.setdefault("exclude_anchor_links", True)
        kw.setdefault("embed_images", True)
        super().__init__(config=c, **kw)
        self.register_filter("cchc_markdown", markdown_html)


@functools.cache
def _exporter() -> HTMLExporter:
    return CchcHTMLExporter()


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str = "") -> str:
    """Render an executed notebook's outputs as one self-contained HTML page.

    Keeps markdown cells and text/html, text/markdown, SVG, PNG and JPEG outputs
    (images as data URIs); drops code, prompts, stdout/stderr, errors, plain-text
    reprs and cells tagged ``remove``. ``title`` becomes the HTML/PDF title.
    """
    body, _ = _exporter().from_notebook_node(nb, resources={"cchc_title": title})
    return body


def _font_face_css() -> str:
    rules = []
    for file, weight, style in _FONT_FACES:
        url = (FONTS_DIR / file).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{_FONT_FAMILY}"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules) + "\n"


def _url_fetcher(protocols: set[str]) -> Any:
    # WeasyPrint >= 68 has URLFetcher(allowed_protocols=...); older ones keep
    # their default fetcher (our HTML only holds data: URIs anyway).
    try:
        from weasyprint import URLFetcher
    except ImportError:  # pragma: no cover - depends on the installed WeasyPrint
        return None
    return URLFetcher(allowed_protocols=protocols)


def _release_fonts(font_config: Any) -> None:
    """Remove the font configuration's temporary folder while the interpreter still runs.

    WeasyPrint does it in ``__del__``, which at interpreter exit finds ``rmtree`` already
    torn down and prints an ignored exception.
    """
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


@functools.cache
def _pdf_setup() -> tuple[FontConfiguration, CSS, Any]:
    """Font configuration, @font-face sheet and URL fetcher, built once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    atexit.register(_release_fonts, font_config)
    font_css = CSS(
        string=_font_face_css(),
        font_config=font_config,
        url_fetcher=_url_fetcher({"file"}),
    )
    return font_config, font_css, _url_fetcher({"data"})


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` (from :func:`notebook_to_html`) to PDF bytes with WeasyPrint.

    Adds ``@font-face`` rules for the bundled fonts; only ``data:`` URIs are
    fetched from the document itself, never the network.
    """
    from weasyprint import HTML

    font_config, font_css, fetcher = _pdf_setup()
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[font_css],
        font_config=font_config,
        presentational_hints=True,
    )


def export_notebook(
    nb: nbformat.NotebookNode,
    formats: Iterable[str],
    *,
    title: str = "",
    timings: dict[str, float] | None = None,
) -> dict[str, bytes]:
    """Render ``nb`` to each of ``formats`` ("html", "pdf"); HTML is UTF-8 bytes.

    The PDF is printed from the very HTML returned under "html". ``timings`` (if given)
    receives the seconds of each step as ``export_<format>``, in the order they ran.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ReportRunError(
            f"Định dạng xuất không hỗ trợ: {', '.join(map(repr, unknown))}. "
            f"Chỉ dùng: {', '.join(FORMATS)}."
        )
    steps = timings if timings is not None else {}
    out: dict[str, bytes] = {}
    if not wanted:
        return out
    if "html" in wanted or "pdf" in wanted:
        tick = time.perf_counter()
        steps["export_html"] = 0.0
        html = notebook_to_html(nb, title=title)
        steps["export_html"] = time.perf_counter() - tick
        if "html" in wanted:
            out["html"] = html.encode("utf-8")
        if "pdf" in wanted:
            tick = time.perf_counter()
            steps["export_pdf"] = 0.0
            out["pdf"] = html_to_pdf(html)
            steps["export_pdf"] = time.perf_counter() - tick
    if "docx" in wanted:
        tick = time.perf_counter()
        steps["export_docx"] = 0.0
        out["docx"] = notebook_to_docx(nb, title=title)
        steps["export_docx"] = time.perf_counter() - tick
    return out


def notebook_to_docx(nb: nbformat.NotebookNode, *, title: str = "") -> bytes:
    """The executed notebook's blocks as a Word document (base and draft marks as the report's
    :class:`~cchc_lib.report.doc.DocumentInfo` says)."""
    from cchc_lib.report.doc import DocumentInfo
    from cchc_lib.report.docx import load_base, render_docx

    blocks = notebook_blocks(nb)
    info = next((b for b in blocks if isinstance(b, DocumentInfo)), None)
    base = load_base(info.docx_base) if info is not None and info.docx_base else None
    if info is None and title:
        blocks.insert(0, DocumentInfo(title=title, draft=False))
    return render_docx(blocks, base=base, draft=bool(info and info.draft))


class DocxExporter(Exporter):
    """An executed report notebook to .docx: ``jupyter nbconvert --to cchc_docx report.ipynb``."""

    export_from_notebook = "cchc_docx"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    def from_notebook_node(  # type: ignore[override]  # the output is bytes, not a notebook
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        name = (resources or {}).get("metadata", {}).get("name", "")
        return notebook_to_docx(nb_copy, title=name), resources
