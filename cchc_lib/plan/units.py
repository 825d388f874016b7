"""Unit names (Chủ trì / Phối hợp): split a cell and map aliases to canonical names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import yaml

from cchc_lib.errors import PlanFormatError
from cchc_lib.text import fold, nfc

# Separators between unit names in a cell. "và" is NOT one: it belongs to names
# such as "Sở Thông tin và Truyền thông".
_SPLIT = re.compile(r"\s*[,;\n]\s*|\s+-\s+|^\s*-\s*")


def _read_aliases(text: str, where: str) -> dict[str, str]:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PlanFormatError(
            where, None, f"bảng tên đơn vị không đúng định dạng YAML ({exc})."
        ) from None
    aliases = raw.get("aliases", {}) if isinstance(raw, dict) else None
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise PlanFormatError(
            where, None, "bảng tên đơn vị cần mục 'aliases' gồm các cặp 'tên viết tắt: tên đầy đủ'."
        )
    return {fold(k): nfc(v) for k, v in aliases.items()}


def default_aliases() -> dict[str, str]:
    text = resources.files("cchc_lib").joinpath("data/units.yaml").read_text("utf-8")
    return _read_aliases(text, "cchc_lib/data/units.yaml")


def aliases_for(plan_path: str | Path) -> dict[str, str]:
    """Defaults plus the plan's own ``<stem>.units.yaml`` when it exists."""
    table = default_aliases()
    side = Path(plan_path).with_name(Path(plan_path).stem + ".units.yaml")
    if side.is_file():
        table.update(_read_aliases(side.read_text("utf-8"), str(side)))
    return table


def split_units(cell: str, aliases: Mapping[str, str]) -> tuple[str, ...]:
    """Unit names of a cell, canonical where an alias is known, in order, without repeats.

    >>> split_units("Văn phòng Sở, Tổ CNTT", {"to cntt": "Tổ Công nghệ thông tin"})
    ('Văn phòng Sở', 'Tổ Công nghệ thông tin')
    """
    out: list[str] = []
    for part in _SPLIT.split(cell or ""):
        name = nfc(part).strip(" .:")
        if not name:
            continue
        name = aliases.get(fold(name), name)
        if name not in out:
            out.append(name)
    return tuple(out)
