"""Tables and charts for the analyst's exploration notebook: any period, any lead unit."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pandas as pd

from cchc_lib.catalog import plan_catalog
from cchc_lib.errors import CchcError
from cchc_lib.indicators import RATES, STATUSES, TARGET_LABELS, TIMELINESS, Results, summarize
from cchc_lib.indicators.load import load_period
from cchc_lib.model import Plan, Task
from cchc_lib.paths import resolve
from cchc_lib.report import charts
from cchc_lib.report.words import actual_value, plan_value, sentence_case
from cchc_lib.text import fold, nfc


class Html(str):
    """HTML text that Jupyter renders inline."""

    def _repr_html_(self) -> str:
        return str(self)


def _img(svg: str) -> str:
    return '<img src="data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode() + '">'


def plan_units(plan: Plan) -> tuple[str, ...]:
    """Every unit the plan names, as lead (chủ trì) or partner (phối hợp), in plan order."""
    return tuple(dict.fromkeys(u for t in plan.tasks for u in (*t.lead, *t.partners)))


def find_unit(plan: Plan, name: str) -> str:
    """The plan's name of unit ``name`` (its canonical name or an alias, any case or
    diacritics); a ``CchcError`` listing the plan's units when there is none."""
    from cchc_lib.plan.units import aliases_for

    units = {fold(u): u for u in plan_units(plan)}
    wanted = fold(nfc(name))
    if wanted in units:
        return units[wanted]
    try:
        alias = aliases_for(plan.source).get(wanted)
    except CchcError:
        alias = None
    if alias is not None and fold(alias) in units:
        return units[fold(alias)]
    raise CchcError(
        f"Không có đơn vị “{name}” trong kế hoạch. Các đơn vị: " + "; ".join(plan_units(plan)) + "."
    )


def role(task: Task, unit: str) -> str:
    """ "Chủ trì", "Phối hợp" or "" for ``unit`` in ``task``."""
    if unit in task.lead:
        return "Chủ trì"
    return "Phối hợp" if unit in task.partners else ""


_LATE = ("overdue", "late")


@dataclass(frozen=True)
class View:
    plan: Plan
    results: Results
    unit: str = ""  # the plan's name of the unit (see find_unit); "" = every task

    def _states(self):
        return [
            s
            for s in self.results.tasks
            if not self.unit or role(self.plan.task(s.task_id), self.unit)
        ]

    def summary_by_unit(self) -> pd.DataFrame:
        """Tasks per lead unit (the first named): total, done (on time, late), open, overdue;
        for one unit: the tasks it leads (with others too) and those it partners on."""
        if self.unit:
            groups: dict[str, list] = {"Chủ trì": [], "Phối hợp": []}
            for s in self._states():
                groups[role(self.plan.task(s.task_id), self.unit)].append(s)
            pairs = [(f"{self.unit} – {k.lower()}", summarize(v)) for k, v in groups.items()]
        else:
            pairs = list(self.results.by_lead)
        rows = [
            {
                "Đơn vị": unit,
                "Số nhiệm vụ": s.total,
                "Hoàn thành": s.done,
                "Đúng hạn": s.done_on_time,
                "Chậm": s.done_late,
                "Quá hạn": s.overdue,
                "Thường xuyên": s.ongoing,
            }
            for unit, s in pairs
        ]
        return pd.DataFrame(rows, columns=list(_SUMMARY_COLUMNS)).set_index("Đơn vị")

    def tasks(self) -> pd.DataFrame:
        """Every task (of the unit, as lead or partner) with its state at the period end."""
        rows = []
        for s in self._states():
            t = self.plan.task(s.task_id)
            rows.append(
                {
                    "Mã": s.task_id,
                    "Nhiệm vụ": t.task,
                    "Chủ trì": ", ".join(t.lead),
                    "Phối hợp": ", ".join(t.partners),
                    **({"Vai trò": role(t, self.unit)} if self.unit else {}),
                    "Thời hạn": t.deadline.raw,
                    "Trạng thái": STATUSES.get(s.status, s.status),
                    "Tỷ lệ (%)": s.percent,
                    "Ngày hoàn thành": s.completed_on,
                    "Tiến độ": TIMELINESS.get(s.timeliness, s.timeliness),
                }
            )
        return pd.DataFrame(rows, columns=_task_columns(bool(self.unit))).set_index("Mã")

    def late_tasks(self) -> pd.DataFrame:
        """The tasks (of the unit) that are late: past their deadline and not done, or done
        after it."""
        frame = self.tasks()
        labels = {TIMELINESS[k] for k in _LATE}
        return frame[frame["Tiến độ"].isin(labels)]

    def indicators(self) -> pd.DataFrame:
        """Indicator values over the period (flows summed, stocks at the end)."""
        catalog = plan_catalog(self.plan)
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


_SUMMARY_COLUMNS = (
    "Đơn vị",
    "Số nhiệm vụ",
    "Hoàn thành",
    "Đúng hạn",
    "Chậm",
    "Quá hạn",
    "Thường xuyên",
)


def _task_columns(with_role: bool) -> list[str]:
    head = ["Mã", "Nhiệm vụ", "Chủ trì", "Phối hợp"] + (["Vai trò"] if with_role else [])
    return head + ["Thời hạn", "Trạng thái", "Tỷ lệ (%)", "Ngày hoàn thành", "Tiến độ"]


def load(
    *, report: str, plan: str, data: str, window_rule: str = "official", unit: str = ""
) -> View:
    """Load one period for exploration. ``unit`` (its name or an alias, e.g. "Văn phòng")
    keeps the tasks it leads or partners on; an unknown unit is an error listing the plan's."""
    loaded = load_period(resolve(plan), resolve(data), report, rule=window_rule)
    return View(loaded.plan, loaded.results, find_unit(loaded.plan, unit) if unit else "")
