"""``cchc template``: write the monthly Excel workbook units fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from cchc_lib.errors import CchcError
from cchc_lib.monthly.cells import parse_month


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help="tạo biểu mẫu Excel số liệu CCHC hằng tháng",
        description="Tạo tệp Excel để các phòng, đơn vị điền tiến độ nhiệm vụ, chỉ số và "
        "thuyết minh của một tháng.",
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument("--month", required=True, help="tháng của số liệu, dạng YYYY-MM (vd 2022-03)")
    p.add_argument("-o", "--output", required=True, help="tệp Excel đích (vd 2022-03.xlsx)")
    p.add_argument(
        "--from",
        dest="previous",
        help="tệp số liệu tháng trước: chép sẵn trạng thái, tỷ lệ, ngày hoàn thành, kết quả",
    )
    p.add_argument("--force", action="store_true", help="ghi đè tệp đích nếu đã có")
    p.set_defaults(func=cmd_template)


def cmd_template(args: argparse.Namespace) -> int:
    from cchc_lib.monthly.template import write_template
    from cchc_lib.plan import load_plan

    try:
        parse_month(args.month)
    except ValueError as exc:
        raise CchcError(f"Tham số --month: {exc}.") from None
    out = Path(args.output)
    if out.exists() and not args.force:
        raise CchcError(f"Tệp {out} đã có. Chọn tên khác hoặc thêm --force để ghi đè.")
    if args.previous and not Path(args.previous).is_file():
        raise CchcError(f"Không tìm thấy tệp tháng trước {args.previous} (tham số --from).")
    if out.suffix.lower() != ".xlsx":
        raise CchcError(f"Tệp đích {out} phải có đuôi .xlsx.")
    plan = load_plan(args.plan)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_template(plan, args.month, out, previous=args.previous)
    print(f"Đã tạo biểu mẫu {out} ({len(plan.tasks)} nhiệm vụ, tháng {args.month}).")
    if out.name != f"{args.month}.xlsx":
        print(f"Lưu ý: khi nộp, tệp phải mang tên {args.month}.xlsx.")
    return 0
