"""``cchc run``: validation before kernels, outputs as one set, manifest, locks, batches,
skipping unchanged reports, --due, disk full, signals.

Fast tests use a fake engine (no kernel); tests marked ``slow`` start real kernels
on the toy notebooks of ``tests/fixtures/runner`` (rebuild them with its
``build_notebooks.py``) or kill child processes.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from conftest import SEED
from filelock import FileLock

from cchc_lib import cli, faults
from cchc_lib.commands.run import summary_table
from cchc_lib.run import engine
from cchc_lib.run.engine import CellExecutionFailed, KernelStartError, PapermillEngine
from cchc_lib.run.params import load_batch
from cchc_lib.run.runner import STEPS, ReportResult, RunOptions, run_report

FIXTURES = Path(__file__).parent / "fixtures" / "runner"
EXAMPLE = (FIXTURES / "2022-Q1.yaml").read_text(encoding="utf-8")
PLAN = "data/plan/000_04455437811e3eec.txt"


def period(text: str, code: str) -> str:
    """The example parameters for another period (its report date too)."""
    from cchc_lib.periods import parse_period

    end = parse_period(code).end.isoformat()
    return text.replace('"2022-Q1"', f'"{code}"').replace('"2022-03-14"', f'"{end}"')


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_project(root: Path, notebook: str = "toy_report.ipynb", **yamls: str) -> Path:
    """A project: pyproject.toml, notebooks/report.ipynb, a plan, two workbooks, parameters."""
    import openpyxl

    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'toy'\n", encoding="utf-8")
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(FIXTURES / notebook, root / "notebooks" / "report.ipynb")
    (root / "data" / "plan").mkdir(parents=True)
    shutil.copy(SEED, root / PLAN)  # a real plan: the signer and agency are derived from it
    (root / "data" / "2022").mkdir()
    for month in ("2022-01", "2022-02"):
        wb = openpyxl.Workbook()
        wb.active["A1"] = f"Tiến độ {month}"
        wb.save(root / "data" / "2022" / f"{month}.xlsx")
    (root / "parameters").mkdir()
    for name, text in (yamls or {"2022-Q1": EXAMPLE}).items():
        (root / "parameters" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def inputs_of(root: Path) -> dict[str, str]:
    files = [root / PLAN, *sorted((root / "data" / "2022").glob("*.xlsx"))]
    files += [*sorted((root / "parameters").glob("*.yaml")), root / "notebooks" / "report.ipynb"]
    return {str(p.relative_to(root)): sha(p) for p in files}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


class FakeEngine:
    """Executes nothing: returns the notebook with an HTML output, or fails like a cell."""

    name = "fake"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0
        self.reports: list[str] = []

    def execute(self, nb, parameters, *, cwd, log=None):
        self.calls += 1
        self.reports.append(parameters["report"])
        nb = copy.deepcopy(nb)
        html = f"<table><tr><td>{parameters['report']}</td><td>{parameters['signer_name']}</td>"
        nb.cells[-1].outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": html + "</tr></table>"})
        ]
        if self.fail:
            raise CellExecutionFailed(
                nb, 2, 3, "ValueError", "Thiếu số liệu", ["\x1b[31mTraceback dòng 1\x1b[0m"]
            )
        return nb

    def close(self) -> None:
        pass


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


def load(project: Path, formats: tuple[str, ...] | None = ("html",)):
    return load_batch(sorted((project / "parameters").glob("*.yaml")), formats=formats)


FORCE = RunOptions(skip_unchanged=False)  # rerun although nothing changed


def fake_cli(monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> list[FakeEngine]:
    """Make ``cchc run`` (in this process) use fake engines; returns the engines made."""
    made: list[FakeEngine] = []

    def factory() -> FakeEngine:
        made.append(FakeEngine(fail=fail))
        return made[-1]

    monkeypatch.setattr(engine, "WarmKernelEngine", factory)
    monkeypatch.setattr(engine, "PapermillEngine", factory)
    return made


def calls(made: list[FakeEngine]) -> int:
    return sum(e.calls for e in made)


# ---------------------------------------------------------------- validation first


def _bad(case: str) -> str:
    """The example parameters broken in one way."""
    lines = EXAMPLE.splitlines(keepends=True)
    if case == "unknown key":
        return EXAMPLE + 'reprot: "2022-Q1"\n'
    if case == "wrong type":
        return EXAMPLE.replace('signer_name: "Hoàng Văn Quảng"', "signer_name: [a, b]")
    if case == "missing plan file":
        return EXAMPLE.replace(PLAN, "data/plan/khong-co.txt")
    if case == "no report":
        return "".join(line for line in lines if not line.startswith("report:"))
    if case == "no plan":
        return "".join(line for line in lines if not line.startswith("plan:"))
    if case == "key twice":
        return EXAMPLE + 'report: "2022-H1"\n'
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("unknown key", '"reprot"'),
        ("wrong type", '"signer_name"'),
        ("missing plan file", "không tìm thấy tệp"),
        ("no report", 'Thiếu khóa "report"'),
        ("no plan", 'Thiếu khóa "plan"'),
        ("key twice", 'khóa "report" được ghi hai lần'),
    ],
)
def test_bad_parameters_rejected_before_any_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, case: str, fragment: str
) -> None:
    import papermill

    root = make_project(tmp_path, **{"2022-Q1": _bad(case), "2022-H1": period(EXAMPLE, "2022-H1")})
    monkeypatch.chdir(root)
    started: list[str] = []
    monkeypatch.setattr(engine.PapermillEngine, "execute", lambda *a, **k: started.append("x"))
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: started.append("pm"))
    status = cli.main(["run", "--all", "parameters", "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert fragment in err and "parameters/2022-Q1.yaml" in err and "Cách sửa" in err
    assert "2022-H1.yaml" not in err  # the good file has no problem to report
    assert started == []
    assert not (root / "output").exists()  # not even the valid 2022-H1 ran


def test_bad_format_option_exits_2(project: Path, capsys) -> None:
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html,rtf"]) == 2
    assert '"rtf"' in capsys.readouterr().err


def test_no_parameters_given_exits_2(project: Path, capsys) -> None:
    assert cli.main(["run"]) == 2
    assert "cchc run --all parameters/" in capsys.readouterr().err


# ---------------------------------------------------------------- one report, fake engine


def test_fake_run_writes_outputs_and_manifest(project: Path) -> None:
    (params,) = load(project)
    fake = FakeEngine()
    result = run_report(params, engine=fake)
    assert result.ok and fake.calls == 1, result.message
    year = project / "output" / "2022"
    assert sorted(p.name for p in year.iterdir() if not p.name.startswith(".")) == [
        "2022-Q1.html",
        "2022-Q1.ipynb",
        "2022-Q1.manifest.json",
    ]
    manifest = json.loads((year / "2022-Q1.manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "fake" and manifest["status"] == "success"
    # every parameter with its value and where it came from
    assert manifest["parameters"]["agency"] == "Sở Công Thương"
    assert manifest["parameter_sources"]["agency"].startswith("kế hoạch")
    assert manifest["parameter_sources"]["signer_name"] == "tệp tham số"
    assert manifest["parameter_sources"]["window_rule"] == "tệp tham số"
    assert len(manifest["fingerprint"]) == 64
    assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == {
        "2022-Q1.ipynb": sha(year / "2022-Q1.ipynb"),
        "2022-Q1.html": sha(year / "2022-Q1.html"),
    }
    assert "Hoàng Văn Quảng" in (year / "2022-Q1.html").read_text(encoding="utf-8")
    assert result.log is not None and result.log.parent == project / "output" / "logs"
    assert result.log.name.endswith("-2022-Q1.log")
    assert temp_files(project) == []


def test_failed_cell_keeps_earlier_report_and_failed_notebook(project: Path) -> None:
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    year = project / "output" / "2022"
    before = snapshot(year)
    result = run_report(
        params, engine=FakeEngine(fail=True), options=RunOptions(verbose=True, skip_unchanged=False)
    )
    assert not result.ok
    assert snapshot(year) == before  # byte for byte
    failed = year / "failed" / "2022-Q1.ipynb"
    assert failed.is_file() and result.files[0] == failed
    msg = result.message
    assert "Báo cáo 2022-Q1 (quý I năm 2022" in msg and "ValueError: Thiếu số liệu" in msg
    assert "ô thứ 3 (In [3])" in msg and "output/2022/failed/2022-Q1.ipynb" in msg
    assert msg.endswith("Traceback dòng 1") and "\x1b" not in msg  # verbose: colourless traceback
    manifest = json.loads((year / "failed" / "2022-Q1.manifest.json").read_text("utf-8"))
    assert manifest["status"] == "failed" and manifest["error"]["ename"] == "ValueError"
    # a later success clears the stale failure
    assert run_report(params, engine=FakeEngine(), options=FORCE).ok
    assert not failed.exists()


@pytest.mark.slow  # loads WeasyPrint
def test_export_failure_keeps_earlier_report(project: Path, monkeypatch) -> None:
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    year = project / "output" / "2022"
    before = snapshot(year)
    import cchc_lib.report.render

    def broken(html: str) -> bytes:
        raise OSError("hết dung lượng")

    monkeypatch.setattr(cchc_lib.report.render, "html_to_pdf", broken)
    (params,) = load(project, formats=("html", "pdf"))
    result = run_report(params, engine=FakeEngine(), options=FORCE)
    assert not result.ok and "xuất PDF bị lỗi: OSError: hết dung lượng" in result.message
    assert snapshot(year) == before
    assert (year / "failed" / "2022-Q1.ipynb").is_file()


def test_interrupted_write_leaves_no_partial_file(project: Path) -> None:
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    year = project / "output" / "2022"
    before = snapshot(year)
    calls = []

    def interrupt_second_file() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with faults.inject("atomic.stage", interrupt_second_file), pytest.raises(KeyboardInterrupt):
        run_report(params, engine=FakeEngine(), options=FORCE)
    assert len(calls) == 2
    assert snapshot(year) == before
    assert temp_files(project) == []
    sets = year / ".2022-Q1.sets"
    assert len([p for p in sets.iterdir() if p.name != "current"]) == 2  # the unfinished one
    assert run_report(params, engine=FakeEngine(), options=FORCE).ok
    assert len([p for p in sets.iterdir() if p.name != "current"]) == 1  # cleaned


def test_inputs_are_never_modified(project: Path) -> None:
    before = inputs_of(project)
    (params,) = load(project)
    run_report(params, engine=FakeEngine())
    run_report(params, engine=FakeEngine(fail=True), options=FORCE)
    run_report(params, engine=FakeEngine())  # skipped: unchanged
    assert inputs_of(project) == before


def test_no_wait_fails_fast_when_locked(project: Path) -> None:
    (params,) = load(project)
    (project / "output" / "2022").mkdir(parents=True)
    lock = FileLock(str(project / "output" / "2022" / ".2022-Q1.lock"))
    with lock:
        result = run_report(params, engine=FakeEngine(), options=RunOptions(wait=False))
    assert not result.ok and "--no-wait" in result.message
    assert not (project / "output" / "2022" / "2022-Q1.ipynb").exists()


@pytest.mark.slow
def test_second_run_waits_for_the_lock(project: Path) -> None:
    (params,) = load(project)
    (project / "output" / "2022").mkdir(parents=True)
    held = threading.Event()

    def hold() -> None:  # another holder: a thread stands in for another process
        with FileLock(str(project / "output" / "2022" / ".2022-Q1.lock")):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    t0 = time.perf_counter()
    result = run_report(params, engine=FakeEngine())
    assert result.ok and time.perf_counter() - t0 >= 0.9
    assert "đã chờ khóa" in result.log.read_text(encoding="utf-8")
    holder.join()


# ---------------------------------------------------------------- engine retries


def test_kernel_start_failure_is_retried(monkeypatch) -> None:
    """Through the engine's fault point: every start fails, so it tries 1 + 2 times."""
    attempts = []

    def dead() -> None:
        attempts.append(1)
        raise KernelStartError("TimeoutError: Kernel didn't respond in 60 seconds")

    monkeypatch.setattr(engine.time, "sleep", lambda s: None)
    log = io.StringIO()
    with faults.inject("engine.execute", dead), pytest.raises(KernelStartError):
        PapermillEngine(start_retries=2).execute(
            nbformat.v4.new_notebook(), {}, cwd=Path("."), log=log
        )
    assert len(attempts) == 3 and "(lần 1)" in log.getvalue() and "(lần 3)" in log.getvalue()


