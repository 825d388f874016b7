"""Parse "Kinh phí" cells into Budget values.

>>> parse_budget("15,5 triệu đồng").amount_vnd
15500000
>>> parse_budget("Theo dự toán được duyet").kind
'approved_estimate'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cchc_lib.model import Budget
from cchc_lib.text import fold, nfc, normalize_dashes

__all__ = ["parse_budget", "parse_vn_number"]

# A number as written in Vietnamese documents: "50.000.000", "15,5", "1.234,5".
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")

# Nothing written, or only a placeholder dash / dots.
_BLANK = re.compile(r"[-./\s]*")

# "Không", "Không có", "Không phát sinh kinh phí", "Không đồng".
_NONE = re.compile(r"khong(?: co| phat sinh| can| su dung)?(?: kinh phi)?(?: dong)?")

# "Theo dự toán được duyệt / được giao", "Trong dự toán", "Từ nguồn dự toán ...";
# matched on folded text, so a lost diacritic ("duyet") still matches.
_ESTIMATE = re.compile(r"(?:(?:theo|trong|tu|thuoc|nam trong|su dung|nguon|kinh phi)\s+)*du toan\b")

# Words that may open an amount: "Kinh phí: 50 triệu", "Khoảng 1,2 tỷ", "Dự kiến ...".
_AMOUNT_LEAD = re.compile(r"(?:(?:tong\s+)?(?:kinh phi|du kien|khoang|tong cong|tong)\s*:?\s*)+")

# A trailing currency word ("đồng", "đ", "VNĐ") and a spelled-out amount in brackets.
_AMOUNT_TAIL = re.compile(r"\s*(?:\(.*\))?\s*\.?\s*$")
_CURRENCY = re.compile(r"\s*(?:dong|vnd|d)\s*$")

# One "number [unit]" part; units are folded ("tỷ" -> "ty").
_PART = re.compile(r"\s*([0-9]+(?:[.,][0-9]+)*)(?![0-9])\s*(ty|ti|trieu|nghin|ngan)?(?![a-z])")
_UNITS = {"ty": 10**9, "ti": 10**9, "trieu": 10**6, "nghin": 10**3, "ngan": 10**3}

# Space-separated thousands ("50 000 000").
_SPACED_THOUSANDS = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")


def parse_vn_number(s: str) -> Decimal | None:
    """A number written the Vietnamese way ("." thousands, "," decimals), or None.

    A lone "." followed by other than three digits is read as a decimal point
    ("15.5"), and several "," as English thousands ("1,200,000").

    >>> parse_vn_number("50.000.000"), parse_vn_number("15,5"), parse_vn_number("1.234,5")
    (Decimal('50000000'), Decimal('15.5'), Decimal('1234.5'))
    """
    s = s.strip()
    if not _NUMBER.fullmatch(s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:  # the later separator is the decimal one
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        whole, frac = s.rsplit(dec, 1)
        thousands = "." if dec == "," else ","
        if (dec == "," and commas > 1) or (dec == "." and dots > 1):
            return None
    elif commas == 1:
        whole, frac, thousands = *s.split(","), "."
    elif dots == 1 and len(s.split(".")[1]) != 3:
        whole, frac, thousands = *s.split("."), ","
    else:  # only thousands separators (or none)
        whole, frac, thousands = s, "", "." if dots else ","
    groups = whole.split(thousands)
    if any(len(g) != 3 for g in groups[1:]):
        return None
    try:
        return Decimal("".join(groups) + ("." + frac if frac else ""))
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def _amount(folded: str, unit: int = 1) -> int | None:
    """VND amount of a folded cell that holds only an amount, else None. A bare number is
    in ``unit`` đồng (the column's unit); "đồng" written after it means đồng."""
    core = _AMOUNT_LEAD.sub("", folded, count=1) if _AMOUNT_LEAD.match(folded) else folded
    core = _AMOUNT_TAIL.sub("", core, count=1)
    if _CURRENCY.search(core):
        unit = 1
    core = _CURRENCY.sub("", core, count=1)
    core = _SPACED_THOUSANDS.sub("", core)
    parts: list[tuple[Decimal, str | None]] = []
    pos = 0
    while pos < len(core):
        m = _PART.match(core, pos)
        if not m or m.end() == pos:
            return None
        number = parse_vn_number(m.group(1)) if len(m.group(1)) <= 30 else None
        if number is None:  # unreadable, or too long to be an amount
            return None
        parts.append((number, m.group(2)))
        pos = m.end()
    if not parts:
        return None
    if len(parts) == 1:
        number, word = parts[0]
        return int(number * (_UNITS[word] if word else unit))
    # "1 tỷ 200 triệu": every part has a unit, from the largest down.
    scales = [_UNITS[u] if u else 0 for _, u in parts]
    if 0 in scales or any(a <= b for a, b in zip(scales, scales[1:], strict=False)):
        return None
    return int(sum(n * s for (n, _), s in zip(parts, scales, strict=True)))


def parse_budget(raw: str, unit: int = 1) -> Budget:
    """Parse a "Kinh phí" cell; never raises. ``unit``: đồng per unit of a bare number,
    from the column's header ("Kinh phí (triệu đồng)": 1.000.000).

    Kinds: ``none`` ("0", "Không", "0 đồng"), ``approved_estimate`` ("Theo dự
    toán được duyệt"), ``amount`` (``amount_vnd`` set, > 0), ``unspecified``
    (empty), ``other`` ("Lồng ghép ...", "Nguồn xã hội hóa", anything else).
    ``amount_vnd`` is set only for ``amount``.

    >>> parse_budget("350,5", unit=10**6).amount_vnd
    350500000
    >>> parse_budget("1,2 tỷ")
    Budget(raw='1,2 tỷ', kind='amount', amount_vnd=1200000000)
    >>> parse_budget("0 đồng").kind
    'none'
    """
    text = nfc(raw)
    folded = normalize_dashes(fold(text))
    if _BLANK.fullmatch(folded):
        return Budget(text, "unspecified")
    if _NONE.fullmatch(folded.rstrip(".")):
        return Budget(text, "none")
    if _ESTIMATE.match(folded):
        return Budget(text, "approved_estimate")
    amount = _amount(folded, unit)
    if amount == 0:
        return Budget(text, "none")
    if amount is not None:
        return Budget(text, "amount", amount)
    return Budget(text, "other")
