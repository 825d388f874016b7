"""The official dossier statistics of a period (Thông tư 01/2020/TT-VPCP, Biểu số 06).

For a window [D1, D2] (days, both ends included; R received, H due, K result):

- từ kỳ trước TK = #{R < D1 and (K empty or K ≥ D1)};
- mới tiếp nhận TN = #{D1 ≤ R ≤ D2}, split by channel; tổng nhận N = TK + TN;
- đã giải quyết G = #{R ≤ D2 and D1 ≤ K ≤ D2}: trước hạn K < H, đúng hạn K = H or H empty,
  quá hạn K > H;
- đang giải quyết P = #{R ≤ D2 and (K empty or K > D2)}: trong hạn H empty or H ≥ D2,
  quá hạn H < D2;
- N = G + P, and TK of a period is P of the period just before it;
- tỷ lệ đúng hạn = (trước hạn + đúng hạn) / G, tỷ lệ trực tuyến = trực tuyến / TN, in percent.

>>> from datetime import date
>>> import polars as pl
>>> from cchc_lib.dossiers.codes import default_codes
>>> f = pl.DataFrame({"r": [date(2022, 1, 3), date(2021, 12, 1)], "h": [date(2022, 1, 10), None],
...                   "k": [date(2022, 1, 12), None], "kenh": ["truc_tuyen", "truc_tiep"]})
>>> c = count(f.lazy(), date(2021, 12, 15), date(2022, 1, 14))
>>> c.tu_ky_truoc, c.moi_tiep_nhan, c.qua_han, c.dang_giai_quyet, c.trong_han, c.ty_le_dung_han
(1, 1, 1, 1, 1, 0.0)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

import polars as pl

from cchc_lib.periods import Period, parse_period

__all__ = [
    "BY",
    "COUNT_FIELDS",
    "Counts",
    "DossierStats",
    "INDICATOR_MAP",
    "count",
    "dossier_statistics",
    "indicator_values",
]

BY = {"linh_vuc": "Lĩnh vực", "thu_tuc": "Thủ tục hành chính", "don_vi": "Đơn vị"}
"""Ways to group the statistics, and the heading of the group column."""

UNKNOWN_GROUP = "Chưa xác định"
"""The group of dossiers whose export leaves the grouping column empty."""


@dataclass(frozen=True)
class Counts:
    """The counts of Biểu 06 for one window (all or one group of the dossiers)."""

    tu_ky_truoc: int = 0
    moi_tiep_nhan: int = 0
    truc_tuyen: int = 0
    truc_tiep: int = 0
    buu_chinh: int = 0
    tong_nhan: int = 0
    da_giai_quyet: int = 0
    truoc_han: int = 0
    dung_han: int = 0
    qua_han: int = 0
    dang_giai_quyet: int = 0
    trong_han: int = 0
    dang_qua_han: int = 0

    @property
    def ty_le_dung_han(self) -> float | None:
        """(trước hạn + đúng hạn) / đã giải quyết, in percent; None when nothing resolved."""
        if not self.da_giai_quyet:
            return None
        return round(100 * (self.truoc_han + self.dung_han) / self.da_giai_quyet, 2)

    @property
    def ty_le_truc_tuyen(self) -> float | None:
        """trực tuyến / mới tiếp nhận, in percent; None when nothing received."""
        if not self.moi_tiep_nhan:
            return None
        return round(100 * self.truc_tuyen / self.moi_tiep_nhan, 2)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        out["ty_le_dung_han"] = self.ty_le_dung_han
        out["ty_le_truc_tuyen"] = self.ty_le_truc_tuyen
        return out


COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def _exprs(d1: date, d2: date) -> list[pl.Expr]:
    r, h, k = pl.col("r"), pl.col("h"), pl.col("k")
    open_ = k.is_null()
    tk = (r < d1) & (open_ | (k >= d1))
    tn = (r >= d1) & (r <= d2)
    g = (r <= d2) & (k >= d1) & (k <= d2)
    p = (r <= d2) & (open_ | (k > d2))
    kenh = pl.col("kenh")
    flags = {
        "tu_ky_truoc": tk,
        "moi_tiep_nhan": tn,
        "truc_tuyen": tn & (kenh == "truc_tuyen"),
        "truc_tiep": tn & (kenh == "truc_tiep"),
        "buu_chinh": tn & (kenh == "buu_chinh"),
        "da_giai_quyet": g,
        "truoc_han": g & h.is_not_null() & (k < h),
        "dung_han": g & (h.is_null() | (k == h)),
        "qua_han": g & h.is_not_null() & (k > h),
        "dang_giai_quyet": p,
        "trong_han": p & (h.is_null() | (h >= d2)),
        "dang_qua_han": p & h.is_not_null() & (h < d2),
    }
    return [e.fill_null(False).sum().cast(pl.Int64).alias(name) for name, e in flags.items()]


def _counts(row: dict[str, Any]) -> Counts:
    values = {k: int(row.get(k) or 0) for k in COUNT_FIELDS if k != "tong_nhan"}
    return Counts(tong_nhan=values["tu_ky_truoc"] + values["moi_tiep_nhan"], **values)


def count(frame: pl.LazyFrame, d1: date, d2: date) -> Counts:
    """The counts of the dossiers of ``frame`` (columns r, h, k, kenh) for [d1, d2]."""
    row = frame.select(_exprs(d1, d2)).collect().row(0, named=True)
    return _counts(row)


def _label(text: pl.Expr) -> pl.Expr:
    """A group's label: the text stripped, :data:`UNKNOWN_GROUP` when empty."""
    t = text.cast(pl.String).str.strip_chars()
    return pl.when(t.str.len_bytes() > 0).then(t).otherwise(pl.lit(UNKNOWN_GROUP))


