"""The documents a plan is based on, from its preamble ("Thực hiện Kế hoạch số 520/KH-UBND
ngày 24/12/2021 của UBND tỉnh …"): the report's opening cites them.

>>> cited_documents("Thực hiện Kế hoạch số 520/KH-UBND ngày 24/12/2021 của UBND tỉnh về cải "
...                 "cách hành chính tỉnh Hà Tĩnh năm 2022, Quyết định số 3504/QĐ-UBND ngày "
...                 "21/10/2021 của UBND tỉnh về ban hành Chương trình …")
('Kế hoạch số 520/KH-UBND ngày 24/12/2021 của UBND tỉnh', 'Quyết định số 3504/QĐ-UBND ngày 21/10/2021 của UBND tỉnh')
"""

from __future__ import annotations

import re

from cchc_lib.text import nfc

__all__ = ["cited_documents"]

_KINDS = r"Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Công văn|Chương trình|Thông báo|Hướng dẫn"
_ISSUERS = (
    r"(?:UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân|Tỉnh ủy|Huyện ủy|Thành ủy|Chính phủ|"
    r"Thủ tướng Chính phủ|Bộ|Sở|Ban)"
)
_CITED = re.compile(
    rf"(?P<doc>(?:{_KINDS})\s+số\s+(?P<no>[0-9]+/[0-9A-ZĐa-zđ/-]+)\s+ngày\s+"
    rf"(?P<date>[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}})\s+của\s+(?P<by>{_ISSUERS}"
    r"(?:\s+(?:tỉnh|huyện|thành phố|thị xã|xã))?(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,4}))"
)


def cited_documents(preamble: str) -> tuple[str, ...]:
    """Each document cited by number, date and issuer, in order, without repeats."""
    out: list[str] = []
    for m in _CITED.finditer(nfc(preamble)):
        doc = nfc(m.group("doc"))
        if doc not in out:
            out.append(doc)
    return tuple(out)
