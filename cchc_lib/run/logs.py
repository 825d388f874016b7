"""Run logs: one timestamped line per event, one file per report run."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TextIO

__all__ = ["log_line", "open_log"]


def log_line(log: TextIO | None, message: str) -> None:
    """Append ``message`` to ``log`` (if any) after a local ISO timestamp, and flush."""
    if log is not None:
        log.write(f"{datetime.now().astimezone().isoformat(timespec='milliseconds')} {message}\n")
        log.flush()


def open_log(logs_dir: Path, name: str, started: datetime) -> tuple[Path, TextIO]:
    """A new log file ``<logs_dir>/<YYYYmmdd-HHMMSS>-<name>[.n].log``, opened for writing."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        path = logs_dir / (f"{stamp}-{name}.log" if n == 1 else f"{stamp}-{name}.{n}.log")
        with suppress(FileExistsError):
            return path, open(path, "x", encoding="utf-8")  # noqa: SIM115 - closed by caller
    raise FileExistsError(logs_dir / f"{stamp}-{name}.log")  # pragma: no cover
