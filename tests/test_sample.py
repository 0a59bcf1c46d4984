"""Synthetic sample year: deterministic, loadable, and shaped like a real commune's year."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from cchc_lib.assessment.engine import load_rules
from cchc_lib.core.periods import window
from cchc_lib.progress import sample
from cchc_lib.progress.loader import SPECS, load_progress
from cchc_lib.progress.sample import SAMPLE_FILES, default_sample_dir, ensure_sample, write_sample

QUARTERS = [f"2024-Q{q}" for q in range(1, 5)]


@pytest.fixture(scope="module")
def sample_dir(plan, tmp_path_factory) -> Path:
    return write_sample(plan, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def progress(plan, sample_dir):
    return load_progress(sample_dir, plan)


def _share(mask: pd.Series) -> float:
    return float(mask.sum()) / len(mask) * 100 if len(mask) else float("nan")


# --- files and determinism -----------------------------------------------------------------


def test_writes_every_file_with_bom_and_canonical_headers(sample_dir: Path):
    assert sorted(p.name for p in sample_dir.iterdir()) == sorted(SAMPLE_FILES)
    for kind, spec in SPECS.items():
        data = (sample_dir / f"{kind}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), kind
        header = data[3:].split(b"\r\n", 1)[0].decode("utf-8").split(",")
        assert header == [f.name for f in spec.fields], kind


def test_same_seed_gives_identical_bytes(plan, tmp_path: Path):
    a, b = write_sample(plan, tmp_path / "a"), write_sample(plan, tmp_path / "b")
    for name in SAMPLE_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_other_seed_gives_other_dossiers(plan, tmp_path: Path):
    a, b = write_sample(plan, tmp_path / "a", seed=2024), write_sample(plan, tmp_path / "b", seed=7)
    assert (a / "dossiers.csv").read_bytes() != (b / "dossiers.csv").read_bytes()
    assert tomllib.loads((b / "meta.toml").read_text(encoding="utf-8-sig"))["seed"] == 7


def test_overwrites_own_files_only(plan, tmp_path: Path):
    (tmp_path / "tasks.csv").write_text("old", encoding="utf-8")
    (tmp_path / "ghi-chu-rieng.txt").write_text("của tôi", encoding="utf-8")
    write_sample(plan, tmp_path)
    assert (tmp_path / "tasks.csv").read_text(encoding="utf-8-sig").startswith("task_id,period")
    assert (tmp_path / "ghi-chu-rieng.txt").read_text(encoding="utf-8") == "của tôi"


def test_rejects_bad_seed(plan, tmp_path: Path):
    with pytest.raises(ValueError):
        write_sample(plan, tmp_path, seed=-1)


def test_meta_marks_sample(sample_dir: Path, plan):
    meta = tomllib.loads((sample_dir / "meta.toml").read_text(encoding="utf-8-sig"))
    assert meta["sample"] is True
    assert meta["description"].startswith("DỮ LIỆU MẪU")
    assert meta["plan_id"] == plan.plan_id
    assert meta["seed"] == plan.year  # the default seed is the plan's year
    assert meta["generator"] == "cchc sample-data"


# --- loads cleanly ---------------------------------------------------------------------------


@pytest.mark.slow
def test_loads_without_errors(progress):
    assert progress.is_sample
    assert not [w for w in progress.warnings if w.severity == "error"]
    assert progress.warnings == []  # nothing for the analyst to look at either
    for kind in SPECS:
        assert len(progress.table(kind)) > 0, kind


def test_dates_written_day_first(sample_dir: Path):
    line = (sample_dir / "dossiers.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",15/12/2023," in line


# --- dossiers ---------------------------------------------------------------------------------


def test_dossier_volume_and_span(progress):
    d = progress.dossiers
    assert 3000 <= len(d) <= 4000
    assert d["dossier_id"].is_unique
    assert d["received_date"].min() == pd.Timestamp("2023-12-15")
    assert d["received_date"].max() <= pd.Timestamp("2024-12-31")
    weekday = d["received_date"].dt.day_of_week
    assert (weekday == 6).sum() == 0  # no Sunday
    assert 0 < (weekday == 5).sum() < 0.05 * len(d)  # a few Saturday mornings


def test_field_mix(progress):
    shares = progress.dossiers["field"].value_counts(normalize=True) * 100
    assert 40 <= shares["Chứng thực"] <= 50
    assert 25 <= shares["Hộ tịch"] <= 35
    assert 4 <= shares["Đất đai"] <= 10
    assert 0 < shares["Nuôi con nuôi"] < 1


def test_online_share_rises_through_the_year(progress):
    d = progress.dossiers
    shares = [_share(d.loc[window(q).mask(d["received_date"]), "channel"] == "online") for q in QUARTERS]
    assert all(a < b for a, b in zip(shares, shares[1:])), shares
    assert 18 <= shares[0] <= 32 and 42 <= shares[-1] <= 58, shares
    assert (d["channel"] == "postal").sum() > 0
    q4 = d[window("2024-Q4").mask(d["received_date"])]
    by_field = q4.groupby("field")["channel"].apply(lambda s: _share(s == "online"))
    assert by_field["Hộ tịch"] > by_field["Chứng thực"]


def test_satisfaction_land_misses_its_target(progress):
    d = progress.dossiers
    rated = d["rating"].dropna()
    assert 30 <= len(rated) / len(d) * 100 <= 50
    overall = _share(rated == "satisfied")
    land = _share(d.loc[d["field"] == "Đất đai", "rating"].dropna() == "satisfied")
    assert 85 <= overall <= 95
    assert land < 85


def test_dossier_timeliness(progress):
    d = progress.dossiers
    done = d[d["returned_date"].notna()]
    late = done["returned_date"] > done["due_date"]
    assert 0 < late.mean() < 0.06
    land = done["field"] == "Đất đai"
    assert late[land].mean() > late[~land].mean()
    pending = d[d["returned_date"].isna()]
    assert len(pending) > 0
    assert (pending["due_date"] < pd.Timestamp("2024-12-31")).sum() > 0  # a few stuck past due
    assert not d.loc[d["returned_date"].isna(), "result_digitized"].any()  # written empty: no result yet
    same_day = d["procedure"].str.startswith("Chứng thực bản sao")
    assert (d.loc[same_day, "due_date"] == d.loc[same_day, "received_date"]).all()


# --- tasks -------------------------------------------------------------------------------------


def test_tasks_tell_a_year(plan, progress):
    t = progress.tasks
    deadline = t["task_id"].map(plan.tasks.set_index("task_id")["deadline"])
    done = t[(t["status"] == "done") & t["completed_on"].notna()]
    assert (done["completed_on"] > deadline[done.index]).any()  # done late
    assert (done["completed_on"] <= deadline[done.index]).sum() > 0  # done on time
    q4 = t[t["period"] == "2024-Q4"]
    overdue_q4 = (q4["status"] != "done") & (deadline[q4.index] < pd.Timestamp(window("2024-Q4").end))
    assert overdue_q4.sum() >= 1
    q3 = t[t["period"] == "2024-Q3"]
    overdue_q3 = (q3["status"] != "done") & (deadline[q3.index] < pd.Timestamp(window("2024-Q3").end))
    assert 2 <= overdue_q3.sum() <= 4
    not_started_late = (t["status"] == "not_started") & (
        deadline < t["period"].map(lambda p: pd.Timestamp(window(p).end))
    )
    assert not_started_late.sum() >= 1


def test_each_done_task_keeps_one_completion_date(progress):
    done = progress.tasks[progress.tasks["completed_on"].notna()]
    assert (done.groupby("task_id")["completed_on"].nunique() == 1).all()


def test_city_led_task_has_missing_quarters(progress):
    periods = set(progress.tasks.loc[progress.tasks["task_id"] == "PL4.01", "period"])
    assert periods and periods < set(QUARTERS)


def test_some_recurring_tasks_missing_in_some_quarter(plan, progress):
    recurring = set(plan.tasks.loc[plan.tasks["recurring"].astype(bool), "task_id"])
    t = progress.tasks
    missing = {q: recurring - set(t.loc[t["period"] == q, "task_id"]) for q in QUARTERS}
    assert 0 < sum(map(len, missing.values())) < 0.15 * len(recurring) * 4
    reported = t[t["task_id"].isin(recurring)]
    assert set(reported["status"]) <= {"in_progress", "done"}


def test_completion_never_after_nd09_window_end(progress):
    t = progress.tasks
    ends = t["period"].map(lambda p: pd.Timestamp(window(p, "nd09").end))
    assert (t["completed_on"].isna() | (t["completed_on"] <= ends)).all()
    assert (t["completed_on"].dropna() >= pd.Timestamp("2023-12-15")).all()


def test_evidence_cites_documents(progress):
    evidence = progress.tasks["evidence"].dropna()
    assert evidence.str.contains(r"số \d+/(?:KH|BC|QĐ)-UBND ngày \d\d/\d\d/\d{4}", regex=True).sum() > 20


# --- indicators ----------------------------------------------------------------------------------


def test_every_manual_target_has_three_quarters(plan, progress):
    t = plan.targets
    manual = t.loc[t["measurable"].astype(bool) & t["kpi"].isna(), "target_id"]
    counts = progress.indicators.groupby("target_id")["period"].nunique()
    assert set(counts.index) == set(manual)
    annual = set(load_rules(plan)["targets"]["annual_targets"])  # a survey: one value, at year end
    assert annual and (counts[list(annual)] == 1).all()
    last = progress.indicators.loc[progress.indicators["target_id"].isin(annual), "period"]
    assert set(last) == {f"{plan.year}-Q4"}
    quarterly = counts.drop(list(annual))
    assert (quarterly >= 3).all()
    assert (quarterly == 3).sum() >= 1  # a couple of quarters simply not entered


def test_indicator_trajectories(plan, progress):
    i = progress.indicators.merge(plan.targets[["target_id", "target_value", "unit"]], on="target_id")
    assert i["numerator"].notna().sum() > 0 and i["value"].notna().all()
    antivirus = i[
        i["target_id"] == plan.targets.loc[plan.targets["indicator"].str.contains("virus"), "target_id"].iloc[0]
    ]
    assert antivirus["denominator"].notna().all()
    pct = i[i["unit"] == "percent"].sort_values("period")
    rising = pct.groupby("target_id")["value"].apply(lambda s: s.is_monotonic_increasing)
    assert rising.all()
    last = i.sort_values("period").groupby("target_id").last()
    met = (last["value"] >= last["target_value"]).mean()
    assert 0.5 <= met <= 0.7
    shortfall = (last["target_value"] - last["value"]) / last["target_value"]
    assert ((shortfall > 0) & (shortfall < 0.07)).sum() >= 3  # at risk
    assert (shortfall >= 0.1).sum() >= 2  # clearly missed
    per_month = i[i["unit"] == "per_month"]
    newsletters = per_month["value"] * 3  # value = newsletters per month of the quarter
    assert len(per_month) and ((newsletters - newsletters.round()).abs() < 0.02).all()


# --- feedback and notes -------------------------------------------------------------------------


def test_feedback(progress):
    f = progress.feedback
    assert 25 <= len(f) <= 40
    assert f["feedback_id"].str.fullmatch(r"PAKN-2024-\d{3}").all()
    days = (f["due_date"] - f["received_date"]).dt.days
    assert days.between(10, 15).all()
    assert f["resolved_date"].isna().sum() == 1
    late = (f["resolved_date"] > f["due_date"]).sum()
    assert 1 <= late <= 2
    assert f["summary"].notna().all() and f["rating"].notna().any()


def test_notes(plan, progress):
    n = progress.notes
    assert set(n["period"]) == set(QUARTERS)
    assert (n.groupby("period")["area_id"].apply(lambda s: (s == "").sum()) == 1).all()
    assert n.groupby("period").size().min() >= 4
    assert set(n["area_id"]) - {""} <= set(plan.areas["area_id"])
    text = " ".join(n[["highlights", "difficulties", "proposals"]].fillna("").to_numpy().ravel())
    for ch in ("&", "<", ">", '"'):
        assert ch in text, ch


# --- default location --------------------------------------------------------------------------


@pytest.mark.slow
def test_ensure_sample_writes_once_and_refreshes_on_change(plan, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA", str(tmp_path))
    folder = default_sample_dir(plan)
    assert folder == tmp_path / "progress" / plan.plan_id / "sample"
    assert ensure_sample(plan) == folder
    assert all((folder / name).is_file() for name in SAMPLE_FILES)
    stamp = (folder / "dossiers.csv").stat().st_mtime_ns
    (folder / "notes.csv").write_text("giữ nguyên", encoding="utf-8")  # an up-to-date sample is left alone
    ensure_sample(plan)
    assert (folder / "notes.csv").read_text(encoding="utf-8") == "giữ nguyên"
    assert (folder / "dossiers.csv").stat().st_mtime_ns == stamp
    meta = folder / "meta.toml"
    version = sample.GENERATOR_VERSION
    meta.write_text(
        meta.read_text(encoding="utf-8-sig").replace(
            f"generator_version = {version}", f"generator_version = {version - 1}"
        ),
        encoding="utf-8",
    )
    ensure_sample(plan)
    assert (folder / "notes.csv").read_text(encoding="utf-8-sig").startswith("period,area_id")
    (folder / "tasks.csv").unlink()
    ensure_sample(plan)
    assert (folder / "tasks.csv").is_file()
    assert load_progress("sample", plan).is_sample  # found by name under data/progress/<plan-id>/


def test_committed_sample_matches_the_generator(plan, tmp_path):
    """The sample year in data/progress/ is exactly what `cchc sample-data` writes."""
    from cchc_lib.core.paths import REPO_ROOT
    from cchc_lib.progress.sample import SAMPLE_FILES, write_sample

    committed = REPO_ROOT / "data" / "progress" / plan.plan_id / "sample"
    fresh = write_sample(plan, tmp_path)
    for name in SAMPLE_FILES:
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), name
