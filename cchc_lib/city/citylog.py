"""A synthetic city-wide dossier log, partitioned by commune and month, for demos and tests.

The commune sample (``cchc sample-data``) writes a few thousand dossiers with a story;
a city log for benchmarks needs millions of rows, so this generator draws every column
at once with NumPy and writes hive-partitioned Parquet
(``<out>/commune=<id>/month=<yyyy-mm>/part-0.parquet``), the layout that
:mod:`cchc_lib.city.kpi` reads. Deterministic by seed; every file's metadata says it is a
sample.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["FIELDS", "synthetic_log", "write_city_log"]

# Field, share of dossiers, processing days allowed (a plausible commune mix).
FIELDS: tuple[tuple[str, float, int], ...] = (
    ("Chứng thực", 0.38, 1),
    ("Hộ tịch", 0.30, 3),
    ("Lao động – Thương binh và Xã hội", 0.12, 7),
    ("Đất đai", 0.10, 10),
    ("Văn hóa – Thông tin", 0.04, 5),
    ("Tư pháp", 0.04, 5),
    ("Xây dựng", 0.02, 10),
)
SAMPLE_MARK = b"cchc synthetic city log (DU LIEU MAU / sample data)"


def synthetic_log(communes: list[str], year: int, rows: int, seed: int = 2024) -> pd.DataFrame:
    """``rows`` dossiers spread over ``communes`` and the months of ``year``.

    Each commune gets its own propensities (online share, lateness, digitisation,
    satisfaction), so city league tables have something to rank.
    """
    rng = np.random.default_rng(seed)
    n_c = len(communes)
    commune_idx = rng.integers(0, n_c, rows)
    online_p = rng.uniform(0.2, 0.8, n_c)[commune_idx]
    late_p = rng.uniform(0.0, 0.12, n_c)[commune_idx]
    dig_p = rng.uniform(0.5, 1.0, n_c)[commune_idx]
    sat_p = rng.uniform(0.75, 0.99, n_c)[commune_idx]

    shares = np.array([f[1] for f in FIELDS])
    field_idx = rng.choice(len(FIELDS), rows, p=shares / shares.sum())
    allowed = np.array([f[2] for f in FIELDS])[field_idx]
    start = np.datetime64(f"{year - 1}-12-15", "D")
    span = int((np.datetime64(f"{year}-12-31", "D") - start).astype(int)) + 1
    received = start + rng.integers(0, span, rows).astype("timedelta64[D]")
    due = received + allowed.astype("timedelta64[D]")
    late = rng.random(rows) < late_p
    delay = np.where(late, allowed + rng.integers(1, 15, rows), rng.integers(0, allowed + 1))
    returned = received + delay.astype("timedelta64[D]")
    still_open = rng.random(rows) < 0.03
    returned = np.where(still_open | (returned > np.datetime64(f"{year}-12-31", "D")), np.datetime64("NaT"), returned)
    channel = np.where(rng.random(rows) < online_p, "online", np.where(rng.random(rows) < 0.97, "direct", "postal"))
    rated = rng.random(rows) < 0.6
    rating = np.where(
        ~rated | np.isnat(returned),
        None,
        np.where(rng.random(rows) < sat_p, "satisfied", np.where(rng.random(rows) < 0.7, "neutral", "dissatisfied")),
    )
    names = np.array([f[0] for f in FIELDS], dtype=object)
    return pd.DataFrame(
        {
            "commune": np.array(communes, dtype=object)[commune_idx],
            "dossier_id": [f"HS-{i:09d}" for i in range(rows)],
            "field": names[field_idx],
            "received_date": received.astype("datetime64[ns]"),
            "due_date": due.astype("datetime64[ns]"),
            "returned_date": returned.astype("datetime64[ns]"),
            "channel": channel,
            "dossier_digitized": rng.random(rows) < dig_p,
            "result_digitized": ~np.isnat(returned) & (rng.random(rows) < dig_p),
            "rating": rating,
        }
    )


def write_city_log(log: pd.DataFrame, out: str | Path) -> Path:
    """Write ``log`` as ``out/commune=…/month=…/part-0.parquet`` (replacing ``out``)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    month = log["received_date"].dt.strftime("%Y-%m")
    for (commune, m), part in log.groupby([log["commune"], month], sort=True):
        folder = out / f"commune={commune}" / f"month={m}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(part.drop(columns=["commune"]), preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"cchc": SAMPLE_MARK})
        pq.write_table(table, folder / "part-0.parquet")
    return out
