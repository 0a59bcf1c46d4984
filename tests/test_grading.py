"""Who is scored at all (assessment/scores.py), and how every table, sentence and chart says so.

An area or unit with no measured target and no dated task due by the cut-off is "chưa đủ căn
cứ đánh giá"; a unit outside the commune is not graded; a deadline before the plan is a date
to confirm, not a delay; the tool's own rating estimate never meets its own target.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from cchc_lib import load_plan
from cchc_lib.assessment.engine import assess, load_rules
from cchc_lib.core.errors import DataError
from cchc_lib.progress.loader import load_progress
from cchc_lib.report import charts, narrative, tables

from .test_assessment import write

REPO = Path(__file__).resolve().parents[1]
INSUFFICIENT = {"vi": "Chưa đủ căn cứ đánh giá", "en": "Not enough evidence to assess"}
NOT_GRADED = {
    "vi": "Không chấm điểm: đơn vị cấp trên, xã không chấm điểm",
    "en": "Not graded: a higher-level unit, which the commune does not grade",
}


def _empty(plan, folder: Path, period: str, rules=None):
    folder.mkdir(parents=True, exist_ok=True)
    return assess(plan, load_progress(folder, plan), period, rules=rules)


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """The second plan (other numbering, area weights, a district unit), nothing reported in Q1."""
    plan = load_plan(REPO / "data" / "plans" / "minh-phong-2025")
    return _empty(plan, tmp_path_factory.mktemp("empty-other"), "2025-Q1")


@pytest.fixture(scope="module")
def shipped(plan, tmp_path_factory):
    return _empty(plan, tmp_path_factory.mktemp("empty-shipped"), "2024-Q2")


def _without_evidence(a, key: str) -> set[str]:
    """Computed here from the verdicts, independently of the engine's own count."""
    measured = a.targets[a.targets["measurable"] & a.targets["actual"].notna() & (a.targets["kpi"] != "rating")]
    due = a.tasks[~a.tasks["recurring"] & (a.tasks["deadline"] <= np.datetime64(a.window.end))]
    due = due[due["status"] != "cancelled"]
    ids = set(a.areas["area_id"]) if key == "area_id" else set(a.units["unit_id"])
    return (
        ids
        - set(measured[key if key == "area_id" else "lead_unit_id"])
        - set(due[key if key == "area_id" else "lead_unit_id"])
    )


@pytest.mark.slow
def test_second_plan_areas_without_evidence_get_no_score(other):
    areas = other.areas.set_index("area_id")
    flagged = set(areas.index[areas["grading"] == "insufficient_evidence"])
    assert flagged == {"III.2", "III.6"} == _without_evidence(other, "area_id")
    assert areas.loc[list(flagged), ["score", "target_score", "task_score"]].isna().all().all()
    # standing duties were due and missing, yet they alone do not make a score
    assert (areas.loc[list(flagged), "k_recurring_missing"] > 0).all()
    scored = areas[areas["grading"] == "scored"]
    assert scored["score"].notna().all() and len(scored) == 4
    # the composite is the weighted mean of the scored areas only (III.2 weighs 2 but has no score)
    weights = scored.index.map(lambda x: float(other.rules["scores"]["area_weights"].get(x, 1)))
    assert other.overall["score"] == pytest.approx(np.average(scored["score"], weights=weights))


def test_second_plan_units_without_evidence_and_outside_the_commune(other):
    units = other.units.set_index("unit_id")
    assert units.at["noi-vu-huyen", "grading"] == "not_graded" and math.isnan(units.at["noi-vu-huyen", "score"])
    flagged = set(units.index[units["grading"] == "insufficient_evidence"])
    assert flagged == {"dia-chinh", "mot-cua", "cong-an"} == _without_evidence(other, "unit_id") - {"noi-vu-huyen"}
    for lang in ("vi", "en"):
        table = tables.unit_table(other, lang).set_index(tables.H[lang]["unit"])
        row = table.loc[other.plan.unit_name("noi-vu-huyen", lang)]
        assert row[tables.H[lang]["score"]] == NOT_GRADED[lang] and row[tables.H[lang]["rating"]] == "—"
        assert (table[tables.H[lang]["score"]] == INSUFFICIENT[lang]).sum() == 3
    # its tasks are still listed, with their status
    listed = tables.task_table(other, "vi")
    own = other.tasks.loc[other.tasks["lead_unit_id"] == "noi-vu-huyen", "task_id"]
    assert len(own) and set(own) <= set(listed[tables.H["vi"]["task_id"]])


