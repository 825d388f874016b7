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

from cchc_lib.indicators.compute import compare, compute
from cchc_lib.indicators.contract import to_json
from cchc_lib.indicators.results import (
    TARGET_LABELS,
    TIMELINESS,
    ComparisonRow,
    MonthPoint,
    Results,
    Summary,
    TargetResult,
    TaskState,
)
from cchc_lib.indicators.tasks import summarize, tasks_due, timeliness
from cchc_lib.indicators.values import RATES, period_values
from cchc_lib.model import STATUSES

__all__ = [
    "RATES",
    "STATUSES",
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
    "summarize",
    "tasks_due",
    "timeliness",
    "to_json",
]