def test_cell_errors_are_not_retried() -> None:
    from papermill.exceptions import PapermillExecutionError

    calls = []

    def failing() -> None:
        calls.append(1)
        raise PapermillExecutionError(2, 3, "1/0", "ZeroDivisionError", "division by zero", [])

    with faults.inject("engine.execute", failing), pytest.raises(CellExecutionFailed) as info:
        PapermillEngine().execute(nbformat.v4.new_notebook(), {}, cwd=Path("."))
    assert calls == [1] and info.value.exec_count == 3


def test_summary_table_has_vietnamese_headers(tmp_path: Path) -> None:
    results = [
        ReportResult("2022-Q1", "2022-Q1", "success", 3.25, (tmp_path / "a.ipynb",)),
        ReportResult("2022-Q3", "2022-Q3", "failed", 1.0, ()),
    ]
    table = summary_table(results).splitlines()
    assert table[0].split("  ")[0] == "Báo cáo"
    for header in ("Trạng thái", "Thời gian (giây)", "Tệp"):
        assert header in table[0]
    assert "Thành công" in table[2] and "3,3" in table[2]  # rounded half up, decimal comma
    assert "Lỗi" in table[3] and "—" in table[3]
    more = summary_table(
        [
            ReportResult("2022-Q3", "2022-Q3", "skipped", 0.0, ()),
            ReportResult("2022-Y", "2022-Y", "not_due", 0.0, ()),
        ]
    ).splitlines()
    assert "Không thay đổi" in more[2] and "Chưa đến hạn" in more[3]


