"""Reading a parameters file safely: a regular UTF-8 file of at most :data:`MAX_BYTES`,
YAML whose aliases, nesting and expanded size are limited before any value is built, a key
written twice refused, dates kept as text; messages that never spell out a huge value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cchc_lib.errors import ParameterError, clip
from cchc_lib.run.inputs import NotRegularFile, read_regular

MAX_BYTES = 256 * 1024
"""A parameters file is a few hundred bytes; anything larger than this is refused unread."""
MAX_DEPTH = 16
MAX_ALIASES = 64
MAX_NODES = 20_000
"""YAML limits checked on the event stream, before any value is built: nesting depth,
number of aliases, and the number of values after expanding every alias."""


def plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def show_path(path: Path) -> str:
    """A path as the user typed it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def show(value: Any) -> str:
    """A value for a message, cut short (a message never spells out a huge value)."""
    if isinstance(value, str):
        return json.dumps(clip(value, 120), ensure_ascii=False)
    return clip(json.dumps(plain(value), ensure_ascii=False, default=str), 120)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings (``report_date: 2022-03-14`` stays text) and
    refuses a key written twice in one mapping."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise _DuplicateKey(key, seen[key], line)
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, first: int, again: int) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _refuse(shown: str, what: str, mark: Any = None) -> ParameterError:
    where = f" (dòng {mark.line + 1})" if mark is not None else ""
    return ParameterError(
        f"Tệp tham số {shown} {what}{where}, nên không được đọc. Cách sửa: viết mỗi tham số "
        'trên một dòng "khóa: giá trị" (danh sách trong dấu [ ]), không dùng bí danh YAML '
        "(&tên, *tên) lồng nhau."
    )


def _check_shape(text: str, shown: str) -> None:
    """Refuse deep nesting, many aliases or a huge expanded size, reading only YAML events
    (no value is built, so an alias bomb costs nothing)."""
    stack: list[list[Any]] = []  # per open collection: [anchor, values inside]
    sizes: dict[str, int] = {}
    aliases = total = 0

    def add(n: int, mark: Any) -> None:
        nonlocal total
        if stack:
            stack[-1][1] += n
        total += n
        if total > MAX_NODES:
            raise _refuse(
                shown,
                f"có hơn {MAX_NODES:,} giá trị khi mở rộng bí danh YAML".replace(",", "."),
                mark,
            )

    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _refuse(shown, f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)", mark)
            stack.append([event.anchor, 0])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size + 1
            total -= size  # counted when added; the whole is re-added to the parent
            add(size + 1, mark)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            add(1, mark)
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _refuse(shown, f"dùng quá nhiều bí danh YAML (hơn {MAX_ALIASES})", mark)
            add(sizes.get(event.anchor or "", 1), mark)


def _yaml_problem(exc: yaml.YAMLError, shown: str) -> ParameterError:
    if isinstance(exc, _DuplicateKey):
        return ParameterError(
            f'Tệp tham số {shown}: khóa "{clip(str(exc.key), 60)}" được ghi hai lần (dòng '
            f"{exc.first} và dòng {exc.again}); không rõ giá trị nào là đúng. Cách sửa: giữ "
            "một dòng, xóa dòng kia."
        )
    where = ""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}"
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return ParameterError(
        f"Tệp tham số {shown} sai cú pháp YAML{where} ({clip(str(detail), 120)}). Cách sửa: mỗi "
        'dòng một cặp "khóa: giá trị", thụt lề bằng dấu cách, chuỗi có dấu ":" hoặc "#" '
        "đặt trong dấu ngoặc kép."
    )


def read_mapping(text: str, shown: str, declared: Mapping[str, Any]) -> dict[str, Any]:
    """The file's mapping of keys to values; a syntax error or another shape is an error."""
    try:
        _check_shape(text, shown)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, shown) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise _refuse(shown, "lồng nhau quá sâu") from None
    if not isinstance(data, dict):
        found = "tệp rỗng" if data is None else f"{type(data).__name__} {show(data)}"
        raise ParameterError(
            f'Tệp tham số {shown} phải gồm các cặp "khóa: giá trị", nhưng tìm thấy {found}. '
            f'Cách sửa: viết mỗi tham số trên một dòng, ví dụ report: "2022-Q1"; các khóa '
            f"hợp lệ: {', '.join(sorted(declared))}."
        )
    return data


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            what = (
                "bị cắt cụt: byte cuối cùng là một chữ có dấu bị cắt dở (tệp chưa ghi xong "
                "hoặc bị hỏng khi chép)"
            )
        else:
            what = f"không phải văn bản UTF-8 (byte thứ {exc.start + 1} không hợp lệ)"
        raise ParameterError(
            f"Tệp tham số {shown} {what}. Cách sửa: mở tệp bằng trình soạn thảo văn bản và lưu "
            "lại với mã hóa UTF-8."
        ) from None
    if "\x00" in text:
        raise ParameterError(
            f"Tệp tham số {shown} không phải tệp văn bản (có byte 0). Cách sửa: chỉ định đúng "
            "tệp .yaml của báo cáo."
        )
    return text


def read_parameters_text(source: Path) -> str:
    """The text of a parameters file: a regular UTF-8 file of at most :data:`MAX_BYTES`."""
    shown = show_path(source)
    try:
        raw = read_regular(source, MAX_BYTES)
    except NotRegularFile as exc:
        raise ParameterError(
            f"Tệp tham số {shown} là {exc.strerror}, không phải tệp văn bản, nên không được đọc. "
            "Cách sửa: chỉ định đúng tệp .yaml của báo cáo."
        ) from None
    except ValueError:
        raise ParameterError(
            f"Tệp tham số {shown} lớn hơn {MAX_BYTES // 1024} KB, không phải một tệp tham số "
            "(chỉ vài chục dòng). Cách sửa: chỉ định đúng tệp .yaml của báo cáo."
        ) from None
    except FileNotFoundError:
        raise ParameterError(
            f"Không tìm thấy tệp tham số {shown}. Cách sửa: kiểm tra đường dẫn; "
            "các tệp tham số nằm trong thư mục parameters/ của dự án."
        ) from None
    except OSError as exc:
        from cchc_lib.errors import describe_os_error

        reason, fix = describe_os_error(exc)
        raise ParameterError(
            f"Không đọc được tệp tham số {shown}: {reason}. Cách sửa: {fix}."
        ) from None
    return _decode(raw, shown)
