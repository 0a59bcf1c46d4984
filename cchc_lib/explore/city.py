"""The city's widget view: the league table of communes, a commune picker, and a drill-down.

``CityDashboard(CityReport).widget`` shows what ``cchc city`` prints — header, league table,
communes without reliable data — and below it a commune picker. Picking a commune shows its
line of the league table as a summary (rating, composite, targets met / at risk, overdue
tasks, one-stop KPIs) and opens the commune's own ``explore`` dashboard on the same period.

Nothing is computed twice: the summary is the league table's row (``city.consolidate``,
computed once from each commune's assessment), and the drill-down dashboard is handed that
same assessment. A commune's dashboard is built the first time it is picked and kept.
``notebooks/city.ipynb`` shows it when run with ``dashboard = True`` (``cchc explore --city``).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from cchc_lib import i18n
from cchc_lib.city.consolidate import KPI_COLUMNS
from cchc_lib.city.report import CityReport
from cchc_lib.core.errors import DataError
from cchc_lib.i18n import fmt

__all__ = ["CityDashboard", "city_params", "explore_city_command", "summary_rows"]


def _e(x) -> str:
    return "" if fmt.is_missing(x) else html.escape(str(x))


def summary_rows(row: pd.Series | dict, w: dict, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of one commune's league-table row, as the summary prints them."""
    n = lambda x: fmt.number(x, 0, lang)  # noqa: E731 - a count
    pairs = [
        (w["rating"], i18n.word("rating", row["rating"], lang)),
        (w["score"], fmt.number(row["score"], 1, lang) if pd.notna(row["score"]) else "—"),
        (w["met"], f"{n(row['targets_met'])}/{n(row['targets'])}"),
        (w["at_risk"], n(row["targets_at_risk"])),
        (w["missed"], n(row["targets_missed"])),
        (w["overdue"], n(row["tasks_overdue"])),
    ]
    pairs += [(w[k], fmt.percent(row[k], 1, lang) if pd.notna(row[k]) else "—") for k in KPI_COLUMNS]
    return pairs


class CityDashboard:
    """League table, commune picker, the picked commune's summary and its own dashboard.

    Widgets are attributes (``header``, ``league``, ``problems``, ``commune``, ``summary``,
    ``drill``, ``message``) so notebooks and tests can drive the view: ``pick(plan_id)``
    does what choosing in ``commune`` does. ``dashboard_options`` go to each commune's
    ``Dashboard`` (``out_dir``, ``prefetch``, …).
    """

    def __init__(self, report: CityReport, **dashboard_options):
        import ipywidgets as W

        from cchc_lib.explore.dashboard import CSS

        self.report, self.view, self.lang = report, report.view, report.lang
        self.w = report.w
        self.options = dashboard_options
        self.dashboards: dict = {}
        self.header = W.HTML(report.header_html())
        self.league = W.HTML(report.league_html())
        self.problems = W.HTML(report.problems_html())
        choices = [(f"{r.commune} ({r.plan_id})", r.plan_id) for r in self.view.table.itertuples()]
        self.commune = W.Dropdown(options=[(self.w["pick_none"], ""), *choices], value="")
        self.commune.add_class("cchc-city-pick")
        self.summary = W.HTML(f"<p>{_e(self.w['pick_hint'] if choices else self.w['no_communes'])}</p>")
        self.summary.add_class("cchc-city-summary")
        self.message = W.HTML()
        self.drill = W.VBox([])
        self.commune.observe(self._on_pick, names="value")
        label = W.HTML(f'<div class="cchc-x-label">{_e(self.w["pick"])}</div>')
        self.widget = W.VBox(
            [W.HTML(CSS), self.header, self.league, self.problems, label, self.commune, self.summary]
            + [self.message, self.drill],
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("cchc-x")

    @classmethod
    def build(cls, root, period: str, cutoff: str = "nd09", lang: str = "vi", plans=None, **options) -> CityDashboard:
        """Assess every commune under ``root`` for ``period`` (``CityReport.build``) and show them."""
        return cls(CityReport.build(root, period, cutoff, lang, plans), **options)

    # -- what a pick shows ----------------------------------------------------------------------
    def row(self, plan_id: str) -> pd.Series:
        """The commune's line of the league table (the one source of its numbers)."""
        t = self.view.table
        return t[t["plan_id"] == plan_id].iloc[0]

    def summary_html(self, plan_id: str) -> str:
        row, w = self.row(plan_id), self.w
        cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in summary_rows(row, w, self.lang))
        title = w["summary_title"].format(commune=row["commune"])
        note = "" if row["reliable"] else f"<p><em>{_e(w['unreliable'])}</em></p>"
        return f'<h3>{_e(title)}</h3>{note}<table class="cchc-table cchc-city-summary">{cells}</table>'

    def dashboard(self, plan_id: str):
        """The commune's own dashboard on the city's period, built once from its assessment."""
        from cchc_lib.explore.dashboard import Dashboard

        if plan_id not in self.dashboards:
            a = self.view.assessments[plan_id]
            self.dashboards[plan_id] = Dashboard(
                a.plan, a.progress, a.period, a.cutoff, self.lang, assessment=a, **self.options
            )
        return self.dashboards[plan_id]

    def pick(self, plan_id: str) -> None:
        """Choose a commune ("" clears the choice), as the picker does."""
        self.commune.value = plan_id

    def _on_pick(self, change) -> None:
        plan_id = change["new"]
        self.message.value = ""
        if not plan_id:
            self.summary.value = f"<p>{_e(self.w['pick_hint'])}</p>"
            self.drill.children = ()
            return
        self.summary.value = self.summary_html(plan_id)
        try:
            self.drill.children = (self.dashboard(plan_id).widget,)
        except DataError as exc:  # the commune's data, not our code: say so and keep the page
            self.drill.children = ()
            text = self.w["open_error"].format(commune=self.row(plan_id)["commune"], message=exc)
            self.message.value = f'<p class="cchc-error">{_e(text)}</p>'

    def _ipython_display_(self):  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)


def city_params(root, period: str, cutoff: str = "nd09", lang: str = "vi", plans=None, out_dir=None) -> dict:
    """The parameters ``notebooks/city.ipynb`` gets to show the widget view (paths made absolute)."""
    from cchc_lib.explore.export import default_out_dir

    return {
        "root": str(Path(root).resolve()),
        "period": str(period),
        "cutoff": cutoff,
        "lang": lang,
        "plans": ",".join(plans or ()),
        "dashboard": True,
        "out_dir": str(Path(out_dir).resolve() if out_dir else default_out_dir()),
    }


def explore_city_command(
    root,
    period: str,
    cutoff: str = "nd09",
    lang: str = "vi",
    plans=None,
    *,
    serve_page: bool = False,
    port: int | None = None,
    host: str = "127.0.0.1",
    open_browser: bool = True,
    out_dir=None,
    timeout: float = 120,
) -> int:
    """What ``cchc explore --city`` runs: ``city.ipynb`` with the widget view, served by Voilà
    (``serve_page``, token and Host check as ``explore.serve`` sets them) or opened in JupyterLab."""
    from cchc_lib.core.paths import notebook
    from cchc_lib.core.periods import check_cutoff, parse_period
    from cchc_lib.explore.serve import run_server

    period = parse_period(period).code  # typing slips fail here (exit code 2 in the CLI)
    check_cutoff(cutoff)
    fmt.check_lang(lang)
    params = city_params(root, period, cutoff, lang, plans, out_dir)
    return run_server(serve_page, port, host, open_browser, timeout, notebook=notebook("city.ipynb"), params=params)
