"""``cchc plan show|export``: read a plan and summarise or export it."""

from __future__ import annotations

import argparse
import sys

from cchc_lib.errors import WriteError
from cchc_lib.fmt import fmt_date
from cchc_lib.model import Plan
from cchc_lib.plan import load_plan
from cchc_lib.plan.export import plan_to_json, write_plan
from cchc_lib.plan.sources import clean_control

DEADLINE_KIND_LABELS = {
    "by_date": "hạn ngày",
    "window": "trong khoảng",
    "recurring": "thường xuyên",
    "per_plan": "theo kế hoạch",
    "unspecified": "không rõ",
}
UNIT_LABELS = {"%": "%", "count": "", "rank": "bậc"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="đọc kế hoạch CCHC: xem tóm tắt hoặc xuất JSON/Excel")
    psub = p.add_subparsers(dest="plan_command", metavar="LỆNH", required=True)
    show = psub.add_parser("show", help="tóm tắt kế hoạch bằng tiếng Việt")
    show.add_argument("plan", help="tệp kế hoạch (.txt hoặc .docx)")
    show.set_defaults(func=cmd_show)
    exp = psub.add_parser("export", help="xuất kế hoạch ra .json hoặc .xlsx")
    exp.add_argument("plan", help="tệp kế hoạch (.txt hoặc .docx)")
    exp.add_argument("-o", "--output", help="tệp đích (.json hoặc .xlsx)")
    exp.add_argument(
        "--format", choices=("json", "xlsx"), help="định dạng (mặc định theo đuôi tệp)"
    )
    exp.set_defaults(func=cmd_export)


def _measure_text(m) -> str:
    value = f"{m.value:g}"
    if m.stretch is not None:
        value += f"–{m.stretch:g}"
    if m.unit == "rank" and m.comparator == "<=":  # a place on the ranking, not a rise
        return f"hạng <= {value}"
    unit = UNIT_LABELS.get(m.unit, m.unit)
    return f"{m.comparator} {value}{unit if unit == '%' else (' ' + unit if unit else '')}"


def _signer(m) -> str:
    lines = m.signer_lines or tuple(x for x in (m.signer_title, m.signer_position) if x)
    return " / ".join(lines) + (f" — {m.signer_name}" if m.signer_name else "")


def summary(plan: Plan) -> str:
    """The readable Vietnamese summary printed by ``cchc plan show``."""
    m = plan.meta
    lines = [
        f"Kế hoạch: {m.title or '(không có tiêu đề)'}",
        f"Cơ quan ban hành: {m.agency or '(không rõ)'}"
        + (f" — thuộc {m.parent}" if m.parent else " — cơ quan cấp trên: (kế hoạch không ghi)"),
        f"Tiêu đề văn bản (góc trái): {' / '.join(m.header_lines) or '(không có)'}",
        f"Số: {m.number or '(chưa ghi)'}    Địa điểm, ngày: {m.place or '?'}, "
        f"{fmt_date(m.date) if m.date else '(không rõ)'}    Năm kế hoạch: {m.year}",
        f"Người ký: {_signer(m) or '(không rõ)'}",
        f"Nơi nhận: {len(m.recipients)} mục",
        "",
        f"Mục đích, yêu cầu: {len(plan.purposes)} ý; mục tiêu chung: {len(plan.goals)} ý; "
        f"giải pháp (mục III): {len(plan.solutions)} ý.",
        f"Phụ lục: {len(plan.areas)} lĩnh vực, {len(plan.tasks)} nhiệm vụ.",
        "",
    ]
    for area in plan.areas:
        tasks = [t for t in plan.tasks if t.area == area.code]
        lines.append(f"{area.code}. {area.title} ({len(tasks)} nhiệm vụ)")
        for t in tasks:
            lead = ", ".join(t.lead) or "(chưa rõ chủ trì)"
            text = t.task if len(t.task) <= 90 else t.task[:87] + "…"
            lines.append(f"   {t.id:<11} {text}")
            dl = t.deadline
            when = DEADLINE_KIND_LABELS.get(dl.kind, dl.kind)
            span = f"{fmt_date(dl.start)}–{fmt_date(dl.end)}" if dl.start and dl.end else ""
            if dl.dues:
                span += "; hạn từng lần: " + ", ".join(fmt_date(d) for d in dl.dues)
            lines.append(
                f"   {'':<11} Chủ trì: {lead}; thời hạn: {dl.raw or '(trống)'} [{when} {span}]".rstrip()
            )
    lines.append("")
    measurable = [t for t in plan.targets if t.measures]
    lines.append(
        f"Chỉ tiêu đo lường được: {sum(len(t.measures) for t in measurable)} "
        f"(trong {len(measurable)}/{len(plan.targets)} chỉ tiêu)"
    )
    for target in measurable:
        for ms in target.measures:
            text = ms.text if len(ms.text) <= 80 else ms.text[:77] + "…"
            lines.append(f"   {target.id:<11} {_measure_text(ms):<12} {text}")
    lines.append("")
    if plan.warnings:
        lines.append(f"Cảnh báo ({len(plan.warnings)}):")
        lines.extend(f"   - {w}" for w in plan.warnings)
    else:
        lines.append("Không có cảnh báo.")
    return "\n".join(lines)


def terminal_safe(text: str) -> str:
    """``text`` with no control character but the line break: what a plan holds is printed
    as text, never as terminal commands (the reader already cleans them; this is the
    second guard)."""
    return clean_control(text.replace("\t", " "))


def cmd_show(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    print(terminal_safe(summary(plan)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    if not args.output:
        if args.format not in (None, "json"):
            print("Xuất Excel cần tên tệp: dùng -o TỆP.xlsx.", file=sys.stderr)
            return 2
        sys.stdout.write(plan_to_json(plan) + "\n")
        return 0
    try:
        write_plan(plan, args.output)
    except OSError as exc:
        raise WriteError.of(exc, args.output) from None
    print(f"Đã ghi {args.output} ({len(plan.tasks)} nhiệm vụ, {len(plan.targets)} chỉ tiêu).")
    for w in plan.warnings:
        print(terminal_safe(f"Cảnh báo: {w}"), file=sys.stderr)
    return 0
