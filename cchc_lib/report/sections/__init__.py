"""The report's sections, each a :class:`~cchc_lib.report.doc.Fragment` built from a context.

In document order: :func:`header` (header block, title, opening), :func:`direction` (I),
:func:`results` (II), :func:`assessment` (III), :func:`next_period` (IV), :func:`proposals` (V),
:func:`signature`, :func:`appendix_tasks` (Phụ lục I), :func:`appendix_statistics` (Phụ lục II), :func:`appendix_dossiers` (Phụ lục III, Biểu 06 from the
one-stop system's exports).
"""

from __future__ import annotations

from cchc_lib.report.sections.appendices import (
    appendix_dossiers,
    appendix_statistics,
    appendix_tasks,
)
from cchc_lib.report.sections.assessment import assessment
from cchc_lib.report.sections.direction import direction
from cchc_lib.report.sections.front import header, signature
from cchc_lib.report.sections.outlook import next_period, proposals
from cchc_lib.report.sections.results import results

ORDER = (
    "header",
    "direction",
    "results",
    "assessment",
    "next_period",
    "proposals",
    "signature",
    "appendix_tasks",
    "appendix_statistics",
    "appendix_dossiers",
)
"""The sections in document order (the notebook has one cell for each)."""

__all__ = [
    "ORDER",
    "appendix_dossiers",
    "appendix_statistics",
    "appendix_tasks",
    "assessment",
    "direction",
    "header",
    "next_period",
    "proposals",
    "results",
    "signature",
]
