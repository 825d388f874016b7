"""The issuing agency, its parent authority and the header's left column (DOMAIN §7).

Headers, left column, upper case:

- a Sở: "UBND TỈNH HÀ TĨNH" / "SỞ CÔNG THƯƠNG" -> agency "Sở Công Thương", parent
  "UBND tỉnh Hà Tĩnh";
- a district, commune or province: "ỦY BAN NHÂN DÂN" / "HUYỆN YÊN THÀNH" -> agency
  "UBND huyện Yên Thành" (one authority on two lines); its parent comes from the
  preamble ("… của UBND tỉnh Nghệ An …"), or is None;
- a Phòng: "UBND HUYỆN ĐỨC THỌ" / "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG".

A name is written as the document writes it in sentence form (the preamble's "Sở Công
Thương", "Phòng Tài nguyên và Môi trường"); failing that it is built from the upper-case
line. A parent is never invented from the place name: it is what the header or the
preamble says.

>>> read_agency(["ỦY BAN NHÂN DÂN", "HUYỆN YÊN THÀNH"],
...             "Thực hiện Kế hoạch số 5/KH-UBND của UBND tỉnh Nghệ An, UBND huyện ...", "")
('UBND huyện Yên Thành', 'UBND tỉnh Nghệ An', ('ỦY BAN NHÂN DÂN', 'HUYỆN YÊN THÀNH'))
"""

from __future__ import annotations

import re

from cchc_lib.text import fold, nfc

__all__ = ["read_agency", "sentence_name"]

_AGENCY_START = (
    "so ",
    "ban ",
    "phong ",
    "uy ban",
    "ubnd",
    "van phong",
    "cuc ",
    "chi cuc",
    "trung tam",
    "bo ",
    "tong cuc",
    "thanh tra",
    "hoi dong",
    "dai ",
    "benh vien",
    "truong ",
    "kho bac",
    "cong an",
)
_TWO_WORD_KINDS = (
    "van phong",
    "chi cuc",
    "trung tam",
    "tong cuc",
    "kho bac",
    "cong an",
    "hoi dong",
    "thanh tra",
    "benh vien",
)
# Levels of people's committees, longest first; folded.
_LEVELS = ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong")
_LEVEL_WORDS = {
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "tinh": "tỉnh",
    "huyen": "huyện",
    "quan": "quận",
    "xa": "xã",
    "phuong": "phường",
}
# The level of the authority above an agency, by the agency's kind.
_PARENT_LEVELS = {
    "so": ("tinh", "thanh pho"),
    "ubnd huyen": ("tinh", "thanh pho"),
    "ubnd quan": ("thanh pho",),
    "ubnd thi xa": ("tinh",),
    "ubnd thanh pho": ("tinh",),
    "phong": ("huyen", "quan", "thi xa", "thanh pho"),
    "ubnd xa": ("huyen", "thi xa", "thanh pho"),
    "ubnd phuong": ("quan", "thi xa", "thanh pho"),
    "ubnd thi tran": ("huyen",),
}
_COMMITTEE = re.compile(r"^(?:ubnd|uy ban nhan dan)\b\s*(?P<rest>.*)$")
_UPPER_WORD = re.compile(r"[^\W\d_][\w]*", re.UNICODE)


def _is_committee_only(line: str) -> bool:
    return fold(line).strip(" .") in ("ubnd", "uy ban nhan dan")


def _level_of(folded_rest: str) -> tuple[str, str] | None:
    """("huyen", "yen thanh") for "huyen yen thanh"."""
    for level in _LEVELS:
        if folded_rest == level or folded_rest.startswith(level + " "):
            return level, folded_rest[len(level) :].strip()
    return None


def _title_words(words: list[str]) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def _built_name(upper: str) -> str:
    """A sentence-form name built from an upper-case header line.

    >>> _built_name("UBND HUYỆN YÊN THÀNH"), _built_name("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG")
    ('UBND huyện Yên Thành', 'Sở Tài nguyên và Môi trường')
    """
    text = nfc(upper)
    m = _COMMITTEE.match(fold(text))
    if m:
        words = text.split()[1 if fold(text).startswith("ubnd") else 4 :]
        lv = _level_of(fold(" ".join(words)))
        if lv:
            n = len(lv[0].split())
            return f"UBND {_LEVEL_WORDS[lv[0]]} {_title_words(words[n:])}".strip()
        return ("UBND " + _title_words(words)).strip()
    out: list[str] = []
    words = text.split()
    kind = 2 if fold(" ".join(words[:2])) in _TWO_WORD_KINDS else 1
    cap_next = True
    for w in words:
        low = w.lower()
        if len(w) <= 5 and not any(c in "aeiouy" for c in fold(w[1:])):
            out.append(w)  # an acronym: HĐND, CNTT
        else:
            out.append(low[:1].upper() + low[1:] if cap_next else low)
        cap_next = low in ("và", "-", "–") or w.endswith(",") or len(out) == kind
    return " ".join(out)


