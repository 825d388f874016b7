"""The derived keys of a parameters file: what it leaves out, completed from its plan and
its period (:func:`cchc_lib.report.parameters.derive`), each value's source recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from cchc_lib.errors import CchcError, ParameterError, clip
from cchc_lib.periods import parse_period
from cchc_lib.report.parameters import DERIVED_KEYS, derive
from cchc_lib.run.params import RULE_KEY, ParametersFile
from cchc_lib.run.yamlfile import show_path as _show_path


def _load_plan(path: str, cache: dict[str, Any]) -> Any:
    if path not in cache:
        from cchc_lib.plan import load_plan

        try:
            cache[path] = load_plan(path)
        except CchcError as exc:
            cache[path] = exc
        except (OSError, ValueError, MemoryError, RecursionError) as exc:
            cache[path] = exc
    return cache[path]


def complete(params: ParametersFile, plans: dict[str, Any] | None = None) -> ParametersFile:
    """``params`` with every derived key filled in from the plan and the period (see
    :func:`cchc_lib.report.parameters.derive`), each value's source recorded.

    ``plans`` caches plans read by path (a batch reads each plan once). Raises
    :class:`ParameterError` naming the parameters file and every key that cannot be derived.
    """
    if params.derived:
        return params
    shown = _show_path(params.source)
    plan = _load_plan(str(params.values["plan"]), {} if plans is None else plans)
    if isinstance(plan, BaseException):
        detail = str(plan) if isinstance(plan, CchcError) else f"{type(plan).__name__}: {plan}"
        raise ParameterError(
            f"Tệp tham số {shown}: không đọc được kế hoạch để lấy các thông tin còn thiếu "
            f"(người ký, cơ quan, nơi nhận). {clip(detail, 2000)}"
        )
    period = parse_period(params.period, str(params.values.get(RULE_KEY, "official")))
    wanted = {k: params.values[k] for k in DERIVED_KEYS if k in params.values}
    try:
        done, sources = derive(wanted, plan, period)
    except ParameterError as exc:
        problems = exc.problems
        count = f"{len(problems)} lỗi" if len(problems) > 1 else "lỗi"
        raise ParameterError(
            f"Tệp tham số {shown} có {count}:\n" + "\n".join(f"- {p}" for p in problems), problems
        ) from None
    values = dict(params.values)
    values.update({k: v for k, v in done.items() if k in params.values})
    merged = {**params.sources, **{k: v for k, v in sources.items() if k in values}}
    return replace(
        params, values=MappingProxyType(values), sources=MappingProxyType(merged), derived=True
    )


def complete_batch(reports: Sequence[ParametersFile]) -> list[ParametersFile]:
    """:func:`complete` for every report; one :class:`ParameterError` listing all problems."""
    plans: dict[str, Any] = {}
    done: list[ParametersFile] = []
    messages: list[str] = []
    for r in reports:
        try:
            done.append(complete(r, plans))
        except ParameterError as exc:
            if str(exc) not in messages:
                messages.append(str(exc))
    if messages:
        raise ParameterError("\n\n".join(messages))
    return done
