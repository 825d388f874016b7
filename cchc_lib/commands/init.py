"""``cchc init --plan PLAN DIR``: a working folder for a new agency or a new year.

The folder gets, from the plan alone:

- ``data/plan/<plan file>``: the plan copied byte for byte, with its ``.units.yaml`` and
  ``.links.yaml`` when they are beside it;
- ``data/<year>/<year>-01.xlsx`` … ``-12.xlsx``: the twelve monthly templates;
- ``parameters/<year>-Q1.yaml``, ``-H1``, ``-Q3``, ``-Y``: the four reports of the year,
  with the agency and the signer read from the plan;
- ``notebooks/report.ipynb`` and ``explore.ipynb`` (their defaults pointing at this plan)
  and a ``README.md`` of first steps, unless the folder already has them.

Nothing that exists is replaced: when a file to be written is already there (and differs),
the command stops before writing anything. So the same command sets up a new year in an
existing folder: ``cchc init --plan ke-hoach-2024.docx .``.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

from cchc_lib.errors import CchcError

REPORTS = ("Q1", "H1", "Q3", "Y")
NOTEBOOKS = ("report.ipynb", "explore.ipynb")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="tạo thư mục làm việc cho một cơ quan hoặc một năm mới từ kế hoạch CCHC",
        description="Tạo thư mục làm việc: chép kế hoạch, tạo 12 biểu mẫu tháng, 4 tệp tham số "
        "báo cáo (quý I, 6 tháng, quý III, năm) và hướng dẫn các bước đầu.",
    )
    p.add_argument("--plan", required=True, help="tệp kế hoạch CCHC (.txt hoặc .docx)")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục làm việc (tạo mới nếu chưa có)")
    p.set_defaults(func=cmd_init)


def _q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(value, ensure_ascii=False)


def parameters_text(plan, plan_rel: str, code: str) -> str:
    """The parameters file of one report, from the plan's meta."""
    from cchc_lib.periods import parse_period

    m = plan.meta
    year = m.year
    title, position = m.signer_title, m.signer_position or ""
    if len(m.signer_lines) > 2:  # two keys cannot hold three lines: the plan's lines are used
        title = position = ""
    lines = [
        f"# Báo cáo kết quả CCHC {parse_period(code).label} của {m.agency or 'cơ quan'}.",
        f"# Tạo bằng cchc init từ kế hoạch {Path(plan_rel).name}; sửa lại nếu cần.",
        "# Đường dẫn tính từ thư mục làm việc (thư mục chứa parameters/). Ngày viết dạng YYYY-MM-DD.",
        f"report: {_q(code)}",
        f"plan: {_q(plan_rel)}",
        f"data: {_q(f'data/{year}')}",
        'window_rule: "official"',
        'report_number: ""',
        f"signer_title: {_q(title)}",
        f"signer_position: {_q(position)}",
        f"signer_name: {_q(m.signer_name)}",
        f"agency: {_q(m.agency)}",
        f"parent_agency: {_q(m.parent or '')}",
        "draft: true",
        'output_dir: "output"',
        'formats: ["html", "pdf"]',
    ]
    if len(m.signer_lines) > 2:
        lines.insert(
            8,
            "# signer_title, signer_position để trống: báo cáo in đủ các dòng chức danh ký của "
            "kế hoạch: " + " / ".join(m.signer_lines),
        )
    return "\n".join(lines) + "\n"


def readme_text(plan, plan_rel: str) -> str:
    m = plan.meta
    y = m.year
    return f"""# Báo cáo cải cách hành chính — {m.agency or "cơ quan"}, năm {y}

Thư mục làm việc do `cchc init` tạo từ kế hoạch `{plan_rel}`.

## Các bước đầu

1. Kiểm tra kế hoạch đã được đọc đúng: `cchc plan show {plan_rel}` (cơ quan, người ký,
   lĩnh vực, nhiệm vụ, thời hạn, chỉ tiêu và các cảnh báo).
2. Gửi cho các phòng, đơn vị biểu mẫu tháng trong `data/{y}/` (`{y}-01.xlsx` …
   `{y}-12.xlsx`); nhận lại và chép đè vào đúng tên tệp của tháng.
3. Kiểm tra số liệu: `cchc validate data/{y} --plan {plan_rel}`.
4. Xem và sửa các tệp tham số trong `parameters/` (ngày báo cáo, số báo cáo, người ký,
   nơi nhận), rồi lập báo cáo: `cchc run parameters/{y}-Q1.yaml` hoặc
   `cchc run --all parameters/`. Báo cáo nằm trong `output/{y}/`.
5. Năm sau: `cchc init --plan <kế hoạch năm mới> .` trong thư mục này thêm kế hoạch, biểu
   mẫu và tham số của năm mới, không thay đổi tệp nào đã có.

Muốn thử trước khi có số liệu thật: `cchc sample --plan {plan_rel} --year {y} -o data/{y}
--force` sinh số liệu giả lập (ghi đè các biểu mẫu trống).
"""