def test_unit_chart_says_not_graded_and_not_enough_evidence(other):
    chart = charts.unit_scorecard(other, "vi")
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    assert sum(t.startswith("không chấm điểm (đơn vị cấp trên)") for t in texts) == 1
    assert sum(t.startswith("chưa đủ căn cứ đánh giá") for t in texts) == 3


@pytest.mark.slow
def test_tables_and_sentences_leave_areas_without_evidence_out(shipped):
    a = shipped
    flagged = set(a.areas.loc[a.areas["grading"] == "insufficient_evidence", "area_id"])
    assert flagged == {"II.3", "II.5"} == _without_evidence(a, "area_id")
    for lang in ("vi", "en"):
        h = tables.H[lang]
        table = tables.area_table(a, lang).set_index(h["area_id"])
        assert set(table.index[table[h["score"]] == INSUFFICIENT[lang]]) == flagged
        assert INSUFFICIENT[lang] in narrative.text_summary(a, lang)
    scored = a.areas[a.areas["grading"] == "scored"]
    best = scored.sort_values(["score", "area_id"], ascending=[False, True]).iloc[0]["area_id"]
    worst = scored.sort_values(["score", "area_id"]).iloc[0]["area_id"]
    high = next(s for s in narrative.strengths(a, "vi") if s.startswith("Lĩnh vực có điểm cao nhất"))
    low = next(s for s in narrative.shortcomings(a, "vi") if s.startswith("Lĩnh vực có điểm thấp nhất"))
    assert f": {best} " in high and f": {worst} " in low
    said = next(s for s in narrative.shortcomings(a, "vi") if "chưa đủ căn cứ đánh giá" in s)
    assert said.startswith("2 lĩnh vực") and "II.3 " in said and "II.5 " in said
    assert narrative.area_paragraph(a, "II.5", "vi").endswith("không tính vào điểm tổng hợp.")
    assert "Điểm lĩnh vực ước tính" not in narrative.area_paragraph(a, "II.5", "vi")


def test_heatmap_names_only_scored_areas_highest_and_lowest(shipped):
    a = shipped
    history = a.areas[["area_id", "name", "score"]].assign(period=a.period.code)
    caption = charts.area_heatmap(history, "vi", plan=a.plan).caption
    scored = a.areas.dropna(subset=["score"]).set_index("area_id")["score"]
    assert f"cao nhất {scored.idxmax()} " in caption and f"thấp nhất {scored.idxmin()} " in caption
    assert "—: chưa đủ căn cứ đánh giá" in caption


@pytest.mark.slow
def test_evidence_rule_comes_from_the_rules(plan, tmp_path):
    rules = load_rules(plan)
    rules["grading"]["min_evidence"] = 3  # II.4 has one dated task due and nothing measured
    a = _empty(plan, tmp_path / "empty", "2024-Q2", rules)
    ii4 = a.areas.set_index("area_id").loc["II.4"]
    assert ii4["evidence_targets"] + ii4["evidence_tasks"] < 3 and ii4["grading"] == "insufficient_evidence"
    rules["grading"]["unit_levels"] = ["commune", "city"]
    a = _empty(plan, tmp_path / "empty", "2024-Q2", rules)
    assert (a.units["grading"] != "not_graded").all()


@pytest.mark.slow
def test_plans_rules_file_may_change_the_evidence_rule(plan_copy, tmp_path):
    with (plan_copy / "rules.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[grading]\nstanding_duties_count = true\n")
    plan = load_plan(plan_copy)
    assert load_rules(plan)["grading"]["standing_duties_count"] is True
    a = _empty(plan, tmp_path / "empty", "2024-Q2")
    assert (a.areas["grading"] == "scored").all()  # every area has standing duties due
    (plan_copy / "rules.toml").write_text('[grading]\nmin_evidence = "một"\n', encoding="utf-8")
    with pytest.raises(DataError, match="grading.min_evidence"):
        load_rules(load_plan(plan_copy))


