"""The CCHC plan as structured data: ``load_plan(path) -> Plan``.

Reads the text form (converted from the signed document, appendix tab-separated)
and the Word form (.docx, appendix as a real table). Columns are matched by
their header text (:mod:`cchc_lib.plan.columns`), so plans with other column sets read too.

Task ids are ``{area}.{row}.{k}``, or ``{area}.{sub}.{row}.{k}`` under a sub-area, with
the area code as the plan writes it (I, 1 or A) and ``sub`` the sub-area's last number;
``row`` is the row's number (the last number of "1.2", a letter's place for "b)", the
order in the area for "-" or unnumbered rows) and ``k`` the task's place within the row
(rows with an empty TT add tasks to the row above). The README has the table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from cchc_lib.errors import PlanFormatError
from cchc_lib.model import Area, Deadline, Plan, PlanMeta, Solution, SubArea, Target, Task
from cchc_lib.plan.basis import cited_documents
from cchc_lib.plan.body import BodyParse, parse_body
from cchc_lib.plan.budget import parse_budget
from cchc_lib.plan.deadline import parse_deadline
from cchc_lib.plan.measures import extract_measures
from cchc_lib.plan.sources import RawDocument, read_source
from cchc_lib.plan.table import TableParse, parse_table, split_items, strip_html
from cchc_lib.plan.units import aliases_for, default_aliases, split_units
from cchc_lib.text import nfc

__all__ = ["load_plan", "parse_plan"]

_ANNEX_OF = re.compile(r"\(Kèm theo .*?\bcủa\s+(?P<agency>[^)]+)\)", re.IGNORECASE)


def load_plan(path: str | Path, *, aliases: Mapping[str, str] | None = None) -> Plan:
    """Read a plan file (.txt or .docx).

    Unit aliases come from the package defaults plus ``<stem>.units.yaml`` beside the plan.

    >>> plan = load_plan("data/plan/000_04455437811e3eec.txt")  # from the project root
    >>> plan.meta.year
    2022
    """
    doc = read_source(path)
    return parse_plan(doc, aliases=aliases if aliases is not None else aliases_for(path))


def _refused(doc: RawDocument, table: TableParse, what: str) -> PlanFormatError:
    """The error for a table that gives no areas or no tasks, showing its first rows."""
    rows = table.skipped or [(loc, cells) for loc, cells in doc.rows]
    shown = []
    for loc, cells in rows[:3]:
        text = " | ".join(c.replace("\n", " ") for c in cells if c.strip())
        shown.append(f'{loc}: "{text[:100]}{"…" if len(text) > 100 else ""}"')
    where = f" (tiêu đề cột ở {doc.header_loc})" if doc.header_loc else ""
    first = f" Các dòng đầu không dùng được: {'; '.join(shown)}." if shown else ""
    return PlanFormatError(doc.source, None, f"bảng nhiệm vụ{where} {what}{first}")


def parse_plan(doc: RawDocument, *, aliases: Mapping[str, str] | None = None) -> Plan:
    """Build a :class:`Plan` from a document already read by :func:`read_source`."""
    aliases = default_aliases() if aliases is None else aliases
    body = parse_body(list(doc.paragraphs) + list(doc.trailing), doc.source)
    table = parse_table(doc)
    warnings: list[str] = list(body.warnings) + list(doc.notes) + table.warnings
    if not table.areas:
        raise _refused(
            doc,
            table,
            "không có dòng lĩnh vực nào: cần các dòng chỉ ghi số thứ tự lĩnh vực (I, II, …; "
            "1, 2, …; hoặc A, B, …) kèm tên lĩnh vực. Hãy kiểm tra phụ lục nhiệm vụ của kế hoạch.",
        )
    year = body.year
    if year is None:
        raise PlanFormatError(
            doc.source,
            None,
            'không xác định được năm của kế hoạch: cần tiêu đề "KẾ HOẠCH … NĂM 2022" '
            'hoặc dòng "…, ngày … tháng … năm 2022".',
        )
    meta = _meta(doc, body, year, warnings)
    tasks = _tasks(doc, table, year, aliases, warnings)
    if not tasks:
        raise _refused(
            doc, table, "không có nhiệm vụ nào (dòng đánh số 1, 2, …; a), b), …; hoặc “-”)."
        )
    return Plan(
        source=doc.source,
        meta=meta,
        purposes=tuple(body.purposes),
        goals=tuple(body.goals),
        targets=_targets(body, table),
        solutions=tuple(Solution(a, t, s, x) for a, t, s, x in body.solutions),
        areas=tuple(
            Area(a.code, a.title, tuple(SubArea(c, t) for c, t in a.subareas)) for a in table.areas
        ),
        tasks=tasks,
        warnings=tuple(warnings),
    )


def _meta(doc: RawDocument, body: BodyParse, year: int, warnings: list[str]) -> PlanMeta:
    agency = body.agency
    if not agency:
        for _, text in doc.paragraphs:
            if m := _ANNEX_OF.search(text):
                agency = nfc(m.group("agency"))
                break
    if not agency:
        warnings.append(
            "Không xác định được cơ quan ban hành kế hoạch; hãy khai báo trong tham số báo cáo."
        )
    if not body.signer_title:
        warnings.append("Không tìm thấy chức danh người ký kế hoạch.")
    header_lines = body.header_lines or (
        ((body.parent.upper(),) if body.parent else ()) + ((agency.upper(),) if agency else ())
    )
    return PlanMeta(
        agency=agency,
        parent=body.parent,
        number=body.number,
        place=body.place,
        date=body.date,
        year=year,
        title=body.title,
        signer_title=body.signer_title,
        signer_position=body.signer_position,
        signer_name=body.signer_name,
        recipients=tuple(body.recipients),
        basis=cited_documents(_preamble(doc)),
        header_lines=header_lines,
        signer_lines=tuple(body.signer_lines),
    )


_FIRST_SECTION = re.compile(r"^\**\s*I\s*[.:]\s")


def _preamble(doc: RawDocument) -> str:
    """The text between the title and section I, where a plan cites what it implements."""
    lines = []
    for _, text in doc.paragraphs:
        if _FIRST_SECTION.match(text):
            break
        lines.append(text)
    return " ".join(lines)


def _sub_short(sub: str | None) -> str | None:
    return sub.split(".")[-1] if sub else None


def _row_order(table: TableParse):
    areas = {a.code: i for i, a in enumerate(table.areas)}
    subs = {(a.code, s[0]): i for a in table.areas for i, s in enumerate(a.subareas)}

    def key(row) -> tuple[int, int]:
        return areas.get(row.area, 0), subs.get((row.area, row.subarea), -1)

    return key


def _deadline(c: dict[str, str], year: int) -> tuple[Deadline, list[str]]:
    """The task's deadline; a start column ("Bắt đầu") is kept beside it."""
    deadline, warn = parse_deadline(c["deadline"], year)
    warns = [warn] if warn else []
    if not c.get("start"):
        return deadline, warns
    start, swarn = parse_deadline(c["start"], year)
    if swarn:
        warns.append(f"thời gian bắt đầu: {swarn}")
    begin = deadline.start
    if start.start and deadline.end and start.start <= deadline.end:
        begin = start.start  # the plan's own start, not the start the end cell implies
    return replace(deadline, start=begin, start_raw=start.raw), warns


