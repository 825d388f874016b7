"""From the raw text of exports to checked dossier records, with every problem listed.

Bad rows never stop the run: each problem (a date that does not parse, due or result before
receipt, a dossier number repeated with different data, an unknown status or channel, a
missing number or receipt date) is a :class:`~cchc_lib.errors.Problem` naming the file, row,
column and value, and the row is left out of every count. Rows of excluded statuses (not
accepted, withdrawn: :mod:`.codes`) are left out too. ``rows_excluded`` counts each left-out
row once, under its first reason in :data:`REASONS` order (statuses first).

Identical copies of a dossier (the same number and the same data, as when two exports
overlap) are counted once; the extra copies are ``ban_sao_trung_lap``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from cchc_lib.dossiers.codes import CHANNELS, Codes, load_codes
from cchc_lib.dossiers.columns import field_label
from cchc_lib.dossiers.dates import FIRST_YEAR, LAST_YEAR, date_format, fast_date, parse_date
from cchc_lib.dossiers.reader import RawExport, export_files, read_export
from cchc_lib.errors import DossierFormatError, Problem

__all__ = ["REASONS", "DossierSet", "build_records", "load_dossiers"]

REASONS: dict[str, str] = {
    "thieu_ma_ho_so": "thiếu mã hồ sơ",
    "thieu_ngay_tiep_nhan": "thiếu ngày tiếp nhận",
    "ngay_khong_doc_duoc": "ngày không đọc được",
    "han_truoc_ngay_tiep_nhan": "ngày hẹn trả trước ngày tiếp nhận",
    "ket_qua_truoc_ngay_tiep_nhan": "ngày có kết quả trước ngày tiếp nhận",
    "trang_thai_khong_ro": "trạng thái không rõ",
    "kenh_khong_ro": "hình thức nộp không rõ",
    "trung_ma_ho_so": "trùng mã hồ sơ, dữ liệu khác nhau",
    "ban_sao_trung_lap": "bản sao trùng lặp (cùng mã, cùng dữ liệu), chỉ tính một lần",
}
"""Reasons a row is left out (besides excluded statuses), in the order they are counted."""

_DATES = (("r", "ngay_tiep_nhan"), ("h", "ngay_hen_tra"), ("k", "ngay_co_ket_qua"))
_GROUPS = ("linh_vuc", "thu_tuc", "ma_thu_tuc", "don_vi")
_SIGNATURE = ("r", "h", "k", "kenh", "status", *_GROUPS)
_DATE_FIX = (
    "ghi ngày dạng dd/mm/yyyy (có thể kèm giờ), yyyy-mm-dd hoặc để ô kiểu ngày của Excel; "
    f"năm từ {FIRST_YEAR} đến {LAST_YEAR}"
)


@dataclass(frozen=True)
class DossierSet:
    """Checked dossier records, one row per dossier counted.

    ``frame`` columns: ``key`` (Mã hồ sơ), ``r``/``h``/``k`` (received, due, result: Date,
    ``h``/``k`` null when empty), ``kenh`` (one of :data:`codes.CHANNELS`), ``status`` (a
    status key, null when the export has no status column), ``linh_vuc``, ``thu_tuc``,
    ``ma_thu_tuc``, ``don_vi`` (text or null), ``_file`` (index in ``sources``), ``_row``.
    """

    frame: pl.DataFrame
    sources: tuple[str, ...]
    rows_read: int
    rows_excluded: tuple[tuple[str, int], ...]  # (reason or status key, rows), largest first
    codes: Codes = field(repr=False)

    def excluded_label(self, reason: str) -> str:
        """Vietnamese wording of a ``rows_excluded`` key."""
        if reason in REASONS:
            return REASONS[reason]
        return f"trạng thái “{self.codes.status_label(reason)}” (không tính)"

    @property
    def rows_counted(self) -> int:
        return self.frame.height


# --- typing the raw text ------------------------------------------------------------------


def _blank(col: str) -> pl.Expr:
    """A text column with empty cells as null (a CSV may quote them: ``""``)."""
    c = pl.col(col)
    return pl.when(c.str.len_bytes() > 0).then(c)


def _typed_lazy(raw: RawExport, index: int, formats: dict[str, str | None]) -> pl.LazyFrame:
    """One pass over the export: each date read in its column's usual form, the text kept
    only where that failed (to be read again in every accepted form), codes categorical."""
    parsed = raw.frame.with_columns(
        fast_date(_blank(col), formats[col]).alias(short) for short, col in _DATES
    )
    return parsed.select(
        pl.lit(index, dtype=pl.Int32).alias("_file"),
        "_row",
        _blank("ma_ho_so").alias("key"),
        *(pl.col(short) for short, _ in _DATES),
        *(
            pl.when(pl.col(short).is_null()).then(_blank(col)).alias(f"{short}_raw")
            for short, col in _DATES
        ),
        pl.col("kenh").cast(pl.Categorical).alias("kenh_raw"),
        pl.col("trang_thai").cast(pl.Categorical).alias("status_raw"),
        *_GROUPS,
    )


def _typed(raw: RawExport, index: int) -> pl.DataFrame:
    """The compact typed frame of one export: dates parsed (the raw text kept only where a
    date did not parse, for messages), codes and groups categorical."""
    try:
        sample = raw.sample()
        formats = {col: date_format(sample[col]) for _, col in _DATES}
        frame = _typed_lazy(raw, index, formats).collect()
    except pl.exceptions.PolarsError as exc:
        raise DossierFormatError(
            raw.source,
            f"không đọc được dữ liệu ({str(exc).splitlines()[0][:200]}). Cách sửa: xuất lại danh "
            "sách từ hệ thống dạng Excel hoặc CSV UTF-8",
        ) from None
    blank = frame.select(
        pl.all_horizontal(
            pl.col(c).is_null()
            for c in ("key", "r_raw", "h_raw", "k_raw", "kenh_raw", "status_raw", *_GROUPS)
        )
        & pl.all_horizontal(pl.col(d).is_null() for d, _ in _DATES)
    ).to_series()
    if blank.any():  # empty rows (a table's tail): not dossiers
        frame = frame.filter(~blank)
    if frame["key"].str.contains(r"^\s|\s$").any():
        frame = frame.with_columns(pl.col("key").str.strip_chars().replace("", None))
    for short, _ in _DATES:
        frame = _second_reading(frame, short)
    return frame


def _second_reading(frame: pl.DataFrame, short: str) -> pl.DataFrame:
    """The dates the column's usual form missed, read in every accepted form; the text
    stays (for the message) only where none reads it. Cells of spaces are blank."""
    raw = f"{short}_raw"
    missed = frame[raw].is_not_null()
    if not missed.any():
        return frame
    where = missed.arg_true()
    text = frame[raw].gather(where)
    again = pl.select(parse_date(pl.lit(text))).to_series()
    blank = text.str.contains(r"^\s*$")
    keep = pl.select(pl.when(again.is_null() & ~blank).then(text)).to_series()
    return frame.with_columns(
        frame[short].scatter(where, again).alias(short),
        frame[raw].scatter(where, keep).alias(raw),
    )


def _mapped(frame: pl.DataFrame, column: str, lookup, dtype) -> pl.Expr:
    values = frame[column].unique().drop_nulls().cast(pl.String).to_list()
    mapping = {v: lookup(v) for v in values}
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=dtype)


# --- checks -------------------------------------------------------------------------------


def _flags(frame: pl.DataFrame, codes: Codes, with_status: pl.Expr) -> pl.DataFrame:
    """Boolean columns, one per reason, and ``excluded_status``."""
    status = pl.col("status")
    bad_date = pl.any_horizontal(pl.col(f"{d}_raw").is_not_null() for d, _ in _DATES)
    return frame.with_columns(
        excluded_status=status.is_in(sorted(codes.exclude)).fill_null(False),
        thieu_ma_ho_so=pl.col("key").is_null(),
        thieu_ngay_tiep_nhan=pl.col("r").is_null() & pl.col("r_raw").is_null(),
        ngay_khong_doc_duoc=bad_date,
        han_truoc_ngay_tiep_nhan=(pl.col("h") < pl.col("r")).fill_null(False),
        ket_qua_truoc_ngay_tiep_nhan=(pl.col("k") < pl.col("r")).fill_null(False),
        trang_thai_khong_ro=with_status & status.is_null(),
        kenh_khong_ro=pl.col("kenh").is_null(),
    )


def _reason(columns: Sequence[str]) -> pl.Expr:
    """The first true reason of a row (statuses first), null when the row counts."""
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for name in reversed(columns):
        expr = pl.when(pl.col(name)).then(pl.lit(name)).otherwise(expr)
    return pl.when(pl.col("excluded_status")).then(pl.col("status")).otherwise(expr)


def _duplicates(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``reason`` set for repeated numbers among rows that count so far: identical copies
    after the first are ``ban_sao_trung_lap``, differing ones all ``trung_ma_ho_so``. Also
    the differing rows themselves (for the messages)."""
    # numbers hashed first (fast); only the rows whose hash repeats are looked at closely
    ok = frame["reason"].is_null() & frame["key"].is_not_null()
    hashes = frame["key"].hash()
    counted = hashes.filter(ok)
    twice = counted.filter(counted.is_duplicated()).unique()
    frame = frame.with_row_index("_i")
    candidates = frame.filter(ok & hashes.is_in(twice.implode()))
    repeated = candidates.filter(pl.col("key").is_duplicated())
    if repeated.is_empty():
        return frame.drop("_i"), repeated
    variants = repeated.group_by("key").agg(
        pl.struct(_SIGNATURE).n_unique().alias("n"), pl.col("_i").min().alias("first")
    )
    repeated = repeated.join(variants, on="key")
    differ = repeated.filter(pl.col("n") > 1)
    copies = repeated.filter((pl.col("n") == 1) & (pl.col("_i") != pl.col("first")))
    frame = frame.with_columns(
        reason=pl.when(pl.col("_i").is_in(differ["_i"].implode()))
        .then(pl.lit("trung_ma_ho_so"))
        .when(pl.col("_i").is_in(copies["_i"].implode()))
        .then(pl.lit("ban_sao_trung_lap"))
        .otherwise(pl.col("reason"))
    )
    return frame.drop("_i"), differ


