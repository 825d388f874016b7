"""The committed notebooks: thin, clean, and in step with parameters/."""

from __future__ import annotations

import nbformat
import pytest
import yaml
from conftest import ROOT

from cchc_lib.run.params import declared_parameters

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PARAMETER_FILES = sorted((ROOT / "parameters").glob("*.yaml"))


def test_there_are_notebooks_and_parameters():
    assert {p.name for p in NOTEBOOKS} >= {"report.ipynb", "explore.ipynb"}
    assert {p.stem for p in PARAMETER_FILES} == {"2022-Q1", "2022-H1", "2022-Q3", "2022-Y"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit without outputs"
    # thin: after the parameters cell, one import cell, then one call per cell
    after = code[code.index(tagged[0]) + 1 :]
    imports = [c for c in after if "import" in c.source]
    assert len(imports) == 1
    for cell in after:
        if cell is imports[0]:
            continue
        lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) == 1, cell.source


@pytest.fixture(scope="module")
def declared() -> dict[str, dict]:
    return {name: declared_parameters(ROOT / "notebooks" / name) for name in NOTEBOOK_NAMES}


NOTEBOOK_NAMES = ("report.ipynb", "explore.ipynb")


@pytest.mark.parametrize("yaml_path", PARAMETER_FILES, ids=lambda p: p.name)
def test_parameters_match_the_report_notebook(yaml_path, declared):
    keys = set(yaml.safe_load(yaml_path.read_text(encoding="utf-8")))
    assert keys == set(declared["report.ipynb"])
    assert set(declared["explore.ipynb"]) - {"unit"} <= keys
