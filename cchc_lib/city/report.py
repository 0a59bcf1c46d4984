"""The city's consolidated report (``cchc city``): league table, distributions, problems.

The notebook ``notebooks/city.ipynb`` builds a :class:`CityReport` and displays its parts;
``produce_city`` runs that notebook with papermill and exports it like the commune report
(HTML, PDF) and writes the league table as an Excel workbook beside it.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from cchc_lib import i18n
from cchc_lib.city.consolidate import KPI_COLUMNS, CityView, build_city_view, outliers
from cchc_lib.i18n import fmt

__all__ = ["CityReport", "produce_city", "write_excel"]

W = i18n.table("city")  # the words of the city's report, vi and en (cchc_lib/i18n/*.toml)


def _e(x) -> str:
    return html.escape("" if x is None or (isinstance(x, float) and x != x) else str(x))


def _png(fig: Figure) -> str:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", facecolor="white", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


@dataclass
class CityReport:
    view: CityView
    lang: str = "vi"

    @classmethod
    def build(cls, root: str | Path, period: str, cutoff: str = "nd09", lang: str = "vi", plans=None) -> CityReport:
        fmt.check_lang(lang)
        return cls(build_city_view(root, period, cutoff, plans), lang)

    @property
    def w(self) -> dict:
        return W[self.lang]

    # --- parts ----------------------------------------------------------------------------
    def header_html(self) -> str:
        from cchc_lib.core.periods import describe_window, label, window

        v, w = self.view, self.w
        banner = f'<p class="cchc-sample-banner"><strong>{_e(w["sample"])}</strong></p>' if v.sample else ""
        win = describe_window(window(v.period, v.cutoff), self.lang)
        return (
            f"{banner}<h1>{_e(w['title'])}</h1>"
            f"<p>{_e(w['period'])}: <strong>{_e(label(v.period, self.lang))}</strong> · {_e(w['window'])} {_e(win)}</p>"
            f"<p><em>{_e(w['estimate'])}</em></p>"
        )

    def league_rows(self) -> pd.DataFrame:
        """The league table as printed (Vietnamese numbers), one row per commune."""
        w, lang, t = self.w, self.lang, self.view.table
        if t.empty:
            return pd.DataFrame()
        out = pd.DataFrame(
            {
                w["rank"]: [fmt.number(r, 0, lang) if pd.notna(r) else "—" for r in t["rank"]],
                w["commune"]: t["commune"] + t["outlier"].map(lambda o: f" ({w['outlier']})" if o else ""),
                w["score"]: [
                    fmt.number(s, 1, lang) if ok else w["not_ranked"] for s, ok in zip(t["score"], t["reliable"])
                ],
                w["rating"]: [i18n.word("rating", r, lang) if ok else "—" for r, ok in zip(t["rating"], t["reliable"])],
                w["met"]: [
                    f"{fmt.number(m, 0, lang)}/{fmt.number(n, 0, lang)}" for m, n in zip(t["targets_met"], t["targets"])
                ],
                w["at_risk"]: t["targets_at_risk"].map(lambda x: fmt.number(x, 0, lang)),
                w["missed"]: t["targets_missed"].map(lambda x: fmt.number(x, 0, lang)),
                w["overdue"]: t["tasks_overdue"].map(lambda x: fmt.number(x, 0, lang)),
            }
        )
        for k in KPI_COLUMNS:
            out[w[k]] = t[k].map(lambda x: fmt.percent(x, 1, lang) if pd.notna(x) else "—")
        return out

    def league_html(self) -> str:
        rows = self.league_rows()
        if rows.empty:
            return f"<h2>{_e(self.w['league'])}</h2><p>{_e(self.w['no_problems'])}</p>"
        return f"<h2>{_e(self.w['league'])}</h2>" + rows.to_html(index=False, escape=True, classes="cchc-table")

    def problems_html(self) -> str:
        w, p = self.w, self.view.problems
        head = f"<h2>{_e(w['problems'])}</h2>"
        if p.empty:
            return head + f"<p>{_e(w['no_problems'])}</p>"
        items = "".join(
            f"<li><strong>{_e(r.commune or r.plan_id)}</strong>: {_e(w[r.problem])}"
            + (f" — {_e(r.message)}" if isinstance(r.message, str) and r.message else "")
            + "</li>"
            for r in p.itertuples()
        )
        return head + f"<ul>{items}</ul>"

    def at_risk_html(self, top: int = 10) -> str:
        w, r = self.w, self.view.at_risk
        head = f"<h2>{_e(w['risk_title'])}</h2>"
        if r.empty:
            return head + f"<p>{_e(w['risk_none'])}</p>"
        shown = pd.DataFrame(
            {w["indicator"]: r["indicator"].head(top), w["communes"]: r["communes"].head(top).map(str)}
        )
        return head + shown.to_html(index=False, escape=True, classes="cchc-table")

    def score_chart(self) -> Figure:
        from cchc_lib.report.charts import set_theme

        set_theme()
        t = self.view.table
        fig = Figure(figsize=(7.5, 2.8))
        ax = fig.subplots()
        scores = t.loc[t["reliable"], ["commune", "score"]] if len(t) else pd.DataFrame(columns=["commune", "score"])
        sns.boxplot(x=scores["score"], ax=ax, color="#dddddd", fliersize=0, width=0.4)
        sns.stripplot(
            x=scores["score"], ax=ax, color="#0072B2", size=6, jitter=False, alpha=0.75
        )  # no random jitter: the same inputs give the same PNG
        flagged = scores[outliers(scores.reset_index(drop=True), "score").to_numpy()] if len(scores) else scores
        for r in flagged.itertuples():
            ax.annotate(r.commune, (r.score, 0), xytext=(0, 14), textcoords="offset points", ha="center", fontsize=8)
        ax.set_xlabel(self.w["score"])
        ax.set_xlim(0, 100)
        ax.set_title(self.w["dist_title"])
        return fig

    def kpi_chart(self) -> Figure:
        from cchc_lib.report.charts import set_theme

        set_theme()
        t = self.view.table
        long = t.melt(id_vars=["commune"], value_vars=list(KPI_COLUMNS), var_name="kpi", value_name="value")
        long["kpi"] = long["kpi"].map(self.w)
        fig = Figure(figsize=(7.5, 3.2))
        ax = fig.subplots()
        sns.boxplot(data=long, x="value", y="kpi", ax=ax, color="#dddddd", fliersize=0, width=0.5)
        sns.stripplot(data=long, x="value", y="kpi", ax=ax, color="#009E73", size=4, jitter=False, alpha=0.6)
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        ax.set_ylabel("")
        ax.set_title(self.w["kpi_title"])
        return fig

    def figure_html(self, fig: Figure, title: str, caption: str) -> str:
        return (
            f'<figure><img alt="{_e(title)}" src="data:image/png;base64,{_png(fig)}" style="max-width:100%">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )

    def charts_html(self) -> str:
        w = self.w
        if self.view.table.empty:
            return ""
        return self.figure_html(self.score_chart(), w["dist_title"], w["dist_caption"]) + self.figure_html(
            self.kpi_chart(), w["kpi_title"], w["kpi_caption"]
        )

    def html(self) -> str:
        return "".join(
            [self.header_html(), self.league_html(), self.charts_html(), self.at_risk_html(), self.problems_html()]
        )


def write_excel(report: CityReport, path: str | Path) -> Path:
    """The league table, the problems and the targets at risk as an Excel workbook.

    Text that a spreadsheet could run (a commune or target name starting with "=") is
    stored as text with Excel's quote prefix (``core.spreadsheet``), numbers stay numbers."""
    from cchc_lib.core.spreadsheet import keep_as_text

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    w = report.w
    tmp = path.with_suffix(".tmp.xlsx")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        report.league_rows().to_excel(xl, sheet_name=w["league"][:31], index=False)
        report.view.problems.to_excel(xl, sheet_name=w["problems"][:31], index=False)
        report.view.at_risk.to_excel(xl, sheet_name=w["risk_title"][:31], index=False)
        for ws in xl.sheets.values():
            for row in ws.iter_rows():
                for cell in row:
                    keep_as_text(cell)
    tmp.replace(path)
    return path


