"""Run report notebooks: execute with parameters, export, write atomically, record a manifest.

One report = one validated parameters file (:class:`~cchc_lib.run.params.ParametersFile`).
:func:`run_report` takes a per-report lock, executes the notebook through an
:class:`Engine` (its own kernel), renders HTML/PDF with :mod:`cchc_lib.report.render` and
writes ``<output_dir>/<year>/<name>.ipynb|.html|.pdf|.manifest.json``: every file
goes to a temporary name in the same folder, is fsync'ed and renamed into place,
so a failed or interrupted run never leaves a half-written file nor touches the
last good report. A failed run keeps its executed notebook (and manifest) in
``<output_dir>/<year>/failed/``. Each run writes ``<output_dir>/logs/<time>-<name>.log``.
:func:`run_batch` runs many reports, in a process pool when ``jobs > 1``.

The engine is the one replaceable piece: anything with ``name``,
``execute(nb, parameters, *, cwd, log) -> NotebookNode`` and ``close()``.

>>> reports = load_batch(["parameters/2022-Q1.yaml"])                # doctest: +SKIP
>>> [r.status for r in run_batch(reports)]                          # doctest: +SKIP
['success']
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.util
import re
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

import nbformat
from filelock import FileLock, Timeout

from cchc_lib.atomic import write_all
from cchc_lib.errors import is_input_error
from cchc_lib.run.engine import CellExecutionFailed, Engine, KernelStartError, PapermillEngine
from cchc_lib.run.logs import log_line, open_log
from cchc_lib.run.manifest import STEPS, Manifest, input_files
from cchc_lib.run.params import ParametersFile

__all__ = ["STEPS", "ReportResult", "RunOptions", "run_batch", "run_report"]

SUCCESS, FAILED = "success", "failed"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SPACES = re.compile(r"\s+")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RunOptions:
    """How to run reports: parallel workers, lock behaviour, error detail."""

    jobs: int = 1
    wait: bool = True  # wait for another run of the same report; False: fail at once
    verbose: bool = False  # add the traceback to error messages


@dataclass(frozen=True)
class ReportResult:
    """Outcome of one report run (picklable: crosses process boundaries)."""

    name: str
    period: str
    status: str  # "success" | "failed"
    seconds: float
    files: tuple[Path, ...] = ()
    message: str = ""  # one Vietnamese paragraph when failed (plus traceback if verbose)
    log: Path | None = None
    manifest: Path | None = None
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS


# ---------------------------------------------------------------- helpers


def _shown(path: Path | None) -> str:
    """A path for messages: relative to the current folder when inside it."""
    if path is None:
        return "(không có)"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _one_line(text: str, limit: int = 400) -> str:
    text = _SPACES.sub(" ", _ANSI.sub("", str(text))).strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    """

    def warm() -> None:
        with suppress(Exception):
            from cchc_lib.report import render

            render._exporter()
            if "pdf" in formats:
                render._pdf_setup()

    thread = threading.Thread(target=warm, name="cchc-warm-renderer", daemon=True)
    thread.start()
    return thread


def run_report(
    params: ParametersFile,
    *,
    engine: Engine | None = None,
    options: RunOptions | None = None,
) -> ReportResult:
    """Run one validated report; never raises for a report failure (see ``status``).

    Takes the lock ``<output_dir>/<year>/.<name>.lock`` (waits unless
    ``options.wait`` is False), logs to ``<output_dir>/logs/``.
    """
    options = options or RunOptions()
    engine = engine or PapermillEngine()
    started = datetime.now().astimezone()
    t0 = time.perf_counter()
    try:
        log_path, log = open_log(params.output_dir / "logs", params.name, started)
    except OSError:  # no log is no reason to skip the report; the error shows elsewhere
        log_path, log = None, io.StringIO()
    year_dir = params.output_dir / str(params.year)
    try:
        log_line(log, f"Báo cáo {params.name}, kỳ {params.period}, tệp tham số {params.source}")
        log_line(
            log, f"sổ tay {params.notebook}, bộ chạy {engine.name}, định dạng {params.formats}"
        )
        year_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(year_dir / f".{params.name}.lock"))
        try:
            lock.acquire(timeout=-1 if options.wait else 0)
        except Timeout:
            message = (
                f"Báo cáo {params.name} ({_label(params)}) đang được một lệnh cchc run khác chạy "
                f"(khóa {_shown(Path(lock.lock_file))}), nên lần chạy này bị bỏ qua; báo cáo "
                "hiện có được giữ nguyên. Cách sửa: đợi lệnh kia chạy xong, hoặc chạy lại "
                "không có --no-wait để chờ."
            )
            log_line(log, message)
            return ReportResult(
                params.name, params.period, FAILED, time.perf_counter() - t0, (), message, log_path
            )
        try:
            waited = time.perf_counter() - t0
            log_line(log, f"đã nhận khóa {_shown(Path(lock.lock_file))}")
            if waited > 0.5:
                log_line(log, f"đã chờ khóa {waited:.1f} giây")
            manifest = Manifest.start(params, engine.name, started, log_path)
            return _Run(params, engine, options, t0, log_path, log, manifest).run()
        finally:
            lock.release()
    except Exception as exc:  # a bug or an OS error: still one clean result
        message = (
            f"Báo cáo {params.name} ({_label(params)}) không chạy được do lỗi ngoài sổ tay: "
            f"{type(exc).__name__}: {_one_line(str(exc))}. Báo cáo hiện có (nếu có) được giữ nguyên; "
            f"chi tiết trong nhật ký {_shown(log_path)}."
        )
        log_line(log, message + "\n" + traceback.format_exc())
        if options.verbose:
            message += "\n" + traceback.format_exc()
        return ReportResult(
            params.name, params.period, FAILED, time.perf_counter() - t0, (), message, log_path
        )
    finally:
        log.close()


