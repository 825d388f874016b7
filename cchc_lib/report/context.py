"""Everything a report needs, loaded once: parameters, plan, period, monthly data, results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from cchc_lib.errors import CchcError, ParameterError
from cchc_lib.indicators import Results
from cchc_lib.indicators.load import PeriodData, load_period, period_from
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
    previous: Results | None  # the preceding period, when its data exists
    previous_year: Results | None = None  # the previous year (annual report), when it exists
    notes: tuple[str, ...] = field(default=())

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


def _optional_results(
    current: PeriodData, folder: Path, period: Period
) -> tuple[Results | None, str]:
    """Results of another period when its workbooks are there and read, else None and why.

    The comparison is optional: another year's workbooks follow that year's plan, so any
    problem reading them leaves the report without the comparison, never without the report.
    """
    if not all((folder / f"{m}.xlsx").is_file() for m in period.months):
        return None, ""
    try:
        other = period_from(current.plan, current.links, folder, period)
    except CchcError as exc:
        first = str(exc).splitlines()[0].rstrip(":")
        return None, (
            f"Số liệu {period.label} có trong thư mục dữ liệu {folder.name} nhưng không đọc được "
            f"theo Kế hoạch này ({first}), nên báo cáo chưa so sánh với kỳ đó."
        )
    return other.results, ""


def data_folder_for(folder: Path, year: int, base_year: int) -> Path:
    """The folder of another year's workbooks: ``data/2021`` beside ``data/2022``."""
    if year == base_year:
        return folder
    if folder.name == str(base_year):
        return folder.with_name(str(year))
    return folder


def load_context(params: ReportParameters) -> ReportContext:
    """Load the plan and the workbooks the report's period needs, and compute the results."""
    from cchc_lib.report import charts

    charts.with_png(not params.formats or "docx" in params.formats)
    current = load_period(
        resolve(params.plan), resolve(params.data), params.report, rule=params.window_rule
    )
    period, folder = current.period, current.data
    prev_period = period.previous
    prev_folder = data_folder_for(folder, prev_period.year, period.year)
    previous, note = None, ""
    if prev_folder.is_dir() and (prev_period.year == period.year or prev_folder != folder):
        previous, note = _optional_results(current, prev_folder, prev_period)
    return ReportContext(
        params=params,
        plan=current.plan,
        period=period,
        months=current.months,
        results=current.results,
        previous=previous,
        previous_year=previous if period.kind == "year" else None,
        notes=(note,) if note else (),
    )
