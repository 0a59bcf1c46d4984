"""The task timeline: deadline, completion and lateness of every task with a deadline."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter

from cchc_lib import i18n
from cchc_lib.core import periods
from cchc_lib.i18n import fmt, vocab

from .base import (
    _INK,
    ROW_HEIGHT,
    Chart,
    _as_date,
    _caption,
    _clean,
    _counts_phrase,
    _empty_chart,
    _finish,
    _month_label,
    _new_figure,
    _num,
    _status_legend,
    _truncate,
)

# A longer timeline is drawn in parts of at most this many rows: one part printed across the
# text width stays under the printed figure height (print.css), with its labels at ~7 pt.
ROWS_PER_PART = 16

# --- 4. task timeline -----------------------------------------------------------------------


def task_timeline(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Deadline, completion and lateness of every task with a deadline, against the cut-off day."""
    return task_timeline_parts(a, lang, number, max_rows=None)[0]


def task_timeline_parts(
    a, lang: str = "vi", number: int | None = None, max_rows: int | None = ROWS_PER_PART
) -> list[Chart]:
    """The task timeline in parts of at most ``max_rows`` tasks (None: one chart), all on
    the same time axis and legend, so a long plan prints legibly page by page. The first
    part carries the caption with every count; the others say they continue it."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.tasks_title", lang, plabel=plabel)
    t = a.tasks
    if not t.empty:
        t = t[~t["recurring"].fillna(False).astype(bool) & t["deadline"].notna()].reset_index(drop=True)
    if t.empty:
        return [_empty_chart(title, "charts.tasks_empty", number, lang)]
    n = len(t)
    parts = 1 if not max_rows or n <= max_rows else -(-n // max_rows)
    size = -(-n // parts)
    counts = t["status"].value_counts()
    phrase = _counts_phrase(counts, vocab.TASK_ORDER, vocab.task_status, "task", lang)
    cut = fmt.date_short(_as_date(a.window.end), lang)
    body = i18n.t(
        "charts.tasks_caption", lang, n_tasks=fmt.counted(n, "task", lang), plabel=plabel, phrase=phrase, cut=cut
    )
    charts = []
    for k in range(parts):
        name = title if parts == 1 else i18n.t("charts.part_title", lang, title=title, part=k + 1, parts=parts)
        text = body if k == 0 else i18n.t("charts.part_caption", lang, title=title, part=k + 1, parts=parts)
        fig = _timeline_figure(a, t, k * size, min(n, (k + 1) * size), name, lang)
        charts.append(Chart(fig, name, _caption(number, lang, text)))
    return charts


def _timeline_figure(a, t: pd.DataFrame, first: int, stop: int, title: str, lang: str):
    """Rows ``first`` to ``stop`` of the timeline, on the axis and legend of all of them."""
    end = pd.Timestamp(a.window.end)
    deadline = pd.to_datetime(t["deadline"])
    done = pd.to_datetime(t["completed_on"]) if "completed_on" in t else pd.Series(pd.NaT, index=t.index)
    dates = pd.concat([deadline, done]).dropna()
    part = t.iloc[first:stop].reset_index(drop=True)
    fig = _new_figure(2.0 + ROW_HEIGHT * len(part))
    ax = fig.add_subplot()
    colors = [vocab.STATUS_COLORS.get(s, "#999999") for s in part["status"]]
    keep = slice(first, stop)
    _timeline_marks(
        ax, part, end, deadline.iloc[keep].reset_index(drop=True), done.iloc[keep].reset_index(drop=True), colors, lang
    )
    _timeline_axes(ax, part, a.period.year, end, dates, lang)
    _timeline_legend(fig, t, lang)
    _finish(fig, title)
    return fig


def _timeline_marks(ax, t: pd.DataFrame, end, deadline: pd.Series, done: pd.Series, colors: list, lang: str) -> None:
    """Per task: a diamond at the deadline, a dot at completion, a coloured bar for the days late."""
    y = np.arange(len(t))
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


def _timeline_axes(ax, t: pd.DataFrame, year: int, end, dates: pd.Series, lang: str) -> None:
    """The plan year (widened to every date shown), the cut-off line, month grid and names, task labels."""
    lo = min([pd.Timestamp(year, 1, 1)] + list(dates))
    hi = max([pd.Timestamp(year, 12, 31)] + list(dates))
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
    n = len(t)
    labels = [_truncate(f"{r.task_id} {_clean(r.text)}") for r in t.itertuples()]
    ax.set_yticks(np.arange(n), labels, fontsize=8)
    ax.set_ylim(n - 0.5, -1.0)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", color="#EEEEEE")


def _timeline_legend(fig, t: pd.DataFrame, lang: str) -> None:
    present = [c for c in vocab.TASK_ORDER if c in set(t["status"])]
    handles = _status_legend(present, vocab.task_status, lang)
    for marker, size, key in (("D", 6, "charts.deadline"), ("o", 7, "charts.completed_on")):
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="",
                markersize=size,
                markerfacecolor="white",
                markeredgecolor=_INK,
                label=i18n.t(key, lang),
            )
        )
    late = vocab.STATUS_COLORS["overdue"]
    handles.append(Line2D([], [], color=late, linewidth=3.5, label=i18n.t("charts.days_late", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
