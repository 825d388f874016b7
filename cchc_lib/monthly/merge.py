"""One month from its workbooks: each task's row from one file, each indicator from one file,
required indicators never blank, the narrative parts of the units joined.

Pure: the files' parsed contents in, :class:`~cchc_lib.model.MonthData` and problems out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.catalog import Catalog
from cchc_lib.errors import Problem
from cchc_lib.model import NARRATIVE_KEYS, MonthData, Plan, TaskProgress
from cchc_lib.monthly.figures import IndicatorSheet, check_parts
from cchc_lib.monthly.layout import INDICATOR_COLUMNS, SHEET_INDICATORS, SHEET_PROGRESS
from cchc_lib.monthly.sheets import Collector
from cchc_lib.monthly.units import Scope, lead_of, unit_names

__all__ = ["FileData", "merge_month"]

_VALUE = dict((k, t) for k, t, _ in INDICATOR_COLUMNS)["value"]


@dataclass(frozen=True)
class FileData:
    """What one workbook of a month gave."""

    source: str
    month: str
    scope: Scope
    progress: tuple[TaskProgress, ...]
    figures: IndicatorSheet
    narrative: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return Path(self.source).name if self.scope.unit is None else self.unit_label

    @property
    def unit_label(self) -> str:
        return f"{Path(self.source).parent.name}/{Path(self.source).name}"


def _name(path: str) -> str:
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


def _tasks(files: Sequence[FileData], out: Collector) -> tuple[list[TaskProgress], dict[str, str]]:
    if len(files) == 1:  # one file: its rows are unique already (checked while reading)
        f = files[0]
        return list(f.progress), dict.fromkeys((p.task_id for p in f.progress), f.source)
    given: dict[str, tuple[str, int | None]] = {}
    rows: list[TaskProgress] = []
    origins: dict[str, str] = {}
    for f in files:
        for p in f.progress:
            first = given.get(p.task_id)
            if first is not None:
                out.problems.append(
                    Problem(
                        f.source,
                        f"nhiệm vụ {p.task_id} có trong hai tệp: {_name(first[0])} (dòng "
                        f"{first[1]}) và tệp này",
                        "mỗi nhiệm vụ chỉ do một tệp báo (tệp của đơn vị chủ trì): xóa số liệu "
                        "của nhiệm vụ ở một trong hai tệp",
                        sheet=SHEET_PROGRESS,
                        row=p.row,
                        column="Mã nhiệm vụ",
                        value=p.task_id,
                    )
                )
                continue
            given[p.task_id] = (f.source, p.row)
            origins[p.task_id] = f.source
            rows.append(p)
    return rows, origins


def _missing_tasks(
    plan: Plan, files: Sequence[FileData], given: dict[str, str], where: str, out: Collector
) -> None:
    """Tasks no file gave nor had to give (their unit sent nothing)."""
    scoped = set().union(*(f.scope.tasks for f in files)) if files else set()
    month = files[0].month if files else ""
    leads = lead_of(plan)
    for t in plan.tasks:
        if t.id in given or t.id in scoped:
            continue
        unit = leads[t.id] or "chưa xác định"
        out.problems.append(
            Problem(
                where,
                f"thiếu tiến độ tháng {month} của nhiệm vụ {t.id} (chủ trì: {unit}): chưa có tệp "
                "nào của tháng báo nhiệm vụ này",
                f'đơn vị {unit} lập tệp bằng lệnh cchc template --unit "{unit}" --month '
                f"{month}, điền số liệu và lưu vào thư mục {month}/",
                value=t.id,
            )
        )


def _indicators(
    files: Sequence[FileData], catalog: Catalog, out: Collector
) -> tuple[dict[str, float | None], dict[str, str]]:
    values: dict[str, float | None] = {}
    origins: dict[str, str] = {}
    for f in files:
        for code, value in f.figures.values.items():
            if value is None:
                continue
            if code in origins:
                out.problems.append(
                    Problem(
                        f.source,
                        f"chỉ số {code} có giá trị trong hai tệp: {_name(origins[code])} và "
                        "tệp này",
                        "mỗi chỉ số chỉ do một đơn vị báo: xóa giá trị ở một trong hai tệp",
                        sheet=f.figures.sheet or SHEET_INDICATORS,
                        row=f.figures.rows.get(code),
                        column=_VALUE,
                        value=value,
                    )
                )
                continue
            values[code] = value
            origins[code] = f.source
    return values, origins


def _blank_required(
    files: Sequence[FileData],
    catalog: Catalog,
    values: dict[str, float | None],
    *,
    where: str,
    complete: bool,
    owner_of,
    out: Collector,
) -> None:
    """Every blank cell of a required indicator is an error; a required indicator no file holds
    (its unit sent nothing) too, when the month is read whole."""
    for code in catalog.required:
        if values.get(code) is not None:
            continue
        name = catalog[code].name
        if any(code in f.figures.invalid for f in files):
            continue  # a value was there but wrong: already an error
        cells = [f for f in files if code in f.scope.indicators and code in f.figures.rows]
        for f in cells:
            out.problems.append(
                Problem(
                    f.source,
                    f"chưa ghi giá trị chỉ số bắt buộc {code} ({name}) của tháng {f.month}: "
                    "ô giá trị để trống",
                    "ghi số liệu của tháng (ghi 0 nếu trong tháng không phát sinh); ô để trống "
                    "không được coi là 0",
                    sheet=f.figures.sheet or SHEET_INDICATORS,
                    row=f.figures.rows[code],
                    column=_VALUE,
                )
            )
        expected = any(code in f.scope.indicators for f in files)
        if not cells and not expected and complete:
            unit = owner_of(code)
            month = files[0].month if files else ""
            out.problems.append(
                Problem(
                    where,
                    f"chưa có giá trị chỉ số bắt buộc {code} ({name}) của tháng {month}: "
                    f"không tệp nào của tháng ghi chỉ số này (đơn vị báo: {unit})",
                    f"đơn vị {unit} nộp tệp của tháng {month} có trang “Chỉ số”",
                    value=code,
                )
            )


def _narrative(files: Sequence[FileData], units: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each part: the whole agency's text first, then the units' in ``units`` order (the focal
    unit, then the plan's order), as paragraphs; a paragraph given twice is kept once."""
    rank = {u: i for i, u in enumerate(units)}

    def order(f: FileData) -> tuple[int, int]:
        unit = f.scope.unit
        return (0, 0) if unit is None else (1, rank.get(unit, len(rank)))

    ordered = sorted(files, key=order)
    out = []
    for key in NARRATIVE_KEYS:
        paragraphs: list[str] = []
        for f in ordered:
            text = dict(f.narrative).get(key, "").strip()
            if text and text not in paragraphs:
                paragraphs.append(text)
        if paragraphs:
            out.append((key, "\n".join(paragraphs)))
    return tuple(out)


