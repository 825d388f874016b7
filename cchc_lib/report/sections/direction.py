"""I. Công tác chỉ đạo, điều hành: the plan, direction tasks, inspections, overall progress."""

from __future__ import annotations

from cchc_lib.fmt import fmt_int
from cchc_lib.indicators import TaskState
from cchc_lib.indicators.tasks import month_end
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Cell, Fragment, Heading, Row
from cchc_lib.report.sections.common import body, is_direction, name_of, table
from cchc_lib.report.sections.front import plan_number
from cchc_lib.report.sections.tasks import figures_sentence, task_blocks
from cchc_lib.report.words import (
    count,
    date_text,
    direction_config,
    join_items,
    lower_first,
    on,
    plan_value,
    self_name,
    sentence_case,
)


def _plan_sentence(ctx: ReportContext) -> str:
    plan, s = ctx.plan, ctx.results.summary
    kinds = []
    if s.timed:
        kinds.append(f"{count(s.timed)} nhiệm vụ có thời hạn")
    if s.recurring:
        kinds.append(f"{count(s.recurring)} nhiệm vụ thường xuyên")
    if s.undated:
        kinds.append(f"{count(s.undated)} nhiệm vụ không ghi thời hạn")
    when = f"Ngày {date_text(plan.meta.date)}, " if plan.meta.date else ""
    return (
        f"{when}{plan.meta.agency or ctx.agency} ban hành {plan_number(ctx)} về CCHC năm "
        f"{plan.meta.year}, gồm {count(len(plan.tasks))} nhiệm vụ trọng tâm trên "
        f"{count(len(plan.areas))} lĩnh vực ({', '.join(kinds)}), phân công cụ thể cho các "
        "phòng, đơn vị chủ trì, phối hợp và thời hạn hoàn thành."
    )


def _undone(ctx: ReportContext, states: list[TaskState]) -> str:
    return join_items([f"“{name_of(ctx, s)}”" for s in states])


def headline(ctx: ReportContext) -> list[str]:
    """The overall progress: time-bound tasks apart from recurring ones (no percentage over
    recurring work)."""
    states = list(ctx.results.tasks)
    s = ctx.results.summary
    timed = [x for x in states if x.kind == "timed"]
    done = [x for x in timed if x.status == "done"]
    late = [x for x in done if x.timeliness == "late"]
    out = []
    if ctx.is_annual:
        text = (
            f"Năm {ctx.period.year}, đã hoàn thành {count(len(done))}/{count(len(timed))} nhiệm "
            f"vụ có thời hạn ({count(len(done) - len(late))} đúng hạn, {count(len(late))} chậm)"
        )
        rest = [x for x in timed if x.status != "done"]
        if rest:
            text += f"; còn {count(len(rest))} nhiệm vụ chưa hoàn thành: {_undone(ctx, rest)}"
        out.append(
            text + f"; {count(s.recurring)} nhiệm vụ thường xuyên được triển khai trong năm."
        )
        return out
    parts = [f"Tính đến {on(ctx.period.end)}, trong {count(s.timed)} nhiệm vụ có thời hạn"]
    if s.timed_due:
        # the status terms of the table's columns (DOMAIN §4)
        due = [f"hoàn thành đúng hạn {count(s.timed_due_on_time)}"] if s.timed_due_on_time else []
        due += [f"hoàn thành chậm {count(s.timed_due_late)}"] if s.timed_due_late else []
        due += [f"quá hạn {count(s.timed_overdue)}"] if s.timed_overdue else []
        parts.append(f"có {count(s.timed_due)} nhiệm vụ đã đến hạn ({', '.join(due)})")
    else:
        parts.append("chưa có nhiệm vụ nào đến hạn")
    if s.timed_due_soon:
        # each state named, so that the counts add up to the table's columns
        soon = [x for x in timed if x.due == "due_soon"]
        states_of = (
            ("đã hoàn thành", lambda x: x.status == "done"),
            ("đang thực hiện", lambda x: x.status == "in_progress"),
            ("chưa triển khai", lambda x: x.status == "not_started"),
        )
        said = [(label, sum(1 for x in soon if test(x))) for label, test in states_of]
        how = ", ".join(f"{label} {count(n)}" for label, n in said if n)
        parts.append(
            f"{count(s.timed_due_soon)} nhiệm vụ đến hạn trước {on(month_end(ctx.period))}"
            + (f" ({how})" if how else "")
        )
    if s.timed_later:
        later = (
            [f"đã hoàn thành trước hạn {count(s.timed_later_done)}"] if s.timed_later_done else []
        )
        later += (
            [f"đang thực hiện {count(s.timed_later_in_progress)}"]
            if s.timed_later_in_progress
            else []
        )
        later += (
            [f"chưa triển khai {count(s.timed_later_not_started)}"]
            if s.timed_later_not_started
            else []
        )
        parts.append(f"{count(s.timed_later)} nhiệm vụ chưa đến hạn ({', '.join(later)})")
    out.append(parts[0] + ", " + "; ".join(parts[1:]) + ".")
    if s.recurring:
        idle = (
            f", trong đó {count(s.recurring_not_started)} nhiệm vụ chưa triển khai"
            if s.recurring_not_started
            else ""
        )
        out.append(
            f"{count(s.recurring)} nhiệm vụ thường xuyên được triển khai theo kế hoạch{idle}."
        )
    return out


