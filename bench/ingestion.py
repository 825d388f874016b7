"""Ingestion: load and validate monthly workbooks, seconds and peak memory.

(a) a year (12 workbooks) for a plan ten times the seed's size (the seed's tasks repeated
    with new ids: 320 tasks), written by ``generate_year`` and read with ``load_months``;
(b) one workbook whose "Tiến độ" sheet has 200,000 task rows (a plan of 200,000 tasks built
    the same way), read with ``load_month``. Goal: under 5 s and under 1 GB.
(c) the seed's June workbook with one stray cell at XFD1048576 (calamine alone would allocate
    the whole 16,384 × 1,048,576 range and abort), checked with ``validate_path``. Goal: < 2 s.

The 200,000-row file is built by repeating, under new task ids, the rows of a June workbook
that ``generate_year`` wrote for the seed plan; every sheet is copied value for value, and
the file is written straight as SpreadsheetML (shared strings, dates as date-formatted
numbers, like Excel) because openpyxl takes ~45 s for it. Building is not timed; a check
first proves the writer honest: its copy of the seed workbook reads back to the same values.

Each load runs in a fresh interpreter (``--child``); the child times the call with
``perf_counter`` and reports its peak resident memory (Linux ``VmHWM``, else ``ru_maxrss``),
which includes the interpreter, the imports and the plan.

    .venv/bin/python bench/ingestion.py [--quick] [--repeat N]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from _common import SEED_PLAN, arguments, describe, emit, machine, scratch, table

ROWS_B = 200_000
COPIES_A = 10
GOAL_SECONDS, GOAL_MB = 5.0, 1024
GOAL_STRAY_SECONDS = 2.0
MONTH = "2022-06"


def scaled_plan(copies: int, limit: int | None = None):
    """The seed plan with its tasks repeated ``copies`` times; copy k has rows shifted by
    1000·k (``I.1.3`` → ``I.1001.3``), so ids keep the plan's form and stay unique."""
    from cchc_lib.plan import load_plan

    plan = load_plan(SEED_PLAN)
    tasks = []
    for k in range(copies):
        for t in plan.tasks:
            parts = t.id.split(".")
            pos = len(parts) - 2  # the row: {area}.{row}.{k} or {area}.{sub}.{row}.{k}
            parts[pos] = str(int(parts[pos]) + 1000 * k)
            tasks.append(replace(t, id=".".join(parts), row=t.row + 1000 * k))
            if limit is not None and len(tasks) == limit:
                break
        if limit is not None and len(tasks) == limit:
            break
    assert len({t.id for t in tasks}) == len(tasks), "task ids must stay unique"
    return replace(plan, tasks=tuple(tasks))


# ---------------------------------------------------------------- the 200,000-row workbook

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_EPOCH = date(1899, 12, 30)
_STYLES = (
    f'<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="12"/><name val="Times New Roman"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/>'
    '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _sheet_xml(rows, strings: dict[str, int]) -> bytes:
    cols = [_col(i) for i in range(max((len(r) for r in rows), default=1))]
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_NS}">']
    out.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = f"{cols[c]}{r}"
            if isinstance(v, str):
                idx = strings.setdefault(v, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{idx}</v></c>')
            elif isinstance(v, datetime | date):
                d = v.date() if isinstance(v, datetime) else v
                cells.append(f'<c r="{ref}" s="1"><v>{(d - _EPOCH).days}</v></c>')
            elif isinstance(v, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v!r}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def write_xlsx(path: Path, sheets: dict[str, list[list]], hidden: set[str]) -> None:
    """Write ``sheets`` (name -> rows of values) as a plain .xlsx with shared strings."""
    strings: dict[str, int] = {}
    parts = {
        f"xl/worksheets/sheet{i}.xml": _sheet_xml(rows, strings)
        for i, rows in enumerate(sheets.values(), 1)
    }
    names = list(sheets)
    sst = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    sheet_tags = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if n in hidden else "")
        + "/>"
        for i, n in enumerate(names, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names)
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheet_tags}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}">{rels}'
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in files.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
        for name, data in parts.items():
            z.writestr(name, data)


