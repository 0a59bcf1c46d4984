"""City-scale one-stop KPIs (cchc_lib.city.kpi): DuckDB and Dask give pandas' numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cchc_lib.city import citylog, kpi
from cchc_lib.core.periods import window

duckdb = pytest.importorskip("duckdb")
dask = pytest.importorskip("dask")

COMMUNES = ["xa-a", "xa-b", "xa-c", "xa-d", "xa-e"]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    log = citylog.synthetic_log(COMMUNES, 2024, rows=20_000, seed=7)
    root = citylog.write_city_log(log, tmp_path_factory.mktemp("city") / "dossiers")
    return log, root


def _logs_by_commune(log: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {c: part.drop(columns=["commune"]).reset_index(drop=True) for c, part in log.groupby("commune")}


@pytest.mark.parametrize("period", ["2024-Q1", "2024-Q3", "2024-H1", "2024"])
@pytest.mark.slow
def test_duckdb_counts_equal_the_pandas_reference(city, period):
    log, root = city
    win = window(period, "nd09")
    got = kpi.kpis_duckdb(root, win)
    ref = kpi.kpis_pandas(_logs_by_commune(log), win)
    pd.testing.assert_frame_equal(
        got[["commune", "kpi", "numerator", "denominator"]], ref[["commune", "kpi", "numerator", "denominator"]]
    )
    np.testing.assert_allclose(got["value"], ref["value"], equal_nan=True)


@pytest.mark.slow
def test_dask_counts_equal_the_pandas_reference(city):
    log, root = city
    win = window("2024-Q2", "calendar")
    with dask.config.set(scheduler="threads"):
        got = kpi.kpis_dask(root, win)
    ref = kpi.kpis_pandas(_logs_by_commune(log), win)
    pd.testing.assert_frame_equal(
        got[["commune", "kpi", "numerator", "denominator"]], ref[["commune", "kpi", "numerator", "denominator"]]
    )


@pytest.mark.slow
def test_dask_on_a_local_cluster_gives_the_same_counts(city):
    distributed = pytest.importorskip("distributed")
    _, root = city
    win = window("2024-H1", "nd09")
    expected = kpi.kpis_duckdb(root, win)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        got = kpi.kpis_dask(root, win)
    pd.testing.assert_frame_equal(
        got[["commune", "kpi", "numerator", "denominator"]], expected[["commune", "kpi", "numerator", "denominator"]]
    )


def test_hand_computed_log_gives_the_documented_counts(tmp_path):
    """Six dossiers, Q1/2024 (nd09: 15/12/2023–14/03/2024), counted by hand."""
    d = dt.datetime
    log = pd.DataFrame(
        {
            "commune": ["x"] * 6,
            "dossier_id": [f"H{i}" for i in range(6)],
            "field": ["Hộ tịch", "Đất đai", "Đất đai", "Hộ tịch", "Chứng thực", "Hộ tịch"],
            "received_date": [
                d(2024, 1, 2),
                d(2024, 1, 5),
                d(2024, 3, 1),
                d(2024, 2, 1),
                d(2023, 12, 20),
                d(2024, 3, 20),
            ],
            "due_date": [d(2024, 1, 5), d(2024, 1, 15), d(2024, 3, 10), d(2024, 2, 3), d(2023, 12, 21), d(2024, 3, 25)],
            "returned_date": [d(2024, 1, 4), d(2024, 1, 20), pd.NaT, d(2024, 2, 3), d(2023, 12, 21), pd.NaT],
            "channel": ["online", "direct", "online", "postal", "direct", "online"],
            "dossier_digitized": [True, False, True, True, False, True],
            "result_digitized": [True, True, False, False, True, False],
            "rating": ["satisfied", "dissatisfied", None, "neutral", "satisfied", None],
        }
    )
    root = citylog.write_city_log(log, tmp_path / "log")
    got = kpi.kpis_duckdb(root, window("2024-Q1", "nd09")).set_index("kpi")
    # received in window: H0..H4 (H5 is after 14/03); online among them: H0, H2
    assert tuple(got.loc["online_rate", ["numerator", "denominator"]]) == (2, 5)
    # returned in window: H0, H1, H3, H4; on time: H0, H3 (on its due day), H4; H2 pending past due 10/03
    assert tuple(got.loc["on_time_rate", ["numerator", "denominator"]]) == (3, 5)
    assert tuple(got.loc["overdue_pending", ["numerator", "denominator"]]) == (1, 1)
    assert tuple(got.loc["dossier_digitization_rate", ["numerator", "denominator"]]) == (3, 5)
    assert tuple(got.loc["result_digitization_rate", ["numerator", "denominator"]]) == (3, 4)  # H0, H1, H4
    assert tuple(got.loc["satisfaction_rate", ["numerator", "denominator"]]) == (2, 4)
    assert tuple(got.loc["land_satisfaction_rate", ["numerator", "denominator"]]) == (0, 1)
    assert got.loc["online_rate", "value"] == pytest.approx(40.0)


def test_city_log_is_partitioned_by_commune_and_month(city):
    _, root = city
    parts = sorted(p.relative_to(root).parts[:2] for p in root.rglob("*.parquet"))
    assert {p[0] for p in parts} == {f"commune={c}" for c in COMMUNES}
    assert all(p[1].startswith("month=") for p in parts)


def test_synthetic_log_is_deterministic_by_seed():
    a = citylog.synthetic_log(COMMUNES, 2024, rows=500, seed=3)
    b = citylog.synthetic_log(COMMUNES, 2024, rows=500, seed=3)
    c = citylog.synthetic_log(COMMUNES, 2024, rows=500, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
