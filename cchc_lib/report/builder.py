"""The report object: the loaded context and one method per section (the notebook calls them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc_lib.report import sections
from cchc_lib.report.context import ReportContext, load_context
from cchc_lib.report.parameters import ReportParameters
from cchc_lib.report.sections import Html

__all__ = ["Html", "Report", "ReportParameters", "build_report"]


@dataclass(frozen=True)
class Report:
    """A loaded report; each method returns one section as HTML."""

    ctx: ReportContext

    def header(self) -> Html:
        return sections.header(self.ctx)

    def direction(self) -> Html:
        return sections.direction(self.ctx)

    def results(self) -> Html:
        return sections.results(self.ctx)

    def assessment(self) -> Html:
        return sections.assessment(self.ctx)

    def next_period(self) -> Html:
        return sections.next_period(self.ctx)

    def proposals(self) -> Html:
        return sections.proposals(self.ctx)

    def signature(self) -> Html:
        return sections.signature(self.ctx)

    def appendix_tasks(self) -> Html:
        return sections.appendix_tasks(self.ctx)

    def appendix_statistics(self) -> Html:
        return sections.appendix_statistics(self.ctx)

    def all_sections(self) -> Html:
        """The whole document in order (what the notebook shows cell by cell)."""
        return Html(
            "\n".join(
                getattr(self, name)()
                for name in (
                    "header",
                    "direction",
                    "results",
                    "assessment",
                    "next_period",
                    "proposals",
                    "signature",
                    "appendix_tasks",
                    "appendix_statistics",
                )  # fmt: skip
            )
        )


def build_report(**values: Any) -> Report:
    """Load the plan and the data for one report (the notebook's parameters as keywords).

    Keys the report does not know (``output_dir``) are ignored.
    """
    return Report(load_context(ReportParameters.from_values(values)))
