"""Each report section on a tiny context built in code: one fragment, one assertion.

The figures come from ``tests/fixtures/tiny.py`` (Q1 2022: one task done on time, one done
late, one recurring, one not yet due; three months of 100 dossiers), never from the bundled
sample data, so changing that data moves none of these tests.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from tiny import tiny_context

from cchc_lib.report import sections


def text_of(fragment: object) -> str:
    """The words of a section's HTML (tags and extra spaces dropped)."""
    html = re.sub(r"<style>.*?</style>|<p class=\"draft-mark\">.*?</p>", "", str(fragment))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def ctx():
    return tiny_context()


def test_header(ctx) -> None:
    assert text_of(sections.header(ctx)).startswith(
        "UBND TỈNH MẪU SỞ THỬ NGHIỆM Số: /BC-STN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Mẫu, ngày 14 tháng 3 năm 2022 BÁO CÁO "
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022"
    )


def test_direction_counts_the_tasks(ctx) -> None:
    text = text_of(sections.direction(ctx))
    assert "Kế hoạch có 4 nhiệm vụ: đã hoàn thành 2 (đúng hạn 1, chậm so với kế hoạch 1)" in text


def test_results_lists_the_task_done_in_the_period(ctx) -> None:
    text = text_of(sections.results(ctx))
    assert (
        "Rà soát thủ tục hành chính (Văn phòng Sở chủ trì, hoàn thành ngày 10 tháng 3 năm 2022): "
        "Báo cáo rà soát 12 TTHC" in text
    )


def test_assessment_quotes_the_dossiers(ctx) -> None:
    text = text_of(sections.assessment(ctx))
    assert "Tiếp nhận 300 hồ sơ TTHC, trong đó 60% tiếp nhận trực tuyến" in text


def test_next_period(ctx) -> None:
    assert "1 nhiệm vụ thực hiện thường xuyên" in text_of(sections.next_period(ctx))


def test_proposals_close_the_body(ctx) -> None:
    assert text_of(sections.proposals(ctx)).endswith(
        "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2022 "
        "của Sở Thử Nghiệm./."
    )


def test_signature(ctx) -> None:
    assert text_of(sections.signature(ctx)) == (
        "Nơi nhận: - UBND tỉnh; - Sở Nội vụ; - Lưu: VT. GIÁM ĐỐC Trần Văn Mẫu"
    )


def test_appendix_tasks_row(ctx) -> None:
    text = text_of(sections.appendix_tasks(ctx))
    assert (
        "II.1.1 Rà soát thủ tục hành chính Văn phòng Sở Tháng 02 Hoàn thành 100 10/3/2022 "
        "Báo cáo rà soát 12 TTHC Hoàn thành chậm so với kế hoạch" in text
    )


def test_appendix_statistics_row(ctx) -> None:
    text = text_of(sections.appendix_statistics(ctx))
    assert "10 Số hồ sơ tiếp nhận hồ sơ 300 — —" in text
