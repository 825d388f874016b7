"""Write files atomically: a temporary name in the same folder, fsync, then rename.

Readers see the old file or the new one, never half of one; a failure leaves the old
file untouched and no temporary file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

from cchc_lib import faults


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_parent(path: Path) -> None:
    """Create ``path``'s folder; a file standing where a folder should be is ENOTDIR."""
    for folder in reversed(path.parents):
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    path.parent.mkdir(parents=True, exist_ok=True)


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, fsync it, and return its name.

    The file gets the permissions a plain ``open(path, "wb")`` would (0666 less the umask),
    not mkstemp's private 0600.
    """
    _make_parent(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            faults.point("atomic.stage")  # a full disk, an interruption while writing
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError as exc:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        if exc.filename is None:  # a failed write names no file: name the one being written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def fsync_dir(folder: Path) -> None:
    """Make a folder's new entries durable (renames, created files)."""
    with suppress(OSError):  # not every platform can fsync a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_all(files: Mapping[Path, bytes]) -> None:
    """Stage every file, then rename them all into place (nothing replaced if staging fails)."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = stage(path, data)
        for path, tmp in staged.items():
            faults.point("atomic.rename")
            os.replace(tmp, path)
    finally:
        for tmp in staged.values():
            with suppress(FileNotFoundError):
                os.unlink(tmp)
    for folder in {p.parent for p in files}:
        fsync_dir(folder)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write one file atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = atomic_write_bytes(p, b"x"); p.read_bytes()
    b'x'
    """
    p = Path(path)
    write_all({p: data})
    return p
