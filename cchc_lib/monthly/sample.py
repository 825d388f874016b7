"""Deterministic synthetic monthly data: twelve filled workbooks for a plan.

The workbooks are made by the template code (``build_template``) and filled with
values from a seeded ``random.Random``: the same plan, year, seed and scale give
byte-identical files. Figures are sized for a provincial department (hundreds of
dossiers a month, tens of staff) and ``unit_scale`` scales the counts.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cchc_lib.catalog import plan_catalog
from cchc_lib.fmt import fmt_pct
from cchc_lib.model import NARRATIVE_KEYS, Plan, Task, TaskProgress
from cchc_lib.monthly.template import (
    build_template,
    default_timestamp,
    fill_workbook,
    save_workbook,
)
from cchc_lib.monthly.units import focal_unit, unit_indicators, unit_names, unit_tasks
from cchc_lib.periods import month_window, year_window
from cchc_lib.text import fold

__all__ = ["generate_year"]


@dataclass(frozen=True)
class _Track:
    """How a task moves through the year: started on ``start``, done on ``done``."""

    start: date
    done: date | None  # None: recurring work, "Đang thực hiện" all year
    due: date | None = None


def _shift(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _tracks(plan: Plan, year: int, rng: random.Random) -> dict[str, _Track]:
    first, last = date(year, 1, 3), year_window(year)[1]
    shift = year - plan.meta.year
    # nothing is done before the plan asking for it is issued
    issued = _shift(plan.meta.date, shift) if plan.meta.date else first
    timed: list[tuple[Task, date, date]] = []
    tracks: dict[str, _Track] = {}
    for t in plan.tasks:
        d = t.deadline
        if (
            d.ongoing
            or d.kind in ("recurring", "unspecified")
            or (d.start is None and d.end is None)
        ):
            tracks[t.id] = _Track(first, None)
            continue
        end = _shift(d.end or d.start, shift)  # type: ignore[arg-type]
        start = _shift(d.start, shift) if d.start else end - timedelta(days=45)
        if d.kind == "per_plan":  # "Theo Kế hoạch năm": done towards the end of the year
            tracks[t.id] = _Track(first, _between(rng, date(year, 10, 15), last))
            continue
        timed.append((t, max(first, min(start, last)), max(first, min(end, last))))
    early = [t for t, _, end in timed if end <= date(year, 6, 14)]
    overdue = {t.id for t in rng.sample(early, min(len(early), rng.choice((1, 2))))}
    for t, start, end in timed:
        roll = rng.random()
        if t.id in overdue:  # still open at mid-year, finished in the second half
            done = _between(rng, date(year, 8, 1), date(year, 10, 31))
        elif roll < 0.12:  # a few finish late
            done = _between(rng, end + timedelta(days=10), end + timedelta(days=60))
        else:
            done = _between(rng, max(start, end - timedelta(days=rng.randint(20, 60))), end)
        tracks[t.id] = _Track(start, max(issued, min(done, last)), end)
    return tracks


def _outputs(task: Task) -> str:
    return (task.outputs[0] if task.outputs else task.task).rstrip(".")


def _agency_code(plan: Plan) -> str:
    m = re.search(r"/\s*[A-ZĐ]+-\s*([A-ZĐ0-9]+)", plan.meta.number or "")
    return m.group(1) if m else "UBND"


# (words in the expected product, the document a unit would cite once it is done)
_PRODUCTS = (
    (("quy che",), "Quyết định số {n}/QĐ-{a} ngày {d}"),
    (("ke hoach",), "Kế hoạch số {n}/KH-{a} ngày {d}"),
    (("bao cao",), "Báo cáo số {n}/BC-{a} ngày {d}"),
    (("de an", "phuong an"), "Tờ trình số {n}/TTr-{a} ngày {d}"),
    (("van ban", "cong van"), "Công văn số {n}/{a}-VP ngày {d}"),
    (("quyet dinh", "danh muc", "quy trinh"), "Quyết định số {n}/QĐ-{a} ngày {d}"),
)


def _date(d: date) -> str:
    """A date as an official writes it: 19/01/2022, 14/6/2022."""
    return (
        f"{d.day:02d}/{d.month:02d}/{d.year}" if d.month <= 2 else f"{d.day:02d}/{d.month}/{d.year}"
    )


def _done_result(plan: Plan, task: Task, done: date) -> str:
    """What a unit writes once a task is done: the document it issued, or what it produced."""
    what = _outputs(task)
    words = fold(what)
    number = 10 + sum(map(ord, task.id)) % 180
    for keys, template in _PRODUCTS:
        if any(k in words for k in keys):
            doc = template.format(n=number, a=_agency_code(plan), d=_date(done))
            return f"Đã ban hành {doc}." if doc[0] in "KQC" else f"Đã có {doc}."
    return f"Đã hoàn thành, sản phẩm: {what[:1].lower()}{what[1:]}."


_ONGOING = (  # what a unit writes in a month about recurring work, by words in the task
    (("dao tao", "boi duong"), "Cử {k} CBCC, VC tham gia các lớp bồi dưỡng"),
    (("tuyen truyen",), "Đăng {k} tin, bài về CCHC trên Trang thông tin điện tử của cơ quan"),
    (("giao ban", "hoi nghi"), "Lồng ghép nội dung CCHC tại cuộc họp giao ban tháng {m}"),
    (("quy pham", "qppl"), "Rà soát {k} văn bản liên quan đến lĩnh vực được giao"),
    (("pho bien", "giao duc phap luat"), "Phổ biến {k} văn bản pháp luật mới đến CBCC, VC"),
    (("an toan thong tin", "bao mat", "su co"), "Không để xảy ra sự cố mất an toàn thông tin"),
    (("tuyen dung",), "Rà soát nhu cầu, hoàn thiện hồ sơ đề nghị tuyển dụng"),
    (
        ("tai chinh", "kinh phi", "chi tieu"),
        "Công khai dự toán, thực hiện chi theo Quy chế chi tiêu nội bộ",
    ),
    (
        ("phan mem", "van ban dien tu", "ho so cong viec"),
        "{k}% văn bản đi được ký số, gửi nhận trên phần mềm",
    ),
    (
        ("thu tuc hanh chinh", "tthc", "dich vu cong"),
        "Cập nhật, công khai TTHC trên Cổng dịch vụ công của tỉnh",
    ),
    (("iso", "quy trinh noi bo"), "Rà soát, cập nhật các quy trình nội bộ theo ISO"),
)


def _ongoing_result(task: Task, month: int, rng: random.Random) -> str:
    words = fold(task.task)
    for keys, text in _ONGOING:
        if any(k in words for k in keys):
            k = rng.randint(2, 9) if "{k}%" not in text else rng.randint(88, 99)
            return text.format(k=f"{k:02d}" if k < 10 else k, m=month) + "."
    return "Thực hiện theo kế hoạch, không phát sinh vướng mắc."


def _open_result(pct: float) -> str:
    if pct < 30:
        return "Đang xây dựng dự thảo."
    if pct < 70:
        return "Đã có dự thảo, đang lấy ý kiến các phòng, đơn vị."
    return "Đang hoàn thiện, trình lãnh đạo xem xét."


def _progress(
    plan: Plan,
    tracks: dict[str, _Track],
    month: int,
    year: int,
    rng: random.Random,
    words: random.Random,
):
    cutoff = month_window(f"{year}-{month:02d}")[1]
    rows: list[TaskProgress] = []
    for t in plan.tasks:
        tr = tracks[t.id]
        if tr.done is None:
            pct = min(100, round(100 * month / 12.5) + rng.choice((-2, 0, 0, 2)))
            rows.append(
                TaskProgress(
                    t.id, "in_progress", float(pct), None, _ongoing_result(t, month, words)
                )
            )
        elif tr.done <= cutoff:
            rows.append(TaskProgress(t.id, "done", 100.0, tr.done, _done_result(plan, t, tr.done)))
        elif tr.start <= cutoff:
            span = max(1, (tr.done - tr.start).days)
            pct = max(5, min(95, 5 * round(20 * (cutoff - tr.start).days / span)))
            behind = tr.due is not None and cutoff > tr.due
            rows.append(
                TaskProgress(
                    t.id,
                    "in_progress",
                    float(pct),
                    None,
                    _open_result(pct),
                    rng.choice(_DELAYS) if behind else "",
                )
            )
        else:
            rows.append(TaskProgress(t.id, "not_started", None, None))
    return rows


_DELAYS = (
    "Chậm so với thời hạn do phải chờ ý kiến góp ý của các đơn vị liên quan.",
    "Chậm so với thời hạn do nhân lực còn mỏng, phải ưu tiên nhiệm vụ chuyên môn đột xuất.",
    "Chậm so với thời hạn do chờ hướng dẫn của Sở Nội vụ.",
)


def _inspection_months(plan: Plan, year: int) -> list[int]:
    """Months of the plan's CCHC inspection task (its window), July–September if none."""
    shift = year - plan.meta.year
    for t in plan.tasks:
        text = fold(f"{t.target} {t.task}")
        d = t.deadline
        if "kiem tra" in text and not d.ongoing and d.start and d.end and d.kind == "window":
            lo, hi = _shift(d.start, shift), _shift(d.end, shift)
            months = [m for m in range(1, 13) if lo <= date(year, m, 14) <= hi + timedelta(14)]
            if months:
                return months
    return [7, 8, 9]


