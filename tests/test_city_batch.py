"""The batch's own scheduling: largest reports first, the table in the caller's order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def _record_held(job: batch.Job) -> None:
    """How many tasks the worker running this report holds (running or queued on it)."""
    from distributed import get_worker

    (Path(job.out) / job.plan_id / job.period).mkdir(parents=True)  # where a report would be written
    held = sum(1 for ts in get_worker().state.tasks.values() if ts.state in ("ready", "executing", "constrained"))
    with open(Path(job.out).parent / "held.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{held}\n")


@pytest.mark.slow  # starts a local Dask cluster
def test_run_batch_gives_a_worker_one_report_at_a_time(tmp_path):
    """A report queued behind a busy worker would wait while another worker is free."""
    pytest.importorskip("distributed")
    jobs = [_job(tmp_path, name, 10) for name in "abcd"]
    table = batch.run_batch(jobs, workers=1, force=True, runner=_record_held, echo=None)
    assert set(table["status"]) == {"done"}
    assert (tmp_path / "held.txt").read_text(encoding="utf-8").split() == ["1"] * 4


def test_the_local_cluster_workers_run_without_the_profiler():
    pytest.importorskip("distributed")
    client, cluster = batch._client(None, 1)
    try:
        enabled = client.run(lambda: __import__("dask").config.get("distributed.worker.profile.enabled"))
        assert list(enabled.values()) == [False]
    finally:
        client.close()
        cluster.close()


@pytest.mark.slow  # starts a Dask cluster
def test_run_batch_on_a_running_cluster_uses_its_threads_and_leaves_it_running(tmp_path):
    """``cchc batch --scheduler ADDR``: the reports go to that cluster, at most one per thread."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    jobs = [_job(tmp_path, name, 10) for name in "abcde"]
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        table = batch.run_batch(jobs, scheduler=cluster.scheduler_address, force=True, runner=_record_held, echo=None)
        assert set(table["status"]) == {"done"}
        held = [int(n) for n in (tmp_path / "held.txt").read_text(encoding="utf-8").split()]
        assert len(held) == 5 and max(held) <= 2
        with Client(cluster.scheduler_address) as client:  # still there for its owner
            assert sum(client.nthreads().values()) == 2


def test_each_job_loads_and_assesses_once_and_hands_the_assessment_to_both_documents(tmp_path, monkeypatch):
    """As ``cchc report``: the notebook's kernel reads the hand-off instead of the files again,
    and the official report uses the same assessment."""
    from cchc_lib.city.sample import write_sample_city
    from cchc_lib.report import document, handoff, official

    root = write_sample_city(tmp_path / "data", communes=1, year=2024, seed=5)
    (job,) = batch.jobs_for(root, batch.find_plans(root), ["2024-H1"], formats=("html",), out=tmp_path / "out")
    seen = {}

    def fake_produce(*args, inputs=None, handoff="", **kw):
        # what Report.build in the kernel reads: the hand-off under the key of the files it names
        seen["kernel"] = document_handoff.read(handoff, document_handoff.key_of_files(*args[:5]))
        seen["inputs"] = inputs

    def fake_official(*args, inputs=None, assessment=None, **kw):
        seen["official"] = (inputs, assessment)

    document_handoff = handoff
    monkeypatch.setattr(document, "produce", fake_produce)
    monkeypatch.setattr(official, "produce_official", fake_official)
    batch._default_runner(job)
    kernel, (inputs, assessment) = seen["kernel"], seen["official"]
    assert kernel is not None and kernel.period.code == "2024-H1"
    assert inputs is seen["inputs"] and assessment is not None
    pd.testing.assert_frame_equal(kernel.targets, assessment.targets)
