"""Files are read as text with spreadsheet row numbers; encoding problems are explained."""

import datetime as dt

import pytest
from openpyxl import Workbook

from cchc_lib.core.errors import DataError
from cchc_lib.core.readers import read_csv, read_excel, read_table


def test_csv_with_and_without_bom_read_the_same(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    text = "mã,tên\nA1,Hộ tịch\n"
    a.write_text(text, encoding="utf-8-sig")
    b.write_text(text, encoding="utf-8")
    assert read_csv(a).equals(read_csv(b))
    assert list(read_csv(a).columns) == ["mã", "tên"]


def test_row_numbers_count_records_not_physical_lines(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('id,text\n1,"two\nlines"\n\n2,after blank\n', encoding="utf-8")
    df = read_csv(p)
    assert list(df.index) == [2, 4]
    assert df.loc[2, "text"] == "two\nlines"
    assert df.attrs["blank_rows"] == 1


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


def test_not_an_excel_file(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(DataError, match="không mở được tệp Excel"):
        read_table(p)
