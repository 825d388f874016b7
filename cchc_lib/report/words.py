"""Vietnamese wording helpers for the report: titles, plan vs actual, statuses."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from cchc_lib.fmt import fmt_int, fmt_number, fmt_pct
from cchc_lib.indicators import TargetResult
from cchc_lib.text import fold

# Vietnamese letters order for points a), b), …: no f, j, w, z; "đ" after "d".
POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@lru_cache(maxsize=1)
def report_config() -> dict:
    text = resources.files("cchc_lib").joinpath("data/report.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def area_config(title: str) -> dict:
    """The report.yaml entry for a plan area (by keywords in its title), or an empty one."""
    f = fold(title)
    for entry in report_config()["areas"]:
        if all(fold(k) in f for k in entry["keywords"]):
            return entry
    return {"keywords": [], "indicators": []}


def direction_config() -> dict:
    """The report.yaml entry of the area reported under section I (Công tác chỉ đạo)."""
    return next((e for e in report_config()["areas"] if e.get("direction")), {})


def sentence_case(title: str) -> str:
    """ "CẢI CÁCH THỦ TỤC HÀNH CHÍNH" -> "Cải cách thủ tục hành chính" (acronyms kept).

    >>> sentence_case("XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ")
    'Xây dựng và phát triển Chính phủ điện tử'
    """
    cfg = report_config()
    keep = {fold(w): w for w in cfg["keep_upper"]}
    letters = [c for c in title if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) < 0.85:
        return title  # already in sentence case
    words = []
    for w in title.split():
        core = w.strip(",.;:()")
        words.append(w if fold(core) in keep and core.isupper() else w.lower())
    text = " ".join(words)
    for low, proper in cfg["proper"].items():
        text = text.replace(low, proper)
    return text[:1].upper() + text[1:]


COMPARATOR_WORDS = {">=": "Ít nhất", "<=": "Không quá", "=": ""}


def _quantity(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return fmt_pct(value)
    if float(value).is_integer():
        n = int(value)
        text = f"{n:02d}" if 0 < n < 10 else fmt_int(n)
    else:
        text = fmt_number(value, 1)
    return f"{text} bậc" if unit == "rank" else text


def plan_value(t: TargetResult) -> str:
    """The plan's level: "100%", "Ít nhất 50%", "Ít nhất 01, phấn đấu 02",
    "Tăng ít nhất 03 bậc, phấn đấu 05 bậc"."""
    if t.unit == "%" and t.threshold >= 100 and t.comparator in (">=", "="):
        return "100%"
    if t.unit == "rank" and t.comparator == "<=":
        return f"Trong nhóm {_quantity(t.threshold, 'count')} đơn vị dẫn đầu"
    head = COMPARATOR_WORDS.get(t.comparator, t.comparator)
    text = f"{head} {_quantity(t.threshold, t.unit)}".strip()
    if t.unit == "rank":
        text = "Tăng " + text[:1].lower() + text[1:]
    if t.stretch is not None:
        text += f", phấn đấu {_quantity(t.stretch, t.unit)}"
    return text[:1].upper() + text[1:]


def actual_value(t: TargetResult) -> str:
    if t.actual is None:
        return "—"
    if t.unit == "%":
        return fmt_pct(t.actual)
    if t.unit == "rank" and t.comparator == "<=":
        return f"Xếp thứ {fmt_int(t.actual)}"
    if t.unit == "rank":
        return places_moved(t.actual)
    return fmt_int(t.actual)


def places_moved(n: float) -> str:
    """A change of places on a ranking, up being better: "Tăng 3 bậc", "Giữ nguyên",
    "Giảm 1 bậc"."""
    n = round(n)
    return (
        f"Tăng {fmt_int(n)} bậc"
        if n > 0
        else ("Giữ nguyên" if n == 0 else f"Giảm {fmt_int(-n)} bậc")
    )


def gap_text(t: TargetResult) -> str:
    """How far a target not met is from its threshold ("còn thiếu 12,5 điểm %")."""
    if t.actual is None or t.met is not False:
        return ""
    diff = abs(t.threshold - t.actual)
    if t.unit == "%":
        return f"chênh lệch {fmt_number(diff, 1)} điểm phần trăm so với kế hoạch"
    if t.unit == "rank" and t.comparator == "<=":
        return f"thấp hơn {fmt_int(diff)} bậc so với kế hoạch"
    if t.unit == "rank":
        return f"còn thiếu {fmt_int(diff)} bậc so với kế hoạch"
    return f"còn thiếu {fmt_number(diff, 1)} so với kế hoạch"


def clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- prose ------------------------------------------------------------------------


def date_text(d: date) -> str:
    """A date in running text, the decree's way: "19/01/2022", "14/6/2022", "02/9/2022".

    >>> date_text(date(2022, 1, 19)), date_text(date(2022, 6, 14)), date_text(date(2022, 9, 2))
    ('19/01/2022', '14/6/2022', '02/9/2022')
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{d.day:02d}/{month}/{d.year}"


def on(d: date) -> str:
    """ "ngày 19/01/2022"."""
    return f"ngày {date_text(d)}"


def count(n: float | int) -> str:
    """A count in prose: 1–9 with a leading zero, as officials write ("03 chậm").

    >>> count(3), count(14), count(1234)
    ('03', '14', '1.234')
    """
    value = int(n)
    return f"{value:02d}" if 0 < value < 10 else fmt_int(value)


def self_name(agency: str) -> str:
    """How the agency names itself in its own report: "Sở", "UBND huyện", or its name."""
    f = fold(agency)
    for entry in report_config().get("self_names", []):
        if f.startswith(fold(entry["starts"])):
            return str(entry["name"])
    return agency


def addressees(agency: str) -> dict[str, str]:
    """The offices a proposal of this kind of agency goes to (home affairs, finance, digital)."""
    f = fold(agency)
    for entry in report_config().get("addressees", []):
        if f.startswith(fold(entry["starts"])):
            return {k: str(v) for k, v in entry.items() if k != "starts"}
    return {}


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """A task name put inside a sentence: its first letter lower case unless an acronym."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


_STATUS_WORDS = re.compile(
    r"^\s*(?:đã hoàn thành|hoàn thành|đang thực hiện|đang triển khai|triển khai thường xuyên"
    r"|thực hiện thường xuyên|chưa triển khai)\s*[:;,.-]\s*",
    re.IGNORECASE,
)
_ONLY_PROGRESS = re.compile(r"^(?:đã thực hiện )?(?:khoảng )?\d+(?:[.,]\d+)?\s*%[^.;]*[.;]?$", re.I)


def result_text(text: str) -> str:
    """A unit's "Kết quả, sản phẩm" as the report quotes it: without a leading status word
    ("Đã hoàn thành: …"), and empty when it only repeats a percentage."""
    out = " ".join(text.split())
    while True:
        stripped = _STATUS_WORDS.sub("", out, count=1)
        if stripped == out:
            break
        out = stripped
    out = out.strip(" .;")
    if not out or _ONLY_PROGRESS.match(out):
        return ""
    return out[:1].upper() + out[1:]


def first_sentence(text: str, limit: int = 300) -> str:
    """The text up to its first full stop; longer ones cut at a word, never mid-word."""
    text = " ".join(text.split())
    m = re.search(r"(?<=[^\d])[.;](\s|$)", text)
    if m and m.start() < limit:
        return text[: m.start()].strip()
    if len(text) <= limit:
        return text.rstrip(" .;")
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;") + "…"


def join_items(items: list[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]
