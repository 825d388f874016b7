"""Parameters files: validated against the notebook's parameters cell before any kernel starts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SEED
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
    shutil.copy(SEED, tmp_path / "data" / "plan" / "000_04455437811e3eec.txt")
    (tmp_path / "data" / "2022").mkdir()
    return tmp_path


def write(project: Path, text: str, name: str = "2022-Q1.yaml") -> Path:
    path = project / "parameters" / name
    path.write_text(text, encoding="utf-8")
    return path


REQUIRED = {"report": '"2022-Q1"', "plan": '"data/plan/000_04455437811e3eec.txt"'}


def parse(project: Path, declared: dict, text: str, *, required: bool = True, **kw):
    """Validate ``text``; with ``required`` the keys every file needs are added when absent."""
    if required:
        for key, value in REQUIRED.items():
            if key in declared and not re.search(rf"^{key}:", text, re.MULTILINE):
                text = f"{key}: {value}\n{text}"
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
    params = parse(project, declared, "report: 2022-Q1\nreport_date: 2022-03-20\n")
    assert params.values["report_date"] == "2022-03-20"
    assert params.values["window_rule"] == "official"  # the notebook's default
    assert params.sources["window_rule"] == "mặc định của sổ tay"
    assert params.year == 2022
    # derived keys left out are derived from the plan, never the notebook's defaults
    assert params.values["signer_name"] == "" and not params.derived


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
        ('plan: "data/2022"', "đây là thư mục, không phải tệp"),  # a folder is not a file
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
        parse(project, declared, 'report: "2022-Q1"\nplan: [a, b\nformats: x\n', required=False)


@pytest.mark.parametrize(("text", "found"), [("", "tệp rỗng"), ("- a\n- b\n", "list")])
def test_file_must_be_a_mapping(project: Path, declared: dict, text: str, found: str) -> None:
    with pytest.raises(ParameterError, match=f"khóa: giá trị.*{found}"):
        parse(project, declared, text, required=False)


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
    bad1 = write(project, EXAMPLE.replace('"2022-Q1"', '"2022-H1"') + "foo: 1\n", "2022-H1.yaml")
    bad2 = write(project, 'report: "2022-Q3"\nplan: nope.txt\n', "2022-Q3.yaml")
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
        parse(project, declared, text, required=False)
    except ParameterError:
        pass


def test_parameters_survive_pickling(project: Path, declared: dict) -> None:
    import pickle

    params = load_parameters(write(project, EXAMPLE), declared)
    assert pickle.loads(pickle.dumps(params)) == params  # batches send them to workers


# ---------------------------------------------------------------- required keys, data rule


@pytest.mark.parametrize("key", ["report", "plan"])
def test_report_and_plan_are_required_whatever_the_notebook_says(
    project: Path, declared: dict, key: str
) -> None:
    assert declared[key]  # the toy notebook has defaults for both: they are not used
    text = "".join(line for line in EXAMPLE.splitlines(True) if not line.startswith(f"{key}:"))
    with pytest.raises(ParameterError, match=f'Thiếu khóa "{key}"') as info:
        parse(project, declared, text, required=False)
    assert "parameters/2022-Q1.yaml" in str(info.value) or "2022-Q1.yaml" in str(info.value)


def test_a_missing_data_folder_is_derived_by_rule_or_an_error(
    project: Path, declared: dict
) -> None:
    text = "".join(line for line in EXAMPLE.splitlines(True) if not line.startswith("data:"))
    params = parse(project, declared, text, required=False)
    assert params.values["data"] == str(project / "data" / "2022")
    assert params.sources["data"] == "quy tắc: data/2022 trong thư mục dự án"
    other = text.replace('"2022-Q1"', '"2023-Q1"').replace("2022-03-14", "2023-03-14")
    with pytest.raises(ParameterError, match='Thiếu khóa "data".*data/2023'):
        parse_parameters(
            other,
            declared,
            source=project / "parameters" / "2023-Q1.yaml",
            root=project,
            notebook=project / "notebooks" / "report.ipynb",
        )


def test_optional_paths_are_checked_when_given(project: Path, declared: dict) -> None:
    declared = {**declared, "dossiers": "", "docx_base": ""}
    with pytest.raises(ParameterError) as info:
        parse(project, declared, 'dossiers: "data/2022/ho-so"\ndocx_base: "mau.docx"\n')
    assert '"dossiers"' in str(info.value) and '"docx_base"' in str(info.value)
    (project / "data" / "2022" / "ho-so").mkdir()
    ok = parse(project, declared, 'dossiers: "data/2022/ho-so"\n')
    assert ok.values["dossiers"] == str(project / "data" / "2022" / "ho-so")


def test_a_file_named_after_another_period_is_refused(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError, match="Tên tệp là mã kỳ 2022-H1.*2022-Q1"):
        load_parameters(write(project, EXAMPLE, "2022-H1.yaml"), declared)
    assert load_parameters(write(project, EXAMPLE, "so-cong-thuong-q1.yaml"), declared).name


def test_two_files_of_a_batch_writing_the_same_report(project: Path) -> None:
    (project / "parameters" / "khac").mkdir()
    a = write(project, EXAMPLE)
    b = write(project, EXAMPLE, "khac/2022-Q1.yaml")
    with pytest.raises(ParameterError, match="cùng ghi báo cáo"):
        load_batch([a, b])
    assert len(load_batch([a, a])) == 1  # the same file twice is one report


# ---------------------------------------------------------------- hostile files


def test_a_key_written_twice_is_an_error(project: Path, declared: dict) -> None:
    with pytest.raises(
        ParameterError, match=r'khóa "report" được ghi hai lần \(dòng 3 và dòng 17\)'
    ):
        parse(project, declared, "# x\n" + EXAMPLE + 'report: "2022-H1"\n', required=False)


def test_an_alias_bomb_is_refused_before_it_expands(project: Path, declared: dict) -> None:
    # nine levels of nine aliases: 9**9 (387 million) values once expanded
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]")
    with pytest.raises(ParameterError, match="bí danh YAML") as info:
        parse(project, declared, "\n".join(lines) + "\n")
    assert len(str(info.value)) < 600  # the message expands nothing


def test_wide_aliases_are_counted_by_their_expanded_size(project: Path, declared: dict) -> None:
    # few aliases, each to a big list: 60 × 1,000 values
    big = "[" + ", ".join(["x"] * 1000) + "]"
    text = f"a: &a {big}\nb: [{', '.join(['*a'] * 60)}]\n"
    with pytest.raises(ParameterError, match=r"hơn 20\.000 giá trị"):
        parse(project, declared, text)


def test_deep_nesting_is_refused_without_recursion(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError, match="lồng nhau quá sâu"):
        parse(project, declared, "x: " + "[" * 20_000 + "]" * 20_000 + "\n")


def test_a_few_plain_aliases_are_fine(project: Path, declared: dict) -> None:
    text = 'signer_title: &t "GIÁM ĐỐC"\nsigner_position: ""\nrecipients: [*t]\n'
    assert parse(project, declared, text).values["recipients"] == ["GIÁM ĐỐC"]


def test_a_message_never_spells_out_a_huge_value(project: Path, declared: dict) -> None:
    with pytest.raises(ParameterError) as info:
        parse(project, declared, f"signer_name: [{', '.join(['a' * 50] * 100)}]\n")
    assert '"signer_name"' in str(info.value) and len(str(info.value)) < 800


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("report: 2022-Q1\nsigner_name: Nguyễn Văn Ă".encode()[:-1], "bị cắt cụt"),
        ("report: 2022-Q1\n".encode("utf-16"), "không phải văn bản UTF-8"),
        (b"report: 2022-Q1\n\x00\x00", "không phải tệp văn bản"),
        (b"x: " + b"a" * (300 * 1024), "lớn hơn 256 KB"),
    ],
)
def test_files_that_are_not_parameters(project: Path, content: bytes, fragment: str) -> None:
    path = project / "parameters" / "2022-Q1.yaml"
    path.write_bytes(content)
    with pytest.raises(ParameterError, match=fragment):
        load_batch([path])


def test_a_folder_or_a_fifo_is_not_read(project: Path) -> None:
    import os

    (project / "parameters" / "thu-muc.yaml").mkdir()
    with pytest.raises(ParameterError, match="là một thư mục"):
        load_batch([project / "parameters" / "thu-muc.yaml"])
    os.mkfifo(project / "parameters" / "ong.yaml")  # opened without waiting for a writer
    with pytest.raises(ParameterError, match=r"là một đường ống \(FIFO\)"):
        load_batch([project / "parameters" / "ong.yaml"])


def test_the_parameters_cell_is_read_like_papermill_reads_it() -> None:
    import papermill
    from conftest import ROOT

    for nb in (ROOT / "notebooks" / "report.ipynb", FIXTURES / "toy_report.ipynb"):
        ours = declared_parameters(nb)
        theirs = papermill.inspect_notebook(str(nb))
        assert list(ours) == list(theirs)


# ---------------------------------------------------------------- derived keys


def test_complete_derives_what_the_file_leaves_out(project: Path, declared: dict) -> None:
    from cchc_lib.run.derived import complete

    text = 'report: "2022-H1"\nplan: "data/plan/000_04455437811e3eec.txt"\n'
    params = complete(
        parse_parameters(
            text,
            declared,
            source=project / "parameters" / "2022-H1.yaml",
            root=project,
            notebook=project / "notebooks" / "report.ipynb",
        )
    )
    v, src = params.values, params.sources
    assert (v["signer_title"], v["signer_name"]) == ("GIÁM ĐỐC", "Hoàng Văn Quảng")
    assert src["signer_name"] == "kế hoạch (người ký)"
    assert v["agency"] == "Sở Công Thương" and v["parent_agency"] == "UBND tỉnh Hà Tĩnh"
    assert v["report_date"] == "2022-06-14" and src["report_date"].startswith("quy tắc:")
    assert v["recipients"][0] == "UBND tỉnh;" and src["recipients"].startswith("kế hoạch")
    assert src["data"].startswith("quy tắc:") and src["plan"] == "tệp tham số"
    assert params.derived and complete(params) is params


def test_complete_names_the_file_when_the_plan_is_unreadable(project: Path, declared: dict) -> None:
    from cchc_lib.run.derived import complete

    (project / "data" / "plan" / "hong.txt").write_text("không phải kế hoạch\n", "utf-8")
    params = parse(project, declared, 'plan: "data/plan/hong.txt"\n')
    with pytest.raises(ParameterError, match=r"2022-Q1\.yaml: không đọc được kế hoạch.*hong\.txt"):
        complete(params)


def test_a_report_dated_outside_its_period_is_refused(project: Path, declared: dict) -> None:
    from cchc_lib.run.derived import complete

    q3 = EXAMPLE.replace('"2022-Q1"', '"2022-Q3"')  # still dated 14/3: the example
    params = parse_parameters(
        q3,
        declared,
        source=project / "parameters" / "2022-Q3.yaml",
        root=project,
        notebook=project / "notebooks" / "report.ipynb",
    )
    with pytest.raises(ParameterError, match="trước ngày chốt số liệu của quý III năm 2022"):
        complete(params)
