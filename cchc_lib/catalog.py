"""The indicator catalog: the package's ``data/indicators.yaml``, worded for a plan's year and
adapted by the plan's own ``<plan>.indicators.yaml``.

Codes never change; names do: :func:`load_catalog` with a year applies the ``renamed`` entries of
that year (DOMAIN §6: "mức độ 3 / mức độ 4" until 2022, "toàn trình / một phần" after), and
:func:`plan_catalog` adds the plan's sidecar (add, retire, relabel, mark optional or required,
assign owners, name the focal unit).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cchc_lib.errors import CchcError

__all__ = [
    "KINDS",
    "UNITS",
    "Catalog",
    "CatalogError",
    "Indicator",
    "PartRule",
    "load_catalog",
    "plan_catalog",
    "sidecar_path",
]

KINDS = ("flow", "stock", "opening")
"""``flow``: summed over a period's months; ``stock``: the period's last month;
``opening``: the period's first month (carried in from the period before)."""
UNITS = ("count", "rank", "%")


class CatalogError(CchcError):
    """An indicator catalog file (``<plan>.indicators.yaml``) is malformed."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"Tệp danh mục chỉ số {path}: {message}")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # "count" | "rank" | "%"
    unit_label: str  # Vietnamese unit shown in tables ("hồ sơ", "thủ tục")
    kind: str  # see KINDS
    group: str
    optional: bool = False  # a blank value is allowed (never required in a month)
    owner: str = ""  # the unit that reports it; "" = the focal unit
    since_year_start: bool = False  # a stock counted from 1 January ("… từ đầu năm"): set
    # beside the same period of another year, never beside a period that ends another year


@dataclass(frozen=True)
class PartRule:
    part: tuple[str, ...]
    whole: str


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    groups: tuple[tuple[str, str], ...]
    parts: tuple[PartRule, ...]
    focal_unit: str = ""  # the unit owning indicators without an owner ("" = derive from plan)
    sources: tuple[str, ...] = field(default=())  # the files it was read from

    def __getitem__(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        return any(i.code == code for i in self.indicators)

    def get(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators if not i.optional)

    def owner_of(self, code: str, focal: str) -> str:
        """The unit reporting ``code``: its owner, else the catalog's focal unit, else ``focal``."""
        ind = self[code]
        return ind.owner or self.focal_unit or focal


def _package_text() -> str:
    return resources.files("cchc_lib").joinpath("data/indicators.yaml").read_text("utf-8")


def _indicator(d: Mapping[str, Any], where: str) -> Indicator:
    try:
        ind = Indicator(**d)
    except TypeError as exc:
        raise CatalogError(where, f"chỉ số {dict(d)!r} có khóa không hợp lệ ({exc}).") from None
    if ind.kind not in KINDS or ind.unit not in UNITS or not ind.code or not ind.name:
        raise CatalogError(
            where,
            f"chỉ số {ind.code!r}: cần code, name; kind thuộc {', '.join(KINDS)}; "
            f"unit thuộc {', '.join(UNITS)}.",
        )
    return ind


@lru_cache(maxsize=16)
def _base(year: int | None) -> Catalog:
    raw = yaml.safe_load(_package_text())
    indicators = [_indicator(d, "cchc_lib/data/indicators.yaml") for d in raw["indicators"]]
    if year is not None:
        names: dict[str, str] = {}
        for entry in sorted(raw.get("renamed", ()), key=lambda e: e["from_year"]):
            if year >= int(entry["from_year"]):
                names.update(entry["names"])
        indicators = [replace(i, name=names.get(i.code, i.name)) for i in indicators]
    return Catalog(
        indicators=tuple(indicators),
        groups=tuple(raw["groups"].items()),
        parts=tuple(PartRule(tuple(p["part"]), p["whole"]) for p in raw["parts"]),
        sources=("cchc_lib/data/indicators.yaml",),
    )


def load_catalog(year: int | None = None) -> Catalog:
    """The catalog shipped with the package; with ``year``, worded for a plan of that year.

    >>> load_catalog()["hs_tiep_nhan"].kind
    'flow'
    >>> load_catalog(2022)["tthc_muc4"].name
    'Số TTHC cung cấp trực tuyến mức độ 4'
    >>> load_catalog(2023)["tthc_muc4"].name
    'Số TTHC cung cấp dịch vụ công trực tuyến toàn trình'
    """
    return _base(year)