def _procedures(tthc: int, f: float) -> dict:
    """The TTHC figures of a month, ``f`` of the way through the year (0 to 1)."""
    du_dk = round(tthc * (0.70 + 0.25 * f))
    muc4 = round(du_dk * (0.35 + 0.30 * f))
    co_ho_so = round(tthc * (0.22 + 0.38 * f))
    nvtc = round(tthc * 0.2)
    return {
        "tthc_tong": tthc,
        "tthc_du_dk_truc_tuyen": du_dk,
        "tthc_muc3": du_dk - muc4,
        "tthc_muc4": muc4,
        "tthc_cong_dvcqg": round(tthc * (0.38 + 0.22 * f)),
        "tthc_co_ho_so": co_ho_so,
        "tthc_co_ho_so_truc_tuyen": round(co_ho_so * (0.50 + 0.35 * f)),
        "tthc_nghia_vu_tai_chinh": nvtc,
        "tthc_thanh_toan_truc_tuyen": round(nvtc * (0.30 + 0.60 * f)),
    }


def _later_indicators(extra: random.Random, m: int, received: int, feedback: int, n) -> dict:
    """The indicators added to the catalog later (drawn from their own random stream)."""
    f = (m - 1) / 11
    return {
        "hs_so_hoa": round(received * extra.uniform(0.35 + 0.4 * f, 0.45 + 0.4 * f)),
        "gd_thanh_toan_truc_tuyen": n(extra.randint(15, 30) * (1 + 2 * f)),
        "pakn_tiep_nhan": feedback,
        "pakn_da_xu_ly": feedback - (1 if feedback and m == 12 and extra.random() < 0.5 else 0),
    }


