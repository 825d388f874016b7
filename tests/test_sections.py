"""Each rule of the report's wording on tiny contexts built in code (DOMAIN §4).

The figures come from ``tests/fixtures/tiny.py`` (quý I 2022: a task done on time, one done
late, one due before 31/3 after the cut-off, one not yet due, one not started, one recurring;
three months of 100 dossiers), never from the bundled sample data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape

import pytest
from tiny import (
    TASKS,
    month,
    plan,
    row,
    task,
    tiny_context,
    tiny_months,
    with_meta,
)

from cchc_lib.report import sections
from cchc_lib.report.builder import BODY, Report
from cchc_lib.report.doc import Paragraph


def text_of(fragment: object) -> str:
    """The words of a section's HTML (tags, styles and extra spaces dropped)."""
    html = re.sub(r"<style>.*?</style>|<p class=\"draft-mark\">.*?</p>", "", str(fragment))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def report() -> Report:
    return Report(tiny_context())


def body_text(report: Report) -> str:
    return " ".join(text_of(getattr(report, name)()) for name in BODY)


# --- the frame ------------------------------------------------------------------


def test_header_block_and_subject(report) -> None:
    assert text_of(report.header()).startswith(
        "UBND TỈNH MẪU SỞ THỬ NGHIỆM Số: /BC-STN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Mẫu, ngày 14 tháng 3 năm 2022 BÁO CÁO "
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022"
    )


def test_opening_cites_the_basis_and_the_plan_with_the_data_window() -> None:
    p = with_meta(
        plan(TASKS),
        number="/KH-STN",
        basis=("Kế hoạch số 520/KH-UBND ngày 24/12/2021 của UBND tỉnh",),
    )
    opening = text_of(sections.header(tiny_context(the_plan=p))).split("quý I năm 2022 ", 1)[1]
    assert opening == (
        "Thực hiện Kế hoạch số 520/KH-UBND ngày 24/12/2021 của UBND tỉnh và Kế hoạch số "
        "…/KH-STN ngày 10/01/2022 của Sở Thử Nghiệm về cải cách hành chính (CCHC) năm 2022, "
        "Sở Thử Nghiệm báo cáo kết quả thực hiện công tác CCHC quý I năm 2022 (số liệu tính "
        "từ ngày 15/12/2021 đến ngày 14/3/2022) như sau:"
    )


def test_a_blank_plan_number_is_the_one_its_issuing_task_cites() -> None:
    """The signed plan's number, stamped by hand, is missing from its text; the completed task
    that issued the plan cites it (same date, same kind of document)."""
    p = with_meta(plan(TASKS), number="/KH-STN")
    jan, feb, mar = tiny_months()

    def with_result(text: str) -> str:
        progress = tuple(
            replace(x, status="done", result=text, completed_on=date(2022, 1, 10))
            if x.task_id == "I.1.1"
            else x
            for x in mar.progress
        )
        months = (jan, feb, replace(mar, progress=progress))
        return text_of(sections.header(tiny_context(months=months, the_plan=p)))

    assert "Kế hoạch số 07/KH-STN ngày 10/01/2022" in with_result(
        "Đã ban hành Kế hoạch số 07/KH-STN ngày 10/01/2022"
    )
    # another date, or another kind of document: the number stays to be filled in
    for other in ("Đã ban hành Kế hoạch số 07/KH-STN ngày 12/01/2022", "Công văn số 07/STN-VP"):
        assert "Kế hoạch số …/KH-STN ngày 10/01/2022" in with_result(other)


def test_signature_and_default_recipients(report) -> None:
    assert text_of(report.signature()) == (
        "Nơi nhận: - UBND tỉnh; - Sở Nội vụ; - Lưu: VT. GIÁM ĐỐC Trần Văn Mẫu"
    )
    own = sections.signature(tiny_context(recipients=()))
    assert text_of(own).startswith("Nơi nhận: - UBND tỉnh Mẫu; - Sở Nội vụ; - Lưu: VT.")


# --- figures framed honestly ------------------------------------------------------


def test_headline_counts_time_bound_tasks_apart_from_recurring_ones(report) -> None:
    text = text_of(report.direction())
    assert (
        "Tính đến ngày 14/3/2022, trong 05 nhiệm vụ có thời hạn, có 02 nhiệm vụ đã đến hạn "
        "(hoàn thành đúng hạn 01, hoàn thành chậm 01); 01 nhiệm vụ đến hạn trước ngày 31/3/2022 (đang thực hiện 01); "
        "02 nhiệm vụ chưa "
        "đến hạn (đang thực hiện 01, chưa triển khai 01). 01 nhiệm vụ thường xuyên được triển "
        "khai theo kế hoạch." in text
    )
    assert "%" not in text.split("3. Kết quả thực hiện")[1].split("Lĩnh vực")[0]


