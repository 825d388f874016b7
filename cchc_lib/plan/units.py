"""Unit names (Chủ trì / Phối hợp): split a cell and map aliases to canonical names.

A cell is split only where the result is unambiguous:

- at a semicolon, a line break or a list dash at the start of a line;
- at a comma, unless the part before it is a bare kind of unit that the rest of the
  phrase completes ("Các phòng, ban, ngành cấp huyện", "Các phòng, đơn vị thuộc Sở"), or
  the part after it is one ("UBND các xã, thị trấn");
- never at a hyphen inside a line ("Phòng Tài chính - Kế hoạch", "Văn phòng HĐND -
  UBND huyện") and never at "và" ("Sở Thông tin và Truyền thông").

The alias table (``cchc_lib/data/units.yaml`` and ``<plan>.units.yaml``) can say more:
a written form holding a separator ("Phòng Văn hóa, Thông tin") is kept whole wherever
it occurs in a cell, and mapped to its canonical name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import yaml

from cchc_lib.errors import PlanFormatError
from cchc_lib.text import fold, nfc

MAX_ALIAS_BYTES = 1024 * 1024

# Separators between unit names in a cell. "và" is NOT one: it belongs to names
# such as "Sở Thông tin và Truyền thông"; nor is " - " inside a line.
_SPLIT = re.compile(r"\s*(?:[,;\n]|^\s*[-–•+]\s)\s*", re.MULTILINE)
# A part that only names a kind of unit, completed by what follows the comma.
_BARE_KIND = re.compile(
    r"(?:cac\s+|nhung\s+)?(?:phong|ban|nganh|don vi|co quan|bo phan|to chuc|doan the|"
    r"dia phuong|xa|phuong|thi tran|thi xa|thanh pho|huyen|quan|truong|so|hoi|doi|to)"
)


def _read_aliases(text: str, where: str) -> dict[str, str]:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise PlanFormatError(
            where, None, f"bảng tên đơn vị không đúng định dạng YAML ({exc})."
        ) from None
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as "2022-13-45"
        raise PlanFormatError(
            where, None, f"bảng tên đơn vị có giá trị không đọc được ({type(exc).__name__})."
        ) from None
    aliases = raw.get("aliases", {}) if isinstance(raw, dict) else None
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise PlanFormatError(
            where, None, "bảng tên đơn vị cần mục 'aliases' gồm các cặp 'tên viết tắt: tên đầy đủ'."
        )
    return {fold(k): nfc(v) for k, v in aliases.items() if fold(k)}


def default_aliases() -> dict[str, str]:
    text = resources.files("cchc_lib").joinpath("data/units.yaml").read_text("utf-8")
    return _read_aliases(text, "cchc_lib/data/units.yaml")


def units_path_for(plan_path: str | Path) -> Path:
    """``<plan dir>/<plan stem>.units.yaml``."""
    p = Path(plan_path)
    return p.with_name(p.stem + ".units.yaml")


def aliases_for(plan_path: str | Path) -> dict[str, str]:
    """Defaults plus the plan's own ``<stem>.units.yaml`` when it exists."""
    from cchc_lib.plan.sources import read_regular_file

    table = default_aliases()
    side = units_path_for(plan_path)
    if not side.exists():
        return table
    try:
        data = read_regular_file(side, MAX_ALIAS_BYTES)
        text = data.decode("utf-8-sig")
    except ValueError as exc:  # UnicodeDecodeError is a ValueError
        reason = (
            "không được mã hóa UTF-8; hãy lưu lại tệp với mã Unicode UTF-8"
            if isinstance(exc, UnicodeDecodeError)
            else str(exc).rstrip(".")
        )
        raise PlanFormatError(str(side), None, f"bảng tên đơn vị: {reason}.") from None
    table.update(_read_aliases(text, str(side)))
    return table


def _pieces(cell: str) -> list[tuple[int, int]]:
    """Spans of the parts of ``cell`` between separators."""
    spans, pos = [], 0
    for m in _SPLIT.finditer(cell):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(cell)))
    return spans


def _bare(cell: str, span: tuple[int, int]) -> bool:
    return _BARE_KIND.fullmatch(fold(cell[span[0] : span[1]]).strip(" .:")) is not None


def _merge(cell: str, spans: list[tuple[int, int]], aliases: Mapping[str, str]) -> list[str]:
    """Parts of the cell: the longest run of pieces that is an alias stays whole, and a
    bare kind before a comma joins the piece after it."""
    out: list[str] = []
    i = 0
    while i < len(spans):
        j = next(
            (
                j
                for j in range(len(spans), i + 1, -1)
                if fold(cell[spans[i][0] : spans[j - 1][1]]).strip(" .:") in aliases
            ),
            i + 1,
        )
        start, end = spans[i][0], spans[j - 1][1]
        while (
            j < len(spans)
            and cell[spans[j - 1][1] : spans[j][0]].strip() == ","
            and (_bare(cell, spans[j - 1]) or _bare(cell, spans[j]))
        ):
            end = spans[j][1]
            j += 1
        out.append(cell[start:end])
        i = j
    return out


def split_units(cell: str, aliases: Mapping[str, str]) -> tuple[str, ...]:
    """Unit names of a cell, canonical where an alias is known, in order, without repeats.

    >>> split_units("Văn phòng Sở, Tổ CNTT", {"to cntt": "Tổ Công nghệ thông tin"})
    ('Văn phòng Sở', 'Tổ Công nghệ thông tin')
    >>> split_units("Phòng Tài chính - Kế hoạch; Các phòng, ban, ngành cấp huyện", {})
    ('Phòng Tài chính - Kế hoạch', 'Các phòng, ban, ngành cấp huyện')
    """
    cell = cell or ""
    out: list[str] = []
    for part in _merge(cell, _pieces(cell), aliases):
        name = nfc(part).strip(" .:")
        if not name:
            continue
        name = aliases.get(fold(name), name)
        if name not in out:
            out.append(name)
    return tuple(out)
