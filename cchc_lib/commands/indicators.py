"""``cchc indicators``: task progress, indicators and targets of one period."""

from __future__ import annotations

import argparse
import json
import sys

from cchc_lib.catalog import load_catalog
from cchc_lib.commands import add_period_arguments
from cchc_lib.fmt import fmt_date, fmt_int, fmt_value
from cchc_lib.indicators import RATES, TIMELINESS, Results, to_json
from cchc_lib.report.words import actual_value, clip, plan_value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "indicators",
        help="tổng hợp tiến độ nhiệm vụ, chỉ số và kết quả chỉ tiêu của một kỳ báo cáo",
        description=(
            "Tổng hợp tiến độ nhiệm vụ, chỉ số và đánh giá chỉ tiêu (Đạt/Chưa đạt) của một kỳ "
            "từ kế hoạch và các tệp số liệu hằng tháng."
        ),
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch (.txt hoặc .docx)")
    p.add_argument("--data", required=True, help="thư mục các tệp số liệu YYYY-MM.xlsx")
    add_period_arguments(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")
    p.set_defaults(func=cmd_indicators)


def cmd_indicators(args: argparse.Namespace) -> int:
    from cchc_lib.indicators.load import load_period

    results = load_period(args.plan, args.data, args.period, rule=args.rule).results
    if args.format == "json":
        json.dump(to_json(results), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(results))
    return 0


# --- text output ------------------------------------------------------------------


def _table(
    headers: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()
) -> list[str]:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        out = [
            str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i])
            for i, c in enumerate(cells)
        ]
        return "  ".join(out).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def render_text(results: Results) -> str:
    """The readable Vietnamese tables printed by ``cchc indicators``."""
    p = results.period
    catalog = load_catalog()
    s = results.summary
    lines = [
        f"KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH {p.label.upper()}",
        p.rule_label + ".",
        "Tháng có số liệu: "
        + (", ".join(m[5:] + "/" + m[:4] for m in results.months_present) or "không có"),
    ]
    if results.months_missing:
        lines.append(
            "Thiếu số liệu tháng: " + ", ".join(m[5:] + "/" + m[:4] for m in results.months_missing)
        )
    lines += [
        "",
        "1. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ",
        f"Tổng số nhiệm vụ: {fmt_int(s.total)}; hoàn thành: {fmt_int(s.done)} "
        f"(đúng hạn {fmt_int(s.done_on_time)}, chậm {fmt_int(s.done_late)}; "
        f"trong kỳ {fmt_int(s.done_in_period)}); đang thực hiện: {fmt_int(s.in_progress)}; "
        f"chưa triển khai: {fmt_int(s.not_started)}; dừng thực hiện: {fmt_int(s.stopped)}.",
        f"Quá hạn chưa hoàn thành: {fmt_int(s.overdue)}; thực hiện thường xuyên: "
        f"{fmt_int(s.ongoing)}; chưa đến hạn: {fmt_int(s.not_due)}.",
        "",
    ]
    head = ["Lĩnh vực", "Tổng", "Hoàn thành", "Đúng hạn", "Đang TH", "Chưa TK", "Quá hạn"]
    rows = [
        [
            clip(f"{code}. {title}", 48),
            *(
                fmt_int(v)
                for v in (a.total, a.done, a.done_on_time, a.in_progress, a.not_started, a.overdue)
            ),
        ]
        for code, title, a in results.by_area
    ]
    lines += _table(head, rows, right=frozenset(range(1, 7)))
    late = [t for t in results.tasks if t.timeliness in ("overdue",)]
    if late:
        lines += ["", "Nhiệm vụ quá hạn chưa hoàn thành:"]
        lines += [
            f"  - {t.task_id} ({t.lead}; hạn {fmt_date(t.deadline_end)}): "
            f"{TIMELINESS[t.timeliness].lower()}"
            for t in late
        ]

    lines += ["", "2. CHỈ SỐ"]
    rows = []
    for code, value in results.indicators:
        ind = catalog[code]
        shown = fmt_value(value, ind.unit) if value is not None else "—"
        rows.append([clip(ind.name, 70), shown, ind.unit_label])
    for code, value in results.rates:
        rows.append([RATES[code][0], fmt_value(value, "%") if value is not None else "—", "%"])
    lines += _table(["Chỉ số", "Giá trị", "Đơn vị"], rows, right=frozenset({1}))

    lines += ["", "3. KẾT QUẢ THỰC HIỆN CHỈ TIÊU"]
    rows = [
        [t.target_id, clip(t.text, 70), plan_value(t), actual_value(t), t.status_label]
        for t in results.targets
    ]
    lines += _table(
        ["Mục", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"], rows, right=frozenset({3})
    )
    met = sum(t.met is True for t in results.targets)
    judged = sum(t.met is not None for t in results.targets)
    lines += ["", f"Đạt {fmt_int(met)}/{fmt_int(judged)} chỉ tiêu đã đánh giá được."]
    return "\n".join(lines) + "\n"
