"""``cchc init --plan PLAN DIR``: a working folder for a new agency or a new year."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from agency_plans import SPECS, write_plans

from cchc_lib import cli
from cchc_lib.run.params import declared_parameters, load_parameters


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    return write_plans(tmp_path_factory.mktemp("plans"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha(p) for p in folder.rglob("*") if p.is_file()}


def test_a_broken_plan_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "kh.txt"
    bad.write_text("không phải kế hoạch", encoding="utf-8")
    assert cli.main(["init", "--plan", str(bad), str(tmp_path / "w")]) == 2
    assert "không tìm thấy bảng nhiệm vụ" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()


def test_a_file_as_the_folder_is_refused(tmp_path, plans, capsys):
    target = tmp_path / "f"
    target.write_text("x")
    assert cli.main(["init", "--plan", str(plans["district"]["txt"]), str(target)]) == 2
    assert "không phải thư mục" in capsys.readouterr().err


@pytest.mark.slow
def test_init_sets_up_a_folder(tmp_path, plans, capsys):
    plan = plans["department"]["docx"]  # with its own .units.yaml and .links.yaml
    folder = tmp_path / "so-noi-vu"
    assert cli.main(["init", "--plan", str(plan), str(folder)]) == 0
    assert "45 tệp" not in capsys.readouterr().out  # (a count of files, not of tasks)
    stem = plan.stem
    for suffix in (".docx", ".units.yaml", ".links.yaml"):  # byte for byte
        assert _sha(folder / "data" / "plan" / f"{stem}{suffix}") == _sha(
            plan.with_name(f"{stem}{suffix}")
        )
    months = sorted(p.name for p in (folder / "data" / "2025").iterdir())
    assert months == [f"2025-{m:02d}.xlsx" for m in range(1, 13)]
    import openpyxl

    ws = openpyxl.load_workbook(folder / "data" / "2025" / "2025-03.xlsx")["Tiến độ"]
    ids = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {t for row in SPECS["department"].rows for t in row.ids} <= ids
    notebook = folder / "notebooks" / "report.ipynb"
    declared = declared_parameters(notebook)
    assert declared["plan"] == f"data/plan/{stem}.docx" and declared["report"] == "2025-Q1"
    for code in ("Q1", "H1", "Q3", "Y"):
        params = load_parameters(folder / "parameters" / f"2025-{code}.yaml", declared)
        values = params.values
        assert values["report"] == f"2025-{code}"
        assert values["agency"] == "Sở Nội vụ" and values["parent_agency"] == "UBND tỉnh Quảng Bình"
        assert (values["signer_title"], values["signer_position"], values["signer_name"]) == (
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Trần Thị Lan",
        )
        assert Path(values["plan"]) == folder / "data" / "plan" / f"{stem}.docx"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "cchc run parameters/2025-Q1.yaml" in readme and "Năm sau" in readme


@pytest.mark.slow
def test_nothing_is_replaced_and_a_new_year_adds_to_the_folder(tmp_path, plans, capsys):
    folder = tmp_path / "yen-thanh"
    assert cli.main(["init", "--plan", str(plans["district"]["txt"]), str(folder)]) == 0
    (folder / "parameters" / "2024-Q1.yaml").write_text('report: "2024-Q1"\n# sửa tay\n')
    before = _tree(folder)
    assert cli.main(["init", "--plan", str(plans["district"]["txt"]), str(folder)]) == 2
    assert "không ghi đè" in capsys.readouterr().err
    assert _tree(folder) == before  # nothing written
    # a new year: another plan (another year) in the same folder
    assert cli.main(["init", "--plan", str(plans["commune"]["txt"]), str(folder)]) == 0
    after = _tree(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    assert "parameters/2023-Y.yaml" in after and "data/2023/2023-12.xlsx" in after


@pytest.mark.slow
def test_the_plan_given_from_inside_the_folder(tmp_path, plans):
    folder = tmp_path / "w"
    (folder / "data" / "plan").mkdir(parents=True)
    src = plans["province"]["txt"]
    inside = folder / "data" / "plan" / src.name
    inside.write_bytes(src.read_bytes())
    old = Path.cwd()
    os.chdir(folder)
    try:
        assert cli.main(["init", "--plan", f"data/plan/{src.name}", "."]) == 0
    finally:
        os.chdir(old)
    assert (folder / "parameters" / "2026-Y.yaml").is_file()


SEED_NAMES = ("Sở Công Thương", "Hà Tĩnh", "Hoàng Văn Quảng", "SỞ CÔNG THƯƠNG", "HÀ TĨNH")


@pytest.mark.slow
def test_reports_from_an_initialised_folder_name_only_that_agency(tmp_path, plans):
    folder = tmp_path / "yen-thanh"
    plan = plans["district"]["docx"]
    assert cli.main(["init", "--plan", str(plan), str(folder)]) == 0
    old = Path.cwd()
    os.chdir(folder)
    try:
        rel = f"data/plan/{plan.name}"
        assert (
            cli.main(["sample", "--plan", rel, "--year", "2024", "-o", "data/2024", "--force"]) == 0
        )
        code = cli.main(
            [
                "run",
                "parameters/2024-Q1.yaml",
                "parameters/2024-Y.yaml",
                "--format",
                "html",
                "--jobs",
                "1",
            ]
        )
    finally:
        os.chdir(old)
    assert code == 0
    for name in ("2024-Q1", "2024-Y"):
        html = (folder / "output" / "2024" / f"{name}.html").read_text(encoding="utf-8")
        assert not [n for n in SEED_NAMES if n in html], name
        assert "UBND huyện Yên Thành" in html and "Nguyễn Văn Hải" in html
        # the three title lines of the plan's signature, in order
        lines = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        at = [html.find(x, html.rfind("Nơi nhận")) for x in lines]
        assert -1 not in at and at == sorted(at), at
