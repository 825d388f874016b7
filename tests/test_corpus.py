"""A corpus of bad, hostile and faulty inputs, each run through the command line.

For every bad input: exit status 1 or 2, a Vietnamese message naming the file, no
traceback, no hang, no internal error. Inputs that could hang or eat memory (a FIFO,
``/dev/zero``, an alias bomb) run in a child process with a time and memory limit.
Hostile but valid inputs (control characters in a plan) must work, with nothing raw on
the terminal. Nothing the user gave is ever modified.

The plan-file cases (a FIFO, ``/dev/zero``, truncated UTF-8, a bad ``gridSpan``, a
non-UTF-8 ``units.yaml``) are fixed by issue 12's reader, the data-folder cases (a FIFO,
counts of 10^28) by issue 13's guards; the rest by the parameters, runner and writers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from cchc_lib import cli

VIETNAMESE = re.compile(
    r"[ạảãàáâầấậẩẫăằắặẳẵẹẻẽèéêềếệểễịỉĩìíọỏõòóôồốộổỗơờớợởỡụủũùúưừứựửữỳýỵỷỹđ]", re.I
)
PLAN = "data/plan/ke-hoach.txt"
PARAMS = f"""report: "2022-Q1"
plan: "{PLAN}"
data: "data/2022"
report_date: "2022-03-14"
formats: ["html"]
"""
SLOW = pytest.mark.slow


@dataclass
class Case:
    """One bad input: ``build(root)`` makes it and returns the command's arguments."""

    build: Callable[[Path], list[str]]
    names: str  # the file the message must name
    isolate: bool = False  # run in a child process (could hang or eat memory)
    expect: tuple[str, ...] = ()  # one of these must be in the message too
    env: dict[str, str] = field(default_factory=dict)


def project(root: Path) -> Path:
    """A project with the real notebook, a copy of the seed plan and an empty data folder."""
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", "utf-8")
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "report.ipynb", root / "notebooks" / "report.ipynb")
    (root / "data" / "plan").mkdir(parents=True)
    shutil.copy(SEED, root / PLAN)
    (root / "data" / "2022").mkdir()
    (root / "parameters").mkdir()
    return root


def params(text: str, name: str = "2022-Q1.yaml") -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        (root / "parameters" / name).write_text(text, "utf-8")
        return ["run", f"parameters/{name}"]

    return build


def params_bytes(data: bytes) -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        (root / "parameters" / "2022-Q1.yaml").write_bytes(data)
        return ["run", "parameters/2022-Q1.yaml"]

    return build


def params_special(kind: str) -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        path = root / "parameters" / "2022-Q1.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()
        return ["run", "parameters/2022-Q1.yaml"]

    return build


def plan_file(kind: str, command: str = "show") -> Callable[[Path], list[str]]:
    """A plan that is a FIFO, /dev/zero, truncated UTF-8, …; ``plan show`` or ``export``."""

    def build(root: Path) -> list[str]:
        path = root / "data" / "plan" / "xau.txt"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        elif kind == "truncated":
            data = SEED.read_text("utf-8").rstrip() + "\nLưu: VT, VP, Ả"
            path.write_bytes(data.encode("utf-8")[:-1])  # cut inside the last letter
        elif kind == "garbage":
            path.write_bytes(bytes(range(256)) * 40)
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "folder":
            path.mkdir()
        elif kind == "units":
            path.write_bytes(SEED.read_bytes())
            latin1 = "Văn phòng: Văn phòng Sô\n".replace("ă", "ã").encode("latin-1")
            path.with_name("xau.units.yaml").write_bytes(latin1)
        out = ["plan", "show", str(path)]
        if command == "export":
            out = ["plan", "export", str(path), "-o", str(root / "ra.xlsx")]
        return out

    return build


def docx_plan(span: str) -> Callable[[Path], list[str]]:
    """The second (Word) plan with one table cell's gridSpan set to ``span``."""

    def build(root: Path) -> list[str]:
        from second_plan import write_second_plan_docx

        good = write_second_plan_docx(root / "tot.docx")
        bad = root / "data" / "plan" / "xau.docx"
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/document.xml":
                    text = data.decode("utf-8")
                    if 'w:gridSpan w:val="' in text:
                        text = re.sub(
                            r'w:gridSpan w:val="\d+"', f'w:gridSpan w:val="{span}"', text, count=1
                        )
                    else:  # put a span on the first cell of the last table
                        i = text.rfind("<w:tcPr>")
                        text = text[: i + 8] + f'<w:gridSpan w:val="{span}"/>' + text[i + 8 :]
                    data = text.encode("utf-8")
                zout.writestr(info, data)
        return ["plan", "show", str(bad)]

    return build


