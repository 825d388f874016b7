"""Parameters files: validated against the notebook's parameters cell before any kernel starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_lib.errors import ParameterError
from cchc_lib.paths import find_project_root
from cchc_lib.run.params import (
    ANY,
    PATH_KEYS,
    declared_parameters,
    load_batch,
    load_parameters,
    parse_formats,
    parse_parameters,
)

FIXTURES = Path(__file__).parent / "fixtures" / "runner"
EXAMPLE = (FIXTURES / "2022-Q1.yaml").read_text(encoding="utf-8")
KEYS = [
    "report",
    "plan",
    "data",
    "window_rule",
    "report_number",
    "report_date",
    "signer_title",
    "signer_position",
    "signer_name",
    "recipients",
    "agency",
    "parent_agency",
    "output_dir",
    "formats",
]


@pytest.fixture(scope="module")
def declared() -> dict:
    return declared_parameters(FIXTURES / "toy_report.ipynb")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root: pyproject.toml, parameters/, notebooks/report.ipynb, data/."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "parameters").mkdir()
    (tmp_path / "notebooks").mkdir()
    shutil.copy(FIXTURES / "toy_report.ipynb", tmp_path / "notebooks" / "report.ipynb")
    (tmp_path / "data" / "plan").mkdir(parents=True)
    (tmp_path / "data" / "plan" / "000_04455437811e3eec.txt").write_text(
        "KẾ HOẠCH\n", encoding="utf-8"
    )
    (tmp_path / "data" / "2022").mkdir()
    return tmp_path


def write(project: Path, text: str, name: str = "2022-Q1.yaml") -> Path:
    path = project / "parameters" / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(project: Path, declared: dict, text: str, **kw):
    return parse_parameters(
        text,
        declared,
        source=project / "parameters" / "2022-Q1.yaml",
        root=project,
        notebook=project / "notebooks" / "report.ipynb",
        **kw,
    )


def test_declared_parameters_reads_the_parameters_cell(declared: dict) -> None:
    assert list(declared) == KEYS
    assert declared["recipients"] == ["UBND tỉnh;", "Sở Nội vụ;", "Lưu: VT, VP."]
    assert declared["report_date"] == "2022-03-14"
    assert PATH_KEYS == ("plan", "data")


def test_notebook_without_parameters_cell_is_rejected() -> None:
    with pytest.raises(ParameterError, match='thẻ "parameters"'):
        declared_parameters(FIXTURES / "toy_noparams.ipynb")


def test_missing_notebook_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="--notebook"):
        declared_parameters(tmp_path / "nope.ipynb")


def test_example_file_is_valid_and_paths_become_absolute(project: Path, declared: dict) -> None:
    params = load_parameters(write(project, EXAMPLE), declared)
    assert params.name == "2022-Q1" and params.period == "2022-Q1" and params.year == 2022
    assert params.root == project.resolve()
    assert params.values["plan"] == str(project / "data/plan/000_04455437811e3eec.txt")
    assert params.values["data"] == str(project / "data/2022")
    assert params.output_dir == project / "output"
    assert params.formats == ("html", "pdf")
    assert params.values["report_date"] == "2022-03-14"
    assert params.period_label == "quý I năm 2022"
    assert params.validate_seconds > 0


def test_defaults_fill_missing_keys_and_unquoted_dates_stay_strings(
    project: Path, declared: dict
) -> None:
    params = parse(project, declared, "report: 2022-H1\nreport_date: 2022-06-14\n")
    assert params.values["report_date"] == "2022-06-14"
    assert params.values["signer_name"] == "Hoàng Văn Quảng"
    assert params.year == 2022


def test_unknown_key_lists_allowed_keys(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError) as info:
        load_parameters(write(project, EXAMPLE + 'reprot: "2022-Q1"\n'), declared)
    msg = str(info.value)
    assert "parameters/2022-Q1.yaml" in msg
    assert '"reprot"' in msg and '"2022-Q1"' in msg
    assert "các khóa hợp lệ: agency, data, formats" in msg


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("report_number: 12", "report_number"),  # int for a str default
        ('recipients: "UBND tỉnh"', "recipients"),  # str for a list
        ("signer_name: [a, b]", "signer_name"),  # list for a str
        ("agency: true", "agency"),  # bool for a str
        ("recipients: [1, 2]", "recipients"),  # list items of the wrong type
        ("report_date: null", "report_date"),  # null for a str
    ],
)
def test_wrong_type_is_rejected(project: Path, declared: dict, line: str, key: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse(project, declared, f"report: 2022-Q1\n{line}\n")
    msg = str(info.value)
    assert f'Khóa "{key}"' in msg and "cần kiểu" in msg and "Cách sửa" in msg


def test_numbers_bools_and_none_defaults(project: Path) -> None:
    declared = {"report": "2022-Q1", "n": 3, "ratio": 0.5, "flag": False, "anything": None}
    ok = parse(project, declared, "n: 4\nratio: 1\nflag: true\nanything: [1, x]\n")
    assert ok.values["ratio"] == 1 and ok.values["anything"] == [1, "x"]
    for bad in ("n: true", "n: '4'", "flag: 1", "ratio: [1]"):
        with pytest.raises(ParameterError, match="cần kiểu"):
            parse(project, declared, bad)


def test_non_literal_default_accepts_anything(project: Path) -> None:
    declared = {"report": "2022-Q1", "when": ANY}
    assert parse(project, declared, "when: [1, 2]").values["when"] == [1, 2]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('plan: "data/plan/khong-co.txt"', "không tìm thấy tệp"),
        ('data: "data/2023"', "không tìm thấy thư mục"),
        ('plan: ""', "chưa có đường dẫn"),
        ('plan: "data/2022"', "không tìm thấy tệp"),  # a folder is not a file
    ],
)
def test_missing_input_path_is_rejected(
    project: Path, declared: dict, line: str, fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        parse(project, declared, f"report: 2022-Q1\n{line}\n")


def test_every_problem_of_a_file_in_one_message(
    project: Path, declared: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)  # messages show paths relative to the current folder
    text = (
        "report: 2022-Q5\nfoo: 1\nplan: missing.txt\nformats: [rtf]\n"
        "report_date: 14/03/2022\nwindow_rule: lunar\n"
    )
    with pytest.raises(ParameterError) as info:
        parse(project, declared, text)
    msg = str(info.value)
    assert msg.startswith("Tệp tham số parameters/2022-Q1.yaml có 6 lỗi:")
    for fragment in ('"foo"', "missing.txt", '"rtf"', "14/03/2022", "lunar", "2022-Q5"):
        assert fragment in msg


@pytest.mark.parametrize("value", ["2022-13-01", "14/03/2022", "20220314", "2022-02-30"])
def test_bad_report_date(project: Path, declared: dict, value: str) -> None:
    with pytest.raises(ParameterError, match='"report_date".*NĂM-THÁNG-NGÀY'):
        parse(project, declared, f'report: 2022-Q1\nreport_date: "{value}"\n')


def test_bad_period_code(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError, match='"report".*2022-Q1'):
        parse(project, declared, "report: quý một\n")


def test_malformed_yaml_names_the_line(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError, match="sai cú pháp YAML ở dòng 3, cột 8"):
        parse(project, declared, 'report: "2022-Q1"\nplan: [a, b\nformats: x\n')


@pytest.mark.parametrize(("text", "found"), [("", "tệp rỗng"), ("- a\n- b\n", "list")])
def test_file_must_be_a_mapping(project: Path, declared: dict, text: str, found: str) -> None:
    with pytest.raises(ParameterError, match=f"khóa: giá trị.*{found}"):
        parse(project, declared, text)


def test_formats_from_file_and_override(project: Path, declared: dict) -> None:
    assert parse(project, declared, "formats: [pdf]").formats == ("pdf",)
    params = parse(project, declared, "formats: [pdf]", formats=("html",))
    assert params.formats == ("html",) and params.values["formats"] == ["html"]
    assert parse_formats("pdf, HTML", where="x") == (("html", "pdf"), [])
    assert parse_formats("rtf", where="Tùy chọn --format")[1][0].startswith(
        'Tùy chọn --format có giá trị ["rtf"]'
    )
    with pytest.raises(ParameterError, match="danh sách không rỗng"):
        parse(project, declared, "formats: []")


def test_load_batch_reports_every_file_at_once(project: Path) -> None:
    good = write(project, EXAMPLE)
    bad1 = write(project, "report: 2022-H1\nfoo: 1\n", "2022-H1.yaml")
    bad2 = write(project, "report: 2022-Q3\nplan: nope.txt\n", "2022-Q3.yaml")
    with pytest.raises(ParameterError) as info:
        load_batch([good, bad1, bad2])
    msg = str(info.value)
    assert "2022-H1.yaml" in msg and "2022-Q3.yaml" in msg and "2022-Q1.yaml" not in msg
    assert [p.name for p in load_batch([good])] == ["2022-Q1"]


def test_missing_parameters_file(project: Path) -> None:
    with pytest.raises(ParameterError, match="Không tìm thấy tệp tham số"):
        load_batch([project / "parameters" / "2030-Q1.yaml"])


def test_find_project_root(project: Path, tmp_path: Path) -> None:
    assert find_project_root(project / "parameters" / "x.yaml") == project.resolve()
    assert find_project_root(project / "data" / "2022") == project.resolve()


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="abc:-[]{}\"' \n#&*!|>%@`0123456789ĐđếQ", max_size=60))
def test_damaged_yaml_raises_parameter_error_only(project: Path, declared: dict, text: str) -> None:
    try:
        parse(project, declared, text)
    except ParameterError:
        pass


def test_parameters_survive_pickling(project: Path, declared: dict) -> None:
    import pickle

    params = load_parameters(write(project, EXAMPLE), declared)
    assert pickle.loads(pickle.dumps(params)) == params  # batches send them to workers
