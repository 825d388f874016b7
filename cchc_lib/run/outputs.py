"""A report's files, replaced as one set: readers of ``output/`` see the old set or the new one.

The files of one report (``2022-Q1.ipynb``, ``.html``, ``.pdf``, ``.docx``,
``.manifest.json``) live in a version folder; the names in ``output/<year>/`` are symbolic
links through one link, ``current``, that is switched with a single atomic rename::

    output/2022/2022-Q1.pdf   -> .2022-Q1.sets/current/2022-Q1.pdf
    output/2022/.2022-Q1.sets/current -> 20221215T070001-1a2b3c
    output/2022/.2022-Q1.sets/20221215T070001-1a2b3c/2022-Q1.pdf  (the file itself)

Publishing a set: write every file (fsync'ed) into a new version folder, add the links the
new set needs (a link to a file the old set lacks points at nothing until the switch, so the
file simply "is not there yet"), switch ``current``, then remove links to formats no longer
produced and every other version folder. A process killed at any moment leaves the old set
or the new one visible, never a mix; whatever it left behind (a half-written version, a
temporary link) is removed by the next publication of that report.

Files written by cchc before this layout (plain files in ``output/<year>/``) are adopted on
the first publication: hard-linked into a version folder, then replaced by links to the
same content, so they stay readable throughout. On a file system without symbolic links
the files are renamed into place one by one, the manifest last.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from cchc_lib import faults
from cchc_lib.atomic import fsync_dir, write_all

__all__ = ["CURRENT", "Interrupted", "clean_leftovers", "publish", "sets_dir"]

CURRENT = "current"
_NO_SYMLINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


class Interrupted(KeyboardInterrupt):
    """The run was told to stop before it could switch to the new set: nothing was published."""


def sets_dir(year_dir: Path, name: str) -> Path:
    """The hidden folder holding the versions of report ``name``."""
    return year_dir / f".{name}.sets"


def _link_target(name: str, filename: str) -> str:
    return f".{name}.sets/{CURRENT}/{filename}"


def _is_ours(path: Path, name: str) -> bool:
    """True when ``path`` is a link of report ``name``'s set."""
    try:
        return os.readlink(path).startswith(f".{name}.sets/{CURRENT}/")
    except OSError:
        return False


def _current_version(sets: Path) -> str | None:
    try:
        target = os.readlink(sets / CURRENT)
    except OSError:
        return None
    return target if "/" not in target else None


def _tmp_name(folder: Path, stem: str) -> Path:
    return folder / f"{stem}.{secrets.token_hex(4)}.tmp"


def _replace_link(path: Path, target: str, scratch: Path) -> None:
    """Make ``path`` a symbolic link to ``target`` with one atomic rename."""
    tmp = _tmp_name(scratch, f"link-{path.name}")
    os.symlink(target, tmp)
    try:
        faults.point("atomic.rename")
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def clean_leftovers(year_dir: Path, name: str, keep: Iterable[str] = ()) -> None:
    """Remove what an interrupted or superseded publication left: every entry of the sets
    folder but ``current`` and its version (and ``keep``), and stray temporary files of this
    report in ``year_dir`` and ``year_dir/failed`` (the caller holds the report's lock)."""
    sets = sets_dir(year_dir, name)
    if sets.is_dir():
        kept = {CURRENT, *(keep or ())}
        current = _current_version(sets)
        if current:
            kept.add(current)
        for entry in sets.iterdir():
            if entry.name in kept:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with suppress(FileNotFoundError):
                    entry.unlink()
    for folder in (year_dir, year_dir / "failed"):
        if folder.is_dir():
            for tmp in folder.glob(f".{name}.*.tmp"):
                with suppress(FileNotFoundError, IsADirectoryError):
                    tmp.unlink()


