"""The dashboard behind ``cchc explore``: linked ipywidgets over one plan's year.

``Dashboard(plan, progress, period, cutoff, lang).widget`` is an ipywidgets 8 layout for the
commune analyst and chairman: choose a period and a cut-off convention, filter by reform
area, lead unit, status or free text, and the target and task tables, the chart, the detail
pane and the what-if panel follow. The notebook ``explore.ipynb`` (package data) only builds
it; ``serve.serve()`` shows that notebook as a web page with Voilà.

The logic is in plain functions the tests and the benchmark call directly (``filters``,
``whatif``, ``export``); the tabs are drawn by the mixins in ``panes`` and ``detail``.

Speed (benchmarks/bench_explore.py): an ``Assessment`` is computed once per (period,
cut-off) and kept — about 0.5 s the first time on the sample year, 0.03–0.08 s afterwards;
changing a filter only slices the kept tables (10–30 ms). The chart, the detail pane and the
what-if panel are drawn when their tab is shown, not on every change; charts are kept per
selection. ``Dashboard.from_params`` (what the notebook calls) also assesses the other
periods of the year in a background thread, so the quarter-by-quarter history is ready.
"""

from __future__ import annotations

import html
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from cchc_lib.assessment.engine import Assessment, load_rules
from cchc_lib.core.periods import (
    Period,
    check_cutoff,
    label,
    label_title,
    periods_in_year,
)
from cchc_lib.explore.cache import AssessmentCache
from cchc_lib.explore.detail import DetailPane
from cchc_lib.explore.export import default_out_dir
from cchc_lib.explore.filters import ATTENTION, TARGET_SEARCH, TASK_SEARCH, haystack, masks
from cchc_lib.explore.markup import header_html, short
from cchc_lib.explore.panes import ChartPane, ExportPane, WhatIfPane
from cchc_lib.explore.whatif import what_if_choices
from cchc_lib.explore.words import L
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables

__all__ = ["CSS", "Dashboard"]

# The page's own styles (package data), put in the page once with the widget.
CSS = "<style>\n" + resources.files("cchc_lib.explore").joinpath("static/dashboard.css").read_text("utf-8")
CSS += "</style>\n"


def _seconds(s: float, lang: str) -> str:
    return fmt.number(s, 2, lang)


