"""The analyst's text for the report, or drafts from the data when a part was left empty.

The narrative (sheet "Thuyết minh") comes from the period's last month only: an empty last
month gives drafts, never an earlier month's text. Every draft is marked as generated (shaded
while the report is a draft) for the analyst to check.
"""

from __future__ import annotations

from cchc_lib.fmt import fmt_int, fmt_number, fmt_pct
from cchc_lib.indicators import TargetResult
from cchc_lib.report.sections.common import actual_words, lead_of, name_of, target_text
from cchc_lib.report.words import (
    addressees,
    count,
    first_sentence,
    join_items,
    lower_first,
    on,
    plan_value,
    self_name,
)


def narrative_text(results, key: str) -> str:
    """The analyst's text for ``key`` from the period's last month, or ""."""
    last = results.period.months[-1]
    for k, texts in results.narrative:
        if k == key:
            return next((t.strip() for month, t in texts if month == last and t.strip()), "")
    return ""


def _met(ctx) -> list[TargetResult]:
    return [t for t in ctx.results.targets if t.status == "met"]


def _not_met(ctx) -> list[TargetResult]:
    return [t for t in ctx.results.targets if t.status == "not_met"]


def _short(t: TargetResult) -> str:
    return lower_first(first_sentence(target_text(t), 120))


def draft_strengths(ctx) -> str:
    r = ctx.results
    s = r.summary
    me = self_name(ctx.agency)
    lines = [
        f"Công tác CCHC được lãnh đạo {me} quan tâm chỉ đạo; các nhiệm vụ của Kế hoạch được "
        "phân công cụ thể, theo dõi, đôn đốc hằng tháng."
    ]
    timed = [x for x in r.tasks if x.kind == "timed"]
    on_time = [x for x in timed if x.status == "done" and x.timeliness == "on_time"]
    if on_time:
        lines.append(
            f"Đã hoàn thành đúng hạn {count(len(on_time))}/{count(len(timed))} nhiệm vụ có thời "
            f"hạn; {count(s.recurring)} nhiệm vụ thường xuyên được duy trì."
        )
    rates = dict(r.rates)
    if rates.get("ty_le_dung_han") is not None:
        sentence = (
            f"Tỷ lệ hồ sơ TTHC giải quyết trước hạn và đúng hạn đạt "
            f"{fmt_pct(rates['ty_le_dung_han'])}"
        )
        if rates.get("ty_le_truc_tuyen") is not None:
            sentence += (
                f"; tỷ lệ hồ sơ tiếp nhận trực tuyến đạt {fmt_pct(rates['ty_le_truc_tuyen'])}"
            )
        lines.append(sentence + ".")
    met = _met(ctx)
    if met:
        lines.append(
            f"Có {count(len(met))} chỉ tiêu đã đạt kế hoạch, như: "
            + join_items([_short(t) for t in met[:3]])
            + "."
        )
    return "\n".join(lines)


def overdue_lines(ctx, *, listed: bool = False) -> list[str]:
    """One line per task overdue at the period end, naming its lead unit and progress;
    ``listed``: under a lead-in that already says they are overdue, so not said again."""
    lines = []
    for st in ctx.results.tasks:
        if st.timeliness != "overdue":
            continue
        task = ctx.plan.task(st.task_id)
        done = f"đạt khoảng {fmt_number(st.percent, 0)}% khối lượng công việc" if st.percent else ""
        when = f"{lead_of(task)} chủ trì; thời hạn: {lower_first(task.deadline.raw)}"
        if listed:
            lines.append(f"- “{name_of(ctx, st)}” ({when})" + (f": {done}." if done else "."))
        else:
            lines.append(
                f"- Nhiệm vụ “{name_of(ctx, st)}” ({when}) đã quá hạn nhưng chưa hoàn thành"
                + (f", {done}." if done else ".")
            )
    return lines


def _gap(t: TargetResult) -> str:
    if t.actual is None:
        return ""
    if t.unit == "%":
        return f"thấp hơn kế hoạch {fmt_number(abs(t.threshold - t.actual), 1)} điểm phần trăm"
    return f"còn thiếu {fmt_int(abs(t.threshold - t.actual))} so với kế hoạch"


def draft_weaknesses(ctx) -> str:
    r = ctx.results
    lines = overdue_lines(ctx)
    for st in r.tasks:
        if st.timeliness == "late" and st.completed_in_period and st.completed_on:
            task = ctx.plan.task(st.task_id)
            lines.append(
                f"- Nhiệm vụ “{name_of(ctx, st)}” ({lead_of(task)} chủ trì) hoàn thành "
                f"{on(st.completed_on)}, chậm so với thời hạn ({lower_first(task.deadline.raw)})."
            )
    for t in _not_met(ctx):
        lines.append(
            f"- Chỉ tiêu “{_short(t)}” chưa đạt: thực hiện {actual_words(t, prose=True)}, kế hoạch "
            f"{lower_first(plan_value(t))}; {_gap(t)}."
        )
    v = dict(r.indicators)
    if v.get("hs_tre_han"):
        lines.append(f"- Còn {count(v['hs_tre_han'])} hồ sơ TTHC giải quyết quá hạn.")
    if v.get("hs_qua_han_chua_giai_quyet"):
        lines.append(
            f"- Còn {count(v['hs_qua_han_chua_giai_quyet'])} hồ sơ quá hạn chưa giải quyết."
        )
    if not lines:
        lines.append(
            "Một số nhiệm vụ thường xuyên chưa có kết quả, sản phẩm cụ thể để đánh giá; việc "
            "cập nhật tiến độ ở một số phòng, đơn vị có lúc chưa kịp thời."
        )
    return "\n".join(lines)


