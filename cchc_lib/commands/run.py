"""``cchc run``: produce reports from parameters files (validate all, then run each).

Exit status: 0 every report succeeded; 1 at least one failed; 2 a parameters file
(or an option) is wrong, found before any report ran.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cchc_lib.errors import ParameterError
from cchc_lib.fmt import fmt_number
from cchc_lib.run.params import load_batch, parse_formats

if TYPE_CHECKING:
    from cchc_lib.run.runner import ReportResult

HEADERS = ("Báo cáo", "Trạng thái", "Thời gian (giây)", "Tệp")
STATUS_LABELS = {"success": "Thành công", "failed": "Lỗi"}


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, nhận được {text!r}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="lập báo cáo từ tệp tham số (parameters/*.yaml): chạy sổ tay, xuất HTML/PDF",
        description=(
            "Kiểm tra mọi tệp tham số trước, rồi chạy từng báo cáo (mỗi báo cáo một kernel "
            "riêng) và ghi output/<năm>/<tên>.ipynb, .html, .pdf, .manifest.json. "
            "Trạng thái thoát: 0 tất cả thành công, 1 có báo cáo lỗi, 2 tệp tham số sai."
        ),
    )
    p.add_argument("parameters", nargs="*", metavar="TỆP.yaml", help="tệp tham số của báo cáo")
    p.add_argument(
        "--all",
        metavar="THƯ_MỤC",
        dest="all_dir",
        help="chạy mọi tệp .yaml trong thư mục (ví dụ parameters/)",
    )
    p.add_argument(
        "--format",
        dest="formats",
        metavar="html,pdf",
        help="định dạng xuất, thay cho khóa formats của tệp tham số",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="số báo cáo chạy song song (mặc định: số lõi CPU)",
    )
    p.add_argument(
        "--notebook",
        metavar="SỔ_TAY.ipynb",
        help="sổ tay báo cáo (mặc định notebooks/report.ipynb của dự án)",
    )
    p.add_argument(
        "--kernel",
        choices=("warm", "fresh"),
        default="warm",
        help="warm (mặc định): mỗi tiến trình giữ một kernel, làm sạch biến giữa các báo cáo; "
        "fresh: mỗi báo cáo một kernel mới (như papermill thuần)",
    )
    p.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="nếu báo cáo đang được một lệnh khác chạy thì báo lỗi ngay thay vì chờ",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="in kèm traceback khi có lỗi",
    )
    p.set_defaults(func=cmd_run)


def _yaml_files(folder: str) -> list[Path]:
    path = Path(folder)
    if not path.is_dir():
        raise ParameterError(
            f"--all {folder}: không tìm thấy thư mục. Cách sửa: chỉ định thư mục chứa các tệp "
            "tham số, ví dụ --all parameters/."
        )
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise ParameterError(
            f"--all {folder}: thư mục không có tệp .yaml nào. Cách sửa: thêm tệp tham số, "
            "ví dụ parameters/2022-Q1.yaml."
        )
    return files


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _files_cell(result: ReportResult) -> str:
    files = [f for f in result.files if not f.name.endswith(".manifest.json")]
    if not files:
        return "—"
    first = files[0]
    stem = first.with_suffix("")
    if all(f.with_suffix("") == stem for f in files):
        return f"{_shown(stem)} ({', '.join(f.suffix for f in files)})"
    return ", ".join(_shown(f) for f in files)


def summary_table(results: list[ReportResult]) -> str:
    """The end-of-run table: Báo cáo | Trạng thái | Thời gian (giây) | Tệp."""
    rows = [
        (
            r.name,
            STATUS_LABELS.get(r.status, r.status),
            fmt_number(r.seconds, 1, keep_zeros=True),
            _files_cell(r),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(HEADERS), rule, *(line(r) for r in rows)])


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Let SIGTERM (cron timeout, ``kill``) unwind like Ctrl-C, so temporary files go away."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.parameters]
    if args.all_dir:
        paths += _yaml_files(args.all_dir)
    if not paths:
        raise ParameterError(
            "Chưa chỉ định tệp tham số nào. Cách sửa: cchc run parameters/2022-Q1.yaml "
            "hoặc cchc run --all parameters/."
        )
    formats = None
    if args.formats is not None:
        formats, problems = parse_formats(args.formats, where="Tùy chọn --format")
        if problems:
            raise ParameterError(problems[0])
    reports = load_batch(paths, notebook=args.notebook, formats=formats)
    verbose = bool(getattr(args, "verbose", False))
    # heavy imports (nbformat, papermill): only when running
    from cchc_lib.run.engine import PapermillEngine, WarmKernelEngine
    from cchc_lib.run.runner import RunOptions, run_batch

    engine_factory = WarmKernelEngine if args.kernel == "warm" else PapermillEngine

    options = RunOptions(jobs=args.jobs, wait=args.wait, verbose=verbose)

    from tqdm import tqdm

    bar = tqdm(
        total=len(reports),
        desc="Lập báo cáo",
        unit=" báo cáo",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    )

    def on_result(result: ReportResult) -> None:
        bar.set_postfix_str(f"{result.name}: {STATUS_LABELS.get(result.status, result.status)}")
        bar.update(1)

    with _terminate_as_interrupt():
        try:
            results = run_batch(
                reports, options=options, engine_factory=engine_factory, on_result=on_result
            )
        finally:
            bar.close()

    print(summary_table(results))
    failed = [r for r in results if not r.ok]
    print(f"Thành công {len(results) - len(failed)}/{len(results)} báo cáo.")
    for result in failed:
        print("\n" + result.message, file=sys.stderr)
    return 1 if failed else 0
