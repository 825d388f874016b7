"""The command line: no traceback whatever happens, nothing raw on the terminal, signals."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from conftest import SEED

from cchc_lib import cli


def test_control_characters_never_reach_the_terminal_raw() -> None:
    text = "a\x1b[2J\x1b]0;title\x07b\x0bc\rd\u202ee\x9bf\tg\nh"
    safe = cli.terminal_safe(text)
    assert "\x1b" not in safe and "\x07" not in safe and "\x0b" not in safe and "\r" not in safe
    assert "\u202e" not in safe and "\x9b" not in safe
    assert safe.endswith("\tg\nh") and "\\x1b[2J" in safe and "\\u202e" in safe


def test_an_os_error_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    (tmp_path / "plan.txt").mkdir()
    status = cli.main(["plan", "show", str(tmp_path / "plan.txt")])
    err = capsys.readouterr().err
    assert status in (1, 2) and "Traceback" not in err and "plan.txt" in err


def test_an_unexpected_error_is_one_vietnamese_paragraph(monkeypatch, capsys) -> None:
    from cchc_lib.commands import plan as plan_command

    def broken(args):
        raise ZeroDivisionError("chia cho 0")

    monkeypatch.setattr(plan_command, "cmd_show", broken)
    status = cli.main(["plan", "show", str(SEED)])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert (
        "Lỗi ngoài dự kiến của cchc (ZeroDivisionError: chia cho 0)" in err and "--verbose" in err
    )


def test_sigterm_is_exit_130_and_handlers_are_restored(monkeypatch, capsys) -> None:
    import os

    from cchc_lib.commands import plan as plan_command

    def slow(args):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("not reached")

    monkeypatch.setattr(plan_command, "cmd_show", slow)
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    assert cli.main(["plan", "show", str(SEED)]) == 130
    assert "Đã dừng" in capsys.readouterr().err
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_bad_option_is_exit_2(capsys) -> None:
    assert cli.main(["run", "--jobs", "0"]) == 2
    assert "số nguyên dương" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--version"], ["plan", "--help"]])
def test_help_and_version_exit_0(argv, capsys) -> None:
    assert cli.main(argv) == 0


def test_validate_prints_a_bounded_list_and_writes_all_on_request(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import cchc_lib.monthly as monthly
    from cchc_lib.errors import Problem

    problems = [Problem("2022-03.xlsx", "sai", "sửa", row=r) for r in range(5000)]
    monkeypatch.setattr(monthly, "validate_path", lambda path, plan: problems)
    assert cli.main(["validate", str(tmp_path), "--plan", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 200 + 2
    assert "… và 4.800 lỗi khác ở tệp 2022-03.xlsx (ghi toàn bộ: thêm --problems loi.csv)" in out
    target = tmp_path / "loi.csv"
    assert (
        cli.main(["validate", str(tmp_path), "--plan", str(SEED), "--problems", str(target)]) == 1
    )
    assert len(target.read_text("utf-8-sig").splitlines()) == 5001
    assert "Đã ghi 5000 lỗi, cảnh báo vào" in capsys.readouterr().out
