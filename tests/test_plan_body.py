"""The plan's header and signature (DOMAIN §7): agency, parent, header lines, place and
date, title and year, signature lines."""

from __future__ import annotations

from datetime import date

import pytest

from cchc_lib.plan.agency import read_agency, sentence_name
from cchc_lib.plan.body import parse_body


def _body(lines: list[str]):
    return parse_body([(f"dòng {i + 1}", t) for i, t in enumerate(lines)], "kh.txt")


SECTIONS = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Nâng cao chất lượng.",
    "II. TỔ CHỨC THỰC HIỆN",
    "Giao Văn phòng.",
]


def test_title_on_three_lines_and_place_date_on_two():
    b = _body(
        [
            "ỦY BAN NHÂN DÂN",
            "HUYỆN NAM ĐÀN",
            "Số: 88/KH-UBND",
            "Nam Đàn,",
            "ngày 25 tháng 12 năm 2017",
            "KẾ HOẠCH",
            "Cải cách hành chính",
            "năm 2018",
            "-------",
            "Thực hiện Kế hoạch của UBND tỉnh Nghệ An, UBND huyện Nam Đàn ban hành Kế hoạch:",
            *SECTIONS,
        ]
    )
    assert b.title == "KẾ HOẠCH Cải cách hành chính năm 2018"
    assert b.year == 2018 and b.date == date(2017, 12, 25) and b.place == "Nam Đàn"
    assert (b.agency, b.parent) == ("UBND huyện Nam Đàn", "UBND tỉnh Nghệ An")
    assert b.header_lines == ("ỦY BAN NHÂN DÂN", "HUYỆN NAM ĐÀN")


def test_place_and_date_split_before_the_year():
    b = _body(
        ["SỞ Y TẾ", "Hà Nam, ngày 05 tháng 02", "năm 2024", "KẾ HOẠCH CCHC NĂM 2024", *SECTIONS]
    )
    assert (b.place, b.date) == ("Hà Nam", date(2024, 2, 5))


def test_parent_is_never_invented_from_the_place():
    # the preamble cites "UBND tỉnh" without naming the province: the parent is unknown
    b = _body(
        [
            "SỞ Y TẾ",
            "Hà Nam, ngày 05 tháng 02 năm 2024",
            "KẾ HOẠCH CCHC NĂM 2024",
            "Thực hiện Kế hoạch của UBND tỉnh, Sở Y tế ban hành Kế hoạch như sau:",
            *SECTIONS,
        ]
    )
    assert (b.agency, b.parent) == ("Sở Y tế", None)
    assert b.header_lines == ("SỞ Y TẾ",)


def test_an_agency_name_over_two_header_lines():
    b = _body(
        [
            "UBND TỈNH NINH BÌNH",
            "SỞ TÀI NGUYÊN VÀ",
            "MÔI TRƯỜNG",
            "Ninh Bình, ngày 05 tháng 02 năm 2024",
            "KẾ HOẠCH CCHC NĂM 2024",
            *SECTIONS,
        ]
    )
    assert (b.agency, b.parent) == ("Sở Tài nguyên và Môi trường", "UBND tỉnh Ninh Bình")
    assert b.header_lines == ("UBND TỈNH NINH BÌNH", "SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG")


@pytest.mark.parametrize(
    "signature, lines, name",
    [
        (["GIÁM ĐỐC", "Nguyễn Văn An"], ("GIÁM ĐỐC",), "Nguyễn Văn An"),
        (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", "Nguyễn Văn An"], ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), "Nguyễn Văn An"),
        (
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "NGUYỄN VĂN AN"],
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            "Nguyễn Văn An",
        ),
    ],
)  # fmt: skip
@pytest.mark.parametrize("before_recipients", [False, True])
def test_signature_of_one_to_three_lines(signature, lines, name, before_recipients):
    recipients = ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."]
    tail = signature + recipients if before_recipients else recipients + signature
    b = _body(["SỞ Y TẾ", "KẾ HOẠCH CCHC NĂM 2024", *SECTIONS, *tail])
    assert tuple(b.signer_lines) == lines
    assert b.signer_title == lines[0]
    assert b.signer_position == (lines[-1] if len(lines) > 1 else None)
    assert b.signer_name == name
    assert b.recipients == ["UBND tỉnh;", "Lưu: VT."]


def test_recipients_and_signature_side_by_side():
    pieces = [
        ("dòng 20", "Nơi nhận:"),
        ("dòng 20, cột 2", "TM. ỦY BAN NHÂN DÂN"),
        ("dòng 21", "- UBND huyện;"),
        ("dòng 21, cột 2", "CHỦ TỊCH"),
        ("dòng 22", "- Lưu: VT."),
        ("dòng 23, cột 2", "Lê Văn Bình"),
    ]
    head = [
        (f"dòng {i}", t) for i, t in enumerate(["XÃ AN HÒA", "KẾ HOẠCH CCHC NĂM 2023", *SECTIONS])
    ]
    b = parse_body(head + pieces, "kh.txt")
    assert b.recipients == ["UBND huyện;", "Lưu: VT."]
    assert (tuple(b.signer_lines), b.signer_name) == (
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        "Lê Văn Bình",
    )


def test_read_agency_kinds():
    assert read_agency(["UBND TỈNH HÀ NAM", "SỞ CÔNG THƯƠNG"], "", "Sở Công Thương ban hành") == (
        "Sở Công Thương",
        "UBND tỉnh Hà Nam",
        ("UBND TỈNH HÀ NAM", "SỞ CÔNG THƯƠNG"),
    )
    assert read_agency(["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"], "", "") == (
        "UBND tỉnh Nghệ An",
        None,
        ("ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"),
    )
    # no header block: the preamble names the agency and the parent; the lines are built
    assert read_agency(
        [], "Căn cứ Kế hoạch của UBND tỉnh Hà Nam, Sở Y tế xây dựng Kế hoạch", ""
    ) == (
        "Sở Y tế",
        "UBND tỉnh Hà Nam",
        ("UBND TỈNH HÀ NAM", "SỞ Y TẾ"),
    )
    assert read_agency(
        [], "Thực hiện Kế hoạch của UBND huyện Kim Bôi, UBND xã Hợp Đồng xây dựng Kế hoạch", ""
    )[2] == (
        "ỦY BAN NHÂN DÂN",
        "XÃ HỢP ĐỒNG",
    )


def test_sentence_name():
    assert sentence_name("ỦY BAN NHÂN DÂN HUYỆN YÊN THÀNH", "Ủy ban nhân dân huyện Yên Thành") == (
        "Ủy ban nhân dân huyện Yên Thành"
    )
    assert sentence_name("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "") == "Phòng Tài chính - Kế hoạch"
    assert sentence_name("VĂN PHÒNG HĐND VÀ UBND HUYỆN", "") == "Văn phòng HĐND và UBND huyện"
