"""``cchc run``: validation before kernels, atomic outputs, manifest, locks, batches.

Fast tests use a fake engine (no kernel); tests marked ``slow`` start real kernels
on the toy notebooks of ``tests/fixtures/runner`` (rebuild them with its
``build_notebooks.py``).
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
    (root / PLAN).write_text("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022\nI. MỤC ĐÍCH\n", "utf-8")
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

    def execute(self, nb, parameters, *, cwd, log=None):
        self.calls += 1
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


# ---------------------------------------------------------------- validation first


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('reprot: "2022-Q1"\n', '"reprot"'),
        ("signer_name: [a, b]\n", '"signer_name"'),
        ('plan: "data/plan/khong-co.txt"\n', "không tìm thấy tệp"),
    ],
)
def test_bad_parameters_rejected_before_any_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, extra: str, fragment: str
) -> None:
    import papermill

    root = make_project(tmp_path, **{"2022-Q1": EXAMPLE + extra, "2022-H1": EXAMPLE})
    monkeypatch.chdir(root)
    started: list[str] = []
    monkeypatch.setattr(engine.PapermillEngine, "execute", lambda *a, **k: started.append("x"))
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: started.append("pm"))
    status = cli.main(["run", "--all", "parameters", "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert fragment in err and "parameters/2022-Q1.yaml" in err and "Cách sửa" in err
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
    result = run_report(params, engine=FakeEngine(fail=True), options=RunOptions(verbose=True))
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
    assert run_report(params, engine=FakeEngine()).ok
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
    result = run_report(params, engine=FakeEngine())
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
        run_report(params, engine=FakeEngine())
    assert len(calls) == 2
    assert snapshot(year) == before
    assert temp_files(project) == []


def test_inputs_are_never_modified(project: Path) -> None:
    before = inputs_of(project)
    (params,) = load(project)
    run_report(params, engine=FakeEngine())
    run_report(params, engine=FakeEngine(fail=True))
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
    log = sorted((project / "output" / "logs").glob("*.log"))[-1].read_text("utf-8")
    assert "Traceback" in log or "ValueError" in log


@pytest.mark.slow
def test_concurrent_runs_of_one_report(tmp_path: Path) -> None:
    root = make_project(tmp_path, notebook="toy_sleep.ipynb")
    cmd = [sys.executable, "-m", "cchc_lib", "run", "parameters/2022-Q1.yaml", "--format", "html"]
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
    q3 = EXAMPLE.replace('"2022-Q1"', '"2022-Q3"').replace(PLAN, "data/plan/latin1.txt")
    root = make_project(
        tmp_path,
        **{
            "2022-Q1": EXAMPLE,
            "2022-H1": EXAMPLE.replace('"2022-Q1"', '"2022-H1"'),
            "2022-Q3": q3,
        },
    )
    (root / "data" / "plan" / "latin1.txt").write_bytes("Kế hoạch".encode("utf-16"))
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
    assert "Thành công 2/3 báo cáo." in captured.out
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
