"""The document's frame: the header block with title and opening, and the signature."""

from __future__ import annotations

from cchc_lib.fmt import fmt_date_header, fmt_date_prose
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import DocHeader, DocumentInfo, Fragment, Paragraph, Signature
from cchc_lib.report.sections.common import doc_number


def header(ctx: ReportContext) -> Fragment:
    """The official header block, title, subject, data window and opening paragraph."""
    meta = ctx.plan.meta
    d = ctx.report_date
    place = meta.place or ""
    place_date = (
        f"{place}, {fmt_date_header(d)}"
        if d
        else f"{place}, ngày    tháng    năm {ctx.period.year}"
    )
    plan_no = meta.number if any(ch.isdigit() for ch in meta.number or "") else ""
    plan_ref = f"Kế hoạch số {plan_no}" if plan_no else "Kế hoạch"
    plan_date = f" {fmt_date_prose(meta.date)}" if meta.date else ""
    intro = (
        f"Thực hiện {plan_ref}{plan_date} của {ctx.plan.meta.agency or ctx.agency} về cải cách "
        f"hành chính năm {meta.year}, {ctx.agency} báo cáo kết quả thực hiện công tác cải cách "
        f"hành chính {ctx.period.label} như sau:"
    )
    left = tuple(x.upper() for x in (ctx.parent, ctx.agency) if x)
    subject = f"Kết quả thực hiện công tác cải cách hành chính {ctx.period.label}"
    return Fragment(
        (
            DocumentInfo(
                title=f"Báo cáo {subject[:1].lower()}{subject[1:]}",
                draft=ctx.params.draft,
                docx_base=ctx.params.docx_base,
            ),
            DocHeader(left, f"Số: {doc_number(ctx)}", place_date, "BÁO CÁO", subject),
            Paragraph.of(ctx.period.rule_label + ".", style="center"),
            Paragraph.of(intro),
        )
    )


def signature(ctx: ReportContext) -> Fragment:
    """Signature block (right) and recipients (left)."""
    p = ctx.params
    meta = ctx.plan.meta
    recipients = [x.strip().lstrip("-").strip() for x in p.recipients if x.strip()]
    if not any(x.lower().startswith("lưu") for x in recipients):
        recipients.append("Lưu: VT.")
    if p.signer_title:
        lines = (p.signer_title, p.signer_position)
    else:
        lines = (meta.signer_title, meta.signer_position or "")
    titles = tuple(t.upper() for t in lines if t)
    return Fragment((Signature(tuple(recipients), titles, p.signer_name or meta.signer_name),))
