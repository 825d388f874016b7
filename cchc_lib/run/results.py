"""What a report run gives back, and the quick check that a report is unchanged.

Light on purpose: ``cchc run`` decides which reports to skip with this module alone, without
importing Jupyter's machinery (a run where nothing changed takes a fraction of a second).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib.run.inputs import current_manifest, unchanged
from cchc_lib.run.params import ParametersFile

__all__ = [
    "FAILED",
    "NOT_DUE",
    "SKIPPED",
    "SUCCESS",
    "ReportResult",
    "RunOptions",
    "check_unchanged",
]

SUCCESS, FAILED, SKIPPED, NOT_DUE = "success", "failed", "skipped", "not_due"


@dataclass(frozen=True)
class RunOptions:
    """How to run reports: parallel workers, lock behaviour, error detail."""

    jobs: int = 1
    wait: bool = True  # wait for another run of the same report; False: fail at once
    verbose: bool = False  # add the traceback to error messages
    skip_unchanged: bool = True  # False (--force): run even when nothing changed


@dataclass(frozen=True)
class ReportResult:
    """Outcome of one report run (picklable: crosses process boundaries)."""

    name: str
    period: str
    status: str  # "success" | "failed" | "skipped" (unchanged) | "not_due"
    seconds: float
    files: tuple[Path, ...] = ()
    message: str = ""  # one Vietnamese paragraph when failed (plus traceback if verbose)
    log: Path | None = None
    manifest: Path | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    checks: tuple[str, ...] = ()  # what the analyst should check before signing (doc.checks())

    @property
    def ok(self) -> bool:
        """False only for a failure: a report skipped or not yet due is no failure."""
        return self.status != FAILED


def check_unchanged(params: ParametersFile) -> ReportResult | None:
    """A "skipped" result when the report's current set was made from the same inputs,
    parameters, code and formats (and is intact); None when it must run. Reads, never writes."""
    t0 = time.perf_counter()
    year_dir = params.output_dir / str(params.year)
    try:
        same, _, _ = unchanged(
            year_dir,
            params.name,
            params.values,
            params.root,
            params.source,
            params.notebook,
            params.formats,
        )
    except OSError:
        return None  # an input is unreadable now: the run will say so
    if not same:
        return None
    manifest = year_dir / f"{params.name}.manifest.json"
    files = (*(year_dir / o["path"] for o in unchanged_outputs(manifest)), manifest)
    return ReportResult(
        params.name,
        params.period,
        SKIPPED,
        time.perf_counter() - t0,
        files,
        "không thay đổi",
        None,
        year_dir / f"{params.name}.manifest.json",
    )


def unchanged_outputs(manifest: Path) -> list[dict]:
    """The outputs a current manifest lists (in the order they were written)."""
    data = current_manifest(manifest.parent, manifest.name.removesuffix(".manifest.json"))
    outputs = (data or {}).get("outputs") or []
    return [o for o in outputs if isinstance(o, dict) and "path" in o]
