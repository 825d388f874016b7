"""Deriving a report's omitted parameters from the plan and the period (never the example)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from tiny import META, plan, with_meta

from cchc_lib.errors import ParameterError
from cchc_lib.periods import parse_period
from cchc_lib.report.parameters import DERIVED_KEYS, FROM_FILE, derive

EMPTY = {k: "" for k in DERIVED_KEYS} | {"recipients": [], "signer_lines": []}


def test_everything_omitted_comes_from_the_plan_and_the_period() -> None:
    values, sources = derive(EMPTY, plan(), parse_period("2022-H1"))
    assert values["agency"] == "Sở Thử Nghiệm" and values["parent_agency"] == "UBND tỉnh Mẫu"
    assert (values["signer_title"], values["signer_position"]) == ("GIÁM ĐỐC", "")
    assert values["signer_lines"] == ["GIÁM ĐỐC"] and values["signer_name"] == "Trần Văn Mẫu"
    assert values["report_date"] == "2022-06-14"  # the period's cut-off day
    assert values["recipients"] == ["UBND tỉnh;"]
    assert set(sources) == set(DERIVED_KEYS)
    assert sources["report_date"] == "quy tắc: ngày chốt số liệu của kỳ (14/6/2022)"
    assert all(s.startswith(("kế hoạch", "quy tắc")) for s in sources.values())


def test_nothing_of_the_bundled_example_in_another_agencys_report(second_plan) -> None:
    values, _ = derive(EMPTY, second_plan, parse_period("2023-Q1"))
    text = " ".join(str(v) for v in values.values())
    for seed in ("Hoàng Văn Quảng", "Sở Công Thương", "Hà Tĩnh", "2022"):
        assert seed not in text
    assert values["agency"] == second_plan.meta.agency
    assert values["signer_name"] == second_plan.meta.signer_name


def test_given_values_win_and_are_marked_as_from_the_file() -> None:
    given = EMPTY | {
        "agency": "Sở Khác",
        "signer_name": "Lê Thị B",
        "report_date": "2022-03-20",
        "recipients": ["Sở Nội vụ;"],
    }
    values, sources = derive(given, plan(), parse_period("2022-Q1"))
    assert values["agency"] == "Sở Khác" and values["signer_name"] == "Lê Thị B"
    assert values["report_date"] == "2022-03-20" and values["recipients"] == ["Sở Nội vụ;"]
    assert {sources[k] for k in ("agency", "signer_name", "report_date", "recipients")} == {
        FROM_FILE
    }
    assert sources["parent_agency"].startswith("kế hoạch")


def test_the_signature_block_comes_whole_from_one_place() -> None:
    """A title given in the file never gets the plan's position beneath it."""
    p = with_meta(plan(), signer_title="KT. GIÁM ĐỐC", signer_position="PHÓ GIÁM ĐỐC")
    values, sources = derive(EMPTY | {"signer_title": "GIÁM ĐỐC"}, p, parse_period("2022-Q1"))
    assert (values["signer_title"], values["signer_position"]) == ("GIÁM ĐỐC", "")
    assert sources["signer_position"] == FROM_FILE
    values, _ = derive(EMPTY, p, parse_period("2022-Q1"))
    assert values["signer_lines"] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert values["signer_position"] == "PHÓ GIÁM ĐỐC"


def test_signature_lines_of_the_plan_are_used_when_it_has_them() -> None:
    @dataclass(frozen=True)
    class Meta:  # PlanMeta with the signature as lines (issue 12 adds ``signer_lines``)
        agency: str = "UBND huyện Yên Thành"
        parent: str | None = "UBND tỉnh Nghệ An"
        signer_title: str = "TM. ỦY BAN NHÂN DÂN"
        signer_position: str | None = "PHÓ CHỦ TỊCH"
        signer_name: str = "Nguyễn Văn C"
        recipients: tuple[str, ...] = ()
        signer_lines: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")

    p = replace(plan(), meta=Meta())  # type: ignore[arg-type]
    values, sources = derive(EMPTY, p, parse_period("2022-Y"))
    assert values["signer_lines"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # two keys cannot hold three lines: left empty, the report prints the plan's lines
    assert values["signer_title"] == values["signer_position"] == ""
    assert sources["signer_title"].startswith("kế hoạch (khối chữ ký 3 dòng: TM. ỦY BAN")
    # no "Nơi nhận" in the plan: the parent authority and the archive
    assert values["recipients"] == ["UBND tỉnh Nghệ An;", "Lưu: VT."]
    assert sources["recipients"] == "quy tắc: cơ quan cấp trên và Lưu: VT"


def test_what_cannot_be_derived_is_an_error_naming_each_key() -> None:
    bare = with_meta(plan(), agency="", parent=None, signer_title="", signer_name="", recipients=())
    with pytest.raises(ParameterError) as info:
        derive(EMPTY, bare, parse_period("2022-Q1"))
    problems = info.value.problems
    for key in ("agency", "signer_title", "signer_name", "recipients"):
        assert any(f'Khóa "{key}"' in p and "Cách sửa" in p for p in problems), key
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("code", "date", "ok"),
    [
        ("2022-Q1", "2022-03-14", True),  # the cut-off day itself
        ("2022-Q1", "2022-03-13", False),  # before it
        ("2022-Q1", "2022-04-28", True),  # 45 days after
        ("2022-Q1", "2022-04-29", False),  # 46 days after
        ("2022-Q3", "2022-03-14", False),  # the example: a Q3 report dated 14/3
        ("2022-Y", "2022-12-20", True),
    ],
)
def test_the_report_date_lies_between_the_cutoff_and_45_days_after(
    code: str, date: str, ok: bool
) -> None:
    if ok:
        assert derive(EMPTY | {"report_date": date}, plan(), parse_period(code))[0]["report_date"]
    else:
        with pytest.raises(ParameterError, match='"report_date"') as info:
            derive(EMPTY | {"report_date": date}, plan(), parse_period(code))
        assert "Cách sửa" in str(info.value)


def test_the_calendar_rule_moves_the_date_with_the_window() -> None:
    values, _ = derive(EMPTY, plan(), parse_period("2022-Q1", "calendar"))
    assert values["report_date"] == "2022-03-31"


def test_meta_is_read_not_changed() -> None:
    p = plan()
    derive(EMPTY, p, parse_period("2022-Q1"))
    assert p.meta == META
