"""The stable JSON form of results (``to_json``), read by the CLI and other tools."""

from __future__ import annotations

from typing import Any

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import iso_date
from cchc_lib.indicators.results import Results, Summary


def _num(value: float | None, unit: str = "count") -> float | int | None:
    """Counts as int when whole; percentages to 1 decimal; others to 2."""
    if value is None:
        return None
    if unit == "%":
        return round(float(value), 1)
    if float(value).is_integer():
        return int(value)
    return round(float(value), 2)


def _summary_json(s: Summary) -> dict[str, int]:
    return s.to_dict()


def to_json(results: Results) -> dict[str, Any]:
    """The stable JSON form of results (keys may be added, never removed)."""
    catalog = load_catalog(results.period.year)
    units = {c: (i.unit if (i := catalog.get(c)) else "count") for c, _ in results.indicators}
    p = results.period
    return {
        "period": {
            "code": p.code,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "months": list(p.months),
            "label": p.label,
            "rule": p.rule,
            "rule_label": p.rule_label,
            "months_present": list(results.months_present),
            "months_missing": list(results.months_missing),
        },
        "source": results.source,
        "tasks": [
            {
                "id": t.task_id,
                "status": t.status,
                "percent": _num(t.percent, "%"),
                "completed_on": iso_date(t.completed_on),
                "timeliness": t.timeliness,
                "completed_in_period": t.completed_in_period,
                "area": t.area,
                "lead": t.lead,
                "deadline_end": iso_date(t.deadline_end),
                "result": t.result,
                "difficulties": t.difficulties,
            }
            for t in results.tasks
        ],
        "summary": _summary_json(results.summary),
        "by_area": [
            {"area": code, "title": title, **_summary_json(s)} for code, title, s in results.by_area
        ],
        "by_lead": [{"unit": u, **_summary_json(s)} for u, s in results.by_lead],
        "indicators": {c: _num(v, units[c]) for c, v in results.indicators},
        "rates": {c: _num(v, "%") for c, v in results.rates},
        "targets": [
            {
                "target_id": t.target_id,
                "text": t.text,
                "actual": _num(t.actual, t.unit),
                "threshold": _num(t.threshold, t.unit),
                "comparator": t.comparator,
                "stretch": _num(t.stretch, t.unit),
                "unit": t.unit,
                "met": t.met,
                "status": t.status_label,
                "stretch_met": t.stretch_met,
                "link": t.link_id,
                "yearly": t.yearly,
                "months_used": list(t.months_used),
            }
            for t in results.targets
        ],
        "series": [
            {
                "month": m.month,
                "present": m.present,
                "values": {c: _num(v, units.get(c, "count")) for c, v in m.values},
                "on_time_rate": _num(m.on_time_rate, "%"),
                "online_share": _num(m.online_share, "%"),
            }
            for m in results.series
        ],
    }