def data_folder(kind: str, command: str = "validate") -> Callable[[Path], list[str]]:
    """Monthly data with a FIFO, a huge count, a text file named like a workbook, …"""

    def build(root: Path) -> list[str]:
        from cchc_lib.monthly.template import build_template, fill_workbook, save_workbook
        from cchc_lib.plan import load_plan

        data = root / "data" / "2022"
        plan = load_plan(root / PLAN)
        wb = build_template(plan, "2022-01")
        if kind == "huge":
            fill_workbook(wb, indicators={"hs_tiep_nhan": 10.0**28})
        save_workbook(wb, data / "2022-01.xlsx")
        bad = data / "2022-02.xlsx"
        if kind == "fifo":
            os.mkfifo(bad)
        elif kind == "text":
            bad.write_text("đây không phải bảng tính\n", "utf-8")
        elif kind == "empty":
            bad.write_bytes(b"")
        elif kind == "zip":
            with zipfile.ZipFile(bad, "w") as z:
                z.writestr("x.txt", "không phải xlsx")
        if command == "indicators":
            return [
                "indicators",
                "--plan",
                str(root / PLAN),
                "--data",
                str(data),
                "--period",
                "2022-01",
            ]
        return ["validate", str(data), "--plan", str(root / PLAN)]

    return build


def output(command: str, where: str) -> Callable[[Path], list[str]]:
    """A write that cannot be done: a folder where the file goes, a file where a folder goes."""

    def build(root: Path) -> list[str]:
        (root / "tep.txt").write_text("x", "utf-8")
        (root / "thu-muc.xlsx").mkdir()
        target = {"dir": root / "thu-muc.xlsx", "under-file": root / "tep.txt" / "ra.xlsx"}[where]
        plan = str(root / PLAN)
        if command == "export":
            return ["plan", "export", plan, "-o", str(target)]
        if command == "template":
            return ["template", "--plan", plan, "--month", "2022-03", "-o", str(target), "--force"]
        if command == "validate":
            return [
                "validate",
                str(root / "data" / "2022"),
                "--plan",
                plan,
                "--problems",
                str(target),
            ]
        return ["sample", "--plan", plan, "-o", str(target.parent / "du-lieu")]

    return build


def disk_full(command: str) -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        plan = str(root / PLAN)
        return {
            "export": ["plan", "export", plan, "-o", str(root / "ra.xlsx")],
            "template": [
                "template",
                "--plan",
                plan,
                "--month",
                "2022-03",
                "-o",
                str(root / "t.xlsx"),
            ],
            "sample": ["sample", "--plan", plan, "-o", str(root / "mau")],
        }[command]

    return build


def bomb() -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return PARAMS + "\n".join(lines) + "\n"


