"""The report object: the loaded context and one method per section (the notebook calls them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from cchc_lib.report import sections
from cchc_lib.report.context import ReportContext, load_context
from cchc_lib.report.doc import Fragment, Paragraph, Run
from cchc_lib.report.notebook import Checks
from cchc_lib.report.parameters import ReportParameters
from cchc_lib.report.sections import ORDER
from cchc_lib.report.words import report_config

__all__ = ["Fragment", "Report", "ReportParameters", "build_report"]


BODY = ORDER[: ORDER.index("signature") + 1]


def expand_abbreviations(fragments: list[Fragment]) -> list[Fragment]:
    """Spell each abbreviation out at its first use in the body's paragraphs ("hồ sơ TTHC" ->
    "hồ sơ thủ tục hành chính (TTHC)"); where the text already does so, leave it."""
    pending = dict(report_config().get("abbreviations", {}))
    out = []
    for frag in fragments:
        blocks = []
        for block in frag.blocks:
            if isinstance(block, Paragraph) and pending:
                block = replace(block, runs=tuple(_expand_run(r, pending) for r in block.runs))
            blocks.append(block)
        out.append(Fragment(tuple(blocks)))
    return out


def _expand_run(run: Run, pending: dict[str, str]) -> Run:
    """The first use of each pending abbreviation, or of its full form, whichever comes
    first: "TTHC" becomes "thủ tục hành chính (TTHC)"; a first "dịch vụ công trực tuyến"
    becomes "dịch vụ công trực tuyến (DVCTT)"."""
    text = run.text
    for abbr, full in list(pending.items()):
        short = re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", text)
        spelled = re.search(rf"(?<!\w){re.escape(full)}(?!\w)", text, re.IGNORECASE)
        if short is None and spelled is None:
            continue
        del pending[abbr]
        if spelled is not None and (short is None or spelled.start() < short.start()):
            if not text[spelled.end() :].startswith(f" ({abbr})"):
                text = text[: spelled.end()] + f" ({abbr})" + text[spelled.end() :]
            continue
        assert short is not None
        if text[: short.start()].endswith("("):
            continue  # already spelled out: "cải cách hành chính (CCHC)"
        text = text[: short.start()] + f"{full} ({abbr})" + text[short.end() :]
    return replace(run, text=text) if text != run.text else run


@dataclass(frozen=True)
class Report:
    """A loaded report; each method returns one section as a :class:`Fragment` (shown as
    HTML in the notebook, kept as blocks for the Word file). The sections are built once,
    together, so that the body spells abbreviations out at their first use."""

    ctx: ReportContext

    @cached_property
    def _fragments(self) -> dict[str, Fragment]:
        body = expand_abbreviations([getattr(sections, n)(self.ctx) for n in BODY])
        rest = {n: getattr(sections, n)(self.ctx) for n in ORDER if n not in BODY}
        return dict(zip(BODY, body, strict=True)) | rest

    def header(self) -> Fragment:
        return self._fragments["header"]

    def direction(self) -> Fragment:
        return self._fragments["direction"]

    def results(self) -> Fragment:
        return self._fragments["results"]

    def assessment(self) -> Fragment:
        return self._fragments["assessment"]

    def next_period(self) -> Fragment:
        return self._fragments["next_period"]

    def proposals(self) -> Fragment:
        return self._fragments["proposals"]

    def signature(self) -> Fragment:
        return self._fragments["signature"]

    def appendix_tasks(self) -> Fragment:
        return self._fragments["appendix_tasks"]

    def appendix_statistics(self) -> Fragment:
        return self._fragments["appendix_statistics"]

    def appendix_dossiers(self) -> Fragment:
        return self._fragments["appendix_dossiers"]

    def checks(self) -> Checks:
        """What the analyst should check before signing: the workbooks' warnings (data that
        contradicts itself, values to confirm) and why a comparison is missing. Shown in
        JupyterLab and in ``cchc run``'s summary, never in the report."""
        return Checks(self.ctx.checks)

    def all_sections(self) -> Fragment:
        """The whole document in order (what the notebook shows cell by cell)."""
        out = Fragment()
        for name in ORDER:
            out = out + self._fragments[name]
        return out


def build_report(**values: Any) -> Report:
    """Load the plan and the data for one report (the notebook's parameters as keywords).

    Keys the report does not know (``output_dir``) are ignored.
    """
    return Report(load_context(ReportParameters.from_values(values)))
