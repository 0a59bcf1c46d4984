"""The quarterly report's sections as HTML fragments, for the notebook to display.

``Report.build(...)`` loads the plan and progress data, assesses the period and keeps
everything a section needs; each method returns an ``IPython.display.HTML`` object that
JupyterLab shows and nbconvert exports. Layout follows the usual outline of a commune's
CCHC report (header; I. chỉ đạo, điều hành; II. kết quả theo lĩnh vực; III. đánh giá
chung; IV. phương hướng; V. đề xuất; phụ lục), so it can be lifted into the commune's own
report. All text goes through Jinja2 with autoescaping: user text can never inject markup.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from html import escape as html_escape

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from cchc_lib import i18n
from cchc_lib.assessment.counts import status_counts, task_counts
from cchc_lib.assessment.engine import Assessment, area_history, assess
from cchc_lib.core.periods import describe_window, label, label_title
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import appendix, narrative, tables

T = i18n.table("report")


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("cchc_lib.report", "templates/report"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


@dataclass
class Report:
    """One report: an assessment plus the language and the date it is written on."""

    a: Assessment
    lang: str = "vi"
    report_date: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def build(
        cls,
        plan,
        data,
        period,
        cutoff="nd09",
        lang="vi",
        report_date: str | dt.date | None = None,
        handoff: str = "",
    ) -> Report:
        """Load, validate and assess (``progress.inputs.load_inputs``: the plan's year folder
        by default, ``data='sample'`` for the sample year). ``handoff``: the assessment
        ``cchc report`` already made (:mod:`cchc_lib.report.handoff`), used only when made
        from the very files and code this would load now; otherwise loaded as without it."""
        from cchc_lib.report import handoff as handoffs

        if isinstance(report_date, str) and report_date:
            report_date = dt.date.fromisoformat(report_date)
        a = handoffs.read(handoff, handoffs.key_of_files(plan, data, period, cutoff, lang)) if handoff else None
        if a is None:
            a = cls._assess(plan, data, period, cutoff, lang)
        return cls(a, lang, report_date or dt.date.today())

    @staticmethod
    def _assess(plan, data, period, cutoff, lang) -> Assessment:
        from cchc_lib.progress.inputs import load_inputs

        inputs = load_inputs(plan, data, period, cutoff, lang)
        return assess(inputs.plan, inputs.progress, inputs.period, inputs.cutoff)

    # -- helpers ------------------------------------------------------------------------
    @property
    def t(self) -> dict:
        """The language's words, with the plan's own where it names them (meta.toml [terms])."""
        t = dict(T[self.lang])
        section = self.a.plan.term("tasks_section_en" if self.lang == "en" else "tasks_section")
        if section:
            t["recurring_table"] = t["recurring_table_in"].format(section=section)
        return t

    @cached_property
    def env(self) -> Environment:
        return _env()

    def render(self, template: str, **kw) -> str:
        return self.env.get_template(template).render(t=self.t, **kw)

    @cached_property
    def history(self) -> pd.DataFrame:
        a = self.a
        return area_history(a.plan, a.progress, a.period, a.cutoff, a.rules, known=a)

    @property
    def period_label(self) -> str:
        return label(self.a.period, self.lang)

    # -- sections -------------------------------------------------------------------------
    def header_html(self) -> str:
        a, m, t = self.a, self.a.plan.meta, self.t
        basis = t["basis_text"].format(
            year=a.plan.year,
            number=m["decision_number"],
            date=fmt.date_short(m["decision_date"], self.lang),
            issuer=m.get("issuer") or m["commune"],
        )
        # each kind of data once, however many files of the year folder hold it (per-file counts
        # are in the data appendix), so a later quarter's workbook does not change this line
        kinds = list(dict.fromkeys(t["kind"].get(k, k) for k in a.inputs["kind"])) if not a.inputs.empty else []
        sources = "; ".join(kinds) or "—"
        if a.progress.path is not None:
            sources += f" ({a.progress.path.name})"
        title = f"{label_title(a.period, self.lang)} — {m['commune']}"
        return self.render(
            "header.html.j2",
            sample=a.is_sample,
            issuer_upper=(m.get("issuer") or m["commune"]).upper(),
            period_title=title,
            window_text=f"{self.period_label}, {describe_window(a.window, self.lang)}",
            basis=basis,
            sources=sources,
            generated=fmt.date_long(self.report_date, self.lang),
        )

    def header(self):
        return _html(self.header_html())

    def summary_html(self) -> str:
        a, lang = self.a, self.lang
        c, k = status_counts(a.targets), task_counts(a.tasks, a.window.end)
        labels = self.t["cards"]
        ytd = a.tthc_ytd
        pct = (lambda kpi: fmt.percent(ytd.at[kpi, "value"], 1, lang)) if ytd is not None else (lambda kpi: fmt.DASH)
        o = a.overall
        cards = [
            (f"{c.met}/{c.total}", labels[0], vocab.STATUS_COLORS["met"]),
            (str(c.at_risk), labels[1], vocab.STATUS_COLORS["at_risk"]),
            (str(c.missed), labels[2], vocab.STATUS_COLORS["missed"]),
            (f"{k.due_done}/{k.due}", labels[3], "#1b1b1b"),
            (str(k.of("overdue")), labels[4], vocab.STATUS_COLORS["overdue"]),
            (pct("online_rate"), labels[5], "#1b1b1b"),
            (pct("on_time_rate"), labels[6], "#1b1b1b"),
            (
                f"{vocab.rating(o['rating'], lang)} ({fmt.number(o['score'], 1, lang)})",
                labels[7] + "*",
                vocab.RATING_COLORS.get(o["rating"], "#1b1b1b"),
            ),
        ]
        area = tables.to_html(tables.area_table(a, lang))
        return self.render(
            "summary.html.j2",
            cards=[{"value": v, "label": lab, "color": col} for v, lab, col in cards],
            paragraph=narrative.summary_paragraph(a, lang),
            risks=narrative.top_risks(a, lang),
            area_table=area,
        )

    def summary(self):
        return _html(self.summary_html())

    def area_html(self, area_id: str, heading: str | None = None, level: str = "h3") -> str:
        a, lang = self.a, self.lang
        t = a.targets[a.targets["area_id"] == area_id]
        sentences = [s for s in (narrative.target_sentence(r, lang) for _, r in t.iterrows()) if s]
        targets = tables.to_html(
            tables.target_table(a, lang, area_id, compact=True), badge_col=tables.H[lang]["status"]
        )
        tasks = tables.to_html(
            tables.task_table(a, lang, area_id, recurring=False, compact=True),
            badge_col=tables.H[lang]["task_status"],
            empty=self.t["nothing"],
        )
        # Standing duties: a count in the body, the missing ones named; every duty is in the appendix.
        k = a.tasks[(a.tasks["area_id"] == area_id) & a.tasks["recurring"]]
        recurring = ""
        if len(k):
            missing = tables.task_table(a, lang, area_id, recurring=True, compact=True, statuses=("recurring_missing",))
            missing = missing.drop(columns=[tables.H[lang]["deadline"]])
            line = self.t["recurring_line"].format(
                n=len(k), ok=int((k["status"] == "recurring_reported").sum()), missing=len(missing)
            )
            recurring = f"<p>{html_escape(line)}</p>" + (
                tables.to_html(missing, badge_col=tables.H[lang]["task_status"]) if len(missing) else ""
            )
        return self.render(
            "area.html.j2",
            heading=heading,
            level=level,
            anchor=f"linh-vuc-{area_id.replace('.', '-')}",
            paragraph=narrative.area_paragraph(a, area_id, lang),
            sentences=sentences,
            highlights=narrative.notes_for(a, "highlights", area_id),
            difficulties=narrative.notes_for(a, "difficulties", area_id),
            targets=targets,
            tasks=tasks,
            recurring=recurring,
        )

    def direction(self):
        """Section I: direction and management (the plan's ``direction_area``) and the general notes."""
        general = narrative.notes_for(self.a, "highlights", "")
        html = self.render(
            "block.html.j2", heading=self.t["s1"], level="h2", anchor="muc-1", subsections=[{"notes": general}]
        )
        direction = self.a.plan.direction_area
        return _html(html + (self.area_html(direction, heading=None) if direction else ""))

    def results_heading(self):
        return _html(self.render("block.html.j2", heading=self.t["s2"], level="h2", anchor="muc-2", subsections=[]))

    def areas(self) -> list[str]:
        return [x for x in self.a.plan.areas["area_id"] if x != self.a.plan.direction_area]

    def area(self, area_id: str):
        a = self.a
        order = self.areas().index(area_id) + 1 if area_id in self.areas() else ""
        heading = f"{order}. {a.plan.area_name(area_id, self.lang)}"
        return _html(self.area_html(area_id, heading=heading))

    def one_stop(self):
        a, t, lang = self.a, self.t, self.lang
        if a.tthc is None:
            subs = [{"heading": t["s2_tthc"], "anchor": "mot-cua", "empty": t["no_dossiers"]}]
        else:
            t766 = a.tthc_766
            rows = [
                {
                    t["766_cols"][0]: r["group"] if lang == "vi" else r["group_en"],
                    t["766_cols"][1]: fmt.number(r["max_points"], 0, lang),
                    t["766_cols"][2]: t["coverage"].get(r["coverage"], r["coverage"]),
                    t["766_cols"][3]: fmt.number(r["estimate_points"], 1, lang),
                    t["766_cols"][4]: r["note_en" if lang == "en" else "note"],
                }
                for _, r in t766.iterrows()
            ]
            months = tables.to_html(tables.tthc_month_table(a, lang))
            subs = [
                {
                    "heading": t["s2_tthc"],
                    "anchor": "mot-cua",
                    "intro": t["kpi_overview"],
                    "html": tables.to_html(tables.kpi_overview(a, lang)),
                },
                {
                    "heading": t["by_field"],
                    "anchor": "mot-cua-linh-vuc",
                    "html": tables.to_html(tables.tthc_field_table(a, lang)),
                },
                {"heading": t["by_month"], "anchor": "mot-cua-thang", "html": months, "notes": []},
                {
                    "heading": t["a6"],
                    "anchor": "chi-so-766",
                    "intro": t["766_caveat"],
                    "html": tables.to_html(pd.DataFrame(rows)),
                },
            ]
            if a.tthc.by_month["partial"].any():
                subs[2]["intro"] = t["partial"]
        return _html(self.render("block.html.j2", subsections=subs))

    def units(self):
        t = self.t
        return _html(
            self.render(
                "block.html.j2",
                subsections=[
                    {
                        "heading": t["s2_units"],
                        "anchor": "don-vi",
                        "html": tables.to_html(
                            tables.unit_table(self.a, self.lang),
                            badge_col=tables.H[self.lang]["rating"],
                            code_col="_rating",
                        ),
                    }
                ],
            )
        )

    def overall_assessment(self):
        t, a, lang = self.t, self.a, self.lang
        return _html(
            self.render(
                "block.html.j2",
                heading=t["s3"],
                level="h2",
                anchor="muc-3",
                subsections=[
                    {
                        "heading": t["s3_1"],
                        "anchor": "uu-diem",
                        "bullets": narrative.strengths(a, lang),
                        "empty": t["nothing"],
                    },
                    {
                        "heading": t["s3_2"],
                        "anchor": "ton-tai",
                        "bullets": narrative.shortcomings(a, lang),
                        "empty": t["nothing"],
                    },
                    {
                        "heading": t["s3_causes"],
                        "anchor": "nguyen-nhan",
                        "bullets": narrative.causes(a),
                        "empty": t["nothing"],
                    },
                ],
            )
        )

    def next_period(self):
        t = self.t
        return _html(
            self.render(
                "block.html.j2",
                heading=t["s4"],
                level="h2",
                anchor="muc-4",
                subsections=[{"bullets": narrative.next_period(self.a, self.lang), "empty": t["nothing"]}],
            )
        )

    def proposals(self):
        t = self.t
        return _html(
            self.render(
                "block.html.j2",
                heading=t["s5"],
                level="h2",
                anchor="muc-5",
                subsections=[{"bullets": narrative.proposals(self.a), "empty": t["no_proposals"]}],
            )
        )

    def appendix(self):
        """Appendix: every target and task, the data read, the plan review, the method (report/appendix.py)."""
        parts = appendix.subsections(self.a, self.t, self.lang)
        return _html(
            self.render("block.html.j2", heading=self.t["appendix"], level="h2", anchor="phu-luc", subsections=parts)
        )

    # -- figures --------------------------------------------------------------------------
    def figure(self, name: str):
        """A chart as an embedded PNG with its caption, kept together on a printed page."""
        from cchc_lib.report import charts

        fn = getattr(charts, name)
        if name == "area_heatmap":
            drawn = [fn(self.history, self.lang)]
        elif hasattr(charts, f"{name}_parts"):  # a long chart prints in page-sized parts
            drawn = getattr(charts, f"{name}_parts")(self.a, self.lang)
        else:
            drawn = [fn(self.a, self.lang)]
        return _html(
            "".join(
                self.render(
                    "figure.html.j2", png=base64.b64encode(c.to_png()).decode("ascii"), title=c.title, caption=c.caption
                )
                for c in drawn
            )
        )


NOTEBOOK = "quarterly_assessment.ipynb"


def notebook_path():
    from cchc_lib.core.paths import notebook

    return notebook(NOTEBOOK)


def produce(
    plan,
    data,
    period,
    cutoff="nd09",
    lang="vi",
    formats=("html", "pdf"),
    out="reports",
    report_date: str = "",
    progress_bar: bool = True,
    appendices: str = "separate",
    *,
    inputs=None,
    parallel: bool = True,
    early_kernel=None,
    handoff: str = "",
    pdf_worker=None,
):
    """Validate the inputs, then run the notebook with papermill and export it (``cchc report``).

    Inputs are loaded once here first (or given as ``inputs``, already loaded from the same
    arguments) so that a data error is reported in plain words before a kernel starts; the
    notebook then loads them again itself, as it must when it is run by hand in JupyterLab,
    unless ``handoff`` (:mod:`cchc_lib.report.handoff`) holds the assessment of those files.
    ``appendices``: ``separate`` (their own file, the default), ``inline`` or ``none``
    (:mod:`cchc_lib.report.annex`). ``parallel``, ``early_kernel``, ``pdf_worker``: see
    :func:`cchc_lib.report.run.run_report`.
    """
    import sys
    from pathlib import Path

    from cchc_lib.progress.inputs import load_inputs
    from cchc_lib.report.render import run_report

    if inputs is None:
        inputs = load_inputs(plan, data, period, cutoff, lang)
        if inputs.notice:
            print(inputs.notice, file=sys.stderr, flush=True)
    p, progress, per, sample = inputs.plan, inputs.progress, inputs.period, inputs.sample
    out_root = Path(out).resolve()
    out_dir = out_root / p.plan_id / per.code
    # Sample reports carry their own name: they never overwrite or replace a real one.
    stem = f"bao-cao-cchc_{p.plan_id}_{per.code}_{cutoff}_{lang}" + ("_du-lieu-mau" if sample else "")
    params = {
        "plan": str(p.path.resolve()),
        "data": str(progress.path.resolve()),
        "period": per.code,
        "cutoff": cutoff,
        "lang": lang,
        "report_date": report_date,
    }
    # The sample says so on every page: the banner on the first, the running head on the others.
    mark = (T[lang]["sample_banner"].split(" — ")[0] + " — ") if sample else ""
    header = {
        "commune": p.meta["commune"],
        "period_label": mark + label(per, lang),
        "lang": lang,
        "title": f"{mark}{T[lang]['report_title'].capitalize()} — {label(per, lang)} — {p.meta['commune']}",
    }
    record = {
        "plan_id": p.plan_id,
        "commune": p.meta["commune"],
        "period": per.code,
        "period_label": label(per, lang),
        "cutoff": cutoff,
        "lang": lang,
        "sample": sample,
    }
    return run_report(
        notebook_path(),
        params,
        out_dir,
        stem=stem,
        formats=formats,
        header=header,
        progress=progress_bar,
        record=record,
        reports_root=out_root,
        cwd=notebook_path().parent,
        appendices=appendices,
        parallel=parallel,
        early_kernel=early_kernel,
        transient={"handoff": handoff} if handoff else None,
        pdf_worker=pdf_worker,
    )
