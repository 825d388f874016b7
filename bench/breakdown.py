"""Breakdown: where one report's time goes (parameters/2022-H1.yaml, in a temporary project).

1. Start-up, each in a fresh interpreter (wall seconds): bare interpreter, ``cchc --version``,
   and the imports of the runner, the renderer and the report code (the kernel's side).
2. In this process, ``perf_counter`` around the library calls: a bare kernel start, a report
   executed by ``PapermillEngine`` (fresh kernel) and twice by ``WarmKernelEngine`` (the second
   run reuses the kernel), each notebook cell (papermill's per-cell durations), then HTML
   export and PDF printing, first and second call.
3. ``cchc run`` as a subprocess: its wall time and the timings of its manifest.

    .venv/bin/python bench/breakdown.py [--quick]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from _common import BIN, arguments, describe, emit, machine, make_project, run, scratch, table

PARAMS = "parameters/2022-H1.yaml"
IMPORTS = {
    "runner imports (cchc_lib.run.runner, engine, papermill)": (
        "import cchc_lib.run.runner, cchc_lib.run.engine, papermill"
    ),
    "render imports (nbconvert, weasyprint)": "import cchc_lib.report.render, weasyprint",
    "report imports, outside a kernel (from cchc_lib.report import build_report)": (
        "from cchc_lib.report import build_report"
    ),
}


def startup(tmp, repeat: int) -> dict[str, float]:
    log = tmp / "startup.log"

    def best(cmd) -> float:
        return statistics.median(run(cmd, cwd=tmp, log=log) for _ in range(repeat))

    bare = best([sys.executable, "-c", "pass"])
    out = {"interpreter start (python -c pass)": bare}
    out["cchc --version (start + CLI imports)"] = best([BIN / "cchc", "--version"])
    for label, code in IMPORTS.items():
        out[label + ", minus interpreter start"] = best([sys.executable, "-c", code]) - bare
    return out


def kernel_start() -> float:
    from jupyter_client.manager import start_new_kernel

    t0 = time.perf_counter()
    km, kc = start_new_kernel(
        kernel_name="python3", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return seconds


def cells(nb) -> list[tuple[str, float]]:
    """(first line of the source, seconds) of each code cell papermill ran."""
    out = []
    for c in nb.cells:
        meta = c.get("metadata", {}).get("papermill", {})
        if c.cell_type == "code" and meta.get("duration") is not None:
            tags = c.get("metadata", {}).get("tags", [])
            first = "(injected parameters)" if "injected-parameters" in tags else None
            first = first or next((ln for ln in c.source.splitlines() if ln.strip()), "")
            out.append((first[:48], float(meta["duration"])))
    return out


def in_process(project) -> tuple[dict[str, float], list[tuple[str, float]]]:
    import nbformat

    from cchc_lib.run.engine import PapermillEngine, WarmKernelEngine
    from cchc_lib.run.params import load_batch

    t0 = time.perf_counter()
    from cchc_lib.report.render import html_to_pdf, notebook_to_docx, notebook_to_html

    steps = {
        "import cchc_lib.report.render (nbconvert; WeasyPrint is lazy)": time.perf_counter() - t0
    }
    t0 = time.perf_counter()
    (params,) = load_batch([project / PARAMS])
    steps["validate parameters (load_batch)"] = time.perf_counter() - t0
    steps["kernel start, bare (start_new_kernel, until ready)"] = kernel_start()
    nb = nbformat.read(params.notebook, as_version=4)
    values = params.to_dict()

    def execute(engine) -> tuple[float, object]:
        t0 = time.perf_counter()
        done = engine.execute(nb, values, cwd=params.root)
        return time.perf_counter() - t0, done

    fresh = PapermillEngine()
    steps["execute: PapermillEngine (fresh kernel)"], fresh_nb = execute(fresh)
    warm = WarmKernelEngine()
    try:
        steps["execute: WarmKernelEngine, 1st run (starts kernel)"], _ = execute(warm)
        steps["execute: WarmKernelEngine, 2nd run (warm kernel)"], warm_nb = execute(warm)
        # The Word file needs a PNG copy of each chart, drawn in the kernel only when docx is
        # among the formats: the same warm run without docx shows what that costs.
        with_docx = [execute(warm)[0] for _ in range(2)]
        values_no_docx = {**values, "formats": ["html", "pdf"]}
        t_no = []
        for _ in range(2):
            t0 = time.perf_counter()
            warm.execute(nb, values_no_docx, cwd=params.root)
            t_no.append(time.perf_counter() - t0)
        steps["  DOCX share of execute: charts' PNG copies (warm, with − without docx)"] = (
            statistics.median(with_docx) - statistics.median(t_no)
        )
        bare = nbformat.from_dict(
            {
                **nb,
                "cells": [
                    c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])
                ],
            }
        )
        t0 = time.perf_counter()
        warm.execute(bare, values, cwd=params.root)
        steps["  engine overhead: warm run of the parameters cell alone"] = time.perf_counter() - t0
    finally:
        warm.close()
    title = "Báo cáo cải cách hành chính"
    for n in ("1st", "2nd"):
        t0 = time.perf_counter()
        html = notebook_to_html(warm_nb, title=title)
        steps[f"HTML export (notebook_to_html), {n} call"] = time.perf_counter() - t0
    for n in ("1st", "2nd"):
        t0 = time.perf_counter()
        pdf = html_to_pdf(html)
        steps[f"PDF print (html_to_pdf), {n} call"] = time.perf_counter() - t0
    assert pdf.startswith(b"%PDF-")
    for n in ("1st", "2nd"):
        t0 = time.perf_counter()
        docx = notebook_to_docx(warm_nb, title=title)
        steps[f"DOCX export (notebook_to_docx), {n} call"] = time.perf_counter() - t0
    assert docx.startswith(b"PK")
    steps["DOCX adds to one report (PNG copies + 2nd export)"] = (
        steps["  DOCX share of execute: charts' PNG copies (warm, with − without docx)"]
        + steps["DOCX export (notebook_to_docx), 2nd call"]
    )
    per_cell = [(f"fresh: {s}", d) for s, d in cells(fresh_nb)]
    per_cell += [(f"warm 2nd: {s}", d) for s, d in cells(warm_nb)]
    return steps, per_cell


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    info = machine()
    print(f"Breakdown of one report ({PARAMS}); {describe(info)}")
    with scratch("breakdown") as tmp:
        project = make_project(tmp / "project")
        start = startup(tmp, repeat)
        steps, per_cell = in_process(project)
        wall = run(
            [BIN / "cchc", "run", PARAMS, "--jobs", "1", "--force"],
            cwd=project,
            log=tmp / "run.log",
        )
        manifest = json.loads((project / "output/2022/2022-H1.manifest.json").read_text())
    timings = manifest["timings"]
    cli = {f"manifest: {k}": v for k, v in timings.items()}
    cli["start-up, imports, rest (wall − manifest)"] = wall - sum(timings.values())
    cli["cchc run, whole process (wall)"] = wall

    print(
        "\n1. Start-up (fresh processes, seconds"
        + (f", median of {repeat})" if repeat > 1 else ")")
    )
    print(table(["Step", "s"], [[k, v] for k, v in start.items()]))
    print("\n2. In process (perf_counter, seconds)")
    print(table(["Step", "s"], [[k, v] for k, v in steps.items()]))
    print("\n   Per cell (papermill's durations, seconds)")
    print(table(["Cell", "s"], [[k, v] for k, v in per_cell]))
    print(f"\n3. cchc run {PARAMS} --jobs 1 (engine {manifest['engine']})")
    print(table(["Step", "s"], [[k, v] for k, v in cli.items()]))

    def rounded(d):
        return {k: round(v, 3) for k, v in d.items()}

    emit(
        "breakdown",
        args.quick,
        info,
        startup=rounded(start),
        in_process=rounded(steps),
        cells=[[k, round(v, 3)] for k, v in per_cell],
        cchc_run=rounded(cli),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
