"""Links from a plan's measurable targets to indicator formulas (data, not code).

The defaults live in ``data/links.yaml``; a plan may carry its own
``<plan file stem>.links.yaml`` beside it. A link *fits* a measure when every one of
its keyword groups occurs in the measure's sentence (case/diacritic-insensitive, whole
words), none of its exclusions does, and its unit and comparator (when it names them)
are the measure's. Among the links that fit, a measure takes the one that explains
most of the sentence: the most keyword groups, then the longest keywords matched;
file order only breaks ties. The plan's own links are tried before the defaults. The
link only says *what to compute*; comparator, threshold and stretch always come from
the plan's measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NoReturn

import yaml

from cchc_lib.catalog import load_catalog
from cchc_lib.errors import LinkError
from cchc_lib.model import Measure, Plan
from cchc_lib.text import fold, nfc

__all__ = [
    "COMPARATORS",
    "FORMULAS",
    "Link",
    "best_link",
    "default_links",
    "link_measures",
    "links_path_for",
    "load_links",
    "parse_links",
]

FORMULAS = ("ratio", "sum", "difference")
UNITS = ("%", "count", "rank")
COMPARATORS = (">=", "<=", "=")
_KEYS = {
    "id",
    "name",
    "keywords",
    "exclude",
    "unit",
    "comparator",
    "yearly",
    "enabled",
    "denominator_label",
    *FORMULAS,
}
DEFAULT_SOURCE = "cchc_lib/data/links.yaml"
MAX_LINKS_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Link:
    """How to compute the actual value of a kind of target.

    ``terms``: the codes summed (``sum``), the numerator (``ratio``) or
    ``(a, b)`` for ``difference`` (a - b). ``keywords`` are folded; each inner
    tuple lists alternatives, and every group must occur.
    """

    id: str
    name: str
    formula: str
    terms: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    yearly: bool = False
    source: str = ""
    denominator_label: str = (
        ""  # what a ratio is out of, as the report says it ("TTHC đủ điều kiện")
    )
    comparators: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Every indicator code the formula reads."""
        seen: dict[str, None] = {}
        for c in (*self.terms, *self.denominator):
            seen.setdefault(c, None)
        return tuple(seen)

    def matches(self, text: str, unit: str, comparator: str | None = None) -> bool:
        """True when every keyword group and none of the exclusions occur in ``text``."""
        return self.score(text, unit, comparator) is not None

    def score(self, text: str, unit: str, comparator: str | None = None) -> tuple[int, int] | None:
        """How much of ``text`` the link explains, (keyword groups, characters of the
        longest keyword matched in each), or None when it does not fit."""
        if self.units and unit not in self.units:
            return None
        if self.comparators and comparator is not None and comparator not in self.comparators:
            return None
        folded = fold(text)
        if any(_has_word(folded, w) for w in self.exclude):
            return None
        length = 0
        for group in self.keywords:
            hits = [len(w) for w in group if _has_word(folded, w)]
            if not hits:
                return None
            length += max(hits)
        return len(self.keywords), length

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The formula over aggregated indicator values; None when data is missing.

        A ratio with a zero denominator is None (nothing to measure against).
        """
        needed = [values.get(c) for c in self.codes]
        if any(v is None for v in needed):
            return None
        if self.formula == "sum":
            return float(sum(values[c] or 0 for c in self.terms))
        if self.formula == "difference":
            a, b = self.terms
            return float((values[a] or 0) - (values[b] or 0))
        den = sum(values[c] or 0 for c in self.denominator)
        if den == 0:
            return None
        return 100.0 * sum(values[c] or 0 for c in self.terms) / den

    def describe(self) -> str:
        """The formula in indicator codes, e.g. "100 × (a + b) / (c)"."""
        if self.formula == "sum":
            return " + ".join(self.terms)
        if self.formula == "difference":
            return f"{self.terms[0]} - {self.terms[1]}"
        return f"100 × ({' + '.join(self.terms)}) / ({' + '.join(self.denominator)})"


def _has_word(folded_text: str, folded_word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(folded_word)}(?!\w)", folded_text) is not None


# --- parsing --------------------------------------------------------------------


def _where(index: int, entry: object) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    return f"mục thứ {index + 1}" + (f' (id "{ident}")' if ident else "")


def _str_list(value: object, what: str, fail: Callable[[str], NoReturn]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        fail(f'"{what}" phải là một danh sách chuỗi không rỗng, nhận được {value!r}')
    return tuple(value)


def _formula(entry: dict, fail: Callable[[str], NoReturn]) -> tuple[str, tuple, tuple]:
    """(formula, terms, denominator) of an entry; every code must be in the catalog."""
    formulas = [f for f in FORMULAS if f in entry]
    if len(formulas) != 1:
        fail(
            "cần đúng một công thức trong số: ratio (tỷ lệ), sum (tổng), difference (hiệu); "
            f"tìm thấy {len(formulas)}"
        )
    formula = formulas[0]
    spec = entry[formula]
    denominator: tuple[str, ...] = ()
    if formula == "ratio":
        if not isinstance(spec, dict) or set(spec) != {"numerator", "denominator"}:
            fail('"ratio" cần hai khóa "numerator" (tử số) và "denominator" (mẫu số)')
        terms = _str_list(spec["numerator"], "ratio.numerator", fail)
        denominator = _str_list(spec["denominator"], "ratio.denominator", fail)
    else:
        terms = _str_list(spec, formula, fail)
        if formula == "difference" and len(terms) != 2:
            fail(f'"difference" cần đúng hai mã chỉ số [a, b] (a - b), nhận được {list(terms)}')
    catalog = load_catalog()
    bad = [c for c in (*terms, *denominator) if c not in catalog]
    if bad:
        fail(
            f"mã chỉ số không có trong danh mục: {', '.join(bad)}. "
            "Xem cchc_lib/data/indicators.yaml để biết các mã hợp lệ"
        )
    return formula, terms, denominator


def _keywords(entry: dict, fail: Callable[[str], NoReturn]) -> tuple[tuple, tuple]:
    """(keyword groups, exclusions), folded."""
    raw_kw = entry.get("keywords")
    if not isinstance(raw_kw, list) or not raw_kw:
        fail(
            '"keywords" phải là danh sách từ khóa không rỗng '
            "(một danh sách con = các từ thay thế nhau)"
        )
    keywords = []
    for group in raw_kw:
        alts = _str_list(group, "keywords", fail)
        keywords.append(tuple(fold(a) for a in alts if fold(a)))
        if not keywords[-1]:
            fail('"keywords" có từ khóa rỗng')
    exclude = entry.get("exclude", [])
    exclude_t = tuple(fold(w) for w in _str_list(exclude, "exclude", fail)) if exclude else ()
    return tuple(keywords), exclude_t


def _flag(entry: dict, key: str, default: bool, fail: Callable[[str], NoReturn]) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        fail(f'"{key}" phải là true hoặc false, nhận được {value!r}')
    return value


def _comparators(entry: dict, fail: Callable[[str], NoReturn]) -> tuple[str, ...]:
    value = entry.get("comparator", [])
    found = _str_list(value, "comparator", fail) if value else ()
    wrong = [c for c in found if c not in COMPARATORS]
    if wrong:
        fail(
            f"so sánh {', '.join(map(repr, wrong))} không hợp lệ; chọn trong: "
            f"{', '.join(COMPARATORS)}"
        )
    return found


def _units(entry: dict, fail: Callable[[str], NoReturn]) -> tuple[str, ...]:
    unit = entry.get("unit", [])
    units = _str_list(unit, "unit", fail) if unit else ()
    wrong = [u for u in units if u not in UNITS]
    if wrong:
        fail(f"đơn vị {', '.join(map(repr, wrong))} không hợp lệ; chọn trong: {', '.join(UNITS)}")
    return units


def _label(entry: dict, fail: Callable[[str], NoReturn]) -> str:
    label = entry.get("denominator_label", "")
    if not isinstance(label, str):
        fail(f'"denominator_label" phải là chuỗi, nhận được {label!r}')
    return nfc(label)


def _parse_entry(entry: object, index: int, source: str) -> tuple[str, Link | None]:
    """One entry -> (id, link); the link is None for ``enabled: false``."""
    where = _where(index, entry)

    def fail(message: str) -> NoReturn:
        raise LinkError(source, where, message + ".")

    if not isinstance(entry, dict):
        fail(f"mỗi mục phải là một bảng khóa: giá trị, nhận được {entry!r}")
    unknown = sorted(map(str, set(entry) - _KEYS))
    if unknown:
        fail(
            f"khóa không hợp lệ {', '.join(map(repr, unknown))}. "
            f"Các khóa hợp lệ: {', '.join(sorted(_KEYS))}"
        )
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident.strip():
        fail('thiếu "id" (tên ngắn, duy nhất, ví dụ: ho_so_dung_han)')
    if not _flag(entry, "enabled", True, fail):
        return ident, None
    formula, terms, denominator = _formula(entry, fail)
    keywords, exclude = _keywords(entry, fail)
    name = entry.get("name", ident)
    if not isinstance(name, str):
        fail(f'"name" phải là chuỗi, nhận được {name!r}')
    return ident, Link(
        id=ident,
        name=nfc(name),
        formula=formula,
        terms=terms,
        denominator=denominator,
        keywords=keywords,
        exclude=exclude,
        units=_units(entry, fail),
        yearly=_flag(entry, "yearly", False, fail),
        denominator_label=_label(entry, fail),
        source=source,
        comparators=_comparators(entry, fail),
    )


def parse_links(text: str, source: str) -> tuple[tuple[str, Link | None], ...]:
    """Entries of a links file as ``(id, link)``; ``link`` None switches a default off."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LinkError(source, None, f"không đúng định dạng YAML ({exc}).") from None
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as "2022-13-45" or "!!int x"
        raise LinkError(
            source, None, f"có giá trị không đọc được ({type(exc).__name__}: {exc})."
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("links"), list):
        raise LinkError(source, None, 'cần khóa "links:" chứa danh sách các liên kết.')
    out: list[tuple[str, Link | None]] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["links"]):
        ident, link = _parse_entry(entry, i, source)
        if ident in seen:
            raise LinkError(
                source, _where(i, entry), f'"id" "{ident}" bị trùng; mỗi liên kết cần id riêng.'
            )
        seen.add(ident)
        out.append((ident, link))
    return tuple(out)


