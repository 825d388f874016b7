"""Results of a period: task states, indicator values, targets plan vs actual.

``compute(plan, months, period)`` is pure: it reads validated ``MonthData`` and
returns a frozen :class:`Results`; ``to_json`` turns it into the stable JSON
contract used by the CLI and the report notebooks.

Rules (see DOMAIN.md §2):

- A task's state at the period end is its row in the latest month present up
  to the period's last month. A completion dated after the window's end does
  not count yet (the task is still "in progress" at the period end).
- Indicators: ``flow`` values are summed over the period's months present,
  ``stock`` values are those of the last month with a value; None when no
  month has a value.
- Targets: every measure of the plan is evaluated through its link
  (``links.yaml``); yearly links are judged only in a period holding December,
  earlier ones show progress on the year to date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from cchc_lib.catalog import load_catalog
from cchc_lib.indicators.links import Link, default_links, link_measures, load_links
from cchc_lib.model import NARRATIVE_KEYS, STATUSES, Measure, MonthData, Plan, Task, TaskProgress
from cchc_lib.periods import Period

__all__ = [
    "RATES",
    "TARGET_LABELS",
    "TIMELINESS",
    "ComparisonRow",
    "MonthPoint",
    "Results",
    "Summary",
    "TargetResult",
    "TaskState",
    "compare",
    "compute",
    "period_values",
    "tasks_due",
    "timeliness",
    "to_json",
]

TIMELINESS = {
    "on_time": "Hoàn thành đúng hạn",
    "late": "Hoàn thành chậm so với kế hoạch",
    "overdue": "Quá hạn, chưa hoàn thành",
    "not_due": "Chưa đến hạn",
    "ongoing": "Thực hiện thường xuyên",
    "stopped": "Dừng thực hiện",
}
"""Timeliness codes of a task at the period end, with their Vietnamese labels."""

TARGET_LABELS = {
    "met": "Đạt",
    "not_met": "Chưa đạt",
    "in_progress": "Đang thực hiện",
    "no_data": "Chưa có số liệu",
    "no_link": "Chưa có chỉ số để đánh giá",
}
"""Status labels of a target measure."""

RATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "ty_le_dung_han": (
        "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
        ("hs_truoc_han", "hs_dung_han"),
        ("hs_truoc_han", "hs_dung_han", "hs_tre_han"),
    ),
    "ty_le_truc_tuyen": (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        ("hs_truc_tuyen",),
        ("hs_tiep_nhan",),
    ),
    "ty_le_ky_so": ("Tỷ lệ văn bản đi có chữ ký số", ("vb_di_ky_so",), ("vb_di",)),
}
"""Derived rates (%): code -> (Vietnamese name, numerator codes, denominator codes)."""

_NO_LEAD = "Chưa xác định đơn vị chủ trì"
_EPS = 1e-9


# --- values -----------------------------------------------------------------------


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


# --- tasks ------------------------------------------------------------------------


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
    )


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


# --- indicators -------------------------------------------------------------------


def period_values(months: Sequence[MonthData], labels: Sequence[str]) -> dict[str, float | None]:
    """Catalog indicators over the given month labels (flow: sum, stock: last value).

    Months not present in ``months`` are skipped; a code none of them reports is None.
    """
    wanted = set(labels)
    chosen = sorted((m for m in months if m.month in wanted), key=lambda m: m.month)
    out: dict[str, float | None] = {}
    for ind in load_catalog().indicators:
        vals = [v for v in (m.indicator(ind.code) for m in chosen) if v is not None]
        if not vals:
            out[ind.code] = None
        elif ind.kind == "flow":
            out[ind.code] = float(sum(vals))
        else:
            out[ind.code] = float(vals[-1])
    return out


def _rate(
    values: Mapping[str, float | None], num: Sequence[str], den: Sequence[str]
) -> float | None:
    if any(values.get(c) is None for c in (*num, *den)):
        return None
    d = sum(values[c] or 0 for c in den)
    if d == 0:
        return None
    return 100.0 * sum(values[c] or 0 for c in num) / d


def _rates(values: Mapping[str, float | None]) -> tuple[tuple[str, float | None], ...]:
    return tuple((code, _rate(values, num, den)) for code, (_, num, den) in RATES.items())


# --- targets ----------------------------------------------------------------------


def _meets(actual: float, comparator: str, value: float) -> bool:
    """Compare an actual value with a threshold.

    "=" reads as "reach this level" (01 cuộc kiểm tra is met by 2) except for a
    zero threshold, which must be met exactly.
    """
    if comparator in (">=", "≥"):
        return actual >= value - _EPS
    if comparator == ">":
        return actual > value + _EPS
    if comparator in ("<=", "≤"):
        return actual <= value + _EPS
    if comparator == "<":
        return actual < value - _EPS
    if value == 0:
        return abs(actual) <= _EPS
    return actual >= value - _EPS


def _evaluate_targets(
    plan: Plan,
    links: Mapping[Measure, Link],
    months: Sequence[MonthData],
    period: Period,
    values: Mapping[str, float | None],
) -> tuple[TargetResult, ...]:
    ytd_labels = period.year_to_date
    ytd_present = tuple(m for m in ytd_labels if any(md.month == m for md in months))
    ytd_values = period_values(months, ytd_labels)
    period_present = tuple(m for m in period.months if any(md.month == m for md in months))
    out: list[TargetResult] = []
    for target in plan.targets:
        for measure in target.measures:
            link = links.get(measure)
            base: dict[str, Any] = {
                "target_id": target.id,
                "text": measure.text,
                "threshold": measure.value,
                "comparator": measure.comparator,
                "stretch": measure.stretch,
                "unit": measure.unit,
            }
            if link is None:
                out.append(TargetResult(**base, actual=None, met=None, status="no_link"))
                continue
            used = ytd_present if link.yearly else period_present
            actual = link.evaluate(ytd_values if link.yearly else values)
            info = {
                "link_id": link.id,
                "link_name": link.name,
                "yearly": link.yearly,
                "months_used": used,
            }
            if link.yearly and not period.is_year_end:
                # Judged at year end; before that, progress on the year to date.
                out.append(
                    TargetResult(**base, **info, actual=actual, met=None, status="in_progress")
                )
                continue
            if actual is None:
                out.append(TargetResult(**base, **info, actual=None, met=None, status="no_data"))
                continue
            met = _meets(actual, measure.comparator, measure.value)
            stretch_met = (
                _meets(actual, measure.comparator, measure.stretch)
                if measure.stretch is not None
                else None
            )
            out.append(
                TargetResult(
                    **base,
                    **info,
                    actual=actual,
                    met=met,
                    status="met" if met else "not_met",
                    stretch_met=stretch_met,
                )
            )
    return tuple(out)


# --- compute ----------------------------------------------------------------------


def compute(
    plan: Plan,
    months: Sequence[MonthData],
    period: Period,
    links: Sequence[Link] | None = None,
) -> Results:
    """Results of ``plan`` over ``period`` from the monthly data.

    ``months`` may hold more than the period (earlier months of the year feed
    yearly targets' progress and tasks' last known state); period figures use
    only the period's months. ``links`` defaults to :func:`load_links` for
    ``plan.source`` (the shipped links plus the plan's ``<stem>.links.yaml``).
    """
    if links is None:
        links = load_links(plan.source) if plan.source else default_links()
    present = {m.month for m in months}
    last = period.months[-1]
    rows = _latest_rows(months, last)
    states = tuple(_task_state(t, rows.get(t.id), period) for t in plan.tasks)

    area_order = [a.code for a in plan.areas]
    area_order += [s.area for s in states if s.area not in area_order]
    area_titles = {a.code: a.title for a in plan.areas}
    by_area = tuple(
        (code, area_titles.get(code, ""), summarize([s for s in states if s.area == code]))
        for code in dict.fromkeys(area_order)
    )
    leads = dict.fromkeys(s.lead for s in states)
    by_lead = tuple((u, summarize([s for s in states if s.lead == u])) for u in leads)

    values = period_values(months, period.months)
    by_month = {m.month: m for m in months}
    series = []
    for label in period.months:
        md = by_month.get(label)
        mv = period_values([md], [label]) if md else dict.fromkeys(values)
        series.append(MonthPoint(label, md is not None, tuple(mv.items()), _rates(mv)))

    narrative = []
    for key in NARRATIVE_KEYS:
        texts = tuple(
            (label, by_month[label].text(key))
            for label in period.months
            if label in by_month and by_month[label].text(key).strip()
        )
        narrative.append((key, texts))

    return Results(
        period=period,
        source=plan.source,
        tasks=states,
        summary=summarize(states),
        by_area=by_area,
        by_lead=by_lead,
        indicators=tuple(values.items()),
        rates=_rates(values),
        targets=_evaluate_targets(plan, link_measures(plan, tuple(links)), months, period, values),
        series=tuple(series),
        months_present=tuple(m for m in period.months if m in present),
        months_missing=tuple(m for m in period.months if m not in present),
        narrative=tuple(narrative),
    )


def compare(current: Results, previous: Results | None) -> tuple[ComparisonRow, ...]:
    """Per indicator and rate: (current, previous, change); change None when one side is."""
    catalog = load_catalog()
    prev_ind = dict(previous.indicators) if previous else {}
    prev_rates = dict(previous.rates) if previous else {}
    rows = []
    for code, value in current.indicators:
        ind = catalog[code]
        rows.append(_row(code, ind.name, ind.unit, value, prev_ind.get(code)))
    for code, value in current.rates:
        rows.append(_row(code, RATES[code][0], "%", value, prev_rates.get(code)))
    return tuple(rows)


def _row(code: str, name: str, unit: str, cur: float | None, prev: float | None) -> ComparisonRow:
    change = cur - prev if cur is not None and prev is not None else None
    return ComparisonRow(code, name, unit, cur, prev, change)


# --- JSON -------------------------------------------------------------------------


def _num(value: float | None, unit: str = "count") -> float | int | None:
    """Counts as int when whole; percentages to 1 decimal; others to 2."""
    if value is None:
        return None
    if unit == "%":
        return round(float(value), 1)
    if float(value).is_integer():
        return int(value)
    return round(float(value), 2)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _summary_json(s: Summary) -> dict[str, int]:
    return s.to_dict()


def to_json(results: Results) -> dict[str, Any]:
    """The stable JSON form of results (keys may be added, never removed)."""
    catalog = load_catalog()
    p = results.period
    return {
        "period": {
            "code": p.code,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "months": list(p.months),
            "label": p.label,
            "rule": p.rule,
            "rule_label": p.rule_label,
            "months_present": list(results.months_present),
            "months_missing": list(results.months_missing),
        },
        "source": results.source,
        "tasks": [
            {
                "id": t.task_id,
                "status": t.status,
                "percent": _num(t.percent, "%"),
                "completed_on": _iso(t.completed_on),
                "timeliness": t.timeliness,
                "completed_in_period": t.completed_in_period,
                "area": t.area,
                "lead": t.lead,
                "deadline_end": _iso(t.deadline_end),
                "result": t.result,
                "difficulties": t.difficulties,
            }
            for t in results.tasks
        ],
        "summary": _summary_json(results.summary),
        "by_area": [
            {"area": code, "title": title, **_summary_json(s)} for code, title, s in results.by_area
        ],
        "by_lead": [{"unit": u, **_summary_json(s)} for u, s in results.by_lead],
        "indicators": {c: _num(v, catalog[c].unit) for c, v in results.indicators},
        "rates": {c: _num(v, "%") for c, v in results.rates},
        "targets": [
            {
                "target_id": t.target_id,
                "text": t.text,
                "actual": _num(t.actual, t.unit),
                "threshold": _num(t.threshold, t.unit),
                "comparator": t.comparator,
                "stretch": _num(t.stretch, t.unit),
                "unit": t.unit,
                "met": t.met,
                "status": t.status_label,
                "stretch_met": t.stretch_met,
                "link": t.link_id,
                "yearly": t.yearly,
                "months_used": list(t.months_used),
            }
            for t in results.targets
        ],
        "series": [
            {
                "month": m.month,
                "present": m.present,
                "values": {c: _num(v, catalog[c].unit) for c, v in m.values},
                "on_time_rate": _num(m.on_time_rate, "%"),
                "online_share": _num(m.online_share, "%"),
            }
            for m in results.series
        ],
    }