def _indicators(
    plan: Plan, year: int, rng: random.Random, scale: float, extra: random.Random
) -> list[dict]:
    """Twelve months of figures (``extra``: for indicators added later, see below)."""

    def n(x: float) -> int:
        return max(0, round(x * scale))

    tthc = n(rng.randint(85, 120))
    staff = n(rng.randint(55, 80))
    rank_before = rng.randint(8, 16)
    hires = set(rng.sample(range(3, 11), 2))
    inspect = _inspection_months(plan, year)
    inspect_main, inspect_extra = inspect[0], inspect[-1]
    initiatives = set(rng.sample((6, 9, 12), rng.choice((1, 2))))
    trained_left = round(staff * rng.uniform(0.85, 0.95))
    pending = n(rng.randint(15, 35))
    carried_overdue = 0  # dossiers pending past due at the last cut-off
    months = []
    for m in range(1, 13):
        f = (m - 1) / 11
        tthc += 1 if m == 7 else 0
        received = n(rng.randint(260, 420) * (0.75 if m == 2 else 1.0))
        online = min(received, round(received * (0.62 + 0.25 * f + rng.uniform(-0.03, 0.03))))
        post = min(received - online, rng.randint(2, 8))
        new_pending = n(rng.randint(15, 35))
        resolved = max(0, received + pending - new_pending)
        late = min(resolved, rng.randint(0, max(0, 3 - m // 4)))
        early = round((resolved - late) * rng.uniform(0.6, 0.8))
        carried, pending = pending, new_pending
        feedback = extra.choice((0, 0, 1, 1, 2, 3))
        staff += 1 if m in hires else 0
        trained = min(trained_left, rng.randint(2, 8) if m < 12 else trained_left)
        trained_left -= trained
        sent = n(rng.randint(150, 260))
        assigned = n(rng.randint(20, 45))
        qppl = rng.choice((0, 0, 0, 1, 1, 2))
        row = {
            **_procedures(tthc, f),
            "hs_tiep_nhan": received,
            "hs_ky_truoc": carried,
            "hs_truc_tuyen": online,
            "hs_bcci": post,
            "hs_truoc_han": early,
            "hs_dung_han": resolved - late - early,
            "hs_tre_han": late,
            "hs_dang_giai_quyet": pending,
            "hs_qua_han_chua_giai_quyet": rng.choice((0, 0, 0, 1)) if m < 7 else 0,
            "hs_so_hoa": round(received * extra.uniform(0.35 + 0.4 * f, 0.45 + 0.4 * f)),
            "gd_thanh_toan_truc_tuyen": n(extra.randint(15, 30) * (1 + 2 * f)),
            "pakn_tiep_nhan": feedback,
            "pakn_da_xu_ly": feedback - (1 if feedback and m == 12 and extra.random() < 0.5 else 0),
            "vb_di": sent,
            "vb_di_ky_so": min(sent, round(sent * (0.86 + 0.12 * f))),
            "vb_giao": assigned,
            "vb_giao_dung_han": max(0, assigned - rng.choice((0, 0, 1, 2))),
            "qppl_tham_muu": qppl,
            "qppl_dam_bao": qppl,
            "cbccvc_tong": staff,
            "cbccvc_dao_tao": trained,
            "tuyen_dung": 1 if m in hires else 0,
            "sang_kien": 1 if m in initiatives else 0,
            "kiem_tra_don_vi": 3 if m == inspect_main else 0,
            "kiem_tra_dot_xuat": 1 if m == inspect_extra else 0,
            "quy_trinh_noi_bo": rng.choice((0, 1, 1, 2)),
            "tuyen_truyen": n(rng.randint(3, 9)),
            # the year's own rank is published the year after (DOMAIN §4): never typed in
            # this year's data; last year's is known from April (the draw keeps the stream)
            "xep_hang_chi_so_cchc": None if m == 12 and rng.randint(3, 5) else None,
            "xep_hang_nam_truoc": rank_before if m >= 4 else None,
        }
        pending, carried_overdue = _carry_overdue(row, pending, carried_overdue)
        months.append(row)
    return months


def _carry_overdue(row: dict, pending: int, carried_overdue: int) -> tuple[int, int]:
    """A dossier pending past its due date is pending too: received + carried = resolved +
    pending in time + pending overdue, and next month carries both (resolved next month,
    past its due date: late). Returns (pending carried to next month, of which overdue)."""
    overdue = row["hs_qua_han_chua_giai_quyet"]
    row["hs_dung_han"] -= overdue + carried_overdue
    row["hs_tre_han"] += carried_overdue
    return pending + overdue, overdue


def _close_year(december: dict, closing: int) -> None:
    """December's figures changed to leave ``closing`` dossiers pending, the flows kept
    consistent (received + carried = resolved + pending)."""
    left = december["hs_dang_giai_quyet"] + (december["hs_qua_han_chua_giai_quyet"] or 0)
    more = left - closing
    if more > 0:  # resolve them, on time
        december["hs_dung_han"] += more
    else:  # fewer were received
        december["hs_tiep_nhan"] += more
        december["hs_truc_tuyen"] = min(december["hs_truc_tuyen"], december["hs_tiep_nhan"])
    december["hs_dang_giai_quyet"] = closing - (december["hs_qua_han_chua_giai_quyet"] or 0)


_PERIOD = {3: "quý I", 6: "6 tháng đầu năm", 9: "quý III", 12: "năm"}
# months whose figures the quarter-end narrative speaks of: the official report it feeds
_PERIOD_MONTHS = {3: range(1, 4), 6: range(1, 7), 9: range(7, 10), 12: range(1, 13)}
_STRENGTHS = (
    "Công tác CCHC được lãnh đạo cơ quan quan tâm chỉ đạo; {done}, các nhiệm vụ thường xuyên "
    "được triển khai đúng tiến độ. Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {online}, tỷ lệ giải "
    "quyết đúng hạn đạt {ontime}.",
    "Các phòng, đơn vị chủ động triển khai nhiệm vụ; {done}. Hồ sơ trực tuyến chiếm {online} "
    "tổng số hồ sơ tiếp nhận; {ontime} hồ sơ được giải quyết trước và đúng hạn.",
)
_WEAKNESSES = (
    "{late}; một số hồ sơ còn giải quyết quá hạn; tỷ lệ thanh toán trực tuyến chưa cao.",
    "{late}; việc số hóa hồ sơ, kết quả giải quyết TTHC chưa đồng đều giữa các phòng.",
)
_CAUSES = (
    "Đội ngũ làm công tác CCHC còn kiêm nhiệm; hạ tầng công nghệ thông tin chưa đồng bộ; "
    "một bộ phận người dân, doanh nghiệp chưa quen sử dụng dịch vụ công trực tuyến.",
    "Một số nhiệm vụ phải chờ hướng dẫn của Sở Nội vụ; kinh phí bố trí cho ứng dụng công "
    "nghệ thông tin còn hạn chế.",
)
_NEXT = (
    "Tập trung hoàn thành các nhiệm vụ còn chậm; đẩy mạnh tuyên truyền, hướng dẫn người dân, "
    "doanh nghiệp nộp hồ sơ trực tuyến và thanh toán trực tuyến; duy trì hệ thống ISO.",
    "Đôn đốc các phòng, đơn vị thực hiện đúng tiến độ Kế hoạch; nâng cao tỷ lệ hồ sơ trực "
    "tuyến, ký số văn bản; chuẩn bị tốt các nội dung phục vụ đánh giá Chỉ số CCHC.",
)
_PROPOSALS = (
    "Đề nghị Sở Nội vụ tiếp tục tổ chức tập huấn nghiệp vụ CCHC cho công chức làm công tác "
    "CCHC; đề nghị Sở Thông tin và Truyền thông hỗ trợ nâng cấp hạ tầng công nghệ thông tin, "
    "phần mềm dùng chung.",
    "Đề nghị Sở Tài chính quan tâm bố trí kinh phí cho ứng dụng công nghệ thông tin, chuyển "
    "đổi số trong giải quyết TTHC.",
)


def _done_text(done: int, on_time: int, total: int, year_end: bool) -> str:
    """What was done, as the focal officer writes it: the year's share at year end, the
    count (with those on time) before it; never "03/14" as a strength in March."""
    if year_end:
        return f"đã hoàn thành {done:02d}/{total:02d} nhiệm vụ có thời hạn"
    if not done:
        return "các nhiệm vụ có thời hạn đang được triển khai theo tiến độ"
    timely = "đều đúng hạn" if on_time == done else f"{on_time:02d} nhiệm vụ đúng hạn"
    return f"đã hoàn thành {done:02d} nhiệm vụ có thời hạn ({timely})"


def _late_text(overdue: int, late: int) -> str:
    """Overdue tasks; else those completed late; else the usual reservation."""
    if overdue:
        return f"Còn {overdue:02d} nhiệm vụ quá hạn, chưa hoàn thành"
    if late:
        return f"Có {late:02d} nhiệm vụ hoàn thành chậm so với thời hạn của Kế hoạch"
    return "Các nhiệm vụ cơ bản đúng tiến độ nhưng chất lượng một số sản phẩm chưa cao"


def _narrative(
    rng: random.Random,
    month: int,
    progress: list[TaskProgress],
    series: list[dict],
    tracks: dict,
    plan: Plan,
    year: int,
) -> dict[str, str]:
    """The analyst's text of a quarter-end month, quoting the figures of its report period."""
    months = [series[m - 1] for m in _PERIOD_MONTHS[month]]

    def total(code: str) -> int:
        return sum(m[code] or 0 for m in months)

    received = total("hs_tiep_nhan") or 1
    resolved = total("hs_truoc_han") + total("hs_dung_han") + total("hs_tre_han") or 1
    timed = [p for p in progress if tracks[p.task_id].done is not None]
    cutoff = month_window(f"{year}-{month:02d}")[1]
    ends = {t.id: t.deadline.end for t in plan.tasks if not t.deadline.ongoing}
    overdue = sum(
        1
        for p in progress
        if p.status != "done" and (end := ends.get(p.task_id)) is not None and end < cutoff
    )
    done = [p for p in timed if p.status == "done"]
    late = sum(
        1
        for p in done
        if (due := tracks[p.task_id].due) and p.completed_on and p.completed_on > due
    )
    fields = {
        "period": _PERIOD[month],
        "done": _done_text(len(done), len(done) - late, len(timed), month == 12),
        "online": fmt_pct(100 * total("hs_truc_tuyen") / received),
        "ontime": fmt_pct(100 * (resolved - total("hs_tre_han")) / resolved),
        "late": _late_text(overdue, late),
    }
    texts = (_STRENGTHS, _WEAKNESSES, _CAUSES, _NEXT, _PROPOSALS)
    return {
        key: rng.choice(t).format(**fields) for key, t in zip(NARRATIVE_KEYS, texts, strict=True)
    }


def generate_year(
    plan: Plan,
    year: int,
    out_dir: str | os.PathLike[str],
    *,
    seed: int = 2022,
    unit_scale: float = 1.0,
    by_unit: bool = False,
    closing_pending: int | None = None,
) -> list[Path]:
    """Write ``YYYY-01.xlsx`` … ``YYYY-12.xlsx`` into ``out_dir`` (created if needed); with
    ``by_unit``, one workbook per unit and month instead: ``YYYY-MM/<unit>.xlsx``.

    ``closing_pending``: the dossiers to leave pending at the year's last cut-off (the next
    year's first "kỳ trước chuyển sang"); December resolves, or receives, the difference.

    Deterministic: the same arguments give byte-identical files (and the same figures with or
    without ``by_unit``). Returns the paths.
    """
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    catalog = plan_catalog(plan)
    tracks = _tracks(plan, year, rng)
    series = _indicators(plan, year, rng, unit_scale, random.Random(seed * 7919 + 13))
    if closing_pending is not None:
        _close_year(series[-1], closing_pending)
    words = random.Random(seed * 104729 + 7)  # the units' wording: its own stream
    paths = []
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        progress = _progress(plan, tracks, m, year, rng, words)
        narrative = _narrative(rng, m, progress, series, tracks, plan, year) if m % 3 == 0 else {}
        values = {c: v for c, v in series[m - 1].items() if c in catalog}
        if by_unit:
            paths += _unit_files(plan, month, out, progress, values, narrative)
            continue
        wb = build_template(plan, month)
        fill_workbook(wb, progress=progress, indicators=values, narrative=narrative)
        path = out / f"{month}.xlsx"
        save_workbook(wb, path, timestamp=default_timestamp(month))
        paths.append(path)
    return paths


def _unit_files(
    plan: Plan,
    month: str,
    out: Path,
    progress: list[TaskProgress],
    values: dict,
    narrative: dict[str, str],
) -> list[Path]:
    """The month as one workbook per unit; the narrative is the focal unit's."""
    focal = focal_unit(plan)
    paths = []
    for unit in unit_names(plan):
        tasks, codes = set(unit_tasks(plan, unit)), unit_indicators(plan, unit)
        if not tasks and not codes:
            continue
        wb = build_template(plan, month, unit=unit)
        fill_workbook(
            wb,
            progress=[p for p in progress if p.task_id in tasks],
            indicators={c: values[c] for c in codes if c in values},
            narrative=narrative if unit == focal else None,
        )
        path = out / month / f"{unit}.xlsx"
        path.parent.mkdir(exist_ok=True)
        save_workbook(wb, path, timestamp=default_timestamp(month))
        paths.append(path)
    return paths
