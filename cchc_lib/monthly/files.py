"""Which files hold a month: the layout of a data folder.

A month is given by one workbook for the whole agency, ``<folder>/2022-03.xlsx``, by a folder of
one workbook per unit, ``<folder>/2022-03/<unit>.xlsx``, or both (the rows of each task from one
file only). ``2022-03 <unit>.xlsx`` beside the month files counts as ``2022-03/<unit>.xlsx``.
Workbooks may be .xlsx, .xlsm, .xls or .ods. Office lock files (``~$…``) and hidden files are
skipped; other files (plans, notes, exports) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.errors import Problem
from cchc_lib.monthly.cells import parse_month
from cchc_lib.monthly.sheets import Collector
from cchc_lib.monthly.workbook import EXTENSIONS

__all__ = ["MonthFiles", "month_exists", "month_files", "month_of_name", "year_files"]

_NAME = re.compile(r"^(\d{4})-(\d{2})(?:\s*[-_ ]\s*(?P<unit>\S.*?))?\s*$")
_EXT_LIST = ", ".join(EXTENSIONS)


@dataclass(frozen=True)
class MonthFiles:
    """The files of one month: the whole-agency workbook(s) and the units' workbooks."""

    month: str
    whole: tuple[Path, ...] = ()
    units: tuple[tuple[str, Path], ...] = ()  # (unit as the file names it, path)

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.whole + tuple(p for _, p in self.units)


def _skipped(name: str) -> bool:
    return name.startswith(("~$", "."))


def _is_book(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def month_of_name(path: Path) -> tuple[str, str | None] | None:
    """``("2022-03", None)`` for ``2022-03.xlsx``, ``("2022-03", "Thanh tra Sở")`` for
    ``2022-03 Thanh tra Sở.xlsx`` or ``2022-03/Thanh tra Sở.xlsx``; None otherwise.

    >>> month_of_name(Path("2022-03.XLSX")), month_of_name(Path("2022-03/Văn phòng.ods"))
    (('2022-03', None), ('2022-03', 'Văn phòng'))
    >>> month_of_name(Path("ghi chu.xlsx")) is None
    True
    """
    if not _is_book(path):
        return None
    m = _NAME.match(path.stem)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}", m.group("unit")
    parent = _NAME.match(path.parent.name)
    if parent and not parent.group("unit") and 1 <= int(parent.group(2)) <= 12:
        return f"{parent.group(1)}-{parent.group(2)}", path.stem.strip()
    return None


def _unit_folder(folder: Path, out: Collector) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(folder.iterdir()):
        if _skipped(path.name):
            continue
        if not _is_book(path) or path.is_dir():
            out.problems.append(
                Problem(
                    str(path),
                    f"mục bị bỏ qua: thư mục tháng chỉ chứa các tệp bảng tính ({_EXT_LIST}) "
                    "của các đơn vị",
                    "chuyển mục này ra khỏi thư mục tháng",
                    value=path.name,
                    severity="warning",
                )
            )
            continue
        found.append((path.stem.strip(), path))
    return found


def _add(table: dict[str, dict], month: str, unit: str | None, path: Path) -> None:
    entry = table.setdefault(month, {"whole": [], "units": []})
    if unit is None:
        entry["whole"].append(path)
    else:
        entry["units"].append((unit, path))


def _scan(folder: Path, out: Collector) -> dict[str, dict]:
    """Every month's files in ``folder`` (any year); stray workbooks warned."""
    table: dict[str, dict] = {}
    for path in sorted(folder.iterdir()):
        if _skipped(path.name):
            continue
        if path.is_dir():
            m = _NAME.match(path.name)
            if m and not m.group("unit") and 1 <= int(m.group(2)) <= 12:
                month = f"{m.group(1)}-{m.group(2)}"
                table.setdefault(month, {"whole": [], "units": []})
                for unit, p in _unit_folder(path, out):
                    _add(table, month, unit, p)
            continue
        if not _is_book(path):
            continue
        named = month_of_name(path)
        if named is None:
            out.problems.append(
                Problem(
                    str(path),
                    "tệp bị bỏ qua: tên không phải là một tháng (dạng YYYY-MM.xlsx, hoặc "
                    "YYYY-MM <tên đơn vị>.xlsx)",
                    "đổi tên tệp theo tháng của số liệu hoặc chuyển tệp ra khỏi thư mục",
                    value=path.name,
                    severity="warning",
                )
            )
            continue
        _add(table, named[0], named[1], path)
    return table


