"""The project root, and input paths whether a notebook runs from the root or from notebooks/."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["find_project_root", "project_root", "resolve"]


def project_root(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: cwd) holding ``pyproject.toml`` or a
    ``parameters/`` folder; None when there is none."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() or (folder / "parameters").is_dir():
            return folder
    return None


def find_project_root(path: str | os.PathLike[str]) -> Path:
    """:func:`project_root` of ``path``; failing that the parent of a ``parameters`` folder,
    then the current folder."""
    root = project_root(path)
    if root is not None:
        return root
    start = Path(path).resolve()
    if start.name == "parameters":
        return start.parent
    return Path.cwd().resolve()


def resolve(path: str | Path) -> Path:
    """``path`` as given when it exists (or is absolute), else relative to the project root.

    Parameters name files relative to the project root; a notebook opened in JupyterLab
    runs in ``notebooks/``, so the same parameters work there too.
    """
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p
    root = project_root()
    if root is not None and (root / p).exists():
        return root / p
    return p
