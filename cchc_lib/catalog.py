"""The indicator catalog (data file ``data/indicators.yaml`` inside the package)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # "count" | "rank" | "%"
    unit_label: str  # Vietnamese unit shown in tables ("hồ sơ", "thủ tục")
    kind: str  # "flow" | "stock"
    group: str


@dataclass(frozen=True)
class PartRule:
    part: tuple[str, ...]
    whole: str


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    groups: tuple[tuple[str, str], ...]
    parts: tuple[PartRule, ...]

    def __getitem__(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        return any(i.code == code for i in self.indicators)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog shipped with the package.

    >>> load_catalog()["hs_tiep_nhan"].kind
    'flow'
    """
    text = resources.files("cchc_lib").joinpath("data/indicators.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return Catalog(
        indicators=tuple(Indicator(**d) for d in raw["indicators"]),
        groups=tuple(raw["groups"].items()),
        parts=tuple(PartRule(tuple(p["part"]), p["whole"]) for p in raw["parts"]),
    )
