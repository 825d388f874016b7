import json
from datetime import date

import pytest

from cchc_lib.catalog import load_catalog
from cchc_lib.indicators import (
    compare,
    period_values,
    tasks_due,
    timeliness,
    to_json,
)
from cchc_lib.indicators import compute as _compute
from cchc_lib.indicators.links import Link, default_links, load_links
from cchc_lib.model import (
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

D = date
Q1 = parse_period("2022-Q1")
SEED_LINKS = load_links("data/plan/000_04455437811e3eec.txt")


def compute(plan, months, period, links=None):
    """compute() with the shipped links unless the test names its own."""
    return _compute(plan, months, period, links=default_links() if links is None else links)


H1 = parse_period("2022-H1")
Y = parse_period("2022-Y")


# --- builders ---------------------------------------------------------------------


def deadline(end: date | None = None, ongoing: bool = False, raw: str = "") -> Deadline:
    kind = "recurring" if ongoing else ("by_date" if end else "unspecified")
    return Deadline(raw or kind, kind, None, end, ongoing)


def task(
    tid: str,
    area: str = "I",
    end: date | None = None,
    ongoing: bool = False,
    lead: tuple[str, ...] = ("Văn phòng",),
) -> Task:
    return Task(
        id=tid,
        area=area,
        subarea=None,
        row=1,
        target="",
        task=f"Nhiệm vụ {tid}",
        activities=(),
        outputs=(),
        lead=lead,
        partners=(),
        deadline=deadline(end, ongoing),
        budget=Budget("0", "none"),
    )


def plan(tasks=(), measures=(), areas=("I", "II")) -> Plan:
    meta = PlanMeta("Sở X", None, "1/KH", None, None, 2022, "KẾ HOẠCH", "GIÁM ĐỐC", None, "A")
    targets = tuple(
        Target(id=f"II.2.{i + 1}", section="II.2", text=m.text, measures=(m,))
        for i, m in enumerate(measures)
    )
    return Plan(
        "kh.txt",
        meta,
        (),
        (),
        targets,
        (),
        tuple(Area(a, f"Lĩnh vực {a}") for a in areas),
        tuple(tasks),
    )


def month(label: str, progress=(), **values: float | None) -> MonthData:
    codes = load_catalog().codes
    unknown = set(values) - set(codes)
    assert not unknown, unknown
    return MonthData(
        month=label,
        source=f"{label}.xlsx",
        progress=tuple(progress),
        indicators=tuple((c, values.get(c)) for c in codes),
    )


def row(
    tid: str,
    status: str,
    completed_on: date | None = None,
    percent: float | None = None,
    result: str = "",
) -> TaskProgress:
    return TaskProgress(tid, status, percent, completed_on, result=result)


def m(
    text: str, value: float, unit: str = "%", comparator: str = ">=", stretch: float | None = None
) -> Measure:
    return Measure(text, comparator, value, stretch, unit)


# --- timeliness -------------------------------------------------------------------


@pytest.mark.parametrize(
    "end,ongoing,status,completed,period,expected",
    [
        (D(2022, 3, 31), False, "done", D(2022, 3, 31), H1, "on_time"),  # exactly on deadline
        (D(2022, 3, 31), False, "done", D(2022, 4, 1), H1, "late"),
        (D(2022, 3, 14), False, "done", D(2022, 3, 14), Q1, "on_time"),
        (D(2022, 3, 14), False, "done", D(2022, 3, 15), H1, "late"),
        (None, False, "done", D(2022, 5, 1), H1, "on_time"),  # no deadline
        (D(2022, 3, 13), False, "in_progress", None, Q1, "overdue"),
        (D(2022, 3, 14), False, "in_progress", None, Q1, "not_due"),  # due on the window's end
        (D(2022, 3, 31), False, "not_started", None, Q1, "not_due"),
        (None, False, "not_started", None, Y, "not_due"),
        (None, True, "in_progress", None, Y, "ongoing"),
        (D(2022, 12, 31), True, "not_started", None, Y, "ongoing"),
        (None, True, "done", D(2022, 6, 1), Y, "on_time"),
        (D(2022, 1, 20), False, "stopped", None, Y, "stopped"),
        (None, True, "stopped", None, Y, "stopped"),
    ],
)
def test_timeliness(end, ongoing, status, completed, period, expected):
    assert timeliness(task("t", end=end, ongoing=ongoing), status, completed, period) == expected


def test_task_state_from_last_month_present():
    t = task("I.1.1", end=D(2022, 6, 30))
    months = [
        month("2022-01", [row("I.1.1", "in_progress", percent=30)]),
        month("2022-02", [row("I.1.1", "done", D(2022, 2, 10), 100, "Xong")]),
        # 2022-03 missing
    ]
    res = compute(plan([t]), months, Q1)
    s = res.task("I.1.1")
    assert (s.status, s.percent, s.completed_on, s.result) == ("done", 100, D(2022, 2, 10), "Xong")
    assert s.source_month == "2022-02" and s.timeliness == "on_time" and s.completed_in_period
    assert res.months_missing == ("2022-03",)
    # A month after the period never changes its state.
    later = months + [month("2022-04", [row("I.1.1", "stopped")])]
    assert compute(plan([t]), later, Q1).task("I.1.1").status == "done"


@pytest.mark.parametrize(
    "completed,in_q1,status_q1",
    [
        (D(2022, 3, 14), True, "done"),
        (D(2022, 3, 15), False, "in_progress"),
        (D(2021, 12, 15), True, "done"),
        (D(2021, 12, 14), False, "done"),
    ],
)
def test_completion_on_the_14th_and_15th(completed, in_q1, status_q1):
    t = task("I.1.1", end=D(2022, 3, 31))
    months = [month("2022-03", [row("I.1.1", "done", completed, 100)])]
    s = compute(plan([t]), months, Q1).task("I.1.1")
    assert s.completed_in_period is in_q1
    assert s.status == status_q1
    if status_q1 == "in_progress":  # completed after the window: not done at its end
        assert s.completed_on is None and s.timeliness == "not_due"
    # The same row counts as done in H1, whose window holds 15/3.
    assert compute(plan([t]), months, H1).task("I.1.1").status == "done"


def test_unreported_task_is_not_started():
    s = compute(plan([task("I.1.1", end=D(2022, 1, 31))]), [month("2022-03")], Q1).task("I.1.1")
    assert (s.status, s.timeliness, s.source_month) == ("not_started", "overdue", None)


def test_summaries():
    tasks = [
        task("I.1.1", "I", D(2022, 1, 20)),
        task("I.1.2", "I", D(2022, 2, 28)),
        task("I.1.3", "I", ongoing=True),
        task("II.1.1", "II", D(2022, 2, 1), lead=("Thanh tra Sở", "Văn phòng")),
        task("II.2.1", "II", D(2022, 12, 31), lead=()),
        task("II.3.1", "II", D(2022, 3, 1)),
    ]
    rows = [
        row("I.1.1", "done", D(2022, 1, 19), 100),
        row("I.1.2", "done", D(2022, 3, 2), 100),
        row("I.1.3", "in_progress", percent=50),
        row("II.1.1", "in_progress", percent=10),
        row("II.2.1", "not_started"),
        row("II.3.1", "stopped"),
    ]
    res = compute(plan(tasks), [month("2022-03", rows)], Q1)
    s = res.summary
    assert (s.total, s.done, s.done_on_time, s.done_late) == (6, 2, 1, 1)
    assert (s.in_progress, s.not_started, s.stopped) == (2, 1, 1)
    assert (s.overdue, s.ongoing, s.not_due, s.done_in_period) == (1, 1, 1, 2)
    areas = {code: sm for code, _, sm in res.by_area}
    assert [code for code, _, _ in res.by_area] == ["I", "II"]
    assert (areas["I"].total, areas["I"].done, areas["II"].overdue) == (3, 2, 1)
    leads = dict(res.by_lead)
    assert list(leads) == ["Văn phòng", "Thanh tra Sở", "Chưa xác định đơn vị chủ trì"]
    assert (leads["Văn phòng"].total, leads["Thanh tra Sở"].total) == (4, 1)


def test_tasks_due_next_period():
    tasks = [
        task("a", end=D(2022, 3, 31)),
        task("b", end=D(2022, 5, 20)),
        task("c", end=D(2022, 6, 30), ongoing=True),
        task("d"),
    ]
    assert [t.id for t in tasks_due(plan(tasks), Q1.next)] == ["b"]
    assert [t.id for t in tasks_due(plan(tasks), Q1)] == ["a"]


# --- indicator arithmetic ---------------------------------------------------------


def test_flow_vs_stock_and_missing_months():
    months = [
        month("2022-01", hs_tiep_nhan=10, tthc_tong=100, hs_dang_giai_quyet=4),
        month("2022-02", hs_tiep_nhan=None, tthc_tong=102),  # flow not reported this month
        # 2022-03 missing entirely
        month("2022-04", hs_tiep_nhan=7, tthc_tong=110),  # outside Q1
    ]
    v = period_values(months, Q1.months)
    assert v["hs_tiep_nhan"] == 10  # flow: sum of months with a value
    assert v["tthc_tong"] == 102  # stock: last month with a value
    assert v["hs_dang_giai_quyet"] == 4  # stock reported only in January
    assert v["sang_kien"] is None  # no month reports it
    h1 = period_values(months, H1.months)
    assert (h1["hs_tiep_nhan"], h1["tthc_tong"]) == (17, 110)


def test_rates_and_series():
    months = [
        month(
            "2022-01",
            hs_tiep_nhan=20,
            hs_truc_tuyen=5,
            hs_truoc_han=4,
            hs_dung_han=14,
            hs_tre_han=2,
        ),
        month(
            "2022-03",
            hs_tiep_nhan=30,
            hs_truc_tuyen=15,
            hs_truoc_han=0,
            hs_dung_han=0,
            hs_tre_han=0,
        ),
    ]
    res = compute(plan(), months, Q1)
    assert res.rate("ty_le_dung_han") == pytest.approx(18 / 20 * 100)
    assert res.rate("ty_le_truc_tuyen") == pytest.approx(20 / 50 * 100)
    assert [p.month for p in res.series] == ["2022-01", "2022-02", "2022-03"]
    jan, feb, mar = res.series
    assert jan.on_time_rate == pytest.approx(90.0) and jan.online_share == pytest.approx(25.0)
    assert not feb.present and feb.value("hs_tiep_nhan") is None and feb.on_time_rate is None
    assert mar.on_time_rate is None  # nothing resolved: no rate, not 0 %
    assert mar.online_share == pytest.approx(50.0)


# --- targets ----------------------------------------------------------------------

YEAR_DATA = dict(
    tthc_tong=120,
    tthc_du_dk_truc_tuyen=80,
    tthc_muc3=30,
    tthc_muc4=42,
    tthc_cong_dvcqg=66,
    tthc_co_ho_so=40,
    tthc_co_ho_so_truc_tuyen=18,
    tthc_nghia_vu_tai_chinh=12,
    tthc_thanh_toan_truc_tuyen=7,
    cbccvc_tong=60,
    xep_hang_nam_truoc=15,
    xep_hang_chi_so_cchc=11,
)


def _flows(i: int) -> dict:
    # month i (1..12): hand-checkable flows
    return dict(
        hs_truoc_han=2,
        hs_dung_han=7,
        hs_tre_han=1 if i == 2 else 0,
        vb_di=100,
        vb_di_ky_so=95 + (i == 3) * 5,
        vb_giao=10,
        vb_giao_dung_han=10,
        qppl_tham_muu=1 if i in (2, 5) else 0,
        qppl_dam_bao=1 if i in (2, 5) else 0,
        sang_kien=1 if i == 11 else 0,
        kiem_tra_don_vi=1 if i in (8, 9, 10) else 0,
        kiem_tra_dot_xuat=1 if i == 10 else 0,
        quy_trinh_noi_bo=1 if i <= 9 else 0,
        tuyen_dung=1 if i in (4, 12) else 0,
        cbccvc_dao_tao=5,
    )


def year_months(upto: int = 12) -> list[MonthData]:
    return [month(f"2022-{i:02d}", **YEAR_DATA, **_flows(i)) for i in range(1, upto + 1)]


SEED_MEASURES = [
    m("Có ít nhất 50% TTHC được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia.", 50),
    m("100% hồ sơ TTHC được giải quyết trước và đúng hạn.", 100),
    m("100% TTHC có đủ điều kiện được cung cấp trực tuyến mức độ 3 và 4.", 100),
    m("Tối thiểu 50% TTHC có phát sinh hồ sơ được triển khai dịch vụ công trực tuyến.", 50),
    m(
        "Tối thiểu 50% TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến.",
        50,
    ),
    m("100% các văn bản được trao đổi có ứng dụng chữ ký số.", 100),
    m("100% các văn bản được giao trên hệ thống được xử lý đúng hạn.", 100),
    m("100% văn bản quy phạm pháp luật tham mưu ban hành, đảm bảo tính hợp pháp.", 100),
    m("Có ít nhất 01-02 sáng kiến về CCHC được công nhận.", 1, "count", stretch=2),
    m("Kiểm tra trung tâm và ít nhất 02 phòng chuyên môn thuộc Sở.", 2, "count"),
    m("Tổ chức 01 cuộc kiểm tra đột xuất.", 1, "count", "="),
    m("Ban hành tối thiểu 08-10 quy trình nội bộ.", 8, "count", stretch=10),
    m("Tuyển dụng thêm 02-03 CBCC.", 2, "count", stretch=3),
    m("85% CBCC,VC được đào tạo, bồi dưỡng.", 85),
    m("Phấn đấu tăng 03-05 bậc so với năm 2021.", 3, "rank", stretch=5),
    m("100% kinh phí được công khai minh bạch.", 100),  # no link
]

# (actual, met) for the whole year, computed by hand from YEAR_DATA/_flows.
EXPECTED_YEAR = [
    (55.0, True),  # 66 / 120
    (99.1, False),  # (24 + 84) / (24 + 84 + 1) = 108/109
    (90.0, False),  # (30 + 42) / 80
    (45.0, False),  # 18 / 40
    (58.3, True),  # 7 / 12
    (95.4, False),  # (95*12 + 5) / 1200 = 1145/1200
    (100.0, True),  # 120 / 120
    (100.0, True),  # 2 / 2
    (1, True),  # one initiative in November
    (3, True),  # units inspected Aug-Oct
    (1, True),  # one surprise inspection
    (9, True),  # procedures Jan-Sep
    (2, True),  # recruited April, December
    (100.0, True),  # 5*12 = 60 / 60
    (4, True),  # 15 -> 11
    (None, None),
]


def test_every_link_kind_at_year_end():
    res = compute(plan(measures=SEED_MEASURES), year_months(), Y)
    got = [(t.actual, t.met) for t in res.targets]
    for (actual, met), (exp_actual, exp_met), t in zip(
        got, EXPECTED_YEAR, res.targets, strict=True
    ):
        if exp_actual is None:
            assert actual is None
        else:
            assert actual == pytest.approx(exp_actual, abs=0.05), t.text
        assert met is exp_met, t.text
    labels = [t.status_label for t in res.targets]
    assert labels[0] == "Đạt" and labels[1] == "Chưa đạt"
    assert labels[-1] == "Chưa có chỉ số để đánh giá"
    by_text = {t.text[:12]: t for t in res.targets}
    assert by_text["Có ít nhất 0"].stretch_met is False  # 1 initiative, aim 2
    assert by_text["Ban hành tối"].stretch_met is False  # 9 procedures, aim 10
    assert by_text["Tuyển dụng t"].stretch_met is False
    assert by_text["Phấn đấu tăn"].stretch_met is False  # 4 places, aim 5


def test_yearly_target_before_and_at_year_end():
    measures = [
        m("Có ít nhất 01-02 sáng kiến về CCHC được công nhận.", 1, "count", stretch=2),
        m("Phấn đấu tăng 03-05 bậc so với năm 2021.", 3, "rank"),
    ]
    p = plan(measures=measures)
    q3 = parse_period("2022-Q3")
    # Q3 report with the months of the year so far: progress on the year to date; a yearly
    # target already met before year end (4 places up, plan 3) is met.
    before = compute(p, year_months(9), q3)
    t0, t1 = before.targets
    # nothing yet towards a count: not started, said so (not "Đang thực hiện")
    assert (t0.actual, t0.met, t0.status_label) == (0, None, "Chưa triển khai")
    assert t0.months_used == q3.year_to_date
    assert (t1.actual, t1.met, t1.status_label) == (4, True, "Đạt")
    # The initiative comes in November: judged in the year report.
    after = compute(p, year_months(12), Y)
    assert [(t.actual, t.met, t.status_label) for t in after.targets] == [
        (1, True, "Đạt"),
        (4, True, "Đạt"),
    ]
    # Q4 holds December too: judged, on the year to date when earlier months are given.
    q4 = compute(p, year_months(12), parse_period("2022-Q4"))
    assert q4.targets[0].met is True


def test_non_yearly_target_uses_the_period_only():
    p = plan(measures=[m("100% hồ sơ được giải quyết đúng hạn.", 100)])
    q1 = compute(p, year_months(12), Q1)  # late dossier in February
    assert q1.targets[0].actual == pytest.approx(27 / 28 * 100)
    assert q1.targets[0].met is False
    q3 = compute(p, year_months(12), parse_period("2022-Q3"))
    assert (q3.targets[0].actual, q3.targets[0].met) == (100.0, True)
    assert q3.targets[0].months_used == ("2022-07", "2022-08", "2022-09")


@pytest.mark.parametrize("threshold,met", [(50, True), (60, False), (55, True), (56, False)])
def test_plan_threshold_flips_met(threshold, met):
    text = f"Có ít nhất {threshold}% TTHC được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia."
    res = compute(plan(measures=[m(text, threshold)]), year_months(3), Q1)
    t = res.targets[0]
    assert t.actual == pytest.approx(55.0)
    assert t.threshold == threshold
    assert t.met is met
    assert t.status_label == ("Đạt" if met else "Chưa đạt")


@pytest.mark.parametrize(
    "comparator,value,actual_meets",
    [("<=", 1, True), ("<=", 0, False), ("=", 0, False), ("=", 1, True), (">", 1, False)],
)
def test_comparators(comparator, value, actual_meets):
    # one late dossier in Q1
    p = plan(measures=[m("Số hồ sơ trễ hạn", value, "count", comparator)])
    link = Link("tre", "Số hồ sơ trễ hạn", "sum", ("hs_tre_han",), keywords=(("tre han",),))
    res = compute(p, year_months(3), Q1, links=[link])
    assert res.targets[0].actual == 1
    assert res.targets[0].met is actual_meets


def test_missing_data_and_zero_denominator():
    measures = [
        m("100% văn bản quy phạm pháp luật tham mưu ban hành, đảm bảo tính hợp pháp.", 100),
        m("Có ít nhất 01 sáng kiến được công nhận.", 1, "count"),
    ]
    months = [month("2022-01", qppl_tham_muu=0, qppl_dam_bao=0)]  # nothing drafted; no sang_kien
    res = compute(plan(measures=measures), months, Y)
    assert [(t.actual, t.met, t.status_label) for t in res.targets] == [
        (None, None, "Chưa có số liệu"),
        (None, None, "Chưa có số liệu"),
    ]
    assert res.targets[0].link_id == "qppl_hop_phap"


# --- JSON and comparison ----------------------------------------------------------


def test_to_json_contract():
    tasks = [task("I.1.1", end=D(2022, 1, 20)), task("I.1.2", ongoing=True)]
    months = year_months(6)
    months[5] = month(
        "2022-06", [row("I.1.1", "done", D(2022, 1, 25), 100)], **YEAR_DATA, **_flows(6)
    )
    res = compute(plan(tasks, SEED_MEASURES), months, H1)
    data = to_json(res)
    json.dumps(data, ensure_ascii=False)  # serialisable
    assert data["period"] == data["period"] | {
        "code": "2022-H1",
        "start": "2021-12-15",
        "end": "2022-06-14",
        "months": [f"2022-{i:02d}" for i in range(1, 7)],
    }
    assert data["tasks"][0] == data["tasks"][0] | {
        "id": "I.1.1",
        "status": "done",
        "percent": 100,
        "completed_on": "2022-01-25",
        "timeliness": "late",
    }
    assert data["tasks"][1] | {"status": "not_started", "timeliness": "ongoing"} == data["tasks"][1]
    summary_keys = {
        "total",
        "done",
        "done_on_time",
        "done_late",
        "in_progress",
        "not_started",
        "stopped",
        "overdue",
    }
    assert summary_keys <= set(data["summary"])
    assert data["summary"]["done_late"] == 1 and data["summary"]["total"] == 2
    assert set(data["indicators"]) == set(load_catalog().codes)
    assert data["indicators"]["hs_dung_han"] == 42 and isinstance(
        data["indicators"]["hs_dung_han"], int
    )
    assert data["indicators"]["tthc_tong"] == 120
    target_keys = {"text", "actual", "threshold", "comparator", "stretch", "unit", "met"}
    assert all(target_keys <= set(t) for t in data["targets"])
    t1 = data["targets"][1]  # (12 + 42) / 55 = 98.18...
    assert t1["actual"] == 98.2 and t1["met"] is False and t1["threshold"] == 100
    assert data["targets"][8]["met"] is None and data["targets"][8]["stretch"] == 2


def test_compare_with_previous():
    cur = compute(plan(), year_months(6), H1)
    prev = compute(plan(), [month("2021-12", hs_dung_han=30, tthc_tong=100)], H1.previous)
    rows = {r.code: r for r in compare(cur, prev)}
    assert (rows["hs_dung_han"].current, rows["hs_dung_han"].previous) == (42, 30)
    assert rows["hs_dung_han"].change == 12
    assert rows["tthc_tong"].change == 20
    assert rows["sang_kien"].previous is None and rows["sang_kien"].change is None
    assert rows["ty_le_dung_han"].unit == "%"
    assert all(r.previous is None for r in compare(cur, None))


def test_a_rank_not_yet_published_is_unknown_in_every_period():
    p = plan(measures=[m("Phấn đấu tăng 03-05 bậc so với năm 2021.", 3, "rank")])
    t = compute(p, [month("2022-01")], Q1).targets[0]
    assert (t.actual, t.met, t.status_label) == (None, None, "Chưa công bố")
    # at year end the year's rank is not published yet (DOMAIN §4): not known, not missing
    t = compute(p, [month("2022-12")], Y).targets[0]
    assert (t.actual, t.met, t.status_label) == (None, None, "Chưa công bố")


# --- integration: seed plan, generated or bundled monthly workbooks, CLI ------------

SEED_NO_LINK = {
    "PL.II.3",
    "PL.II.4",
    "PL.III.2",
    "PL.III.3",
    "PL.IV.2",
    "PL.IV.3",
    "PL.VI.1",
    "PL.VI.2",
}  # PL.VII.1.7 is linked by the plan's own data/plan/<stem>.links.yaml


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory, seed_path):
    """data/2022 when bundled, else a year generated by cchc_lib.monthly.sample."""
    bundled = seed_path.parents[1] / "2022"
    if bundled.is_dir() and any(bundled.glob("2022-*.xlsx")):
        return bundled
    from cchc_lib.monthly.sample import generate_year
    from cchc_lib.plan import load_plan

    folder = tmp_path_factory.mktemp("data2022")
    generate_year(load_plan(seed_path), 2022, folder)
    return folder


