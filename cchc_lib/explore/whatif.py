"""What if a target had reached another value: ``assess`` run again with ``overrides``.

The "after" side is the assessment engine itself, so a what-if can never drift from the
real rules (config/rules.toml and the plan's own rules).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cchc_lib.assessment.engine import Assessment, assess, is_value

__all__ = ["RECORD_SOURCES", "what_if", "what_if_choices"]

# Targets measured from a log rather than entered: one log gives one figure per indicator.
RECORD_SOURCES = ("dossiers", "feedback")


def what_if_choices(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets a what-if can change: measurable, and not the rating (derived from the score)."""
    return targets[targets["measurable"].astype(bool) & ~is_value(targets["kpi"], "rating")]


def what_if(a: Assessment, target_id: str, value: float, linked: bool = True) -> dict:
    """Re-assess ``a`` as if target ``target_id`` had reached ``value``; return before and after.

    The "after" side is ``assess`` itself run with ``overrides``, so the what-if can never
    drift from the real rules: status, pace projection, area and unit scores, composite
    score and estimated rating all follow exactly as they would with that figure.

    * A target measured from the dossier or petition log (online share…): every measurable
      target computed from the same indicator takes the value too (``linked``), as the log
      would give them all the same figure (an online-share target of one area and another
      area's target on the same share move together).
    * An entered target: the value counts as entered for ``a.period``; for a quarter it
      also enters the pace projection of a level target.

    Returns a dict: ``target_id``, ``value``, ``changed`` (target ids set to the value),
    ``changed_status``, ``actual_before/after``, ``status_before/after``, ``area_id``,
    ``area_score_before/after``, ``areas`` ({area: (before, after)} for the areas changed),
    ``unit_id``, ``unit_score_before/after``, ``score_before/after``, ``rating_before/after``,
    ``rating_level_before/after``, and the recomputed frames ``targets_after``,
    ``areas_after``, ``units_after``, ``overall_after``.
    """
    t = a.targets
    hit = t.index[t["target_id"] == target_id]
    if len(hit) != 1:
        raise KeyError(f"Không có chỉ tiêu '{target_id}' trong đánh giá.")
    row = t.loc[hit[0]]
    if not bool(row["measurable"]):
        raise ValueError(f"Chỉ tiêu {target_id} là chỉ tiêu định tính, không có giá trị để giả định.")
    if is_value(t["kpi"], "rating")[hit[0]]:
        raise ValueError(
            f"Chỉ tiêu {target_id} là xếp loại ước tính, được suy ra từ điểm tổng hợp; hãy giả định các chỉ tiêu khác."
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("Giá trị giả định phải là một số.")
    ids = [target_id]
    from_records = bool(pd.notna(row["actual_source"]) and row["actual_source"] in RECORD_SOURCES)
    if linked and from_records and pd.notna(row["kpi"]):
        logged = t["actual_source"].isin(list(RECORD_SOURCES)).fillna(False)
        same = is_value(t["kpi"], row["kpi"]) & logged & t["measurable"]
        ids = list(t.loc[same.astype(bool), "target_id"])
    b = assess(a.plan, a.progress, a.period, a.cutoff, a.rules, overrides={i: value for i in ids})

    old_t, new_t = a.targets.set_index("target_id"), b.targets.set_index("target_id")
    area_ids = list(dict.fromkeys(old_t.loc[ids, "area_id"]))
    old_area, new_area = a.areas.set_index("area_id")["score"], b.areas.set_index("area_id")["score"]
    old_unit, new_unit = a.units.set_index("unit_id")["score"], b.units.set_index("unit_id")["score"]
    grading = {  # why a score is missing (not enough evidence, not graded), before and after
        "areas": (a.areas.set_index("area_id")["grading"], b.areas.set_index("area_id")["grading"]),
        "units": (a.units.set_index("unit_id")["grading"], b.units.set_index("unit_id")["grading"]),
    }
    area_id, unit_id = row["area_id"], row["lead_unit_id"]
    return {
        "target_id": target_id,
        "value": value,
        "changed": ids,
        "changed_status": {i: (old_t.at[i, "status"], new_t.at[i, "status"]) for i in ids},
        "actual_before": row["actual"],
        "actual_after": value,
        "status_before": row["status"],
        "status_after": new_t.at[target_id, "status"],
        "area_id": area_id,
        "area_score_before": old_area.get(area_id, np.nan),
        "area_score_after": new_area.get(area_id, np.nan),
        "areas": {aid: (old_area.get(aid, np.nan), new_area.get(aid, np.nan)) for aid in area_ids},
        "unit_id": unit_id,
        "unit_score_before": old_unit.get(unit_id, np.nan),
        "unit_score_after": new_unit.get(unit_id, np.nan),
        "area_grading": {aid: tuple(g.get(aid) for g in grading["areas"]) for aid in area_ids},
        "unit_grading": tuple(g.get(unit_id) for g in grading["units"]),
        "score_before": a.overall["score"],
        "score_after": b.overall["score"],
        "rating_before": a.overall["rating"],
        "rating_after": b.overall["rating"],
        "rating_level_before": a.overall["rating_level"],
        "rating_level_after": b.overall["rating_level"],
        "targets_after": b.targets,
        "areas_after": b.areas,
        "units_after": b.units,
        "overall_after": b.overall,
    }
