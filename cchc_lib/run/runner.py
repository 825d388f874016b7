"""Run report notebooks: execute with parameters, export, write atomically, record a manifest.

One report = one validated parameters file (:class:`~cchc_lib.run.params.ParametersFile`).
:func:`run_report` takes a per-report lock, skips a report whose inputs did not change
since its last successful run (:mod:`cchc_lib.run.inputs`), executes the notebook through
an :class:`Engine` (its own kernel), renders it with :mod:`cchc_lib.report.render` and
publishes ``<output_dir>/<year>/<name>.ipynb|.html|.pdf|…|.manifest.json`` as one set
(:mod:`cchc_lib.run.outputs`): readers see the old set or the new one, a failed or
interrupted run never touches the last good report. A failed run keeps its executed
notebook (and manifest) in ``<output_dir>/<year>/failed/``. Each run writes
``<output_dir>/logs/<time>-<name>.log``. A full disk or another OS error fails that report
with a Vietnamese message and the batch goes on. :func:`run_batch` runs many reports, in a
process pool when ``jobs > 1`` (:mod:`cchc_lib.run.workers`: no worker or kernel outlives
the parent, and none publishes after it was told to stop).

The engine is the one replaceable piece: anything with ``name``,
``execute(nb, parameters, *, cwd, log) -> NotebookNode`` and ``close()``.

>>> reports = load_batch(["parameters/2022-Q1.yaml"])                # doctest: +SKIP
>>> [r.status for r in run_batch(reports)]                          # doctest: +SKIP
['success']
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
from filelock import FileLock, Timeout

from cchc_lib.atomic import write_all
from cchc_lib.errors import ParameterError, clip, describe_os_error, is_input_error
from cchc_lib.run.derived import complete
from cchc_lib.run.engine import CellExecutionFailed, Engine, KernelStartError, PapermillEngine
from cchc_lib.run.inputs import fingerprint
from cchc_lib.run.logs import SafeLog, log_line, open_log
from cchc_lib.run.manifest import STEPS, Manifest, input_files
from cchc_lib.run.outputs import clean_leftovers, publish
from cchc_lib.run.params import ParametersFile
from cchc_lib.run.results import (
    FAILED,
    NOT_DUE,
    SKIPPED,
    SUCCESS,
    ReportResult,
    RunOptions,
    check_unchanged,
)

__all__ = [
    "FAILED",
    "NOT_DUE",
    "SKIPPED",
    "STEPS",
    "SUCCESS",
    "ReportResult",
    "RunOptions",
    "check_unchanged",
    "run_batch",
    "run_report",
]

MAX_MESSAGE_LINES = 250
"""A failure message printed and logged holds at most this many lines."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SPACES = re.compile(r"\s+")


# ---------------------------------------------------------------- helpers


def _shown(path: Path | None) -> str:
    """A path for messages: relative to the current folder when inside it (links are not
    followed: a report's files are named as readers see them)."""
    if path is None:
        return "(không có)"
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)


def _one_line(text: str, limit: int = 400) -> str:
    text = _SPACES.sub(" ", _ANSI.sub("", str(text)[: limit * 4])).strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded(text: str, lines: int = MAX_MESSAGE_LINES) -> str:
    """At most ``lines`` lines (a message listing problems is already bounded per file)."""
    parts = text.splitlines()
    if len(parts) <= lines:
        return clip(text, 200_000)
    rest = len(parts) - lines
    return clip(
        "\n".join(parts[:lines]), 200_000
    ) + f"\n… và {rest:,} dòng khác (xem nhật ký).".replace(",", ".")


def _os_message(params: ParametersFile, exc: OSError, log_path: Path | None) -> str:
    reason, fix = describe_os_error(exc)
    where = ""
    if exc.filename:
        path = Path(str(exc.filename))
        if path.parent.parent.name.endswith(".sets"):  # a file of a new set: its public name
            path = path.parent.parent.parent / path.name
        where = f" ({_shown(path)})"
    return (
        f"Báo cáo {params.name} ({_label(params)}) không ghi được tệp{where}: {reason}. Báo cáo "
        f"hiện có (nếu có) được giữ nguyên; nhật ký ở {_shown(log_path)}. Cách sửa: {fix}."
    )


