"""IV. Nhiệm vụ kỳ tới and V. Đề xuất, kiến nghị."""

from __future__ import annotations

from cchc_lib.indicators import tasks_due
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Fragment, Heading
from cchc_lib.report.draft import narrative_text
from cchc_lib.report.sections.common import body, item, lead, paragraphs, task_item


def next_period(ctx: ReportContext) -> Fragment:
    """IV. Nhiệm vụ, giải pháp trọng tâm kỳ tới."""
    r = ctx.results
    nxt = ctx.period.next
    states = {s.task_id: s for s in r.tasks}
    due = []
    if nxt.year == ctx.plan.meta.year:
        due = [
            task_item(ctx, states[t.id])
            for t in tasks_due(ctx.plan, nxt)
            if states[t.id].status not in ("done", "stopped") and not t.deadline.ongoing
        ]
    due_ids = {t["id"] for t in due}
    overdue = [
        task_item(ctx, s) for s in r.tasks if s.timeliness == "overdue" and s.task_id not in due_ids
    ]
    analyst = narrative_text(r, "nhiem_vu_ky_toi")
    blocks: list[Block] = [Heading("IV. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM KỲ TỚI", 1)]
    blocks += paragraphs(analyst)
    if due:
        blocks.append(lead(f"Các nhiệm vụ đến hạn trong {nxt.label}:"))
        blocks += [
            item(f"- {t['task']} ({t['lead']} chủ trì; thời hạn: {t['deadline']}).") for t in due
        ]
    if overdue:
        blocks.append(lead("Các nhiệm vụ đã quá hạn cần tập trung hoàn thành:"))
        blocks += [
            item(f"- {t['task']} ({t['lead']} chủ trì; thời hạn: {t['deadline']}; {t['state']}).")
            for t in overdue
        ]
    if r.summary.ongoing:
        blocks.append(
            body(
                f"Tiếp tục duy trì {r.summary.ongoing} nhiệm vụ thực hiện thường xuyên theo Kế hoạch."
            )
        )
    if not (analyst or due or overdue or r.summary.ongoing):
        blocks.append(body(f"Không có nhiệm vụ đến hạn trong {nxt.label}."))
    return Fragment(tuple(blocks))


def proposals(ctx: ReportContext) -> Fragment:
    """V. Đề xuất, kiến nghị, and the closing sentence of the body."""
    text = narrative_text(ctx.results, "de_xuat")
    blocks: list[Block] = [Heading("V. ĐỀ XUẤT, KIẾN NGHỊ", 1)]
    if text:
        blocks += paragraphs(text)
    else:
        blocks.append(body(f"Trong kỳ báo cáo, {ctx.agency} không có đề xuất, kiến nghị."))
    blocks.append(
        body(
            f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính "
            f"{ctx.period.label} của {ctx.agency}./."
        )
    )
    return Fragment(tuple(blocks))
