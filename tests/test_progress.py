"""Progress inputs: every bad-input case names file, row, column and what was expected;
the examples of docs/progress-data.md load as a new user would write them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cchc_lib import DataError
from cchc_lib.assessment.engine import assess
from cchc_lib.core.paths import REPO_ROOT
from cchc_lib.progress.loader import load_progress


def write(folder, name, text, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding=encoding)
    return folder


def error(plan, folder) -> str:
    with pytest.raises(DataError) as info:
        load_progress(folder, plan)
    return str(info.value)


# --- the documented examples -----------------------------------------------------------------


def doc_examples() -> dict[str, str]:
    """The ```csv blocks of docs/progress-data.md, by the section (kind) they stand in."""
    text = (REPO_ROOT / "docs" / "progress-data.md").read_text(encoding="utf-8")
    out = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        kind = section.split("\n", 1)[0].strip()
        block = re.search(r"```csv\n(.*?)```", section, re.S)
        if block:
            out[kind] = block.group(1)
    return out


@pytest.mark.slow
def test_docs_examples_load_and_give_hand_computed_verdicts(plan, tmp_path):
    examples = doc_examples()
    assert set(examples) == {"indicators", "tasks", "dossiers"}
    for kind, text in examples.items():
        write(tmp_path, f"{kind}.csv", text)
    progress = load_progress(tmp_path, plan)
    a = assess(plan, progress, "2024-Q2")
    t = a.targets.set_index("target_id")
    k = a.tasks.set_index("task_id")
    assert t.loc["T6.17", "actual"] == 62
    assert t.loc["T6.04", "actual"] == 90  # 18 / 20
    assert k.loc["PL2.01", "status"] == "done_on_time"  # done 12/03, due 31/03
    assert (k.loc["PL1.02", "status"], k.loc["PL1.02", "days_late"]) == ("overdue", 151)  # 15/01 → 14/06
    assert k.loc["NV2.04", "status"] == "recurring_missing"  # reported in Q1 only
    # Two dossiers: one online, returned on time; one direct, still pending after its due date.
    o = a.tthc.overall
    assert o.at["online_rate", "value"] == 50
    assert (o.at["on_time_rate", "numerator"], o.at["on_time_rate", "denominator"]) == (1, 2)
    assert o.at["overdue_pending", "value"] == 1


# --- bad input -------------------------------------------------------------------------------


def test_numerator_above_denominator(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,numerator,denominator\nT6.04,2024-Q2,25,20\n")
    msg = error(plan, tmp_path)
    assert "indicators.csv, dòng 2, cột 'numerator': tử số phải từ 0 đến mẫu số (20)" in msg


def test_rate_outside_0_100(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,0.62\nT6.14,2024-Q2,142\n")
    msg = error(plan, tmp_path)
    assert "dòng 3, cột 'value': tỷ lệ phần trăm phải từ 0 đến 100" in msg and "'142'" in msg


def test_a_percentage_typed_as_a_fraction_is_flagged(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,0.62\n")
    p = load_progress(tmp_path, plan)
    w = next(str(i) for i in p.warnings if "rất nhỏ" in str(i))
    assert "indicators.csv, dòng 2, cột 'value'" in w and "hãy ghi 62" in w
    assert p.indicators.iloc[0]["value"] == 0.62  # kept as typed, not guessed


def test_unknown_target_and_task_ids(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT9.99,2024-Q2,5\n")
    write(tmp_path, "tasks.csv", "task_id,period,status\nPL9.01,2024-Q2,Đang thực hiện\n")
    msg = error(plan, tmp_path)
    assert "indicators.csv, dòng 2, cột 'target_id': cần một mã chỉ tiêu có trong targets.csv" in msg
    assert "tasks.csv, dòng 2, cột 'task_id': cần một mã nhiệm vụ có trong tasks.csv" in msg
    assert "(2 lỗi)" in msg  # problems of several files come together


def test_unknown_status_word_lists_the_accepted_words(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nPL2.01,2024-Q2,xong rồi\n")
    msg = error(plan, tmp_path)
    assert (
        "dòng 2, cột 'status': cần một trong các giá trị: Chưa thực hiện, Đang thực hiện, Hoàn thành, Không thực hiện"
        in msg
    )
    assert "'xong rồi'" in msg


@pytest.mark.slow
def test_completion_date_after_the_period_is_a_warning_saying_where_it_counts(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status,completed_on\nPL2.01,2024-Q1,Hoàn thành,20/03/2024\n")
    progress = load_progress(tmp_path, plan)
    (w,) = [str(i) for i in progress.warnings if i.column == "completed_on"]
    assert "dòng 2" in w and "ngày hoàn thành sau ngày cuối kỳ báo cáo" in w
    assert "theo mốc Nghị định 09/2019/NĐ-CP kỳ Quý I/2024 kết thúc ngày 14/03/2024" in w
    assert "được tính hoàn thành từ Quý II/2024" in w
    # and the assessment does what the warning says
    assert assess(plan, progress, "2024-Q1").tasks.set_index("task_id").at["PL2.01", "status"] == "in_progress"
    assert assess(plan, progress, "2024-Q2").tasks.set_index("task_id").at["PL2.01", "status"] == "done_on_time"
    assert assess(plan, progress, "2024-Q1", "calendar").tasks.set_index("task_id").at["PL2.01", "status"] == (
        "done_on_time"
    )


def test_completion_date_outside_the_plan_year_is_an_error(plan, tmp_path):
    write(
        tmp_path,
        "tasks.csv",
        "task_id,period,status,completed_on\nPL2.01,2024-Q4,Hoàn thành,05/01/2025\n"
        "PL1.02,2024-Q1,Hoàn thành,20/11/2023\n",
    )
    msg = error(plan, tmp_path)
    assert "dòng 2, cột 'completed_on': ngày hoàn thành sau năm kế hoạch 2024" in msg
    assert "dòng 3, cột 'completed_on': ngày hoàn thành trước năm kế hoạch 2024" in msg


def test_done_without_a_date(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nPL2.01,2024-Q1,Hoàn thành\n")
    assert "cột 'completed_on': nhiệm vụ có thời hạn đã 'Hoàn thành' cần ngày hoàn thành" in error(plan, tmp_path)


DOSSIERS = "dossier_id,field,received_date,due_date,returned_date,channel\n"


def test_returned_before_received(plan, tmp_path):
    write(tmp_path, "dossiers.csv", DOSSIERS + "A,Hộ tịch,10/04/2024,12/04/2024,08/04/2024,Trực tiếp\n")
    msg = error(plan, tmp_path)
    assert "dossiers.csv, dòng 2, cột 'returned_date': ngày trả kết quả trước ngày tiếp nhận (10/04/2024)" in msg


def test_duplicate_dossier_ids(plan, tmp_path):
    write(
        tmp_path,
        "dossiers.csv",
        DOSSIERS + "A,Hộ tịch,10/04/2024,,,Trực tiếp\nB,Hộ tịch,10/04/2024,,,Trực tiếp\n"
        "A,Đất đai,11/04/2024,,,Trực tuyến\n",
    )
    assert "cột 'dossier_id': giá trị 'A' bị trùng ở các dòng 2, 4" in error(plan, tmp_path)


def test_dates_must_be_day_first_dates(plan, tmp_path):
    write(tmp_path, "dossiers.csv", DOSSIERS + "A,Hộ tịch,04/31/2024,,,Trực tiếp\n")
    assert "dòng 2, cột 'received_date': cần một ngày dạng dd/mm/yyyy" in error(plan, tmp_path)


def test_period_outside_the_plan_year(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2025-Q1,60\nT6.14,Quý 5/2024,60\n")
    msg = error(plan, tmp_path)
    assert "dòng 2, cột 'period': kỳ báo cáo phải thuộc năm kế hoạch 2024" in msg
    assert "dòng 3, cột 'period': cần kỳ báo cáo dạng 2024-Q2" in msg


def test_duplicate_rows_for_one_target_and_period(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,60\nT6.17,Quý II/2024,61\n")
    assert "trùng target_id + period (T6.17, 2024-Q2) ở các dòng 2, 3" in error(plan, tmp_path)


def test_missing_required_column(plan, tmp_path):
    write(tmp_path, "dossiers.csv", "dossier_id,field,received_date,channel_typo\nA,Hộ tịch,10/04/2024,x\n")
    msg = error(plan, tmp_path)
    assert "dossiers.csv, dòng 1: thiếu cột bắt buộc 'channel'" in msg


def test_empty_file(plan, tmp_path):
    write(tmp_path, "tasks.csv", "")
    assert "tasks.csv: tệp rỗng" in error(plan, tmp_path)


def test_non_utf8_csv(plan, tmp_path):
    folder = tmp_path
    folder.mkdir(exist_ok=True)
    (folder / "notes.csv").write_bytes(
        "period,highlights\n2024-Q2,Hoàn thành tốt\n".encode("cp1258", errors="replace").replace(b"?", b"\xe0")
    )
    msg = error(plan, folder)
    assert "notes.csv: tệp không phải mã UTF-8" in msg and "dòng 2" in msg


def test_a_kind_found_in_several_files_is_combined_and_the_same_row_counts_once(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2024-Q1,Đang thực hiện\n")
    write(
        tmp_path,
        "nhiem-vu_q2.csv",
        "task_id,period,status\nNV2.04,2024-Q1,Đang thực hiện\nNV2.04,2024-Q2,Đang thực hiện\n",
    )
    progress = load_progress(tmp_path, plan)
    assert sorted(progress.tasks["period"]) == ["2024-Q1", "2024-Q2"]
    src = progress.sources
    assert (src["rows_read"].sum(), src["rows_merged"].sum(), src["rows_used"].sum()) == (3, 1, 2)


def test_the_same_key_with_different_content_names_both_places(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q1,40\n")
    write(tmp_path, "chi-tieu-sua.csv", "Mã chỉ tiêu,Kỳ báo cáo,Giá trị đạt được\nT6.17,2024-Q1,45\n")
    msg = error(plan, tmp_path)
    assert "Chỉ tiêu T6.17, kỳ 2024-Q1 được ghi ở hai nơi với nội dung khác nhau ở cột 'Giá trị đạt được'" in msg
    assert "chi-tieu-sua.csv dòng 2 ghi '45'" in msg and "indicators.csv dòng 2 ghi '40'" in msg


DOSSIER_HEAD = "dossier_id,field,received_date,due_date,returned_date,channel,result_digitized,rating\n"


def test_overlapping_dossier_exports_count_each_dossier_once_in_its_latest_state(plan, tmp_path):
    write(
        tmp_path,
        "ho-so_2024-Q1.csv",
        DOSSIER_HEAD + "A,Hộ tịch,02/03/2024,06/03/2024,05/03/2024,Trực tuyến,Có,Hài lòng\n"
        "B,Đất đai,10/03/2024,10/04/2024,,Trực tiếp,,\n",
    )
    write(
        tmp_path,
        "ho-so_2024-Q2.csv",
        DOSSIER_HEAD + "B,Đất đai,10/03/2024,10/04/2024,02/04/2024,Trực tiếp,Có,Không hài lòng\n"
        "C,Chứng thực,20/04/2024,20/04/2024,20/04/2024,Trực tiếp,Không,\n",
    )
    progress = load_progress(tmp_path, plan)
    d = progress.dossiers.set_index("dossier_id")
    assert sorted(d.index) == ["A", "B", "C"]
    assert d.at["B", "returned_date"] == pd.Timestamp("2024-04-02")
    assert bool(d.at["B", "result_digitized"]) and d.at["B", "rating"] == "dissatisfied"
    assert d.at["B", "source_file"].endswith("ho-so_2024-Q2.csv")
    src = progress.sources.set_index("file")
    q1 = next(f for f in src.index if f.endswith("ho-so_2024-Q1.csv"))
    assert (src.at[q1, "rows_read"], src.at[q1, "rows_merged"], src.at[q1, "rows_used"]) == (2, 1, 1)


def test_the_same_dossier_id_with_another_received_date_names_both_places(plan, tmp_path):
    write(tmp_path, "ho-so_2024-Q1.csv", DOSSIER_HEAD + "B,Đất đai,10/03/2024,10/04/2024,,Trực tiếp,,\n")
    write(tmp_path, "ho-so_2024-Q2.csv", DOSSIER_HEAD + "B,Đất đai,11/03/2024,10/04/2024,02/04/2024,Trực tiếp,,\n")
    msg = error(plan, tmp_path)
    assert "Hồ sơ mã B được ghi ở hai nơi với nội dung khác nhau ở cột 'received_date'" in msg
    assert "ho-so_2024-Q1.csv dòng 2 ghi '10/03/2024'" in msg and "ho-so_2024-Q2.csv dòng 2 ghi '11/03/2024'" in msg


def test_two_different_return_dates_for_one_dossier_are_an_error(plan, tmp_path):
    write(tmp_path, "dossiers-a.csv", DOSSIER_HEAD + "B,Đất đai,10/03/2024,10/04/2024,01/04/2024,Trực tiếp,,\n")
    write(tmp_path, "dossiers-b.csv", DOSSIER_HEAD + "B,Đất đai,10/03/2024,10/04/2024,02/04/2024,Trực tiếp,,\n")
    assert "ở cột 'returned_date'" in error(plan, tmp_path)


@pytest.mark.parametrize("name", ["tasks-q3.csv", "nhiem-vu_2024-Q3.csv", "Nhiệm vụ quý 3.csv", "tasks.csv"])
def test_a_file_belongs_to_a_kind_by_the_start_of_its_name(plan, tmp_path, name):
    write(tmp_path, name, "task_id,period,status\nNV2.04,2024-Q3,Đang thực hiện\n")
    assert list(load_progress(tmp_path, plan).tasks["task_id"]) == ["NV2.04"]


def test_links_and_folders_that_look_like_inputs_are_reported(plan, tmp_path):
    (tmp_path / "tasks.csv").mkdir(parents=True)
    (tmp_path / "ho-so.csv").symlink_to(tmp_path / "gone.csv")
    (tmp_path / "old").mkdir()
    msg = error(plan, tmp_path)
    assert "tasks.csv: là một thư mục chứ không phải tệp số liệu" in msg
    assert "ho-so.csv: liên kết trỏ đến tệp không còn tồn tại" in msg


def test_a_link_is_named_by_its_own_path_relative_to_the_working_folder(tmp_path, monkeypatch):
    from cchc_lib.core.errors import display_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "nam").mkdir()
    (tmp_path / "nam" / "ho-so.csv").symlink_to(tmp_path / "gone.csv")
    (tmp_path / "nam" / "tasks.csv").symlink_to("/")
    assert display_path(tmp_path / "nam" / "ho-so.csv") == str(Path("nam", "ho-so.csv"))
    assert display_path(tmp_path / "nam" / "tasks.csv") == str(Path("nam", "tasks.csv"))


def test_a_hidden_sheet_is_skipped_with_a_warning(plan, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["task_id", "period", "status"])
    ws.append(["NV2.04", "2024-Q1", "Đang thực hiện"])
    ws.sheet_state = "hidden"
    wb.create_sheet("Ghi chú").append(["period", "area_id", "highlights"])
    tmp_path.mkdir(exist_ok=True)
    wb.save(tmp_path / "so-lieu.xlsx")
    progress = load_progress(tmp_path, plan)
    assert progress.tasks.empty
    assert any("[trang Nhiệm vụ]" in str(w) and "đang ẩn" in str(w) for w in progress.warnings)


def test_a_period_of_another_year_is_refused(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2023-Q4,Đang thực hiện\n")
    assert "dòng 2, cột 'period': kỳ báo cáo phải thuộc năm kế hoạch 2024" in error(plan, tmp_path)


def test_every_problem_of_every_file_comes_at_once(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2024-Q1,Đã xong rồi\nNV2.05,2024-Q1,Đang,thực hiện\n")
    write(
        tmp_path,
        "dossiers.csv",
        DOSSIER_HEAD + "A,Hộ tịch,10/04/2024,12/04/2024,08/04/2024,Qua điện thoại,,\n"
        "B,Hộ tịch,10/04/2024,12/04/2024,11/04/2024,Trực tiếp,,\n",
    )
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q1,1.250\n")
    msg = error(plan, tmp_path)
    assert "tasks.csv, dòng 2, cột 'status'" in msg
    assert "tasks.csv, dòng 3: dòng có 4 ô nhưng dòng tiêu đề có 3 cột" in msg  # same file, same pass
    assert "dossiers.csv, dòng 2, cột 'channel'" in msg
    # the cross-column check runs although the same row has another error
    assert "dossiers.csv, dòng 2, cột 'returned_date': ngày trả kết quả trước ngày tiếp nhận" in msg
    assert "indicators.csv, dòng 2, cột 'value'" in msg


# --- what is accepted, counted and shown -------------------------------------------------------


def test_vietnamese_headers_words_and_semicolons(plan, tmp_path):
    write(
        tmp_path,
        "nhiem-vu.csv",
        "Mã nhiệm vụ;Kỳ báo cáo;Tình trạng;Ngày hoàn thành;Văn bản, sản phẩm\n"
        "PL2.01;Quý I/2024;Đã hoàn thành;12/03/2024;KH 15/KH-UBND\n",
        encoding="utf-8-sig",
    )
    p = load_progress(tmp_path, plan)
    row = p.tasks.iloc[0]
    assert (row["task_id"], row["period"], row["status"]) == ("PL2.01", "2024-Q1", "done")
    assert row["completed_on"] == pd.Timestamp("2024-03-12") and row["evidence"] == "KH 15/KH-UBND"


def test_rows_without_figures_are_counted_not_dropped_silently(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT6.17,2024-Q2,60\nT6.14,2024-Q2,\nT6.13,2024-Q2,\n")
    p = load_progress(tmp_path, plan)
    src = p.sources.set_index("kind").loc["indicators"]
    assert (src["rows_read"], src["rows_used"], src["rows_not_entered"]) == (3, 1, 2)
    assert any("2 dòng chưa nhập số liệu" in str(w) for w in p.warnings)


def test_unknown_files_are_reported(plan, tmp_path):
    write(tmp_path, "bao-cao-cu.csv", "x\n1\n")
    write(tmp_path, "ghi chu.txt", "x")
    p = load_progress(tmp_path, plan)
    texts = " ".join(str(w) for w in p.warnings)
    assert "bao-cao-cu.csv" in texts and "không ứng với loại dữ liệu nào" in texts
    assert "ghi chu.txt" in texts


def test_value_for_a_qualitative_target_is_kept_with_a_warning(plan, tmp_path):
    write(tmp_path, "indicators.csv", "target_id,period,value\nT1.03,2024-Q2,3\n")
    p = load_progress(tmp_path, plan)
    assert len(p.indicators) == 1
    assert any("không định lượng" in str(w) for w in p.warnings)


def test_parquet_dossier_log(plan, tmp_path):
    df = pd.DataFrame(
        {
            "dossier_id": ["A", "B"],
            "field": ["Hộ tịch", "Đất đai"],
            "received_date": pd.to_datetime(["2024-04-01", "2024-04-02"]),
            "due_date": pd.to_datetime(["2024-04-03", "2024-04-20"]),
            "returned_date": pd.to_datetime(["2024-04-02", None]),
            "channel": ["online", "Trực tiếp"],
            "dossier_digitized": [True, False],
        }
    )
    tmp_path.mkdir(exist_ok=True)
    df.to_parquet(tmp_path / "dossiers.parquet")
    p = load_progress(tmp_path, plan)
    assert list(p.dossiers["channel"]) == ["online", "direct"]
    assert p.dossiers["returned_date"].isna().tolist() == [False, True]


# --- numbers, words and values the engine will not use ----------------------------------------


def _unit_target(plan, unit: str) -> str:
    t = plan.targets
    return t[t["measurable"] & (t["unit"] == unit) & t["kpi"].isna()]["target_id"].iloc[0]


@pytest.mark.parametrize("unit", ["percent", "per_month", "rating"])
@pytest.mark.parametrize("typed", ["1.250", "1,250", "1,250.5", "1.250,5", "12.500.000"])
def test_thousands_separators_are_refused_for_every_unit_with_the_form_to_write(plan, tmp_path, unit, typed):
    tid = plan.targets[plan.targets["measurable"] & (plan.targets["unit"] == unit)]["target_id"].iloc[0]
    write(tmp_path, "indicators.csv", f'target_id,period,value\n{tid},2024-Q1,"{typed}"\n')
    msg = error(plan, tmp_path)
    assert "dòng 2, cột 'value': số có dấu phân cách hàng nghìn không được dùng" in msg
    assert "ghi 1250 (không ghi 1.250 hay 1,250)" in msg and "ghi 1250,5" in msg
    assert msg.count("dòng 2") == 1  # one message for the cell, not the generic one as well


@pytest.mark.parametrize("typed, value", [("42,5", 42.5), ("42.5", 42.5), ("0,125", 0.125), ("1250", 1250)])
def test_plain_decimals_are_still_read(plan, tmp_path, typed, value):
    tid = _unit_target(plan, "per_month")
    write(tmp_path, "indicators.csv", f'target_id,period,value\n{tid},2024-Q1,"{typed}"\n')
    assert load_progress(tmp_path, plan).indicators["value"].iloc[0] == value


def test_the_fraction_warning_writes_vietnamese_numbers(plan, tmp_path):
    tid = _unit_target(plan, "percent")
    write(tmp_path, "indicators.csv", f'target_id,period,value\n{tid},2024-Q1,"0,425"\n')
    (w,) = [str(i) for i in load_progress(tmp_path, plan).warnings if i.column == "value"]
    assert "tỷ lệ 0,425% rất nhỏ: nếu là 42,5% hãy ghi 42,5" in w


def test_documented_synonyms_are_exactly_the_accepted_words(plan):
    from cchc_lib.progress.specs import (
        CHANNEL_SYNONYMS,
        CHANNEL_WORDS,
        RATING_SYNONYMS,
        RATING_WORDS,
        STATUS_SYNONYMS,
        STATUS_WORDS,
    )

    docs = (REPO_ROOT / "docs" / "progress-data.md").read_text(encoding="utf-8")
    table = docs[docs.index("## Accepted words") : docs.index("## notes")]
    pairs = ((STATUS_WORDS, STATUS_SYNONYMS), (CHANNEL_WORDS, CHANNEL_SYNONYMS), (RATING_WORDS, RATING_SYNONYMS))
    for words, synonyms in pairs:
        for key, vi in words["vi"].items():
            assert vi in table
            assert words["en"][key].lower() in table
            for s in synonyms[key]:
                assert s in table, s


def test_a_synonym_is_accepted_and_a_non_word_is_refused_with_the_drop_down(plan, tmp_path):
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2024-Q1,Đã hoàn thành\n")
    assert list(load_progress(tmp_path, plan).tasks["status"]) == ["done"]
    write(tmp_path, "tasks.csv", "task_id,period,status\nNV2.04,2024-Q1,Xong xuôi\n")
    msg = error(plan, tmp_path)
    assert "cần một trong các giá trị: Chưa thực hiện, Đang thực hiện, Hoàn thành, Không thực hiện" in msg


def _kpi_target(plan, kpi: str) -> str:
    return plan.targets[plan.targets["kpi"] == kpi]["target_id"].iloc[0]


@pytest.mark.slow
def test_a_rate_typed_for_a_target_the_dossier_log_measures_is_warned_by_its_header(plan, tmp_path):
    tid = _kpi_target(plan, "online_rate")
    write(tmp_path, "chi-tieu.csv", f"Mã chỉ tiêu,Kỳ báo cáo,Giá trị đạt được\n{tid},2024-Q1,55\n")
    write(tmp_path, "dossiers.csv", DOSSIER_HEAD + "A,Hộ tịch,02/03/2024,06/03/2024,05/03/2024,Trực tuyến,Có,\n")
    a = assess(plan, load_progress(tmp_path, plan), "2024-Q1")
    rows = [" ".join(map(str, r)) for r in a.warnings.itertuples(index=False)]
    hit = [r for r in rows if f"giá trị nhập tay của chỉ tiêu {tid}" in r]
    assert len(hit) == 1 and "Giá trị đạt được" in hit[0] and "chi-tieu.csv" in hit[0]


@pytest.mark.slow
def test_an_entered_rating_is_used_and_labelled_entered(plan, tmp_path):
    tid = _kpi_target(plan, "rating")
    write(tmp_path, "indicators.csv", f"target_id,period,value\n{tid},2024,3\n")
    t = assess(plan, load_progress(tmp_path, plan), "2024").targets.set_index("target_id").loc[tid]
    assert (t["actual"], t["actual_source"], t["status"]) == (3, "entered", "met")


@pytest.mark.slow
def test_an_estimated_rating_is_never_counted_as_meeting_its_target(plan, sample_progress):
    tid = _kpi_target(plan, "rating")
    for period in ("2024-Q2", "2024"):
        a = assess(plan, sample_progress, period)
        t = a.targets.set_index("target_id").loc[tid]
        assert t["actual_source"] == "estimate" and t["actual"] == a.overall["rating_level"]
        assert t["status"] == ("on_track" if t["actual"] >= t["target_value"] else "at_risk")


@pytest.mark.slow
def test_status_counts_add_up_and_the_summary_states_every_part(plan, sample_progress):
    from cchc_lib.assessment.counts import status_counts
    from cchc_lib.report.narrative import summary_paragraph

    for period in ("2024-Q1", "2024-Q2", "2024"):
        a = assess(plan, sample_progress, period)
        c = status_counts(a.targets)
        assert c.total == int(a.targets["measurable"].sum())
        text = summary_paragraph(a, "vi")
        assert f"trong {c.total} chỉ tiêu định lượng có {c.met} chỉ tiêu đạt, {c.on_track} đúng tiến độ" in text
        assert f"{c.missed} không đạt, {c.not_due} chưa đến kỳ đánh giá và {c.no_data} chưa có số liệu" in text
        en = summary_paragraph(a, "en")
        assert f"{c.not_due} not yet due and {c.no_data} without data" in en
