"""The report object: the loaded context and one method per section (the notebook calls them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cchc_lib.report import sections
from cchc_lib.report.context import ReportContext, ReportParameters, load_context
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


def build_report(
    *,
    report: str,
    plan: str,
    data: str,
    window_rule: str = "official",
    report_number: str = "",
    report_date: str = "",
    signer_title: str = "",
    signer_position: str = "",
    signer_name: str = "",
    recipients: Sequence[str] = (),
    agency: str = "",
    parent_agency: str = "",
    **_ignored: object,
) -> Report:
    """Load the plan and the data for one report (the notebook's parameters as keywords)."""
    params = ReportParameters(
        report=report,
        plan=plan,
        data=data,
        window_rule=window_rule,
        report_number=str(report_number or ""),
        report_date=str(report_date or ""),
        signer_title=signer_title or "",
        signer_position=signer_position or "",
        signer_name=signer_name or "",
        recipients=tuple(recipients or ()),
        agency=agency or "",
        parent_agency=parent_agency or "",
    )
    return Report(load_context(params))
