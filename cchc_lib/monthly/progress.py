"""The "Tiến độ" sheet: one row per plan task, checked against the plan and the cut-off;
and the check across months (a task going back from "Hoàn thành").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cchc_lib.errors import Problem
from cchc_lib.fmt import fmt_date
from cchc_lib.model import STATUSES, MonthData, Plan, TaskProgress
from cchc_lib.monthly.cells import (
    STATUS_LIST,
    CellError,
    cell_text,
    error_code,
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
from cchc_lib.monthly.units import Scope
from cchc_lib.periods import year_window
from cchc_lib.text import fold

_PROGRESS_DATA = ("status", "percent", "completed_on", "result", "difficulties", "note")
_HEAD = {k: t for k, t, _ in PROGRESS_COLUMNS}
_STATUS_FIX = f"chọn một trong các giá trị: {STATUS_LIST}"


@dataclass(frozen=True)
class _Columns:
    """Where each column of the "Tiến độ" sheet is (None: missing from the header)."""

    task_id: int
    status: int | None
    percent: int | None
    completed_on: int | None
    result: int | None
    difficulties: int | None
    note: int | None
    data: tuple[int, ...]  # the columns a unit fills in
    width: int

    @classmethod
    def bind(cls, cols: Mapping[str, int]) -> _Columns:
        return cls(
            task_id=cols["task_id"],
            status=cols.get("status"),
            percent=cols.get("percent"),
            completed_on=cols.get("completed_on"),
            result=cols.get("result"),
            difficulties=cols.get("difficulties"),
            note=cols.get("note"),
            data=tuple(cols[k] for k in _PROGRESS_DATA if k in cols),
            width=max(cols.values()) + 1,
        )


class _ProgressRows:
    """Reads the rows of one "Tiến độ" sheet into ``TaskProgress`` values, recording problems."""

    def __init__(
        self, plan: Plan, cutoff: date, cols: _Columns, out: Collector, scope: Scope | None = None
    ) -> None:
        self.cols, self.out, self.cutoff = cols, out, cutoff
        self.year = plan.meta.year
        self.tasks = {t.id for t in plan.tasks}
        self.others: Mapping[str, str] = scope.others if scope is not None else {}
        self.seen: dict[str, int] = {}
        self.known_status: dict[object, str | None] = {}

    def read(self, row: Sequence[object], r: int) -> TaskProgress | None:
        """One row as a value, or None when the row is blank or cannot be used."""
        c = self.cols
        if len(row) < c.width:
            row = [*row, *([""] * (c.width - len(row)))]
        tid = self.task_id(row, r)
        if tid is None:
            return None
        percent = self.percent(row, r)
        done_on = self.completed_on(row, r)
        status = self.status(row, r)
        if status is None:
            return None
        percent = self.check_consistency(row, r, status, percent, done_on)
        fields = {
            "task_id": tid,
            "status": status,
            "percent": percent,
            "completed_on": done_on,
            "result": self.text(row, r, c.result, "result"),
            "difficulties": self.text(row, r, c.difficulties, "difficulties"),
            "note": self.text(row, r, c.note, "note"),
            "row": r,
        }
        if _FAST_PROGRESS:
            progress = object.__new__(TaskProgress)
            progress.__dict__.update(fields)
            return progress
        return TaskProgress(**fields)  # type: ignore[arg-type]

    def task_id(self, row: Sequence[object], r: int) -> str | None:
        raw = row[self.cols.task_id]
        if raw == "" or raw is None or (type(raw) is str and raw.isspace()):
            if any(not is_blank(row[k]) for k in self.cols.data):
                self.out.error(
                    "dòng có số liệu nhưng không có mã nhiệm vụ",
                    "ghi lại đúng mã nhiệm vụ của dòng (như biểu mẫu) hoặc xóa số liệu ở dòng này",
                    row=r,
                    column=_HEAD["task_id"],
                )
            return None
        if raw not in self.tasks and error_code(raw) is not None:
            self.out.error(
                f"ô mã nhiệm vụ có giá trị lỗi {error_code(raw)} của Excel",
                "ghi lại đúng mã nhiệm vụ như biểu mẫu",
                row=r,
                column=_HEAD["task_id"],
                value=str(raw),
            )
            return None
        tid = raw if raw in self.tasks else cell_text(raw)
        if tid not in self.tasks:
            self.out.error(
                f"mã nhiệm vụ {tid!r} không có trong kế hoạch",
                "dùng đúng mã nhiệm vụ như biểu mẫu; không thêm dòng nhiệm vụ mới",
                row=r,
                column=_HEAD["task_id"],
                value=raw,
            )
            return None
        if tid in self.seen:
            self.out.error(
                f"nhiệm vụ {tid} bị lặp (đã có ở dòng {self.seen[tid]})",
                "giữ một dòng cho mỗi nhiệm vụ, xóa dòng thừa",
                row=r,
                column=_HEAD["task_id"],
                value=raw,
            )
            return None
        self.seen[tid] = r
        if self.others and tid in self.others:
            if any(not is_blank(row[k]) for k in self.cols.data):
                self.out.error(
                    f"nhiệm vụ {tid}: {self.others[tid]}",
                    "xóa số liệu ở dòng này; tiến độ của nhiệm vụ do tệp của đơn vị chủ trì báo",
                    row=r,
                    column=_HEAD["task_id"],
                    value=raw,
                )
            return None
        return str(tid)

    def text(self, row: Sequence[object], r: int, c: int | None, key: str) -> str:
        """A free-text cell; an Excel error value in it is an error (never read as text)."""
        if c is None:
            return ""
        value = row[c]
        if value == "" or value is None:
            return ""
        if type(value) is CellError or (type(value) is str and value[:1] == "#"):
            code = error_code(value)
            if code is not None:
                self.out.error(
                    f"ô có giá trị lỗi {code} của Excel (công thức không tính được)",
                    "ghi nội dung bằng chữ, không dùng công thức lỗi",
                    row=r,
                    column=_HEAD[key],
                    value=code,
                )
                return ""
        return cell_text(value)

    def status(self, row: Sequence[object], r: int) -> str | None:
        """The status key; a blank status is "not_started" (warned); None when unknown."""
        c = self.cols.status
        raw = row[c] if c is not None else None
        status = self.known_status.get(raw, "?")
        if status == "?":
            try:
                status = parse_status(raw)
            except ValueError as exc:
                self.out.error(str(exc), _STATUS_FIX, row=r, column=_HEAD["status"], value=raw)
                return None
            self.known_status[raw] = status
        if status is None:
            if c is not None:
                self.out.warning(
                    "chưa chọn trạng thái, tạm coi là “Chưa triển khai”",
                    _STATUS_FIX,
                    row=r,
                    column=_HEAD["status"],
                )
            return "not_started"
        return status

    def percent(self, row: Sequence[object], r: int) -> float | None:
        c = self.cols.percent
        raw = row[c] if c is not None else None
        if type(raw) is float and 0.0 <= raw <= 100.0:  # fast path
            return raw
        return parse_cell(parse_percent, row, c, r, _HEAD["percent"], self.out, PERCENT_FIX)

    def completed_on(self, row: Sequence[object], r: int) -> date | None:
        c = self.cols.completed_on
        raw = row[c] if c is not None else None
        if raw == "" or raw is None:
            return None
        if isinstance(raw, date) and raw.year == self.year:  # fast path (date or datetime)
            fast = raw.date() if isinstance(raw, datetime) else raw
            if fast > self.cutoff:
                self.check_date(fast, r, raw)
            return fast
        done_on = parse_cell(parse_date, row, c, r, _HEAD["completed_on"], self.out, _DATE_FIX)
        self.check_date(done_on, r, raw)
        return done_on

    def check_date(self, done_on: date | None, r: int, raw: object) -> None:
        """A completion date lies in the plan year and on or before the month's cut-off."""
        if done_on is None:
            return
        start, end = year_window(self.year)
        if done_on < start or done_on.year > self.year:
            message = (
                f"ngày hoàn thành {fmt_date(done_on)} nằm ngoài năm kế hoạch "
                f"(từ {fmt_date(start)} đến {fmt_date(end)})"
            )
            fix = "kiểm tra lại ngày, năm của ngày hoàn thành"
        elif done_on > self.cutoff:
            message = (
                f"ngày hoàn thành {fmt_date(done_on)} sau ngày chốt số liệu của tháng "
                f"({fmt_date(self.cutoff)})"
            )
            fix = "kiểm tra lại ngày; việc hoàn thành sau ngày chốt được báo ở tháng sau"
        else:
            return
        self.out.error(message, fix, row=r, column=_HEAD["completed_on"], value=raw)

    def check_consistency(
        self,
        row: Sequence[object],
        r: int,
        status: str,
        percent: float | None,
        done_on: date | None,
    ) -> float | None:
        """Status, percent and date agree; returns the percent (100 for a done task left blank)."""
        c = self.cols
        raw_pct = row[c.percent] if c.percent is not None else None
        raw_date = row[c.completed_on] if c.completed_on is not None else None
        label = STATUSES[status]
        if status == "done":
            if done_on is None and is_blank(raw_date) and c.completed_on is not None:
                self.out.error(
                    "nhiệm vụ “Hoàn thành” nhưng chưa ghi ngày hoàn thành",
                    f"ghi ngày hoàn thành dạng dd/mm/yyyy, không sau ngày {fmt_date(self.cutoff)}",
                    row=r,
                    column=_HEAD["completed_on"],
                )
            if percent is None:
                return 100.0
            if percent < 100:
                self.out.error(
                    f"nhiệm vụ “Hoàn thành” nhưng tỷ lệ hoàn thành là {percent:g}% (phải là 100)",
                    "ghi 100, hoặc chọn “Đang thực hiện” nếu nhiệm vụ chưa xong",
                    row=r,
                    column=_HEAD["percent"],
                    value=raw_pct,
                )
            return percent
        if done_on is not None:
            self.out.warning(
                f"có ngày hoàn thành nhưng trạng thái là “{label}”",
                "chọn “Hoàn thành” nếu nhiệm vụ đã xong, nếu chưa thì xóa ngày hoàn thành",
                row=r,
                column=_HEAD["completed_on"],
                value=raw_date,
            )
        if status == "not_started" and percent:
            self.out.warning(
                f"trạng thái “{label}” nhưng tỷ lệ hoàn thành là {percent:g}%",
                "chọn “Đang thực hiện”, hoặc ghi tỷ lệ 0",
                row=r,
                column=_HEAD["percent"],
                value=raw_pct,
            )
        return percent


