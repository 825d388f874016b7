"""Build the committed notebooks (no outputs)."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = """# Tham số báo cáo (papermill ghi đè ô này bằng một tệp trong parameters/).
report = "2022-Q1"  # kỳ báo cáo: 2022-Q1, 2022-H1, 2022-Q3, 2022-Y
plan = "data/plan/000_04455437811e3eec.txt"  # kế hoạch CCHC (.txt hoặc .docx)
data = "data/2022"  # thư mục số liệu hằng tháng YYYY-MM.xlsx
window_rule = "official"  # official: 15 tháng trước - 14 tháng cuối kỳ; calendar: tháng dương lịch
report_number = ""  # số báo cáo (để trống: điền tay khi ký)
report_date = ""  # ngày báo cáo, YYYY-MM-DD (để trống: tính theo kỳ báo cáo)
signer_title = ""  # để trống: theo chữ ký của kế hoạch (ví dụ "GIÁM ĐỐC", "KT. GIÁM ĐỐC")
signer_position = ""  # ví dụ "PHÓ GIÁM ĐỐC" khi signer_title là "KT. GIÁM ĐỐC"
signer_name = ""  # để trống: người ký kế hoạch
recipients = []  # nơi nhận (để trống: cơ quan cấp trên, Sở Nội vụ, Lưu: VT)
agency = ""  # để trống: lấy theo kế hoạch
parent_agency = ""  # để trống: lấy theo kế hoạch
draft = True  # True: đánh dấu "DỰ THẢO" và tô các đoạn do phần mềm viết; False: bản trình ký
docx_base = ""  # tệp Word mẫu định dạng (để trống: mẫu có sẵn)
dossiers = ""  # thư mục tệp hồ sơ xuất từ hệ thống một cửa (để trống: <data>/ho-so nếu có)
previous_year_data = ""  # thư mục số liệu năm trước (để trống: data/<năm trước> nếu có)
output_dir = "output"
formats = ["html", "pdf", "docx"]"""


def nb(cells):
    n = new_notebook(cells=cells)
    n.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return n


report = nb(
    [
        new_markdown_cell(
            "**Báo cáo CCHC.** Chạy tất cả các ô để xem báo cáo; `cchc run` dùng chính sổ này để xuất HTML và PDF. Ô ghi chú này không in ra báo cáo.",
            metadata={"tags": ["remove"]},
        ),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from cchc_lib.report import build_report\n\n"
            "doc = build_report(\n"
            "    report=report, plan=plan, data=data, window_rule=window_rule,\n"
            "    report_number=report_number, report_date=report_date,\n"
            "    signer_title=signer_title, signer_position=signer_position, signer_name=signer_name,\n"
            "    recipients=recipients, agency=agency, parent_agency=parent_agency, draft=draft,\n"
            "    docx_base=docx_base, dossiers=dossiers, previous_year_data=previous_year_data,\n"
            "    formats=formats,\n"
            ")"
        ),
        # what to check before signing: shown here and in `cchc run`'s summary, never printed
        new_code_cell("doc.checks()", metadata={"tags": ["remove"]}),
        new_code_cell("doc.header()"),
        new_code_cell("doc.direction()"),
        new_code_cell("doc.results()"),
        new_code_cell("doc.assessment()"),
        new_code_cell("doc.next_period()"),
        new_code_cell("doc.proposals()"),
        new_code_cell("doc.signature()"),
        new_code_cell("doc.appendix_tasks()"),
        new_code_cell("doc.appendix_statistics()"),
        new_code_cell("doc.appendix_dossiers()"),
    ]
)
nbformat.write(report, "notebooks/report.ipynb")

EXPLORE_PARAMS = """# Tham số khám phá số liệu.
report = "2022-H1"  # kỳ bất kỳ: 2022-03, 2022-Q2, 2022-9M, 2022-Y, ...
plan = "data/plan/000_04455437811e3eec.txt"
data = "data/2022"
window_rule = "official"
unit = ""  # đơn vị cần xem, chủ trì hoặc phối hợp, tên đầy đủ hoặc viết tắt (để trống: tất cả)"""

explore = nb(
    [
        new_markdown_cell(
            "# Khám phá số liệu CCHC\nBảng và biểu đồ của một kỳ bất kỳ, lọc theo đơn vị "
            "(các nhiệm vụ đơn vị chủ trì hoặc phối hợp)."
        ),
        new_code_cell(EXPLORE_PARAMS, metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from cchc_lib import explore\n\nview = explore.load(report=report, plan=plan, data=data, window_rule=window_rule, unit=unit)"
        ),
        new_code_cell("view.summary_by_unit()"),
        new_code_cell("view.tasks()"),
        new_markdown_cell(
            "Các nhiệm vụ chậm (quá hạn chưa hoàn thành, hoặc hoàn thành sau thời hạn):"
        ),
        new_code_cell("view.late_tasks()"),
        new_code_cell("view.indicators()"),
        new_code_cell("view.monthly()"),
        new_code_cell("view.targets()"),
        new_code_cell("view.chart_dossiers()"),
        new_code_cell("view.chart_status()"),
    ]
)
nbformat.write(explore, "notebooks/explore.ipynb")
