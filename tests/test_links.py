import unicodedata

import pytest

from cchc_lib.catalog import load_catalog
from cchc_lib.errors import CchcError, LinkError
from cchc_lib.indicators.links import (
    Link,
    default_links,
    link_measures,
    links_path_for,
    load_links,
    parse_links,
)
from cchc_lib.model import Measure, Plan, PlanMeta, Target


def _plan(*measures: Measure) -> Plan:
    meta = PlanMeta("Sở X", None, "1/KH", None, None, 2022, "KẾ HOẠCH", "GIÁM ĐỐC", None, "A")
    targets = tuple(
        Target(id=f"II.2.{i + 1}", section="II.2", text=m.text, measures=(m,))
        for i, m in enumerate(measures)
    )
    return Plan("x.txt", meta, (), (), targets, (), (), ())


def _link_id(text: str, unit: str = "%") -> str | None:
    m = Measure(text, ">=", 50, None, unit)
    link = link_measures(_plan(m), default_links()).get(m)
    return link.id if link else None


def test_defaults_load_and_use_catalog_codes():
    links = default_links()
    assert len({link.id for link in links}) == len(links) >= 15
    catalog = load_catalog()
    for link in links:
        assert link.formula in ("ratio", "sum", "difference")
        assert all(c in catalog for c in link.codes), link.id
        assert link.keywords


@pytest.mark.parametrize(
    "text,unit,expected",
    [
        # the seed's wording
        (
            "Có ít nhất 50% TTHC được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia.",
            "%",
            "tthc_cong_dvcqg",
        ),
        (
            "100% hồ sơ TTHC tiếp nhận được cập nhật, quản lý, tổ chức thực hiện trên hệ thống "
            "phần mềm một cửa của tỉnh, được giải quyết trước và đúng hạn.",
            "%",
            "ho_so_dung_han",
        ),
        (
            "100% TTHC thuộc thẩm quyền giải quyết có đủ điều kiện được cung cấp trực tuyến "
            "mức độ 3 và 4.",
            "%",
            "tthc_truc_tuyen_muc_3_4",
        ),
        (
            "Tối thiểu 50% TTHC có phát sinh hồ sơ được triển khai dịch vụ công trực tuyến "
            "mức độ 3, mức độ 4.",
            "%",
            "tthc_co_ho_so_truc_tuyen",
        ),
        (
            "Tối thiểu 50% TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán "
            "trực tuyến.",
            "%",
            "tthc_thanh_toan_truc_tuyen",
        ),
        (
            "100% các văn bản, tài liệu chính thức được trao đổi trên môi trường mạng và có "
            "ứng dụng chữ ký số",
            "%",
            "vb_ky_so",
        ),
        (
            "100% các văn bản được giao trên hệ thống Văn bản chỉ đạo của tỉnh được xử lý "
            "đúng hạn.",
            "%",
            "vb_giao_dung_han",
        ),
        (
            "100% văn bản quy phạm pháp luật tham mưu ban hành, đảm bảo tính hợp pháp",
            "%",
            "qppl_hop_phap",
        ),
        ("Có ít nhất 01-02 sáng kiến về CCHC được công nhận", "count", "sang_kien"),
        ("Kiểm tra trung tâm và ít nhất 02 phòng chuyên môn thuộc Sở.", "count", "kiem_tra_don_vi"),
        ("Tổ chức 01 cuộc kiểm tra đột xuất.", "count", "kiem_tra_dot_xuat"),
        ("Ban hành tối thiểu 08-10 quy trình nội bộ.", "count", "quy_trinh_noi_bo"),
        ("Tuyển dụng thêm 02-03 CBCC", "count", "tuyen_dung"),
        (
            "85% CBCC,VC được đào tạo, bồi dưỡng, cập nhật về trình độ chuyên môn",
            "%",
            "dao_tao_boi_duong",
        ),
        ("phấn đấu tăng 03-05 bậc so với năm 2021", "rank", "xep_hang_tang_bac"),
        # other plans' wording
        (
            "Ít nhất 60% thủ tục hành chính được tích hợp trên Cổng DVC quốc gia",
            "%",
            "tthc_cong_dvcqg",
        ),
        ("Trên 95% hồ sơ được giải quyết trước hạn", "%", "ho_so_dung_han"),
        ("100% văn bản QPPL do Sở tham mưu bảo đảm hợp pháp, hợp hiến", "%", "qppl_hop_phap"),
        ("Ít nhất 90% công chức, viên chức được bồi dưỡng kiến thức", "%", "dao_tao_boi_duong"),
        ("KIỂM TRA ÍT NHẤT 03 ĐƠN VỊ TRỰC THUỘC", "count", "kiem_tra_don_vi"),
        (
            "Thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình",
            "%",
            "tthc_truc_tuyen_muc_3_4",
        ),
    ],
)
def test_default_matching(text, unit, expected):
    assert _link_id(text, unit) == expected


