"""Errors the library raises. Messages are Vietnamese: they reach officials as is."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass


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


def _shown_value(value: object) -> str:
    """A found value as a reader expects it: “xong”, 150, 12,5 (not Python's 'xong', 150.0)."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value}".replace(".", ",")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


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


class DataValidationError(CchcError):
    """Monthly workbooks failed validation; ``problems`` lists every finding."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"Dữ liệu hằng tháng có {len(errors)} lỗi"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class ParameterError(CchcError):
    """A parameters file is wrong (unknown key, wrong type, missing file)."""


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
