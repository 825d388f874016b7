"""extract_measures: every target of the seed plan (II.1, II.2, appendix), other phrasings."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib.plan.measures import COUNTED_NOUNS, _sentences, extract_measures

SAME = object()  # the expected sentence is the whole target

# (pieces of the target as written in the seed; a target split by a page break has
#  two pieces joined by a space), then the expected (sentence, comparator, value,
#  stretch, unit) of each measure.
L41 = (
    "100% hồ sơ TTHC tiếp nhận được cập nhật, quản lý, tổ chức thực hiện trên hệ thống phần "
    "mềm một cửa của tỉnh, được giải quyết trước và đúng hạn. 100% TTHC thuộc thẩm quyền giải "
    "quyết có đủ điều kiện được cung cấp trực tuyến mức độ 3 và 4. Có ít nhất 50% TTHC được "
    "tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia. Tối thiểu 50% TTHC có phát sinh hồ sơ "
    "được triển khai dịch vụ công trực tuyến mức độ 3, mức độ 4. Tối thiểu 50% TTHC có yêu cầu "
    "nghĩa vụ tài chính, được triển khai thanh toán trực tuyến."
)
L41_SENTENCES = [s + "." for s in L41[:-1].split(". ")]
L47 = (
    "100% các văn bản, tài liệu chính thức (không thuộc đối tượng phải lưu hành theo chế độ mật) "
    "được trao đổi trên môi trường mạng và có ứng dụng chữ ký số; duy trì thường xuyên sử dụng "
    "phần mềm Quản lý văn bản và điều hành tác nghiệp. 100% các văn bản được giao trên hệ thống "
    "Văn bản chỉ đạo của tỉnh được xử lý đúng hạn."
)
L35 = (
    "Có ít nhất 01-02 sáng kiến về CCHC được công nhận và áp dụng tại Sở; phấn đấu có 01 sáng "
    "kiến liên quan đến CCHC đề nghị Hội đồng Sáng kiến cấp tỉnh công nhận."
)
L29 = (
    "Cải thiện và nâng cao về thứ hạng CCHC của Sở, phấn đấu tăng 03-05 bậc so với năm 2021; "
    "nâng cao chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của Sở."
)
PL_I_2 = (
    "Kiểm tra trung tâm và ít nhất 02 phòng chuyên môn thuộc Sở. Tổ chức 01 cuộc kiểm tra đột xuất."
)
PL_III_3 = (
    "100% TTHC được cập nhật, trình công bố kịp thời theo quy định; niêm yết, công khai minh "
    "bạch các TTHC và cập nhật kịp thời trên cơ sở dữ liệu quốc gia."
)
PL_III_4 = (
    "Triển khai thực hiện 100% thủ tục hành chính thuộc thẩm quyền giải quyết có đủ điều kiện "
    "được cung cấp trực tuyến mức độ 3 và 4. Trong đó, ít nhất 50% thủ tục hành chính được tích "
    "hợp, cung cấp trên Cổng Dịch vụ công quốc gia."
)

SEED_TARGETS = [
    # --- II.1 Mục tiêu chung
    (
        (
            "Xây dựng nền hành chính hiện đại, chuyên nghiệp, kỷ cương, công khai, minh bạch, "
            "hiệu lực, hiệu quả phục vụ người dân, doanh nghiệp; qua đó góp phần",
            "thúc đẩy thực hiện thắng lợi mục tiêu Nghị quyết của Đại hội Đại biểu Đảng bộ tỉnh "
            "lần thứ XIX.",
        ),
        [],
    ),
    (
        (L29,),
        [(L29.split("; ")[0], ">=", 3, 5, "rank")],
    ),
    # --- II.2 Mục tiêu, chỉ tiêu cụ thể
    (
        (
            "Chỉ đạo và tổ chức thực hiện kịp thời, có hiệu quả các nội dung Kế hoạch CCHC "
            "năm 2022.",
        ),
        [],
    ),
    (
        (L35,),
        [
            (L35.split("; ")[0], ">=", 1, 2, "count"),
            (L35.split("; ")[1], ">=", 1, None, "count"),
        ],
    ),
    (
        (
            "Kịp thời ban hành và tổ chức thực hiện kế hoạch kiểm tra, tự kiểm tra CCHC tại các "
            "phòng chuyên môn, đơn vị trực thuộc đảm bảo quy định.",
        ),
        [],
    ),
    (
        (
            "100% văn bản quy phạm pháp luật tham mưu ban hành, đảm bảo tính hợp pháp và phù hợp "
            "với tình hình thực tiễn của tỉnh, của Ngành.",
        ),
        [(SAME, ">=", 100, None, "%")],
    ),
    (
        (L41,),
        [
            (L41_SENTENCES[0], ">=", 100, None, "%"),
            (L41_SENTENCES[1], ">=", 100, None, "%"),
            (L41_SENTENCES[2], ">=", 50, None, "%"),
            (L41_SENTENCES[3], ">=", 50, None, "%"),
            (L41_SENTENCES[4], ">=", 50, None, "%"),
        ],
    ),
    (
        (
            "Tiếp tục rà soát, kiện toàn cơ cấu tổ chức bộ máy theo hướng tinh gọn, nghiên cứu xây "
            "dựng cơ cấu tổ chức Trung tâm Khuyến công và Xúc tiến Thương mại (Trung tâm) đảm bảo "
            "tiêu chí thành lập, phù hợp với thực tiễn và đáp ứng yêu cầu nhiệm vụ.",
        ),
        [],
    ),
    (
        (
            "Công khai, minh bạch đầy đủ các thông tin theo quy định tại Quyết định số 739/QĐUBND "
            "ngày 22/3/2017 của UBND tỉnh ban hành danh mục thông tin công khai minh bạch trên "
            "Cổng thông tin điện tử của Sở. Thực hiện kết nối liên thông cơ sở dữ liệu quản lý "
            "Ngành, qua nền tảng tích hợp và chia sẻ dữ liệu dùng chung LGSP.",
        ),
        [],
    ),
    (
        (L47,),
        [
            (L47.split("; ")[0], ">=", 100, None, "%"),
            (L47.split(". ")[1], ">=", 100, None, "%"),
        ],
    ),
    (
        (
            "Duy trì, cải tiến có hiệu quả hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại "
            "cơ quan Văn phòng Sở và Trung tâm.",
        ),
        [],
    ),
    # --- Phụ lục, column "Mục tiêu/Chỉ tiêu"
    (("Nâng cao chất lượng công tác chỉ đạo điều hành, công tác tham mưu CCHC",), []),
    (
        (PL_I_2,),
        [
            ("Kiểm tra trung tâm và ít nhất 02 phòng chuyên môn thuộc Sở.", ">=", 2, None, "count"),
            ("Tổ chức 01 cuộc kiểm tra đột xuất.", ">=", 1, None, "count"),
        ],
    ),
    (("Chỉ đạo thực hiện rà soát văn bản QPPL",), []),
    (
        (
            "100% văn bản quy phạm pháp luật tham mưu ban hành, đảm bảo tính hợp pháp và phù hợp "
            "với tình hình thực tiễn của tỉnh, của Ngành",
        ),
        [(SAME, ">=", 100, None, "%")],
    ),
    (
        ("100% các văn bản QPPL được kiểm tra, tự kiểm tra kịp thời",),
        [(SAME, ">=", 100, None, "%")],
    ),
    (("100% văn bản QPPL được phổ biến kịp thời",), [(SAME, ">=", 100, None, "%")]),
    (
        (
            "Tiếp tục rà soát, kiến nghị đơn giản tối đa các yêu cầu điều kiện, chi phí tuân thủ "
            "TTHC liên quan đến người dân, doanh nghiệp",
        ),
        [],
    ),
    (
        (
            "100% TTHC thuộc thẩm quyền được giải quyết đúng quy định theo cơ chế một cửa, một cửa "
            "liên thông và được kiểm soát chặt chẽ qua Cổng thông tin dịch vụ công trực tuyến của "
            "tỉnh.",
        ),
        [(SAME, ">=", 100, None, "%")],
    ),
    ((PL_III_3,), [(PL_III_3.split("; ")[0], ">=", 100, None, "%")]),
    (
        (PL_III_4,),
        [
            (PL_III_4.split(". ")[0] + ".", ">=", 100, None, "%"),
            (PL_III_4.split(". ")[1], ">=", 50, None, "%"),
        ],
    ),
    (("Nâng cao tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3 và 4",), []),
    (
        ("Đơn vị sự nghiệp được sắp xếp, kiện toàn cơ cấu tổ chức theo hướng tinh gọn, hiệu quả",),
        [],
    ),
    (("100% CBCC được luân chuyển, chuyển đổi theo quy định",), [(SAME, ">=", 100, None, "%")]),
    (
        ("100% thông tin CBCC,VC được cập nhật kịp thời trên phần mềm",),
        [(SAME, ">=", 100, None, "%")],
    ),
    (("Tuyển dụng thêm 02-03 CBCC",), [(SAME, ">=", 2, 3, "count")]),
    (
        (
            "85% CBCC,VC được đào tạo, bồi dưỡng, cập nhật về trình độ chuyên môn nghiệp vụ, kỹ "
            "năng thực thi công vụ, nhiệm vụ theo vị trí việc làm, kỹ năng sử dụng và ứng dụng "
            "công nghệ thông tin.",
        ),
        [(SAME, ">=", 85, None, "%")],
    ),
    (
        ("100% kinh phí thực hiện được công khai minh bạch, sử dụng tiết kiệm, hiệu quả",),
        [(SAME, ">=", 100, None, "%")],
    ),
    (
        ("100% Nội dung chi được thực hiện theo đúng chế độ quy định",),
        [(SAME, ">=", 100, None, "%")],
    ),
    (
        ("Giảm chi hỗ trợ trực tiếp từ ngân sách nhà nước cho đơn vị sự nghiệp công lập",),
        [],
    ),
    (
        ("Hoàn thiện danh mục và thực trạng các DVCTT mức độ 3,4, Dịch vụ Bưu chính công ích",),
        [],
    ),
    (("Đảm bảo an toàn thông tin trên môi trường mạng của cơ quan",), []),
    (
        (
            "Thực hiện số hóa dữ liệu của cơ quan và thực hiện ứng dụng phần mềm quản lý báo cáo "
            "trực tuyến và cơ sở dữ liệu về chỉ tiêu kinh tế, xã hội theo chỉ đạo của tỉnh",
        ),
        [],
    ),
    (("Nâng cao nhận thức, kỹ năng ứng dụng CNTT của CBCCVC ngành Công Thương",), []),
    (
        ("Tăng khả năng kết nối mạng Internet của cơ quan phục vụ công tác quản lý nhà nước",),
        [],
    ),
    (("Xây dựng phòng họp trực tuyến đáp ứng yêu cầu nhiệm vụ của ngành Công Thương",), []),
    (
        (
            "100% báo cáo định kỳ và văn bản hành chính (trừ văn bản mật và tối mật) của cơ quan "
            "được trao đổi trực tuyến trong nội bộ và giữa các cơ quan với nhau, tiến tới",
            "không chuyên văn bản giấy",
        ),
        [(SAME, ">=", 100, None, "%")],
    ),
    (
        ("Duy trì, cải tiến Hệ thống quản lý chất lượng tại cơ quan Văn phòng Sở và Trung tâm",),
        [],
    ),
    (
        (
            "Rà soát, sửa đổi, bổ sung, tham mưu Ủy ban nhân tỉnh Quyết định ban hành Danh mục, "
            "quy trình nội bộ TTHC đáp ứng yêu cầu",
        ),
        [],
    ),
    (
        (
            "Rà soát các hoạt động nội bộ không liên quan đến giải quyết TTHC để xây dựng thành "
            "quy trình nội bộ dùng chung cho cơ quan và riêng cho từng bộ phận đáp ứng yêu cầu",
        ),
        [],
    ),
]


def _as_tuples(text: str) -> list[tuple]:
    return [(m.text, m.comparator, m.value, m.stretch, m.unit) for m in extract_measures(text)]


def _expected(text: str, spec: list[tuple]) -> list[tuple]:
    return [
        (text if s is SAME else s, c, float(v), None if w is None else float(w), u)
        for s, c, v, w, u in spec
    ]


@pytest.mark.parametrize("pieces,spec", SEED_TARGETS, ids=[p[0][:40] for p, _ in SEED_TARGETS])
def test_seed_target(pieces, spec):
    text = " ".join(pieces)
    assert _as_tuples(text) == _expected(text, spec)


def test_seed_targets_are_verbatim_and_complete(seed_path):
    """Every target above is in the seed; the seed has no target missing from the list."""
    raw = seed_path.read_text(encoding="utf-8")
    flat = " ".join(raw.split())
    for pieces, _ in SEED_TARGETS:
        for piece in pieces:
            assert piece in flat, piece
    lines = raw.splitlines()
    row_targets = [c[1] for c in (ln.split("\t") for ln in lines) if c[0].strip().isdigit()]
    listed = {" ".join(p) for p, _ in SEED_TARGETS}
    firsts = {p[0] for p, _ in SEED_TARGETS}
    assert all(t in listed or t in firsts for t in row_targets)
    assert len(row_targets) == 29
    assert len(SEED_TARGETS) == 2 + 9 + 29


def test_bullet_of_seed_with_marker_and_nfd():
    text = "- " + unicodedata.normalize("NFD", L41)
    got = extract_measures(text)
    assert [m.text for m in got] == L41_SENTENCES
    assert all(unicodedata.is_normalized("NFC", m.text) for m in got)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Phấn đấu 60% hồ sơ được giải quyết trực tuyến", (">=", 60, None, "%")),
        ("Không quá 5% hồ sơ trễ hạn", ("<=", 5, None, "%")),
        ("Tối đa 3% hồ sơ giải quyết quá hạn", ("<=", 3, None, "%")),
        ("Tỷ lệ hồ sơ trễ hạn dưới 2%", ("<=", 2, None, "%")),
        ("Số hồ sơ trễ hạn từ 5 hồ sơ trở xuống", ("<=", 5, None, "count")),
        ("Phấn đấu tăng 2 bậc", (">=", 2, None, "rank")),
        ("Chỉ số CCHC tăng 3 hạng so với năm 2021", (">=", 3, None, "rank")),
        ("Tỷ lệ hài lòng đạt 95% trở lên", (">=", 95, None, "%")),
        ("Tỷ lệ hài lòng trên 90%", (">=", 90, None, "%")),
        ("Tỷ lệ hồ sơ trực tuyến đạt 80%-90%", (">=", 80, 90, "%")),
        ("Tỷ lệ hồ sơ trực tuyến đạt 80 - 90 %", (">=", 80, 90, "%")),
        ("Giải quyết 15,5% hồ sơ qua bưu chính", (">=", 15.5, None, "%")),
        ("Tiếp nhận ít nhất 1.200 hồ sơ trực tuyến", (">=", 1200, None, "count")),
        ("Ban hành tối thiểu 08-10 quy trình nội bộ.", (">=", 8, 10, "count")),
        ("Tổ chức từ 3 đến 5 lớp tập huấn", (">=", 3, 5, "count")),
        ("Tổ chức đúng 12 cuộc giao ban trong năm", ("=", 12, None, "count")),
        ("Tỷ lệ giải ngân bằng 100% kế hoạch vốn", ("=", 100, None, "%")),
        ("Đăng tải ít nhất 20 tin, bài về CCHC", (">=", 20, None, "count")),
        ("Tối thiểu 4 buổi đối thoại với doanh nghiệp", (">=", 4, None, "count")),
        ("Tổng số 50 hồ sơ được số hóa", (">=", 50, None, "count")),
        ("Tuyen dung them 02-03 CBCC", (">=", 2, 3, "count")),  # diacritics lost
        ("TUYỂN DỤNG THÊM 02-03 CBCC", (">=", 2, 3, "count")),
    ],
)
def test_other_phrasings(text, expected):
    got = extract_measures(text)
    assert len(got) == 1, got
    m = got[0]
    c, v, w, u = expected
    assert (m.comparator, m.value, m.stretch, m.unit) == (c, v, w, u)
    assert m.text == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Nghị định số 130/2005/NĐ-CP ngày 17/10/2005 của Chính phủ",
        "Quán triệt Nghị quyết số 05-NQ/TU ngày 22/10/2021 của Ban Chấp hành Đảng bộ tỉnh",
        "Kết luận số 29 KL/TU ngày 22/7/2021 của Ban Thường vụ Tỉnh ủy",
        "Chương trình tổng thể giai đoạn 2021-2030, tầm nhìn đến năm 2030",
        "Áp dụng TCVN ISO 9001:2015 tại cơ quan",
        "Dịch vụ công trực tuyến mức độ 3 và 4",
        "Kế hoạch CCHC năm 2022",
        "Thực hiện trong 3 tháng",
        "Kinh phí 50 triệu đồng",
        "Bán 10 hàng hóa",
        "Tại TP. Hà Tĩnh và TX. Hồng Lĩnh",
        "",
    ],
)
def test_not_measures(text):
    assert extract_measures(text) == ()


@pytest.mark.parametrize(
    "text", ["Sử dụng 3 phần mềm", "Xây dựng bảng 3 chỉ tiêu", "Ứng dụng 2 mô hình"]
)
def test_exact_only_with_diacritics(text):
    """ "dụng"/"bảng" fold like "đúng"/"bằng" but do not make a count exact."""
    assert [m.comparator for m in extract_measures(text)] in ([">="], [])
    assert extract_measures("Tổ chức dung 12 cuộc")[0].comparator == ">="


def test_sentence_splitting_keeps_numbers_and_brackets_whole():
    text = (
        "Đạt 15,5% và 1.200 hồ sơ theo TCVN ISO 9001:2015. Tại TP. Hà Tĩnh (xem mục a; b). Kết thúc"
    )
    assert _sentences(text) == [
        "Đạt 15,5% và 1.200 hồ sơ theo TCVN ISO 9001:2015.",
        "Tại TP. Hà Tĩnh (xem mục a; b).",
        "Kết thúc",
    ]
    got = extract_measures(text)
    assert [(m.value, m.unit) for m in got] == [(15.5, "%"), (1200.0, "count")]
    assert {m.text for m in got} == {"Đạt 15,5% và 1.200 hồ sơ theo TCVN ISO 9001:2015."}


def test_counted_nouns_is_data():
    assert isinstance(COUNTED_NOUNS, tuple)
    assert {"sáng kiến", "phòng", "CBCC", "quy trình", "cuộc"} <= set(COUNTED_NOUNS)
    assert all(unicodedata.is_normalized("NFC", n) for n in COUNTED_NOUNS)


@given(st.text())
def test_never_raises_on_any_text(text):
    for m in extract_measures(text):
        assert m.comparator in (">=", "=", "<=")
        assert m.unit in ("%", "count", "rank")
        assert m.text and m.text == m.text.strip()
        assert unicodedata.is_normalized("NFC", m.text) or not unicodedata.is_normalized(
            "NFC", m.text[:1]
        )


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["ít nhất", "tối thiểu", "không quá", "phấn đấu", "năm", "số", "-"]),
            st.from_regex(re.compile(r"[0-9]{1,4}([.,][0-9]{1,3})?%?"), fullmatch=True),
            st.sampled_from(COUNTED_NOUNS + ("bậc", "hạng", ".", ";", "/", ":", "(", ")")),
        ),
        max_size=12,
    )
)
def test_never_raises_on_target_like_text(words):
    for m in extract_measures(" ".join(words)):
        assert m.value >= 0
        assert m.stretch is None or m.stretch != m.value


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Chỉ số CCHC của huyện nằm trong nhóm 05 đơn vị dẫn đầu của tỉnh.",
            [("<=", 5, None, "rank")],
        ),
        ("Phấn đấu trong top 10 đơn vị có Chỉ số CCHC cao nhất.", [("<=", 10, None, "rank")]),
        ("Chỉ số CCHC của tỉnh xếp thứ 20 trở lên.", [("<=", 20, None, "rank")]),
        (
            "Phấn đấu tăng 2 bậc, nằm trong nhóm 10 đơn vị dẫn đầu.",
            [(">=", 2, None, "rank"), ("<=", 10, None, "rank")],
        ),
        # a group that is not a ranking stays a count
        ("Kiểm tra ít nhất 05 đơn vị trong nhóm trường học.", [(">=", 5, None, "count")]),
    ],
)
def test_places_on_the_ranking(text, expected):
    got = [(m.comparator, m.value, m.stretch, m.unit) for m in extract_measures(text)]
    assert got == expected
