"""Pieces the report's sections share: the document number, task and target wording, tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import fmt_date, fmt_date_prose, fmt_int, fmt_number, fmt_pct
from cchc_lib.indicators import RATES, STATUSES, TARGET_LABELS, TargetResult, TaskState
from cchc_lib.model import Task
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Cell, Figure, Paragraph, Row, Run, Table
from cchc_lib.report.words import actual_value, area_config, clip, plan_value


def doc_number(ctx: ReportContext) -> str:
    """ "12/BC-SCT", or a blank to fill by hand: "      /BC-SCT"."""
    abbr = ctx.abbreviation
    suffix = f"/BC-{abbr}" if abbr else "/BC"
    num = ctx.params.report_number.strip()
    return f"{num}{suffix}" if num else f"\u2002\u2002\u2002\u2002\u2002{suffix}"


def date_phrase(ctx: ReportContext) -> str:
    d = ctx.report_date
    return f"ngày {fmt_date(d)}" if d else ""


def lead_of(task: Task) -> str:
    return ", ".join(task.lead) or "chưa xác định đơn vị"


def state_words(s: TaskState) -> str:
    if s.timeliness == "overdue":
        pct = f", đạt {fmt_number(s.percent, 0)}%" if s.percent is not None else ""
        return f"quá hạn, chưa hoàn thành{pct}"
    if s.status == "not_started":
        return "chưa triển khai"
    if s.timeliness == "ongoing":
        return "thực hiện thường xuyên"
    if s.percent is not None:
        return f"đạt {fmt_number(s.percent, 0)}%"
    return STATUSES.get(s.status, s.status).lower()


def task_item(ctx: ReportContext, s: TaskState) -> dict[str, str]:
    task = ctx.plan.task(s.task_id)
    return {
        "id": s.task_id,
        "task": clip(task.task.rstrip("."), 220),
        "lead": lead_of(task),
        "completed": fmt_date_prose(s.completed_on) if s.completed_on else "",
        "result": clip(s.result.rstrip("."), 300) if s.result else "",
        "state": state_words(s),
        "deadline": task.deadline.raw or "không ghi thời hạn",
        "reason": clip(s.difficulties, 300) if s.difficulties else "chưa có báo cáo nguyên nhân.",
    }


def is_direction(title: str) -> bool:
    return bool(area_config(title).get("direction"))


def summary_sentence(s: Any, what: str) -> str:
    open_ = s.total - s.done - s.stopped
    parts = [f"{what} có {fmt_int(s.total)} nhiệm vụ: đã hoàn thành {fmt_int(s.done)}"]
    if s.done:
        parts[0] += (
            f" (đúng hạn {fmt_int(s.done_on_time)}, chậm so với kế hoạch {fmt_int(s.done_late)})"
        )
    parts.append(f"đang thực hiện {fmt_int(open_ - s.overdue)}")
    if s.ongoing:
        parts[-1] += f" (trong đó {fmt_int(s.ongoing)} nhiệm vụ thường xuyên)"
    parts.append(f"quá hạn chưa hoàn thành {fmt_int(s.overdue)}")
    if s.stopped:
        parts.append(f"dừng thực hiện {fmt_int(s.stopped)}")
    return "; ".join(parts) + "."


# --- blocks -----------------------------------------------------------------------


def body(*parts: str | Run, generated: bool = False) -> Paragraph:
    return Paragraph.of(*parts, generated=generated)


def item(*parts: str | Run, generated: bool = False) -> Paragraph:
    return Paragraph.of(*parts, style="item", generated=generated)


def lead(text: str, generated: bool = False) -> Paragraph:
    """A lead-in line ("Các nhiệm vụ đang triển khai:"): kept with what follows."""
    return Paragraph.of(text, style="lead", generated=generated)


def caption(text: str) -> Paragraph:
    return Paragraph.of(text, style="table-caption")


def paragraphs(text: str, generated: bool = False) -> list[Paragraph]:
    """One paragraph per line of ``text``; lines opening with "-" are list items."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            style = "item" if line.startswith(("- ", "+ ", "• ")) else "body"
            out.append(Paragraph.of(line, style=style, generated=generated))
    return out


def head_row(*labels: str) -> Row:
    return Row(tuple(Cell.of(label, align="center") for label in labels))


def table(
    widths: Sequence[float],
    header: Sequence[Row],
    rows: Sequence[Row],
    name: str,
    font_size: float = 12.0,
) -> Table:
    total = sum(widths)
    return Table(tuple(w / total for w in widths), tuple(header), tuple(rows), name, font_size)


def figure(
    chart: tuple[str, bytes] | None, caption_text: str, width_mm: float = 160
) -> Figure | None:
    if chart is None:
        return None
    svg, png = chart
    return Figure(svg, png, caption_text, width_mm)


def target_row(i: int, t: TargetResult) -> Row:
    text = clip(t.text, 240)
    return Row(
        (
            Cell.of(str(i), align="center"),
            Cell.of(text[:1].upper() + text[1:]),
            Cell.of(plan_value(t)),
            Cell.of(actual_value(t), align="right"),
            Cell.of(TARGET_LABELS.get(t.status, t.status)),
        )
    )


def targets_table(targets: Sequence[TargetResult]) -> Table:
    return table(
        (8, 42, 17, 12, 21),
        (head_row("STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"),),
        [target_row(i, t) for i, t in enumerate(targets, start=1)],
        "targets",
    )


def value_text(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    unit = load_catalog()[code].unit
    return fmt_pct(value) if unit == "%" else fmt_int(value)


def stats_table(
    ctx: ReportContext, codes: Sequence[str], rates: Sequence[str], label: str
) -> Table:
    catalog = load_catalog()
    values = dict(ctx.results.indicators)
    rate_values = dict(ctx.results.rates)
    rows = [
        (catalog[c].name, catalog[c].unit_label, value_text(c, values.get(c)))
        for c in codes
        if c in catalog
    ]
    rows += [(RATES[r][0], "%", fmt_pct(rate_values.get(r)) or "—") for r in rates if r in RATES]
    return table(
        (8, 56, 16, 20),
        (head_row("STT", "Chỉ số", "Đơn vị tính", label),),
        [
            Row(
                (
                    Cell.of(str(i), align="center"),
                    Cell.of(name),
                    Cell.of(unit, align="center"),
                    Cell.of(value, align="right"),
                )
            )
            for i, (name, unit, value) in enumerate(rows, start=1)
        ],
        "stats",
    )
