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
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from cchc_lib.core.errors import DataError, Issue, Msg, display_path

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
                Msg.of("reader.not_utf8", byte=f"0x{data[exc.start]:02X}", line=str(line)),
            )
        ) from None


CSV_HINT = Msg.of("reader.csv_hint")


def _row_problems(rownum, cells, width, header, file, delimiter, cell_name) -> list[Issue]:
    """What is wrong with one record's shape: too many or too few cells, values under no header."""
    if delimiter is not None and len(cells) != width:
        shape = Msg.of("reader.row_width", cells=str(len(cells)), width=str(width), hint=CSV_HINT)
        return [Issue(file, shape, row=rownum)]
    out = []
    for i, value in enumerate(cells):
        if value and (i >= width or not header[i]):
            out.append(
                Issue(
                    file,
                    Msg.of("reader.value_without_header", cell=cell_name(i, rownum)),
                    row=rownum,
                    value=value,
                )
            )
    return out


def _refuse_title_row(header: list[str], rows: list[tuple[int, list[str]]], file: str) -> None:
    """A table title (often merged across) above the column names reads as a one-cell header;
    saying so beats a list of missing columns or a hint about stray commas."""
    titled = [h for h in header if h]
    if len(titled) != 1 or not header[0]:
        return
    if any(any(c.strip() for c in cells[1:]) for _, cells in rows):
        raise DataError(
            Issue(
                file,
                Msg.of("reader.title_row"),
                row=1,
                value=header[0],
            )
        )


def _frame(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    file: str,
    delimiter: str | None = None,
    cell_name=None,
    lenient: bool = False,
) -> pd.DataFrame:
    """Records → text frame. ``delimiter`` is set for CSV (row-length rules), ``cell_name``
    names a cell for messages (Excel "E5", CSV a ``Msg`` "the 5th column"). ``lenient``: rows with a shape
    problem are left out and their problems returned in ``attrs["row_issues"]`` instead of
    raised, so that the caller can check the other rows in the same pass."""
    header = [h.strip() for h in header]
    if not any(header):
        raise DataError(Issue(file, Msg.of("reader.blank_header"), row=1))
    cell_name = cell_name or (lambda i, row: Msg.of("reader.nth_column", n=str(i + 1)))
    _refuse_title_row(header, rows, file)
    width = len(header)
    issues = []
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        issues.append(Issue(file, Msg.of("reader.duplicate_headers", names=", ".join(dup)), row=1))
    records, index = [], []
    blank = 0
    for rownum, cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            blank += 1
            continue
        problems = _row_problems(rownum, cells, width, header, file, delimiter, cell_name)
        if problems:
            issues.extend(problems)
            continue
        records.append((cells + [""] * width)[:width])
        index.append(rownum)
    if issues and (not lenient or dup):
        raise DataError(issues)
    df = pd.DataFrame(records, columns=header, index=pd.Index(index, name="row"), dtype=object)
    df = df.loc[:, [h != "" for h in header]]
    df.attrs["file"] = file
    df.attrs["blank_rows"] = blank
    df.attrs["row_issues"] = issues
    return df


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


def _quotes_close_on_each_line(data: bytes, start: int, end: int) -> bool:
    """No quoted cell runs on past a line break (a note over several lines, or an unclosed
    quote swallowing the rows after it): quotes pair up, and no pair holds a line break.
    Then every line break ends a record and pyarrow may split the file anywhere."""
    import numpy as np

    b = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    step = 1 << 22  # in blocks: no temporary as large as the file

    def where(hit) -> np.ndarray:
        return np.concatenate([np.flatnonzero(hit(b[i : i + step])) + i for i in range(0, len(b), step)])

    quotes = where(lambda x: x == ord('"'))
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2] + 1, quotes[1::2]
    lengths = closes - opens
    if lengths.sum() > len(b) // 8:  # mostly quoted: compare with the line breaks' positions
        breaks = where(lambda x: (x == ord("\n")) | (x == ord("\r")))  # pyarrow ends a record at either
        return bool((np.searchsorted(breaks, opens) == np.searchsorted(breaks, closes)).all())
    firsts = np.cumsum(lengths) - lengths
    inside = b[np.repeat(opens - firsts, lengths) + np.arange(int(lengths.sum()))]
    return not ((inside == ord("\n")) | (inside == ord("\r"))).any()


