"""The indicator catalog: wording by the plan's year, the plan's ``<plan>.indicators.yaml``."""

from __future__ import annotations

from dataclasses import replace

import pytest
from monthly_plan import make_plan, march_indicators, write_month

from cchc_lib.catalog import CatalogError, apply_sidecar, load_catalog, plan_catalog
from cchc_lib.monthly import read_month
from cchc_lib.monthly.template import build_template


def test_codes_stable_names_follow_the_year():
    old, new = load_catalog(2022), load_catalog(2023)
    assert old.codes == new.codes == load_catalog().codes
    assert "mức độ 3" in old["tthc_muc3"].name and "một phần" in new["tthc_muc3"].name
    assert "toàn trình" in new["tthc_muc4"].name
    assert all("Văn bản chỉ đạo" not in i.name for i in old.indicators)  # no province's system


def test_catalog_has_what_offices_report():
    cat = load_catalog()
    for code in (
        "hs_ky_truoc",
        "hs_so_hoa",
        "gd_thanh_toan_truc_tuyen",
        "pakn_tiep_nhan",
        "pakn_da_xu_ly",
    ):
        assert code in cat
    assert cat["hs_ky_truoc"].kind == "opening"


def test_sidecar_adds_retires_relabels_and_marks(tmp_path):
    plan = replace(make_plan(), source=str(tmp_path / "kh.txt"))
    (tmp_path / "kh.indicators.yaml").write_text(
        """
add:
  - {code: hs_dvc_buu_chinh, group: ho_so, kind: flow, unit: count, name: "Số hồ sơ trả kết quả qua bưu chính", unit_label: "hồ sơ", optional: true}
retire: [kiem_tra_dot_xuat]
relabel: {tthc_tong: "Số TTHC thuộc thẩm quyền của Phòng"}
optional: [tuyen_dung]
owners: {sang_kien: "Thanh tra"}
focal_unit: "Văn phòng"
""",
        encoding="utf-8",
    )
    cat = plan_catalog(plan)
    assert "hs_dvc_buu_chinh" in cat and "kiem_tra_dot_xuat" not in cat
    assert cat["tthc_tong"].name.endswith("của Phòng") and cat["tuyen_dung"].optional
    assert (
        cat.owner_of("sang_kien", "x") == "Thanh tra" and cat.owner_of("vb_di", "x") == "Văn phòng"
    )
    ws = build_template(plan, "2022-03")["Chỉ số"]
    codes = [ws[f"A{r}"].value for r in range(4, ws.max_row + 1)]
    assert codes == list(cat.codes)
    values = {c: v for c, v in march_indicators().items() if c in cat}
    path = write_month(
        tmp_path, plan, indicators=values | {"hs_dvc_buu_chinh": 3, "tuyen_dung": None}
    )
    data, problems = read_month(path, plan)
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    assert data.indicator("hs_dvc_buu_chinh") == 3


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"retire": ["khong_co"]}, "khong_co"),
        ({"nhom": []}, "khóa không hợp lệ"),
        (
            {
                "add": [
                    {
                        "code": "tthc_tong",
                        "name": "x",
                        "unit": "count",
                        "unit_label": "x",
                        "kind": "flow",
                        "group": "tthc",
                    }
                ]
            },
            "đã có",
        ),
        (
            {
                "add": [
                    {
                        "code": "x",
                        "name": "x",
                        "unit": "lít",
                        "unit_label": "x",
                        "kind": "flow",
                        "group": "tthc",
                    }
                ]
            },
            "unit",
        ),
        ({"relabel": ["tthc_tong"]}, "relabel"),
    ],
)
def test_bad_sidecar_names_the_problem(raw, words):
    with pytest.raises(CatalogError, match=words):
        apply_sidecar(load_catalog(), raw, "kh.indicators.yaml")
