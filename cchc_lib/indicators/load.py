"""``load_period``: everything one period needs, read from disk once.

The one place where the plan (with its sidecar files), the period, the monthly workbooks
and the results come together; the report, ``cchc indicators`` and the exploration
notebook all load a period through it. :func:`~cchc_lib.indicators.compute` itself is pure.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.errors import CchcError, Problem
from cchc_lib.fmt import fmt_int
from cchc_lib.indicators.compute import compute
from cchc_lib.indicators.exports import Exports, apply_exports, load_exports
from cchc_lib.indicators.links import Link, load_links
from cchc_lib.indicators.results import Results, Summary
from cchc_lib.indicators.values import RATES, _rates
from cchc_lib.model import MonthData, Plan
from cchc_lib.periods import Period, parse_period

__all__ = [
    "Comparison",
    "Comparisons",
    "PeriodData",
    "find_year_plan",
    "load_comparisons",
    "load_period",
    "period_from",
    "read_totals",
]


@dataclass(frozen=True)
class PeriodData:
    """A period loaded: the plan with its links, the workbooks read and the results."""

    plan: Plan
    links: tuple[Link, ...]
    period: Period
    data: Path  # the folder of monthly workbooks
    months: tuple[MonthData, ...]  # the period's months and the earlier months of its year
    results: Results
    warnings: tuple[Problem, ...] = ()  # of the workbooks read: for the analyst, not the report
    exports: Exports | None = None  # the dossier exports the figures were counted from


def period_from(
    plan: Plan,
    links: tuple[Link, ...],
    data: str | os.PathLike[str],
    period: Period,
    *,
    required: bool = True,
    dossiers: str | os.PathLike[str] = "",
) -> PeriodData:
    """Load ``period``'s workbooks from ``data`` for an already loaded plan and compute.

    Every month of the period must have its workbook; ``required=False`` is for another
    period read only for comparison: the months of the period that exist are read. When
    the one-stop system's dossier exports are there (``dossiers``; empty: ``<data>/ho-so``),
    the months' dossier figures are counted from them (:mod:`.exports`).
    """
    from cchc_lib.monthly import month_exists, months_for_period, read_months

    folder = Path(data)
    wanted = months_for_period(folder, period)
    if not required:
        wanted = tuple(m for m in wanted if month_exists(folder, m))
    months, warnings = read_months(folder, plan, months=wanted)
    exports = load_exports(folder, dossiers=dossiers, plan_path=plan.source)
    if exports is not None:
        months, more = apply_exports(months, exports, period.rule)
        warnings += more
    results = compute(plan, months, period, links=links)
    return PeriodData(plan, links, period, folder, months, results, warnings, exports)


def load_period(
    plan: str | os.PathLike[str],
    data: str | os.PathLike[str],
    period: str | Period,
    rule: str = "official",
    *,
    dossiers: str | os.PathLike[str] = "",
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
    return period_from(load_plan(Path(plan)), load_links(Path(plan)), data, per, dossiers=dossiers)


# --- comparisons: the period before, the same period last year ------------------------------


@dataclass(frozen=True)
class Comparison:
    """Figures of another period, to set beside the current one."""

    period: Period  # the compared period
    indicators: Mapping[str, float | None]  # catalog values over it (flow summed, stock at end)
    rates: Mapping[str, float | None]  # the derived rates (RATES)
    summary: Summary | None  # task counts when read under its own plan; None from a totals file
    source: str  # where it came from (for the analyst; never printed in the report body)


@dataclass(frozen=True)
class Comparisons:
    previous: Comparison | None  # the period just before (quarters, months)
    last_year: Comparison | None  # the same period of the previous year
    notes: tuple[str, ...] = ()  # Vietnamese, for the analyst: why a comparison is missing


NO_COMPARISONS = Comparisons(None, None, ())
TOTALS_FILE = "totals.yaml"
POINTER_FILE = "plan.yaml"


def _same_period_last_year(period: Period) -> Period:
    return parse_period(f"{period.year - 1}{period.code[4:]}", period.rule)


def _from_results(results: Results, source: str) -> Comparison:
    return Comparison(
        results.period, dict(results.indicators), dict(results.rates), results.summary, source
    )


def _within_year(current: PeriodData, period: Period) -> tuple[Comparison | None, str]:
    """Another period of the current year, from the months already read."""
    present = {m.month for m in current.months}
    missing = [m for m in period.months if m not in present]
    if missing:
        listed = ", ".join(f"{m[5:]}/{m[:4]}" for m in missing)
        return None, f"Chưa so sánh với {period.label}: thiếu số liệu tháng {listed}."
    results = compute(current.plan, current.months, period, links=current.links)
    return _from_results(results, str(current.data)), ""


def _default_folder(current: PeriodData) -> Path | None:
    year = current.period.year
    if current.data.name != str(year):
        return None
    other = current.data.with_name(str(year - 1))
    return other if other.exists() else None


def load_comparisons(
    current: PeriodData, *, previous_year_data: str | os.PathLike[str] = "", rule: str = "official"
) -> Comparisons:
    """The figures to compare ``current`` with: the period just before it (quarters and months;
    Q1 is compared with the last quarter of the year before) and the same period last year.

    Last year's figures come from ``previous_year_data`` (empty: ``data/<year - 1>`` beside
    ``data/<year>`` when it exists): a folder of monthly workbooks read under that year's own
    plan (named in ``plan.yaml`` in the folder, or the one plan file in it), or a
    ``totals.yaml`` of figures typed in by period (the file itself, or in the folder). A
    comparison that cannot be made is None and ``notes`` says why; it never fails the report.
    """
    period = current.period
    if period.rule != rule:
        period = parse_period(period.code, rule)
    wanted = [("last_year", _same_period_last_year(period))]
    if period.kind in ("quarter", "month"):
        wanted.insert(0, ("previous", period.previous))
    found: dict[str, Comparison | None] = {}
    notes: list[str] = []
    source = Path(previous_year_data) if str(previous_year_data) else _default_folder(current)
    history = _History(source, period.year - 1) if source is not None else None
    for slot, other in wanted:
        if other.year == period.year:
            found[slot], note = _within_year(current, other)
        elif history is None:
            found[slot] = None
            note = (
                f"Chưa so sánh với {other.label}: không có số liệu năm {other.year} "
                f"(thư mục data/{other.year} hoặc tham số previous_year_data)."
            )
        else:
            found[slot], note = history.comparison(other)
        if note and note not in notes:
            notes.append(note)
    before = found.get("previous")
    if before is not None:
        notes += _carried_differs(current, period, before)
    return Comparisons(found.get("previous"), found.get("last_year"), tuple(notes))


_PENDING = ("hs_dang_giai_quyet", "hs_qua_han_chua_giai_quyet")


def _carried_differs(current: PeriodData, period: Period, before: Comparison) -> list[str]:
    """The dossiers carried into the period are those pending at the end of the one before;
    two figures that differ are told to the analyst (one of them is wrong)."""
    carried = dict(current.results.indicators).get("hs_ky_truoc")
    pending = [before.indicators.get(code) for code in _PENDING]
    if carried is None or pending[0] is None:
        return []
    left = sum(v or 0 for v in pending)
    if left == carried:
        return []
    n = fmt_int
    return [
        f"Số hồ sơ kỳ trước chuyển sang của {period.label} là {n(carried)}, nhưng đến hết "
        f"{before.period.label} còn {n(left)} hồ sơ đang giải quyết ({before.source}): hai số "
        "này phải bằng nhau; kiểm tra lại mã hs_ky_truoc của tháng đầu kỳ và mã "
        "hs_dang_giai_quyet, hs_qua_han_chua_giai_quyet của tháng cuối kỳ trước."
    ]


class _History:
    """Last year's figures: a folder of workbooks under its own plan, or a totals file."""

    def __init__(self, source: Path, year: int) -> None:
        self.source, self.year = source, year
        self.totals: dict[str, dict[str, float | None]] | None = None
        self.plan: tuple[Plan, tuple[Link, ...]] | None = None
        self.problem = ""
        try:
            self._open()
        except CchcError as exc:
            self.problem = str(exc).splitlines()[0].rstrip(":")

    def _open(self) -> None:
        from cchc_lib.plan import load_plan

        src = self.source
        if src.is_file() or (src.is_dir() and (src / TOTALS_FILE).is_file()):
            path = src if src.is_file() else src / TOTALS_FILE
            self.totals = read_totals(path, self.year)
            return
        if not src.is_dir():
            raise CchcError(f"không tìm thấy {src}")
        plan_path = find_year_plan(src)
        plan = load_plan(plan_path)
        if plan.meta.year != self.year:
            raise CchcError(
                f"kế hoạch {plan_path.name} là kế hoạch năm {plan.meta.year}, không phải năm "
                f"{self.year}"
            )
        self.plan = (plan, load_links(plan_path))

    def comparison(self, period: Period) -> tuple[Comparison | None, str]:
        if self.problem:
            return None, (
                f"Chưa so sánh với {period.label}: số liệu năm {self.year} ở {self.source} "
                f"không đọc được ({self.problem})."
            )
        if self.totals is not None:
            values = self.totals.get(period.code)
            if values is None:
                return None, (
                    f"Chưa so sánh với {period.label}: tệp {self.source} không có số liệu kỳ "
                    f"{period.code}."
                )
            rates = dict(_rates(values))
            rates.update({k: v for k, v in values.items() if k in RATES})
            indicators = {k: v for k, v in values.items() if k not in RATES}
            return Comparison(period, indicators, rates, None, str(self.source)), ""
        assert self.plan is not None
        plan, links = self.plan
        try:
            other = period_from(plan, links, self.source, period)
        except CchcError as exc:
            first = str(exc).splitlines()[0].rstrip(":")
            return None, (
                f"Chưa so sánh với {period.label}: số liệu trong {self.source} không đọc được "
                f"theo kế hoạch năm {self.year} ({first})."
            )
        return _from_results(other.results, f"{self.source} ({Path(plan.source).name})"), ""


