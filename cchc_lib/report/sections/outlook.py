"""IV. Nhiệm vụ kỳ tới (the annual report: phương hướng năm sau) and V. Đề xuất, kiến nghị."""

from __future__ import annotations

from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Fragment, Heading, Paragraph
from cchc_lib.report.draft import draft_next, draft_proposals, narrative_text
from cchc_lib.report.sections.common import paragraphs


def next_period(ctx: ReportContext) -> Fragment:
    """IV. Nhiệm vụ, giải pháp trọng tâm kỳ tới; in the annual report, next year."""
    if ctx.is_annual:
        title = f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {ctx.period.year + 1}"
    else:
        title = f"IV. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM {ctx.period.next.label.upper()}"
    text = narrative_text(ctx.results, "nhiem_vu_ky_toi")
    blocks: list[Block] = [Heading(title, 1)]
    blocks += paragraphs(text) if text else paragraphs(draft_next(ctx), generated=True)
    return Fragment(tuple(blocks))


def proposals(ctx: ReportContext) -> Fragment:
    """V. Đề xuất, kiến nghị, and the closing sentence of the body."""
    text = narrative_text(ctx.results, "de_xuat")
    blocks: list[Block] = [Heading("V. ĐỀ XUẤT, KIẾN NGHỊ", 1)]
    blocks += paragraphs(text) if text else paragraphs(draft_proposals(ctx), generated=True)
    closing = (
        f"Trên đây là báo cáo kết quả thực hiện công tác CCHC {ctx.period.label} của "
        f"{ctx.agency}./."
    )
    blocks.append(Paragraph.of(closing, style="closing"))  # kept with the signature
    return Fragment(tuple(blocks))
