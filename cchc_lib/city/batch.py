"""Every commune's reports in one batch, each (plan, period) a Dask task (``cchc batch``).

A city's home-affairs office runs the same report for tens of communes each period. The
batch hands every (plan, period) to Dask — an embedded ``dask.distributed`` local cluster
by default (nothing to set up), or a real cluster by address — and:

* runs each report exactly as ``cchc report`` does (same function, same atomic output);
* records a failure in one commune with its message and goes on with the others;
* skips a report whose inputs and code are unchanged since its last success (a content
  hash of the plan folder, the progress folder, the parameters and the package's own
  source), unless ``force``;
* prints a line per finished report and returns a table (done, skipped, failed, time).

Why Dask: it is the ecosystem's scheduler for Python work of this shape (independent,
coarse tasks of seconds each), runs embedded on one PC and unchanged on a cluster.
"""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from cchc_lib.core.fingerprint import code_hash, hash_tree

__all__ = ["Job", "JobResult", "content_hash", "find_plans", "jobs_for", "largest_first", "run_batch", "run_job"]

STAMP = ".cchc-batch.json"  # beside a report: the hash of what produced it


@dataclass(frozen=True)
class Job:
    """One report to make: a plan folder, its progress folder and a period."""

    plan_id: str
    plan_dir: str
    data_dir: str
    period: str
    cutoff: str = "nd09"
    lang: str = "vi"
    formats: tuple[str, ...] = ("html", "pdf")
    out: str = "reports"
    only: str = "both"  # as ``cchc report --only``
    official_anyway: bool = False  # as ``cchc report --official-anyway``


@dataclass
class JobResult:
    plan_id: str
    period: str
    status: str  # done | skipped | failed
    seconds: float
    message: str = ""
    out_dir: str = ""


# ---------------------------------------------------------------------------- planning


def find_plans(root: str | Path, patterns: Sequence[str] | None = None) -> list[Path]:
    """Plan folders under ``root/plans`` whose id matches any of ``patterns`` (ids or globs)."""
    plans_dir = Path(root) / "plans"
    if not plans_dir.is_dir():
        return []
    found = sorted(p for p in plans_dir.iterdir() if p.is_dir() and (p / "meta.toml").is_file())
    if not patterns:
        return found
    return [p for p in found if any(fnmatch.fnmatchcase(p.name, pat) for pat in patterns)]


def _progress_dir(root: Path, plan_dir: Path, period: str) -> Path:
    """The plan-year folder ``root/progress/<plan-id>/<year>/`` of the period's year."""
    from cchc_lib.core.periods import parse_period

    return root / "progress" / plan_dir.name / str(parse_period(period).year)


def jobs_for(
    root: str | Path,
    plans: Iterable[Path],
    periods: Sequence[str],
    *,
    cutoff: str = "nd09",
    lang: str = "vi",
    formats: Sequence[str] = ("html", "pdf"),
    out: str | Path = "reports",
    only: str = "both",
    official_anyway: bool = False,
) -> list[Job]:
    """One job per (plan, period); ``only`` and ``official_anyway`` as ``cchc report`` takes them."""
    root = Path(root)
    return [
        Job(
            plan_id=p.name,
            plan_dir=str(p.resolve()),
            data_dir=str(_progress_dir(root, p, period).resolve()),
            period=period,
            cutoff=cutoff,
            lang=lang,
            formats=tuple(formats),
            out=str(Path(out).resolve()),
            only=only,
            official_anyway=official_anyway,
        )
        for p in plans
        for period in periods
    ]


# ---------------------------------------------------------------------------- content hash
# the hashes themselves are core.fingerprint's (cchc report's hand-off to its kernel uses them)


def content_hash(job: Job, code: str) -> str:
    """What a report depends on: plan folder, progress folder, parameters, code."""
    h = hashlib.sha256()
    h.update(json.dumps({k: v for k, v in asdict(job).items() if k != "out"}, sort_keys=True).encode())
    h.update(code.encode())
    hash_tree(h, Path(job.plan_dir))
    hash_tree(h, Path(job.data_dir))
    return h.hexdigest()