# --- problems -----------------------------------------------------------------------------


@dataclass
class _Problems:
    sources: Sequence[str]
    names: Sequence[dict[str, str]]  # per file: field -> header text
    codes: Codes
    out: list[Problem] = field(default_factory=list)

    def add(self, rows: pl.DataFrame, fld: str, value: str | None, message, fix: str) -> None:
        """One problem per row of ``rows``; ``message`` a text or a function of the row."""
        for row in rows.iter_rows(named=True):
            f = row["_file"]
            self.out.append(
                Problem(
                    self.sources[f],
                    message(row) if callable(message) else message,
                    fix,
                    row=row["_row"],
                    column=self.names[f].get(fld, field_label(fld)),
                    value=row[value] if value else None,
                )
            )


def _fmt(d) -> str:
    return f"{d.day}/{d.month}/{d.year}" if d else ""


def _row_problems(frame: pl.DataFrame, p: _Problems) -> None:
    flagged = pl.any_horizontal(pl.col(list(REASONS)[:-2]))
    counted = frame.filter(~pl.col("excluded_status") & flagged)
    pick = counted.filter
    p.add(
        pick(pl.col("thieu_ma_ho_so")),
        "ma_ho_so",
        None,
        "thiếu mã hồ sơ; dòng không được tính",
        "ghi mã hồ sơ như trên hệ thống, hoặc xóa dòng nếu không phải một hồ sơ",
    )
    p.add(
        pick(pl.col("thieu_ngay_tiep_nhan")),
        "ngay_tiep_nhan",
        None,
        "thiếu ngày tiếp nhận; hồ sơ không được tính",
        "ghi ngày tiếp nhận như trên hệ thống",
    )
    for short, col in _DATES:
        p.add(
            pick(pl.col(f"{short}_raw").is_not_null()),
            col,
            f"{short}_raw",
            "ngày không đọc được; hồ sơ không được tính",
            _DATE_FIX,
        )
    p.add(
        pick(pl.col("han_truoc_ngay_tiep_nhan")),
        "ngay_hen_tra",
        None,
        lambda r: (
            f"ngày hẹn trả {_fmt(r['h'])} trước ngày tiếp nhận {_fmt(r['r'])}; "
            "hồ sơ không được tính"
        ),
        "kiểm tra lại hai ngày trên hệ thống và xuất lại danh sách",
    )
    p.add(
        pick(pl.col("ket_qua_truoc_ngay_tiep_nhan")),
        "ngay_co_ket_qua",
        None,
        lambda r: (
            f"ngày có kết quả {_fmt(r['k'])} trước ngày tiếp nhận {_fmt(r['r'])}; "
            "hồ sơ không được tính"
        ),
        "kiểm tra lại hai ngày trên hệ thống và xuất lại danh sách",
    )
    own = "hoặc khai báo mã này trong tệp <kế hoạch>.dossiers.yaml đặt cạnh kế hoạch"
    p.add(
        pick(pl.col("trang_thai_khong_ro")),
        "trang_thai",
        "status_raw",
        f"trạng thái không có trong danh mục ({p.codes.known_statuses()}); hồ sơ không được tính",
        f"dùng trạng thái của hệ thống, {own}",
    )
    p.add(
        pick(pl.col("kenh_khong_ro")),
        "kenh",
        "kenh_raw",
        f"hình thức nộp không rõ (chỉ nhận: {p.codes.known_channels()}); hồ sơ không được tính",
        f"ghi Trực tiếp, Trực tuyến hoặc Bưu chính công ích (hoặc mã 1, 2, 3), {own}",
    )