# ---------------------------------------------------------------- real kernels


@pytest.mark.slow
def test_end_to_end_toy_report(project: Path, capsys) -> None:
    from pypdf import PdfReader

    before = inputs_of(project)
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html,pdf"]) == 0
    out = capsys.readouterr().out
    assert "2022-Q1  Thành công" in out and "output/2022/2022-Q1 (.ipynb, .html, .pdf)" in out
    year = project / "output" / "2022"
    manifest = json.loads((year / "2022-Q1.manifest.json").read_text(encoding="utf-8"))
    assert {i["path"]: i["sha256"] for i in manifest["inputs"]} == before
    assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == {
        f"2022-Q1.{ext}": sha(year / f"2022-Q1.{ext}") for ext in ("ipynb", "html", "pdf")
    }
    assert manifest["status"] == "success" and set(manifest["timings"]) == set(STEPS)
    assert manifest["timings"]["execute"] > 0 and manifest["timings"]["export_pdf"] > 0
    assert set(manifest["versions"]) >= {"python", "cchc", "papermill", "nbconvert", "pandas"}
    assert manifest["parameters"]["plan"] == str(project / PLAN)  # absolute for the notebook
    assert manifest["started_at"] <= manifest["finished_at"]

    executed = nbformat.read(year / "2022-Q1.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    html = (year / "2022-Q1.html").read_text(encoding="utf-8")
    assert "Hoàng Văn Quảng" in html and "2022-01.xlsx, 2022-02.xlsx" in html
    text = "".join(page.extract_text() for page in PdfReader(year / "2022-Q1.pdf").pages)
    assert "2022-Q1" in text and "Hoàng Văn Quảng" in text
    assert inputs_of(project) == before
    assert temp_files(project) == []
    log = next((project / "output" / "logs").glob("*-2022-Q1.log")).read_text("utf-8")
    assert "bước execute" in log and "kết thúc: success" in log


@pytest.mark.slow
def test_failing_notebook_exit_1_keeps_good_output(project: Path, capsys) -> None:
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html,pdf"]) == 0
    year = project / "output" / "2022"
    before = snapshot(year)
    shutil.copy(FIXTURES / "toy_fail.ipynb", project / "notebooks" / "fail.ipynb")
    capsys.readouterr()
    status = cli.main(["run", "parameters/2022-Q1.yaml", "--notebook", "notebooks/fail.ipynb"])
    captured = capsys.readouterr()
    assert status == 1
    assert "2022-Q1  Lỗi" in captured.out
    paragraph = captured.err.strip()
    assert "\n" not in paragraph and "Traceback" not in paragraph  # one paragraph
    assert "Báo cáo 2022-Q1 (quý I năm 2022, mã kỳ 2022-Q1)" in paragraph
    assert "ô thứ 3 (In [3])" in paragraph
    assert "ValueError: Thiếu số liệu tháng 03 cho kỳ 2022-Q1" in paragraph
    assert snapshot(year) == before
    failed = nbformat.read(year / "failed" / "2022-Q1.ipynb", as_version=4)
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [e.ename for e in errors] == ["ValueError"]
    log = max(
        (project / "output" / "logs").glob("*.log"), key=lambda p: p.stat().st_mtime_ns
    ).read_text("utf-8")
    assert "Traceback" in log or "ValueError" in log


@pytest.mark.slow
def test_concurrent_runs_of_one_report(tmp_path: Path) -> None:
    root = make_project(tmp_path, notebook="toy_sleep.ipynb")
    cmd = [sys.executable, "-m", "cchc_lib", "run", "parameters/2022-Q1.yaml", "--format", "html"]
    cmd.append("--force")  # without it, the second would find the report made and skip it
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    year = root / "output" / "2022"
    manifest = json.loads((year / "2022-Q1.manifest.json").read_text(encoding="utf-8"))
    assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == {
        "2022-Q1.ipynb": sha(year / "2022-Q1.ipynb"),
        "2022-Q1.html": sha(year / "2022-Q1.html"),
    }
    nbformat.validate(nbformat.read(year / "2022-Q1.ipynb", as_version=4))
    logs = [p.read_text("utf-8") for p in (root / "output" / "logs").glob("*.log")]
    assert len(logs) == 2 and all("kết thúc: success" in log for log in logs)

    def held(log: str) -> tuple[datetime, datetime]:
        def when(marker: str) -> datetime:
            line = next(line for line in log.splitlines() if marker in line)
            return datetime.fromisoformat(line.split(" ", 1)[0])

        return when("đã nhận khóa"), when("kết thúc:")

    (a_start, a_end), (b_start, b_end) = sorted(held(log) for log in logs)
    assert a_end <= b_start  # the second run held the lock only after the first finished
    assert temp_files(root) == []


@pytest.mark.slow
def test_batch_of_three_with_one_failure(tmp_path: Path, monkeypatch, capsys) -> None:
    from second_plan import write_second_plan_docx

    q3 = period(EXAMPLE, "2022-Q3").replace(PLAN, "data/plan/khac.docx")
    root = make_project(
        tmp_path,
        **{"2022-Q1": EXAMPLE, "2022-H1": period(EXAMPLE, "2022-H1"), "2022-Q3": q3},
    )
    write_second_plan_docx(root / "data" / "plan" / "khac.docx")  # cchc reads it; toy does not
    monkeypatch.chdir(root)
    status = cli.main(["run", "--all", "parameters", "--jobs", "2", "--format", "html"])
    captured = capsys.readouterr()
    assert status == 1
    rows = captured.out.splitlines()
    assert rows[0].startswith("Báo cáo") and "Thời gian (giây)" in rows[0]
    assert [r.split()[:2] for r in rows[2:5]] == [
        ["2022-H1", "Thành"],
        ["2022-Q1", "Thành"],
        ["2022-Q3", "Lỗi"],
    ]
    assert "Thành công 2/3 báo cáo; 1 lỗi." in captured.out
    assert "Báo cáo 2022-Q3 (quý III năm 2022" in captured.err
    assert "UnicodeDecodeError" in captured.err
    assert (root / "output" / "2022" / "2022-H1.html").is_file()
    assert (root / "output" / "2022" / "failed" / "2022-Q3.ipynb").is_file()
    assert len(list((root / "output" / "logs").glob("*.log"))) == 3


@pytest.mark.slow
def test_real_kernel_start_failure_is_retried(tmp_path: Path, monkeypatch) -> None:
    """A kernel that dies on its first start, then works: the engine retries it."""
    spec = tmp_path / "jupyter" / "kernels" / "cchc-flaky"
    spec.mkdir(parents=True)
    marker = tmp_path / "started-once"
    launcher = spec / "launch.py"
    launcher.write_text(
        "import pathlib, runpy, sys\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    sys.exit(3)\n"
        "sys.argv = ['ipykernel_launcher', *sys.argv[1:]]\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n",
        encoding="utf-8",
    )
    argv = [sys.executable, str(launcher), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "flaky", "language": "python"}), "utf-8"
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    root = make_project(tmp_path / "project")
    (params,) = load_batch([root / "parameters" / "2022-Q1.yaml"])
    nb = nbformat.read(root / "notebooks" / "report.ipynb", as_version=4)
    log = io.StringIO()
    executed = PapermillEngine("cchc-flaky").execute(nb, params.to_dict(), cwd=root, log=log)
    assert marker.exists() and "(lần 1)" in log.getvalue()
    assert executed.cells[-1].outputs[0]["data"]["text/html"].startswith("<table")


