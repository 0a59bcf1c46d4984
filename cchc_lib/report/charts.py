"""Charts of a quarterly assessment, with Vietnamese (or English) titles and captions.

Every function takes an ``Assessment`` (``assess.assess``) and returns a ``Chart``: a
matplotlib ``Figure`` plus a title and a caption computed from the data, so a report can
print "Hình 2. …" under the picture. Figures are built as plain ``matplotlib.figure.Figure``
objects, never registered with pyplot: nothing piles up in a long notebook session and
nothing needs closing. A ``Chart`` displays itself in Jupyter (``_repr_png_``) whatever
the backend, and ``Chart.to_png()`` gives the bytes for HTML/PDF reports.

All charts share one theme (``set_theme``): seaborn "whitegrid", DejaVu Sans (bundled with
matplotlib, so Vietnamese diacritics render on any machine, offline), 7.5 in wide for an A4
page, 150 dpi. Numbers are written by ``fmt`` ("42,3%"), statuses and colours come from
``vocab``. Empty inputs give a chart that says what is missing instead of an error.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, MultipleLocator

from cchc_lib import i18n
from cchc_lib.assessment.engine import rating_for
from cchc_lib.assessment.tthc import KPI_LABELS
from cchc_lib.core import periods
from cchc_lib.i18n import fmt, vocab

__all__ = [
    "DPI",
    "FONT",
    "WIDTH",
    "Chart",
    "actual_vs_target",
    "all_charts",
    "area_heatmap",
    "set_theme",
    "status_by_area",
    "task_timeline",
    "tthc_by_month",
    "unit_scorecard",
]

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
        """PNG bytes (150 dpi, tight box); also written to ``path`` when given."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
        data = buf.getvalue()
        if path is not None:
            Path(path).write_bytes(data)
        return data

    def _repr_png_(self) -> bytes:
        return self.to_png()


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
    _title(fig, title)
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


def status_by_area(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Stacked bars per reform area: target statuses (left) and task statuses (right)."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.status_title", lang, plabel=plabel)
    areas = _area_order(a)
    targets, tasks = a.targets, a.tasks
    if not areas or (targets.empty and tasks.empty):
        msg = i18n.t("charts.status_empty", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    names = dict(zip(a.areas.get("area_id", []), a.areas.get("name", [])))
    labels = [_wrap(_area_label(a, x, lang, names.get(x)), 26) for x in areas]
    lines = sum(lab.count("\n") + 1 for lab in labels)
    fig = _new_figure(max(3.4, 1.9 + 0.2 * lines + 0.15 * len(areas)))
    ax_t, ax_k = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(areas))

    panels = [
        (
            ax_t,
            targets,
            vocab.TARGET_ORDER,
            vocab.target_status,
            i18n.t("charts.status_targets", lang),
            i18n.t("charts.status_targets_axis", lang),
        ),
        (
            ax_k,
            tasks,
            vocab.TASK_ORDER,
            vocab.task_status,
            i18n.t("charts.status_tasks", lang),
            i18n.t("charts.status_tasks_axis", lang),
        ),
    ]
    for ax, frame, order, word, head, xlabel in panels:
        ax.set_title(head)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        if frame.empty:
            ax.text(
                0.5,
                0.5,
                i18n.t("charts.status_none", lang),
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=_MUTED,
                style="italic",
            )
            continue
        table = pd.crosstab(frame["area_id"], frame["status"]).reindex(index=areas, fill_value=0)
        present = [c for c in order if c in table.columns and table[c].sum() > 0]
        left = np.zeros(len(areas))
        for code in present:
            widths = table[code].to_numpy(dtype=float)
            color = vocab.STATUS_COLORS.get(code, "#999999")
            ax.barh(
                y,
                widths,
                left=left,
                color=color,
                edgecolor=_edge(color),
                linewidth=0.8,
                height=0.7,
                label=word(code, lang),
            )
            for yi, (l0, w) in enumerate(zip(left, widths)):
                if w > 0:
                    ax.text(
                        l0 + w / 2,
                        yi,
                        _num(w, 0, lang),
                        ha="center",
                        va="center",
                        fontsize=7.5,
                        color=vocab.text_color(color),
                    )
            left += widths
        ax.set_xlim(0, max(1.0, left.max()) * 1.04)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v, 0, lang)))
        ax.legend(
            handles=_status_legend(present, word, lang),
            loc="upper left",
            bbox_to_anchor=(0, -0.12),
            ncols=1,
            fontsize=8,
            handlelength=1.2,
            borderaxespad=0,
        )
    ax_t.set_yticks(y, labels, fontsize=8.5)
    ax_t.set_ylim(len(areas) - 0.5, -0.5)
    ax_t.tick_params(axis="y", length=0)
    _title(fig, title)

    tc = targets["status"].value_counts() if not targets.empty else pd.Series(dtype=int)
    kc = tasks["status"].value_counts() if not tasks.empty else pd.Series(dtype=int)
    t_phrase = _counts_phrase(tc, vocab.TARGET_ORDER, vocab.target_status, "target", lang, noun=False)
    k_phrase = _counts_phrase(kc, vocab.TASK_ORDER, vocab.task_status, "task", lang, noun=False)
    body = i18n.t(
        "charts.status_caption",
        lang,
        plabel=plabel,
        n_targets=fmt.counted(len(targets), "target", lang),
        t_phrase=t_phrase or i18n.t("narrative.none", lang),
        n_tasks=fmt.counted(len(tasks), "task", lang),
        k_phrase=k_phrase or i18n.t("narrative.none", lang),
    )
    return Chart(fig, title, _caption(number, lang, body))


