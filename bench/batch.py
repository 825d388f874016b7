"""Batch: the four official 2022 reports for several synthetic units, ``cchc run --all``
versus the plain tool chain run sequentially; reports per minute and the ratio.

Each unit gets a year of workbooks from ``cchc_lib.monthly.sample.generate_year(plan, 2022, dir,
seed=unit)`` and four parameters files (Q1, H1, Q3, Y) with its own data and output folders,
all in a temporary project. ``cchc run --all parameters/`` runs them with its defaults
(``--jobs`` = cores, warm kernels). The plain chain (papermill, nbconvert, weasyprint CLIs)
is timed on ``--plain-k`` of the same parameters files, spread over units and periods, and
its rate extrapolated (``--plain-k 0`` runs it on all of them).

    .venv/bin/python bench/batch.py [--quick] [--units N] [--plain-k K]
"""

from __future__ import annotations

import json
import os
import statistics
import time

import yaml
from _common import (
    BIN,
    PERIODS,
    ROOT,
    SEED_PLAN_REL,
    BenchError,
    arguments,
    check_pdf,
    describe,
    emit,
    machine,
    make_project,
    run,
    scratch,
    table,
)

GOAL = 8.0  # cchc reports/minute divided by the plain chain's, at least


def write_parameters(project, units: int) -> list[str]:
    """One parameters file per unit and period; returns their paths relative to the project."""
    names = []
    for unit in range(1, units + 1):
        for period in PERIODS:
            values = yaml.safe_load((ROOT / "parameters" / f"2022-{period}.yaml").read_text())
            values.update(
                report=f"2022-{period}",
                plan=SEED_PLAN_REL,
                data=f"data/units/u{unit}",
                output_dir=f"output/u{unit}",
            )
            rel = f"parameters/u{unit}-2022-{period}.yaml"
            (project / rel).write_text(yaml.safe_dump(values, allow_unicode=True), "utf-8")
            names.append(rel)
    return names


def pdf_of(project, rel: str):
    unit = rel.split("/")[-1].split("-")[0]
    return project / "output" / unit / "2022" / (rel.split("/")[-1].removesuffix(".yaml") + ".pdf")


def plain_chain(project, rel: str, work, log) -> float:
    work.mkdir(parents=True, exist_ok=True)
    nb, html, pdf = work / "out.ipynb", work / "out.html", work / "out.pdf"
    seconds = run(
        [BIN / "papermill", "notebooks/report.ipynb", nb, "-f", rel], cwd=project, log=log
    )
    seconds += run(
        [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", nb], cwd=project, log=log
    )
    seconds += run([BIN / "weasyprint", html, pdf], cwd=project, log=log)
    check_pdf(pdf)
    return seconds


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, help="synthetic units (default 6; --quick: 2)")
    parser.add_argument(
        "--plain-k", type=int, help="reports timed with the plain chain (default 8; --quick: 4)"
    )
    parser.add_argument("--jobs", type=int, help="pass --jobs to cchc run (default: its own)")
    args = parser.parse_args()
    units = args.units or (2 if args.quick else 6)
    k = args.plain_k if args.plain_k is not None else (4 if args.quick else 8)
    info = machine()
    from cchc_lib.monthly.sample import generate_year
    from cchc_lib.plan import load_plan

    with scratch("batch") as tmp:
        project = make_project(tmp / "project", parameters=False, data=False)
        log = tmp / "commands.log"
        t0 = time.perf_counter()
        plan = load_plan(project / SEED_PLAN_REL)
        for unit in range(1, units + 1):
            generate_year(plan, 2022, project / "data" / "units" / f"u{unit}", seed=unit)
        reports = write_parameters(project, units)
        n = len(reports)
        k = n if k <= 0 or k >= n else max(1, k)
        # spread over units and all four periods: report i is unit i·units/k, period i mod 4
        subset = [reports[(i * units // k) * len(PERIODS) + i % len(PERIODS)] for i in range(k)]
        print(
            f"Batch: {n} reports ({units} units × {len(PERIODS)} periods), data built in "
            f"{time.perf_counter() - t0:.1f} s; plain chain timed on {k} of them"
            f"{'' if k == n else ' and extrapolated'}; {describe(info)}"
        )
        try:
            cmd = [BIN / "cchc", "run", "--all", "parameters/"]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            cchc_seconds = run(cmd, cwd=project, log=log)
            steps: dict[str, list[float]] = {}
            for rel in reports:
                check_pdf(pdf_of(project, rel))
                manifest = pdf_of(project, rel).with_suffix(".manifest.json")
                for step, seconds in json.loads(manifest.read_text())["timings"].items():
                    steps.setdefault(step, []).append(seconds)
            per_report = {s: round(statistics.median(v), 3) for s, v in steps.items()}
            print(f"  cchc run --all: {n} PDFs in {cchc_seconds:.1f} s")
            print(
                "  per report, medians of the manifests (s): "
                + ", ".join(f"{s} {v:.2f}" for s, v in per_report.items() if v >= 0.01)
            )
            plain_seconds = []
            for i, rel in enumerate(subset):
                plain_seconds.append(plain_chain(project, rel, tmp / "plain" / str(i), log))
                print(f"  plain chain {rel}: {plain_seconds[-1]:.1f} s")
        except BenchError as exc:
            print(f"FAILED: {exc}")
            return 1

    cchc_rpm = n / cchc_seconds * 60
    plain_rpm = k / sum(plain_seconds) * 60
    ratio = cchc_rpm / plain_rpm
    print()
    print(
        table(
            ["Tool", "Reports timed", "Seconds", "Seconds/report", "Reports/minute"],
            [
                [
                    f"cchc run --all (jobs {args.jobs or os.cpu_count()})",
                    n,
                    cchc_seconds,
                    cchc_seconds / n,
                    cchc_rpm,
                ],
                [
                    "plain chain, sequential",
                    k,
                    sum(plain_seconds),
                    sum(plain_seconds) / k,
                    plain_rpm,
                ],
            ],
        )
    )
    note = "" if k == n else f" (plain rate from {k} of {n} reports, extrapolated)"
    print(f"\nThroughput ratio cchc / plain: {ratio:.2f}× (goal ≥ {GOAL}×){note}")
    emit(
        "batch",
        args.quick,
        info,
        reports=n,
        units=units,
        plain_timed=k,
        plain_extrapolated=k != n,
        cchc_seconds=round(cchc_seconds, 2),
        cchc_step_medians=per_report,
        plain_seconds=round(sum(plain_seconds), 2),
        cchc_reports_per_minute=round(cchc_rpm, 2),
        plain_reports_per_minute=round(plain_rpm, 2),
        ratio=round(ratio, 2),
        goal=GOAL,
        goal_met=ratio >= GOAL,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