def header_cells(line: bytes, delimiter: str) -> list[str] | None:
    """The first line's cells as the ``csv`` module reads them; None if it cannot."""
    try:
        return next(csv.reader(io.StringIO(line.rstrip(b"\r").decode("utf-8")), delimiter=delimiter))
    except (StopIteration, UnicodeDecodeError, csv.Error):
        return None


def arrow_csv(data: bytes, start: int, delimiter: str, coded: frozenset[str] = frozenset()):
    """A well-formed CSV as an Arrow table of text columns (pyarrow, all cores), or None.

    Columns are named by the stripped header; a column without a header is dropped when
    all its cells are empty; those named in ``coded`` come dictionary-encoded (columns of
    few distinct values: dates, words). Empty lines are records of empty cells (as in the
    ``csv`` module), so row numbers stay record positions. Anything else odd — rows of
    another length, bad UTF-8, duplicated headers, a line break inside a cell (or an
    unclosed quote swallowing rows), a giant cell — gives None: the ``csv`` path explains it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    dictionary = pa.dictionary(pa.int32(), pa.string())
    end = _content_end(data)  # trailing blank lines are no records
    nl = data.find(b"\n", start, end)
    header = header_cells(data[start : nl if nl >= 0 else end], delimiter)
    if header is None:
        return None
    # The quotes are checked on a thread of their own while pyarrow parses (NumPy releases
    # the GIL); a file whose quoted cells span lines is parsed for nothing and answered None.
    quotes = None
    if data.find(b'"', start, end) >= 0:
        quotes = ThreadPoolExecutor(1)
        closed = quotes.submit(_quotes_close_on_each_line, data, start, end)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start, end - start)),
            # Blocks of 4 MB: a tenth less parsing than the 1 MB default on a 100 MB log.
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: dictionary if h.strip() in coded else pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        table = None
    finally:
        if quotes is not None:
            quotes.shutdown()
    if table is None or (quotes is not None and not closed.result()):
        return None
    names = [h.strip() for h in header]
    if not all(t in (pa.string(), dictionary) for t in table.schema.types):
        return None  # pyarrow read the header otherwise than the csv module
    if table.num_columns != len(header) or len(set(header)) != len(header) or len(set(names)) != len(names):
        return None
    keep = []
    for i, name in enumerate(names):
        cells = table.column(i)
        if cells.type == dictionary:  # the checks below concern the values
            cells = pa.chunked_array([c.dictionary for c in cells.chunks], pa.string())
        too_long = (pc.max(pc.binary_length(cells)).as_py() or 0) > MAX_CELL_CHARS  # bytes ≥ characters
        if too_long and (pc.max(pc.utf8_length(cells)).as_py() or 0) > MAX_CELL_CHARS:
            return None
        if name:
            keep.append(i)
        elif pc.any(pc.not_equal(pc.utf8_trim_whitespace(cells), "")).as_py():
            return None  # values under no header: the csv path names each cell
    return table.select(keep).rename_columns([names[i] for i in keep])


def _read_csv_fast(data: bytes, start: int, delimiter: str, file: str) -> pd.DataFrame | None:
    """pyarrow's parser (``arrow_csv``) to a text frame: a million-row log in about a second."""
    table = arrow_csv(data, start, delimiter)
    if table is None:
        return None
    df = table.to_pandas()
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    # Rows whose cells are all empty (",,,,", or an empty line) are skipped and counted, as
    # in the slow path; a column with a value on every row settles it at once.
    blank = pd.Series(True, index=df.index)
    for col in df.columns:
        blank &= df[col].str.len().eq(0) | df[col].str.isspace()
        if not blank.any():
            break
    if blank.any():
        df = df.loc[~blank]
    df.attrs["file"] = file
    df.attrs["blank_rows"] = int(blank.sum())
    return df


