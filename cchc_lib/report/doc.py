"""The report's document model: a small tree of blocks that every output is rendered from.

Each section of the report builds a :class:`Fragment` (a tuple of blocks). The notebook shows
it as HTML and stores the blocks as JSON beside the HTML, under :data:`MIME`; the HTML and PDF
come from the ``text/html`` outputs, the Word file from the JSON (:mod:`.docx`), so the words
and figures are written once, in the sections.

Blocks: :class:`Heading`, :class:`Paragraph` (runs with bold/italic), :class:`Table` (header
rows, column widths, alignment, merged cells), :class:`Figure`, :class:`DocHeader` (the header
block, title and subject), :class:`Signature` (recipients and signature side by side),
:class:`SectionBreak` (a new part of the document: orientation, page numbering) and
:class:`DocumentInfo` (settings the renderers need: title, draft marks, base .docx).

>>> frag = Fragment((Heading("I. CÔNG TÁC CHỈ ĐẠO", 1), Paragraph.of("Sở đã ban hành ", bold("Kế hoạch"), ".")))
>>> Fragment.from_json(frag.to_json()) == frag
True
>>> print(frag.html)
<h2>I. CÔNG TÁC CHỈ ĐẠO</h2>
<p>Sở đã ban hành <strong>Kế hoạch</strong>.</p>
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from html import escape
from typing import Any, ClassVar

__all__ = [
    "MIME",
    "Block",
    "Cell",
    "DocHeader",
    "DocumentInfo",
    "Figure",
    "Fragment",
    "Heading",
    "Paragraph",
    "Row",
    "Run",
    "SectionBreak",
    "Signature",
    "Table",
    "bold",
    "italic",
    "plain_text",
]

MIME = "application/vnd.cchc.doc+json"
"""The MIME type of a fragment's blocks in a notebook output."""

STYLES = ("body", "lead", "item", "note", "center", "caption", "plain")
"""Paragraph styles: body text (justified, first-line indent); a lead-in line that never ends
a page ("Các nhiệm vụ đang triển khai:"); a list item ("- …"); a small italic note; centred
text; a figure or table caption; text without indent."""


# --- inline ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False


def bold(text: str) -> Run:
    return Run(text, bold=True)


def italic(text: str) -> Run:
    return Run(text, italic=True)


def _runs(parts: Iterable[str | Run]) -> tuple[Run, ...]:
    out = [p if isinstance(p, Run) else Run(str(p)) for p in parts]
    return tuple(r for r in out if r.text)


