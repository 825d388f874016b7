"""Read and validate monthly workbooks: one file, one month (its files merged), a folder.

``load_month``/``load_months`` open files (:mod:`.workbook`: python-calamine plus the guards)
and delegate to the pure parsers: ``parse_month_sheets`` works on plain rows. Every problem of
a run is collected; ``DataValidationError`` is raised at the end if any is an error. Input
files are only ever opened for reading.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib.catalog import Catalog, plan_catalog
from cchc_lib.errors import DataValidationError, Problem
from cchc_lib.model import NARRATIVE_KEYS, MonthData, Plan
from cchc_lib.monthly.cells import parse_month
from cchc_lib.monthly.figures import read_indicators
from cchc_lib.monthly.files import MonthFiles, month_exists, month_files, month_of_name, year_files
from cchc_lib.monthly.layout import (
    INDICATOR_HEADER_ROW,
    NARRATIVE_HEADER_ROW,
    PROGRESS_HEADER_ROW,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_NARRATIVE,
    SHEET_PROGRESS,
    plan_fingerprint,
)
from cchc_lib.monthly.merge import FileData, merge_month
from cchc_lib.monthly.narrative import read_narrative
from cchc_lib.monthly.progress import check_sequence, read_progress
from cchc_lib.monthly.sheets import (
    Collector,
    Rows,
    find_sheet,
    has_errors,
    header_key,
    meta_value,
    read_meta,
)
from cchc_lib.monthly.units import (
    Scope,
    focal_unit,
    lead_of,
    resolve_unit,
    unit_indicators,
    unit_names,
    unit_tasks,
)
from cchc_lib.monthly.workbook import choose_data_sheets, open_book
from cchc_lib.periods import month_window

__all__ = [
    "MonthRead",
    "load_month",
    "load_months",
    "month_exists",
    "months_for_period",
    "parse_month_sheets",
    "read_folder",
    "read_month",
    "validate_path",
]

_DATA_SHEETS = (SHEET_PROGRESS, SHEET_INDICATORS, SHEET_NARRATIVE)


def _row_limit(plan: Plan, catalog: Catalog):
    """The last row each sheet's data can reach (twice the form, and a thousand spare rows)."""
    sizes = {
        header_key(SHEET_PROGRESS): len(plan.tasks) + PROGRESS_HEADER_ROW,
        header_key(SHEET_INDICATORS): len(catalog.codes) + INDICATOR_HEADER_ROW,
        header_key(SHEET_NARRATIVE): len(NARRATIVE_KEYS) + NARRATIVE_HEADER_ROW,
    }

    def limit(sheet: str) -> int:
        return 2 * sizes.get(header_key(sheet), 20) + 1000

    return limit


def _open(path: Path, plan: Plan, catalog: Catalog, out: Collector) -> dict[str, Rows] | None:
    book = open_book(
        path, choose_data_sheets(_DATA_SHEETS, SHEET_META), _row_limit(plan, catalog), out
    )
    if book is None:
        return None
    sheets: dict[str, Rows] = dict(book.sheets)
    for name in book.names:  # other visible sheets: named in "missing sheet" messages
        if name not in sheets and name not in book.hidden:
            sheets.setdefault(name, ())
    return sheets


def _check_month(
    sheets: Mapping[str, Rows], plan: Plan, source: str, month: str | None, out: Collector
) -> str | None:
    """The month of the workbook: its name's, checked against the one written inside."""
    inner_month, fingerprint = read_meta(sheets, find_sheet(sheets, SHEET_PROGRESS))
    if month is None:
        out.error(
            "tên tệp không đúng dạng YYYY-MM.xlsx nên không biết số liệu của tháng nào",
            f"đổi tên tệp thành {inner_month or '2022-03'}.xlsx (năm-tháng của số liệu)",
            value=Path(source).name,
        )
        month = inner_month
    elif inner_month is None:
        out.warning(
            "không tìm thấy thông tin tháng trong tệp (trang ẩn hoặc tiêu đề)",
            "dùng biểu mẫu tạo bằng lệnh cchc template cho đúng tháng",
        )
    elif inner_month != month:
        out.error(
            f"tệp ghi số liệu tháng {inner_month} nhưng tên tệp là tháng {month}",
            f"đổi tên tệp thành {inner_month}.xlsx, hoặc nhập số liệu vào biểu mẫu tháng {month}",
            value=inner_month,
        )
    if month is None:
        return None
    if parse_month(month)[0] != plan.meta.year:
        out.error(
            f"tháng {month} không thuộc năm kế hoạch {plan.meta.year}",
            f"chỉ dùng số liệu các tháng năm {plan.meta.year} với kế hoạch này",
            value=month,
        )
    if fingerprint and fingerprint != plan_fingerprint(plan):
        out.warning(
            "tệp được lập từ một kế hoạch khác hoặc kế hoạch đã thay đổi",
            "lập lại biểu mẫu bằng lệnh cchc template --from <tệp này> để chép số liệu sang",
        )
    return month


