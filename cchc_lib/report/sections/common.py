"""Pieces the report's sections share: the document number, how a task or a target is said,
block helpers.

One term per status, everywhere (DOMAIN §4): Hoàn thành, Hoàn thành chậm, Đang thực hiện,
Chưa triển khai, Quá hạn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import fmt_int, fmt_number, fmt_pct
from cchc_lib.indicators import TARGET_LABELS, TargetResult, TaskState
from cchc_lib.model import Task
from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Cell, Figure, Paragraph, Row, Run, Table
from cchc_lib.report.words import (
    area_config,
    capitalize,
    count,
    date_text,
    first_sentence,
    lower_first,
    on,
    places_moved,
    plan_value,
    result_text,
)

STATUS_TERMS = {
    "done": "Hoàn thành",
    "late": "Hoàn thành chậm",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa triển khai",
    "overdue": "Quá hạn",
    "stopped": "Dừng thực hiện",
    "unreported": "Chưa báo cáo",
}


def doc_number(ctx: ReportContext) -> str:
    """ "12/BC-SCT", or a blank to fill by hand: "      /BC-SCT"."""
    abbr = ctx.abbreviation
    suffix = f"/BC-{abbr}" if abbr else "/BC"
    num = ctx.params.report_number.strip()
    return f"{num}{suffix}" if num else f"\u2002\u2002\u2002\u2002\u2002{suffix}"


def date_phrase(ctx: ReportContext) -> str:
    d = ctx.report_date
    return on(d) if d else ""


def lead_of(task: Task) -> str:
    return ", ".join(task.lead) or "chưa xác định đơn vị"


def name_of(ctx: ReportContext, s: TaskState) -> str:
    """The task by its name as the plan writes it (no internal id), without a final stop."""
    return ctx.plan.task(s.task_id).task.strip().rstrip(".;")


def term(s: TaskState) -> str:
    """The one status term of a task at the period end."""
    if not s.source_month:
        return STATUS_TERMS["unreported"]
    if s.status == "done":
        return STATUS_TERMS["late" if s.timeliness == "late" else "done"]
    if s.timeliness == "overdue":
        return STATUS_TERMS["overdue"]
    return STATUS_TERMS.get(s.status, s.status)


def progress_words(s: TaskState) -> str:
    """A task not done, in words: "đang thực hiện, đạt khoảng 60% khối lượng công việc",
    "chưa triển khai", "đang thực hiện"."""
    if s.status == "not_started" or not s.source_month:
        return "chưa triển khai"
    if s.kind == "timed" and s.percent is not None and 0 < s.percent < 100:
        return f"đang thực hiện, đạt khoảng {fmt_number(s.percent, 0)}% khối lượng công việc"
    return "đang thực hiện"


def deadline_words(ctx: ReportContext, s: TaskState) -> str:
    raw = ctx.plan.task(s.task_id).deadline.raw.strip().rstrip(".")
    if raw:  # inside a sentence: "quý I – quý II năm 2022", "trước ngày 20/01/2022"
        return _TIME_WORDS.sub(lambda m: m.group(0).lower(), raw)
    return f"ngày {date_text(s.deadline_end)}" if s.deadline_end else "không ghi thời hạn"


_TIME_WORDS = re.compile(r"\b(?:Quý|Tháng|Năm|Trước|Trong|Từ|Đến|Hàng|Hằng|Thường|Định|Theo)\b")


def done_item(ctx: ReportContext, s: TaskState) -> Paragraph:
    """ "- Xây dựng Kế hoạch CCHC năm 2022: hoàn thành ngày 16/01/2022; Kế hoạch số …"."""
    assert s.completed_on is not None
    result = result_text(s.result)
    when = f"hoàn thành {on(s.completed_on)}"
    if s.timeliness == "late":
        when += f", chậm so với thời hạn ({deadline_words(ctx, s)})"
    elif result and _dated(result, s.completed_on):
        when = ""  # "Đã ban hành Kế hoạch số 93/KH-SCT ngày 19/01/2022" says when already
    said = [w for w in (when, lower_first(first_sentence(result)) if result else "") if w]
    return item(f"- {name_of(ctx, s)}: {'; '.join(said) or 'hoàn thành'}.")


_DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")


def _dated(text: str, d: date) -> bool:
    """Whether ``text`` names the date ``d`` (in any dd/mm/yyyy form)."""
    return any(
        (int(y), int(m), int(dd)) == (d.year, d.month, d.day) for dd, m, y in _DATE.findall(text)
    )


def open_item(ctx: ReportContext, s: TaskState, *, why: bool = True) -> Paragraph:
    """ "- Ban hành Quy chế … (Văn phòng Sở chủ trì; thời hạn: tháng 01/2022): đạt 75%; …"."""
    task = ctx.plan.task(s.task_id)
    text = f"- {name_of(ctx, s)} ({lead_of(task)} chủ trì; thời hạn: {deadline_words(ctx, s)}): "
    text += progress_words(s)
    reason = first_sentence(s.difficulties) if s.difficulties else ""
    if why and reason:
        text += f"; {lower_first(reason)}"
    return item(text + ".")


def is_direction(title: str) -> bool:
    return bool(area_config(title).get("direction"))


# --- blocks -----------------------------------------------------------------------


def body(*parts: str | Run, generated: bool = False) -> Paragraph:
    return Paragraph.of(*parts, generated=generated)


def item(*parts: str | Run, generated: bool = False) -> Paragraph:
    return Paragraph.of(*parts, style="item", generated=generated)


def lead(text: str, generated: bool = False) -> Paragraph:
    """A lead-in line ("Các nhiệm vụ đã hoàn thành:"): kept with what follows."""
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


# --- targets ----------------------------------------------------------------------


def target_text(t: TargetResult) -> str:
    return capitalize(t.text.strip().rstrip(".;"))


def actual_words(t: TargetResult, prose: bool = False) -> str:
    """What was done against a target: "52/89 TTHC đủ điều kiện (58,4%)", "03 sáng kiến";
    in ``prose``, "52/89 TTHC đủ điều kiện, 58,4%" (it goes inside a parenthesis)."""
    if t.judged_from:
        return ""
    if t.actual is None:
        return "Chưa công bố" if t.unit == "rank" or t.status == "unknown" else "Chưa có số liệu"
    number = count if prose else fmt_int
    if t.unit == "%":
        if t.numerator is not None and t.denominator:
            out = f"{number(t.numerator)}/{number(t.denominator)}"
            if t.denominator_label:
                out += f" {t.denominator_label}"
            return f"{out}, {fmt_pct(t.actual)}" if prose else f"{out} ({fmt_pct(t.actual)})"
        return fmt_pct(t.actual)
    if t.unit == "rank":
        return places_moved(int(t.actual))
    return number(t.actual)


def judgement(t: TargetResult) -> str:
    return TARGET_LABELS.get(t.status, t.status)


def target_row(i: int, t: TargetResult) -> Row:
    return Row(
        (
            Cell.of(str(i), align="center"),
            Cell.of(target_text(t)),
            Cell.of(plan_value(t)),
            Cell.of(actual_words(t)),
            Cell.of(judgement(t)),
        )
    )


def targets_table(targets: Sequence[TargetResult]) -> Table:
    return table(
        (7, 43, 16, 17, 17),
        (head_row("STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"),),
        [target_row(i, t) for i, t in enumerate(targets, start=1)],
        "targets",
    )


def value_text(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    ind = load_catalog().get(code)  # a plan's own indicator: a count
    unit = ind.unit if ind else "count"
    return fmt_pct(value) if unit == "%" else fmt_int(value)
