"""``load_period``: everything one period needs, read from disk once.

The one place where the plan (with its sidecar files), the period, the monthly workbooks
and the results come together; the report, ``cchc indicators`` and the exploration
notebook all load a period through it. :func:`~cchc_lib.indicators.compute` itself is pure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.indicators.compute import compute
from cchc_lib.indicators.links import Link, load_links
from cchc_lib.indicators.results import Results
from cchc_lib.model import MonthData, Plan
from cchc_lib.periods import Period, parse_period

__all__ = ["PeriodData", "load_period", "period_from"]


@dataclass(frozen=True)
class PeriodData:
    """A period loaded: the plan with its links, the workbooks read and the results."""

    plan: Plan
    links: tuple[Link, ...]
    period: Period
    data: Path  # the folder of monthly workbooks
    months: tuple[MonthData, ...]  # the period's months and the earlier months of its year
    results: Results


def period_from(
    plan: Plan,
    links: tuple[Link, ...],
    data: str | os.PathLike[str],
    period: Period,
    *,
    required: bool = True,
) -> PeriodData:
    """Load ``period``'s workbooks from ``data`` for an already loaded plan and compute.

    Every month of the period must have its workbook; ``required=False`` is for another
    period read only for comparison: the months of the period that exist are read.
    """
    from cchc_lib.monthly import load_months, month_exists, months_for_period

    folder = Path(data)
    wanted = months_for_period(folder, period)
    if not required:
        wanted = tuple(m for m in wanted if month_exists(folder, m))
    months = load_months(folder, plan, months=wanted)
    results = compute(plan, months, period, links=links)
    return PeriodData(plan, links, period, folder, months, results)


def load_period(
    plan: str | os.PathLike[str],
    data: str | os.PathLike[str],
    period: str | Period,
    rule: str = "official",
) -> PeriodData:
    """Read the plan (with its ``<plan>.units.yaml`` and ``<plan>.links.yaml``), the workbooks
    ``period`` needs from ``data``, and compute the results.

    >>> p = load_period("data/plan/000_04455437811e3eec.txt", "data/2022", "2022-Q1")
    ... # doctest: +SKIP
    >>> p.results.summary.total  # doctest: +SKIP
    32
    """
    from cchc_lib.plan import load_plan

    per = period if isinstance(period, Period) else parse_period(period, rule=rule)
    return period_from(load_plan(Path(plan)), load_links(Path(plan)), data, per)
