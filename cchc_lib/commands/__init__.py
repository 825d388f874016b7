"""Sub-commands of ``cchc``: one module each, with ``register(subparsers)``."""

from __future__ import annotations

import argparse

PERIOD_HELP = "kỳ báo cáo: 2022-Q1, 2022-H1, 2022-Q3, 2022-Y (hoặc 2022-Q2, 2022-9M, 2022-03, …)"
RULE_HELP = (
    "cách tính kỳ: official (15 tháng trước – 14 tháng cuối kỳ, mặc định) "
    "hoặc calendar (tháng dương lịch)"
)


def add_period_arguments(
    p: argparse.ArgumentParser, *, period_help: str = PERIOD_HELP, rule_help: str = RULE_HELP
) -> None:
    """``--period`` (required) and ``--rule`` (official or calendar), as every command
    reading a period takes them."""
    from cchc_lib.periods import RULES

    p.add_argument("--period", required=True, help=period_help)
    p.add_argument("--rule", choices=tuple(RULES), default="official", help=rule_help)