# --- 2. actual vs target ------------------------------------------------------------------------


def _percent_rows(a) -> pd.DataFrame:
    t = a.targets
    if t.empty:
        return t
    keep = t["measurable"].fillna(False).astype(bool) & t["unit"].eq("percent").fillna(False).astype(bool)
    keep &= t["actual"].notna() & t["target_value"].notna()
    rows = t[keep].copy()
    order = {x: i for i, x in enumerate(_area_order(a))}
    rows["_area_rank"] = rows["area_id"].map(order).fillna(len(order))
    return rows.sort_values(["_area_rank", "target_id"], kind="stable").reset_index(drop=True)


def actual_vs_target(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Dot plot of measured vs planned percentages, one row per target, grouped by area."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.actual_title", lang, plabel=plabel)
    rows = _percent_rows(a)
    measurable = a.targets[a.targets["measurable"].fillna(False).astype(bool)] if not a.targets.empty else a.targets
    if rows.empty:
        msg = i18n.t("charts.actual_empty", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    n = len(rows)
    fig = _new_figure(1.9 + ROW_HEIGHT * n)
    ax = fig.add_subplot()
    y = np.arange(n)
    name_col = "indicator_en" if lang == "en" and "indicator_en" in rows else "indicator"
    labels = [
        _truncate(f"{r.target_id} {_clean(r[name_col]) or _clean(r.get('indicator'))}") for _, r in rows.iterrows()
    ]
    hi = max(100.0, float(np.nanmax(rows[["actual", "target_value", "expected"]].to_numpy(dtype=float))))

    # Conflicting targets: every threshold of the KPI on each of its rows.
    all_t = a.targets.set_index("target_id")
    conflict_marks, conflict_notes = [], []
    for i, r in rows.iterrows():
        if fmt.is_missing(r["conflict_with"]):
            continue
        ids = [r["target_id"]] + [x.strip() for x in str(r["conflict_with"]).split(",") if x.strip()]
        ids = sorted(set(ids) & set(all_t.index))
        vals = [float(all_t.at[x, "target_value"]) for x in ids if pd.notna(all_t.at[x, "target_value"])]
        for x in ids:
            v = all_t.at[x, "target_value"]
            if x != r["target_id"] and pd.notna(v) and abs(float(v) - float(r["target_value"])) > 1e-9:
                conflict_marks.append((float(v), i))
        words = " / ".join(fmt.value(v, "percent", lang) for v in vals)
        conflict_notes.append(
            (i, i18n.t("charts.actual_conflict", lang, words=words), [r["actual"], r["target_value"]] + vals)
        )

    # Gap line, expected (pro-rated) level, target, conflict thresholds, actual.
    ax.hlines(
        y,
        np.minimum(rows["actual"], rows["target_value"]),
        np.maximum(rows["actual"], rows["target_value"]),
        color="#BBBBBB",
        linewidth=1.5,
        zorder=1,
    )
    exp = rows["expected"].notna() & (rows["expected"] - rows["target_value"]).abs().gt(1e-9)
    ax.scatter(
        rows.loc[exp, "expected"],
        y[exp.to_numpy()],
        marker="|",
        s=140,
        linewidths=2.2,
        color="#AAAAAA",
        zorder=2,
        clip_on=False,
    )
    ax.scatter(rows["target_value"], y, marker="|", s=180, linewidths=2.4, color=_INK, zorder=3, clip_on=False)
    if conflict_marks:
        cx, cy = zip(*conflict_marks)
        ax.scatter(
            cx, cy, marker="|", s=180, linewidths=2.0, color=vocab.STATUS_COLORS["missed"], zorder=3, clip_on=False
        )
    colors = [vocab.STATUS_COLORS.get(s, "#999999") for s in rows["status"]]
    ax.scatter(rows["actual"], y, s=46, c=colors, edgecolors=_INK, linewidths=0.6, zorder=4, clip_on=False)
    for i, note, xs in conflict_notes:
        lo, top = float(np.nanmin(xs)), float(np.nanmax(xs))
        if top < hi * 0.6:
            ax.text(top + hi * 0.02, i, note, va="center", ha="left", fontsize=8, color=vocab.STATUS_COLORS["missed"])
        else:
            ax.text(lo - hi * 0.02, i, note, va="center", ha="right", fontsize=8, color=vocab.STATUS_COLORS["missed"])

    # Measured value column and area brackets at the right edge.
    trans = ax.get_yaxis_transform()
    for yi, v in zip(y, rows["actual"]):
        ax.text(1.015, yi, fmt.percent(v, 1, lang), transform=trans, ha="left", va="center", fontsize=8, color=_INK)
    ax.annotate(
        i18n.t("charts.actual_axis", lang),
        (1.015, 1.0),
        xycoords="axes fraction",
        xytext=(0, 3),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=8,
        color=_MUTED,
    )
    bounds = rows.groupby("area_id", sort=False).apply(lambda g: (g.index.min(), g.index.max()), include_groups=False)
    for area_id, (first, last) in bounds.items():
        if first > 0:
            ax.axhline(first - 0.5, color="#CCCCCC", linewidth=0.8, zorder=0)
        ax.plot([1.135, 1.135], [first - 0.3, last + 0.3], transform=trans, color=_MUTED, linewidth=1, clip_on=False)
        ax.text(
            1.15, (first + last) / 2, str(area_id), transform=trans, ha="left", va="center", fontsize=8, color=_MUTED
        )

    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, hi * 1.05)
    ax.xaxis.set_major_locator(FixedLocator(np.arange(0, hi + 1e-9, 20 if hi <= 120 else 50)))
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.grid(axis="y", visible=False)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelbottom=True, bottom=True, labelsize=8)

    present = [c for c in vocab.TARGET_ORDER if c in set(rows["status"])]
    handles = _status_legend(present, vocab.target_status, lang, marker="o")
    handles.append(
        Line2D(
            [],
            [],
            marker="|",
            linestyle="",
            markersize=12,
            markeredgewidth=2.4,
            color=_INK,
            label=i18n.t("charts.plan_target", lang),
        )
    )
    if exp.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="|",
                linestyle="",
                markersize=12,
                markeredgewidth=2.2,
                color="#AAAAAA",
                label=i18n.t("charts.expected_level", lang),
            )
        )
    if conflict_marks:
        handles.append(
            Line2D(
                [],
                [],
                marker="|",
                linestyle="",
                markersize=12,
                markeredgewidth=2.0,
                color=vocab.STATUS_COLORS["missed"],
                label=i18n.t("charts.conflicting_target", lang),
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, handletextpad=0.3, columnspacing=1.2)
    _title(fig, title)

    counts = measurable["status"].value_counts() if len(measurable) else pd.Series(dtype=int)
    phrase = _counts_phrase(counts, vocab.TARGET_ORDER, vocab.target_status, "target", lang)
    conflicts = []
    for _kpi, g in a.targets[a.targets["conflict_with"].notna()].groupby("kpi", sort=False):
        parts = [f"{fmt.value(v, 'percent', lang)} ({tid})" for tid, v in zip(g["target_id"], g["target_value"])]
        conflicts.append(i18n.t("charts.and", lang).join(parts))
    body = i18n.t("charts.actual_caption", lang, plabel=plabel, phrase=phrase, n_targets=fmt.counted(n, "target", lang))
    if conflicts:
        body += i18n.t("charts.actual_conflicts", lang) + "; ".join(conflicts) + "."
    return Chart(fig, title, _caption(number, lang, body))


# --- 3. one-stop KPIs by month ------------------------------------------------------------------


def _month_label(ts: pd.Timestamp, lang: str, with_year: bool) -> str:
    month = i18n.lookup("charts.months", lang)[ts.month - 1]
    return i18n.t("charts.month_year", lang, month=month, year=ts.year) if with_year else month


def tthc_by_month(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Monthly one-stop KPIs of the year to date, with the plan's targets as dashed lines."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.month_title", lang, plabel=plabel)
    bm = a.tthc.by_month if a.tthc is not None else None
    if bm is not None:
        bm = bm[bm["kpi"].isin(MONTHLY_KPIS)]
    if bm is None or bm.empty or bm["value"].notna().sum() == 0:
        msg = i18n.t("charts.month_no_log", lang) if a.tthc is None else i18n.t("charts.month_no_dossiers", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    months = bm.drop_duplicates("month").sort_values("month_start")[["month", "month_start", "start", "end", "partial"]]
    months = months.reset_index(drop=True)
    xpos = {m: i for i, m in enumerate(months["month"])}
    ticklabels = [_month_label(ts, lang, i == 0 or ts.month == 1) for i, ts in enumerate(months["month_start"])]
    if len(months) > 8:  # a long year to date: the year goes under the month, not beside it
        ticklabels = [x.replace("/", "\n").replace(" ", "\n") for x in ticklabels]

    fig = _new_figure(5.0)
    ax = fig.add_subplot()
    last_values = []
    for kpi in MONTHLY_KPIS:
        g = bm[bm["kpi"] == kpi].sort_values("month_start")
        if g.empty or g["value"].notna().sum() == 0:
            continue
        color, marker = _KPI_STYLE[kpi]
        x = g["month"].map(xpos).to_numpy()
        v = g["value"].to_numpy(dtype=float)
        part = g["partial"].to_numpy(dtype=bool)
        ax.plot(x, v, color=color, linewidth=2, zorder=3, label=KPI_LABELS[lang][kpi])
        ax.plot(x[~part], v[~part], linestyle="", marker=marker, markersize=6, color=color, zorder=4)
        ax.plot(
            x[part],
            v[part],
            linestyle="",
            marker=marker,
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=color,
            markeredgewidth=1.5,
            zorder=4,
        )
        ok = np.flatnonzero(~np.isnan(v))
        last_values.append((float(v[ok[-1]]), float(x[ok[-1]]), color))

    # Plan targets for these KPIs: one dashed line per distinct threshold.
    t = a.targets
    refs = t[t["kpi"].isin(MONTHLY_KPIS) & t["target_value"].notna() & t["measurable"].fillna(False).astype(bool)]
    ref_lines = []
    for (kpi, value), g in refs.groupby(["kpi", "target_value"], sort=False):
        color = _KPI_STYLE[kpi][0]
        comp = g["comparator"].dropna().iloc[0] if g["comparator"].notna().any() else ""
        ax.axhline(value, color=color, linestyle="--", linewidth=1.2, alpha=0.9, zorder=2)
        text = f"{comp} {fmt.value(value, 'percent', lang)} ({', '.join(g['target_id'])})".strip()
        ref_lines.append((float(value), text, color))

    right = len(months) - 1
    ax.set_xlim(-0.3, right + 0.2 + 0.085 * (len(months) - 0.7))  # room for the last-value labels
    ax.set_ylim(0, 105)
    ax.set_xticks(range(len(months)), ticklabels)
    ax.yaxis.set_major_locator(MultipleLocator(20))
    ax.yaxis.set_major_formatter(_pct_formatter(lang))
    ax.grid(axis="x", visible=False)

    # Labels: the last value of each line (inside, right of its point) and the target of
    # each dashed line (outside, right edge), spread so none overlaps another.
    gap = 105 * 10.5 / (72 * 3.4)
    ys = _spread([v for v, _, _ in last_values], gap, 1, 104)
    for (v, x, color), yl in zip(last_values, ys):
        ax.annotate(
            fmt.percent(v, 1, lang),
            (x, yl),
            xytext=(7, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
        )
    ys = _spread([v for v, _, _ in ref_lines], gap, 1, 104)
    trans = ax.get_yaxis_transform()
    for (_v, text, color), yl in zip(ref_lines, ys):
        ax.text(1.01, yl, text, transform=trans, ha="left", va="center", fontsize=8, color=color)

    handles = [
        Line2D(
            [],
            [],
            color=_KPI_STYLE[k][0],
            marker=_KPI_STYLE[k][1],
            linewidth=2,
            markersize=6,
            label=KPI_LABELS[lang][k],
        )
        for k in MONTHLY_KPIS
        if (bm["kpi"] == k).any()
    ]
    if ref_lines:
        handles.append(
            Line2D([], [], color=_MUTED, linestyle="--", linewidth=1.2, label=i18n.t("charts.plan_target", lang))
        )
    if months["partial"].any():
        handles.append(
            Line2D(
                [],
                [],
                color=_MUTED,
                marker="o",
                linestyle="",
                markerfacecolor="white",
                markeredgewidth=1.5,
                label=i18n.t("charts.month_cut", lang),
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8)
    _title(fig, title)

    ytd = getattr(a.tthc, "ytd_window", None) or a.ytd_window
    span = i18n.t("charts.span", lang, start=fmt.date_short(ytd.start, lang), end=fmt.date_short(ytd.end, lang))
    body = i18n.t("charts.month_caption", lang, plabel=plabel, span=span)
    for kpi, g in refs.groupby("kpi", sort=False):
        if g["target_value"].nunique() > 1:
            parts = [f"{fmt.value(v, 'percent', lang)} ({tid})" for tid, v in zip(g["target_id"], g["target_value"])]
            body += i18n.t("charts.month_conflict", lang, kpi=_lower_first(KPI_LABELS[lang][kpi]))
            body += i18n.t("charts.and", lang).join(parts) + "."
    cut = months[months["partial"]]
    if len(cut):
        spans = ", ".join(f"{r.start:%d/%m}–{r.end:%d/%m/%Y}" for r in cut.itertuples())
        body += i18n.t("charts.month_hollow", lang, spans=spans)
    return Chart(fig, title, _caption(number, lang, body))


# --- 4. task timeline -----------------------------------------------------------------------


def _as_date(x) -> date:
    return x.date() if isinstance(x, (pd.Timestamp, datetime)) else x


def task_timeline(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Deadline, completion and lateness of every task with a deadline, against the cut-off day."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.tasks_title", lang, plabel=plabel)
    t = a.tasks
    if not t.empty:
        t = t[~t["recurring"].fillna(False).astype(bool) & t["deadline"].notna()].reset_index(drop=True)
    if t.empty:
        msg = i18n.t("charts.tasks_empty", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    n = len(t)
    fig = _new_figure(2.0 + ROW_HEIGHT * n)
    ax = fig.add_subplot()
    y = np.arange(n)
    end = pd.Timestamp(a.window.end)
    deadline = pd.to_datetime(t["deadline"])
    done = pd.to_datetime(t["completed_on"]) if "completed_on" in t else pd.Series(pd.NaT, index=t.index)
    colors = [vocab.STATUS_COLORS.get(s, "#999999") for s in t["status"]]

    for i, r in t.iterrows():
        d0, d1, status, color = deadline[i], done[i], r["status"], colors[i]
        if status == "overdue":
            stop = end
        elif pd.notna(d1):
            stop = d1
        else:
            stop = None
        if stop is not None and stop != d0:
            late = stop > d0
            ax.plot(
                [d0, stop],
                [i, i],
                color=color if late else "#BBBBBB",
                linewidth=3.5 if late else 1.5,
                solid_capstyle="butt",
                zorder=2,
            )
            if late and not fmt.is_missing(r.get("days_late")) and r["days_late"] > 0:
                days = int(r["days_late"])
                word = i18n.t("charts.days_late_label", lang, days=_num(days, 0, lang))
                ax.text(stop + pd.Timedelta(days=6), i, word, va="center", ha="left", fontsize=7.5, color=_INK)
    ax.scatter(deadline, y, marker="D", s=34, c=colors, edgecolors=_INK, linewidths=0.7, zorder=3, clip_on=False)
    has_done = done.notna().to_numpy()
    if has_done.any():
        ax.scatter(
            done[has_done],
            y[has_done],
            marker="o",
            s=42,
            c=[c for c, h in zip(colors, has_done) if h],
            edgecolors=_INK,
            linewidths=0.7,
            zorder=4,
            clip_on=False,
        )

    year = a.period.year
    lo = min([pd.Timestamp(year, 1, 1)] + [d for d in deadline.dropna()] + [d for d in done.dropna()])
    hi = max([pd.Timestamp(year, 12, 31)] + [d for d in deadline.dropna()] + [d for d in done.dropna()])
    ax.set_xlim(lo - pd.Timedelta(days=6), hi + pd.Timedelta(days=8))
    ax.axvline(end, color=_INK, linestyle="--", linewidth=1.2, zorder=1)
    ax.text(
        end,
        -0.7,
        i18n.t("charts.cutoff_label", lang, end=fmt.date_short(_as_date(end), lang)),
        ha="center",
        va="bottom",
        fontsize=8,
        color=_INK,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
    )

    # Grid lines at month boundaries, month names in the middle of each month.
    starts = pd.date_range(lo.to_period("M").to_timestamp(), hi, freq="MS")
    mids = [d + pd.Timedelta(days=14) for d in starts if d + pd.Timedelta(days=14) <= hi]
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(starts)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: ""))
    ax.xaxis.set_minor_locator(FixedLocator(mdates.date2num(mids)))
    ax.xaxis.set_minor_formatter(
        FuncFormatter(
            lambda v, _p: _month_label(pd.Timestamp(mdates.num2date(v)), lang, mdates.num2date(v).year != year)
        )
    )
    ax.tick_params(axis="x", which="both", length=0, labelsize=8)
    ax.tick_params(axis="x", which="minor", labelsize=8)
    ax.set_xlabel(i18n.t("charts.month_axis", lang, year=year))
    labels = [_truncate(f"{r.task_id} {_clean(r.text)}") for r in t.itertuples()]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(n - 0.5, -1.0)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", color="#EEEEEE")

    present = [c for c in vocab.TASK_ORDER if c in set(t["status"])]
    handles = _status_legend(present, vocab.task_status, lang)
    handles += [
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=_INK,
            label=i18n.t("charts.deadline", lang),
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor="white",
            markeredgecolor=_INK,
            label=i18n.t("charts.completed_on", lang),
        ),
        Line2D([], [], color=vocab.STATUS_COLORS["overdue"], linewidth=3.5, label=i18n.t("charts.days_late", lang)),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
    _title(fig, title)

    counts = t["status"].value_counts()
    phrase = _counts_phrase(counts, vocab.TASK_ORDER, vocab.task_status, "task", lang)
    cut = fmt.date_short(_as_date(end), lang)
    body = i18n.t(
        "charts.tasks_caption", lang, n_tasks=fmt.counted(n, "task", lang), plabel=plabel, phrase=phrase, cut=cut
    )
    return Chart(fig, title, _caption(number, lang, body))


# --- 5. area scores over time --------------------------------------------------------------------


def _period_key(code: str) -> tuple:
    p = periods.parse_period(code)
    return (periods.window(p, "calendar").end, p.kind != "quarter")


def area_heatmap(history: pd.DataFrame | None, lang: str = "vi", number: int | None = None, plan=None) -> Chart:
    """Area × period heatmap of area scores (0–100), red (low) to green (high).

    ``history`` has one row per area and period: area_id, area_name (or name), period
    ("2024-Q1"…), score. English names come from ``plan`` or a ``name_en``/``area_name_en``
    column when given.
    """
    lang = fmt.check_lang(lang)
    title = i18n.t("charts.heat_title", lang)
    h = history if history is not None else pd.DataFrame()
    if not h.empty and "period" in h:
        last_code = max((str(p) for p in h["period"].dropna().unique()), key=_period_key, default=None)
        if last_code:
            title += i18n.t("charts.heat_title_until", lang, last=periods.label(last_code, lang))
    if h.empty or "score" not in h or h["score"].notna().sum() == 0:
        msg = i18n.t("charts.heat_empty", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    h = h.copy()
    name_col = next(
        (c for c in (["area_name_en", "name_en"] if lang == "en" else []) + ["area_name", "name"] if c in h), None
    )
    area_ids = list(dict.fromkeys(h["area_id"]))
    names = {}
    for aid in area_ids:
        fallback = None
        if name_col:
            vals = h.loc[h["area_id"] == aid, name_col].dropna()
            fallback = vals.iloc[0] if len(vals) else None
        name = plan.area_name(aid, lang) if plan is not None and hasattr(plan, "area_name") else None
        names[aid] = _wrap(f"{aid} {name if name and name != aid else (fallback or '')}".strip(), 30)
    codes = sorted(dict.fromkeys(str(p) for p in h["period"]), key=_period_key)
    h["period"] = h["period"].astype(str)
    grid = h.pivot_table(index="area_id", columns="period", values="score", aggfunc="mean", dropna=False)
    grid = grid.reindex(index=area_ids, columns=codes)
    values = grid.to_numpy(dtype=float)
    annot = np.array([[_num(v, 1, lang) if not np.isnan(v) else "" for v in row] for row in values])

    lines = sum(names[x].count("\n") + 1 for x in area_ids)
    fig = _new_figure(max(3.0, 1.6 + 0.22 * lines + 0.12 * len(area_ids)))
    ax = fig.add_subplot()
    ax.set_facecolor("#F2F2F2")
    sns.heatmap(
        grid.astype(float),
        ax=ax,
        cmap="RdYlGn",
        vmin=0,
        vmax=100,
        annot=annot,
        fmt="",
        annot_kws={"fontsize": 9},
        linewidths=1.5,
        linecolor="white",
        cbar_kws={"label": i18n.t("charts.heat_scale", lang), "shrink": 0.8},
    )
    for yi, row in enumerate(values):
        for xi, v in enumerate(row):
            if np.isnan(v):
                ax.text(xi + 0.5, yi + 0.5, fmt.DASH, ha="center", va="center", color=_MUTED, fontsize=9)
    ax.set_yticks(np.arange(len(area_ids)) + 0.5, [names[x] for x in area_ids], rotation=0, fontsize=8.5)
    ax.set_xticks(np.arange(len(codes)) + 0.5, [periods.label(c, lang) for c in codes], rotation=0, fontsize=9)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    cbar = ax.collections[0].colorbar
    if cbar is not None:
        cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v, 0, lang)))
        cbar.outline.set_visible(False)
    _title(fig, title)

    last = codes[-1]
    plabel = periods.label(last, lang)
    col = grid[last].dropna()
    body = i18n.t("charts.heat_caption", lang, plabel=plabel, dash=fmt.DASH)
    if len(col):
        best, worst = col.idxmax(), col.idxmin()
        body += i18n.t(
            "charts.heat_best_worst",
            lang,
            last=periods.label_title(last, lang),
            best=best,
            best_score=_num(col[best], 1, lang),
            worst=worst,
            worst_score=_num(col[worst], 1, lang),
        )
    return Chart(fig, title, _caption(number, lang, body))


# --- 6. unit scorecard -----------------------------------------------------------------------------


def unit_scorecard(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Score per lead unit, coloured by rating band, with its task and target counts."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.unit_title", lang, plabel=plabel)
    u = a.units
    if u.empty:
        msg = i18n.t("charts.unit_empty", lang)
        return _message_chart(title, msg, _caption(number, lang, f"{title}. {msg}"))

    u = u.assign(_s=u["score"].fillna(-1)).sort_values("_s", ascending=False, kind="stable").reset_index(drop=True)
    city = i18n.t("charts.city_level", lang)

    def name(r) -> str:
        base = None
        plan = getattr(a, "plan", None)
        if lang == "en" and plan is not None and hasattr(plan, "unit_name"):
            base = plan.unit_name(r["unit_id"], lang)
        base = base or _clean(r.get("name")) or str(r["unit_id"])
        text = _wrap(base, 30)
        if r.get("level") == "city":  # the mark stays in one piece, on the last line or its own
            fits = len(text.split("\n")[-1]) + len(city) <= 30
            text += city if fits else "\n" + city.strip()
        return text

    labels = [name(r) for _, r in u.iterrows()]
    codes = [rating_for(s, a.rules)[0] if a.rules else None for s in u["score"]]
    colors = [vocab.RATING_COLORS.get(c, "#DDDDDD") for c in codes]
    lines = sum(lab.count("\n") + 1 for lab in labels)
    fig = _new_figure(max(2.8, 1.9 + 0.22 * lines + 0.2 * len(u)))
    ax = fig.add_subplot()
    y = np.arange(len(u))
    scores = u["score"].to_numpy(dtype=float)
    # A scored zero still shows its band colour as a thin stub; an unscored unit has no bar.
    widths = np.where(np.isnan(scores), 0.0, np.maximum(scores, 0.8))
    ax.barh(y, widths, color=colors, edgecolor="white", height=0.65)
    bands = sorted(a.rules.get("rating", {}).get("bands", []), key=lambda b: -b["min"]) if a.rules else []
    for b in bands:
        if b["min"] > 0:
            ax.axvline(b["min"], color="#999999", linestyle=":", linewidth=1, zorder=0)
    for yi, (_, r) in enumerate(u.iterrows()):
        s = r["score"]
        counts = f"{fmt.counted(int(r['tasks']), 'task', lang)}, {fmt.counted(int(r['targets']), 'target', lang)}"
        unscored = "charts.not_graded" if r.get("grading") == "not_graded" else "charts.not_scored"
        head = i18n.t(unscored, lang) if fmt.is_missing(s) else _num(s, 1, lang)
        text = f"{head} · {counts}"
        inside = not fmt.is_missing(s) and s >= 55
        ax.text(
            1.5 if inside else (0 if fmt.is_missing(s) else s) + 1.5,
            yi,
            text,
            va="center",
            ha="left",
            fontsize=8,
            color=vocab.text_color(colors[yi]) if inside else _INK,
        )
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_ylim(len(u) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v, 0, lang)))
    ax.set_xlabel(i18n.t("charts.unit_axis", lang))
    ax.grid(axis="y", visible=False)

    handles = []
    for i, b in enumerate(bands):
        upper = bands[i - 1]["min"] if i > 0 else None
        lo_txt, up_txt = _num(b["min"], 0, lang), _num(upper, 0, lang)
        if upper is None:
            rng = f"≥ {lo_txt}"
        elif b["min"] <= 0:
            rng = i18n.t("charts.band_below", lang, up_txt=up_txt)
        else:
            rng = i18n.t("charts.band_between", lang, lo_txt=lo_txt, up_txt=up_txt)
        handles.append(
            Patch(
                facecolor=vocab.RATING_COLORS.get(b["code"], "#DDDDDD"),
                label=f"{vocab.rating(b['code'], lang)} ({rng})",
            )
        )
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(4, len(handles)),
            fontsize=8,
            title=i18n.t("charts.rating", lang),
            title_fontsize=8,
        )
    _title(fig, title)

    rated = pd.Series([c for c in codes if c])
    phrase = ", ".join(
        f"{_num((rated == b['code']).sum(), 0, lang)} {_lower_first(vocab.rating(b['code'], lang))}"
        for b in bands
        if (rated == b["code"]).any()
    )
    body = i18n.t(
        "charts.unit_caption",
        lang,
        n_units=fmt.counted(len(u), "unit", lang),
        plabel=plabel,
        phrase_part=": " + phrase if phrase else "",
    )
    city_units = [name(r).replace("\n", " ").replace(city, "") for _, r in u.iterrows() if r.get("level") == "city"]
    if city_units:
        body += i18n.t("charts.unit_city", lang, units=", ".join(city_units))
    return Chart(fig, title, _caption(number, lang, body))


# --- all of them -------------------------------------------------------------------------------------


def _history_from(a) -> pd.DataFrame:
    """A one-period history from the assessment itself (when no history is given)."""
    return pd.DataFrame(
        {
            "area_id": a.areas["area_id"],
            "area_name": a.areas["name"],
            "period": a.period.code,
            "score": a.areas["score"],
        }
    )


def all_charts(a, history: pd.DataFrame | None = None, lang: str = "vi", start: int = 1) -> list[Chart]:
    """The six charts in report order, captions numbered from ``start`` ("Hình 1." …)."""
    lang = fmt.check_lang(lang)
    h = history if history is not None else _history_from(a)
    return [
        status_by_area(a, lang, number=start),
        actual_vs_target(a, lang, number=start + 1),
        tthc_by_month(a, lang, number=start + 2),
        task_timeline(a, lang, number=start + 3),
        area_heatmap(h, lang, number=start + 4, plan=getattr(a, "plan", None)),
        unit_scorecard(a, lang, number=start + 5),
    ]
