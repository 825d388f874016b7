"""Dossier records exported from the one-stop system → the official dossier statistics.

Offices export the dossier list of the provincial system for handling administrative
procedures (one row per dossier, Excel or CSV). :func:`load_dossiers` reads the exports
(:mod:`.reader`: header found by its text, only the used columns read, personal columns never)
and checks every row (:mod:`.records`: problems per row, ``rows_excluded``);
:func:`dossier_statistics` counts a period by the rules of Thông tư 01/2020/TT-VPCP
(:mod:`.stats`); :func:`indicator_values` maps them onto the catalog's ``hs_*`` codes;
:func:`form06_table` / :func:`write_form06` give Biểu số 06/VPCP/KSTT (:mod:`.form06`);
:mod:`.sample` writes a synthetic export consistent with a year of monthly workbooks.

Typical use::

    records, problems = load_dossiers("data/2022/ho-so", plan_path="data/plan/ke-hoach.txt")
    stats = dossier_statistics(records, "2022-H1", by="linh_vuc")
    stats.to_json()["totals"]["ty_le_dung_han"]
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "INDICATOR_MAP",
    "Counts",
    "DossierSet",
    "DossierStats",
    "Form06Table",
    "dossier_statistics",
    "find_exports",
    "form06_table",
    "indicator_values",
    "load_dossiers",
    "write_form06",
]

_WHERE = {
    "INDICATOR_MAP": "stats",
    "Counts": "stats",
    "DossierStats": "stats",
    "dossier_statistics": "stats",
    "indicator_values": "stats",
    "DossierSet": "records",
    "load_dossiers": "records",
    "find_exports": "reader",
    "Form06Table": "form06",
    "form06_table": "form06",
    "write_form06": "form06",
}


def __getattr__(name: str) -> Any:
    """The package's functions, imported on first use (Polars loads only then)."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'cchc_lib.dossiers' has no attribute {name!r}")