def _new_version(sets: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    version = sets / f"{stamp}-{secrets.token_hex(3)}"
    version.mkdir()
    return version


def _adopt_legacy(year_dir: Path, name: str, sets: Path, names: Iterable[str]) -> None:
    """Plain files of an older layout become the current version (same content, no gap).

    Also finishes an adoption a killed run left half done: once ``current`` exists, every
    plain file of the report was linked into its version, so each is replaced by a link to
    the same content (and a later set that lacks it can drop it)."""
    plain = [year_dir / n for n in names]
    plain = [p for p in plain if p.is_file() and not p.is_symlink()]
    if not plain:
        return
    if not os.path.lexists(sets / CURRENT):
        version = sets / f"00000000T000000-{secrets.token_hex(3)}"
        version.mkdir()
        for path in plain:
            try:
                os.link(path, version / path.name)
            except OSError:
                shutil.copy2(path, version / path.name)
        fsync_dir(version)
        _replace_link(sets / CURRENT, version.name, sets)
    current = sets / CURRENT
    for path in plain:
        if (current / path.name).is_file():
            _replace_link(path, _link_target(name, path.name), sets)


def _drop_stale_links(year_dir: Path, name: str) -> None:
    """Links of this report that the current set no longer fills (a format not requested)."""
    for path in year_dir.glob(f"{name}.*"):
        if path.is_symlink() and _is_ours(path, name) and not path.exists():
            with suppress(FileNotFoundError):
                path.unlink()


def _publish_plain(year_dir: Path, name: str, files: Mapping[str, bytes]) -> list[Path]:
    """No symbolic links here: rename file by file, the manifest last; drop old formats."""
    ordered = sorted(files, key=lambda n: n.endswith(".manifest.json"))
    write_all({year_dir / n: files[n] for n in ordered})
    for path in year_dir.glob(f"{name}.*"):
        if path.name not in files and path.is_file() and path.suffix in _suffixes(files):
            path.unlink()
    return [year_dir / n for n in files]


def _suffixes(files: Iterable[str]) -> set[str]:
    from cchc_lib.report.formats import FORMATS

    return {".ipynb", ".json", *(f".{f}" for f in FORMATS), *(Path(n).suffix for n in files)}


def publish(
    year_dir: Path,
    name: str,
    files: Mapping[str, bytes],
    *,
    stop: Callable[[], bool] | None = None,
) -> list[Path]:
    """Replace report ``name``'s set in ``year_dir`` by ``files`` (file name -> bytes).

    ``stop`` is asked just before the switch: when it says so, nothing is published and
    :class:`Interrupted` is raised. Returns the paths readers use (``year_dir/<file>``).
    """
    year_dir.mkdir(parents=True, exist_ok=True)
    sets = sets_dir(year_dir, name)
    sets.mkdir(exist_ok=True)
    clean_leftovers(year_dir, name)
    if not _symlinks_work(sets):
        shutil.rmtree(sets, ignore_errors=True)
        return _publish_plain(year_dir, name, files)
    _adopt_legacy(year_dir, name, sets, _known_names(name, files))
    version = _new_version(sets)
    write_all({version / n: data for n, data in files.items()})
    fsync_dir(version)
    for n in files:
        link = year_dir / n
        if not (link.is_symlink() and _is_ours(link, name)):
            _replace_link(link, _link_target(name, n), sets)
    if stop is not None and stop():
        raise Interrupted
    _replace_link(sets / CURRENT, version.name, sets)  # the switch: the new set is visible
    faults.point("outputs.switched")
    fsync_dir(sets)
    fsync_dir(year_dir)
    _drop_stale_links(year_dir, name)
    clean_leftovers(year_dir, name)
    return [year_dir / n for n in files]


def _symlinks_work(folder: Path) -> bool:
    probe = _tmp_name(folder, "probe")
    try:
        os.symlink(CURRENT, probe)
    except OSError as exc:
        if exc.errno in _NO_SYMLINKS:
            return False
        raise
    probe.unlink()
    return True


def _known_names(name: str, files: Iterable[str]) -> list[str]:
    from cchc_lib.report.formats import FORMATS

    names = {f"{name}.ipynb", f"{name}.manifest.json", *(f"{name}.{f}" for f in FORMATS)}
    return sorted(names | set(files))