def _tasks(
    doc: RawDocument, table: TableParse, year: int, aliases: Mapping[str, str], warnings: list[str]
) -> tuple[Task, ...]:
    out: list[Task] = []
    has_lead = "lead" in doc.columns
    for row in sorted(table.rows, key=_row_order(table)):
        for k, draft in enumerate(row.tasks, start=1):
            c = draft.cells
            parts = (
                [row.area]
                + ([_sub_short(row.subarea)] if row.subarea else [])
                + [str(row.num), str(k)]
            )
            task_id = ".".join(p for p in parts if p)
            deadline, warns = _deadline(c, year)
            warnings.extend(f"{draft.loc} (nhiệm vụ {task_id}): {w}" for w in warns)
            lead = split_units(c["lead"], aliases)
            out.append(
                Task(
                    id=task_id,
                    area=row.area,
                    subarea=row.subarea,
                    row=row.num,
                    target=strip_html(row.target),
                    task=" ".join(split_items(c["task"])) if c["task"] else "",
                    activities=split_items(c["activities"]),
                    outputs=split_items(c["outputs"]),
                    lead=lead,
                    partners=split_units(c["partners"], aliases),
                    deadline=deadline,
                    budget=parse_budget(c["budget"], unit=doc.budget_unit),
                    source_line=_line_no(draft.loc),
                )
            )
            if not c["task"]:
                warnings.append(f"{draft.loc} (nhiệm vụ {task_id}): ô Nhiệm vụ trống.")
            elif has_lead and not lead:
                warnings.append(
                    f"{draft.loc} (nhiệm vụ {task_id}): ô Chủ trì trống; hãy ghi đơn vị chủ trì "
                    "trong kế hoạch (báo cáo sẽ ghi nhiệm vụ chưa rõ đơn vị chủ trì)."
                )
    return tuple(out)


def _line_no(loc: str) -> int | None:
    m = re.search(r"(\d+)$", loc)
    return int(m.group(1)) if m else None


def _targets(body: BodyParse, table: TableParse) -> tuple[Target, ...]:
    out: list[Target] = []
    for section, items in (("II.1", body.goals), ("II.2", body.targets)):
        for i, text in enumerate(items, start=1):
            out.append(Target(f"{section}.{i}", section, text, extract_measures(text)))
    for row in table.rows:
        text = strip_html(row.target)
        if not text:
            continue
        parts = (
            ["PL", row.area] + ([_sub_short(row.subarea)] if row.subarea else []) + [str(row.num)]
        )
        out.append(
            Target(
                ".".join(p for p in parts if p),
                "appendix",
                text,
                extract_measures(text),
                area=row.area,
                subarea=row.subarea,
                row=row.num,
            )
        )
    return tuple(out)