def test_matching_ignores_normal_form_and_case():
    text = unicodedata.normalize("NFD", "CÓ ÍT NHẤT 50% TTHC TRÊN CỔNG DỊCH VỤ CÔNG QUỐC GIA")
    assert _link_id(text) == "tthc_cong_dvcqg"


@pytest.mark.parametrize(
    "text,unit",
    [
        ("100% văn bản QPPL được phổ biến kịp thời", "%"),
        ("100% CBCC được luân chuyển, chuyển đổi theo quy định", "%"),
        ("100% kinh phí thực hiện được công khai minh bạch", "%"),
        # right words, wrong unit: a percentage of initiatives is not a count
        ("100% sáng kiến được áp dụng", "%"),
        ("Tuyển dụng 100% chỉ tiêu được giao", "%"),
    ],
)
def test_no_link(text, unit):
    assert _link_id(text, unit) is None


def test_keywords_match_whole_words_only():
    link = Link("x", "x", "sum", ("sang_kien",), keywords=(("bac",),))
    assert link.matches("tăng 3 bậc", "rank")
    assert not link.matches("bacsi", "rank")


def test_two_measures_of_one_target():
    m1 = Measure(
        "Kiểm tra trung tâm và ít nhất 02 phòng chuyên môn thuộc Sở.", ">=", 2, None, "count"
    )
    m2 = Measure("Tổ chức 01 cuộc kiểm tra đột xuất.", ">=", 1, None, "count")
    meta = PlanMeta("Sở X", None, "1/KH", None, None, 2022, "KẾ HOẠCH", "GIÁM ĐỐC", None, "A")
    plan = Plan("x", meta, (), (), (Target("PL.I.2", "appendix", "...", (m1, m2)),), (), (), ())
    mapping = link_measures(plan, default_links())
    assert mapping[m1].id == "kiem_tra_don_vi"
    assert mapping[m2].id == "kiem_tra_dot_xuat"


# --- evaluate ---------------------------------------------------------------------


def _by_id(ident: str) -> Link:
    return next(link for link in default_links() if link.id == ident)


def test_evaluate_ratio():
    link = _by_id("ho_so_dung_han")
    vals = {"hs_truoc_han": 30.0, "hs_dung_han": 60.0, "hs_tre_han": 10.0}
    assert link.evaluate(vals) == pytest.approx(90.0)
    assert link.evaluate({**vals, "hs_tre_han": None}) is None
    assert link.evaluate({"hs_truoc_han": 0.0, "hs_dung_han": 0.0, "hs_tre_han": 0.0}) is None


def test_evaluate_sum_and_difference():
    assert _by_id("sang_kien").evaluate({"sang_kien": 2.0}) == 2.0
    assert _by_id("sang_kien").evaluate({"sang_kien": None}) is None
    rank = _by_id("xep_hang_tang_bac")
    assert rank.evaluate({"xep_hang_nam_truoc": 15.0, "xep_hang_chi_so_cchc": 11.0}) == 4.0
    assert rank.evaluate({"xep_hang_nam_truoc": 10.0, "xep_hang_chi_so_cchc": 12.0}) == -2.0
    assert "xep_hang_nam_truoc - xep_hang_chi_so_cchc" == rank.describe()