def scaled_workbook(base: Path, plan, path: Path) -> None:
    """Copy ``base`` (a workbook for the seed plan) to ``path`` for ``plan`` (the seed's
    tasks repeated): the progress rows are repeated under the plan's ids."""
    import python_calamine as calamine

    from cchc_lib.monthly.template import (
        PROGRESS_HEADER_ROW,
        SHEET_META,
        SHEET_PROGRESS,
        plan_fingerprint,
    )

    with calamine.CalamineWorkbook.from_path(str(base)) as book:
        sheets = {
            n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names
        }
    progress = sheets[SHEET_PROGRESS]
    head, body = progress[:PROGRESS_HEADER_ROW], progress[PROGRESS_HEADER_ROW:]
    body = [r for r in body if r and r[0] not in ("", None)]
    rows = [[t.id, *body[i % len(body)][1:]] for i, t in enumerate(plan.tasks)]
    sheets[SHEET_PROGRESS] = head + rows
    fingerprint = plan_fingerprint(plan)
    sheets[SHEET_META] = [
        [k, fingerprint if k == "plan_fingerprint" else v] for k, v, *_ in sheets[SHEET_META]
    ]
    write_xlsx(path, sheets, hidden={SHEET_META})


def stray_workbook(base: Path, path: Path) -> None:
    """``base`` with one value typed far away, at XFD1048576 of "Tiến độ"."""
    import openpyxl

    wb = openpyxl.load_workbook(base)
    wb["Tiến độ"]["XFD1048576"] = "x"
    wb.save(path)


# ---------------------------------------------------------------- measuring


def peak_kb() -> int:
    """This process's peak resident memory in KB.

    Linux: ``VmHWM`` of /proc/self/status, because ``ru_maxrss`` survives ``exec`` and so
    starts at the parent's size when the child was forked; elsewhere ``ru_maxrss``.
    """
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


def child(kind: str, path: str, copies: int, limit: int | None) -> None:
    """In a fresh interpreter: build the plan, time the load, report peak memory."""
    from cchc_lib.monthly import load_month, load_months

    plan = scaled_plan(copies, limit)
    before = peak_kb()
    t0 = time.perf_counter()
    if kind == "year":
        datas = load_months(path, plan)
    elif kind == "stray":
        from cchc_lib.monthly import validate_path

        problems = validate_path(path, plan)
        assert any("XFD1048576" in p.message for p in problems), problems
        datas = (load_month(path, plan),)
    else:
        datas = (load_month(path, plan),)
    seconds = time.perf_counter() - t0
    peak = peak_kb()
    rows = sum(len(d.progress) for d in datas)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": rows,
                "files": len(datas),
                "peak_kb": peak,
                "before_kb": before,
            }
        )
    )