def _files(month: str, entry: dict, out: Collector) -> MonthFiles:
    whole = sorted(entry["whole"], key=lambda p: p.name)
    if len(whole) > 1:
        out.problems.append(
            Problem(
                str(whole[0]),
                f"có {len(whole)} tệp cho cùng tháng {month}: "
                + ", ".join(p.name for p in whole)
                + f"; chỉ tệp {whole[0].name} được đọc",
                "giữ một tệp cho mỗi tháng, xóa hoặc chuyển các tệp còn lại ra khỏi thư mục",
                value=", ".join(p.name for p in whole[1:]),
            )
        )
    return MonthFiles(month, tuple(whole[:1]), tuple(entry["units"]))


def year_files(folder: Path, year: int, out: Collector) -> list[MonthFiles]:
    """Every month of ``year`` in ``folder``; other years' files and gaps are warned."""
    found = []
    for month, entry in sorted(_scan(folder, out).items()):
        if parse_month(month)[0] != year:
            for p in (*entry["whole"], *(q for _, q in entry["units"])):
                out.problems.append(
                    Problem(
                        str(p),
                        f"tệp bị bỏ qua: tháng {month} không thuộc năm {year}",
                        "chuyển tệp sang thư mục số liệu của năm đó",
                        value=p.name,
                        severity="warning",
                    )
                )
            continue
        files = _files(month, entry, out)
        if files.paths:
            found.append(files)
    if not found:
        out.error(
            f"thư mục không có tệp số liệu nào của năm {year} (dạng YYYY-MM.xlsx hoặc "
            "thư mục YYYY-MM/ chứa tệp của các đơn vị)",
            f"đặt các tệp số liệu hằng tháng, ví dụ {year}-01.xlsx, vào thư mục này",
        )
        return found
    last = max(parse_month(f.month)[1] for f in found)
    have = {f.month for f in found}
    for mon in range(1, last + 1):
        label = f"{year}-{mon:02d}"
        if label not in have:
            out.warning(
                f"thiếu số liệu tháng {label} (không có tệp {label}.xlsx hay thư mục {label}/)",
                f"lập tệp bằng lệnh cchc template --month {label} và điền số liệu",
            )
    return found


def month_files(folder: Path, months: Iterable[str], out: Collector) -> list[MonthFiles]:
    """The files of the given months; a month without any is an error."""
    wanted: list[str] = []
    for m in months:
        try:
            parse_month(m)
        except ValueError as exc:
            out.error(str(exc), "ghi tháng dạng YYYY-MM, ví dụ 2022-03", value=m)
            continue
        wanted.append(m)
    table = _scan(folder, Collector(str(folder)))  # strays are not this call's business
    found = []
    for m in sorted(set(wanted)):
        files = _files(m, table.get(m, {"whole": [], "units": []}), out)
        if files.paths:
            found.append(files)
            continue
        path = folder / f"{m}.xlsx"
        out.problems.append(
            Problem(
                str(path),
                f"thiếu số liệu tháng {m}: không có tệp {path.name} hay thư mục {m}/ "
                f"trong {folder}",
                f"lập tệp bằng lệnh cchc template --month {m}, điền số liệu và lưu với tên "
                f"{path.name} (hoặc mỗi đơn vị một tệp trong thư mục {m}/)",
            )
        )
    return found


def month_exists(folder: Path, month: str) -> bool:
    """True when ``folder`` holds a workbook of ``month`` (whole or by unit)."""
    if not folder.is_dir():
        return False
    for ext in EXTENSIONS:
        if (folder / f"{month}{ext}").exists():
            return True
    sub = folder / month
    if sub.is_dir() and any(_is_book(p) and not _skipped(p.name) for p in sub.iterdir()):
        return True
    return any(
        (named := month_of_name(p)) is not None and named[0] == month
        for p in folder.iterdir()
        if p.name.startswith(month) and not _skipped(p.name)
    )
