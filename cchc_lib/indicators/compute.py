"""``compute``: the results of a period from the plan and the monthly data; ``compare``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from cchc_lib.catalog import Catalog, load_catalog, plan_catalog
from cchc_lib.indicators.links import Link, link_measures
from cchc_lib.indicators.results import ComparisonRow, MonthPoint, Results, Summary, TaskState
from cchc_lib.indicators.targets import _evaluate_targets
from cchc_lib.indicators.tasks import _latest_rows, _task_state, summarize
from cchc_lib.indicators.values import RATES, _rates, period_values
from cchc_lib.model import NARRATIVE_KEYS, MonthData, Plan
from cchc_lib.periods import Period


def _by_area(plan: Plan, states: Sequence[TaskState]) -> tuple[tuple[str, str, Summary], ...]:
    order = [a.code for a in plan.areas]
    order += [s.area for s in states if s.area not in order]
    titles = {a.code: a.title for a in plan.areas}
    return tuple(
        (code, titles.get(code, ""), summarize([s for s in states if s.area == code]))
        for code in dict.fromkeys(order)
    )


def _series(
    months: Sequence[MonthData], period: Period, catalog: Catalog
) -> tuple[MonthPoint, ...]:
    by_month = {m.month: m for m in months}
    codes = catalog.codes
    out = []
    for label in period.months:
        md = by_month.get(label)
        mv = period_values([md], [label], catalog) if md else dict.fromkeys(codes)
        out.append(MonthPoint(label, md is not None, tuple(mv.items()), _rates(mv)))
    return tuple(out)


def _narrative(
    months: Sequence[MonthData], period: Period
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    by_month = {m.month: m for m in months}
    return tuple(
        (
            key,
            tuple(
                (label, by_month[label].text(key))
                for label in period.months
                if label in by_month and by_month[label].text(key).strip()
            ),
        )
        for key in NARRATIVE_KEYS
    )


def compute(
    plan: Plan,
    months: Sequence[MonthData],
    period: Period,
    *,
    links: Sequence[Link],
) -> Results:
    """Results of ``plan`` over ``period`` from the monthly data (pure: reads no file).

    ``months`` may hold more than the period (earlier months of the year feed
    yearly targets' progress and tasks' last known state); period figures use
    only the period's months. ``links`` are the target links to evaluate the plan's
    measures with (:func:`~cchc_lib.indicators.links.load_links` gives the plan's own).
    """
    present = {m.month for m in months}
    rows = _latest_rows(months, period.months[-1])
    states = tuple(_task_state(t, rows.get(t.id), period) for t in plan.tasks)
    leads = dict.fromkeys(s.lead for s in states)
    catalog = plan_catalog(plan)
    values = period_values(months, period.months, catalog)
    return Results(
        period=period,
        source=plan.source,
        tasks=states,
        summary=summarize(states),
        by_area=_by_area(plan, states),
        by_lead=tuple((u, summarize([s for s in states if s.lead == u])) for u in leads),
        indicators=tuple(values.items()),
        rates=_rates(values),
        targets=_evaluate_targets(
            plan, link_measures(plan, tuple(links)), months, period, values, states
        ),
        series=_series(months, period, catalog),
        months_present=tuple(m for m in period.months if m in present),
        months_missing=tuple(m for m in period.months if m not in present),
        narrative=_narrative(months, period),
    )


class _Figures(Protocol):
    """What ``compare`` reads of the other period: :class:`Results` or a ``Comparison``."""

    @property
    def indicators(self) -> Iterable[tuple[str, float | None]] | Mapping[str, float | None]: ...

    @property
    def rates(self) -> Iterable[tuple[str, float | None]] | Mapping[str, float | None]: ...


def compare(
    current: Results, previous: _Figures | None, catalog: Catalog | None = None
) -> tuple[ComparisonRow, ...]:
    """Per indicator and rate: (current, previous, change); change None when one side is."""
    catalog = catalog or load_catalog(current.period.year)
    prev_ind = dict(previous.indicators) if previous else {}
    prev_rates = dict(previous.rates) if previous else {}
    rows = []
    for code, value in current.indicators:
        ind = catalog.get(code)
        name, unit = (ind.name, ind.unit) if ind else (code, "count")
        rows.append(_row(code, name, unit, value, prev_ind.get(code)))
    for code, value in current.rates:
        rows.append(_row(code, RATES[code][0], "%", value, prev_rates.get(code)))
    return tuple(rows)


def _row(code: str, name: str, unit: str, cur: float | None, prev: float | None) -> ComparisonRow:
    change = cur - prev if cur is not None and prev is not None else None
    return ComparisonRow(code, name, unit, cur, prev, change)
