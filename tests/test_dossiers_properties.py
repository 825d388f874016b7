"""Property tests of the dossier counts over random dossier sets."""

from __future__ import annotations

from datetime import date, timedelta

from dossier_exports import dossier, rows
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib.dossiers.codes import default_codes
from cchc_lib.dossiers.reader import read_rows
from cchc_lib.dossiers.records import build_records
from cchc_lib.dossiers.stats import COUNT_FIELDS, dossier_statistics
from cchc_lib.periods import parse_period

BASE = date(2021, 10, 1)
CHANNELS = ("Trực tuyến", "Trực tiếp", "Bưu chính công ích", "1", "2", "3")
STATUSES = ("Đang xử lý", "Đã trả kết quả", "Đã xử lý xong", "Không được tiếp nhận", "7", "8")
PERIODS = (
    "2022-01",
    "2022-03",
    "2022-07",
    "2022-12",
    "2022-Q1",
    "2022-Q2",
    "2022-Q3",
    "2022-H1",
    "2022-H2",
    "2022-Y",
)


@st.composite
def dossiers(draw):
    r = draw(st.integers(0, 480))
    h = draw(st.one_of(st.none(), st.integers(0, 45)))
    k = draw(st.one_of(st.none(), st.integers(0, 70)))
    return (
        BASE + timedelta(days=r),
        None if h is None else BASE + timedelta(days=r + h),
        None if k is None else BASE + timedelta(days=r + k),
        draw(st.sampled_from(CHANNELS)),
        draw(st.sampled_from(STATUSES)),
        draw(st.sampled_from(("Điện", "Thương mại", ""))),
    )


sets = st.lists(dossiers(), max_size=60)


def _records(items):
    table = rows(
        *(
            dossier(f"HS{i}", r, h, k, channel=c, status=s, field=f)
            for i, (r, h, k, c, s, f) in enumerate(items)
        )
    )
    return build_records([read_rows(table, "x.xlsx")], default_codes())[0]


def _oracle(items, d1, d2):
    """The counts of DOMAIN §5, one dossier at a time."""
    codes = default_codes()
    out = dict.fromkeys(COUNT_FIELDS, 0)
    for r, h, k, c, s, _ in items:
        if codes.status(s) in codes.exclude:
            continue
        kenh = codes.channel(c)
        if r < d1 and (k is None or k >= d1):
            out["tu_ky_truoc"] += 1
        if d1 <= r <= d2:
            out["moi_tiep_nhan"] += 1
            out[kenh] += 1
        if r <= d2 and k is not None and d1 <= k <= d2:
            out["da_giai_quyet"] += 1
            if h is None or k == h:
                out["dung_han"] += 1
            elif k < h:
                out["truoc_han"] += 1
            else:
                out["qua_han"] += 1
        if r <= d2 and (k is None or k > d2):
            out["dang_giai_quyet"] += 1
            out["trong_han" if h is None or h >= d2 else "dang_qua_han"] += 1
    out["tong_nhan"] = out["tu_ky_truoc"] + out["moi_tiep_nhan"]
    return out


@given(sets, st.sampled_from(PERIODS), st.sampled_from(("official", "calendar")))
def test_counts_equal_the_rules_one_dossier_at_a_time(items, code, rule):
    period = parse_period(code, rule)
    got = dossier_statistics(_records(items), period).totals
    assert {f: getattr(got, f) for f in COUNT_FIELDS} == _oracle(items, period.start, period.end)


@given(sets, st.sampled_from(PERIODS), st.sampled_from(("official", "calendar")))
def test_received_equals_resolved_plus_pending(items, code, rule):
    records = _records(items)
    stats = dossier_statistics(records, code, rule=rule, by="linh_vuc")
    for c in (stats.totals, *(g for _, g in stats.groups)):
        assert c.tong_nhan == c.da_giai_quyet + c.dang_giai_quyet
        assert c.da_giai_quyet == c.truoc_han + c.dung_han + c.qua_han
        assert c.dang_giai_quyet == c.trong_han + c.dang_qua_han
        assert c.moi_tiep_nhan == c.truc_tuyen + c.truc_tiep + c.buu_chinh


@given(sets, st.sampled_from(("2022-02", "2022-07", "2022-Q1", "2022-Q3", "2022-H2", "2022-Y")))
def test_carried_over_equals_pending_of_the_period_before(items, code):
    records = _records(items)
    for rule in ("official", "calendar"):
        period = parse_period(code, rule)
        before = period.previous
        assert before.end + timedelta(days=1) == period.start  # contiguous windows
        now = dossier_statistics(records, period).totals
        assert now.tu_ky_truoc == dossier_statistics(records, before).totals.dang_giai_quyet


@given(sets)
def test_rows_read_are_counted_or_excluded(items):
    records = _records(items)
    assert records.rows_read == len(items)
    assert records.rows_counted + sum(n for _, n in records.rows_excluded) == len(items)