def parse_file(
    sheets: Mapping[str, Rows],
    plan: Plan,
    *,
    source: str,
    month: str | None,
    scope: Scope | None = None,
    catalog: Catalog | None = None,
) -> tuple[FileData | None, list[Problem]]:
    """Validate the sheets of one workbook against what it must hold (pure).

    ``month`` is the month named by the file ("2022-03") or ``None`` if the name does not say.
    ``scope`` defaults to the whole agency's workbook (every task, every indicator).
    """
    catalog = catalog or plan_catalog(plan)
    scope = scope or Scope.whole(plan, catalog)
    out = Collector(source)
    label = _check_month(sheets, plan, source, month, out)
    if label is None:
        return None, out.problems
    unit_file = scope.unit is not None
    cutoff = month_window(label)[1]
    progress = read_progress(sheets, find_sheet(sheets, SHEET_PROGRESS), plan, cutoff, out, scope)
    figures = read_indicators(
        sheets, find_sheet(sheets, SHEET_INDICATORS), out, catalog, scope.indicators
    )
    narrative = read_narrative(
        sheets,
        find_sheet(sheets, SHEET_NARRATIVE),
        label,
        out,
        required=not unit_file,
        quarter_note=scope.quarter_note,
    )
    return FileData(source, label, scope, progress, figures, narrative), out.problems


def parse_month_sheets(
    sheets: Mapping[str, Rows],
    plan: Plan,
    *,
    source: str,
    month: str | None,
) -> tuple[MonthData | None, list[Problem]]:
    """Validate the sheets of the whole agency's workbook of a month (pure: rows in, values
    and problems out).

    ``month`` is the month named by the file ("2022-03") or ``None`` if the name does not say;
    the month written inside the workbook is checked against it. ``MonthData`` is ``None``
    only when the month cannot be told at all; otherwise it holds every value that could be
    read, even when there are errors.
    """
    catalog = plan_catalog(plan)
    fd, problems = parse_file(sheets, plan, source=source, month=month, catalog=catalog)
    if fd is None:
        return None, problems
    data, more = merge_month(fd.month, [fd], plan, catalog, where=source, owner_of=_owner(plan))
    return data, problems + more


def _owner(plan: Plan):
    catalog = plan_catalog(plan)
    focal = focal_unit(plan, catalog)
    return lambda code: catalog.owner_of(code, focal)


# --- one month: its files, their units, merged -----------------------------------------


@dataclass
class _Opened:
    path: Path
    sheets: dict[str, Rows] | None
    unit: str | None
    problems: list[Problem]


def _unit_of(path: Path, hint: str | None, sheets, plan: Plan, out: Collector) -> str | None:
    """The unit of a unit's workbook: written inside by ``cchc template --unit``, else named by
    the file; they must agree and name a unit of the plan."""
    inner = meta_value(sheets, "unit") if sheets else None
    known = unit_names(plan)
    named = resolve_unit(hint, plan) if hint else None
    if hint and named is None and inner is None:
        out.error(
            f"tên tệp không phải tên một đơn vị của kế hoạch: “{hint}”",
            "đặt tên tệp theo đơn vị, ví dụ "
            + "; ".join(f"{u}.xlsx" for u in known[:4])
            + " (các đơn vị: "
            + ", ".join(known)
            + ")",
            value=path.name,
        )
        return None
    unit = resolve_unit(inner, plan) if inner else named
    if inner and unit is None:
        out.error(
            f"biểu mẫu ghi đơn vị “{inner}” không có trong kế hoạch",
            "lập lại biểu mẫu bằng lệnh cchc template --unit với tên đơn vị đúng",
            value=inner,
        )
        return None
    if hint and named is None and unit is not None:
        out.warning(
            f"tên tệp “{hint}” không phải tên một đơn vị; tệp được đọc là của {unit} (theo "
            "biểu mẫu)",
            f"đổi tên tệp thành {unit}.xlsx",
            value=path.name,
        )
    if named is not None and unit != named:
        out.error(
            f"tệp mang tên đơn vị {named} nhưng là biểu mẫu của đơn vị {unit}",
            f"đổi tên tệp thành {unit}.xlsx, hoặc nhập số liệu vào biểu mẫu của {named}",
            value=path.name,
        )
        return None
    return unit


def _open_month(files: MonthFiles, plan: Plan, catalog: Catalog) -> list[_Opened]:
    opened = []
    for hint, path in [(None, p) for p in files.whole] + list(files.units):
        out = Collector(str(path))
        sheets = _open(path, plan, catalog, out)
        unit = None
        if hint is not None or (sheets and meta_value(sheets, "unit")):
            unit = _unit_of(path, hint, sheets, plan, out)
            if unit is None:
                sheets = None
        opened.append(_Opened(path, sheets, unit, out.problems))
    return opened


