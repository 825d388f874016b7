"""The ``cchc`` command line: parse options, call the library, report errors cleanly.

Each sub-command lives in a module of ``cchc_lib.commands`` exposing
``register(subparsers)``; the module adds its parser and sets ``func`` with
``parser.set_defaults(func=...)``. ``func(args)`` returns the exit status.
The library never prints; only these functions do.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

from cchc_lib import __version__, commands
from cchc_lib.errors import CchcError

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
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CchcError as exc:
        if args.verbose:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu người dùng.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
