"""Plan.lint() finds the flaws of the signed document."""

import pytest

from cchc_lib import load_plan

from .conftest import edit_cell


def _codes(findings):
    return findings.groupby("code")["refs"].apply(lambda s: set().union(*map(set, s))).to_dict()


def test_lint_finds_the_conflicting_online_targets(plan):
    f = plan.lint()
    row = f[f["code"] == "conflicting_targets"]
    assert len(row) == 1
    msg = row.iloc[0]["message"]
    assert "50%" in msg and "30%" in msg and "II.2.a-5" in msg and row.iloc[0]["severity"] == "warning"


def test_lint_finds_annex_deadlines_on_or_before_the_decision(plan):
    refs = _codes(plan.lint())["deadline_before_decision"]
    assert {"PL1.01", "PL1.04"} <= refs
    f = plan.lint()
    msgs = " ".join(f.loc[f["code"] == "deadline_before_decision", "message"])
    assert "Trước ngày 05/01/2024" in msgs and "10/01/2024" in msgs


def test_lint_finds_the_annex_group_labelled_I_that_is_II(plan):
    f = plan.lint()
    row = f[f["code"] == "annex_group_label"]
    assert len(row) == 1
    assert "'I. Cải cách TTHC'" in row.iloc[0]["message"] and "nhóm II" in row.iloc[0]["message"]


def test_lint_finds_the_gap_in_section_iv(plan):
    f = plan.lint()
    row = f[f["code"] == "section_numbering_gap"]
    assert len(row) == 1 and "IV.4" in row.iloc[0]["message"]


def test_lint_finds_task_led_by_a_body_above_the_commune(plan):
    refs = _codes(plan.lint())["lead_not_commune"]
    assert "PL4.01" in refs and "phong-noi-vu" in refs


def test_lint_lists_documented_typo_fixes(plan):
    f = plan.lint()
    msgs = " ".join(f.loc[f["code"] == "typo_corrected", "message"])
    assert "'Phân đầu' → 'Phấn đấu'" in msgs


@pytest.mark.slow
def test_lint_is_data_driven_not_hard_coded(plan_copy):
    # Moving a deadline after the decision removes that finding; nothing is fixed in code.
    plan = load_plan(plan_copy)
    i = int(plan.tasks.index[plan.tasks["task_id"] == "PL1.01"][0])
    edit_cell(plan_copy / "tasks.csv", i, "deadline_text", "Quý I/2024")
    refs = _codes(load_plan(plan_copy).lint()).get("deadline_before_decision", set())
    assert "PL1.01" not in refs and "PL1.04" in refs


def test_findings_have_the_documented_columns(plan):
    f = plan.lint()
    assert list(f.columns) == ["code", "severity", "message", "refs"]
    assert set(f["severity"]) <= {"warning", "info"}
    assert f["refs"].map(lambda r: isinstance(r, tuple) and len(r) > 0).all()
