"""An executed report notebook as one list of blocks: the source of the Word file.

Each report section's output carries its blocks under :data:`~cchc_lib.report.doc.MIME`;
a markdown cell the analyst adds in JupyterLab becomes blocks too (headings, paragraphs with
bold and italic, list items), through the same conversion the HTML uses, so HTML, PDF and
DOCX show the same words. Cells tagged ``remove`` are left out, as in the HTML.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Một đoạn **đậm**.")])
>>> [b.text_content() for b in notebook_blocks(nb)]
['Một đoạn đậm.']
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from cchc_lib.report.doc import (
    MIME,
    Block,
    Figure,
    Fragment,
    Heading,
    Paragraph,
    Run,
    render_html,
)

__all__ = [
    "CHECKS_MIME",
    "REMOVE_TAG",
    "Checks",
    "markdown_blocks",
    "markdown_html",
    "notebook_blocks",
    "notebook_checks",
]

REMOVE_TAG = "remove"
CHECKS_MIME = "application/vnd.cchc.checks+json"


class Checks:
    """What the analyst should check before signing (Vietnamese lines). JupyterLab shows them
    as text; the HTML, PDF and Word files never do; ``cchc run`` lists them in its summary.

    >>> print(Checks(["Cảnh báo: …"])._repr_mimebundle_()["text/plain"])
    Cần kiểm tra trước khi ký (1):
      - Cảnh báo: …
    >>> Checks([])._repr_mimebundle_()["text/plain"]
    'Không có điểm nào cần kiểm tra thêm.'
    """

    def __init__(self, items: Iterable[str]) -> None:
        self.items = tuple(items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __repr__(self) -> str:
        if not self.items:
            return "Không có điểm nào cần kiểm tra thêm."
        lines = "\n".join(f"  - {line}" for line in self.items)
        return f"Cần kiểm tra trước khi ký ({len(self.items)}):\n{lines}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": repr(self), CHECKS_MIME: {"version": 1, "items": list(self.items)}}


def notebook_checks(nb: Any) -> list[str]:
    """The lines of every :class:`Checks` output of an executed notebook, in order."""
    out: list[str] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            data = output.get("data", {}).get(CHECKS_MIME)
            if isinstance(data, dict):
                out += [str(x) for x in data.get("items", [])]
    return out


@lru_cache(maxsize=1)
def _parser() -> Any:
    import mistune

    return mistune.create_markdown(renderer="ast")


def _inline(nodes: list[dict[str, Any]], bold: bool = False, italic: bool = False) -> list[Run]:
    out: list[Run] = []
    for node in nodes:
        kind = node.get("type")
        if kind in ("text", "codespan", "inline_html"):
            out.append(Run(node.get("raw", ""), bold, italic))
        elif kind == "strong":
            out += _inline(node.get("children", []), True, italic)
        elif kind == "emphasis":
            out += _inline(node.get("children", []), bold, True)
        elif kind == "softbreak":
            out.append(Run(" ", bold, italic))
        elif kind == "linebreak":
            out.append(Run("\n", bold, italic))
        elif "children" in node:  # link, image alt text, …
            out += _inline(node["children"], bold, italic)
    return [r for r in out if r.text]


def _text(nodes: list[dict[str, Any]]) -> str:
    return "".join(r.text for r in _inline(nodes))


def _blocks(nodes: list[dict[str, Any]], prefix: str = "") -> Iterator[Block]:
    for node in nodes:
        kind = node.get("type")
        children = node.get("children", [])
        if kind == "heading":
            level = int(node.get("attrs", {}).get("level", 1))
            yield Heading(_text(children), min(3, max(1, level)))
        elif kind in ("paragraph", "block_text"):
            runs = _inline(children)
            if prefix:
                yield Paragraph((Run(prefix), *runs), style="item")
            elif runs:
                yield Paragraph(tuple(runs))
        elif kind == "list":
            ordered = node.get("attrs", {}).get("ordered", False)
            for i, item in enumerate(children, start=1):
                yield from _blocks(item.get("children", []), f"{i}. " if ordered else "- ")
        elif kind == "block_quote":
            for b in _blocks(children):
                if isinstance(b, Paragraph):
                    yield Paragraph(b.runs, style="note")
        elif kind == "block_code":
            yield Paragraph((Run(node.get("raw", "").rstrip("\n")),), style="plain")


def markdown_blocks(source: str) -> tuple[Block, ...]:
    """A markdown cell's text as blocks."""
    return tuple(_blocks(_parser()(source)))


def markdown_html(source: str) -> str:
    """A markdown cell as the report's HTML (the same blocks the Word file gets)."""
    return render_html(markdown_blocks(source))


def _output_blocks(output: dict[str, Any]) -> tuple[Block, ...]:
    data = output.get("data", {})
    if MIME in data:
        return Fragment.from_json(data[MIME]).blocks
    if "text/markdown" in data:
        return markdown_blocks(data["text/markdown"])
    if "image/png" in data:
        png = base64.b64decode(data["image/png"])
        return (Figure(svg="", png=png, caption=""),)
    return ()


def notebook_blocks(nb: Any) -> list[Block]:
    """Every block of the executed notebook, in order."""
    out: list[Block] = []
    for cell in nb.cells:
        if REMOVE_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            out += markdown_blocks(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") in ("display_data", "execute_result"):
                    out += _output_blocks(output)
    return out
