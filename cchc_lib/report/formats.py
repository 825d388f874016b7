"""The export formats of a report (the executed ``.ipynb`` is always kept beside them)."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
"""Formats ``cchc run`` writes, in this canonical order."""
