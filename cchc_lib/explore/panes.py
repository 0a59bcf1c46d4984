"""The "Biểu đồ" and "Giả định" tabs and the export buttons of the dashboard.

Mixins of ``Dashboard``: they read its widgets and current assessment; the logic they show
lives in plain functions (``charts``, ``whatif.what_if``, ``export.export_selection``).
"""

from __future__ import annotations

import base64
import dataclasses
import html
import time
from pathlib import Path

import pandas as pd

from cchc_lib.core.periods import describe_window, label_title
from cchc_lib.explore.export import export_selection
from cchc_lib.explore.filters import slug
from cchc_lib.explore.markup import table
from cchc_lib.explore.whatif import what_if
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables

__all__ = ["ChartPane", "ExportPane", "WhatIfPane"]


class ChartPane:
    """The chart of the current selection, drawn when its tab is shown and kept per selection."""

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
        """Caption of the last chart drawn ("Tình trạng thực hiện … đến Quý II/…: …")."""
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


def _score(score, grading, lang: str) -> str:
    """A what-if score, or the engine's reason for none (not enough evidence, not graded)."""
    if grading in ("insufficient_evidence", "not_graded"):
        return tables.H[lang][grading]
    return fmt.number(score, 1, lang)


class WhatIfPane:
    """The what-if panel: a target, an assumed value, and what changes."""

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
            g = res["area_grading"][aid]
            rows.append(
                (
                    t["wi_area_row"].format(area=f"{aid} {self.plan.area_name(aid, lang)}"),
                    _score(b, g[0], lang),
                    _score(af, g[1], lang),
                )
            )
        if pd.notna(res["unit_id"]):
            g = res["unit_grading"]
            rows.append(
                (
                    t["wi_unit_row"].format(unit=self.plan.unit_name(res["unit_id"], lang)),
                    _score(res["unit_score_before"], g[0], lang),
                    _score(res["unit_score_after"], g[1], lang),
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
        out = [table(list(t["wi_head"]), body, "cchc-x-whatif-table")]
        others = [c for c in res["changed"] if c != tid]
        if others:
            kpi = self.a.targets.loc[self.a.targets["target_id"] == tid, "indicator"].iloc[0]
            out.append(
                f'<p class="cchc-x-note">{html.escape(t["wi_linked"].format(ids=", ".join(others), kpi=kpi))}</p>'
            )
        out.append(f'<p class="cchc-x-caveat">{html.escape(t["wi_caveat"])}</p>')
        self.wi_html.value = "".join(out)


class ExportPane:
    """ "Tải Excel" / "Tải CSV": the selection shown, written under ``out_dir`` with download links."""

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
            slug(f["search"]),
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
            msg = self.t["export_fail"].format(path=exc.filename or self.out_dir, err=exc)
            self.export_html.value = f'<p class="cchc-x-note">{html.escape(msg)}</p>'
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
