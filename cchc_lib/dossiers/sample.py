"""A synthetic dossier export consistent with a year of monthly workbooks.

:func:`generate_export` reads the ``hs_*`` figures of the monthly workbooks and writes an
export (one row per dossier, as the one-stop system lists them) whose statistics, month by
month under the official 15→14 windows, equal those figures: received (by channel), resolved
early / on time / late, and pending within / past due at each month's cut-off. Dossiers are
received from November of the year before (those still pending on 14/12 are the first
month's "từ kỳ trước") to the end of December; some are never accepted or withdrawn (left
out of the counts, as the codes say); names, addresses and phone numbers are made up and
never read back.

The flows fix the stock: pending_m = pending_{m-1} + received_m - resolved_m. When the
workbooks' pending figures (trong hạn + quá hạn) break that identity in a month, the export
keeps every flow and the identity, keeps "trong hạn" where it can, and the difference is
returned as a :class:`Mismatch` (the caller says so). The procedures come from
``<plan>.procedures.yaml`` beside the plan (lĩnh vực, unit, procedures with their time
limits), or a neutral list when there is none. Same workbooks and seed: the same bytes.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml

from cchc_lib.errors import CchcError
from cchc_lib.periods import month_window
from cchc_lib.text import fold

__all__ = [
    "CODES",
    "Mismatch",
    "export_name",
    "export_rows",
    "fit_targets",
    "generate_export",
    "month_targets",
]

CODES = (
    "hs_tiep_nhan",
    "hs_truc_tuyen",
    "hs_bcci",
    "hs_truoc_han",
    "hs_dung_han",
    "hs_tre_han",
    "hs_dang_giai_quyet",
    "hs_qua_han_chua_giai_quyet",
)
HEADER = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Mã TTHC",
    "Lĩnh vực",
    "Đơn vị giải quyết",
    "Chủ hồ sơ",
    "Địa chỉ",
    "Số điện thoại",
    "Hình thức nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Trạng thái",
)
_CHANNEL = {"truc_tuyen": "Trực tuyến", "truc_tiep": "Trực tiếp", "buu_chinh": "Bưu chính công ích"}


@dataclass(frozen=True)
class Mismatch:
    """A month whose workbook figure the export cannot equal (the identity forbids it)."""

    month: str
    code: str
    workbook: int
    export: int


def export_name(year: int) -> str:
    return f"ho-so-{year}.xlsx"


# --- targets ---------------------------------------------------------------------------


def month_targets(months) -> dict[str, dict[str, int]]:
    """The ``hs_*`` figures of each month (``MonthData``), by month label; a blank figure
    is an error (an export cannot be made to match an unknown)."""
    out: dict[str, dict[str, int]] = {}
    for m in months:
        values = {}
        for code in CODES:
            v = m.indicator(code)
            if v is None:
                raise CchcError(
                    f"{m.source}: chỉ số {code} của tháng {m.month} để trống, không sinh được "
                    "danh sách hồ sơ khớp số liệu. Cách sửa: điền đủ các chỉ số hồ sơ."
                )
            values[code] = int(v)
        out[m.month] = values
    return dict(sorted(out.items()))


def _mode(values: list[int]) -> int:
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def fit_targets(targets: dict[str, dict[str, int]]) -> tuple[int, dict, list[Mismatch]]:
    """The pending count before the first month, the per-month figures the export will have
    (``resolved`` = trước + đúng + trễ hạn; ``trong``, ``qua`` pending at the cut-off), and
    the months where those differ from the workbooks."""
    months = list(targets)
    resolved = {m: sum(targets[m][c] for c in CODES[3:6]) for m in months}
    cum, acc = {}, 0
    for m in months:
        acc += targets[m]["hs_tiep_nhan"] - resolved[m]
        cum[m] = acc
    floor = max(0, -min(cum.values(), default=0))
    wanted = [
        targets[m]["hs_dang_giai_quyet"] + targets[m]["hs_qua_han_chua_giai_quyet"] - cum[m]
        for m in months
    ]
    feasible = [w for w in wanted if w >= floor]
    start = _mode(feasible) if feasible else floor
    plan: dict[str, dict[str, int]] = {}
    mismatches: list[Mismatch] = []
    before = 0  # past due at the previous cut-off
    for m in months:
        t = targets[m]
        pending = start + cum[m]
        trong = min(t["hs_dang_giai_quyet"], pending)
        if trong + t["hs_qua_han_chua_giai_quyet"] == pending:
            qua = t["hs_qua_han_chua_giai_quyet"]
        else:
            qua = pending - trong
        qua = max(qua, before - t["hs_tre_han"])  # past-due ones resolve late, or stay
        if qua > pending:
            raise CchcError(
                f"Số liệu hồ sơ tháng {m} không nhất quán: {before} hồ sơ quá hạn tháng trước "
                f"nhưng chỉ {t['hs_tre_han']} hồ sơ giải quyết trễ hạn và {pending} hồ sơ còn "
                "tồn. Cách sửa: kiểm tra lại các chỉ số hồ sơ của hai tháng."
            )
        trong = pending - qua
        plan[m] = {"resolved": resolved[m], "trong": trong, "qua": qua}
        for code, value in (("hs_dang_giai_quyet", trong), ("hs_qua_han_chua_giai_quyet", qua)):
            if value != t[code]:
                mismatches.append(Mismatch(m, code, t[code], value))
        before = qua
    return start, plan, mismatches


# --- the dossiers ------------------------------------------------------------------------


@dataclass
class _D:
    """One dossier while the year is simulated (dates filled in at the end)."""

    month: int  # receiving month: 0 = before the year's first window, 13 = after the last
    kenh: str
    r: date | None = None
    h: date | None = None
    k: date | None = None
    res: int | None = None  # resolving month (1..12, 13 = after the last window)
    cat: str | None = None  # "early" | "ontime" | "late" | "free"
    trong_end: int | None = None  # last cut-off at which it was pending within the deadline
    overdue_from: int | None = None  # first cut-off at which it was pending past due
    constrained: bool = False  # must be received before its month's cut-off day
    status: str = ""
    proc: int = 0
    extra: dict = field(default_factory=dict)


class _Year:
    def __init__(self, year: int, rng: random.Random) -> None:
        self.year, self.rng = year, rng
        self.win = {m: month_window(f"{year}-{m:02d}") for m in range(1, 13)}
        self.win[0] = month_window(f"{year - 1}-12")
        self.win[0] = (date(year - 1, 11, 1), self.win[0][1])
        self.win[13] = (self.win[12][1] + timedelta(days=1), date(year, 12, 31))
        self.dossiers: list[_D] = []

    def new(self, month: int, kenh: str) -> _D:
        d = _D(month, kenh)
        self.dossiers.append(d)
        return d

    def channels(self, t: dict[str, int]) -> list[str]:
        n = t["hs_tiep_nhan"]
        online, post = t["hs_truc_tuyen"], t["hs_bcci"]
        kinds = ["truc_tuyen"] * online + ["buu_chinh"] * post + ["truc_tiep"] * (n - online - post)
        self.rng.shuffle(kinds)
        return kinds


def _month(y: _Year, m: int, t: dict, fit: dict, state: dict, prev_qua: int) -> None:
    """Receive, resolve and leave pending the dossiers of month ``m``."""
    rng = y.rng
    overdue, within = state["O"], state["T"]
    new = [y.new(m, k) for k in y.channels(t)]
    x = max(0, prev_qua - fit["qua"])
    for d in overdue[:x]:
        d.res, d.cat = m, "late"
    overdue = overdue[x:]
    need = fit["resolved"] - x
    take = min(len(within), need)
    done = within[:take] + new[: need - take]
    within, fresh = within[take:], new[need - take :]
    cats = (
        ["late"] * (t["hs_tre_han"] - x)
        + ["early"] * t["hs_truoc_han"]
        + ["ontime"] * t["hs_dung_han"]
    )
    rng.shuffle(cats)
    for d, c in zip(done, cats, strict=True):
        d.res, d.cat = m, c
        if c == "late" and d.month == m:
            d.constrained = True
    pending = within + fresh
    y_new = fit["qua"] - len(overdue)
    for d in pending[:y_new]:
        d.overdue_from = m
        if d.month == m:
            d.constrained = True
    overdue = overdue + pending[:y_new]
    for d in pending[y_new:]:
        d.trong_end = m
    state["O"], state["T"] = overdue, pending[y_new:]


def _simulate(y: _Year, targets: dict, start: int, fit: dict) -> None:
    months = list(targets)
    first = targets[months[0]]
    carry = [
        y.new(0, k)
        for k in y.channels(
            {**first, "hs_tiep_nhan": start, "hs_truc_tuyen": round(start * 0.6), "hs_bcci": 0}
        )
    ]
    for d in carry:
        d.trong_end = 0
    # the month before the year: dossiers received and resolved before its first window
    history = y.channels(first)
    for k in history:
        d = y.new(0, k)
        d.res, d.cat = 0, y.rng.choice(("early", "early", "ontime"))
    state = {"O": [], "T": carry}
    prev = 0
    for i, label in enumerate(months, start=1):
        _month(y, i, targets[label], fit[label], state, prev)
        prev = fit[label]["qua"]
    # after the last cut-off: most pending dossiers resolved, a few new ones
    for d in state["O"] + state["T"]:
        if y.rng.random() < 0.8:
            d.res, d.cat = 13, "late" if d.overdue_from else y.rng.choice(("early", "ontime"))
    last = targets[months[-1]]
    for k in y.channels({**last, "hs_tiep_nhan": last["hs_tiep_nhan"] // 2}):
        d = y.new(13, k)
        if y.rng.random() < 0.5:
            d.res, d.cat = 13, y.rng.choice(("early", "ontime"))


# --- dates -------------------------------------------------------------------------------


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _work_days(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _dates(y: _Year, d: _D, days: int) -> None:
    """Received, due and result days that honour the dossier's path through the cut-offs."""
    rng, win = y.rng, y.win
    lo, hi = win[d.month]
    if d.r is None:
        d.r = _between(rng, lo, hi - timedelta(days=1) if d.constrained else hi)
    floor = win[d.trong_end][1] if d.trong_end is not None else d.r  # due on or after
    ceiling = win[d.overdue_from][1] - timedelta(days=1) if d.overdue_from else None
    if d.res is None:  # still pending when exported
        if ceiling is not None:
            d.h = _between(rng, max(d.r, floor), ceiling)
        else:
            d.h = max(_work_days(d.r, days), floor)
        return
    s, e = win[d.res]
    k_lo = max(d.r, s)
    if d.cat == "late":
        k_lo = max(k_lo, d.r + timedelta(days=1), floor + timedelta(days=1))
    typical = _work_days(d.r, rng.randint(1, days))
    d.k = min(max(typical, k_lo), e)
    if d.cat == "early":
        d.h = max(_work_days(d.k, rng.randint(1, 4)), floor)
    elif d.cat == "late":
        top = d.k - timedelta(days=1)
        if ceiling is not None:
            top = min(top, ceiling)
        d.h = max(max(d.r, floor), top - timedelta(days=rng.randint(0, 6)))
    else:
        d.h = d.k if d.res == 0 or rng.random() > 0.03 or d.overdue_from else None
        if d.cat == "free":
            d.h = d.k


