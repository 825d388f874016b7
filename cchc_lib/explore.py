"""Tables and charts for the analyst's exploration notebook: any period, any lead unit."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pandas as pd

from cchc_lib.catalog import load_catalog
from cchc_lib.indicators import RATES, STATUSES, TARGET_LABELS, TIMELINESS, Results
from cchc_lib.indicators.load import load_period
from cchc_lib.model import Plan
from cchc_lib.paths import resolve
from cchc_lib.report import charts
from cchc_lib.report.words import actual_value, plan_value, sentence_case


class Html(str):
    """HTML text that Jupyter renders inline."""

    def _repr_html_(self) -> str:
        return str(self)


def _img(svg: str) -> str:
    return '<img src="data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode() + '">'


@dataclass(frozen=True)
class View:
    plan: Plan
    results: Results
    unit: str = ""

    def _states(self):
        return [s for s in self.results.tasks if not self.unit or s.lead == self.unit]

    def summary_by_unit(self) -> pd.DataFrame:
        """Tasks per lead unit: total, done (on time, late), open, overdue."""
        rows = [
            {
                "Đơn vị chủ trì": unit,
                "Số nhiệm vụ": s.total,
                "Hoàn thành": s.done,
                "Đúng hạn": s.done_on_time,
                "Chậm": s.done_late,
                "Quá hạn": s.overdue,
                "Thường xuyên": s.ongoing,
            }
            for unit, s in self.results.by_lead
            if not self.unit or unit == self.unit
        ]
        return pd.DataFrame(rows).set_index("Đơn vị chủ trì")

    def tasks(self) -> pd.DataFrame:
        """Every task (of the unit) with its state at the period end."""
        rows = []
        for s in self._states():
            t = self.plan.task(s.task_id)
            rows.append(
                {
                    "Mã": s.task_id,
                    "Nhiệm vụ": t.task,
                    "Chủ trì": s.lead,
                    "Thời hạn": t.deadline.raw,
                    "Trạng thái": STATUSES.get(s.status, s.status),
                    "Tỷ lệ (%)": s.percent,
                    "Ngày hoàn thành": s.completed_on,
                    "Tiến độ": TIMELINESS.get(s.timeliness, s.timeliness),
                }
            )
        return pd.DataFrame(rows).set_index("Mã")

    def indicators(self) -> pd.DataFrame:
        """Indicator values over the period (flows summed, stocks at the end)."""
        catalog = load_catalog()
        rows = [
            {
                "Mã chỉ số": c,
                "Chỉ số": catalog[c].name,
                "Đơn vị": catalog[c].unit_label,
                "Giá trị": v,
            }
            for c, v in self.results.indicators
        ]
        rows += [
            {"Mã chỉ số": c, "Chỉ số": RATES[c][0], "Đơn vị": "%", "Giá trị": v}
            for c, v in self.results.rates
        ]
        return pd.DataFrame(rows).set_index("Mã chỉ số")

    def monthly(self) -> pd.DataFrame:
        """One row per month of the period, one column per indicator."""
        data = {p.month: dict(p.values) | dict(p.rates) for p in self.results.series if p.present}
        return pd.DataFrame(data).T

    def targets(self) -> pd.DataFrame:
        rows = [
            {
                "Chỉ tiêu": t.text,
                "Kế hoạch": plan_value(t),
                "Thực hiện": actual_value(t),
                "Đánh giá": TARGET_LABELS.get(t.status, t.status),
            }
            for t in self.results.targets
        ]
        return pd.DataFrame(rows)

    def chart_dossiers(self) -> Html:
        chart = charts.dossiers(self.results)
        return Html(_img(chart[0]) if chart else "<p>Không có số liệu hồ sơ.</p>")

    def chart_status(self) -> Html:
        chart = charts.task_status_by_area(
            self.results, lambda code, title: f"{code}. {sentence_case(title)[:34]}"
        )
        return Html(_img(chart[0]))


def load(
    *, report: str, plan: str, data: str, window_rule: str = "official", unit: str = ""
) -> View:
    """Load one period for exploration (``unit`` filters tasks by their first lead unit)."""
    loaded = load_period(resolve(plan), resolve(data), report, rule=window_rule)
    return View(loaded.plan, loaded.results, unit)
