"""Errors: bounded lists of problems, a problems file on request, OS errors in Vietnamese."""

from __future__ import annotations

import csv
import errno
import io
import pickle

from cchc_lib.errors import (
    MAX_PROBLEMS_PER_FILE,
    DataValidationError,
    ParameterError,
    Problem,
    WriteError,
    describe_os_error,
    format_problems,
    problems_csv,
)


def many(file: str, n: int, severity: str = "error") -> list[Problem]:
    return [
        Problem(
            file, "trạng thái không thuộc danh sách", "chọn từ danh sách", row=r, severity=severity
        )
        for r in range(n)
    ]


def test_at_most_200_problems_per_file_then_a_count() -> None:
    problems = many("2022-03.xlsx", 20_200) + many("2022-04.xlsx", 3)
    text = format_problems(problems)
    lines = text.splitlines()
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 1 + 3
    assert lines[200].startswith("… và 20.000 lỗi khác ở tệp 2022-03.xlsx (danh sách đầy đủ:")
    assert "--problems" in lines[200]
    assert len(text) < 100_000


def test_errors_come_before_warnings_when_cut() -> None:
    problems = many("a.xlsx", 300, "warning") + many("a.xlsx", 5)
    lines = format_problems(problems, hint="").splitlines()
    assert all(line.startswith("Lỗi") for line in lines[:5])
    assert lines[-1] == "… và 105 cảnh báo khác ở tệp a.xlsx."


def test_data_validation_error_is_bounded_and_keeps_every_problem() -> None:
    problems = many("2022-03.xlsx", 5_000)
    exc = DataValidationError(problems)
    assert str(exc).startswith("Dữ liệu hằng tháng có 5.000 lỗi:")
    assert len(str(exc).splitlines()) == 1 + 200 + 1
    assert len(exc.problems) == 5_000
    again = pickle.loads(pickle.dumps(exc))
    assert len(again.problems) == 5_000 and str(again) == str(exc)


def test_a_huge_value_is_clipped_in_the_message() -> None:
    p = Problem("a.xlsx", "sai", "sửa", row=1, value="x" * 100_000)
    assert len(str(p)) < 400


def test_the_problems_file_holds_all_of_them() -> None:
    problems = many("2022-03.xlsx", 1000) + [
        Problem("b.xlsx", "số âm", "nhập số không âm", sheet="Chỉ số", column="Giá trị", value=-3)
    ]
    data = problems_csv(problems)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Tệp" and len(rows) == 1 + 1001
    assert rows[-1] == ["b.xlsx", "Chỉ số", "", "Giá trị", "Lỗi", "số âm", "-3", "nhập số không âm"]


def test_os_errors_in_vietnamese() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/srv/out/.a.pdf.x1y2.tmp")
    message = str(WriteError.of(full, "output/a.pdf"))
    assert message.startswith("Không ghi được tệp output/a.pdf: ổ đĩa đã đầy")
    assert ".tmp" not in message and "Cách sửa" in message
    for code in (errno.EACCES, errno.EROFS, errno.EISDIR, errno.ENOTDIR, errno.ENOENT):
        reason, fix = describe_os_error(OSError(code, "x"))
        assert reason and fix and "x" != reason
    assert WriteError.of(full, None).exit_code == 1


def test_parameter_errors_keep_their_problems_across_processes() -> None:
    exc = ParameterError("hai lỗi", ["một", "hai"])
    again = pickle.loads(pickle.dumps(exc))
    assert again.problems == ("một", "hai") and str(again) == "hai lỗi"
