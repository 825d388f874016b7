"""The "Tiến độ" sheet: one row per plan task, checked against the plan and the cut-off;
and the check across months (a task going back from "Hoàn thành").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from cchc_lib.errors import Problem
from cchc_lib.fmt import fmt_date
from cchc_lib.model import STATUSES, MonthData, Plan, TaskProgress
from cchc_lib.monthly.cells import (
    STATUS_LIST,
    cell_text,
    is_blank,
    parse_date,
    parse_percent,
    parse_status,
)
from cchc_lib.monthly.layout import (
    PROGRESS_COLUMNS,
    SHEET_PROGRESS,
)
from cchc_lib.monthly.sheets import (
    PERCENT_FIX,
    TEMPLATE_FIX,
    Collector,
    Rows,
    missing_columns,
    parse_cell,
    start_sheet,
)
from cchc_lib.periods import year_window

_PROGRESS_DATA = ("status", "percent", "completed_on", "result", "difficulties", "note")


def read_progress(
    sheets: Mapping[str, Rows], name: str | None, plan: Plan, cutoff: date, out: Collector
) -> tuple[TaskProgress, ...]:
    """The rows of the "Tiến độ" sheet, checked against the plan and the month's cut-off."""
    start = start_sheet(sheets, name, SHEET_PROGRESS, PROGRESS_COLUMNS, "task_id", out)
    if start is None:
        return ()
    rows, h, cols = start
    missing_columns(_PROGRESS_DATA, cols, PROGRESS_COLUMNS, h + 1, out)
    head = dict((k, t) for k, t, _ in PROGRESS_COLUMNS)
    c_id = cols["task_id"]
    c_status, c_pct, c_date = cols.get("status"), cols.get("percent"), cols.get("completed_on")
    data_cols = [cols[k] for k in _PROGRESS_DATA if k in cols]
    c_result, c_diff, c_note = cols.get("result"), cols.get("difficulties"), cols.get("note")
    width = max(cols.values()) + 1
    tasks = {t.id for t in plan.tasks}
    year = plan.meta.year
    seen: dict[str, int] = {}
    known_status: dict[object, str | None] = {}
    result: list[TaskProgress] = []
    for i in range(h + 1, len(rows)):
        row, r = rows[i], i + 1
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        raw_id = row[c_id]
        if raw_id == "" or raw_id is None or (type(raw_id) is str and raw_id.isspace()):
            if any(not is_blank(row[c]) for c in data_cols):
                out.error(
                    "dòng có số liệu nhưng không có mã nhiệm vụ",
                    "ghi lại đúng mã nhiệm vụ của dòng (như biểu mẫu) hoặc xóa số liệu ở dòng này",
                    row=r,
                    column=head["task_id"],
                )
            continue
        tid = raw_id if raw_id in tasks else cell_text(raw_id)
        if tid not in tasks:
            out.error(
                f"mã nhiệm vụ {tid!r} không có trong kế hoạch",
                "dùng đúng mã nhiệm vụ như biểu mẫu; không thêm dòng nhiệm vụ mới",
                row=r,
                column=head["task_id"],
                value=raw_id,
            )
            continue
        if tid in seen:
            out.error(
                f"nhiệm vụ {tid} bị lặp (đã có ở dòng {seen[tid]})",
                "giữ một dòng cho mỗi nhiệm vụ, xóa dòng thừa",
                row=r,
                column=head["task_id"],
                value=raw_id,
            )
            continue
        seen[tid] = r
        raw_status = row[c_status] if c_status is not None else None
        raw_pct = row[c_pct] if c_pct is not None else None
        if type(raw_pct) is float and 0.0 <= raw_pct <= 100.0:
            percent: float | None = raw_pct
        else:
            percent = parse_cell(parse_percent, row, c_pct, r, head["percent"], out, PERCENT_FIX)
        raw_date = row[c_date] if c_date is not None else None
        if raw_date == "" or raw_date is None:
            done_on = None
        elif type(raw_date) in (date, datetime) and raw_date.year == year:  # fast path
            done_on = raw_date.date() if type(raw_date) is datetime else raw_date
            if done_on > cutoff:
                _check_date(done_on, year, cutoff, r, head["completed_on"], raw_date, out)
        else:
            done_on = parse_cell(parse_date, row, c_date, r, head["completed_on"], out, _DATE_FIX)
            _check_date(done_on, year, cutoff, r, head["completed_on"], raw_date, out)
        status = known_status.get(raw_status, "?")
        if status == "?":
            try:
                status = parse_status(raw_status)
            except ValueError as exc:
                out.error(
                    str(exc),
                    f"chọn một trong các giá trị: {STATUS_LIST}",
                    row=r,
                    column=head["status"],
                    value=raw_status,
                )
                continue
            known_status[raw_status] = status
        if status is None:
            if c_status is not None:
                out.warning(
                    "chưa chọn trạng thái, tạm coi là “Chưa triển khai”",
                    f"chọn một trong các giá trị: {STATUS_LIST}",
                    row=r,
                    column=head["status"],
                )
            status = "not_started"
        label = STATUSES[status]
        if status == "done":
            if done_on is None and is_blank(raw_date) and c_date is not None:
                out.error(
                    "nhiệm vụ “Hoàn thành” nhưng chưa ghi ngày hoàn thành",
                    f"ghi ngày hoàn thành dạng dd/mm/yyyy, không sau ngày {fmt_date(cutoff)}",
                    row=r,
                    column=head["completed_on"],
                )
            if percent is not None and percent < 100:
                out.error(
                    f"nhiệm vụ “Hoàn thành” nhưng tỷ lệ hoàn thành là {percent:g}% (phải là 100)",
                    "ghi 100, hoặc chọn “Đang thực hiện” nếu nhiệm vụ chưa xong",
                    row=r,
                    column=head["percent"],
                    value=raw_pct,
                )
            elif percent is None:
                percent = 100.0
        else:
            if done_on is not None:
                out.warning(
                    f"có ngày hoàn thành nhưng trạng thái là “{label}”",
                    "chọn “Hoàn thành” nếu nhiệm vụ đã xong, nếu chưa thì xóa ngày hoàn thành",
                    row=r,
                    column=head["completed_on"],
                    value=raw_date,
                )
            if status == "not_started" and percent:
                out.warning(
                    f"trạng thái “{label}” nhưng tỷ lệ hoàn thành là {percent:g}%",
                    "chọn “Đang thực hiện”, hoặc ghi tỷ lệ 0",
                    row=r,
                    column=head["percent"],
                    value=raw_pct,
                )
        fields = {
            "task_id": tid,
            "status": status,
            "percent": percent,
            "completed_on": done_on,
            "result": _text(row, c_result),
            "difficulties": _text(row, c_diff),
            "note": _text(row, c_note),
            "row": r,
        }
        if _FAST_PROGRESS:
            progress = object.__new__(TaskProgress)
            progress.__dict__.update(fields)
        else:
            progress = TaskProgress(**fields)
        result.append(progress)
    for t in plan.tasks:
        if t.id not in seen:
            out.error(
                f"thiếu dòng của nhiệm vụ {t.id} ({_short(t.task)})",
                f"khôi phục dòng của nhiệm vụ {t.id}, hoặc {TEMPLATE_FIX}",
                column=head["task_id"],
                value=t.id,
            )
    return tuple(result)


