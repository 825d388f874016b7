"""The report notebook's parameters as one typed value (what ``parameters/*.yaml`` holds)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["ReportParameters"]


@dataclass(frozen=True)
class ReportParameters:
    """The parameters of one report. Empty strings mean "derive it" (from the plan, the
    period or the data folder); see the README, "Parameters"."""

    report: str
    plan: str
    data: str
    window_rule: str = "official"
    report_number: str = ""
    report_date: str = ""
    signer_title: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    agency: str = ""
    parent_agency: str = ""
    draft: bool = True  # "DỰ THẢO" marks and highlighted generated passages
    docx_base: str = ""  # a restyled base .docx (empty: the one shipped in the package)
    dossiers: str = ""  # folder of one-stop system exports (empty: <data>/ho-so if present)
    previous_year_data: str = ""  # last year's monthly data (empty: data/<year - 1> if present)
    formats: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ReportParameters:
        """The known keys of ``values`` (a notebook's variables), cleaned; others ignored."""
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                continue
            if key in ("recipients", "formats"):
                clean[key] = tuple(str(v) for v in (value or ()))
            elif key == "draft":
                clean[key] = bool(value)
            else:
                clean[key] = "" if value is None else str(value)
        return cls(**clean)