# --- plan-specific files ----------------------------------------------------------

OWN = """
links:
  - id: ho_so_dung_han          # replaces the default
    name: "Tỷ lệ hồ sơ đúng hạn (chỉ tính đúng hạn)"
    keywords: ["hồ sơ", "đúng hạn"]
    unit: "%"
    ratio: {numerator: [hs_dung_han], denominator: [hs_tiep_nhan]}
  - id: tuyen_truyen             # new
    name: "Số tin, bài tuyên truyền"
    keywords: ["tin, bài"]
    unit: count
    sum: [tuyen_truyen]
    yearly: true
  - id: sang_kien
    enabled: false
"""


def test_plan_links_override(tmp_path):
    plan_file = tmp_path / "kh2022.txt"
    plan_file.write_text("x", "utf-8")
    assert load_links(plan_file) == default_links()  # no side file yet
    side = links_path_for(plan_file)
    assert side.name == "kh2022.links.yaml"
    side.write_text(OWN, "utf-8")
    links = load_links(plan_file)
    ids = [link.id for link in links]
    assert ids[:2] == ["ho_so_dung_han", "tuyen_truyen"]
    assert "sang_kien" not in ids
    assert ids.count("ho_so_dung_han") == 1
    assert links[0].denominator == ("hs_tiep_nhan",)
    assert links[0].source == str(side)
    assert _by_id("kiem_tra_don_vi") in links
    m = Measure("Đăng ít nhất 20 tin, bài về CCHC", ">=", 20, None, "count")
    assert link_measures(_plan(m), links)[m].id == "tuyen_truyen"


@pytest.mark.parametrize(
    "body,fragment",
    [
        ("links: [\n", "YAML"),
        ("items: []", '"links:"'),
        ("links:\n  - id: a\n    keywords: [x]\n", "đúng một công thức"),
        ("links:\n  - id: a\n    keywords: [x]\n    sum: [khong_co]\n", "khong_co"),
        ("links:\n  - id: a\n    keywords: [x]\n    sum: [sang_kien]\n    bogus: 1\n", "bogus"),
        ("links:\n  - keywords: [x]\n    sum: [sang_kien]\n", '"id"'),
        ("links:\n  - id: a\n    keywords: [x]\n    difference: [sang_kien]\n", "hai mã"),
        ("links:\n  - id: a\n    keywords: [x]\n    ratio: [sang_kien]\n", "numerator"),
        ("links:\n  - id: a\n    keywords: []\n    sum: [sang_kien]\n", "keywords"),
        ("links:\n  - id: a\n    keywords: [x]\n    sum: [sang_kien]\n    unit: cái\n", "cái"),
        ("links:\n  - id: a\n    keywords: [x]\n    sum: [sang_kien]\n    yearly: có\n", "yearly"),
        (
            "links:\n  - id: a\n    keywords: [x]\n    sum: [sang_kien]\n"
            "  - id: a\n    keywords: [y]\n    sum: [sang_kien]\n",
            "trùng",
        ),
    ],
)
def test_malformed_links_file(tmp_path, body, fragment):
    plan_file = tmp_path / "kh.txt"
    links_path_for(plan_file).write_text(body, "utf-8")
    with pytest.raises(LinkError) as exc:
        load_links(plan_file)
    msg = str(exc.value)
    assert fragment in msg
    assert "kh.links.yaml" in msg
    assert isinstance(exc.value, CchcError)


def test_malformed_entry_is_named():
    body = (
        "links:\n  - id: ok\n    keywords: [x]\n    sum: [sang_kien]\n  - id: xau\n    sum: [x]\n"
    )
    with pytest.raises(LinkError, match=r'mục thứ 2 \(id "xau"\)'):
        parse_links(body, "f.yaml")


