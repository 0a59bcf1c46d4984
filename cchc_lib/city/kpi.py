"""One-stop KPIs for a whole city: the dossier log of every commune, counted per commune.

The definitions are those of :mod:`cchc_lib.assessment.tthc` (one commune, pandas/NumPy);
this module computes the same numerators and denominators over a city-wide log that does
not fit one commune's loader:

* :func:`kpis_duckdb` — embedded DuckDB over a hive-partitioned Parquet folder
  (``<root>/commune=<id>/month=<yyyy-mm>/*.parquet``), the default for one machine;
* :func:`kpis_dask` — Dask DataFrame over the same folder, for logs beyond one machine (it
  runs on whatever Dask scheduler is active: a local cluster or a real one by address);
* :func:`kpis_pandas` — the reference: :func:`cchc_lib.assessment.tthc.kpis` per commune.

All three return one row per (commune, kpi) with ``numerator``, ``denominator`` and
``value`` (percent, or the count for ``overdue_pending``), so they can be compared exactly.

The day rules are tthc's: a date "in the window" is ``start ≤ day ≤ end``; pending at the
end is "received by end and not returned by end"; a missing due date is never late and never
overdue; a missing value of a yes/no column counts as "no". The land-satisfaction KPI
counts the fields that ``config/tthc.toml`` (or the caller) names as land fields, matched
as tthc matches them (case, composition and spacing ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.assessment import tthc
from cchc_lib.core.periods import Window

__all__ = ["CITY_KPIS", "kpis_dask", "kpis_duckdb", "kpis_pandas"]

# The dossier KPIs as (numerator count, denominator count); the counts are computed once
# per commune by each engine and the rates derived by one function (`_finish`).
CITY_KPIS: dict[str, tuple[str, str]] = dict(tthc.DOSSIER_SPEC)  # the commune's own definitions


def _finish(counts: pd.DataFrame) -> pd.DataFrame:
    """Per-commune counts → one row per (commune, kpi), rates as tthc computes them."""
    rows = []
    for commune, c in counts.sort_index().iterrows():  # a few rows per commune: a loop is fine
        for kpi, (num, den) in CITY_KPIS.items():
            n, d = int(c[num]), int(c[den])
            if tthc.KPI_UNITS[kpi] == "count":
                value = float(n) if c["dossiers"] > 0 else np.nan
            else:
                value = 100.0 * n / d if d > 0 else np.nan
            rows.append({"commune": commune, "kpi": kpi, "numerator": n, "denominator": d, "value": value})
    out = pd.DataFrame(rows, columns=["commune", "kpi", "numerator", "denominator", "value"])
    return out.astype({"numerator": "int64", "denominator": "int64", "value": "float64"})


# ---------------------------------------------------------------------------- DuckDB


def _sql_counts(source: str) -> str:
    """One pass over the log: every count per (commune, field), as SQL.

    Land fields are told apart afterwards, on the few (commune, field) rows, with tthc's
    own matching rule — so the log is read once and the rule is not restated in SQL.
    """
    received = "(r BETWEEN $start AND $end)"
    returned = "(ret BETWEEN $start AND $end)"
    pending = "(r <= $end AND NOT coalesce(ret <= $end, false))"
    overdue = f"({pending} AND coalesce(due < $end, false))"
    on_time = f"({returned} AND NOT coalesce(ret > due, false))"
    rated = f"({returned} AND rating IN ('satisfied', 'neutral', 'dissatisfied'))"
    satisfied = f"({returned} AND rating = 'satisfied')"
    counts = {
        "dossiers": "true",
        "received": received,
        "received_online": f"({received} AND channel = 'online')",
        "returned": returned,
        "returned_on_time": on_time,
        "returned_or_overdue": f"({returned} OR {overdue})",
        "pending": pending,
        "pending_overdue": overdue,
        "rated": rated,
        "satisfied": satisfied,
        "received_digitizable": received,
        "received_digitized": f"({received} AND coalesce(dd, false))",
        "returned_digitizable": returned,
        "returned_digitized": f"({returned} AND coalesce(rd, false))",
    }
    select = ",\n  ".join(f"count(*) FILTER (WHERE {cond}) AS {name}" for name, cond in counts.items())
    return f"""
SELECT commune, field,
  {select}