def read_progress(
    sheets: Mapping[str, Rows],
    name: str | None,
    plan: Plan,
    cutoff: date,
    out: Collector,
    scope: Scope | None = None,
) -> tuple[TaskProgress, ...]:
    """The rows of the "Tiến độ" sheet, checked against the plan and the month's cut-off.

    ``scope`` says which tasks the file must give (default: all) and which belong to other
    files of the month.
    """
    start = start_sheet(sheets, name, SHEET_PROGRESS, PROGRESS_COLUMNS, "task_id", out)
    if start is None:
        return ()
    rows, h, cols = start
    missing_columns(_PROGRESS_DATA, cols, PROGRESS_COLUMNS, h + 1, out)
    reader = _ProgressRows(plan, cutoff, _Columns.bind(cols), out, scope)
    result = [p for i in range(h + 1, len(rows)) if (p := reader.read(rows[i], i + 1)) is not None]
    wanted = scope.tasks if scope is not None else None
    for t in plan.tasks:
        if (wanted is None or t.id in wanted) and t.id not in reader.seen:
            out.error(
                f"thiếu dòng của nhiệm vụ {t.id} ({_short(t.task)})",
                f"khôi phục dòng của nhiệm vụ {t.id}, hoặc {TEMPLATE_FIX}",
                column=_HEAD["task_id"],
                value=t.id,
            )
    return tuple(result)


