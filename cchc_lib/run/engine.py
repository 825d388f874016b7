"""Engines: execute one report notebook with parameters and return the executed notebook.

The runner (:mod:`cchc_lib.run.runner`) only needs ``name``, ``execute(nb, parameters,
*, cwd, log) -> NotebookNode`` and ``close()``; a faster engine (warm kernels per
worker, namespace reset between reports) can replace :class:`PapermillEngine`
without touching the rest. Engines raise :class:`CellExecutionFailed` (with the
executed notebook) when a cell fails and :class:`KernelStartError` when no
kernel could be started.
"""

from __future__ import annotations

import copy
import logging
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import nbformat

from cchc_lib import faults
from cchc_lib.run.logs import log_line

__all__ = ["CellExecutionFailed", "Engine", "KernelStartError", "PapermillEngine"]


class KernelStartError(RuntimeError):
    """The kernel did not start (or died) before any cell ran: worth retrying."""


class CellExecutionFailed(Exception):
    """The notebook ran but failed: ``nb`` is the executed notebook, up to the failing cell."""

    def __init__(
        self,
        nb: nbformat.NotebookNode,
        cell_index: int | None,
        exec_count: int | None,
        ename: str,
        evalue: str,
        traceback_lines: Sequence[str] = (),
    ) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.nb = nb
        self.cell_index = cell_index  # index in the executed notebook (before error markers)
        self.exec_count = exec_count
        self.ename = ename
        self.evalue = evalue
        self.traceback_lines = tuple(traceback_lines)


class Engine(Protocol):
    """Executes one notebook with parameters in a clean namespace; replaceable."""

    name: str

    def execute(
        self,
        nb: nbformat.NotebookNode,
        parameters: Mapping[str, Any],
        *,
        cwd: Path,
        log: TextIO | None = None,
    ) -> nbformat.NotebookNode:
        """Return the executed notebook; raise :class:`CellExecutionFailed` if a cell fails."""
        ...

    def close(self) -> None:
        """Release kernels or other resources."""
        ...


def _cell_started(nb: nbformat.NotebookNode) -> bool:
    return any(
        c.get("metadata", {}).get("papermill", {}).get("status", "pending") != "pending"
        for c in nb.cells
    )


def _kernel_stream(log: TextIO | None) -> Any:
    """Where the kernel process's own stdout/stderr go: the log file, else nowhere."""
    try:
        log.flush()  # type: ignore[union-attr]
        log.fileno()  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):  # None, StringIO (UnsupportedOperation)
        return subprocess.DEVNULL
    return log


