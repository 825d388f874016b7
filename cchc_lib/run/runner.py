"""Run report notebooks: execute with parameters, export, write atomically, record a manifest.

One report = one validated parameters file (:class:`~cchc_lib.run.params.ReportParameters`).
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

import hashlib
import io
import json
import multiprocessing
import multiprocessing.util
import platform
import re
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

import nbformat
from filelock import FileLock, Timeout

from cchc_lib.atomic import write_all
from cchc_lib.run.engine import CellExecutionFailed, Engine, KernelStartError, PapermillEngine
from cchc_lib.run.params import ReportParameters

__all__ = ["STEPS", "ReportResult", "RunOptions", "run_batch", "run_report"]

STEPS = ("validate", "execute", "export_html", "export_pdf", "write")
"""Timed steps recorded in every manifest (seconds)."""
VERSIONED = ("cchc", "papermill", "nbconvert", "weasyprint", "pandas")
"""Packages whose versions every manifest records."""
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


def _log(log: TextIO | None, message: str) -> None:
    if log is not None:
        log.write(f"{datetime.now().astimezone().isoformat(timespec='milliseconds')} {message}\n")
        log.flush()


def _open_log(logs_dir: Path, name: str, started: datetime) -> tuple[Path, TextIO]:
    logs_dir.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        path = logs_dir / (f"{stamp}-{name}.log" if n == 1 else f"{stamp}-{name}.{n}.log")
        with suppress(FileExistsError):
            return path, open(path, "x", encoding="utf-8")  # noqa: SIM115 - closed by caller
    raise FileExistsError(logs_dir / f"{stamp}-{name}.log")  # pragma: no cover


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _inputs(params: ReportParameters) -> list[dict[str, str]]:
    """Every input file with its sha256: plan, data workbooks, parameters file, notebook."""
    files: list[tuple[str, Path]] = []
    if params.values.get("plan"):
        files.append(("plan", Path(params.values["plan"])))
    if params.values.get("data"):
        data = Path(params.values["data"])
        files += [("data", p) for p in sorted(data.glob("*.xlsx")) if not p.name.startswith("~$")]
    files += [("parameters", params.source), ("notebook", params.notebook)]
    return [{"role": r, "path": _rel(p, params.root), "sha256": _sha256(p)} for r, p in files]


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in VERSIONED:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _shown(path: Path | None) -> str:
    """A path for messages: relative to the current folder when inside it."""
    if path is None:
        return "(không có)"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# cchc's errors about the user's input: their messages already name the place and the fix
_INPUT_ERRORS = frozenset(
    {
        "CchcError",
        "DataValidationError",
        "PlanFormatError",
        "ParameterError",
        "PeriodError",
        "LinkError",
    }
)


def _one_line(text: str, limit: int = 400) -> str:
    text = _SPACES.sub(" ", _ANSI.sub("", str(text))).strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(params: ReportParameters) -> str:
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
    params: ReportParameters,
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
        log_path, log = _open_log(params.output_dir / "logs", params.name, started)
    except OSError:  # no log is no reason to skip the report; the error shows elsewhere
        log_path, log = None, io.StringIO()
    year_dir = params.output_dir / str(params.year)
    try:
        _log(log, f"Báo cáo {params.name}, kỳ {params.period}, tệp tham số {params.source}")
        _log(log, f"sổ tay {params.notebook}, bộ chạy {engine.name}, định dạng {params.formats}")
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
            _log(log, message)
            return ReportResult(
                params.name, params.period, FAILED, time.perf_counter() - t0, (), message, log_path
            )
        try:
            waited = time.perf_counter() - t0
            _log(log, f"đã nhận khóa {_shown(Path(lock.lock_file))}")
            if waited > 0.5:
                _log(log, f"đã chờ khóa {waited:.1f} giây")
            return _run_locked(params, engine, options, started, t0, year_dir, log_path, log)
        finally:
            lock.release()
    except Exception as exc:  # a bug or an OS error: still one clean result
        message = (
            f"Báo cáo {params.name} ({_label(params)}) không chạy được do lỗi ngoài sổ tay: "
            f"{type(exc).__name__}: {_one_line(exc)}. Báo cáo hiện có (nếu có) được giữ nguyên; "
            f"chi tiết trong nhật ký {_shown(log_path)}."
        )
        _log(log, message + "\n" + traceback.format_exc())
        if options.verbose:
            message += "\n" + traceback.format_exc()
        return ReportResult(
            params.name, params.period, FAILED, time.perf_counter() - t0, (), message, log_path
        )
    finally:
        log.close()


def _run_locked(
    params: ReportParameters,
    engine: Engine,
    options: RunOptions,
    started: datetime,
    t0: float,
    year_dir: Path,
    log_path: Path,
    log: TextIO,
) -> ReportResult:
    timings: dict[str, float] = dict.fromkeys(STEPS, 0.0)
    manifest: dict[str, Any] = {
        "report": params.name,
        "period": params.period,
        "status": None,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": None,
        "parameters_file": _rel(params.source, params.root),
        "notebook": _rel(params.notebook, params.root),
        "parameters": params.to_dict(),
        "formats": list(params.formats),
        "engine": engine.name,
        "inputs": [],
        "outputs": [],
        "versions": _versions(),
        "timings": timings,
        "log": _rel(log_path, params.root) if log_path else None,
        "error": None,
    }
    failed_dir = year_dir / "failed"
    label = _label(params)

    def finish(status: str, files: dict[Path, bytes], message: str = "") -> ReportResult:
        manifest["status"] = status
        manifest["outputs"] = [
            {"path": p.name, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
            for p, b in files.items()
        ]
        manifest["finished_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
        for step, seconds in timings.items():
            timings[step] = round(seconds, 3)
            _log(log, f"bước {step}: {seconds:.3f} giây")
        folder = year_dir if status == SUCCESS else failed_dir
        manifest_path = folder / f"{params.name}.manifest.json"
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        pending = {} if status == SUCCESS else dict(files)  # success: written already
        write_all({**pending, manifest_path: text.encode("utf-8")})
        _log(log, f"kết thúc: {status}; tệp: {', '.join(str(p) for p in files)}")
        return ReportResult(
            params.name,
            params.period,
            status,
            time.perf_counter() - t0,
            (*files, manifest_path),
            message,
            log_path,
            manifest_path,
            dict(timings),
        )

    tick = time.perf_counter()
    manifest["inputs"] = _inputs(params)
    timings["validate"] = params.validate_seconds + time.perf_counter() - tick

    tick = time.perf_counter()
    nb = nbformat.read(params.notebook, as_version=4)
    warming = _warm_renderer(params.formats)  # loads WeasyPrint while the kernel works
    try:
        executed = engine.execute(nb, params.to_dict(), cwd=params.root, log=log)
    except CellExecutionFailed as exc:
        timings["execute"] = time.perf_counter() - tick
        cell = _source_cell(exc)
        where = f"ô thứ {cell}" if cell is not None else "một ô"
        if exc.exec_count is not None:
            where += f" (In [{exc.exec_count}])"
        failed_nb = failed_dir / f"{params.name}.ipynb"
        manifest["error"] = {
            "cell": cell,
            "cell_index": exc.cell_index,
            "execution_count": exc.exec_count,
            "ename": exc.ename,
            "evalue": exc.evalue,
        }
        tb = _ANSI.sub("", "\n".join(exc.traceback_lines))
        kept = (
            f"Báo cáo hiện có (nếu có) được giữ nguyên; sổ tay đã chạy được lưu ở "
            f"{_shown(failed_nb)}, nhật ký ở {_shown(log_path)}."
        )
        if exc.ename in _INPUT_ERRORS:
            # the user's input is wrong: show cchc's own message whole (every problem, each
            # naming file, sheet, row, column, value and fix), not a clipped line
            message = (
                f"Báo cáo {params.name} ({label}, mã kỳ {params.period}) không lập được vì dữ "
                f"liệu đầu vào có lỗi. {kept}\n{_ANSI.sub('', exc.evalue).strip()}"
            )
        else:
            message = (
                f"Báo cáo {params.name} ({label}, mã kỳ {params.period}) bị lỗi ở {where} của "
                f"sổ tay {params.notebook.name}: {exc.ename}: {_one_line(exc.evalue)}. {kept} "
                "Cách sửa: mở sổ tay lỗi, xem ô đó, sửa số liệu hoặc tham số rồi chạy lại."
            )
        _log(log, message + "\n" + tb)
        if options.verbose and tb:
            message += "\n" + tb
        return finish(FAILED, {failed_nb: nbformat.writes(exc.nb).encode("utf-8")}, message)
    except KernelStartError as exc:
        timings["execute"] = time.perf_counter() - tick
        message = (
            f"Báo cáo {params.name} ({label}, mã kỳ {params.period}) không chạy được: kernel "
            f"Python không khởi động được sau nhiều lần thử ({_one_line(exc)}). Báo cáo hiện có "
            f"(nếu có) được giữ nguyên; nhật ký ở {_shown(log_path)}. Cách sửa: kiểm tra máy "
            "còn đủ bộ nhớ và gói ipykernel đã được cài trong môi trường Python, rồi chạy lại."
        )
        manifest["error"] = {"ename": "KernelStartError", "evalue": str(exc)}
        _log(log, message + "\n" + traceback.format_exc())
        return finish(FAILED, {}, message)
    timings["execute"] = time.perf_counter() - tick
    _log(log, f"đã chạy sổ tay trong {timings['execute']:.2f} giây")
    nb_bytes = nbformat.writes(executed).encode("utf-8")

    outputs: dict[str, bytes] = {}
    step = "export_html"
    try:
        from cchc_lib.report.render import html_to_pdf, notebook_to_html

        warming.join()
        title = f"Báo cáo cải cách hành chính {label}"
        tick = time.perf_counter()
        html = notebook_to_html(executed, title=title) if params.formats else ""
        timings["export_html"] = time.perf_counter() - tick
        if "html" in params.formats:
            outputs["html"] = html.encode("utf-8")
        if "pdf" in params.formats:
            step = "export_pdf"
            tick = time.perf_counter()
            outputs["pdf"] = html_to_pdf(html)
            timings["export_pdf"] = time.perf_counter() - tick
    except Exception as exc:
        what = "PDF" if step == "export_pdf" else "HTML"
        failed_nb = failed_dir / f"{params.name}.ipynb"
        manifest["error"] = {"step": step, "ename": type(exc).__name__, "evalue": str(exc)}
        message = (
            f"Báo cáo {params.name} ({label}, mã kỳ {params.period}) chạy xong nhưng xuất {what} "
            f"bị lỗi: {type(exc).__name__}: {_one_line(exc)}. Báo cáo hiện có (nếu có) được giữ "
            f"nguyên; sổ tay đã chạy được lưu ở {_shown(failed_nb)}, nhật ký ở {_shown(log_path)}."
        )
        _log(log, message + "\n" + traceback.format_exc())
        if options.verbose:
            message += "\n" + traceback.format_exc()
        return finish(FAILED, {failed_nb: nb_bytes}, message)

    tick = time.perf_counter()
    files = {year_dir / f"{params.name}.ipynb": nb_bytes}
    files.update({year_dir / f"{params.name}.{fmt}": data for fmt, data in outputs.items()})
    write_all(files)
    for stale in (failed_dir / f"{params.name}.ipynb", failed_dir / f"{params.name}.manifest.json"):
        with suppress(FileNotFoundError):
            stale.unlink()
    timings["write"] = time.perf_counter() - tick
    return finish(SUCCESS, files)


# ---------------------------------------------------------------- batch

_WORKER_ENGINE: Engine | None = None


def _init_worker(engine_factory: Callable[[], Engine]) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = engine_factory()
    # pool workers skip atexit; multiprocessing's finalizers do run when a worker ends
    multiprocessing.util.Finalize(None, _WORKER_ENGINE.close, exitpriority=10)


def _work(params: ReportParameters, options: RunOptions) -> ReportResult:
    return run_report(params, engine=_WORKER_ENGINE, options=options)


def _crashed(params: ReportParameters, exc: BaseException) -> ReportResult:
    message = (
        f"Báo cáo {params.name} ({_label(params)}) không chạy được: tiến trình chạy báo cáo bị "
        f"dừng đột ngột ({type(exc).__name__}: {_one_line(exc)}). Báo cáo hiện có (nếu có) được "
        "giữ nguyên. Cách sửa: chạy lại báo cáo này riêng, với --jobs 1."
    )
    return ReportResult(params.name, params.period, FAILED, 0.0, (), message)


def run_batch(
    reports: Sequence[ReportParameters],
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
