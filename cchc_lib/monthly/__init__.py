"""Monthly data: the workbooks units fill in, read and validated.

:func:`load_months` reads a folder of ``<YYYY-MM>.xlsx`` workbooks and/or ``<YYYY-MM>/``
folders of one workbook per unit (:mod:`.reader`: :mod:`.files` finds them, :mod:`.workbook`
opens them safely, :mod:`.units` says what each unit's file holds, :mod:`.merge` joins a
month's files); the sheets are read by :mod:`.progress` ("Tiến độ"), :mod:`.figures` ("Chỉ số") and
:mod:`.narrative` ("Thuyết minh") on plain rows, with the cell parsers of :mod:`.cells`
and the layout of :mod:`.layout`. :mod:`.template` writes the workbook, :mod:`.sample`
fills a year of them with synthetic data.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "load_month",
    "load_months",
    "month_exists",
    "months_for_period",
    "parse_month_sheets",
    "read_folder",
    "read_month",
    "read_months",
    "validate_path",
]


def __getattr__(name: str) -> Any:
    """The reader's functions, imported on first use (python-calamine loads only then)."""
    if name in __all__:
        from cchc_lib.monthly import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'cchc_lib.monthly' has no attribute {name!r}")
