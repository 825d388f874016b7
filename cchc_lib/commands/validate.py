"""``cchc validate``: check monthly workbooks and list every problem."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="kiểm tra các tệp số liệu hằng tháng (YYYY-MM.xlsx)",
        description="Kiểm tra một tệp hoặc cả thư mục số liệu hằng tháng và liệt kê mọi lỗi, "
        "cảnh báo. Mã thoát 1 nếu có lỗi, 0 nếu không có lỗi (có thể có cảnh báo).",
    )
    p.add_argument("path", metavar="THƯ_MỤC_HOẶC_TỆP", help="tệp YYYY-MM.xlsx hoặc thư mục")
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument(
        "--problems",
        metavar="TỆP.csv",
        help="ghi toàn bộ lỗi, cảnh báo ra tệp CSV (màn hình chỉ in tối đa 200 mục mỗi tệp)",
    )
    p.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from cchc_lib.atomic import atomic_write_bytes
    from cchc_lib.errors import WriteError, format_problems, problems_csv
    from cchc_lib.monthly import validate_path
    from cchc_lib.plan import load_plan

    plan = load_plan(args.plan)
    problems = validate_path(args.path, plan)
    hint = f"ghi toàn bộ: thêm --problems {args.problems or 'loi.csv'}"
    if problems:
        print(format_problems(problems, hint="" if args.problems else hint))
    if args.problems:
        try:
            atomic_write_bytes(args.problems, problems_csv(problems))
        except OSError as exc:
            raise WriteError.of(exc, args.problems) from None
        print(f"Đã ghi {len(problems)} lỗi, cảnh báo vào {args.problems}.")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems})
    if errors:
        verdict = "CHƯA ĐẠT"
    else:
        verdict = "ĐẠT"
    print(
        f"Kết quả kiểm tra {args.path}: {verdict} – {errors} lỗi, {warnings} cảnh báo"
        + (f" ở {files} tệp." if problems else ".")
    )
    return 1 if errors else 0
