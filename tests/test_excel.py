"""The Excel data-entry template: layout, drop-downs, and a round trip through load_progress."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cchc_lib.core.errors import DataError
from cchc_lib.core.periods import PeriodError
from cchc_lib.core.schemas import norm_key, rename_headers
from cchc_lib.i18n import fmt
from cchc_lib.plan.model import load_plan
from cchc_lib.progress import template as template_module
from cchc_lib.progress.loader import SPECS, STATUS_WORDS, kind_of, load_progress
from cchc_lib.progress.template import (
    INSTRUCTIONS_SHEET,
    REFERENCE_COLUMNS,
    SHEET_NAMES,
    SHEET_ORDER,
    template_name,
    write_template,
)

from .conftest import edit_cell

Q1 = "2024-Q1"


@pytest.fixture(scope="module")
def template(plan, tmp_path_factory) -> Path:
    return write_template(plan, Q1, tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="module")
def wb(template):
    return load_workbook(template)


def headers(ws) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def col(ws, header: str) -> int:
    return headers(ws).index(header) + 1


def row_of(ws, key: str, column: int = 1) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, column).value == key:
            return r
    raise KeyError(key)


def cell(ws, key: str, header: str):
    return ws.cell(row_of(ws, key), col(ws, header)).value


def put(ws, key: str, header: str, value) -> int:
    r = row_of(ws, key)
    ws.cell(r, col(ws, header), value)
    return r


def fill_and_load(template: Path, folder: Path, plan, fill):
    """Open the template as an analyst would, type into it, save it into ``folder``, load."""
    book = load_workbook(template)
    fill(book)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / template.name)
    return load_progress(folder, plan)


# --- layout --------------------------------------------------------------------------------


@pytest.mark.slow
def test_sheets_are_named_so_the_loader_finds_each_kind(wb):
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "Chỉ tiêu", "Nhiệm vụ", "Hồ sơ TTHC", "Phản ánh kiến nghị", "Ghi chú"]
    assert kind_of(INSTRUCTIONS_SHEET) is None
    assert [kind_of(n) for n in wb.sheetnames[1:]] == list(SHEET_ORDER)
    assert all(kind_of(SHEET_NAMES[k]) == k for k in SHEET_ORDER)


@pytest.mark.parametrize("kind", SHEET_ORDER)
@pytest.mark.slow
def test_headers_are_the_labels_then_the_reference_columns(wb, kind):
    ws = wb[SHEET_NAMES[kind]]
    spec = SPECS[kind]
    labels = [f.label for f in spec.fields]
    refs = [h for h, _, _ in REFERENCE_COLUMNS[kind]]
    assert headers(ws) == labels + refs
    # The loader maps the labels back to the canonical ids and leaves the reference columns alone.
    mapped = rename_headers(pd.DataFrame(columns=labels + refs), spec)
    assert list(mapped.columns) == [f.name for f in spec.fields] + refs


@pytest.mark.parametrize("kind", SHEET_ORDER)
def test_reference_headers_never_collide_with_a_field(kind):
    taken = {norm_key(h).replace(" ", "_") for f in SPECS[kind].fields for h in (f.name, f.label, *f.headers) if h}
    for header, _, _ in REFERENCE_COLUMNS[kind]:
        assert norm_key(header).replace(" ", "_") not in taken, header
    # The forbidden examples really are field spellings, so the check has teeth.
    indicator_keys = {
        norm_key(h).replace(" ", "_") for f in SPECS["indicators"].fields for h in (f.name, f.label, *f.headers) if h
    }
    assert {"giá_trị", "kết_quả", "mã_chỉ_tiêu"} <= indicator_keys


def test_frozen_header_styles_and_properties(wb, template, plan):
    for kind in SHEET_ORDER:
        ws = wb[SHEET_NAMES[kind]]
        assert ws.freeze_panes in ("A2", "B2")
        first, last = ws.cell(1, 1), ws.cell(1, len(headers(ws)))
        assert first.font.bold and first.fill.fgColor.rgb.endswith("1F4E78")
        assert last.font.bold and last.fill.fill_type == "solid"
    ind = wb["Chỉ tiêu"]
    ref_cell = ind.cell(2, col(ind, "Tên chỉ tiêu"))
    input_cell = ind.cell(2, col(ind, "Giá trị đạt được"))
    assert ref_cell.fill.fgColor.rgb.endswith("F2F2F2") and ref_cell.alignment.wrap_text
    assert input_cell.fill.fill_type is None
    assert ind.column_dimensions["I"].width >= 30
    assert wb.properties.creator == "cchc"
    assert "Quý I/2024" in wb.properties.title and plan.meta["commune"] in wb.properties.title
    assert wb.properties.created == dt.datetime(2024, 1, 1) == wb.properties.modified
    assert template.name == template_name(plan, Q1) == "mau-nhap-lieu_hai-duong-2024_2024-Q1.xlsx"


def test_instructions_explain_words_dates_percentages_and_where_the_file_goes(wb, plan):
    text = "\n".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)
    for needle in (
        "Hoàn thành",
        "Trực tuyến",
        "Hài lòng",
        "dd/mm/yyyy",
        "42,5",
        "0,425",
        "chưa nhập",
        f"data/progress/{plan.plan_id}/{plan.year}/",
        f"cchc report --plan {plan.plan_id} --period {Q1} --data {plan.year}",
        "Quý I/2024",
    ):
        assert needle in text, needle


def validations(ws) -> dict[str, list]:
    """Header of the first column each validation covers → validations."""
    names = headers(ws)
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        first = min(dv.sqref.ranges, key=lambda r: (r.min_col, r.min_row))
        out.setdefault(names[first.min_col - 1], []).append(dv)
    return out


def test_drop_downs_and_date_formats(wb):
    tasks = validations(wb["Nhiệm vụ"])
    status = tasks["Tình trạng"][0]
    assert status.type == "list" and "Hoàn thành" in status.formula1
    assert all(w in status.formula1 for w in STATUS_WORDS["vi"].values())
    assert "2024-Q3" in tasks["Kỳ báo cáo"][0].formula1
    assert max(r.max_row for r in status.sqref.ranges) >= 1000

    dossiers = validations(wb["Hồ sơ TTHC"])
    channel = dossiers["Hình thức nộp"][0]
    assert "Trực tuyến" in channel.formula1 and "Bưu chính công ích" in channel.formula1
    assert max(r.max_row for r in channel.sqref.ranges) >= 5000
    assert dossiers["Số hóa hồ sơ"][0].formula1 == '"Có,Không"'
    assert {str(r) for r in dossiers["Số hóa hồ sơ"][0].sqref.ranges} >= {"H2:H5000", "I2:I5000"}
    assert "Hài lòng" in dossiers["Đánh giá"][0].formula1
    assert dossiers["Ngày tiếp nhận"][0].type == "date"
    assert "Hài lòng" in validations(wb["Phản ánh kiến nghị"])["Đánh giá"][0].formula1

    # Percent entry cells are checked as plain numbers 0–100, not Excel percentages.
    ind = wb["Chỉ tiêu"]
    value_checks = validations(ind)["Giá trị đạt được"]
    percent = next(dv for dv in value_checks if dv.type == "decimal" and dv.formula2 == "100")
    assert f"C{row_of(ind, 'T6.17')}" in str(percent.sqref)
    assert ind.cell(row_of(ind, "T6.17"), 3).number_format == "General"

    # Date columns: dd/mm/yyyy on pre-filled rows and as the column style of the logs.
    t = wb["Nhiệm vụ"]
    assert t.cell(2, col(t, "Ngày hoàn thành")).number_format == "dd/mm/yyyy"
    assert wb["Hồ sơ TTHC"].column_dimensions["D"].number_format == "dd/mm/yyyy"


def test_a_row_per_measurable_target_and_per_task(wb, plan):
    ind, tasks, notes = wb["Chỉ tiêu"], wb["Nhiệm vụ"], wb["Ghi chú"]
    measurable = list(plan.targets.loc[plan.targets["measurable"], "target_id"])
    assert [ind.cell(r, 1).value for r in range(2, ind.max_row + 1)] == measurable
    assert {ind.cell(r, 2).value for r in range(2, ind.max_row + 1)} == {Q1}
    assert [tasks.cell(r, 1).value for r in range(2, tasks.max_row + 1)] == list(plan.tasks["task_id"])
    sections = list(template_module.NOTE_SECTION_ROWS)
    assert [notes.cell(r, 2).value for r in range(2, notes.max_row + 1)] == [None, *plan.areas["area_id"]] + [
        None
    ] * len(sections)
    section_col = next(c for c in range(1, notes.max_column + 1) if notes.cell(1, c).value == "Mục báo cáo")
    assert [notes.cell(r, section_col).value for r in range(2, notes.max_row + 1)][-len(sections) :] == sections
    assert wb["Hồ sơ TTHC"].max_row == 1 and wb["Phản ánh kiến nghị"].max_row == 1


def test_reference_columns_say_what_the_plan_asks(wb):
    ind = wb["Chỉ tiêu"]
    assert cell(ind, "T2.07", "Chỉ tiêu kế hoạch") == "≥ 50%"
    assert cell(ind, "T2.07", "Đơn vị tính") == "%"
    assert cell(ind, "T2.07", "Lĩnh vực") == "II.2"
    assert cell(ind, "T2.07", "Tên chỉ tiêu") == "Tỷ lệ hồ sơ giải quyết trực tuyến"
    assert cell(ind, "T2.07", "Cách tính").startswith("Tự tính từ sổ hồ sơ một cửa")
    assert "mẫu số: người dân trên địa bàn" in cell(ind, "T6.17", "Cách tính")
    assert cell(ind, "T6.12", "Chỉ tiêu kế hoạch") == "≥ 1/tháng"
    assert cell(ind, "T6.12", "Đơn vị tính") == "số/tháng"
    assert cell(ind, "T7.03", "Chỉ tiêu kế hoạch") == "≥ khá"
    assert cell(ind, "T7.03", "Đơn vị tính") == "xếp loại 1–4"
    assert cell(ind, "T6.17", "Số liệu gần nhất (kỳ)") is None

    tasks = wb["Nhiệm vụ"]
    assert cell(tasks, "PL2.01", "Thời hạn") == "Quý I/2024 (31/03/2024)"
    assert cell(tasks, "PL1.01", "Thời hạn") == "Trước ngày 05/01/2024"
    assert cell(tasks, "NV2.01", "Thời hạn") == "Thường xuyên"
    assert cell(tasks, "PL2.01", "Đơn vị chủ trì") == "Văn phòng – Thống kê"
    assert cell(tasks, "PL4.01", "Đơn vị chủ trì") == "Phòng Nội vụ thành phố"
    assert cell(tasks, "PL2.01", "Nội dung nhiệm vụ")
    assert cell(tasks, "PL2.01", "Chuyển sang từ kỳ trước") is None
    assert cell(tasks, "NV2.01", "Chuyển sang từ kỳ trước") == "Thường xuyên – cần báo cáo kỳ này"
    assert wb["Ghi chú"].cell(3, col(wb["Ghi chú"], "Tên lĩnh vực")).value == "Cải cách thể chế"


@pytest.mark.slow
def test_out_may_be_a_folder_or_a_file(plan, tmp_path):
    assert write_template(plan, "Quý II/2024", tmp_path).name == "mau-nhap-lieu_hai-duong-2024_2024-Q2.xlsx"
    new_folder = tmp_path / "moi" / "2024-Q2"
    assert write_template(plan, "2024-Q2", new_folder).parent == new_folder
    target = tmp_path / "khac" / "so-lieu.xlsx"
    assert write_template(plan, "2024-H1", target) == target and target.is_file()
    with pytest.raises(DataError, match=r"\.xlsx"):
        write_template(plan, "2024-Q2", tmp_path / "so-lieu.xls")
    with pytest.raises(PeriodError, match="năm kế hoạch 2024"):
        write_template(plan, "2023-Q4", tmp_path)


def test_same_inputs_give_the_same_bytes(plan, tmp_path, template):
    again = write_template(plan, Q1, tmp_path)
    assert again.read_bytes() == template.read_bytes()


@pytest.mark.slow
def test_plan_text_starting_with_equals_stays_text(plan_copy, tmp_path):
    edit_cell(plan_copy / "tasks.csv", 0, "text", "=1+1 rà soát văn bản")
    path = write_template(load_plan(plan_copy), Q1, tmp_path)
    ws = load_workbook(path)["Nhiệm vụ"]
    c = ws.cell(2, col(ws, "Nội dung nhiệm vụ"))
    assert c.data_type == "s" and c.value == "=1+1 rà soát văn bản"


# --- round trip through load_progress ---------------------------------------------------------


def test_untouched_template_loads_as_not_entered(plan, template, tmp_path):
    folder = tmp_path / Q1
    folder.mkdir()
    shutil.copy(template, folder)
    progress = load_progress(folder, plan)
    assert all(progress.table(k).empty for k in SHEET_ORDER)
    counts = progress.sources.set_index("kind")
    assert counts.loc["indicators", "rows_not_entered"] == int(plan.targets["measurable"].sum())
    assert counts.loc["tasks", "rows_not_entered"] == len(plan.tasks)
    assert counts.loc["notes", "rows_not_entered"] == len(plan.areas) + 1 + len(template_module.NOTE_SECTION_ROWS)
    assert all(w.severity == "warning" for w in progress.warnings)


NOTE = "Tỷ lệ hồ sơ trực tuyến tăng & số hồ sơ trễ hạn < 5% <b>"
SECTION_NOTE = "Kiểm tra đột xuất Bộ phận một cửa 01 lần"


def _fill_q1(book) -> dict:
    rows = {}
    ind = book["Chỉ tiêu"]
    rows["T6.17"] = put(ind, "T6.17", "Giá trị đạt được", 62)
    put(ind, "T6.17", "Nguồn số liệu", "Báo cáo của các thôn")
    put(ind, "T2.05", "Tử số", 30)
    put(ind, "T2.05", "Mẫu số", 40)
    tasks = book["Nhiệm vụ"]
    put(tasks, "PL2.01", "Tình trạng", "Hoàn thành")
    put(tasks, "PL2.01", "Ngày hoàn thành", dt.date(2024, 3, 20))
    put(tasks, "PL2.01", "Văn bản, sản phẩm", "Quyết định số 15/QĐ-UBND")
    put(tasks, "NV2.01", "Tình trạng", "Đang thực hiện")
    dossiers = book["Hồ sơ TTHC"]
    dossiers.append(
        [
            "HS-001",
            "Hộ tịch",
            "Đăng ký khai sinh",
            dt.date(2024, 2, 1),
            dt.date(2024, 2, 2),
            dt.date(2024, 2, 2),
            "Trực tuyến",
            "Có",
            "Có",
            "Hài lòng",
        ]
    )
    dossiers.append(
        [
            "HS-002",
            "Đất đai",
            "Chứng thực hợp đồng",
            dt.date(2024, 2, 5),
            dt.date(2024, 2, 8),
            None,
            "Trực tiếp",
            "Không",
            "Không",
            None,
        ]
    )
    book["Phản ánh kiến nghị"].append(
        [
            "PA-01",
            dt.date(2024, 1, 10),
            dt.date(2024, 1, 20),
            dt.date(2024, 1, 15),
            "Bình thường",
            "Phản ánh đèn đường thôn 3",
        ]
    )
    notes = book["Ghi chú"]
    notes.cell(2, col(notes, "Kết quả nổi bật"), NOTE)
    inspection = next(
        r for r in range(2, notes.max_row + 1) if notes.cell(r, col(notes, "Mục báo cáo")).value == "Công tác kiểm tra"
    )
    notes.cell(inspection, col(notes, "Nội dung"), SECTION_NOTE)
    return rows


@pytest.mark.slow
def test_round_trip_what_was_typed_is_what_is_loaded(plan, template, tmp_path):
    typed = {}
    progress = fill_and_load(template, tmp_path / Q1, plan, lambda book: typed.update(_fill_q1(book)))

    ind = progress.indicators.set_index("target_id")
    assert list(ind.index) == ["T2.05", "T6.17"]
    assert ind.loc["T6.17", "value"] == 62
    assert ind.loc["T6.17", "source"] == "Báo cáo của các thôn"
    assert ind.loc["T6.17", "source_row"] == typed["T6.17"]
    assert ind.loc["T2.05", "value"] == 75
    assert set(ind["period"]) == {Q1}

    tasks = progress.tasks.set_index("task_id")
    assert tasks.loc["PL2.01", "status"] == "done"
    assert tasks.loc["PL2.01", "completed_on"] == pd.Timestamp(2024, 3, 20)
    assert tasks.loc["PL2.01", "evidence"] == "Quyết định số 15/QĐ-UBND"
    assert tasks.loc["NV2.01", "status"] == "in_progress"
    assert pd.isna(tasks.loc["NV2.01", "completed_on"])

    d = progress.dossiers.set_index("dossier_id")
    assert list(d.index) == ["HS-001", "HS-002"]
    assert list(d["channel"]) == ["online", "direct"]
    assert list(d["received_date"]) == [pd.Timestamp(2024, 2, 1), pd.Timestamp(2024, 2, 5)]
    assert d.loc["HS-001", "returned_date"] == pd.Timestamp(2024, 2, 2) and pd.isna(d.loc["HS-002", "returned_date"])
    assert list(d["dossier_digitized"]) == [True, False] and list(d["result_digitized"]) == [True, False]
    assert d.loc["HS-001", "rating"] == "satisfied" and pd.isna(d.loc["HS-002", "rating"])
    assert d.loc["HS-002", "field"] == "Đất đai"

    fb = progress.feedback.iloc[0]
    assert (fb["feedback_id"], fb["rating"], fb["resolved_date"]) == ("PA-01", "neutral", pd.Timestamp(2024, 1, 15))
    assert fb["summary"] == "Phản ánh đèn đường thôn 3"

    notes = progress.notes
    assert len(notes) == 2
    assert (notes.iloc[0]["area_id"], notes.iloc[0]["highlights"], notes.iloc[0]["period"]) == ("", NOTE, Q1)
    assert (notes.iloc[1]["section"], notes.iloc[1]["text"], notes.iloc[1]["area_id"]) == (
        "inspection",
        SECTION_NOTE,
        "",
    )

    counts = progress.sources.set_index("kind")
    assert counts.loc["indicators", "rows_not_entered"] == int(plan.targets["measurable"].sum()) - 2
    assert counts.loc["tasks", "rows_not_entered"] == len(plan.tasks) - 2
    assert counts.loc["notes", "rows_not_entered"] == len(plan.areas) + len(template_module.NOTE_SECTION_ROWS) - 1
    assert counts.loc["dossiers", "rows_used"] == 2
    assert all(w.severity == "warning" for w in progress.warnings)


@pytest.mark.slow
def test_previous_period_reference_columns(plan, tmp_path):
    q1 = tmp_path / "q1"
    q1.mkdir()
    (q1 / "indicators.csv").write_text(
        'target_id,period,value\nT6.17,2024-Q1,55\nT2.07,Quý I/2024,"42,5"\n', encoding="utf-8"
    )
    (q1 / "tasks.csv").write_text(
        "task_id,period,status,completed_on\n"
        "PL2.01,2024-Q1,Hoàn thành,20/03/2024\n"
        "NV2.01,2024-Q1,Đang thực hiện,\n"
        "NV2.02,2024-Q1,Hoàn thành,\n",
        encoding="utf-8",
    )
    progress = load_progress(q1, plan)

    book = load_workbook(write_template(plan, "2024-Q2", tmp_path / "out", progress=progress))
    ind, tasks = book["Chỉ tiêu"], book["Nhiệm vụ"]
    latest = "Số liệu gần nhất (kỳ)"
    assert cell(ind, "T6.17", latest) == fmt.value(55, "percent") + " (Quý I/2024)" == "55% (Quý I/2024)"
    assert cell(ind, "T2.07", latest) == "42,5% (Quý I/2024)"
    assert cell(ind, "T6.01", latest) is None
    # A deadline task done earlier carries over (no new entry); a standing duty still needs its report.
    carried = "Chuyển sang từ kỳ trước"
    assert cell(tasks, "PL2.01", carried).startswith("Đã hoàn thành ngày 20/03/2024 (Quý I/2024)")
    assert cell(tasks, "PL2.01", carried).endswith("không cần nhập lại")
    assert cell(tasks, "NV2.01", carried) == "Thường xuyên – cần báo cáo kỳ này (kỳ gần nhất: Quý I/2024)"
    assert cell(tasks, "PL1.03", carried) is None

    # Nothing of Q1 is "before" Q1 itself.
    same = load_workbook(write_template(plan, Q1, tmp_path / "same", progress=progress))
    assert cell(same["Chỉ tiêu"], "T6.17", latest) is None
    assert cell(same["Nhiệm vụ"], "NV2.01", carried) == "Thường xuyên – cần báo cáo kỳ này"


@pytest.mark.slow
def test_bad_values_typed_in_the_template_name_sheet_row_and_column(plan, template, tmp_path):
    rows = {}

    def fill(book):
        rows["status"] = put(book["Nhiệm vụ"], "PL1.03", "Tình trạng", "xong rồi")
        rows["value"] = put(book["Chỉ tiêu"], "T6.17", "Giá trị đạt được", 142)

    with pytest.raises(DataError) as err:
        fill_and_load(template, tmp_path / Q1, plan, fill)
    message = str(err.value)
    status = next(i for i in err.value.issues if i.column == "Tình trạng")
    assert "[trang Nhiệm vụ]" in status.file and status.row == rows["status"] and status.value == "xong rồi"
    value = next(i for i in err.value.issues if i.column == "Giá trị đạt được")
    assert "[trang Chỉ tiêu]" in value.file and value.row == rows["value"] and value.value == "142"
    assert f"[trang Nhiệm vụ], dòng {rows['status']}, cột 'Tình trạng'" in message
    assert f"[trang Chỉ tiêu], dòng {rows['value']}, cột 'Giá trị đạt được'" in message
    assert "0 đến 100" in message