# --- the pace rule beside each status ---------------------------------------------------------


@pytest.mark.slow
def test_expected_by_now_is_shown_beside_the_status(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,38\n")
    a = _empty(plan, tmp_path, "2024-Q2")
    t = a.targets.set_index("target_id")
    # 15/12/2023–14/06/2024 is 183 of the year's 366 days: a level expects 80% × 0,5 = 40%
    assert t.at["T6.17", "expected_now"] == pytest.approx(40)
    assert t.at["T2.07", "expected_now"] == t.at["T2.07", "target_value"]  # a rate: the target itself
    assert math.isnan(t.at["T1.03", "expected_now"])  # not quantified
    for lang, header, status in (("vi", "Cần đạt đến nay", "Đúng tiến độ"), ("en", "Expected by now", "On track")):
        for compact in (True, False):
            table = tables.target_table(a, lang, compact=compact).set_index(tables.H[lang]["target_id"])
            assert table.at["T6.17", header] == "40%" and table.at["T6.17", tables.H[lang]["status"]] == status
            assert table.at["T1.03", header] == "—"
            cols = list(table.columns)
            assert cols.index(header) < cols.index(tables.H[lang]["status"])


# --- plan-review findings where they matter ----------------------------------------------------


def test_deadline_before_the_plan_is_a_date_to_confirm_not_a_delay(shipped):
    a = shipped
    lint = a.plan.lint()
    before = {r[0] for r in lint.loc[lint["code"] == "deadline_before_decision", "refs"]}
    assert set(a.tasks.loc[a.tasks["deadline_before_plan"], "task_id"]) == before == {"PL1.01", "PL1.04"}
    assert (a.tasks.set_index("task_id").loc[sorted(before), "status"] == "overdue").all()
    risks, nxt = narrative.top_risks(a, "vi", n=10), narrative.next_period(a, "vi")
    assert not any(r.startswith(("PL1.01 quá hạn", "PL1.04 quá hạn")) for r in risks)
    odd = [r for r in risks if r.startswith(("PL1.01", "PL1.04"))]
    assert odd[0].startswith(
        "PL1.01: thời hạn 05/01/2024 trước ngày ban hành kế hoạch (10/01/2024); cần thống nhất lại"
    )
    assert odd[1].startswith(
        "PL1.04: thời hạn 10/01/2024 trùng ngày ban hành kế hoạch (10/01/2024); cần thống nhất lại"
    )
    assert not any(("Hoàn thành ngay PL1.01" in s or "Hoàn thành ngay PL1.04" in s) for s in nxt)
    assert sum(s.startswith("Thống nhất lại với") for s in nxt) == 2
    # real delays come first; a row worded for the whole city says so
    tasks = [r for r in risks if r.startswith("PL")]
    assert tasks[-2:] == odd
    city = set(a.tasks.loc[a.tasks["city_scope"], "task_id"])
    assert city == {r[0] for r in lint.loc[lint["code"] == "city_scope", "refs"]}
    assert all(r.endswith("cần điều chỉnh cho phạm vi xã)") == (r.split(" ")[0].rstrip(":") in city) for r in tasks)
    en = narrative.top_risks(a, "en", n=10)
    assert any(r.startswith("PL1.01: deadline 05/01/2024 falls before the day the plan was issued") for r in en)


# --- the index estimate never meets its own target ---------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2024-Q2", "2024"])
def test_rating_estimate_never_meets_its_own_target(plan, tmp_path, period):
    rules = load_rules(plan)
    rules["rating"]["bands"] = [{"code": "tot", "min": 0, "level": 4}]  # any score is "Tốt" (4 ≥ 3)
    a = _empty(plan, tmp_path, period, rules)
    rating = a.targets[a.targets["kpi"] == "rating"]
    assert len(rating) and (rating["actual_source"] == "estimate").all() and (rating["actual"] == 4).all()
    assert (rating["status"] == "on_track").all()  # above the objective, yet not "met"
