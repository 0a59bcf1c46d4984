"""The "Chi tiết" tab: a target's or a task's plan text, facts and quarter-by-quarter history.

A mixin of ``Dashboard``: it reads the dashboard's widgets and cached assessments.
"""

from __future__ import annotations

import html

import pandas as pd

from cchc_lib.core.periods import Period, label, label_title, periods_in_year
from cchc_lib.explore.markup import esc, table, text
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables

__all__ = ["DetailPane"]


class DetailPane:
    """Detail pane of the dashboard (``target_history``, ``task_history`` and their rendering)."""

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
            notes = "; ".join(x for e in entered.itertuples() for x in (text(e.source), text(e.note)) if x)
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
                    "evidence": None if u is None else text(u["evidence"]),
                    "note": None if u is None else text(u["note"]),
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
            f"<h4>{esc(tid)} — {esc(r['indicator'])}</h4>",
            f'<div class="cchc-x-src"><b>{t["plan_text"]} ({esc(r["source_ref"])}):</b> “{esc(r["text"])}”</div>',
        ]
        facts = [f"<b>{t['lead']}:</b> {self._lead(r)}"]
        if bool(r["measurable"]):
            from cchc_lib.report.narrative import target_text

            facts.append(f"<b>{t['target']}:</b> {esc(target_text(r, lang))}")
            if pd.notna(r.get("actual_source")):
                facts.append(
                    f"<b>{t['source']}:</b> {esc(vocab.SOURCE[lang].get(r['actual_source'], r['actual_source']))}"
                )
        if pd.notna(r.get("conflict_with")) and r["conflict_with"]:
            facts.append(f"<b>{t['conflict']}:</b> {esc(r['conflict_with'])}")
        out.append("<p>" + " · ".join(facts) + "</p>")
        if pd.notna(r.get("note")) and str(r["note"]).strip():
            out.append(f'<div class="cchc-x-note"><b>{t["plan_note"]}:</b> {esc(r["note"])}</div>')
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
                source = vocab.SOURCE[lang].get(h.source, "") if pd.notna(h.source) else ""
                tds += f"<td>{esc(source)}</td><td>{esc(h.entered)}</td>"
                body.append(f"<tr{' class=cchc-x-current' if h.current else ''}>{tds}</tr>")
            out.append(table(head, body))
        out.append(self._area_notes(r["area_id"]))
        self.target_detail.value = "".join(out)

    def _lead(self, r) -> str:
        """The lead unit's name (as the plan spells it when the unit is not in the unit list)."""
        if pd.notna(r["lead_unit_id"]):
            return esc(self.plan.unit_name(r["lead_unit_id"], self.lang))
        return esc(r["lead_unit"])

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
                parts.append(f"<p><b>{t[col]}:</b></p><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
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
        deadline = t["standing"] if r["recurring"] and fmt.is_missing(r["deadline_text"]) else text(r["deadline_text"])
        if pd.notna(r["deadline"]):
            deadline = f"{deadline} ({fmt.date_short(r['deadline'], lang)})"
        facts = [
            f"<b>{t['deadline']}:</b> {esc(deadline)}",
            f"<b>{t['lead']}:</b> {self._lead(r)}",
        ]
        if r["support_unit_ids"]:
            facts.append(
                f"<b>{t['support']}:</b> " + esc(", ".join(self.plan.unit_name(u, lang) for u in r["support_unit_ids"]))
            )
        if text(r["product"]):
            facts.append(f"<b>{t['product']}:</b> {esc(r['product'])}")
        if pd.notna(r["budget"]):
            facts.append(f"<b>{t['budget']}:</b> {fmt.number(r['budget'], 0, lang)}")
        src = esc(r["source_ref"]) + (f" — {esc(r['source_label'])}" if text(r["source_label"]) else "")
        out = [
            f"<h4>{esc(kid)} — {tables.badge(r['status'], vocab.task_status(r['status'], lang))}</h4>",
            f'<div class="cchc-x-src"><b>{t["plan_text"]} ({src}):</b> “{esc(r["text"])}”</div>',
            "<p>" + " · ".join(facts) + "</p>",
        ]
        if text(r["note"]):
            out.append(f'<div class="cchc-x-note"><b>{t["plan_note"]}:</b> {esc(r["note"])}</div>')
        self._history_pending(self.task_detail, out)
        hist = self.task_history(kid)
        out.append(f"<h4>{html.escape(t['history'].format(cutoff=t['cutoffs'][self.cutoff.value]))}</h4>")
        head = [t["h_period"], t["h_task_status"], t["h_update"], t["h_done"], t["h_evidence"], t["h_update_note"]]
        body = []
        for h in hist.itertuples():
            tds = f"<td>{html.escape(h.label + (' (' + t['current'] + ')' if h.current else ''))}</td>"
            tds += f"<td>{tables.badge(h.status, vocab.task_status(h.status, lang))}</td>"
            tds += "".join(
                f"<td>{esc(x)}</td>"
                for x in (
                    h.update or "",
                    fmt.date_short(h.completed_on, lang) if not fmt.is_missing(h.completed_on) else "",
                    h.evidence or "",
                    h.note or "",
                )
            )
            body.append(f"<tr{' class=cchc-x-current' if h.current else ''}>{tds}</tr>")
        out.append(table(head, body))
        self.task_detail.value = "".join(out)