@pytest.fixture(scope="module")
def seed_months(seed_data, seed_plan):
    from cchc_lib.monthly import load_months

    return load_months(seed_data, seed_plan)


def test_seed_plan_every_measure_evaluated(seed_plan, seed_months):
    measures = [(t.id, mm) for t in seed_plan.targets for mm in t.measures]
    year = compute(seed_plan, seed_months, Y, links=SEED_LINKS)
    # every measure is evaluated once: a result, or counted in the result it repeats
    assert len(year.targets) + sum(len(t.same_as) for t in year.targets) == len(measures)
    assert {t for r in year.targets for t in r.same_as} == {"II.2.4", "II.2.5", "II.2.8"}
    # a target without a figure is judged from the tasks of its appendix row
    from_tasks = {t.target_id: t.status_label for t in year.targets if t.judged_from}
    assert set(from_tasks) == SEED_NO_LINK
    assert from_tasks["PL.VI.2"] == "Hoàn thành chậm" and from_tasks["PL.II.3"] == "Hoàn thành"
    assert not [t for t in year.targets if t.status == "no_link"]
    # the year's own PAR rank is published the year after: said, never judged
    unknown = {t.link_id: t.status for t in year.targets if t.met is None}
    assert unknown == {"xep_hang_tang_bac": "unknown"}
    h1 = compute(seed_plan, seed_months, H1, links=SEED_LINKS)
    by_status: dict[str, set[str]] = {}
    for t in h1.targets:
        if t.link_id and t.met is None:
            by_status.setdefault(t.status, set()).add(t.link_id)
    assert by_status == {
        "unknown": {"xep_hang_tang_bac"},
        "in_progress": {"tuyen_dung", "dao_tao_boi_duong"},
        # none yet at mid-year (inspections in quý III, initiatives later): not started
        "not_started": {"sang_kien", "kiem_tra_don_vi", "kiem_tra_dot_xuat"},
    }
    s = year.summary
    assert s.total == len(seed_plan.tasks)
    assert s.done + s.in_progress + s.not_started + s.stopped == s.total
    assert s.done_on_time + s.done_late == s.done
    assert sum(a.total for _, _, a in year.by_area) == s.total
    assert [c for c, _, _ in year.by_area] == [a.code for a in seed_plan.areas]


