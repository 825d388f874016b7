"""Parameters files (``parameters/*.yaml``): load and validate them before any kernel starts.

A report notebook declares its parameters, with defaults, in a cell tagged
``parameters``; a YAML file gives the values of one run. Validation compares the
file with that cell (through :func:`papermill.inspect_notebook`): unknown keys,
values whose type differs from the default's, missing input files, bad
``formats`` or ``report_date`` values. Every problem of a file is collected into
one :class:`~cchc_lib.errors.ParameterError`, and every file of a batch into one.

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

import yaml

from cchc_lib.errors import ParameterError, PeriodError
from cchc_lib.paths import find_project_root
from cchc_lib.periods import RULES, parse_period
from cchc_lib.report.formats import FORMATS

__all__ = [
    "ANY",
    "DATE_KEYS",
    "FORMATS",
    "PATH_KEYS",
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
_PATH_KINDS = {"plan": "file", "data": "dir"}
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
        )


def _rebuild(
    source: Path,
    root: Path,
    notebook: Path,
    values: dict[str, Any],
    formats: tuple[str, ...],
    validate_seconds: float,
) -> ParametersFile:
    return ParametersFile(
        source, root, notebook, MappingProxyType(values), formats, validate_seconds
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------- reading


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings (``report_date: 2022-03-14`` stays text)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_notebook(root: Path) -> Path:
    """``notebooks/report.ipynb`` under the project root."""
    return root / DEFAULT_NOTEBOOK


def _show_path(path: Path) -> str:
    """A path as the user typed it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _show(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, default=str)


def declared_parameters(notebook: str | os.PathLike[str]) -> dict[str, Any]:
    """Names and default values of a notebook's ``parameters`` cell.

    A default that is not a Python literal maps to :data:`ANY` (accepts any value).
    Raises :class:`ParameterError` if the notebook is missing or has no such cell.
    """
    import nbformat
    import papermill

    path = Path(notebook)
    shown = _show_path(path)
    if not path.is_file():
        raise ParameterError(
            f"Không tìm thấy sổ tay báo cáo {shown}. Cách sửa: kiểm tra đường dẫn, "
            "hoặc chỉ định sổ tay bằng tùy chọn --notebook."
        )
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types
        raise ParameterError(
            f"Sổ tay {shown} không đọc được ({type(exc).__name__}: {exc}). "
            "Cách sửa: mở và lưu lại sổ tay bằng Jupyter."
        ) from exc
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ParameterError(
            f'Sổ tay {shown} không có ô được gắn thẻ "parameters". Cách sửa: gắn thẻ '
            '"parameters" cho ô khai báo tham số (View > Cell Toolbar > Tags trong Jupyter).'
        )
    inspected = papermill.inspect_notebook(str(path))
    return {name: _literal(info.get("default")) for name, info in inspected.items()}


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
    """Resolve a path value against ``root``; note a problem if it does not exist."""
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
        problems.append(
            f'Khóa "{key}" có giá trị {_show(value)}: không tìm thấy {_what(key)} {path}. '
            f"Cách sửa: sửa đường dẫn (tính từ thư mục dự án {root})."
        )
    return str(path)


def _read_yaml(text: str, shown: str, declared: Mapping[str, Any]) -> dict[str, Any]:
    """The file's mapping of keys to values; a syntax error or another shape is an error."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}"
        detail = getattr(exc, "problem", None) or str(exc)
        raise ParameterError(
            f"Tệp tham số {shown} sai cú pháp YAML{where} ({detail}). Cách sửa: mỗi dòng "
            'một cặp "khóa: giá trị", thụt lề bằng dấu cách, chuỗi có dấu ":" hoặc "#" '
            "đặt trong dấu ngoặc kép."
        ) from exc
    if not isinstance(data, dict):
        found = "tệp rỗng" if data is None else f"{type(data).__name__} {_show(data)}"
        raise ParameterError(
            f'Tệp tham số {shown} phải gồm các cặp "khóa: giá trị", nhưng tìm thấy {found}. '
            f'Cách sửa: viết mỗi tham số trên một dòng, ví dụ report: "2022-Q1"; các khóa '
            f"hợp lệ: {', '.join(sorted(declared))}."
        )
    return data


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


def _resolve_paths(values: dict[str, Any], root: Path, problems: list[str]) -> None:
    """Input paths made absolute (and checked); the output folder made absolute."""
    for key in PATH_KEYS:
        if key in values:
            values[key] = _check_path(key, values[key], root, problems)
    if isinstance(values.get(OUTPUT_KEY), str):
        out = Path(values[OUTPUT_KEY] or "output")
        values[OUTPUT_KEY] = str((out if out.is_absolute() else root / out).resolve())


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
    Raises one :class:`ParameterError` listing every problem found.
    """
    shown = _show_path(source)
    data = _read_yaml(text, shown, declared)
    problems: list[str] = []
    _check_keys(data, declared, notebook, problems)
    values: dict[str, Any] = {k: v for k, v in declared.items() if v is not ANY}
    values.update({k: v for k, v in data.items() if k in declared})
    _resolve_paths(values, root, problems)
    _check_period(values, declared, notebook, problems)
    _check_dates(values, problems)
    export = tuple(formats) if formats is not None else FORMATS
    if formats is None and isinstance(values.get("formats"), list):
        export, found = parse_formats(values["formats"], where='Khóa "formats"')
        problems.extend(found)
    if "formats" in declared:
        values["formats"] = list(export)
    if problems:
        count = f"{len(problems)} lỗi" if len(problems) > 1 else "lỗi"
        raise ParameterError(
            f"Tệp tham số {shown} có {count}:\n" + "\n".join(f"- {p}" for p in problems)
        )
    return ParametersFile(
        source=source,
        root=root,
        notebook=notebook,
        values=MappingProxyType(values),
        formats=export,
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
    source = Path(path).resolve()
    root = find_project_root(source)
    nb_path = Path(notebook).resolve() if notebook else default_notebook(root)
    if not source.is_file():
        raise ParameterError(
            f"Không tìm thấy tệp tham số {_show_path(source)}. Cách sửa: kiểm tra đường dẫn; "
            "các tệp tham số nằm trong thư mục parameters/ của dự án."
        )
    if declared is None:
        declared = declared_parameters(nb_path)
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"Tệp tham số {_show_path(source)} không phải văn bản UTF-8 (byte {exc.start}). "
            "Cách sửa: lưu lại tệp với mã hóa UTF-8."
        ) from exc
    params = parse_parameters(
        text, declared, source=source, root=root, notebook=nb_path, formats=formats
    )
    return replace(params, validate_seconds=time.perf_counter() - tick)


def load_batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    notebook: str | os.PathLike[str] | None = None,
    formats: Sequence[str] | None = None,
) -> list[ParametersFile]:
    """Validate every parameters file; raise one :class:`ParameterError` listing all problems."""
    reports: list[ParametersFile] = []
    messages: list[str] = []
    cache: dict[Path, Mapping[str, Any]] = {}
    for path in paths:
        source = Path(path).resolve()
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
    if messages:
        raise ParameterError("\n\n".join(messages))
    return reports
