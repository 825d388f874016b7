"""Shared helpers for the benchmarks: temporary projects, timed commands, stats, tables.

Every benchmark works in a temporary folder (a copy of the project's notebooks,
parameters and data), never in the repository's ``data/`` or ``output/``, and
ends by printing one JSON line (its machine-readable summary).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # .venv/bin when run as .venv/bin/python
SEED_PLAN_REL = "data/plan/000_04455437811e3eec.txt"
SEED_PLAN = ROOT / SEED_PLAN_REL
PERIODS = ("Q1", "H1", "Q3", "Y")


class BenchError(RuntimeError):
    """A benchmarked command failed or produced no output."""


def arguments(description: str) -> argparse.ArgumentParser:
    """A parser with ``--quick`` (fewer rounds, smaller inputs) already added."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller inputs")
    return parser


@contextmanager
def scratch(name: str) -> Iterator[Path]:
    """A temporary folder for one benchmark, removed at the end (even on error)."""
    with tempfile.TemporaryDirectory(prefix=f"cchc-bench-{name}-") as tmp:
        yield Path(tmp)


def make_project(dest: Path, *, parameters: bool = True, data: bool = True) -> Path:
    """Copy the report notebook, the seed plan and (optionally) the official parameters and
    the bundled 2022 workbooks to ``dest``: a project whose ``output/`` is ``dest/output``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    shutil.copytree(ROOT / "data" / "plan", dest / "data" / "plan")
    if data:
        shutil.copytree(ROOT / "data" / "2022", dest / "data" / "2022")
    (dest / "parameters").mkdir()
    if parameters:
        for p in sorted((ROOT / "parameters").glob("*.yaml")):
            shutil.copy2(p, dest / "parameters" / p.name)
    return dest


def run(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path, log: Path) -> float:
    """Run ``cmd`` in ``cwd`` with its output appended to ``log``; wall seconds.

    Raises :class:`BenchError` (with the log's tail) if the command fails.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as fh:
        fh.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        fh.flush()
        t0 = time.perf_counter()
        code = subprocess.call([str(c) for c in cmd], cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - t0
    if code != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        raise BenchError(f"command failed ({code}): {' '.join(map(str, cmd))}\n{tail}")
    return seconds


def check_pdf(path: Path) -> int:
    """Size of the PDF at ``path``; raises :class:`BenchError` if missing, empty or not a PDF."""
    if not path.is_file() or path.stat().st_size == 0:
        raise BenchError(f"no PDF produced at {path}")
    with open(path, "rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise BenchError(f"{path} is not a PDF")
    return path.stat().st_size


@dataclass(frozen=True)
class Stats:
    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_dict(self) -> dict[str, float | int]:
        return {
            "median": round(self.median, 3),
            "min": round(self.low, 3),
            "max": round(self.high, 3),
            "n": self.n,
        }

    def __str__(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}–{self.high:.2f})"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table; numbers are shown with two decimals."""

    def cell(v: Any) -> str:
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    body = [[cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in [list(headers), *body]) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """CPU, cores, memory, OS, Python and the load average when the benchmark started."""
    cpu = platform.processor() or platform.machine()
    mem_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def describe(info: dict[str, Any]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, {info['os']}, "
        f"Python {info['python']}, load average {info['load_avg_1min']} at start"
    )


def emit(bench: str, quick: bool, info: dict[str, Any], **results: Any) -> None:
    """Print the final JSON line: benchmark name, mode, machine and results."""
    print(json.dumps({"bench": bench, "quick": quick, "machine": info, **results}))
