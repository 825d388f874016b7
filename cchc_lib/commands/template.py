"""``cchc template``: write the monthly Excel workbook units fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from cchc_lib.errors import CchcError, WriteError
from cchc_lib.monthly.cells import parse_month


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help="tạo biểu mẫu Excel số liệu CCHC hằng tháng (cả cơ quan hoặc một đơn vị)",
        description="Tạo tệp Excel để các phòng, đơn vị điền tiến độ nhiệm vụ, chỉ số và "
        "thuyết minh của một tháng. Với --unit: biểu mẫu riêng của một đơn vị (các nhiệm vụ "
        "đơn vị chủ trì, các chỉ số đơn vị báo), lưu trong thư mục của tháng.",
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument("--month", required=True, help="tháng của số liệu, dạng YYYY-MM (vd 2022-03)")
    p.add_argument("--unit", help='đơn vị (vd "Thanh tra Sở"): biểu mẫu riêng của đơn vị đó')
    p.add_argument(
        "-o",
        "--output",
        help="tệp Excel đích (mặc định: YYYY-MM.xlsx, hoặc YYYY-MM/<đơn vị>.xlsx với --unit)",
    )
    p.add_argument(
        "--from",
        dest="previous",
        help="tệp số liệu tháng trước: chép sẵn trạng thái, tỷ lệ, ngày hoàn thành, kết quả và "
        "các chỉ số tồn (đánh dấu để xác nhận); chỉ số phát sinh để trống",
    )
    p.add_argument("--force", action="store_true", help="ghi đè tệp đích nếu đã có")
    p.set_defaults(func=cmd_template)


def cmd_template(args: argparse.Namespace) -> int:
    from cchc_lib.monthly.template import check_unit, write_template
    from cchc_lib.monthly.units import unit_tasks
    from cchc_lib.plan import load_plan

    try:
        parse_month(args.month)
    except ValueError as exc:
        raise CchcError(f"Tham số --month: {exc}.") from None
    if args.previous and not Path(args.previous).is_file():
        raise CchcError(f"Không tìm thấy tệp tháng trước {args.previous} (tham số --from).")
    plan = load_plan(args.plan)
    unit = check_unit(plan, args.unit) if args.unit else None
    default = f"{args.month}/{unit}.xlsx" if unit else f"{args.month}.xlsx"
    out = Path(args.output or default)
    if out.exists() and not args.force:
        raise CchcError(f"Tệp {out} đã có. Chọn tên khác hoặc thêm --force để ghi đè.")
    if out.suffix.lower() != ".xlsx":
        raise CchcError(f"Tệp đích {out} phải có đuôi .xlsx.")
    try:
        write_template(plan, args.month, out, previous=args.previous, unit=unit)
    except OSError as exc:
        raise WriteError.of(exc, out) from None
    n = len(unit_tasks(plan, unit)) if unit else len(plan.tasks)
    who = f", đơn vị {unit}" if unit else ""
    print(f"Đã tạo biểu mẫu {out} ({n} nhiệm vụ, tháng {args.month}{who}).")
    if unit is None and out.name != f"{args.month}.xlsx":
        print(f"Lưu ý: khi nộp, tệp phải mang tên {args.month}.xlsx.")
    elif unit is not None and (out.parent.name, out.stem) != (args.month, unit):
        print(f"Lưu ý: khi nộp, đặt tệp vào thư mục số liệu với tên {args.month}/{unit}.xlsx.")
    return 0