# Building 200,000 frozen dataclasses through __init__ costs ~1 s; filling __dict__
# gives equal objects at half the cost, as long as TaskProgress has no slots/post-init.
_FAST_PROGRESS = "__slots__" not in vars(TaskProgress) and not hasattr(
    TaskProgress, "__post_init__"
)


# a "Kết quả" that still reads as work under way (folded text, from its start)
_STILL_OPEN = re.compile(
    r"\W*(?:dang (?:thuc hien|trien khai|xay dung|hoan thien|du thao)|chua (?:hoan thanh|trien khai)"
    r"|chua xong)\b"
)

_DATE_FIX = "ghi ngày dạng dd/mm/yyyy, ví dụ 10/03/2022"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def check_sequence(months: Sequence[MonthData], plan_date: date | None = None) -> list[Problem]:
    """Warn when a task marked ``Hoàn thành`` goes back to another status later on, or its
    percent falls below the month before's; and when a done row contradicts itself (see
    :func:`_claims`), once for each task and text."""
    problems: list[Problem] = []
    claimed: set[tuple[str, object, str]] = set()
    done_in: dict[str, str] = {}
    last_pct: dict[str, tuple[str, float]] = {}
    for data in sorted(months, key=lambda d: d.month):
        origins = dict(data.origins)
        for p in data.progress:
            first = done_in.get(p.task_id)
            source = origins.get(p.task_id, data.source)
            before = last_pct.get(p.task_id)
            if p.percent is not None:
                if before is not None and p.percent < before[1] and first is None:
                    problems.append(_lower_percent(source, data.month, p, before))
                last_pct[p.task_id] = (data.month, p.percent)
            if p.status == "done":
                done_in.setdefault(p.task_id, data.month)
                key = (p.task_id, p.completed_on, p.result)
                if key not in claimed:
                    claimed.add(key)
                    problems.extend(_claims(source, p, plan_date))
            elif first is not None:
                problems.append(
                    Problem(
                        source,
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


def _claims(source: str, p: TaskProgress, plan_date: date | None) -> list[Problem]:
    """A row marked "Hoàn thành" that contradicts itself: done before the plan was issued
    (unless "Ghi chú" explains it), or its "Kết quả" still saying the work is under way."""
    out: list[Problem] = []
    done_on = p.completed_on
    if done_on is not None and plan_date is not None and done_on < plan_date and not p.note:
        out.append(
            Problem(
                source,
                f"nhiệm vụ {p.task_id}: ngày hoàn thành {fmt_date(done_on)} trước ngày ban hành "
                f"Kế hoạch ({fmt_date(plan_date)})",
                "kiểm tra lại ngày hoàn thành; nếu nhiệm vụ đã xong trước khi có Kế hoạch, "
                "ghi rõ ở cột “Ghi chú”",
                column=_HEAD["completed_on"],
                value=done_on,
                sheet=SHEET_PROGRESS,
                row=p.row,
                severity="warning",
            )
        )
    if p.result and _STILL_OPEN.match(fold(p.result)):
        out.append(
            Problem(
                source,
                f"nhiệm vụ {p.task_id} “Hoàn thành” nhưng kết quả ghi “{_short(p.result, 50)}”",
                "ghi kết quả, sản phẩm đã hoàn thành (văn bản đã ban hành…), hoặc chọn "
                "“Đang thực hiện” nếu nhiệm vụ chưa xong",
                column=_HEAD["result"],
                value=p.result,
                sheet=SHEET_PROGRESS,
                row=p.row,
                severity="warning",
            )
        )
    return out


def _lower_percent(source: str, month: str, p: TaskProgress, before: tuple[str, float]) -> Problem:
    return Problem(
        source,
        f"nhiệm vụ {p.task_id}: tỷ lệ hoàn thành {p.percent:g}% thấp hơn tháng "
        f"{before[0]} ({before[1]:g}%)",
        "kiểm tra lại tỷ lệ; tỷ lệ là khối lượng đã làm từ đầu năm, không giảm theo tháng "
        "(nếu phải làm lại, ghi lý do ở cột “Ghi chú”)",
        sheet=SHEET_PROGRESS,
        row=p.row,
        column=_HEAD["percent"],
        value=p.percent,
        severity="warning",
    )