def find_year_plan(folder: Path) -> Path:
    """The plan a year's data folder is read under: named by ``plan.yaml`` in the folder
    (``plan: ../plan/ke-hoach-2021.txt``, relative to the folder), else its one plan file."""
    import yaml

    pointer = folder / POINTER_FILE
    if pointer.is_file():
        try:
            raw = yaml.safe_load(pointer.read_text("utf-8"))
        except (OSError, UnicodeError, yaml.YAMLError) as exc:
            raise CchcError(f"tệp {pointer} không đọc được ({exc})") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("plan"), str):
            raise CchcError(f"tệp {pointer} cần dòng plan: <tệp kế hoạch>")
        path = (folder / raw["plan"]).resolve()
        if not path.is_file():
            raise CchcError(f"tệp {pointer} chỉ tới {raw['plan']} nhưng không có tệp đó")
        return path
    plans = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".txt", ".docx"))
    if len(plans) != 1:
        raise CchcError(
            f"thư mục {folder} cần đúng một tệp kế hoạch (.txt hoặc .docx), hoặc tệp "
            f"{POINTER_FILE} ghi plan: <tệp kế hoạch>"
            + (f"; đang có {len(plans)}" if plans else "; chưa có")
        )
    return plans[0]


def read_totals(path: Path, year: int) -> dict[str, dict[str, float | None]]:
    """Figures typed in by period: ``periods: {2021-Q1: {hs_tiep_nhan: 850, …}, …}``.

    Codes are the catalog's (and the rates of RATES, in %); periods are of ``year``.
    """
    import yaml

    from cchc_lib.catalog import load_catalog

    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        raise CchcError(f"tệp {path} không đọc được ({exc})") from None
    periods = raw.get("periods") if isinstance(raw, dict) else None
    if not isinstance(periods, dict):
        raise CchcError(f"tệp {path} cần mục periods: gồm các kỳ, mỗi kỳ các cặp mã chỉ số: số")
    catalog = load_catalog(year)
    out: dict[str, dict[str, float | None]] = {}
    for code, values in periods.items():
        per = parse_period(str(code))
        if per.year != year or not isinstance(values, dict):
            raise CchcError(f"tệp {path}: kỳ {code} không thuộc năm {year} hoặc không có số liệu")
        bad = [k for k in values if k not in catalog and k not in RATES]
        wrong = [
            k
            for k, v in values.items()
            if v is not None
            and (isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 10**12)
        ]
        if bad or wrong:
            raise CchcError(
                f"tệp {path}, kỳ {code}: "
                + (f"mã không có trong danh mục: {', '.join(map(str, bad))}. " if bad else "")
                + (
                    f"giá trị không phải số không âm: {', '.join(map(str, wrong))}."
                    if wrong
                    else ""
                )
            )
        out[per.code] = {str(k): None if v is None else float(v) for k, v in values.items()}
    return out