def _label(params: ParametersFile) -> str:
    try:
        return params.period_label
    except Exception:  # noqa: BLE001 - only used in messages
        return params.period


def _source_cell(exc: CellExecutionFailed) -> int | None:
    """1-based number of the failing cell in the source notebook (injected cell not counted)."""
    if exc.cell_index is None:
        return None
    cells = [
        c
        for c in exc.nb.cells
        if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
    ]
    injected = sum(
        "injected-parameters" in c.get("metadata", {}).get("tags", [])
        for c in cells[: exc.cell_index]
    )
    return exc.cell_index - injected + 1


# ---------------------------------------------------------------- one report


def _warm_renderer(formats: Sequence[str]) -> threading.Thread:
    """Build the HTML exporter and WeasyPrint's fonts in a thread, once per process.

    While the kernel executes the notebook this process only waits for messages, so the
    ~2 s of imports and font loading the first export would pay run on the idle time.
    Errors are left for the export step, which raises them with their report.

    What the execution imports (papermill, nbclient, jupyter_client, nbformat, traitlets) is
    imported in the calling thread before the thread imports nbconvert, which shares some of
    those modules: two threads importing one package at once can meet in Python's import
    locks, which then hand one of them a partly initialised module ("cannot import name
    'AsyncKernelManager' from partially initialized module 'jupyter_client.manager'"; seen
    with no cached bytecode, as on a fresh machine). WeasyPrint, which shares none of them,
    loads meanwhile.
    """
    executing = threading.Event()

    def warm() -> None:
        with suppress(Exception):
            if "pdf" in formats:
                import weasyprint  # noqa: F401  # the bulk of the wait; no module in common
            executing.wait(timeout=60)
            from cchc_lib.report import render

            render._exporter()
            if "pdf" in formats:
                render._pdf_setup()

    thread = threading.Thread(target=warm, name="cchc-warm-renderer", daemon=True)
    thread.start()
    try:
        import papermill  # noqa: F401  # what the execution needs, before nbconvert: see above
        import papermill.execute  # noqa: F401
    finally:
        executing.set()
    return thread


def _result(
    params: ParametersFile, status: str, t0: float, message: str = "", log: Path | None = None
) -> ReportResult:
    return ReportResult(
        params.name, params.period, status, time.perf_counter() - t0, (), message, log
    )


def run_report(
    params: ParametersFile,
    *,
    engine: Engine | None = None,
    options: RunOptions | None = None,
    stop: Callable[[], bool] | None = None,
) -> ReportResult:
    """Run one validated report; never raises for a report failure (see ``status``).

    Takes the lock ``<output_dir>/<year>/.<name>.lock`` (waits unless ``options.wait`` is
    False); with ``options.skip_unchanged`` a report whose inputs did not change since its
    last successful set is skipped (checked under the lock). Logs to
    ``<output_dir>/logs/``. ``stop`` is asked just before the new set is published.
    Only an interruption (``KeyboardInterrupt``) propagates.
    """
    options = options or RunOptions()
    t0 = time.perf_counter()
    if not params.derived:
        try:
            params = complete(params)
        except ParameterError as exc:
            return _result(params, FAILED, t0, str(exc))
    year_dir = params.output_dir / str(params.year)
    try:
        year_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(year_dir / f".{params.name}.lock"))
        lock.acquire(timeout=-1 if options.wait else 0)
    except Timeout:
        message = (
            f"Báo cáo {params.name} ({_label(params)}) đang được một lệnh cchc run khác chạy "
            f"(khóa {_shown(year_dir / f'.{params.name}.lock')}), nên lần chạy này bị bỏ qua; "
            "báo cáo hiện có được giữ nguyên. Cách sửa: đợi lệnh kia chạy xong, hoặc chạy lại "
            "không có --no-wait để chờ."
        )
        return _result(params, FAILED, t0, message)
    except OSError as exc:
        return _result(params, FAILED, t0, _os_message(params, exc, None))
    try:
        if options.skip_unchanged:
            skipped = check_unchanged(params)
            if skipped is not None:
                return skipped
        return _logged_run(params, engine or PapermillEngine(), options, t0, stop)
    finally:
        lock.release()


