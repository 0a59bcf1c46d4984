"""Filters of the dashboard (cchc_lib.explore.filters) as plain functions. Expected rows come
from pandas written here, not from the module's own code."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.explore.filters import fold, masks, selection, slug

PERIOD = "2024-Q2"


@pytest.fixture(scope="module")
def a(plan, sample_progress):
    return assess(plan, sample_progress, PERIOD, "nd09")


# --- text folding ----------------------------------------------------------------------------


def test_fold_drops_case_and_diacritics_including_d_with_stroke():
    assert fold("Hồ sơ  ĐẤT đai") == "ho so dat dai"
    assert fold("Huế-S") == "hue-s"
    assert fold(None) == "" and fold(pd.NA) == ""
    # decomposed input (pasted from a PDF) folds the same as composed input
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Chuyển đổi số")) == fold("Chuyển đổi số") == "chuyen doi so"


# --- masks and selection ---------------------------------------------------------------------


@pytest.mark.slow
def test_area_unit_and_status_masks_match_plain_pandas(a):
    t, k = a.targets, a.tasks
    mt, mk = masks(a, area="II.6", target_status=("at_risk", "missed"), task_status="overdue")
    assert (
        t.loc[mt, "target_id"].tolist()
        == t.loc[(t["area_id"] == "II.6") & t["status"].isin(["at_risk", "missed"]), "target_id"].tolist()
    )
    assert (
        k.loc[mk, "task_id"].tolist()
        == k.loc[(k["area_id"] == "II.6") & (k["status"] == "overdue"), "task_id"].tolist()
    )
    mt, mk = masks(a, unit="vh-xh")
    assert t.loc[mt, "target_id"].tolist() == t.loc[t["lead_unit_id"] == "vh-xh", "target_id"].tolist()
    assert mk.sum() == (k["lead_unit_id"] == "vh-xh").sum() > 0


@pytest.mark.slow
def test_no_filter_keeps_every_row_and_an_empty_status_list_filters_nothing(a):
    mt, mk = masks(a, target_status=[], task_status="")
    assert mt.all() and mk.all() and len(mt) == len(a.targets) and len(mk) == len(a.tasks)


def test_search_ignores_case_and_diacritics(a):
    t = a.targets
    want = t.loc[
        t[["target_id", "indicator", "indicator_en", "text"]]
        .astype("string")
        .apply(lambda c: c.str.contains("hồ sơ", case=False, regex=False))
        .fillna(False)
        .any(axis=1),
        "target_id",
    ].tolist()
    for typed in ("ho so", "HỒ SƠ", "Hồ  sơ"):
        mt, _ = masks(a, search=typed)
        assert t.loc[mt, "target_id"].tolist() == want, typed
    assert len(want) >= 5


def test_selection_is_the_report_tables_with_the_masked_rows(a):
    from cchc_lib.report import tables

    targets, tasks = selection(a, area="II.1")
    full = tables.target_table(a, "vi")
    pd.testing.assert_frame_equal(targets, full[a.targets["area_id"].eq("II.1").to_numpy()].reset_index(drop=True))
    assert len(tasks) == (a.tasks["area_id"] == "II.1").sum()
    assert "_status" in targets.columns


def test_slug_makes_a_file_name_part_from_typed_words():
    assert slug("Hồ sơ  ĐẤT đai!") == "ho-so-dat-dai"
    assert slug("x" * 60) == "x" * 40
