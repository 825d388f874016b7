"""Indicator values over a period's months and the derived rates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cchc_lib.catalog import Catalog, load_catalog
from cchc_lib.model import MonthData

RATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "ty_le_dung_han": (
        "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
        ("hs_truoc_han", "hs_dung_han"),
        ("hs_truoc_han", "hs_dung_han", "hs_tre_han"),
    ),
    "ty_le_truc_tuyen": (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        ("hs_truc_tuyen",),
        ("hs_tiep_nhan",),
    ),
    "ty_le_ky_so": ("Tỷ lệ văn bản đi có chữ ký số", ("vb_di_ky_so",), ("vb_di",)),
}
"""Derived rates (%): code -> (Vietnamese name, numerator codes, denominator codes)."""


def period_values(
    months: Sequence[MonthData], labels: Sequence[str], catalog: Catalog | None = None
) -> dict[str, float | None]:
    """Catalog indicators over the given month labels (flow: sum, stock: last value,
    opening: the first month's value).

    Months not present in ``months`` are skipped; a code none of them reports is None.
    """
    wanted = set(labels)
    chosen = sorted((m for m in months if m.month in wanted), key=lambda m: m.month)
    tables = [dict(m.indicators) for m in chosen]
    out: dict[str, float | None] = {}
    for ind in (catalog or load_catalog()).indicators:
        vals = [v for v in (t.get(ind.code) for t in tables) if v is not None]
        if not vals:
            out[ind.code] = None
        elif ind.kind == "flow":
            out[ind.code] = float(sum(vals))
        elif ind.kind == "opening":
            first = tables[0].get(ind.code) if tables and chosen[0].month == min(wanted) else None
            out[ind.code] = float(first) if first is not None else None
        else:
            out[ind.code] = float(vals[-1])
    return out


def _rate(
    values: Mapping[str, float | None], num: Sequence[str], den: Sequence[str]
) -> float | None:
    if any(values.get(c) is None for c in (*num, *den)):
        return None
    d = sum(values[c] or 0 for c in den)
    if d == 0:
        return None
    return 100.0 * sum(values[c] or 0 for c in num) / d


def _rates(values: Mapping[str, float | None]) -> tuple[tuple[str, float | None], ...]:
    return tuple((code, _rate(values, num, den)) for code, (_, num, den) in RATES.items())