@lru_cache(maxsize=1)
def default_links() -> tuple[Link, ...]:
    """The links shipped in ``cchc_lib/data/links.yaml``."""
    text = resources.files("cchc_lib").joinpath("data/links.yaml").read_text("utf-8")
    return tuple(link for _, link in parse_links(text, DEFAULT_SOURCE) if link is not None)


def links_path_for(plan_path: str | Path) -> Path:
    """``<plan dir>/<plan stem>.links.yaml``."""
    p = Path(plan_path)
    return p.with_name(p.stem + ".links.yaml")


def merge_links(
    defaults: tuple[Link, ...], extra: tuple[tuple[str, Link | None], ...]
) -> tuple[Link, ...]:
    """The plan's entries first (in file order), then the defaults they do not name."""
    named = {ident for ident, _ in extra}
    own = tuple(link for _, link in extra if link is not None)
    return own + tuple(link for link in defaults if link.id not in named)


def load_links(plan_path: str | Path | None = None) -> tuple[Link, ...]:
    """Default links, overridden/extended by the plan's ``<stem>.links.yaml`` if present."""
    defaults = default_links()
    if plan_path is None:
        return defaults
    side = links_path_for(plan_path)
    if not side.exists():
        return defaults
    from cchc_lib.plan.sources import read_regular_file

    try:
        text = read_regular_file(side, MAX_LINKS_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LinkError(
            str(side),
            None,
            "tệp không được mã hóa UTF-8; hãy mở tệp và lưu lại với mã Unicode UTF-8.",
        ) from None
    except ValueError as exc:
        raise LinkError(str(side), None, str(exc)) from None
    return merge_links(defaults, parse_links(text, str(side)))


def best_link(measure: Measure, links: tuple[Link, ...]) -> Link | None:
    """The link that explains most of the measure's sentence (module docstring); the
    plan's own links (any source but the package's) before the defaults."""
    best: tuple[tuple[int, int, int], Link] | None = None
    for link in links:
        score = link.score(measure.text, measure.unit, measure.comparator)
        if score is None:
            continue
        key = (0 if link.source == DEFAULT_SOURCE else 1, *score)
        if best is None or key > best[0]:
            best = (key, link)
    return best[1] if best else None


def link_measures(plan: Plan, links: tuple[Link, ...]) -> dict[Measure, Link]:
    """Each measure of the plan's targets mapped to its best link (:func:`best_link`).

    Measures no link fits are absent from the result.
    """
    out: dict[Measure, Link] = {}
    for target in plan.targets:
        for measure in target.measures:
            if measure in out:
                continue
            if (link := best_link(measure, tuple(links))) is not None:
                out[measure] = link
    return out
