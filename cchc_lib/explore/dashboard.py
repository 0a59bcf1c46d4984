"""Interactive exploration of an assessment: the dashboard behind ``cchc explore``.

``Dashboard(plan, progress, period, cutoff, lang).widget`` is an ipywidgets 8 layout for the
commune analyst and chairman: choose a period and a cut-off convention, filter by reform
area, lead unit, status or free text, and the target and task tables, the chart, the detail
pane and the what-if panel follow. The notebook ``notebooks/explore.ipynb`` only builds it;
``serve()`` shows that notebook as a web page with Voilà (no code visible, works offline),
``jupyterlab()`` opens it in JupyterLab.

The logic is in plain functions that the tests and the benchmark call directly:

* ``selection(a, area=…, unit=…, target_status=…, task_status=…, search=…)`` → the filtered
  target and task tables (the report's display tables, ``tables.target_table`` /
  ``tables.task_table``);
* ``export_selection(targets, tasks, out_dir, fmt)`` → Excel (sheets "Chỉ tiêu",
  "Nhiệm vụ") or CSV (UTF-8 with BOM, so Excel shows the diacritics);
* ``what_if(a, target_id, value)`` → the target's status, its area's score, the composite
  score and the estimated rating, before and after, computed with assess's own rules;
* ``fold(text)`` → text without case or diacritics, so "ho so" finds "hồ sơ".

Speed (benchmarks/bench_explore.py): an ``Assessment`` is computed once per (period,
cut-off) and kept — about 0.5 s the first time on the sample year, 0.03–0.08 s afterwards;
changing a filter only slices the kept tables (10–30 ms). The chart, the detail pane and the
what-if panel are drawn when their tab is shown, not on every change; charts are kept per
selection. ``Dashboard.from_params`` (what the notebook calls) also assesses the other
periods of the year in a background thread, so the quarter-by-quarter history is ready.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import ipaddress
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections import OrderedDict
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib import i18n
from cchc_lib.assessment.engine import Assessment, _is, assess, load_rules
from cchc_lib.core import paths
from cchc_lib.core.periods import (
    Period,
    check_cutoff,
    describe_window,
    label,
    label_title,
    parse_period,
    periods_in_year,
)
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables

__all__ = [
    "NOTEBOOK",
    "Dashboard",
    "default_out_dir",
    "explore_command",
    "export_selection",
    "fold",
    "jupyterlab",
    "make_notebook",
    "selection",
    "serve",
    "stop",
    "wait_until_ready",
    "what_if",
]

NOTEBOOK = paths.notebook("explore.ipynb")
PARAMS = {
    "plan": "",
    "data": "",
    "period": "",
    "cutoff": "nd09",
    "lang": "vi",
    "out_dir": "",
}
RECORD_SOURCES = ("dossiers", "feedback")
ATTENTION = {"targets": ("at_risk", "missed", "no_data"), "tasks": ("overdue", "done_late", "recurring_missing")}

# --- words of the interface ------------------------------------------------------------------

L = i18n.table("dashboard")


# --- text folding and the selection ---------------------------------------------------------


def fold(text) -> str:
    """Lower case, without diacritics, single spaces: ``fold("Hồ sơ  ĐẤT đai") == "ho so dat dai"``.

    NFD splits a letter from its marks (ồ → o + ̂ + ̀) and the marks are dropped; đ has no
    decomposition in Unicode, so it is mapped to d by hand.
    """
    if fmt.is_missing(text):
        return ""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.casefold().split())


def _haystack(frame: pd.DataFrame, cols: tuple[str, ...]) -> list[str]:
    present = [c for c in cols if c in frame.columns]
    return [
        fold(" ".join("" if fmt.is_missing(v) else str(v) for v in row))
        for row in frame[present].itertuples(index=False)
    ]


TARGET_SEARCH = ("target_id", "indicator", "indicator_en", "text")
TASK_SEARCH = ("task_id", "text")


def _codes(x) -> tuple[str, ...] | None:
    if x is None or x == "" or (isinstance(x, (list, tuple, set, frozenset)) and not x):
        return None
    return (x,) if isinstance(x, str) else tuple(x)


def masks(
    a: Assessment,
    area: str | None = None,
    unit: str | None = None,
    target_status=None,
    task_status=None,
    search: str = "",
    haystacks: tuple[list[str], list[str]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean row masks over ``a.targets`` and ``a.tasks`` for the given filters.

    ``area`` and ``unit`` are ids (an ``area_id`` and a ``unit_id``; the lead unit); the statuses are a
    code or a list of codes; ``search`` matches, without case or diacritics, the id, the
    indicator and the plan text of a target and the id and text of a task.
    """
    t, k = a.targets, a.tasks
    mt, mk = np.ones(len(t), bool), np.ones(len(k), bool)
    if area:
        mt &= _is(t["area_id"], area).to_numpy()
        mk &= _is(k["area_id"], area).to_numpy()
    if unit:
        mt &= _is(t["lead_unit_id"], unit).to_numpy()
        mk &= _is(k["lead_unit_id"], unit).to_numpy()
    ts, ks = _codes(target_status), _codes(task_status)
    if ts:
        mt &= t["status"].isin(list(ts)).fillna(False).to_numpy(dtype=bool)
    if ks:
        mk &= k["status"].isin(list(ks)).fillna(False).to_numpy(dtype=bool)
    q = fold(search)
    if q:
        ht, hk = haystacks or (_haystack(t, TARGET_SEARCH), _haystack(k, TASK_SEARCH))
        mt &= np.fromiter((q in h for h in ht), bool, len(ht))
        mk &= np.fromiter((q in h for h in hk), bool, len(hk))
    return mt, mk


def selection(
    a: Assessment,
    area: str | None = None,
    unit: str | None = None,
    target_status=None,
    task_status=None,
    search: str = "",
    lang: str = "vi",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The target and task display tables of ``a`` (as in the report) restricted to the filters.

    Columns are the reader's headers plus ``_status`` (the status code, used for colours and
    dropped on export). See ``masks`` for the meaning of the filters.
    """
    mt, mk = masks(a, area, unit, target_status, task_status, search)
    return (
        tables.target_table(a, lang)[mt].reset_index(drop=True),
        tables.task_table(a, lang)[mk].reset_index(drop=True),
    )


# --- export ------------------------------------------------------------------------------------


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in df.columns if not str(c).startswith("_")]]


def export_selection(
    targets: pd.DataFrame,
    tasks: pd.DataFrame,
    out_dir,
    fmt: str = "xlsx",
    stem: str = "cchc-explore",
    info: dict | None = None,
    lang: str = "vi",
) -> list[Path]:
    """Write the two tables (columns starting with ``_`` left out); return the paths written.

    ``fmt="xlsx"``: one workbook with the sheets "Chỉ tiêu" and "Nhiệm vụ" (header row frozen,
    columns sized), plus a sheet "Thông tin" with ``info`` (period, window, filters…) when
    given. ``fmt="csv"``: ``<stem>_chi-tieu.csv`` and ``<stem>_nhiem-vu.csv``, UTF-8 with a
    byte-order mark so that Excel on Windows shows the diacritics. Files of the same name are
    replaced.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t, k = _visible(targets), _visible(tasks)
    if fmt == "csv":
        written = [out / f"{stem}_chi-tieu.csv", out / f"{stem}_nhiem-vu.csv"]
        for df, path in zip((t, k), written, strict=True):
            df.to_csv(path, index=False, encoding="utf-8-sig")
        return written
    if fmt != "xlsx":
        raise ValueError(f"Định dạng '{fmt}' không hỗ trợ: chỉ 'xlsx' hoặc 'csv'.")
    from openpyxl.styles import Alignment, Font

    names = L[lang if lang in L else "vi"]["sheets"]
    path = out / f"{stem}.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        frames = [(names[0], t), (names[1], k)]
        if info:
            frames.append((names[2], pd.DataFrame({"": list(info), " ": [str(v) for v in info.values()]})))
        for sheet, df in frames:
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for j, col in enumerate(df.columns, start=1):
                longest = max([len(str(col))] + [len(str(v)) for v in df.iloc[:, j - 1]])
                letter = ws.cell(row=1, column=j).column_letter
                ws.column_dimensions[letter].width = min(60, max(8, longest + 2))
                ws.cell(row=1, column=j).font = Font(bold=True)
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return [path]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", fold(text)).strip("-")[:40]


# --- what if ----------------------------------------------------------------------------------


