"""Small text helpers shared by the parsers (Vietnamese-aware)."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def nfc(s: str) -> str:
    """NFC-normalise and collapse runs of spaces; strip the ends."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", s)).strip()


def fold(s: str) -> str:
    """Lower-case, strip diacritics (đ -> d) and normal form, collapse spaces.

    >>> fold("Thường  xuyên")
    'thuong xuyen'
    >>> fold("DUYỆT") == fold("duyet")
    True
    """
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D")
    return _SPACE.sub(" ", s.casefold()).strip()


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def normalize_dashes(s: str) -> str:
    """Map every dash variant (– — ‑ −) to an ASCII hyphen."""
    return s.translate({ord(c): "-" for c in _DASHES})