def test_outputs_are_readable_by_others(project: Path) -> None:
    """Reports are shared files: not mkstemp's private 0600."""
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    for f in (project / "output" / "2022").glob("2022-Q1.*"):
        assert f.stat().st_mode & 0o044 == 0o044, f


# ---------------------------------------------------------------- outputs as one set


def fake_export(monkeypatch: pytest.MonkeyPatch, tag: str = "a") -> None:
    """Exports without nbconvert or WeasyPrint: each format's bytes are "<format> <tag>"."""
    import cchc_lib.report.render as render

    def export(nb, formats, *, title, timings=None):
        return {f: f"{f} {tag}".encode() for f in formats}

    monkeypatch.setattr(render, "export_notebook", export)


def visible_set(year: Path, name: str = "2022-Q1") -> dict[str, bytes]:
    """What a reader of output/<year>/ sees of one report (links followed)."""
    return {p.name: p.read_bytes() for p in sorted(year.glob(f"{name}.*")) if p.is_file()}


def consistent(files: dict[str, bytes], name: str = "2022-Q1") -> bool:
    """The visible files are exactly those the visible manifest names, with its hashes."""
    manifest_name = f"{name}.manifest.json"
    if manifest_name not in files:
        return not files
    manifest = json.loads(files[manifest_name])
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    shown = {n: hashlib.sha256(b).hexdigest() for n, b in files.items() if n != manifest_name}
    return listed == shown


