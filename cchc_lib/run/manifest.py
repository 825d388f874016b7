"""The manifest of a report run: what went in, what came out, how long each step took.

Written beside the report as ``<name>.manifest.json`` (or in ``failed/`` for a failed run).
A :class:`Manifest` is filled in step by step by the runner and serialised once at the end.
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

from cchc_lib.run.params import ParametersFile

__all__ = ["STEPS", "VERSIONED", "Manifest", "input_files", "sha256_of"]

STEPS = ("validate", "execute", "export_html", "export_pdf", "write")
"""Timed steps recorded in every manifest (seconds)."""
VERSIONED = ("cchc", "papermill", "nbconvert", "weasyprint", "pandas")
"""Packages whose versions every manifest records."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else as given."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def input_files(params: ParametersFile) -> list[dict[str, str]]:
    """Every input file with its sha256: plan, data workbooks, parameters file, notebook."""
    files: list[tuple[str, Path]] = []
    if params.values.get("plan"):
        files.append(("plan", Path(params.values["plan"])))
    if params.values.get("data"):
        data = Path(params.values["data"])
        files += [("data", p) for p in sorted(data.glob("*.xlsx")) if not p.name.startswith("~$")]
    files += [("parameters", params.source), ("notebook", params.notebook)]
    return [{"role": r, "path": relative(p, params.root), "sha256": sha256_of(p)} for r, p in files]


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
            formats=list(params.formats),
            engine=engine,
            log=relative(log_path, params.root) if log_path else None,
        )

    def record_outputs(self, files: Mapping[Path, bytes]) -> None:
        self.outputs = [
            {"path": p.name, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
            for p, b in files.items()
        ]

    def finish(self, status: str) -> None:
        self.status = status
        self.finished_at = _now()
        self.timings = {step: round(seconds, 3) for step, seconds in self.timings.items()}

    def to_bytes(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