def test_seed_indicator_arithmetic_matches_workbooks(seed_plan, seed_months):
    res = compute(seed_plan, seed_months, H1, links=SEED_LINKS)
    h1 = [md for md in seed_months if md.month in H1.months]
    assert res.indicator("hs_tiep_nhan") == sum(md.indicator("hs_tiep_nhan") or 0 for md in h1)
    last = [md.indicator("tthc_tong") for md in h1 if md.indicator("tthc_tong") is not None]
    assert res.indicator("tthc_tong") == last[-1]
    q3 = compute(seed_plan, seed_months, parse_period("2022-Q3"), links=SEED_LINKS)
    assert q3.months_present == ("2022-07", "2022-08", "2022-09")
    assert q3.indicator("vb_di") == sum(
        md.indicator("vb_di") or 0 for md in seed_months if md.month in q3.period.months
    )


def test_cli_json_and_text(seed_path, seed_data, seed_plan, seed_months, capsys):
    from cchc_lib.cli import main

    assert (
        main(
            [
                "indicators",
                "--plan",
                str(seed_path),
                "--data",
                str(seed_data),
                "--period",
                "2022-H1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    months = [md for md in seed_months if md.month in H1.year_to_date]
    assert data == to_json(compute(seed_plan, months, H1, links=SEED_LINKS))
    assert data["period"]["start"] == "2021-12-15"

    assert (
        main(
            [
                "indicators",
                "--plan",
                str(seed_path),
                "--data",
                str(seed_data),
                "--period",
                "2022-Y",
                "--rule",
                "calendar",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "CẢI CÁCH HÀNH CHÍNH NĂM 2022" in out
    assert "từ ngày 1/1/2022 đến ngày 31/12/2022" in out
    assert "Đạt" in out and "Chưa có chỉ số để đánh giá" not in out
    assert "Số hồ sơ tiếp nhận" in out


def test_cli_bad_period(seed_path, seed_data, capsys):
    from cchc_lib.cli import main

    code = main(
        ["indicators", "--plan", str(seed_path), "--data", str(seed_data), "--period", "2022-Q7"]
    )
    assert code == 2
    assert 'Kỳ báo cáo "2022-Q7" không hợp lệ' in capsys.readouterr().err


def test_cli_q3_reads_year_to_date_for_yearly_targets(seed_path, seed_data, capsys):
    from cchc_lib.cli import main

    assert (
        main(
            [
                "indicators",
                "--plan",
                str(seed_path),
                "--data",
                str(seed_data),
                "--period",
                "2022-Q3",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["months"] == ["2022-07", "2022-08", "2022-09"]
    yearly = [t for t in data["targets"] if t["yearly"]]
    assert yearly and all(len(t["months_used"]) == 9 for t in yearly)
    # before year end a yearly target is in progress, unless it is already met
    assert all(t["met"] is None or t["met"] is True for t in yearly)
    other = [t for t in data["targets"] if t["link"] == "ho_so_dung_han"]
    assert other[0]["months_used"] == data["period"]["months"]


def test_the_plans_own_links_file_links_its_targets(tmp_path):
    from dataclasses import replace

    source = tmp_path / "kh2022.txt"
    (tmp_path / "kh2022.links.yaml").write_text(
        "links:\n  - id: tin_bai\n    keywords: ['tin, bài']\n    unit: count\n"
        "    sum: [tuyen_truyen]\n",
        "utf-8",
    )
    p = replace(
        plan(measures=[m("Đăng ít nhất 20 tin, bài về CCHC.", 20, "count")]), source=str(source)
    )
    months = [month("2022-01", tuyen_truyen=12), month("2022-02", tuyen_truyen=9)]
    t = compute(p, months, Q1, links=load_links(source)).targets[0]
    assert (t.link_id, t.actual, t.met) == ("tin_bai", 21, True)
    # compute reads no file: given only the shipped links, nothing links to this target.
    assert compute(p, months, Q1).targets[0].status_label == "Chưa có chỉ số để đánh giá"