def _duplicate_problems(differ: pl.DataFrame, p: _Problems) -> None:
    if differ.is_empty():
        return
    where = differ.group_by("key").agg(pl.col("_file"), pl.col("_row"))
    places = {
        k: list(zip(fs, rs, strict=True))
        for k, fs, rs in where.select("key", "_file", "_row").iter_rows()
    }

    def message(row) -> str:
        others = [(f, r) for f, r in places[row["key"]] if (f, r) != (row["_file"], row["_row"])]
        shown = ", ".join(
            f"dòng {r}" if f == row["_file"] else f"{Path(p.sources[f]).name} dòng {r}"
            for f, r in others[:3]
        )
        more = f" và {len(others) - 3} dòng khác" if len(others) > 3 else ""
        return f"mã hồ sơ lặp lại ({shown}{more}) với dữ liệu khác; các dòng này không được tính"

    p.add(
        differ,
        "ma_ho_so",
        "key",
        message,
        "giữ một dòng cho mỗi hồ sơ (xuất một lần cho cả kỳ, hoặc các tệp không chồng thời gian)",
    )


# --- records ------------------------------------------------------------------------------


def _typed_all(raws: Sequence[RawExport], codes: Codes) -> tuple[pl.DataFrame, pl.Expr]:
    frames = [_typed(raw, i) for i, raw in enumerate(raws)]
    frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed")
    with_status = pl.col("_file").is_in(
        [i for i, raw in enumerate(raws) if "trang_thai" in raw.present]
    )
    frame = frame.with_columns(
        _mapped(frame, "status_raw", codes.status, pl.String).alias("status"),
        _mapped(frame, "kenh_raw", codes.channel, pl.Enum(CHANNELS)).alias("kenh"),
    )
    return frame, with_status


