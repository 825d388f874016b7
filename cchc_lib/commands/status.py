"""``cchc status``: which units have sent their monthly workbooks for a period."""

from __future__ import annotations

import argparse
from datetime import date

from cchc_lib.commands import add_period_arguments
from cchc_lib.errors import CchcError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status",
        help="tình hình nộp số liệu của các đơn vị trong một kỳ (đơn vị × tháng)",
        description=(
            "Bảng các đơn vị × các tháng của kỳ: đã nộp, chưa nộp, có lỗi; và các nhiệm vụ "
            "chưa cập nhật trong tháng gần nhất. Mã thoát 1 khi còn đơn vị chưa nộp hoặc tệp "
            "có lỗi, 0 khi đã đủ."
        ),
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument("--data", required=True, help="thư mục số liệu của năm (vd data/2022)")
    add_period_arguments(
        p, period_help="kỳ báo cáo: 2022-Q1, 2022-H1, 2022-03, …", rule_help="cách tính kỳ"
    )
    p.add_argument(
        "--today",
        help="ngày xem tình hình, YYYY-MM-DD (mặc định: hôm nay); các tháng chưa bắt đầu bị bỏ qua",
    )
    p.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    from cchc_lib.monthly.status import period_status, render_status
    from cchc_lib.periods import parse_period
    from cchc_lib.plan import load_plan

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        raise CchcError(f"Tham số --today “{args.today}” không đúng dạng YYYY-MM-DD.") from None
    period = parse_period(args.period, rule=args.rule)
    plan = load_plan(args.plan)
    status = period_status(plan, args.data, period, today)
    print(render_status(status, args.data, today), end="")
    return 0 if status.complete else 1
