"""cchc: administrative-reform (CCHC) plans and monthly data into official reports.

The pipeline: :mod:`cchc_lib.plan` (the plan) → :mod:`cchc_lib.monthly` (monthly
workbooks) → :mod:`cchc_lib.periods` → :mod:`cchc_lib.indicators` →
:mod:`cchc_lib.report` (sections) → :mod:`cchc_lib.report.render` (HTML, PDF) →
:mod:`cchc_lib.run.runner` (``cchc run``).
"""

from cchc_lib import _speedups

_speedups.apply()

__version__ = "0.1.0"

__all__ = ["__version__", "build_report", "compute", "load_months", "load_plan", "parse_period"]


def __getattr__(name: str):
    """The public API, imported on first use (keeps ``import cchc_lib`` fast)."""
    if name == "load_plan":
        from cchc_lib.plan import load_plan

        return load_plan
    if name == "load_months":
        from cchc_lib.monthly import load_months

        return load_months
    if name == "parse_period":
        from cchc_lib.periods import parse_period

        return parse_period
    if name == "compute":
        from cchc_lib.indicators import compute

        return compute
    if name == "build_report":
        from cchc_lib.report import build_report

        return build_report
    raise AttributeError(f"module 'cchc_lib' has no attribute {name!r}")
