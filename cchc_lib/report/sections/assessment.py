"""III. Đánh giá chung: strengths, weaknesses and causes; at year end, the year's balance."""

from __future__ import annotations

from collections.abc import Callable

from cchc_lib.fmt import fmt_int
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Fragment, Heading
from cchc_lib.report.draft import (
    draft_causes,
    draft_strengths,
    draft_weaknesses,
    narrative_text,
    overdue_lines,
)
from cchc_lib.report.sections.common import body, item, paragraphs, targets_table, task_item


def _part(ctx: ReportContext, key: str, draft: Callable[[ReportContext], str]) -> list[Block]:
    """The analyst's text for ``key``, or a draft from the data (marked as generated)."""
    text = narrative_text(ctx.results, key)
    if text:
        return list(paragraphs(text))
    return list(paragraphs(draft(ctx), generated=True))


def _weaknesses(ctx: ReportContext) -> list[Block]:
    text = narrative_text(ctx.results, "ton_tai")
    if not text:
        return list(paragraphs(draft_weaknesses(ctx), generated=True))
    blocks: list[Block] = list(paragraphs(text))
    facts = overdue_lines(ctx)
    if facts:
        blocks.append(body("Các nhiệm vụ quá hạn, chưa hoàn thành (theo số liệu báo cáo):"))
        blocks += [item(f) for f in facts]
    return blocks


def _comparison(ctx: ReportContext) -> str:
    r = ctx.results
    prev_year = ctx.period.year - 1
    if ctx.previous_year is None and ctx.notes:
        return " ".join(ctx.notes)
    if ctx.previous_year is None:
        return (
            f"Không có số liệu năm {prev_year} trong thư mục dữ liệu nên báo cáo chưa so sánh "
            f"được kết quả năm {ctx.period.year} với năm {prev_year}."
        )
    p, c = ctx.previous_year.summary, r.summary
    return (
        f"Năm {ctx.period.year} hoàn thành {fmt_int(c.done)}/{fmt_int(c.total)} nhiệm vụ; "
        f"năm {prev_year} hoàn thành {fmt_int(p.done)}/{fmt_int(p.total)} nhiệm vụ. "
        "Số liệu thống kê hai năm được so sánh tại Phụ lục II."
    )


def _annual(ctx: ReportContext) -> list[Block]:
    r = ctx.results
    judged = [t for t in r.targets if t.met is not None]
    met = sum(1 for t in judged if t.met)
    unfinished = [
        task_item(ctx, s) for s in r.tasks if s.status != "done" and s.timeliness != "ongoing"
    ]
    blocks: list[Block] = [
        Heading(f"3. Đánh giá kết quả thực hiện Kế hoạch cả năm {ctx.period.year}", 2),
        Heading("a) Các chỉ tiêu của Kế hoạch", 3),
        body(
            f"Trong {fmt_int(len(r.targets))} chỉ tiêu đo lường được của Kế hoạch, "
            f"{fmt_int(len(judged))} chỉ tiêu có số liệu để đánh giá: đạt {fmt_int(met)}, "
            f"chưa đạt {fmt_int(len(judged) - met)}."
        ),
        targets_table(r.targets),
        Heading("b) Nhiệm vụ chưa hoàn thành trong năm", 3),
    ]
    if unfinished:
        blocks += [
            item(
                f"- {t['task']} ({t['lead']} chủ trì; thời hạn: {t['deadline']}; {t['state']}). "
                f"Lý do: {t['reason']}"
            )
            for t in unfinished
        ]
    else:
        blocks.append(
            body(
                "Tất cả nhiệm vụ của Kế hoạch đã hoàn thành hoặc đang được thực hiện thường "
                "xuyên theo kế hoạch."
            )
        )
    blocks += [Heading("c) So sánh với năm trước", 3), *paragraphs(_comparison(ctx))]
    return blocks


def assessment(ctx: ReportContext) -> Fragment:
    """III. Đánh giá chung."""
    blocks: list[Block] = [
        Heading("III. ĐÁNH GIÁ CHUNG", 1),
        Heading("1. Ưu điểm", 2),
        *_part(ctx, "uu_diem", draft_strengths),
        Heading("2. Tồn tại, hạn chế và nguyên nhân", 2),
        Heading("a) Tồn tại, hạn chế", 3),
        *_weaknesses(ctx),
        Heading("b) Nguyên nhân", 3),
        *_part(ctx, "nguyen_nhan", draft_causes),
    ]
    if ctx.is_annual:
        blocks += _annual(ctx)
    return Fragment(tuple(blocks))