# --- procedures and people -----------------------------------------------------------------

_NEUTRAL = {
    "fields": [
        {
            "name": "Lĩnh vực chung",
            "unit": "Bộ phận một cửa",
            "procedures": [
                {
                    "code": f"TTHC.{i:02d}",
                    "name": f"Thủ tục hành chính số {i}",
                    "days": 10,
                    "weight": 1,
                }
                for i in range(1, 6)
            ],
        }
    ]
}
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Quang")
_GIVEN = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trung",
    "Tuấn",
    "Yến",
)
_COMPANY = ("Công ty TNHH Thương mại", "Công ty Cổ phần", "Hộ kinh doanh", "Công ty TNHH MTV")
_STREET = (
    "Trần Phú",
    "Lê Lợi",
    "Nguyễn Du",
    "Phan Đình Phùng",
    "Hàm Nghi",
    "Xuân Diệu",
    "Nguyễn Huy Tự",
)


def procedures_path_for(plan_path: str | os.PathLike[str]) -> Path:
    p = Path(plan_path)
    return p.with_name(p.stem + ".procedures.yaml")


def _procedures(plan_path) -> list[dict]:
    path = procedures_path_for(plan_path) if plan_path else None
    raw: dict = _NEUTRAL
    if path is not None and path.is_file():
        raw = yaml.safe_load(path.read_text("utf-8")) or _NEUTRAL
    out = []
    for f in raw.get("fields", []):
        for p in f.get("procedures", []):
            out.append({"field": f["name"], "unit": f.get("unit", ""), **p})
    return out


