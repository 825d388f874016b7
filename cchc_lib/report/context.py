"""Everything a report needs, loaded once: parameters, plan, period, monthly data, results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from cchc_lib.errors import ParameterError, Problem
from cchc_lib.indicators import Results
from cchc_lib.indicators.exports import Exports
from cchc_lib.indicators.load import (
    Comparison,
    Comparisons,
    load_comparisons,
    load_period,
)
from cchc_lib.model import MonthData, Plan
from cchc_lib.paths import resolve
from cchc_lib.periods import Period
from cchc_lib.report.parameters import ReportParameters


@dataclass(frozen=True)
class ReportContext:
    params: ReportParameters
    plan: Plan
    period: Period
    months: tuple[MonthData, ...]  # the year to date (the period's months all present)
    results: Results
    previous: Comparison | None = None  # the period just before (quarters, months)
    last_year: Comparison | None = None  # the same period of the previous year
    notes: tuple[str, ...] = field(default=())  # why a comparison is missing (for the analyst)
    warnings: tuple[Problem, ...] = field(default=())  # the workbooks' (for the analyst)
    exports: Exports | None = None  # the one-stop system's dossier exports, when there are

    @cached_property
    def dossier_statistics(self) -> Any:
        """Biểu 06 counts of the period by lĩnh vực (a ``DossierStats``), when the exports
        cover the whole period; else None."""
        if self.exports is None or not self.exports.covers(self.period):
            return None
        return self.exports.statistics(self.period, by="linh_vuc")

    @property
    def comparisons(self) -> Comparisons:
        return Comparisons(self.previous, self.last_year, self.notes)

    @property
    def checks(self) -> tuple[str, ...]:
        """What the analyst should check before signing (never printed in the report): the
        workbooks' warnings, then why a comparison is missing."""
        return tuple(str(w) for w in self.warnings) + self.notes

    @property
    def previous_year(self) -> Comparison | None:
        """The previous year (annual report), when its figures are there."""
        return self.last_year if self.period.kind == "year" else None

    # --- names -----------------------------------------------------------------------
    @property
    def agency(self) -> str:
        return self.params.agency or self.plan.meta.agency

    @property
    def parent(self) -> str:
        return self.params.parent_agency or self.plan.meta.parent or ""

    @property
    def abbreviation(self) -> str:
        """The agency's code in document numbers: "/KH-SCT" -> "SCT"."""
        m = re.search(r"/\s*[A-ZĐ]+-\s*([A-ZĐ0-9]+)", self.plan.meta.number or "")
        return m.group(1) if m else ""

    @property
    def report_date(self) -> date | None:
        if not self.params.report_date:
            return None
        try:
            return date.fromisoformat(self.params.report_date)
        except ValueError:
            raise ParameterError(
                f'Tham số report_date "{self.params.report_date}" không đúng dạng YYYY-MM-DD '
                "(ví dụ 2022-03-14)."
            ) from None

    @cached_property
    def is_annual(self) -> bool:
        return self.period.kind == "year"


def load_context(params: ReportParameters) -> ReportContext:
    """Load the plan and the workbooks the report's period needs, and compute the results."""
    from cchc_lib.report import charts

    charts.with_png(not params.formats or "docx" in params.formats)
    current = load_period(
        resolve(params.plan),
        resolve(params.data),
        params.report,
        rule=params.window_rule,
        dossiers=resolve(params.dossiers) if params.dossiers else "",
    )
    last_year = resolve(params.previous_year_data) if params.previous_year_data else ""
    comparisons = load_comparisons(current, previous_year_data=last_year, rule=params.window_rule)
    return ReportContext(
        params=params,
        plan=current.plan,
        period=current.period,
        months=current.months,
        results=current.results,
        previous=comparisons.previous,
        last_year=comparisons.last_year,
        notes=comparisons.notes,
        warnings=current.warnings,
        exports=current.exports,
    )
