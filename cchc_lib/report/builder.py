"""The report object: the loaded context and one method per section (the notebook calls them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc_lib.report import sections
from cchc_lib.report.context import ReportContext, load_context
from cchc_lib.report.doc import Fragment
from cchc_lib.report.parameters import ReportParameters

__all__ = ["Fragment", "Report", "ReportParameters", "build_report"]


@dataclass(frozen=True)
class Report:
    """A loaded report; each method returns one section as a :class:`Fragment` (shown as
    HTML in the notebook, kept as blocks for the Word file)."""

    ctx: ReportContext

    def header(self) -> Fragment:
        return sections.header(self.ctx)

    def direction(self) -> Fragment:
        return sections.direction(self.ctx)

    def results(self) -> Fragment:
        return sections.results(self.ctx)

    def assessment(self) -> Fragment:
        return sections.assessment(self.ctx)

    def next_period(self) -> Fragment:
        return sections.next_period(self.ctx)

    def proposals(self) -> Fragment:
        return sections.proposals(self.ctx)

    def signature(self) -> Fragment:
        return sections.signature(self.ctx)

    def appendix_tasks(self) -> Fragment:
        return sections.appendix_tasks(self.ctx)

    def appendix_statistics(self) -> Fragment:
        return sections.appendix_statistics(self.ctx)

    def all_sections(self) -> Fragment:
        """The whole document in order (what the notebook shows cell by cell)."""
        out = Fragment()
        for name in sections.ORDER:
            out = out + getattr(self, name)()
        return out


def build_report(**values: Any) -> Report:
    """Load the plan and the data for one report (the notebook's parameters as keywords).

    Keys the report does not know (``output_dir``) are ignored.
    """
    return Report(load_context(ReportParameters.from_values(values)))
