"""Measurable parts of a target (chỉ tiêu): "Có ít nhất 50% TTHC ..." -> >= 50 %.

A target is cut into sentences at ". ", "? ", "! ", blank lines and also "; "
(plans chain independent targets with semicolons), never inside brackets or
numbers such as "15,5" or "ISO 9001:2015"; every quantity in a sentence yields a
Measure whose ``text`` is that sentence (as written, NFC).  A quantity is

- a percentage: "100% hồ sơ", "85% CBCC", "80-90%"  -> unit "%";
- a rank change: "tăng 03-05 bậc", "tăng 2 hạng"     -> unit "rank", ">=";
- a place on the ranking: "nằm trong nhóm 05 đơn vị dẫn đầu", "trong top 10",
  "xếp thứ 3"                                       -> unit "rank", "<=" (the rank
  itself must be at most that number);
- a count: a number followed by a counted noun (COUNTED_NOUNS: "02 phòng",
  "01 cuộc") or led by a quantifier ("ít nhất", "tối thiểu", "thêm")
                                                     -> unit "count".

A range "01-02" is the minimum and the aim: value 1, stretch 2 (for "<=" the
larger number is the limit: "không quá 5-3%" -> value 5, stretch 3).

Comparator: "<=" after "không quá", "tối đa", "dưới", "ít hơn" or before
"trở xuống"; "=" only where the number is said to be exact: directly after
"đúng", "bằng" or "chính xác" (matched with diacritics, since "dụng" and "bảng"
fold to the same letters); ">=" otherwise ("ít nhất", "tối thiểu", "phấn đấu",
"trên", "trở lên", and a bare "100% hồ sơ": a target is a floor).

Numbers that are part of references, dates and codes are never quantities:
"số 739/QĐUBND", "ngày 22/3/2017", "ISO 9001:2015", "05-NQ/TU", "năm 2022",
"giai đoạn 2021-2030", "mức độ 3 và 4".

>>> [(m.comparator, m.value, m.stretch, m.unit) for m in extract_measures(
...     "Có ít nhất 01-02 sáng kiến được công nhận. 100% hồ sơ đúng hạn.")]
[('>=', 1.0, 2.0, 'count'), ('>=', 100.0, None, '%')]
"""

from __future__ import annotations

import re
import unicodedata

from cchc_lib.model import Measure
from cchc_lib.plan.budget import parse_vn_number
from cchc_lib.text import fold, nfc, normalize_dashes

__all__ = ["COUNTED_NOUNS", "extract_measures"]

# fmt: off
COUNTED_NOUNS: tuple[str, ...] = (
    # people
    "CBCC", "CBCCVC", "CCVC", "cán bộ", "công chức", "viên chức", "người", "lượt người",
    "học viên", "thành viên", "đoàn viên", "doanh nghiệp",
    # units of the agency
    "phòng", "đơn vị", "bộ phận", "cơ quan", "tổ", "trung tâm",
    # documents, procedures, systems
    "văn bản", "hồ sơ", "thủ tục", "TTHC", "quy trình", "quy chế", "quy định", "kế hoạch",
    "báo cáo", "quyết định", "đề án", "chương trình", "tài liệu", "dịch vụ", "DVC", "DVCTT",
    "phần mềm", "cơ sở dữ liệu", "chuyên mục",
    # events and results
    "sáng kiến", "cuộc", "lớp", "buổi", "hội nghị", "hội thảo", "đợt", "lần", "lượt", "phiên",
    "chuyên đề", "tin", "bài", "tin bài", "đề tài", "mô hình", "nhiệm vụ", "giải pháp",
)
# fmt: on
"""Nouns that make "<number> <noun>" a count ("02 phòng", "01 cuộc"); extend freely."""