def test_formats_no_longer_requested_leave_the_set(project: Path, monkeypatch) -> None:
    fake_export(monkeypatch)
    (params,) = load(project, formats=("html", "pdf"))
    assert run_report(params, engine=FakeEngine()).ok
    year = project / "output" / "2022"
    assert set(visible_set(year)) == {
        f"2022-Q1.{e}" for e in ("ipynb", "html", "pdf", "manifest.json")
    }
    (params,) = load(project, formats=("html",))
    assert run_report(params, engine=FakeEngine()).ok  # another format list: not unchanged
    files = visible_set(year)
    assert set(files) == {"2022-Q1.ipynb", "2022-Q1.html", "2022-Q1.manifest.json"}
    assert not os.path.lexists(year / "2022-Q1.pdf")  # no dangling link either
    assert consistent(files)
    assert [p.name for p in (year / ".2022-Q1.sets").iterdir() if p.name != "current"] == [
        os.readlink(year / ".2022-Q1.sets" / "current")
    ]


def test_files_of_an_older_layout_are_adopted_then_replaced(project: Path, monkeypatch) -> None:
    year = project / "output" / "2022"
    year.mkdir(parents=True)
    for ext in ("ipynb", "html", "pdf", "manifest.json"):
        (year / f"2022-Q1.{ext}").write_bytes(f"cũ {ext}".encode())
    fake_export(monkeypatch, "mới")
    (params,) = load(project, formats=("html",))
    assert run_report(params, engine=FakeEngine()).ok
    files = visible_set(year)
    assert files["2022-Q1.html"] == b"html m\xe1\xbb\x9bi" and "2022-Q1.pdf" not in files
    assert consistent(files) and all((year / n).is_symlink() for n in files)


def test_leftovers_of_killed_runs_are_removed_by_the_next(project: Path, monkeypatch) -> None:
    fake_export(monkeypatch)
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    year = project / "output" / "2022"
    sets = year / ".2022-Q1.sets"
    (sets / "20990101T000000-dead00").mkdir()  # a version a killed run left half-written
    (sets / "20990101T000000-dead00" / "2022-Q1.html").write_text("nửa chừng")
    os.symlink("x", sets / "current.ab12.tmp")
    (year / ".2022-Q1.html.zz99.tmp").write_text("tạm")
    (year / "failed").mkdir()
    (year / "failed" / ".2022-Q1.ipynb.qq11.tmp").write_text("tạm")
    assert run_report(params, engine=FakeEngine(), options=FORCE).ok
    assert sorted(p.name for p in sets.iterdir()) == sorted(
        ["current", os.readlink(sets / "current")]
    )
    assert temp_files(project) == []


_PUBLISH = """
import json, sys
from pathlib import Path
from cchc_lib.run.outputs import publish
files = {k: v.encode() for k, v in json.loads(sys.argv[2]).items()}
publish(Path(sys.argv[1]), "2022-Q1", files)
"""


def _set(formats: tuple[str, ...], tag: str) -> dict[str, bytes]:
    """A report set as ``publish`` takes it, with the manifest naming every file."""
    files = {f"2022-Q1.{f}": f"{f} {tag}".encode() for f in ("ipynb", *formats)}
    outputs = [{"path": n, "sha256": hashlib.sha256(b).hexdigest()} for n, b in files.items()]
    files["2022-Q1.manifest.json"] = json.dumps({"outputs": outputs, "tag": tag}).encode()
    return files


def _publish_in_child(year: Path, files: dict[str, bytes], spec: str):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), faults.ENV: spec}
    payload = json.dumps({k: v.decode() for k, v in files.items()})
    cmd = [sys.executable, "-c", _PUBLISH, str(year), payload]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)


def _legacy(year: Path, files: dict[str, bytes]) -> None:
    """The old layout: plain files in output/<year>/."""
    for n, b in files.items():
        (year / n).write_bytes(b)


