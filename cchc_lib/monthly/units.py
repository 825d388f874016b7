"""Units and what each unit's workbook holds.

A task is reported by its lead unit — the first unit named in "Chủ trì" — and an indicator by
its owner (the catalog's ``owner``, else the focal unit). The focal unit is the catalog's
``focal_unit`` (a plan's ``<plan>.indicators.yaml`` names it), else the unit leading most tasks.
Unit names are matched without case or diacritics, through the plan's unit aliases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from cchc_lib.catalog import Catalog, plan_catalog
from cchc_lib.model import Plan
from cchc_lib.text import fold, nfc

__all__ = [
    "Scope",
    "focal_unit",
    "lead_of",
    "resolve_unit",
    "unit_indicators",
    "unit_names",
    "unit_tasks",
]


_LAST: dict[str, tuple[Plan, object]] = {}


def _memo(name: str, plan: Plan, make):
    """``make()``, remembered for the last plan seen (plans are immutable; a 200,000-task plan
    is worth not walking again for every file)."""
    last = _LAST.get(name)
    if last is not None and last[0] is plan:
        return last[1]
    value = make()
    _LAST[name] = (plan, value)
    return value


def lead_of(plan: Plan) -> dict[str, str]:
    """Task id -> the unit reporting it (its first lead; "" when the plan names none)."""
    return _memo("lead_of", plan, lambda: {t.id: (t.lead[0] if t.lead else "") for t in plan.tasks})


def focal_unit(plan: Plan, catalog: Catalog | None = None) -> str:
    """The unit that owns the indicators without an owner (see the module's text)."""
    own = plan_catalog(plan)
    if catalog is None or catalog is own:
        return _memo("focal", plan, lambda: _focal(plan, own))
    return _focal(plan, catalog)


def _focal(plan: Plan, catalog: Catalog) -> str:
    counts = Counter(u for u in lead_of(plan).values() if u)
    if catalog.focal_unit:
        return _match(catalog.focal_unit, tuple(counts), plan) or catalog.focal_unit
    return counts.most_common(1)[0][0] if counts else ""


def unit_names(plan: Plan, catalog: Catalog | None = None) -> tuple[str, ...]:
    """Every unit that reports something: leads in plan order, then indicator owners."""
    own = plan_catalog(plan)
    cat = catalog or own

    def make() -> tuple[str, ...]:
        focal = focal_unit(plan, cat)
        names = [focal] if focal else []
        names += list(dict.fromkeys(u for u in lead_of(plan).values() if u))
        names += [cat.owner_of(c, focal) for c in cat.codes]
        return tuple(u for u in dict.fromkeys(names) if u)

    return _memo("names", plan, make) if cat is own else make()


@lru_cache(maxsize=16)
def _aliases(source: str) -> dict[str, str]:
    from cchc_lib.plan.units import aliases_for  # the plan's own table, read only

    try:
        return aliases_for(source)
    except Exception:  # noqa: BLE001 - a broken aliases file was already reported with the plan
        return {}


def resolve_unit(name: str, plan: Plan) -> str | None:
    """The canonical name of unit ``name`` (a plan unit, an alias of one), or None.

    Matching ignores case, diacritics and Unicode normal form.
    """
    return _match(name, unit_names(plan), plan)


def _match(name: str, units: tuple[str, ...], plan: Plan) -> str | None:
    wanted = fold(nfc(name))
    names = {fold(u): u for u in units}
    if wanted in names:
        return names[wanted]
    alias = _aliases(plan.source).get(wanted)
    if alias is not None and fold(alias) in names:
        return names[fold(alias)]
    return None


def unit_tasks(plan: Plan, unit: str) -> tuple[str, ...]:
    """Ids of the tasks ``unit`` reports (it is their first lead)."""

    def make() -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for t, u in lead_of(plan).items():
            out.setdefault(u, []).append(t)
        return {u: tuple(ts) for u, ts in out.items()}

    return _memo("tasks", plan, make).get(unit, ())


def unit_indicators(plan: Plan, unit: str, catalog: Catalog | None = None) -> tuple[str, ...]:
    """Codes of the indicators ``unit`` reports."""
    catalog = catalog or plan_catalog(plan)
    focal = focal_unit(plan, catalog)
    return tuple(c for c in catalog.codes if catalog.owner_of(c, focal) == unit)


@dataclass(frozen=True)
class Scope:
    """What one workbook of a month must hold.

    ``tasks``/``indicators``: what it must give (a missing row is an error); ``others``: rows
    that belong to other files this month (task id or code -> why): skipped when blank, an
    error when filled in. ``unit`` is None for the whole agency's workbook.
    """

    unit: str | None
    tasks: frozenset[str]
    indicators: tuple[str, ...]
    others: Mapping[str, str] = field(default_factory=dict)
    quarter_note: bool = True  # warn when a quarter-end month has no narrative

    @classmethod
    def whole(cls, plan: Plan, catalog: Catalog) -> Scope:
        return cls(None, frozenset(t.id for t in plan.tasks), catalog.codes)
