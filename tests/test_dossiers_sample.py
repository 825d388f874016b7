"""The synthetic dossier export: its statistics equal the monthly workbooks' figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib.dossiers.codes import default_codes
from cchc_lib.dossiers.reader import read_rows
from cchc_lib.dossiers.records import build_records, load_dossiers
from cchc_lib.dossiers.sample import CODES, export_rows, fit_targets, generate_export, month_targets
from cchc_lib.dossiers.stats import dossier_statistics, indicator_values
from cchc_lib.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "2022" / "ho-so" / "ho-so-2022.xlsx"
FLOWS = CODES[:6]
OFFICIAL = ("2022-Q1", "2022-H1", "2022-Q3", "2022-Y")


@pytest.fixture(scope="module")
def bundled_targets(seed_plan):
    from cchc_lib.monthly import load_months

    return month_targets(load_months(ROOT / "data" / "2022", seed_plan))


@pytest.fixture(scope="module")
def bundled_records(seed_path):
    records, problems = load_dossiers(BUNDLED, plan_path=seed_path)
    assert problems == []
    return records


def _expected(targets, code: str) -> dict[str, int]:
    """A period's figures from the workbooks: flows summed, stocks of the last month."""
    months = parse_period(code).months
    out = {c: sum(targets[m][c] for m in months) for c in FLOWS}
    out.update({c: targets[months[-1]][c] for c in CODES[6:]})
    return out


def test_bundled_export_equals_the_workbooks_month_by_month(bundled_targets, bundled_records):
    _, _, mismatches = fit_targets(bundled_targets)
    off = {(m.month, m.code) for m in mismatches}
    for month, want in bundled_targets.items():
        got = indicator_values(dossier_statistics(bundled_records, month))
        for code in CODES:
            if (month, code) in off:
                assert code in CODES[6:]  # only a stock can be off, never a flow
                assert got[code] == next(
                    m.export for m in mismatches if (m.month, m.code) == (month, code)
                )
            else:
                assert got[code] == want[code], (month, code)


def test_bundled_export_equals_the_workbooks_for_the_official_periods(
    bundled_targets, bundled_records
):
    _, _, mismatches = fit_targets(bundled_targets)
    off = {(m.month, m.code) for m in mismatches}
    for code in OFFICIAL:
        last = parse_period(code).months[-1]
        got = indicator_values(dossier_statistics(bundled_records, code))
        want = _expected(bundled_targets, code)
        assert {c: v for c, v in got.items() if (last, c) not in off} == {
            c: v for c, v in want.items() if (last, c) not in off
        }
    # today's bundled data: every official period matches exactly
    assert all(m.month not in {"2022-03", "2022-06", "2022-09", "2022-12"} for m in mismatches)


def test_bundled_export_is_realistic(bundled_records):
    frame = bundled_records.frame
    assert 3000 <= frame.height <= 8000
    assert set(frame["kenh"].cast(str).unique()) == {"truc_tuyen", "truc_tiep", "buu_chinh"}
    assert frame["linh_vuc"].n_unique() >= 5
    assert min(frame["r"]).isoformat() < "2021-12-01" and max(frame["r"]).isoformat() > "2022-12-14"
    q1 = dossier_statistics(bundled_records, "2022-Q1").totals
    assert q1.tu_ky_truoc > 0 and q1.qua_han > 0 and q1.dang_giai_quyet > 0
    assert dict(bundled_records.rows_excluded).keys() == {"khong_duoc_tiep_nhan", "cong_dan_rut"}


@pytest.mark.slow
def test_bundled_export_is_what_the_generator_makes_of_the_workbooks(
    tmp_path, seed_plan, seed_path
):
    """If this fails after the workbooks changed, regenerate the export (README)."""
    from cchc_lib.monthly import load_months

    months = load_months(ROOT / "data" / "2022", seed_plan)
    path, _ = generate_export(seed_plan, months, tmp_path, plan_path=seed_path)
    assert path.read_bytes() == BUNDLED.read_bytes()


@st.composite
def consistent_years(draw):
    """Twelve months of figures that keep pending = before + received - resolved, with some
    dossiers past due that are later resolved late."""
    pending = draw(st.integers(0, 12))
    qua = 0
    targets = {}
    for m in range(1, 13):
        received = draw(st.integers(0, 25))
        resolved = draw(st.integers(max(0, qua - 3), pending + received))
        resolved = max(resolved, min(qua, pending + received))
        late = draw(st.integers(0, resolved))
        late = max(late, max(0, qua - (pending + received - resolved)))
        pending = pending + received - resolved
        qua = (
            draw(st.integers(max(0, qua - late), pending))
            if pending >= max(0, qua - late)
            else pending
        )
        early = draw(st.integers(0, resolved - late))
        online = draw(st.integers(0, received))
        post = draw(st.integers(0, received - online))
        targets[f"2022-{m:02d}"] = {
            "hs_tiep_nhan": received,
            "hs_truc_tuyen": online,
            "hs_bcci": post,
            "hs_truoc_han": early,
            "hs_dung_han": resolved - late - early,
            "hs_tre_han": late,
            "hs_dang_giai_quyet": pending - qua,
            "hs_qua_han_chua_giai_quyet": qua,
        }
    return targets


@given(consistent_years(), st.integers(0, 3))
def test_consistent_figures_are_matched_exactly(targets, seed):
    rows, mismatches = export_rows("Sở Xây dựng", targets, seed=seed)
    assert mismatches == []
    records, problems = build_records([read_rows(rows, "x.xlsx")], default_codes())
    assert problems == []
    for month, want in targets.items():
        assert indicator_values(dossier_statistics(records, month)) == want, month