def count_by(frame: pl.LazyFrame, d1: date, d2: date, key: str) -> list[tuple[str, Counts]]:
    """The counts per value of ``key`` (sorted by the key; empty values last), leaving out
    groups with nothing to show in the window."""
    grouped = (
        frame.with_columns(_label(pl.col(key)).alias("_g"))
        .group_by("_g")
        .agg(_exprs(d1, d2))
        .collect()
    )
    out = []
    for row in grouped.iter_rows(named=True):
        c = _counts(row)
        if c.tong_nhan:
            out.append((str(row["_g"]), c))
    return sorted(out, key=lambda gc: (gc[0] == UNKNOWN_GROUP, gc[0].casefold(), gc[0]))


@dataclass(frozen=True)
class DossierStats:
    """The statistics of one period from dossier records: totals, groups, what was left out."""

    period: Period
    totals: Counts
    groups: tuple[tuple[str, Counts], ...]
    by: str | None
    rows_read: int
    rows_counted: int
    rows_excluded: tuple[tuple[str, int], ...]
    excluded_labels: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]

    @property
    def window(self) -> tuple[date, date]:
        return self.period.start, self.period.end

    def to_json(self) -> dict[str, Any]:
        """The JSON contract (README, "cchc dossiers"); rates in percent."""
        return {
            "period": self.period.code,
            "rule": self.period.rule,
            "window": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "rows_excluded": dict(self.rows_excluded),
            "rows_excluded_labels": dict(self.excluded_labels),
            "sources": list(self.sources),
            "totals": self.totals.to_json(),
            "by": self.by,
            "groups": [{"key": key, **c.to_json()} for key, c in self.groups],
        }


def dossier_statistics(
    records, period: Period | str, *, by: str | None = None, rule: str = "official"
) -> DossierStats:
    """The statistics of ``period`` (a :class:`Period` or a code such as "2022-H1", read
    with ``rule``) from a :class:`~cchc_lib.dossiers.records.DossierSet`, grouped ``by``
    one of :data:`BY` when given."""
    if isinstance(period, str):
        period = parse_period(period, rule)
    if by is not None and by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    frame = records.frame.lazy()
    if by == "thu_tuc":
        name = pl.col("thu_tuc").str.strip_chars()
        frame = frame.with_columns(
            pl.when(name.str.len_bytes() > 0)
            .then(name)
            .otherwise(pl.col("ma_thu_tuc"))
            .alias("thu_tuc")
        )
    totals = count(frame, period.start, period.end)
    groups = tuple(count_by(frame, period.start, period.end, by)) if by else ()
    return DossierStats(
        period,
        totals,
        groups,
        by,
        records.rows_read,
        records.rows_counted,
        records.rows_excluded,
        tuple((k, records.excluded_label(k)) for k, _ in records.rows_excluded),
        records.sources,
    )


INDICATOR_MAP: dict[str, tuple[str, str]] = {
    "hs_tiep_nhan": ("moi_tiep_nhan", "mới tiếp nhận trong kỳ (TN), không gồm từ kỳ trước"),
    "hs_truc_tuyen": ("truc_tuyen", "mới tiếp nhận trực tuyến"),
    "hs_bcci": ("buu_chinh", "mới tiếp nhận qua dịch vụ bưu chính công ích"),
    "hs_truoc_han": ("truoc_han", "đã giải quyết trước hạn"),
    "hs_dung_han": ("dung_han", "đã giải quyết đúng hạn (gồm hồ sơ không có hạn)"),
    "hs_tre_han": ("qua_han", "đã giải quyết quá hạn"),
    "hs_dang_giai_quyet": ("trong_han", "đang giải quyết trong hạn, tại ngày cuối kỳ"),
    "hs_qua_han_chua_giai_quyet": ("dang_qua_han", "đang giải quyết quá hạn, tại ngày cuối kỳ"),
}
"""Catalog indicator code -> (count of :class:`Counts`, what it means). Flow codes summed
over a period's months equal the period's count; the two stock codes are the period end's.
Not in the catalog: từ kỳ trước, trực tiếp, tổng nhận, đã giải quyết and đang giải quyết
(tổng số) — all derived: đang giải quyết = hs_dang_giai_quyet + hs_qua_han_chua_giai_quyet."""


def indicator_values(stats: DossierStats | Counts) -> dict[str, int]:
    """The catalog's dossier indicators of a period, from its statistics.

    >>> indicator_values(Counts(moi_tiep_nhan=5, truc_tuyen=3, trong_han=2))["hs_tiep_nhan"]
    5
    """
    counts = stats.totals if isinstance(stats, DossierStats) else stats
    return {code: getattr(counts, name) for code, (name, _) in INDICATOR_MAP.items()}