def measure(kind: str, path: Path, copies: int, limit: int | None, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        cmd = [sys.executable, __file__, "--child", kind, str(path), str(copies), str(limit or 0)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        if out.returncode:
            raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
        runs.append({**json.loads(out.stdout.strip().splitlines()[-1]), "wall": wall})
    return {
        "seconds": round(statistics.median(r["seconds"] for r in runs), 3),
        "seconds_min": round(min(r["seconds"] for r in runs), 3),
        "process_wall": round(statistics.median(r["wall"] for r in runs), 3),
        "peak_mb": round(max(r["peak_kb"] for r in runs) / 1024, 1),
        "before_load_mb": round(max(r["before_kb"] for r in runs) / 1024, 1),
        "rows": runs[0]["rows"],
        "files": runs[0]["files"],
        "bytes": sum(p.stat().st_size for p in ([path] if path.is_file() else path.glob("*.xlsx"))),
        "runs": repeat,
    }


def check_writer(base: Path, tmp: Path) -> None:
    """The writer's copy of ``base`` must read back to the very same month data."""
    from cchc_lib.monthly import load_month

    plan = scaled_plan(1)
    copy = tmp / "check" / base.name
    copy.parent.mkdir()
    scaled_workbook(base, plan, copy)
    a, b = load_month(base, plan), load_month(copy, plan)
    if (a.month, a.progress, a.indicators, a.narrative) != (
        b.month,
        b.progress,
        b.indicators,
        b.narrative,
    ):
        raise SystemExit("the workbook writer does not reproduce the seed workbook's values")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, path, copies, limit = sys.argv[2:6]
        child(kind, path, int(copies), int(limit) or None)
        return 0
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, help="fresh processes per load (default 3; --quick: 1)"
    )
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    info = machine()
    from cchc_lib.monthly.sample import generate_year

    copies_b = -(-ROWS_B // len(scaled_plan(1).tasks))
    with scratch("ingestion") as tmp:
        t0 = time.perf_counter()
        generate_year(scaled_plan(COPIES_A), 2022, tmp / "a", seed=1)
        built_a = time.perf_counter() - t0
        t0 = time.perf_counter()
        generate_year(scaled_plan(1), 2022, tmp / "seed", seed=1)
        base = tmp / "seed" / f"{MONTH}.xlsx"
        check_writer(base, tmp)
        big = tmp / "b" / f"{MONTH}.xlsx"
        big.parent.mkdir()
        scaled_workbook(base, scaled_plan(copies_b, ROWS_B), big)
        built_b = time.perf_counter() - t0
        print(
            f"Ingestion: inputs built in {built_a:.1f} s (a) and {built_b:.1f} s (b), not timed; "
            f"{repeat} fresh process(es) per load; {describe(info)}"
        )
        stray = tmp / "c" / f"{MONTH}.xlsx"
        stray.parent.mkdir()
        stray_workbook(base, stray)
        a = measure("year", tmp / "a", COPIES_A, None, repeat)
        b = measure("month", big, copies_b, ROWS_B, repeat)
        c = measure("stray", stray, 1, None, repeat)

    rows = [
        [
            f"(a) load_months: 12 workbooks, plan × {COPIES_A}",
            a["rows"],
            a["bytes"] // 1024,
            a["seconds"],
            a["process_wall"],
            a["before_load_mb"],
            a["peak_mb"],
        ],
        [
            f"(b) load_month: one sheet of {ROWS_B:,} rows",
            b["rows"],
            b["bytes"] // 1024,
            b["seconds"],
            b["process_wall"],
            b["before_load_mb"],
            b["peak_mb"],
        ],
        [
            "(c) validate + load: a stray cell at XFD1048576",
            c["rows"],
            c["bytes"] // 1024,
            c["seconds"],
            c["process_wall"],
            c["before_load_mb"],
            c["peak_mb"],
        ],
    ]
    print()
    print(
        table(
            ["Input", "Task rows", "KB", "Load s", "Process s", "MB before load", "Peak MB"], rows
        )
    )
    print(
        f"Goal (c): < {GOAL_STRAY_SECONDS:g} s → {c['seconds']:.2f} s: "
        f"{'met' if c['seconds'] < GOAL_STRAY_SECONDS else 'NOT met'}"
    )
    met = b["seconds"] < GOAL_SECONDS and b["peak_mb"] < GOAL_MB
    print(
        f"\nGoal (b): < {GOAL_SECONDS:g} s and < {GOAL_MB} MB → {b['seconds']:.2f} s, "
        f"{b['peak_mb']:.0f} MB peak (whole process): {'met' if met else 'NOT met'}"
    )
    emit(
        "ingestion",
        args.quick,
        info,
        year_plan_x10=a,
        sheet_200k=b,
        stray_cell=c,
        goal_stray_seconds=GOAL_STRAY_SECONDS,
        goal_seconds=GOAL_SECONDS,
        goal_mb=GOAL_MB,
        goal_met=met,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