def _logged_run(
    params: ParametersFile,
    engine: Engine,
    options: RunOptions,
    t0: float,
    stop: Callable[[], bool] | None,
) -> ReportResult:
    """The run itself, with its log; every failure (a bug, a full disk) is one result."""
    started = datetime.now().astimezone()
    log_path: Path | None
    log: SafeLog | io.StringIO
    try:
        log_path, log = open_log(params.output_dir / "logs", params.name, started)
    except OSError:  # no log is no reason to skip the report; the error shows elsewhere
        log_path, log = None, io.StringIO()
    try:
        log_line(log, f"Báo cáo {params.name}, kỳ {params.period}, tệp tham số {params.source}")
        log_line(
            log, f"sổ tay {params.notebook}, bộ chạy {engine.name}, định dạng {params.formats}"
        )
        log_line(
            log, f"đã nhận khóa {_shown(params.output_dir / str(params.year))}/.{params.name}.lock"
        )
        waited = time.perf_counter() - t0
        if waited > 0.5:
            log_line(log, f"đã chờ khóa {waited:.1f} giây")
        clean_leftovers(params.output_dir / str(params.year), params.name)
        manifest = Manifest.start(params, engine.name, started, log_path)
        return _Run(params, engine, options, t0, log_path, log, manifest, stop).run()
    except OSError as exc:
        message = _os_message(params, exc, log_path)
        log_line(log, message + "\n" + traceback.format_exc())
        return _result(params, FAILED, t0, message, log_path)
    except Exception as exc:  # a bug: still one clean result
        message = (
            f"Báo cáo {params.name} ({_label(params)}) không chạy được do lỗi ngoài sổ tay: "
            f"{type(exc).__name__}: {_one_line(str(exc))}. Báo cáo hiện có (nếu có) được giữ "
            f"nguyên; chi tiết trong nhật ký {_shown(log_path)}."
        )
        log_line(log, message + "\n" + traceback.format_exc())
        if options.verbose:
            message += "\n" + traceback.format_exc()
        return _result(params, FAILED, t0, message, log_path)
    finally:
        log.close()


