"""Display tables built from an Assessment: plain DataFrames with the reader's headers and
formatted cells (for export and the dashboard), and their HTML with status colours.

Text that users typed (notes, evidence, task names) is escaped in the HTML; status cells
carry their colour inline so the table reads the same in JupyterLab, the exported HTML,
the PDF and a phone.
"""

from __future__ import annotations

import html

import pandas as pd

from cchc_lib import i18n
from cchc_lib.assessment.counts import status_counts, task_counts
from cchc_lib.assessment.tthc import KPI_LABELS
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import colwidths
from cchc_lib.report.narrative import indicator, shorten, target_text

H = i18n.table("tables")

RECORD_KPIS = (
    "online_rate",
    "on_time_rate",
    "dossier_digitization_rate",
    "result_digitization_rate",
    "satisfaction_rate",
)


def _gap(row, lang: str) -> str:
    if pd.isna(row["actual"]) or pd.isna(row["target_value"]) or not row["measurable"]:
        return fmt.DASH
    diff = row["actual"] - row["target_value"]
    if row["unit"] == "percent":
        return fmt.signed(diff, 1, lang) + H[lang]["pp"]
    return fmt.signed(diff, 1, lang)


def target_table(
    a, lang: str = "vi", area_id: str | None = None, measurable_only: bool = False, compact: bool = False
) -> pd.DataFrame:
    """One row per target: plan value, the level the pace rule expects at the cut-off (so a
    status is read against it), actual, gap, trend, status (codes kept in `_status`).

    ``compact`` leaves out trend and source, for tables inside the report's body that must
    fit an A4 page; the appendix carries the full table."""
    h = H[lang]
    t = a.targets
    if area_id is not None:
        t = t[t["area_id"] == area_id]
    if measurable_only:
        t = t[t["measurable"]]
    rows = []
    for _, r in t.iterrows():
        rows.append(
            {
                h["target_id"]: r["target_id"],
                h["indicator"]: indicator(r, lang),
                h["plan"]: target_text(r, lang) if r["measurable"] else fmt.DASH,
                h["expected_now"]: fmt.value(r["expected_now"], r["unit"], lang) if r["measurable"] else fmt.DASH,
                h["actual"]: fmt.value(r["actual"], r["unit"], lang),
                h["period_value"]: fmt.value(r["actual_period"], r["unit"], lang),
                h["gap"]: _gap(r, lang),
                h["trend"]: vocab.TREND[lang].get(r["trend"], "") if pd.notna(r["trend"]) else "",
                h["status"]: vocab.target_status(r["status"], lang),
                h["source"]: vocab.SOURCE[lang].get(r["actual_source"], "") if pd.notna(r["actual_source"]) else "",
                "_status": r["status"],
            }
        )
    keys = ("target_id", "indicator", "plan", "expected_now", "actual", "period_value", "gap") + (
        ("status",) if compact else ("trend", "status", "source")
    )
    return pd.DataFrame(rows, columns=[h[k] for k in keys] + ["_status"])


_TASK_TABLE_COLUMNS = (
    "task_id",
    "text",
    "lead_unit_id",
    "area_id",
    "deadline_text",
    "deadline",
    "status",
    "completed_on",
    "days_late",
    "recurring",
    "reports",
    "evidence",
)


def task_table(
    a,
    lang: str = "vi",
    area_id: str | None = None,
    recurring: bool | None = None,
    compact: bool = False,
    statuses: tuple[str, ...] | None = None,
    text_limit: int | None = None,
) -> pd.DataFrame:
    """One row per task. ``compact`` folds the completion date and delay into the status
    cell ("Hoàn thành trễ hạn — 20/04/2024, trễ 20 ngày") to save two columns."""
    h = H[lang]
    # the columns read below, taken before filtering: a filter copies every column it keeps
    k = a.tasks[[c for c in _TASK_TABLE_COLUMNS if c in a.tasks.columns]]
    keep = pd.Series(True, index=k.index)  # one filter for all the conditions
    if area_id is not None:
        keep &= k["area_id"] == area_id
    if recurring is not None:
        keep &= k["recurring"] == recurring
    if statuses is not None:
        keep &= k["status"].isin(list(statuses))
    k = k[keep.fillna(False).astype(bool)]
    rows = []
    for _, r in k.iterrows():
        deadline = r["deadline_text"] if pd.notna(r["deadline_text"]) else H[lang]["standing"]
        if pd.notna(r["deadline"]) and not str(deadline).endswith(fmt.date_short(r["deadline"], lang)):
            deadline = f"{deadline} ({fmt.date_short(r['deadline'], lang)})"
        status = vocab.task_status(r["status"], lang)
        if compact:
            extra = [fmt.date_short(r["completed_on"], lang)] if pd.notna(r["completed_on"]) else []
            if pd.notna(r["days_late"]) and r["days_late"] > 0:
                extra.append(H[lang]["days_late"].format(days=fmt.number(r["days_late"], 0, lang)))
            if r["recurring"] and r.get("reports"):
                extra.append(H[lang]["quarters_reported"].format(quarters=r["reports"]))
            status += (" — " + ", ".join(extra)) if extra else ""
        rows.append(
            {
                h["task_id"]: r["task_id"],
                h["task"]: shorten(r["text"], text_limit) if text_limit else r["text"],
                h["lead"]: a.plan.unit_name(r["lead_unit_id"], lang),
                h["deadline"]: deadline,
                h["task_status"]: status,
                h["completed"]: fmt.date_short(r["completed_on"], lang),
                h["late"]: fmt.number(r["days_late"], 0, lang)
                if pd.notna(r["days_late"]) and r["days_late"] > 0
                else "",
                h["evidence"]: r["evidence"] if r["evidence"] is not None and pd.notna(r["evidence"]) else "",
                "_status": r["status"],
            }
        )
    keys = (
        ("task_id", "task", "lead", "deadline", "task_status", "evidence")
        if compact
        else ("task_id", "task", "lead", "deadline", "task_status", "completed", "late", "evidence")
    )
    return pd.DataFrame(rows, columns=[h[c] for c in keys] + ["_status"])


