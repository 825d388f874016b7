"""The inputs of a report, their hashes, and whether a report is unchanged since its last run.

The inputs of a report are what it reads: the plan and its sidecars
(``<plan>.units.yaml``, ``<plan>.links.yaml``), the workbooks of the months it covers in its
data folder (``data/2022/2022-03.xlsx`` and any per-unit files ``data/2022/2022-03/*.xlsx``),
the dossier exports (``dossiers``, by default ``<data>/ho-so/``), last year's workbooks
(``previous_year_data``, by default ``data/<year - 1>`` beside the data folder), the Word base
(``docx_base``), the parameters file and the notebook. A month after the period's last one is
not an input: a new ``2022-12.xlsx`` re-runs the annual report and no other.

A report is *unchanged* when the fingerprint of its inputs (with cchc's own code, the
versions of the tools and the formats asked for) equals the one recorded in the manifest of
its current, successful set, and every file of that set is still as recorded. Hashes are
reused from that manifest for files whose size and modification time did not change.

Only regular files are read: a FIFO or a device where a file should be is refused at once
(:func:`open_regular`), never waited on.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from cchc_lib.periods import parse_period

__all__ = [
    "NotRegularFile",
    "code_fingerprint",
    "current_manifest",
    "fingerprint",
    "input_files",
    "open_regular",
    "read_regular",
    "sha256_of",
    "unchanged",
]

VERSIONED = ("papermill", "nbconvert", "weasyprint", "pandas", "python-docx", "openpyxl")
"""Tools whose version is part of a report's fingerprint (besides Python and cchc)."""


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder, not a regular file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "một thư mục"
    if stat.S_ISFIFO(mode):
        return "một đường ống (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    if stat.S_ISSOCK(mode):
        return "một socket"
    return "không phải tệp thường"


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` for reading only if it is a regular file.

    The file is opened without blocking (a FIFO with no writer would wait forever) and
    checked after opening, so a swap between the check and the read cannot fool it.
    Raises :class:`NotRegularFile` (its ``strerror`` says what the path is).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(0, _kind(mode), str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; larger raises ``ValueError``."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"lớn hơn {limit} byte")
    return data


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- which files


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "~$"))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _tree(folder: Path) -> Iterator[Path]:
    """Regular, visible files under ``folder`` (sorted, recursively)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if all(_visible(Path(part)) for part in rel.parts) and _regular(path):
            yield path


def _months(folder: Path, months: tuple[str, ...]) -> Iterator[Path]:
    for month in months:
        book = folder / f"{month}.xlsx"
        if _regular(book):
            yield book
        yield from (p for p in _tree(folder / month) if p.suffix.lower() == ".xlsx")


def _path(values: Mapping[str, Any], key: str, root: Path) -> Path | None:
    value = values.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    p = Path(value)
    return p if p.is_absolute() else root / p


def report_files(values: Mapping[str, Any], root: Path) -> list[tuple[str, Path]]:
    """(role, path) of every input file of a report with these parameter ``values``."""
    files: list[tuple[str, Path]] = []
    plan = _path(values, "plan", root)
    if plan is not None:
        files.append(("plan", plan))
        for side in (".units.yaml", ".links.yaml"):
            sidecar = plan.with_name(plan.stem + side)
            if _regular(sidecar):
                files.append(("plan", sidecar))
    data = _path(values, "data", root)
    try:
        period = parse_period(str(values.get("report")), str(values.get("window_rule", "official")))
    except Exception:  # noqa: BLE001 - validated elsewhere; no period, no month files
        period = None
    if data is not None and period is not None:
        files += [("data", p) for p in _months(data, period.year_to_date)]
        dossiers = _path(values, "dossiers", root) or data / "ho-so"
        files += [("dossiers", p) for p in _tree(dossiers)]
        last_year = _path(values, "previous_year_data", root)
        if last_year is None and data.name == str(period.year):
            last_year = data.with_name(str(period.year - 1))
        if last_year is not None and last_year != data:
            months = tuple(f"{period.year - 1}-{m:02d}" for m in range(1, 13))
            files += [("previous_year_data", p) for p in _months(last_year, months)]
    base = _path(values, "docx_base", root)
    if base is not None:
        files.append(("docx_base", base))
    return files


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else as given."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def input_files(
    values: Mapping[str, Any],
    root: Path,
    source: Path,
    notebook: Path,
    known: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every input with its sha256, size and modification time (hashes of files whose size
    and time match an entry of ``known``, a previous manifest's inputs, are reused)."""
    cache = {
        (e.get("path"), e.get("bytes"), e.get("mtime_ns")): e.get("sha256") for e in known or ()
    }
    files = [*report_files(values, root), ("parameters", source), ("notebook", notebook)]
    out: list[dict[str, Any]] = []
    seen: set[Path] = set()
    for role, path in files:
        if path in seen:
            continue
        seen.add(path)
        st = path.stat()
        rel = relative(path, root)
        digest = cache.get((rel, st.st_size, st.st_mtime_ns)) or sha256_of(path)
        out.append(
            {
                "role": role,
                "path": rel,
                "sha256": digest,
                "bytes": st.st_size,
                "mtime_ns": st.st_mtime_ns,
            }
        )
    return out


# ---------------------------------------------------------------- fingerprints


@cache
def code_fingerprint() -> str:
    """sha256 over cchc's own files (code, data, templates, fonts): a change re-runs reports."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo") or not path.is_file():
            continue
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _installed() -> dict[str, str]:
    """Installed distributions' versions from the ``*.dist-info`` folder names (one listing
    per folder of ``sys.path``; much cheaper than importing :mod:`importlib.metadata`)."""
    import sys

    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info") and "-" in entry:
                dist, _, version = entry[: -len(".dist-info")].partition("-")
                found.setdefault(dist.lower().replace("_", "-"), version)
    return found


@cache
def tool_versions() -> dict[str, str | None]:
    import platform

    from cchc_lib import __version__

    out: dict[str, str | None] = {"python": platform.python_version(), "cchc": __version__}
    installed = _installed()
    for pkg in VERSIONED:
        if pkg in installed:
            out[pkg] = installed[pkg]
            continue
        from importlib import metadata

        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def fingerprint(inputs: list[dict[str, Any]], formats: tuple[str, ...] | list[str]) -> str:
    """One hash of what a report's outputs depend on."""
    payload = {
        "inputs": [(i["role"], i["path"], i["sha256"]) for i in inputs],
        "formats": list(formats),
        "code": code_fingerprint(),
        "versions": tool_versions(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def current_manifest(year_dir: Path, name: str) -> dict[str, Any] | None:
    """The manifest of report ``name``'s current set, or None (none, unreadable, damaged)."""
    try:
        data = json.loads(read_regular(year_dir / f"{name}.manifest.json", 64 << 20))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _outputs_intact(year_dir: Path, manifest: Mapping[str, Any]) -> bool:
    outputs = manifest.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        return False
    for entry in outputs:
        try:
            path = year_dir / str(entry["path"])
            if path.stat().st_size != entry["bytes"] or sha256_of(path) != entry["sha256"]:
                return False
        except (OSError, KeyError, TypeError):
            return False
    return True


def unchanged(
    year_dir: Path,
    name: str,
    values: Mapping[str, Any],
    root: Path,
    source: Path,
    notebook: Path,
    formats: tuple[str, ...],
) -> tuple[bool, list[dict[str, Any]], str]:
    """(unchanged?, the inputs now, their fingerprint) for report ``name``."""
    manifest = current_manifest(year_dir, name)
    known = manifest.get("inputs") if manifest else None
    inputs = input_files(values, root, source, notebook, known if isinstance(known, list) else None)
    fp = fingerprint(inputs, formats)
    same = (
        manifest is not None
        and manifest.get("status") == "success"
        and manifest.get("fingerprint") == fp
        and _outputs_intact(year_dir, manifest)
    )
    return same, inputs, fp
