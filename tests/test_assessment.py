"""Verdicts, scores and the rating estimate, against hand computation (docs/methodology.md)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cchc_lib.assessment.engine import area_history, assess, load_rules, rating_for
from cchc_lib.core.periods import PeriodError, quarters_until
from cchc_lib.progress.loader import load_progress

DOSSIER_HEADER = (
    "dossier_id,field,procedure,received_date,due_date,returned_date,channel,"
    "dossier_digitized,result_digitized,rating\n"
)


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def run(plan, folder: Path, period: str, cutoff: str = "nd09"):
    folder.mkdir(parents=True, exist_ok=True)
    return assess(plan, load_progress(folder, plan), period, cutoff)


def target(a, tid):
    return a.targets.set_index("target_id").loc[tid]


def task(a, tid):
    return a.tasks.set_index("task_id").loc[tid]


# --- rates: compared as they are, with a margin while time is left ------------------------


def online_log(n_online: int, n_total: int, day: str = "02/04/2024") -> str:
    rows = [
        f"HS{i},Hộ tịch,Khai sinh,{day},{day},{day},{'Trực tuyến' if i < n_online else 'Trực tiếp'},Có,Có,"
        for i in range(n_total)
    ]
    return DOSSIER_HEADER + "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    "n_online, period, t207, t622",
    [
        (46, "2024-Q2", "on_track", "met"),  # 46% vs 50%: −4 pp, within the 5 pp margin
        (44, "2024-Q2", "at_risk", "met"),  # −6 pp: outside the margin
        (50, "2024-Q2", "met", "met"),
        (28, "2024-Q2", "at_risk", "on_track"),  # 28% vs 30%: −2 pp
        (46, "2024", "missed", "met"),  # the year report: no time left
    ],
)
@pytest.mark.slow
def test_online_share_is_judged_against_both_conflicting_targets(plan, tmp_path, n_online, period, t207, t622):
    write(tmp_path, "dossiers.csv", online_log(n_online, 100))
    a = run(plan, tmp_path, period)
    assert target(a, "T2.07")["actual"] == pytest.approx(n_online)
    assert (target(a, "T2.07")["status"], target(a, "T6.22")["status"]) == (t207, t622)
    assert target(a, "T2.07")["conflict_with"] == "T6.22" and target(a, "T6.22")["conflict_with"] == "T2.07"
    assert target(a, "T2.07")["actual_source"] == "dossiers"
    assert target(a, "T2.07")["gap"] == pytest.approx(n_online - 50)


@pytest.mark.slow
def test_window_edge_of_nd09_quarters(plan, tmp_path):
    # Received 14/06 belongs to Q2 (15/03–14/06); 15/06 to Q3 under Decree 09.
    log = DOSSIER_HEADER + (
        "A,Hộ tịch,x,14/06/2024,14/06/2024,14/06/2024,Trực tuyến,Có,Có,\n"
        "B,Hộ tịch,x,15/06/2024,15/06/2024,15/06/2024,Trực tiếp,Có,Có,\n"
    )
    write(tmp_path, "dossiers.csv", log)
    q2 = run(plan, tmp_path, "2024-Q2")
    assert target(q2, "T2.07")["actual_period"] == 100  # only A in the window
    q3 = run(plan, tmp_path, "2024-Q3")
    assert target(q3, "T2.07")["actual_period"] == 0  # only B
    assert target(q3, "T2.07")["actual"] == 50  # year to date: A and B
    cal = run(plan, tmp_path, "2024-Q2", "calendar")  # 01/04–30/06: both
    assert target(cal, "T2.07")["actual_period"] == 50


# --- levels: pace projection, or pro-rated path with one value ----------------------------


@pytest.mark.slow
def test_level_projected_from_pace_is_at_risk(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q1,35\nT6.17,2024-Q2,44.4\n")
    a = run(plan, tmp_path, "2024-Q2")
    r = target(a, "T6.17")
    # 14/03 → 14/06 is 92 days, 14/06 → 14/12 is 183 days: 44,4 + 9,4 × 183/92 = 63,10
    assert r["projected"] == pytest.approx(44.4 + 9.4 * 183 / 92)
    assert r["status"] == "at_risk"  # 63,1 < 80 − 5% × 80 = 76
    assert r["trend"] == "up" and r["previous_actual"] == 35


@pytest.mark.slow
def test_level_with_one_value_follows_the_pro_rated_path(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,38\nT6.14,2024-Q2,30\n")
    a = run(plan, tmp_path, "2024-Q2")
    # 15/12/2023–14/06/2024 is 183 of the year's 366 days: expected = 80 × 0,5 = 40
    assert target(a, "T6.17")["expected"] == pytest.approx(40)
    assert target(a, "T6.17")["status"] == "on_track"  # 38 ≥ 40 − 4
    assert target(a, "T6.14")["status"] == "at_risk"  # 30 < 40 − 4
    assert pd.isna(target(a, "T6.17")["trend"])


@pytest.mark.slow
def test_numerator_and_denominator_give_the_value(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,numerator,denominator\nT6.04,2024-Q2,18,20\n")
    a = run(plan, tmp_path, "2024-Q2")
    assert target(a, "T6.04")["actual"] == 90


@pytest.mark.slow
def test_half_year_uses_the_latest_quarter_value(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q1,35\nT6.17,2024-Q2,44\n")
    a = run(plan, tmp_path, "2024-H1")
    assert target(a, "T6.17")["actual"] == 44 and target(a, "T6.17")["value_period"] == "2024-Q2"


@pytest.mark.slow
def test_missing_values_and_annual_targets(plan, tmp_path):
    a = run(plan, tmp_path, "2024-Q2")
    assert target(a, "T6.17")["status"] == "no_data"
    assert target(a, "T3.03")["status"] == "not_due"  # annual survey, before the year report
    assert target(a, "T1.03")["status"] == "not_measurable"
    year = run(plan, tmp_path, "2024")
    assert target(year, "T3.03")["status"] == "no_data"


@pytest.mark.slow
def test_value_typed_for_a_target_the_log_measures_is_reported_not_used(plan, tmp_path):
    write(tmp_path, "dossiers.csv", online_log(40, 100))
    write(tmp_path, "indicators.csv", "target_id,period,value\nT2.07,2024-Q2,70\n")
    a = run(plan, tmp_path, "2024-Q2")
    assert target(a, "T2.07")["actual"] == 40
    msgs = " ".join(a.warnings["text"])
    assert "T2.07" in msgs and "không dùng" in msgs and "indicators.csv, dòng 2" in msgs


# --- tasks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, period, cutoff, status, late",
    [
        ("PL2.01,2024-Q1,Hoàn thành,20/03/2024", "2024-Q2", "nd09", "done_on_time", 0),
        ("PL2.01,2024-Q2,Hoàn thành,20/04/2024", "2024-Q2", "nd09", "done_late", 20),
        ("PL2.01,2024-Q1,Đang thực hiện,", "2024-Q2", "nd09", "overdue", 75),  # 31/03 → 14/06
        ("PL2.01,2024-Q1,Đang thực hiện,", "2024-Q1", "nd09", "in_progress", None),  # due 31/03, window ends 14/03
        ("PL2.01,2024-Q1,Chưa thực hiện,", "2024-Q1", "nd09", "not_due", None),
        ("PL2.01,2024-Q2,Hoàn thành,20/06/2024", "2024-Q2", "nd09", "overdue", 75),  # done after the nd09 cut-off
        ("PL2.01,2024-Q2,Hoàn thành,20/06/2024", "2024-Q2", "calendar", "done_late", 81),
        ("PL2.01,2024-Q1,Không thực hiện,", "2024-Q2", "nd09", "cancelled", None),
    ],
)
@pytest.mark.slow
def test_task_status_at_the_window_end(plan, tmp_path, rows, period, cutoff, status, late):
    write(tmp_path, "tasks.csv", "task_id,period,status,completed_on\n" + rows + "\n")
    r = task(run(plan, tmp_path, period, cutoff), "PL2.01")
    assert r["status"] == status
    assert (pd.isna(r["days_late"]) and late is None) or r["days_late"] == late


@pytest.mark.slow
def test_unreported_task_past_its_deadline_is_overdue(plan, tmp_path):
    a = run(plan, tmp_path, "2024-Q2")
    assert task(a, "PL2.01")["status"] == "overdue"
    assert task(a, "PL1.03")["status"] == "not_due"  # due 31/12


@pytest.mark.slow
def test_standing_duties_must_be_reported_every_quarter(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2024-Q1,Đang thực hiện\n")
    assert task(run(plan, tmp_path, "2024-Q1"), "NV2.04")["status"] == "recurring_reported"
    assert task(run(plan, tmp_path, "2024-Q2"), "NV2.04")["status"] == "recurring_missing"
    h1 = task(run(plan, tmp_path, "2024-H1"), "NV2.04")
    assert (h1["status"], h1["reports"]) == ("recurring_missing", "1/2")


# --- scores and rating ---------------------------------------------------------------------


@pytest.mark.slow
def test_area_on_standing_duties_alone_has_not_enough_evidence(plan, tmp_path):
    # II.5: targets not quantified; NV5.01 reported, NV5.02 missing, PL5.01 due 31/12 (not due):
    # nothing but standing duties — no score, flagged, and left out of the composite.
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV5.01,2024-Q2,Đang thực hiện\n")
    a = run(plan, tmp_path, "2024-Q2")
    area = a.areas.set_index("area_id").loc["II.5"]
    assert area["grading"] == "insufficient_evidence"
    assert math.isnan(area["score"]) and math.isnan(area["task_score"])
    assert (area["evidence_targets"], area["evidence_tasks"], area["k_recurring_missing"]) == (0, 0, 1)
    scored = a.areas[a.areas["grading"] == "scored"]
    assert scored["score"].notna().all() and a.areas.loc[a.areas["grading"] != "scored", "score"].isna().all()
    assert a.overall["score"] == pytest.approx(scored["score"].mean())


@pytest.mark.slow
def test_area_score_by_hand_when_standing_duties_count(plan, tmp_path):
    # The same II.5 with the rule relaxed: NV5.01 reported (100), NV5.02 missing (30), weights
    # 1 and 1 → (100 + 30) / 2 = 65.
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV5.01,2024-Q2,Đang thực hiện\n")
    rules = load_rules(plan)
    rules["grading"]["standing_duties_count"] = True
    a = assess(plan, load_progress(tmp_path, plan), "2024-Q2", rules=rules)
    area = a.areas.set_index("area_id").loc["II.5"]
    assert area["grading"] == "scored" and area["score"] == pytest.approx(65)
    assert math.isnan(area["target_score"]) and area["k_recurring_missing"] == 1


@pytest.mark.slow
def test_deadline_tasks_weigh_twice_standing_duties(plan, tmp_path):
    # II.5 again, PL5.01 done on time: (2 × 100 + 1 × 100 + 1 × 30) / 4 = 82,5
    write(
        tmp_path,
        "tasks.csv",
        "task_id,period,status,completed_on\nNV5.01,2024-Q2,Đang thực hiện,\nPL5.01,2024-Q2,Hoàn thành,10/06/2024\n",
    )
    area = run(plan, tmp_path, "2024-Q2").areas.set_index("area_id").loc["II.5"]
    assert area["score"] == pytest.approx(82.5)


@pytest.mark.parametrize(
    "score, code",
    [
        (100, "tot"),
        (85, "tot"),
        (84.99, "kha"),
        (70, "kha"),
        (69.9, "trung_binh"),
        (50, "trung_binh"),
        (49.9, "yeu"),
        (0, "yeu"),
    ],
)
def test_rating_bands(score, code):
    assert rating_for(score, load_rules())[0] == code


@pytest.mark.slow
def test_rating_target_shows_the_estimate_but_never_counts_it_as_met(plan, sample_progress):
    a = assess(plan, sample_progress, "2024-Q2")
    t = target(a, "T7.03")
    assert t["actual"] == a.overall["rating_level"] and t["actual_source"] == "estimate"
    assert a.overall["is_estimate"] is True
    assert t["status"] == ("on_track" if a.overall["rating_level"] >= 3 else "at_risk")


@pytest.mark.slow
def test_thin_data_flags_the_rating_as_unreliable(plan, tmp_path):
    a = run(plan, tmp_path, "2024-Q2")
    assert a.overall["reliable"] is False
    assert "không đáng tin cậy" in " ".join(a.warnings["text"])


@pytest.mark.slow
def test_plan_rules_override(plan_copy, tmp_path):
    from cchc_lib import load_plan

    (plan_copy / "rules.toml").write_text("[targets]\nrate_margin_pp = 10.0\n", encoding="utf-8")
    p = load_plan(plan_copy)
    write(tmp_path, "dossiers.csv", online_log(42, 100))
    assert target(run(p, tmp_path, "2024-Q2"), "T2.07")["status"] == "on_track"  # −8 pp within 10


# --- the sample year -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("cutoff", ["nd09", "calendar"])
@pytest.mark.parametrize("period", ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-H1", "2024-H2", "2024"])
def test_sample_year_assesses_for_every_period(plan, sample_progress, period, cutoff):
    a = assess(plan, sample_progress, period, cutoff)
    assert len(a.targets) == len(plan.targets) and len(a.tasks) == len(plan.tasks)
    assert a.targets["status"].notna().all() and a.tasks["status"].notna().all()
    assert 0 <= a.overall["score"] <= 100 and a.overall["rating"] in {"tot", "kha", "trung_binh", "yeu"}
    assert a.tthc is not None and not a.tthc.overall.empty
    assert set(a.areas["area_id"]) == set(plan.areas["area_id"])
    assert (a.inputs["rows_read"] >= a.inputs["rows_used"]).all()


@pytest.mark.slow
def test_same_inputs_same_assessment(plan, sample_progress):
    a, b = assess(plan, sample_progress, "2024-Q3"), assess(plan, sample_progress, "2024-Q3")
    pd.testing.assert_frame_equal(a.targets, b.targets)
    pd.testing.assert_frame_equal(a.tasks, b.tasks)
    pd.testing.assert_frame_equal(a.areas, b.areas)
    assert a.overall == b.overall


# --- comparators, ratings and the plan's own rules ---------------------------------------------

RULES = load_rules()


def judge(actual, target_value, comparator, basis="level", final=False, unit="percent", expected=None):
    from cchc_lib.assessment.engine import _judge

    expected = target_value if expected is None else expected
    return _judge(actual, target_value, comparator, basis, expected, math.nan, final, RULES, unit)


def test_an_equal_target_exceeded_is_missed_at_once():
    assert judge(2, 0, "=", unit="count") == "missed"  # 2 disciplined officials against "= 0"
    assert judge(0, 0, "=", unit="count") == "met"
    assert judge(48, 50, "=", basis="rate") == "on_track"  # below: on the way up, as "≥"
    assert judge(55, 50, "=", basis="rate") == "at_risk"  # a rate beyond may come back…
    assert judge(55, 50, "=", basis="rate", final=True) == "missed"  # …until the year ends


def test_a_ceiling_is_met_below_it():
    assert judge(1.5, 2, "≤", basis="rate") == "met"
    assert judge(4, 2, "≤", basis="rate") == "on_track"  # 2 points above, within the 5-point margin
    assert judge(8, 2, "≤", basis="rate") == "at_risk"
    assert judge(4, 2, "≤", basis="rate", final=True) == "missed"


def test_ratings_are_judged_on_their_own_scale():
    assert judge(3, 4, "≥", basis="rating", unit="rating") == "at_risk"  # one level short is not "5 points"
    assert judge(4, 4, "≥", basis="rating", unit="rating") == "met"
    assert judge(3, 4, "≥", basis="rating", unit="rating", final=True) == "missed"


def test_per_month_rates_use_a_share_of_the_target_not_points():
    assert judge(0.67, 1, "≥", basis="rate", unit="per_month") == "at_risk"  # 5 "points" would pass it
    assert judge(0.97, 1, "≥", basis="rate", unit="per_month") == "on_track"


def test_library_rules_name_no_target_or_area():
    assert RULES["targets"]["rate_targets"] == [] and RULES["targets"]["annual_targets"] == []
    assert RULES["scores"]["area_weights"] == {}
    assert "rating" not in RULES["targets"]["rate_units"]


def test_surveys_and_annual_targets_come_from_the_plans_rules(plan):
    rules = load_rules(plan)
    assert "T3.03" in rules["targets"]["annual_targets"] and "T6.23" in rules["targets"]["rate_targets"]


@pytest.mark.slow
def test_rating_objective_is_the_plans_own_level(plan_copy, sample_progress):
    from cchc_lib import load_plan
    from cchc_lib.report.narrative import rating_sentence

    from .conftest import edit_cell, read_rows

    _, rows = read_rows(plan_copy / "targets.csv")
    i = next(i for i, r in enumerate(rows) if r["unit"] == "rating")
    edit_cell(plan_copy / "targets.csv", i, "target_value", "4")  # "đạt mức tốt"
    p = load_plan(plan_copy)
    a = assess(p, load_progress(sample_progress.path, p), "2024-Q2")
    assert a.overall["target_level"] == 4
    sentence = rating_sentence(a, "vi")
    assert 'mục tiêu "tốt trở lên"' in sentence and "khá trở lên" not in sentence
    if a.overall["rating_level"] < 4:
        assert "chưa đáp ứng" in sentence and target(a, rows[i]["target_id"])["status"] != "met"


@pytest.mark.slow
def test_area_weights_from_the_plan_move_the_composite(plan_copy, sample_progress):
    from cchc_lib import load_plan

    p = load_plan(plan_copy)
    a = assess(p, load_progress(sample_progress.path, p), "2024-Q2")
    worst = a.areas.sort_values("score").iloc[0]["area_id"]
    (plan_copy / "rules.toml").write_text(f'[scores.area_weights]\n"{worst}" = 5\n', encoding="utf-8")
    p2 = load_plan(plan_copy)
    b = assess(p2, load_progress(sample_progress.path, p2), "2024-Q2")
    assert b.overall["score"] < a.overall["score"]


@pytest.mark.slow
def test_area_history_gives_each_quarter_the_scores_of_its_own_assessment(plan, sample_progress):
    """The heat map's history skips the one-stop tables of the earlier quarters, never their
    area scores: each quarter's rows are those of a full assessment of that quarter."""
    period = f"{plan.year}-Q3"
    by_hand = pd.concat(
        [
            assess(plan, sample_progress, q, "calendar").areas[["area_id", "name", "score"]].assign(period=q.code)
            for q in quarters_until(period)
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(area_history(plan, sample_progress, period, "calendar"), by_hand)
    known = assess(plan, sample_progress, period, "calendar")
    pd.testing.assert_frame_equal(area_history(plan, sample_progress, period, "calendar", known=known), by_hand)
    with pytest.raises(PeriodError):
        area_history(plan, sample_progress, f"{plan.year + 1}-Q2")