def score_cell(r, lang: str) -> str:
    """The score, or why there is none (the engine's ``grading``: not enough evidence, not graded)."""
    if r["grading"] == "scored":
        return fmt.number(r["score"], 1, lang)
    return H[lang][str(r["grading"])]


_NO_TARGETS = pd.DataFrame({"measurable": pd.Series(dtype=bool), "status": pd.Series(dtype=str)})
_NO_TASKS = pd.DataFrame({"status": pd.Series(dtype=str), "recurring": pd.Series(dtype=bool)})


def _count_groups(a, key: str) -> tuple[dict, dict]:
    """Targets and tasks split once by ``key`` (area or lead unit), only the columns the counts
    read: one pass instead of filtering both whole tables for every row of the table."""
    targets = a.targets[[key, "measurable", "status"]]
    tasks = a.tasks[[key, "status", "recurring"]]
    return (
        {k: g for k, g in targets.groupby(key, sort=False)},
        {k: g for k, g in tasks.groupby(key, sort=False)},
    )


def area_table(a, lang: str = "vi") -> pd.DataFrame:
    h = H[lang]
    from cchc_lib.assessment.engine import rating_for

    rows = []
    targets, tasks = _count_groups(a, "area_id")
    for _, r in a.areas.iterrows():
        code, _ = rating_for(r["score"], a.rules)
        c = status_counts(targets.get(r["area_id"], _NO_TARGETS))
        k = task_counts(tasks.get(r["area_id"], _NO_TASKS)).by_status
        rows.append(
            {
                h["area_id"]: r["area_id"],
                h["area"]: a.plan.area_name(r["area_id"], lang),
                h["score"]: score_cell(r, lang),
                h["targets_line"]: f"{c.met} / {c.at_risk} / {c.missed}",
                h["tasks_line"]: f"{k['done_on_time']} / {k['done_late']} / {k['overdue']}",
                h["coverage"]: fmt.percent(100 * r["data_coverage"], 0, lang)
                if pd.notna(r["data_coverage"])
                else fmt.DASH,
                "_rating": code,
            }
        )
    return pd.DataFrame(rows)


def unit_table(a, lang: str = "vi") -> pd.DataFrame:
    h = H[lang]
    from cchc_lib.assessment.engine import rating_for

    rows = []
    targets, tasks = _count_groups(a, "lead_unit_id")
    for _, r in a.units.sort_values(["score", "unit_id"], ascending=[False, True], na_position="last").iterrows():
        code, _ = rating_for(r["score"], a.rules)
        c = status_counts(targets.get(r["unit_id"], _NO_TARGETS))
        k = task_counts(tasks.get(r["unit_id"], _NO_TASKS)).by_status
        rows.append(
            {
                h["unit"]: a.plan.unit_name(r["unit_id"], lang),
                h["level"]: h["commune"] if r["level"] == "commune" else h["city"],
                h["score"]: score_cell(r, lang),
                h["rating"]: vocab.rating(code, lang) if code else fmt.DASH,
                h["targets_line"]: f"{c.met} / {c.at_risk} / {c.missed}",
                h["tasks_line"]: f"{k['done_on_time']} / {k['done_late']} / {k['overdue']}",
                "_rating": code,
            }
        )
    return pd.DataFrame(rows)


def _kpi_wide(long: pd.DataFrame, key: str, lang: str, label_key: str) -> pd.DataFrame:
    long = long[long["kpi"].isin(RECORD_KPIS)]
    wide = long.pivot_table(index=key, columns="kpi", values="value", aggfunc="first", sort=False)
    received = long[long["kpi"] == "online_rate"].set_index(key)["denominator"]
    out = pd.DataFrame({H[lang][label_key]: wide.index})
    out[H[lang]["received"]] = [fmt.number(received.get(i), 0, lang) for i in wide.index]
    for k in RECORD_KPIS:
        if k in wide.columns:
            out[KPI_LABELS[lang][k]] = [fmt.percent(v, 1, lang) for v in wide[k]]
    return out