def _papermill_engine_class() -> type:
    """A papermill engine that sends kernel output to our log and spots start failures."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args
    from zmq import ZMQError  # zmq comes with jupyter_client

    class _CchcNBClientEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            cchc_capture: list[Any] | None = None,
            cchc_kernel_stream: TextIO | None = None,
            **kwargs: Any,
        ) -> Any:
            if cchc_capture is not None:
                cchc_capture.append(nb_man)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            stream = _kernel_stream(cchc_kernel_stream)
            launch = {"stdout": stream, "stderr": stream}
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            try:
                return client.execute(**launch)
            except (RuntimeError, TimeoutError, ZMQError) as exc:
                if _cell_started(nb_man.nb):
                    raise
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc
            finally:
                # a kernel we did not start stays up (warm engine), but this run's client
                # channels must close, or every report leaks its sockets
                if not client.owns_km and client.kc is not None:
                    client.kc.stop_channels()

    return _CchcNBClientEngine


_PM_ENGINE = "cchc-nbclient"


class PapermillEngine:
    """Plain engine: ``papermill.execute_notebook`` with a fresh kernel per notebook.

    A kernel that fails to start is retried ``start_retries`` times.
    """

    name = "papermill"

    def __init__(
        self, kernel_name: str = "python3", *, start_retries: int = 2, start_timeout: int = 60
    ) -> None:
        self.kernel_name = kernel_name
        self.start_retries = start_retries
        self.start_timeout = start_timeout

    def _call(self, nb: nbformat.NotebookNode, parameters: Mapping[str, Any], **kw: Any) -> Any:
        faults.point("engine.execute")  # a kernel that fails to start, a cell that fails
        import papermill
        from nbclient import NotebookClient
        from papermill.engines import papermill_engines

        if _PM_ENGINE not in papermill_engines._engines:
            papermill_engines.register(_PM_ENGINE, _papermill_engine_class())
        if "shutdown_kernel" in NotebookClient.class_trait_names():
            kw["shutdown_kernel"] = "immediate"
        return papermill.execute_notebook(
            nb,
            None,
            parameters=dict(parameters),
            engine_name=_PM_ENGINE,
            kernel_name=self.kernel_name,
            request_save_on_cell_execute=False,
            progress_bar=False,
            log_output=False,
            start_timeout=self.start_timeout,
            **kw,
        )

    def execute(
        self,
        nb: nbformat.NotebookNode,
        parameters: Mapping[str, Any],
        *,
        cwd: Path,
        log: TextIO | None = None,
    ) -> nbformat.NotebookNode:
        from papermill.exceptions import PapermillExecutionError

        pm_logger = logging.getLogger("papermill")
        handler = logging.StreamHandler(log) if log is not None else logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s papermill %(levelname)s %(message)s"))
        pm_logger.addHandler(handler)
        try:
            for attempt in range(1, self.start_retries + 2):
                capture: list[Any] = []
                try:
                    return self._call(
                        nb,
                        parameters,
                        cwd=str(cwd),
                        cchc_capture=capture,
                        cchc_kernel_stream=log,
                    )
                except KernelStartError as exc:
                    log_line(log, f"kernel không khởi động được (lần {attempt}): {exc}")
                    if attempt > self.start_retries:
                        raise
                    time.sleep(0.5 * attempt)
                except PapermillExecutionError as exc:
                    raise CellExecutionFailed(
                        capture[-1].nb if capture else nb,
                        exc.cell_index,
                        exc.exec_count,
                        exc.ename,
                        exc.evalue,
                        exc.traceback,
                    ) from exc
                except Exception as exc:  # the kernel died mid-run, a cell timed out, ...
                    if not capture:
                        raise
                    executed = capture[-1].nb
                    running = [
                        i
                        for i, c in enumerate(executed.cells)
                        if c.get("metadata", {}).get("papermill", {}).get("status") == "running"
                    ]
                    index = running[0] if running else None
                    count = executed.cells[index].get("execution_count") if running else None
                    raise CellExecutionFailed(
                        executed, index, count, type(exc).__name__, str(exc)
                    ) from exc
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            pm_logger.removeHandler(handler)

    def close(self) -> None:
        """Nothing to release: every notebook had its own kernel."""


class WarmKernelEngine(PapermillEngine):
    """papermill on one long-lived kernel per worker, its namespace reset before each report.

    Starting a kernel and importing pandas, matplotlib and cchc_lib costs about a second per
    report; a warm kernel pays it once. Isolation: before each report the kernel runs
    ``get_ipython().reset(new_session=True)`` (user namespace, history and execution
    count cleared) and returns to ``cwd``; only imported modules stay loaded. A kernel
    that died is replaced on the next report.
    """

    name = "warm-kernel"

    def __init__(
        self, kernel_name: str = "python3", *, start_retries: int = 2, start_timeout: int = 60
    ) -> None:
        super().__init__(kernel_name, start_retries=start_retries, start_timeout=start_timeout)
        self._km: Any = None

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self._km is not None and bool(run_sync(self._km.is_alive)())

    def _start(self, cwd: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.close()
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        try:
            run_sync(km.start_kernel)(
                cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except Exception as exc:
            with _suppress_all():
                run_sync(km.shutdown_kernel)(now=True)
            raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc
        self._km = km

    @staticmethod
    def _reset_cell(cwd: Path) -> nbformat.NotebookNode:
        """A first cell that clears what the previous report left in the kernel.

        ``reset(new_session=True)`` empties the user namespace and history; resetting the
        execution count makes the report's own cells count from 1 as in a new kernel.
        Running it as a cell of the same execution costs one round trip, not a client of
        its own. The cell is removed from the executed notebook.
        """
        code = (
            "get_ipython().reset(new_session=True)\n"
            f"import os as _cchc_os; _cchc_os.chdir({str(cwd)!r}); del _cchc_os\n"
            "get_ipython().execution_count = 1"
        )
        return nbformat.v4.new_code_cell(code, metadata={"tags": ["remove"], _RESET_KEY: True})

    def execute(
        self,
        nb: nbformat.NotebookNode,
        parameters: Mapping[str, Any],
        *,
        cwd: Path,
        log: TextIO | None = None,
    ) -> nbformat.NotebookNode:
        work = copy.deepcopy(nb)
        work.cells.insert(0, self._reset_cell(cwd))
        try:
            done = super().execute(work, parameters, cwd=cwd, log=log)
        except CellExecutionFailed as exc:
            if exc.cell_index == 0:  # the reset itself failed: this kernel is not usable
                self.close()
                raise KernelStartError(f"không làm mới được kernel: {exc}") from exc
            _drop_reset_cell(exc.nb)
            raise CellExecutionFailed(
                exc.nb,
                exc.cell_index - 1 if exc.cell_index is not None else None,
                exc.exec_count,
                exc.ename,
                exc.evalue,
                exc.traceback_lines,
            ) from exc
        _drop_reset_cell(done)
        return done

    def _call(self, nb: nbformat.NotebookNode, parameters: Mapping[str, Any], **kw: Any) -> Any:
        cwd = Path(kw.get("cwd") or Path.cwd())
        if not self._alive():
            self._start(cwd)
        return super()._call(nb, parameters, km=self._km, **kw)

    def close(self) -> None:
        """Shut the kernel down (the worker is finishing)."""
        from jupyter_core.utils import run_sync

        km, self._km = self._km, None
        if km is not None:
            with _suppress_all():
                run_sync(km.shutdown_kernel)(now=True)


_RESET_KEY = "cchc_reset"


def _drop_reset_cell(nb: nbformat.NotebookNode) -> None:
    """Remove the reset cell (papermill may have put error banners before it)."""
    nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get(_RESET_KEY)]


class _suppress_all:  # noqa: N801 - used like contextlib.suppress
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True
