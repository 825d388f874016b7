"""Property-based tests of ``compute``: counts add up, indicators aggregate by kind.

Small random plans are built from ``cchc_lib.model`` values; random monthly data
report task rows and catalog indicators. ``flow`` indicators sum over the months,
``stock`` indicators take the last month with a value, ``opening`` ones the first month's.
"""

from __future__ import annotations

import math
import random
from dataclasses import fields
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_lib.catalog import load_catalog
from cchc_lib.indicators import TARGET_LABELS, TIMELINESS, Results, Summary, compute, period_values
from cchc_lib.indicators.links import default_links
from cchc_lib.model import (
    STATUSES,
    Area,
    Budget,
    Deadline,
    Measure,
    MonthData,
    Plan,
    PlanMeta,
    Target,
    Task,
    TaskProgress,
)
from cchc_lib.periods import parse_period

YEAR = 2022
CATALOG = load_catalog()
CODES = CATALOG.codes
KIND = {i.code: i.kind for i in CATALOG.indicators}
FLOWS = [c for c in CODES if KIND[c] == "flow"]
STOCKS = [c for c in CODES if KIND[c] == "stock"]
AREAS = ("I", "II", "III", "IV", "V", "VI", "VII")
LEADS = ("Văn phòng", "Phòng Tổ chức", "Phòng Kế hoạch")
# The plan year's months, plus neighbours that no period of the year holds.
LABELS = ("2021-11", "2021-12", *(f"{YEAR}-{m:02d}" for m in range(1, 13)), "2023-01")
PERIOD_CODES = (
    *(f"{YEAR}-Q{q}" for q in range(1, 5)),
    f"{YEAR}-H1",
    f"{YEAR}-H2",
    f"{YEAR}-9M",
    f"{YEAR}-Y",
    *(f"{YEAR}-{m:02d}" for m in range(1, 13)),
)
# Periods of several months as often as single months.
period_codes = st.one_of(st.sampled_from(PERIOD_CODES[:8]), st.sampled_from(PERIOD_CODES[8:]))
MEASURES = (
    Measure("100% hồ sơ được giải quyết trước hạn và đúng hạn", ">=", 100.0, None, "%"),
    Measure("Có ít nhất 01-02 sáng kiến được công nhận", ">=", 1.0, 2.0, "count"),
    Measure("Tăng 03-05 bậc trên bảng xếp hạng Chỉ số CCHC", ">=", 3.0, 5.0, "rank"),
    Measure("Tối thiểu 50% văn bản đi có chữ ký số", ">=", 50.0, None, "%"),
    Measure("Không quá 5% hồ sơ trễ hạn", "<=", 5.0, None, "%"),
    Measure("Kiểm tra 02 phòng, đơn vị", "=", 2.0, None, "count"),
    Measure("Một chỉ tiêu không có liên kết", ">=", 10.0, None, "count"),
)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


# --- strategies ------------------------------------------------------------------------

# Hypothesis draws the shape of a scenario (areas, number of tasks, months present,
# the period) and a seed per plan and per month; the seeds fill in the details with
# ``random.Random``. One draw per month instead of one per cell keeps each file fast.

FIRST_DAY = date(YEAR - 1, 11, 1)
# Dates near the window edges (the 14th/15th, month ends) come up often.
EDGE_DAYS = [
    date(y, m, d)
    for y, m in [(YEAR - 1, 12), *((YEAR, m) for m in range(1, 13)), (YEAR + 1, 1)]
    for d in (1, 14, 15, 28)
] + [date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 9, 30), date(YEAR, 12, 31)]


def some_day(rng: random.Random) -> date:
    if rng.random() < 0.6:
        return rng.choice(EDGE_DAYS)
    return FIRST_DAY + timedelta(days=rng.randint(0, 460))


def some_deadline(rng: random.Random) -> Deadline:
    kind = rng.choice(["by_date", "window", "recurring", "per_plan", "unspecified"])
    if kind == "unspecified":
        return Deadline("", kind)
    if kind in ("recurring", "per_plan"):
        return Deadline(kind, kind, date(YEAR, 1, 1), date(YEAR, 12, 31), kind == "recurring")
    a, b = sorted([some_day(rng), some_day(rng)])
    return Deadline(kind, kind, a, b)


