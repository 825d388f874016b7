"""The ``cchc`` command line: parse options, call the library, report errors cleanly.

Each sub-command lives in a module of ``cchc_lib.commands`` exposing
``register(subparsers)``; the module adds its parser and sets ``func`` with
``parser.set_defaults(func=...)``. ``func(args)`` returns the exit status.
The library never prints; only these functions do.

Whatever happens, the user gets a Vietnamese message and no traceback (unless
``--verbose``): cchc's own errors with their exit status, an OS error (disk full, no
permission) as exit 1, SIGTERM or Ctrl-C as exit 130. Text reaches the terminal without
raw control characters: an escape sequence or a vertical tab from a plan cell is shown
as ``\x1b``, ``\x0b``, never obeyed by the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO, cast

from cchc_lib import __version__, commands
from cchc_lib.errors import CchcError, WriteError, describe_os_error

# argparse's own words, for analysts who read Vietnamese (argparse looks them up through
# its module-level gettext function ``_``).
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị %(value)r không hợp lệ (chọn một trong: %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s không rõ, có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
}
_english = argparse._  # type: ignore[attr-defined]
argparse._ = lambda text: _ARGPARSE_VI.get(text, _english(text))  # type: ignore[attr-defined]


# C0 controls but tab and newline, DEL, C1 controls, and bidirectional overrides (which
# reorder what the terminal shows): written as visible escapes.
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
_UNSAFE += [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_VISIBLE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}


def terminal_safe(text: str) -> str:
    r"""``text`` with control characters written as visible escapes.

    >>> print(terminal_safe("a\x1b[31mb\x0bc"))
    a\x1b[31mb\x0bc
    """
    return text.translate(_VISIBLE)


class _SafeStream:
    """A text stream whose writes pass through :func:`terminal_safe`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def _safe_streams() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _SafeStream(sys.stdout))
    sys.stderr = cast(TextIO, _SafeStream(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a cron timeout, ``kill``) and Ctrl-C unwind as ``KeyboardInterrupt``, once:
    a second signal while cchc cleans up is ignored (SIGKILL still ends it)."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)  # no library chatter ("Kernel died …") while stopping
    raise KeyboardInterrupt


@contextmanager
def _signals() -> Iterator[None]:
    saved: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            saved[sig] = signal.signal(sig, _interrupt)
        except ValueError:  # not the main thread: leave signals alone
            break
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        logging.disable(logging.NOTSET)


def _say(message: str) -> None:
    with suppress(OSError, ValueError):
        print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cchc",
        description="Lập báo cáo cải cách hành chính (CCHC) từ kế hoạch và số liệu hằng tháng.",
    )
    parser.add_argument("--version", action="version", version=f"cchc {__version__}")
    parser.add_argument(
        "--verbose", action="store_true", help="in chi tiết lỗi (traceback) khi có sự cố"
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    with _signals():
        try:
            with _safe_streams():
                return _main(argv)
        except KeyboardInterrupt:
            _say("Đã dừng theo yêu cầu (Ctrl-C hoặc tín hiệu dừng); các tệp tạm đã được xóa.")
            return 130


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed its message (or the help)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CchcError as exc:
        if args.verbose:
            traceback.print_exc()
        _say(str(exc))
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if args.verbose:
            traceback.print_exc()
        if exc.filename:
            _say(str(WriteError.of(exc, None)).replace("Không ghi được", "Lỗi khi đọc/ghi"))
        else:
            reason, fix = describe_os_error(exc)
            _say(f"Lỗi hệ thống: {reason}. Cách sửa: {fix}.")
        return 1
    except (MemoryError, RecursionError) as exc:
        _say(
            f"cchc dừng vì dữ liệu vượt quá giới hạn xử lý ({type(exc).__name__}). Cách sửa: kiểm "
            "tra tệp đầu vào (có thể bị hỏng hoặc quá lớn) rồi chạy lại."
        )
        return 1
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        _say(
            f"Lỗi ngoài dự kiến của cchc ({type(exc).__name__}: {str(exc)[:300]}). Đây là lỗi "
            "của chương trình, không phải của dữ liệu; hãy chạy lại với cchc --verbose … và "
            "gửi toàn bộ nội dung in ra cho người phát triển."
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