class _Run:
    """One locked run of a report: execute, export, publish, each step recorded in the manifest."""

    def __init__(
        self,
        params: ParametersFile,
        engine: Engine,
        options: RunOptions,
        t0: float,
        log_path: Path | None,
        log: Any,
        manifest: Manifest,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        self.params, self.engine, self.options = params, engine, options
        self.t0, self.log_path, self.log, self.manifest = t0, log_path, log, manifest
        self.stop = stop
        self.year_dir = params.output_dir / str(params.year)
        self.failed_dir = self.year_dir / "failed"
        self.label = _label(params)
        self.failed_nb = self.failed_dir / f"{params.name}.ipynb"
        self.what = f"Báo cáo {params.name} ({self.label}, mã kỳ {params.period})"

    def kept(self) -> str:
        return (
            f"Báo cáo hiện có (nếu có) được giữ nguyên; sổ tay đã chạy được lưu ở "
            f"{_shown(self.failed_nb)}, nhật ký ở {_shown(self.log_path)}."
        )

    def _timings(self) -> None:
        for step, seconds in self.manifest.timings.items():
            log_line(self.log, f"bước {step}: {seconds:.3f} giây")

    def succeed(self, files: dict[str, bytes], checks: tuple[str, ...] = ()) -> ReportResult:
        """Publish the new set (the manifest, naming every file with its hash, in it)."""
        tick = time.perf_counter()
        manifest_name = f"{self.params.name}.manifest.json"
        self.manifest.record_outputs(files)
        self.manifest.timings["write"] = time.perf_counter() - tick
        self.manifest.finish(SUCCESS)
        paths = publish(
            self.year_dir,
            self.params.name,
            {**files, manifest_name: self.manifest.to_bytes()},
            stop=self.stop,
        )
        for stale in (self.failed_nb, self.failed_dir / manifest_name):
            with suppress(OSError):
                stale.unlink()
        self._timings()
        log_line(self.log, f"kết thúc: {SUCCESS}; tệp: {', '.join(str(p) for p in paths)}")
        for line in checks:
            log_line(self.log, f"cần kiểm tra: {line}")
        return ReportResult(
            self.params.name,
            self.params.period,
            SUCCESS,
            time.perf_counter() - self.t0,
            tuple(paths),
            "",
            self.log_path,
            self.year_dir / manifest_name,
            dict(self.manifest.timings),
            checks,
        )

    def finish(self, status: str, files: dict[Path, bytes], message: str = "") -> ReportResult:
        """A failure: keep the executed notebook and a manifest in ``failed/`` when possible."""
        self.manifest.record_outputs(files)
        self.manifest.finish(status)
        self._timings()
        manifest_path = self.failed_dir / f"{self.params.name}.manifest.json"
        written: tuple[Path, ...] = ()
        try:
            write_all({**files, manifest_path: self.manifest.to_bytes()})
            written = (*files, manifest_path)
        except OSError as exc:
            reason, _ = describe_os_error(exc)
            message += f" (Không lưu được sổ tay lỗi vào {_shown(self.failed_dir)}: {reason}.)"
        message = _bounded(message)
        log_line(self.log, f"kết thúc: {status}; tệp: {', '.join(str(p) for p in written)}")
        return ReportResult(
            self.params.name,
            self.params.period,
            status,
            time.perf_counter() - self.t0,
            written,
            message,
            self.log_path,
            manifest_path if written else None,
            dict(self.manifest.timings),
        )

    def cell_failed(self, exc: CellExecutionFailed) -> ReportResult:
        cell = _source_cell(exc)
        where = f"ô thứ {cell}" if cell is not None else "một ô"
        if exc.exec_count is not None:
            where += f" (In [{exc.exec_count}])"
        self.manifest.error = {
            "cell": cell,
            "cell_index": exc.cell_index,
            "execution_count": exc.exec_count,
            "ename": exc.ename,
            "evalue": exc.evalue,
        }
        tb = _ANSI.sub("", "\n".join(exc.traceback_lines))
        if is_input_error(exc.ename):
            # the user's input is wrong: show cchc's own message whole (every problem, each
            # naming file, sheet, row, column, value and fix), not a clipped line
            message = (
                f"{self.what} không lập được vì dữ liệu đầu vào có lỗi. {self.kept()}\n"
                f"{_bounded(_ANSI.sub('', exc.evalue).strip())}"
            )
        else:
            message = (
                f"{self.what} bị lỗi ở {where} của sổ tay {self.params.notebook.name}: "
                f"{exc.ename}: {_one_line(exc.evalue)}. {self.kept()} Cách sửa: mở sổ tay lỗi, "
                "xem ô đó, sửa số liệu hoặc tham số rồi chạy lại."
            )
        log_line(self.log, message + "\n" + tb)
        if self.options.verbose and tb:
            message += "\n" + tb
        return self.finish(
            FAILED, {self.failed_nb: nbformat.writes(exc.nb).encode("utf-8")}, message
        )

    def kernel_failed(self, exc: KernelStartError) -> ReportResult:
        message = (
            f"{self.what} không chạy được: kernel Python không khởi động được sau nhiều lần thử "
            f"({_one_line(str(exc))}). Báo cáo hiện có (nếu có) được giữ nguyên; nhật ký ở "
            f"{_shown(self.log_path)}. Cách sửa: kiểm tra máy còn đủ bộ nhớ và gói ipykernel "
            "đã được cài trong môi trường Python, rồi chạy lại."
        )
        self.manifest.error = {"ename": "KernelStartError", "evalue": str(exc)}
        log_line(self.log, message + "\n" + traceback.format_exc())
        return self.finish(FAILED, {}, message)

    def export_failed(self, exc: Exception, step: str, nb_bytes: bytes) -> ReportResult:
        what = {"export_pdf": "PDF", "export_docx": "DOCX"}.get(step, "HTML")
        self.manifest.error = {"step": step, "ename": type(exc).__name__, "evalue": str(exc)}
        message = (
            f"{self.what} chạy xong nhưng xuất {what} bị lỗi: {type(exc).__name__}: "
            f"{_one_line(str(exc))}. {self.kept()}"
        )
        log_line(self.log, message + "\n" + traceback.format_exc())
        if self.options.verbose:
            message += "\n" + traceback.format_exc()
        return self.finish(FAILED, {self.failed_nb: nb_bytes}, message)

    def execute(self) -> nbformat.NotebookNode | ReportResult:
        """The executed notebook, or the failed run's result."""
        timings = self.manifest.timings
        tick = time.perf_counter()
        self.manifest.inputs = input_files(self.params)
        self.manifest.fingerprint = fingerprint(self.manifest.inputs, self.params.formats)
        timings["validate"] = self.params.validate_seconds + time.perf_counter() - tick
        tick = time.perf_counter()
        nb = nbformat.read(self.params.notebook, as_version=4)
        try:
            executed = self.engine.execute(
                nb, self.params.to_dict(), cwd=self.params.root, log=self.log
            )
        except CellExecutionFailed as exc:
            timings["execute"] = time.perf_counter() - tick
            return self.cell_failed(exc)
        except KernelStartError as exc:
            timings["execute"] = time.perf_counter() - tick
            return self.kernel_failed(exc)
        timings["execute"] = time.perf_counter() - tick
        log_line(self.log, f"đã chạy sổ tay trong {timings['execute']:.2f} giây")
        return executed

    def run(self) -> ReportResult:
        warming = _warm_renderer(self.params.formats)  # loads WeasyPrint while the kernel works
        executed = self.execute()
        if isinstance(executed, ReportResult):
            return executed
        nb_bytes = nbformat.writes(executed).encode("utf-8")
        steps: dict[str, float] = {}
        try:
            from cchc_lib.report.render import export_notebook

            warming.join()
            title = f"Báo cáo cải cách hành chính {self.label}"
            outputs = export_notebook(executed, self.params.formats, title=title, timings=steps)
        except Exception as exc:
            self.manifest.timings.update(steps)
            return self.export_failed(exc, next(reversed(steps), "export_html"), nb_bytes)
        self.manifest.timings.update(steps)
        files = {f"{self.params.name}.ipynb": nb_bytes}
        files.update({f"{self.params.name}.{f}": b for f, b in outputs.items()})
        from cchc_lib.report.notebook import notebook_checks

        return self.succeed(files, tuple(notebook_checks(executed)))


# ---------------------------------------------------------------- batch


def run_batch(
    reports: Sequence[ParametersFile],
    *,
    options: RunOptions | None = None,
    engine_factory: Callable[[], Engine] = PapermillEngine,
    on_result: Callable[[ReportResult], None] | None = None,
) -> list[ReportResult]:
    """Run every report; results in the order of ``reports``.

    With ``options.jobs > 1`` reports run in a pool of worker processes, each with
    one engine from ``engine_factory`` (a picklable callable); see
    :mod:`cchc_lib.run.workers`. ``on_result`` is called in this process as each report
    finishes (e.g. to advance a progress bar). An interruption (Ctrl-C, SIGTERM turned
    into ``KeyboardInterrupt``) stops every worker and kernel, publishes nothing more and
    propagates.
    """
    options = options or RunOptions()
    jobs = max(1, min(options.jobs, len(reports)))
    if jobs == 1 or len(reports) <= 1:
        results: list[ReportResult] = []
        engine = engine_factory()
        try:
            for params in reports:
                results.append(run_report(params, engine=engine, options=options))
                if on_result:
                    on_result(results[-1])
        finally:
            engine.close()
        return results
    from cchc_lib.run.workers import run_parallel

    return run_parallel(reports, replace(options, jobs=jobs), engine_factory, on_result)
