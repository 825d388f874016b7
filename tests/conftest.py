"""Shared fixtures: the bundled seed plan and the second (synthetic) plan."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

import cchc_lib  # noqa: F401 - first: keeps a slow optional import out of nbformat (_speedups)

# Property tests: "full" for `make test` and CI, "fast" (few examples) for `make test-fast`.
settings.register_profile("full", max_examples=100, deadline=None)
settings.register_profile("fast", max_examples=10, deadline=None)
settings.load_profile("full")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "plan" / "000_04455437811e3eec.txt"
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_plan():
    from cchc_lib.plan import load_plan

    return load_plan(SEED)


@pytest.fixture(scope="session")
def second_plan_paths(tmp_path_factory) -> dict[str, Path]:
    from second_plan import second_plan_text, write_second_plan_docx

    d = tmp_path_factory.mktemp("second_plan")
    txt = d / "ke_hoach_2023.txt"
    txt.write_text(second_plan_text(), encoding="utf-8")
    docx_path = write_second_plan_docx(d / "ke_hoach_2023.docx")
    return {"txt": txt, "docx": docx_path}


@pytest.fixture(scope="session")
def second_plan(second_plan_paths):
    from cchc_lib.plan import load_plan

    return load_plan(second_plan_paths["txt"])
