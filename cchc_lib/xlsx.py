"""Writing cells into workbooks this tool makes: text is always inert text.

Every xlsx writer of cchc (plan export, monthly template, sample data, dossier statistics)
puts values through :func:`set_value`, so a cell text that starts with ``=`` (``=HYPERLINK(…)``,
``=cmd|' /C calc'!A0``) is stored as a string, never as a live formula; control characters
that no spreadsheet can hold are made safe (Word's manual line break ``\\x0b`` becomes a line
break) instead of crashing the writer.

>>> safe_text("Dòng 1\\x0bDòng 2\\x1b[31m")
'Dòng 1\\nDòng 2[31m'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["safe_text", "set_value"]

# C0 controls other than tab and line feed, DEL and C1 controls: not allowed in XML 1.0 text
# (or meaningless in a cell); vertical tab, form feed and carriage return are line breaks.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """``text`` with line-break controls as ``\\n`` and other control characters removed."""
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def set_value(cell: Any, value: object) -> None:
    """Write ``value`` into an openpyxl ``cell``; a string is always stored as text."""
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    else:
        cell.value = value
