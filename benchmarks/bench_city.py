"""City scale: batch throughput on Dask, and one-stop KPIs over a city-wide dossier log.

    .venv/bin/python benchmarks/bench_city.py                         # all parts, full size
    .venv/bin/python benchmarks/bench_city.py --part kpis --rows 1000000   # quicker
    .venv/bin/python benchmarks/bench_city.py --part batch --communes 8

Parts (each prints its numbers beside a reference measured in the same run; nothing is
asserted about time):

* ``kpis``  — a synthetic city log of ``--rows`` dossiers (default 10 M) in 40 communes,
  partitioned Parquet. OURS: ``city.kpi.kpis_duckdb`` (the seven dossier KPIs per commune,
  one window). REFERENCE: a hand-written DuckDB SQL with the same counts, no field pass,
  no reshaping. Goal: OURS within 1.5× of the reference. Also ``kpis_dask`` (threads).
* ``csv``   — one commune's export as CSV (``--csv-rows``, default 1 M): OURS
  ``progress.loader.load_dossiers`` + ``tthc.kpis``; REFERENCE DuckDB ``read_csv`` + the
  same counts. Goal: within 2×.
* ``batch`` — ``--communes`` sample communes × one period, HTML only: the batch on a
  local Dask cluster of 2 workers against the same reports one after another in this
  process. Goal: throughput ≥ 1.7×. Also the batch's cost per report against one report.

The numbers agree between OURS and the reference (asserted) before any time is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from cchc_lib.city import batch, citylog, kpi  # noqa: E402
from cchc_lib.core.periods import window  # noqa: E402

WIN = window("2024-H1", "nd09")


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _reference_sql(glob: str) -> str:
    """The same fifteen counts per commune, written by hand: one GROUP BY, no land pass."""
    rec = "received_date::DATE BETWEEN $s AND $e"
    ret = "returned_date::DATE BETWEEN $s AND $e"
    pend = "received_date::DATE <= $e AND NOT coalesce(returned_date::DATE <= $e, false)"
    over = f"{pend} AND coalesce(due_date::DATE < $e, false)"
    return f"""
    SELECT commune,
      count(*) AS dossiers,
      count(*) FILTER (WHERE {rec}) AS received,
      count(*) FILTER (WHERE {rec} AND channel = 'online') AS online,
      count(*) FILTER (WHERE {ret}) AS returned,
      count(*) FILTER (WHERE {ret} AND NOT coalesce(returned_date > due_date, false)) AS on_time,
      count(*) FILTER (WHERE ({ret}) OR ({over})) AS returned_or_overdue,
      count(*) FILTER (WHERE {pend}) AS pending,
      count(*) FILTER (WHERE {over}) AS overdue,
      count(*) FILTER (WHERE {ret} AND rating IS NOT NULL) AS rated,
      count(*) FILTER (WHERE {ret} AND rating = 'satisfied') AS satisfied,
      count(*) FILTER (WHERE {ret} AND rating IS NOT NULL AND field = 'Đất đai') AS land_rated,
      count(*) FILTER (WHERE {ret} AND rating = 'satisfied' AND field = 'Đất đai') AS land_satisfied,
      count(*) FILTER (WHERE {rec} AND dossier_digitized) AS digitized,
      count(*) FILTER (WHERE {ret} AND result_digitized) AS results_digitized
    FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY commune ORDER BY commune"""


def part_kpis(rows: int, repeat: int) -> None:
    communes = [f"xa-{i:02d}" for i in range(40)]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        root = citylog.write_city_log(citylog.synthetic_log(communes, 2024, rows, seed=1), Path(tmp) / "log")
        print(f"city log: {rows:,} rows, 40 communes, written in {time.perf_counter() - t0:.1f} s")
        glob = str(root / "**" / "*.parquet")
        con = duckdb.connect()
        t_ref, ref = _best(lambda: con.execute(_reference_sql(glob), {"s": WIN.start, "e": WIN.end}).df(), repeat)
        t_ours, ours = _best(lambda: kpi.kpis_duckdb(root, WIN), repeat)
        wide = ours.pivot(index="commune", columns="kpi", values=["numerator", "denominator"])
        ref = ref.set_index("commune")
        assert (wide[("denominator", "online_rate")] == ref["received"]).all()
        assert (wide[("numerator", "online_rate")] == ref["online"]).all()
        assert (wide[("numerator", "on_time_rate")] == ref["on_time"]).all()
        assert (wide[("numerator", "overdue_pending")] == ref["overdue"]).all()
        assert (wide[("numerator", "satisfaction_rate")] == ref["satisfied"]).all()
        assert (wide[("numerator", "land_satisfaction_rate")] == ref["land_satisfied"]).all()
        assert (wide[("numerator", "result_digitization_rate")] == ref["results_digitized"]).all()
        import dask

        with dask.config.set(scheduler="threads"):
            t_dask, _ = _best(lambda: kpi.kpis_dask(root, WIN), 1)
    print(f"  DuckDB SQL reference   {t_ref:8.2f} s")
    print(f"  OURS kpis_duckdb       {t_ours:8.2f} s   ratio {t_ours / t_ref:.2f}× (goal ≤ 1.5×)")
    print(f"  OURS kpis_dask threads {t_dask:8.2f} s   ratio {t_dask / t_ref:.2f}×")


def part_csv(rows: int, repeat: int) -> None:
    """The per-commune CSV loader against DuckDB, with bench_tthc's own functions."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_tthc
    import synth

    with tempfile.TemporaryDirectory() as tmp:
        csv = synth.write_commune_csv(synth.typed_dossiers(rows), Path(tmp) / "ho-so.csv")
        t_ours, _ = _best(lambda: bench_tthc.ours(csv), repeat)
        t_ref, _ = _best(lambda: bench_tthc.duckdb_csv(csv), repeat)
    print(f"  DuckDB read_csv + counts {t_ref:8.2f} s")
    print(f"  OURS load + KPIs         {t_ours:8.2f} s   ratio {t_ours / t_ref:.2f}× (goal ≤ 2×)")


