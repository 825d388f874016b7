"""Phụ lục I (every task's progress, landscape) and Phụ lục II (statistics, targets)."""

from __future__ import annotations

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import fmt_date, fmt_number, fmt_pct
from cchc_lib.indicators import RATES, STATUSES, TIMELINESS, compare
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Cell, Fragment, Paragraph, Row, SectionBreak
from cchc_lib.report.sections.common import (
    caption,
    date_phrase,
    doc_number,
    head_row,
    lead_of,
    table,
    targets_table,
    value_text,
)
from cchc_lib.report.words import clip, sentence_case


def _appendix_head(ctx: ReportContext, label: str, title: str, orientation: str) -> list[Block]:
    return [
        SectionBreak(orientation, restart_numbering=True),
        Paragraph.of(label, style="appendix-label"),
        Paragraph.of(title, style="appendix-title"),
        Paragraph.of(
            f"(Kèm theo Báo cáo số {doc_number(ctx)} {date_phrase(ctx)} của {ctx.agency})",
            style="appendix-subtitle",
        ),
    ]


def appendix_tasks(ctx: ReportContext) -> Fragment:
    """Phụ lục I: every task of the plan with its state at the period end, by area."""
    r = ctx.results
    by_area: dict[str, list[Row]] = {}
    for s in r.tasks:
        task = ctx.plan.task(s.task_id)
        status = STATUSES.get(s.status, s.status) if s.source_month else "Chưa báo cáo"
        cells = (
            Cell.of(s.task_id),
            Cell.of(task.task),
            Cell.of(lead_of(task)),
            Cell.of(task.deadline.raw),
            Cell.of(status),
            Cell.of(fmt_number(s.percent, 0) if s.percent is not None else "", align="right"),
            Cell.of(fmt_date(s.completed_on) if s.completed_on else "", align="center"),
            Cell.of(clip(s.result, 260)),
            Cell.of(TIMELINESS.get(s.timeliness, s.timeliness)),
        )
        by_area.setdefault(s.area, []).append(Row(cells))
    rows: list[Row] = []
    for a in ctx.plan.areas:
        rows.append(Row((Cell.of(f"{a.code}. {sentence_case(a.title)}", colspan=9),), "group"))
        rows += by_area.get(a.code, [])
    header = head_row(
        "Mã",
        "Nhiệm vụ",
        "Chủ trì",
        "Thời hạn (theo Kế hoạch)",
        "Trạng thái",
        "Tỷ lệ (%)",
        "Ngày hoàn thành",
        "Kết quả, sản phẩm",
        "Tiến độ",
    )
    title = f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {ctx.period.label.upper()}"
    blocks = _appendix_head(ctx, "Phụ lục I", title, "landscape")
    blocks.append(table((6, 24, 10, 9, 9, 5, 8, 16, 10), (header,), rows, "appendix-tasks", 10.5))
    return Fragment(tuple(blocks))


def _change(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt_number(abs(value), 1)}{' điểm %' if pct else ''}"


def _statistics_rows(ctx: ReportContext) -> list[Row]:
    catalog = load_catalog()
    by_code = {row.code: row for row in compare(ctx.results, ctx.previous)}
    out: list[Row] = []
    stt = 0

    def add(name: str, unit: str, current: str, previous: str, change: str) -> None:
        nonlocal stt
        stt += 1
        cells: tuple[Cell, ...] = (
            Cell.of(str(stt), align="center"),
            Cell.of(name),
            Cell.of(unit, align="center"),
        )
        cells += tuple(Cell.of(v, align="right") for v in (current, previous, change))
        out.append(Row(cells))

    for group, name in catalog.groups:
        out.append(Row((Cell.of(name, colspan=6),), "group"))
        for ind in catalog.indicators:
            if ind.group == group and ind.code in by_code:
                row = by_code[ind.code]
                previous = value_text(ind.code, row.previous) if ctx.previous else "—"
                current = value_text(ind.code, row.current)
                add(ind.name, ind.unit_label, current, previous, _change(row.change))
    rates = [(code, name) for code, (name, _, _) in RATES.items() if code in by_code]
    if rates:
        out.append(Row((Cell.of("Tỷ lệ", colspan=6),), "group"))
        for code, name in rates:
            rate = by_code[code]
            previous = (fmt_pct(rate.previous) or "—") if ctx.previous else "—"
            add(name, "%", fmt_pct(rate.current) or "—", previous, _change(rate.change, True))
    return out


def appendix_statistics(ctx: ReportContext) -> Fragment:
    """Phụ lục II: each indicator this period vs the previous one; every target, plan vs actual."""
    prev = ctx.period.previous
    current_label = ctx.period.label[:1].upper() + ctx.period.label[1:]
    previous_label = prev.label[:1].upper() + prev.label[1:]
    header = head_row(
        "STT", "Chỉ số", "Đơn vị tính", current_label, previous_label, "Tăng (+), giảm (−)"
    )
    title = f"SỐ LIỆU THỐNG KÊ CẢI CÁCH HÀNH CHÍNH {ctx.period.label.upper()}"
    blocks = _appendix_head(ctx, "Phụ lục II", title, "portrait")
    blocks += [
        caption("1. Số liệu thống kê"),
        table((8, 44, 12, 12, 12, 12), (header,), _statistics_rows(ctx), "appendix-stats"),
    ]
    if ctx.previous is None:
        note = (
            " ".join(ctx.notes)
            if ctx.notes
            else f"không có số liệu {prev.label} nên chưa so sánh được với kỳ trước."
        )
        blocks.append(Paragraph.of(f"Ghi chú: {note}", style="note"))
    blocks += [
        caption("2. Kết quả thực hiện các chỉ tiêu của Kế hoạch"),
        targets_table(ctx.results.targets),
    ]
    return Fragment(tuple(blocks))
