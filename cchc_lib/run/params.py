"""Parameters files (``parameters/*.yaml``): load and validate them before any kernel starts.

A report notebook declares its parameters, with defaults, in a cell tagged
``parameters``; a YAML file gives the values of one run. Validation compares the
file with that cell: unknown keys, values whose type differs from the default's,
missing input files, bad ``formats`` or ``report_date`` values. Every problem of a
file is collected into one :class:`~cchc_lib.errors.ParameterError`, and every file
of a batch into one.

``report`` and ``plan`` are required; a missing ``data`` is ``data/<year of the report>``
under the project root (or an error); the keys of
:data:`~cchc_lib.report.parameters.DERIVED_KEYS` are derived from the plan and the period
by :func:`complete` (never taken from the notebook's defaults). A parameters file is read
only if it is a regular file of at most :data:`~cchc_lib.run.yamlfile.MAX_BYTES`; YAML aliases, nesting and the
expanded size are limited before anything is built, a key written twice is an error, and
messages never expand a value.

Paths in a parameters file are relative to the project root (the folder holding
``pyproject.toml`` or ``parameters/``); :class:`ParametersFile` holds them absolute.

>>> declared = declared_parameters("notebooks/report.ipynb")        # doctest: +SKIP
>>> p = load_parameters("parameters/2022-Q1.yaml", declared)         # doctest: +SKIP
>>> p.name, p.year, p.formats                                        # doctest: +SKIP
('2022-Q1', 2022, ('html', 'pdf'))
"""

from __future__ import annotations

import ast
import json
import os
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cchc_lib.errors import ParameterError, PeriodError, clip
from cchc_lib.paths import find_project_root
from cchc_lib.periods import RULES, parse_period
from cchc_lib.report.formats import FORMATS
from cchc_lib.report.parameters import DERIVED_KEYS, FROM_FILE
from cchc_lib.run.inputs import read_regular
from cchc_lib.run.yamlfile import plain as _plain
from cchc_lib.run.yamlfile import read_mapping as _read_yaml
from cchc_lib.run.yamlfile import read_parameters_text
from cchc_lib.run.yamlfile import show as _show
from cchc_lib.run.yamlfile import show_path as _show_path

__all__ = [
    "ANY",
    "DATE_KEYS",
    "FORMATS",
    "PATH_KEYS",
    "REQUIRED_KEYS",
    "ParametersFile",
    "declared_parameters",
    "default_notebook",
    "load_batch",
    "load_parameters",
    "parse_formats",
    "parse_parameters",
]

PATH_KEYS: tuple[str, ...] = ("plan", "data")
"""Keys naming input paths: resolved against the project root and required to exist."""
OPTIONAL_PATH_KEYS: tuple[str, ...] = ("docx_base", "dossiers", "previous_year_data")
"""Input paths that may be left empty (derived by the report); checked when given."""
_PATH_KINDS = {
    "plan": "file",
    "data": "dir",
    "docx_base": "file",
    "dossiers": "dir",
    "previous_year_data": "dir",
}
REQUIRED_KEYS: tuple[str, ...] = ("report", "plan")
"""Keys every parameters file must write: no default stands in for them."""
FROM_NOTEBOOK = "mặc định của sổ tay"
OUTPUT_KEY = "output_dir"
"""Key naming the output folder: resolved against the project root, created on demand."""
DATE_KEYS: tuple[str, ...] = ("report_date",)
"""Keys holding a date as a ``YYYY-MM-DD`` string."""
PERIOD_KEY = "report"
RULE_KEY = "window_rule"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_NOTEBOOK = Path("notebooks") / "report.ipynb"