def _out_dir(job: Job) -> Path:
    from cchc_lib.core.periods import parse_period

    return Path(job.out) / job.plan_id / parse_period(job.period).code


def _stamp_matches(job: Job, digest: str) -> bool:
    stamp = _out_dir(job) / STAMP
    try:
        return json.loads(stamp.read_text(encoding="utf-8")).get(f"{job.cutoff}-{job.lang}") == digest
    except (OSError, ValueError):
        return False


def _write_stamp(job: Job, digest: str) -> None:
    stamp = _out_dir(job) / STAMP
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[f"{job.cutoff}-{job.lang}"] = digest
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, stamp)


# ---------------------------------------------------------------------------- one job


def _default_runner(job: Job) -> None:
    """Make the documents ``cchc report`` makes for the period (``report.choice.documents_for``),
    one after the other on one core: the batch already runs one job per core. As ``cchc
    report``, the inputs are loaded and assessed once, here, and the notebook's kernel gets the
    assessment (:mod:`cchc_lib.report.handoff`) instead of loading the same files again."""
    from cchc_lib.assessment.engine import assess
    from cchc_lib.progress.inputs import load_inputs
    from cchc_lib.report import handoff
    from cchc_lib.report.choice import documents_for
    from cchc_lib.report.document import produce
    from cchc_lib.report.official import produce_official

    docs = documents_for(job.period, job.only, job.official_anyway, job.lang)
    formats = tuple(f for f in job.formats if f != "docx")
    args = (job.plan_dir, job.data_dir, job.period, job.cutoff, job.lang)
    inputs = load_inputs(*args, digest=True)
    a = assess(inputs.plan, inputs.progress, inputs.period, cutoff=inputs.cutoff)
    with handoff.handed_off(inputs, a) as handed:
        if docs.assessment:
            produce(*args, formats, job.out, "", progress_bar=False, parallel=False, inputs=inputs, handoff=handed)
        if docs.official:
            produce_official(
                *args, (*formats, "docx"), job.out, anyway=job.official_anyway, inputs=inputs, assessment=a
            )


def run_job(job: Job, code: str, force: bool = False, runner: Callable[[Job], object] | None = None) -> JobResult:
    """Run one report; never raises: a failure is returned with its message."""
    t0 = time.perf_counter()
    try:
        digest = content_hash(job, code)
        if not force and _stamp_matches(job, digest):
            return JobResult(job.plan_id, job.period, "skipped", time.perf_counter() - t0, out_dir=str(_out_dir(job)))
        (runner or _default_runner)(job)
        _write_stamp(job, digest)
        return JobResult(job.plan_id, job.period, "done", time.perf_counter() - t0, out_dir=str(_out_dir(job)))
    except BaseException as exc:  # noqa: BLE001 - one commune's failure must not stop the batch
        if isinstance(exc, KeyboardInterrupt):
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        return JobResult(job.plan_id, job.period, "failed", time.perf_counter() - t0, message=message)


# ---------------------------------------------------------------------------- the batch


def _folder_bytes(folder: str) -> int:
    try:
        return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    except OSError:
        return 0


def largest_first(jobs: Sequence[Job]) -> list[tuple[int, Job]]:
    """``(index, job)`` with the biggest inputs first (plan + progress folder bytes).

    Starting the longest reports first
    keeps one worker from running a long report alone at the end while the other waits
    (the classic longest-processing-time-first rule). The index keeps the caller's order
    for the final table; equal sizes keep it too.
    """
    sizes = {d: _folder_bytes(d) for j in jobs for d in (j.plan_dir, j.data_dir)}
    indexed = list(enumerate(jobs))
    return sorted(indexed, key=lambda ij: (-(sizes[ij[1].plan_dir] + sizes[ij[1].data_dir]), ij[0]))


