"""What the body says about a group of tasks and figures (an area, section I).

The body does not repeat Phụ lục I: it names the tasks completed in the period with their
results, the overdue ones and those due before the end of the period's last month, and sums
up the rest; recurring tasks in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cchc_lib.fmt import fmt_number, fmt_pct, shown_difference
from cchc_lib.indicators import TargetResult, TaskState, period_values
from cchc_lib.indicators.tasks import month_end
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Paragraph
from cchc_lib.report.sections.common import (
    body,
    deadline_words,
    done_item,
    lead,
    name_of,
    open_item,
)
from cchc_lib.report.words import (
    capitalize,
    count,
    first_sentence,
    join_items,
    lower_first,
    on,
    plan_value,
    report_config,
    result_text,
    self_name,
)
from cchc_lib.text import fold


def in_period(ctx: ReportContext) -> str:
    """ "Trong quý I năm 2022", "Trong 6 tháng đầu năm 2022", "Trong năm 2022"."""
    return f"Trong {ctx.period.label}"


def _recurring(ctx: ReportContext, states: Sequence[TaskState]) -> list[Block]:
    recurring = [s for s in states if s.kind == "recurring"]
    if not recurring:
        return []
    idle = [s for s in recurring if s.status == "not_started" or not s.source_month]
    results = _distinct([result_text(s.result) for s in recurring if s not in idle])
    n = len(recurring) - len(idle)
    if results:
        said = "; ".join(lower_first(r) for r in results[:4])
        text = f"Các nhiệm vụ thường xuyên được triển khai theo kế hoạch: {said}"
    elif n and len(recurring) <= 2 and sum(len(name_of(ctx, s)) for s in recurring) <= 160:
        names = join_items([lower_first(name_of(ctx, s)) for s in recurring if s not in idle])
        text = f"Các nhiệm vụ thường xuyên ({names}) được triển khai theo kế hoạch"
    elif n:
        text = f"{count(n)} nhiệm vụ thường xuyên được triển khai theo kế hoạch"
    else:
        text = ""
    if idle:
        names = join_items([f"“{name_of(ctx, s)}”" for s in idle])
        text += ("; riêng " if text else "") + f"nhiệm vụ {names} chưa triển khai"
    return [body(capitalize(text) + ".")]


# what says nothing a reader wants to know ("Thực hiện theo kế hoạch, không phát sinh …")
_FILLER = re.compile(
    r"(?:thuc hien|trien khai)(?: thuong xuyen)? theo (?:ke hoach|ke hoach de ra|quy dinh)"
    r"(?:[,;] khong phat sinh vuong mac)?$|khong phat sinh vuong mac$|dang thuc hien$"
)


def _distinct(results: Sequence[str]) -> list[str]:
    """The units' results, each once (two units often write the same sentence), without
    those that say nothing."""
    out: list[str] = []
    seen: set[str] = set()
    for r in results:
        text = first_sentence(r, 160) if r else ""
        key = fold(text).strip(" .;")
        if key and key not in seen and not _FILLER.match(key):
            seen.add(key)
            out.append(text)
    return out


def task_blocks(ctx: ReportContext, states: Sequence[TaskState]) -> list[Block]:
    """Completed, overdue and due-soon tasks by name; the rest summed up; recurring work."""
    done = [s for s in states if s.status == "done" and s.completed_in_period]
    overdue = [s for s in states if s.timeliness == "overdue"]
    soon = [s for s in states if s.due == "due_soon" and s.status not in ("done", "stopped")]
    later = [
        s
        for s in states
        if s.kind == "timed" and s.due == "later" and s.status not in ("done", "stopped")
    ]
    blocks: list[Block] = []
    if done:
        blocks.append(lead(f"Đã hoàn thành {count(len(done))} nhiệm vụ:"))
        blocks += [done_item(ctx, s) for s in done]
    if overdue:
        blocks.append(lead("Nhiệm vụ đã quá hạn nhưng chưa hoàn thành:"))
        blocks += [open_item(ctx, s) for s in overdue]
    if soon:
        blocks.append(lead(f"Nhiệm vụ đến hạn trước {on(month_end(ctx.period))}:"))
        blocks += [open_item(ctx, s, why=False) for s in soon]
    if later:
        waiting = [s for s in later if s.status == "not_started" or not s.source_month]
        moving = len(later) - len(waiting)
        parts = []
        if moving:
            parts.append(f"{count(moving)} nhiệm vụ đang được triển khai")
        if waiting:
            names = join_items(
                [f"“{name_of(ctx, s)}” (thời hạn: {deadline_words(ctx, s)})" for s in waiting]
            )
            parts.append(f"nhiệm vụ {names} chưa triển khai")
        others = "khác " if blocks else ""
        blocks.append(
            body(
                f"Các nhiệm vụ có thời hạn {others}chưa đến hạn: {'; '.join(parts)} "
                "(chi tiết tại Phụ lục I)."
            )
        )
    blocks += _recurring(ctx, states)
    return blocks


# --- figures in a sentence ----------------------------------------------------------


def _plan_clause(ctx: ReportContext, t: TargetResult | None, unit: str) -> str:
    """ "kế hoạch: ít nhất 02 phòng, đơn vị, dự kiến quý III" for a figure with a target."""
    if t is None:
        return ""
    level = plan_value(t)
    level = lower_first(level) + (f" {unit}" if unit and t.unit == "count" else "")
    when = ""
    row = [ctx.results.task(i) for i in _row_tasks(ctx, t)]
    pending = [s for s in row if s.status != "done" and s.kind == "timed"]
    if pending and not ctx.period.is_year_end:
        when = f", dự kiến {deadline_words(ctx, pending[0])}"
    if t.met is True:  # a yearly level reached before the year ends is reached
        return f"kế hoạch: {level}, đạt"
    if t.met is False:
        return f"kế hoạch: {level}, chưa đạt"
    return f"kế hoạch: {level}{when}"


def _row_tasks(ctx: ReportContext, t: TargetResult) -> list[str]:
    target = next((x for x in ctx.plan.targets if x.id == t.target_id), None)
    if target is None or target.area is None:
        return []
    return [
        x.id
        for x in ctx.plan.tasks
        if x.area == target.area and x.subarea == target.subarea and x.row == target.row
    ]


def figures_sentence(ctx: ReportContext, codes: Sequence[str]) -> Paragraph | None:
    """The area's figures in one sentence, with the plan's level where a target names it."""
    from cchc_lib.catalog import plan_catalog

    phrases = report_config().get("phrases", {})
    values = dict(ctx.results.indicators)
    ytd = period_values(ctx.months, ctx.period.year_to_date)
    targets = {t.link_id: t for t in ctx.results.targets if t.link_id}
    me = self_name(ctx.agency)
    catalog = plan_catalog(ctx.plan)  # worded for the plan's year
    clauses, kinds = [], set()
    for code in codes:
        spec, v = phrases.get(code), values.get(code)
        if spec is None or v is None:
            continue
        text = spec["zero"] if (v == 0 and "zero" in spec) else spec["some"]
        text = text.format(n=count(v), self=me)
        notes = []
        whole = values.get(spec.get("of", ""))
        if v and whole:
            share = fmt_pct(100 * v / whole)
            notes.append(f"{share} {spec['of_label']}" if spec.get("of_label") else share)
        kind = catalog[code].kind if code in catalog else "stock"
        kinds.add(kind)
        total = ytd.get(code)
        if kind == "flow" and total is not None and total != v:
            notes.append(f"lũy kế từ đầu năm {count(total)}")
        plan = _plan_clause(ctx, targets.get(code), spec.get("plan_unit", ""))
        if plan:
            notes.append(plan)
        clauses.append(text + (f" ({'; '.join(notes)})" if notes else ""))
    if not clauses:
        return None
    first = clauses[0]
    if not first.startswith(me):
        first = lower_first(first)
    intro = f"Đến {on(ctx.period.end)}" if kinds == {"stock"} else in_period(ctx)
    return body(f"{intro}, {'; '.join([first, *clauses[1:]])}.")


# --- comparisons --------------------------------------------------------------------


def _change(current: float, before: float, unit: str) -> str:
    if unit == "%":
        diff = shown_difference(current, before)
        if diff == 0:
            return "tương đương"
        return f"{'tăng' if diff > 0 else 'giảm'} {fmt_number(abs(diff), 1)} điểm phần trăm"
    if before == 0:
        return ""
    ratio = 100 * (current - before) / before
    if abs(ratio) < 0.05:
        return "tương đương"
    return f"{'tăng' if ratio > 0 else 'giảm'} {fmt_number(abs(ratio), 1)}%"


def changes(ctx: ReportContext, code: str, *, rate: bool = False) -> list[tuple[str, str]]:
    """[(compared with, change)]: ("cùng kỳ năm 2021", "tăng 4,6%"), ("quý II năm 2022", …)."""
    current = (dict(ctx.results.rates) if rate else dict(ctx.results.indicators)).get(code)
    if current is None:
        return []
    same = f"năm {ctx.period.year - 1}" if ctx.is_annual else f"cùng kỳ năm {ctx.period.year - 1}"
    out = []
    for label, other in (
        (same, ctx.last_year),
        (ctx.previous.period.label if ctx.previous else "", ctx.previous),
    ):
        if other is None:
            continue
        before = (other.rates if rate else other.indicators).get(code)
        if before is None:
            continue
        said = _change(current, before, "%" if rate else "count")
        if said:
            out.append((label, said))
    return out


def compared(ctx: ReportContext, code: str, *, rate: bool = False) -> str:
    """ "giảm 4,4% so với cùng kỳ năm 2021; tăng 1,2% so với quý I năm 2022" (or "")."""
    return "; ".join(
        f"tương đương {label}" if said == "tương đương" else f"{said} so với {label}"
        for label, said in changes(ctx, code, rate=rate)
    )
