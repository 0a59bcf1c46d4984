"""The charts' common ground: the theme, the ``Chart`` object, and the small helpers every chart uses.

All charts share one theme (``set_theme``): seaborn "whitegrid", DejaVu Sans (bundled with
matplotlib, so Vietnamese diacritics render on any machine, offline), 7.5 in wide for an A4
page, 150 dpi. Figures are plain ``matplotlib.figure.Figure`` objects, never registered with
pyplot: nothing piles up in a long notebook session and nothing needs closing.
"""

from __future__ import annotations

import struct
import textwrap
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from cchc_lib import i18n
from cchc_lib.core import periods
from cchc_lib.i18n import fmt, vocab

from .agg import Canvas

WIDTH = 7.5  # inches: the text width of an A4 page; phones scale it down
DPI = 150
FONT = "DejaVu Sans"
ROW_HEIGHT = 0.28  # inches per row of the one-row-per-item charts
LABEL_CHARS = 45  # row labels longer than this are cut with "…"

# One-stop KPIs drawn month by month, with a colour and marker each (Okabe–Ito colours,
# distinct markers so the lines stay apart in black-and-white print).
MONTHLY_KPIS = ("online_rate", "on_time_rate", "dossier_digitization_rate", "result_digitization_rate")
_KPI_STYLE = {
    "online_rate": ("#0072B2", "o"),
    "on_time_rate": ("#009E73", "s"),
    "dossier_digitization_rate": ("#CC79A7", "^"),
    "result_digitization_rate": ("#E69F00", "D"),
}
_INK = "#333333"
_MUTED = "#777777"


# --- theme and the Chart object -------------------------------------------------------------


def set_theme() -> None:
    """The one look of every chart; idempotent, so each chart function calls it first."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette="colorblind",
        font=FONT,
        font_scale=0.85,
        rc={
            "font.family": "sans-serif",
            "font.sans-serif": [FONT],
            "figure.figsize": (WIDTH, 4.5),
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "savefig.dpi": DPI,
            "savefig.facecolor": "white",
            "savefig.bbox": "tight",
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "figure.titlesize": 12,
            "figure.titleweight": "bold",
            "legend.frameon": False,
            "axes.unicode_minus": True,
            "pdf.fonttype": 42,  # embed TrueType: Vietnamese text stays selectable in PDFs
            "ps.fonttype": 42,
        },
    )


@dataclass(frozen=True)
class Chart:
    """A figure with the title and caption a report prints with it."""

    figure: Figure
    title: str
    caption: str

    def to_png(self, path: str | Path | None = None, dpi: int = DPI) -> bytes:
        """PNG bytes of the whole figure at ``dpi``; also written to ``path`` when given.

        One Agg draw: the figure's constrained layout already keeps every label inside it, so
        the crop of ``savefig(bbox_inches="tight")`` (a layout pass and a bounding-box pass
        before the real draw, most of a chart's time) adds nothing but time. The canvas
        (``agg.Canvas``) rasterises each distinct glyph once per process."""
        fig = self.figure
        kept = fig.dpi
        fig.set_dpi(dpi)
        try:
            canvas = Canvas(fig)
            canvas.draw()
            data = _png(np.asarray(canvas.buffer_rgba()), dpi)
        finally:
            fig.set_dpi(kept)
        if path is not None:
            Path(path).write_bytes(data)
        return data

    def _repr_png_(self) -> bytes:
        return self.to_png()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(rgba: np.ndarray, dpi: float) -> bytes:
    """An RGB PNG of an opaque Agg buffer (white page: RGB is the same picture as RGBA).

    Written here rather than by Pillow: rows unfiltered and zlib level 3 suit flat-colour
    charts, so the file is smaller than Pillow's adaptive-filter level-6 one and is made in
    about half the time. Deterministic: the same pixels give the same bytes."""
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # column 0: filter type 0 (none)
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[..., :3]
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 3)),
            _png_chunk(b"IEND", b""),
        )
    )


# --- small helpers --------------------------------------------------------------------------


def _clean(text) -> str:
    return "" if fmt.is_missing(text) else " ".join(str(text).split())


def _truncate(text: str, limit: int = LABEL_CHARS) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:–-") + "…"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(_clean(text), width)) or _clean(text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _num(x, decimals: int = 0, lang: str = "vi") -> str:
    return fmt.number(x, decimals, lang)


def _pct_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: fmt.percent(v, 0, lang))


def _caption(number: int | None, lang: str, body: str) -> str:
    if number is None:
        return body
    return f"{i18n.t('charts.figure', lang)} {number}. {body}"


def _new_figure(height: float, width: float = WIDTH) -> Figure:
    set_theme()
    return Figure(figsize=(width, height), layout="constrained")


def _title(fig: Figure, title: str) -> None:
    fig.suptitle(_wrap(title, 80), x=0.01, ha="left", fontweight="bold")


def _finish(fig: Figure, title: str) -> None:
    """The last touch of every chart: its title, and axis labels that say nothing taken
    out of the picture. Matplotlib would otherwise place each empty label beside the
    tick labels at every layout pass and draw, measuring all of them (and those of the
    axes sharing them) only to put nothing there: a tenth of a chart's time."""
    _title(fig, title)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.label.get_text():
                axis.label.set_visible(False)
                axis.set_label_coords(0.5, 0.5)  # fixed: no placing pass


def _message_chart(title: str, message: str, caption: str) -> Chart:
    """A chart that says, in words, why there is nothing to draw."""
    fig = _new_figure(1.8)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        _wrap(message, 70),
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=_INK,
        fontsize=11,
        style="italic",
    )
    _finish(fig, title)
    return Chart(fig, title, caption)