# --- the whole meaning of the target (issue 12) ------------------------------------------


def _best(text: str, unit: str = "%", comparator: str = ">=") -> str | None:
    m = Measure(text, comparator, 50, None, unit)
    link = link_measures(_plan(m), default_links()).get(m)
    return link.id if link else None


@pytest.mark.parametrize(
    "text, unit, comparator, expected",
    [
        # payments on the national portal are payments, not the portal share
        (
            "100% TTHC có nghĩa vụ tài chính được triển khai thanh toán trực tuyến trên Cổng "
            "Dịch vụ công quốc gia",
            "%", ">=", "tthc_thanh_toan_truc_tuyen",
        ),
        ("Tối thiểu 50% hồ sơ TTHC được thanh toán trực tuyến", "%", ">=", "tthc_thanh_toan_truc_tuyen"),
        ("100% văn bản đi được ký số", "%", ">=", "vb_ky_so"),
        ("100% văn bản điện tử có chữ ký số", "%", ">=", "vb_ky_so"),
        ("Chỉ số CCHC nằm trong nhóm 05 đơn vị dẫn đầu", "rank", "<=", "xep_hang_vi_tri"),
        ("Phấn đấu tăng 2 bậc, nằm trong nhóm 10 đơn vị dẫn đầu", "rank", ">=", "xep_hang_tang_bac"),
        ("Phấn đấu tăng 2 bậc, nằm trong nhóm 10 đơn vị dẫn đầu", "rank", "<=", "xep_hang_vi_tri"),
        ("Tối thiểu 80% hồ sơ được tiếp nhận trực tuyến", "%", ">=", "ho_so_truc_tuyen"),
        # three groups beat two: the share of procedures with online dossiers
        (
            "Tối thiểu 50% TTHC có phát sinh hồ sơ được giải quyết trực tuyến",
            "%", ">=", "tthc_co_ho_so_truc_tuyen",
        ),
        ("Ít nhất 60% TTHC được tích hợp trên Cổng DVCQG", "%", ">=", "tthc_cong_dvcqg"),
    ],
)  # fmt: skip
def test_best_fit_not_file_order(text, unit, comparator, expected):
    assert _best(text, unit, comparator) == expected


def test_file_order_only_breaks_ties():
    a = Link("a", "a", "sum", ("sang_kien",), keywords=(("sang kien",),))
    b = Link("b", "b", "sum", ("sang_kien",), keywords=(("sang kien",), ("cong nhan",)))
    m = Measure("02 sáng kiến được công nhận", ">=", 2, None, "count")
    assert link_measures(_plan(m), (a, b))[m].id == "b"  # more of the sentence explained
    c = Link("c", "c", "sum", ("sang_kien",), keywords=(("sang kien",),))
    assert link_measures(_plan(m), (a, c))[m].id == "a"


def test_the_plans_own_links_come_first(tmp_path):
    plan_file = tmp_path / "kh.txt"
    links_path_for(plan_file).write_text(
        'links:\n  - id: rieng\n    keywords: ["sáng kiến"]\n    unit: count\n'
        "    sum: [sang_kien]\n",
        "utf-8",
    )
    m = Measure("02 sáng kiến được công nhận và áp dụng", ">=", 2, None, "count")
    assert link_measures(_plan(m), load_links(plan_file))[m].id == "rieng"


def test_comparator_key():
    ((_, link),) = parse_links(
        'links:\n  - id: a\n    keywords: [x]\n    comparator: "<="\n    sum: [sang_kien]\n', "f"
    )
    assert link.comparators == ("<=",)
    assert link.matches("x", "count", "<=") and not link.matches("x", "count", ">=")
    with pytest.raises(LinkError, match="so sánh"):
        parse_links(
            'links:\n  - id: a\n    keywords: [x]\n    comparator: "<"\n    sum: [sang_kien]\n', "f"
        )