def make_plan(areas: list[str], n_tasks: int, seed: int, measures: list[Measure]) -> Plan:
    rng = random.Random(seed)
    tasks = tuple(
        Task(
            id=f"T{k}",
            # Mostly an area of the plan; sometimes one the plan does not list.
            area=rng.choice(areas) if rng.random() < 0.8 else rng.choice(AREAS),
            subarea=None,
            row=k + 1,
            target="",
            task=f"Nhiệm vụ {k}",
            activities=(),
            outputs=(),
            lead=tuple(rng.sample(LEADS, rng.randint(0, 2))),
            partners=(),
            deadline=some_deadline(rng),
            budget=Budget("0", "none"),
        )
        for k in range(n_tasks)
    )
    targets = tuple(
        Target(id=f"II.2.{i + 1}", section="II.2", text=m.text, measures=(m,))
        for i, m in enumerate(measures)
    )
    meta = PlanMeta("Sở X", None, "1/KH", None, None, YEAR, "KẾ HOẠCH", "GIÁM ĐỐC", None, "A")
    area_values = tuple(Area(a, f"Lĩnh vực {a}") for a in areas)
    return Plan("kh.txt", meta, (), (), targets, (), area_values, tasks)


plans = st.builds(
    make_plan,
    st.lists(st.sampled_from(AREAS), min_size=1, max_size=4, unique=True),
    st.integers(0, 6),
    st.integers(0, 2**32 - 1),
    st.lists(st.sampled_from(MEASURES), max_size=4, unique=True),
)


def indicator_values(seed: int, blank_share: float) -> tuple[tuple[str, float | None], ...]:
    """One month's indicators, drawn from ``seed`` (one draw, not one per code: fast).

    Mostly whole numbers, sometimes fractions; ``blank_share`` of the cells left empty.
    """
    rng = random.Random(seed)
    values: list[tuple[str, float | None]] = []
    for code in CODES:
        if rng.random() < blank_share:
            values.append((code, None))
        elif rng.random() < 0.8:
            values.append((code, float(rng.randint(0, 5000))))
        else:
            values.append((code, rng.uniform(0, 1e6)))
    return tuple(values)


TASK_IDS = [f"T{k}" for k in range(6)] + ["T99"]  # T99: a row the plan does not know


def progress_rows(seed: int) -> tuple[TaskProgress, ...]:
    """One month's "Tiến độ" rows, drawn from ``seed`` (one draw: fast)."""
    rng = random.Random(seed)
    rows = []
    for tid in TASK_IDS:
        if rng.random() < 0.4:
            continue
        status = rng.choice(sorted(STATUSES))
        completed = some_day(rng) if status == "done" and rng.random() < 0.85 else None
        percent = rng.choice([None, 0.0, 12.5, 50.0, 99.0, 100.0])
        rows.append(TaskProgress(tid, status, percent, completed, result=rng.choice(["", "x"])))
    return tuple(rows)


month_values = st.tuples(
    st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.0, 0.3, 1.0]), st.integers(0, 2**32 - 1)
)


@st.composite
def month_data(draw: st.DrawFn) -> list[MonthData]:
    labels = draw(st.lists(st.sampled_from(LABELS), max_size=9, unique=True))
    months = []
    for label in labels:
        seed, blank_share, row_seed = draw(month_values)
        months.append(
            MonthData(
                month=label,
                source=f"{label}.xlsx",
                progress=progress_rows(row_seed),
                indicators=indicator_values(seed, blank_share),
            )
        )
    return draw(st.permutations(months))  # callers need not sort


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Plan, list[MonthData], str]:
    plan = draw(plans)
    months = draw(month_data())
    rule = draw(st.sampled_from(["official", "calendar"]))
    return plan, months, rule


def run(plan: Plan, months: list[MonthData], code: str, rule: str, links: str) -> Results:
    period = parse_period(code, rule)
    return compute(plan, months, period, links=default_links() if links == "default" else ())


link_choices = st.sampled_from(["none", "default"])


def reference(months: list[MonthData], labels: tuple[str, ...] | list[str]) -> dict:
    """Flow: sum over the months present; stock: the last month (by label) with a value;
    opening: the first label's month (None when that month or its value is missing)."""
    chosen = sorted((m for m in months if m.month in set(labels)), key=lambda m: m.month)
    out: dict[str, float | None] = {}
    for code in CODES:
        vals = [v for m in chosen if (v := m.indicator(code)) is not None]
        if not vals:
            out[code] = None
        elif KIND[code] == "opening":
            first = [m for m in chosen if m.month == min(labels)]
            out[code] = first[0].indicator(code) if first else None
        elif KIND[code] == "flow":
            out[code] = math.fsum(vals)
        else:
            out[code] = vals[-1]
    return out