def q(**changes: str) -> str:
    """The parameters with some lines replaced (``key=None`` to drop a key)."""
    lines = []
    for line in PARAMS.splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key}: {changes[key]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def two_outputs(root: Path) -> list[str]:
    (root / "parameters" / "khac").mkdir()
    (root / "parameters" / "2022-Q1.yaml").write_text(PARAMS, "utf-8")
    (root / "parameters" / "khac" / "2022-Q1.yaml").write_text(PARAMS, "utf-8")
    return ["run", "parameters/2022-Q1.yaml", "parameters/khac/2022-Q1.yaml"]


def unsigned_plan(root: Path) -> list[str]:
    text = SEED.read_text("utf-8").replace("Hoàng Văn Quảng", "").replace("GIÁM ĐỐC\n", "\n")
    (root / "data" / "plan" / "khong-ky.txt").write_text(text, "utf-8")
    return params(q(plan='"data/plan/khong-ky.txt"'))(root)


def plan_as_special(kind: str) -> Callable[[Path], list[str]]:
    def build(root: Path) -> list[str]:
        path = root / "data" / "plan" / "dac-biet.txt"
        os.mkfifo(path) if kind == "fifo" else path.symlink_to("/dev/zero")
        return params(q(plan='"data/plan/dac-biet.txt"'))(root)

    return build


def all_fifo_folder(root: Path) -> list[str]:
    (root / "rong").mkdir()
    os.mkfifo(root / "rong" / "2022-Q1.yaml")
    return ["run", "--all", "rong"]


CASES: dict[str, tuple[Case, list]] = {
    # ---- parameters files (cchc run): this branch
    "params: no report": (Case(params(q(report=None)), "2022-Q1.yaml", expect=('"report"',)), []),
    "params: no plan": (Case(params(q(plan=None)), "2022-Q1.yaml", expect=('"plan"',)), []),
    "params: no data, no data/<year>": (
        Case(
            params(q(data=None, report='"2023-Q1"', report_date='"2023-03-14"'), "2023-Q1.yaml"),
            "2023-Q1.yaml",
            expect=("data/2023",),
        ),
        [],
    ),
    "params: key written twice": (
        Case(params(PARAMS + 'report: "2022-H1"\n'), "2022-Q1.yaml", expect=("hai lần",)),
        [],
    ),
    "params: alias bomb": (
        Case(params(bomb()), "2022-Q1.yaml", isolate=True, expect=("bí danh",)),
        [SLOW],
    ),
    "params: 20,000-deep nesting": (
        Case(
            params(PARAMS + "x: " + "[" * 20_000 + "]" * 20_000 + "\n"),
            "2022-Q1.yaml",
            isolate=True,
            expect=("sâu",),
        ),
        [SLOW],
    ),
    "params: a FIFO": (
        Case(params_special("fifo"), "2022-Q1.yaml", isolate=True, expect=("FIFO",)),
        [SLOW],
    ),
    "params: /dev/zero": (
        Case(params_special("zero"), "2022-Q1.yaml", isolate=True, expect=("thiết bị",)),
        [SLOW],
    ),
    "params: a folder": (Case(params_special("dir"), "2022-Q1.yaml"), []),
    "params: UTF-16": (
        Case(params_bytes(PARAMS.encode("utf-16")), "2022-Q1.yaml", expect=("UTF-8",)),
        [],
    ),
    "params: truncated UTF-8": (
        Case(
            params_bytes((PARAMS + "signer_name: Nguyễn Văn Ả").encode()[:-1]),
            "2022-Q1.yaml",
            expect=("cắt cụt",),
        ),
        [],
    ),
    "params: binary": (Case(params_bytes(b"\x00\x01\x02" * 100), "2022-Q1.yaml"), []),
    "params: 1 MB": (
        Case(params_bytes(b"x: " + b"y" * (1 << 20)), "2022-Q1.yaml", expect=("KB",)),
        [],
    ),
    "params: broken YAML": (
        Case(params(PARAMS + "plan: [a, b\n"), "2022-Q1.yaml", expect=("dòng",)),
        [],
    ),
    "params: a list, not keys": (Case(params("- a\n- b\n"), "2022-Q1.yaml"), []),
    "params: unknown key": (
        Case(params(PARAMS + "reprot: x\n"), "2022-Q1.yaml", expect=('"reprot"',)),
        [],
    ),
    "params: ANSI escape in a value": (
        Case(params(PARAMS + 'agency: ["\\e[31mđỏ"]\n'), "2022-Q1.yaml", expect=("agency",)),
        [],
    ),
    "params: Q3 dated 14/3": (
        Case(
            params(q(report='"2022-Q3"'), "2022-Q3.yaml"), "2022-Q3.yaml", expect=("report_date",)
        ),
        [],
    ),
    "params: dated 60 days late": (
        Case(params(q(report_date='"2022-05-13"')), "2022-Q1.yaml", expect=("45 ngày",)),
        [],
    ),
    "params: named 2022-H1, report Q1": (Case(params(PARAMS, "2022-H1.yaml"), "2022-H1.yaml"), []),
    "params: two files, one output": (Case(two_outputs, "2022-Q1.yaml", expect=("cùng ghi",)), []),
    "params: plan is a FIFO": (Case(plan_as_special("fifo"), "dac-biet.txt", isolate=True), [SLOW]),
    "params: plan is /dev/zero": (
        Case(plan_as_special("zero"), "dac-biet.txt", isolate=True),
        [SLOW],
    ),
    "params: plan without a signature": (
        Case(unsigned_plan, "2022-Q1.yaml", expect=("signer",)),
        [],
    ),
    "params: plan is not a plan": (
        Case(
            lambda r: (
                r.joinpath("data/plan/rac.txt").write_text("rác\n"),
                params(q(plan='"data/plan/rac.txt"'))(r),
            )[1],
            "rac.txt",
        ),
        [],
    ),
    "run --all: only a FIFO": (Case(all_fifo_folder, "rong", isolate=True), [SLOW]),
    "run --due --as-of 15/12/2022": (
        Case(lambda r: [*params(PARAMS)(r), "--due", "--as-of", "15/12/2022"], "--as-of"),
        [],
    ),
    # ---- outputs that cannot be written: this branch
    "plan export -o a folder": (Case(output("export", "dir"), "thu-muc.xlsx"), []),
    "plan export -o under a file": (Case(output("export", "under-file"), "tep.txt"), []),
    "template -o a folder": (Case(output("template", "dir"), "thu-muc.xlsx"), []),
    "template -o under a file": (Case(output("template", "under-file"), "tep.txt"), []),
    "sample -o under a file": (Case(output("sample", "under-file"), "tep.txt"), []),
    "validate --problems a folder": (Case(output("validate", "dir"), "thu-muc.xlsx"), []),
    "plan export, disk full": (
        Case(
            disk_full("export"),
            "ra.xlsx",
            env={"CCHC_FAULTS": "atomic.stage=disk-full"},
            expect=("đầy",),
        ),
        [SLOW],
    ),
    "template, disk full": (
        Case(
            disk_full("template"),
            "t.xlsx",
            env={"CCHC_FAULTS": "atomic.stage=disk-full"},
            expect=("đầy",),
        ),
        [SLOW],
    ),
    "sample, disk full": (
        Case(
            disk_full("sample"),
            "mau",
            env={"CCHC_FAULTS": "atomic.stage=disk-full"},
            expect=("đầy",),
        ),
        [SLOW],
    ),
    # ---- plan files (issue 12's reader)
    "plan: a FIFO": (Case(plan_file("fifo"), "xau.txt", isolate=True), [SLOW]),
    "plan: /dev/zero": (Case(plan_file("zero"), "xau.txt", isolate=True), [SLOW]),
    "plan: truncated UTF-8": (
        Case(plan_file("truncated"), "xau.txt", expect=("cắt", "cụt", "không trọn", "dở")),
        [],
    ),
    "plan: non-UTF-8 units.yaml": (Case(plan_file("units"), "xau.units.yaml"), []),
    'plan: gridSpan="abc"': (Case(docx_plan("abc"), "xau.docx", isolate=True), [SLOW]),
    "plan: gridSpan=100000000": (
        Case(docx_plan("100000000"), "xau.docx", isolate=True),
        [SLOW],
    ),
    "plan: binary garbage": (Case(plan_file("garbage"), "xau.txt"), []),
    "plan: empty": (Case(plan_file("empty"), "xau.txt"), []),
    "plan: a folder": (Case(plan_file("folder"), "xau.txt"), []),
    # ---- data folders (issue 13's guards)
    "data: a FIFO named 2022-02.xlsx": (
        Case(data_folder("fifo"), "2022-02.xlsx", isolate=True),
        [SLOW],
    ),
    "data: a count of 10^28 (validate)": (
        Case(data_folder("huge"), "2022-01.xlsx"),
        [SLOW],
    ),
    "data: a count of 10^28 (indicators)": (
        Case(data_folder("huge", "indicators"), "2022-01.xlsx"),
        [SLOW],
    ),
    "data: text named .xlsx": (Case(data_folder("text"), "2022-02.xlsx"), [SLOW]),
    "data: empty .xlsx": (Case(data_folder("empty"), "2022-02.xlsx"), [SLOW]),
    "data: a zip that is no workbook": (Case(data_folder("zip"), "2022-02.xlsx"), [SLOW]),
}


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every regular input file's bytes (nothing the user gave may change)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if rel.parts[0] in ("output",) or p.is_symlink() or not p.is_file():
            continue
        out[str(rel)] = p.read_bytes()
    return out


_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from cchc_lib.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(case: Case, argv: list[str], root: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    if case.isolate or case.env:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **case.env}
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, *argv],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=10,  # a bad input is refused in well under a second
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"hang: {argv}")
        return done.returncode, done.stdout, done.stderr
    status = cli.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", [pytest.param(n, marks=marks) for n, (_, marks) in CASES.items()])