class _Any:
    """Marker for a default whose type cannot be inferred: any value is accepted."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


@dataclass(frozen=True)
class ParametersFile:
    """One validated parameters file: the values a report notebook runs with.

    ``values`` holds the notebook's defaults overlaid with the file's values, with the
    path keys (``plan``, ``data``, ``output_dir``) made absolute.
    """

    source: Path  # the parameters file, absolute
    root: Path  # the project root, absolute
    notebook: Path  # the notebook the file was validated against, absolute
    values: Mapping[str, Any] = field(default_factory=dict)
    formats: tuple[str, ...] = FORMATS  # export formats, in the order of FORMATS
    validate_seconds: float = 0.0  # time spent reading and validating the file
    sources: Mapping[str, str] = field(default_factory=dict)  # key -> where its value came from
    derived: bool = False  # True once :func:`complete` filled in the derived keys

    @property
    def name(self) -> str:
        """The output name: the parameters file's stem (``2022-Q1``)."""
        return self.source.stem

    @property
    def period(self) -> str:
        """The period code (``2022-Q1``) from the ``report`` key."""
        return str(self.values[PERIOD_KEY])

    @property
    def year(self) -> int:
        """The year of the period code."""
        return parse_period(self.period).year

    @property
    def period_label(self) -> str:
        """The period in words ("quý I năm 2022")."""
        return parse_period(self.period).label

    @property
    def output_dir(self) -> Path:
        """The output root (``<root>/output``); reports go to ``<output_dir>/<year>/``."""
        return Path(self.values.get(OUTPUT_KEY) or self.root / "output")

    def to_dict(self) -> dict[str, Any]:
        """The values passed to the notebook, JSON-ready."""
        return {k: _plain(v) for k, v in self.values.items()}

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # mappingproxy does not pickle; reports cross process boundaries in batches
        return _rebuild, (
            self.source,
            self.root,
            self.notebook,
            dict(self.values),
            self.formats,
            self.validate_seconds,
            dict(self.sources),
            self.derived,
        )


def _rebuild(
    source: Path,
    root: Path,
    notebook: Path,
    values: dict[str, Any],
    formats: tuple[str, ...],
    validate_seconds: float,
    sources: dict[str, str],
    derived: bool,
) -> ParametersFile:
    return ParametersFile(
        source,
        root,
        notebook,
        MappingProxyType(values),
        formats,
        validate_seconds,
        MappingProxyType(sources),
        derived,
    )


# ---------------------------------------------------------------- reading


def default_notebook(root: Path) -> Path:
    """``notebooks/report.ipynb`` under the project root."""
    return root / DEFAULT_NOTEBOOK


def _parameters_source(path: Path, shown: str) -> str:
    """The source of the notebook's cell tagged ``parameters``."""
    try:
        nb = json.loads(read_regular(path, 512 << 20))
        cells = nb["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ParameterError(
            f"Sổ tay {shown} không đọc được ({type(exc).__name__}: {clip(str(exc), 200)}). "
            "Cách sửa: mở và lưu lại sổ tay bằng Jupyter."
        ) from None
    if not tagged:
        raise ParameterError(
            f'Sổ tay {shown} không có ô được gắn thẻ "parameters". Cách sửa: gắn thẻ '
            '"parameters" cho ô khai báo tham số (View > Cell Toolbar > Tags trong Jupyter).'
        )
    source = tagged[0].get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def declared_parameters(notebook: str | os.PathLike[str]) -> dict[str, Any]:
    """Names and default values of a notebook's ``parameters`` cell.

    The cell is read as Python (``name = value`` lines, as papermill reads them) without
    starting Jupyter machinery, so validating costs milliseconds. A default that is not a
    Python literal maps to :data:`ANY` (accepts any value). Raises :class:`ParameterError`
    if the notebook is missing, unreadable or has no such cell.
    """
    path = Path(notebook)
    shown = _show_path(path)
    if not path.is_file():
        raise ParameterError(
            f"Không tìm thấy sổ tay báo cáo {shown}. Cách sửa: kiểm tra đường dẫn, "
            "hoặc chỉ định sổ tay bằng tùy chọn --notebook."
        )
    source = _parameters_source(path, shown)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(
            f"Ô parameters của sổ tay {shown} không phải mã Python hợp lệ (dòng {exc.lineno}). "
            'Cách sửa: mỗi dòng một phép gán, ví dụ report = "2022-Q1".'
        ) from None
    declared: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            declared[target.id] = _literal(ast.get_source_segment(source, value))
    return declared


def _literal(source: str | None) -> Any:
    if source is None:
        return ANY
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ANY


# ---------------------------------------------------------------- checks

_TYPE_NAMES = {
    str: 'chuỗi (đặt trong dấu ngoặc kép, ví dụ "…")',
    list: "danh sách (ví dụ [a, b])",
    bool: "true hoặc false",
    float: "số",
    dict: "bảng khóa: giá trị",
}


def _kind(value: Any) -> type | None:
    """The type family a default fixes (None: anything goes)."""
    if value is None or value is ANY:
        return None
    if isinstance(value, bool):
        return bool
    if isinstance(value, int | float):
        return float
    if isinstance(value, list | tuple):
        return list
    if isinstance(value, dict):
        return dict
    if isinstance(value, str):
        return str
    return None


def _type_ok(value: Any, default: Any) -> bool:
    kind = _kind(default)
    if kind is None:
        return True
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is list:
        if not isinstance(value, list):
            return False
        item_kinds = {_kind(d) for d in default}
        if len(item_kinds) == 1 and None not in item_kinds:
            (item_default,) = default[:1]
            return all(_type_ok(v, item_default) for v in value)
        return True
    return isinstance(value, kind)