# The embedded cluster's settings: the profiler samples the running report's stack every
# 10 ms, about 0.8 s of CPU per report (measured), for a dashboard the batch does not show.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False}


def _client(scheduler: str | None, workers: int | None):
    """A client of the cluster at ``scheduler``, which keeps its own settings; else an embedded
    local cluster (``LOCAL_CLUSTER_CONFIG``) and the client of it."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    n = workers or max(1, min(2, os.cpu_count() or 1))
    # processes, one thread each: a report holds the GIL while it builds tables and charts.
    # The scheduler reads its settings when it starts and each worker gets a copy from its nanny.
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def _as_done(client, ordered: list[tuple[int, Job]], code: str, force: bool, runner) -> Iterator[JobResult]:
    """Hand out the reports in ``ordered``'s order, one per worker thread at a time; yield each
    result as it finishes.

    Submitting every report at once let Dask assign them all at the start (tasks with
    different keys are not queued on the scheduler) and a worker sat idle for a whole report
    while the other still held two (measured). Here a report is submitted only when a thread
    is free, so the next biggest goes to whichever worker finished first; the number of
    threads is read again at each step, so workers joining a real cluster are used too.
    """
    from distributed import as_completed

    pending = iter(ordered)
    running = as_completed()

    def submit_while_free() -> None:
        free = max(1, sum(client.nthreads().values())) - running.count()
        for i, job in itertools.islice(pending, max(0, free)):
            running.add(
                client.submit(run_job, job, code, force, runner, key=f"cchc-{job.plan_id}-{job.period}-{i}", pure=False)
            )

    submit_while_free()
    for future in running:
        yield future.result()
        submit_while_free()


def run_batch(
    jobs: Sequence[Job],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    force: bool = False,
    runner: Callable[[Job], object] | None = None,
    echo: Callable[[str], None] | None = print,
) -> pd.DataFrame:
    """Run every job on Dask; one row per job (plan_id, period, status, seconds, message)."""

    code = code_hash()
    client, cluster = _client(scheduler, workers)
    results: list[JobResult] = []
    try:
        ordered = largest_first(jobs)
        for n, r in enumerate(_as_done(client, ordered, code, force, runner), start=1):
            results.append(r)
            if echo:
                echo(_progress_line(n, len(ordered), r))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    order = {(j.plan_id, j.period): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order.get((r.plan_id, r.period), 0))
    return pd.DataFrame([asdict(r) for r in results], columns=list(JobResult.__dataclass_fields__))


_STATUS_KEY = {"done": "city_batch_done", "skipped": "city_batch_skipped", "failed": "city_batch_failed"}


def _progress_line(n: int, total: int, r: JobResult) -> str:
    from cchc_lib.commands.parser import say
    from cchc_lib.i18n.fmt import number

    status = say(_STATUS_KEY[r.status])
    line = say(
        "city_batch_line",
        n=n,
        total=total,
        plan=r.plan_id,
        period=r.period,
        status=status,
        seconds=number(r.seconds, 1),
    )
    return f"{line} — {r.message}" if r.message else line


def summary(table: pd.DataFrame) -> str:
    """The final lines: how many done, skipped, failed, and the failures with their messages."""
    from cchc_lib.commands.parser import say
    from cchc_lib.i18n.fmt import number

    counts = table["status"].value_counts()
    seconds = number(float(table["seconds"].sum()), 1) if len(table) else "0"
    lines = [
        say(
            "city_batch_summary",
            done=counts.get("done", 0),
            skipped=counts.get("skipped", 0),
            failed=counts.get("failed", 0),
            seconds=seconds,
        )
    ]
    for r in table[table["status"] == "failed"].itertuples():
        lines.append(say("city_batch_failure", plan=r.plan_id, period=r.period, message=r.message))
    return "\n".join(lines)
