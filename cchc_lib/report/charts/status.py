"""Charts of statuses: targets and tasks by area (stacked bars), measured against planned percentages."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import ScaledTranslation

from cchc_lib import i18n
from cchc_lib.core import periods
from cchc_lib.i18n import fmt, vocab

from .base import (
    _INK,
    _MUTED,
    ROW_HEIGHT,
    Chart,
    _area_label,
    _area_order,
    _caption,
    _clean,
    _counts_phrase,
    _edge,
    _empty_chart,
    _finish,
    _marker,
    _new_figure,
    _num,
    _pct_formatter,
    _status_legend,
    _truncate,
    _wrap,
)

# --- 1. status by area ------------------------------------------------------------------------


def status_by_area(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Stacked bars per reform area: target statuses (left) and task statuses (right)."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.status_title", lang, plabel=plabel)
    areas = _area_order(a)
    targets, tasks = a.targets, a.tasks
    if not areas or (targets.empty and tasks.empty):
        return _empty_chart(title, "charts.status_empty", number, lang)

    names = dict(zip(a.areas.get("area_id", []), a.areas.get("name", [])))
    labels = [_wrap(_area_label(a, x, lang, names.get(x)), 26) for x in areas]
    lines = sum(lab.count("\n") + 1 for lab in labels)
    fig = _new_figure(max(3.4, 1.9 + 0.2 * lines + 0.15 * len(areas)))
    ax_t, ax_k = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(areas))
    panels = [
        (ax_t, targets, vocab.TARGET_ORDER, vocab.target_status, "charts.status_targets"),
        (ax_k, tasks, vocab.TASK_ORDER, vocab.task_status, "charts.status_tasks"),
    ]
    for ax, frame, order, word, key in panels:
        ax.set_title(i18n.t(key, lang))
        ax.set_xlabel(i18n.t(f"{key}_axis", lang))
        ax.grid(axis="y", visible=False)
        _status_panel(ax, frame, order, word, areas, lang)
    ax_t.set_yticks(y, labels, fontsize=8.5)
    ax_t.set_ylim(len(areas) - 0.5, -0.5)
    ax_t.tick_params(axis="y", length=0)
    _finish(fig, title)
    return Chart(fig, title, _caption(number, lang, _status_caption(targets, tasks, plabel, lang)))


def _status_panel(ax, frame: pd.DataFrame, order, word, areas: list[str], lang: str) -> None:
    """One panel: a stacked bar per area, counts written in the segments, its own legend."""
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
        return
    y = np.arange(len(areas))
    table = pd.crosstab(frame["area_id"], frame["status"]).reindex(index=areas, fill_value=0)
    present = [c for c in order if c in table.columns and table[c].sum() > 0]
    left = np.zeros(len(areas))
    for code in present:
        widths = table[code].to_numpy(dtype=float)
        color = vocab.STATUS_COLORS.get(code, "#999999")
        seen = widths > 0  # an area without this status gets no bar (not an empty one to draw)
        ax.barh(
            y[seen],
            widths[seen],
            left=left[seen],
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


def _status_caption(targets: pd.DataFrame, tasks: pd.DataFrame, plabel: str, lang: str) -> str:
    tc = targets["status"].value_counts() if not targets.empty else pd.Series(dtype=int)
    kc = tasks["status"].value_counts() if not tasks.empty else pd.Series(dtype=int)
    t_phrase = _counts_phrase(tc, vocab.TARGET_ORDER, vocab.target_status, "target", lang, noun=False)
    k_phrase = _counts_phrase(kc, vocab.TASK_ORDER, vocab.task_status, "task", lang, noun=False)
    return i18n.t(
        "charts.status_caption",
        lang,
        plabel=plabel,
        n_targets=fmt.counted(len(targets), "target", lang),
        t_phrase=t_phrase or i18n.t("narrative.none", lang),
        n_tasks=fmt.counted(len(tasks), "task", lang),
        k_phrase=k_phrase or i18n.t("narrative.none", lang),
    )


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
    if rows.empty:
        return _empty_chart(title, "charts.actual_empty", number, lang)

    n = len(rows)
    fig = _new_figure(1.9 + ROW_HEIGHT * n)
    ax = fig.add_subplot()
    y = np.arange(n)
    name_col = "indicator_en" if lang == "en" and "indicator_en" in rows else "indicator"
    labels = [
        _truncate(f"{r.target_id} {_clean(r[name_col]) or _clean(r.get('indicator'))}") for _, r in rows.iterrows()
    ]
    hi = max(100.0, float(np.nanmax(rows[["actual", "target_value", "expected"]].to_numpy(dtype=float))))
    marks, notes = _conflicts(a, rows, lang)
    exp = _draw_actual(ax, rows, hi, marks, notes)
    _actual_right_edge(ax, rows, lang)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, hi * 1.05)
    ax.xaxis.set_major_locator(FixedLocator(np.arange(0, hi + 1e-9, 20 if hi <= 120 else 50)))
    ax.xaxis.set_major_formatter(_pct_formatter(lang))
    ax.grid(axis="y", visible=False)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelbottom=True, bottom=True, labelsize=8)
    _actual_legend(fig, rows, exp.any(), bool(marks), lang)
    _finish(fig, title)
    return Chart(fig, title, _caption(number, lang, _actual_caption(a, n, plabel, lang)))


def _conflicts(a, rows: pd.DataFrame, lang: str) -> tuple[list, list]:
    """Conflicting targets: every other threshold of the KPI as (value, row) marks, and a
    note per row with its thresholds and the x values the note must clear."""
    all_t = a.targets.set_index("target_id")
    marks, notes = [], []
    for i, r in rows.iterrows():
        if fmt.is_missing(r["conflict_with"]):
            continue
        ids = [r["target_id"]] + [x.strip() for x in str(r["conflict_with"]).split(",") if x.strip()]
        ids = sorted(set(ids) & set(all_t.index))
        vals = [float(all_t.at[x, "target_value"]) for x in ids if pd.notna(all_t.at[x, "target_value"])]
        for x in ids:
            v = all_t.at[x, "target_value"]
            if x != r["target_id"] and pd.notna(v) and abs(float(v) - float(r["target_value"])) > 1e-9:
                marks.append((float(v), i))
        words = " / ".join(fmt.value(v, "percent", lang) for v in vals)
        notes.append((i, i18n.t("charts.actual_conflict", lang, words=words), [r["actual"], r["target_value"]] + vals))
    return marks, notes


def _draw_actual(ax, rows: pd.DataFrame, hi: float, marks: list, notes: list) -> pd.Series:
    """Gap line, expected (pro-rated) level, target, conflict thresholds, actual; the rows
    whose expected level differs from the target (they get a legend entry)."""
    y = np.arange(len(rows))
    low, high = np.minimum(rows["actual"], rows["target_value"]), np.maximum(rows["actual"], rows["target_value"])
    ax.hlines(y, low, high, color="#BBBBBB", linewidth=1.5, zorder=1)
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
    missed = vocab.STATUS_COLORS["missed"]
    if marks:
        cx, cy = zip(*marks)
        ax.scatter(cx, cy, marker="|", s=180, linewidths=2.0, color=missed, zorder=3, clip_on=False)
    colors = [vocab.STATUS_COLORS.get(s, "#999999") for s in rows["status"]]
    ax.scatter(rows["actual"], y, s=46, c=colors, edgecolors=_INK, linewidths=0.6, zorder=4, clip_on=False)
    for i, note, xs in notes:
        lo, top = float(np.nanmin(xs)), float(np.nanmax(xs))
        if top < hi * 0.6:
            ax.text(top + hi * 0.02, i, note, va="center", ha="left", fontsize=8, color=missed)
        else:
            ax.text(lo - hi * 0.02, i, note, va="center", ha="right", fontsize=8, color=missed)
    return exp


def _actual_right_edge(ax, rows: pd.DataFrame, lang: str) -> None:
    """The measured value column and the area brackets at the right edge."""
    y = np.arange(len(rows))

    def right(points: float):  # x: that many points right of the axes; y: the row
        return ax.get_yaxis_transform() + ScaledTranslation(points / 72, 0, ax.figure.dpi_scale_trans)

    # Fixed distances from the axes, not fractions of its width: the layout then knows how
    # much room the column and the brackets take, and nothing ends up past the picture's edge.
    for yi, v in zip(y, rows["actual"]):
        ax.text(1.0, yi, fmt.percent(v, 1, lang), transform=right(5), ha="left", va="center", fontsize=8, color=_INK)
    ax.annotate(
        i18n.t("charts.actual_axis", lang),
        (1.0, 1.0),
        xycoords="axes fraction",
        xytext=(5, 3),
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
        ax.plot([1.0, 1.0], [first - 0.3, last + 0.3], transform=right(42), color=_MUTED, linewidth=1, clip_on=False)
        ax.text(
            1.0, (first + last) / 2, str(area_id), transform=right(47), ha="left", va="center", fontsize=8, color=_MUTED
        )


def _actual_legend(fig, rows: pd.DataFrame, expected: bool, conflicts: bool, lang: str) -> None:
    present = [c for c in vocab.TARGET_ORDER if c in set(rows["status"])]
    handles = _status_legend(present, vocab.target_status, lang, marker="o")
    handles.append(_marker("|", _INK, i18n.t("charts.plan_target", lang)))
    if expected:
        handles.append(_marker("|", "#AAAAAA", i18n.t("charts.expected_level", lang), width=2.2))
    if conflicts:
        handles.append(
            _marker("|", vocab.STATUS_COLORS["missed"], i18n.t("charts.conflicting_target", lang), width=2.0)
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, handletextpad=0.3, columnspacing=1.2)


def _actual_caption(a, n: int, plabel: str, lang: str) -> str:
    measurable = a.targets[a.targets["measurable"].fillna(False).astype(bool)] if not a.targets.empty else a.targets
    counts = measurable["status"].value_counts() if len(measurable) else pd.Series(dtype=int)
    phrase = _counts_phrase(counts, vocab.TARGET_ORDER, vocab.target_status, "target", lang)
    conflicts = []
    for _kpi, g in a.targets[a.targets["conflict_with"].notna()].groupby("kpi", sort=False):
        parts = [f"{fmt.value(v, 'percent', lang)} ({tid})" for tid, v in zip(g["target_id"], g["target_value"])]
        conflicts.append(i18n.t("charts.and", lang).join(parts))
    body = i18n.t("charts.actual_caption", lang, plabel=plabel, phrase=phrase, n_targets=fmt.counted(n, "target", lang))
    if conflicts:
        body += i18n.t("charts.actual_conflicts", lang) + "; ".join(conflicts) + "."
    return body