def parse_formats(value: Any, *, where: str) -> tuple[tuple[str, ...], list[str]]:
    """Validate a list of export formats; return (formats in canonical order, problems)."""
    allowed = ", ".join(FORMATS)
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not value:
        return (), [
            f"{where} có giá trị {_show(value)}, cần một danh sách không rỗng các định dạng. "
            f"Cách sửa: ghi ví dụ [html, pdf]; định dạng hợp lệ: {allowed}."
        ]
    bad = [v for v in value if not isinstance(v, str) or v.strip().lower() not in FORMATS]
    if bad:
        return (), [
            f"{where} có giá trị {_show(value)}: {', '.join(_show(b) for b in bad)} không phải "
            f"định dạng được hỗ trợ. Cách sửa: chỉ dùng {allowed}."
        ]
    wanted = {v.strip().lower() for v in value}
    return tuple(f for f in FORMATS if f in wanted), []


def _what(key: str) -> str:
    return {"file": "tệp", "dir": "thư mục"}.get(_PATH_KINDS.get(key, ""), "đường dẫn")


def _check_path(key: str, value: Any, root: Path, problems: list[str]) -> Any:
    """Resolve a path value against ``root``; note a problem if it is not there (or is a FIFO,
    a device, … where a file or folder should be)."""
    if not isinstance(value, str):
        return value  # a type problem, reported elsewhere
    if not value.strip():
        problems.append(
            f'Khóa "{key}" chưa có đường dẫn. Cách sửa: ghi đường dẫn tới {_what(key)} '
            f"(tính từ thư mục dự án {root})."
        )
        return value
    path = Path(value)
    path = (path if path.is_absolute() else root / path).resolve()
    kind = _PATH_KINDS.get(key, "any")
    exists = {"file": path.is_file, "dir": path.is_dir}.get(kind, path.exists)()
    if not exists:
        found = "không tìm thấy"
        if path.exists():
            found = (
                "đây không phải"
                if kind == "dir" or not path.is_dir()
                else "đây là thư mục, không phải"
            )
        problems.append(
            f'Khóa "{key}" có giá trị {_show(value)}: {found} {_what(key)} {path}. '
            f"Cách sửa: sửa đường dẫn (tính từ thư mục dự án {root})."
        )
    return str(path)


def _check_keys(
    data: Mapping[str, Any], declared: Mapping[str, Any], notebook: Path, problems: list[str]
) -> None:
    """Every key is declared by the notebook, with a value of its default's type."""
    allowed = ", ".join(sorted(declared))
    for key, value in data.items():
        if key not in declared:
            problems.append(
                f'Khóa "{key}" (giá trị {_show(value)}) không có trong ô parameters của sổ tay '
                f"{_show_path(notebook)}. Cách sửa: sửa tên khóa hoặc xóa dòng này; "
                f"các khóa hợp lệ: {allowed}."
            )
            continue
        default = declared[key]
        if not _type_ok(value, default):
            problems.append(
                f'Khóa "{key}" có giá trị {_show(value)} nhưng cần kiểu '
                f"{_TYPE_NAMES.get(_kind(default) or str, '')} như giá trị mặc định {_show(default)}. "
                "Cách sửa: ghi lại giá trị đúng kiểu."
            )


def _check_period(
    values: Mapping[str, Any], declared: Mapping[str, Any], notebook: Path, problems: list[str]
) -> None:
    """The period code and the window rule are valid."""
    rule = values.get(RULE_KEY, "official")
    if RULE_KEY in declared and isinstance(rule, str) and rule not in RULES:
        problems.append(
            f'Khóa "{RULE_KEY}" có giá trị {_show(rule)}, không phải quy tắc tính kỳ. '
            f"Cách sửa: chọn một trong {', '.join(RULES)}."
        )
    if PERIOD_KEY not in declared:
        problems.append(
            f'Sổ tay {_show_path(notebook)} không khai báo tham số "{PERIOD_KEY}" (mã kỳ báo '
            'cáo). Cách sửa: thêm report = "2022-Q1" vào ô parameters.'
        )
    elif isinstance(values.get(PERIOD_KEY), str):
        try:
            parse_period(values[PERIOD_KEY])
        except PeriodError as exc:
            problems.append(
                f'Khóa "{PERIOD_KEY}" có giá trị {_show(values[PERIOD_KEY])}: {exc} '
                "Cách sửa: ghi mã kỳ, ví dụ 2022-Q1, 2022-H1, 2022-Q3, 2022-Y."
            )


