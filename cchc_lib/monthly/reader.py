"""Read and validate monthly workbooks (``<YYYY-MM>.xlsx``).

``load_month``/``load_months`` open files with python-calamine (values only, fast)
and delegate to ``parse_month``, which works on plain rows. Every problem of a
run is collected; ``DataValidationError`` is raised at the end if any is an error.
Input files are only ever opened for reading.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import python_calamine as calamine

from cchc_lib.errors import DataValidationError, Problem
from cchc_lib.model import MonthData, Plan
from cchc_lib.monthly.cells import parse_month
from cchc_lib.monthly.figures import read_indicators
from cchc_lib.monthly.layout import (
    SHEET_INDICATORS,
    SHEET_NARRATIVE,
    SHEET_PROGRESS,
    plan_fingerprint,
)
from cchc_lib.monthly.narrative import read_narrative
from cchc_lib.monthly.progress import check_sequence, read_progress
from cchc_lib.monthly.sheets import Collector, Rows, find_sheet, has_errors, read_meta
from cchc_lib.periods import month_window

__all__ = [
    "load_month",
    "load_months",
    "months_for_period",
    "parse_month_sheets",
    "read_month",
    "validate_path",
]

_FILE_NAME = re.compile(r"^(\d{4})-(\d{2})\.xlsx$", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REMAKE = "gửi lại tệp gốc, hoặc lập tệp mới bằng lệnh cchc template rồi nhập lại số liệu"


def _month_of_name(path: Path) -> str | None:
    m = _FILE_NAME.match(path.name)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    return None


def _open_book(path: Path, out: Collector) -> dict[str, Rows] | None:
    """All sheets of the workbook as rows of values, or ``None`` (problem recorded)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        out.error(f"không đọc được tệp ({exc.strerror or exc})", _REMAKE)
        return None
    if head == _OLE_MAGIC and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in path.read_bytes():
        out.error(
            "tệp được đặt mật khẩu (mã hóa), không đọc được",
            "mở tệp bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại",
        )
        return None
    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            return {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names
            }
    except calamine.PasswordError:
        out.error("tệp được đặt mật khẩu, không đọc được", "bỏ mật khẩu rồi lưu lại")
    except (calamine.CalamineError, OSError, ValueError, UnicodeError) as exc:
        out.error(
            f"tệp không phải là bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng ({exc})", _REMAKE
        )
    return None


def parse_month_sheets(
    sheets: Mapping[str, Rows],
    plan: Plan,
    *,
    source: str,
    month: str | None,
) -> tuple[MonthData | None, list[Problem]]:
    """Validate the sheets of one workbook (pure: rows in, values and problems out).

    ``month`` is the month named by the file ("2022-03") or ``None`` if the name
    does not say; the month written inside the workbook is checked against it.
    ``MonthData`` is ``None`` only when the month cannot be told at all; otherwise
    it holds every value that could be read, even when there are errors.
    """
    out = Collector(source)
    progress_sheet = find_sheet(sheets, SHEET_PROGRESS)
    inner_month, fingerprint = read_meta(sheets, progress_sheet)
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
        return None, out.problems
    year = parse_month(month)[0]
    if year != plan.meta.year:
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
    cutoff = month_window(month)[1]
    progress = read_progress(sheets, progress_sheet, plan, cutoff, out)
    indicators = read_indicators(sheets, find_sheet(sheets, SHEET_INDICATORS), out)
    narrative = read_narrative(sheets, find_sheet(sheets, SHEET_NARRATIVE), month, out)
    data = MonthData(month, source, progress, indicators, narrative)
    return data, out.problems


def read_month(
    path: str | os.PathLike[str], plan: Plan, *, check_name: bool = True
) -> tuple[MonthData | None, list[Problem]]:
    """Read one workbook without raising: ``(data or None, problems)``.

    With ``check_name=False`` the month written inside the file is trusted and the
    file name is not checked (used to copy last month's values into a template).
    """
    p = Path(path)
    out = Collector(str(p))
    sheets = _open_book(p, out)
    if sheets is None:
        return None, out.problems
    month = _month_of_name(p)
    if not check_name:
        month = read_meta(sheets, find_sheet(sheets, SHEET_PROGRESS))[0] or month
    return parse_month_sheets(sheets, plan, source=str(p), month=month)


def load_month(path: str | os.PathLike[str], plan: Plan) -> MonthData:
    """Read and validate one monthly workbook; raise ``DataValidationError`` on errors."""
    data, problems = read_month(path, plan)
    if data is None or has_errors(problems):
        raise DataValidationError(problems)
    return data


