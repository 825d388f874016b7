"""The document's frame: the header block, title and opening; the signature and recipients."""

from __future__ import annotations

import re

from cchc_lib.fmt import fmt_date_header
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import DocHeader, DocumentInfo, Fragment, Paragraph, Signature
from cchc_lib.report.sections.common import doc_number
from cchc_lib.report.words import on


def _header_lines(ctx: ReportContext) -> tuple[str, ...]:
    """The left column of the header: the plan's own header when the report's agency is the
    plan's, else parent and agency (the parameters override the plan everywhere)."""
    meta = ctx.plan.meta
    lines = tuple(getattr(meta, "header_lines", ()) or ())
    overridden = (ctx.params.agency and ctx.params.agency != meta.agency) or (
        ctx.params.parent_agency and ctx.params.parent_agency != (meta.parent or "")
    )
    if lines and not overridden:
        return tuple(x.upper() for x in lines)
    return tuple(x.upper() for x in (ctx.parent, ctx.agency) if x)


def _issued_number(ctx: ReportContext, suffix: str) -> str:
    """The number the plan was issued under, when a completed task's result cites it: "Kế
    hoạch số 93/KH-SCT ngày 19/01/2022" of the plan's own date and kind; "" otherwise."""
    meta = ctx.plan.meta
    if not meta.date or not suffix:
        return ""
    cited = re.compile(
        rf"Kế hoạch số (\d+){re.escape(suffix)} ngày (\d{{1,2}})/(\d{{1,2}})/(\d{{4}})",
        re.IGNORECASE,
    )
    for s in ctx.results.tasks:
        if s.status != "done":
            continue
        for number, d, m, y in cited.findall(s.result):
            if (int(y), int(m), int(d)) == (meta.date.year, meta.date.month, meta.date.day):
                return number
    return ""


def plan_number(ctx: ReportContext) -> str:
    """ "Kế hoạch số 93/KH-SCT"; a number left blank in the signed plan is the one a
    completed task's result gives for it ("Đã ban hành Kế hoạch số 93/KH-SCT ngày
    19/01/2022", the plan's date), else "…/KH-SCT", to fill in by hand."""
    number = (ctx.plan.meta.number or "").strip()
    if number and not any(ch.isdigit() for ch in number.split("/")[0]):
        suffix = number[number.index("/") :] if "/" in number else ""
        number = (_issued_number(ctx, suffix) or "…") + number
    return f"Kế hoạch số {number}" if number else "Kế hoạch"


def plan_reference(ctx: ReportContext) -> str:
    """ "Kế hoạch số …/KH-SCT ngày 19/01/2022 của Sở Công Thương"."""
    meta = ctx.plan.meta
    ref = plan_number(ctx)
    if meta.date:
        ref += f" {on(meta.date)}"
    return f"{ref} của {meta.agency or ctx.agency}"


def opening(ctx: ReportContext) -> str:
    basis = tuple(getattr(ctx.plan.meta, "basis", ()) or ())
    cited = f"{basis[0]} và " if basis else ""
    p = ctx.period
    return (
        f"Thực hiện {cited}{plan_reference(ctx)} về cải cách hành chính (CCHC) năm "
        f"{ctx.plan.meta.year}, {ctx.agency} báo cáo kết quả thực hiện công tác CCHC {p.label} "
        f"(số liệu tính từ {on(p.start)} đến {on(p.end)}) như sau:"
    )


def header(ctx: ReportContext) -> Fragment:
    """The official header block, title, subject and opening paragraph."""
    d = ctx.report_date
    place = ctx.plan.meta.place or ""
    when = fmt_date_header(d) if d else f"ngày    tháng    năm {ctx.period.year}"
    place_date = f"{place}, {when}" if place else when[:1].upper() + when[1:]
    subject = f"Kết quả thực hiện công tác cải cách hành chính {ctx.period.label}"
    return Fragment(
        (
            DocumentInfo(
                title=f"Báo cáo {subject[:1].lower()}{subject[1:]}",
                draft=ctx.params.draft,
                docx_base=ctx.params.docx_base,
            ),
            DocHeader(_header_lines(ctx), f"Số: {doc_number(ctx)}", place_date, "BÁO CÁO", subject),
            Paragraph.of(opening(ctx)),
        )
    )


def _recipients(ctx: ReportContext) -> tuple[str, ...]:
    given = [x.strip().lstrip("-").strip() for x in ctx.params.recipients if x.strip()]
    if not given:
        given = [f"{ctx.parent};"] if ctx.parent else []
        given += ["Sở Nội vụ;"] if "Sở Nội vụ" not in " ".join(given) else []
    if not any(x.lower().startswith("lưu") for x in given):
        given.append("Lưu: VT.")
    return tuple(given)


def _signer_lines(ctx: ReportContext) -> tuple[str, ...]:
    p, meta = ctx.params, ctx.plan.meta
    if p.signer_title:
        lines: tuple[str, ...] = (p.signer_title, p.signer_position)
    else:
        lines = tuple(getattr(meta, "signer_lines", ()) or ()) or (
            meta.signer_title,
            meta.signer_position or "",
        )
    return tuple(t.upper() for t in lines if t)


def signature(ctx: ReportContext) -> Fragment:
    """Signature block (right) and recipients (left)."""
    name = ctx.params.signer_name or ctx.plan.meta.signer_name
    return Fragment((Signature(_recipients(ctx), _signer_lines(ctx), name),))
