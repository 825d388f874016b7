"""split_units: unit lists split only where the result is unambiguous."""

from __future__ import annotations

import pytest

from cchc_lib.plan.units import split_units

ALIASES = {"van phong": "Văn phòng Sở", "phong van hoa, thong tin": "Phòng Văn hóa và Thông tin"}


@pytest.mark.parametrize(
    "cell, units",
    [
        ("Phòng Tài chính - Kế hoạch", ("Phòng Tài chính - Kế hoạch",)),
        ("Văn phòng HĐND và UBND huyện", ("Văn phòng HĐND và UBND huyện",)),
        ("Văn phòng HĐND - UBND huyện", ("Văn phòng HĐND - UBND huyện",)),
        ("Các phòng, ban, ngành cấp huyện", ("Các phòng, ban, ngành cấp huyện",)),
        ("Các phòng, đơn vị thuộc Sở", ("Các phòng, đơn vị thuộc Sở",)),
        ("UBND các xã, thị trấn", ("UBND các xã, thị trấn",)),
        ("Sở Thông tin và Truyền thông", ("Sở Thông tin và Truyền thông",)),
        ("Văn phòng, Thanh tra Sở", ("Văn phòng Sở", "Thanh tra Sở")),
        ("Phòng Nội vụ; Phòng Tư pháp", ("Phòng Nội vụ", "Phòng Tư pháp")),
        ("- Phòng Nội vụ\n- Phòng Tư pháp", ("Phòng Nội vụ", "Phòng Tư pháp")),
        ("Các phòng chuyên môn, đơn vị thuộc Sở", ("Các phòng chuyên môn", "đơn vị thuộc Sở")),
        # the alias file says more: a name with a comma kept whole and mapped
        (
            "Phòng Văn hóa, Thông tin; Công an huyện",
            ("Phòng Văn hóa và Thông tin", "Công an huyện"),
        ),
        ("Văn phòng, Văn phòng", ("Văn phòng Sở",)),
        ("", ()),
    ],
)
def test_split_units(cell, units):
    assert split_units(cell, ALIASES) == units
