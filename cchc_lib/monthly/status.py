"""Who has sent what: a units × months table of a period, for the focal officer to chase units
before the cut-off (``cchc status``).

A unit's month is "submitted" when its own workbook (``YYYY-MM/<unit>.xlsx``) or the whole
agency's (``YYYY-MM.xlsx``) is there and has no error, "with errors" when that file has errors,
"missing" otherwise. Tasks not updated: open tasks whose row in the last month equals the row
of the month before (same status, percent, result and difficulties).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cchc_lib.model import MonthData, Plan
from cchc_lib.monthly.reader import MonthRead, read_folder
from cchc_lib.monthly.units import lead_of, unit_indicators, unit_names, unit_tasks
from cchc_lib.periods import Period, month_window

__all__ = ["Cell", "StaleTask", "Status", "period_status", "render_status"]

SUBMITTED, WITH_ERRORS, MISSING = "submitted", "with_errors", "missing"
LABELS = {SUBMITTED: "Đã nộp", WITH_ERRORS: "Có lỗi", MISSING: "Chưa nộp"}


@dataclass(frozen=True)
class Cell:
    """One unit in one month."""

    state: str  # SUBMITTED | WITH_ERRORS | MISSING
    file: str = ""  # the workbook that holds the unit's month ("" when missing)
    shared: bool = False  # the whole agency's workbook, not the unit's own
    errors: int = 0
    warnings: int = 0

    @property
    def label(self) -> str:
        text = LABELS[self.state]
        if self.state == WITH_ERRORS:
            text += f" ({self.errors})"
        return text + (" (tệp chung)" if self.shared and self.state != MISSING else "")


@dataclass(frozen=True)
class StaleTask:
    task_id: str
    unit: str
    status: str
    percent: float | None
    month: str  # the month whose row repeats the month before's


@dataclass(frozen=True)
class Status:
    period: Period
    months: tuple[str, ...]  # the period's months shown (not after ``today``'s)
    units: tuple[tuple[str, int, int], ...]  # (unit, tasks it leads, indicators it reports)
    cells: dict[tuple[str, str], Cell]  # (unit, month) -> cell
    stale: tuple[StaleTask, ...]
    unreadable: tuple[str, ...]  # files that could not be assigned to a unit (errors)
    cutoff: date | None  # the cut-off of the last month shown

    @property
    def complete(self) -> bool:
        return not self.unreadable and all(c.state == SUBMITTED for c in self.cells.values())


def _counts(read: MonthRead) -> tuple[Counter, Counter]:
    errors: Counter = Counter()
    warnings: Counter = Counter()
    for p in read.problems:
        (errors if p.severity == "error" else warnings)[p.file] += 1
    return errors, warnings


def _cells(read: MonthRead | None, units: list[str]) -> dict[str, Cell]:
    if read is None:
        return {u: Cell(MISSING) for u in units}
    errors, warnings = _counts(read)
    own = {u: p for p, u in read.files if u is not None}
    whole = next((p for p, u in read.files if u is None and not _is_unit_file(p)), None)
    out = {}
    for u in units:
        path, shared = (own[u], False) if u in own else (whole, True)
        if path is None:
            out[u] = Cell(MISSING)
            continue
        n = errors[str(path)]
        out[u] = Cell(
            SUBMITTED if not n else WITH_ERRORS, str(path), shared, n, warnings[str(path)]
        )
    return out


def _stale(plan: Plan, reads: dict[str, MonthRead], months: list[str]) -> list[StaleTask]:
    datas: dict[str, MonthData] = {m: r.data for m, r in reads.items() if r.data is not None}
    if not months or months[-1] not in datas:
        return []
    last = months[-1]
    before = sorted(m for m in datas if m < last)
    if not before:
        return []
    now, then = datas[last], datas[before[-1]]
    leads = lead_of(plan)
    out = []
    for p in now.progress:
        q = then.progress_of(p.task_id)
        if p.status in ("done", "stopped") or q is None:
            continue
        if (p.status, p.percent, p.result, p.difficulties) == (
            q.status,
            q.percent,
            q.result,
            q.difficulties,
        ):
            out.append(StaleTask(p.task_id, leads[p.task_id], p.status, p.percent, last))
    return out


def period_status(plan: Plan, data: str | Path, period: Period, today: date) -> Status:
    """The status of ``period``'s months in ``data`` as of ``today`` (months whose window
    starts after ``today`` are left out)."""
    folder = Path(data)
    months = [m for m in period.months if month_window(m, period.rule)[0] <= today]
    earlier = [m for m in period.year_to_date if m < (months or period.months)[0]][-1:]
    units = [u for u in unit_names(plan) if unit_tasks(plan, u) or unit_indicators(plan, u)]
    reads_list, _ = read_folder(folder, plan, [*earlier, *months]) if folder.is_dir() else ([], [])
    reads = {r.month: r for r in reads_list}
    cells: dict[tuple[str, str], Cell] = {}
    unreadable = []
    for m in months:
        read = reads.get(m)
        for u, cell in _cells(read, units).items():
            cells[(u, m)] = cell
        if read is not None:
            unreadable += [str(p) for p, u in read.files if u is None and _is_unit_file(p)]
    return Status(
        period=period,
        months=tuple(months),
        units=tuple((u, len(unit_tasks(plan, u)), len(unit_indicators(plan, u))) for u in units),
        cells=cells,
        stale=tuple(_stale(plan, reads, [*earlier, *months])),
        unreadable=tuple(unreadable),
        cutoff=month_window(months[-1], period.rule)[1] if months else None,
    )


def _is_unit_file(path: Path) -> bool:
    """A file in a month's folder (or named "YYYY-MM <unit>") that no unit could be told for."""
    from cchc_lib.monthly.files import month_of_name

    named = month_of_name(path)
    return named is not None and named[1] is not None


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def render_status(status: Status, data: str | Path, today: date) -> str:
    """The Vietnamese table printed by ``cchc status``."""
    from cchc_lib.fmt import fmt_date, fmt_pct
    from cchc_lib.model import STATUSES

    lines = [f"TÌNH HÌNH NỘP SỐ LIỆU CCHC {status.period.label.upper()} (thư mục {data})"]
    if not status.months:
        return "\n".join([*lines, f"Kỳ chưa bắt đầu tính đến ngày {fmt_date(today)}.", ""])
    if status.cutoff is not None:
        days = (status.cutoff - today).days
        when = f"còn {days} ngày" if days > 0 else ("hôm nay" if days == 0 else "đã qua")
        lines.append(
            f"Ngày xem: {fmt_date(today)}. Hạn chốt số liệu tháng {status.months[-1][5:]}/"
            f"{status.months[-1][:4]}: {fmt_date(status.cutoff)} ({when})."
        )
    headers = ["Đơn vị", *(f"Tháng {m[5:]}/{m[:4]}" for m in status.months)]
    rows = [
        [f"{u} ({n} nhiệm vụ, {k} chỉ số)", *(status.cells[(u, m)].label for m in status.months)]
        for u, n, k in status.units
    ]
    lines += ["", *_table(headers, rows)]
    missing = [(u, m) for (u, m), c in status.cells.items() if c.state == MISSING]
    bad = sorted({c.file for c in status.cells.values() if c.state == WITH_ERRORS})
    if missing:
        lines += ["", "Chưa nộp:"]
        lines += [f"  - {u}: tháng {m[5:]}/{m[:4]}" for u, m in missing]
    if bad or status.unreadable:
        lines += ["", "Tệp có lỗi (xem chi tiết bằng lệnh cchc validate <tệp> --plan <kế hoạch>):"]
        lines += [f"  - {f}" for f in [*bad, *status.unreadable]]
    if status.stale:
        m = status.stale[0].month
        lines += ["", f"Nhiệm vụ chưa cập nhật trong tháng {m[5:]}/{m[:4]} (giống tháng trước):"]
        lines += [
            f"  - {t.task_id} ({t.unit}): {STATUSES[t.status]}"
            + (f", {fmt_pct(t.percent)}" if t.percent is not None else "")
            for t in status.stale
        ]
    verdict = "ĐỦ" if status.complete else "CHƯA ĐỦ"
    lines += ["", f"Kết quả: {verdict} – {len(missing)} lượt chưa nộp, {len(bad)} tệp có lỗi."]
    return "\n".join(lines) + "\n"