def _check_dates(values: Mapping[str, Any], problems: list[str]) -> None:
    for key in DATE_KEYS:
        value = values.get(key)
        if isinstance(value, str) and value:
            try:
                ok = bool(_DATE.match(value)) and date.fromisoformat(value) is not None
            except ValueError:
                ok = False
            if not ok:
                problems.append(
                    f'Khóa "{key}" có giá trị {_show(value)}, không phải ngày hợp lệ. '
                    'Cách sửa: ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ "2022-03-14".'
                )


def _resolve_paths(
    values: dict[str, Any], given: Iterable[str], root: Path, problems: list[str]
) -> dict[str, str]:
    """Input paths made absolute (and checked), ``data`` derived when not given, the output
    folder made absolute; returns the source of each derived path."""
    sources: dict[str, str] = {}
    if "data" not in given and isinstance(values.get(PERIOD_KEY), str):
        try:
            year = parse_period(values[PERIOD_KEY]).year
        except PeriodError:
            year = None
        if year is not None:
            rule = f"data/{year}"
            if (root / rule).is_dir():
                values["data"] = rule
                sources["data"] = f"quy tắc: {rule} trong thư mục dự án"
            else:
                problems.append(
                    f'Thiếu khóa "data" (thư mục số liệu hằng tháng), và thư mục theo quy tắc '
                    f"{rule} không có trong thư mục dự án {root}. Cách sửa: ghi "
                    f'data: "đường/dẫn/tới/thư-mục-số-liệu", hoặc đặt các tệp YYYY-MM.xlsx vào {rule}.'
                )
                values["data"] = ""
    for key in PATH_KEYS:
        if key in values and (key in given or key in sources):
            values[key] = _check_path(key, values[key], root, problems)
    for key in OPTIONAL_PATH_KEYS:
        if isinstance(values.get(key), str) and values[key].strip():
            values[key] = _check_path(key, values[key], root, problems)
    if isinstance(values.get(OUTPUT_KEY), str):
        out = Path(values[OUTPUT_KEY] or "output")
        values[OUTPUT_KEY] = str((out if out.is_absolute() else root / out).resolve())
    return sources


def _check_required(
    data: Mapping[str, Any], declared: Mapping[str, Any], problems: list[str]
) -> None:
    for key, what, example in (
        (PERIOD_KEY, "mã kỳ báo cáo", 'report: "2022-Q1"'),
        ("plan", "tệp kế hoạch CCHC", 'plan: "data/plan/ke-hoach-2022.docx"'),
    ):
        if key in declared and key not in data:
            problems.append(
                f'Thiếu khóa "{key}" ({what}): mỗi tệp tham số phải ghi rõ khóa này, cchc không '
                f"dùng giá trị mặc định của sổ tay thay cho nó. Cách sửa: thêm dòng {example}."
            )


def _check_name(source: Path, values: Mapping[str, Any], problems: list[str]) -> None:
    """A file named after a period must be that period's report (2022-H1.yaml is not Q1)."""
    try:
        named = parse_period(source.stem).code
        wanted = parse_period(str(values.get(PERIOD_KEY))).code
    except PeriodError:
        return
    if named != wanted:
        problems.append(
            f'Tên tệp là mã kỳ {source.stem} nhưng khóa "{PERIOD_KEY}" là {_show(values[PERIOD_KEY])}: '
            f"báo cáo sẽ mang tên {source.stem} mà chứa số liệu kỳ {wanted}. Cách sửa: sửa khóa "
            f'"{PERIOD_KEY}" hoặc đổi tên tệp thành {wanted}{source.suffix}.'
        )


