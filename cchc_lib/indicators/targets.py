"""Targets plan vs actual: each measure of the plan evaluated through its link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from cchc_lib.indicators.links import Link
from cchc_lib.indicators.results import TargetResult, TaskState
from cchc_lib.indicators.values import period_values
from cchc_lib.model import Measure, MonthData, Plan, Target
from cchc_lib.periods import Period
from cchc_lib.text import fold

_EPS = 1e-9


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


def _ratio_parts(link: Link, values: Mapping[str, float | None]) -> dict[str, Any]:
    if link.formula != "ratio" or any(values.get(c) is None for c in link.codes):
        return {}
    return {
        "numerator": float(sum(values[c] or 0 for c in link.terms)),
        "denominator": float(sum(values[c] or 0 for c in link.denominator)),
        "denominator_label": link.denominator_label,
    }


def _linked(
    base: dict[str, Any],
    measure: Measure,
    link: Link,
    period: Period,
    values: Mapping[str, float | None],
    present: tuple[str, ...],
) -> TargetResult:
    """A measure with a figure: met, not met, in progress (yearly, before year end)."""
    actual = link.evaluate(values)
    info: dict[str, Any] = {
        "link_id": link.id,
        "link_name": link.name,
        "yearly": link.yearly,
        "months_used": present,
        "formula": link.describe(),
        "measured": f"{link.formula}:{'+'.join(link.terms)}",
        **_ratio_parts(link, values),
    }
    met = actual is not None and _meets(actual, measure.comparator, measure.value)
    if actual is None and measure.unit == "rank":
        # a rank is published the year after (DOMAIN §4): not known, in every period
        return TargetResult(**base, **info, actual=None, met=None, status="unknown")
    if link.yearly and not period.is_year_end and not (met and measure.comparator != "<="):
        # judged at year end; before that, progress on the year to date — unless already met;
        # a count still at nothing has not been started ("Sở chưa tổ chức kiểm tra …")
        nothing = actual == 0 and measure.comparator in (">=", ">") and measure.unit != "%"
        status = "not_started" if nothing else "in_progress"
        return TargetResult(**base, **info, actual=actual, met=None, status=status)
    if actual is None:
        # a rank is published the year after (DOMAIN §4): not known, rather than missing
        status = "unknown" if measure.unit == "rank" else "no_data"
        return TargetResult(**base, **info, actual=None, met=None, status=status)
    stretch = measure.stretch
    stretch_met = _meets(actual, measure.comparator, stretch) if stretch is not None else None
    status = "met" if met else "not_met"
    return TargetResult(
        **base, **info, actual=actual, met=met, status=status, stretch_met=stretch_met
    )


def _from_tasks(
    base: dict[str, Any], target: Target, states: Sequence[TaskState], period: Period
) -> TargetResult:
    """A measure without a figure, judged from the tasks of its appendix row."""
    row = [
        s
        for s in states
        if target.area is not None
        and s.area == target.area
        and s.subarea == target.subarea
        and _row_of(s.task_id) == target.row
    ]
    ids = tuple(s.task_id for s in row)
    if not row:
        return TargetResult(**base, actual=None, met=None, status="no_link")
    timed = [s for s in row if s.kind != "recurring"]
    if any(s.timeliness == "overdue" for s in row):
        status = "overdue"
    elif (
        timed
        and all(s.status == "done" for s in timed)
        and (period.is_year_end or len(timed) == len(row))
    ):
        status = "done_late" if any(s.timeliness == "late" for s in timed) else "done"
    elif not timed and period.is_year_end and all(s.status != "not_started" for s in row):
        status = "done"  # recurring work carried out through the year
    elif all(s.status == "not_started" for s in row):
        status = "not_started"
    else:
        status = "in_progress"
    met = True if status in ("done", "done_late") else None
    return TargetResult(**base, actual=None, met=met, status=status, judged_from=ids)


def _row_of(task_id: str) -> int | None:
    parts = task_id.split(".")
    try:
        return int(parts[-2])
    except (IndexError, ValueError):
        return None


def _same_key(t: TargetResult) -> tuple:
    """Targets measuring the same thing at the same threshold share this key (the same count
    against two sets — "50% TTHC" and "trong đó 50%" — is one target: the appendix row's)."""
    what = t.measured or " ".join(fold(t.text).split())
    return (what, t.comparator, t.threshold, t.stretch, t.unit)


def _deduplicate(results: list[TargetResult]) -> tuple[TargetResult, ...]:
    """One result per thing measured: the appendix row's (it has tasks), naming the others."""
    groups: dict[tuple, list[TargetResult]] = {}
    for t in results:
        groups.setdefault(_same_key(t), []).append(t)
    out = []
    for t in results:
        group = groups[_same_key(t)]
        keep = next((g for g in group if g.target_id.startswith("PL.")), group[0])
        if t is keep:
            others = tuple(g.target_id for g in group if g is not keep)
            out.append(replace(t, same_as=others) if others else t)
    return tuple(out)


def _evaluate_targets(
    plan: Plan,
    links: Mapping[Measure, Link],
    months: Sequence[MonthData],
    period: Period,
    values: Mapping[str, float | None],
    states: Sequence[TaskState] = (),
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
                out.append(_from_tasks(base, target, states, period))
            elif link.yearly:
                out.append(_linked(base, measure, link, period, ytd_values, ytd_present))
            else:
                out.append(_linked(base, measure, link, period, values, period_present))
    return _deduplicate(out)