def merge_month(
    month: str,
    files: Sequence[FileData],
    plan: Plan,
    catalog: Catalog,
    *,
    where: str,
    complete: bool = True,
    owner_of=lambda code: "",
) -> tuple[MonthData, list[Problem]]:
    """The month of ``files`` (one or more workbooks of ``month``), and its problems.

    ``where`` names the month (its folder or its single file) in month-level problems.
    ``complete``: the files are all of the month (check that every task and required indicator
    is given); False when one file is read on its own.
    """
    out = Collector(where)
    rows, task_origins = _tasks(files, out)
    values, value_origins = _indicators(files, catalog, out)
    if complete:
        _missing_tasks(plan, files, task_origins, where, out)
    _blank_required(
        files, catalog, values, where=where, complete=complete, owner_of=owner_of, out=out
    )
    if len(files) > 1:
        _cross_file_parts(values, value_origins, catalog, files, out)
        order = {t.id: i for i, t in enumerate(plan.tasks)}
        rows.sort(key=lambda p: order.get(p.task_id, len(order)))
    single = len(files) == 1
    data = MonthData(
        month=month,
        source=files[0].source if single else where,
        progress=tuple(rows),
        indicators=tuple((code, values.get(code)) for code in catalog.codes),
        narrative=_narrative(files, unit_names(plan, catalog)),
        files=tuple(f.source for f in files),
        origins=()
        if single
        else (
            *task_origins.items(),
            *((f"chỉ số:{c}", s) for c, s in value_origins.items()),
        ),
    )
    return data, out.problems


def _cross_file_parts(values, origins, catalog: Catalog, files, out: Collector) -> None:
    """Parts and wholes given by different files are checked on the merged values."""
    for rule in catalog.parts:
        codes = (*rule.part, rule.whole)
        if len({origins.get(c) for c in codes if c in origins}) < 2:
            continue  # one file: already checked there
        source = origins.get(rule.whole, files[0].source)
        sub = Collector(source, SHEET_INDICATORS)
        f = next((f for f in files if f.source == source), files[0])
        check_parts(
            {c: values.get(c) for c in codes},
            {c: f.figures.rows.get(c, 0) for c in codes},
            sub,
            catalog,
        )
        out.problems.extend(sub.problems)
