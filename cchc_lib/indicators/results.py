"""Values of a period's results: task states, counts, target results, monthly points."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from cchc_lib.model import STATUSES
from cchc_lib.periods import Period

TIMELINESS = {
    "on_time": "Hoàn thành đúng hạn",
    "late": "Hoàn thành chậm so với kế hoạch",
    "overdue": "Quá hạn, chưa hoàn thành",
    "not_due": "Chưa đến hạn",
    "ongoing": "Thực hiện thường xuyên",
    "stopped": "Dừng thực hiện",
}
"""Timeliness codes of a task at the period end, with their Vietnamese labels."""

TASK_KINDS = {
    "timed": "Nhiệm vụ có thời hạn",
    "recurring": "Nhiệm vụ thường xuyên",
    "undated": "Nhiệm vụ không ghi thời hạn",
}
"""Kinds of task: with a deadline, recurring ("Thường xuyên", "Hằng quý"), or neither."""

DUE = {
    "due": "Đã đến hạn",  # the deadline is on or before the end of the period's window
    "due_soon": "Đến hạn trước ngày cuối tháng cuối kỳ",  # after the cut-off, same month
    "later": "Chưa đến hạn",
    "recurring": "Thường xuyên",
    "undated": "Không ghi thời hạn",
}
"""Where a task's deadline falls against the period. A deadline after the cut-off (the 14th)
but within the period's last calendar month is "due_soon": the report lists it as due before
that date, with its progress (DOMAIN §4)."""

TARGET_LABELS = {
    "met": "Đạt",
    "not_met": "Chưa đạt",
    "in_progress": "Đang thực hiện",
    "no_data": "Chưa có số liệu",
    "no_link": "Chưa có chỉ số để đánh giá",
    "done": "Hoàn thành",
    "done_late": "Hoàn thành chậm",
    "overdue": "Quá hạn",
    "not_started": "Chưa triển khai",
    "unknown": "Chưa công bố",
}
"""Status labels of a target measure."""


@dataclass(frozen=True)
class TaskState:
    """A task at the end of a period."""

    task_id: str
    area: str
    subarea: str | None
    lead: str
    status: str  # key of STATUSES
    percent: float | None
    completed_on: date | None
    result: str
    difficulties: str
    timeliness: str  # key of TIMELINESS
    completed_in_period: bool
    deadline_end: date | None
    deadline_raw: str
    source_month: str | None  # month whose row gave the state; None when never reported
    kind: str = "timed"  # key of TASK_KINDS: "timed" | "recurring" | "undated"
    due: str = "later"  # key of DUE: where the deadline falls against the period

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS[self.timeliness]


@dataclass(frozen=True)
class Summary:
    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    done_in_period: int = 0
    in_progress: int = 0
    not_started: int = 0
    stopped: int = 0
    overdue: int = 0
    ongoing: int = 0
    not_due: int = 0
    # time-bound tasks (with a deadline) apart from recurring ones
    timed: int = 0
    recurring: int = 0
    undated: int = 0
    timed_due: int = 0  # deadline on or before the window's end
    timed_due_on_time: int = 0
    timed_due_late: int = 0
    timed_overdue: int = 0
    timed_due_soon: int = 0  # deadline after the cut-off, before the end of the last month
    timed_due_soon_done: int = 0
    timed_later: int = 0  # not yet due
    timed_later_done: int = 0
    timed_later_in_progress: int = 0
    timed_later_not_started: int = 0
    recurring_not_started: int = 0

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class TargetResult:
    """One measure of a target, plan vs actual."""

    target_id: str
    text: str
    actual: float | None
    threshold: float
    comparator: str
    stretch: float | None
    unit: str
    met: bool | None
    status: str  # key of TARGET_LABELS
    stretch_met: bool | None = None
    numerator: float | None = None  # a ratio's parts ("52/89 TTHC đủ điều kiện")
    denominator: float | None = None
    denominator_label: str = ""
    judged_from: tuple[str, ...] = ()  # the tasks a target without a figure is judged from
    same_as: tuple[str, ...] = ()  # ids of targets measuring the same, counted once here
    formula: str = ""  # the link's formula in indicator codes
    measured: str = ""  # what is counted (the ratio's numerator, the sum's terms)
    link_id: str | None = None
    link_name: str | None = None
    yearly: bool = False
    months_used: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return TARGET_LABELS[self.status]


@dataclass(frozen=True)
class MonthPoint:
    """One month of the period, for charts; values are None for a missing month."""

    month: str
    present: bool
    values: tuple[tuple[str, float | None], ...]
    rates: tuple[tuple[str, float | None], ...]

    def value(self, code: str) -> float | None:
        return dict(self.values).get(code)

    def rate(self, code: str) -> float | None:
        return dict(self.rates).get(code)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate("ty_le_dung_han")

    @property
    def online_share(self) -> float | None:
        return self.rate("ty_le_truc_tuyen")


@dataclass(frozen=True)
class Results:
    """Everything a report needs about one period."""

    period: Period
    source: str
    tasks: tuple[TaskState, ...]
    summary: Summary
    by_area: tuple[tuple[str, str, Summary], ...]  # (area code, title, summary)
    by_lead: tuple[tuple[str, Summary], ...]  # (first lead unit, summary)
    indicators: tuple[tuple[str, float | None], ...]  # catalog order
    rates: tuple[tuple[str, float | None], ...]  # keys of RATES
    targets: tuple[TargetResult, ...]
    series: tuple[MonthPoint, ...]
    months_present: tuple[str, ...]
    months_missing: tuple[str, ...]
    narrative: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # key -> (month, text)

    def indicator(self, code: str) -> float | None:
        return dict(self.indicators).get(code)

    def rate(self, code: str) -> float | None:
        return dict(self.rates).get(code)

    def task(self, task_id: str) -> TaskState:
        for t in self.tasks:
            if t.task_id == task_id:
                return t
        raise KeyError(task_id)

    def texts(self, key: str) -> tuple[tuple[str, str], ...]:
        """Narrative texts of one NARRATIVE_KEYS key, per month of the period."""
        return dict(self.narrative).get(key, ())


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    name: str
    unit: str
    current: float | None
    previous: float | None
    change: float | None
