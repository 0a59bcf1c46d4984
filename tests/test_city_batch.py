"""The batch's own scheduling: largest reports first, the table in the caller's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_lib.city import batch


def _job(tmp_path: Path, name: str, data_bytes: int) -> batch.Job:
    plan = tmp_path / "plans" / name
    data = tmp_path / "progress" / name / "2024"
    plan.mkdir(parents=True)
    data.mkdir(parents=True)
    (plan / "meta.toml").write_text("x = 1\n", encoding="utf-8")
    (data / "dossiers.csv").write_bytes(b"a" * data_bytes)
    return batch.Job(name, str(plan), str(data), "2024-Q2", out=str(tmp_path / "out"))


def test_largest_first_orders_by_input_bytes_and_keeps_ties_in_order(tmp_path):
    jobs = [_job(tmp_path, "a", 10), _job(tmp_path, "b", 5000), _job(tmp_path, "c", 10), _job(tmp_path, "d", 700)]
    order = batch.largest_first(jobs)
    assert [j.plan_id for _, j in order] == ["b", "d", "a", "c"]
    assert [i for i, _ in order] == [1, 3, 0, 2]


def _record_start(job: batch.Job) -> None:
    (Path(job.out) / job.plan_id / job.period).mkdir(parents=True)  # where a report would be written
    with open(Path(job.out).parent / "started.txt", "a", encoding="utf-8") as fh:
        fh.write(job.plan_id + "\n")


@pytest.mark.slow  # starts a local Dask cluster
def test_run_batch_starts_the_biggest_report_first_and_returns_the_callers_order(tmp_path):
    pytest.importorskip("distributed")
    jobs = [_job(tmp_path, "a", 10), _job(tmp_path, "b", 5000), _job(tmp_path, "c", 900)]
    table = batch.run_batch(jobs, workers=1, force=True, runner=_record_start, echo=None)
    assert (tmp_path / "started.txt").read_text(encoding="utf-8").split() == ["b", "c", "a"]
    assert list(table["plan_id"]) == ["a", "b", "c"]
    assert set(table["status"]) == {"done"}
