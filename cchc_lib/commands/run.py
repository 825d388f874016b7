"""``cchc run``: produce reports from parameters files (validate all, then run each).

Order: every parameters file is validated (exit 2 on any problem, nothing run); with
``--due`` the reports whose cut-off has not passed are set aside; reports whose inputs did
not change since their last successful run are skipped ("Không thay đổi") unless
``--force``; the derived parameters of the others are completed from their plans (exit 2
on any problem); then the reports run.

Exit status: 0 no report failed (skipped or not yet due ones included); 1 at least one
failed; 2 a parameters file (or an option) is wrong, found before any report ran;
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cchc_lib.errors import ParameterError
from cchc_lib.fmt import fmt_date, fmt_number
from cchc_lib.run.derived import complete_batch
from cchc_lib.run.params import ParametersFile, load_batch, parse_formats
from cchc_lib.run.yamlfile import show_path as _shown

if TYPE_CHECKING:
    from cchc_lib.run.results import ReportResult

HEADERS = ("Báo cáo", "Trạng thái", "Thời gian (giây)", "Tệp")
STATUS_LABELS = {
    "success": "Thành công",
    "failed": "Lỗi",
    "skipped": "Không thay đổi",
    "not_due": "Chưa đến hạn",
}


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, nhận được {text!r}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cần một ngày dạng NĂM-THÁNG-NGÀY (ví dụ 2022-12-15), nhận được {text!r}"
        ) from None


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
        default=None,
        metavar="N",
        help="số báo cáo chạy song song (mặc định: số lõi CPU, không quá số báo cáo cần chạy)",
    )
    p.add_argument(
        "--due",
        action="store_true",
        help="chỉ chạy các báo cáo đã qua ngày chốt số liệu của kỳ (dùng cho lịch chạy cron)",
    )
    p.add_argument(
        "--as-of",
        dest="as_of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="ngày dùng cho --due thay cho hôm nay (để thử)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="chạy lại cả những báo cáo không có gì thay đổi từ lần chạy thành công trước",
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


def _files_cell(result: ReportResult) -> str:
    files = [f for f in result.files if not f.name.endswith(".manifest.json")]
    if not files:
        return "—"
    first = files[0]
    stem = first.with_suffix("")
    if all(f.with_suffix("") == stem for f in files):
        return f"{_shown(stem)} ({', '.join(f.suffix for f in files)})"
    return ", ".join(_shown(f) for f in files)


MAX_CHECKS = 10


def checks_text(result: ReportResult) -> str:
    """What to check in one report before signing, at most :data:`MAX_CHECKS` lines (all of
    them are in the report's log and in the notebook's ``doc.checks()`` cell)."""
    lines = [f"\nCần kiểm tra trước khi ký báo cáo {result.name} ({len(result.checks)}):"]
    lines += [f"  - {c}" for c in result.checks[:MAX_CHECKS]]
    more = len(result.checks) - MAX_CHECKS
    if more > 0:
        where = f" (xem {_shown(result.log)})" if result.log else ""
        lines.append(f"  … và {more} điểm khác{where}.")
    return "\n".join(lines)


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


def _not_due(params: ParametersFile, as_of: date) -> ReportResult:
    from cchc_lib.periods import parse_period
    from cchc_lib.run.results import NOT_DUE, ReportResult

    end = parse_period(params.period, str(params.values.get("window_rule", "official"))).end
    return ReportResult(
        params.name,
        params.period,
        NOT_DUE,
        0.0,
        (),
        f"chốt số liệu ngày {fmt_date(end)}, chạy được từ ngày {fmt_date(end + timedelta(days=1))}",
    )


def _is_due(params: ParametersFile, as_of: date) -> bool:
    """Due once the period's cut-off day has passed (the data of that day is complete)."""
    from cchc_lib.periods import parse_period

    rule = str(params.values.get("window_rule", "official"))
    return as_of > parse_period(params.period, rule).end


def _jobs_for(requested: int | None, count: int) -> int:
    cores = os.cpu_count() or 1
    if requested is None:
        return max(1, min(cores, count))
    if requested > cores:
        print(
            f"Cảnh báo: --jobs {requested} lớn hơn số lõi CPU của máy ({cores}); các báo cáo sẽ "
            f"tranh nhau CPU và bộ nhớ nên không nhanh hơn. Nên dùng --jobs {cores} hoặc bỏ "
            "tùy chọn này.",
            file=sys.stderr,
        )
    return requested


