"""I. Công tác chỉ đạo, điều hành: the plan, direction tasks, inspections, overall progress."""

from __future__ import annotations

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import fmt_date_prose, fmt_int, fmt_pct
from cchc_lib.report import charts
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Cell, Fragment, Heading, Row
from cchc_lib.report.sections.common import (
    body,
    figure,
    head_row,
    is_direction,
    item,
    lead,
    summary_sentence,
    table,
    task_item,
)
from cchc_lib.report.words import actual_value, clip, direction_config, plan_value, sentence_case


def _plan_sentence(ctx: ReportContext) -> str:
    meta = ctx.plan.meta
    n_measures = sum(len(t.measures) for t in ctx.plan.targets)
    return (
        f"{meta.agency or ctx.agency} đã ban hành Kế hoạch cải cách hành chính năm {meta.year}"
        + (f" {fmt_date_prose(meta.date)}" if meta.date else "")
        + f", gồm {fmt_int(len(ctx.plan.areas))} lĩnh vực với {fmt_int(len(ctx.plan.tasks))} "
        f"nhiệm vụ trọng tâm và {fmt_int(n_measures)} chỉ tiêu đo lường được; giao nhiệm vụ cụ "
        "thể cho từng phòng, đơn vị chủ trì, phối hợp và thời hạn hoàn thành."
    )


def _activity_lines(ctx: ReportContext) -> list[str]:
    values = dict(ctx.results.indicators)
    targets = {t.link_id: t for t in ctx.results.targets if t.link_id}
    cfg = direction_config()
    phrases = cfg.get("phrases", {})
    catalog = load_catalog()
    lines = []
    for code in cfg.get("indicators", []):
        phrase = phrases.get(code) or catalog[code].name.lower().removeprefix("số ")
        v = values.get(code)
        line = (
            f"- Trong kỳ có {fmt_int(v)} {phrase}"
            if v is not None
            else f"- Chưa có số liệu về số {phrase}"
        )
        t = targets.get(code)
        if t is not None:
            so_far = f"lũy kế từ đầu năm {actual_value(t)}" if t.actual is not None else ""
            line += (
                f" (kế hoạch năm: {plan_value(t).lower()}" + (f"; {so_far}" if so_far else "") + ")"
            )
        lines.append(line + ".")
    return lines


def _area_row(name: str, s, kind: str = "body") -> Row:
    values = (
        s.total,
        s.done,
        s.done_on_time,
        s.done_late,
        s.total - s.done - s.stopped - s.overdue,
        s.overdue,
    )
    cells = [Cell.of(name)] + [Cell.of(fmt_int(v), align="right") for v in values]
    return Row(tuple(cells), kind)


def by_area_table(ctx: ReportContext):
    r = ctx.results
    rows = [_area_row(f"{code}. {sentence_case(title)}", sm) for code, title, sm in r.by_area]
    rows.append(_area_row("Tổng cộng", r.summary, "total"))
    header = head_row(
        "Lĩnh vực",
        "Số nhiệm vụ",
        "Hoàn thành",
        "Trong đó đúng hạn",
        "Hoàn thành chậm",
        "Đang thực hiện",
        "Quá hạn",
    )
    return table((34, 11, 11, 11, 11, 11, 11), (header,), rows, "by-area")


def direction(ctx: ReportContext) -> Fragment:
    """I. Công tác chỉ đạo, điều hành CCHC."""
    r = ctx.results
    codes = [a.code for a in ctx.plan.areas if is_direction(a.title)]
    states = [s for s in r.tasks if s.area in codes]
    done = [task_item(ctx, s) for s in states if s.status == "done" and s.completed_in_period]
    open_ = [task_item(ctx, s) for s in states if s.status not in ("done", "stopped")]
    blocks: list[Block] = [
        Heading("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 1),
        Heading("1. Ban hành kế hoạch và văn bản chỉ đạo, điều hành", 2),
        body(_plan_sentence(ctx)),
    ]
    if done:
        blocks.append(lead("Trong kỳ, các nhiệm vụ về chỉ đạo, điều hành đã hoàn thành:"))
        for t in done:
            result = f": {t['result']}" if t["result"] else ""
            blocks.append(
                item(f"- {t['task']} ({t['lead']} chủ trì, hoàn thành {t['completed']}){result}.")
            )
    if open_:
        blocks.append(lead("Các nhiệm vụ chỉ đạo, điều hành đang triển khai:"))
        for t in open_:
            result = f": {t['result']}" if t["result"] else ""
            blocks.append(item(f"- {t['task']} ({t['lead']} chủ trì; {t['state']}){result}."))
    blocks.append(Heading("2. Công tác kiểm tra, tuyên truyền và sáng kiến CCHC", 2))
    blocks += [item(line) for line in _activity_lines(ctx)]
    s = r.summary
    pct = fmt_pct(100 * s.done / s.total) if s.total else "0%"
    blocks += [
        Heading("3. Kết quả thực hiện Kế hoạch CCHC", 2),
        body(
            summary_sentence(s, f"Tính đến {fmt_date_prose(ctx.period.end)}, Kế hoạch")
            + f" Tỷ lệ nhiệm vụ đã hoàn thành đạt {pct}."
        ),
        by_area_table(ctx),
    ]
    chart = charts.task_status_by_area(
        r, lambda code, title: f"{code}. {clip(sentence_case(title), 34)}"
    )
    fig = figure(chart, "Biểu đồ 1. Tình hình thực hiện nhiệm vụ theo lĩnh vực đến cuối kỳ báo cáo")
    if fig is not None:
        blocks.append(fig)
    return Fragment(tuple(blocks))
