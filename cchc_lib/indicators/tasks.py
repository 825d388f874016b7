"""Task states at the end of a period: timeliness, latest rows, counts, tasks due."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from cchc_lib.indicators.results import Summary, TaskState
from cchc_lib.model import MonthData, Plan, Task, TaskProgress
from cchc_lib.periods import Period

_NO_LEAD = "Chưa xác định đơn vị chủ trì"


def timeliness(task: Task, status: str, completed_on: date | None, period: Period) -> str:
    """Timeliness of a task at the end of ``period``.

    stopped -> "stopped"; done on/before the deadline's end (or with no dated
    deadline) -> "on_time", after -> "late"; otherwise recurring -> "ongoing",
    deadline ended before the window's end -> "overdue", else "not_due".
    """
    end = task.deadline.end
    if status == "stopped":
        return "stopped"
    if status == "done":
        if end is None or completed_on is None or completed_on <= end:
            return "on_time"
        return "late"
    if task.deadline.ongoing:
        return "ongoing"
    if end is not None and end < period.end:
        return "overdue"
    return "not_due"


def task_kind(task: Task) -> str:
    """ "recurring", "timed" (a deadline to meet) or "undated"."""
    if task.deadline.ongoing:
        return "recurring"
    return "timed" if task.deadline.end is not None else "undated"


def month_end(period: Period) -> date:
    """The last calendar day of the period's last month (30/6 for H1, whatever the rule)."""
    year, month = int(period.months[-1][:4]), int(period.months[-1][5:])
    return date(year, month, calendar.monthrange(year, month)[1])


def due_class(task: Task, period: Period) -> str:
    """Where the task's deadline falls against ``period`` (a key of ``DUE``)."""
    kind = task_kind(task)
    if kind != "timed":
        return kind
    end = task.deadline.end
    assert end is not None
    if end <= period.end:
        return "due"
    if end <= month_end(period):
        return "due_soon"
    return "later"


def _latest_rows(months: Sequence[MonthData], last: str) -> dict[str, tuple[str, TaskProgress]]:
    rows: dict[str, tuple[str, TaskProgress]] = {}
    for md in sorted((m for m in months if m.month <= last), key=lambda m: m.month):
        for p in md.progress:
            rows[p.task_id] = (md.month, p)
    return rows


def _task_state(task: Task, row: tuple[str, TaskProgress] | None, period: Period) -> TaskState:
    month, p = row if row else (None, None)
    status = p.status if p else "not_started"
    percent = p.percent if p else None
    completed_on = p.completed_on if p else None
    if status == "done" and completed_on is not None and completed_on > period.end:
        # Completed after the window closed: not yet done at the period end.
        status, completed_on = "in_progress", None
        percent = percent if percent is not None and percent < 100 else None
    if status != "done":
        completed_on = None
    return TaskState(
        task_id=task.id,
        area=task.area,
        subarea=task.subarea,
        lead=task.lead[0] if task.lead else _NO_LEAD,
        status=status,
        percent=percent,
        completed_on=completed_on,
        result=p.result if p else "",
        difficulties=p.difficulties if p else "",
        timeliness=timeliness(task, status, completed_on, period),
        completed_in_period=bool(
            status == "done" and completed_on is not None and period.contains(completed_on)
        ),
        deadline_end=task.deadline.end,
        deadline_raw=task.deadline.raw,
        source_month=month,
        kind=task_kind(task),
        due=due_class(task, period),
    )


def summarize(states: Sequence[TaskState]) -> Summary:
    """Counts of task states; ``overdue``/``ongoing``/``not_due`` overlap status counts."""
    return Summary(
        total=len(states),
        done=sum(s.status == "done" for s in states),
        done_on_time=sum(s.status == "done" and s.timeliness == "on_time" for s in states),
        done_late=sum(s.status == "done" and s.timeliness == "late" for s in states),
        done_in_period=sum(s.completed_in_period for s in states),
        in_progress=sum(s.status == "in_progress" for s in states),
        not_started=sum(s.status == "not_started" for s in states),
        stopped=sum(s.status == "stopped" for s in states),
        overdue=sum(s.timeliness == "overdue" for s in states),
        ongoing=sum(s.timeliness == "ongoing" for s in states),
        not_due=sum(s.timeliness == "not_due" for s in states),
        **_timed_counts(states),
    )


def _timed_counts(states: Sequence[TaskState]) -> dict[str, int]:
    timed = [s for s in states if s.kind == "timed"]
    due = [s for s in timed if s.due == "due"]
    soon = [s for s in timed if s.due == "due_soon"]
    later = [s for s in timed if s.due == "later"]
    return {
        "timed": len(timed),
        "recurring": sum(s.kind == "recurring" for s in states),
        "undated": sum(s.kind == "undated" for s in states),
        "timed_due": len(due),
        "timed_due_on_time": sum(s.status == "done" and s.timeliness == "on_time" for s in due),
        "timed_due_late": sum(s.status == "done" and s.timeliness == "late" for s in due),
        "timed_overdue": sum(s.timeliness == "overdue" for s in due),
        "timed_due_soon": len(soon),
        "timed_due_soon_done": sum(s.status == "done" for s in soon),
        "timed_later": len(later),
        "timed_later_done": sum(s.status == "done" for s in later),
        "timed_later_in_progress": sum(s.status == "in_progress" for s in later),
        "timed_later_not_started": sum(s.status == "not_started" for s in later),
        "recurring_not_started": sum(
            s.kind == "recurring" and s.status == "not_started" for s in states
        ),
    }


def tasks_due(plan: Plan, period: Period) -> tuple[Task, ...]:
    """Tasks whose deadline ends in one of the period's months (calendar month of the date).

    Used for "nhiệm vụ kỳ tới" with ``period.next``; recurring tasks are left out.
    """
    return tuple(
        t
        for t in plan.tasks
        if t.deadline.end is not None
        and not t.deadline.ongoing
        and f"{t.deadline.end.year:04d}-{t.deadline.end.month:02d}" in period.months
    )
