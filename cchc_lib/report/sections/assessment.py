"""III. Đánh giá chung: strengths, weaknesses and causes; at year end, the year's balance."""

from __future__ import annotations

from collections.abc import Callable

from cchc_lib.report.context import ReportContext
from cchc_lib.report.doc import Block, Fragment, Heading
from cchc_lib.report.draft import (
    draft_causes,
    draft_strengths,
    draft_weaknesses,
    narrative_text,
    overdue_lines,
)
from cchc_lib.report.sections.common import body, item, lead, name_of, paragraphs, progress_words
from cchc_lib.report.sections.direction import par_index
from cchc_lib.report.sections.tasks import changes
from cchc_lib.report.words import count, join_items, self_name


def _part(ctx: ReportContext, key: str, draft: Callable[[ReportContext], str]) -> list[Block]:
    """The analyst's text for ``key``, or a draft from the data (marked as generated)."""
    text = narrative_text(ctx.results, key)
    if text:
        return list(paragraphs(text))
    return list(paragraphs(draft(ctx), generated=True))


def _weaknesses(ctx: ReportContext) -> list[Block]:
    text = narrative_text(ctx.results, "ton_tai")
    if not text:
        return list(paragraphs(draft_weaknesses(ctx), generated=True))
    blocks: list[Block] = list(paragraphs(text))
    facts = overdue_lines(ctx, listed=True)
    if facts:  # the analyst's text, and the facts it may leave out
        blocks.append(lead("Các nhiệm vụ quá hạn, chưa hoàn thành:", generated=True))
        blocks += [item(f, generated=True) for f in facts]
    return blocks


def _targets_balance(ctx: ReportContext) -> str:
    targets = ctx.results.targets
    # the words of Phụ lục II's "Đánh giá" column, so that the counts can be found there
    said = [
        ("đạt", ("met",)),
        ("hoàn thành", ("done",)),
        ("hoàn thành chậm", ("done_late",)),
        ("chưa đạt", ("not_met",)),
        ("chưa hoàn thành", ("overdue", "in_progress", "not_started")),
    ]
    parts = [
        f"{label} {count(n)}"
        for label, states in said
        if (n := sum(1 for t in targets if t.status in states))
    ]
    unknown = [t for t in targets if t.status in ("unknown", "no_data", "no_link")]
    if unknown:
        why = (
            "thứ hạng Chỉ số CCHC chưa được công bố"
            if all(t.unit == "rank" for t in unknown)
            else "chưa có số liệu"
        )
        parts.append(f"chưa đánh giá được {count(len(unknown))} ({why})")
    text = f"Trong {count(len(targets))} chỉ tiêu của Kế hoạch (chi tiết tại Phụ lục II): "
    return text + ", ".join(parts) + "."


def _comparison(ctx: ReportContext) -> str:
    """Last year beside this one: its tasks (this year's were just said), then the figures
    that moved, each once ("So với năm 2021, số hồ sơ TTHC tiếp nhận giảm 4,5%; …")."""
    prev_year = ctx.period.year - 1
    previous = ctx.previous_year
    if previous is None:
        return f"Chưa có số liệu năm {prev_year} để so sánh."
    sentences = []
    if previous.summary is not None:
        p = previous.summary
        done = p.timed - p.timed_overdue - _open(p)
        how = (
            f" ({count(p.done_on_time)} đúng hạn, {count(p.done_late)} chậm)"
            if p.done_late and p.done_on_time + p.done_late == done
            else ""
        )
        sentences.append(
            f"Năm {prev_year}, {self_name(ctx.agency)} hoàn thành {count(done)}/{count(p.timed)} "
            f"nhiệm vụ có thời hạn{how}."
        )
    moved = []
    for what, code, rate in (
        ("số hồ sơ TTHC tiếp nhận", "hs_tiep_nhan", False),
        ("tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "ty_le_dung_han", True),
        ("tỷ lệ hồ sơ tiếp nhận trực tuyến", "ty_le_truc_tuyen", True),
    ):
        for label, said in changes(ctx, code, rate=rate):
            moved.append(
                f"{what} {said}" + ("" if label == f"năm {prev_year}" else f" so với {label}")
            )
    if moved:
        sentences.append(f"So với năm {prev_year}, {'; '.join(moved)} (chi tiết tại Phụ lục II).")
    return " ".join(sentences)


def _open(s) -> int:
    """Time-bound tasks not done and not overdue at the period end."""
    return s.timed_due_soon - s.timed_due_soon_done + s.timed_later - s.timed_later_done


def _annual(ctx: ReportContext) -> list[Block]:
    r = ctx.results
    unfinished = [s for s in r.tasks if s.kind == "timed" and s.status != "done"]
    blocks: list[Block] = [
        Heading(f"3. Đánh giá kết quả thực hiện Kế hoạch CCHC năm {ctx.period.year}", 2),
        # the tasks' balance is said once, in I.3; here the targets, the index, last year
        body(_targets_balance(ctx)),
    ]
    if unfinished:
        names = join_items([f"“{name_of(ctx, s)}” ({progress_words(s)})" for s in unfinished])
        blocks.append(body(f"Các nhiệm vụ chưa hoàn thành trong năm: {names}."))
    par = par_index(ctx)
    if par:
        blocks.append(body(par))
    blocks.append(body(_comparison(ctx)))
    return blocks


def assessment(ctx: ReportContext) -> Fragment:
    """III. Đánh giá chung."""
    blocks: list[Block] = [
        Heading("III. ĐÁNH GIÁ CHUNG", 1),
        Heading("1. Ưu điểm", 2),
        *_part(ctx, "uu_diem", draft_strengths),
        Heading("2. Tồn tại, hạn chế và nguyên nhân", 2),
        Heading("a) Tồn tại, hạn chế", 3),
        *_weaknesses(ctx),
        Heading("b) Nguyên nhân", 3),
        *_part(ctx, "nguyen_nhan", draft_causes),
    ]
    if ctx.is_annual:
        blocks += _annual(ctx)
    return Fragment(tuple(blocks))