def test_annual_headline() -> None:
    dec = month(
        "2022-12",
        [
            row("I.1.1", "done", date(2022, 1, 18), 100),
            row("I.2.1", "in_progress", None, 90),
            row("I.3.1", "done", date(2022, 9, 20), 100),
            row("II.1.1", "done", date(2022, 3, 10), 100),
            row("II.2.1", "done", date(2022, 9, 1), 100),
            row("II.3.1", "done", date(2022, 3, 30), 100),
        ],
    )
    text = text_of(sections.direction(tiny_context("2022-Y", (*tiny_months(), dec))))
    assert (
        "Năm 2022, đã hoàn thành 05/05 nhiệm vụ có thời hạn (04 đúng hạn, 01 chậm); 01 nhiệm "
        "vụ thường xuyên được triển khai trong năm." in text
    )


def test_not_started_is_its_own_column(report) -> None:
    table = next(b for b in report.direction().blocks if getattr(b, "name", "") == "by-area")
    labels = [c.runs[0].text for c in table.header[1].cells]
    assert labels[-2:] == ["Đang thực hiện", "Chưa triển khai"]
    total = [c.runs[0].text for c in table.body[-1].cells]
    assert total == ["Tổng cộng", "6", "1", "5", "1", "1", "0", "2", "1"]


def test_a_task_due_after_the_cut_off_is_listed_as_due_before_the_month_end(report) -> None:
    text = text_of(report.results())
    assert (
        "Nhiệm vụ đến hạn trước ngày 31/3/2022: - Công bố danh mục TTHC được tiếp nhận trực "
        "tuyến (Văn phòng Sở chủ trì; thời hạn: quý I): đang thực hiện, đạt khoảng 50% khối "
        "lượng công việc." in text
    )


def test_a_late_completion_is_said_to_be_late(report) -> None:
    assert "hoàn thành ngày 10/3/2022, chậm so với thời hạn (tháng 02)" in text_of(report.results())


def test_zero_counts_said_as_a_person_would(report) -> None:
    assert (
        "Trong quý I năm 2022, Sở chưa tổ chức kiểm tra công tác CCHC tại các phòng, đơn vị "
        "(kế hoạch: ít nhất 02 phòng, đơn vị, dự kiến quý III)" in text_of(report.direction())
    )


def test_ratio_targets_state_their_denominator(report) -> None:
    assert (
        "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98% hồ sơ: đạt (294/300 hồ sơ đã giải quyết, 98%; "
        "kế hoạch: ít nhất 98%)." in text_of(report.results())
    )
    stats = text_of(report.appendix_statistics())
    assert "294/300 hồ sơ đã giải quyết (98%) Đạt" in stats


# --- the words ---------------------------------------------------------------------


FORBIDDEN = (
    "thư mục dữ liệu",
    "theo số liệu báo cáo",
    "Chưa có chỉ số",
    "không có đề xuất",
    "Tối thiểu 100%",
    "phần mềm lập",
    ".xlsx",
)


def test_no_software_words_no_internal_ids_in_the_body(report) -> None:
    text = body_text(report)
    for phrase in FORBIDDEN:
        assert phrase not in text, phrase
    assert not re.search(r"\b[IVX]+\.\d+\.\d+", text)


def test_abbreviations_spelled_out_at_first_use(report) -> None:
    text = body_text(report)
    first = text.index("thủ tục hành chính (TTHC)")
    assert "TTHC" not in text[:first]
    assert text.count("(TTHC)") == 1 and text.count("(CCHC)") == 1


def test_task_names_are_never_clipped(report) -> None:
    text = body_text(report)
    assert "…" not in text.replace("…/", "")


def test_annual_section_iv_is_about_next_year() -> None:
    ctx = tiny_context("2022-Y")
    assert text_of(sections.next_period(ctx)).startswith("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023")
    assert "Kế hoạch CCHC năm 2023" in text_of(sections.next_period(ctx))
    assert text_of(sections.next_period(tiny_context())).startswith(
        "IV. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ II NĂM 2022"
    )


def test_next_period_draft_names_the_task_due_before_the_month_end(report) -> None:
    assert (
        "- Hoàn thành trước ngày 31/3/2022 nhiệm vụ “Công bố danh mục TTHC được tiếp nhận trực "
        "tuyến”." in text_of(report.next_period())
    )


def test_drafted_proposals_name_their_addressee(report) -> None:
    text = text_of(report.proposals())
    assert "- Đề nghị UBND tỉnh Mẫu, Sở Nội vụ tiếp tục tổ chức tập huấn" in text
    assert "cấp có thẩm quyền" not in text
    assert text.endswith(
        "Trên đây là báo cáo kết quả thực hiện công tác CCHC quý I năm 2022 của Sở Thử Nghiệm./."
    )


