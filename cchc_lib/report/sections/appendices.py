"""Phụ lục I (every task's progress, landscape) and Phụ lục II (statistics, targets)."""

from __future__ import annotations

from cchc_lib.catalog import plan_catalog
from cchc_lib.fmt import fmt_number, shown_difference
from cchc_lib.indicators import RATES, TaskState, compare
from cchc_lib.indicators.load import Comparison
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
    term,
    value_text,
)
from cchc_lib.report.sections.tasks import period_result
from cchc_lib.report.words import (
    capitalize,
    date_text,
    first_sentence,
    join_items,
    lower_first,
    on,
    places_moved,
    result_text,
    sentence_case,
)


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


def _progress_cell(s: TaskState, year_end: bool = False) -> str:
    if year_end and s.kind == "recurring" and s.status == "in_progress":
        return "Thực hiện thường xuyên"  # at year end recurring work is not "under way"
    text = term(s)
    if (
        s.status == "in_progress"
        and s.kind == "timed"
        and s.percent is not None
        and s.percent < 100
    ):
        text += f" ({fmt_number(s.percent, 0)}%)"
    elif s.timeliness == "overdue" and s.percent:
        text += f" (đạt {fmt_number(s.percent, 0)}%)"
    return text


def _recurring_result(ctx: ReportContext, s: TaskState) -> str:
    """A recurring task's results over the period: "Hằng tháng …" for monthly work, a
    month's own words marked with that month."""
    text, how = period_result(ctx, s)
    if how == "monthly":
        return f"Hằng tháng {lower_first(text)}"
    if how == "month" and s.source_month:
        month = int(s.source_month[5:])
        shown = f"{month:02d}" if month <= 2 else str(month)  # as date_text writes months
        return f"Tháng {shown}/{s.source_month[:4]}: {lower_first(text)}"
    return text


def _task_row(ctx: ReportContext, s: TaskState, number: str) -> Row:
    task = ctx.plan.task(s.task_id)
    result = result_text(s.result)
    if s.kind == "recurring" and result:
        result = _recurring_result(ctx, s)
    return Row(
        (
            Cell.of(number, align="center"),
            Cell.of(task.task.strip()),
            Cell.of(lead_of(task)),
            Cell.of(task.deadline.raw),
            Cell.of(_progress_cell(s, ctx.is_annual)),
            Cell.of(date_text(s.completed_on) if s.completed_on else "", align="center"),
            Cell.of(first_sentence(result, 260) if result else ""),
        )
    )


def appendix_tasks(ctx: ReportContext) -> Fragment:
    """Phụ lục I: every task of the plan with its state at the period end, by area, numbered
    as the plan numbers them."""
    states = {s.task_id: s for s in ctx.results.tasks}
    rows: list[Row] = []
    for a in ctx.plan.areas:
        rows.append(
            Row(
                (Cell.of(a.code, align="center"), Cell.of(sentence_case(a.title), colspan=6)),
                "group",
            )
        )
        subs = {s.code: s.title for s in a.subareas}
        current_sub, current_row = None, None
        for task in (t for t in ctx.plan.tasks if t.area == a.code):
            if task.subarea != current_sub and task.subarea:
                current_sub = task.subarea
                title = sentence_case(subs.get(task.subarea, ""))
                rows.append(
                    Row((Cell.of(task.subarea, align="center"), Cell.of(title, colspan=6)), "group")
                )
            key = (task.subarea, task.row)
            number = str(task.row) if key != current_row else ""
            current_row = key
            rows.append(_task_row(ctx, states[task.id], number))
    header = head_row(
        "TT",
        "Nhiệm vụ",
        "Chủ trì",
        "Thời hạn (theo Kế hoạch)",
        "Tình hình thực hiện",
        "Ngày hoàn thành",
        "Kết quả, sản phẩm",
    )
    title = f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH {ctx.period.label.upper()}"
    blocks = _appendix_head(ctx, "Phụ lục I", title, "landscape")
    blocks.append(table((5, 31, 12, 11, 12, 9, 20), (header,), rows, "appendix-tasks", 10.5))
    return Fragment(tuple(blocks))


