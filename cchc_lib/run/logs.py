"""Run logs: one timestamped line per event, one file per report run, the last runs kept.

``output/logs/<YYYYmmdd-HHMMSS>-<name>.log``; opening a new log of a report removes that
report's oldest logs beyond :data:`KEEP_RUNS` (other files in the folder, such as the
``cron.log`` a crontab line appends to, are never touched). A log never stops a run: once
writing to it fails (a full disk), it goes quiet and remembers why.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TextIO

from cchc_lib import faults

__all__ = ["KEEP_RUNS", "SafeLog", "log_line", "open_log", "prune_logs"]

KEEP_RUNS = 20
"""Logs kept per report: the last runs, not every run forever."""
MAX_LINE_CHARS = 200_000
"""One logged event is cut to this length (a message listing many problems is bounded
before, this is the last guard)."""
_LOG_NAME = re.compile(r"^(\d{8}-\d{6})-(?P<name>.+?)(?:\.(?P<n>\d+))?\.log$")


class SafeLog:
    """A text log whose write errors (disk full, …) are swallowed after the first one."""

    def __init__(self, fh: IO[str] | TextIO) -> None:
        self._fh = fh
        self.error: OSError | None = None

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                faults.point("log.write")
                return self._fh.write(text)
            except OSError as exc:
                self.error = exc
        return 0

    def flush(self) -> None:
        if self.error is None:
            try:
                self._fh.flush()
            except OSError as exc:
                self.error = exc

    def fileno(self) -> int:
        return self._fh.fileno()

    def close(self) -> None:
        with suppress(OSError):
            self._fh.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def log_line(log: TextIO | SafeLog | None, message: str) -> None:
    """Append ``message`` to ``log`` (if any) after a local ISO timestamp, and flush."""
    if log is not None:
        if len(message) > MAX_LINE_CHARS:
            message = message[:MAX_LINE_CHARS] + " … (đã cắt bớt)"
        stamp = datetime.now().astimezone().isoformat(timespec="milliseconds")
        try:
            log.write(f"{stamp} {message}\n")
            log.flush()
        except OSError:  # a plain stream; SafeLog never raises
            pass


def prune_logs(logs_dir: Path, name: str, keep: int = KEEP_RUNS) -> None:
    """Remove report ``name``'s oldest logs so that at most ``keep`` remain."""
    mine = []
    for path in logs_dir.glob(f"*-{name}*.log"):
        m = _LOG_NAME.match(path.name)
        if m and m.group("name") == name:
            mine.append((m.group(1), int(m.group("n") or 1), path))
    for _, _, path in sorted(mine)[: max(0, len(mine) - keep)]:
        with suppress(OSError):
            path.unlink()


def open_log(logs_dir: Path, name: str, started: datetime) -> tuple[Path, SafeLog]:
    """A new log file ``<logs_dir>/<YYYYmmdd-HHMMSS>-<name>[.n].log``, opened for writing
    (older logs of ``name`` beyond :data:`KEEP_RUNS` are removed first)."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    prune_logs(logs_dir, name, KEEP_RUNS - 1)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        path = logs_dir / (f"{stamp}-{name}.log" if n == 1 else f"{stamp}-{name}.{n}.log")
        with suppress(FileExistsError):
            return path, SafeLog(open(path, "x", encoding="utf-8"))  # noqa: SIM115 - closed by caller
    raise FileExistsError(logs_dir / f"{stamp}-{name}.log")  # pragma: no cover