# --- the analyst's text, drafts and marks -----------------------------------------


NARRATIVE = {
    "uu_diem": "Ưu điểm do chuyên viên viết.",
    "ton_tai": "Tồn tại do chuyên viên viết.",
    "nguyen_nhan": "Nguyên nhân do chuyên viên viết.",
    "nhiem_vu_ky_toi": "Nhiệm vụ do chuyên viên viết.",
    "de_xuat": "Đề xuất do chuyên viên viết.",
}


def _with_narrative(month_label: str) -> Report:
    months = [
        replace(m, narrative=tuple(NARRATIVE.items())) if m.month == month_label else m
        for m in tiny_months()
    ]
    return Report(tiny_context(months=tuple(months)))


def test_the_narrative_of_the_last_month_is_used() -> None:
    text = body_text(_with_narrative("2022-03"))
    for words in NARRATIVE.values():
        assert words in text


def test_an_empty_last_month_gives_drafts_never_an_earlier_months_text() -> None:
    report = _with_narrative("2022-02")  # February wrote it, March is empty
    text = body_text(report)
    for words in NARRATIVE.values():
        assert words not in text
    for name in ("assessment", "next_period", "proposals"):
        generated = [
            b for b in getattr(report, name)().blocks if isinstance(b, Paragraph) and b.generated
        ]
        assert generated, name


def test_draft_marks_on_and_off() -> None:
    draft = str(sections.header(tiny_context()))
    final = str(sections.header(tiny_context(draft=False)))
    assert "DỰ THẢO" in draft and "p.generated" in draft
    assert "DỰ THẢO" not in final and "generated" not in final


def test_appendix_tasks_numbers_rows_as_the_plan_does(report) -> None:
    text = text_of(report.appendix_tasks())
    assert (
        "1 Rà soát thủ tục hành chính Văn phòng Sở Tháng 02 Hoàn thành chậm 10/3/2022 "
        "Báo cáo rà soát 12 TTHC" in text
    )
    assert "II.1.1" not in text


# --- what the analyst checks: never in the report ------------------------------------


def test_checks_are_shown_to_the_analyst_and_never_printed():
    import nbformat

    from cchc_lib.errors import Problem
    from cchc_lib.report.notebook import CHECKS_MIME, notebook_blocks, notebook_checks

    warning = Problem(
        "data/2022/2022-03.xlsx",
        "nhiệm vụ I.1.1 “Hoàn thành” nhưng kết quả ghi “Đang thực hiện”",
        "ghi kết quả đã hoàn thành",
        sheet="Tiến độ",
        row=5,
        severity="warning",
    )
    ctx = replace(tiny_context(), warnings=(warning,), notes=("Chưa có số liệu năm 2021.",))
    report = Report(ctx)
    checks = report.checks()
    assert list(checks) == [str(warning), "Chưa có số liệu năm 2021."]
    bundle = checks._repr_mimebundle_()
    assert bundle[CHECKS_MIME]["items"] == list(checks)
    assert "Cần kiểm tra trước khi ký (2)" in bundle["text/plain"]
    assert "text/html" not in bundle  # the HTML export keeps only HTML outputs
    whole = report.all_sections()
    assert "2022-03.xlsx" not in whole.html and "Đang thực hiện”" not in whole.text()
    # through a notebook: the runner reads them back; the Word file's blocks leave them out
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[nbformat.v4.new_output("execute_result", data=bundle)]
            )
        ]
    )
    assert notebook_checks(nb) == list(checks)
    assert notebook_blocks(nb) == []


# --- the units' words, said once and as an official would -------------------------------


def _q1_with(results: dict[str, str], extra: tuple = ()) -> Report:
    """The tiny quarter with March's results replaced and more recurring tasks."""
    tasks = TASKS + extra
    jan, feb, mar = tiny_months()
    progress = [replace(p, result=results.get(p.task_id, p.result)) for p in mar.progress]
    progress += [row(t.id, "in_progress", None, 25, results.get(t.id, "")) for t in extra]
    months = (jan, feb, replace(mar, progress=tuple(progress)))
    return Report(tiny_context(months=months, the_plan=plan(tasks)))


