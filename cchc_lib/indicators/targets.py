"""Targets plan vs actual: each measure of the plan evaluated through its link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cchc_lib.indicators.links import Link
from cchc_lib.indicators.results import TargetResult
from cchc_lib.indicators.values import period_values
from cchc_lib.model import Measure, MonthData, Plan
from cchc_lib.periods import Period

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
            info: dict[str, Any] = {
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
