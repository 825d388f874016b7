"""The plan's body: header (meta), sections I–III, signature and recipients."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from cchc_lib.text import fold, nfc

_ROMAN_HEAD = re.compile(r"^(?P<code>(?:IX|IV|V?I{1,3}|V|X))\s*[.:]\s+(?P<title>\S.*)$")
_NUM_HEAD = re.compile(r"^(?P<code>\d{1,2}(?:\.\d{1,2})?)\s*[.)]\s+(?P<title>\S.*)$")
_BULLET = re.compile(r"^\s*[-–•+*]\s+")
_NUMBER = re.compile(r"^S[ốo]\s*:\s*(?P<number>.*)$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,0-9]{2,40}),\s*ng[àa]y\s+(?P<d>\d{1,2}|…+|\.+)?\s*th[áa]ng\s+(?P<m>\d{1,2})\s+n[ăa]m\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(20\d{2})\b")
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap")
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
)
_SIGNER_WORDS = (
    "giam doc",
    "truong",
    "chu tich",
    "chanh van phong",
    "thu truong",
    "chanh thanh tra",
)


def _strip_md(s: str) -> str:
    return nfc(s.replace("**", "").replace("__", ""))


def is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.85


@dataclass
class BodyParse:
    agency: str = ""
    parent: str | None = None
    number: str = ""
    place: str | None = None
    date: date | None = None
    title: str = ""
    year: int | None = None
    signer_title: str = ""
    signer_position: str | None = None
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    solutions: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _section_of(title: str) -> str | None:
    f = fold(title)
    if "muc dich" in f:
        return "purposes"
    if "muc tieu" in f or "chi tieu" in f:
        return "goals"
    if "nhiem vu" in f and "giai phap" in f:
        return "solutions"
    if "nhiem vu trong tam" in f:
        return "key_tasks"
    if "kinh phi" in f:
        return "budget"
    if "to chuc thuc hien" in f:
        return "organisation"
    return None


class _Bullets:
    """Collects bullet paragraphs; a paragraph that continues a sentence joins the bullet."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if _BULLET.match(text):
            self.items.append(_BULLET.sub("", text, count=1).strip())
        elif self.items and (
            text[:1].islower() or not self.items[-1].rstrip().endswith((".", ":"))
        ):
            self.items[-1] = self.items[-1].rstrip() + " " + text.strip()
        elif self.items is not None:
            self.items.append(text.strip())


def _header(texts: list[tuple[str, str]], out: BodyParse) -> list[str]:
    """Number, place and date, title from the lines before section I; the upper-case lines
    that may name the agency are returned."""
    header_lines: list[str] = []
    title_open = False  # "KẾ HOẠCH" alone on its line: the subject follows
    for _loc, t in texts:
        if title_open:
            title_open = False
            if len(t) < 150 and not _NUMBER.match(t):
                out.title = f"{out.title} {t}"
                continue
        f = fold(t)
        if any(f.startswith(m) for m in _MOTTO):
            continue
        if m := _NUMBER.match(t):
            out.number = out.number or nfc(m.group("number"))
            continue
        if (m := _PLACE_DATE.match(t)) and out.date is None:
            out.place = nfc(m.group("place"))
            try:
                day = int(m.group("d")) if m.group("d") and m.group("d")[0].isdigit() else 1
                out.date = date(int(m.group("y")), int(m.group("m")), day)
            except ValueError:
                out.warnings.append(f'Ngày ban hành "{t}" không hợp lệ; bỏ qua ngày.')
            continue
        if f.startswith("ke hoach") and not out.title:
            out.title = t
            title_open = len(t.split()) <= 2
            continue
        if not out.title and is_upper(t):
            header_lines.append(t)
    return header_lines


def _agency(header_lines: list[str], preamble: str, out: BodyParse) -> None:
    """The agency (and its parent) from the header lines, as the preamble writes it."""
    agency_lines = [h for h in header_lines if fold(h).startswith(_AGENCY_START)]
    if len(agency_lines) >= 2:
        out.parent, out.agency = agency_lines[-2], agency_lines[-1]
    elif agency_lines:
        out.agency = agency_lines[0]
    if out.agency and is_upper(out.agency):
        # prefer the agency's name as the preamble writes it ("Sở Công Thương")
        for m in re.finditer(re.escape(out.agency), preamble, re.IGNORECASE):
            if not is_upper(m.group(0)):
                out.agency = m.group(0)
                break
    if not out.agency:
        found = re.search(
            r"((?:Sở|Ban|Phòng|Ủy ban|UBND|Văn phòng|Cục|Chi cục|Trung tâm|Thanh tra)\s"
            r"[^,.;()]{2,60}?)\s+(?:xây dựng|ban hành)\s+[Kk]ế hoạch",
            preamble,
        )
        if found:
            out.agency = nfc(found.group(1))


