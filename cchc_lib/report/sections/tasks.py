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
    said_of = [_period_result(ctx, s) for s in recurring if s not in idle]
    monthly = _distinct([text for text, every_month in said_of if every_month])
    results = monthly + _distinct([text for text, every_month in said_of if not every_month])
    n = len(recurring) - len(idle)
    if results:
        items = [lower_first(r) for r in results[:4]]
        k = min(len(monthly), len(items))
        if k:  # "hằng tháng lồng ghép … và đăng tin, bài …" (the monthly ones come first)
            items[:k] = [f"hằng tháng {join_items(items[:k])}"]
        said = "; ".join(items)
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


_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
_WHEN_WORDS = {"thang", "quy", "ngay", "tuan", "ky"}


def period_result(ctx: ReportContext, s: TaskState) -> tuple[str, str]:
    """What a recurring task's results say of the whole period: ``(text, how)``.

    ``how`` is "period" when the text holds for the period (a period of one month, or the
    same words every month), "monthly" when it tells what was done every month, "month" when
    it is only the last month's. Results that differ from month to month only in their
    numbers ("Đăng 02 tin, bài …", "Đăng 06 tin, bài …"; "… giao ban tháng 3") tell one month
    each: the period's text keeps what they share, without the numbers (and the "tháng",
    "quý" they follow). The same count every month is monthly too. Results that differ
    otherwise are the last month's.
    """
    last = result_text(s.result)
    if len(ctx.period.months) < 2:
        return last, "period"
    wanted = set(ctx.period.months)
    texts = []
    for m in ctx.months:
        row = m.progress_of(s.task_id) if m.month in wanted else None
        text = result_text(row.result) if row else ""
        if text:
            texts.append(text)
    if len({fold(t).strip(" .;") for t in texts}) <= 1:
        # the same count every month ("Đăng 02 tin, bài …" in January, February and March)
        monthly = len(texts) >= 2 and _has_count(texts[0])
        return last, "monthly" if monthly else "period"
    shared = _shared_words(texts)
    return (shared, "monthly") if shared else (last, "month")


def _period_result(ctx: ReportContext, s: TaskState) -> tuple[str, bool]:
    """:func:`period_result` for the prose: a month's words never stand for the period (the
    task's name does), and whether the text tells a monthly activity."""
    text, how = period_result(ctx, s)
    if how == "month":
        return name_of(ctx, s), False
    return text, how == "monthly"


def _has_count(text: str) -> bool:
    """Whether ``text`` counts something ("02 tin, bài"), not only numbers a document or a
    date ("Kế hoạch số 12/KH-SCT", "tháng 3")."""
    words = text.split()
    for before, word in zip(["", *words], words, strict=False):
        if re.fullmatch(r"\d+", word.rstrip(",.;:)")) and fold(before) not in _WHEN_WORDS | {
            "so",
            "nam",
        }:
            return True
    return False


def _shared_words(texts: Sequence[str]) -> str:
    """The words the texts share when they differ only in numbers; "" otherwise."""
    split = [t.split() for t in texts]
    if len({len(words) for words in split}) != 1:
        return ""
    kept: list[str] = []
    for column in zip(*split, strict=True):
        if len({fold(w) for w in column}) == 1:
            kept.append(column[0])
            continue
        bare = [_NUMBER.fullmatch(w.rstrip(",.;:)")) for w in column]
        if not all(bare):
            return ""
        tail = column[0][len(column[0].rstrip(",.;:)")) :]
        if kept and fold(kept[-1]).strip(",.;:(") in _WHEN_WORDS:
            kept.pop()
        if tail and kept:
            kept[-1] += tail
    text = " ".join(kept).strip(" ,;:.")
    return text if len(text.split()) >= 2 else ""


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
    if done:  # done in the period: "Trong quý III năm 2022" when it does not start the year
        when = f"{in_period(ctx)}, đã" if ctx.period.months[0][5:] != "01" else "Đã"
        blocks.append(lead(f"{when} hoàn thành {count(len(done))} nhiệm vụ:"))
        blocks += [done_item(ctx, s) for s in done]
    if overdue:
        blocks.append(lead("Nhiệm vụ đã quá hạn nhưng chưa hoàn thành:"))
        blocks += [open_item(ctx, s) for s in overdue]
    if soon:
        blocks.append(lead(f"Nhiệm vụ đến hạn trước {on(month_end(ctx.period))}:"))
        blocks += [open_item(ctx, s, why=False) for s in soon]
    if later:
        waiting = [s for s in later if s.status == "not_started" or not s.source_month]
        moving = [s for s in later if s not in waiting]
        parts = []
        if len(moving) > 2:
            parts.append(f"{count(len(moving))} nhiệm vụ đang thực hiện")
        elif moving:
            parts.append(f"nhiệm vụ {_named_with_deadlines(ctx, moving)} đang thực hiện")
        if waiting:
            parts.append(f"nhiệm vụ {_named_with_deadlines(ctx, waiting)} chưa triển khai")
        others = "khác " if blocks else ""
        blocks.append(
            body(
                f"Các nhiệm vụ có thời hạn {others}chưa đến hạn: {'; '.join(parts)} "
                "(chi tiết tại Phụ lục I)."
            )
        )
    blocks += _recurring(ctx, states)
    return blocks


def _named_with_deadlines(ctx: ReportContext, states: Sequence[TaskState]) -> str:
    """ "“A” (thời hạn: quý II)", or tasks of one deadline together: "“A”, “B” và “C” (thời
    hạn: quý II, III)"."""
    groups: dict[str, list[str]] = {}
    for s in states:
        groups.setdefault(deadline_words(ctx, s), []).append(f"“{name_of(ctx, s)}”")
    return join_items([f"{join_items(names)} (thời hạn: {d})" for d, names in groups.items()])


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


def figures_sentence(
    ctx: ReportContext, codes: Sequence[str], listed: frozenset[str] = frozenset()
) -> Paragraph | None:
    """The area's figures in one sentence, with the plan's level where a target names it
    (unless that target is ``listed`` right after, with its level and its judgement)."""
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
        said_whole = spec.get("of", "") in codes  # its whole's total was just given
        if kind == "flow" and total is not None and total != v and not said_whole:
            notes.append(f"lũy kế từ đầu năm {count(total)}")
        plan = (
            ""
            if code in listed
            else _plan_clause(ctx, targets.get(code), spec.get("plan_unit", ""))
        )
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