# --- counts --------------------------------------------------------------------------------


def summary_fields(s: Summary) -> dict[str, int]:
    return {f.name: getattr(s, f.name) for f in fields(s)}


def check_summary(s: Summary, n: int) -> None:
    assert s.total == n
    assert s.done + s.in_progress + s.not_started + s.stopped == s.total
    assert s.done_on_time + s.done_late == s.done
    assert 0 <= s.done_in_period <= s.done
    # Timeliness of unfinished, unstopped tasks: ongoing, overdue or not yet due.
    assert s.overdue + s.ongoing + s.not_due == s.in_progress + s.not_started


@settings(deadline=None)
@given(scenarios(), period_codes, link_choices)
def test_status_counts_add_up(scenario, code: str, links: str) -> None:
    plan, months, rule = scenario
    r = run(plan, months, code, rule, links)
    check_summary(r.summary, len(plan.tasks))
    assert [t.task_id for t in r.tasks] == [t.id for t in plan.tasks]

    # Per area and per lead unit: each count sums to the total.
    total = summary_fields(r.summary)
    for groups in (r.by_area, r.by_lead):
        parts = [g[-1] for g in groups]
        for part in parts:
            check_summary(part, part.total)
        for name, value in total.items():
            assert sum(summary_fields(part)[name] for part in parts) == value, name
    area_codes = [a for a, _, _ in r.by_area]
    assert len(area_codes) == len(set(area_codes))
    assert area_codes[: len(plan.areas)] == [a.code for a in plan.areas]
    assert {t.area for t in plan.tasks} <= set(area_codes)

    # Each task's state is its row in the latest month up to the period's last month;
    # a completion dated after the window's end is not done yet.
    last = r.period.months[-1]
    for task in plan.tasks:
        state = r.task(task.id)
        assert state.status in STATUSES and state.timeliness in TIMELINESS
        if state.status == "done":
            assert state.completed_on is None or state.completed_on <= r.period.end
        else:
            assert state.completed_on is None
        rows = [
            (m.month, p)
            for m in sorted(months, key=lambda m: m.month)
            if m.month <= last
            for p in m.progress
            if p.task_id == task.id
        ]
        if not rows:
            assert (state.status, state.source_month) == ("not_started", None)
            continue
        month, row = rows[-1]
        assert state.source_month == month
        late = row.status == "done" and row.completed_on and row.completed_on > r.period.end
        assert state.status == ("in_progress" if late else row.status)


# --- indicators ---------------------------------------------------------------------------


@settings(deadline=None)
@given(scenarios(), period_codes, link_choices)
def test_indicators_are_period_values_of_the_period(scenario, code: str, links: str) -> None:
    plan, months, rule = scenario
    r = run(plan, months, code, rule, links)
    assert r.indicators == tuple(period_values(months, r.period.months).items())
    assert [c for c, _ in r.indicators] == list(CODES)
    ref = reference(months, r.period.months)
    for c, v in r.indicators:
        assert close(v, ref[c]), (c, v, ref[c])

    present = {m.month for m in months}
    assert r.months_present == tuple(m for m in r.period.months if m in present)
    assert r.months_missing == tuple(m for m in r.period.months if m not in present)
    # The monthly series adds up to the period's flows; a stock is its last value.
    assert [p.month for p in r.series] == list(r.period.months)
    for c in CODES:
        series = [v for p in r.series if p.present and (v := p.value(c)) is not None]
        if KIND[c] == "flow":
            assert close(r.indicator(c), math.fsum(series) if series else None), c
        elif KIND[c] == "opening":
            assert r.indicator(c) == r.series[0].value(c), c
        else:
            assert r.indicator(c) == (series[-1] if series else None), c


