"""Build the bundled previous year, ``data/2021/``: a 2021 plan derived from the bundled 2022
plan (its years moved back by one) and twelve months of synthetic workbooks under it.

The 2022 reports compare with it (Q1 with Q1 and Q4 2021, H1 with H1 2021, Q3 with Q3 2021,
the year with 2021). Deterministic: running it again gives the same files byte for byte.

    .venv/bin/python tools/make_previous_year.py
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "plan" / "000_04455437811e3eec.txt"
OUT = ROOT / "data" / "2021"
PLAN_NAME = "ke-hoach-cchc-2021.txt"


def year_back(text: str) -> str:
    """The plan text one year earlier: 2021 -> 2020, then 2022 -> 2021."""
    text = re.sub(r"(?<!\d)2021(?!\d)", "2020", text)
    return re.sub(r"(?<!\d)2022(?!\d)", "2021", text)


def main() -> None:
    from cchc_lib.monthly.sample import generate_year
    from cchc_lib.plan import load_plan

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("2021-*.xlsx"):
        old.unlink()
    plan_path = OUT / PLAN_NAME
    plan_path.write_bytes(year_back(SEED.read_text("utf-8")).encode("utf-8"))
    for suffix in (".units.yaml", ".links.yaml"):
        side = SEED.with_name(SEED.stem + suffix)
        if side.is_file():
            shutil.copyfile(side, plan_path.with_name(plan_path.stem + suffix))
    plan = load_plan(plan_path)
    assert plan.meta.year == 2021, plan.meta.year
    # the dossiers pending at the end of 2021 are those January 2022 carried in
    from cchc_lib.monthly import load_month

    january = load_month(ROOT / "data" / "2022" / "2022-01.xlsx", load_plan(SEED))
    carried = dict(january.indicators)["hs_ky_truoc"]
    assert carried is not None
    paths = generate_year(plan, 2021, OUT, seed=2021, closing_pending=int(carried))
    print(f"{plan_path.relative_to(ROOT)} and {len(paths)} workbooks in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