FROM (
  SELECT CAST(commune AS VARCHAR) AS commune, CAST(field AS VARCHAR) AS field,
         CAST(received_date AS DATE) AS r, CAST(due_date AS DATE) AS due,
         CAST(returned_date AS DATE) AS ret, CAST(channel AS VARCHAR) AS channel,
         CAST(dossier_digitized AS BOOLEAN) AS dd, CAST(result_digitized AS BOOLEAN) AS rd,
         CAST(rating AS VARCHAR) AS rating
  FROM {source}
)
GROUP BY commune, field
"""


def _parquet_glob(root: Path) -> str:
    return str(Path(root) / "**" / "*.parquet").replace("'", "''")


def kpis_duckdb(root: str | Path, window: Window, land_fields: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The dossier KPIs of every commune in a hive-partitioned Parquet log, with DuckDB."""
    import duckdb

    con = duckdb.connect(database=":memory:")
    try:
        source = f"read_parquet('{_parquet_glob(Path(root))}', hive_partitioning = true)"
        counts = con.execute(_sql_counts(source), {"start": window.start, "end": window.end}).df()
    finally:
        con.close()
    return _finish(_per_commune(counts, land_fields))


def _per_commune(by_field: pd.DataFrame, land_fields) -> pd.DataFrame:
    """(commune, field) counts → per-commune counts, with the land counts added."""
    land = by_field["field"].map(lambda f: f is not None and f == f and tthc.is_land_field(f, land_fields))
    by_field = by_field.assign(
        land_rated=by_field["rated"].where(land, 0), land_satisfied=by_field["satisfied"].where(land, 0)
    )
    counts = by_field.drop(columns=["field"]).groupby("commune", sort=True).sum()
    counts.index = counts.index.astype(str)
    return counts


# ---------------------------------------------------------------------------- pandas / Dask


def _partition_counts(df: pd.DataFrame, start: np.datetime64, end: np.datetime64) -> pd.DataFrame:
    """The same counts as the SQL, for one pandas partition (used by Dask and as a check)."""

    def day(col: str) -> np.ndarray:
        return pd.to_datetime(df[col]).to_numpy().astype("datetime64[D]")

    r, due, ret = day("received_date"), day("due_date"), day("returned_date")
    received = (r >= start) & (r <= end)
    returned = (ret >= start) & (ret <= end)
    pending = (r <= end) & ~(ret <= end)
    overdue = pending & (due < end)
    rating = df["rating"].astype("string")
    rated = returned & rating.isin(tthc.RATINGS).to_numpy(dtype=bool, na_value=False)
    satisfied = returned & rating.eq("satisfied").to_numpy(dtype=bool, na_value=False)

    def flag(col: str) -> np.ndarray:
        return df[col].astype("boolean").to_numpy(dtype=bool, na_value=False)

    flags = {
        "dossiers": np.ones(len(df), dtype=bool),
        "received": received,
        "received_online": received & df["channel"].astype("string").eq("online").to_numpy(bool, na_value=False),
        "returned": returned,
        "returned_on_time": returned & ~(ret > due),
        "returned_or_overdue": returned | overdue,
        "pending": pending,
        "pending_overdue": overdue,
        "rated": rated,
        "satisfied": satisfied,
        "received_digitizable": received,
        "received_digitized": received & flag("dossier_digitized"),
        "returned_digitizable": returned,
        "returned_digitized": returned & flag("result_digitized"),
    }
    frame = pd.DataFrame(flags).astype("int64")
    frame["commune"] = df["commune"].astype(str).to_numpy()
    frame["field"] = df["field"].astype(str).to_numpy()
    return frame.groupby(["commune", "field"], observed=True, as_index=False).sum()


def kpis_dask(root: str | Path, window: Window, land_fields: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The dossier KPIs with Dask DataFrame on the active scheduler (local or a cluster)."""
    import dask.dataframe as dd

    # pyarrow's own file system reader: about 4× faster than fsspec on many small files
    ddf = dd.read_parquet(str(root), filesystem="arrow")
    start, end = np.datetime64(window.start, "D"), np.datetime64(window.end, "D")
    meta = _partition_counts(ddf._meta, start, end)  # the empty frame of the right shape
    parts = ddf.map_partitions(_partition_counts, start, end, meta=meta)
    # each partition is already reduced to a few rows: gather them and add up in pandas
    # (cheaper than a distributed groupby for a result of a few hundred rows)
    small = parts.compute()
    by_field = small.groupby(["commune", "field"], as_index=False, sort=True).sum()
    return _finish(_per_commune(by_field, land_fields))


def kpis_pandas(
    logs: dict[str, pd.DataFrame], window: Window, land_fields: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """The reference: tthc's own KPIs per commune, reshaped like the city functions."""
    rows = []
    for commune, df in sorted(logs.items()):
        k = tthc.kpis(df, None, window, land_fields)
        for kpi in CITY_KPIS:
            rows.append(
                {
                    "commune": commune,
                    "kpi": kpi,
                    "numerator": int(k.at[kpi, "numerator"]),
                    "denominator": int(k.at[kpi, "denominator"]),
                    "value": float(k.at[kpi, "value"]),
                }
            )
    return pd.DataFrame(rows, columns=["commune", "kpi", "numerator", "denominator", "value"])