_COLUMNS = (
    ("total", "Tổng số nhiệm vụ"),
    ("recurring", "Nhiệm vụ thường xuyên"),
    ("timed", "Tổng"),
    ("on_time", "Hoàn thành đúng hạn"),
    ("late", "Hoàn thành chậm"),
    ("overdue", "Quá hạn"),
    ("open", "Đang thực hiện"),
    ("idle", "Chưa triển khai"),
)


def _counts(states: list[TaskState]) -> dict[str, int]:
    timed = [s for s in states if s.kind == "timed"]
    not_done = [
        s for s in timed if s.status not in ("done", "stopped") and s.timeliness != "overdue"
    ]
    return {
        "total": len(states),
        "recurring": sum(s.kind == "recurring" for s in states),
        "timed": len(timed),
        "on_time": sum(s.status == "done" and s.timeliness == "on_time" for s in timed),
        "late": sum(s.status == "done" and s.timeliness == "late" for s in timed),
        "overdue": sum(s.timeliness == "overdue" for s in timed),
        "open": sum(s.status == "in_progress" for s in not_done),
        "idle": sum(s.status == "not_started" for s in not_done),
    }


def by_area_table(ctx: ReportContext):
    r = ctx.results
    rows = []
    for code, title, _sm in r.by_area:
        counts = _counts([s for s in r.tasks if s.area == code])
        cells = [Cell.of(f"{code}. {sentence_case(title)}")]
        cells += [Cell.of(fmt_int(counts[k]), align="right") for k, _ in _COLUMNS]
        rows.append(Row(tuple(cells)))
    counts = _counts(list(r.tasks))
    total = [Cell.of("Tổng cộng")] + [
        Cell.of(fmt_int(counts[k]), align="right") for k, _ in _COLUMNS
    ]
    rows.append(Row(tuple(total), "total"))
    header = (
        Row(
            (
                Cell.of("Lĩnh vực", rowspan=2, align="center"),
                Cell.of(_COLUMNS[0][1], rowspan=2, align="center"),
                Cell.of(_COLUMNS[1][1], rowspan=2, align="center"),
                Cell.of("Nhiệm vụ có thời hạn", colspan=6, align="center"),
            )
        ),
        Row(tuple(Cell.of(label, align="center") for _, label in _COLUMNS[2:])),
    )
    return table((28, 9, 10, 8, 9, 9, 8, 10, 9), header, rows, "by-area", 11)


def _rank_change(ctx: ReportContext, before: float) -> str:
    """ "(tăng 01 bậc so với năm 2020)", from the rank last year's data gives for its year
    before; "" when unknown or the same."""
    last = ctx.previous_year or ctx.last_year
    earlier = last.indicators.get("xep_hang_nam_truoc") if last is not None else None
    if earlier is None or earlier == before:
        return ""
    moved = int(earlier - before)  # a smaller place is better
    way = "tăng" if moved > 0 else "giảm"
    return f" ({way} {count(abs(moved))} bậc so với năm {ctx.period.year - 2})"


def par_index(ctx: ReportContext) -> str | None:
    """The provincial PAR index: the year's rank is published the year after (DOMAIN §4), so
    a report of the year says last year's, with its change, and the year's goal."""
    values = dict(ctx.results.indicators)
    rank, before = values.get("xep_hang_chi_so_cchc"), values.get("xep_hang_nam_truoc")
    targets = [t for t in ctx.results.targets if t.unit == "rank"]
    me, year = self_name(ctx.agency), ctx.period.year
    if rank is not None:
        text = f"Kết quả Chỉ số CCHC năm {year} đã được công bố: {me} xếp thứ {count(rank)}"
        if before is not None:
            text += f" (năm {year - 1} xếp thứ {count(before)})"
        return text + "."
    if not ctx.is_annual:  # during the year: last year's result once it is published
        if before is None:
            return None
        return (
            f"Năm {year - 1}, Chỉ số CCHC của {me} xếp thứ {count(before)}"
            f"{_rank_change(ctx, before)}."
        )
    if not targets and before is None:
        return None
    text = f"Kết quả Chỉ số CCHC năm {year} chưa được công bố"
    if before is not None:
        text += f"; năm {year - 1}, {me} xếp thứ {count(before)}{_rank_change(ctx, before)}"
    if targets:
        goal = lower_first(plan_value(targets[0]))
        text += f"; chỉ tiêu của Kế hoạch năm {year}: {goal}"
    return text + "."


def direction(ctx: ReportContext) -> Fragment:
    """I. Công tác chỉ đạo, điều hành CCHC."""
    r = ctx.results
    codes = [a.code for a in ctx.plan.areas if is_direction(a.title)]
    states = [s for s in r.tasks if s.area in codes]
    blocks: list[Block] = [
        Heading("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 1),
        Heading("1. Ban hành kế hoạch và chỉ đạo, điều hành", 2),
        body(_plan_sentence(ctx)),
        *task_blocks(ctx, states),
        Heading("2. Công tác kiểm tra, tuyên truyền và sáng kiến CCHC", 2),
    ]
    figures = figures_sentence(ctx, direction_config().get("indicators", []))
    if figures is not None:
        blocks.append(figures)
    blocks += [
        Heading("3. Kết quả thực hiện Kế hoạch CCHC", 2),
        *(body(t) for t in headline(ctx)),
        by_area_table(ctx),
    ]
    rank = par_index(ctx) if not ctx.is_annual else None  # the year's report says it in III.3
    if rank:
        blocks.append(body(rank))
    return Fragment(tuple(blocks))
