"""Sections III–V of the official report: đánh giá chung, phương hướng kỳ tới, đề xuất."""

from __future__ import annotations

import pandas as pd

from cchc_lib.assessment.counts import measurable, status_counts, task_counts
from cchc_lib.core.periods import label, next_period_of, window
from cchc_lib.i18n import fmt
from cchc_lib.report.official import prose
from cchc_lib.report.official.model import Block
from cchc_lib.report.official.prose import words
from cchc_lib.report.official.sections import notes, section_notes

NAMES_SHOWN = 6  # names listed in one sentence of section III; the rest are in section II


def _names(items: list[str], lang: str) -> str:
    more = len(items) - NAMES_SHOWN
    shown = "; ".join(items[:NAMES_SHOWN])
    if more > 0:
        shown += words(lang)["names_more"].format(n=fmt.number(more, 0, lang))
    return shown


def _scored(a) -> pd.DataFrame:
    """Measured targets other than the tool's own index estimate."""
    t = a.targets
    return t[t["measurable"] & (t["kpi"].fillna("") != "rating")]


def section_assessment(a, lang: str) -> list[Block]:
    w, n = words(lang), (lambda x: fmt.number(x, 0, lang))
    out = [Block("h1", w["s3"]), Block("h2", f"1. {w['s3_1']}")]
    t, k, c, tc = measurable(a.targets), a.tasks, status_counts(a.targets), task_counts(a.tasks, a.window.end)
    good: list[str] = []
    if c.met:
        names = [prose.mid(prose.indicator(r, lang)) for _, r in t[t["status"] == "met"].iterrows()]
        good.append(w["strength_targets"].format(n=n(c.met), names=_names(names, lang)))
    if tc.of("done_on_time") and tc.done_ahead:  # says why it exceeds the tasks due and done
        end = fmt.date_short(a.window.end, lang)
        good.append(w["strength_tasks_ahead"].format(n=n(tc.of("done_on_time")), ahead=n(tc.done_ahead), end=end))
    elif tc.of("done_on_time"):
        good.append(w["strength_tasks"].format(n=n(tc.of("done_on_time"))))
    if tc.of("recurring_reported"):
        good.append(w["strength_recurring"].format(n=n(tc.of("recurring_reported"))))
    good += notes(a, "highlights", area_id="") + section_notes(a, "strengths")
    out += [Block("item", s) for s in good] or [Block("p", w["nothing"].format(topic=w["topic_strengths"]))]

    out.append(Block("h2", f"2. {w['s3_2']}"))
    bad: list[str] = []
    if c.weak:
        weak = t[t["status"].isin(["missed", "at_risk"])]
        names = [prose.mid(prose.indicator(r, lang)) for _, r in weak.iterrows()]
        bad.append(w["weak_targets"].format(n=n(c.weak), names=_names(names, lang)))
    if tc.of("overdue"):
        overdue = k[k["status"] == "overdue"]
        names = [
            w["task_ref"].format(text=prose.task_name(r, 80), unit=prose.unit(a.plan, r["lead_unit_id"], lang))
            for _, r in overdue.iterrows()
        ]
        bad.append(w["weak_tasks"].format(n=n(tc.of("overdue")), names=_names(names, lang)))
    if tc.of("done_late"):
        bad.append(w["weak_late"].format(n=n(tc.of("done_late"))))
    if tc.of("recurring_missing"):
        bad.append(w["weak_missing"].format(n=n(tc.of("recurring_missing"))))
    if c.no_data:
        bad.append(w["weak_data"].format(n=n(c.no_data)))
    bad += section_notes(a, "shortcomings")
    out += [Block("item", s) for s in bad] or [Block("p", w["nothing"].format(topic=w["topic_shortcomings"]))]
    causes = notes(a, "difficulties", area_id="") + section_notes(a, "causes")
    out += [Block("p", w["causes"].format(text=c)) for c in causes]
    return out


def _next_label(a, lang: str) -> tuple[str, object]:
    nxt = next_period_of(a.period)
    if nxt is None or nxt.year != a.period.year:
        return words(lang)["year_end"], None
    return label(nxt, lang), nxt


def section_next(a, lang: str) -> list[Block]:
    w = words(lang)
    out = [Block("h1", w["s4"])]
    nxt_label, nxt = _next_label(a, lang)
    items: list[str] = []
    od = a.tasks[a.tasks["status"] == "overdue"].sort_values(["deadline", "task_id"])
    for _, r in od.iterrows():
        items.append(
            w["next_overdue"].format(
                unit=prose.sentence_case(prose.unit(a.plan, r["lead_unit_id"], lang)),
                text=prose.task_name(r),
                deadline=fmt.date_short(r["deadline"], lang),
                next=nxt_label,
            )
        )
    if nxt is not None:
        win = window(nxt, a.cutoff)
        due = a.tasks[
            ~a.tasks["recurring"]
            & a.tasks["deadline"].between(pd.Timestamp(win.start), pd.Timestamp(win.end))
            & ~a.tasks["status"].isin(["done_on_time", "done_late", "cancelled", "overdue"])
        ]
        for _, r in due.sort_values(["deadline", "task_id"]).iterrows():
            items.append(
                w["next_due"].format(
                    unit=prose.sentence_case(prose.unit(a.plan, r["lead_unit_id"], lang)),
                    text=prose.task_name(r),
                    deadline=fmt.date_short(r["deadline"], lang),
                )
            )
    risk = _scored(a)
    risk = risk[risk["status"].isin(["at_risk", "missed"]) & risk["actual"].notna()]
    for _, r in risk.iterrows():
        items.append(
            w["next_target"].format(
                unit=prose.sentence_case(prose.unit(a.plan, r["lead_unit_id"], lang)),
                indicator=prose.mid(prose.indicator(r, lang)),
                actual=fmt.value(r["actual"], r["unit"], lang),
                target=prose.target_value(r, lang),
            )
        )
    rec = task_counts(a.tasks).recurring
    if rec:
        items.append(w["next_recurring"].format(n=fmt.number(rec, 0, lang)))
    items += section_notes(a, "next")
    out += [Block("item", s) for s in items] or [Block("p", w["nothing"].format(topic=w["topic_next"]))]
    return out


def section_proposals(a, lang: str) -> list[Block]:
    w = words(lang)
    texts = list(dict.fromkeys(notes(a, "proposals") + section_notes(a, "proposals")))
    return [Block("h1", w["s5"])] + (
        [Block("item", t) for t in texts] or [Block("p", w["nothing"].format(topic=w["topic_proposals"]))]
    )