@pytest.mark.slow  # about thirty short child processes
@pytest.mark.parametrize(
    ("old", "new", "layout"),
    [
        (("html",), ("html", "pdf"), "sets"),  # a format added: a new link before the switch
        (("html", "pdf"), ("html",), "sets"),  # a format dropped: a stale link after it
        (("html", "pdf"), ("html", "docx"), "plain"),  # the first run over an older layout
    ],
)
def test_a_publication_killed_at_any_rename_shows_the_old_set_or_the_new(
    tmp_path: Path, old: tuple[str, ...], new: tuple[str, ...], layout: str
) -> None:
    """SIGKILL at every rename of a publication (``CCHC_FAULTS=atomic.rename=kill@N`` in a
    child process) and right after the switch: readers see the old set or the new one,
    whole, never a mix; the next publication removes what the killed one left."""
    from cchc_lib.run.outputs import publish

    year = tmp_path / "output" / "2022"
    year.mkdir(parents=True)
    before, after = _set(old, "cũ"), _set(new, "mới")

    def prepare() -> None:
        shutil.rmtree(year)
        year.mkdir()
        if layout == "plain":
            _legacy(year, before)
        else:
            publish(year, "2022-Q1", before)
        assert visible_set(year) == before

    counted: list[int] = []
    prepare()
    with faults.inject("atomic.rename", lambda: counted.append(1)):
        publish(year, "2022-Q1", after)
    n = len(counted)
    assert n >= 4  # the new version's files, new links, the switch
    for spec in [f"atomic.rename=kill@{k}" for k in range(1, n + 1)] + ["outputs.switched=kill"]:
        prepare()
        killed = _publish_in_child(year, after, spec)
        assert killed.returncode == -9, (spec, killed.stderr)
        seen = visible_set(year)
        assert consistent(seen), spec
        # every rename comes before the switch (or is it): the old set; after it: the new
        assert seen == (before if spec.startswith("atomic") else after), spec
        publish(year, "2022-Q1", _set(new, "lại"))
        assert visible_set(year) == _set(new, "lại")
        assert len(list(sets_of(year).iterdir())) == 2 and temp_files(tmp_path) == []


def sets_of(year: Path) -> Path:
    return year / ".2022-Q1.sets"


def _fake_run(root: Path, formats: str, tag: str, faults_spec: str = ""):
    cmd = [sys.executable, str(FIXTURES / "fake_run.py"), "parameters/2022-Q1.yaml", formats, tag]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), faults.ENV: faults_spec}
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_report_run_killed_between_renames_keeps_the_old_set(tmp_path: Path) -> None:
    """The whole run (parameters, engine, export, publication) killed at its 2nd rename."""
    root = make_project(tmp_path)
    year = root / "output" / "2022"
    assert _fake_run(root, "html,pdf", "cũ").returncode == 0
    before = visible_set(year)
    killed = _fake_run(root, "html", "mới", "atomic.rename=kill@2")
    assert killed.returncode == -9 and "Traceback" not in killed.stderr
    assert visible_set(year) == before and consistent(before)
    again = _fake_run(root, "html", "lại")
    assert again.returncode == 0, again.stdout
    seen = visible_set(year)
    assert seen["2022-Q1.html"] == "html lại".encode() and "2022-Q1.pdf" not in seen
    assert consistent(seen) and len(list(sets_of(year).iterdir())) == 2
    assert temp_files(root) == []


# ---------------------------------------------------------------- unchanged reports, --due


def test_unchanged_report_is_skipped_and_force_reruns(project: Path, monkeypatch, capsys) -> None:
    fake_export(monkeypatch)
    made = fake_cli(monkeypatch)
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html"]) == 0
    assert calls(made) == 1
    capsys.readouterr()
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert calls(made) == 1 and "2022-Q1  Không thay đổi" in out
    assert "1 không thay đổi (bỏ qua)" in out
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html", "--force"]) == 0
    assert calls(made) == 2
    # a deleted output is no longer "unchanged"
    (project / "output" / "2022" / "2022-Q1.html").unlink()
    assert cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html"]) == 0
    assert calls(made) == 3 and (project / "output" / "2022" / "2022-Q1.html").is_file()


def _write_book(path: Path, text: str) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = text
    wb.save(path)


def test_a_changed_workbook_reruns_exactly_the_reports_that_read_it(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    root = make_project(
        tmp_path,
        **{
            "2022-Q1": EXAMPLE,
            "2022-H1": period(EXAMPLE, "2022-H1"),
            "2022-Y": period(EXAMPLE, "2022-Y"),
        },
    )
    monkeypatch.chdir(root)
    fake_export(monkeypatch)
    made = fake_cli(monkeypatch)
    data = root / "data" / "2022"

    def rerun() -> list[str]:
        before = [c for e in made for c in e.reports]
        capsys.readouterr()
        assert cli.main(["run", "--all", "parameters", "--format", "html", "--jobs", "1"]) == 0
        return sorted([c for e in made for c in e.reports][len(before) :])

    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]
    assert rerun() == []
    _write_book(data / "2022-12.xlsx", "tháng 12")  # only the annual report reads December
    assert rerun() == ["2022-Y"]
    _write_book(data / "2022-05.xlsx", "tháng 5")  # H1 and the year
    assert rerun() == ["2022-H1", "2022-Y"]
    _write_book(data / "2022-02.xlsx", "sửa tháng 2")  # every report
    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]
    (data / "2022-03").mkdir()  # a unit's own workbook for March (per-unit folders)
    _write_book(data / "2022-03" / "van-phong.xlsx", "Văn phòng")
    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]
    (data / "ho-so").mkdir()  # dossier exports: every report of the year
    (data / "ho-so" / "xuat.csv").write_text("Mã hồ sơ\n1\n", encoding="utf-8")
    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]
    (root / "data" / "2021").mkdir()  # last year's data: the comparisons
    _write_book(root / "data" / "2021" / "2021-12.xlsx", "năm trước")
    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]
    os.utime(data / "2022-01.xlsx", (1, 1))  # touched, same bytes: still unchanged
    assert rerun() == []
    p = root / "parameters" / "2022-Q1.yaml"
    p.write_text(p.read_text("utf-8").replace('report_number: ""', 'report_number: "12"'), "utf-8")
    assert rerun() == ["2022-Q1"]
    nb = root / "notebooks" / "report.ipynb"
    nb.write_text(nb.read_text("utf-8") + "\n", "utf-8")
    assert rerun() == ["2022-H1", "2022-Q1", "2022-Y"]