def sidecar_path(plan_source: str | os.PathLike[str]) -> Path:
    """``<plan stem>.indicators.yaml`` beside the plan file."""
    p = Path(plan_source)
    return p.with_name(p.stem + ".indicators.yaml")


def plan_catalog(plan: Any) -> Catalog:
    """The catalog of ``plan`` (a :class:`~cchc_lib.model.Plan`): worded for its year, with its
    ``<plan>.indicators.yaml`` applied when that file exists."""
    side = sidecar_path(plan.source)
    try:
        stat = side.stat()
        key: tuple[float, int] | None = (stat.st_mtime, stat.st_size)
    except OSError:
        key = None
    return _with_sidecar(plan.meta.year, str(side) if key else "", key)


@lru_cache(maxsize=32)
def _with_sidecar(year: int, side: str, _stamp: tuple[float, int] | None) -> Catalog:
    base = _base(year)
    if not side:
        return base
    try:
        raw = yaml.safe_load(Path(side).read_text("utf-8")) or {}
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        raise CatalogError(side, f"không đọc được tệp YAML ({exc}).") from None
    if not isinstance(raw, dict):
        raise CatalogError(side, "tệp cần các mục add, retire, relabel, optional, owners.")
    return apply_sidecar(base, raw, side)


_SIDECAR_KEYS = ("add", "retire", "relabel", "optional", "required", "owners", "focal_unit")


def _codes(raw: dict, key: str, catalog: Catalog, where: str) -> list[str]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise CatalogError(where, f"mục {key} cần một danh sách mã chỉ số.")
    unknown = [c for c in value if c not in catalog]
    if unknown:
        raise CatalogError(
            where, f"mục {key}: mã chỉ số không có trong danh mục: {', '.join(unknown)}."
        )
    return value


def _mapping(raw: dict, key: str, catalog: Catalog, where: str) -> dict[str, str]:
    value = raw.get(key) or {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise CatalogError(where, f"mục {key} cần các cặp 'mã chỉ số: nội dung'.")
    _codes({key: list(value)}, key, catalog, where)
    return value


def apply_sidecar(base: Catalog, raw: dict, where: str) -> Catalog:
    """``base`` with a sidecar's entries (pure; ``where`` names the file in errors)."""
    unknown = [k for k in raw if k not in _SIDECAR_KEYS]
    if unknown:
        raise CatalogError(
            where, f"khóa không hợp lệ: {', '.join(unknown)} (dùng: {', '.join(_SIDECAR_KEYS)})."
        )
    added = [_indicator(d, where) for d in raw.get("add") or []]
    clash = [i.code for i in added if i.code in base]
    if clash:
        raise CatalogError(where, f"mục add: mã đã có trong danh mục: {', '.join(clash)}.")
    cat = replace(base, indicators=base.indicators + tuple(added))
    retired = set(_codes(raw, "retire", cat, where))
    optional = set(_codes(raw, "optional", cat, where))
    required = set(_codes(raw, "required", cat, where))
    names = _mapping(raw, "relabel", cat, where)
    owners = _mapping(raw, "owners", cat, where)
    indicators = tuple(
        replace(
            i,
            name=names.get(i.code, i.name),
            owner=owners.get(i.code, i.owner),
            optional=(i.optional or i.code in optional) and i.code not in required,
        )
        for i in cat.indicators
        if i.code not in retired
    )
    groups = dict(base.groups)
    missing = sorted({i.group for i in indicators} - set(groups))
    if missing:
        raise CatalogError(
            where, f"nhóm chỉ số không có: {', '.join(missing)} (có: {', '.join(groups)})."
        )
    parts = tuple(
        r for r in base.parts if r.whole not in retired and not any(c in retired for c in r.part)
    )
    focal = raw.get("focal_unit") or base.focal_unit
    if not isinstance(focal, str):
        raise CatalogError(where, "mục focal_unit cần tên một đơn vị.")
    return Catalog(indicators, base.groups, parts, focal, (*base.sources, where))
