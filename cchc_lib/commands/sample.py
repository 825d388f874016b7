"""``cchc sample``: write a year of synthetic monthly workbooks (for demos and tests)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_lib.errors import CchcError, WriteError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sample",
        help="sinh số liệu mẫu 12 tháng (YYYY-01.xlsx … YYYY-12.xlsx) theo kế hoạch",
        description="Sinh số liệu giả lập, cố định theo --seed, cho 12 tháng của năm.",
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument("--year", type=int, help="năm của số liệu (mặc định: năm của kế hoạch)")
    p.add_argument("-o", "--output", required=True, help="thư mục đích, vd data/2022")
    p.add_argument("--seed", type=int, default=2022, help="hạt giống ngẫu nhiên (mặc định 2022)")
    p.add_argument(
        "--scale", type=float, default=1.0, help="hệ số quy mô số hồ sơ, văn bản, CBCC (mặc định 1)"
    )
    p.add_argument(
        "--by-unit",
        action="store_true",
        help="mỗi đơn vị một tệp mỗi tháng (YYYY-MM/<đơn vị>.xlsx) thay vì một tệp chung",
    )
    p.add_argument("--force", action="store_true", help="ghi vào thư mục đã có tệp")
    # --- dossier export (cchc_lib.dossiers.sample) ---
    p.add_argument(
        "--dossiers",
        choices=("yes", "no", "only"),
        default="yes",
        help="danh sách hồ sơ mẫu <thư mục>/ho-so/ho-so-YYYY.xlsx khớp các chỉ số hồ sơ của "
        "12 tệp tháng: yes (mặc định, sau khi sinh các tệp tháng), no, only (chỉ sinh lại "
        "danh sách từ các tệp tháng đã có)",
    )
    p.set_defaults(func=cmd_sample)


def cmd_sample(args: argparse.Namespace) -> int:
    from cchc_lib.monthly.sample import generate_year
    from cchc_lib.plan import load_plan

    if args.dossiers == "only":
        return _dossiers(args, load_plan(args.plan), Path(args.output))
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise CchcError(f"{out} là một tệp, không phải thư mục.")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise CchcError(f"Thư mục {out} đã có tệp. Chọn thư mục khác hoặc thêm --force để ghi đè.")
    if args.scale <= 0:
        raise CchcError(f"Tham số --scale phải lớn hơn 0 (đang là {args.scale}).")
    plan = load_plan(args.plan)
    year = args.year or plan.meta.year
    try:
        paths = generate_year(
            plan, year, out, seed=args.seed, unit_scale=args.scale, by_unit=args.by_unit
        )
    except OSError as exc:
        raise WriteError.of(exc, out, "số liệu mẫu vào thư mục") from None
    print(f"Đã sinh {len(paths)} tệp số liệu mẫu năm {year} vào {out} (seed {args.seed}).")
    if args.dossiers == "yes":
        return _dossiers(args, plan, out)
    return 0


def _dossiers(args: argparse.Namespace, plan, out: Path) -> int:
    """The dossier export made from the workbooks now in ``out`` (their ``hs_*`` figures)."""
    from cchc_lib.dossiers.reader import EXPORTS_FOLDER
    from cchc_lib.dossiers.sample import export_name, generate_export
    from cchc_lib.monthly import load_months

    year = args.year or plan.meta.year
    target = out / EXPORTS_FOLDER / export_name(year)
    if target.exists() and not args.force and args.dossiers == "only":
        raise CchcError(f"Đã có {target}. Thêm --force để ghi đè.")
    months = load_months(out, plan)
    path, mismatches = generate_export(
        plan, months, out / EXPORTS_FOLDER, plan_path=args.plan, seed=args.seed
    )
    print(f"Đã sinh danh sách hồ sơ mẫu {path} khớp các chỉ số hồ sơ của 12 tháng.")
    for m in mismatches:
        print(
            f"Lưu ý: tháng {m.month}, {m.code}: tệp tháng ghi {m.workbook}, danh sách hồ sơ cho "
            f"{m.export} (số hồ sơ tồn phải bằng tồn tháng trước + tiếp nhận − đã giải quyết).",
            file=sys.stderr,
        )
    return 0
