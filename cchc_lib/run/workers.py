"""Reports in parallel worker processes that never outlive the parent.

- Each worker asks the kernel to kill it when the parent dies (Linux ``PR_SET_PDEATHSIG``)
  and also watches its parent's id twice a second, so a ``kill -9`` of ``cchc run`` ends
  every worker at once; a worker's kernel watches the worker the same way (ipykernel's
  parent poller, one second), so no kernel outlives its worker.
- When the parent is interrupted (Ctrl-C, SIGTERM), it sets a shared *stop* event, which a
  worker checks right before publishing a report's set, then sends SIGTERM to every worker:
  the worker unwinds (temporary files removed, lock released), shuts its kernel down and
  exits; a worker still there after :data:`GRACE_SECONDS` is killed. So no report is
  published after the signal.
- Workers ignore SIGINT: Ctrl-C in a terminal reaches the whole process group, and the
  parent alone decides.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cchc_lib.run.engine import Engine
    from cchc_lib.run.params import ParametersFile
    from cchc_lib.run.runner import ReportResult, RunOptions

__all__ = ["GRACE_SECONDS", "die_with_parent", "run_parallel"]

GRACE_SECONDS = 10.0
"""How long an interrupted worker may take to clean up before it is killed."""
_PR_SET_PDEATHSIG = 1

_ENGINE: Engine | None = None
_STOP: Any = None  # a multiprocessing Event shared with the parent


def die_with_parent(parent_pid: int, *, poll: float = 0.5) -> None:
    """End this process as soon as ``parent_pid`` is no longer its parent."""
    if sys.platform.startswith("linux"):
        with suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(poll)

    threading.Thread(target=watch, name="cchc-parent-watch", daemon=True).start()


def _on_term(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one interruption is enough
    logging.disable(logging.CRITICAL)  # Jupyter's "Kernel died …" as the kernel is stopped
    raise KeyboardInterrupt


def _init_worker(engine_factory: Callable[[], Engine], parent_pid: int, stop: Any) -> None:
    global _ENGINE, _STOP
    die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STOP = stop
    _ENGINE = engine_factory()
    # pool workers skip atexit; multiprocessing's finalizers do run when a worker ends
    multiprocessing.util.Finalize(None, _ENGINE.close, exitpriority=10)


def _stopping() -> bool:
    return bool(_STOP is not None and _STOP.is_set())


def _work(params: ParametersFile, options: RunOptions) -> ReportResult:
    from cchc_lib.run.runner import run_report

    try:
        return run_report(params, engine=_ENGINE, options=options, stop=_stopping)
    except KeyboardInterrupt:
        with suppress(BaseException):
            if _ENGINE is not None:
                _ENGINE.close()
        os._exit(130)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker, wait a little, kill what is left."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        with suppress(Exception):
            p.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for p in processes:
        with suppress(Exception):
            p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        with suppress(Exception):
            if p.is_alive():
                p.kill()
                p.join(1.0)
    with suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


def run_parallel(
    reports: Sequence[ParametersFile],
    options: RunOptions,
    engine_factory: Callable[[], Engine],
    on_result: Callable[[ReportResult], None] | None = None,
) -> list[ReportResult]:
    """Run ``reports`` in ``options.jobs`` worker processes; results in their order."""
    from cchc_lib.run.runner import FAILED, ReportResult, _label, _one_line

    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    pool = ProcessPoolExecutor(
        max_workers=options.jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(engine_factory, os.getpid(), stop),
    )
    results: list[ReportResult | None] = [None] * len(reports)
    try:
        futures = {pool.submit(_work, p, options): i for i, p in enumerate(reports)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not start
                params = reports[i]
                result = ReportResult(
                    params.name,
                    params.period,
                    FAILED,
                    0.0,
                    (),
                    f"Báo cáo {params.name} ({_label(params)}) không chạy được: tiến trình chạy "
                    f"báo cáo bị dừng đột ngột ({type(exc).__name__}: {_one_line(str(exc))}). "
                    "Báo cáo hiện có (nếu có) được giữ nguyên. Cách sửa: chạy lại báo cáo này "
                    "riêng, với --jobs 1.",
                )
            results[i] = result
            if on_result:
                on_result(result)
    except BaseException:
        stop.set()
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return [r for r in results if r is not None]
