"""Immutable values passed between the stages of the pipeline.

plan -> monthly data -> periods -> indicators -> report.  Every stage returns new
values; nothing mutates its input.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from cchc_lib.fmt import iso_date

DEADLINE_KINDS = ("by_date", "window", "recurring", "per_plan", "unspecified")
BUDGET_KINDS = ("none", "approved_estimate", "amount", "unspecified", "other")


@dataclass(frozen=True)
class Deadline:
    """A parsed "Thời gian hoàn thành" cell.

    ``start``/``end`` are resolved against the plan year. ``ongoing`` marks
    recurring work ("Thường xuyên", "Hằng quý") that has no single completion.
    ``dues``: every due date of a task due several times ("Trước ngày 15/6 và 15/12",
    "Tháng 3, tháng 9"), in order; ``end`` is the last of them. Empty for one due date.
    ``start_raw``: the plan's own start cell ("Bắt đầu" of a two-level header), as
    written; ``start`` then comes from it when it is earlier.
    """

    raw: str
    kind: str
    start: date | None = None
    end: date | None = None
    ongoing: bool = False
    dues: tuple[date, ...] = ()
    start_raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "raw": self.raw,
            "kind": self.kind,
            "start": iso_date(self.start),
            "end": iso_date(self.end),
            "ongoing": self.ongoing,
        }
        if self.dues:  # only for tasks due several times, so the common form stays small
            out["dues"] = [iso_date(d) for d in self.dues]
        if self.start_raw:
            out["start_raw"] = self.start_raw
        return out


@dataclass(frozen=True)
class Budget:
    """A parsed "Kinh phí" cell; ``amount_vnd`` only when an amount is written."""

    raw: str
    kind: str
    amount_vnd: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"raw": self.raw, "kind": self.kind, "amount_vnd": self.amount_vnd}


@dataclass(frozen=True)
class Measure:
    """One measurable part of a target: "Có ít nhất 50% TTHC ..." -> >= 50 %."""

    text: str
    comparator: str  # ">=", "=", "<="
    value: float
    stretch: float | None
    unit: str  # "%", "count", "rank"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Target:
    """A target (chỉ tiêu) of the plan.

    ``section`` is "II.1" / "II.2" for the plan body, or "appendix" for the
    "Mục tiêu/Chỉ tiêu" cell of an appendix row (then ``area``/``subarea``/``row``
    say which row). ``id`` is stable: "II.2.5", "PL.III.4", "PL.VII.1.7".
    """

    id: str
    section: str
    text: str
    measures: tuple[Measure, ...] = ()
    area: str | None = None
    subarea: str | None = None
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "area": self.area,
            "subarea": self.subarea,
            "row": self.row,
            "measures": [m.to_dict() for m in self.measures],
        }


@dataclass(frozen=True)
class SubArea:
    code: str  # "7.1"
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title}


@dataclass(frozen=True)
class Area:
    code: str  # Roman numeral "I" .. "VII"
    title: str
    subareas: tuple[SubArea, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "subareas": [s.to_dict() for s in self.subareas],
        }


@dataclass(frozen=True)
class Task:
    """One task of the appendix. ``id`` is "{area}.{row}.{k}" or "{area}.{sub}.{row}.{k}"."""

    id: str
    area: str
    subarea: str | None
    row: int
    target: str
    task: str
    activities: tuple[str, ...]
    outputs: tuple[str, ...]
    lead: tuple[str, ...]
    partners: tuple[str, ...]
    deadline: Deadline
    budget: Budget
    source_line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "area": self.area,
            "subarea": self.subarea,
            "row": self.row,
            "target": self.target,
            "task": self.task,
            "activities": list(self.activities),
            "outputs": list(self.outputs),
            "lead": list(self.lead),
            "partners": list(self.partners),
            "deadline": self.deadline.to_dict(),
            "budget": self.budget.to_dict(),
            "source_line": self.source_line,
        }


@dataclass(frozen=True)
class Solution:
    """A bullet of section III (NHIỆM VỤ VÀ GIẢI PHÁP)."""

    area: str  # "1" .. "7"
    area_title: str
    subarea: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PlanMeta:
    """The plan's header and signature.

    ``agency``: the issuing agency as the preamble writes it ("Sở Công Thương",
    "UBND huyện Yên Thành"); ``parent``: the authority above it as the header or the
    preamble names it ("UBND tỉnh Nghệ An"), None when the plan does not say.
    ``header_lines``: the left column of the document header, upper case, in order
    (("UBND TỈNH HÀ TĨNH", "SỞ CÔNG THƯƠNG"), ("ỦY BAN NHÂN DÂN", "HUYỆN YÊN THÀNH")).
    ``signer_lines``: the signature block's title lines as printed, one to three
    (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")); ``signer_title`` is the first and
    ``signer_position`` the last when there are two or more.
    """

    agency: str
    parent: str | None
    number: str
    place: str | None
    date: date | None
    year: int
    title: str
    signer_title: str
    signer_position: str | None
    signer_name: str
    recipients: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()  # documents the preamble cites ("Kế hoạch số 520/KH-UBND …")
    header_lines: tuple[str, ...] = ()
    signer_lines: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = iso_date(self.date)
        d["recipients"] = list(self.recipients)
        d["basis"] = list(self.basis)
        d["header_lines"] = list(self.header_lines)
        d["signer_lines"] = list(self.signer_lines)
        return d


@dataclass(frozen=True)
class Plan:
    source: str
    meta: PlanMeta
    purposes: tuple[str, ...]
    goals: tuple[str, ...]
    targets: tuple[Target, ...]
    solutions: tuple[Solution, ...]
    areas: tuple[Area, ...]
    tasks: tuple[Task, ...]
    warnings: tuple[str, ...] = field(default=())

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def area(self, code: str) -> Area:
        for a in self.areas:
            if a.code == code:
                return a
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "meta": self.meta.to_dict(),
            "purposes": list(self.purposes),
            "goals": list(self.goals),
            "targets": [t.to_dict() for t in self.targets],
            "solutions": [s.to_dict() for s in self.solutions],
            "areas": [a.to_dict() for a in self.areas],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
        }


# --- monthly data -------------------------------------------------------------

STATUSES = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "stopped": "Dừng thực hiện",
}
"""Status codes and their Vietnamese labels, as in the template's dropdown."""

NARRATIVE_KEYS = {
    "uu_diem": "Ưu điểm",
    "ton_tai": "Tồn tại, hạn chế",
    "nguyen_nhan": "Nguyên nhân",
    "nhiem_vu_ky_toi": "Nhiệm vụ kỳ tới",
    "de_xuat": "Đề xuất, kiến nghị",
}
"""Narrative parts of the "Thuyết minh" sheet."""


@dataclass(frozen=True)
class TaskProgress:
    """One row of the "Tiến độ" sheet of a monthly workbook."""

    task_id: str
    status: str  # a key of STATUSES
    percent: float | None
    completed_on: date | None
    result: str = ""
    difficulties: str = ""
    note: str = ""
    row: int | None = None


@dataclass(frozen=True)
class MonthData:
    """One validated month: one workbook, or the units' workbooks of the month merged.

    ``source`` is the workbook, or for a merged month the month's folder; ``files`` lists every
    workbook read and ``origins`` the file each task's row and each indicator came from
    (``(task id or "chỉ số:<code>", file)``; empty for a single workbook).
    """

    month: str  # "2022-03"
    source: str
    progress: tuple[TaskProgress, ...]
    indicators: tuple[tuple[str, float | None], ...]  # (code, value) in catalog order
    narrative: tuple[tuple[str, str], ...] = ()  # (key of NARRATIVE_KEYS, text)
    files: tuple[str, ...] = ()
    origins: tuple[tuple[str, str], ...] = ()

    def progress_of(self, task_id: str) -> TaskProgress | None:
        for p in self.progress:
            if p.task_id == task_id:
                return p
        return None

    def indicator(self, code: str) -> float | None:
        return dict(self.indicators).get(code)

    def text(self, key: str) -> str:
        return dict(self.narrative).get(key, "")
