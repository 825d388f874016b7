"""End to end on the bundled data: `cchc run --all parameters/` gives the four official
reports, whose PDFs carry the period's figures, in the official form, with embedded fonts."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SEED
from pypdf import PdfReader

from cchc_lib import cli
from cchc_lib.fmt import fmt_int, fmt_pct
from cchc_lib.indicators import to_json
from cchc_lib.indicators.load import load_period

pytestmark = pytest.mark.slow

SUBJECTS = {
    "2022-Q1": "quý I năm 2022",
    "2022-H1": "6 tháng đầu năm 2022",
    "2022-Q3": "quý III năm 2022",
    "2022-Y": "năm 2022",
}


def _project_copy(dest: Path) -> Path:
    for name in ("pyproject.toml", "notebooks", "parameters", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import os

    root = _project_copy(tmp_path_factory.mktemp("project"))
    old = Path.cwd()
    os.chdir(root)
    try:
        code = cli.main(["run", "--all", "parameters/"])
    finally:
        os.chdir(old)
    assert code == 0
    return root


def _results(code: str):
    return load_period(SEED, ROOT / "data" / "2022", code).results


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("code", list(SUBJECTS))
def test_official_report(project, code):
    out = project / "output" / "2022"
    pdf, html = out / f"{code}.pdf", out / f"{code}.html"
    assert pdf.stat().st_size > 10_000 and html.stat().st_size > 10_000
    reader = PdfReader(pdf)
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4
    text = _pdf_text(pdf)
    assert "BÁO CÁO" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Kết quả thực hiện công tác cải cách hành chính {SUBJECTS[code]}" in text
    j = to_json(_results(code))
    s = j["summary"]
    assert f"{s['timed']} nhiệm vụ có thời hạn" in text
    assert fmt_int(j["indicators"]["hs_tiep_nhan"]) in text
    rate = next(v for k, v in _results(code).rates if k == "ty_le_dung_han")
    assert fmt_pct(rate) in text
    manifest = json.loads((out / f"{code}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "success"


@pytest.mark.parametrize("code", list(SUBJECTS))
def test_no_code_in_html_or_pdf(project, code):
    out = project / "output" / "2022"
    html = (out / f"{code}.html").read_text(encoding="utf-8")
    text = _pdf_text(out / f"{code}.pdf")
    for needle in ("build_report", "doc.header", "import ", "In [", "Out[", "Traceback"):
        assert needle not in html and needle not in text, needle
    assert not re.search(r"<(pre|code|script)\b", html)
    assert not re.search(r"(src|href)=\"https?:", html)


def test_fonts_embedded_and_cover_the_text(project):
    from fontTools.ttLib import TTFont

    pdf = project / "output" / "2022" / "2022-Y.pdf"
    reader = PdfReader(pdf)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            desc = desc.get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("Liberation-Serif" in name for name in fonts), fonts
    cmap = TTFont(ROOT / "cchc_lib" / "fonts" / "LiberationSerif-Regular.ttf").getBestCmap()
    chars = set(_pdf_text(pdf)) - {" "}
    missing = {c for c in chars if ord(c) not in cmap}
    assert not missing, missing


def _run_with(project, path, content: bytes) -> int:
    """``cchc run parameters/2022-Q1.yaml`` in ``project`` with ``path`` holding ``content``
    for the run (restored after it)."""
    import os

    saved = path.read_bytes()
    path.write_bytes(content)
    os.chdir(project)
    try:
        return cli.main(["run", "parameters/2022-Q1.yaml"])
    finally:
        os.chdir(ROOT)
        path.write_bytes(saved)


def test_failed_run_keeps_earlier_report(project, capsys):
    out = project / "output" / "2022"
    before = (out / "2022-Q1.pdf").read_bytes()
    code = _run_with(project, project / "data" / "2022" / "2022-02.xlsx", b"not a workbook")
    assert code == 1
    err = capsys.readouterr().err
    assert "2022-Q1" in err and "2022-02.xlsx" in err and "Traceback" not in err
    assert (out / "2022-Q1.pdf").read_bytes() == before
    assert (out / "failed" / "2022-Q1.ipynb").exists()


def test_contradictions_are_told_in_the_run_summary_never_in_the_report(project, capsys):
    import io

    import openpyxl

    march = project / "data" / "2022" / "2022-03.xlsx"
    wb = openpyxl.load_workbook(march)
    ws = wb["Tiến độ"]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "I.1.1")
    assert ws.cell(row, 5).value == "Hoàn thành"
    ws.cell(row, 8).value = "Đang thực hiện, chờ lãnh đạo ký"
    edited = io.BytesIO()
    wb.save(edited)
    assert _run_with(project, march, edited.getvalue()) == 0
    out = capsys.readouterr().out
    assert "Cần kiểm tra trước khi ký báo cáo 2022-Q1 (1):" in out
    assert "2022-03.xlsx" in out and "I.1.1" in out and "Đang thực hiện, chờ" in out
    html = (project / "output" / "2022" / "2022-Q1.html").read_text("utf-8")
    assert "Cần kiểm tra" not in html and "I.1.1 “Hoàn thành”" not in html
    log = max(
        (project / "output" / "logs").glob("*-2022-Q1*.log"), key=lambda p: p.stat().st_mtime_ns
    ).read_text("utf-8")
    assert "cần kiểm tra:" in log


def test_warm_kernel_keeps_reports_apart(tmp_path):
    """Two reports with different parameters in one kernel: each has its own figures."""
    from cchc_lib.run.engine import WarmKernelEngine

    nb = nbformat.read(ROOT / "notebooks" / "report.ipynb", as_version=4)
    engine = WarmKernelEngine()
    seen = {}
    try:
        for code in ("2022-Q1", "2022-H1", "2022-Q1"):
            params = {"report": code, "plan": str(SEED), "data": str(ROOT / "data" / "2022")}
            done = engine.execute(nb, params, cwd=ROOT)
            html = "".join(
                o["data"].get("text/html", "")
                for c in done.cells
                for o in c.get("outputs", [])
                if o.get("output_type") in ("display_data", "execute_result")
            )
            assert not any(c.metadata.get("cchc_reset") for c in done.cells)
            counts = [c.get("execution_count") for c in done.cells if c.cell_type == "code"]
            assert counts == list(range(1, len(counts) + 1))  # as in a new kernel
            s = to_json(_results(code))["summary"]
            assert f"trong {s['timed']} nhiệm vụ có thời hạn, có {s['timed_due']:02d}" in html
            assert SUBJECTS[code] in html
            seen.setdefault(code, []).append(html)
    finally:
        engine.close()
    assert seen["2022-Q1"][0] == seen["2022-Q1"][1]  # the second Q1 saw nothing of H1
    assert seen["2022-Q1"][0] != seen["2022-H1"][0]


def test_explore_notebook_runs(tmp_path):
    import papermill

    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "explore.ipynb"),
        str(out),
        parameters={"report": "2022-Q3", "unit": "Văn phòng Sở"},
        cwd=str(ROOT),
        progress_bar=False,
        kernel_name="python3",
    )
    nb = nbformat.read(out, as_version=4)
    assert any(
        "Văn phòng Sở" in o.get("data", {}).get("text/html", "")
        for c in nb.cells
        for o in c.get("outputs", [])
    )


BODY_PAGES = {"2022-Q1": 8, "2022-H1": 8, "2022-Q3": 8, "2022-Y": 10}


@pytest.mark.parametrize("code", list(BODY_PAGES))
def test_body_fits_its_pages(project, code):
    """The body (I–V and the signature) does not repeat Phụ lục I: 6-month report ≤ 8 A4
    pages, annual ≤ 10."""
    reader = PdfReader(project / "output" / "2022" / f"{code}.pdf")
    first_annex = next(
        i
        for i, page in enumerate(reader.pages)
        if "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ" in page.extract_text()
    )
    assert first_annex <= BODY_PAGES[code]
    last_body = reader.pages[first_annex - 1].extract_text()
    assert "Nơi nhận" in last_body  # the signature closes the body
