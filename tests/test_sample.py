"""Synthetic sample data: deterministic, valid, realistic for a department."""

from __future__ import annotations

from datetime import date

import pytest
from monthly_plan import make_plan

from cchc_lib.cli import main
from cchc_lib.monthly import load_months, validate_path
from cchc_lib.monthly.sample import generate_year
from cchc_lib.periods import month_window

pytestmark = pytest.mark.slow  # generates a year of workbooks


@pytest.fixture(scope="module")
def seed_year(tmp_path_factory, seed_plan):
    folder = tmp_path_factory.mktemp("sample2022")
    paths = generate_year(seed_plan, 2022, folder)
    return folder, paths, load_months(folder, seed_plan)


def test_twelve_files_validate_without_any_problem(seed_year, seed_plan):
    folder, paths, months = seed_year
    assert [p.name for p in paths] == [f"2022-{m:02d}.xlsx" for m in range(1, 13)]
    assert validate_path(folder, seed_plan) == []
    assert [d.month for d in months] == [f"2022-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("plan_name", ["fake", "second"])
def test_other_plans_validate(tmp_path, plan_name, second_plan):
    plan = make_plan() if plan_name == "fake" else second_plan
    generate_year(plan, plan.meta.year, tmp_path, seed=7)
    assert [p for p in validate_path(tmp_path, plan) if p.severity == "error"] == []


def test_deterministic_bytes_and_seed_matters(tmp_path, seed_year, seed_plan):
    folder, paths, _ = seed_year
    again = generate_year(seed_plan, 2022, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    other = generate_year(seed_plan, 2022, tmp_path / "other", seed=1)
    assert other[5].read_bytes() != paths[5].read_bytes()


def series(months, code):
    return [d.indicator(code) for d in months]


def test_indicators_realistic(seed_year):
    _, _, months = seed_year
    received = series(months, "hs_tiep_nhan")
    assert all(150 <= v <= 700 for v in received)
    online = series(months, "hs_truc_tuyen")
    assert all(o / r > 0.5 for o, r in zip(online, received, strict=True))
    assert online[-1] / received[-1] > online[0] / received[0]
    assert all(0 < v <= 15 for v in series(months, "hs_bcci"))
    assert sum(series(months, "hs_tre_han")) > 0
    tthc = series(months, "tthc_tong")
    assert all(20 <= v <= 150 for v in tthc)
    muc4 = series(months, "tthc_muc4")
    assert muc4[-1] > muc4[0]
    staff = series(months, "cbccvc_tong")
    assert all(10 <= v < 100 for v in staff)
    trained = series(months, "cbccvc_dao_tao")
    assert sum(v > 0 for v in trained) >= 10 and sum(trained) <= staff[-1]
    signed = series(months, "vb_di_ky_so")
    assert all(s / d >= 0.8 for s, d in zip(signed, series(months, "vb_di"), strict=True))
    assert 1 <= sum(series(months, "sang_kien")) <= 2
    assert sum(series(months, "quy_trinh_noi_bo")) >= 4
    rank, before = series(months, "xep_hang_chi_so_cchc"), series(months, "xep_hang_nam_truoc")
    # the year's own rank is published the year after: never in this year's workbooks;
    # last year's is known from April on
    assert rank == [None] * 12
    assert before[:3] == [None] * 3 and len(set(before[3:])) == 1 and before[3] >= 1


def test_inspections_in_the_quarter_the_plan_schedules(seed_year, seed_plan):
    _, _, months = seed_year
    inspected = [d.month for d in months if d.indicator("kiem_tra_don_vi")]
    surprise = [d.month for d in months if d.indicator("kiem_tra_dot_xuat")]
    # the seed's inspection task ("Tổ chức kiểm tra, tự kiểm tra ...") is due "Quý III"
    assert len(inspected) == 1 and inspected[0] in ("2022-07", "2022-08", "2022-09")
    assert len(surprise) == 1 and surprise[0] in ("2022-07", "2022-08", "2022-09", "2022-10")


def test_tasks_follow_their_deadlines(seed_year, seed_plan):
    _, _, months = seed_year
    timed = [t for t in seed_plan.tasks if not t.deadline.ongoing and t.deadline.kind != "per_plan"]
    december = months[-1]
    done = {p.task_id: p.completed_on for p in december.progress if p.status == "done"}
    assert {t.id for t in timed} <= set(done)
    on_time = [t for t in timed if done[t.id] <= t.deadline.end]
    assert len(on_time) >= 0.6 * len(timed) and len(on_time) < len(timed)
    june = months[5]
    overdue = [
        t.id
        for t in timed
        if t.deadline.end <= date(2022, 6, 14) and june.progress_of(t.id).status != "done"
    ]
    assert 1 <= len(overdue) <= 3
    assert all(june.progress_of(t).difficulties for t in overdue)
    for t in seed_plan.tasks:
        if t.deadline.ongoing:
            pct = [d.progress_of(t.id).percent for d in months]
            assert {d.progress_of(t.id).status for d in months} == {"in_progress"}
            assert pct == sorted(pct) or pct[-1] > pct[0]
    # a completion first appears in the month whose window holds its date
    for prev, cur in zip(months, months[1:], strict=False):
        for p in cur.progress:
            if p.status == "done" and prev.progress_of(p.task_id).status != "done":
                start, end = month_window(cur.month)
                assert start <= p.completed_on <= end


def test_narrative_only_at_quarter_end(seed_year):
    _, _, months = seed_year
    with_text = [d.month[5:] for d in months if d.narrative]
    assert with_text == ["03", "06", "09", "12"]
    assert all(len(months[m - 1].narrative) == 5 for m in (3, 6, 9, 12))
    # written as a unit writes it: no "Kết quả quý I:" label, offices named, counts 01–09
    march = months[2]
    assert not march.text("uu_diem").startswith("Kết quả")
    assert "Sở Nội vụ" in march.text("de_xuat") or "Sở Tài chính" in march.text("de_xuat")
    assert "cấp có thẩm quyền" not in " ".join(t for _, t in march.narrative)


def test_unit_scale(tmp_path, seed_year, seed_plan):
    _, _, base = seed_year
    generate_year(seed_plan, 2022, tmp_path, unit_scale=3.0)
    big = load_months(tmp_path, seed_plan)
    assert sum(series(big, "hs_tiep_nhan")) > 2.5 * sum(series(base, "hs_tiep_nhan"))


def test_cli_sample_refuses_non_empty_folder(tmp_path, seed_path, capsys):
    out = tmp_path / "data"
    args = ["sample", "--plan", str(seed_path), "--year", "2022", "-o", str(out), "--seed", "3"]
    assert main(args) == 0 and len(list(out.glob("2022-*.xlsx"))) == 12
    assert main(args) == 2 and "--force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


@pytest.mark.slow
def test_by_unit_gives_the_same_figures_as_one_workbook(tmp_path, seed_plan):
    from cchc_lib.indicators import compute
    from cchc_lib.indicators.links import default_links
    from cchc_lib.periods import parse_period

    paths = generate_year(seed_plan, 2022, tmp_path / "u", by_unit=True)
    assert len({p.parent.name for p in paths}) == 12 and len({p.name for p in paths}) >= 3
    assert validate_path(tmp_path / "u", seed_plan) == []
    generate_year(seed_plan, 2022, tmp_path / "w")
    a, b = load_months(tmp_path / "u", seed_plan), load_months(tmp_path / "w", seed_plan)
    q1 = parse_period("2022-Q1")
    ra, rb = (compute(seed_plan, m, q1, links=default_links()) for m in (a, b))
    assert (ra.indicators, ra.tasks, ra.narrative) == (rb.indicators, rb.tasks, rb.narrative)


def test_bundled_previous_year_reads_under_its_own_plan():
    from conftest import ROOT

    from cchc_lib.plan import load_plan

    folder = ROOT / "data" / "2021"
    plan = load_plan(next(folder.glob("*.txt")))
    assert plan.meta.year == 2021
    assert validate_path(folder, plan) == []
