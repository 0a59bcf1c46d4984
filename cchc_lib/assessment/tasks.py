"""Task verdicts: each task of the plan as of the period's last day.

A task with a deadline is done on time, done late, in progress, overdue or not yet due; a
standing duty (Thường xuyên) is reported or missing for the period; docs/methodology.md,
"Tasks", explains the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cchc_lib.assessment.context import Context
from cchc_lib.plan.lint import city_scope_text, deadlines_before_decision

if TYPE_CHECKING:
    from cchc_lib.plan.model import Plan
    from cchc_lib.progress.loader import Progress

TASK_STATUSES = (
    "done_on_time",
    "done_late",
    "in_progress",
    "overdue",
    "not_due",
    "recurring_reported",
    "recurring_missing",
    "cancelled",
)


def assess_tasks(plan: Plan, progress: Progress, ctx: Context, rules: dict) -> pd.DataFrame:
    period, win, end = ctx.period, ctx.win, ctx.end
    inside = [q.code for q in ctx.quarters() if ctx.starts[q.code] >= pd.Timestamp(win.start)]
    upd = progress.tasks
    if not upd.empty:
        upd = upd.copy()
        upd["_end"] = upd["period"].map(ctx.end_of)
        upd = upd[upd["_end"] <= end].sort_values(["task_id", "_end"])
        upd.attrs = {}  # a private copy: no file metadata to deep-copy on every selection below
    by_task = dict(tuple(upd.groupby("task_id", sort=False))) if not upd.empty else {}
    t = plan.tasks.copy()
    rows = t.copy(deep=False)
    rows.attrs = {}  # iterated row by row; the table itself keeps the plan's metadata
    out = {
        c: []
        for c in (
            "status",
            "days_late",
            "completed_on",
            "last_status",
            "last_period",
            "evidence",
            "reports",
            "update_note",
        )
    }
    for _, task in rows.iterrows():
        mine = by_task.get(task["task_id"], upd.iloc[:0])
        last = mine.iloc[-1] if len(mine) else None
        done = mine[(mine["status"] == "done")] if len(mine) else mine
        done_on = pd.NaT
        if len(done):
            dated = done["completed_on"].dropna()
            dated = dated[dated <= end]
            done_on = dated.min() if len(dated) else pd.NaT
        late = np.nan
        if task["recurring"]:
            reported = set(mine["period"]) if len(mine) else set()
            have = [q for q in inside if q in reported]
            need_all = rules["tasks"]["recurring_quarters_required"] == "all"
            ok = period.code in reported or (bool(have) and (len(have) == len(inside) or not need_all))
            status = "recurring_reported" if ok else "recurring_missing"
            reports = f"{len(have)}/{len(inside)}"
        else:
            deadline = task["deadline"]
            reports = ""
            if last is not None and last["status"] == "cancelled":
                status = "cancelled"
            elif pd.notna(done_on):
                status = "done_on_time" if pd.isna(deadline) or done_on <= deadline else "done_late"
                late = max(0, (done_on - deadline).days) if pd.notna(deadline) else 0
            elif pd.notna(deadline) and deadline < end:
                status = "overdue"
                late = (end - deadline).days
            elif last is not None and last["status"] in ("in_progress", "done"):
                status = "in_progress"
            else:
                status = "not_due"
        out["status"].append(status)
        out["days_late"].append(late)
        out["completed_on"].append(done_on)
        out["last_status"].append(None if last is None else last["status"])
        out["last_period"].append(None if last is None else last["period"])
        # A finished task keeps the evidence of the update that finished it (no re-entry needed).
        source = done.iloc[0] if len(done) and pd.notna(done_on) else last
        out["evidence"].append(None if source is None or pd.isna(source["evidence"]) else source["evidence"])
        out["reports"].append(reports)
        out["update_note"].append(None if last is None or pd.isna(last["note"]) else last["note"])
    for col, values in out.items():
        t[col] = values
    t["status"] = t["status"].astype("string")
    t["days_late"] = pd.to_numeric(t["days_late"]).astype("float64")
    t["completed_on"] = pd.to_datetime(t["completed_on"])
    t["due_in_window"] = t["deadline"].between(pd.Timestamp(win.start), end)
    _review_flags(plan, t)
    return t


def _review_flags(plan: Plan, t: pd.DataFrame) -> None:
    """The plan-review findings a verdict must be read with, from the plan's own lint:
    ``deadline_before_plan`` (the deadline falls on or before the day the plan was issued,
    so "overdue" is a deadline to confirm, not a delay) and ``city_scope`` (the row is worded
    for the whole city)."""
    before = {f["refs"][0] for f in deadlines_before_decision(plan)}
    city = {f["refs"][0] for f in city_scope_text(plan)}
    t["deadline_before_plan"] = t["task_id"].isin(before)
    t["city_scope"] = t["task_id"].isin(city)
