"""Cell parsers for monthly workbooks.

Parsers take a raw cell value (as python-calamine returns it: ``str``, ``float``,
``int``, ``bool``, ``date``, ``datetime``, ``time``, ``timedelta`` or ``""``, plus the two
marks the reader adds: :class:`CellError` for an Excel error value and :class:`Percent` for a
number formatted as a percentage) and return a clean value or raise ``ValueError`` whose text
is a Vietnamese explanation.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from cchc_lib.fmt import fmt_date
from cchc_lib.model import STATUSES
from cchc_lib.text import fold, nfc

STATUS_LIST = ", ".join(STATUSES.values())

_STATUS_ALIASES = {
    **{fold(label): key for key, label in STATUSES.items()},
    **{key.replace("_", " "): key for key in STATUSES},
    "da hoan thanh": "done",
    "dang trien khai": "in_progress",
    "chua thuc hien": "not_started",
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_EXCEL_EPOCH = date(1899, 12, 30)
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]|  ")  # what nfc() would change

MAX_COUNT = 10**12
"""Counts above this are typing mistakes (and would not format): an error, never a figure."""

ERROR_CODES = frozenset(
    ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)
"""Excel's error values (what a formula shows when it cannot be computed)."""


class CellError(str):
    """An Excel error value read from a cell ("#DIV/0!"): never a blank, never a number."""

    __slots__ = ()


class Percent(float):
    """A number stored as a fraction and shown as a percentage (0.5 shown as "50%")."""

    __slots__ = ()


def error_code(value: object) -> str | None:
    """The Excel error value of a cell (a :class:`CellError`, or text such as "#N/A"), else None.

    >>> error_code(CellError("#DIV/0!")), error_code(" #n/a "), error_code("#1"), error_code(3)
    ('#DIV/0!', '#N/A', None, None)
    """
    if type(value) is CellError:
        return str(value)
    if type(value) is str and value[:1] in "# " and value.strip().upper() in ERROR_CODES:
        return value.strip().upper()
    return None


def check_error(value: object) -> None:
    """Raise ``ValueError`` when the cell holds an Excel error value."""
    code = error_code(value)
    if code is not None:
        raise ValueError(
            f"ô có giá trị lỗi {code} của Excel (công thức không tính được), không phải số liệu"
        )


# --- months and windows ---------------------------------------------------------


def parse_month(month: str) -> tuple[int, int]:
    """``"2022-03"`` -> ``(2022, 3)``; ``ValueError`` for anything else."""
    m = _MONTH.match(str(month).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"tháng {month!r} không đúng dạng YYYY-MM (ví dụ 2022-03)")
    return int(m.group(1)), int(m.group(2))


def month_label(month: str) -> str:
    """``"2022-03"`` -> ``"Tháng 3/2022"``."""
    year, mon = parse_month(month)
    return f"Tháng {mon}/{year}"


# --- cell parsers ---------------------------------------------------------------


def is_blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def cell_text(value: object) -> str:
    """Any cell value as clean NFC text (dates as dd/mm/yyyy, 3.0 as "3")."""
    if value is None or value == "":
        return ""
    if type(value) is str or type(value) is CellError:
        text = value.strip()
        if (text.isascii() or unicodedata.is_normalized("NFC", text)) and not _ODD_SPACE.search(
            text
        ):
            return text  # fast path: already what nfc() would return
        return nfc(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def parse_status(value: object) -> str | None:
    """A status label (any case, diacritics, normal form) -> key of STATUSES."""
    if is_blank(value):
        return None
    check_error(value)
    key = _status_key(str(value))
    if key is None:
        raise ValueError(f"trạng thái không thuộc danh sách: {STATUS_LIST}")
    return key


@lru_cache(maxsize=4096)
def _status_key(text: str) -> str | None:
    return _STATUS_ALIASES.get(fold(text))


def _number(value: object) -> float:
    check_error(value)
    if isinstance(value, bool):
        raise ValueError("không phải là số")
    try:
        if isinstance(value, int | float):
            x = float(value)
        elif isinstance(value, str) and _NUMBER.match(value.strip()):
            x = float(value.strip().replace(",", "."))
        else:
            raise ValueError("không phải là số")
    except OverflowError:
        raise ValueError("số quá lớn") from None
    if not math.isfinite(x):
        raise ValueError("không phải là số")
    return x


def parse_percent(value: object) -> float | None:
    """A percentage 0–100: a number or text such as "80", "80%", "80,5"."""
    if is_blank(value):
        return None
    if isinstance(value, Percent):
        x = round(float(value) * 100, 9)
    else:
        if isinstance(value, str):
            check_error(value)
            value = value.strip().removesuffix("%").strip()
        x = _number(value)
    if not 0 <= x <= 100:
        raise ValueError("tỷ lệ phải nằm trong khoảng từ 0 đến 100")
    return x


def parse_count(value: object, *, minimum: int = 0) -> int | None:
    """A whole number >= ``minimum``; text "1.234" (Vietnamese thousands) is accepted."""
    if is_blank(value):
        return None
    if isinstance(value, Percent):
        raise ValueError(
            f"ô được định dạng phần trăm (hiện {_shown_percent(value)}) nhưng chỉ số này là "
            "số nguyên"
        )
    if isinstance(value, int) and not isinstance(value, bool):  # exact, even beyond 2**53
        x: float | int = value
    else:
        if isinstance(value, str) and _THOUSANDS.match(value.strip()):
            value = value.strip().replace(".", "")
        x = _number(value)
        if not x.is_integer():
            raise ValueError("số liệu phải là số nguyên (không có phần thập phân)")
    if x < minimum:
        raise ValueError(f"số liệu không được nhỏ hơn {minimum}")
    if x > MAX_COUNT:
        raise ValueError("số liệu quá lớn (trên 1.000.000.000.000), có thể do gõ nhầm")
    return int(x)


def _shown_percent(value: float) -> str:
    return f"{round(value * 100, 6):g}%".replace(".", ",")


def parse_date(value: object) -> date | None:
    """An Excel date, a datetime, an Excel serial number or text "dd/mm/yyyy"."""
    if is_blank(value):
        return None
    check_error(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time | timedelta | bool):
        raise ValueError("không phải là ngày (cần dạng dd/mm/yyyy)")
    if isinstance(value, int | float):
        if math.isfinite(value) and float(value).is_integer() and 32874 <= value <= 73050:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError("không phải là ngày (cần dạng dd/mm/yyyy)")
    text = str(value).strip()
    m = _DMY.match(text)
    parts: tuple[str, ...] | None = (m.group(3), m.group(2), m.group(1)) if m else None
    if parts is None and (m := _ISO.match(text)):
        parts = m.groups()
    if parts is None:
        raise ValueError("không phải là ngày (cần dạng dd/mm/yyyy)")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError("ngày không có thật trên lịch (cần dạng dd/mm/yyyy)") from None