def _plan(args: argparse.Namespace, reports: list[ParametersFile]) -> tuple[dict, list]:
    """Results known before running (not due, unchanged) and the reports to run, completed."""
    from cchc_lib.run.results import check_unchanged

    known: dict[int, ReportResult] = {}
    pending: list[tuple[int, ParametersFile]] = []
    as_of = args.as_of or date.today()
    for i, params in enumerate(reports):
        if args.due and not _is_due(params, as_of):
            known[i] = _not_due(params, as_of)
            continue
        skipped = None if args.force else check_unchanged(params)
        if skipped is not None:
            known[i] = skipped
        else:
            pending.append((i, params))
    done = complete_batch([p for _, p in pending])
    return known, [(i, p) for (i, _), p in zip(pending, done, strict=True)]


def cmd_run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.parameters]
    if args.all_dir:
        paths += _yaml_files(args.all_dir)
    if not paths:
        raise ParameterError(
            "Chưa chỉ định tệp tham số nào. Cách sửa: cchc run parameters/2022-Q1.yaml "
            "hoặc cchc run --all parameters/."
        )
    if args.as_of and not args.due:
        raise ParameterError("Tùy chọn --as-of chỉ dùng cùng --due. Cách sửa: thêm --due.")
    formats = None
    if args.formats is not None:
        formats, problems = parse_formats(args.formats, where="Tùy chọn --format")
        if problems:
            raise ParameterError(problems[0])
    reports = load_batch(paths, notebook=args.notebook, formats=formats)
    known, pending = _plan(args, reports)
    verbose = bool(getattr(args, "verbose", False))
    results: list[ReportResult] = []
    if pending:
        results = _run(args, [p for _, p in pending], verbose)
    by_index = {**known, **{i: r for (i, _), r in zip(pending, results, strict=True)}}
    ordered = [by_index[i] for i in sorted(by_index)]
    return _report(ordered)


def _run(args: argparse.Namespace, reports: list[ParametersFile], verbose: bool) -> list:
    # heavy imports (nbformat, papermill): only when running
    from tqdm import tqdm

    from cchc_lib.run.engine import PapermillEngine, WarmKernelEngine
    from cchc_lib.run.runner import RunOptions, run_batch

    engine_factory = WarmKernelEngine if args.kernel == "warm" else PapermillEngine
    options = RunOptions(
        jobs=_jobs_for(args.jobs, len(reports)),
        wait=args.wait,
        verbose=verbose,
        skip_unchanged=not args.force,
    )
    bar = tqdm(
        total=len(reports),
        desc="Lập báo cáo",
        unit=" báo cáo",
        file=sys.__stderr__ or sys.stderr,  # the raw stream: the bar draws with \r
        disable=not (sys.__stderr__ and sys.__stderr__.isatty()),
    )

    def on_result(result: ReportResult) -> None:
        bar.set_postfix_str(f"{result.name}: {STATUS_LABELS.get(result.status, result.status)}")
        bar.update(1)

    try:
        return run_batch(
            reports, options=options, engine_factory=engine_factory, on_result=on_result
        )
    finally:
        bar.close()


def _report(results: list) -> int:
    print(summary_table(results))
    failed = [r for r in results if not r.ok]
    ran = [r for r in results if r.status in ("success", "failed")]
    done = sum(r.status == "success" for r in ran)
    counts = [f"Thành công {done}/{len(ran)} báo cáo" if ran else "Không có báo cáo nào phải chạy"]
    skipped = sum(r.status == "skipped" for r in results)
    if skipped:
        counts.append(f"{skipped} không thay đổi (bỏ qua)")
    later = [r for r in results if r.status == "not_due"]
    if later:
        counts.append(f"{len(later)} chưa đến hạn")
    if failed:
        counts.append(f"{len(failed)} lỗi")
    print("; ".join(counts) + ".")
    for result in later:
        print(f"- {result.name}: chưa đến hạn ({result.message}).")
    for result in results:
        if result.checks:
            print(checks_text(result))
    for result in failed:
        print("\n" + result.message, file=sys.stderr)
    return 1 if failed else 0
