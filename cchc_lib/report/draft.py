"""Drafts of the narrative parts, written from the data when the analyst left them empty.

The report marks every such draft for the analyst to edit before signing.
"""

from __future__ import annotations

from cchc_lib.fmt import fmt_date_prose, fmt_int, fmt_pct
from cchc_lib.indicators import Results
from cchc_lib.report.words import actual_value, clip, gap_text, plan_value


def narrative_text(results: Results, key: str) -> str:
    """The analyst's text for ``key`` in the period: the latest month that has it."""
    for k, texts in results.narrative:
        if k == key and texts:
            return texts[-1][1].strip()
    return ""


def draft_strengths(ctx) -> str:
    r = ctx.results
    s = r.summary
    lines = []
    if s.total:
        lines.append(
            f"Đã hoàn thành {fmt_int(s.done)}/{fmt_int(s.total)} nhiệm vụ của Kế hoạch "
            f"({fmt_pct(100 * s.done / s.total)}), trong đó {fmt_int(s.done_on_time)} nhiệm vụ "
            f"hoàn thành đúng hạn; {fmt_int(s.ongoing)} nhiệm vụ thường xuyên được duy trì."
        )
    v = dict(r.indicators)
    rates = dict(r.rates)
    if v.get("hs_tiep_nhan"):
        sentence = f"Tiếp nhận {fmt_int(v['hs_tiep_nhan'])} hồ sơ TTHC"
        if rates.get("ty_le_truc_tuyen") is not None:
            sentence += f", trong đó {fmt_pct(rates['ty_le_truc_tuyen'])} tiếp nhận trực tuyến"
        if rates.get("ty_le_dung_han") is not None:
            sentence += (
                f"; tỷ lệ giải quyết trước hạn và đúng hạn đạt {fmt_pct(rates['ty_le_dung_han'])}"
            )
        lines.append(sentence + ".")
    met = [t for t in r.targets if t.met]
    judged = [t for t in r.targets if t.met is not None]
    if judged:
        lines.append(
            f"Có {fmt_int(len(met))}/{fmt_int(len(judged))} chỉ tiêu có số liệu đạt kế hoạch."
        )
    return "\n".join(lines) or "Chưa có số liệu để đánh giá ưu điểm trong kỳ."


def overdue_lines(ctx) -> list[str]:
    """One line per task overdue at the period end, naming its lead unit (facts, not draft)."""
    lines = []
    for st in ctx.results.tasks:
        if st.timeliness != "overdue":
            continue
        task = ctx.plan.task(st.task_id)
        lead = ", ".join(task.lead) or "chưa xác định đơn vị"
        pct = f", mới đạt {fmt_int(st.percent)}%" if st.percent is not None else ""
        lines.append(
            f"- Nhiệm vụ {st.task_id} “{clip(task.task.rstrip('.'), 140)}” ({lead} chủ trì; thời hạn: "
            f"{task.deadline.raw}) đã quá hạn nhưng chưa hoàn thành{pct}."
        )
    return lines


def draft_weaknesses(ctx) -> str:
    r = ctx.results
    lines = overdue_lines(ctx)
    late = [st for st in r.tasks if st.timeliness == "late" and st.completed_in_period]
    for st in late:
        task = ctx.plan.task(st.task_id)
        lines.append(
            f"- Nhiệm vụ {st.task_id} “{clip(task.task.rstrip('.'), 140)}” "
            f"({', '.join(task.lead)} chủ trì) hoàn thành {fmt_date_prose(st.completed_on)}, "
            f"chậm so với thời hạn ({task.deadline.raw})."
        )
    for t in r.targets:
        if t.met is False:
            lines.append(
                f"- Chỉ tiêu “{clip(t.text.rstrip('.'), 140)}” chưa đạt: kế hoạch "
                f"{plan_value(t).lower()}, thực hiện {actual_value(t)}; {gap_text(t)}."
            )
    v = dict(r.indicators)
    if v.get("hs_tre_han"):
        lines.append(f"- Còn {fmt_int(v['hs_tre_han'])} hồ sơ TTHC giải quyết trễ hạn.")
    if v.get("hs_qua_han_chua_giai_quyet"):
        lines.append(
            f"- Còn {fmt_int(v['hs_qua_han_chua_giai_quyet'])} hồ sơ quá hạn chưa giải quyết."
        )
    return "\n".join(lines) or "Trong kỳ không phát hiện tồn tại, hạn chế qua số liệu báo cáo."


def draft_causes(ctx) -> str:
    r = ctx.results
    lines = []
    for st in r.tasks:
        if st.difficulties and st.status != "done":
            lines.append(f"- {st.task_id}: {clip(st.difficulties, 240)}")
    if not lines:
        return "Các đơn vị chưa báo cáo khó khăn, vướng mắc (cột “Khó khăn, vướng mắc” trống)."
    return "Theo báo cáo của các đơn vị chủ trì:\n" + "\n".join(lines)
