"""The report notebook's parameters as one typed value (what ``parameters/*.yaml`` holds)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from cchc_lib.errors import ParameterError

if TYPE_CHECKING:
    from cchc_lib.model import Plan
    from cchc_lib.periods import Period

__all__ = ["DERIVED_KEYS", "ReportParameters", "derive"]


@dataclass(frozen=True)
class ReportParameters:
    """The parameters of one report. Empty strings mean "derive it" (from the plan, the
    period or the data folder); see the README, "Parameters"."""

    report: str
    plan: str
    data: str
    window_rule: str = "official"
    report_number: str = ""
    report_date: str = ""
    signer_title: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    agency: str = ""
    parent_agency: str = ""
    draft: bool = True  # "DỰ THẢO" marks and highlighted generated passages
    docx_base: str = ""  # a restyled base .docx (empty: the one shipped in the package)
    dossiers: str = ""  # folder of one-stop system exports (empty: <data>/ho-so if present)
    previous_year_data: str = ""  # last year's monthly data (empty: data/<year - 1> if present)
    formats: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ReportParameters:
        """The known keys of ``values`` (a notebook's variables), cleaned; others ignored."""
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                continue
            if key in ("recipients", "formats"):
                clean[key] = tuple(str(v) for v in (value or ()))
            elif key == "draft":
                clean[key] = bool(value)
            else:
                clean[key] = "" if value is None else str(value)
        return cls(**clean)


# ---------------------------------------------------------------- derivation

FROM_FILE = "tệp tham số"
FROM_PLAN = "kế hoạch"
DERIVED_KEYS = (
    "agency",
    "parent_agency",
    "signer_title",
    "signer_position",
    "signer_lines",
    "signer_name",
    "report_date",
    "recipients",
)
"""Keys that, left empty or out, are derived from the plan or the period (never from the
notebook's defaults or the bundled example)."""
LATEST_REPORT_DAYS = 45
"""A report is dated on or after its period's cut-off day and at most this many days after."""
SIGNATURE_KEYS = ("signer_title", "signer_position", "signer_lines")


def _given(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value is not None


def _lines(values: Any) -> list[str]:
    return [str(v).strip() for v in values or () if v is not None and str(v).strip()]


def _file_or_plan(
    values: Mapping[str, Any], key: str, planned: str | None, what: str, out: dict, src: dict
) -> bool:
    """``key`` from the file when given, else the plan's value (its source naming ``what``);
    False when neither has it."""
    if _given(values.get(key)):
        out[key], src[key] = str(values[key]).strip(), FROM_FILE
    elif planned:
        out[key], src[key] = planned, f"{FROM_PLAN} ({what})"
    else:
        return False
    return True


def _signature(values: Mapping[str, Any], meta: Any, out: dict, src: dict, problems: list) -> None:
    """The signature block (title lines) comes whole from the file or whole from the plan."""
    if any(_given(values.get(k)) for k in SIGNATURE_KEYS):
        lines = _lines(values.get("signer_lines"))
        title = str(values.get("signer_title") or "").strip() or (lines[0] if lines else "")
        position = str(values.get("signer_position") or "").strip()
        if not lines:
            lines = [x for x in (title, position) if x]
        origin = FROM_FILE
    else:
        lines = _lines(getattr(meta, "signer_lines", None))
        if not lines:
            lines = _lines((meta.signer_title, meta.signer_position))
        title, position = (lines + ["", ""])[:2]
        origin = f"{FROM_PLAN} (khối chữ ký)"
        if len(lines) > 2:  # two keys cannot hold three lines: the report prints the plan's
            title = position = ""
            origin = f"{FROM_PLAN} (khối chữ ký {len(lines)} dòng: {' / '.join(lines)})"
        if not lines:
            problems.append(
                'Khóa "signer_title" không có trong tệp tham số và kế hoạch không có khối chữ '
                'ký để lấy chức danh người ký. Cách sửa: ghi signer_title: "GIÁM ĐỐC" (và '
                'signer_position: "PHÓ GIÁM ĐỐC" khi ký thay).'
            )
    out.update(signer_title=title, signer_position=position, signer_lines=lines)
    src.update(dict.fromkeys(SIGNATURE_KEYS, origin))
    if not _file_or_plan(values, "signer_name", meta.signer_name, "người ký", out, src):
        problems.append(
            'Khóa "signer_name" không có trong tệp tham số và kế hoạch không ghi tên người ký. '
            'Cách sửa: ghi signer_name: "Họ và tên người ký".'
        )


def _agencies(values: Mapping[str, Any], meta: Any, out: dict, src: dict, problems: list) -> None:
    if not _file_or_plan(values, "agency", meta.agency, "tên cơ quan ban hành", out, src):
        problems.append(
            'Khóa "agency" không có trong tệp tham số và kế hoạch không ghi tên cơ quan. '
            'Cách sửa: ghi agency: "Tên cơ quan" (ví dụ "Sở Công Thương").'
        )
    if _given(values.get("parent_agency")):
        out["parent_agency"], src["parent_agency"] = str(values["parent_agency"]).strip(), FROM_FILE
    else:
        out["parent_agency"] = meta.parent or ""
        src["parent_agency"] = (
            f"{FROM_PLAN} (cơ quan cấp trên)"
            if meta.parent
            else f"{FROM_PLAN} (không ghi: để trống)"
        )


def _report_date(
    values: Mapping[str, Any], period: Any, out: dict, src: dict, problems: list
) -> None:
    """Given, or the period's cut-off day; either way between the cut-off and 45 days after."""
    from datetime import date, timedelta

    from cchc_lib.fmt import fmt_date

    raw = str(values.get("report_date") or "").strip()
    if not raw:
        out["report_date"] = period.end.isoformat()
        src["report_date"] = f"quy tắc: ngày chốt số liệu của kỳ ({fmt_date(period.end)})"
        return
    out["report_date"], src["report_date"] = raw, FROM_FILE
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        return  # the format is checked with the other keys
    latest = period.end + timedelta(days=LATEST_REPORT_DAYS)
    if not period.end <= when <= latest:
        side = (
            "trước ngày chốt số liệu"
            if when < period.end
            else f"quá {LATEST_REPORT_DAYS} ngày sau ngày chốt số liệu"
        )
        problems.append(
            f'Khóa "report_date" có giá trị "{raw}" ({fmt_date(when)}): {side} của {period.label} '
            f"({fmt_date(period.end)}). Cách sửa: ghi ngày từ {period.end.isoformat()} đến "
            f"{latest.isoformat()}, hoặc bỏ khóa này để dùng ngày {period.end.isoformat()}; "
            'kiểm tra cả khóa "report" (mã kỳ).'
        )


def _recipients(values: Mapping[str, Any], meta: Any, out: dict, src: dict, problems: list) -> None:
    """Given, or the plan's "Nơi nhận", or the parent authority and the archive."""
    given = _lines(values.get("recipients"))
    if given:
        out["recipients"], src["recipients"] = given, FROM_FILE
    elif _lines(meta.recipients):
        out["recipients"] = _lines(meta.recipients)
        src["recipients"] = f"{FROM_PLAN} (Nơi nhận của kế hoạch)"
    elif out.get("parent_agency"):
        out["recipients"] = [f"{out['parent_agency']};", "Lưu: VT."]
        src["recipients"] = "quy tắc: cơ quan cấp trên và Lưu: VT"
    else:
        problems.append(
            'Khóa "recipients" không có trong tệp tham số, kế hoạch không có phần "Nơi nhận" '
            "và không ghi cơ quan cấp trên. Cách sửa: ghi recipients: "
            '["UBND tỉnh;", "Sở Nội vụ;", "Lưu: VT."].'
        )


def derive(
    values: Mapping[str, Any], plan: Plan, period: Period
) -> tuple[dict[str, Any], dict[str, str]]:
    """Complete the report's parameters: every key of :data:`DERIVED_KEYS` left empty or out
    of ``values`` is derived, and for each of those keys where its value came from.

    Rules (README, "Parameters"): the signature block (``signer_title``,
    ``signer_position``, ``signer_lines``) comes whole from the file when it gives any of
    them, else from the plan's signature (a block of three lines is left to the plan:
    ``signer_title``/``signer_position`` stay empty and the report prints the plan's lines); ``signer_name`` from the plan's signer;
    ``agency``/``parent_agency`` from the plan's header (no parent when the plan names
    none); ``report_date`` is the period's cut-off day (``period.end``) and a given one must
    lie between that day and 45 days after it; ``recipients`` are the plan's "Nơi nhận",
    else the parent authority and "Lưu: VT.". A key that cannot be derived is an error
    naming it: :class:`~cchc_lib.errors.ParameterError` lists every such problem.

    Returns (``values`` with the derived keys filled in, ``{key: source}`` for those keys),
    sources being "tệp tham số", "kế hoạch (…)" or "quy tắc: …".
    """
    out: dict[str, Any] = dict(values)
    sources: dict[str, str] = {}
    problems: list[str] = []
    meta = plan.meta
    _agencies(values, meta, out, sources, problems)
    _signature(values, meta, out, sources, problems)
    _report_date(values, period, out, sources, problems)
    _recipients(values, meta, out, sources, problems)
    if problems:
        raise ParameterError("\n".join(problems), problems)
    return out, sources