def _change(value: float | None, pct: bool = False, rank: bool = False) -> str:
    if value is None:
        return "—"
    if rank:  # a smaller place is better: 15th after 16th is up one place
        return places_moved(-value)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt_number(abs(value), 1, keep_zeros=pct)}{' điểm %' if pct else ''}"


def _pct_cell(value: float | None) -> str:
    """A rate in a column of rates: one decimal throughout ("68,0%" beside "67,7%")."""
    if value is None:
        return "—"
    return "100%" if value == 100 else fmt_number(value, 1, keep_zeros=True) + "%"


def _columns(ctx: ReportContext) -> list[tuple[str, Comparison]]:
    """The periods compared with this one, when their data is there."""
    out = []
    if ctx.previous is not None:
        out.append((capitalize(ctx.previous.period.label), ctx.previous))
    last = ctx.last_year
    if last is not None and (ctx.previous is None or last.period != ctx.previous.period):
        same = "Năm" if ctx.is_annual else "Cùng kỳ năm"  # a year's figures beside last year's
        out.append((f"{same} {last.period.year}", last))
    return out


def _statistics_rows(ctx: ReportContext, others: list[tuple[str, Comparison]]) -> list[Row]:
    catalog = plan_catalog(ctx.plan)  # worded for the plan's year
    current = {row.code: row for row in compare(ctx.results, None)}
    other = [{row.code: row for row in compare(ctx.results, res)} for _, res in others]
    width = 4 + 2 * len(others)
    out: list[Row] = []
    stt = 0

    def add(code: str, name: str, unit: str, pct: bool, rank: bool = False) -> None:
        nonlocal stt
        if current[code].current is None and all(rows[code].previous is None for rows in other):
            return  # nothing in any column (a rank not yet published): no row of "—"
        since_start = code in catalog and catalog[code].since_year_start
        stt += 1
        show = (lambda v: _pct_cell(v)) if pct else (lambda v: value_text(code, v))
        cells: list[Cell] = [
            Cell.of(str(stt), align="center"),
            Cell.of(name),
            Cell.of(unit, align="center"),
            Cell.of(show(current[code].current), align="right"),
        ]
        for (_, compared), rows in zip(others, other, strict=True):
            row = rows[code]
            then, now = compared.period, ctx.period
            if (
                since_start
                and then.year != now.year
                and (then.kind, then.index)
                != (
                    now.kind,
                    now.index,
                )
            ):  # Q1's count from 1 January beside last year's whole-year count: no comparison
                cells += [Cell.of("—", align="right"), Cell.of("—", align="right")]
                continue
            change = row.change
            if pct and row.current is not None and row.previous is not None:
                change = shown_difference(row.current, row.previous)  # as the cells print
            cells.append(Cell.of(show(row.previous), align="right"))
            cells.append(Cell.of(_change(change, pct, rank), align="right"))
        out.append(Row(tuple(cells)))

    for group, name in catalog.groups:
        codes = [i.code for i in catalog.indicators if i.group == group and i.code in current]
        if codes:
            out.append(Row((Cell.of(name, colspan=width),), "group"))
        for code in codes:
            unit = catalog[code].unit
            add(code, catalog[code].name, catalog[code].unit_label, unit == "%", unit == "rank")
    rates = [(code, name) for code, (name, _, _) in RATES.items() if code in current]
    if rates:
        out.append(Row((Cell.of("Tỷ lệ", colspan=width),), "group"))
        for code, name in rates:
            add(code, name, "%", True)
    return out


def _not_compared(ctx: ReportContext, others: list[tuple[str, Comparison]]) -> str:
    """Why the rows counted from 1 January have "—" beside a period of another year."""
    catalog = plan_catalog(ctx.plan)
    now = ctx.period
    apart = [
        c.period.label
        for _, c in others
        if c.period.year != now.year and (c.period.kind, c.period.index) != (now.kind, now.index)
    ]
    shown = {code for code, _ in ctx.results.indicators}
    names = [i.name for i in catalog.indicators if i.since_year_start and i.code in shown]
    if not names or not apart:
        return ""
    what = join_items([f"“{n}”" for n in names])
    return f"Các chỉ số {what} được tính từ đầu năm nên không so sánh với {join_items(apart)}."