def _city_name(view: CityView, lang: str) -> str:
    cities = {str(a.plan.meta.get("city", "")) for a in view.assessments.values()} - {""}
    if len(cities) == 1:
        return cities.pop()
    return i18n.t("city.whole_city", lang)


def produce_city(
    root: str | Path,
    period: str,
    cutoff: str = "nd09",
    lang: str = "vi",
    formats=("html", "pdf"),
    out: str | Path = "reports",
    plans=None,
    progress_bar: bool = True,
):
    """Run ``notebooks/city.ipynb`` with papermill, export it, and write the Excel table.

    The view is built here first, so a data error is reported before a kernel starts and
    the Excel workbook comes from the same numbers as the document.
    """
    from cchc_lib.core.paths import notebook
    from cchc_lib.core.periods import check_cutoff, label, parse_period
    from cchc_lib.report.render import run_report

    fmt.check_lang(lang)
    check_cutoff(cutoff)
    per = parse_period(period)
    report = CityReport.build(root, per.code, cutoff, lang, plans)
    out_dir = Path(out).resolve() / "city" / per.code
    stem = f"bao-cao-tong-hop-cac-xa_{per.code}_{cutoff}_{lang}"
    city = _city_name(report.view, lang)
    params = {
        "root": str(Path(root).resolve()),
        "period": per.code,
        "cutoff": cutoff,
        "lang": lang,
        "plans": ",".join(plans or []),
    }
    header = {
        "commune": city,
        "period_label": label(per, lang),
        "lang": lang,
        "title": f"{W[lang]['title']} — {label(per, lang)}",
    }
    record = {
        "plan_id": "city",
        "commune": city,
        "period": per.code,
        "cutoff": cutoff,
        "lang": lang,
        "sample": report.view.sample,
    }
    result = run_report(
        notebook("city.ipynb"),
        params,
        out_dir,
        stem=stem,
        formats=formats,
        header=header,
        progress=progress_bar,
        record=record,
        reports_root=Path(out).resolve(),
    )
    excel = write_excel(report, out_dir / f"{stem}.xlsx")
    return result, excel
