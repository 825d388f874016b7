"""Vietnamese wording helpers for the report: titles, plan vs actual, statuses."""

from __future__ import annotations

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


COMPARATOR_WORDS = {">=": "Tối thiểu", "<=": "Tối đa", "=": ""}


def _quantity(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return fmt_pct(value)
    if unit == "rank":
        return f"{fmt_number(value, 0)} bậc"
    return fmt_number(value, 1)


def plan_value(t: TargetResult) -> str:
    """ "Tối thiểu 50%", "Tối thiểu 1 (phấn đấu 2)", "Tăng tối thiểu 3 bậc (phấn đấu 5 bậc)"."""
    head = COMPARATOR_WORDS.get(t.comparator, t.comparator)
    text = f"{head} {_quantity(t.threshold, t.unit)}".strip()
    if t.unit == "rank":
        text = "Tăng " + text[:1].lower() + text[1:]
    if t.stretch is not None:
        text += f" (phấn đấu {_quantity(t.stretch, t.unit)})"
    return text


def actual_value(t: TargetResult) -> str:
    if t.actual is None:
        return "—"
    if t.unit == "%":
        return fmt_pct(t.actual)
    if t.unit == "rank":
        n = t.actual
        return (
            f"Tăng {fmt_int(n)} bậc"
            if n > 0
            else ("Giữ nguyên" if n == 0 else f"Giảm {fmt_int(-n)} bậc")
        )
    return fmt_int(t.actual)


def gap_text(t: TargetResult) -> str:
    """How far a target not met is from its threshold ("còn thiếu 12,5 điểm %")."""
    if t.actual is None or t.met is not False:
        return ""
    diff = abs(t.threshold - t.actual)
    if t.unit == "%":
        return f"chênh lệch {fmt_number(diff, 1)} điểm phần trăm so với kế hoạch"
    if t.unit == "rank":
        return f"còn thiếu {fmt_int(diff)} bậc so với kế hoạch"
    return f"còn thiếu {fmt_number(diff, 1)} so với kế hoạch"


def clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
