"""Status and channel codes of dossier exports, kept as data.

The defaults (``cchc_lib/data/dossier_codes.yaml``) cover the common systems; an office adds
its own codes in ``<plan>.dossiers.yaml`` beside the plan (same keys: its codes are added to the
defaults, its ``exclude`` list replaces the default one). Codes match ignoring case,
diacritics and extra spaces.

>>> codes = default_codes()
>>> codes.status("Đã trả kết quả"), codes.channel("2"), codes.channel("BCCI")
('da_tra_ket_qua', 'truc_tuyen', 'buu_chinh')
>>> sorted(codes.exclude)
['cong_dan_rut', 'khong_duoc_tiep_nhan', 'moi_dang_ky']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cchc_lib.errors import DossierFormatError
from cchc_lib.text import fold

__all__ = ["CHANNELS", "Codes", "codes_path_for", "default_codes", "load_codes"]

CHANNELS = ("truc_tuyen", "truc_tiep", "buu_chinh")
"""Canonical channel keys: online, in person, by public post (BCCI)."""


def _key(text: object) -> str:
    """The matching form of a code: folded, a whole number without ``.0``."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return fold(str(text)).strip(" .")


@dataclass(frozen=True)
class Codes:
    """What each status and channel code of an export means."""

    status_labels: tuple[tuple[str, str], ...]  # (key, Vietnamese label), in file order
    channel_labels: tuple[tuple[str, str], ...]
    status_codes: tuple[tuple[str, str], ...]  # (matching form, key)
    channel_codes: tuple[tuple[str, str], ...]
    exclude: frozenset[str]
    sources: tuple[str, ...] = ()

    def status(self, text: object) -> str | None:
        """The status key of ``text``, None when unknown."""
        return dict(self.status_codes).get(_key(text))

    def channel(self, text: object) -> str | None:
        """The channel key of ``text``, None when unknown."""
        return dict(self.channel_codes).get(_key(text))

    def status_label(self, key: str) -> str:
        return dict(self.status_labels).get(key, key)

    def channel_label(self, key: str) -> str:
        return dict(self.channel_labels).get(key, key)

    def known_statuses(self) -> str:
        """The labels an export may use, for messages."""
        return ", ".join(f"{label}" for _, label in self.status_labels)

    def known_channels(self) -> str:
        return ", ".join(f"{label}" for _, label in self.channel_labels)


def _section(raw: dict, name: str, source: str) -> dict[str, dict[str, Any]]:
    part = raw.get(name) or {}
    if not isinstance(part, dict):
        raise DossierFormatError(
            source, f'mục "{name}" phải là danh sách khóa: {{label: …, codes: [...]}}'
        )
    for key, item in part.items():
        if not isinstance(item, dict) or not isinstance(item.get("codes", []), list):
            raise DossierFormatError(
                source,
                f'mục "{name}.{key}" phải có dạng {{label: "…", codes: ["…", …]}} '
                "(codes là một danh sách)",
            )
    return part


def _read_yaml(text: str, source: str) -> dict:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DossierFormatError(source, f"không đọc được YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise DossierFormatError(source, "tệp phải gồm các mục statuses, channels, exclude")
    unknown = set(raw) - {"statuses", "channels", "exclude"}
    if unknown:
        raise DossierFormatError(
            source,
            f"mục không hợp lệ: {', '.join(sorted(map(str, unknown)))} "
            "(chỉ dùng statuses, channels, exclude)",
        )
    return raw


def _build(layers: list[tuple[dict, str]]) -> Codes:
    labels: dict[str, dict[str, str]] = {"statuses": {}, "channels": {}}
    codes: dict[str, dict[str, str]] = {"statuses": {}, "channels": {}}
    exclude: list[str] = []
    for raw, source in layers:
        for name in ("statuses", "channels"):
            for key, item in _section(raw, name, source).items():
                key = str(key)
                if name == "channels" and key not in CHANNELS:
                    raise DossierFormatError(
                        source, f'kênh "{key}" không hợp lệ; chỉ dùng: {", ".join(CHANNELS)}'
                    )
                labels[name][key] = str(item.get("label") or labels[name].get(key) or key)
                for code in [labels[name][key], *item.get("codes", [])]:
                    codes[name][_key(code)] = key  # a later layer's meaning wins
        if "exclude" in raw:
            if not isinstance(raw["exclude"], list):
                raise DossierFormatError(source, "exclude phải là một danh sách khóa trạng thái")
            exclude = [str(k) for k in raw["exclude"]]
    bad = [k for k in exclude if k not in labels["statuses"]]
    if bad:
        raise DossierFormatError(
            layers[-1][1],
            f"exclude có trạng thái không khai báo: {', '.join(bad)} "
            f"(các trạng thái: {', '.join(labels['statuses'])})",
        )
    return Codes(
        tuple(labels["statuses"].items()),
        tuple(labels["channels"].items()),
        tuple(codes["statuses"].items()),
        tuple(codes["channels"].items()),
        frozenset(exclude),
        tuple(s for _, s in layers),
    )


def _defaults_text() -> str:
    return resources.files("cchc_lib").joinpath("data/dossier_codes.yaml").read_text("utf-8")


@lru_cache(maxsize=1)
def default_codes() -> Codes:
    """The codes shipped with the package."""
    return _build([(_read_yaml(_defaults_text(), "dossier_codes.yaml"), "dossier_codes.yaml")])


def codes_path_for(plan_path: str | os.PathLike[str]) -> Path:
    """Where an office keeps its own codes: ``<plan>.dossiers.yaml`` beside the plan.

    >>> codes_path_for("data/plan/ke-hoach.txt").name
    'ke-hoach.dossiers.yaml'
    """
    p = Path(plan_path)
    return p.with_name(p.stem + ".dossiers.yaml")


def load_codes(plan_path: str | os.PathLike[str] | None = None) -> Codes:
    """The default codes, plus the office's ``<plan>.dossiers.yaml`` when there is one."""
    if plan_path is None:
        return default_codes()
    own = codes_path_for(plan_path)
    if not own.is_file():
        return default_codes()
    base = _read_yaml(_defaults_text(), "dossier_codes.yaml")
    try:
        text = own.read_text("utf-8-sig")
    except (OSError, UnicodeError) as exc:
        raise DossierFormatError(str(own), f"không đọc được tệp ({exc})") from None
    return _build([(base, "dossier_codes.yaml"), (_read_yaml(text, str(own)), str(own))])