def part_batch(communes: int) -> None:
    from cchc_lib.city.sample import write_sample_city

    with tempfile.TemporaryDirectory() as tmp:
        root = write_sample_city(Path(tmp) / "data", communes=communes, year=2024, seed=5)
        plans = batch.find_plans(root)
        jobs = batch.jobs_for(root, plans, ["2024-Q2"], formats=["html"], out=Path(tmp) / "seq")
        code = batch.code_hash()
        t0 = time.perf_counter()
        seq = [batch.run_job(j, code, force=True) for j in jobs]
        t_seq = time.perf_counter() - t0
        assert all(r.status == "done" for r in seq), [r.message for r in seq if r.status != "done"]
        jobs = batch.jobs_for(root, plans, ["2024-Q2"], formats=["html"], out=Path(tmp) / "par")
        t0 = time.perf_counter()
        table = batch.run_batch(jobs, workers=2, force=True, echo=None)
        t_par = time.perf_counter() - t0
        assert (table["status"] == "done").all(), table
    one = min(r.seconds for r in seq)
    print(f"  {communes} reports one after another {t_seq:8.1f} s ({t_seq / communes:.1f} s each; fastest {one:.1f} s)")
    print(f"  batch, local cluster of 2     {t_par:8.1f} s   throughput {t_seq / t_par:.2f}× (goal ≥ 1.7×)")
    print(f"  batch cost per report {t_par / communes:.1f} s against the single-report floor {one:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=["kpis", "csv", "batch", "all"], default="all")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--communes", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    pd.set_option("display.width", 160)
    if a.part in ("kpis", "all"):
        part_kpis(a.rows, a.repeat)
    if a.part in ("csv", "all"):
        part_csv(a.csv_rows, a.repeat)
    if a.part in ("batch", "all"):
        part_batch(a.communes)


if __name__ == "__main__":
    main()
