"""Four plans of other kinds of agencies (tests/fixtures/agency_plans.py), as text and
Word: every field read as the plan writes it, and both forms read alike."""

from __future__ import annotations

import pytest
from agency_plans import SPECS, write_plans

from cchc_lib.indicators.links import best_link, load_links
from cchc_lib.plan import load_plan

FORMS = ("txt", "docx")


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    return write_plans(tmp_path_factory.mktemp("agency_plans"))


@pytest.fixture(scope="module")
def plans(paths):
    return {(key, form): load_plan(p) for key, forms in paths.items() for form, p in forms.items()}


CASES = [(key, form) for key in SPECS for form in FORMS]


@pytest.mark.parametrize("key,form", CASES)
def test_meta(plans, key, form):
    meta = plans[key, form].meta
    for field, expected in SPECS[key].meta.items():
        assert getattr(meta, field) == expected, field


@pytest.mark.parametrize("key,form", CASES)
def test_areas_and_task_ids(plans, key, form):
    plan, spec = plans[key, form], SPECS[key]
    assert [(a.code, a.title) for a in plan.areas] == spec.areas
    for code, subs in spec.subareas.items():
        assert [(s.code, s.title) for s in plan.area(code).subareas] == subs
    assert [t.id for t in plan.tasks] == [i for row in spec.rows for i in row.ids]


@pytest.mark.parametrize("key,form", CASES)
def test_task_fields(plans, key, form):
    plan, spec = plans[key, form], SPECS[key]
    for task_id, expected in spec.tasks.items():
        t = plan.task(task_id)
        if "lead" in expected:
            assert t.lead == expected["lead"], task_id
        if "partners" in expected:
            assert t.partners == expected["partners"], task_id
        kind, start, end, dues = expected["deadline"]
        dl = t.deadline
        assert (dl.kind, dl.start, dl.end, dl.dues) == (kind, start, end, dues), task_id
        assert dl.start_raw == expected.get("start_raw", dl.start_raw), task_id
        if "budget" in expected:
            assert (t.budget.kind, t.budget.amount_vnd) == expected["budget"], task_id
        if "task" in expected:
            assert t.task == expected["task"], task_id
        if "activities" in expected:
            assert t.activities == expected["activities"], task_id


@pytest.mark.parametrize("key,form", CASES)
def test_measures_and_links(paths, plans, key, form):
    plan, spec = plans[key, form], SPECS[key]
    links = load_links(paths[key][form])
    got = []
    for target in plan.targets:
        for m in target.measures:
            link = best_link(m, links)
            got.append(
                (target.id, m.comparator, m.value, m.stretch, m.unit, link.id if link else None)
            )
    assert got == spec.measures


@pytest.mark.parametrize("key,form", CASES)
def test_warnings(plans, key, form):
    warnings = plans[key, form].warnings
    assert len(warnings) == len(SPECS[key].warnings), warnings
    for fragment, warning in zip(SPECS[key].warnings, warnings, strict=True):
        assert fragment in warning


@pytest.mark.parametrize("key", SPECS)
def test_text_and_word_read_alike(plans, key):
    a, b = plans[key, "txt"].to_dict(), plans[key, "docx"].to_dict()
    for plan in (a, b):
        plan.pop("source")
        for t in plan["tasks"]:
            t.pop("source_line")
    assert a == b


def test_department_has_more_than_forty_tasks_under_six_areas(plans):
    plan = plans["department", "docx"]
    assert len(plan.areas) == 6 and len(plan.tasks) >= 40


def test_heading_rows_become_targets(plans):
    plan = plans["province", "txt"]
    assert plan.task("I.2.1").target == "Kiểm tra công tác CCHC tại các sở, ngành, địa phương"
    assert [t.id for t in plan.targets if t.section == "appendix"] == ["PL.I.2"]
