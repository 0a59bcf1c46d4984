"""One-stop (TTHC) KPIs: hand-built logs with every expected value worked out by hand.

Window under test: 2024-Q2 under Decree 09 (nd09) = 15/03/2024 – 14/06/2024.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date

import numpy as np
import pandas as pd
import pytest

from cchc_lib.assessment import tthc
from cchc_lib.core.periods import window, year_to_date

Q2 = window("2024-Q2")  # 15/03/2024 – 14/06/2024
Q3 = window("2024-Q3")  # 15/06/2024 – 14/09/2024
YTD = year_to_date("2024-Q2")  # 15/12/2023 – 14/06/2024

LAND = "Đất đai"
LAND_SPACED = "đất đai "  # same field, typed in lower case with a trailing space
LDTBXH = "Lao động – Thương binh và Xã hội"
S, N, D = "satisfied", "neutral", "dissatisfied"

# id, field, received, due, returned, channel, dossier digitised, result digitised, rating
DOSSIERS = [
    (
        "D01",
        "Hộ tịch",
        "15/03/2024",
        "18/03/2024",
        "18/03/2024",
        "online",
        True,
        True,
        S,
    ),  # received on the first day; returned on the due day = on time
    (
        "D02",
        "Hộ tịch",
        "14/03/2024",
        "20/03/2024",
        "19/03/2024",
        "direct",
        False,
        True,
        N,
    ),  # received the day before Q2 (Q1); returned in Q2 on time
    (
        "D03",
        "Chứng thực",
        "02/04/2024",
        None,
        "02/04/2024",
        "direct",
        True,
        False,
        S,
    ),  # on the spot: no due date = on time
    ("D04", "Chứng thực", "10/04/2024", None, "10/04/2024", "online", True, True, None),  # on the spot, not rated
    ("D05", LAND, "01/04/2024", "20/04/2024", "25/04/2024", "direct", True, True, D),  # land, late
    (
        "D06",
        LAND_SPACED,
        "05/05/2024",
        "25/05/2024",
        "24/05/2024",
        "online",
        False,
        True,
        S,
    ),  # land (other spelling), on time
    ("D07", LAND, "20/05/2024", "10/06/2024", None, "postal", True, False, None),  # pending, due 10/06 < 14/06: overdue
    (
        "D08",
        LAND,
        "01/06/2024",
        "14/06/2024",
        None,
        "direct",
        False,
        False,
        None,
    ),  # pending, due on the last day: not yet overdue
    ("D09", LDTBXH, "10/06/2024", "20/06/2024", None, "online", True, False, None),  # pending, not due
    (
        "D10",
        LDTBXH,
        "14/06/2024",
        "21/06/2024",
        "18/06/2024",
        "online",
        True,
        True,
        S,
    ),  # received on the last day of Q2; returned in Q3
    ("D11", "Hộ tịch", "15/06/2024", "18/06/2024", "17/06/2024", "online", True, True, S),  # received 15/06: Q3, not Q2
    (
        "D12",
        "Hộ tịch",
        "01/03/2024",
        "10/03/2024",
        None,
        "direct",
        False,
        False,
        None,
    ),  # received in Q1, still pending, overdue
    (
        "D13",
        "Chứng thực",
        "10/03/2024",
        "14/03/2024",
        "20/03/2024",
        "direct",
        True,
        True,
        D,
    ),  # received in Q1, returned late in Q2
    ("D14", "Hộ tịch", "20/04/2024", "25/04/2024", "30/04/2024", "online", True, False, N),  # late
    (
        "D15",
        "Hộ tịch",
        "02/05/2024",
        "05/05/2024",
        "15/06/2024",
        "direct",
        False,
        True,
        S,
    ),  # returned after Q2: at 14/06 pending and overdue
    (
        "D16",
        LAND,
        "10/02/2024",
        "20/02/2024",
        "10/03/2024",
        "online",
        True,
        True,
        S,
    ),  # everything before Q2: counts nowhere
]

# id, received, due, resolved
FEEDBACK = [
    ("F1", "20/03/2024", "30/03/2024", "28/03/2024"),  # resolved in Q2 on time
    ("F2", "01/04/2024", "10/04/2024", "15/04/2024"),  # resolved in Q2 late
    ("F3", "10/05/2024", "20/05/2024", None),  # pending, due 20/05 < 14/06: overdue
    ("F4", "10/06/2024", "25/06/2024", None),  # pending, not due
    ("F5", "01/03/2024", "10/03/2024", "20/03/2024"),  # received in Q1, resolved late in Q2
    ("F6", "12/06/2024", None, "16/06/2024"),  # resolved after Q2, no due date: not overdue
    ("F7", "15/06/2024", "20/06/2024", "16/06/2024"),  # Q3
]


def _dates(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="object"), format="%d/%m/%Y").astype("datetime64[ns]")


def dossier_frame(rows=DOSSIERS) -> pd.DataFrame:
    cols = list(zip(*rows)) if rows else [[] for _ in range(9)]
    return pd.DataFrame(
        {
            "dossier_id": pd.Series(cols[0], dtype="str"),
            "field": pd.Series(cols[1], dtype="str"),
            "procedure": pd.Series(["Thủ tục"] * len(rows), dtype="str"),
            "received_date": _dates(cols[2]),
            "due_date": _dates(cols[3]),
            "returned_date": _dates(cols[4]),
            "channel": pd.Series(cols[5], dtype="str"),
            "dossier_digitized": pd.Series(cols[6], dtype=bool),
            "result_digitized": pd.Series(cols[7], dtype=bool),
            "rating": pd.Series(cols[8], dtype="str"),
        }
    )


def feedback_frame(rows=FEEDBACK) -> pd.DataFrame:
    cols = list(zip(*rows)) if rows else [[] for _ in range(4)]
    return pd.DataFrame(
        {
            "feedback_id": pd.Series(cols[0], dtype="str"),
            "received_date": _dates(cols[1]),
            "due_date": _dates(cols[2]),
            "resolved_date": _dates(cols[3]),
            "rating": pd.Series([None] * len(rows), dtype="str"),
        }
    )


# Expected Q2 figures, worked out by hand from the rows above.
#  received in Q2: D01 D03 D04 D05 D06 D07 D08 D09 D10 D14 D15                     = 11
#  returned in Q2: D01 D02 D03 D04 D05 D06 D13 D14                                  = 8
#    on time: D01 (18/03 = due) D02 D03 (no due) D04 (no due) D06                   = 5
#  pending at 14/06: D07 D08 D09 D10 (ret 18/06) D12 D15 (ret 15/06)                = 6
#    overdue (due < 14/06): D07 (10/06) D12 (10/03) D15 (05/05)                     = 3
#  ratings of the 8 returned: S N S – D S D N → rated 7, satisfied 3 (D01 D03 D06)
#  land returned: D05 (D), D06 (S, spelled "đất đai ")                               → 1/2
#  feedback received in Q2: F1 F2 F3 F4 F6 = 5, resolved by 14/06: F1 F2             → 2/5
#  feedback resolved in Q2: F1 F2 F5 = 3, on time: F1; pending overdue at 14/06: F3 → 1/(3+1)
EXPECTED_Q2 = {
    #                            numerator, denominator, value
    "online_rate": (6, 11, 600 / 11),  # D01 D04 D06 D09 D10 D14 → 54.54…%
    "on_time_rate": (5, 11, 500 / 11),  # 5 / (8 returned + 3 overdue) → 45.45…%
    "overdue_pending": (3, 6, 3.0),  # a count: 3 of the 6 pending
    "dossier_digitization_rate": (8, 11, 800 / 11),  # received and digitised: all but D06 D08 D15 → 72.72…%
    "result_digitization_rate": (6, 8, 75.0),  # returned, result digitised: all but D03 D14 → 6/8
    "satisfaction_rate": (3, 7, 300 / 7),  # 3/7 → 42.857…%
    "land_satisfaction_rate": (1, 2, 50.0),  # D06 of D05, D06
    "feedback_resolved_rate": (2, 5, 40.0),  # 2/5
    "feedback_on_time_rate": (1, 4, 25.0),  # 1/4
}


@pytest.fixture
def dossiers():
    return dossier_frame()


@pytest.fixture
def feedback():
    return feedback_frame()


# ---------------------------------------------------------------------------- overall


def test_kpis_match_hand_computed_values(dossiers, feedback):
    out = tthc.kpis(dossiers, feedback, Q2)
    assert tuple(out.index) == tthc.KPI_NAMES
    assert list(out.columns) == ["value", "numerator", "denominator", "unit"]
    for kpi, (num, den, value) in EXPECTED_Q2.items():
        row = out.loc[kpi]
        assert (row["numerator"], row["denominator"]) == (num, den), kpi
        assert row["value"] == pytest.approx(value), kpi
    assert out.loc["overdue_pending", "unit"] == "count"
    assert set(out["unit"].drop("overdue_pending")) == {"percent"}
    assert out["numerator"].dtype == "int64" and out["denominator"].dtype == "int64"
    assert out["value"].dtype == "float64"


def test_window_edges_follow_decree_09(dossiers, feedback):
    # D10 received 14/06 is in Q2 (counted above); D11 received 15/06 is in Q3.
    q3 = tthc.kpis(dossiers, feedback, Q3)
    # received in Q3: D11 only (online, digitised) → 1/1
    assert (q3.loc["online_rate", "numerator"], q3.loc["online_rate", "denominator"]) == (1, 1)
    # returned in Q3 (15/06–14/09): D10 18/06 (on time, due 21/06), D11 17/06 (on time),
    # D15 15/06 (late, due 05/05); pending at 14/09: D07 D08 D09 D12, all overdue by then
    # → on time 2 / (3 + 4)
    assert (q3.loc["on_time_rate", "numerator"], q3.loc["on_time_rate", "denominator"]) == (2, 7)
    assert q3.loc["overdue_pending", "value"] == 4
    # feedback received in Q3: F7 (resolved 16/06 ≤ 14/09) → 1/1
    assert q3.loc["feedback_resolved_rate", "value"] == 100.0


def test_pending_overdue_counts_against_on_time(dossiers):
    # Only the 8 returned would give 5/8; the 3 overdue pending make it 5/11.
    out = tthc.kpis(dossiers, None, Q2)
    assert out.loc["on_time_rate", "denominator"] == 8 + 3
    # D08 is due exactly on 14/06 and is not overdue yet; moving its due date one day
    # earlier makes it overdue: 4 overdue, on time 5/12.
    moved = dossiers.copy()
    moved.loc[moved["dossier_id"] == "D08", "due_date"] = pd.Timestamp("2024-06-13")
    out = tthc.kpis(moved, None, Q2)
    assert out.loc["overdue_pending", "numerator"] == 4
    assert out.loc["on_time_rate", "value"] == pytest.approx(500 / 12)


def test_missing_due_date_is_on_time_and_never_overdue():
    rows = [
        ("X1", "Chứng thực", "01/04/2024", None, "20/05/2024", "direct", True, True, None),  # on time
        ("X2", "Chứng thực", "01/01/2024", None, None, "direct", True, True, None),  # pending, no due: not overdue
    ]
    out = tthc.kpis(dossier_frame(rows), None, Q2)
    # on time: X1 / (1 returned + 0 overdue) → 100%
    assert (out.loc["on_time_rate", "numerator"], out.loc["on_time_rate", "denominator"]) == (1, 1)
    assert out.loc["overdue_pending", "value"] == 0  # X2 is pending (denominator 1) but not overdue
    assert out.loc["overdue_pending", "denominator"] == 1


def test_dates_are_compared_by_day():
    # Returned at 16:30 on its due day and on the last day of the window: on time, in Q2.
    df = dossier_frame([("T1", "Hộ tịch", "10/06/2024", "14/06/2024", "14/06/2024", "online", True, True, S)])
    df["returned_date"] = pd.Series([pd.Timestamp("2024-06-14 16:30")], dtype="datetime64[ns]")
    out = tthc.kpis(df, None, Q2)
    assert (out.loc["on_time_rate", "numerator"], out.loc["on_time_rate", "denominator"]) == (1, 1)


def test_windows_count_days_on_each_records_own_wall_clock():
    # Z1 stamped 00:30 in Hanoi on Q2's first day (still 14/03 in UTC): in Q2 by its own
    # clock, as Window.mask says; Z2 23:30 on the day before: not. The counts equal those
    # of the same log without a timezone.
    rows = [
        ("Z1", "Hộ tịch", "15/03/2024", "20/03/2024", None, "online", True, True, None),
        ("Z2", "Hộ tịch", "14/03/2024", "20/03/2024", "15/03/2024", "direct", True, True, S),
    ]
    naive = dossier_frame(rows)
    naive["received_date"] += pd.Series(pd.to_timedelta(["0h30m", "23h30m"]))
    aware = naive.copy()
    for col in ("received_date", "due_date", "returned_date"):
        aware[col] = aware[col].dt.tz_localize("Asia/Ho_Chi_Minh")
    assert Q2.mask(aware["received_date"]).tolist() == [True, False]
    a, b = tthc.assess_tthc(aware, None, Q2, YTD), tthc.assess_tthc(naive, None, Q2, YTD)
    assert (a.overall.loc["online_rate", "numerator"], a.overall.loc["online_rate", "denominator"]) == (1, 1)
    assert a.overall.loc["satisfaction_rate", "numerator"] == 1  # returned 15/03, first day of Q2
    pd.testing.assert_frame_equal(a.overall, b.overall)
    pd.testing.assert_frame_equal(a.by_month, b.by_month)


def test_empty_frames_give_nan_with_denominator_zero(dossiers, feedback):
    out = tthc.kpis(dossiers.iloc[:0], feedback.iloc[:0], Q2)
    assert out["value"].isna().all()  # overdue_pending too: no log is not "0 overdue"
    assert (out["denominator"] == 0).all() and (out["numerator"] == 0).all()
    assert tthc.kpis_by_field(dossiers.iloc[:0], Q2).empty
    months = tthc.kpis_by_month(dossiers.iloc[:0], feedback.iloc[:0], Q2)
    assert months["value"].isna().all() and len(months) == 4 * len(tthc.KPI_NAMES)
    # feedback missing altogether is the same as an empty feedback log
    only = tthc.kpis(dossiers, None, Q2)
    assert only.loc[list(tthc.FEEDBACK_KPIS), "value"].isna().all()
    assert only.loc["online_rate", "value"] == pytest.approx(600 / 11)


def test_untyped_empty_frames_are_accepted():
    cols = [
        "dossier_id",
        "field",
        "procedure",
        "received_date",
        "due_date",
        "returned_date",
        "channel",
        "dossier_digitized",
        "result_digitized",
        "rating",
    ]
    out = tthc.kpis(
        pd.DataFrame(columns=cols),
        pd.DataFrame(columns=["feedback_id", "received_date", "due_date", "resolved_date"]),
        Q2,
    )
    assert out["value"].isna().all() and (out["denominator"] == 0).all()


def test_no_activity_in_window_is_nan_but_overdue_is_a_real_zero(dossiers):
    out = tthc.kpis(dossiers, None, window("2023-Q1"))
    assert out.loc["online_rate", "value"] != out.loc["online_rate", "value"]  # NaN
    assert out.loc["overdue_pending", "value"] == 0  # the log exists; nothing overdue yet


# ---------------------------------------------------------------------------- land fields


def test_land_field_matching_ignores_case_spacing_and_composition():
    assert tthc.is_land_field("đất đai ")
    assert tthc.is_land_field("  ĐẤT   ĐAI")
    assert tthc.is_land_field(unicodedata.normalize("NFD", "Đất đai"))
    assert not tthc.is_land_field("Hộ tịch")
    assert not tthc.is_land_field(None)
    assert tthc.is_land_field("Tài nguyên", land_fields=["tài nguyên "])


def test_land_fields_from_argument(dossiers):
    # Decomposed, upper-case spelling in the argument still matches both land spellings.
    nfd = unicodedata.normalize("NFD", " ĐẤT ĐAI ")
    out = tthc.kpis(dossiers, None, Q2, land_fields=[nfd])
    assert (out.loc["land_satisfaction_rate", "numerator"], out.loc["land_satisfaction_rate", "denominator"]) == (1, 2)
    # Another field as "land": Hộ tịch returned in Q2 D01 (S) D02 (N) D14 (N) → 1/3
    out = tthc.kpis(dossiers, None, Q2, land_fields="Hộ tịch")
    assert out.loc["land_satisfaction_rate", "value"] == pytest.approx(100 / 3)


def test_config_file_is_packaged_and_consistent():
    cfg = tthc.load_config()
    assert cfg.land_fields == ("Đất đai",)
    assert [g.max_points for g in cfg.groups] == [18, 20, 22, 22, 18]
    for g in cfg.groups:
        assert set(g.kpis) <= set(tthc.KPI_NAMES)
    assert cfg.get("land_fields") == cfg["land_fields"] == ("Đất đai",)  # read like the TOML table
    assert cfg.get("nothing") is None


# ---------------------------------------------------------------------------- by field


def test_by_field_adds_up_to_overall(dossiers, feedback):
    overall = tthc.kpis(dossiers, feedback, Q2)
    by_field = tthc.kpis_by_field(dossiers, Q2)
    assert list(by_field.columns) == ["field", "kpi", "value", "numerator", "denominator", "unit"]
    sums = by_field.groupby("kpi")[["numerator", "denominator"]].sum()
    for kpi in tthc.DOSSIER_KPIS:
        assert tuple(sums.loc[kpi]) == tuple(overall.loc[kpi, ["numerator", "denominator"]]), kpi
    assert not set(tthc.FEEDBACK_KPIS) & set(by_field["kpi"])


def test_by_field_merges_spellings_and_keeps_land_rate_to_land(dossiers):
    by_field = tthc.kpis_by_field(dossiers, Q2)
    assert set(by_field["field"]) == {"Hộ tịch", "Chứng thực", LAND, LDTBXH}
    assert set(by_field.loc[by_field["kpi"] == "land_satisfaction_rate", "field"]) == {LAND}
    land = by_field[by_field["field"] == LAND].set_index("kpi")
    # land received in Q2: D05 D06 D07 D08 = 4, online D06 → 1/4
    assert (land.loc["online_rate", "numerator"], land.loc["online_rate", "denominator"]) == (1, 4)
    # land returned in Q2: D05 (late) D06 (on time); overdue pending D07 → 1/(2+1)
    assert land.loc["on_time_rate", "value"] == pytest.approx(100 / 3)
    # Hộ tịch has no land rate; D12 and D15 are its overdue pending dossiers
    ht = by_field[by_field["field"] == "Hộ tịch"].set_index("kpi")
    assert ht.loc["overdue_pending", "value"] == 2


def test_by_field_orders_busiest_first(dossiers):
    fields = list(dict.fromkeys(tthc.kpis_by_field(dossiers, Q2)["field"]))
    # received in Q2: Đất đai 4 (D05–D08), Hộ tịch 3 (D01 D14 D15), Chứng thực 2, LĐTBXH 2
    assert fields == [LAND, "Hộ tịch", "Chứng thực", LDTBXH]


# ---------------------------------------------------------------------------- by month


def test_months_of_an_nd09_quarter_are_cut_and_flagged(dossiers, feedback):
    months = tthc.kpis_by_month(dossiers, feedback, Q2)
    slices = months.drop_duplicates("month")[["month", "month_start", "start", "end", "partial"]]
    assert list(slices["month"]) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert list(slices["partial"]) == [True, False, False, True]
    assert list(slices["start"].dt.date) == [date(2024, 3, 15), date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)]
    assert list(slices["end"].dt.date) == [date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 14)]
    assert list(slices["month_start"].dt.date) == [
        date(2024, 3, 1),
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 6, 1),
    ]
    online = months[months["kpi"] == "online_rate"].set_index("month")
    # received: Mar D01 | Apr D03 D04 D05 D14 | May D06 D07 D15 | Jun D08 D09 D10
    # online:   Mar D01 | Apr D04 D14         | May D06         | Jun D09 D10
    assert list(online["denominator"]) == [1, 4, 3, 3]
    assert list(online["numerator"]) == [1, 2, 1, 2]


def test_calendar_months_are_whole():
    months = tthc.month_slices(window("2024-Q2", "calendar"))
    assert [m[0] for m in months] == ["2024-04", "2024-05", "2024-06"]
    assert not any(m[4] for m in months)


def test_by_month_flows_add_up_and_stocks_end_with_the_window(dossiers, feedback):
    overall = tthc.kpis(dossiers, feedback, Q2)
    months = tthc.kpis_by_month(dossiers, feedback, Q2)
    sums = months.groupby("kpi")[["numerator", "denominator"]].sum()
    flows = [
        "online_rate",
        "dossier_digitization_rate",
        "result_digitization_rate",
        "satisfaction_rate",
        "land_satisfaction_rate",
    ]
    for kpi in flows:
        assert tuple(sums.loc[kpi]) == tuple(overall.loc[kpi, ["numerator", "denominator"]]), kpi
    # on-time numerators (returned on time in the month) add up too
    assert sums.loc["on_time_rate", "numerator"] == overall.loc["on_time_rate", "numerator"]
    # stocks: the last slice ends on 14/06 like the window
    last = months[months["month"] == "2024-06"].set_index("kpi")
    # nothing was returned 01–14/06, yet the 3 overdue pending count: on time 0/(0 + 3)
    assert (last.loc["on_time_rate", "numerator"], last.loc["on_time_rate", "denominator"]) == (0, 3)
    assert last.loc["on_time_rate", "value"] == 0.0
    assert last.loc["overdue_pending", "value"] == overall.loc["overdue_pending", "value"] == 3


def test_year_to_date_months(dossiers, feedback):
    months = tthc.kpis_by_month(dossiers, feedback, YTD)
    labels = list(dict.fromkeys(months["month"]))
    assert labels == ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    flags = months.drop_duplicates("month").set_index("month")["partial"]
    assert flags["2023-12"] and flags["2024-06"] and not flags["2024-03"]
    received = months[months["kpi"] == "online_rate"].set_index("month")["denominator"]
    # whole March in the year to date: D12 (01/03) D13 (10/03) D02 (14/03) D01 (15/03) = 4
    assert received["2024-03"] == 4
    assert received["2024-02"] == 1  # D16


# ---------------------------------------------------------------------------- assess, 766


def test_assess_tthc_bundles_everything(dossiers, feedback):
    res = tthc.assess_tthc(dossiers, feedback, Q2, YTD)
    pd.testing.assert_frame_equal(res.overall, tthc.kpis(dossiers, feedback, Q2))
    pd.testing.assert_frame_equal(res.by_field, tthc.kpis_by_field(dossiers, Q2))
    pd.testing.assert_frame_equal(res.by_month, tthc.kpis_by_month(dossiers, feedback, YTD))
    assert res.window == Q2 and res.ytd_window == YTD
    assert res.counts == {
        "dossiers_input": 16,
        "dossiers_received": 11,
        "dossiers_returned": 8,
        "dossiers_pending_end": 6,
        "dossiers_overdue_pending_end": 3,
        "feedback_input": 7,
        "feedback_received": 5,
        "feedback_resolved": 3,
        "feedback_pending_end": 3,  # F3 F4 F6
    }
    assert res.land_fields == ("Đất đai",)


def test_decision_766_groups_points_and_estimates(dossiers, feedback):
    table = tthc.decision_766(tthc.assess_tthc(dossiers, feedback, Q2, YTD))
    assert list(table["group"]) == [
        "Công khai, minh bạch",
        "Tiến độ, kết quả giải quyết",
        "Số hóa hồ sơ",
        "Cung cấp dịch vụ trực tuyến",
        "Mức độ hài lòng",
    ]
    assert list(table["max_points"]) == [18, 20, 22, 22, 18] and table["max_points"].sum() == 100
    for col in ("group_id", "group_en", "coverage", "measures", "estimate_points", "note"):
        assert col in table.columns
    t = table.set_index("group_id")
    assert t.loc["cong_khai_minh_bach", "coverage"] == "none"
    assert math.isnan(t.loc["cong_khai_minh_bach", "estimate_points"])
    assert "Cần" in t.loc["cong_khai_minh_bach", "note"]
    assert (t["coverage"].drop("cong_khai_minh_bach") == "partial").all()
    # 20 × (500/11)/100; 22 × mean(800/11, 75)/100; 22 × (600/11)/100; 18 × mean(300/7, 25)/100
    assert t.loc["tien_do_ket_qua", "estimate_points"] == pytest.approx(100 / 11)
    assert t.loc["so_hoa_ho_so", "estimate_points"] == pytest.approx(16.25)
    assert t.loc["dich_vu_truc_tuyen", "estimate_points"] == pytest.approx(12.0)
    assert t.loc["muc_do_hai_long", "estimate_points"] == pytest.approx(0.18 * (300 / 7 + 25) / 2)
    assert "Tỷ lệ số hóa hồ sơ" in t.loc["so_hoa_ho_so", "measures"]
    assert table.attrs["disclaimer"] == "Ước tính nội bộ, không phải điểm chính thức"
    assert (table["estimate_kind"] == "ước tính nội bộ, không phải điểm chính thức").all()
    assert table.attrs["points_covered"] == 82


def test_decision_766_without_data(dossiers, feedback):
    table = tthc.decision_766(tthc.assess_tthc(dossiers.iloc[:0], feedback.iloc[:0], Q2, YTD))
    assert table["estimate_points"].isna().all()
    assert "Chưa có số liệu" in table.set_index("group_id").loc["so_hoa_ho_so", "note"]


# ---------------------------------------------------------------------------- labels, inputs


def test_labels_cover_every_kpi_in_both_languages():
    for lang in ("vi", "en"):
        assert tuple(tthc.KPI_LABELS[lang]) == tthc.KPI_NAMES
    assert tthc.KPI_LABELS["vi"]["land_satisfaction_rate"] == "Tỷ lệ hài lòng lĩnh vực đất đai"
    assert tthc.KPI_LABELS["vi"]["feedback_on_time_rate"] == "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn"


def test_unexpected_words_and_missing_columns_fail_clearly(dossiers):
    raw = dossiers.copy()
    raw["channel"] = raw["channel"].replace({"online": "Trực tuyến"})
    with pytest.raises(tthc.TthcInputError, match="Trực tuyến"):
        tthc.kpis(raw, None, Q2)
    with pytest.raises(tthc.TthcInputError, match="received_date"):
        tthc.kpis(dossiers.drop(columns="received_date"), None, Q2)
    text_dates = dossiers.assign(due_date=dossiers["due_date"].dt.strftime("%d/%m/%Y"))
    with pytest.raises(tthc.TthcInputError, match="datetime64"):
        tthc.kpis(text_dates, None, Q2)


def test_a_bad_word_is_told_before_a_bad_date_column_and_a_good_table_counts_the_same(dossiers):
    """The word columns are prepared on a second thread: with two problems the word's
    message still comes first (as it did in one thread), and nothing else changes."""
    both = dossiers.assign(
        channel=dossiers["channel"].replace({"online": "Trực tuyến"}),
        due_date=dossiers["due_date"].dt.strftime("%d/%m/%Y"),
    )
    with pytest.raises(tthc.TthcInputError, match="Trực tuyến"):
        tthc.kpis(both, None, Q2)
    bad_rating = dossiers.assign(
        rating=dossiers["rating"].astype(object).where(dossiers.index != dossiers.index[0], "Rất tốt"),
        received_date=dossiers["received_date"].dt.strftime("%d/%m/%Y"),
    )
    with pytest.raises(tthc.TthcInputError, match="Rất tốt"):
        tthc.kpis(bad_rating, None, Q2)
    overall = tthc.kpis(dossiers, None, Q2)
    received = dossiers["received_date"].between(pd.Timestamp(Q2.start), pd.Timestamp(Q2.end))
    assert overall.loc["online_rate", "numerator"] == int((dossiers["channel"].eq("online") & received).sum())


# ---------------------------------------------------------------------------- against a slow oracle


def _row_by_row(df: pd.DataFrame, start: date, end: date) -> dict[str, tuple[int, int]]:
    """The definitions written as a plain loop, one dossier at a time."""
    c = dict.fromkeys(["rec", "onl", "dig", "ret", "ontime", "od", "pend", "rdig", "rated", "sat"], 0)
    for r in df.itertuples():
        rec = r.received_date.date()
        ret = None if pd.isna(r.returned_date) else r.returned_date.date()
        due = None if pd.isna(r.due_date) else r.due_date.date()
        if start <= rec <= end:
            c["rec"] += 1
            c["onl"] += r.channel == "online"
            c["dig"] += bool(r.dossier_digitized)
        if ret is not None and start <= ret <= end:
            c["ret"] += 1
            c["ontime"] += due is None or ret <= due
            c["rdig"] += bool(r.result_digitized)
            if not pd.isna(r.rating):
                c["rated"] += 1
                c["sat"] += r.rating == "satisfied"
        if rec <= end and (ret is None or ret > end):
            c["pend"] += 1
            c["od"] += due is not None and due < end
    return {
        "online_rate": (c["onl"], c["rec"]),
        "on_time_rate": (c["ontime"], c["ret"] + c["od"]),
        "overdue_pending": (c["od"], c["pend"]),
        "dossier_digitization_rate": (c["dig"], c["rec"]),
        "result_digitization_rate": (c["rdig"], c["ret"]),
        "satisfaction_rate": (c["sat"], c["rated"]),
    }


def test_vectorised_kpis_agree_with_a_row_by_row_loop():
    rng = np.random.default_rng(7)
    n = 3000
    received = np.datetime64("2024-01-01") + rng.integers(0, 200, n).astype("timedelta64[D]")
    due = received + rng.integers(0, 15, n).astype("timedelta64[D]")
    returned = received + rng.integers(0, 25, n).astype("timedelta64[D]")
    df = pd.DataFrame(
        {
            "dossier_id": [f"R{i}" for i in range(n)],
            "field": pd.Series(rng.choice(["Hộ tịch", "Đất đai", "Chứng thực"], n), dtype="str"),
            "received_date": pd.to_datetime(received),
            "due_date": pd.to_datetime(np.where(rng.random(n) < 0.2, np.datetime64("NaT"), due)),
            "returned_date": pd.to_datetime(np.where(rng.random(n) < 0.15, np.datetime64("NaT"), returned)),
            "channel": pd.Series(rng.choice(list(tthc.CHANNELS), n), dtype="str"),
            "dossier_digitized": rng.random(n) < 0.5,
            "result_digitized": rng.random(n) < 0.5,
            "rating": pd.Series(rng.choice(["satisfied", "neutral", "dissatisfied", None], n), dtype="str"),
        }
    )
    out = tthc.kpis(df, None, Q2)
    for kpi, pair in _row_by_row(df, Q2.start, Q2.end).items():
        assert (out.loc[kpi, "numerator"], out.loc[kpi, "denominator"]) == pair, kpi
    # Every month of the year so far (the first and last cut by Decree 09's quarter), too.
    months = tthc.assess_tthc(df, None, Q2, YTD).by_month
    assert months["month"].nunique() == 7
    for (start, end), rows in months.groupby(["start", "end"]):
        got = rows.set_index("kpi")
        for kpi, pair in _row_by_row(df, start.date(), end.date()).items():
            assert (got.loc[kpi, "numerator"], got.loc[kpi, "denominator"]) == pair, (start, kpi)


def test_nullable_dtypes_from_the_loader_give_the_same_figures(dossiers, feedback):
    # progress.load_dossiers returns "string" (pd.NA) and may return "boolean" columns.
    typed = dossiers.astype(
        {
            "field": "string",
            "channel": "string",
            "rating": "string",
            "dossier_digitized": "boolean",
            "result_digitized": "boolean",
        }
    )
    typed.loc[typed["dossier_id"] == "D03", "result_digitized"] = pd.NA  # unknown: not digitised
    out = tthc.kpis(typed, feedback, Q2)
    expected = tthc.kpis(dossiers, feedback, Q2)
    pd.testing.assert_frame_equal(out, expected)  # D03's result was not digitised anyway


# ---------------------------------------------------------------------------- results table

# Q2 by hand, per field (D06 "đất đai " is the land field; D16 was returned before Q2):
#  Hộ tịch:    carried D02 D12; new online D01 D14, direct D15; resolved D02 early, D01 on the due day,
#              D14 late; pending D12 D15, both past due
#  Đất đai:    new online D06, direct D05 D08, postal D07; resolved D06 early, D05 late;
#              pending D07 (due 10/06: overdue), D08 (due 14/06 = last day: not yet)
#  Chứng thực: carried D13; new online D04, direct D03; resolved D03 D04 (no due date: on time), D13 late
#  LĐ–TB&XH:   new online D09 D10; both pending at 14/06, not yet due
EXPECTED_RESULTS = {
    #              to_resolve carried online direct postal resolved early on_time late pending not_due overdue
    "Hộ tịch": (5, 2, 2, 1, 0, 3, 1, 1, 1, 2, 0, 2),
    LAND: (4, 0, 1, 2, 1, 2, 1, 0, 1, 2, 1, 1),
    "Chứng thực": (3, 1, 1, 1, 0, 3, 0, 2, 1, 0, 0, 0),
    LDTBXH: (2, 0, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0),
}


def test_one_stop_results_by_field_match_hand_computation(dossiers):
    table = tthc.one_stop_results(dossiers, Q2)
    assert list(table.columns) == list(tthc.RESULT_COLUMNS)
    assert list(table.index) == list(EXPECTED_RESULTS)  # busiest field first
    for field, expected in EXPECTED_RESULTS.items():
        assert tuple(int(v) for v in table.loc[field]) == expected, field


def test_one_stop_results_agree_with_the_kpis(dossiers, feedback):
    table, k = tthc.one_stop_results(dossiers, Q2), tthc.kpis(dossiers, feedback, Q2)
    s = table.sum()
    assert (table["to_resolve"] == table["resolved"] + table["pending"]).all()
    assert (table["to_resolve"] == table[["carried_over", "new_online", "new_direct", "new_postal"]].sum(axis=1)).all()
    assert s["new_online"] + s["new_direct"] + s["new_postal"] == k.at["online_rate", "denominator"]
    assert s["new_online"] == k.at["online_rate", "numerator"]
    assert s["resolved_early"] + s["resolved_on_time"] == k.at["on_time_rate", "numerator"]
    assert s["pending_overdue"] == k.at["overdue_pending", "numerator"]


def test_one_stop_results_of_an_empty_log_is_an_empty_table():
    assert tthc.one_stop_results(dossier_frame([]), Q2).empty
