"""``compute``: the results of a period from the plan and the monthly data; ``compare``."""

from __future__ import annotations

from collections.abc import Sequence

from cchc_lib.catalog import load_catalog
from cchc_lib.indicators.links import Link, default_links, link_measures, load_links
from cchc_lib.indicators.results import ComparisonRow, MonthPoint, Results
from cchc_lib.indicators.targets import _evaluate_targets
from cchc_lib.indicators.tasks import _latest_rows, _task_state, summarize
from cchc_lib.indicators.values import RATES, _rates, period_values
from cchc_lib.model import NARRATIVE_KEYS, MonthData, Plan
from cchc_lib.periods import Period


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
