"""The exploration view: a unit's tasks as lead or partner, by name or alias; late tasks."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEED

from cchc_lib import explore
from cchc_lib.errors import CchcError


@pytest.fixture(scope="module")
def load():
    def _load(unit: str = "") -> explore.View:
        return explore.load(
            report="2022-H1", plan=str(SEED), data=str(ROOT / "data" / "2022"), unit=unit
        )

    return _load


def test_alias_and_canonical_name_give_the_same_unit(load):
    a, b = load("Văn phòng"), load("văn phòng sở")
    assert a.unit == b.unit == "Văn phòng Sở"
    assert list(a.tasks().index) == list(b.tasks().index)


def test_a_unit_sees_every_task_it_leads_or_partners_on(load):
    view = load("Tổ CNTT")
    plan = view.plan
    want = [t.id for t in plan.tasks if view.unit in (*t.lead, *t.partners)]
    first = [t.id for t in plan.tasks if t.lead[:1] == (view.unit,)]
    assert list(view.tasks().index) == want and len(want) > len(first)
    summary = view.summary_by_unit()
    assert summary["Số nhiệm vụ"].sum() == len(want)


def test_unknown_unit_lists_the_plans_units(load):
    with pytest.raises(CchcError, match="Các đơn vị: .*Thanh tra Sở"):
        load("Phòng Không Có")


def test_late_tasks(load):
    view = load("Văn phòng")
    late = view.late_tasks()
    states = {s.task_id: s for s in view.results.tasks}
    assert list(late.index) == [
        t for t in view.tasks().index if states[t].timeliness in ("overdue", "late")
    ]
    assert len(late) >= 1
    assert list(load().summary_by_unit().index)  # every lead unit, no crash
