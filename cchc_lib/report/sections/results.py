"""II. Kết quả thực hiện các nhiệm vụ CCHC: one part per reform area of the plan."""

from __future__ import annotations

from cchc_lib.catalog import plan_catalog
from cchc_lib.fmt import fmt_pct
from cchc_lib.indicators import TargetResult
from cchc_lib.report import charts
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Cell, Fragment, Heading, Paragraph, Row
from cchc_lib.report.sections.common import (
    actual_words,
    body,
    caption,
    figure,
    head_row,
    is_direction,
    item,
    judgement,
    table,
    target_text,
    value_text,
)
from cchc_lib.report.sections.tasks import compared, figures_sentence, in_period, task_blocks
from cchc_lib.report.words import (
    area_config,
    count,
    lower_first,
    on,
    plan_value,
    self_name,
    sentence_case,
)


def _stocks_table(ctx: ReportContext, codes: list[str]) -> list[Block]:
    catalog = plan_catalog(ctx.plan)  # worded for the plan's year
    values = dict(ctx.results.indicators)
    rows = [
        Row(
            (
                Cell.of(str(i), align="center"),
                Cell.of(catalog[c].name),
                Cell.of(catalog[c].unit_label, align="center"),
                Cell.of(value_text(c, values.get(c)), align="right"),
            )
        )
        for i, c in enumerate((c for c in codes if c in catalog), start=1)
    ]
    if not rows or all(values.get(c) is None for c in codes):
        return []
    header = head_row("STT", "Chỉ số", "Đơn vị tính", "Số lượng")
    return [
        caption(f"Thủ tục hành chính thuộc thẩm quyền giải quyết (đến {on(ctx.period.end)}):"),
        table((7, 61, 14, 18), (header,), rows, "stats"),
    ]


def dossier_paragraph(ctx: ReportContext) -> Paragraph | None:
    """Dossiers received and resolved in the period, in one paragraph (DOMAIN §5)."""
    v = dict(ctx.results.indicators)
    received = v.get("hs_tiep_nhan")
    if received is None:
        return None
    me = self_name(ctx.agency)
    text = f"{in_period(ctx)}, {me} tiếp nhận {count(received)} hồ sơ TTHC"
    than = compared(ctx, "hs_tiep_nhan")
    if than:
        text += f" ({than})"
    channels = []
    online, post = v.get("hs_truc_tuyen"), v.get("hs_bcci")
    if online is not None and received:
        share = fmt_pct(100 * online / received)
        channels.append(f"trực tuyến {count(online)} hồ sơ (chiếm {share})")
    if post:
        channels.append(f"qua dịch vụ bưu chính công ích (BCCI) {count(post)} hồ sơ")
    if online is not None and received:
        direct = received - (online or 0) - (post or 0)
        channels.append(f"trực tiếp {count(direct)} hồ sơ")
    if channels:
        text += f", trong đó: {', '.join(channels)}"
    carried = v.get("hs_ky_truoc")
    if carried:  # so that resolved and pending add up to what there was to resolve
        text += (
            f"; cùng {count(carried)} hồ sơ kỳ trước chuyển sang, tổng số hồ sơ phải giải "
            f"quyết là {count(received + carried)}"
        )
    early, ontime, late = (v.get(c) for c in ("hs_truoc_han", "hs_dung_han", "hs_tre_han"))
    if None not in (early, ontime, late):
        resolved = (early or 0) + (ontime or 0) + (late or 0)
        text += f"; đã giải quyết {count(resolved)} hồ sơ"
        if resolved:
            rate = 100 * ((early or 0) + (ontime or 0)) / resolved
            text += (
                f" (trước hạn {count(early or 0)}, đúng hạn {count(ontime or 0)}, "
                + (f"quá hạn {count(late)}" if late else "không có hồ sơ quá hạn")
                + f"); tỷ lệ giải quyết trước hạn và đúng hạn đạt {fmt_pct(rate)}"
            )
            rate_than = compared(ctx, "ty_le_dung_han", rate=True)
            if rate_than:
                text += f" ({rate_than})"
    pending, overdue = v.get("hs_dang_giai_quyet"), v.get("hs_qua_han_chua_giai_quyet")
    if pending is not None:
        text += f". Đến {on(ctx.period.end)}, còn {count(pending)} hồ sơ đang giải quyết trong hạn"
        if overdue:
            text += f" và {count(overdue)} hồ sơ quá hạn chưa giải quyết"
    return body(text + ".")


