"""Errors the library raises. Messages are Vietnamese: they reach officials as is."""

from __future__ import annotations

import csv
import errno
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

MAX_PROBLEMS_PER_FILE = 200
"""Problems of one file shown in a message, a terminal or a log; the rest are counted
("… và 219.800 lỗi khác") and written whole only to a problems file on request."""
MAX_VALUE_CHARS = 200
"""A found value longer than this is clipped in messages (the file holds it whole)."""


class CchcError(Exception):
    """Base of every error cchc reports to the user (CLI exit status 2 unless said).

    ``input_error``: the user's input (plan, workbooks, parameters, links) is wrong, and the
    message already names the place and the fix.
    """

    exit_code = 2
    input_error = True


def is_input_error(ename: str) -> bool:
    """True when ``ename`` (an exception's class name, as a kernel reports it) names one of
    cchc's errors about the user's input.

    >>> is_input_error("DataValidationError"), is_input_error("ReportRunError")
    (True, False)
    >>> is_input_error("ValueError")
    False
    """
    cls = globals().get(ename)
    return isinstance(cls, type) and issubclass(cls, CchcError) and cls.input_error


class PlanFormatError(CchcError):
    """The file is not a CCHC plan cchc can read."""

    def __init__(self, path: str, where: str | None, message: str) -> None:
        self.path = path
        self.where = where
        self.detail = message
        loc = f"{path}, {where}" if where else path
        super().__init__(f"Tệp kế hoạch {loc}: {message}")


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` cut to ``limit`` characters with "…" (messages never carry a whole value).

    >>> clip("x" * 5, 3)
    'xx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown_value(value: object) -> str:
    """A found value as a reader expects it: “xong”, 150, 12,5 (not Python's 'xong', 150.0)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return clip(f"{value}".replace(".", ","))
    if isinstance(value, str):
        return f"“{clip(value)}”"
    return clip(str(value))


@dataclass(frozen=True)
class Problem:
    """One validation finding in an input file: where, what is wrong, how to fix it.

    >>> str(Problem("2022-03.xlsx", "trạng thái không thuộc danh sách", "chọn từ danh sách",
    ...             sheet="Tiến độ", row=14, column="Trạng thái", value="xong"))
    'Lỗi: 2022-03.xlsx, trang "Tiến độ", dòng 14, cột "Trạng thái": trạng thái không thuộc \
danh sách. Giá trị: “xong”. Cách sửa: chọn từ danh sách.'
    """

    file: str
    message: str  # what is wrong and what was expected
    fix: str  # how to fix it
    _: KW_ONLY
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f'trang "{self.sheet}"')
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f'cột "{self.column}"')
        loc = ", ".join(parts)
        val = "" if self.value in (None, "") else f" Giá trị: {_shown_value(self.value)}."
        label = "Lỗi" if self.severity == "error" else "Cảnh báo"
        return f"{label}: {loc}: {self.message}.{val} Cách sửa: {self.fix}."


def _count(n: int) -> str:
    """1234567 -> "1.234.567" (Vietnamese thousands; errors.py imports nothing of cchc)."""
    return f"{n:,}".replace(",", ".")


PROBLEMS_HINT = "danh sách đầy đủ: cchc validate THƯ_MỤC_SỐ_LIỆU --plan KẾ_HOẠCH --problems loi.csv"


def format_problems(
    problems: Iterable[Problem], *, per_file: int = MAX_PROBLEMS_PER_FILE, hint: str = PROBLEMS_HINT
) -> str:
    """Problems one per line, at most ``per_file`` of each file (errors before warnings), then
    one line counting the rest of that file: "… và 219.800 lỗi khác ở tệp 2022-03.xlsx".

    >>> ps = [Problem("a.xlsx", "sai", "sửa", row=r) for r in range(1, 5)]
    >>> print(format_problems(ps, per_file=2, hint=""))
    Lỗi: a.xlsx, dòng 1: sai. Cách sửa: sửa.
    Lỗi: a.xlsx, dòng 2: sai. Cách sửa: sửa.
    … và 2 lỗi khác ở tệp a.xlsx.
    """
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    lines: list[str] = []
    for file, items in by_file.items():
        items.sort(key=lambda p: p.severity != "error")  # stable: errors first, in file order
        lines.extend(str(p) for p in items[:per_file])
        rest = items[per_file:]
        if rest:
            errors = sum(p.severity == "error" for p in rest)
            parts = [f"{_count(errors)} lỗi"] if errors else []
            if len(rest) > errors:
                parts.append(f"{_count(len(rest) - errors)} cảnh báo")
            tail = f" ({hint})" if hint else ""
            lines.append(f"… và {', '.join(parts)} khác ở tệp {file}{tail}.")
    return "\n".join(lines)


PROBLEM_COLUMNS = ("Tệp", "Trang", "Dòng", "Cột", "Mức", "Vấn đề", "Giá trị", "Cách sửa")


def problems_csv(problems: Iterable[Problem]) -> bytes:
    """Every problem as CSV (UTF-8 with BOM, so Excel shows the Vietnamese right)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(PROBLEM_COLUMNS)
    for p in problems:
        value = "" if p.value is None else str(p.value)
        level = "Lỗi" if p.severity == "error" else "Cảnh báo"
        row = (p.file, p.sheet or "", p.row if p.row is not None else "", p.column or "")
        writer.writerow((*row, level, p.message, value, p.fix))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


class DataValidationError(CchcError):
    """Monthly workbooks failed validation; ``problems`` lists every finding.

    The message shows at most :data:`MAX_PROBLEMS_PER_FILE` problems of each file (a
    workbook with 220,000 problems gives a message of a few hundred lines, not 55 MB).
    """

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        errors = sum(p.severity == "error" for p in self.problems)
        head = f"Dữ liệu hằng tháng có {_count(errors)} lỗi"
        super().__init__(head + ":\n" + format_problems(self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.problems,)


class ParameterError(CchcError):
    """A parameters file is wrong (unknown key, wrong type, missing file).

    ``problems``: the separate findings, when the message lists several.
    """

    def __init__(self, message: str = "", problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems) or ((message,) if message else ())

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (str(self), self.problems)


class ReportRunError(CchcError):
    """Executing or exporting a report failed."""

    exit_code = 1
    input_error = False


class PeriodError(CchcError):
    """A reporting-period code or window rule is not valid."""


class DossierFormatError(CchcError):
    """A dossier export (one-stop system) or its codes file cannot be read at all: no
    recognisable header, a required column missing, not a spreadsheet or CSV, a broken
    ``<plan>.dossiers.yaml``. Bad rows are problems, never this error."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.detail = message
        end = "" if message.endswith((".", "!", "?")) else "."
        super().__init__(f"Tệp hồ sơ {path}: {message}{end}")


class LinkError(CchcError):
    """A target-links file (``links.yaml``) is malformed."""

    def __init__(self, path: str, where: str | None, message: str) -> None:
        self.path = path
        self.where = where
        self.detail = message
        loc = f"{path}, {where}" if where else path
        super().__init__(f"Tệp liên kết chỉ tiêu {loc}: {message}")


# ---------------------------------------------------------------- the operating system

_OS_REASONS = {
    errno.ENOSPC: (
        "ổ đĩa đã đầy (hết dung lượng)",
        "giải phóng dung lượng trên ổ đĩa rồi chạy lại",
    ),
    errno.EDQUOT: (
        "đã dùng hết hạn mức dung lượng được cấp trên ổ đĩa",
        "xóa bớt tệp hoặc xin tăng hạn mức rồi chạy lại",
    ),
    errno.EACCES: (
        "không có quyền ghi",
        "chọn thư mục mình có quyền ghi, hoặc nhờ quản trị cấp quyền",
    ),
    errno.EPERM: ("hệ điều hành không cho phép thao tác này", "chọn thư mục khác"),
    errno.EROFS: ("ổ đĩa chỉ cho phép đọc", "chọn thư mục trên ổ đĩa ghi được"),
    errno.EISDIR: (
        "đường dẫn này là một thư mục, không phải tệp",
        "ghi tên tệp đầy đủ (ví dụ thêm /ten-tep.xlsx) hoặc chọn tên khác",
    ),
    errno.ENOTDIR: (
        "một phần của đường dẫn là tệp chứ không phải thư mục",
        "sửa đường dẫn cho đúng thư mục",
    ),
    errno.ENOENT: ("thư mục chứa không tồn tại", "tạo thư mục trước hoặc sửa đường dẫn"),
    errno.ENAMETOOLONG: ("tên tệp quá dài", "đặt tên ngắn hơn"),
    errno.EIO: ("thiết bị lưu trữ báo lỗi đọc/ghi", "kiểm tra ổ đĩa rồi chạy lại"),
    errno.EEXIST: ("đã có một tệp hoặc thư mục cùng tên", "chọn tên khác"),
    errno.ENOTEMPTY: ("thư mục không rỗng", "chọn thư mục khác"),
    errno.EMFILE: ("mở quá nhiều tệp cùng lúc", "chạy lại với ít báo cáo song song hơn (--jobs)"),
}


def describe_os_error(exc: OSError) -> tuple[str, str]:
    """(what went wrong, how to fix it) in Vietnamese for an ``OSError``.

    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))[0]
    'ổ đĩa đã đầy (hết dung lượng) (ENOSPC)'
    """
    reason, fix = _OS_REASONS.get(
        exc.errno or 0, (f"lỗi hệ thống: {exc.strerror or exc}", "kiểm tra đường dẫn rồi chạy lại")
    )
    code = errno.errorcode.get(exc.errno or 0)
    return (f"{reason} ({code})" if code else reason), fix


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class WriteError(CchcError):
    """A file cchc writes could not be written (disk full, no permission, a folder in the way)."""

    exit_code = 1
    input_error = False

    @classmethod
    def of(cls, exc: OSError, path: str | os.PathLike[str] | None, what: str = "tệp") -> WriteError:
        """The Vietnamese message for ``exc`` while writing ``path``."""
        reason, fix = describe_os_error(exc)
        names = [str(n) for n in (exc.filename, exc.filename2) if n]
        # our own temporary files (".x.xlsx.ab12.tmp") mean nothing to the user
        names = [
            n for n in names if not (os.path.basename(n).startswith(".") and n.endswith(".tmp"))
        ]
        target = path if path is not None else (names[0] if names else None)
        shown = f" {target}" if target else ""
        others = [
            n for n in names if target is None or os.path.abspath(n) != os.path.abspath(target)
        ]
        detail = f" (khi ghi {others[0]})" if others else ""
        return cls(
            f"Không ghi được {what}{shown}{detail}: {reason}. Cách sửa: {fix}. "
            "Tệp cũ (nếu có) được giữ nguyên."
        )
