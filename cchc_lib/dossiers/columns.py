"""The columns of a dossier export, matched by their header text wherever the header row is.

Vendors name the same column differently ("Mã hồ sơ", "MaHoSo", "Số hồ sơ"); a header cell
matches an alias ignoring case, diacritics, spaces and punctuation. Personal columns (chủ hồ
sơ, địa chỉ, CCCD, điện thoại, email) are recognised only so that they are never read: their
position is not even kept.

>>> rows = [["DANH SÁCH HỒ SƠ"], [], ["STT", "MaHoSo", "Chủ hồ sơ", "Ngày nhận", "Hạn xử lý",
...        "Ngày kết thúc xử lý", "Kênh thực hiện", "Trạng thái"]]
>>> h = find_header(rows)
>>> h.row, h.columns["ma_ho_so"], h.columns["ngay_co_ket_qua"], "chu_ho_so" in h.columns
(2, 1, 5, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cchc_lib.text import fold

__all__ = [
    "FIELDS",
    "HEADER_SCAN",
    "OPTIONAL",
    "REQUIRED",
    "Header",
    "field_label",
    "find_header",
    "header_key",
]

HEADER_SCAN = 30
"""The header row is looked for in this many first rows."""

# key: (label shown in messages, aliases). Order matters only for messages.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ma_ho_so": (
        "Mã hồ sơ",
        ("Mã hồ sơ", "MaHoSo", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận", "Mã biên nhận"),
    ),
    "ngay_tiep_nhan": (
        "Ngày tiếp nhận",
        ("Ngày tiếp nhận", "Ngày nhận", "NgayTiepNhan", "Ngày nhận hồ sơ", "Thời gian tiếp nhận"),
    ),
    "ngay_hen_tra": (
        "Ngày hẹn trả",
        (
            "Ngày hẹn trả",
            "Hạn xử lý",
            "NgayHenTra",
            "Ngày hẹn trả kết quả",
            "Hạn giải quyết",
            "Hạn trả kết quả",
        ),
    ),
    "ngay_co_ket_qua": (
        "Ngày có kết quả",
        (
            "Ngày có kết quả",
            "Ngày kết thúc xử lý",
            "NgayKetThucXuLy",
            "Ngày hoàn thành",
            "Ngày giải quyết xong",
            "Ngày xử lý xong",
        ),
    ),
    "ngay_tra": ("Ngày trả kết quả", ("Ngày trả kết quả", "NgayTra", "Ngày trả")),
    "kenh": (
        "Hình thức nộp",
        ("Hình thức nộp", "Kênh thực hiện", "KenhThucHien", "Kênh nộp", "Hình thức tiếp nhận"),
    ),
    "trang_thai": ("Trạng thái", ("Trạng thái", "TrangThaiHoSo", "Trạng thái hồ sơ", "TrangThai")),
    "thu_tuc": (
        "Tên TTHC",
        ("Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính", "Thủ tục hành chính", "TenTTHC"),
    ),
    "ma_thu_tuc": ("Mã TTHC", ("Mã TTHC", "Mã thủ tục", "MaTTHC", "Mã thủ tục hành chính")),
    "linh_vuc": ("Lĩnh vực", ("Lĩnh vực", "LinhVuc", "Tên lĩnh vực")),
    "don_vi": (
        "Đơn vị tiếp nhận",
        (
            "Đơn vị tiếp nhận",
            "Đơn vị giải quyết",
            "Cơ quan giải quyết",
            "Đơn vị xử lý",
            "DonViXuLy",
            "Cơ quan tiếp nhận",
            "Đơn vị",
        ),
    ),
}

PERSONAL: tuple[str, ...] = (
    "Chủ hồ sơ",
    "ChuHoSo",
    "Người nộp",
    "Tên người nộp",
    "Người nộp hồ sơ",
    "Tổ chức, cá nhân",
    "Địa chỉ",
    "DiaChi",
    "CCCD",
    "Số CCCD",
    "CMND",
    "Số CMND",
    "CCCD/CMND",
    "Số giấy tờ",
    "Điện thoại",
    "Số điện thoại",
    "SoDienThoai",
    "Email",
    "Thư điện tử",
)

REQUIRED = ("ma_ho_so", "ngay_tiep_nhan", "ngay_hen_tra", "ngay_co_ket_qua", "kenh")
"""Without these the statistics cannot be told; a missing one is an error for the file."""
OPTIONAL = ("trang_thai", "thu_tuc", "ma_thu_tuc", "linh_vuc", "don_vi")
LOADED = REQUIRED + OPTIONAL
"""The columns read from the rows (``ngay_tra`` is recognised, not needed)."""


def header_key(text: object) -> str:
    """The matching form of a header: folded, letters and digits only.

    >>> header_key("Mã hồ sơ") == header_key("MaHoSo") == header_key("MÃ HỒ SƠ ")
    True
    """
    return re.sub(r"[^0-9a-z]+", "", fold(str(text)))


_ALIASES = {header_key(a): key for key, (_, names) in FIELDS.items() for a in names}
_PERSONAL = {header_key(a) for a in PERSONAL}


def field_label(key: str) -> str:
    return FIELDS[key][0]


@dataclass(frozen=True)
class Header:
    """Where the header row is (0-based index in the rows given) and each known field's
    column (0-based). ``found`` lists every header text of that row, for messages;
    personal columns are shown by their header only."""

    row: int
    columns: dict[str, int]
    found: tuple[str, ...]
    names: dict[str, str]  # field -> its header text in the file

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(k for k in REQUIRED if k not in self.columns)


def _match(cells: Sequence[object]) -> tuple[dict[str, int], int]:
    columns: dict[str, int] = {}
    personal = 0
    for c, v in enumerate(cells):
        if v is None or not isinstance(v, str) or not v.strip():
            continue
        k = header_key(v)
        if k in _PERSONAL:
            personal += 1
        elif k in _ALIASES and _ALIASES[k] not in columns:
            columns[_ALIASES[k]] = c
    return columns, personal


def _header(i: int, cells: Sequence[object], columns: dict[str, int]) -> Header:
    names = {k: str(cells[c]).strip() for k, c in columns.items()}
    return Header(i, columns, _texts(cells), names)


def _texts(cells: Sequence[object]) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in cells if isinstance(v, str) and v.strip())


def find_header(rows: Sequence[Sequence[object]]) -> Header | None:
    """The header row among the first :data:`HEADER_SCAN` rows: the first holding the dossier
    number and the received date, or else the row matching most fields (at least three).
    None when no row looks like a header."""
    best: tuple[int, int, dict[str, int]] | None = None
    for i, cells in enumerate(rows[:HEADER_SCAN]):
        columns, personal = _match(cells)
        if "ma_ho_so" in columns and "ngay_tiep_nhan" in columns:
            return _header(i, cells, columns)
        score = len(columns) + personal
        if len(columns) >= 3 and (best is None or score > best[0]):
            best = (score, i, columns)
    if best is None:
        return None
    return _header(best[1], rows[best[1]], best[2])


def best_guess_texts(rows: Sequence[Sequence[object]]) -> tuple[str, ...]:
    """The texts of the row with most text cells (what the file seems to have as headers)."""
    candidates = [_texts(r) for r in rows[:HEADER_SCAN]]
    return max(candidates, key=len, default=())


def needed_text() -> str:
    """The required columns with their accepted names, for messages."""
    return "; ".join(f"{FIELDS[k][0]} (hoặc: {', '.join(FIELDS[k][1][1:4])})" for k in REQUIRED)