def test_due_runs_only_reports_past_their_cutoff(tmp_path: Path, monkeypatch, capsys) -> None:
    codes = ("2022-Q1", "2022-H1", "2022-Q3", "2022-Y")
    root = make_project(tmp_path, **{c: period(EXAMPLE, c) for c in codes})
    monkeypatch.chdir(root)
    fake_export(monkeypatch)
    made = fake_cli(monkeypatch)
    argv = ["run", "--all", "parameters", "--format", "html", "--jobs", "1", "--due"]
    assert cli.main([*argv, "--as-of", "2022-06-14"]) == 0  # H1's cut-off day: not yet
    out = capsys.readouterr().out
    assert sorted(c for e in made for c in e.reports) == ["2022-Q1"]
    rows = {line.split()[0]: line for line in out.splitlines()[2:6]}
    for code in ("2022-H1", "2022-Q3", "2022-Y"):
        assert "Chưa đến hạn" in rows[code]
    assert "3 chưa đến hạn" in out and "chốt số liệu ngày 14/6/2022" in out
    assert cli.main([*argv, "--as-of", "2022-12-15"]) == 0
    out = capsys.readouterr().out
    assert sorted(c for e in made for c in e.reports) == ["2022-H1", "2022-Q1", "2022-Q3", "2022-Y"]
    assert "Không thay đổi" in next(line for line in out.splitlines() if line.startswith("2022-Q1"))
    assert cli.main(["run", "--all", "parameters", "--as-of", "2022-12-15"]) == 2  # needs --due
    assert cli.main([*argv, "--as-of", "15/12/2022"]) == 2


def test_two_files_writing_the_same_report_are_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    root = make_project(tmp_path)
    (root / "parameters" / "don-vi-b").mkdir()
    (root / "parameters" / "don-vi-b" / "2022-Q1.yaml").write_text(EXAMPLE, "utf-8")
    monkeypatch.chdir(root)
    made = fake_cli(monkeypatch)
    status = cli.main(
        ["run", "parameters/2022-Q1.yaml", "parameters/don-vi-b/2022-Q1.yaml", "--jobs", "1"]
    )
    err = capsys.readouterr().err
    assert status == 2 and made == [] and not (root / "output").exists()
    assert "cùng ghi báo cáo output/2022/2022-Q1" in err and '"output_dir"' in err


def test_jobs_default_and_warning(capsys, monkeypatch) -> None:
    from cchc_lib.commands.run import _jobs_for

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert _jobs_for(None, 4) == 2 and _jobs_for(None, 1) == 1
    assert capsys.readouterr().err == ""
    assert _jobs_for(8, 4) == 8
    assert "Cảnh báo: --jobs 8 lớn hơn số lõi CPU của máy (2)" in capsys.readouterr().err


# ---------------------------------------------------------------- disk full, signals


def test_full_disk_fails_that_report_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import errno as errno_

    root = make_project(tmp_path, **{"2022-Q1": EXAMPLE, "2022-H1": period(EXAMPLE, "2022-H1")})
    monkeypatch.chdir(root)
    fake_export(monkeypatch)
    made = fake_cli(monkeypatch)
    argv = ["run", "--all", "parameters", "--format", "html", "--jobs", "1", "--force"]
    assert cli.main(argv) == 0
    year = root / "output" / "2022"
    before = visible_set(year, "2022-H1")
    capsys.readouterr()
    staged: list[int] = []

    def full_for_h1() -> None:  # H1 runs first (sorted): its writes fail, Q1's go through
        staged.append(1)
        if len(staged) == 1:  # the first file of H1's new set
            raise OSError(errno_.ENOSPC, "No space left on device")

    with faults.inject("atomic.stage", full_for_h1):
        status = cli.main(argv)
    captured = capsys.readouterr()
    assert status == 1 and calls(made) == 4
    assert "2022-H1  Lỗi" in captured.out and "2022-Q1  Thành công" in captured.out
    assert "Thành công 1/2 báo cáo; 1 lỗi." in captured.out
    assert (
        "không ghi được tệp (output/2022/2022-H1.ipynb): ổ đĩa đã đầy" in captured.err
        and "Báo cáo hiện có (nếu có) được giữ nguyên" in captured.err
    )
    assert "Traceback" not in captured.err + captured.out
    assert visible_set(year, "2022-H1") == before
    assert temp_files(root) == []