def what_if(a: Assessment, target_id: str, value: float, linked: bool = True) -> dict:
    """Re-assess ``a`` as if target ``target_id`` had reached ``value``; return before and after.

    The "after" side is ``assess`` itself run with ``overrides``, so the what-if can never
    drift from the real rules: status, pace projection, area and unit scores, composite
    score and estimated rating all follow exactly as they would with that figure.

    * A target measured from the dossier or petition log (online share…): every measurable
      target computed from the same indicator takes the value too (``linked``), as the log
      would give them all the same figure — two conflicting online-share targets ("≥ 50%" and
      "≥ 30%") move together.
    * An entered target: the value counts as entered for ``a.period``; for a quarter it
      also enters the pace projection of a level target.

    Returns a dict: ``target_id``, ``value``, ``changed`` (target ids set to the value),
    ``changed_status``, ``actual_before/after``, ``status_before/after``, ``area_id``,
    ``area_score_before/after``, ``areas`` ({area: (before, after)} for the areas changed),
    ``unit_id``, ``unit_score_before/after``, ``score_before/after``, ``rating_before/after``,
    ``rating_level_before/after``, and the recomputed frames ``targets_after``,
    ``areas_after``, ``units_after``, ``overall_after``.
    """
    t = a.targets
    hit = t.index[t["target_id"] == target_id]
    if len(hit) != 1:
        raise KeyError(f"Không có chỉ tiêu '{target_id}' trong đánh giá.")
    row = t.loc[hit[0]]
    if not bool(row["measurable"]):
        raise ValueError(f"Chỉ tiêu {target_id} là chỉ tiêu định tính, không có giá trị để giả định.")
    if _is(t["kpi"], "rating")[hit[0]]:
        raise ValueError(
            f"Chỉ tiêu {target_id} là xếp loại ước tính, được suy ra từ điểm tổng hợp; hãy giả định các chỉ tiêu khác."
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("Giá trị giả định phải là một số.")
    ids = [target_id]
    from_records = bool(pd.notna(row["actual_source"]) and row["actual_source"] in RECORD_SOURCES)
    if linked and from_records and pd.notna(row["kpi"]):
        same = _is(t["kpi"], row["kpi"]) & t["actual_source"].isin(list(RECORD_SOURCES)).fillna(False) & t["measurable"]
        ids = list(t.loc[same.astype(bool), "target_id"])
    b = assess(a.plan, a.progress, a.period, a.cutoff, a.rules, overrides={i: value for i in ids})

    old_t, new_t = a.targets.set_index("target_id"), b.targets.set_index("target_id")
    area_ids = list(dict.fromkeys(old_t.loc[ids, "area_id"]))
    old_area, new_area = a.areas.set_index("area_id")["score"], b.areas.set_index("area_id")["score"]
    old_unit, new_unit = a.units.set_index("unit_id")["score"], b.units.set_index("unit_id")["score"]
    area_id, unit_id = row["area_id"], row["lead_unit_id"]
    return {
        "target_id": target_id,
        "value": value,
        "changed": ids,
        "changed_status": {i: (old_t.at[i, "status"], new_t.at[i, "status"]) for i in ids},
        "actual_before": row["actual"],
        "actual_after": value,
        "status_before": row["status"],
        "status_after": new_t.at[target_id, "status"],
        "area_id": area_id,
        "area_score_before": old_area.get(area_id, np.nan),
        "area_score_after": new_area.get(area_id, np.nan),
        "areas": {aid: (old_area.get(aid, np.nan), new_area.get(aid, np.nan)) for aid in area_ids},
        "unit_id": unit_id,
        "unit_score_before": old_unit.get(unit_id, np.nan),
        "unit_score_after": new_unit.get(unit_id, np.nan),
        "score_before": a.overall["score"],
        "score_after": b.overall["score"],
        "rating_before": a.overall["rating"],
        "rating_after": b.overall["rating"],
        "rating_level_before": a.overall["rating_level"],
        "rating_level_after": b.overall["rating_level"],
        "targets_after": b.targets,
        "areas_after": b.areas,
        "units_after": b.units,
        "overall_after": b.overall,
    }


# --- the dashboard ----------------------------------------------------------------------------

CSS = """
<style>
.cchc-x{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1b1b1b;
  max-width:1200px;margin:0 auto;box-sizing:border-box;width:100%}
.cchc-x *{box-sizing:border-box}
.cchc-x h2{font-size:1.25em;margin:.2em 0 .3em;line-height:1.3}
.cchc-x h4{margin:.6em 0 .3em}
.cchc-x p{margin:.25em 0}
.cchc-x .widget-html-content{line-height:1.45;font-size:14px;white-space:normal;overflow-wrap:anywhere}
.cchc-x .widget-html-content{min-width:0;max-width:100%}
.cchc-x .widget-html,.cchc-x .widget-dropdown,.cchc-x .widget-text,.cchc-x .widget-hslider{margin-left:0;margin-right:0}
.cchc-x .widget-image.cchc-x-chart{align-self:flex-start;max-width:100%;height:auto;margin:4px 0}
.cchc-table.cchc-x-whatif-table{width:auto}
.cchc-banner{background:#D55E00;color:#fff;font-weight:700;padding:.4em .7em;border-radius:4px;margin:.3em 0;text-align:center}
.cchc-x-caveat{font-size:.85em;color:#555;font-style:italic}
.cchc-x-label{font-size:13px;font-weight:600;color:#333;margin:0 0 2px 2px}
.cchc-x-controls{gap:6px 12px}
.cchc-x-field .widget-dropdown>select,.cchc-x-field input{font-size:14px}
.cchc-x-field .widget-toggle-buttons .widget-toggle-button{width:auto;min-width:6.5em;padding:0 .6em}
.cchc-x-status{color:#333;font-size:13px}
.cchc-table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:.3em 0 .8em}
.cchc-table{border-collapse:collapse;width:100%;font-size:13px}
.cchc-table th,.cchc-table td{border:1px solid #bbb;padding:.25em .4em;vertical-align:top;text-align:left}
.cchc-table thead th{background:#eef2f5}
.cchc-table td{white-space:nowrap}
.cchc-table td.text,.cchc-table td:nth-child(2){white-space:normal;min-width:14em}
.cchc-table.cchc-x-detail-table td{white-space:normal;min-width:5.5em}
.cchc-table th[scope=row]{font-weight:600;white-space:normal;min-width:10em}
.cchc-badge{display:inline-block;padding:.05em .45em;border-radius:3px;white-space:nowrap}
.cchc-empty{color:#666;font-style:italic}
.cchc-x-src{border-left:3px solid #0072B2;padding:.2em .7em;margin:.4em 0;background:#f4f8fb}
.cchc-x-note{border-left:3px solid #E69F00;padding:.2em .7em;margin:.4em 0;background:#fdf8ee}
.cchc-x-current td{font-weight:700}
.cchc-x-links a{margin-right:1em;color:#0b62a4;text-decoration:underline}
.cchc-x-links code{overflow-wrap:anywhere}
.cchc-x .jupyter-widgets.widget-tab>.widget-tab-contents{padding:8px 4px}
.cchc-x .lm-TabBar-tab{min-width:0;flex:0 1 auto}
@media (max-width:600px){
  .cchc-x h2{font-size:1.05em}
  .cchc-table{font-size:12px}
  .cchc-table td.text,.cchc-table td:nth-child(2){min-width:15em}
  .cchc-table.cchc-x-detail-table td{min-width:5em}
  .cchc-x .lm-TabBar-content{flex-wrap:wrap}
  .cchc-x .jupyter-widgets.widget-tab>.lm-TabBar .lm-TabBar-tab{flex:1 1 auto;min-width:0;padding:0 8px}
  .cchc-x .lm-TabBar-tabLabel{font-size:12px;overflow:visible}
}
</style>
"""


def default_out_dir() -> Path:
    """``reports/explore`` of the repository (editable install), else of the working folder."""
    repo_reports = paths.REPO_ROOT / "reports"
    base = repo_reports if repo_reports.is_dir() else Path.cwd() / "reports"
    return (base / "explore").resolve()


def _seconds(s: float, lang: str) -> str:
    return fmt.number(s, 2, lang)


def _esc(x) -> str:
    return "" if fmt.is_missing(x) else html.escape(str(x))


class Dashboard:
    """Linked controls, tables, chart, detail pane, what-if and export for one plan's year.

    ``Dashboard(plan, progress, period, cutoff="nd09", lang="vi")``; display
    ``.widget``. Every widget is an attribute (``period``, ``cutoff``, ``area``, ``unit``,
    ``target_status``, ``task_status``, ``search``, ``target_html``, ``task_html``,
    ``chart_image``, ``target_pick``, ``target_detail``, ``task_pick``, ``task_detail``,
    ``wi_target``, ``wi_value``, ``wi_html``, ``export_xlsx``, ``export_csv``,
    ``export_html``, ``tabs``) so that tests and notebooks can drive it.

    ``prefetch=True`` computes the other periods of the year in a background thread after
    the first display, so that a period change or the quarter-by-quarter history is ready
    when asked for. ``search_delay`` (seconds) waits for typing to pause before filtering,
    when running in a kernel; outside an event loop the search applies at once.
    """

    TAB_TARGETS, TAB_TASKS, TAB_CHART, TAB_DETAIL, TAB_WHATIF = range(5)

    def __init__(
        self,
        plan,
        progress,
        period: str | Period = "",
        cutoff: str = "nd09",
        lang: str = "vi",
        *,
        rules: dict | None = None,
        out_dir=None,
        prefetch: bool = False,
        search_delay: float = 0.3,
        chart_dpi: int = 100,
    ):
        import ipywidgets as W

        self.W = W
        self.plan, self.progress = plan, progress
        self.lang = fmt.check_lang(lang)
        self.t = L[self.lang]
        self.rules = rules or load_rules(plan)
        self.out_dir = Path(out_dir).resolve() if out_dir else default_out_dir()
        self.search_delay = float(search_delay)
        self.chart_dpi = int(chart_dpi)
        self.prefetch = prefetch
        first = plan.check_period(period or f"{plan.year}-Q1")  # empty: the plan year's first quarter
        cutoff = check_cutoff(cutoff)
        self.year = first.year
        self.written: list[Path] = []
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Future] = {}
        self._views: dict[tuple[str, str], dict] = {}
        self._charts: OrderedDict = OrderedDict()
        self._suspend = 0
        self._dirty: set[str] = set()
        self._search_handle = None
        self._prefetcher: threading.Thread | None = None
        self.timings: dict[str, float] = {}
        self.a: Assessment | None = None
        self._build(first, cutoff)
        self._wire()
        self._load_period()
        if prefetch:
            self.start_prefetch()

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_params(
        cls,
        plan="",
        data="",
        period="",
        cutoff="nd09",
        lang="vi",
        out_dir=None,
        prefetch: bool = True,
        **kw,
    ) -> Dashboard:
        """Load the plan and the progress data (``progress.inputs.load_inputs``: the plan's year
        folder by default, ``data="sample"`` for the sample) and build the dashboard."""
        from cchc_lib.progress.inputs import load_inputs

        inputs = load_inputs(plan, data, None, cutoff, lang)
        if inputs.notice:
            print(inputs.notice)
        p, progress = inputs.plan, inputs.progress
        return cls(p, progress, period, cutoff, lang, out_dir=out_dir or None, prefetch=prefetch, **kw)

    def _field(self, key: str, control, cls: str, grow: str = "1 1 220px"):
        W = self.W
        control.layout.width = "100%"
        control.add_class(cls)
        lab = W.HTML(f'<div class="cchc-x-label">{html.escape(self.t[key])}</div>')
        box = W.VBox([lab, control], layout=W.Layout(flex=grow, min_width="140px", margin="0"))
        box.add_class("cchc-x-field")
        return box

    def _build(self, first: Period, cutoff: str) -> None:
        W, t, plan = self.W, self.t, self.plan
        self.period = W.Dropdown(
            options=[(label_title(p, self.lang), p.code) for p in periods_in_year(self.year)], value=first.code
        )
        self.cutoff = W.ToggleButtons(
            options=[(t["cutoffs"][c], c) for c in ("nd09", "calendar")],
            value=cutoff,
            tooltips=[t["cutoff_tips"][c] for c in ("nd09", "calendar")],
            style={"button_width": "auto"},
        )
        self.area = W.Dropdown(
            options=[(t["all"], "")]
            + [(f"{r.area_id} {plan.area_name(r.area_id, self.lang)}", r.area_id) for r in plan.areas.itertuples()],
            value="",
        )
        leads = set(plan.targets["lead_unit_id"].dropna()) | set(plan.tasks["lead_unit_id"].dropna())
        self.unit = W.Dropdown(
            options=[(t["all"], "")] + [(plan.unit_name(u, self.lang), u) for u in plan.units["unit_id"] if u in leads],
            value="",
        )
        self.target_status = W.Dropdown(
            options=[(t["all"], ""), (t["attention_targets"], "attention")]
            + [(vocab.target_status(c, self.lang), c) for c in vocab.TARGET_ORDER],
            value="",
        )
        self.task_status = W.Dropdown(
            options=[(t["all"], ""), (t["attention_tasks"], "attention")]
            + [(vocab.task_status(c, self.lang), c) for c in vocab.TASK_ORDER],
            value="",
        )
        self.search = W.Text(value="", placeholder=t["search_ph"], continuous_update=True)
        self.reset = W.Button(description=t["reset"], layout=W.Layout(width="auto"))
        self.reset.add_class("cchc-reset")
        controls = W.Box(
            [
                self._field("period", self.period, "cchc-period", "1 1 140px"),
                self._field("cutoff", self.cutoff, "cchc-cutoff", "0 0 auto"),
                self._field("area", self.area, "cchc-area", "3 1 280px"),
                self._field("unit", self.unit, "cchc-unit", "1 1 150px"),
                self._field("target_status", self.target_status, "cchc-target-status", "1 1 150px"),
                self._field("task_status", self.task_status, "cchc-task-status", "1 1 150px"),
                self._field("search", self.search, "cchc-search", "3 1 280px"),
            ],
            layout=W.Layout(display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"),
        )
        controls.add_class("cchc-x-controls")

        self.header = W.HTML()
        self.header.add_class("cchc-header")
        self.status = W.HTML()
        self.status.add_class("cchc-status")
        self.message = W.HTML()
        self.export_xlsx = W.Button(
            description=t["export_xlsx"],
            icon="",
            layout=W.Layout(width="auto"),
            tooltip=t["export_tip"].format(dir=self.out_dir),
        )
        self.export_csv = W.Button(
            description=t["export_csv"], layout=W.Layout(width="auto"), tooltip=t["export_tip"].format(dir=self.out_dir)
        )
        self.export_xlsx.add_class("cchc-export-xlsx")
        self.export_csv.add_class("cchc-export-csv")
        self.export_html = W.HTML()
        self.export_html.add_class("cchc-export")
        bar = W.Box(
            [self.status, self.reset, self.export_xlsx, self.export_csv],
            layout=W.Layout(display="flex", flex_flow="row wrap", align_items="center", width="100%"),
        )
        self.status.layout.flex = "1 1 260px"

        self.target_html = W.HTML()
        self.target_html.add_class("cchc-targets")
        self.task_html = W.HTML()
        self.task_html.add_class("cchc-tasks")

        self.chart_kind = W.ToggleButtons(
            options=[(v, k) for k, v in t["chart_kinds"].items()], value="status", style={"button_width": "auto"}
        )
        self.chart_image = W.Image(
            format="png", value=b"", layout=W.Layout(max_width="100%", height="auto", align_self="flex-start")
        )
        self.chart_image.add_class("cchc-x-chart")
        self.chart_caption = W.HTML()
        self.chart_message = W.HTML()
        chart_box = W.VBox([self.chart_kind, self.chart_message, self.chart_image, self.chart_caption])

        self.target_pick = W.Dropdown(options=[(t["none"], "")], value="")
        self.target_detail = W.HTML()
        self.target_detail.add_class("cchc-target-detail")
        self.task_pick = W.Dropdown(options=[(t["none"], "")], value="")
        self.task_detail = W.HTML()
        self.task_detail.add_class("cchc-task-detail")
        detail_box = W.VBox(
            [
                self._field("pick_target", self.target_pick, "cchc-target-pick", "1 1 100%"),
                self.target_detail,
                self._field("pick_task", self.task_pick, "cchc-task-pick", "1 1 100%"),
                self.task_detail,
            ]
        )

        self.wi_target = W.Dropdown(options=[(t["none"], "")], value="")
        self.wi_value = W.FloatSlider(value=0, min=0, max=100, step=0.1, continuous_update=False, readout_format=".1f")
        self.wi_reset = W.Button(description=t["wi_reset"], layout=W.Layout(width="auto"))
        self.wi_html = W.HTML()
        self.wi_html.add_class("cchc-whatif")
        wi_controls = W.Box(
            [
                self._field("wi_target", self.wi_target, "cchc-wi-target", "2 1 260px"),
                self._field("wi_value", self.wi_value, "cchc-wi-value", "2 1 260px"),
                self.wi_reset,
            ],
            layout=W.Layout(display="flex", flex_flow="row wrap", align_items="flex-end", width="100%"),
        )
        wi_box = W.VBox([W.HTML(f"<p>{html.escape(t['wi_intro'])}</p>"), wi_controls, self.wi_html])

        self.tabs = W.Tab(children=[self.target_html, self.task_html, chart_box, detail_box, wi_box])
        self.tabs.titles = tuple(x.format(n="…") for x in t["tabs"])
        self.widget = W.VBox(
            [W.HTML(CSS), self.header, controls, bar, self.message, self.export_html, self.tabs],
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("cchc-x")

    def _wire(self) -> None:
        self.period.observe(self._safe(lambda _: self._load_period()), "value")
        self.cutoff.observe(self._safe(self._on_cutoff), "value")
        for w in (self.area, self.unit, self.target_status, self.task_status):
            w.observe(self._safe(lambda _: self._on_filter()), "value")
        self.search.observe(self._safe(self._on_search), "value")
        self.reset.on_click(self._safe(lambda _: self.set_filters()))
        self.tabs.observe(self._safe(lambda _: self._render_visible()), "selected_index")
        self.chart_kind.observe(self._safe(lambda _: self._mark("chart")), "value")
        self.target_pick.observe(self._safe(lambda _: self._mark("detail_target")), "value")
        self.task_pick.observe(self._safe(lambda _: self._mark("detail_task")), "value")
        self.wi_target.observe(self._safe(lambda _: self._on_wi_target()), "value")
        self.wi_value.observe(self._safe(lambda _: self._mark("whatif")), "value")
        self.wi_reset.on_click(self._safe(lambda _: self._on_wi_target()))
        self.export_xlsx.on_click(self._safe(lambda _: self.export("xlsx")))
        self.export_csv.on_click(self._safe(lambda _: self.export("csv")))

    def _safe(self, fn):
        """Show an error in the page instead of losing it in the kernel log."""

        def handler(change):
            try:
                self.message.value = ""
                fn(change)
            except Exception as exc:  # noqa: BLE001 — the page must say what went wrong
                self.message.value = (
                    f'<p class="cchc-x-note">{html.escape(self.t["error"].format(err=f"{type(exc).__name__}: {exc}"))}'
                    "</p>"
                )

        return handler

    # -- assessments, cached ----------------------------------------------------------------
    def assessment(self, period: str | Period | None = None, cutoff: str | None = None) -> Assessment:
        """The assessment of ``period`` under ``cutoff`` (default: the selected ones), computed once."""
        code = parse_period(period).code if period is not None else self.period.value
        key = (code, cutoff or self.cutoff.value)
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if owner:
                fut = self._cache[key] = Future()
        if owner:
            try:
                fut.set_result(assess(self.plan, self.progress, key[0], key[1], rules=self.rules))
            except BaseException as exc:
                with self._lock:
                    self._cache.pop(key, None)
                fut.set_exception(exc)
        return fut.result()

    def cached(self) -> list[tuple[str, str]]:
        with self._lock:
            return [k for k, f in self._cache.items() if f.done()]

    def start_prefetch(self) -> threading.Thread:
        """Compute the quarters, then the halves and the year, of the selected cut-off in the background."""
        cutoff = self.cutoff.value
        order = [p for p in periods_in_year(self.year) if p.kind == "quarter"] + [
            p for p in periods_in_year(self.year) if p.kind != "quarter"
        ]

        def run():
            for p in order:
                try:
                    self.assessment(p, cutoff)
                except Exception:  # noqa: BLE001 — the foreground will report it when asked
                    pass

        self._prefetcher = threading.Thread(target=run, name="cchc-prefetch", daemon=True)
        self._prefetcher.start()
        return self._prefetcher

    def _view(self) -> dict:
        """Display tables and search texts of the current assessment, built once per key."""
        key = (self.a.period.code, self.a.cutoff)
        v = self._views.get(key)
        if v is None:
            a = self.a
            v = {
                "targets": tables.target_table(a, self.lang),
                "tasks": tables.task_table(a, self.lang),
                "hay": (_haystack(a.targets, TARGET_SEARCH), _haystack(a.tasks, TASK_SEARCH)),
            }
            self._views[key] = v
        return v

    # -- filters ------------------------------------------------------------------------------
    def filters(self) -> dict:
        """The current filters, as ``selection``/``masks`` take them."""

        def status(value, kind):
            return ATTENTION[kind] if value == "attention" else (value or None)

        return {
            "area": self.area.value or None,
            "unit": self.unit.value or None,
            "target_status": status(self.target_status.value, "targets"),
            "task_status": status(self.task_status.value, "tasks"),
            "search": self.search.value,
        }

    def set_filters(
        self, area: str = "", unit: str = "", target_status: str = "", task_status: str = "", search: str = ""
    ) -> None:
        """Set several filters at once with a single refresh (also the "Bỏ lọc" button)."""
        with self._batch():
            self.area.value, self.unit.value = area, unit
            self.target_status.value, self.task_status.value = target_status, task_status
            self.search.value = search

    @contextmanager
    def _batch(self):
        self._suspend += 1
        try:
            yield
        finally:
            self._suspend -= 1
        if not self._suspend:
            self._on_filter()

    def _on_cutoff(self, _change) -> None:
        self._load_period()
        if self.prefetch:
            self.start_prefetch()

    def _on_search(self, _change) -> None:
        if self._suspend:
            return
        loop = None
        if self.search_delay > 0:
            import asyncio

            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        if loop is None:
            self._on_filter()
            return
        if self._search_handle is not None:
            self._search_handle.cancel()
        self._search_handle = loop.call_later(self.search_delay, self._safe(lambda _: self._on_filter()), None)

    def _load_period(self) -> None:
        t0 = time.perf_counter()
        key = (self.period.value, self.cutoff.value)
        if key not in self.cached():
            self.status.value = html.escape(self.t["computing"].format(label=label(self.period.value, self.lang)))
        self.a = self.assessment()
        self.timings["assessment"] = time.perf_counter() - t0
        self._render_header()
        self._on_filter(t0)

    def _on_filter(self, t0: float | None = None) -> None:
        if self._suspend or self.a is None:
            return
        t0 = t0 if t0 is not None else time.perf_counter()
        a, v, f = self.a, self._view(), self.filters()
        mt, mk = masks(a, haystacks=v["hay"], **f)
        self.mask_targets, self.mask_tasks = mt, mk
        self.targets_view = v["targets"][mt].reset_index(drop=True)
        self.tasks_view = v["tasks"][mk].reset_index(drop=True)
        h = tables.H[self.lang]
        self.target_html.value = tables.to_html(
            self.targets_view, badge_col=h["status"], cls="cchc-x-targets", empty=self.t["no_targets"]
        )
        self.task_html.value = tables.to_html(
            self.tasks_view, badge_col=h["task_status"], cls="cchc-x-tasks", empty=self.t["no_tasks"]
        )
        n_t, n_k = int(mt.sum()), int(mk.sum())
        tabs = self.t["tabs"]
        self.tabs.titles = (tabs[0].format(n=n_t), tabs[1].format(n=n_k), *tabs[2:])
        # The count line is set together with the tables, so the page never shows them disagreeing.
        self.status.value = self.t["showing"].format(t=n_t, T=len(a.targets), k=n_k, K=len(a.tasks))
        self._update_picks()
        self._dirty |= {"chart", "detail_target", "detail_task", "whatif"}
        self._render_visible()
        self.timings["update"] = dt = time.perf_counter() - t0
        self.status.value = (
            self.t["showing"].format(t=n_t, T=len(a.targets), k=n_k, K=len(a.tasks))
            + f' <span class="cchc-x-caveat">({self.t["updated"].format(s=_seconds(dt, self.lang))})</span>'
        )

    def _update_picks(self) -> None:
        """Options of the detail and what-if dropdowns follow the filtered rows."""
        a, none = self.a, [(self.t["none"], "")]
        ft, fk = a.targets[self.mask_targets], a.tasks[self.mask_tasks]
        t_opts = [(f"{r.target_id} — {_short(r.indicator, 70)}", r.target_id) for r in ft.itertuples()] or none
        k_opts = [(f"{r.task_id} — {_short(r.text, 70)}", r.task_id) for r in fk.itertuples()] or none
        measurable = ft[ft["measurable"].astype(bool) & ~_is(ft["kpi"], "rating")]
        if measurable.empty:
            measurable = a.targets[a.targets["measurable"].astype(bool) & ~_is(a.targets["kpi"], "rating")]
        w_opts = [(f"{r.target_id} — {_short(r.indicator, 70)}", r.target_id) for r in measurable.itertuples()] or none
        self._suspend += 1  # option changes reset values; one render afterwards is enough
        try:
            for w, opts in ((self.target_pick, t_opts), (self.task_pick, k_opts), (self.wi_target, w_opts)):
                keep = w.value
                if [o[1] for o in w.options] != [o[1] for o in opts] or [o[0] for o in w.options] != [
                    o[0] for o in opts
                ]:
                    w.options = opts  # (hold_trait_notifications would cross-validate the old value)
                    w.value = keep if keep in {o[1] for o in opts} else opts[0][1]
            self._sync_wi_slider()
        finally:
            self._suspend -= 1

    def _mark(self, *parts: str) -> None:
        if self._suspend:
            return
        self._dirty |= set(parts)
        self._render_visible()

    def _render_visible(self) -> None:
        tab = self.tabs.selected_index
        if tab == self.TAB_CHART and "chart" in self._dirty:
            self._render_chart()
        if tab == self.TAB_DETAIL:
            if "detail_target" in self._dirty:
                self._render_target_detail()
            if "detail_task" in self._dirty:
                self._render_task_detail()
        if tab == self.TAB_WHATIF and "whatif" in self._dirty:
            self._render_whatif()

    def render_all(self) -> None:
        """Draw every tab now (exports, tests, benchmarks; the page draws a tab when it is shown)."""
        self._render_chart()
        self._render_target_detail()
        self._render_task_detail()
        self._render_whatif()

    # -- header ---------------------------------------------------------------------------------
    def _render_header(self) -> None:
        a, t, lang = self.a, self.t, self.lang
        m = self.plan.meta
        parts = [f"<h2>{html.escape(t['title'].format(year=self.plan.year, commune=m.get('commune', '')))}</h2>"]
        if a.is_sample:
            parts.append(f'<div class="cchc-banner">{html.escape(t["sample"])}</div>')
        parts.append(
            f"<p>{t['window'].format(label=html.escape(label(a.period, lang)), window=html.escape(describe_window(a.window, lang)))}</p>"
        )
        o = a.overall
        if o.get("rating"):
            badge = tables.badge(o["rating"], vocab.rating(o["rating"], lang))
            parts.append(
                f"<p>{t['score'].format(score=fmt.number(o['score'], 1, lang), badge=badge)} "
                f'<span class="cchc-x-caveat">{html.escape(t["caveat"])}</span></p>'
            )
        self.header.value = "".join(parts)

    # -- chart ------------------------------------------------------------------------------------
    def chart_png(self) -> bytes:
        """PNG of the chart for the current selection (cached per selection)."""
        from cchc_lib.report import charts

        a = self.a
        ft, fk = a.targets[self.mask_targets], a.tasks[self.mask_tasks]
        key = self._chart_key()
        hit = self._charts.get(key)
        if hit is not None:
            self._charts.move_to_end(key)
            return hit[0]
        present = set(ft["area_id"].dropna()) | set(fk["area_id"].dropna())
        sub = dataclasses.replace(
            a,
            targets=ft.reset_index(drop=True),
            tasks=fk.reset_index(drop=True),
            areas=a.areas[a.areas["area_id"].isin(present)].reset_index(drop=True),
        )
        chart = (charts.status_by_area if self.chart_kind.value == "status" else charts.actual_vs_target)(
            sub, self.lang
        )
        png = chart.to_png(dpi=self.chart_dpi)
        self._charts[key] = (png, chart.caption)
        while len(self._charts) > 48:
            self._charts.popitem(last=False)
        return png

    def _chart_key(self) -> tuple:
        a = self.a
        return (
            a.period.code,
            a.cutoff,
            self.chart_kind.value,
            tuple(a.targets["target_id"][self.mask_targets]),
            tuple(a.tasks["task_id"][self.mask_tasks]),
        )

    def chart_caption_text(self) -> str:
        """Caption of the last chart drawn ("Tình trạng thực hiện … đến Quý II/2024: …")."""
        return next(reversed(self._charts.values()))[1] if self._charts else ""

    def _render_chart(self) -> None:
        t0 = time.perf_counter()
        self._dirty.discard("chart")
        if not self.mask_targets.any() and not self.mask_tasks.any():
            self.chart_message.value = f'<p class="cchc-empty">{html.escape(self.t["no_chart"])}</p>'
            self.chart_image.value = b""
            self.chart_image.layout.display = "none"
            self.chart_caption.value = ""
            return
        if self._chart_key() not in self._charts:  # say so at once: a tall chart takes up to a second
            self.chart_message.value = f'<p class="cchc-x-caveat">{html.escape(self.t["drawing"])}</p>'
        png = self.chart_png()
        caption = self.chart_caption_text()
        self.chart_message.value = ""
        self.chart_image.layout.display = None
        self.chart_image.value = png
        self.chart_caption.value = f'<p class="cchc-x-caveat">{html.escape(caption)}</p>'
        self.timings["chart"] = time.perf_counter() - t0

    # -- detail pane --------------------------------------------------------------------------
    def _quarters(self) -> list[Period]:
        return [p for p in periods_in_year(self.year) if p.kind == "quarter"]

    def target_history(self, target_id: str) -> pd.DataFrame:
        """The target in each quarter of the year (and the selected period when it is not a
        quarter): actual, in-period value, status, source, entered source and note."""
        cutoff = self.cutoff.value
        ind = self.progress.indicators
        mine = ind[ind["target_id"] == target_id] if not ind.empty else ind
        periods = self._quarters() + ([self.a.period] if self.a.period.kind != "quarter" else [])
        rows = []
        for p in periods:
            aq = self.assessment(p, cutoff)
            r = aq.targets.loc[aq.targets["target_id"] == target_id].iloc[0]
            entered = mine[mine["period"] == p.code] if not mine.empty else mine
            notes = "; ".join(x for e in entered.itertuples() for x in (_text(e.source), _text(e.note)) if x)
            rows.append(
                {
                    "period": p.code,
                    "label": label_title(p, self.lang),
                    "window": aq.window,
                    "actual": r["actual"],
                    "actual_period": r["actual_period"],
                    "status": r["status"],
                    "source": r["actual_source"],
                    "unit": r["unit"],
                    "entered": notes,
                    "current": p.code == self.a.period.code,
                }
            )
        return pd.DataFrame(rows)

    def task_history(self, task_id: str) -> pd.DataFrame:
        """The task in each quarter: the status judged at the quarter's end and the unit's update."""
        from cchc_lib.progress.loader import STATUS_WORDS

        cutoff = self.cutoff.value
        upd = self.progress.tasks
        mine = upd[upd["task_id"] == task_id] if not upd.empty else upd
        periods = self._quarters() + ([self.a.period] if self.a.period.kind != "quarter" else [])
        rows = []
        for p in periods:
            aq = self.assessment(p, cutoff)
            r = aq.tasks.loc[aq.tasks["task_id"] == task_id].iloc[0]
            u = mine[mine["period"] == p.code] if not mine.empty else mine
            u = u.iloc[-1] if len(u) else None
            rows.append(
                {
                    "period": p.code,
                    "label": label_title(p, self.lang),
                    "window": aq.window,
                    "status": r["status"],
                    "update": None
                    if u is None or fmt.is_missing(u["status"])
                    else STATUS_WORDS[self.lang].get(u["status"], u["status"]),
                    "completed_on": None if u is None else u["completed_on"],
                    "evidence": None if u is None else _text(u["evidence"]),
                    "note": None if u is None else _text(u["note"]),
                    "current": p.code == self.a.period.code,
                }
            )
        return pd.DataFrame(rows)

    def _render_target_detail(self) -> None:
        self._dirty.discard("detail_target")
        tid = self.target_pick.value
        if not tid:
            self.target_detail.value = f'<p class="cchc-empty">{html.escape(self.t["no_targets"])}</p>'
            return
        t, lang, a = self.t, self.lang, self.a
        r = a.targets.loc[a.targets["target_id"] == tid].iloc[0]
        out = [
            f"<h4>{_esc(tid)} — {_esc(r['indicator'])}</h4>",
            f'<div class="cchc-x-src"><b>{t["plan_text"]} ({_esc(r["source_ref"])}):</b> “{_esc(r["text"])}”</div>',
        ]
        facts = [
            f"<b>{t['lead']}:</b> {_esc(self.plan.unit_name(r['lead_unit_id'], lang)) if pd.notna(r['lead_unit_id']) else _esc(r['lead_unit'])}"
        ]
        if bool(r["measurable"]):
            from cchc_lib.report.narrative import target_text

            facts.append(f"<b>{t['target']}:</b> {_esc(target_text(r, lang))}")
            if pd.notna(r.get("actual_source")):
                facts.append(
                    f"<b>{t['source']}:</b> {_esc(vocab.SOURCE[lang].get(r['actual_source'], r['actual_source']))}"
                )
        if pd.notna(r.get("conflict_with")) and r["conflict_with"]:
            facts.append(f"<b>{t['conflict']}:</b> {_esc(r['conflict_with'])}")
        out.append("<p>" + " · ".join(facts) + "</p>")
        if pd.notna(r.get("note")) and str(r["note"]).strip():
            out.append(f'<div class="cchc-x-note"><b>{t["plan_note"]}:</b> {_esc(r["note"])}</div>')
        if bool(r["measurable"]):
            self._history_pending(self.target_detail, out)
            hist = self.target_history(tid)
            out.append(f"<h4>{html.escape(t['history'].format(cutoff=t['cutoffs'][self.cutoff.value]))}</h4>")
            head = [t["h_period"], t["h_window"], t["h_actual"], t["h_in"], t["h_status"], t["h_source"], t["h_note"]]
            body = []
            for h in hist.itertuples():
                cells = [
                    h.label + (f" ({t['current']})" if h.current else ""),
                    f"{fmt.date_short(h.window.start, lang)} – {fmt.date_short(h.window.end, lang)}",
                    fmt.value(h.actual, h.unit, lang),
                    fmt.value(h.actual_period, h.unit, lang),
                ]
                tds = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                tds += f"<td>{tables.badge(h.status, vocab.target_status(h.status, lang))}</td>"
                tds += f"<td>{_esc(vocab.SOURCE[lang].get(h.source, '') if pd.notna(h.source) else '')}</td><td>{_esc(h.entered)}</td>"
                body.append(f"<tr{' class=cchc-x-current' if h.current else ''}>{tds}</tr>")
            out.append(_table(head, body))
        out.append(self._area_notes(r["area_id"]))
        self.target_detail.value = "".join(out)

    def _history_pending(self, widget, head: list[str]) -> None:
        """When quarters still need assessing (about 0.4 s each), show the plan text at once."""
        cutoff = self.cutoff.value
        if all((q.code, cutoff) in self.cached() for q in self._quarters()):
            return
        widget.value = "".join(head) + f'<p class="cchc-x-caveat">{html.escape(self.t["history_wait"])}</p>'

    def _area_notes(self, area_id: str) -> str:
        from cchc_lib.report.narrative import notes_for

        t = self.t
        parts = []
        for col in ("highlights", "difficulties"):
            notes = notes_for(self.a, col, area_id)
            if notes:
                parts.append(f"<p><b>{t[col]}:</b></p><ul>" + "".join(f"<li>{_esc(n)}</li>" for n in notes) + "</ul>")
        if not parts:
            return ""
        head = t["area_notes"].format(area=area_id, label=label(self.a.period, self.lang))
        return f"<h4>{html.escape(head)}</h4>" + "".join(parts)

    def _render_task_detail(self) -> None:
        self._dirty.discard("detail_task")
        kid = self.task_pick.value
        if not kid:
            self.task_detail.value = f'<p class="cchc-empty">{html.escape(self.t["no_tasks"])}</p>'
            return
        t, lang, a = self.t, self.lang, self.a
        r = a.tasks.loc[a.tasks["task_id"] == kid].iloc[0]
        deadline = t["standing"] if r["recurring"] and fmt.is_missing(r["deadline_text"]) else _text(r["deadline_text"])
        if pd.notna(r["deadline"]):
            deadline = f"{deadline} ({fmt.date_short(r['deadline'], lang)})"
        facts = [
            f"<b>{t['deadline']}:</b> {_esc(deadline)}",
            f"<b>{t['lead']}:</b> {_esc(self.plan.unit_name(r['lead_unit_id'], lang)) if pd.notna(r['lead_unit_id']) else _esc(r['lead_unit'])}",
        ]
        if r["support_unit_ids"]:
            facts.append(
                f"<b>{t['support']}:</b> "
                + _esc(", ".join(self.plan.unit_name(u, lang) for u in r["support_unit_ids"]))
            )
        if _text(r["product"]):
            facts.append(f"<b>{t['product']}:</b> {_esc(r['product'])}")
        if pd.notna(r["budget"]):
            facts.append(f"<b>{t['budget']}:</b> {fmt.number(r['budget'], 0, lang)}")
        src = _esc(r["source_ref"]) + (f" — {_esc(r['source_label'])}" if _text(r["source_label"]) else "")
        out = [
            f"<h4>{_esc(kid)} — {tables.badge(r['status'], vocab.task_status(r['status'], lang))}</h4>",
            f'<div class="cchc-x-src"><b>{t["plan_text"]} ({src}):</b> “{_esc(r["text"])}”</div>',
            "<p>" + " · ".join(facts) + "</p>",
        ]
        if _text(r["note"]):
            out.append(f'<div class="cchc-x-note"><b>{t["plan_note"]}:</b> {_esc(r["note"])}</div>')
        self._history_pending(self.task_detail, out)
        hist = self.task_history(kid)
        out.append(f"<h4>{html.escape(t['history'].format(cutoff=t['cutoffs'][self.cutoff.value]))}</h4>")
        head = [t["h_period"], t["h_task_status"], t["h_update"], t["h_done"], t["h_evidence"], t["h_update_note"]]
        body = []
        for h in hist.itertuples():
            tds = f"<td>{html.escape(h.label + (' (' + t['current'] + ')' if h.current else ''))}</td>"
            tds += f"<td>{tables.badge(h.status, vocab.task_status(h.status, lang))}</td>"
            tds += "".join(
                f"<td>{_esc(x)}</td>"
                for x in (
                    h.update or "",
                    fmt.date_short(h.completed_on, lang) if not fmt.is_missing(h.completed_on) else "",
                    h.evidence or "",
                    h.note or "",
                )
            )
            body.append(f"<tr{' class=cchc-x-current' if h.current else ''}>{tds}</tr>")
        out.append(_table(head, body))
        self.task_detail.value = "".join(out)

    # -- what if --------------------------------------------------------------------------------
    def _sync_wi_slider(self) -> None:
        tid = self.wi_target.value
        if not tid:
            return
        r = self.a.targets.loc[self.a.targets["target_id"] == tid].iloc[0]
        actual, target = r["actual"], r["target_value"]
        start = float(actual) if pd.notna(actual) else float(target) if pd.notna(target) else 0.0
        if r["unit"] == "percent":
            lo, hi, step = 0.0, 100.0, 0.1
        else:
            hi = max([v for v in (2 * (target or 0), 1.5 * (actual if pd.notna(actual) else 0), 10.0) if pd.notna(v)])
            lo, step = 0.0, (1.0 if r["unit"] == "count" else 0.1)
        with self.wi_value.hold_trait_notifications():
            self.wi_value.min, self.wi_value.max = lo, max(hi, start)
            self.wi_value.step = step
            self.wi_value.value = start

    def _on_wi_target(self) -> None:
        if self._suspend:
            return
        self._suspend += 1
        try:
            self._sync_wi_slider()
        finally:
            self._suspend -= 1
        self._mark("whatif")

    def what_if(self, target_id: str | None = None, value: float | None = None) -> dict:
        """``what_if`` on the current assessment (default: the what-if panel's choice)."""
        return what_if(self.a, target_id or self.wi_target.value, self.wi_value.value if value is None else value)

    def _render_whatif(self) -> None:
        self._dirty.discard("whatif")
        t, lang = self.t, self.lang
        if not self.wi_target.value:
            self.wi_html.value = f'<p class="cchc-empty">{html.escape(t["wi_none"])}</p>'
            return
        res = self.what_if()
        tid = res["target_id"]
        unit = self.a.targets.loc[self.a.targets["target_id"] == tid, "unit"].iloc[0]
        rows = [
            (
                t["wi_value_row"].format(tid=tid),
                html.escape(fmt.value(res["actual_before"], unit, lang)),
                html.escape(fmt.value(res["actual_after"], unit, lang)),
            )
        ]
        for cid, (b, af) in res["changed_status"].items():
            rows.append(
                (
                    t["wi_status_row"].format(tid=cid),
                    tables.badge(b, vocab.target_status(b, lang)),
                    tables.badge(af, vocab.target_status(af, lang)),
                )
            )
        for aid, (b, af) in res["areas"].items():
            rows.append(
                (
                    t["wi_area_row"].format(area=f"{aid} {self.plan.area_name(aid, lang)}"),
                    fmt.number(b, 1, lang),
                    fmt.number(af, 1, lang),
                )
            )
        if pd.notna(res["unit_id"]):
            rows.append(
                (
                    t["wi_unit_row"].format(unit=self.plan.unit_name(res["unit_id"], lang)),
                    fmt.number(res["unit_score_before"], 1, lang),
                    fmt.number(res["unit_score_after"], 1, lang),
                )
            )
        rows.append(
            (t["wi_score_row"], fmt.number(res["score_before"], 1, lang), fmt.number(res["score_after"], 1, lang))
        )
        rows.append(
            (
                t["wi_rating_row"],
                tables.badge(res["rating_before"], vocab.rating(res["rating_before"], lang)),
                tables.badge(res["rating_after"], vocab.rating(res["rating_after"], lang)),
            )
        )
        body = []
        for name, b, af in rows:
            changed = b != af
            body.append(
                f"<tr><th scope=row>{html.escape(name)}</th><td>{b}</td><td>{'<b>' if changed else ''}{af}"
                f"{'</b>' if changed else ''}</td></tr>"
            )
        out = [_table(list(t["wi_head"]), body, "cchc-x-whatif-table")]
        others = [c for c in res["changed"] if c != tid]
        if others:
            kpi = self.a.targets.loc[self.a.targets["target_id"] == tid, "indicator"].iloc[0]
            out.append(
                f'<p class="cchc-x-note">{html.escape(t["wi_linked"].format(ids=", ".join(others), kpi=kpi))}</p>'
            )
        out.append(f'<p class="cchc-x-caveat">{html.escape(t["wi_caveat"])}</p>')
        self.wi_html.value = "".join(out)

    # -- export ----------------------------------------------------------------------------------
    def selection(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The filtered target and task tables now shown."""
        return self.targets_view, self.tasks_view

    def _stem(self) -> str:
        f, a = self.filters(), self.a
        parts = [self.plan.plan_id, a.period.code, a.cutoff]
        if a.is_sample:
            parts.insert(0, "DU-LIEU-MAU")
        parts += [
            f["area"] or "",
            f["unit"] or "",
            self.target_status.value,
            self.task_status.value,
            _slug(f["search"]),
        ]
        return "_".join(p for p in parts if p)

    def _info(self) -> dict:
        t, a, lang = self.t, self.a, self.lang
        f = []
        for key, w in (
            ("area", self.area),
            ("unit", self.unit),
            ("target_status", self.target_status),
            ("task_status", self.task_status),
        ):
            if w.value:
                f.append(f"{t[key]}: {w.label}")
        if self.search.value.strip():
            f.append(f"{t['search']}: {self.search.value.strip()}")
        i = t["info"]
        info = {
            i["plan"]: self.plan.meta.get("title", self.plan.plan_id),
            i["period"]: label_title(a.period, lang),
            i["window"]: describe_window(a.window, lang),
            i["filters"]: "; ".join(f) or t["all"],
            i["rows"]: f"{len(self.targets_view)} / {len(self.tasks_view)}",
            i["exported"]: time.strftime("%d/%m/%Y %H:%M"),
        }
        if a.is_sample:
            info[i["sample"]] = t["sample"]
        return info

    def export(self, fmt_: str = "xlsx") -> list[Path]:
        """Write the current selection under ``out_dir``; show the paths and download links."""
        stem = self._stem()
        try:
            written = export_selection(
                self.targets_view, self.tasks_view, self.out_dir, fmt_, stem=stem, info=self._info(), lang=self.lang
            )
        except PermissionError as exc:
            self.export_html.value = f'<p class="cchc-x-note">{html.escape(self.t["export_fail"].format(path=exc.filename or self.out_dir, err=exc))}</p>'
            return []
        mime = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".csv": "text/csv"}
        links = []
        for p in written:
            data = base64.b64encode(p.read_bytes()).decode("ascii")
            links.append(
                f'<li><code>{html.escape(str(p))}</code> — <a download="{html.escape(p.name)}" '
                f'href="data:{mime[p.suffix]};base64,{data}">{html.escape(self.t["download"])}</a></li>'
            )
        self.export_html.value = (
            f'<div class="cchc-x-links"><b>{html.escape(self.t["exported"])}:</b><ul>{"".join(links)}</ul></div>'
        )
        self.written = written
        return written

    def _ipython_display_(self):  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)


def _short(text, limit: int) -> str:
    text = " ".join(str(text).split()) if not fmt.is_missing(text) else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:–-") + "…"


def _text(x) -> str:
    return "" if fmt.is_missing(x) else str(x).strip()


def _table(head: list[str], body: list[str], cls: str = "cchc-x-detail-table") -> str:
    th = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    return (
        f'<div class="cchc-table-wrap"><table class="cchc-table {cls}"><thead><tr>{th}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# --- the notebook -------------------------------------------------------------------------------


def make_notebook(params: dict | None = None):
    """The thin dashboard notebook: a parameters cell and one cell that shows the dashboard."""
    import nbformat

    p = {**PARAMS, **(params or {})}
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(
        {
            "title": "Khám phá kết quả CCHC",
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
    )
    notes = {
        "plan": "BẮT BUỘC khi có nhiều kế hoạch: mã kế hoạch (data/plans/<mã>) hoặc thư mục",
        "data": "để trống: thư mục của năm kế hoạch (data/progress/<mã kế hoạch>/<năm>/); 'sample' = DỮ LIỆU MẪU",
        "period": "kỳ mở đầu trong năm kế hoạch: <năm>-Q1…Q4, <năm>-H1, <năm>-H2, <năm>; để trống: quý I",
        "cutoff": "nd09 (mốc số liệu Nghị định 09/2019/NĐ-CP) hoặc calendar",
        "lang": "vi hoặc en",
        "out_dir": "thư mục ghi tệp Excel/CSV; để trống = reports/explore",
    }
    lines = [f"{k} = {_lit(p[k])}" for k in notes]
    source = (
        "# Tham số — 'cchc explore' (hoặc Voilà) thay các giá trị này; trong JupyterLab: Run > Run All Cells\n"
        + "\n".join(f"{line}  # {notes[k]}" for line, k in zip(lines, notes, strict=True))  # as ruff formats it
    )
    cells = [
        nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "from cchc_lib.explore.dashboard import Dashboard\n\n"
            "Dashboard.from_params(plan, data, period, cutoff, lang, out_dir).widget"
        ),
    ]
    for i, c in enumerate(cells):
        c.id = f"cchc-explore-{i}"
    nb.cells = cells
    return nb


def _lit(v) -> str:
    """A Python literal for a parameter value ("sample", not 'sample', as notebooks write it)."""
    import json

    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else repr(v)


def _parameterize(nb, params: dict):
    """Insert an ``injected-parameters`` cell after the ``parameters`` cell (as papermill does)."""
    import nbformat

    src = "# Tham số do cchc explore truyền vào\n" + "\n".join(f"{k} = {_lit(v)}" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    cell.id = "cchc-injected"
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    nb.cells = cells[:at] + [cell] + cells[at:]
    return nb


def _read_notebook(notebook):
    import nbformat

    src = Path(notebook) if notebook else NOTEBOOK
    return nbformat.read(src, as_version=4) if src.is_file() else make_notebook()


def _absolute(ref):
    """A plan/data argument that names an existing path becomes absolute (the kernel runs elsewhere)."""
    if ref is None or not isinstance(ref, (str, os.PathLike)):
        return ref
    p = Path(ref)
    return str(p.resolve()) if len(p.parts) > 1 and p.exists() else str(ref)


def _params(plan, data, period, cutoff, lang, out_dir) -> dict:
    return {
        "plan": _absolute(plan),
        "data": _absolute(data),
        "period": str(period),
        "cutoff": cutoff,
        "lang": lang,
        "out_dir": str(Path(out_dir).resolve()) if out_dir else str(default_out_dir()),
    }


# --- serving --------------------------------------------------------------------------------------

# Voilà's "lab" template links Font Awesome from a CDN and can load Mermaid from one: an
# office without internet would wait on them. This template is "lab" with every link to
# another host removed; the page then needs nothing but the local server.
_TEMPLATE_CONF = '{"base_template": "lab"}\n'
_TEMPLATE_INDEX = """{%- extends 'voila/templates/lab/index.html.j2' -%}
{#- cchc: the lab template without anything fetched from another host (offline offices) -#}
{%- block notebook_css -%}
{%- set inherited = super() -%}
{%- for line in inherited.split('\\n') -%}
{%- if not ('<link' in line and '://' in line) %}
{{ line }}
{%- endif -%}
{%- endfor -%}
<style>
  #rendered_cells { padding: 8px !important; }
  #rendered_cells > div { padding: 0 !important; box-shadow: none !important; }
  body { margin: 0; }
</style>
{%- endblock notebook_css -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
TEMPLATE = "cchc-offline"


def _write_template(root: Path) -> Path:
    """Write the offline Voilà template under ``root/voila/templates/``; return ``root``."""
    d = root / "voila" / "templates" / TEMPLATE
    d.mkdir(parents=True, exist_ok=True)
    (d / "conf.json").write_text(_TEMPLATE_CONF, encoding="utf-8")
    (d / "index.html.j2").write_text(_TEMPLATE_INDEX, encoding="utf-8")
    return root


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _env(extra_jupyter_path: Path | None = None) -> dict:
    env = os.environ.copy()
    if extra_jupyter_path is not None:
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(extra_jupyter_path)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else [])
        )
    env.setdefault("CCHC_DATA", str(paths.data_root().resolve()))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def serve(
    notebook=None,
    port: int = 8866,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    *,
    plan="",
    data="",
    period="",
    cutoff="nd09",
    lang="vi",
    out_dir=None,
    token: str | None = None,
    quiet: bool = False,
) -> subprocess.Popen:
    """Start Voilà on the dashboard notebook and return the running process.

    The page shows the dashboard only (no code) at ``proc.url``. It binds to ``127.0.0.1`` by
    default, so only this computer can open it; with another ``host`` (e.g. ``0.0.0.0`` for
    the office network) a random access token is required and printed in the URL. The page
    loads nothing from the internet: Voilà serves its own scripts and the template used here
    (``cchc-offline``, "lab" without the CDN links) drops the rest, so it works offline.

    The notebook (default ``notebooks/explore.ipynb``) is copied with the parameters injected
    into a temporary folder (``proc.workdir``); Voilà's log goes to ``proc.log_path``. Stop the
    server with ``stop(proc)``. The URL is printed; nothing waits for the server to be ready
    (see ``wait_until_ready``).
    """
    import nbformat

    workdir = Path(tempfile.mkdtemp(prefix="cchc-explore-"))
    nb = _parameterize(_read_notebook(notebook), _params(plan, data, period, cutoff, lang, out_dir))
    nb_path = workdir / "explore.ipynb"
    nbformat.write(nb, nb_path)
    _write_template(workdir / "jupyter")
    if token is None and not _is_loopback(host):
        token = secrets.token_urlsafe(16)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(nb_path),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        f"--Voila.open_browser={bool(open_browser)}",
        "--VoilaConfiguration.show_tracebacks=True",
    ]
    if token:
        cmd.append(f"--Voila.token={token}")
    log_path = workdir / "voila.log"
    log = open(log_path, "wb")  # noqa: SIM115 — handed to the child process
    proc = subprocess.Popen(cmd, cwd=workdir, env=_env(workdir / "jupyter"), stdout=log, stderr=subprocess.STDOUT)
    log.close()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    proc.url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    proc.workdir, proc.log_path, proc.probe = workdir, log_path, "/voila/static/voila.js"
    if not quiet:
        print(f"Bảng khám phá CCHC (Voilà): {proc.url}")
        if not _is_loopback(host):
            print(
                f"Cảnh báo: máy chủ nghe trên {host}; máy khác trong mạng mở được trang nếu có mã truy cập trong địa chỉ."
            )
    return proc


def jupyterlab(
    notebook=None,
    port: int = 8888,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    *,
    plan=None,
    data=None,
    period=None,
    cutoff=None,
    lang=None,
    out_dir=None,
    token: str | None = None,
    quiet: bool = False,
) -> subprocess.Popen:
    """Start JupyterLab on the dashboard notebook (binds to ``127.0.0.1`` by default); return the process.

    With no parameter given the committed notebook opens as it is; with parameters, a copy
    with them injected is written to ``reports/explore/explore.ipynb`` (ignored by git) and
    that one opens. ``proc.url`` (printed) carries the access token. Stop with ``stop(proc)``.
    """
    import nbformat

    src = Path(notebook) if notebook else NOTEBOOK
    given = {
        k: v
        for k, v in dict(plan=plan, data=data, period=period, cutoff=cutoff, lang=lang, out_dir=out_dir).items()
        if v is not None
    }
    if given or not src.is_file():
        full = {**PARAMS, **given}
        nb = _parameterize(
            _read_notebook(src if src.is_file() else None),
            _params(full["plan"], full["data"], full["period"], full["cutoff"], full["lang"], full["out_dir"]),
        )
        target = default_out_dir() / "explore.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        src = target
    src = src.resolve()
    root = paths.REPO_ROOT if paths.REPO_ROOT in src.parents else src.parent
    token = token or secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={bool(open_browser)}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; JupyterLab refuses without it
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, cwd=root, env=_env())
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    rel = src.relative_to(root).as_posix()
    proc.url = f"http://{shown}:{port}/lab/tree/{rel}?token={token}"
    proc.workdir, proc.log_path, proc.probe = None, None, "/api"
    if not quiet:
        print(f"JupyterLab: {proc.url}")
    return proc


def wait_until_ready(url: str, timeout: float = 120, proc: subprocess.Popen | None = None) -> float:
    """Poll the server behind ``url`` until it answers (bounded by ``timeout`` seconds).

    Asks for a small static file (``proc.probe``; ``/api`` for JupyterLab): cheap, and it does
    not start a kernel as opening the page itself would. Returns the seconds
    waited; raises ``TimeoutError``, or ``RuntimeError`` with the log's tail if the process died.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    probe = f"{parts.scheme}://{parts.netloc}{getattr(proc, 'probe', '/api')}"
    t0 = time.monotonic()
    while True:
        if proc is not None and proc.poll() is not None:
            tail = ""
            if getattr(proc, "log_path", None) and Path(proc.log_path).exists():
                tail = Path(proc.log_path).read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"Máy chủ đã dừng (mã {proc.returncode}) trước khi sẵn sàng.\n{tail}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as r:
                if r.status < 500:
                    return time.monotonic() - t0
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return time.monotonic() - t0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"Máy chủ {url} chưa trả lời sau {timeout:.0f} giây.")
        time.sleep(0.5)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server started by ``serve``/``jupyterlab`` and remove its temporary folder."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    workdir = getattr(proc, "workdir", None)
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def explore_command(
    plan,
    data="",
    period="",
    cutoff="nd09",
    lang="vi",
    *,
    serve_page: bool = False,
    port: int | None = None,
    host: str = "127.0.0.1",
    open_browser: bool = True,
    out_dir=None,
    timeout: float = 120,
) -> int:
    """What ``cchc explore`` runs: JupyterLab on the notebook, or with ``serve_page`` the Voilà
    page; waits until it answers, opens the browser, then runs until Ctrl+C. Returns 0."""
    import importlib.util
    import webbrowser

    if period:
        parse_period(period)  # typing slips fail here, with the usual messages (exit code 2 in the CLI)
    check_cutoff(cutoff)
    fmt.check_lang(lang)
    if not data:  # resolved here, where the user's data folder is, not in the kernel's folder
        from cchc_lib.plan.model import load_plan
        from cchc_lib.progress.inputs import resolve_data

        folder, notice = resolve_data(load_plan(plan), None)
        if notice:
            print(notice, file=sys.stderr)
        data = str(Path(folder).resolve())
    needed = "voila" if serve_page else "jupyterlab"
    if importlib.util.find_spec(needed) is None:
        print(
            f"Chưa cài gói '{needed}' trong môi trường này: chạy 'make test' (cài đủ phụ thuộc) hoặc "
            f"'pip install {needed}'.",
            file=sys.stderr,
        )
        return 2
    if serve_page:
        proc = serve(
            port=port or 8866, host=host, plan=plan, data=data, period=period, cutoff=cutoff, lang=lang, out_dir=out_dir
        )
    else:
        proc = jupyterlab(
            port=port or 8888, host=host, plan=plan, data=data, period=period, cutoff=cutoff, lang=lang, out_dir=out_dir
        )
    try:
        wait_until_ready(proc.url, timeout=timeout, proc=proc)
        print(f"Đã sẵn sàng: {proc.url}\nNhấn Ctrl+C để dừng.")
        if open_browser:
            webbrowser.open(proc.url)
        proc.wait()
        return 0 if proc.returncode in (0, None) else 1
    except KeyboardInterrupt:
        print("Đang dừng máy chủ…")
        return 0
    finally:
        stop(proc)
