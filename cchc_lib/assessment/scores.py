"""Area and unit scores, who is graded at all, the composite and its estimated rating.

A score says something only when it rests on results: an area or a unit with no measured
target and no dated task due by the cut-off (standing duties reported are not enough) is
"chưa đủ căn cứ đánh giá" and gets no score; a unit outside the commune is not graded by
the commune at all. Both rules and their reasons are in ``config/rules.toml`` [grading];
every table, sentence and chart reads the ``grading`` column set here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cchc_lib.assessment.targets import TARGET_STATUSES
from cchc_lib.assessment.tasks import TASK_STATUSES

GRADINGS = ("scored", "insufficient_evidence", "not_graded")
MEASURED = ("met", "on_track", "at_risk", "missed")  # a measurable target judged on a value
DATED_RESULTS = ("done_on_time", "done_late", "overdue")  # a dated task due, or finished, by the cut-off
STANDING_RESULTS = ("recurring_reported", "recurring_missing")


def _points(table: dict, status: str) -> float:
    v = table.get(status, "skip")
    return np.nan if v == "skip" else float(v)


def _evidence_masks(t_status, k_status, recurring, rules: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per row: is this target measured, is this task dated and due (the rule of ``evidence``)."""
    standing = bool(rules["grading"]["standing_duties_count"])
    kinds = DATED_RESULTS + (STANDING_RESULTS if standing else ())
    measured = np.array([x in MEASURED for x in t_status], dtype=bool)
    dated = np.array([x in kinds for x in k_status], dtype=bool) & (~np.asarray(recurring, dtype=bool) | standing)
    return measured, dated


def evidence(targets: pd.DataFrame, tasks: pd.DataFrame, rules: dict) -> tuple[int, int]:
    """(measured targets, dated tasks due) among the given rows: what a score may rest on.

    Standing duties count only when the rules say so (``grading.standing_duties_count``)."""
    measured, dated = _evidence_masks(
        targets["status"].to_numpy(dtype=object, na_value=None),
        tasks["status"].to_numpy(dtype=object, na_value=None),
        tasks["recurring"].to_numpy(dtype=bool),
        rules,
    )
    return int(measured.sum()), int(dated.sum())


def grading(n_evidence: int, graded: bool, rules: dict) -> str:
    """'not_graded' outside the commune, 'insufficient_evidence' below the rule's minimum."""
    if not graded:
        return "not_graded"
    return "scored" if n_evidence >= int(rules["grading"]["min_evidence"]) else "insufficient_evidence"


def _score_block(
    targets: pd.DataFrame,
    tasks: pd.DataFrame,
    key: str,
    ids: list[str],
    rules: dict,
    id_name: str,
    graded: dict[str, bool] | None = None,
) -> pd.DataFrame:
    """One row per area (or unit): its score, grading, evidence and status counts.

    ``graded`` says, per id, whether the commune grades it at all (units); default all.
    Columns are turned into numpy arrays once, so each id costs a few array masks
    instead of pandas selections (the report assesses several periods per run)."""
    s = rules["scores"]
    t_status = targets["status"].to_numpy(dtype=object, na_value=None)
    k_status = tasks["status"].to_numpy(dtype=object, na_value=None)
    tp = np.array([_points(s["target_points"], x) for x in t_status], dtype=float)
    kp = np.array([_points(s["task_points"], x) for x in k_status], dtype=float)
    recurring = tasks["recurring"].to_numpy(dtype=bool)
    kw = np.where(recurring, s["task_weights"]["recurring"], s["task_weights"]["deadline"]).astype(float)
    t_keys = targets[key].to_numpy(dtype=object, na_value=None)
    k_keys = tasks[key].to_numpy(dtype=object, na_value=None)
    t_is = {st: t_status == st for st in TARGET_STATUSES}
    k_is = {st: k_status == st for st in TASK_STATUSES}
    t_measured, k_dated = _evidence_masks(t_status, k_status, recurring, rules)
    measurable = targets["measurable"].to_numpy(dtype=bool)
    rows = []
    for ident in ids:
        tm, km = t_keys == ident, k_keys == ident
        t_pts, k_sel = tp[tm], km & ~np.isnan(kp)
        t_pts = t_pts[~np.isnan(t_pts)]
        t_score = t_pts.mean() if len(t_pts) else np.nan
        k_score = float(np.average(kp[k_sel], weights=kw[k_sel])) if k_sel.any() else np.nan
        w = [(a, b) for a, b in [(s["weights"]["targets"], t_score), (s["weights"]["tasks"], k_score)] if pd.notna(b)]
        score = sum(a * b for a, b in w) / sum(a for a, _ in w) if w else np.nan
        ev_t, ev_k = int(t_measured[tm].sum()), int(k_dated[km].sum())
        grade = grading(ev_t + ev_k, True if graded is None else graded.get(ident, True), rules)
        if grade != "scored":  # no score, and no part-score a chart or sentence could pick up
            score = t_score = k_score = np.nan
        mm = tm & measurable
        row = {
            id_name: ident,
            "score": score,
            "grading": grade,
            "target_score": t_score,
            "task_score": k_score,
            "targets": int(tm.sum()),
            "tasks": int(km.sum()),
            "targets_scored": len(t_pts),
            "tasks_scored": int(k_sel.sum()),
            "evidence_targets": ev_t,
            "evidence_tasks": ev_k,
            "data_coverage": (~t_is["no_data"][mm]).mean() if mm.any() else np.nan,
        }
        row.update({f"t_{st}": int(t_is[st][tm].sum()) for st in TARGET_STATUSES})
        row.update({f"k_{st}": int(k_is[st][km].sum()) for st in TASK_STATUSES})
        rows.append(row)
    out = pd.DataFrame(rows, columns=None if rows else [id_name, "score", "grading"])
    if "grading" in out:
        out["grading"] = out["grading"].astype("string")
    return out


def rating_for(score: float, rules: dict) -> tuple[str | None, int | None]:
    if pd.isna(score):
        return None, None
    for band in sorted(rules["rating"]["bands"], key=lambda b: -b["min"]):
        if score >= band["min"]:
            return band["code"], int(band["level"])
    return None, None


def composite(
    areas: pd.DataFrame, targets: pd.DataFrame, tasks: pd.DataFrame, rules: dict, target_level: float | None = None
) -> dict:
    """Weighted mean of the scored areas, its rating band, and the data coverage behind it.

    An area without enough evidence has no score and is left out (not counted as zero).
    ``target_level`` is the plan's rating objective (``Plan.rating_target``), None when the
    plan has none."""
    weights = rules["scores"].get("area_weights", {})
    a = areas.dropna(subset=["score"])
    w = a["area_id"].map(lambda x: float(weights.get(x, 1)))
    score = float((a["score"] * w).sum() / w.sum()) if len(a) and w.sum() > 0 else np.nan
    code, level = rating_for(score, rules)
    # Coverage: the share of things that could have figures and do — measured targets
    # with a value, tasks with at least one update. A score built on little is flagged.
    measured = targets[targets["measurable"] & ~targets["status"].isin(["not_due"])]
    have = int(measured["actual"].notna().sum()) + int(tasks["last_status"].notna().sum())
    possible = len(measured) + len(tasks)
    coverage = have / possible if possible else np.nan
    return {
        "score": score,
        "rating": code,
        "rating_level": level,
        "is_estimate": True,
        "coverage": coverage,
        "reliable": bool(pd.notna(coverage) and coverage >= rules["rating"]["min_coverage"]),
        "target_level": target_level,
    }
