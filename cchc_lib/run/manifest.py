"""The manifest of a report run: what went in, what came out, how long each step took.

Written as part of the report's set, ``<name>.manifest.json`` (or in ``failed/`` for a
failed run). A :class:`Manifest` is filled in step by step by the runner and serialised
once at the end. It records every parameter's value and where it came from (the
parameters file, the plan, a rule), every input with its sha256, and the ``fingerprint``
that tells a later run whether anything changed (:mod:`cchc_lib.run.inputs`).
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from cchc_lib.errors import clip
from cchc_lib.run import inputs as _inputs
from cchc_lib.run.inputs import relative, sha256_of
from cchc_lib.run.params import ParametersFile

__all__ = ["STEPS", "VERSIONED", "Manifest", "input_files", "sha256_of"]

MAX_ERROR_CHARS = 20_000
"""An error recorded in a manifest is cut to this length (its full text is in the log)."""

STEPS = ("validate", "execute", "export_html", "export_pdf", "write")
"""Timed steps recorded in every manifest (seconds)."""
VERSIONED = ("cchc", "papermill", "nbconvert", "weasyprint", "pandas")
"""Packages whose versions every manifest records."""


def input_files(
    params: ParametersFile, known: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Every input file of the report with its sha256 (see :mod:`cchc_lib.run.inputs`)."""
    return _inputs.input_files(params.values, params.root, params.source, params.notebook, known)


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in VERSIONED:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Manifest:
    """One run's record; ``status`` and ``finished_at`` are set by :meth:`finish`."""

    report: str
    period: str
    started_at: str
    parameters_file: str
    notebook: str
    parameters: dict[str, Any]
    formats: list[str]
    engine: str
    log: str | None
    parameter_sources: dict[str, str] = field(default_factory=dict)
    fingerprint: str | None = None
    status: str | None = None
    finished_at: str | None = None
    inputs: list[dict[str, str]] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, str | None] = field(default_factory=versions)
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STEPS, 0.0))
    error: dict[str, Any] | None = None

    @classmethod
    def start(
        cls, params: ParametersFile, engine: str, started: datetime, log_path: Path | None
    ) -> Manifest:
        return cls(
            report=params.name,
            period=params.period,
            started_at=started.isoformat(timespec="seconds"),
            parameters_file=relative(params.source, params.root),
            notebook=relative(params.notebook, params.root),
            parameters=params.to_dict(),
            parameter_sources=dict(params.sources),
            formats=list(params.formats),
            engine=engine,
            log=relative(log_path, params.root) if log_path else None,
        )

    def record_outputs(self, files: Mapping[Path, bytes] | Mapping[str, bytes]) -> None:
        self.outputs = [
            {"path": Path(p).name, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
            for p, b in files.items()
        ]

    def finish(self, status: str) -> None:
        if self.error:
            self.error = {
                k: clip(v, MAX_ERROR_CHARS) if isinstance(v, str) else v
                for k, v in self.error.items()
            }
        self.status = status
        self.finished_at = _now()
        self.timings = {step: round(seconds, 3) for step, seconds in self.timings.items()}

    def to_bytes(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