def appendix_statistics(ctx: ReportContext) -> Fragment:
    """Phụ lục II: the figures of the period (and of the periods compared), every target."""
    others = _columns(ctx)
    first = Row(
        (
            Cell.of("STT", rowspan=2 if others else 1, align="center"),
            Cell.of("Chỉ số", rowspan=2 if others else 1, align="center"),
            Cell.of("Đơn vị tính", rowspan=2 if others else 1, align="center"),
            Cell.of(capitalize(ctx.period.label), rowspan=2 if others else 1, align="center"),
            *(Cell.of(label, colspan=2, align="center") for label, _ in others),
        )
    )
    header = [first]
    if others:
        header.append(head_row(*(x for _ in others for x in ("Số liệu", "Tăng (+), giảm (−)"))))
    # STT and the unit on one line, the name as wide as the figures allow
    widths = {0: (7, 61, 14, 18), 1: (7, 45, 12, 12, 12, 12)}.get(
        len(others), (7, 32, 10, 9, 10, 11, 10, 11)
    )
    title = f"SỐ LIỆU THỐNG KÊ CẢI CÁCH HÀNH CHÍNH {ctx.period.label.upper()}"
    blocks = _appendix_head(ctx, "Phụ lục II", title, "portrait")
    blocks += [
        caption("1. Số liệu thống kê"),
        table(
            widths, header, _statistics_rows(ctx, others), "appendix-stats", 11 if others else 12
        ),
    ]
    if not others:
        note = f"Chưa có số liệu {ctx.period.previous.label} để so sánh."
        blocks.append(Paragraph.of(f"Ghi chú: {note}", style="note"))
    apart = _not_compared(ctx, others)
    if apart:
        blocks.append(Paragraph.of(f"Ghi chú: {apart}", style="note"))
    blocks += [
        caption("2. Kết quả thực hiện các chỉ tiêu của Kế hoạch"),
        targets_table(ctx.results.targets),
    ]
    return Fragment(tuple(blocks))


def appendix_dossiers(ctx: ReportContext) -> Fragment:
    """Phụ lục III: Biểu số 06/VPCP/KSTT by lĩnh vực, counted from the one-stop system's
    dossier exports (empty when there are none, or they do not cover the period)."""
    stats = ctx.dossier_statistics
    if stats is None:
        return Fragment()
    from cchc_lib.dossiers.form06 import FORM_BASIS, FORM_NAME, form06_table

    form = form06_table(stats)
    title = f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {ctx.period.label.upper()}"
    blocks = _appendix_head(ctx, "Phụ lục III", title, "landscape")
    p = ctx.period
    blocks += [
        Paragraph.of(f"({FORM_NAME}, {lower_first(FORM_BASIS)})", style="appendix-subtitle"),
        Paragraph.of(
            f"Số liệu tính từ {on(p.start)} đến {on(p.end)}, tổng hợp từ Hệ thống thông tin "
            "giải quyết thủ tục hành chính của tỉnh. Đơn vị tính: hồ sơ.",
            style="note",
        ),
    ]
    top, sub = form.header
    header = (
        Row(
            tuple(
                Cell.of(h.text, colspan=h.colspan, rowspan=h.rowspan, align="center") for h in top
            )
        ),
        Row(tuple(Cell.of(h.text, align="center") for h in sub)),
        Row(tuple(Cell.of(n, align="center") for n in form.numbers)),
    )

    def cells(values: tuple[str, ...]) -> tuple[Cell, ...]:
        first, name, *counts = values
        return (
            Cell.of(first, align="center"),
            Cell.of(name),
            *(Cell.of(v, align="right") for v in counts),
        )

    rows = [Row(cells(r)) for r in form.rows] + [Row(cells(form.total), "total")]
    widths = (5, 22, *(7.5,) * 11)
    blocks.append(table(widths, header, rows, "form06", 10.5))
    blocks += [Paragraph.of(n, style="note") for n in form.notes]
    return Fragment(tuple(blocks))
