"""The official CCHC report: one object, one call per section.

:func:`build_report` (in :mod:`.builder`) loads a period (:mod:`.context`) and returns a
:class:`Report` whose methods each build one section (:mod:`.sections`); :mod:`.render`
turns the executed notebook into HTML and PDF.

>>> doc = build_report(report="2022-Q1", plan="data/plan/000_04455437811e3eec.txt",
...                    data="data/2022")  # doctest: +SKIP
>>> doc.header()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["Fragment", "Report", "ReportParameters", "build_report"]


def __getattr__(name: str) -> Any:
    """The public names, imported on first use (``cchc_lib.report.formats`` stays light)."""
    if name in __all__:
        from cchc_lib.report import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'cchc_lib.report' has no attribute {name!r}")