def runs_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def _runs_html(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        text = escape(r.text, quote=False).replace("\n", "<br>")
        if r.italic:
            text = f"<em>{text}</em>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


# --- blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 "I. …" (capitals, bold), 2 "1. …" (bold), 3 "a) …" (bold italic)."""

    text: str
    level: int = 1
    kind: ClassVar[str] = "heading"

    def html(self) -> str:
        tag = f"h{self.level + 1}"
        return f"<{tag}>{escape(self.text, quote=False)}</{tag}>"

    def text_content(self) -> str:
        return self.text


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs; ``generated`` marks a passage written by the software (the
    analyst checks it; it is highlighted while the report is a draft)."""

    runs: tuple[Run, ...]
    style: str = "body"
    generated: bool = False
    kind: ClassVar[str] = "paragraph"

    @classmethod
    def of(cls, *parts: str | Run, style: str = "body", generated: bool = False) -> Paragraph:
        return cls(_runs(parts), style, generated)

    def html(self) -> str:
        classes = [] if self.style == "body" else [self.style]
        if self.generated:
            classes.append("generated")
        attr = f' class="{" ".join(classes)}"' if classes else ""
        return f"<p{attr}>{_runs_html(self.runs)}</p>"

    def text_content(self) -> str:
        return runs_text(self.runs)


@dataclass(frozen=True)
class Cell:
    runs: tuple[Run, ...]
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # "left" | "center" | "right"

    @classmethod
    def of(cls, *parts: str | Run, colspan: int = 1, rowspan: int = 1, align: str = "left") -> Cell:
        return cls(_runs(parts), colspan, rowspan, align)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: str = "body"  # "body" | "group" (an area row, bold) | "total" (bold)


@dataclass(frozen=True)
class Table:
    """A table: header rows repeat on every page, rows never split across pages.

    ``widths`` are the columns' shares of the text width (they sum to 1); ``name`` is the
    table's kind for the stylesheet ("targets", "stats", "appendix-tasks", …).
    """

    widths: tuple[float, ...]
    header: tuple[Row, ...]
    body: tuple[Row, ...]
    name: str = ""
    font_size: float = 12.0
    kind: ClassVar[str] = "table"

    def html(self) -> str:
        cls = f' class="{self.name}"' if self.name else ""
        cols = "".join(f'<col style="width:{100 * w:.2f}%">' for w in self.widths)
        head = "".join(_row_html(r, "th") for r in self.header)
        body = "".join(_row_html(r, "td") for r in self.body)
        return (
            f"<table{cls}><colgroup>{cols}</colgroup><thead>{head}</thead>"
            f"<tbody>{body}</tbody></table>"
        )

    def text_content(self) -> str:
        return " ".join(
            runs_text(c.runs) for r in (*self.header, *self.body) for c in r.cells if c.runs
        )


def _row_html(row: Row, tag: str) -> str:
    cls = f' class="{row.kind}"' if row.kind != "body" else ""
    cells = []
    for c in row.cells:
        attrs = ""
        if c.colspan > 1:
            attrs += f' colspan="{c.colspan}"'
        if c.rowspan > 1:
            attrs += f' rowspan="{c.rowspan}"'
        if c.align != "left" and tag == "td":
            attrs += ' class="num"' if c.align == "right" else ' class="center"'
        cells.append(f"<{tag}{attrs}>{_runs_html(c.runs)}</{tag}>")
    return f"<tr{cls}>{''.join(cells)}</tr>"


@dataclass(frozen=True)
class Figure:
    """A chart: SVG for HTML and PDF, PNG (≥ 200 dpi) for Word, which cannot embed SVG."""

    svg: str
    png: bytes
    caption: str
    width_mm: float = 160.0
    kind: ClassVar[str] = "figure"

    def html(self) -> str:
        uri = "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")
        caption = escape(self.caption, quote=False)
        return (
            f'<div class="chart" style="max-width:{self.width_mm:g}mm"><img src="{uri}" '
            f'alt="{escape(self.caption)}"><p class="chart-caption">{caption}</p></div>'
        )

    def text_content(self) -> str:
        return self.caption


@dataclass(frozen=True)
class DocHeader:
    """The header block (agency left, national motto right), "BÁO CÁO" and the subject."""

    left: tuple[str, ...]  # header lines of the agency, the last one is the agency itself
    number: str  # "Số: …/BC-SCT"
    place_date: str
    title: str
    subject: str
    kind: ClassVar[str] = "header"
    MOTTO: ClassVar[tuple[str, str]] = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    )

    def html(self) -> str:
        e = lambda s: escape(s, quote=False)  # noqa: E731
        lines = [f'<p class="agency-parent">{e(x)}</p>' for x in self.left[:-1]]
        lines.append(f'<p class="agency">{e(self.left[-1])}</p>' if self.left else "")
        lines.append(f'<p class="doc-number">{e(self.number)}</p>')
        return (
            '<table class="doc-header"><tr><td>' + "".join(lines) + "</td><td>"
            f'<p class="motto-1">{e(self.MOTTO[0])}</p><p class="motto-2">{e(self.MOTTO[1])}</p>'
            f'<p class="place-date">{e(self.place_date)}</p></td></tr></table>'
            f'<p class="doc-title">{e(self.title)}</p><p class="doc-subject">{e(self.subject)}</p>'
        )

    def text_content(self) -> str:
        return " ".join(
            (*self.left, self.number, *self.MOTTO, self.place_date, self.title, self.subject)
        )


@dataclass(frozen=True)
class Signature:
    """ "Nơi nhận" (left) and the signature (right): title lines, room to sign, the name."""

    recipients: tuple[str, ...]
    title_lines: tuple[str, ...]
    name: str
    kind: ClassVar[str] = "signature"

    def html(self) -> str:
        e = lambda s: escape(s, quote=False)  # noqa: E731
        items = "".join(f"<li>- {e(r)}</li>" for r in self.recipients)
        titles = "".join(f'<p class="signer-title">{e(t)}</p>' for t in self.title_lines)
        return (
            '<table class="signature"><tr><td class="recipients">'
            f'<p class="recipients-label">Nơi nhận:</p><ul>{items}</ul></td>'
            f'<td class="signer">{titles}<p class="signer-space">&#160;</p>'
            f'<p class="signer-name">{e(self.name)}</p></td></tr></table>'
        )

    def text_content(self) -> str:
        return " ".join(
            ("Nơi nhận:", *(f"- {r}" for r in self.recipients), *self.title_lines, self.name)
        )


@dataclass(frozen=True)
class SectionBreak:
    """A new part of the document on a new page (an appendix): its orientation and whether
    its pages are numbered from 1 (with no number on its first page)."""

    orientation: str = "portrait"  # "portrait" | "landscape"
    restart_numbering: bool = True
    kind: ClassVar[str] = "section"

    def html(self) -> str:  # the HTML renderer opens a <section> instead
        return ""

    def text_content(self) -> str:
        return ""


@dataclass(frozen=True)
class DocumentInfo:
    """Settings of the whole document, carried by the first fragment: the title, whether it is
    a draft (a "DỰ THẢO" mark on every page, generated passages highlighted), the base .docx."""

    title: str
    draft: bool = True
    docx_base: str = ""
    kind: ClassVar[str] = "info"

    def html(self) -> str:
        if not self.draft:
            return ""
        return (
            "<style>@page { @top-right { content: 'DỰ THẢO'; font-weight: bold; "
            "font-size: 13pt; } } p.generated { background: #fff2cc; } "
            "@media screen { .draft-mark { display: block; text-align: right; "
            "font-weight: bold; } }</style>"
            '<p class="draft-mark">DỰ THẢO</p>'
        )

    def text_content(self) -> str:
        return ""


Block = Heading | Paragraph | Table | Figure | DocHeader | Signature | SectionBreak | DocumentInfo
_KINDS: dict[str, type] = {
    cls.kind: cls
    for cls in (Heading, Paragraph, Table, Figure, DocHeader, Signature, SectionBreak, DocumentInfo)
}


# --- JSON -----------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Run):
        return [value.text, value.bold, value.italic]
    if isinstance(value, Cell | Row):
        return {f.name: _to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    return value


def block_to_json(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"type": block.kind}
    for f in fields(block):
        out[f.name] = _to_json(getattr(block, f.name))
    return out


def _runs_from(data: list) -> tuple[Run, ...]:
    return tuple(Run(t, bool(b), bool(i)) for t, b, i in data)


def _cell_from(data: dict) -> Cell:
    return Cell(_runs_from(data["runs"]), data["colspan"], data["rowspan"], data["align"])


def _row_from(data: dict) -> Row:
    return Row(tuple(_cell_from(c) for c in data["cells"]), data["kind"])


def block_from_json(data: dict[str, Any]) -> Block:
    """A block from its JSON form; ``ValueError`` for anything else."""
    cls = _KINDS.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown block type {data.get('type')!r}")
    values = {k: v for k, v in data.items() if k != "type"}
    if cls is Paragraph:
        values["runs"] = _runs_from(values["runs"])
    elif cls is Table:
        values["widths"] = tuple(values["widths"])
        values["header"] = tuple(_row_from(r) for r in values["header"])
        values["body"] = tuple(_row_from(r) for r in values["body"])
    elif cls is Figure:
        values["png"] = base64.b64decode(values["png"]["base64"])
    elif cls in (DocHeader, Signature):
        for k, v in values.items():
            if isinstance(v, list):
                values[k] = tuple(v)
    return cls(**values)


# --- fragments ------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """One section of the report as blocks; Jupyter shows it as HTML and keeps the blocks."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def __add__(self, other: Fragment) -> Fragment:
        return Fragment(self.blocks + other.blocks)

    @property
    def html(self) -> str:
        return render_html(self.blocks)

    def __str__(self) -> str:
        return self.html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Fragment: {len(self.blocks)} khối>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": repr(self), "text/html": self.html, MIME: self.to_json()}

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "blocks": [block_to_json(b) for b in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fragment:
        return cls(tuple(block_from_json(b) for b in data.get("blocks", ())))

    def text(self) -> str:
        """The words of the fragment, one line per block (for tests and comparisons)."""
        return plain_text(self.blocks)


def render_html(blocks: Sequence[Block]) -> str:
    """Blocks as HTML; a :class:`SectionBreak` opens a ``<section>`` holding what follows."""
    out: list[str] = []
    open_section = False
    for b in blocks:
        if isinstance(b, SectionBreak):
            if open_section:
                out.append("</section>")
            cls = "appendix landscape" if b.orientation == "landscape" else "appendix"
            out.append(f'<section class="{cls}">')
            open_section = True
            continue
        out.append(b.html())
    if open_section:
        out.append("</section>")
    return "\n".join(x for x in out if x)


def plain_text(blocks: Iterable[Block]) -> str:
    return "\n".join(t for b in blocks if (t := b.text_content()))
