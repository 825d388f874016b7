"""The plan's body: header (meta), sections I–III, signature and recipients."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from cchc_lib.plan.agency import read_agency
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
_SIGNER_WORDS = (
    "giam doc",
    "truong",
    "chu tich",
    "chanh van phong",
    "thu truong",
    "chanh thanh tra",
    "uy ban nhan dan",
    "bi thu",
)
# "TM." (on behalf of), "KT." (for), "TL.", "Q." (acting), "KT.TL."
_SIGNER_PREFIX = re.compile(r"^(?:tm|kt|tl|ktl|ttl|q|tuq)\s*\.", re.IGNORECASE)
_SIGNED_NOTE = re.compile(r"^[(\[].*[)\]]$")  # "(Đã ký)", "[Chữ ký số]"


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
    signer_lines: list[str] = field(default_factory=list)
    header_lines: tuple[str, ...] = ()
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


_NOT_HEADER = ("du thao", "mat", "toi mat", "khan", "thuong khan", "hoa toc")
_PREAMBLE_START = ("can cu", "thuc hien", "de ", "nham", "trien khai", "theo ", "tiep tuc")
_SEPARATOR = re.compile(r"^[-_=*.~o0\s]{3,}$", re.IGNORECASE)


def _place_date(lines: list[str], i: int) -> tuple[re.Match[str], int] | None:
    """The place-date line at ``i`` (possibly split over two lines) and the lines it took."""
    if m := _PLACE_DATE.match(lines[i]):
        return m, 1
    if i + 1 < len(lines):
        joined = f"{lines[i]} {lines[i + 1]}"
        nxt = fold(lines[i + 1])
        if (lines[i].rstrip().endswith(",") or nxt.startswith(("ngay", "nam"))) and (
            m := _PLACE_DATE.match(joined)
        ):
            return m, 2
    return None


def _title_goes_on(title: str, t: str) -> bool:
    """True when ``t`` continues a title that started with "KẾ HOẠCH"."""
    f = fold(t)
    if len(t) >= 150 or _NUMBER.match(t) or _PLACE_DATE.match(t) or _ROMAN_HEAD.match(t):
        return False
    if f.startswith(_PREAMBLE_START) or t.rstrip().endswith(":"):
        return False
    return not _YEAR.search(title) or is_upper(t)


def _set_date(m: re.Match[str], t: str, out: BodyParse) -> None:
    out.place = nfc(m.group("place"))
    try:
        day = int(m.group("d")) if m.group("d") and m.group("d")[0].isdigit() else 1
        out.date = date(int(m.group("y")), int(m.group("m")), day)
    except ValueError:
        out.warnings.append(f'Ngày ban hành "{t}" không hợp lệ; bỏ qua ngày.')


def _header(texts: list[tuple[str, str]], out: BodyParse) -> list[str]:
    """Number, place and date, title from the lines before section I; the upper-case lines
    of the header's left column (the agency and its parent) are returned."""
    lines = [t for _, t in texts]
    header_lines: list[str] = []
    i = 0
    while i < len(lines):
        t = lines[i]
        f = fold(t)
        i += 1
        if any(f.startswith(m) for m in _MOTTO) or _SEPARATOR.match(t):
            continue
        if m := _NUMBER.match(t):
            out.number = out.number or nfc(m.group("number"))
            continue
        if out.date is None and (found := _place_date(lines, i - 1)):
            _set_date(found[0], t, out)
            i += found[1] - 1
            continue
        if f.startswith("ke hoach") and not out.title:
            out.title = t
            for _ in range(4):  # a title over several lines
                if i < len(lines) and _SEPARATOR.match(lines[i]):
                    i += 1
                    break
                if i < len(lines) and _title_goes_on(out.title, lines[i]):
                    out.title = f"{out.title} {lines[i]}"
                    i += 1
                else:
                    break
            continue
        if not out.title and is_upper(t) and f.strip(" .") not in _NOT_HEADER:
            header_lines.append(t)
    return header_lines


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
            if _is_title_line(t):
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
    preamble = " ".join(t for _, t in texts[:first_section])
    out.agency, out.parent, out.header_lines = read_agency(
        header_lines, preamble, "\n".join(t for _, t in texts)
    )
    sections = _Sections()
    for loc, t in texts[first_section:]:
        sections.add(loc, t)
    sections.fill(out)
    years = [int(y) for y in _YEAR.findall(out.title)]
    out.year = years[-1] if years else (out.date.year if out.date else None)
    return out


def _is_title_line(t: str) -> bool:
    """A line of a signature block's title: "KT. GIÁM ĐỐC", "PHÓ CHỦ TỊCH", "TM. ỦY BAN…"."""
    f = fold(t)
    return (
        is_upper(t)
        and len(t) < 60
        and (bool(_SIGNER_PREFIX.match(f)) or any(w in f for w in _SIGNER_WORDS))
    )


def _name_case(t: str) -> str:
    """A signer's name as written, or in title case when the plan prints it in capitals."""
    if not is_upper(t):
        return t
    return " ".join(w[:1].upper() + w[1:].lower() for w in t.split())


def _parse_signature(lines: list[str], out: BodyParse) -> None:
    """One to three title lines in capitals, then the signer's name."""
    titles: list[str] = []
    for t in lines:
        if _SIGNED_NOTE.match(t):
            continue  # "(Đã ký)"
        if _is_title_line(t) and len(titles) < 3 and not out.signer_name:
            titles.append(t)
            continue
        if titles and not out.signer_name and 1 < len(t.split()) <= 6 and not _BULLET.match(t):
            out.signer_name = _name_case(t)
            break
    out.signer_lines = titles
    if titles:
        out.signer_title = titles[0]
        out.signer_position = titles[-1] if len(titles) > 1 else None


def _parse_tail(tail: list[tuple[str, str]], out: BodyParse) -> None:
    """Recipients after "Nơi nhận:" and the signature block.

    Recipients and signature may stand side by side (a two-column table, or a line with a
    tab): a piece from the right-hand column (location "…, cột 2") is never a recipient.
    """
    in_recipients = False
    signature: list[str] = []
    for loc, t in tail:
        f = fold(t)
        if f.startswith("phu luc"):
            break
        if ", cột " not in loc:
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
        signature.append(t)
    _parse_signature(signature, out)