# Longest cell read from a CSV (characters). Excel itself stops at 32,767 per cell; a
# longer cell is nearly always an unclosed quote that swallowed the rest of the file.
MAX_CELL_CHARS = 1_000_000


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a message the analyst can act on (permission, folder, missing)."""
    try:
        return path.read_bytes()
    except PermissionError:
        raise DataError(Issue(display_path(path), Msg.of("reader.no_read_permission"))) from None
    except IsADirectoryError:
        raise DataError(Issue(display_path(path), Msg.of("reader.folder_not_data"))) from None
    except FileNotFoundError:
        raise DataError(Issue(display_path(path), Msg.of("reader.not_found"))) from None


def _mapped(path: Path):
    """The file's bytes mapped into memory, not copied (a 100 MB log is read by pyarrow's
    threads straight from the page cache). Errors (empty file, permission) go to the caller."""
    import mmap

    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def csv_source(path: Path | str, mapped: bool = False) -> tuple[bytes, int, str, str]:
    """(bytes, offset after the BOM, delimiter, file name for messages); an unreadable or
    empty file raises its message (``mapped``: an ``mmap`` instead of bytes, and OSError
    or ValueError instead of the message)."""
    path = Path(path)
    file = display_path(path)
    data = _mapped(path) if mapped else read_bytes(path)
    if not re.search(rb"[^\s\xef\xbb\xbf]", data):  # stops at the first visible byte
        raise DataError(Issue(file, Msg.of("reader.empty_file")))
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    head = data[start : start + 65536].split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return data, start, _sniff_delimiter(head), file


def read_csv(path: Path | str, lenient: bool = False) -> pd.DataFrame:
    """Read a CSV (UTF-8, with or without BOM) as text cells indexed by spreadsheet row."""
    data, start, delimiter, file = csv_source(path)
    fast = _read_csv_fast(data, start, delimiter, file)
    if fast is not None:
        return fast
    text = decode_utf8(data, file)
    # strict: a quote that is never closed (or closed in the wrong place) is an error, not
    # a cell that silently swallows the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    rows = []
    try:
        header = next(reader)
        for cells in reader:
            rows.append(cells)
    except csv.Error as exc:
        record = len(rows) + 2
        if "field larger than field limit" in str(exc):
            what = Msg.of("reader.cell_too_long", limit=MAX_CELL_CHARS)
        elif "unexpected end of data" in str(exc) or "expected after" in str(exc):
            what = Msg.of("reader.open_quote")
        else:
            what = Msg.of("reader.bad_csv_row")
        raise DataError(Issue(file, what, row=record)) from None
    finally:
        csv.field_size_limit(limit)
    # Spreadsheet row numbers count records (a quoted cell with line breaks spans several
    # physical lines), which is what Excel shows.
    return _frame(header, [(i + 2, cells) for i, cells in enumerate(rows)], file, delimiter=delimiter, lenient=lenient)


def read_parquet(path: Path | str) -> pd.DataFrame:
    """Parquet keeps its types (dates stay dates); the index still counts rows from 2."""
    path = Path(path)
    if not path.is_file() or not os.access(path, os.R_OK):
        read_bytes(path)  # raises the message that fits (folder, permission, missing)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataError(Issue(display_path(path), Msg.of("reader.bad_parquet", reason=str(exc)))) from None
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    df.attrs["file"] = display_path(path)
    df.attrs["blank_rows"] = 0
    return df


_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        text = repr(value)
        # An Excel number is unambiguous: 1.125 must not look like "1.125" typed as text
        # (which the number rules refuse as a thousands separator); "1.1250" reads the same.
        return text + "0" if _GROUPED.fullmatch(text) else text
    return str(value)


def _open_workbook(path: Path, data_only: bool):
    """openpyxl's read-only workbook, or a message naming the file (not a real .xlsx, no permission)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file = display_path(path)
    if path.is_dir():
        raise DataError(Issue(file, Msg.of("reader.folder_not_excel")))
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except PermissionError:
        raise DataError(Issue(file, Msg.of("reader.no_read_permission"))) from None
    except FileNotFoundError:
        raise DataError(Issue(file, Msg.of("reader.not_found"))) from None
    except (BadZipFile, InvalidFileException, OSError, KeyError, ValueError, TypeError):
        raise DataError(
            Issue(
                file,
                Msg.of("reader.not_xlsx"),
            )
        ) from None