def sentence_name(upper: str, text: str) -> str:
    """The name of an upper-case header line as ``text`` writes it (not in capitals), else
    built from the line ("SỞ CÔNG THƯƠNG" -> "Sở Công Thương" when the preamble says so).

    >>> sentence_name("SỞ CÔNG THƯƠNG", "Sở Công Thương xây dựng Kế hoạch")
    'Sở Công Thương'
    """
    upper = nfc(upper)
    forms = [upper]
    m = _COMMITTEE.match(fold(upper))
    if m:
        rest = " ".join(upper.split()[1 if fold(upper).startswith("ubnd") else 4 :])
        forms = [f"UBND {rest}", f"Ủy ban nhân dân {rest}", f"Uỷ ban nhân dân {rest}"]
    for form in forms:
        pattern = r"\s+".join(re.escape(w) for w in form.split())
        for found in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE):
            written = nfc(found.group(0))
            if not _mostly_upper(written):
                return written
    return _built_name(upper)


def _mostly_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _authorities(lines: list[str]) -> tuple[list[str], list[str]]:
    """(authorities, header lines): "ỦY BAN NHÂN DÂN" + "HUYỆN X" is one authority; a
    line not starting with an agency word continues the line before it."""
    auth: list[str] = []
    kept: list[str] = []
    joined_committee = False
    for line in lines:
        f = fold(line)
        starts = f.startswith(_AGENCY_START)
        if auth and _is_committee_only(auth[-1]) and not joined_committee and _level_of(f):
            auth[-1] = f"{auth[-1]} {line}"
            joined_committee = True
        elif starts:
            auth.append(line)
            joined_committee = False
        elif auth:
            auth[-1] = f"{auth[-1]} {line}"
        else:
            continue
        kept.append(line)
    return auth, kept


def _kind(agency: str) -> str:
    f = fold(agency)
    m = _COMMITTEE.match(f)
    if m and (lv := _level_of(m.group("rest"))):
        return f"ubnd {lv[0]}"
    return f.split()[0] if f else ""


def _capitalised_after(text: str, start: int) -> str:
    words = []
    for m in _UPPER_WORD.finditer(text, start):
        gap = text[start : m.start()]
        if gap.strip() or not m.group(0)[0].isupper():
            break
        words.append(m.group(0))
        start = m.end()
    return " ".join(words)


def _parent_from_preamble(agency: str, preamble: str) -> str | None:
    """ "UBND tỉnh Nghệ An" when the preamble cites it; a bare "UBND tỉnh" with the
    province named elsewhere in the preamble ("tỉnh Hà Tĩnh") also gives it."""
    levels = _PARENT_LEVELS.get(_kind(agency))
    if not levels:
        return None
    words = "|".join(re.escape(_LEVEL_WORDS[lv]) for lv in levels)
    committee = r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)"
    cited = False
    for m in re.finditer(rf"{committee}\s+({words})\b", preamble, re.IGNORECASE):
        cited = True
        name = _capitalised_after(preamble, m.end())
        if name:
            return nfc(f"{m.group(0)} {name}")
    if not cited:
        return None
    for m in re.finditer(rf"(?<!\w)({words})\s+", preamble):
        name = _capitalised_after(preamble, m.end() - 1)
        if name:
            return f"UBND {m.group(1).lower()} {name}"
    return None


def _from_preamble(preamble: str) -> str:
    found = re.search(
        r"((?:Sở|Ban|Phòng|Ủy ban nhân dân|UBND|Văn phòng|Cục|Chi cục|Trung tâm|Thanh tra)\s"
        r"[^,.;()]{2,60}?)\s+(?:xây dựng|ban hành)\s+[Kk]ế hoạch",
        preamble,
    )
    return nfc(found.group(1)) if found else ""


def _header_of(agency: str, parent: str | None) -> tuple[str, ...]:
    """The header's left column for a document that has none in its text."""
    m = _COMMITTEE.match(fold(agency))
    if m and _level_of(m.group("rest")):
        rest = agency.split(None, 1 if fold(agency).startswith("ubnd") else 4)[-1]
        return ("ỦY BAN NHÂN DÂN", rest.upper())
    lines = ([parent.upper()] if parent else []) + ([agency.upper()] if agency else [])
    return tuple(lines)


def read_agency(
    header_lines: list[str], preamble: str, text: str
) -> tuple[str, str | None, tuple[str, ...]]:
    """(agency, parent, header lines) from the header's upper-case lines, the preamble and
    the whole text of the document (where names are looked up in sentence form)."""
    auth, kept = _authorities(header_lines)
    where = f"{preamble}\n{text}"
    agency = sentence_name(auth[-1], where) if auth else _from_preamble(preamble)
    parent = sentence_name(auth[-2], where) if len(auth) >= 2 else None
    if not parent and agency:
        parent = _parent_from_preamble(agency, preamble)
    lines = tuple(nfc(x).upper() for x in kept) if kept else _header_of(agency, parent)
    return agency, parent, lines
