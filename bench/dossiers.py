"""Dossier exports at provincial scale: 1,000,000 rows → the four official periods' statistics.

Side by side, each in a fresh interpreter (seconds with ``perf_counter`` around the work;
peak resident memory of the whole process, ``VmHWM``):

- CSV: ``cchc`` (``load_dossiers`` + ``dossier_statistics`` × Q1, H1, Q3, Y: Polars) versus
  the obvious route (``pandas.read_csv`` of the whole file, dates parsed, then each period
  counted row by row in Python), and, when installed, the same vectorised counts with
  pandas + pyarrow and with DuckDB (the other engines considered). Goal: < 3 s, < 1 GB.
- xlsx: ``cchc`` (fastexcel, used columns only) versus ``pandas.read_excel(engine="calamine")``
  (every column) and the floor: python-calamine loading the sheet and nothing else
  (``get_sheet_by_index(0)``), and that plus ``to_python()``. openpyxl (pandas' default
  engine) is timed on the first 20,000 rows and its rate given, as the whole file would take
  far too long.

Every route's totals must be equal, period by period, or the script fails. The export has
17 columns like the one-stop systems' (five personal ones), dates as text with times in
the CSV and as date cells in the xlsx, 1 % of dossiers not accepted or withdrawn and 0.1 %
bad rows. Building the files is not timed (the xlsx is written straight as SpreadsheetML,
as in ``ingestion.py``).

    .venv/bin/python bench/dossiers.py [--quick] [--rows N] [--keep DIR]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from _common import arguments, describe, emit, machine, scratch, table

PERIODS = ("2022-Q1", "2022-H1", "2022-Q3", "2022-Y")
GOAL_SECONDS, GOAL_MB = 3.0, 1024
HEADER = [
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Mã TTHC", "Lĩnh vực", "Đơn vị giải quyết",
    "Chủ hồ sơ", "Địa chỉ", "Số CCCD", "Số điện thoại", "Email", "Hình thức nộp",
    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái",
]  # fmt: skip
FIELDS = ("Xúc tiến thương mại", "Lưu thông hàng hóa trong nước", "Kinh doanh khí",
          "An toàn thực phẩm", "Hóa chất", "Điện", "Công nghiệp địa phương")  # fmt: skip
CHANNELS = ("Trực tuyến", "Trực tiếp", "Bưu chính công ích")
RESOLVED = ("Đã trả kết quả", "Đã xử lý xong")
PENDING = ("Đang xử lý", "Yêu cầu bổ sung")
EXCLUDED = ("Không được tiếp nhận", "Công dân rút hồ sơ")


# ------------------------------------------------------------------------------ the data


def columns(n: int, seed: int = 1) -> dict[str, list]:
    """The export's columns for ``n`` dossiers received 1/11/2021 – 31/12/2022."""
    import numpy as np

    rng = np.random.default_rng(seed)
    base = datetime(2021, 11, 1)
    r = rng.integers(0, 426 * 86400, n)  # seconds
    limit = rng.integers(3, 25, n)
    h_day = r // 86400 + limit
    kind = rng.random(n)
    k_day = np.where(kind < 0.04, h_day + rng.integers(1, 12, n), h_day - rng.integers(0, 6, n))
    k_day = np.maximum(k_day, r // 86400)
    open_ = (kind > 0.97) | (k_day > 425)
    status = np.where(open_, rng.choice(PENDING, n), rng.choice(RESOLVED, n))
    excluded = rng.random(n) < 0.01
    status = np.where(excluded, rng.choice(EXCLUDED, n), status)
    channel = rng.choice(CHANNELS, n, p=[0.7, 0.28, 0.02])
    field = rng.choice(FIELDS, n)

    def stamp(sec: int) -> str:
        return (base + timedelta(seconds=int(sec))).strftime("%d/%m/%Y %H:%M:%S")

    def day(d: int, hour: int) -> str:
        return (base + timedelta(days=int(d), hours=hour)).strftime("%d/%m/%Y %H:%M:%S")

    bad = set(rng.choice(n, max(1, n // 1000), replace=False).tolist())
    received = [stamp(s) if i not in bad else "32/13/2022" for i, s in enumerate(r)]
    due = [day(d, 17) for d in h_day]
    result = ["" if o else day(d, 10) for d, o in zip(k_day, open_, strict=True)]
    return {
        "STT": list(range(1, n + 1)),
        "Mã hồ sơ": [f"SCT-{i:08d}" for i in range(n)],
        "Tên thủ tục hành chính": [f"Thủ tục {f} số {i % 7}" for i, f in enumerate(field)],
        "Mã TTHC": [f"TT.{i % 49:03d}" for i in range(n)],
        "Lĩnh vực": field.tolist(),
        "Đơn vị giải quyết": ["Sở Công Thương"] * n,
        "Chủ hồ sơ": [f"Nguyễn Văn Bímật {i}" for i in range(n)],
        "Địa chỉ": [f"Số {i % 300} đường Riêngtư, phường {i % 12}" for i in range(n)],
        "Số CCCD": [f"0420{i:08d}" for i in range(n)],
        "Số điện thoại": [f"09{i:08d}" for i in range(n)],
        "Email": [f"nguoi{i}@thu.vn" for i in range(n)],
        "Hình thức nộp": channel.tolist(),
        "Ngày tiếp nhận": received,
        "Ngày hẹn trả": due,
        "Ngày có kết quả": result,
        "Ngày trả kết quả": result,
        "Trạng thái": status.tolist(),
    }


def write_csv(cols: dict[str, list], path: Path) -> None:
    import polars as pl

    frame = pl.DataFrame(
        {k: pl.Series(k, v, dtype=pl.String, strict=False) for k, v in cols.items()}
    )
    path.write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))


def write_xlsx(cols: dict[str, list], path: Path) -> None:
    from ingestion import write_xlsx as write_sheetml

    n = len(cols["STT"])
    names = list(cols)
    dates = {"Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả"}

    def cell(name: str, v):
        if name in dates and v and v[0] != "3":
            return datetime.strptime(v, "%d/%m/%Y %H:%M:%S")
        return v

    rows = [["DANH SÁCH HỒ SƠ"], [], names]
    rows += [[cell(c, cols[c][i]) for c in names] for i in range(n)]
    write_sheetml(path, {"Danh sách": rows}, hidden=set())


# ------------------------------------------------------------------------------ the routes


def _periods():
    from cchc_lib.periods import parse_period

    return [parse_period(p) for p in PERIODS]


def route_cchc(path: str) -> dict:
    from cchc_lib.dossiers import dossier_statistics, load_dossiers

    records, _ = load_dossiers(path)
    return {p: dossier_statistics(records, p).totals.to_json() for p in PERIODS}


def _python_counts(rows, d1: date, d2: date) -> dict:
    """The rules of Thông tư 01/2020 row by row (what one writes without a columnar engine)."""
    c = dict.fromkeys(("tu_ky_truoc", "moi_tiep_nhan", "truc_tuyen", "truc_tiep", "buu_chinh",
                       "da_giai_quyet", "truoc_han", "dung_han", "qua_han", "dang_giai_quyet",
                       "trong_han", "dang_qua_han"), 0)  # fmt: skip
    online, post = CHANNELS[0], CHANNELS[2]
    for r, h, k, channel in rows:
        if r is None:
            continue
        if r < d1 and (k is None or k >= d1):
            c["tu_ky_truoc"] += 1
        if d1 <= r <= d2:
            c["moi_tiep_nhan"] += 1
            c[
                "truc_tuyen"
                if channel == online
                else "buu_chinh"
                if channel == post
                else "truc_tiep"
            ] += 1
        if r <= d2 and k is not None and d1 <= k <= d2:
            c["da_giai_quyet"] += 1
            c["dung_han" if h is None or k == h else "truoc_han" if k < h else "qua_han"] += 1
        if r <= d2 and (k is None or k > d2):
            c["dang_giai_quyet"] += 1
            c["trong_han" if h is None or h >= d2 else "dang_qua_han"] += 1
    c["tong_nhan"] = c["tu_ky_truoc"] + c["moi_tiep_nhan"]
    return c


def _obvious_frame(df) -> dict:
    import pandas as pd

    keep = ~df["Trạng thái"].isin(EXCLUDED)
    df = df[keep]

    def days(col):
        s = (
            pd.to_datetime(df[col], format="%d/%m/%Y %H:%M:%S", errors="coerce")
            if df[col].dtype == object or str(df[col].dtype).startswith("str")
            else df[col]
        )
        return [None if pd.isna(v) else v.date() for v in s]

    rows = list(
        zip(
            days("Ngày tiếp nhận"),
            days("Ngày hẹn trả"),
            days("Ngày có kết quả"),
            df["Hình thức nộp"],
            strict=True,
        )
    )
    return {p.code: _python_counts(rows, p.start, p.end) for p in _periods()}


def route_obvious_csv(path: str) -> dict:
    import pandas as pd

    return _obvious_frame(pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None))


def route_obvious_xlsx(path: str) -> dict:
    import pandas as pd

    return _obvious_frame(pd.read_excel(path, engine="calamine", header=2))


def _vector_counts(r, h, k, channel, d1, d2) -> dict:
    """Vectorised counts on numpy datetime64[D] arrays (NaT = empty)."""
    import numpy as np

    d1, d2 = np.datetime64(d1), np.datetime64(d2)
    ok = ~np.isnat(r)
    kn, hn = np.isnat(k), np.isnat(h)
    tk = ok & (r < d1) & (kn | (k >= d1))
    tn = ok & (r >= d1) & (r <= d2)
    g = ok & (r <= d2) & ~kn & (k >= d1) & (k <= d2)
    p = ok & (r <= d2) & (kn | (k > d2))
    c = {
        "tu_ky_truoc": tk.sum(), "moi_tiep_nhan": tn.sum(),
        "truc_tuyen": (tn & (channel == CHANNELS[0])).sum(),
        "truc_tiep": (tn & (channel == CHANNELS[1])).sum(),
        "buu_chinh": (tn & (channel == CHANNELS[2])).sum(),
        "da_giai_quyet": g.sum(), "truoc_han": (g & ~hn & (k < h)).sum(),
        "dung_han": (g & (hn | (k == h))).sum(), "qua_han": (g & ~hn & (k > h)).sum(),
        "dang_giai_quyet": p.sum(), "trong_han": (p & (hn | (h >= d2))).sum(),
        "dang_qua_han": (p & ~hn & (h < d2)).sum(),
    }  # fmt: skip
    c = {key: int(v) for key, v in c.items()}
    c["tong_nhan"] = c["tu_ky_truoc"] + c["moi_tiep_nhan"]
    return c


def route_pandas_pyarrow(path: str) -> dict:
    import pandas as pd

    use = ["Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    df = pd.read_csv(path, engine="pyarrow", usecols=use, dtype_backend="pyarrow")
    df = df[~df["Trạng thái"].isin(EXCLUDED)]

    def day(col):
        s = pd.to_datetime(df[col], format="%d/%m/%Y %H:%M:%S", errors="coerce")
        return s.dt.floor("D").to_numpy(dtype="datetime64[D]")

    r, h, k = day("Ngày tiếp nhận"), day("Ngày hẹn trả"), day("Ngày có kết quả")
    channel = df["Hình thức nộp"].to_numpy(dtype=object)
    return {p.code: _vector_counts(r, h, k, channel, p.start, p.end) for p in _periods()}


def route_duckdb(path: str) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""create temp table d as select
          try_strptime("Ngày tiếp nhận", '%d/%m/%Y %H:%M:%S')::date r,
          try_strptime("Ngày hẹn trả", '%d/%m/%Y %H:%M:%S')::date h,
          try_strptime("Ngày có kết quả", '%d/%m/%Y %H:%M:%S')::date k,
          "Hình thức nộp" c
        from read_csv('{path}', all_varchar = true)
        where "Trạng thái" not in ('{EXCLUDED[0]}', '{EXCLUDED[1]}')"""
    )
    out = {}
    for p in _periods():
        d1, d2 = f"DATE '{p.start}'", f"DATE '{p.end}'"
        row = con.execute(
            f"""select
          count(*) filter (r < {d1} and (k is null or k >= {d1})),
          count(*) filter (r between {d1} and {d2}),
          count(*) filter (r between {d1} and {d2} and c = '{CHANNELS[0]}'),
          count(*) filter (r between {d1} and {d2} and c = '{CHANNELS[1]}'),
          count(*) filter (r between {d1} and {d2} and c = '{CHANNELS[2]}'),
          count(*) filter (r <= {d2} and k between {d1} and {d2}),
          count(*) filter (r <= {d2} and k between {d1} and {d2} and h is not null and k < h),
          count(*) filter (r <= {d2} and k between {d1} and {d2} and (h is null or k = h)),
          count(*) filter (r <= {d2} and k between {d1} and {d2} and h is not null and k > h),
          count(*) filter (r <= {d2} and (k is null or k > {d2})),
          count(*) filter (r <= {d2} and (k is null or k > {d2}) and (h is null or h >= {d2})),
          count(*) filter (r <= {d2} and (k is null or k > {d2}) and h < {d2})
        from d where r is not null"""
        ).fetchone()
        names = ("tu_ky_truoc", "moi_tiep_nhan", "truc_tuyen", "truc_tiep", "buu_chinh",
                 "da_giai_quyet", "truoc_han", "dung_han", "qua_han", "dang_giai_quyet",
                 "trong_han", "dang_qua_han")  # fmt: skip
        c = dict(zip(names, map(int, row), strict=True))
        c["tong_nhan"] = c["tu_ky_truoc"] + c["moi_tiep_nhan"]
        out[p.code] = c
    return out


def route_calamine_floor(path: str) -> dict:
    import python_calamine as calamine

    book = calamine.CalamineWorkbook.from_path(path)
    return {"height": book.get_sheet_by_index(0).height}


def route_calamine_python(path: str) -> dict:
    import python_calamine as calamine

    book = calamine.CalamineWorkbook.from_path(path)
    return {"height": len(book.get_sheet_by_index(0).to_python())}


def route_openpyxl_sample(path: str) -> dict:
    import pandas as pd

    n = len(pd.read_excel(path, engine="openpyxl", header=2, nrows=20_000))
    return {"rows": n}


XLSX_ROUTES = ("cchc", "obvious_xlsx", "calamine_floor", "calamine_python", "openpyxl_sample")
ROUTES = {name[6:]: fn for name, fn in globals().items() if name.startswith("route_")}


# ------------------------------------------------------------------------------ measuring


def child(name: str, path: str) -> None:
    from ingestion import peak_kb

    before = peak_kb()
    t0 = time.perf_counter()
    result = ROUTES[name](path)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "peak_kb": peak_kb(), "before_kb": before, "result": result}
    print(json.dumps(out, default=str))


def measure(name: str, path: Path, timeout: float) -> dict | None:
    cmd = [sys.executable, __file__, "--child", name, str(path)]
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    }
    t0 = time.perf_counter()
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout": timeout, "peak_mb": None, "result": None}
    if out.returncode:
        err = out.stderr.strip().splitlines()[-1:] or ["?"]
        if err[0].startswith(("ModuleNotFoundError", "ImportError")):
            return None  # an optional engine not installed (pandas says ImportError)
        raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "seconds": round(data["seconds"], 2),
        "process_wall": round(time.perf_counter() - t0, 2),
        "peak_mb": round(data["peak_kb"] / 1024),
        "before_mb": round(data["before_kb"] / 1024),
        "result": data["result"],
    }


def _same(results: dict[str, dict]) -> None:
    keys = ("tong_nhan", "moi_tiep_nhan", "truc_tuyen", "truc_tiep", "buu_chinh", "tu_ky_truoc",
            "da_giai_quyet", "truoc_han", "dung_han", "qua_han", "dang_giai_quyet", "trong_han",
            "dang_qua_han")  # fmt: skip
    shown = {n: {p: {k: r[p][k] for k in keys} for p in PERIODS} for n, r in results.items()}
    first = next(iter(shown.values()))
    for name, got in shown.items():
        if got != first:
            raise SystemExit(f"{name} disagrees:\n{json.dumps(got)}\nvs\n{json.dumps(first)}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="dossiers (default 1,000,000; --quick 100,000)")
    parser.add_argument("--keep", help="a folder to keep (and reuse) the generated exports in")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per route at most")
    parser.add_argument("--only", help="comma-separated routes to run (e.g. csv:cchc,xlsx:cchc)")
    args = parser.parse_args()
    n = args.rows or (100_000 if args.quick else 1_000_000)
    info = machine()
    with scratch("dossiers") as tmp:
        folder = Path(args.keep) if args.keep else tmp
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, xlsx_path = folder / f"ho-so-{n}.csv", folder / f"ho-so-{n}.xlsx"
        t0 = time.perf_counter()
        if not (csv_path.exists() and xlsx_path.exists()):
            cols = columns(n)
            write_csv(cols, csv_path)
            write_xlsx(cols, xlsx_path)
            del cols
        built = time.perf_counter() - t0
        print(
            f"Dossier exports: {n:,} rows, CSV {csv_path.stat().st_size / 2**20:.0f} MB, xlsx "
            f"{xlsx_path.stat().st_size / 2**20:.0f} MB (built in {built:.0f} s, not timed); "
            f"{describe(info)}"
        )
        runs: dict[str, dict | None] = {}
        only = set(args.only.split(",")) if args.only else None
        plan = (
            ("csv", csv_path, ("cchc", "obvious_csv", "pandas_pyarrow", "duckdb")),
            ("xlsx", xlsx_path, XLSX_ROUTES),
        )
        for kind, path, names in plan:
            for name in names:
                if only is None or f"{kind}:{name}" in only:
                    runs[f"{kind}:{name}"] = measure(name, path, args.timeout)
    done = {k: v for k, v in runs.items() if v and v["result"] and k.split(":")[1] in
            ("cchc", "obvious_csv", "pandas_pyarrow", "duckdb", "obvious_xlsx")}  # fmt: skip
    _same({k: v["result"] for k, v in done.items()})
    labels = {
        "csv:cchc": "CSV → 4 periods: cchc (Polars)",
        "csv:obvious_csv": "CSV → 4 periods: pandas.read_csv + Python loop",
        "csv:pandas_pyarrow": "CSV → 4 periods: pandas + pyarrow, vectorised",
        "csv:duckdb": "CSV → 4 periods: DuckDB SQL",
        "xlsx:cchc": "xlsx → 4 periods: cchc (fastexcel, used columns)",
        "xlsx:obvious_xlsx": "xlsx → 4 periods: pandas.read_excel(calamine) + loop",
        "xlsx:calamine_floor": "xlsx floor: python-calamine loads the sheet",
        "xlsx:calamine_python": "xlsx: python-calamine sheet + to_python()",
        "xlsx:openpyxl_sample": "xlsx: pandas.read_excel(openpyxl), first 20,000 rows",
    }
    body = []
    for key, label in labels.items():
        if key not in runs:
            continue
        r = runs[key]
        if r is None:
            body.append([label, "not installed", "", ""])
        elif r["seconds"] is None:
            body.append([label, f"> {r['timeout']:.0f} s", "", ""])
        else:
            body.append([label, r["seconds"], r["peak_mb"], r["process_wall"]])
    print(table(["route", "seconds", "peak MB", "process s"], body))
    ours = runs.get("csv:cchc")
    ok = bool(ours and ours["seconds"] <= GOAL_SECONDS and ours["peak_mb"] <= GOAL_MB)
    print(
        f"Goal (CSV, 1,000,000 rows): < {GOAL_SECONDS:.0f} s and < {GOAL_MB} MB: {'met' if ok else 'not met'}."
    )
    summary = {
        k: {kk: vv for kk, vv in v.items() if kk != "result"} if v else None
        for k, v in runs.items()
    }
    emit("dossiers", args.quick, info, rows=n, routes=summary, goal_met=ok)
    return 0


if __name__ == "__main__":
    sys.exit(main())
