"""Find input files whether a notebook runs from the project root or from notebooks/."""

from __future__ import annotations

from pathlib import Path

_MARKERS = ("pyproject.toml", "parameters")


def project_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: cwd) that holds pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).exists() for m in _MARKERS):
            return folder
    return None


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