def build_records(raws: Sequence[RawExport], codes: Codes) -> tuple[DossierSet, list[Problem]]:
    """Check the rows of ``raws`` (pure but for reading a CSV lazily): the records that
    count, and every problem found."""
    sources = tuple(raw.source for raw in raws)
    p = _Problems(sources, [dict(raw.names) for raw in raws], codes)
    for raw in raws:
        if "trang_thai" not in raw.present:
            p.out.append(
                Problem(
                    raw.source,
                    "không có cột Trạng thái: không loại được hồ sơ không được tiếp nhận hoặc "
                    "đã rút, mọi dòng đều được tính",
                    "xuất lại danh sách có cột Trạng thái",
                    severity="warning",
                )
            )
    frame, with_status = _typed_all(raws, codes)
    frame = _flags(frame, codes, with_status)
    frame = frame.with_columns(reason=_reason(list(REASONS)[:-2]))
    frame, differ = _duplicates(frame)
    _row_problems(frame, p)
    _duplicate_problems(differ, p)
    excluded = frame["reason"].drop_nulls().value_counts(sort=True)
    counts = tuple(
        sorted(
            ((str(k), int(n)) for k, n in excluded.iter_rows()),
            key=lambda kn: (-kn[1], kn[0]),
        )
    )
    keep = frame.filter(pl.col("reason").is_null()).select(
        "key", "r", "h", "k", "kenh", "status", *_GROUPS, "_file", "_row"
    )
    p.out.sort(key=lambda q: (sources.index(q.file), q.row or 0))
    return DossierSet(keep, sources, frame.height, counts, codes), p.out


def load_dossiers(
    paths_or_folder: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    plan_path: str | os.PathLike[str] | None = None,
    codes: Codes | None = None,
) -> tuple[DossierSet, list[Problem]]:
    """Read the exports (a folder, a file or a list of files) into checked records.

    Status and channel codes are the defaults plus the office's ``<plan>.dossiers.yaml``
    (``plan_path``); ``codes`` overrides both. Bad rows are problems, never errors; a file
    that cannot be read at all raises :class:`~cchc_lib.errors.DossierFormatError`.
    """
    if codes is None:
        codes = load_codes(plan_path)
    files = export_files(paths_or_folder)  # type: ignore[arg-type]
    raws = [read_export(f) for f in files]
    return build_records(raws, codes)