def _named_files(folder: Path, months: Iterable[str], out: Collector) -> list[tuple[str, Path]]:
    """The workbooks of the given months; a missing one is an error."""
    wanted: list[str] = []
    for m in months:
        try:
            parse_month(m)
        except ValueError as exc:
            out.error(str(exc), "ghi tháng dạng YYYY-MM, ví dụ 2022-03", value=m)
            continue
        wanted.append(m)
    found = []
    for m in sorted(set(wanted)):
        path = folder / f"{m}.xlsx"
        if path.is_file():
            found.append((m, path))
        else:
            out.problems.append(
                Problem(
                    str(path),
                    f"thiếu số liệu tháng {m}: không có tệp {path.name} trong {folder}",
                    f"lập tệp bằng lệnh cchc template --month {m}, điền số liệu và lưu "
                    f"với tên {path.name}",
                )
            )
    return found


def _year_files(folder: Path, plan: Plan, out: Collector) -> list[tuple[str, Path]]:
    """Every workbook of the plan year in ``folder``; stray files and gaps are warned."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("~$", ".")) or path.suffix.lower() != ".xlsx":
            continue
        m = _month_of_name(path)
        if m is None or parse_month(m)[0] != plan.meta.year:
            out.problems.append(
                Problem(
                    str(path),
                    f"tệp bị bỏ qua: tên không phải là một tháng của năm {plan.meta.year} "
                    "(dạng YYYY-MM.xlsx)",
                    "đổi tên tệp theo tháng của số liệu hoặc chuyển tệp ra khỏi thư mục",
                    value=path.name,
                    severity="warning",
                )
            )
            continue
        found.append((m, path))
    if not found:
        out.error(
            f"thư mục không có tệp số liệu nào của năm {plan.meta.year} (dạng YYYY-MM.xlsx)",
            "đặt các tệp số liệu hằng tháng, ví dụ 2022-01.xlsx, vào thư mục này",
        )
        return found
    last = max(parse_month(m)[1] for m, _ in found)
    have = {m for m, _ in found}
    for mon in range(1, last + 1):
        label = f"{plan.meta.year}-{mon:02d}"
        if label not in have:
            out.warning(
                f"thiếu số liệu tháng {label} (không có tệp {label}.xlsx)",
                f"lập tệp bằng lệnh cchc template --month {label} và điền số liệu",
            )
    return found


def _folder_files(folder: Path, plan: Plan, months: Iterable[str] | None, out: Collector):
    """The files to read: ``[(month, path)]``; missing or stray files are recorded."""
    if months is not None:
        return _named_files(folder, months, out)
    return _year_files(folder, plan, out)


def _read_folder(
    folder: Path, plan: Plan, months: Iterable[str] | None
) -> tuple[list[MonthData], list[Problem]]:
    out = Collector(str(folder))
    files = _folder_files(folder, plan, months, out)
    datas: list[MonthData] = []
    for _, path in files:
        data, problems = read_month(path, plan)
        out.problems.extend(problems)
        if data is not None:
            datas.append(data)
    out.problems.extend(check_sequence(datas))
    return datas, out.problems


def months_for_period(folder: str | os.PathLike[str], period) -> tuple[str, ...]:
    """Months to load for ``period``: all of its own (required) plus the earlier months of the
    year whose files exist (they feed yearly targets' progress and tasks' last known state)."""
    root = Path(folder)
    earlier = [
        m for m in period.year_to_date if m not in period.months and (root / f"{m}.xlsx").is_file()
    ]
    return tuple(sorted({*earlier, *period.months}))


def load_months(
    folder: str | os.PathLike[str], plan: Plan, months: Iterable[str] | None = None
) -> tuple[MonthData, ...]:
    """Read ``<YYYY-MM>.xlsx`` files of ``folder`` (all of the plan year, or ``months``).

    Every file is checked before ``DataValidationError`` is raised, listing all problems.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataValidationError([_not_found(root)])
    datas, problems = _read_folder(root, plan, months)
    if has_errors(problems):
        raise DataValidationError(problems)
    return tuple(sorted(datas, key=lambda d: d.month))


def validate_path(path_or_folder: str | os.PathLike[str], plan: Plan) -> list[Problem]:
    """Every problem (errors and warnings) of a workbook or a folder of workbooks."""
    p = Path(path_or_folder)
    if p.is_dir():
        return _read_folder(p, plan, None)[1]
    if not p.exists():
        return [_not_found(p)]
    return read_month(p, plan)[1]


def _not_found(p: Path) -> Problem:
    return Problem(str(p), "không tìm thấy tệp hoặc thư mục", "kiểm tra lại đường dẫn")