def _not_theirs(task: str, lead: str, unit: str, units: dict[str, Path]) -> str:
    text = f"do {lead or 'đơn vị khác'} chủ trì, không thuộc {unit}"
    if lead in units:
        text += f"; tệp {units[lead].parent.name}/{units[lead].name} báo nhiệm vụ này"
    return text


def _scopes(opened: Sequence[_Opened], plan: Plan, catalog: Catalog) -> list[Scope]:
    """What each file of the month must give, knowing which units sent their own file."""
    units = {o.unit: o.path for o in opened if o.unit is not None}
    leads = lead_of(plan)
    focal = focal_unit(plan, catalog)
    owner = {c: catalog.owner_of(c, focal) for c in catalog.codes}
    scopes = []
    for o in opened:
        if o.unit is not None:
            mine = frozenset(unit_tasks(plan, o.unit))
            others = {t: _not_theirs(t, leads[t], o.unit, units) for t in leads if t not in mine}
            scopes.append(
                Scope(o.unit, mine, unit_indicators(plan, o.unit, catalog), others, False)
            )
        elif units:
            others = {
                t: f"đã có trong tệp của đơn vị chủ trì {u} ({units[u].parent.name}/"
                f"{units[u].name})"
                for t, u in leads.items()
                if u in units
            }
            scopes.append(
                Scope(
                    None,
                    frozenset(t for t, u in leads.items() if u not in units),
                    tuple(c for c in catalog.codes if owner[c] not in units),
                    others,
                )
            )
        else:
            scopes.append(Scope.whole(plan, catalog))
    return scopes


