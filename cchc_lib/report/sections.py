"""The report's sections as HTML fragments, built from a :class:`ReportContext`.

Each public function returns :class:`Html` (a ``str`` that Jupyter displays as HTML),
so a notebook cell is one call; nbconvert keeps the ``text/html`` output.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from cchc_lib.catalog import load_catalog
from cchc_lib.fmt import fmt_date, fmt_date_header, fmt_date_prose, fmt_int, fmt_number, fmt_pct
from cchc_lib.indicators import (
    RATES,
    STATUSES,
    TARGET_LABELS,
    TIMELINESS,
    TargetResult,
    TaskState,
    tasks_due,
)
from cchc_lib.model import Task
from cchc_lib.report import charts
from cchc_lib.report.context import ReportContext
from cchc_lib.report.draft import (
    draft_causes,
    draft_strengths,
    draft_weaknesses,
    narrative_text,
    overdue_lines,
)
from cchc_lib.report.words import (
    actual_value,
    area_config,
    clip,
    direction_config,
    plan_value,
    sentence_case,
)


class Html(str):
    """HTML text that Jupyter renders inline (and nbconvert keeps as text/html)."""

    def _repr_html_(self) -> str:
        return str(self)


def svg_data_uri(svg: str) -> str:
    """A chart as a ``data:`` URI for an ``<img>``: still vector, but neither the HTML
    parser nor the stylesheet cascade walks its thousands of nodes (faster to print)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("cchc_lib", "templates/report"),
        autoescape=select_autoescape(["j2", "html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg_data_uri"] = svg_data_uri
    return env


def _render(template: str, **values) -> Html:
    return Html(_env().get_template(template).render(**values))


# --- shared pieces -----------------------------------------------------------------


def doc_number(ctx: ReportContext) -> str:
    """ "12/BC-SCT", or a blank to fill by hand: "      /BC-SCT"."""
    abbr = ctx.abbreviation
    suffix = f"/BC-{abbr}" if abbr else "/BC"
    num = ctx.params.report_number.strip()
    return f"{num}{suffix}" if num else f"\u2002\u2002\u2002\u2002\u2002{suffix}"


def date_phrase(ctx: ReportContext) -> str:
    d = ctx.report_date
    return f"ngày {fmt_date(d)}" if d else ""


def _lead(task: Task) -> str:
    return ", ".join(task.lead) or "chưa xác định đơn vị"


def _state_words(s: TaskState) -> str:
    if s.timeliness == "overdue":
        pct = f", đạt {fmt_number(s.percent, 0)}%" if s.percent is not None else ""
        return f"quá hạn, chưa hoàn thành{pct}"
    if s.status == "not_started":
        return "chưa triển khai"
    if s.timeliness == "ongoing":
        return "thực hiện thường xuyên"
    if s.percent is not None:
        return f"đạt {fmt_number(s.percent, 0)}%"
    return STATUSES.get(s.status, s.status).lower()


def _task_item(ctx: ReportContext, s: TaskState) -> dict:
    task = ctx.plan.task(s.task_id)
    return {
        "id": s.task_id,
        "task": clip(task.task.rstrip("."), 220),
        "lead": _lead(task),
        "completed": fmt_date_prose(s.completed_on) if s.completed_on else "",
        "result": clip(s.result.rstrip("."), 300) if s.result else "",
        "state": _state_words(s),
        "deadline": task.deadline.raw or "không ghi thời hạn",
        "reason": clip(s.difficulties, 300) if s.difficulties else "chưa có báo cáo nguyên nhân.",
    }


def _target_row(t: TargetResult) -> dict:
    text = clip(t.text, 240)
    return {
        "text": text[:1].upper() + text[1:],
        "plan": plan_value(t),
        "actual": actual_value(t),
        "status": TARGET_LABELS.get(t.status, t.status),
    }


def _value_text(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    unit = load_catalog()[code].unit
    return fmt_pct(value) if unit == "%" else fmt_int(value)


def _stats_rows(ctx: ReportContext, codes: Sequence[str], rates: Sequence[str]) -> list[dict]:
    catalog = load_catalog()
    values = dict(ctx.results.indicators)
    rate_values = dict(ctx.results.rates)
    rows = [
        {
            "name": catalog[c].name,
            "unit": catalog[c].unit_label,
            "value": _value_text(c, values.get(c)),
        }
        for c in codes
        if c in catalog
    ]
    rows += [
        {"name": RATES[r][0], "unit": "%", "value": fmt_pct(rate_values.get(r)) or "—"}
        for r in rates
        if r in RATES
    ]
    return rows


def _area_title(ctx: ReportContext, code: str) -> str:
    return sentence_case(ctx.plan.area(code).title)


def _is_direction(title: str) -> bool:
    return bool(area_config(title).get("direction"))


def _summary_sentence(s, what: str) -> str:
    open_ = s.total - s.done - s.stopped
    parts = [f"{what} có {fmt_int(s.total)} nhiệm vụ: đã hoàn thành {fmt_int(s.done)}"]
    if s.done:
        parts[0] += (
            f" (đúng hạn {fmt_int(s.done_on_time)}, chậm so với kế hoạch {fmt_int(s.done_late)})"
        )
    parts.append(f"đang thực hiện {fmt_int(open_ - s.overdue)}")
    if s.ongoing:
        parts[-1] += f" (trong đó {fmt_int(s.ongoing)} nhiệm vụ thường xuyên)"
    parts.append(f"quá hạn chưa hoàn thành {fmt_int(s.overdue)}")
    if s.stopped:
        parts.append(f"dừng thực hiện {fmt_int(s.stopped)}")
    return "; ".join(parts) + "."


# --- sections ------------------------------------------------------------------------


def header(ctx: ReportContext) -> Html:
    """The official header block, title, subject, data window and opening paragraph."""
    meta = ctx.plan.meta
    d = ctx.report_date
    place = meta.place or ""
    place_date = (
        f"{place}, {fmt_date_header(d)}"
        if d
        else f"{place}, ngày    tháng    năm {ctx.period.year}"
    )
    plan_no = meta.number if any(ch.isdigit() for ch in meta.number or "") else ""
    plan_ref = f"Kế hoạch số {plan_no}" if plan_no else "Kế hoạch"
    plan_date = f" {fmt_date_prose(meta.date)}" if meta.date else ""
    intro = (
        f"Thực hiện {plan_ref}{plan_date} của {ctx.plan.meta.agency or ctx.agency} về cải cách "
        f"hành chính năm {meta.year}, {ctx.agency} báo cáo kết quả thực hiện công tác cải cách "
        f"hành chính {ctx.period.label} như sau:"
    )
    return _render(
        "header.html.j2",
        parent=ctx.parent,
        agency=ctx.agency,
        number=doc_number(ctx),
        place_date=place_date,
        period_label=ctx.period.label,
        window=ctx.period.rule_label + ".",
        intro=intro,
    )


def direction(ctx: ReportContext) -> Html:
    """I. Công tác chỉ đạo, điều hành: plan, direction tasks, inspections, overall progress."""
    r = ctx.results
    meta = ctx.plan.meta
    direction_areas = [a.code for a in ctx.plan.areas if _is_direction(a.title)]
    d_states = [s for s in r.tasks if s.area in direction_areas]
    done = [_task_item(ctx, s) for s in d_states if s.status == "done" and s.completed_in_period]
    open_ = [_task_item(ctx, s) for s in d_states if s.status != "done" and s.status != "stopped"]
    n_measures = sum(len(t.measures) for t in ctx.plan.targets)
    plan_sentence = (
        f"{meta.agency or ctx.agency} đã ban hành Kế hoạch cải cách hành chính năm {meta.year}"
        + (f" {fmt_date_prose(meta.date)}" if meta.date else "")
        + f", gồm {fmt_int(len(ctx.plan.areas))} lĩnh vực với {fmt_int(len(ctx.plan.tasks))} nhiệm vụ "
        f"trọng tâm và {fmt_int(n_measures)} chỉ tiêu đo lường được; giao nhiệm vụ cụ thể cho "
        "từng phòng, đơn vị chủ trì, phối hợp và thời hạn hoàn thành."
    )
    values = dict(r.indicators)
    targets = {t.link_id: t for t in r.targets if t.link_id}
    lines = []
    cfg = direction_config()
    phrases = cfg.get("phrases", {})
    catalog = load_catalog()
    for code in cfg.get("indicators", []):
        phrase = phrases.get(code) or catalog[code].name.lower().removeprefix("số ")
        v = values.get(code)
        line = (
            f"- Trong kỳ có {fmt_int(v)} {phrase}"
            if v is not None
            else f"- Chưa có số liệu về số {phrase}"
        )
        t = targets.get(code)
        if t is not None:
            so_far = f"lũy kế từ đầu năm {actual_value(t)}" if t.actual is not None else ""
            line += (
                f" (kế hoạch năm: {plan_value(t).lower()}" + (f"; {so_far}" if so_far else "") + ")"
            )
        lines.append(line + ".")
    s = r.summary
    pct = fmt_pct(100 * s.done / s.total) if s.total else "0%"
    progress_sentence = (
        _summary_sentence(s, f"Tính đến {fmt_date_prose(ctx.period.end)}, Kế hoạch")
        + f" Tỷ lệ nhiệm vụ đã hoàn thành đạt {pct}."
    )
    rows = []
    for code, title, sm in r.by_area:
        rows.append(_area_row(f"{code}. {sentence_case(title)}", sm))
    chart = charts.task_status_by_area(
        r, lambda code, title: f"{code}. {clip(sentence_case(title), 34)}"
    )
    return _render(
        "direction.html.j2",
        plan_sentence=plan_sentence,
        done=done,
        open=open_,
        activity_lines=lines,
        progress_sentence=progress_sentence,
        by_area=rows,
        total=_area_row("Tổng cộng", s),
        chart=chart,
    )


def _area_row(name: str, s) -> dict:
    return {
        "name": name,
        "total": fmt_int(s.total),
        "done": fmt_int(s.done),
        "on_time": fmt_int(s.done_on_time),
        "late": fmt_int(s.done_late),
        "open": fmt_int(s.total - s.done - s.stopped - s.overdue),
        "overdue": fmt_int(s.overdue),
    }


def results(ctx: ReportContext) -> Html:
    """II. Kết quả thực hiện các nhiệm vụ CCHC: one subsection per reform area."""
    r = ctx.results
    targets_by_id = {t.id: t for t in ctx.plan.targets}
    areas: list[dict[str, Any]] = []
    for code, title, sm in r.by_area:
        if _is_direction(title):
            continue
        cfg = area_config(title)
        states = [s for s in r.tasks if s.area == code]
        done = [_task_item(ctx, s) for s in states if s.status == "done" and s.completed_in_period]
        open_ = [_task_item(ctx, s) for s in states if s.status not in ("done", "stopped")]
        area_targets = [
            _target_row(t)
            for t in r.targets
            if (tg := targets_by_id.get(t.target_id)) is not None and tg.area == code
        ]
        chart_list = []
        for name in cfg.get("charts", []):
            svg = charts.CHARTS[name](r)
            if svg:
                caption = {
                    "dossiers": "Hồ sơ tiếp nhận theo tháng và tỷ lệ giải quyết đúng hạn",
                    "online_share": "Cơ cấu hồ sơ tiếp nhận theo hình thức",
                }[name]
                chart_list.append({"svg": svg, "caption": caption})
        areas.append(
            {
                "title": sentence_case(title),
                "summary": _summary_sentence(sm, "Lĩnh vực"),
                "done": done,
                "open": open_,
                "targets": area_targets,
                "stats": _stats_rows(ctx, cfg.get("indicators", []), cfg.get("rates", [])),
                "charts": chart_list,
            }
        )
    n = 2
    for a in areas:
        for c in a["charts"]:
            c["caption"] = f"Biểu đồ {n}. {c['caption']}"
            n += 1
    return _render("results.html.j2", areas=areas, period_label=ctx.period.label)


def assessment(ctx: ReportContext) -> Html:
    """III. Đánh giá chung: the analyst's text, or a draft from the data marked as such."""
    r = ctx.results

    def part(key: str, draft_fn) -> dict:
        text = narrative_text(r, key)
        return {"text": text, "draft": False} if text else {"text": draft_fn(ctx), "draft": True}

    weaknesses = part("ton_tai", draft_weaknesses)
    if not weaknesses["draft"]:
        facts = overdue_lines(ctx)
        if facts:
            weaknesses["text"] += (
                "\nCác nhiệm vụ quá hạn, chưa hoàn thành (theo số liệu báo cáo):\n"
            )
            weaknesses["text"] += "\n".join(facts)
    causes = part("nguyen_nhan", draft_causes)
    annual = _annual(ctx) if ctx.is_annual else None
    return _render(
        "assessment.html.j2",
        strengths=part("uu_diem", draft_strengths),
        weaknesses=weaknesses,
        causes=causes,
        annual=annual,
        year=ctx.period.year,
    )


def _annual(ctx: ReportContext) -> dict:
    r = ctx.results
    judged = [t for t in r.targets if t.met is not None]
    met = sum(1 for t in judged if t.met)
    unfinished = [
        _task_item(ctx, s)
        for s in r.tasks
        if s.status != "done" and s.timeliness not in ("ongoing",)
    ]
    prev_year = ctx.period.year - 1
    if ctx.previous_year is None and ctx.notes:
        comparison = " ".join(ctx.notes)
    elif ctx.previous_year is None:
        comparison = (
            f"Không có số liệu năm {prev_year} trong thư mục dữ liệu nên báo cáo chưa so sánh "
            f"được kết quả năm {ctx.period.year} với năm {prev_year}."
        )
    else:
        p = ctx.previous_year.summary
        c = r.summary
        comparison = (
            f"Năm {ctx.period.year} hoàn thành {fmt_int(c.done)}/{fmt_int(c.total)} nhiệm vụ; "
            f"năm {prev_year} hoàn thành {fmt_int(p.done)}/{fmt_int(p.total)} nhiệm vụ. "
            "Số liệu thống kê hai năm được so sánh tại Phụ lục II."
        )
    return {
        "targets_sentence": (
            f"Trong {fmt_int(len(r.targets))} chỉ tiêu đo lường được của Kế hoạch, "
            f"{fmt_int(len(judged))} chỉ tiêu có số liệu để đánh giá: đạt {fmt_int(met)}, "
            f"chưa đạt {fmt_int(len(judged) - met)}."
        ),
        "targets": [_target_row(t) for t in r.targets],
        "unfinished": unfinished,
        "comparison": comparison,
    }


def next_period(ctx: ReportContext) -> Html:
    """IV. Nhiệm vụ, giải pháp trọng tâm kỳ tới."""
    r = ctx.results
    nxt = ctx.period.next
    states = {s.task_id: s for s in r.tasks}
    due = []
    if nxt.year == ctx.plan.meta.year:
        due = [
            _task_item(ctx, states[t.id])
            for t in tasks_due(ctx.plan, nxt)
            if states[t.id].status not in ("done", "stopped") and not t.deadline.ongoing
        ]
    due_ids = {t["id"] for t in due}
    overdue = [
        _task_item(ctx, s)
        for s in r.tasks
        if s.timeliness == "overdue" and s.task_id not in due_ids
    ]
    return _render(
        "next_period.html.j2",
        analyst=narrative_text(r, "nhiem_vu_ky_toi"),
        due=due,
        overdue=overdue,
        ongoing=r.summary.ongoing,
        next_label=nxt.label,
    )


def proposals(ctx: ReportContext) -> Html:
    """V. Đề xuất, kiến nghị: the analyst's text, or a sentence saying there is none."""
    return _render(
        "proposals.html.j2",
        text=narrative_text(ctx.results, "de_xuat"),
        agency=ctx.agency,
        period_label=ctx.period.label,
    )


def signature(ctx: ReportContext) -> Html:
    """Signature block (right) and recipients (left)."""
    p = ctx.params
    meta = ctx.plan.meta
    recipients = [x.strip().lstrip("-").strip() for x in p.recipients if x.strip()]
    if not any(x.lower().startswith("lưu") for x in recipients):
        recipients.append("Lưu: VT.")
    if p.signer_title:
        title, position = p.signer_title, p.signer_position
    else:
        title, position = meta.signer_title, meta.signer_position or ""
    return _render(
        "signature.html.j2",
        recipients=recipients,
        title=title.upper(),
        position=position.upper(),
        name=p.signer_name or meta.signer_name,
    )


def appendix_tasks(ctx: ReportContext) -> Html:
    """Phụ lục I: every task of the plan with its state at the period end, by area."""
    r = ctx.results
    by_area: dict[str, list[dict]] = {}
    for s in r.tasks:
        task = ctx.plan.task(s.task_id)
        by_area.setdefault(s.area, []).append(
            {
                "id": s.task_id,
                "task": task.task,
                "lead": _lead(task),
                "deadline": task.deadline.raw,
                "status": STATUSES.get(s.status, s.status) if s.source_month else "Chưa báo cáo",
                "percent": fmt_number(s.percent, 0) if s.percent is not None else "",
                "completed": fmt_date(s.completed_on) if s.completed_on else "",
                "result": clip(s.result, 260),
                "timeliness": TIMELINESS.get(s.timeliness, s.timeliness),
            }
        )
    groups = [
        {"code": a.code, "title": sentence_case(a.title), "tasks": by_area.get(a.code, [])}
        for a in ctx.plan.areas
    ]
    return _render(
        "appendix_tasks.html.j2",
        groups=groups,
        period_label=ctx.period.label,
        number=doc_number(ctx),
        date_phrase=date_phrase(ctx),
        agency=ctx.agency,
    )


def appendix_statistics(ctx: ReportContext) -> Html:
    """Phụ lục II: each indicator this period vs the previous one; every target, plan vs actual."""
    from cchc_lib.indicators import compare

    catalog = load_catalog()
    rows = compare(ctx.results, ctx.previous)
    by_code = {row.code: row for row in rows}
    groups = []
    stt = 0
    for group, name in catalog.groups:
        items = []
        for ind in catalog.indicators:
            if ind.group != group or ind.code not in by_code:
                continue
            row = by_code[ind.code]
            stt += 1
            items.append(
                {
                    "stt": stt,
                    "name": ind.name,
                    "unit": ind.unit_label,
                    "current": _value_text(ind.code, row.current),
                    "previous": _value_text(ind.code, row.previous) if ctx.previous else "—",
                    "change": _change(row.change),
                }
            )
        groups.append({"name": name, "rows": items})
    rate_rows = []
    for code, (name, _, _) in RATES.items():
        rate = by_code.get(code)
        if rate is None:
            continue
        stt += 1
        rate_rows.append(
            {
                "stt": stt,
                "name": name,
                "unit": "%",
                "current": fmt_pct(rate.current) or "—",
                "previous": (fmt_pct(rate.previous) or "—") if ctx.previous else "—",
                "change": _change(rate.change, pct=True),
            }
        )
    if rate_rows:
        groups.append({"name": "Tỷ lệ", "rows": rate_rows})
    prev = ctx.period.previous
    note = ""
    if ctx.previous is None:
        note = "Ghi chú: " + (
            " ".join(ctx.notes)
            if ctx.notes
            else f"không có số liệu {prev.label} nên chưa so sánh được với kỳ trước."
        )
    return _render(
        "appendix_stats.html.j2",
        groups=groups,
        targets=[_target_row(t) for t in ctx.results.targets],
        period_label=ctx.period.label,
        current_label=ctx.period.label[:1].upper() + ctx.period.label[1:],
        previous_label=prev.label[:1].upper() + prev.label[1:],
        previous_note=note,
        number=doc_number(ctx),
        date_phrase=date_phrase(ctx),
        agency=ctx.agency,
    )


def _change(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    text = fmt_number(abs(value), 1)
    return f"{sign}{text}{' điểm %' if pct else ''}"
