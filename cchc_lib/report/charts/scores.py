"""Score charts: areas over the periods (heatmap) and lead units by rating band."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from cchc_lib import i18n
from cchc_lib.assessment.engine import rating_for
from cchc_lib.core import periods
from cchc_lib.i18n import fmt, vocab

from .base import (
    _INK,
    _MUTED,
    Chart,
    _caption,
    _clean,
    _empty_chart,
    _finish,
    _lower_first,
    _new_figure,
    _num,
    _period_key,
    _wrap,
)

# --- 5. area scores over time --------------------------------------------------------------------


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
        return _empty_chart(title, "charts.heat_empty", number, lang)

    h = h.copy()
    area_ids = list(dict.fromkeys(h["area_id"]))
    names = _heat_names(h, area_ids, lang, plan)
    codes = sorted(dict.fromkeys(str(p) for p in h["period"]), key=_period_key)
    h["period"] = h["period"].astype(str)
    grid = h.pivot_table(index="area_id", columns="period", values="score", aggfunc="mean", dropna=False)
    grid = grid.reindex(index=area_ids, columns=codes)
    lines = sum(names[x].count("\n") + 1 for x in area_ids)
    fig = _new_figure(max(3.0, 1.6 + 0.22 * lines + 0.12 * len(area_ids)))
    ax = fig.add_subplot()
    _heat_draw(ax, grid, lang)
    ax.set_yticks(np.arange(len(area_ids)) + 0.5, [names[x] for x in area_ids], rotation=0, fontsize=8.5, va="center")
    ax.set_xticks(np.arange(len(codes)) + 0.5, [periods.label(c, lang) for c in codes], rotation=0, fontsize=9)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    cbar = ax.collections[0].colorbar
    if cbar is not None:
        cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v, 0, lang)))
        cbar.outline.set_visible(False)
    _finish(fig, title)
    return Chart(fig, title, _caption(number, lang, _heat_caption(grid, codes[-1], lang)))


def _heat_names(h: pd.DataFrame, area_ids: list, lang: str, plan) -> dict:
    """'II.2 Cải cách thủ tục hành chính', wrapped: the plan's name, else the history's."""
    name_col = next(
        (c for c in (["area_name_en", "name_en"] if lang == "en" else []) + ["area_name", "name"] if c in h), None
    )
    names = {}
    for aid in area_ids:
        fallback = None
        if name_col:
            vals = h.loc[h["area_id"] == aid, name_col].dropna()
            fallback = vals.iloc[0] if len(vals) else None
        name = plan.area_name(aid, lang) if plan is not None and hasattr(plan, "area_name") else None
        names[aid] = _wrap(f"{aid} {name if name and name != aid else (fallback or '')}".strip(), 30)
    return names


def _heat_draw(ax, grid: pd.DataFrame, lang: str) -> None:
    """The coloured cells with their scores; a period without a score shows a dash."""
    values = grid.to_numpy(dtype=float)
    annot = np.array([[_num(v, 1, lang) if not np.isnan(v) else "" for v in row] for row in values])
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
        # no tick labels from seaborn: area_heatmap writes its own, and seaborn's would be
        # measured one by one (a throw-away renderer each) only to check for overlaps
        xticklabels=False,
        yticklabels=False,
    )
    for yi, row in enumerate(values):
        for xi, v in enumerate(row):
            if np.isnan(v):
                ax.text(xi + 0.5, yi + 0.5, fmt.DASH, ha="center", va="center", color=_MUTED, fontsize=9)


def _heat_caption(grid: pd.DataFrame, last: str, lang: str) -> str:
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
    return body


# --- 6. unit scorecard -----------------------------------------------------------------------------


def unit_scorecard(a, lang: str = "vi", number: int | None = None) -> Chart:
    """Score per lead unit, coloured by rating band, with its task and target counts."""
    lang = fmt.check_lang(lang)
    plabel = periods.label(a.period, lang)
    title = i18n.t("charts.unit_title", lang, plabel=plabel)
    u = a.units
    if u.empty:
        return _empty_chart(title, "charts.unit_empty", number, lang)

    u = u.assign(_s=u["score"].fillna(-1)).sort_values("_s", ascending=False, kind="stable").reset_index(drop=True)
    labels = [_unit_name(a, r, lang) for _, r in u.iterrows()]
    codes = [rating_for(s, a.rules)[0] if a.rules else None for s in u["score"]]
    colors = [vocab.RATING_COLORS.get(c, "#DDDDDD") for c in codes]
    lines = sum(lab.count("\n") + 1 for lab in labels)
    fig = _new_figure(max(2.8, 1.9 + 0.22 * lines + 0.2 * len(u)))
    ax = fig.add_subplot()
    bands = sorted(a.rules.get("rating", {}).get("bands", []), key=lambda b: -b["min"]) if a.rules else []
    _unit_bars(ax, u, colors, bands, lang)
    ax.set_yticks(np.arange(len(u)), labels, fontsize=8.5)
    ax.set_ylim(len(u) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v, 0, lang)))
    ax.set_xlabel(i18n.t("charts.unit_axis", lang))
    ax.grid(axis="y", visible=False)
    _unit_legend(fig, bands, lang)
    _finish(fig, title)
    return Chart(fig, title, _caption(number, lang, _unit_caption(a, u, codes, bands, plabel, lang)))


def _unit_name(a, r, lang: str) -> str:
    """The unit's name, wrapped; a city-level unit carries the mark, kept in one piece."""
    city = i18n.t("charts.city_level", lang)
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