def _target_item(t: TargetResult) -> Paragraph:
    """ "- 100% văn bản QPPL tham mưu …: đạt (03/03 văn bản QPPL tham mưu, 100%)."."""
    said = judgement(t).lower()
    actual = actual_words(t, prose=True)
    if t.judged_from:
        detail = ""
        if t.status == "overdue":  # a target is not "overdue": its task is
            said = "quá hạn (nhiệm vụ thực hiện chỉ tiêu chưa hoàn thành)"
    elif t.status in ("met", "not_met") and actual:
        detail = f" ({actual}; kế hoạch: {lower_first(plan_value(t))})"
    elif actual and t.actual is not None:
        detail = f" (đến nay: {actual}; kế hoạch: {lower_first(plan_value(t))})"
    else:
        detail = ""
    return item(f"- {target_text(t)}: {said}{detail}.")


def target_area(ctx: ReportContext, t: TargetResult) -> str | None:
    """The plan area a target belongs to: its appendix row's, else the area whose figures
    its link reads (a target of section II.2 of the plan)."""
    target = next((x for x in ctx.plan.targets if x.id == t.target_id), None)
    if target is not None and target.area:
        return target.area
    codes = set(t.formula.replace("(", " ").replace(")", " ").replace("+", " ").split())
    for a in ctx.plan.areas:
        cfg = area_config(a.title)
        shown = set(cfg.get("indicators", [])) | set(cfg.get("table", []))
        if cfg.get("dossiers"):
            shown |= {c for c in codes if c.startswith("hs_")}
        if cfg.get("direction"):
            shown |= {"sang_kien", "kiem_tra_don_vi", "kiem_tra_dot_xuat"}
        if codes & shown:
            return a.code
    return None


def area_targets(ctx: ReportContext, code: str) -> list[TargetResult]:
    return [t for t in ctx.results.targets if target_area(ctx, t) == code]


def _area(ctx: ReportContext, n: int, code: str, title: str, chart_no: list[int]) -> list[Block]:
    r = ctx.results
    cfg = area_config(title)
    blocks: list[Block] = [Heading(f"{n}. {sentence_case(title)}", 2)]
    blocks += task_blocks(ctx, [s for s in r.tasks if s.area == code])
    targets = area_targets(ctx, code)
    listed = frozenset(t.link_id for t in targets if t.link_id)
    figures = figures_sentence(ctx, cfg.get("indicators", []), listed)
    if figures is not None:
        blocks.append(figures)
    if cfg.get("dossiers"):
        para = dossier_paragraph(ctx)
        if para is not None:
            blocks.append(para)
    blocks += _stocks_table(ctx, list(cfg.get("table", [])))
    if cfg.get("dossiers"):
        chart = charts.dossiers(r, rule=ctx.period.rule)
        if chart is not None:
            chart_no[0] += 1
            fig = figure(
                chart,
                f"Biểu đồ {chart_no[0]}. Hồ sơ TTHC tiếp nhận theo tháng báo cáo và tỷ lệ giải quyết trước hạn, đúng hạn",
            )
            if fig is not None:
                blocks.append(fig)
    if targets:
        blocks.append(Paragraph.of("Kết quả thực hiện các chỉ tiêu:", style="lead"))
        blocks += [_target_item(t) for t in targets]
    return blocks


def results(ctx: ReportContext) -> Fragment:
    """II. Kết quả thực hiện các nhiệm vụ CCHC."""
    blocks: list[Block] = [Heading("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CCHC", 1)]
    chart_no = [0]
    n = 0
    for code, title, _sm in ctx.results.by_area:
        if is_direction(title):
            continue
        n += 1
        blocks += _area(ctx, n, code, title, chart_no)
    return Fragment(tuple(blocks))
