"""Property-based tests of the target-links parser (``cchc_lib.indicators.links``).

Whatever the text of a ``links.yaml``, ``parse_links`` returns ``(id, Link | None)``
pairs or raises ``LinkError``: a user's typo must come back as a message naming the
file and the entry, never as a traceback.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc_lib.catalog import load_catalog
from cchc_lib.errors import CchcError, LinkError
from cchc_lib.indicators.links import FORMULAS, Link, default_links, parse_links

SOURCE = "ke_hoach.links.yaml"
CODES = load_catalog().codes
UNITS = ("%", "count", "rank")
KEYS = ("id", "name", "keywords", "exclude", "unit", "yearly", "enabled", *FORMULAS)

SETTINGS = settings(deadline=None)


def outcome(text: str) -> tuple[tuple[str, Link | None], ...] | LinkError:
    """parse_links' result or its LinkError; any other exception propagates (a bug)."""
    try:
        return parse_links(text, SOURCE)
    except LinkError as exc:
        assert isinstance(exc, CchcError)
        assert exc.path == SOURCE
        assert SOURCE in str(exc)
        return exc


def check_parsed(result: tuple[tuple[str, Link | None], ...]) -> None:
    assert isinstance(result, tuple)
    ids = [ident for ident, _ in result]
    assert len(ids) == len(set(ids)), "ids are unique"
    for ident, link in result:
        assert isinstance(ident, str) and ident.strip()
        if link is None:
            continue
        assert isinstance(link, Link)
        assert link.id == ident
        assert link.source == SOURCE
        assert link.formula in FORMULAS
        assert link.terms and all(c in CODES for c in link.codes)
        if link.formula == "difference":
            assert len(link.terms) == 2
        assert bool(link.denominator) == (link.formula == "ratio")
        assert link.keywords and all(group and all(group) for group in link.keywords)
        assert set(link.units) <= set(UNITS)
        assert isinstance(link.yearly, bool) and isinstance(link.name, str)


def check(text: str) -> None:
    result = outcome(text)
    if not isinstance(result, LinkError):
        check_parsed(result)


# --- strategies ------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from([*CODES[:6], *UNITS, *KEYS, "", " ", "hồ sơ", "đúng hạn", "numerator"]),
)
# Mixed-type keys (None, ints, strings) as a YAML mapping may have them.
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers(-3, 3), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=6,
)


