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
    need_all = rules["tasks"]["recurring_quarters_required"] == "all"
    updates = _updates_by_task(progress.tasks, ctx)
    t = plan.tasks.copy()
    out = {c: [] for c in _VERDICT_COLUMNS}
    for task_id, recurring, deadline in zip(t["task_id"], t["recurring"], t["deadline"]):
        mine = updates.get(task_id, [])
        last = mine[-1] if mine else None
        done = [u for u in mine if _is(u["status"], "done")]
        dated = [u["completed_on"] for u in done if pd.notna(u["completed_on"]) and u["completed_on"] <= end]
        done_on = min(dated) if dated else pd.NaT
        late = np.nan
        if recurring:
            reported = {u["period"] for u in mine}
            have = [q for q in inside if q in reported]
            ok = period.code in reported or (bool(have) and (len(have) == len(inside) or not need_all))
            status = "recurring_reported" if ok else "recurring_missing"
            reports = f"{len(have)}/{len(inside)}"
        else:
            reports = ""
            if last is not None and _is(last["status"], "cancelled"):
                status = "cancelled"
            elif pd.notna(done_on):
                status = "done_on_time" if pd.isna(deadline) or done_on <= deadline else "done_late"
                late = max(0, (done_on - deadline).days) if pd.notna(deadline) else 0
            elif pd.notna(deadline) and deadline < end:
                status = "overdue"
                late = (end - deadline).days
            elif last is not None and (_is(last["status"], "in_progress") or _is(last["status"], "done")):
                status = "in_progress"
            else:
                status = "not_due"
        # A finished task keeps the evidence of the update that finished it (no re-entry needed).
        source = done[0] if done and pd.notna(done_on) else last
        verdict = (
            status,
            late,
            done_on,
            None if last is None else last["status"],
            None if last is None else last["period"],
            None if source is None or pd.isna(source["evidence"]) else source["evidence"],
            reports,
            None if last is None or pd.isna(last["note"]) else last["note"],
        )
        for col, value in zip(_VERDICT_COLUMNS, verdict):
            out[col].append(value)
    for col, values in out.items():
        t[col] = values
    t["status"] = t["status"].astype("string")
    t["days_late"] = pd.to_numeric(t["days_late"]).astype("float64")
    t["completed_on"] = pd.to_datetime(t["completed_on"])
    t["due_in_window"] = t["deadline"].between(pd.Timestamp(win.start), end)
    _review_flags(plan, t)
    return t


_VERDICT_COLUMNS = (
    "status",
    "days_late",
    "completed_on",
    "last_status",
    "last_period",
    "evidence",
    "reports",
    "update_note",
)


def _updates_by_task(updates: pd.DataFrame, ctx: Context) -> dict[str, list[dict]]:
    """Each task's updates up to the period's end, oldest first, as plain records: the loop
    above reads a few fields per task, which row selections of the table would make slow."""
    if updates.empty:
        return {}
    upd = updates[["task_id", "period", "status", "completed_on", "evidence", "note"]].copy()
    upd.attrs = {}
    upd["_end"] = upd["period"].map(ctx.end_of)
    upd = upd[upd["_end"] <= ctx.end].sort_values(["task_id", "_end"])
    by_task: dict[str, list[dict]] = {}
    for record in upd.to_dict("records"):
        by_task.setdefault(record["task_id"], []).append(record)
    return by_task


def _is(value, code: str) -> bool:
    """``value == code`` for a status that may be missing (a missing one is no status)."""
    return isinstance(value, str) and value == code


def _review_flags(plan: Plan, t: pd.DataFrame) -> None:
    """The plan-review findings a verdict must be read with, from the plan's own lint:
    ``deadline_before_plan`` (the deadline falls on or before the day the plan was issued,
    so "overdue" is a deadline to confirm, not a delay) and ``city_scope`` (the row is worded
    for the whole city)."""
    before = {f["refs"][0] for f in deadlines_before_decision(plan)}
    city = {f["refs"][0] for f in city_scope_text(plan)}
    t["deadline_before_plan"] = t["task_id"].isin(before)
    t["city_scope"] = t["task_id"].isin(city)
