"""Files are read as text with spreadsheet row numbers; encoding problems are explained."""

import datetime as dt

import pytest
from openpyxl import Workbook

from cchc_lib.core.errors import DataError
from cchc_lib.core.paths import REPO_ROOT
from cchc_lib.core.readers import MAX_CELL_CHARS, arrow_csv, excel_sheets, read_csv, read_excel, read_table


def test_csv_with_and_without_bom_read_the_same(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    text = "mã,tên\nA1,Hộ tịch\n"
    a.write_text(text, encoding="utf-8-sig")
    b.write_text(text, encoding="utf-8")
    assert read_csv(a).equals(read_csv(b))
    assert list(read_csv(a).columns) == ["mã", "tên"]


@pytest.mark.parametrize(
    "text",
    ['id,text\n1,"two\nlines"\n\n2,after blank\n', '"id","text"\n"1","two\nlines"\n\n"2","after blank"\n'],
    ids=["some-quoted", "all-quoted"],
)
def test_row_numbers_count_records_not_physical_lines(tmp_path, text):
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    assert arrow_csv(p.read_bytes(), 0, ",") is None  # a cell spans two lines: the csv module reads it
    df = read_csv(p)
    assert list(df.index) == [2, 4]
    assert df.loc[2, "text"] == "two\nlines"
    assert df.attrs["blank_rows"] == 1


@pytest.mark.parametrize("quote_all", [False, True])
def test_quoted_cells_on_one_line_each_read_the_same_as_unquoted(tmp_path, quote_all):
    p = tmp_path / "x.csv"
    rows = [["id", "text"], ["1", "a, b"], ["2", 'say ""hi""'], ["3", ""]]
    p.write_text("\n".join(",".join(f'"{c}"' if quote_all or "," in c or '"' in c else c for c in r) for r in rows))
    assert arrow_csv(p.read_bytes(), 0, ",") is not None  # pyarrow reads it
    df = read_csv(p)
    assert df["text"].tolist() == ["a, b", 'say "hi"', ""] and list(df.index) == [2, 3, 4]


def _big_log(rows: int, cell) -> bytes:
    """A log of many parse blocks (pyarrow reads a large file in blocks on several threads)."""
    lines = ["Mã hồ sơ,Lĩnh vực,Ghi chú"] + [f"HS-{i},Hộ tịch,{cell(i)}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_log_of_many_parse_blocks_reads_as_the_csv_module_reads_it():
    import csv
    import io

    data = _big_log(400_000, lambda i: f'"Ghi chú {i}, có dấu phẩy"' if i % 7 == 0 else f"ghi chú {i}")
    assert len(data) > 3 * (1 << 22)  # several of arrow_csv's 4 MB blocks
    table = arrow_csv(data, 0, ",")
    assert table is not None
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert table.num_rows == len(rows) - 1
    for i, name in enumerate(rows[0]):
        assert table.column(name).to_pylist() == [r[i] for r in rows[1:]]


def test_a_line_break_in_a_quoted_cell_of_a_large_log_is_left_to_the_csv_module():
    # Wherever the blocks fall, a cell over two lines must not be split into two records.
    for every in (99_991, 3):  # a few such cells, or a third of the rows
        data = _big_log(400_000, lambda i, every=every: '"hai\ndòng"' if i % every == 1 else "một dòng")
        assert len(data) > 3 * (1 << 22)
        assert arrow_csv(data, 0, ",") is None


def test_semicolon_separated_csv_from_a_vietnamese_excel(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id;value\nA;12,5\n", encoding="utf-8-sig")
    df = read_csv(p)
    assert df.loc[2, "value"] == "12,5"


def test_values_are_kept_as_text(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,flag,n\n07,có,\n", encoding="utf-8")
    row = read_csv(p).loc[2]
    assert (row["id"], row["flag"], row["n"]) == ("07", "có", "")


def test_too_many_cells_names_the_row(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="dòng 3"):
        read_csv(p)


def test_empty_and_header_only_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"\xef\xbb\xbf  \n")
    with pytest.raises(DataError, match="tệp rỗng"):
        read_csv(p)
    p.write_text("a,b\n", encoding="utf-8")
    assert read_csv(p).empty


def test_excel_sheet_dates_and_numbers_become_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "dossiers"
    ws.append(["id", "received", "n"])
    ws.append(["HS1", dt.datetime(2024, 6, 14), 3.0])
    ws.append([None, None, None])
    ws.append(["HS2", dt.date(2024, 6, 15), 2.5])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    df = read_table(path)
    assert list(df.index) == [2, 4]
    assert df.loc[2].tolist() == ["HS1", "2024-06-14", "3"]
    assert df.loc[4, "n"] == "2.5"
    assert "[trang dossiers]" in df.attrs["file"]
    with pytest.raises(DataError, match="không có trang tính 'tasks'"):
        read_excel(path, "tasks")


def test_a_csv_renamed_xlsx_is_named_and_explained(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("task_id,period\nPL2.01,2024-Q1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x\.xlsx: tệp không phải bảng tính Excel \.xlsx thật .*CSV hoặc tệp nén"):
        read_table(p)


def test_a_zip_renamed_xlsx_is_named_and_explained(tmp_path):
    import zipfile

    p = tmp_path / "y.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(DataError, match=r"y\.xlsx: tệp không phải bảng tính Excel \.xlsx thật"):
        excel_sheets(p)


def test_a_file_without_read_permission_is_named(tmp_path, monkeypatch):
    p = tmp_path / "tasks.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(p), "read_bytes", refuse)
    with pytest.raises(DataError, match=r"tasks\.csv: không có quyền đọc tệp"):
        read_csv(p)


def test_a_workbook_without_read_permission_is_named(tmp_path, monkeypatch):
    import openpyxl

    p = tmp_path / "q.xlsx"
    Workbook().save(p)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    with pytest.raises(DataError, match=r"q\.xlsx: không có quyền đọc tệp"):
        read_table(p)


def test_an_unquoted_decimal_comma_makes_a_row_too_long_with_the_hint(tmp_path):
    p = tmp_path / "indicators.csv"
    p.write_text("target_id,period,value,source,note\nT6.17,2024-Q2,42,5,Báo cáo VH-XH,\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv(p)
    msg = str(info.value)
    assert "dòng 2: dòng có 6 ô nhưng dòng tiêu đề có 5 cột" in msg
    assert '("42,5")' in msg and "dấu ;" in msg


def test_a_row_with_fewer_cells_than_the_header_is_an_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b,c\n1,2,3\n4,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="dòng 3: dòng có 2 ô nhưng dòng tiêu đề có 3 cột"):
        read_csv(p)


@pytest.mark.parametrize(
    "text",
    [
        'id,source,note\n1,"Báo cáo số 5,x\n2,ok,fine\n3,ok,fine\n',  # never closed: swallows to the end
        'id,source,note\n1,"Báo cáo,x\n2,"ok",fine\n',  # closed in the wrong place, on a later row
    ],
)
def test_an_unclosed_quote_is_an_error_naming_its_row(tmp_path, text):
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"dòng 2: dấu ngoặc kép \(\"\) mở ở dòng này không được đóng"):
        read_csv(p)


def test_a_cell_over_the_documented_limit_is_reported_in_vietnamese(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('id,note\n1,"' + "a" * (MAX_CELL_CHARS + 10) + '"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv(p)
    msg = str(info.value)
    assert "dòng 2: một ô dài hơn giới hạn 1.000.000 ký tự" in msg
    assert "field" not in msg
    docs = (REPO_ROOT / "docs" / "progress-data.md").read_text(encoding="utf-8")
    assert "1.000.000 characters" in docs


def test_hidden_sheets_are_never_read_first(tmp_path):
    p = tmp_path / "x.xlsx"
    wb = Workbook()
    hidden = wb.active
    hidden.title = "Ẩn"
    hidden.append(["id"])
    hidden.append(["hidden"])
    hidden.sheet_state = "hidden"
    shown = wb.create_sheet("Hiện")
    shown.append(["id"])
    shown.append(["visible"])
    wb.save(p)
    assert read_excel(p).loc[2, "id"] == "visible"
    assert excel_sheets(p) == ["Hiện"]


def test_a_formula_without_a_saved_value_names_the_cell(tmp_path):
    p = tmp_path / "x.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["target_id", "value"])
    ws.append(["T1.01", "=10*8"])
    wb.save(p)  # openpyxl stores formulas without a calculated value
    with pytest.raises(DataError, match=r"ô B2 chứa công thức chưa có giá trị tính sẵn"):
        read_excel(p)


def test_a_formula_with_its_saved_value_is_read_as_the_value(tmp_path):
    import zipfile

    p, q = tmp_path / "x.xlsx", tmp_path / "y.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["target_id", "value"])
    ws.append(["T1.01", "=10*8"])
    wb.save(p)
    # What Excel writes on save: the formula and its result.
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"<f>10*8</f><v></v>", b"<f>10*8</f><v>80</v>").replace(
                    b"<f>10*8</f><v />", b"<f>10*8</f><v>80</v>"
                )
                assert b"<v>80</v>" in data
            dst.writestr(item, data)
    assert read_excel(q).loc[2, "value"] == "80"


def test_a_value_under_a_merged_header_names_the_cell(tmp_path):
    p = tmp_path / "x.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Kết quả", None, "Ghi chú"])
    ws.merge_cells("A1:B1")
    ws.append(["T1.01", "80", "x"])
    wb.save(p)
    with pytest.raises(DataError) as info:
        read_excel(p)
    msg = str(info.value)
    assert "ô B2 có giá trị nhưng cột này không có tiêu đề" in msg
    assert "dấu phẩy" not in msg


def test_a_merged_title_row_above_the_column_names_is_named_as_such(tmp_path):
    p = tmp_path / "x.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO TIẾN ĐỘ QUÝ II"])
    ws.merge_cells("A1:C1")
    ws.append(["task_id", "period", "status"])
    ws.append(["NV1.01", "2024-Q2", "Hoàn thành"])
    wb.save(p)
    with pytest.raises(DataError) as info:
        read_excel(p)
    msg = str(info.value)
    assert "dòng 1" in msg and "dòng tên bảng" in msg and "xóa dòng này" in msg and "BÁO CÁO TIẾN ĐỘ QUÝ II" in msg
    assert "dấu phẩy" not in msg and "không có tiêu đề" not in msg