class _Run:
    """One locked run of a report: execute, export, write, each step recorded in the manifest."""

    def __init__(
        self,
        params: ParametersFile,
        engine: Engine,
        options: RunOptions,
        t0: float,
        log_path: Path | None,
        log: TextIO,
        manifest: Manifest,
    ) -> None:
        self.params, self.engine, self.options = params, engine, options
        self.t0, self.log_path, self.log, self.manifest = t0, log_path, log, manifest
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

    def finish(self, status: str, files: dict[Path, bytes], message: str = "") -> ReportResult:
        """Write the manifest (and, for a failure, the files kept for debugging)."""
        self.manifest.record_outputs(files)
        self.manifest.finish(status)
        for step, seconds in self.manifest.timings.items():
            log_line(self.log, f"bước {step}: {seconds:.3f} giây")
        folder = self.year_dir if status == SUCCESS else self.failed_dir
        manifest_path = folder / f"{self.params.name}.manifest.json"
        pending = {} if status == SUCCESS else dict(files)  # success: written already
        write_all({**pending, manifest_path: self.manifest.to_bytes()})
        log_line(self.log, f"kết thúc: {status}; tệp: {', '.join(str(p) for p in files)}")
        return ReportResult(
            self.params.name,
            self.params.period,
            status,
            time.perf_counter() - self.t0,
            (*files, manifest_path),
            message,
            self.log_path,
            manifest_path,
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
                f"{_ANSI.sub('', exc.evalue).strip()}"
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
        tick = time.perf_counter()
        files = {self.year_dir / f"{self.params.name}.ipynb": nb_bytes}
        files.update({self.year_dir / f"{self.params.name}.{f}": b for f, b in outputs.items()})
        write_all(files)
        for stale in (self.failed_nb, self.failed_dir / f"{self.params.name}.manifest.json"):
            with suppress(FileNotFoundError):
                stale.unlink()
        self.manifest.timings["write"] = time.perf_counter() - tick
        return self.finish(SUCCESS, files)


# ---------------------------------------------------------------- batch

_WORKER_ENGINE: Engine | None = None


def _init_worker(engine_factory: Callable[[], Engine]) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine_factory()
    # pool workers skip atexit; multiprocessing's finalizers do run when a worker ends
    multiprocessing.util.Finalize(None, _WORKER_ENGINE.close, exitpriority=10)


def _work(params: ParametersFile, options: RunOptions) -> ReportResult:
    return run_report(params, engine=_WORKER_ENGINE, options=options)


def _crashed(params: ParametersFile, exc: BaseException) -> ReportResult:
    message = (
        f"Báo cáo {params.name} ({_label(params)}) không chạy được: tiến trình chạy báo cáo bị "
        f"dừng đột ngột ({type(exc).__name__}: {_one_line(str(exc))}). Báo cáo hiện có (nếu có) được "
        "giữ nguyên. Cách sửa: chạy lại báo cáo này riêng, với --jobs 1."
    )
    return ReportResult(params.name, params.period, FAILED, 0.0, (), message)


def run_batch(
    reports: Sequence[ParametersFile],
    *,
    options: RunOptions | None = None,
    engine_factory: Callable[[], Engine] = PapermillEngine,
    on_result: Callable[[ReportResult], None] | None = None,
) -> list[ReportResult]:
    """Run every report; results in the order of ``reports``.

    With ``options.jobs > 1`` reports run in a pool of worker processes, each with
    one engine from ``engine_factory`` (a picklable callable). ``on_result`` is
    called in this process as each report finishes (e.g. to advance a progress bar).
    """
    options = options or RunOptions()
    results: list[ReportResult | None] = [None] * len(reports)
    jobs = max(1, min(options.jobs, len(reports)))
    if jobs == 1:
        engine = engine_factory()
        try:
            for i, params in enumerate(reports):
                results[i] = run_report(params, engine=engine, options=options)
                if on_result:
                    on_result(results[i])  # type: ignore[arg-type]
        finally:
            engine.close()
        return [r for r in results if r is not None]

    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(engine_factory,),
    )
    try:
        futures = {pool.submit(_work, p, options): i for i, p in enumerate(reports)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not start
                results[i] = _crashed(reports[i], exc)
            if on_result:
                on_result(results[i])  # type: ignore[arg-type]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [r for r in results if r is not None]
