"""One official report: ``cchc run`` versus the plain tool chain, alternated round by round.

cchc:  ``cchc run parameters/2022-H1.yaml --jobs 1`` (a subprocess, like a user's shell)
plain: ``papermill notebooks/report.ipynb out.ipynb -f parameters/2022-H1.yaml``, then
       ``jupyter nbconvert --to html --no-input out.ipynb`` (default lab template), then
       ``weasyprint out.html out.pdf``

Both run in a temporary copy of the project (the repository's output/ is untouched),
on the same notebook, parameters and data. One untimed warm-up of each comes first.

    .venv/bin/python bench/single_report.py [--quick] [--rounds N]
"""

from __future__ import annotations

import json
import shutil

from _common import (
    BIN,
    BenchError,
    Stats,
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

GOAL = 0.5  # cchc time / plain time, at most
STEPS = ("validate", "execute", "export_html", "export_pdf", "write")


def cchc_round(project, params, log):
    name = params.rsplit("/", 1)[-1].removesuffix(".yaml")
    pdf = project / "output" / "2022" / f"{name}.pdf"
    pdf.unlink(missing_ok=True)
    seconds = run([BIN / "cchc", "run", params, "--jobs", "1", "--force"], cwd=project, log=log)
    check_pdf(pdf)
    manifest = json.loads((project / "output" / "2022" / f"{name}.manifest.json").read_text())
    return seconds, manifest["timings"]


def plain_round(project, params, work, log):
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    nb, html, pdf = work / "out.ipynb", work / "out.html", work / "out.pdf"
    steps = {
        "papermill": run(
            [BIN / "papermill", "notebooks/report.ipynb", nb, "-f", params], cwd=project, log=log
        ),
        "nbconvert": run(
            [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", nb], cwd=project, log=log
        ),
        "weasyprint": run([BIN / "weasyprint", html, pdf], cwd=project, log=log),
    }
    check_pdf(pdf)
    return sum(steps.values()), steps


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, help="timed rounds (default 5; --quick: 3)")
    parser.add_argument("--params", default="parameters/2022-H1.yaml", help="parameters file")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 5)
    info = machine()
    print(f"Single report {args.params}: {rounds} rounds, alternated; {describe(info)}")

    cchc_times, plain_times = [], []
    cchc_steps: dict[str, list[float]] = {s: [] for s in STEPS}
    plain_steps: dict[str, list[float]] = {}
    with scratch("single") as tmp:
        project = make_project(tmp / "project")
        work, log = tmp / "plain", tmp / "commands.log"
        try:
            cchc_round(project, args.params, log)  # warm-up: disk and font caches
            plain_round(project, args.params, work, log)
            for i in range(rounds):
                order = ("cchc", "plain") if i % 2 == 0 else ("plain", "cchc")
                for arm in order:
                    if arm == "cchc":
                        seconds, timings = cchc_round(project, args.params, log)
                        cchc_times.append(seconds)
                        for s in STEPS:
                            cchc_steps[s].append(timings.get(s, 0.0))
                    else:
                        seconds, steps = plain_round(project, args.params, work, log)
                        plain_times.append(seconds)
                        for s, v in steps.items():
                            plain_steps.setdefault(s, []).append(v)
                    print(f"  round {i + 1} {arm:5}: {seconds:6.2f} s")
        except BenchError as exc:
            print(f"FAILED: {exc}")
            return 1

    cchc, plain = Stats.of(cchc_times), Stats.of(plain_times)
    ratio = cchc.median / plain.median
    rest = [t - sum(v[i] for v in cchc_steps.values()) for i, t in enumerate(cchc_times)]
    rows = [
        ["cchc run (whole process)", str(cchc)],
        *[[f"  manifest: {s}", str(Stats.of(v))] for s, v in cchc_steps.items()],
        ["  start-up, imports (wall − manifest)", str(Stats.of(rest))],
        ["plain chain (3 commands)", str(plain)],
        *[[f"  {s}", str(Stats.of(v))] for s, v in plain_steps.items()],
    ]
    print()
    print(table(["Seconds: median (min–max)", f"{rounds} rounds"], rows))
    print(f"\nRatio cchc / plain (medians): {ratio:.2f} (goal ≤ {GOAL})")
    emit(
        "single_report",
        args.quick,
        info,
        params=args.params,
        rounds=rounds,
        cchc=cchc.as_dict(),
        plain=plain.as_dict(),
        cchc_steps={s: Stats.of(v).as_dict() for s, v in cchc_steps.items()},
        plain_steps={s: Stats.of(v).as_dict() for s, v in plain_steps.items()},
        ratio=round(ratio, 3),
        goal=GOAL,
        goal_met=ratio <= GOAL,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