def _area_label(a, area_id: str, lang: str, fallback: str | None = None) -> str:
    """'II.2 Cải cách thủ tục hành chính' (English names from the plan when asked)."""
    name = None
    plan = getattr(a, "plan", None)
    if plan is not None and hasattr(plan, "area_name"):
        try:
            name = plan.area_name(area_id, lang)
        except Exception:  # a plan-like object without the areas table
            name = None
    if not name or name == area_id:
        name = fallback if fallback and not fmt.is_missing(fallback) else None
    return f"{area_id} {name}" if name else str(area_id)


def _area_order(a) -> list[str]:
    ids = list(a.areas["area_id"]) if "area_id" in a.areas else []
    for frame in (a.targets, a.tasks):
        if "area_id" in frame:
            ids += [x for x in frame["area_id"].dropna().unique() if x not in ids]
    return ids


def _counts_phrase(counts: pd.Series, order, word, noun_key: str, lang: str, noun: bool = True) -> str:
    """'13 chỉ tiêu đạt, 12 đúng tiến độ, …' in the order of the vocabulary (noun on the first only)."""
    parts = []
    for code in order:
        n = int(counts.get(code, 0))
        if n == 0:
            continue
        status = _lower_first(word(code, lang))
        first = noun and not parts
        parts.append(f"{fmt.counted(n, noun_key, lang) if first else _num(n, 0, lang)} {status}")
    return ", ".join(parts)


def _edge(color: str) -> str:
    """White separators, except around a fill so pale it would vanish on white paper."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#AAAAAA" if min(r, g, b) > 225 else "white"


def _spread(values: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions for labels at ``values``, moved apart by at least ``gap`` (same order)."""
    if not values:
        return []
    order = np.argsort(values)
    pos = np.asarray(values, dtype=float)[order]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    overflow = pos[-1] - high
    if overflow > 0:
        pos -= overflow
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    pos = np.maximum(pos, low)
    out = np.empty_like(pos)
    out[order] = pos
    return out.tolist()


def _status_legend(codes, word, lang, marker: str | None = None) -> list:
    handles = []
    for code in codes:
        color = vocab.STATUS_COLORS.get(code, "#999999")
        if marker:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    linestyle="",
                    markersize=8,
                    markerfacecolor=color,
                    markeredgecolor=_INK,
                    markeredgewidth=0.6,
                    label=word(code, lang),
                )
            )
        else:
            handles.append(Patch(facecolor=color, edgecolor=_INK, linewidth=0.5, label=word(code, lang)))
    return handles


# --- 1. status by area ------------------------------------------------------------------------


def _as_date(x) -> date:
    return x.date() if isinstance(x, (pd.Timestamp, datetime)) else x


def _month_label(ts: pd.Timestamp, lang: str, with_year: bool) -> str:
    month = i18n.lookup("charts.months", lang)[ts.month - 1]
    return i18n.t("charts.month_year", lang, month=month, year=ts.year) if with_year else month


def _period_key(code: str) -> tuple:
    p = periods.parse_period(code)
    return (periods.window(p, "calendar").end, p.kind != "quarter")


def _empty_chart(title: str, key: str, number: int | None, lang: str) -> Chart:
    """The chart of a function with nothing to draw: its title and the catalogue's reason."""
    msg = i18n.t(key, lang)
    return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))


def _marker(marker: str, color: str, label: str, size: float = 12, width: float = 2.4, **kw) -> Line2D:
    """A legend entry drawn as a lone marker (a vertical tick, a diamond…)."""
    return Line2D(
        [], [], marker=marker, linestyle="", markersize=size, markeredgewidth=width, color=color, label=label, **kw
    )
