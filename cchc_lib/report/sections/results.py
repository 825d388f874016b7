"""II. Kết quả thực hiện các nhiệm vụ CCHC: one part per reform area of the plan."""

from __future__ import annotations

from cchc_lib.report import charts
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Fragment, Heading
from cchc_lib.report.sections.common import (
    body,
    caption,
    figure,
    is_direction,
    item,
    lead,
    stats_table,
    summary_sentence,
    targets_table,
    task_item,
)
from cchc_lib.report.words import area_config, sentence_case

CHART_CAPTIONS = {
    "dossiers": "Hồ sơ tiếp nhận theo tháng và tỷ lệ giải quyết đúng hạn",
    "online_share": "Cơ cấu hồ sơ tiếp nhận theo hình thức",
}


def _area(
    ctx: ReportContext, n: int, code: str, title: str, sm, chart_no: list[int]
) -> list[Block]:
    r = ctx.results
    cfg = area_config(title)
    targets_by_id = {t.id: t for t in ctx.plan.targets}
    states = [s for s in r.tasks if s.area == code]
    done = [task_item(ctx, s) for s in states if s.status == "done" and s.completed_in_period]
    open_ = [task_item(ctx, s) for s in states if s.status not in ("done", "stopped")]
    blocks: list[Block] = [
        Heading(f"{n}. {sentence_case(title)}", 2),
        body(summary_sentence(sm, "Lĩnh vực")),
    ]
    if done:
        blocks.append(lead("Các nhiệm vụ hoàn thành trong kỳ:"))
        for t in done:
            result = f": {t['result']}" if t["result"] else ""
            blocks.append(
                item(f"- {t['task']} ({t['lead']} chủ trì, hoàn thành {t['completed']}){result}.")
            )
    if open_:
        blocks.append(lead("Các nhiệm vụ đang triển khai:"))
        for t in open_:
            result = f": {t['result']}" if t["result"] else ""
            blocks.append(item(f"- {t['task']} ({t['lead']} chủ trì; {t['state']}){result}."))
    area_targets = [
        t
        for t in r.targets
        if (tg := targets_by_id.get(t.target_id)) is not None and tg.area == code
    ]
    if area_targets:
        blocks += [
            caption("Kết quả thực hiện các chỉ tiêu của lĩnh vực:"),
            targets_table(area_targets),
        ]
    codes, rates = cfg.get("indicators", []), cfg.get("rates", [])
    if codes or rates:
        blocks += [
            caption(f"Số liệu thống kê {ctx.period.label}:"),
            stats_table(ctx, codes, rates, "Kết quả"),
        ]
    for name in cfg.get("charts", []):
        chart = charts.CHARTS[name](r)
        if chart is not None:
            chart_no[0] += 1
            fig = figure(chart, f"Biểu đồ {chart_no[0]}. {CHART_CAPTIONS[name]}")
            if fig is not None:
                blocks.append(fig)
    return blocks


def results(ctx: ReportContext) -> Fragment:
    """II. Kết quả thực hiện các nhiệm vụ CCHC."""
    blocks: list[Block] = [Heading("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CCHC", 1)]
    chart_no = [1]  # Biểu đồ 1 is in section I
    n = 0
    for code, title, sm in ctx.results.by_area:
        if is_direction(title):
            continue
        n += 1
        blocks += _area(ctx, n, code, title, sm, chart_no)
    return Fragment(tuple(blocks))