def excel_sheet_states(path: Path | str) -> list[tuple[str, bool]]:
    """(sheet name, visible) for every sheet, in workbook order."""
    wb = _open_workbook(Path(path), data_only=True)
    try:
        return [(ws.title, ws.sheet_state == "visible") for ws in wb.worksheets]
    finally:
        wb.close()


def excel_sheets(path: Path | str) -> list[str]:
    """The visible sheets (a hidden sheet is never read as data)."""
    return [name for name, visible in excel_sheet_states(path) if visible]


def _cached_values(path: Path, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], object]:
    """The values Excel stored for formula cells when it last saved the workbook."""
    wb = _open_workbook(path, data_only=True)
    try:
        want = set(cells)
        last = max(r for r, _ in cells)
        out = {}
        for r, row in enumerate(wb[sheet].iter_rows(max_row=last, values_only=True), start=1):
            for c, value in enumerate(row, start=1):
                if (r, c) in want:
                    out[(r, c)] = value
        return out
    finally:
        wb.close()


def _sheet_rows(path: Path, sheet: str | None) -> tuple[str, list[list[object]], list[tuple[int, int]]]:
    """(sheet title, raw values by row, positions of formula cells)."""
    wb = _open_workbook(path, data_only=False)
    file = display_path(path)
    try:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        if sheet is not None and sheet not in wb.sheetnames:
            raise DataError(Issue(file, Msg.of("reader.no_sheet", sheet=sheet, sheets=", ".join(wb.sheetnames))))
        if sheet is None and not visible:
            raise DataError(Issue(file, Msg.of("reader.no_visible_sheet")))
        ws = wb[sheet] if sheet is not None else visible[0]
        rows, formulas = [], []
        for r, row in enumerate(ws.iter_rows(), start=1):
            values = []
            for c, cell in enumerate(row, start=1):
                if getattr(cell, "data_type", None) == "f":
                    formulas.append((r, c))
                values.append(getattr(cell, "value", None))
            rows.append(values)
        return ws.title, rows, formulas
    finally:
        wb.close()


def read_excel(path: Path | str, sheet: str | None = None, lenient: bool = False) -> pd.DataFrame:
    """Read one sheet (the first visible one by default) as text cells indexed by spreadsheet row.

    Formula cells take the value Excel saved with them; a formula without one (a workbook
    written by a program and never opened in Excel) is an error naming the cell.
    """
    from openpyxl.utils import get_column_letter

    path = Path(path)
    file = display_path(path)
    title, rows, formulas = _sheet_rows(path, sheet)
    label = f"{file} [trang {title}]"
    issues = []
    if formulas:
        cached = _cached_values(path, title, formulas)
        for r, c in formulas:
            value = cached.get((r, c))
            if value is None:
                issues.append(
                    Issue(
                        label,
                        Msg.of("reader.formula_without_value", cell=f"{get_column_letter(c)}{r}"),
                        row=r,
                        value=str(rows[r - 1][c - 1]),
                    )
                )
            rows[r - 1][c - 1] = value
    texts = [[_cell_text(v) for v in values] for values in rows]
    first = next((i for i, cells in enumerate(texts) if any(c.strip() for c in cells)), None)
    if first is None:
        raise DataError(Issue(label, Msg.of("reader.empty_sheet")))
    if first != 0:
        raise DataError(Issue(label, Msg.of("reader.blank_header"), row=1))
    header = texts[0]
    while header and not header[-1].strip():
        header.pop()
    body = [(i + 1, cells) for i, cells in enumerate(texts) if i > 0]

    def cell(i: int, r: int) -> str:
        return f"{get_column_letter(i + 1)}{r}"

    if issues and not lenient:
        try:
            _frame(header, body, label, cell_name=cell)
        except DataError as exc:
            issues += exc.issues
        raise DataError(issues)
    df = _frame(header, body, label, cell_name=cell, lenient=lenient)
    df.attrs["row_issues"] = issues + df.attrs["row_issues"]
    return df


def read_table(path: Path | str, sheet: str | None = None, lenient: bool = False) -> pd.DataFrame:
    """CSV, Excel or Parquet by file suffix (``lenient``: see ``_frame``)."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel(path, sheet, lenient)
    if path.suffix.lower() == ".parquet":
        return read_parquet(path)
    return read_csv(path, lenient)
