"""Reading CSV and Excel files into all-text tables, with spreadsheet row numbers.

Every cell is read as text so that validation, not the reader, decides what a value
means (a reader that guesses types turns "07" into 7 and "có" into NaN without a word).
The index of the returned DataFrame is the spreadsheet row number (header = 1), which is
what error messages quote. Rows that are entirely blank are skipped and counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from cchc_lib.core.errors import DataError, Issue, display_path

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def decode_utf8(data: bytes, file: str) -> str:
    """UTF-8 with or without BOM; anything else fails naming the line and byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            Issue(
                file,
                f"tệp không phải mã UTF-8 (byte 0x{data[exc.start]:02X} ở dòng {line}). "
                "Hãy mở tệp bằng Excel và lưu lại với kiểu 'CSV UTF-8 (Comma delimited)', "
                "hoặc lưu bằng trình soạn thảo với mã UTF-8.",
            )
        ) from None


def _frame(header: list[str], rows: list[tuple[int, list[str]]], file: str) -> pd.DataFrame:
    header = [h.strip() for h in header]
    if not any(header):
        raise DataError(Issue(file, "dòng đầu tiên phải là dòng tiêu đề cột, nhưng đang trống", row=1))
    width = len(header)
    issues = []
    records, index = [], []
    blank = 0
    for rownum, cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            blank += 1
            continue
        if len(cells) > width:  # even an empty extra cell: the row's cells have shifted (a stray comma)
            issues.append(
                Issue(
                    file,
                    f"dòng có {len(cells)} ô nhưng tiêu đề chỉ có {width} cột; kiểm tra dấu phẩy thừa hoặc ô bị lệch",
                    row=rownum,
                )
            )
            continue
        cells = (cells + [""] * width)[:width]
        records.append(cells)
        index.append(rownum)
    if issues:
        raise DataError(issues)
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        raise DataError(Issue(file, f"tiêu đề cột bị trùng: {', '.join(dup)}", row=1))
    df = pd.DataFrame(records, columns=header, index=pd.Index(index, name="row"), dtype=object)
    df = df.loc[:, [h != "" for h in header]]
    df.attrs["file"] = file
    df.attrs["blank_rows"] = blank
    return df


_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")


def _sniff_delimiter(header: str) -> str:
    """Comma, or the semicolon/tab a Vietnamese-locale Excel writes: the separator that
    occurs most in the header line outside quotes (a header like "Văn bản, sản phẩm"
    holds a comma even in a semicolon file)."""
    header = re.sub(r'"[^"]*"', "", header)
    counts = {d: header.count(d) for d in ",;\t"}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


_TRAILING_SPACE = frozenset(b" \t\r\n")


def _content_end(data: bytes) -> int:
    """Length of ``data`` without trailing white space (no copy of a 100 MB file)."""
    end = len(data)
    while end and data[end - 1] in _TRAILING_SPACE:
        end -= 1
    return end


def _read_csv_fast(data: bytes, start: int, delimiter: str, file: str) -> pd.DataFrame | None:
    """pyarrow's parser: a million-row dossier log in about a second.

    pyarrow also checks that every cell is valid UTF-8. Row numbers are record positions,
    exact unless the file has blank lines (which pyarrow skips silently); such files, and
    any file pyarrow rejects, go through the slower ``csv`` path, which numbers every
    record and explains malformed rows and bad bytes.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if _BLANK_LINE.search(data, start, _content_end(data)):
        return None
    try:
        nl = data.find(b"\n", start)
        first = data[start : nl if nl >= 0 else len(data)]
        header = next(csv.reader(io.StringIO(first.rstrip(b"\r").decode("utf-8")), delimiter=delimiter))
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, StopIteration, UnicodeDecodeError):
        return None
    if table.num_columns != len(header) or len(set(header)) != len(header):
        return None
    df = table.to_pandas()
    df.columns = [h.strip() for h in header]
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    df = df.loc[:, [h != "" for h in df.columns]]
    # Rows whose cells are all empty (",,,,") are skipped and counted, as in the slow path.
    blank = pd.Series(True, index=df.index)
    for col in df.columns:
        blank &= df[col].str.len().eq(0) | df[col].str.isspace()
    if blank.any():
        df = df.loc[~blank]
    df.attrs["file"] = file
    df.attrs["blank_rows"] = int(blank.sum())
    return df


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read a CSV (UTF-8, with or without BOM) as text cells indexed by spreadsheet row."""
    path = Path(path)
    file = display_path(path)
    data = path.read_bytes()
    if not re.search(rb"[^\s\xef\xbb\xbf]", data):  # stops at the first visible byte
        raise DataError(Issue(file, "tệp rỗng: cần ít nhất dòng tiêu đề cột"))
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    head = data[start : start + 65536].split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = _sniff_delimiter(head)
    fast = _read_csv_fast(data, start, delimiter, file)
    if fast is not None:
        return fast
    text = decode_utf8(data, file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = []
        for cells in reader:
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise DataError(Issue(file, f"không đọc được dòng CSV ({exc})", row=reader.line_num)) from None
    # csv.reader's line_num counts physical lines; a quoted cell with line breaks spans
    # several. Spreadsheet row numbers count records, which is what Excel shows.
    rows = [(i + 2, cells) for i, (_, cells) in enumerate(rows)]
    return _frame(header, rows, file)


def read_parquet(path: Path | str) -> pd.DataFrame:
    """Parquet keeps its types (dates stay dates); the index still counts rows from 2."""
    path = Path(path)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataError(Issue(display_path(path), f"không đọc được tệp Parquet: {exc}")) from None
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    df.attrs["file"] = display_path(path)
    df.attrs["blank_rows"] = 0
    return df


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def excel_sheets(path: Path | str) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_excel(path: Path | str, sheet: str | None = None) -> pd.DataFrame:
    """Read one sheet (the first by default) as text cells indexed by spreadsheet row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    path = Path(path)
    file = display_path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(Issue(file, f"không mở được tệp Excel (.xlsx): {exc}")) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise DataError(Issue(file, f"không có trang tính '{sheet}'; các trang có: {', '.join(wb.sheetnames)}"))
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        label = f"{file} [trang {ws.title}]"
        rows_iter = ws.iter_rows(values_only=True)
        header = None
        rows = []
        for rownum, values in enumerate(rows_iter, start=1):
            cells = [_cell_text(v) for v in values]
            if header is None:
                if not any(c.strip() for c in cells):
                    raise DataError(Issue(label, "dòng đầu tiên phải là dòng tiêu đề cột, nhưng đang trống", row=1))
                header = cells
                continue
            rows.append((rownum, cells))
    finally:
        wb.close()
    if header is None:
        raise DataError(Issue(label, "trang tính rỗng: cần ít nhất dòng tiêu đề cột"))
    while header and not header[-1].strip():
        header.pop()
    return _frame(header, rows, label)


def read_table(path: Path | str, sheet: str | None = None) -> pd.DataFrame:
    """CSV, Excel or Parquet by file suffix."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel(path, sheet)
    if path.suffix.lower() == ".parquet":
        return read_parquet(path)
    return read_csv(path)