def test_a_log_on_a_full_disk_does_not_stop_the_run(project: Path, monkeypatch) -> None:
    fake_export(monkeypatch)
    (params,) = load(project)
    with faults.inject("log.write", faults._disk_full):
        result = run_report(params, engine=FakeEngine())
    assert result.ok, result.message


def test_sigterm_exits_130_and_publishes_nothing(project: Path, monkeypatch, capsys) -> None:
    """A SIGTERM as the report is being written: exit 130, no traceback, no new set."""
    import signal

    fake_export(monkeypatch)
    fake_cli(monkeypatch)
    with faults.inject("atomic.rename", lambda: os.kill(os.getpid(), signal.SIGTERM)):
        status = cli.main(["run", "parameters/2022-Q1.yaml", "--format", "html"])
    err = capsys.readouterr().err
    assert status == 130 and "Đã dừng" in err and "Traceback" not in err
    assert visible_set(project / "output" / "2022") == {}
    assert temp_files(project) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored for the test process


def _descendants(pid: int) -> list[int]:
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)]


def _alive(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def _start_batch(tmp_path: Path) -> tuple[Path, subprocess.Popen, list[int]]:
    """``cchc run --all`` of three sleeping reports with two workers, once both kernels run."""
    codes = ("2022-Q1", "2022-H1", "2022-Q3")
    root = make_project(
        tmp_path, notebook="toy_sleep.ipynb", **{c: period(EXAMPLE, c) for c in codes}
    )
    nb = root / "notebooks" / "report.ipynb"
    nb.write_text(nb.read_text("utf-8").replace("time.sleep(1.5)", "time.sleep(30)"), "utf-8")
    cmd = [sys.executable, "-m", "cchc_lib", "run", "--all", "parameters", "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        kids = _descendants(proc.pid)
        logs = list((root / "output" / "logs").glob("*.log")) if (root / "output").exists() else []
        started = [p for p in logs if "đã nhận khóa" in p.read_text("utf-8")]
        kernels = [k for k in kids if "ipykernel" in " ".join(_cmdline(k))]
        if len(started) == 2 and len(kernels) == 2:
            time.sleep(1.0)  # the cells are running
            return root, proc, _descendants(proc.pid)
        time.sleep(0.3)
    proc.kill()
    proc.communicate()
    raise AssertionError("the batch did not start two kernels")


def _cmdline(pid: int) -> list[str]:
    import psutil

    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []


@pytest.mark.slow
def test_sigkill_of_the_parent_leaves_no_worker_or_kernel(tmp_path: Path) -> None:
    import signal

    root, proc, kids = _start_batch(tmp_path)
    assert len(kids) >= 4  # two workers, two kernels (and multiprocessing's resource tracker)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(kids) == []
    time.sleep(1.0)
    assert not any((root / "output" / "2022").glob("2022-*.html"))  # nothing written after


@pytest.mark.slow
def test_sigterm_stops_workers_and_kernels_exit_130(tmp_path: Path) -> None:
    import signal

    root, proc, kids = _start_batch(tmp_path)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err and "Đã dừng" in err
    assert "Kernel died" not in err  # no library chatter while stopping
    deadline = time.monotonic() + 10
    while _alive(kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(kids) == []
    assert not any((root / "output" / "2022").glob("2022-*.html"))
    assert temp_files(root) == []


# ---------------------------------------------------------------- bounded output, logs


def test_many_problems_give_a_bounded_message_and_manifest(project: Path) -> None:
    from cchc_lib.errors import DataValidationError, Problem

    problems = [
        Problem("2022-03.xlsx", "trạng thái không thuộc danh sách", "chọn từ danh sách", row=r)
        for r in range(5, 20_005)
    ]
    evalue = str(DataValidationError(problems))
    assert len(evalue.splitlines()) == 1 + 200 + 1
    assert "… và 19.800 lỗi khác ở tệp 2022-03.xlsx" in evalue

    class Failing(FakeEngine):
        def execute(self, nb, parameters, *, cwd, log=None):
            raise CellExecutionFailed(nb, 2, 3, "DataValidationError", evalue + "\n" + "x\n" * 5000)

    (params,) = load(project)
    result = run_report(params, engine=Failing())
    assert not result.ok
    assert len(result.message.splitlines()) <= 260
    manifest = (project / "output" / "2022" / "failed" / "2022-Q1.manifest.json").read_bytes()
    assert len(manifest) < 100_000
    assert result.log is not None and result.log.stat().st_size < 1_000_000


def test_logs_keep_the_last_runs(project: Path, monkeypatch) -> None:
    from cchc_lib.run.logs import KEEP_RUNS, prune_logs

    logs = project / "output" / "logs"
    logs.mkdir(parents=True)
    for day in range(1, 31):
        (logs / f"202201{day:02d}-070000-2022-Q1.log").write_text("cũ")
    (logs / "20220101-070000-2022-Q1-khac.log").write_text("báo cáo khác")
    (logs / "cron.log").write_text("dòng của cron")
    fake_export(monkeypatch)
    (params,) = load(project)
    assert run_report(params, engine=FakeEngine()).ok
    mine = sorted(p.name for p in logs.glob("*-2022-Q1.log"))
    assert len(mine) == KEEP_RUNS and mine[0] == "20220112-070000-2022-Q1.log"
    assert (logs / "cron.log").is_file() and (logs / "20220101-070000-2022-Q1-khac.log").is_file()
    prune_logs(logs, "2022-Q1", 3)
    assert len(list(logs.glob("*-2022-Q1.log"))) == 3
