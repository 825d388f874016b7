"""The dossier figures of the monthly data, taken from the one-stop system's exports.

When a data folder holds exports of the dossier list (``<data>/ho-so/``, see
:func:`cchc_lib.dossiers.find_exports`), each month's ``hs_*`` indicators are counted from
them (:mod:`cchc_lib.dossiers`, Thông tư 01/2020/TT-VPCP) instead of read from the "Chỉ số"
sheet: these are the figures offices most often type wrong. A figure also typed in the
sheet and different is a warning naming both; the report uses the export's. A month the
export does not cover (its window starts before the first dossier received or ends after
the last date in the export) keeps the sheet's figures, and the analyst is told.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from cchc_lib.errors import DossierFormatError, Problem
from cchc_lib.model import MonthData
from cchc_lib.periods import Period, parse_period

SHEET = "Chỉ số"
MAX_ROW_PROBLEMS = 20  # the export's bad rows told in the report's checks (all: cchc dossiers)


@dataclass(frozen=True)
class Exports:
    """The dossier exports of a data folder, read and checked."""

    folder: Path
    records: Any  # cchc_lib.dossiers.DossierSet (Polars loads only when there are exports)
    first: date | None  # the first day the export knows (earliest receipt)
    last: date | None  # the last day it knows (latest receipt or result)
    problems: tuple[Problem, ...]  # bad rows, left out of every count

    def covers(self, period: Period) -> bool:
        return (
            self.first is not None
            and self.last is not None
            and self.first <= period.start
            and self.last >= period.end
        )

    def statistics(self, period: Period, by: str | None = None) -> Any:
        from cchc_lib.dossiers import dossier_statistics

        return dossier_statistics(self.records, period, by=by)

    def month_values(self, period: Period) -> dict[str, float]:
        """The catalog's dossier codes over ``period``, from the export."""
        from cchc_lib.dossiers import indicator_values

        stats = self.statistics(period)
        values: dict[str, float] = {k: float(v) for k, v in indicator_values(stats).items()}
        values["hs_ky_truoc"] = float(stats.totals.tu_ky_truoc)
        return values


def load_exports(
    data: str | os.PathLike[str], *, dossiers: str | os.PathLike[str] = "", plan_path: str = ""
) -> Exports | None:
    """The exports in ``dossiers`` (empty: found in ``data``), or None when there are none.

    A file that cannot be read at all raises :class:`~cchc_lib.errors.DossierFormatError`."""
    from cchc_lib.dossiers import find_exports, load_dossiers

    if str(dossiers) and not Path(dossiers).exists():
        raise DossierFormatError(
            str(dossiers),
            "không tìm thấy tệp hoặc thư mục này (tham số dossiers: danh sách hồ sơ xuất từ hệ "
            "thống một cửa). Cách sửa: sửa đường dẫn, hoặc để trống để dùng "
            f"{Path(data) / 'ho-so'} nếu có",
        )
    folder = Path(dossiers) if str(dossiers) else find_exports(data)
    if folder is None:
        return None
    records, problems = load_dossiers(folder, plan_path=plan_path or None)
    frame = records.frame
    if frame.height == 0:
        return Exports(folder, records, None, None, tuple(problems))
    first = frame["r"].min()
    last = max(d for d in (frame["r"].max(), frame["k"].max()) if d is not None)
    return Exports(folder, records, first, last, tuple(problems))


def apply_exports(
    months: tuple[MonthData, ...], exports: Exports, rule: str = "official"
) -> tuple[tuple[MonthData, ...], tuple[Problem, ...]]:
    """Each month covered by the export with its dossier figures counted from it; warnings
    for a typed figure that differs, the months not covered and the export's bad rows."""
    from cchc_lib.catalog import load_catalog

    catalog = load_catalog()
    out: list[MonthData] = []
    warnings: list[Problem] = []
    for data in months:
        period = parse_period(data.month, rule)
        if not exports.covers(period):
            warnings.append(_not_covered(exports, period))
            out.append(data)
            continue
        counted = exports.month_values(period)
        for code, value in counted.items():
            typed = data.indicator(code)
            if typed is not None and typed != value:
                name = catalog[code].name if code in catalog else code
                warnings.append(_differs(data, code, name, typed, value, exports))
        values = tuple((c, counted.get(c, v)) for c, v in data.indicators)
        out.append(replace(data, indicators=values))
    warnings += _row_problems(exports)
    return tuple(out), tuple(warnings)


def _differs(
    data: MonthData, code: str, name: str, typed: float, value: float, exports: Exports
) -> Problem:
    origin = dict(data.origins).get(f"chỉ số:{code}", data.source)
    return Problem(
        origin,
        f"tháng {data.month[5:]}/{data.month[:4]}, “{name}” ({code}): tệp tháng ghi "
        f"{_n(typed)}, danh sách hồ sơ xuất từ hệ thống một cửa ({exports.folder}) cho "
        f"{_n(value)}; báo cáo dùng số liệu của danh sách hồ sơ",
        "đối chiếu lại với hệ thống một cửa; sửa số trong tệp tháng, hoặc xuất lại danh sách "
        "hồ sơ nếu danh sách thiếu",
        sheet=SHEET,
        column="Giá trị",
        value=typed,
        severity="warning",
    )


def _not_covered(exports: Exports, period: Period) -> Problem:
    known = (
        f"từ ngày {exports.first:%d/%m/%Y} đến ngày {exports.last:%d/%m/%Y}"
        if exports.first and exports.last
        else "không có hồ sơ nào"
    )
    return Problem(
        str(exports.folder),
        f"danh sách hồ sơ chỉ có số liệu {known}, không đủ cho tháng "
        f"{period.code[5:]}/{period.year} (từ ngày {period.start:%d/%m/%Y} đến ngày "
        f"{period.end:%d/%m/%Y}); tháng này dùng số liệu hồ sơ của tệp tháng",
        "xuất lại danh sách hồ sơ từ hệ thống một cửa cho cả năm",
        severity="warning",
    )


def _row_problems(exports: Exports) -> list[Problem]:
    problems = list(exports.problems)
    if len(problems) <= MAX_ROW_PROBLEMS:
        return problems
    more = len(problems) - MAX_ROW_PROBLEMS
    summary = Problem(
        str(exports.folder),
        f"còn {_n(more)} dòng hồ sơ có vấn đề khác, không được tính",
        f"xem đủ danh sách: cchc dossiers --data {exports.folder} --period <kỳ> "
        "--problems ho-so-loi.csv",
        severity="warning",
    )
    return [*problems[:MAX_ROW_PROBLEMS], summary]


def _n(value: float) -> str:
    return f"{int(value):,}".replace(",", ".") if float(value).is_integer() else str(value)
