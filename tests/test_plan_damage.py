"""Property tests: damaged plans give a Plan or PlanFormatError, never anything else."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_lib.errors import PlanFormatError
from cchc_lib.model import Plan
from cchc_lib.plan import parse_plan
from cchc_lib.plan.sources import read_text

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")


def _parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        result = parse_plan(read_text(data, "damaged.txt"))
    except PlanFormatError as exc:
        assert "damaged.txt" in str(exc)
        return exc
    assert isinstance(result, Plan)
    return result


@st.composite
def damaged(draw) -> str:
    lines = list(SEED_LINES)
    ops = draw(
        st.lists(
            st.sampled_from(
                ["truncate", "drop_tabs", "shuffle", "dup", "nfd", "crlf", "delete", "garble"]
            ),
            min_size=1,
            max_size=4,
        )
    )
    rnd = draw(st.randoms(use_true_random=False))
    for op in ops:
        if op == "truncate":
            cut = draw(st.integers(0, len(SEED_TEXT)))
            lines = "\n".join(lines)[:cut].split("\n")
        elif op == "drop_tabs" and lines:
            for _ in range(draw(st.integers(1, 20))):
                i = rnd.randrange(len(lines))
                if "\t" in lines[i]:
                    k = rnd.randrange(lines[i].count("\t"))
                    parts = lines[i].split("\t")
                    lines[i] = "\t".join(parts[: k + 1]) + "".join(parts[k + 1 :])
        elif op == "shuffle" and len(lines) > 2:
            i, j = sorted(rnd.sample(range(len(lines)), 2))
            seg = lines[i:j]
            rnd.shuffle(seg)
            lines[i:j] = seg
        elif op == "dup" and lines:
            i = rnd.randrange(len(lines))
            lines.insert(i, lines[i])
        elif op == "delete" and lines:
            del lines[rnd.randrange(len(lines))]
        elif op == "nfd":
            lines = [unicodedata.normalize("NFD", ln) for ln in lines]
        elif op == "crlf":
            lines = [ln + "\r" for ln in lines]
        elif op == "garble" and lines:
            i = rnd.randrange(len(lines))
            lines[i] = draw(st.text(max_size=80))
    return "\n".join(lines)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_seed_gives_plan_or_error(text):
    _parse(text)


@settings(deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_plan_or_error(data):
    _parse(data)


def test_nfd_and_crlf_parse_like_the_original():
    original = _parse(SEED_TEXT)
    variant = _parse(unicodedata.normalize("NFD", SEED_TEXT).replace("\n", "\r\n"))
    assert isinstance(original, Plan) and isinstance(variant, Plan)
    a, b = original.to_dict(), variant.to_dict()
    assert a["tasks"] == b["tasks"]
    assert a["meta"] == b["meta"]