@dataclass
class MonthRead:
    """One month as read: the merged data (None when nothing could be read), every file with
    its unit (None: the whole agency's) and every problem."""

    month: str
    where: str
    data: MonthData | None
    files: list[tuple[Path, str | None]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _duplicate_units(opened: list[_Opened]) -> list[_Opened]:
    seen: dict[str, Path] = {}
    keep = []
    for o in opened:
        if o.unit is not None and o.unit in seen:
            o.problems.append(
                Problem(
                    str(o.path),
                    f"đơn vị {o.unit} có hai tệp trong tháng: {seen[o.unit].name} và "
                    f"{o.path.name}; tệp này không được đọc",
                    "mỗi đơn vị nộp một tệp mỗi tháng: xóa hoặc chuyển tệp thừa ra khỏi thư mục",
                    value=o.path.name,
                )
            )
            o.sheets = None
        elif o.unit is not None:
            seen[o.unit] = o.path
        keep.append(o)
    return keep


def read_month_files(files: MonthFiles, plan: Plan, folder: Path) -> MonthRead:
    """Read every file of one month and merge them (never raises for bad data)."""
    catalog = plan_catalog(plan)
    opened = _duplicate_units(_open_month(files, plan, catalog))
    scopes = _scopes(opened, plan, catalog)
    many = len(opened) > 1 or bool(files.units)
    where = str(folder / files.month) if many else str(opened[0].path)
    read = MonthRead(files.month, where, None, [(o.path, o.unit) for o in opened])
    datas = []
    for o, scope in zip(opened, scopes, strict=True):
        read.problems.extend(o.problems)
        if o.sheets is None:
            continue
        named = month_of_name(o.path)
        fd, problems = parse_file(
            o.sheets,
            plan,
            source=str(o.path),
            month=named[0] if named else None,
            scope=scope,
            catalog=catalog,
        )
        read.problems.extend(problems)
        if fd is not None and fd.month == files.month:
            datas.append(fd)
    if not datas:
        return read
    complete = len(datas) == len(opened)  # a file that could not be read was reported
    read.data, more = merge_month(
        files.month, datas, plan, catalog, where=where, complete=complete, owner_of=_owner(plan)
    )
    read.problems.extend(more)
    if many and complete and not read.data.narrative and parse_month(files.month)[1] % 3 == 0:
        read.problems.append(
            Problem(
                where,
                f"tháng {files.month} là tháng cuối quý nhưng chưa đơn vị nào ghi thuyết minh",
                "văn phòng (đơn vị đầu mối) ghi ngắn gọn ưu điểm, tồn tại, nguyên nhân, nhiệm "
                "vụ kỳ tới, đề xuất ở trang “Thuyết minh”",
                sheet=SHEET_NARRATIVE,
                severity="warning",
            )
        )
    return read


# --- entry points --------------------------------------------------------------------


def read_month(
    path: str | os.PathLike[str], plan: Plan, *, check_name: bool = True
) -> tuple[MonthData | None, list[Problem]]:
    """Read one workbook without raising: ``(data or None, problems)``.

    A unit's workbook (``2022-03/<unit>.xlsx``) is checked for what that unit reports. With
    ``check_name=False`` the month written inside the file is trusted and the file name is not
    checked (used to copy last month's values into a template).
    """
    p = Path(path)
    catalog = plan_catalog(plan)
    out = Collector(str(p))
    sheets = _open(p, plan, catalog, out)
    if sheets is None:
        return None, out.problems
    named = month_of_name(p)
    month = named[0] if named else None
    if not check_name:
        month = read_meta(sheets, find_sheet(sheets, SHEET_PROGRESS))[0] or month
    hint = named[1] if named else None
    unit = None
    if hint is not None or meta_value(sheets, "unit"):
        unit = _unit_of(p, hint if check_name else None, sheets, plan, out)
        if unit is None:
            return None, out.problems
    scope = _scopes([_Opened(p, sheets, unit, [])], plan, catalog)[0]
    fd, problems = parse_file(
        sheets, plan, source=str(p), month=month, scope=scope, catalog=catalog
    )
    if fd is None:
        return None, out.problems + problems
    data, more = merge_month(
        fd.month,
        [fd],
        plan,
        catalog,
        where=str(p),
        complete=unit is None,
        owner_of=_owner(plan),
    )
    return data, out.problems + problems + more


def load_month(path: str | os.PathLike[str], plan: Plan) -> MonthData:
    """Read and validate one monthly workbook; raise ``DataValidationError`` on errors."""
    data, problems = read_month(path, plan)
    if data is None or has_errors(problems):
        raise DataValidationError(problems)
    return data


def read_folder(
    folder: Path, plan: Plan, months: Iterable[str] | None = None
) -> tuple[list[MonthRead], list[Problem]]:
    """Every month of the plan year in ``folder`` (or only ``months``), read and merged, and
    the problems of the folder (missing and stray files, the sequence across months)."""
    out = Collector(str(folder))
    if months is None:
        found = year_files(folder, plan.meta.year, out)
    else:
        found = month_files(folder, months, out)
    reads = [read_month_files(files, plan, folder) for files in found]
    return reads, out.problems


def _read_folder(
    folder: Path, plan: Plan, months: Iterable[str] | None
) -> tuple[list[MonthData], list[Problem]]:
    reads, problems = read_folder(folder, plan, months)
    datas = [r.data for r in reads if r.data is not None]
    for r in reads:
        problems.extend(r.problems)
    problems.extend(check_sequence(datas, plan.meta.date))
    return datas, problems


def months_for_period(folder: str | os.PathLike[str], period) -> tuple[str, ...]:
    """Months to load for ``period``: all of its own (required) plus the earlier months of the
    year whose files exist (they feed yearly targets' progress and tasks' last known state)."""
    root = Path(folder)
    earlier = [m for m in period.year_to_date if m not in period.months and month_exists(root, m)]
    return tuple(sorted({*earlier, *period.months}))


def load_months(
    folder: str | os.PathLike[str], plan: Plan, months: Iterable[str] | None = None
) -> tuple[MonthData, ...]:
    """Read the months of ``folder`` (all of the plan year, or ``months``): each month's
    ``<YYYY-MM>.xlsx`` and/or the units' workbooks in ``<YYYY-MM>/``.

    Every file is checked before ``DataValidationError`` is raised, listing all problems.
    """
    return read_months(folder, plan, months)[0]


def read_months(
    folder: str | os.PathLike[str], plan: Plan, months: Iterable[str] | None = None
) -> tuple[tuple[MonthData, ...], tuple[Problem, ...]]:
    """:func:`load_months`, with the warnings of the files read (data that contradicts
    itself, values to confirm): the analyst is told them, the report never prints them."""
    root = Path(folder)
    if not root.is_dir():
        raise DataValidationError([_not_found(root)])
    datas, problems = _read_folder(root, plan, months)
    if has_errors(problems):
        raise DataValidationError(problems)
    return tuple(sorted(datas, key=lambda d: d.month)), tuple(problems)


def validate_path(path_or_folder: str | os.PathLike[str], plan: Plan) -> list[Problem]:
    """Every problem (errors and warnings) of a workbook or a folder of workbooks."""
    p = Path(path_or_folder)
    if p.is_dir():
        named = month_of_name(p / "x.xlsx")
        if named is not None and p.parent.is_dir():  # a month's folder of units' workbooks
            return _read_folder(p.parent, plan, [named[0]])[1]
        return _read_folder(p, plan, None)[1]
    if not p.exists():
        return [_not_found(p)]
    data, problems = read_month(p, plan)
    return problems + (check_sequence([data], plan.meta.date) if data is not None else [])


def _not_found(p: Path) -> Problem:
    return Problem(str(p), "không tìm thấy tệp hoặc thư mục", "kiểm tra lại đường dẫn")