@pytest.mark.parametrize("title", ["BÁO CÁO NHIỆM VỤ", "BÁO CÁO NHIỆM VỤ,,"])
def test_a_title_line_above_a_csv_header_is_named_as_such(tmp_path, title):
    p = tmp_path / "tasks.csv"
    p.write_text(f"{title}\ntask_id,period,status\nNV1.01,2024-Q2,Hoàn thành\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv(p)
    msg = str(info.value)
    assert "dòng 1" in msg and "dòng tên bảng" in msg and "dấu phẩy" not in msg


def test_a_one_column_file_is_not_taken_for_a_title(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("task_id\nNV1.01\nNV1.02\n", encoding="utf-8")
    assert list(read_csv(p)["task_id"]) == ["NV1.01", "NV1.02"]


def test_a_year_0024_date_is_refused_with_its_row(tmp_path, plan):
    from cchc_lib.progress.loader import load_progress

    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "tasks.csv").write_text(
        "task_id,period,status,completed_on\nPL2.01,2024-Q1,Hoàn thành,12/03/0024\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_progress(folder, plan)
    msg = str(info.value)
    assert "dòng 2, cột 'completed_on': cần một ngày dạng dd/mm/yyyy" in msg and "OutOfBounds" not in msg


def test_an_excel_date_in_year_24_is_refused_with_its_row(tmp_path, plan):
    from cchc_lib.progress.loader import load_progress

    folder = tmp_path / "2024"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.title = "tasks"
    ws.append(["task_id", "period", "status", "completed_on"])
    ws.append(["PL2.01", "2024-Q1", "Hoàn thành", dt.datetime(24, 3, 12)])
    wb.save(folder / "x.xlsx")
    with pytest.raises(DataError, match=r"dòng 2, cột 'completed_on': cần một ngày"):
        load_progress(folder, plan)


def test_control_characters_are_escaped_in_messages(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b,c\n1,\x00bad\x1b[31m\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_csv(p)
    msg = str(info.value)
    assert "\x00" not in msg and "\x1b" not in msg