class Dashboard(AssessmentCache, ChartPane, DetailPane, WhatIfPane, ExportPane):
    """Linked controls, tables, chart, detail pane, what-if and export for one plan's year.

    ``Dashboard(plan, progress, period, cutoff="nd09", lang="vi")`` (period empty: the first quarter); display
    ``.widget``. Every widget is an attribute (``period``, ``cutoff``, ``area``, ``unit``,
    ``target_status``, ``task_status``, ``search``, ``target_html``, ``task_html``,
    ``chart_image``, ``target_pick``, ``target_detail``, ``task_pick``, ``task_detail``,
    ``wi_target``, ``wi_value``, ``wi_html``, ``export_xlsx``, ``export_csv``,
    ``export_html``, ``tabs``) so that tests and notebooks can drive it.

    ``prefetch=True`` computes the other periods of the year in a background thread after
    the first display, so that a period change or the quarter-by-quarter history is ready
    when asked for. ``search_delay`` (seconds) waits for typing to pause before filtering,
    when running in a kernel; outside an event loop the search applies at once.
    ``assessment`` (of this plan, progress and rules) is one already made; it is used as is.
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
        assessment: Assessment | None = None,
    ):
        import ipywidgets as W

        self.W = W
        self.plan, self.progress = plan, progress
        self.lang = fmt.check_lang(lang)
        self.t = L[self.lang]
        self.rules = rules or (assessment.rules if assessment is not None else None) or load_rules(plan)
        self.out_dir = Path(out_dir).resolve() if out_dir else default_out_dir()
        self.search_delay = float(search_delay)
        self.chart_dpi = int(chart_dpi)
        self.prefetch = prefetch
        first = plan.check_period(period or f"{plan.year}-Q1")  # empty: the plan year's first quarter
        cutoff = check_cutoff(cutoff)
        self.year = first.year
        self.written: list[Path] = []
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Future] = {}  # AssessmentCache
        if assessment is not None:  # one already made (the city view's): kept, not computed again
            self._cache[(assessment.period.code, assessment.cutoff)] = done = Future()
            done.set_result(assessment)
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
        W = self.W
        controls = self._build_controls(first, cutoff)
        bar = self._build_bar()
        self.target_html = W.HTML()
        self.target_html.add_class("cchc-targets")
        self.task_html = W.HTML()
        self.task_html.add_class("cchc-tasks")
        children = [self.target_html, self.task_html, self._build_chart(), self._build_detail(), self._build_whatif()]
        self.tabs = W.Tab(children=children)
        self.tabs.titles = tuple(x.format(n="…") for x in self.t["tabs"])
        self.widget = W.VBox(
            [W.HTML(CSS), self.header, controls, bar, self.message, self.export_html, self.tabs],
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("cchc-x")

    def _build_controls(self, first: Period, cutoff: str):
        """Period, cut-off, area, unit, statuses and search, in a row that wraps on a phone."""
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
        return controls

    def _build_bar(self):
        """Header, count line, "Bỏ lọc", the export buttons and their messages."""
        W, t = self.W, self.t
        self.header = W.HTML()
        self.header.add_class("cchc-header")
        self.status = W.HTML()
        self.status.add_class("cchc-status")
        self.message = W.HTML()
        self.reset = W.Button(description=t["reset"], layout=W.Layout(width="auto"))
        self.reset.add_class("cchc-reset")
        tip = t["export_tip"].format(dir=self.out_dir)
        self.export_xlsx = W.Button(description=t["export_xlsx"], icon="", layout=W.Layout(width="auto"), tooltip=tip)
        self.export_csv = W.Button(description=t["export_csv"], layout=W.Layout(width="auto"), tooltip=tip)
        self.export_xlsx.add_class("cchc-export-xlsx")
        self.export_csv.add_class("cchc-export-csv")
        self.export_html = W.HTML()
        self.export_html.add_class("cchc-export")
        self.status.layout.flex = "1 1 260px"
        return W.Box(
            [self.status, self.reset, self.export_xlsx, self.export_csv],
            layout=W.Layout(display="flex", flex_flow="row wrap", align_items="center", width="100%"),
        )

    def _build_chart(self):
        W, t = self.W, self.t
        self.chart_kind = W.ToggleButtons(
            options=[(v, k) for k, v in t["chart_kinds"].items()], value="status", style={"button_width": "auto"}
        )
        self.chart_image = W.Image(
            format="png", value=b"", layout=W.Layout(max_width="100%", height="auto", align_self="flex-start")
        )
        self.chart_image.add_class("cchc-x-chart")
        self.chart_caption = W.HTML()
        self.chart_message = W.HTML()
        return W.VBox([self.chart_kind, self.chart_message, self.chart_image, self.chart_caption])

    def _build_detail(self):
        W, t = self.W, self.t
        self.target_pick = W.Dropdown(options=[(t["none"], "")], value="")
        self.target_detail = W.HTML()
        self.target_detail.add_class("cchc-target-detail")
        self.task_pick = W.Dropdown(options=[(t["none"], "")], value="")
        self.task_detail = W.HTML()
        self.task_detail.add_class("cchc-task-detail")
        return W.VBox(
            [
                self._field("pick_target", self.target_pick, "cchc-target-pick", "1 1 100%"),
                self.target_detail,
                self._field("pick_task", self.task_pick, "cchc-task-pick", "1 1 100%"),
                self.task_detail,
            ]
        )

    def _build_whatif(self):
        W, t = self.W, self.t
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
        return W.VBox([W.HTML(f"<p>{html.escape(t['wi_intro'])}</p>"), wi_controls, self.wi_html])

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

    def _view(self) -> dict:
        """Display tables and search texts of the current assessment, built once per key."""
        key = (self.a.period.code, self.a.cutoff)
        v = self._views.get(key)
        if v is None:
            a = self.a
            v = {
                "targets": tables.target_table(a, self.lang),
                "tasks": tables.task_table(a, self.lang),
                "hay": (haystack(a.targets, TARGET_SEARCH), haystack(a.tasks, TASK_SEARCH)),
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
        t_opts = [(f"{r.target_id} — {short(r.indicator, 70)}", r.target_id) for r in ft.itertuples()] or none
        k_opts = [(f"{r.task_id} — {short(r.text, 70)}", r.task_id) for r in fk.itertuples()] or none
        measurable = what_if_choices(ft)
        if measurable.empty:
            measurable = what_if_choices(a.targets)
        w_opts = [(f"{r.target_id} — {short(r.indicator, 70)}", r.target_id) for r in measurable.itertuples()] or none
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

    def _render_header(self) -> None:
        self.header.value = header_html(self.plan, self.a, self.t, self.lang)

    def _ipython_display_(self):  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)
