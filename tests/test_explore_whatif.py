"""what_if (cchc_lib.explore.whatif): the "after" side must be exactly what assess gives on
data where the target really had that value."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.explore.whatif import what_if, what_if_choices

PERIOD = "2024-Q2"


@pytest.fixture(scope="module")
def a(plan, sample_progress):
    return assess(plan, sample_progress, PERIOD, "nd09")


def _measured(a):
    t = a.targets
    return t.loc[t["measurable"] & t["actual"].notna() & t["kpi"].fillna("").ne("rating"), "target_id"].tolist()


def _assert_unchanged(a, tid):
    res = what_if(a, tid, a.targets.set_index("target_id").at[tid, "actual"])
    assert res["status_after"] == res["status_before"], tid
    assert res["score_after"] == a.overall["score"], tid
    assert res["rating_after"] == a.overall["rating"], tid
    for area, (before, after) in res["areas"].items():
        assert after == before, (tid, area)
    assert res["unit_score_after"] == res["unit_score_before"] or np.isnan(res["unit_score_before"])
    assert res["targets_after"]["status"].tolist() == a.targets["status"].tolist(), tid
    pd.testing.assert_frame_equal(res["areas_after"], a.areas)


@pytest.mark.slow
def test_what_if_with_the_current_value_changes_nothing(a):
    # one entered target and one from the dossier log (each what-if re-runs the assessment;
    # every target of three periods is the slow test below)
    t = a.targets.set_index("target_id")
    measured = _measured(a)
    entered = [i for i in measured if t.at[i, "actual_source"] == "entered"][:1]
    logged = [i for i in measured if t.at[i, "actual_source"] != "entered"][:1]
    assert entered and logged
    for tid in entered + logged:
        _assert_unchanged(a, tid)


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2024-Q2", "2024-H1", "2024-Q4"])
def test_what_if_with_the_current_value_changes_nothing_for_every_target(plan, sample_progress, period):
    a = assess(plan, sample_progress, period, "nd09")
    for tid in _measured(a):
        _assert_unchanged(a, tid)


@pytest.mark.slow
def test_online_share_at_50_meets_t207_and_raises_ii2(a):
    res = what_if(a, "T2.07", 50)
    assert res["status_before"] != "met" and res["status_after"] == "met"
    assert res["area_id"] == "II.2" and res["area_score_after"] > res["area_score_before"]
    assert res["score_after"] >= res["score_before"]
    # the dossier log gives one online share: the conflicting II.6 target moves with it
    assert res["changed"] == ["T2.07", "T6.22"]
    assert res["targets_after"].set_index("target_id").at["T6.22", "actual"] == 50
    assert what_if(a, "T2.07", 50, linked=False)["changed"] == ["T2.07"]


def _with_entered(progress, target_id, period, value):
    ind = progress.indicators
    keep = ind[~((ind["target_id"] == target_id) & (ind["period"] == period))]
    row = pd.DataFrame({"source_row": [9999], "target_id": [target_id], "period": [period], "value": [float(value)]})
    return dataclasses.replace(progress, indicators=pd.concat([keep, row], ignore_index=True))


@pytest.mark.parametrize(
    "target_id, period, value",
    [
        ("T6.13", "2024-Q2", 70.0),  # level target pushed above its 50% target: met
        ("T6.13", "2024-Q2", 47.0),  # below target: judged on the pace line through the new point
        ("T6.13", "2024-Q2", 20.0),  # far below: at risk, area score falls
        ("T1.01", "2024-Q3", 99.0),
        ("T3.03", "2024-Q2", 60.0),  # annual survey target, not due without data
        ("T6.10", "2024-H1", 95.0),  # half-year: a row for the half itself
        ("T6.10", "2024", 70.0),  # the year: final, no projection
    ],
)
@pytest.mark.slow
def test_what_if_agrees_with_assess_on_modified_data(plan, sample_progress, target_id, period, value):
    a = assess(plan, sample_progress, period, "nd09")
    res = what_if(a, target_id, value)
    b = assess(plan, _with_entered(sample_progress, target_id, period, value), period, "nd09")
    rb = b.targets.set_index("target_id").loc[target_id]
    assert res["status_after"] == rb["status"]
    after = res["targets_after"].set_index("target_id")
    assert after["status"].tolist() == b.targets["status"].tolist()
    got, want = after.at[target_id, "projected"], rb["projected"]
    assert (pd.isna(got) and pd.isna(want)) or float(got) == pytest.approx(float(want), rel=1e-12)
    area = res["area_id"]
    assert res["area_score_after"] == pytest.approx(b.areas.set_index("area_id").at[area, "score"], abs=1e-9)
    assert res["unit_score_after"] == pytest.approx(b.units.set_index("unit_id").at[res["unit_id"], "score"], abs=1e-9)
    assert res["score_after"] == pytest.approx(b.overall["score"], abs=1e-9)
    assert (res["rating_after"], res["rating_level_after"]) == (b.overall["rating"], b.overall["rating_level"])
    assert res["overall_after"]["coverage"] == pytest.approx(b.overall["coverage"])


@pytest.mark.slow
def test_what_if_refuses_what_cannot_be_assumed(a):
    with pytest.raises(ValueError, match="định tính"):
        what_if(a, "T1.03", 50)
    with pytest.raises(ValueError, match="xếp loại"):
        what_if(a, "T7.03", 4)
    with pytest.raises(KeyError):
        what_if(a, "T9.99", 1)
    with pytest.raises(ValueError):
        what_if(a, "T2.07", float("nan"))


def test_what_if_choices_are_the_measurable_targets_except_the_rating(a):
    t = a.targets
    want = t.loc[t["measurable"] & t["kpi"].fillna("").ne("rating"), "target_id"].tolist()
    assert what_if_choices(t)["target_id"].tolist() == want
    assert "T7.03" not in want and "T1.03" not in want


@pytest.mark.slow
def test_what_if_says_when_a_value_gives_an_area_its_first_evidence(plan, tmp_path):
    from cchc_lib.explore.panes import _score
    from cchc_lib.progress.loader import load_progress

    empty = assess(plan, load_progress(tmp_path, plan), PERIOD, "nd09")  # nothing reported: II.3 has no evidence
    res = what_if(empty, "T3.01", 100)
    assert res["area_grading"]["II.3"] == ("insufficient_evidence", "scored")
    assert np.isnan(res["area_score_before"]) and res["area_score_after"] == pytest.approx(
        res["areas_after"].set_index("area_id").at["II.3", "score"]
    )
    before, after = res["areas"]["II.3"]
    assert _score(before, "insufficient_evidence", "vi") == "Chưa đủ căn cứ đánh giá"
    assert _score(after, "scored", "en") == f"{after:.1f}"
