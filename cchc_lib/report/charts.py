"""Charts for the report, as SVG strings with Vietnamese labels (grey tones: prints in black)."""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Any

from cchc_lib.fmt import fmt_pct
from cchc_lib.indicators import Results

GREYS = ("#1a1a1a", "#6e6e6e", "#a8a8a8", "#d4d4d4", "#ffffff")
HATCHES = ("", "", "//", "", "xx")


class _Charts:
    """matplotlib set up once: no pyplot (no backend machinery), bundled serif font."""

    def __init__(self) -> None:
        import matplotlib
        from matplotlib import font_manager
        from matplotlib.figure import Figure

        fonts = resources.files("cchc_lib").joinpath("fonts")
        for name in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
            font_manager.fontManager.addfont(str(fonts.joinpath(name)))
        matplotlib.rcParams.update(
            {
                "font.family": "Liberation Serif",
                "font.size": 11,
                "svg.fonttype": "none",  # text stays text: small SVG, fast to print, searchable
                "svg.hashsalt": "cchc",  # stable ids: the same data gives the same SVG
                "axes.spines.top": False,
                "axes.spines.right": False,
                "axes.edgecolor": "#333333",
                "figure.dpi": 100,
            }
        )
        self.Figure = Figure

    def subplots(self, figsize: tuple[float, float]):
        fig = self.Figure(figsize=figsize)
        return fig, fig.subplots()


@lru_cache(maxsize=1)
def _plt() -> _Charts:
    return _Charts()


PNG_DPI = 200
"""Resolution of the PNG copy of each chart (Word cannot embed SVG)."""

Chart = tuple[str, bytes]
"""A chart: SVG text (HTML, PDF) and PNG bytes (Word) of the same figure."""


_WITH_PNG = [True]


def with_png(enabled: bool) -> None:
    """Whether charts also render their PNG copy (needed only for the Word file)."""
    _WITH_PNG[0] = enabled


def _render(fig) -> Chart:
    """SVG and (when wanted) PNG of ``fig``, cropped to the same tight box computed once."""
    import matplotlib

    box = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches=box, metadata={"Date": None})
    text = buf.getvalue()
    png = io.BytesIO()
    if _WITH_PNG[0]:
        fig.savefig(png, format="png", dpi=PNG_DPI, bbox_inches=box, metadata={"Software": None})
    return text[text.index("<svg") :], png.getvalue()


def _month_label(label: str) -> str:
    return f"T{int(label[5:])}/{label[:4]}"


def task_status_by_area(results: Results, area_label) -> Chart:
    """Horizontal stacked bars: the state of each area's tasks at the period end."""
    plt = _plt()
    rows = [(area_label(code, title), s) for code, title, s in results.by_area]
    fig, ax = plt.subplots((6.3, 0.36 * len(rows) + 1.0))
    labels = [r[0] for r in rows]
    series = [
        ("Hoàn thành đúng hạn", [s.done_on_time for _, s in rows]),
        ("Hoàn thành chậm", [s.done_late for _, s in rows]),
        ("Chưa hoàn thành, trong hạn", [s.total - s.done - s.overdue - s.stopped for _, s in rows]),
        ("Quá hạn", [s.overdue for _, s in rows]),
        ("Dừng thực hiện", [s.stopped for _, s in rows]),
    ]
    left = [0] * len(rows)
    y = list(range(len(rows)))[::-1]
    for (name, values), colour, hatch in zip(series, GREYS, HATCHES, strict=True):
        if not any(values):
            continue
        ax.barh(
            y,
            values,
            left=left,
            color=colour,
            edgecolor="#1a1a1a",
            linewidth=0.6,
            hatch=hatch,
            label=name,
            height=0.6,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlabel("Số nhiệm vụ")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18 - 0.02 * len(rows) / 7),
        ncol=3,
        frameon=False,
        fontsize=9,
    )
    return _render(fig)


def dossiers(results: Results, rule: str = "official") -> Chart | None:
    """Monthly dossiers received (online, by post, in person) and the on-time rate.

    The months are reporting months: under the official rule "tháng 3" runs 15/2–14/3, which
    the axis says. All text is at least 9 pt at the printed size (16 cm wide)."""
    points = [p for p in results.series if p.present]
    if not points:
        return None
    plt = _plt()
    vals = [dict(p.values) for p in points]
    rates = [dict(p.rates).get("ty_le_dung_han") for p in points]
    online = [v.get("hs_truc_tuyen") or 0 for v in vals]
    post = [v.get("hs_bcci") or 0 for v in vals]
    total = [v.get("hs_tiep_nhan") or 0 for v in vals]
    direct = [max(t - o - p, 0) for t, o, p in zip(total, online, post, strict=True)]
    x = list(range(len(points)))
    fig, ax = plt.subplots((6.3, 3.0))
    ax.bar(x, online, color=GREYS[0], label="Trực tuyến", width=0.6)
    ax.bar(
        x,
        post,
        bottom=online,
        color=GREYS[2],
        hatch="//",
        edgecolor="#1a1a1a",
        linewidth=0.6,
        label="Qua bưu chính công ích",
        width=0.6,
    )
    bottom = [a + b for a, b in zip(online, post, strict=True)]
    ax.bar(
        x,
        direct,
        bottom=bottom,
        color=GREYS[3],
        edgecolor="#1a1a1a",
        linewidth=0.6,
        label="Trực tiếp",
        width=0.6,
    )
    ax.set_xticks(x, [f"T{int(p.month[5:])}" for p in points], fontsize=10)
    ax.tick_params(axis="y", labelsize=10)
    ax.set_ylim(0, max(total) * 1.45 if any(total) else 1)  # room above the bars for the rate
    ax.set_xlabel(
        "Tháng báo cáo (số liệu từ ngày 15 tháng trước đến ngày 14 của tháng)"
        if rule == "official"
        else "Tháng",
        fontsize=10,
    )
    ax.set_ylabel("Số hồ sơ tiếp nhận", fontsize=10)
    ax2 = _rate_axis(ax, x, rates, labelled=len(points) <= 6)  # twelve labels would collide
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(
        h1 + h2,
        l1 + l2,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=2,
        frameon=False,
        fontsize=10,
    )
    return _render(fig)


def _rate_axis(ax: Any, x: list[int], rates: list[float | None], *, labelled: bool) -> Any:
    """The on-time rate as a line on a right-hand axis (0–115 %), its points labelled."""
    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    if any(r is not None for r in rates):
        ax2.plot(
            x,
            [r if r is not None else float("nan") for r in rates],
            color="black",
            marker="o",
            linewidth=1.4,
            label="Tỷ lệ giải quyết trước hạn và đúng hạn (%)",
        )
        for xi, r in zip(x, rates, strict=True):
            if r is not None and labelled:
                ax2.annotate(
                    fmt_pct(r),
                    (xi, r),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=10,
                )
    ax2.set_ylim(0, 115)
    ax2.tick_params(axis="y", labelsize=10)
    ax2.set_ylabel("Tỷ lệ trước hạn và đúng hạn (%)", fontsize=10)
    return ax2


CHARTS = {"dossiers": dossiers}