# Counted nouns, folded, longest first, as whole words right after the number.
_NOUN = re.compile(
    "(?:"
    + "|".join(re.escape(fold(n)) for n in sorted(COUNTED_NOUNS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)

# Sentence ends: ".;?!…" followed by space, a blank line, or a new "- " bullet line.
_BOUNDARY = re.compile(r"[.;?!…]+(?=\s)|\n\s*\n|\n(?=\s*[-•+*]\s)")
# Abbreviations whose "." does not end a sentence ("TP. Hà Tĩnh").
_ABBREVIATIONS = frozenset({"tp", "tx", "ths", "ts", "pgs", "gs", "v.v", "vv"})

# A number or range; not inside a word, code or date ("739/QĐ", "05-NQ", "9001:2015").
_QUANTITY = re.compile(
    r"(?<![0-9a-z/:-])(?<![0-9][.,])"
    r"(?P<a>[0-9]+(?:[.,][0-9]+)*)(?P<pa>\s*%)?"
    r"(?:\s*(?:-|\bden\b|\btoi\b)\s*(?P<b>[0-9]+(?:[.,][0-9]+)*))?"
    r"(?![0-9]|\s*[/:]|-[a-z])"
)

# Words right before a number that make it a reference, a date or a level.
_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:(?<!tong )so|nam|ngay|thang|quy|tuan|giai doan|muc do|muc|thu|khoa|dieu|khoan"
    r"|diem|chuong|phu luc|iso|tcvn|phien ban|top|lan thu)\s*$"
)
# Units of time or money after a number: a duration or an amount, not a count.
_NOT_A_COUNT_AFTER = re.compile(
    r"(?:nam|thang|ngay|quy|tuan|gio|phut|ty|trieu|nghin|ngan|dong)(?![a-z])"
)
_RANK = re.compile(r"(?:bac|hang)(?![a-z])")
# A place on the index's ranking: "nằm trong nhóm 05 đơn vị dẫn đầu", "trong top 10",
# "xếp thứ 3", "đứng thứ 5" -> rank <= N.
_POSITION_BEFORE = re.compile(
    r"(?:\b(?:trong|thuoc|vao)\s+(?:nhom|top)|\btop|\b(?:xep|dung|vi tri)(?:\s+hang)?\s+thu)\s*$"
)
_LEADING = re.compile(r"\b(?:dan dau|dung dau|cao nhat|tot nhat|xuat sac|xep hang|thu hang)\b")
_RANK_WORDS = frozenset({"bậc", "hạng", "bac", "hang"})  # not "hàng", "hằng", "bạc"
_PERCENT = re.compile(r"(?:%|phan tram(?![a-z]))")

# Quantifiers that make a bare number a count: "ít nhất 3 ...", "thêm 02-03 ...".
_COUNT_LEAD = re.compile(r"\b(?:it nhat|toi thieu|them)\s*$")

# Comparator words before the number, possibly followed by a few verbs
# ("phấn đấu tăng 03-05 bậc", "Có ít nhất 50%"); the one nearest the number wins.
_FILLER = r"(?:\s+(?:co|dat|duoc|tang|nang|len|la|them|muc|o muc|thuc hien|tuyen dung))*"
_MARKER = re.compile(
    r"\b(?P<m>khong vuot qua|khong qua|toi da|it hon|duoi|it nhat|toi thieu|phan dau|tren)"
    + _FILLER
    + r"\s*$"
)
_LE_MARKERS = frozenset({"khong vuot qua", "khong qua", "toi da", "it hon", "duoi"})
_EXACT = re.compile(r"(?:đúng|bằng|chính xác)\s*$")  # on lower-case NFC text
_NEAR = 80  # characters around a number that can qualify it ("phấn đấu có", "trở lên")
_AFTER = re.compile(r"\s*tro (?P<dir>len|xuong)\b")  # "95% trở lên", "5 hồ sơ trở xuống"


def _fold_aligned(s: str) -> str:
    """``text.fold`` char by char, so positions match ``s`` (for the "=" check)."""
    out = []
    for ch in s:
        f = " " if ch.isspace() else fold(ch)
        out.append(f if len(f) == 1 else ch.lower()[:1] or ch)
    return "".join(out)


def _sentences(text: str) -> list[str]:
    """Split a target into sentences/clauses, keeping brackets and numbers whole."""
    out, start, depth_pos, depth = [], 0, 0, 0
    for m in _BOUNDARY.finditer(text):
        chunk = text[depth_pos : m.start()]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        depth_pos = m.start()
        word = text[start : m.start()].rsplit(None, 1)[-1:] or [""]
        if depth or (m.group().startswith(".") and fold(word[0]) in _ABBREVIATIONS):
            continue
        out.append(text[start : m.end()])
        start = m.end()
    out.append(text[start:])
    return [s for s in (_clean(p) for p in out) if s]


def _clean(sentence: str) -> str:
    s = nfc(sentence.replace("\n", " "))
    s = s.lstrip("-•+* ").rstrip(";, ")
    return s if any(c.isalnum() for c in s) else ""


def _number(s: str) -> float | None:
    value = parse_vn_number(s) if len(s) <= 30 else None
    return float(value) if value is not None else None


def _unit(prefix: str, rest: str, raw_rest: str, percent: bool) -> tuple[str, int] | None:
    """(unit, length of the unit word at the start of ``rest``), or None if no quantity.

    ``prefix`` is the folded text before the number, ``rest`` the folded text after
    it and ``raw_rest`` the same text as written (to tell "hạng" from "hàng").
    """
    m = _PERCENT.match(rest)
    if percent or m:
        return "%", m.end() if m else 0
    pos = _POSITION_BEFORE.search(prefix)
    if pos and ("top" in pos.group(0) or " thu" in pos.group(0) or _LEADING.search(rest)):
        return "position", 0
    m = _RANK.match(rest)
    if m and raw_rest[: m.end()].lower() in _RANK_WORDS:
        return "rank", m.end()
    if _NOT_A_COUNT_BEFORE.search(prefix):
        return None
    m = _NOUN.match(rest)
    if m:
        return "count", m.end()
    if _NOT_A_COUNT_AFTER.match(rest) or not _COUNT_LEAD.search(prefix):
        return None
    return "count", 0


def _comparator(prefix: str, raw_prefix: str, after_unit: str) -> str:
    after = _AFTER.match(after_unit)
    if after:
        return ">=" if after.group("dir") == "len" else "<="
    if _EXACT.search(raw_prefix.lower()):
        return "="
    m = _MARKER.search(prefix)
    return "<=" if m and m.group("m") in _LE_MARKERS else ">="


def _measures_of(sentence: str) -> list[Measure]:
    folded = normalize_dashes(_fold_aligned(sentence))
    out = []
    for q in _QUANTITY.finditer(folded):
        rest_at = (
            q.end()
            + len(folded[q.end() : q.end() + _NEAR])
            - len(folded[q.end() : q.end() + _NEAR].lstrip())
        )
        near = max(0, q.start() - _NEAR)
        prefix, raw_prefix = folded[near : q.start()], sentence[near : q.start()]
        rest, raw_rest = folded[rest_at : rest_at + _NEAR], sentence[rest_at : rest_at + _NEAR]
        unit = _unit(prefix, rest, raw_rest, bool(q.group("pa")))
        low = _number(q.group("a"))
        if unit is None or low is None:
            continue
        high = _number(q.group("b") or "")
        if q.group("pa") and not rest.startswith("%"):  # "50% đến 2025" is no range
            high = None
        comparator = (
            "<=" if unit[0] == "position" else _comparator(prefix, raw_prefix, rest[unit[1] :])
        )
        stretch = None
        if high is not None and high != low:
            low, stretch = min(low, high), max(low, high)
            if comparator == "<=":  # the limit is the larger number
                low, stretch = stretch, low
        out.append(
            Measure(
                sentence, comparator, low, stretch, "rank" if unit[0] == "position" else unit[0]
            )
        )
    return out


def extract_measures(text: str) -> tuple[Measure, ...]:
    """Measures of a target text, in order; never raises.

    >>> extract_measures("Tuyển dụng thêm 02-03 CBCC")[0].to_dict()
    {'text': 'Tuyển dụng thêm 02-03 CBCC', 'comparator': '>=', 'value': 2.0, 'stretch': 3.0, \
'unit': 'count'}
    """
    text = unicodedata.normalize("NFC", text)
    return tuple(m for s in _sentences(text) for m in _measures_of(s))