def _person(rng: random.Random) -> tuple[str, str, str]:
    if rng.random() < 0.45:
        name = f"{rng.choice(_COMPANY)} {rng.choice(_GIVEN)} {rng.choice(_GIVEN)}"
    else:
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    address = f"Số {rng.randint(1, 300)} đường {rng.choice(_STREET)}, phường {rng.randint(1, 12)}"
    phone = "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return name, address, phone


def _initials(agency: str) -> str:
    return "".join(w[0] for w in fold(agency).upper().split() if w[:1].isalpha()) or "HS"


def _stamp(rng: random.Random, d: date | None, hour: tuple[int, int] = (7, 16)) -> datetime | None:
    if d is None:
        return None
    return datetime.combine(d, time(rng.randint(*hour), rng.choice((0, 15, 30, 45))))


def _rows(y: _Year, procs: list[dict], prefix: str) -> list[list[object]]:
    rng = y.rng
    weights = [p.get("weight", 1) for p in procs]
    rows: list[list[object]] = []
    for d in y.dossiers:
        d.proc = rng.choices(range(len(procs)), weights)[0]
        _dates(y, d, int(procs[d.proc].get("days", 10)))
    y.dossiers.sort(key=lambda d: (d.r, d.proc))
    seq: Counter = Counter()
    export_day = y.win[13][1]
    for i, d in enumerate(y.dossiers, start=1):
        p = procs[d.proc]
        seq[d.r] += 1
        number = f"{prefix}-{d.r:%y%m%d}-{seq[d.r]:04d}"
        received = _stamp(rng, d.r)
        due = datetime.combine(d.h, time(17, 0)) if d.h else None
        result = _stamp(rng, d.k, (8, 17))
        returned = None
        if d.k is None:
            status = rng.choice(
                ("Đang xử lý",) * 7
                + ("Yêu cầu bổ sung",) * 2
                + ("Chờ thực hiện nghĩa vụ tài chính",)
            )
        elif rng.random() < 0.9 and d.k < export_day:
            status = "Đã trả kết quả"
            returned = _stamp(
                rng, min(d.k + timedelta(days=rng.randint(0, 2)), export_day), (8, 17)
            )
        else:
            status = "Đã xử lý xong"
        rows.append(
            _row(
                i,
                number,
                p,
                _person(rng),
                _CHANNEL[d.kenh],
                received,
                due,
                result,
                returned,
                status,
            )
        )
    return rows


