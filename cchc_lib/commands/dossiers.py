"""``cchc dossiers``: the official dossier statistics of a period from one-stop system exports."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from cchc_lib.commands import add_period_arguments
from cchc_lib.errors import CchcError

MAX_SHOWN = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dossiers",
        help="thống kê hồ sơ TTHC của một kỳ (Biểu số 06/VPCP/KSTT) từ danh sách hồ sơ "
        "xuất từ hệ thống một cửa",
        description=(
            "Đọc các tệp danh sách hồ sơ (Excel .xlsx/.xls hoặc CSV) xuất từ Hệ thống thông tin "
            "giải quyết TTHC và tính số hồ sơ từ kỳ trước, mới tiếp nhận (trực tuyến, trực tiếp, "
            "bưu chính), đã giải quyết (trước hạn, đúng hạn, quá hạn), đang giải quyết (trong "
            "hạn, quá hạn) của kỳ báo cáo, theo Thông tư 01/2020/TT-VPCP. Dòng lỗi không dừng "
            "việc tính: được liệt kê và không được tính."
        ),
    )
    p.add_argument(
        "--data",
        required=True,
        help="thư mục các tệp xuất hồ sơ (vd data/2022/ho-so, hoặc data/2022 nếu có thư mục "
        "ho-so bên trong), hoặc một tệp",
    )
    add_period_arguments(p)
    p.add_argument(
        "--by",
        choices=("linh_vuc", "thu_tuc", "don_vi"),
        help="chia theo lĩnh vực, thủ tục hoặc đơn vị (xlsx: mặc định theo lĩnh vực)",
    )
    p.add_argument(
        "--format", choices=("text", "json", "xlsx"), default="text", help="định dạng kết quả"
    )
    p.add_argument("-o", "--output", help="tệp kết quả (bắt buộc với --format xlsx)")
    p.add_argument(
        "--plan",
        help="tệp kế hoạch: dùng thêm mã trạng thái, hình thức nộp của đơn vị trong "
        "<kế hoạch>.dossiers.yaml đặt cạnh kế hoạch",
    )
    p.add_argument("--problems", help="ghi toàn bộ các dòng lỗi vào tệp CSV này")
    p.add_argument("--agency", default="", help="đơn vị báo cáo, ghi ở đầu Biểu 06 (xlsx)")
    p.set_defaults(func=cmd_dossiers)


def _source(data: str) -> Path:
    from cchc_lib.dossiers.reader import find_exports

    p = Path(data)
    if p.is_file():
        return p
    if not p.exists():
        raise CchcError(f"Không tìm thấy {p}. Cách sửa: kiểm tra lại đường dẫn --data.")
    return find_exports(p) or p


def _write_problems(path: str, problems) -> None:
    from cchc_lib.atomic import atomic_write_bytes

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Mức", "Tệp", "Dòng", "Cột", "Giá trị", "Lỗi", "Cách sửa"])
    for q in problems:
        level = "Lỗi" if q.severity == "error" else "Cảnh báo"
        value = "" if q.value is None else str(q.value)
        if value.startswith(("=", "+", "-", "@")):
            value = "'" + value  # inert in a spreadsheet
        w.writerow([level, q.file, q.row or "", q.column or "", value, q.message, q.fix])
    atomic_write_bytes(path, buf.getvalue().encode("utf-8-sig"))


def _report_problems(problems, args: argparse.Namespace) -> None:
    if not problems:
        return
    for q in problems[:MAX_SHOWN]:
        print(str(q), file=sys.stderr)
    rest = len(problems) - MAX_SHOWN
    if args.problems:
        _write_problems(args.problems, problems)
        where = f"; toàn bộ {len(problems)} dòng ở {args.problems}"
    else:
        where = "; thêm --problems TỆP.csv để ghi toàn bộ"
    if rest > 0:
        print(f"… và {rest} vấn đề khác{where}.", file=sys.stderr)
    elif args.problems:
        print(f"Đã ghi {len(problems)} vấn đề vào {args.problems}.", file=sys.stderr)


def cmd_dossiers(args: argparse.Namespace) -> int:
    from cchc_lib.dossiers.records import load_dossiers
    from cchc_lib.dossiers.stats import dossier_statistics

    if args.format == "xlsx" and not args.output:
        raise CchcError("Định dạng xlsx cần tên tệp kết quả: thêm -o TỆP.xlsx.")
    by = args.by or ("linh_vuc" if args.format == "xlsx" else None)
    records, problems = load_dossiers(_source(args.data), plan_path=args.plan)
    stats = dossier_statistics(records, args.period, by=by, rule=args.rule)
    _report_problems(problems, args)
    if args.format == "xlsx":
        from cchc_lib.dossiers.form06 import write_form06

        write_form06(stats, args.output, agency=args.agency)
        print(f"Đã ghi Biểu số 06/VPCP/KSTT {stats.period.label} vào {args.output}.")
        return 0
    if args.format == "json":
        text = json.dumps(stats.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_text(stats)
    if args.output:
        from cchc_lib.atomic import atomic_write_bytes

        atomic_write_bytes(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def render_text(stats) -> str:
    """The readable Vietnamese summary printed by ``cchc dossiers``."""
    from cchc_lib.dossiers.stats import BY
    from cchc_lib.fmt import fmt_int, fmt_pct

    t = stats.totals
    p = stats.period

    def pct(v):
        return fmt_pct(v) if v is not None else "—"

    lines = [
        f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT HỒ SƠ TTHC {p.label.upper()}",
        p.rule_label + ".",
        f"Đã đọc {fmt_int(stats.rows_read)} dòng, tính {fmt_int(stats.rows_counted)} hồ sơ.",
    ]
    for key, n in stats.rows_excluded:
        label = dict(stats.excluded_labels).get(key, key)
        lines.append(f"  Không tính {fmt_int(n)} dòng: {label}.")
    lines += [
        "",
        f"Số hồ sơ nhận giải quyết: {fmt_int(t.tong_nhan)} (từ kỳ trước {fmt_int(t.tu_ky_truoc)};"
        f" mới tiếp nhận {fmt_int(t.moi_tiep_nhan)}: trực tuyến {fmt_int(t.truc_tuyen)}, "
        f"trực tiếp {fmt_int(t.truc_tiep)}, bưu chính công ích {fmt_int(t.buu_chinh)}).",
        f"Đã giải quyết: {fmt_int(t.da_giai_quyet)} (trước hạn {fmt_int(t.truoc_han)}, đúng hạn "
        f"{fmt_int(t.dung_han)}, quá hạn {fmt_int(t.qua_han)}).",
        f"Đang giải quyết: {fmt_int(t.dang_giai_quyet)} (trong hạn {fmt_int(t.trong_han)}, quá hạn "
        f"{fmt_int(t.dang_qua_han)}).",
        f"Tỷ lệ giải quyết trước hạn và đúng hạn: {pct(t.ty_le_dung_han)}; tỷ lệ hồ sơ trực "
        f"tuyến: {pct(t.ty_le_truc_tuyen)}.",
    ]
    if stats.groups:
        from cchc_lib.commands.indicators import _table
        from cchc_lib.report.words import clip

        head = [BY[stats.by], "Nhận", "Từ kỳ trước", "Đã GQ", "Đúng hạn*", "Quá hạn", "Đang GQ"]
        rows = [
            [
                clip(key, 48),
                *(
                    fmt_int(v)
                    for v in (
                        c.tong_nhan,
                        c.tu_ky_truoc,
                        c.da_giai_quyet,
                        c.truoc_han + c.dung_han,
                        c.qua_han,
                        c.dang_giai_quyet,
                    )
                ),
            ]
            for key, c in stats.groups
        ]
        lines += ["", *_table(head, rows, right=frozenset(range(1, 7)))]
        lines.append("* trước hạn và đúng hạn")
    return "\n".join(lines) + "\n"