def maybe(valid: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly a valid value, sometimes any value."""
    return st.one_of(valid, valid, valid, values)


codes = st.sampled_from(CODES)
code_lists = st.one_of(codes, st.lists(codes, min_size=1, max_size=3))
keyword_groups = st.lists(
    st.one_of(
        st.sampled_from(["hồ sơ", "đúng hạn", "TTHC", "văn bản", "  ", "-"]),
        st.lists(st.sampled_from(["kiểm tra", "phòng", "đơn vị", ""]), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=3,
)
formula_items = st.one_of(
    st.tuples(st.just("sum"), maybe(code_lists)),
    st.tuples(st.just("difference"), maybe(st.lists(codes, min_size=2, max_size=2))),
    st.tuples(
        st.just("ratio"),
        maybe(st.fixed_dictionaries({"numerator": code_lists, "denominator": code_lists})),
    ),
)
idents = st.one_of(st.sampled_from(["a", "b", "ho_so_dung_han", "sang_kien"]), st.text(max_size=8))


# An entry with the keys of a link, each value valid or random, some keys left out.
link_shaped = st.tuples(
    st.fixed_dictionaries(
        {"id": maybe(idents)},
        optional={
            "keywords": maybe(keyword_groups),
            "name": maybe(st.text(max_size=12)),
            "exclude": maybe(st.one_of(st.text(max_size=6), st.lists(st.text(max_size=6)))),
            "unit": maybe(st.one_of(st.sampled_from(UNITS), st.lists(st.sampled_from(UNITS)))),
            "yearly": maybe(st.booleans()),
            "enabled": maybe(st.booleans()),
        },
    ),
    st.lists(formula_items, max_size=2),
    st.one_of(st.just({}), st.just({}), st.just({}), st.dictionaries(keys, values, max_size=1)),
).map(lambda parts: {**parts[0], **dict(parts[1]), **parts[2]})


documents = st.one_of(
    values,
    st.fixed_dictionaries({"links": st.lists(st.one_of(link_shaped, values), max_size=3)}),
    st.fixed_dictionaries({"links": st.lists(link_shaped, max_size=3)}),
)


def dump(document: object) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


words = st.one_of(
    st.sampled_from(["hồ sơ", "đúng hạn", "TTHC", "Văn bản", "kiểm tra", "đột xuất"]),
    st.text(alphabet="abdđêôơư ", min_size=1, max_size=6).filter(str.strip),
)
valid_entry = st.tuples(
    st.fixed_dictionaries(
        {
            "id": st.text(alphabet="abxy_01", min_size=1, max_size=6),
            "keywords": st.lists(
                st.one_of(words, st.lists(words, min_size=1, max_size=3)), min_size=1, max_size=3
            ),
        },
        optional={
            "unit": st.sampled_from(UNITS),
            "yearly": st.booleans(),
            "name": st.one_of(st.sampled_from(["Tỷ lệ hồ sơ", ""]), st.text(max_size=8)),
        },
    ),
    st.one_of(
        st.tuples(st.just("sum"), code_lists),
        st.tuples(st.just("difference"), st.lists(codes, min_size=2, max_size=2)),
        st.tuples(
            st.just("ratio"),
            st.fixed_dictionaries({"numerator": code_lists, "denominator": code_lists}),
        ),
    ),
).map(lambda parts: {**parts[0], parts[1][0]: parts[1][1]})
"""A valid entry: a catalog formula, keywords, and maybe a unit, a yearly flag and a name."""


# Hand-written YAML: scalars as the user types them, including ones PyYAML's own
# constructors choke on (impossible dates, explicit tags on bad values).
YAML_SCALARS = [
    "a", "ho_so_dung_han", "hs_tiep_nhan", "'%'", "count", "true", "no", "~", "null", "1",
    "1.5", ".nan", "-.inf", "0x1F", "0o17", "1_000", "2022-03-15", "2022-13-45",
    "2022-02-30", "2022-02-30 10:00:00", "12:30:45", "[]", "{}", "[a, b]", "{a: 1}", "''",
    "\"x\"", "!!str 5", "!!int x", "!!float x", "!!bool x", "!!timestamp x", "!!null x",
    "!!binary x", "!!set [1]", "!!omap 3", "!!python/name:os.system", "*undefined", "&a x",
    "|", ">", "- x", "? x", "@x", "`x", "%x", "\"\\x\"",
]  # fmt: skip
yaml_scalars = st.one_of(st.sampled_from(YAML_SCALARS), st.text(max_size=6))
LINK_LINES = ["id", "name", "keywords", "exclude", "unit", "yearly", "enabled", "sum", "difference"]


@st.composite
def hand_written(draw: st.DrawFn) -> str:
    lines = ["links:"]
    for _ in range(draw(st.integers(0, 3))):
        keys_here = draw(st.lists(st.sampled_from(LINK_LINES), min_size=1, max_size=5))
        for k, key in enumerate(keys_here):
            value = draw(yaml_scalars)
            if key in ("keywords", "sum", "difference", "exclude") and draw(st.booleans()):
                value = "[" + ", ".join(draw(st.lists(yaml_scalars, max_size=3))) + "]"
            lines.append(f"{'  - ' if k == 0 else '    '}{key}: {value}")
        if draw(st.booleans()):
            lines += ["    ratio:", f"      numerator: {draw(yaml_scalars)}"]
            lines.append(f"      denominator: {draw(yaml_scalars)}")
    return "\n".join(lines) + "\n"


# --- properties --------------------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=200))
@example("")
@example("links:")
@example("links: []")
@example("links: {}")
@example("[links]")
@example("links:\n- id: a\n  sum: hs_tiep_nhan\n  keywords: [hồ sơ]\n")
@example("links:\n- a: 1\n  - b")
@example("\x00")
def test_random_text_parses_or_raises_link_error(text: str) -> None:
    check(text)


@settings(deadline=None)
@given(documents)
@example({"links": [{1: "a", "b": "c"}]})
@example({"links": [{None: "a", 1: "c"}]})
@example({"links": [{"id": "a", "enabled": False}, {"id": "a", "enabled": False}]})
@example({"links": [{"id": "a", "sum": ["hs_tiep_nhan"], "keywords": [""]}]})
@example({"links": [{"id": "a", "ratio": {"numerator": ["hs_tiep_nhan"]}, "keywords": ["x"]}]})
def test_yaml_structures_parse_or_raise_link_error(document: object) -> None:
    check(dump(document))


@settings(deadline=None)
@given(hand_written())
@example("links:\n  - id: 2022-13-45\n")
@example("links:\n  - id: a\n    sum: [!!int x]\n")
@example("links:\n  - id: !!bool x\n")
@example("links: !!timestamp x\n")
@example("links:\n  - id: a\n    name: 2022-02-30 10:00:00\n")
def test_hand_written_yaml_parses_or_raises_link_error(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "scalar",
    ["2022-13-45", "2022-02-30 10:00:00", "!!int x", "!!float x", "!!bool x", "!!timestamp x"],
)
def test_values_pyyaml_cannot_construct_raise_link_error(scalar: str) -> None:
    with pytest.raises(LinkError):
        parse_links(f"links:\n  - id: {scalar}\n", SOURCE)


def test_deep_nesting_raises_link_error() -> None:
    with pytest.raises(LinkError):
        parse_links("links: " + "[" * 600 + "]" * 600, SOURCE)


@settings(deadline=None)
@given(st.lists(valid_entry, min_size=1, max_size=3, unique_by=lambda e: e["id"]))
def test_valid_entries_parse_to_their_links(entries: list[dict[str, object]]) -> None:
    result = outcome(dump({"links": entries}))
    assert not isinstance(result, LinkError), result
    check_parsed(result)
    assert [ident for ident, _ in result] == [e["id"] for e in entries]
    for entry, (_, link) in zip(entries, result, strict=True):
        assert link is not None
        (formula,) = (f for f in FORMULAS if f in entry)
        assert link.formula == formula
        spec = entry[formula]
        if formula == "ratio":
            assert isinstance(spec, dict)
            num, den = spec["numerator"], spec["denominator"]
            assert link.terms == (tuple(num) if isinstance(num, list) else (num,))
            assert link.denominator == (tuple(den) if isinstance(den, list) else (den,))
        else:
            assert link.terms == (tuple(spec) if isinstance(spec, list) else (spec,))
        assert link.yearly == entry.get("yearly", False)
        assert link.units == ((entry["unit"],) if "unit" in entry else ())
        assert len(link.keywords) == len(entry["keywords"])  # type: ignore[arg-type]


@settings(deadline=None)
@given(st.lists(valid_entry, min_size=1, max_size=2, unique_by=lambda e: e["id"]))
def test_enabled_false_switches_an_entry_off(entries: list[dict[str, object]]) -> None:
    off = [{"id": e["id"], "enabled": False} for e in entries]
    result = outcome(dump({"links": off}))
    assert not isinstance(result, LinkError), result
    assert result == tuple((e["id"], None) for e in entries)
    with pytest.raises(LinkError):  # the same id twice
        parse_links(dump({"links": [*entries, off[0]]}), SOURCE)


def test_default_links_survive_a_yaml_round_trip() -> None:
    text = resources.files("cchc_lib").joinpath("data/links.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    again = parse_links(dump(raw), "cchc_lib/data/links.yaml")
    assert tuple(link for _, link in again) == default_links()