def _unit_bars(ax, u: pd.DataFrame, colors: list, bands: list, lang: str) -> None:
    """A bar per unit (a scored zero as a thin stub, none when unscored), band lines, and
    the score with the unit's counts written in or beside the bar."""
    y = np.arange(len(u))
    scores = u["score"].to_numpy(dtype=float)
    widths = np.where(np.isnan(scores), 0.0, np.maximum(scores, 0.8))
    ax.barh(y, widths, color=colors, edgecolor="white", height=0.65)
    for b in bands:
        if b["min"] > 0:
            ax.axvline(b["min"], color="#999999", linestyle=":", linewidth=1, zorder=0)
    for yi, (_, r) in enumerate(u.iterrows()):
        s = r["score"]
        counts = f"{fmt.counted(int(r['tasks']), 'task', lang)}, {fmt.counted(int(r['targets']), 'target', lang)}"
        unscored = "charts.not_graded" if r.get("grading") == "not_graded" else "charts.not_scored"
        head = i18n.t(unscored, lang) if fmt.is_missing(s) else _num(s, 1, lang)
        inside = not fmt.is_missing(s) and s >= 55
        ax.text(
            1.5 if inside else (0 if fmt.is_missing(s) else s) + 1.5,
            yi,
            f"{head} · {counts}",
            va="center",
            ha="left",
            fontsize=8,
            color=vocab.text_color(colors[yi]) if inside else _INK,
        )


def _unit_legend(fig, bands: list, lang: str) -> None:
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
        color = vocab.RATING_COLORS.get(b["code"], "#DDDDDD")
        handles.append(Patch(facecolor=color, label=f"{vocab.rating(b['code'], lang)} ({rng})"))
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(4, len(handles)),
            fontsize=8,
            title=i18n.t("charts.rating", lang),
            title_fontsize=8,
        )


def _unit_caption(a, u: pd.DataFrame, codes: list, bands: list, plabel: str, lang: str) -> str:
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
    city = i18n.t("charts.city_level", lang)
    city_units = [
        _unit_name(a, r, lang).replace("\n", " ").replace(city, "") for _, r in u.iterrows() if r.get("level") == "city"
    ]
    if city_units:
        body += i18n.t("charts.unit_city", lang, units=", ".join(city_units))
    return body


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