class _Sections:
    """Collects the bullets of sections I–III and the lines of the signature block."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.goal_part: str | None = None
        self.sol_area: tuple[str, str] | None = None
        self.sol_sub: str | None = None
        self.bullets: dict[str, _Bullets] = {}
        self.sol_bullets: list[tuple[tuple[str, str], str | None, _Bullets]] = []
        self.tail: list[tuple[str, str]] = []

    def add(self, loc: str, t: str) -> None:
        if (m := _ROMAN_HEAD.match(t)) and is_upper(m.group("title")):
            self.section = _section_of(m.group("title")) or "other"
            return
        if fold(t).startswith("noi nhan") or self.section == "end":
            self.section = "end"
            self.tail.append((loc, t))
            return
        if self.section == "purposes":
            self.bullets.setdefault("purposes", _Bullets()).add(t)
        elif self.section == "goals":
            self.goal(t)
        elif self.section == "solutions":
            self.solution(t)
        elif self.section in ("organisation", "budget", "other", "key_tasks"):
            # the signature block may stand before "Nơi nhận" in some documents
            if is_upper(t) and any(w in fold(t) for w in _SIGNER_WORDS) and len(t) < 60:
                self.tail.append((loc, t))
                self.section = "end"

    def goal(self, t: str) -> None:
        if (m := _NUM_HEAD.match(t)) and not _BULLET.match(t):
            f = fold(m.group("title"))
            self.goal_part = "targets" if ("cu the" in f or "chi tieu" in f) else "goals"
            return
        self.bullets.setdefault(self.goal_part or "goals", _Bullets()).add(t)

    def solution(self, t: str) -> None:
        if (m := _NUM_HEAD.match(t)) and not _BULLET.match(t):
            code = m.group("code")
            if "." in code:
                self.sol_sub = code
            else:
                self.sol_area, self.sol_sub = (code, m.group("title")), None
            self.sol_bullets.append((self.sol_area or ("", ""), self.sol_sub, _Bullets()))
            return
        if self.sol_bullets and (_BULLET.match(t) or self.sol_bullets[-1][2].items):
            self.sol_bullets[-1][2].add(t)

    def fill(self, out: BodyParse) -> None:
        out.purposes = self.bullets.get("purposes", _Bullets()).items
        out.goals = self.bullets.get("goals", _Bullets()).items
        out.targets = self.bullets.get("targets", _Bullets()).items
        for (acode, atitle), sub, b in self.sol_bullets:
            for item in b.items:
                out.solutions.append((acode, atitle, sub, item))
        _parse_tail(self.tail, out)


def parse_body(paragraphs: list[tuple[str, str]], source: str) -> BodyParse:
    """Header (meta), sections I–III, signature and recipients of the plan's body text."""
    out = BodyParse()
    texts = [(loc, _strip_md(t)) for loc, t in paragraphs]
    first_section = next(
        (i for i, (_, t) in enumerate(texts) if _ROMAN_HEAD.match(t) and _section_of(t)), len(texts)
    )
    header_lines = _header(texts[:first_section], out)
    _agency(header_lines, " ".join(t for _, t in texts[:first_section]), out)
    sections = _Sections()
    for loc, t in texts[first_section:]:
        sections.add(loc, t)
    sections.fill(out)
    years = [int(y) for y in _YEAR.findall(out.title)]
    out.year = years[-1] if years else (out.date.year if out.date else None)
    return out


def _parse_tail(tail: list[tuple[str, str]], out: BodyParse) -> None:
    """Recipients after "Nơi nhận:" and the signer (title in capitals, then the name)."""
    in_recipients = False
    pending_title: list[str] = []
    for _loc, t in tail:
        f = fold(t)
        if f.startswith("noi nhan"):
            in_recipients = True
            rest = t.split(":", 1)[1].strip() if ":" in t else ""
            if rest:
                out.recipients.append(rest.lstrip("- ").strip())
            continue
        if in_recipients and _BULLET.match(t):
            out.recipients.append(_BULLET.sub("", t, count=1).strip())
            continue
        in_recipients = False
        if fold(t).startswith("phu luc"):
            break
        if is_upper(t) and len(t) < 60 and not out.signer_name:
            pending_title.append(t)
            continue
        if pending_title and not out.signer_name and 1 < len(t.split()) <= 6:
            out.signer_name = t
    if pending_title:
        first = pending_title[0]
        out.signer_title = first
        if fold(first).startswith(("kt.", "tm.", "tl.", "q.", "ktl.")) and len(pending_title) > 1:
            out.signer_position = pending_title[1]