def draft_causes(ctx) -> str:
    r = ctx.results
    lines = []
    for st in r.tasks:
        if (
            st.difficulties
            and st.status != "done"
            or (st.difficulties and st.timeliness == "late" and st.completed_in_period)
        ):
            reason = lower_first(first_sentence(st.difficulties, 240))
            lines.append(f"- Nhiệm vụ “{name_of(ctx, st)}”: {reason}.")
    behind = [st for st in r.tasks if st.timeliness in ("overdue", "late")]
    if not lines and behind:
        lines.append(
            "Các phòng, đơn vị chủ trì chưa báo cáo rõ nguyên nhân chậm tiến độ của các nhiệm vụ "
            "nêu trên."
        )
    lines.append(
        "Đội ngũ làm công tác CCHC chủ yếu kiêm nhiệm; một bộ phận người dân, doanh nghiệp "
        "chưa quen sử dụng dịch vụ công trực tuyến."
    )
    return "\n".join(lines)


def draft_next(ctx) -> str:
    """Tasks for the coming period (or next year): what is late, what falls due, the rest."""
    from cchc_lib.indicators import tasks_due
    from cchc_lib.indicators.tasks import month_end

    r = ctx.results
    states = {s.task_id: s for s in r.tasks}
    lines = []
    overdue = [s for s in r.tasks if s.timeliness == "overdue"]
    if overdue:
        lines.append(
            "- Tập trung hoàn thành các nhiệm vụ đã quá hạn: "
            + join_items([f"“{name_of(ctx, s)}”" for s in overdue])
            + "."
        )
    if ctx.is_annual:
        rest = [s for s in r.tasks if s.kind == "timed" and s.status != "done" and s not in overdue]
        lines.insert(
            0,
            f"- Xây dựng, ban hành Kế hoạch CCHC năm {ctx.period.year + 1} ngay từ đầu năm, "
            "bám sát Kế hoạch của cơ quan cấp trên; phân công cụ thể nhiệm vụ, thời hạn và "
            "sản phẩm cho từng phòng, đơn vị.",
        )
        if rest:
            lines.append(
                "- Chuyển tiếp, hoàn thành các nhiệm vụ năm "
                f"{ctx.period.year} chưa hoàn thành: "
                + join_items([f"“{name_of(ctx, s)}”" for s in rest])
                + "."
            )
    else:
        soon = [s for s in r.tasks if s.due == "due_soon" and s.status not in ("done", "stopped")]
        if soon:
            lines.append(
                f"- Hoàn thành trước {on(month_end(ctx.period))} "
                + join_items([f"nhiệm vụ “{name_of(ctx, s)}”" for s in soon])
                + "."
            )
        nxt = ctx.period.next
        due = [
            t
            for t in tasks_due(ctx.plan, nxt)
            if states[t.id].status not in ("done", "stopped") and states[t.id] not in overdue
        ]
        if due:
            lines.append(
                f"- Triển khai, hoàn thành các nhiệm vụ đến hạn trong {nxt.label}: "
                + join_items([f"“{t.task.strip().rstrip('.')}” ({lead_of(t)})" for t in due])
                + "."
            )
    for t in _not_met(ctx):
        lines.append(f"- Có giải pháp để đạt chỉ tiêu “{_short(t)}”.")
    if r.summary.recurring:
        lines.append(
            "- Tiếp tục thực hiện các nhiệm vụ thường xuyên; đẩy mạnh tuyên truyền, hướng dẫn "
            "người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến; duy trì, cải tiến Hệ "
            "thống quản lý chất lượng theo tiêu chuẩn ISO."
        )
    return "\n".join(lines)


def draft_proposals(ctx) -> str:
    """Proposals naming who they are addressed to (the parent, the provincial offices)."""
    who = addressees(ctx.agency)
    parent = ctx.parent or "UBND tỉnh"
    home = who.get("home_affairs", "Sở Nội vụ")
    lines = [
        f"- Đề nghị {parent}, {home} tiếp tục tổ chức tập huấn, bồi dưỡng nghiệp vụ cho đội "
        "ngũ công chức làm công tác CCHC."
    ]
    waiting = [
        s for s in ctx.results.tasks if "hướng dẫn" in s.difficulties.lower() and s.status != "done"
    ]
    if waiting:
        lines.append(
            f"- Đề nghị {home} sớm có hướng dẫn để {self_name(ctx.agency)} hoàn thành nhiệm vụ "
            + join_items([f"“{name_of(ctx, s)}”" for s in waiting])
            + "."
        )
    digital = [
        t for t in _not_met(ctx) if t.formula and ("vb_" in t.formula or "tthc" in t.formula)
    ]
    if digital and who.get("digital"):
        lines.append(
            f"- Đề nghị {who['digital']} hỗ trợ nâng cấp hạ tầng công nghệ thông tin, các hệ "
            "thống phần mềm dùng chung phục vụ ký số và giải quyết TTHC trực tuyến."
        )
    if who.get("finance"):
        lines.append(
            f"- Đề nghị {who['finance']} quan tâm bố trí kinh phí cho ứng dụng công nghệ thông "
            "tin, chuyển đổi số trong công tác CCHC."
        )
    return "\n".join(lines)