# Building 200,000 frozen dataclasses through __init__ costs ~1 s; filling __dict__
# gives equal objects at half the cost, as long as TaskProgress has no slots/post-init.
_FAST_PROGRESS = "__slots__" not in vars(TaskProgress) and not hasattr(
    TaskProgress, "__post_init__"
)


def _text(row: Sequence[object], c: int | None) -> str:
    if c is None:
        return ""
    value = row[c]
    return "" if value == "" or value is None else cell_text(value)


def _check_date(
    done_on: date | None, year: int, cutoff: date, r: int, column: str, raw: object, out
) -> None:
    if done_on is None:
        return
    start, end = year_window(year)
    if done_on < start or done_on.year > year:
        out.error(
            f"ngày hoàn thành {fmt_date(done_on)} nằm ngoài năm kế hoạch "
            f"(từ {fmt_date(start)} đến {fmt_date(end)})",
            "kiểm tra lại ngày, năm của ngày hoàn thành",
            row=r,
            column=column,
            value=raw,
        )
    elif done_on > cutoff:
        out.error(
            f"ngày hoàn thành {fmt_date(done_on)} sau ngày chốt số liệu của tháng "
            f"({fmt_date(cutoff)})",
            "kiểm tra lại ngày; việc hoàn thành sau ngày chốt được báo ở tháng sau",
            row=r,
            column=column,
            value=raw,
        )


_DATE_FIX = "ghi ngày dạng dd/mm/yyyy, ví dụ 10/03/2022"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def check_sequence(months: Sequence[MonthData]) -> list[Problem]:
    """Warn when a task marked ``Hoàn thành`` goes back to another status later on."""
    problems: list[Problem] = []
    done_in: dict[str, str] = {}
    for data in sorted(months, key=lambda d: d.month):
        for p in data.progress:
            first = done_in.get(p.task_id)
            if p.status == "done":
                done_in.setdefault(p.task_id, data.month)
            elif first is not None:
                problems.append(
                    Problem(
                        data.source,
                        f"nhiệm vụ {p.task_id} đã báo “Hoàn thành” ở tháng {first} "
                        f"nhưng tháng {data.month} lại báo “{STATUSES[p.status]}”",
                        "kiểm tra lại trạng thái; nếu nhiệm vụ phải làm lại thật, "
                        "ghi rõ lý do ở cột “Ghi chú”",
                        sheet=SHEET_PROGRESS,
                        row=p.row,
                        column="Trạng thái",
                        value=STATUSES[p.status],
                        severity="warning",
                    )
                )
    return problems