def _initial_values(data: Mapping[str, Any], declared: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's defaults overlaid with the file's values; derived keys the file leaves
    out start empty (to be derived), never at the notebook's default."""
    values: dict[str, Any] = {}
    for key, default in declared.items():
        if default is ANY:
            continue
        if key in DERIVED_KEYS and key not in data:
            values[key] = [] if isinstance(default, list) else ""
        elif key not in REQUIRED_KEYS or key in data:
            values[key] = default
    values.update({k: v for k, v in data.items() if k in declared})
    return values


def _sources(
    values: Mapping[str, Any], given: Iterable[str], formats: Sequence[str] | None
) -> dict[str, str]:
    given = set(given)
    out = {k: FROM_FILE if k in given else FROM_NOTEBOOK for k in values}
    if formats is not None and "formats" in out:
        out["formats"] = "tùy chọn --format"
    return out


def parse_parameters(
    text: str,
    declared: Mapping[str, Any],
    *,
    source: Path,
    root: Path,
    notebook: Path,
    formats: Sequence[str] | None = None,
) -> ParametersFile:
    """Validate the YAML ``text`` of a parameters file against ``declared`` (name -> default).

    ``formats`` (already validated, e.g. from ``--format``) replaces the file's ``formats``.
    Raises one :class:`ParameterError` listing every problem found. The derived keys are
    left for :func:`complete` (it reads the plan).
    """
    shown = _show_path(source)
    data = _read_yaml(text, shown, declared)
    problems: list[str] = []
    _check_required(data, declared, problems)
    _check_keys(data, declared, notebook, problems)
    values = _initial_values(data, declared)
    given = [k for k in data if k in declared]
    derived = _resolve_paths(values, given, root, problems)
    _check_period(values, declared, notebook, problems)
    _check_dates(values, problems)
    _check_name(source, values, problems)
    export = tuple(formats) if formats is not None else FORMATS
    if formats is None and isinstance(values.get("formats"), list):
        export, found = parse_formats(values["formats"], where='Khóa "formats"')
        problems.extend(found)
    if "formats" in declared:
        values["formats"] = list(export)
    if problems:
        count = f"{len(problems)} lỗi" if len(problems) > 1 else "lỗi"
        raise ParameterError(
            f"Tệp tham số {shown} có {count}:\n" + "\n".join(f"- {p}" for p in problems), problems
        )
    return ParametersFile(
        source=source,
        root=root,
        notebook=notebook,
        values=MappingProxyType(values),
        formats=export,
        sources=MappingProxyType({**_sources(values, given, formats), **derived}),
    )


def load_parameters(
    path: str | os.PathLike[str],
    declared: Mapping[str, Any] | None = None,
    *,
    notebook: str | os.PathLike[str] | None = None,
    formats: Sequence[str] | None = None,
) -> ParametersFile:
    """Read and validate one parameters file (see :func:`parse_parameters`).

    ``declared`` defaults to :func:`declared_parameters` of ``notebook`` (itself
    defaulting to ``notebooks/report.ipynb`` under the file's project root).
    """
    tick = time.perf_counter()
    source = Path(os.path.abspath(path))  # a link keeps its own name
    root = find_project_root(source)
    nb_path = Path(notebook).resolve() if notebook else default_notebook(root)
    text = read_parameters_text(source)
    if declared is None:
        declared = declared_parameters(nb_path)
    params = parse_parameters(
        text, declared, source=source, root=root, notebook=nb_path, formats=formats
    )
    return replace(params, validate_seconds=time.perf_counter() - tick)


def _same_outputs(reports: Sequence[ParametersFile]) -> list[str]:
    """Two files of a batch that would write the same report files: one message per clash."""
    by_output: dict[Path, list[ParametersFile]] = {}
    for r in reports:
        by_output.setdefault(r.output_dir / str(r.year) / r.name, []).append(r)
    return [
        f"Các tệp tham số {', '.join(_show_path(r.source) for r in clash)} cùng ghi báo cáo "
        f"{_show_path(out)} (.ipynb, .html, …): báo cáo chạy sau sẽ đè lên báo cáo chạy trước. "
        'Cách sửa: đổi tên một tệp, hoặc ghi khóa "output_dir" khác nhau.'
        for out, clash in by_output.items()
        if len(clash) > 1
    ]


def load_batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    notebook: str | os.PathLike[str] | None = None,
    formats: Sequence[str] | None = None,
) -> list[ParametersFile]:
    """Validate every parameters file; raise one :class:`ParameterError` listing all problems
    (including two files that would write the same report)."""
    reports: list[ParametersFile] = []
    messages: list[str] = []
    cache: dict[Path, Mapping[str, Any]] = {}
    seen: set[Path] = set()
    for path in paths:
        source = Path(os.path.abspath(path))
        if source in seen:
            continue  # the same file twice (a file and its folder given with --all)
        seen.add(source)
        nb_path = (
            Path(notebook).resolve() if notebook else default_notebook(find_project_root(source))
        )
        try:
            if nb_path not in cache:
                cache[nb_path] = declared_parameters(nb_path)
            reports.append(
                load_parameters(source, cache[nb_path], notebook=nb_path, formats=formats)
            )
        except ParameterError as exc:
            if str(exc) not in messages:
                messages.append(str(exc))
    messages += _same_outputs(reports)
    if messages:
        raise ParameterError("\n\n".join(messages))
    return reports