@settings(deadline=None)
@given(scenarios(), period_codes)
def test_stock_is_the_last_present_months_value(scenario, code: str) -> None:
    plan, months, rule = scenario
    # Every month reports every indicator: a stock is the last present month's value.
    full = [
        MonthData(
            m.month,
            m.source,
            m.progress,
            tuple((c, 7.0 if v is None else v) for c, v in m.indicators),
        )
        for m in months
    ]
    r = run(plan, full, code, rule, "none")
    in_period = [m for m in full if m.month in r.period.months]
    last = max(in_period, key=lambda m: m.month, default=None)
    for c in STOCKS:
        assert r.indicator(c) == (last.indicator(c) if last else None), c
    for c in FLOWS:
        assert close(
            r.indicator(c), math.fsum(m.indicator(c) or 0.0 for m in in_period) if last else None
        )


def combine(kind: str, parts: list[float | None]) -> float | None:
    """A period's value from consecutive sub-periods' values, by the indicator's kind."""
    if kind == "opening":
        return parts[0] if parts else None
    known = [v for v in parts if v is not None]
    if not known:
        return None
    return math.fsum(known) if kind == "flow" else known[-1]


@settings(deadline=None)
@given(scenarios())
def test_periods_are_made_of_their_parts(scenario) -> None:
    plan, months, rule = scenario
    r = {code: run(plan, months, code, rule, "none") for code in PERIOD_CODES[:8]}
    q1, q2, q3, q4 = (r[f"{YEAR}-Q{q}"] for q in range(1, 5))
    h1, h2, nine, year = (r[f"{YEAR}-{k}"] for k in ("H1", "H2", "9M", "Y"))
    q2_months = sorted(
        (m for m in months if m.month in (f"{YEAR}-04", f"{YEAR}-05", f"{YEAR}-06")),
        key=lambda m: m.month,
    )
    for c in CODES:
        k = KIND[c]
        # H1 = Q1 and then each month 04-06 present (flow: summed, stock: last value).
        assert close(
            h1.indicator(c), combine(k, [q1.indicator(c), *(m.indicator(c) for m in q2_months)])
        ), c
        assert close(h1.indicator(c), combine(k, [q1.indicator(c), q2.indicator(c)])), c
        assert close(year.indicator(c), combine(k, [h1.indicator(c), h2.indicator(c)])), c
        quarters = [q.indicator(c) for q in (q1, q2, q3, q4)]
        assert close(year.indicator(c), combine(k, quarters)), c
        assert close(nine.indicator(c), combine(k, quarters[:3])), c


@settings(deadline=None)
@given(
    scenarios(),
    st.lists(st.sampled_from(LABELS), max_size=10),  # any labels, unsorted, repeated
)
def test_period_values_follows_the_kind_rules_for_any_labels(scenario, labels: list[str]) -> None:
    _, months, _ = scenario
    got = period_values(months, labels)
    assert list(got) == list(CODES)
    ref = reference(months, labels)
    for c in CODES:
        assert close(got[c], ref[c]), (c, got[c], ref[c])
    # Neither the order of the months given nor that of the labels matters.
    assert period_values(list(reversed(months)), sorted(labels)) == got
    # Flows over disjoint label sets add up.
    first, rest = labels[: len(labels) // 2], labels[len(labels) // 2 :]
    a, b = period_values(months, first), period_values(months, [x for x in rest if x not in first])
    for c in FLOWS:
        assert close(got[c], combine("flow", [a[c], b[c]])), c


# --- targets --------------------------------------------------------------------------------


@settings(deadline=None)
@given(scenarios(), period_codes, link_choices)
def test_every_measure_gets_one_target_result(scenario, code: str, links: str) -> None:
    plan, months, rule = scenario
    r = run(plan, months, code, rule, links)
    measures = [m for t in plan.targets for m in t.measures]
    # one result per thing measured; a repeated measure is named in the result it repeats
    assert len(r.targets) + sum(len(tr.same_as) for tr in r.targets) == len(measures)
    by_value = {(m.value, m.comparator, m.unit) for m in measures}
    for tr in r.targets:
        assert tr.status in TARGET_LABELS
        assert (tr.threshold, tr.comparator, tr.unit) in by_value
        assert (tr.met is not None) == (tr.status in ("met", "not_met", "done", "done_late"))
        if links == "none":
            assert tr.link_id is None and tr.status not in ("met", "not_met")
        if tr.yearly and not r.period.is_year_end:
            # a rank not yet published is unknown; a count still at nothing is not started
            assert tr.status in ("in_progress", "met", "unknown", "not_started")
        assert set(tr.months_used) <= {m.month for m in months}
