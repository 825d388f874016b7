"""Dates of dossier exports, read as days (the time of day is dropped).

Accepted: ``dd/mm/yyyy`` (also ``-`` or ``.``, one-digit day or month) with or without a time
(``08:30``, ``08:30:15``, ``8:30 SA``), a time before the date (``08:30 05/03/2022``), ISO
(``2022-03-05``, ``2022-03-05T08:30:00+07:00``, Excel date cells as read), the vendors'
``yyyyMMddHHmmss`` (and ``yyyyMMdd``), and Excel serial numbers (``44625``: 5/3/2022).
A text none of these read, or a year outside 1990–2100 (a system's ``31/12/9999`` for "no
deadline"), is not a date: the row is reported and left out.

>>> import polars as pl
>>> s = pl.Series(["05/03/2022 08:30", "2022-03-05T08:30:00", "20220305083000", "5.3.2022",
...                "44625", "31/02/2022", "31/12/9999", "hôm qua", None])
>>> [d and d.isoformat() for d in pl.select(parse_date(pl.lit(s))).to_series().to_list()]
['2022-03-05', '2022-03-05', '2022-03-05', '2022-03-05', '2022-03-05', None, None, None, None]
"""

from __future__ import annotations

from datetime import date

import polars as pl

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "date_format",
    "fast_date",
    "finish_dates",
    "parse_date",
    "parse_dates",
]

FIRST_YEAR, LAST_YEAR = 1990, 2100

_TIME = r"(?:[ T,]+\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm]|SA|CH|sa|ch)?)?"
_ZONE = r"(?:Z|[+\-]\d{2}:?\d{2})?"
_PATTERNS: tuple[tuple[str, str], ...] = (
    (rf"^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}){_TIME}$", "${3}-${2}-${1}"),
    (r"^\d{1,2}[:h]\d{2}(?::\d{2})?\s+(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", "${3}-${2}-${1}"),
    (rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}{_ZONE}$", "${1}-${2}-${3}"),
    (r"^(\d{4})(\d{2})(\d{2})(?:\d{4}|\d{6})?$", "${1}-${2}-${3}"),
)
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_EPOCH = date(1899, 12, 30)


_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y%m%d%H%M%S",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
)
"""Exact forms tried first on a whole column (fast); what they miss goes through the patterns."""
_SAMPLE = 2000


_LOW, _HIGH = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def _in_range(value: pl.Expr) -> pl.Expr:
    return pl.when(value.is_between(_LOW, _HIGH)).then(value)


def date_format(text: pl.Series) -> str | None:
    """The exact form (of :data:`_FORMATS`) that reads most of the first values of ``text``."""
    sample = text.cast(pl.String).drop_nulls().head(_SAMPLE)
    best, hits = None, 0
    for fmt in _FORMATS:
        n = sample.str.to_datetime(fmt, strict=False).count() if len(sample) else 0
        if n > hits:
            best, hits = fmt, n
    return best


def fast_date(text: pl.Expr, fmt: str | None) -> pl.Expr:
    """``text`` read in the one form ``fmt`` (null where it does not fit, or out of range)."""
    return _in_range(text.str.to_datetime(fmt or _FORMATS[0], strict=False).dt.date())


def finish_dates(text: pl.Series, fast: pl.Series) -> pl.Series:
    """``fast`` completed: the values it missed matched against every accepted form, and
    the years checked."""
    frame = pl.DataFrame({"s": text.cast(pl.String), "d": fast})
    missed = frame["d"].is_null() & frame["s"].is_not_null()
    if missed.any():
        frame = frame.with_row_index("i")
        slow = frame.filter(missed).select("i", parse_date(pl.col("s")).alias("d2"))
        frame = frame.join(slow, on="i", how="left", maintain_order="left").with_columns(
            pl.coalesce("d", "d2").alias("d")
        )
    return frame.select(_in_range(pl.col("d"))).to_series().alias(text.name)


def parse_dates(text: pl.Series) -> pl.Series:
    """:func:`parse_date` of a whole column, fast: an export writes its dates one way, so the
    exact form that reads most of a sample is applied to the column first, and only the
    values it misses are matched against every accepted form.

    >>> parse_dates(pl.Series(["05/03/2022 08:30:00", "5/3/2022", None, "x"])).to_list()
    [datetime.date(2022, 3, 5), datetime.date(2022, 3, 5), None, None]
    """
    fmt = date_format(text)
    fast = pl.select(fast_date(pl.lit(text.cast(pl.String)), fmt)).to_series()
    return finish_dates(text, fast)


def parse_date(text: pl.Expr) -> pl.Expr:
    """A ``pl.Date`` expression from a string expression (null where it is not a date)."""
    s = text.str.strip_chars()
    iso: pl.Expr = pl.lit(None, dtype=pl.String)
    for pattern, replacement in reversed(_PATTERNS):
        iso = (
            pl.when(s.str.contains(pattern))
            .then(s.str.replace(pattern, replacement))
            .otherwise(iso)
        )
    parsed = iso.str.to_date("%Y-%m-%d", strict=False)
    days = pl.when(s.str.contains(_SERIAL)).then(s.cast(pl.Float64, strict=False).floor())
    serial = pl.lit(_EPOCH) + pl.duration(days=days.cast(pl.Int64))
    return _in_range(pl.coalesce(parsed, serial))