def tthc_field_table(a, lang: str = "vi") -> pd.DataFrame:
    if a.tthc is None:
        return pd.DataFrame()
    return _kpi_wide(a.tthc.by_field, "field", lang, "field")


def tthc_month_table(a, lang: str = "vi") -> pd.DataFrame:
    if a.tthc is None:
        return pd.DataFrame()
    bm = a.tthc.by_month.copy()
    months = {
        m: H[lang]["month_label"].format(month=int(m[5:]), year=m[:4]) + (" *" if p else "")
        for m, p in bm.groupby("month")["partial"].first().items()
    }
    bm["month"] = bm["month"].map(months)
    return _kpi_wide(bm, "month", lang, "month")


def kpi_overview(a, lang: str = "vi") -> pd.DataFrame:
    """Every one-stop KPI for the period and the year to date, with its counts."""
    if a.tthc is None:
        return pd.DataFrame()
    p, y = a.tthc.overall, a.tthc_ytd
    h = H[lang]
    rows = []
    for k in p.index:
        unit = p.at[k, "unit"]
        show = (lambda v: fmt.number(v, 0, lang)) if unit == "count" else (lambda v: fmt.percent(v, 1, lang))
        rows.append(
            {
                h["kpi"]: KPI_LABELS[lang][k],
                h["kpi_period"]: show(p.at[k, "value"]),
                h["kpi_counts"]: f"{fmt.number(p.at[k, 'numerator'], 0, lang)} / "
                f"{fmt.number(p.at[k, 'denominator'], 0, lang)}",
                h["kpi_ytd"]: show(y.at[k, "value"]),
            }
        )
    return pd.DataFrame(rows)


# --- HTML ----------------------------------------------------------------------------------


def badge(code: str | None, text: str) -> str:
    """A coloured status label; the colour is inline so it survives any stylesheet."""
    bg = vocab.STATUS_COLORS.get(code) or vocab.RATING_COLORS.get(code) or "#FFFFFF"
    return (
        f'<span class="cchc-badge" style="background:{bg};color:{vocab.text_color(bg)}">{html.escape(str(text))}</span>'
    )


TEXT_COLUMNS = {H[lang][k] for lang in H for k in ("indicator", "task", "evidence")}


def _colgroup(df: pd.DataFrame, cols: list, badged, text_cols: set[str]) -> tuple[str, str]:
    """The printed column widths (:mod:`.colwidths`), as ``--cchc-w`` of each ``<col>``, and
    the table's print class (``cchc-badges-wrap`` when its badges must wrap to fit the page):
    only print.css reads them, so the screen and the phone keep their own layout."""
    at = [df.columns.get_loc(c) for c in cols]
    rows = [
        ["" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x) for x in (r[i] for i in at)]
        for r in df.to_numpy()
    ]
    shares, wraps = colwidths.layout(
        [str(c) for c in cols],
        rows,
        badge_col=cols.index(badged) if badged in cols else None,
        text_cols=[i for i, c in enumerate(cols) if c in text_cols],
    )
    cls = "cchc-sized cchc-badges-wrap" if wraps else "cchc-sized"
    return "<colgroup>" + "".join(f'<col style="--cchc-w:{w}%">' for w in shares) + "</colgroup>", cls


def to_html(
    df: pd.DataFrame,
    badge_col: str | None = None,
    code_col: str = "_status",
    cls: str = "",
    empty: str = "—",
    text_cols: set[str] | None = None,
) -> str:
    """An escaped HTML table; ``badge_col`` cells become coloured badges from ``code_col``;
    long-text columns get the room (class ``text``) so short columns stay on one line; the
    columns' printed widths go with it (class ``cchc-sized``, see :func:`_colgroup`)."""
    text_cols = TEXT_COLUMNS if text_cols is None else text_cols
    if df.empty:
        return f'<p class="cchc-empty">{html.escape(empty)}</p>'
    cols = [c for c in df.columns if not str(c).startswith("_")]
    cl = {c: ' class="text"' if c in text_cols else "" for c in cols}
    head = "".join(f'<th scope="col"{cl[c]}>{html.escape(str(c))}</th>' for c in cols)
    body = []
    badged = badge_col if code_col in df.columns else None
    at = {c: i for i, c in enumerate(df.columns)}
    for row in df.to_numpy():  # the cells as ``iterrows`` would give them, without a Series per row
        cells = []
        for c in cols:
            x = row[at[c]]
            v = "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)
            if c == badged:
                cells.append(f"<td{cl[c]}>{badge(row[at[code_col]], v)}</td>")
            else:
                cells.append(f"<td{cl[c]}>{html.escape(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    colgroup, sized = _colgroup(df, cols, badged, text_cols)
    return (
        f'<div class="cchc-table-wrap"><table class="cchc-table {sized} {cls}">'
        f"{colgroup}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