def _row(
    i: int,
    number: str,
    procedure: dict,
    person: tuple[str, str, str],
    channel: str,
    *dates_and_status: object,
) -> list[object]:
    """One export row in :data:`HEADER`'s order (received, due, result, returned, status)."""
    return [
        i,
        number,
        procedure["name"],
        procedure["code"],
        procedure["field"],
        procedure["unit"],
        *person,
        channel,
        *dates_and_status,
    ]


def _left_out(y: _Year, rows: list[list[object]], procs: list[dict], prefix: str) -> None:
    """Dossiers not accepted and withdrawn (about 1.5 %): in the list, out of the counts."""
    rng = y.rng
    n = max(2, len(rows) // 66)
    for j in range(n):
        m = rng.randint(1, 12)
        r = _between(rng, *y.win[m])
        p = procs[rng.randrange(len(procs))]
        withdrawn = j % 3 == 0
        status = "Công dân rút hồ sơ" if withdrawn else "Không được tiếp nhận"
        due = datetime.combine(_work_days(r, 10), time(17, 0)) if withdrawn else None
        person = _person(rng)
        number = f"{prefix}-{r:%y%m%d}-{9000 + j:04d}"
        channel = rng.choice(list(_CHANNEL.values()))
        rows.append(_row(0, number, p, person, channel, _stamp(rng, r), due, None, None, status))
    rows.sort(key=lambda row: (str(row[10]), str(row[1])))
    for i, row in enumerate(rows, start=1):
        row[0] = i


def export_rows(
    agency: str,
    targets: dict[str, dict[str, int]],
    *,
    plan_path: str | os.PathLike[str] | None = None,
    seed: int = 2022,
) -> tuple[list[list[object]], list[Mismatch]]:
    """The export as rows (the title lines, the header, one row per dossier) for the monthly
    figures ``targets`` (:func:`month_targets` of January to December of one year)."""
    year = int(next(iter(targets))[:4])
    labels = [f"{year}-{m:02d}" for m in range(1, 13)]
    if list(targets) != labels:
        missing = ", ".join(m for m in labels if m not in targets)
        raise CchcError(
            f"Cần số liệu đủ 12 tháng năm {year} để sinh danh sách hồ sơ; thiếu: {missing}."
        )
    start, fit, mismatches = fit_targets(targets)
    y = _Year(year, random.Random(seed))
    _simulate(y, targets, start, fit)
    procs = _procedures(plan_path)
    prefix = _initials(agency)
    rows = _rows(y, procs, prefix)
    _left_out(y, rows, procs, prefix)
    lo, hi = y.win[0][0], y.win[13][1]
    head: list[list[object]] = [
        ["DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH"],
        [f"Đơn vị: {agency}"],
        [f"Từ ngày {lo:%d/%m/%Y} đến ngày {hi:%d/%m/%Y} (dữ liệu mẫu, không phải hồ sơ thật)"],
        [],
        list(HEADER),
    ]
    return [*head, *rows], mismatches


def generate_export(
    plan,
    months,
    out_dir: str | os.PathLike[str],
    *,
    plan_path: str | os.PathLike[str] | None = None,
    seed: int = 2022,
) -> tuple[Path, list[Mismatch]]:
    """Write ``out_dir/ho-so-<year>.xlsx`` consistent with ``months`` (the year's
    ``MonthData``, January to December); the months it could not match are returned."""
    targets = month_targets(months)
    rows, mismatches = export_rows(plan.meta.agency, targets, plan_path=plan_path, seed=seed)
    year = int(next(iter(targets))[:4])
    path = Path(out_dir) / export_name(year)
    _write(path, rows, date(year, 12, 31))
    return path, mismatches


def _write(path: Path, rows: list[list[object]], day: date) -> None:
    from openpyxl import Workbook

    from cchc_lib.monthly.template import save_workbook
    from cchc_lib.xlsx import set_value

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách hồ sơ"
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            if v is not None:
                cell = ws.cell(row=r, column=c)
                set_value(cell, v)
                if isinstance(v, datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
    widths = (6, 20, 50, 10, 26, 30, 30, 34, 13, 18, 17, 17, 17, 17, 18)
    for col, width in zip("ABCDEFGHIJKLMNO", widths, strict=True):
        ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path, timestamp=datetime.combine(day, time(17, 0)))
