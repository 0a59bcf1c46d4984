"""Generated sentences carry the assessment's numbers, in Vietnamese formats."""

import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.i18n import fmt
from cchc_lib.progress.loader import load_progress
from cchc_lib.report import narrative

from .test_assessment import online_log, write


@pytest.fixture(scope="module")
def online_assessment(plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("online")
    # 423 of 1000 dossiers online → 42,3%: the example sentence of the issue.
    write(folder, "dossiers.csv", online_log(423, 1000))
    return assess(plan, load_progress(folder, plan), "2024-Q2")


@pytest.mark.slow
def test_target_sentence_states_value_target_and_gap(online_assessment):
    row = online_assessment.targets.set_index("target_id").loc["T2.07"].copy()
    row["target_id"] = "T2.07"
    s = narrative.target_sentence(row, "vi")
    assert s.startswith("Tỷ lệ hồ sơ giải quyết trực tuyến đạt 42,3%")
    assert "thấp hơn chỉ tiêu tối thiểu 50% (−7,7 điểm phần trăm)" in s
    assert "Có nguy cơ không đạt" in s and "T6.22" in s  # the conflicting target is named
    en = narrative.target_sentence(row, "en")
    assert "42.3%" in en and "below the target of at least 50% (−7.7 percentage points)" in en


@pytest.mark.slow
def test_met_sentence_and_no_data_sentence(online_assessment):
    t = online_assessment.targets.set_index("target_id")
    assert "Đạt" in narrative.target_sentence(t.loc["T6.22"], "vi")  # 42,3% ≥ 30%
    assert narrative.target_sentence(t.loc["T6.17"], "vi") == "Tỷ lệ người dân cài đặt Hue-S: chưa có số liệu trong kỳ."


@pytest.mark.slow
def test_summary_numbers_agree_with_the_assessment(plan, sample_progress):
    a = assess(plan, sample_progress, "2024-Q3")
    s = narrative.summary_paragraph(a, "vi")
    m = a.targets[a.targets["measurable"]]
    assert f"trong {len(m)} chỉ tiêu định lượng có {int((m['status'] == 'met').sum())} chỉ tiêu đạt" in s
    assert fmt.percent(a.tthc.overall.at["online_rate", "value"], 1) in s
    assert fmt.number(a.tthc.counts["dossiers_received"]) in s
    assert "ngày 14 tháng 9 năm 2024" in s
    assert "ước tính nội bộ" in s


@pytest.mark.slow
def test_risks_list_worst_targets_and_longest_overdue_tasks(plan, sample_progress):
    a = assess(plan, sample_progress, "2024-Q2")
    risks = narrative.top_risks(a, "vi")
    # the longest real delay first; a deadline before the plan itself is not a delay
    overdue = a.tasks[(a.tasks["status"] == "overdue") & ~a.tasks["deadline_before_plan"]]
    first_task = next(r for r in risks if "quá hạn" in r)
    assert first_task.startswith(overdue.sort_values("days_late", ascending=False).iloc[0]["task_id"])


@pytest.mark.slow
def test_notes_are_taken_for_the_period_and_its_quarters(plan, sample_progress):
    q2 = assess(plan, sample_progress, "2024-Q2")
    h1 = assess(plan, sample_progress, "2024-H1")
    notes = sample_progress.notes
    q2_props = list(notes.loc[notes["period"] == "2024-Q2", "proposals"].dropna())
    assert narrative.proposals(q2) == q2_props
    assert set(q2_props) <= set(narrative.proposals(h1))


@pytest.mark.slow
def test_next_period_lists_tasks_falling_due(plan, tmp_path):
    a = assess(plan, load_progress(tmp_path, plan), "2024-Q1")
    items = narrative.next_period(a, "vi")
    # Quý II (15/03–14/06) holds the deadline 31/03 of PL2.01, PL4.01, PL6.01, PL7.01, PL7.03.
    due = [i for i in items if i.startswith("PL") and "hạn 31/03/2024" in i]
    assert {i.split(" ")[0] for i in due} == {"PL2.01", "PL4.01", "PL6.01", "PL7.01", "PL7.03"}


@pytest.mark.slow
def test_text_summary_marks_sample_data(plan):
    import pathlib
    import tempfile

    from cchc_lib.progress.sample import write_sample

    with tempfile.TemporaryDirectory() as d:
        folder = write_sample(plan, pathlib.Path(d))
        a = assess(plan, load_progress(folder, plan), "2024-Q2")
        assert narrative.text_summary(a).startswith("DỮ LIỆU MẪU")