def test_bad_input_gives_a_clear_message(tmp_path: Path, monkeypatch, capsys, name: str) -> None:
    case = CASES[name][0]
    root = project(tmp_path)
    monkeypatch.chdir(root)
    argv = case.build(root)
    before = _snapshot(root)
    status, out, err = _run(case, argv, root, monkeypatch, capsys)
    assert status in (1, 2), (status, out, err)
    assert "Traceback" not in out + err
    assert "Lỗi ngoài dự kiến" not in err  # cchc's own net for its bugs
    message = err + out  # validate lists its findings on stdout
    assert case.names in message, message
    assert VIETNAMESE.search(message), message
    assert "\x1b" not in message  # never a raw escape sequence on the terminal
    if case.expect:
        assert any(e in message for e in case.expect), (case.expect, message)
    assert _snapshot(root) == before  # no input modified
    assert not list(root.rglob("*.tmp"))  # no temporary file left


def test_hostile_plan_text_is_shown_inert(tmp_path: Path, monkeypatch, capsys) -> None:
    """Escape sequences and Word line breaks in plan cells: read, shown escaped, exit 0."""
    from test_xlsx import hostile_plan

    monkeypatch.chdir(tmp_path)
    plan = hostile_plan(tmp_path)
    before = plan.read_bytes()
    assert cli.main(["plan", "show", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x0b" not in out
    assert "đỏ" in out  # the text around them is shown (the reader drops or escapes them)
    assert cli.main(["plan", "export", str(plan)]) == 0  # JSON escapes them itself
    assert "\x1b" not in capsys.readouterr().out
    assert plan.read_bytes() == before


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 50