def _notebook(source: Path, plan_rel: str, year: int) -> bytes:
    """The package's notebook with its parameters' defaults pointing at this plan."""
    import nbformat

    nb = nbformat.read(str(source), as_version=4)
    for cell in nb.cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        src = cell.source
        for key, value in (("report", f"{year}-Q1"), ("plan", plan_rel), ("data", f"data/{year}")):
            src = re.sub(rf'(?m)^{key} = "[^"\n]*"', f"{key} = {_q(value)}", src)
        cell.source = src
    return nbformat.writes(nb).encode("utf-8")


def _package_notebooks() -> Path | None:
    import cchc_lib

    folder = Path(cchc_lib.__file__).resolve().parent.parent / "notebooks"
    return folder if (folder / NOTEBOOKS[0]).is_file() else None


def _templates(plan, year: int) -> dict[str, bytes]:
    from cchc_lib.monthly.template import write_template

    out = {}
    with tempfile.TemporaryDirectory(prefix="cchc-init-") as tmp:
        for month in range(1, 13):
            label = f"{year}-{month:02d}"
            path = Path(tmp) / f"{label}.xlsx"
            write_template(plan, label, path)
            out[f"data/{year}/{label}.xlsx"] = path.read_bytes()
    return out


def _read(path: Path) -> bytes:
    from cchc_lib.plan.sources import MAX_PLAN_BYTES, read_regular_file

    try:
        return read_regular_file(path, MAX_PLAN_BYTES)
    except ValueError as exc:
        raise CchcError(f"Không đọc được {path}: {exc}") from None


def planned_files(plan, plan_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(files that must be new, files written only when absent), by path in the folder."""
    from cchc_lib.indicators.links import links_path_for
    from cchc_lib.plan.units import units_path_for

    year = plan.meta.year
    plan_rel = f"data/plan/{plan_path.name}"
    files = {plan_rel: _read(plan_path)}
    for side in (units_path_for(plan_path), links_path_for(plan_path)):
        if side.exists():
            files[f"data/plan/{side.name}"] = _read(side)
    files.update(_templates(plan, year))
    for code in REPORTS:
        files[f"parameters/{year}-{code}.yaml"] = parameters_text(
            plan, plan_rel, f"{year}-{code}"
        ).encode("utf-8")
    optional = {"README.md": readme_text(plan, plan_rel).encode("utf-8")}
    if (nb_dir := _package_notebooks()) is not None:
        for name in NOTEBOOKS:
            if (nb_dir / name).is_file():
                optional[f"notebooks/{name}"] = _notebook(nb_dir / name, plan_rel, year)
    return files, optional


def cmd_init(args: argparse.Namespace) -> int:
    from cchc_lib.atomic import write_all
    from cchc_lib.indicators.links import load_links
    from cchc_lib.plan import load_plan

    plan_path = Path(args.plan)
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise CchcError(f"{folder} là một tệp, không phải thư mục. Hãy chọn một thư mục.")
    plan = load_plan(plan_path)
    load_links(plan_path)  # a broken .links.yaml stops here, before anything is written
    files, optional = planned_files(plan, plan_path)
    clashes = [
        rel
        for rel, data in files.items()
        if (folder / rel).exists() and not _same(folder / rel, data)
    ]
    if clashes:
        shown = ", ".join(clashes[:5]) + (
            f" và {len(clashes) - 5} tệp khác" if len(clashes) > 5 else ""
        )
        raise CchcError(
            f"Thư mục {folder} đã có {shown}. cchc init không ghi đè tệp nào; hãy chọn thư mục "
            "khác, hoặc chuyển các tệp đó đi nếu muốn tạo lại. Chưa ghi tệp nào."
        )
    writes = {folder / rel: data for rel, data in files.items() if not (folder / rel).exists()}
    writes.update({folder / rel: d for rel, d in optional.items() if not (folder / rel).exists()})
    for path in writes:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all(writes)
    (folder / "output").mkdir(exist_ok=True)
    _report(plan, folder, writes, optional)
    return 0


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _report(plan, folder: Path, writes: dict[Path, bytes], optional: dict[str, bytes]) -> None:
    from cchc_lib.commands.plan import terminal_safe

    m = plan.meta
    y = m.year
    print(
        terminal_safe(
            f"Đã tạo thư mục làm việc {folder} cho {m.agency or 'cơ quan'}, năm {y}: "
            f"{len(writes)} tệp (kế hoạch, 12 biểu mẫu tháng trong data/{y}/, 4 tệp tham số)."
        )
    )
    if "notebooks/report.ipynb" not in optional:
        print(
            "Lưu ý: không tìm thấy sổ tay báo cáo của cchc để chép vào thư mục; khi chạy báo cáo "
            "hãy chỉ định sổ tay bằng cchc run --notebook."
        )
    print(f"Các bước tiếp theo: xem {folder / 'README.md'}.")
