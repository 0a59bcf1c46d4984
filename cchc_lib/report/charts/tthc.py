"""The one-stop chart: monthly KPIs of the year to date against the plan's targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MultipleLocator

from cchc_lib import i18n
from cchc_lib.assessment.tthc import KPI_LABELS
from cchc_lib.core import periods
from cchc_lib.i18n import fmt

from .base import (
    _KPI_STYLE,
    _MUTED,
    MONTHLY_KPIS,
    Chart,
    _caption,
    _empty_chart,
    _finish,
    _lower_first,
    _month_label,
    _new_figure,
    _pct_formatter,
    _spread,
)

# --- 3. one-stop KPIs by month ------------------------------------------------------------------


def tthc_by_month(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Monthly one-stop KPIs of the year to date, with the plan's targets as dashed lines."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.month_title", lang, plabel=plabel)
    bm = a.tthc.by_month if a.tthc is not None else None
    if bm is not None:
        bm = bm[bm["kpi"].isin(MONTHLY_KPIS)]
    if bm is None or bm.empty or bm["value"].notna().sum() == 0:
        key = "charts.month_no_log" if a.tthc is None else "charts.month_no_dossiers"
        return _empty_chart(title, key, number, lang)

    months = bm.drop_duplicates("month").sort_values("month_start")[["month", "month_start", "start", "end", "partial"]]
    months = months.reset_index(drop=True)
    xpos = {m: i for i, m in enumerate(months["month"])}
    ticklabels = [_month_label(ts, lang, i == 0 or ts.month == 1) for i, ts in enumerate(months["month_start"])]
    if len(months) > 8:  # a long year to date: the year goes under the month, not beside it
        ticklabels = [x.replace("/", "\n").replace(" ", "\n") for x in ticklabels]

    fig = _new_figure(5.0)
    ax = fig.add_subplot()
    last_values = _month_lines(ax, bm, xpos, lang)
    refs, ref_lines = _month_targets(ax, a, lang)
    ax.set_xlim(-0.3, len(months) - 1 + 0.2 + 0.085 * (len(months) - 0.7))  # room for the last-value labels
    ax.set_ylim(0, 105)
    ax.set_xticks(range(len(months)), ticklabels)
    ax.yaxis.set_major_locator(MultipleLocator(20))
    ax.yaxis.set_major_formatter(_pct_formatter(lang))
    ax.grid(axis="x", visible=False)
    _month_labels(ax, last_values, ref_lines, lang)
    _month_legend(fig, bm, bool(ref_lines), bool(months["partial"].any()), lang)
    _finish(fig, title)
    return Chart(fig, title, _caption(number, lang, _month_caption(a, refs, months, plabel, lang)))


def _month_lines(ax, bm: pd.DataFrame, xpos: dict, lang: str) -> list[tuple[float, float, str]]:
    """One line per KPI; a month cut by the cut-off gets a hollow marker. The last value of
    each line (value, x, colour), for its label."""
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
    return last_values


def _month_targets(ax, a, lang: str) -> tuple[pd.DataFrame, list[tuple[float, str, str]]]:
    """Plan targets for these KPIs: one dashed line per distinct threshold; (targets, labels)."""
    t = a.targets
    refs = t[t["kpi"].isin(MONTHLY_KPIS) & t["target_value"].notna() & t["measurable"].fillna(False).astype(bool)]
    ref_lines = []
    for (kpi, value), g in refs.groupby(["kpi", "target_value"], sort=False):
        color = _KPI_STYLE[kpi][0]
        comp = g["comparator"].dropna().iloc[0] if g["comparator"].notna().any() else ""
        ax.axhline(value, color=color, linestyle="--", linewidth=1.2, alpha=0.9, zorder=2)
        text = f"{comp} {fmt.value(value, 'percent', lang)} ({', '.join(g['target_id'])})".strip()
        ref_lines.append((float(value), text, color))
    return refs, ref_lines


def _month_labels(ax, last_values: list, ref_lines: list, lang: str) -> None:
    """The last value of each line (inside, right of its point) and the target of each
    dashed line (outside, right edge), spread so none overlaps another."""
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


def _month_legend(fig, bm: pd.DataFrame, targets: bool, partial: bool, lang: str) -> None:
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
    if targets:
        handles.append(
            Line2D([], [], color=_MUTED, linestyle="--", linewidth=1.2, label=i18n.t("charts.plan_target", lang))
        )
    if partial:
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


def _month_caption(a, refs: pd.DataFrame, months: pd.DataFrame, plabel: str, lang: str) -> str:
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
    return body
