"""The curated 2024 plan of xã Hải Dương loads with the expected content and types."""

import datetime as dt

import pandas as pd
import pandas.api.types as ptypes
import pytest

from cchc_lib import load_plan
from cchc_lib.plan.model import Plan


@pytest.mark.slow
def test_plan_loads_by_id_and_by_path(plan):
    by_id = load_plan("hai-duong-2024")
    assert isinstance(by_id, Plan)
    assert by_id.plan_id == plan.plan_id == "hai-duong-2024"
    assert by_id.meta["decision_number"] == "07/QĐ-UBND"
    assert by_id.meta["decision_date"] == dt.date(2024, 1, 10)
    assert by_id.meta["commune"] == "xã Hải Dương"
    assert by_id.meta["signer"] == "Lê Xuân Hương"
    assert by_id.year == 2024 and not by_id.is_sample


def test_plan_has_every_objective_area_target_and_task(plan):
    assert list(plan.areas["area_id"]) == [f"II.{i}" for i in range(1, 8)]
    assert len(plan.objectives) == 7
    assert len(plan.targets) >= 45
    section_ii = plan.tasks[plan.tasks["task_id"].str.startswith("NV")]
    annex = plan.tasks[plan.tasks["task_id"].str.startswith("PL")]
    assert len(section_ii) == 47
    assert section_ii.groupby("area_id").size().to_dict() == {
        "II.1": 6,
        "II.2": 9,
        "II.3": 4,
        "II.4": 8,
        "II.5": 2,
        "II.6": 13,
        "II.7": 5,
    }
    assert len(annex) == 21
    assert annex.groupby("area_id").size().to_dict() == {
        "II.1": 5,
        "II.2": 4,
        "II.3": 3,
        "II.4": 2,
        "II.5": 1,
        "II.6": 3,
        "II.7": 3,
    }


def test_columns_have_proper_dtypes(plan):
    t, k = plan.targets, plan.tasks
    assert ptypes.is_bool_dtype(t["measurable"])
    assert ptypes.is_float_dtype(t["target_value"])
    assert ptypes.is_datetime64_any_dtype(k["deadline"])
    assert ptypes.is_bool_dtype(k["recurring"])
    assert ptypes.is_float_dtype(k["budget"])
    assert ptypes.is_integer_dtype(plan.areas["order"])


def test_measurable_targets_carry_comparator_value_and_unit(plan):
    m = plan.targets[plan.targets["measurable"]]
    assert len(m) >= 40
    assert m[["comparator", "target_value", "unit"]].notna().all().all()
    assert set(m["unit"]) <= {"percent", "count", "per_month", "rating"}
    assert (m.loc[m["unit"] == "percent", "target_value"].between(0, 100)).all()


def _target(plan, kpi=None, contains=None):
    t = plan.targets
    if kpi is not None:
        t = t[t["kpi"] == kpi]
    if contains is not None:
        t = t[t["text"].str.contains(contains, regex=False)]
    return t


@pytest.mark.parametrize(
    "kpi, value",
    [
        ("satisfaction_rate", 90),
        ("land_satisfaction_rate", 85),
        ("dossier_digitization_rate", 80),
        ("result_digitization_rate", 75),
        ("feedback_resolved_rate", 95),
    ],
)
def test_spot_values_match_the_document(plan, kpi, value):
    rows = _target(plan, kpi=kpi)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["comparator"], row["target_value"], row["unit"]) == ("≥", value, "percent")


def test_hue_s_and_newsletter_targets(plan):
    hue_s = _target(plan, contains="cài đặt Hue-S")
    assert hue_s.iloc[0]["target_value"] == 80 and hue_s.iloc[0]["unit"] == "percent"
    news = _target(plan, contains="bản tin truyền thông về chuyển đổi số")
    assert (news.iloc[0]["comparator"], news.iloc[0]["target_value"], news.iloc[0]["unit"]) == ("≥", 1, "per_month")


def test_both_online_share_targets_are_kept(plan):
    online = _target(plan, kpi="online_rate").sort_values("target_value")
    assert list(online["target_value"]) == [30, 50]
    assert list(online["source_ref"].str[:6]) == ["II.6.a", "II.2.a"]


def test_objective_seven_is_a_rating_target(plan):
    o7 = plan.objectives.set_index("objective_id").loc["O7"]
    target = plan.targets.set_index("target_id").loc[o7["target_id"]]
    assert (target["unit"], target["comparator"], target["target_value"], target["kpi"]) == ("rating", "≥", 3, "rating")
    assert "khá" in o7["text"] and o7["text"].startswith("Phấn đấu")


def test_annex_satisfaction_target_is_present(plan):
    row = plan.targets[plan.targets["source_ref"] == "PL.III.3"]
    assert len(row) == 1 and row.iloc[0]["target_value"] == 90


def test_deadline_phrases_become_dates(plan):
    k = plan.tasks.set_index("task_id")
    assert k.loc["PL1.01", "deadline"] == pd.Timestamp("2024-01-05")
    assert k.loc["PL2.01", "deadline_text"] == "Quý I/2024"
    assert k.loc["PL2.01", "deadline"] == pd.Timestamp("2024-03-31")
    assert k.loc["PL2.02", "deadline"] == pd.Timestamp("2024-12-31")
    assert k.loc["PL6.02", "deadline_text"] == "Năm 2024" and k.loc["PL6.02", "deadline"] == pd.Timestamp("2024-12-31")
    assert pd.isna(k.loc["PL2.03", "deadline"]) and k.loc["PL2.03", "recurring"]
    section_ii = plan.tasks[plan.tasks["task_id"].str.startswith("NV")]
    assert section_ii["recurring"].all() and section_ii["deadline"].isna().all()
    annex = plan.tasks[plan.tasks["task_id"].str.startswith("PL")]
    assert annex["recurring"].sum() == 1


def test_unit_spellings_resolve_to_unit_ids(plan):
    k = plan.tasks.set_index("task_id")
    assert k.loc["PL2.01", "lead_unit"] == "CC.Văn phòng – Thống kê UBND xã"
    assert k.loc["PL2.01", "lead_unit_id"] == "vp-tk"
    assert k.loc["PL1.05", "support_unit_ids"] == ("vp-tk",)
    assert k.loc["PL7.03", "lead_unit_id"] == "vh-xh"
    assert k.loc["PL7.03", "support_unit_ids"] == ("tp-ht",)
    assert k.loc["PL4.01", "lead_unit_id"] == "phong-noi-vu"
    assert plan.tasks["lead_unit_id"].notna().all()
    units = plan.units.set_index("unit_id")
    assert units.loc["phong-noi-vu", "level"] == "city"
    assert "Công chức VP-TK xã" in units.loc["vp-tk", "aliases_list"]


def test_summary_counts_per_area(plan):
    s = plan.summary().set_index("area_id")
    assert s["targets"].sum() == len(plan.targets)
    assert s.loc["II.6", "tasks_section_ii"] == 13 and s.loc["II.6", "tasks_annex"] == 3
    assert s["measurable"].sum() == int(plan.targets["measurable"].sum())