def test_recurring_work_said_once_without_filler() -> None:
    same = "Cập nhật, công khai TTHC trên Cổng dịch vụ công của tỉnh."
    extra = (
        task("II.4.1", "II", ongoing=True, name="Công khai TTHC"),
        task("II.5.1", "II", ongoing=True, name="Kiểm soát TTHC"),
        task("II.6.1", "II", ongoing=True, name="Duy trì một cửa"),
    )
    results = {
        "II.4.1": same,
        "II.5.1": same.upper().lower().capitalize(),  # the same sentence, other case
        "II.6.1": "Thực hiện theo kế hoạch, không phát sinh vướng mắc.",
    }
    text = body_text(_q1_with(results, extra))
    said = text.split("Các nhiệm vụ thường xuyên được triển khai theo kế hoạch: ")[-1]
    assert said.lower().count("công khai tthc trên cổng dịch vụ công") == 1
    assert "không phát sinh vướng mắc" not in text


def _q1_monthly(texts: tuple[str, str, str]) -> str:
    """The tiny quarter with one more recurring task, reported each month with ``texts``."""
    extra = task("II.4.1", "II", ongoing=True, name="Tuyên truyền về CCHC trên Trang thông tin")
    months = []
    for m, text in zip(tiny_months(), texts, strict=True):
        more = row(extra.id, "in_progress", None, 25, text)
        months.append(replace(m, progress=(*m.progress, more)))
    report = Report(tiny_context(months=tuple(months), the_plan=plan((*TASKS, extra))))
    return body_text(report) + " ¶ " + text_of(report.appendix_tasks())


def test_a_monthly_result_is_not_quoted_as_the_whole_period() -> None:
    # each month's count differs: the quarter is not "đăng 05 tin, bài" (March's only)
    text = _q1_monthly(
        (
            "Đăng 02 tin, bài về CCHC tại cuộc họp giao ban tháng 1.",
            "Đăng 03 tin, bài về CCHC tại cuộc họp giao ban tháng 2.",
            "Đăng 05 tin, bài về CCHC tại cuộc họp giao ban tháng 3.",
        )
    )
    prose, appendix = text.split(" ¶ ")
    assert "hằng tháng đăng tin, bài về CCHC tại cuộc họp giao ban" in prose
    assert "05 tin" not in text and "giao ban tháng" not in text
    assert "Hằng tháng đăng tin, bài về CCHC tại cuộc họp giao ban" in appendix
    # the same count every month is a monthly figure
    same = _q1_monthly(("Đăng 02 tin, bài về CCHC.",) * 3)
    assert "hằng tháng đăng 02 tin, bài về CCHC" in same
    # months that say different things: the task's name, not one month's words
    other = _q1_monthly(("Rà soát văn bản.", "Họp tổ công tác.", "Đăng 05 tin, bài về CCHC."))
    prose, appendix = other.split(" ¶ ")
    assert "05 tin" not in prose and "tuyên truyền về CCHC trên Trang thông tin" in prose
    assert "Tháng 3/2022: đăng 05 tin, bài về CCHC" in appendix  # March's words, said as such
    # the same words without a count: quoted as written, not "hằng tháng"
    plain = _q1_monthly(("Cập nhật TTHC trên Cổng dịch vụ công.",) * 3)
    assert "hằng tháng cập nhật" not in plain and "cập nhật TTHC trên Cổng dịch vụ công" in plain


def test_a_done_task_whose_result_gives_the_date_does_not_repeat_it() -> None:
    r = _q1_with({"II.1.1": "Đã ban hành Báo cáo số 12/BC-STN ngày 10/03/2022"})
    text = body_text(r)
    assert (
        "- Rà soát thủ tục hành chính (TTHC): đã ban hành Báo cáo số 12/BC-STN ngày 10/03/2022."
        in text
        or "chậm so với thời hạn" in text.split("Rà soát thủ tục hành chính (TTHC):")[1][:80]
    )
    on_time = _q1_with({"I.1.1": "Đã ban hành Kế hoạch số 05/KH-STN ngày 18/01/2022"})
    assert (
        "- Xây dựng Kế hoạch CCHC năm 2022: đã ban hành Kế hoạch số 05/KH-STN ngày 18/01/2022."
        in body_text(on_time)
    )


def test_deadline_words_are_lower_case_inside_a_sentence() -> None:
    from cchc_lib.report.sections.common import deadline_words

    p = plan((task("I.9.1", end=date(2022, 6, 30), raw="Quý I – Quý II năm 2022"),))
    ctx = tiny_context(the_plan=p, months=(month("2022-01"), month("2022-02"), month("2022-03")))
    assert deadline_words(ctx, ctx.results.task("I.9.1")) == "quý I – quý II năm 2022"


def test_percent_changes_are_the_difference_of_the_printed_figures() -> None:
    from cchc_lib.report.sections.appendices import _change
    from cchc_lib.report.sections.tasks import _change as said

    assert said(67.66, 68.02, "%") == "giảm 0,3 điểm phần trăm"  # 67,7% against 68,0%
    assert said(88.74, 88.71, "%") == "tương đương"
    assert _change(0.0, pct=True) == "0,0 điểm %"
