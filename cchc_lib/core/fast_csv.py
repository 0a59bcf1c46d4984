"""A clean CSV log straight to its typed table through Arrow — or None.

``schemas.load_table_collecting`` checks a text frame with pandera so that every bad cell
is reported with its row and column; on a clean million-row dossier log nearly all of
that time goes to proving that nothing is wrong. ``typed_csv`` applies the same rules to
the Arrow columns of ``readers.arrow_csv`` — per distinct value where a column repeats
(dates, words, yes/no), vectorised elsewhere — and answers only "clean: here is the
typed table" (equal to the general path's, dtypes included) or None. On None the caller
runs the general path, which finds and words every problem, so a bad file still gets
exactly the messages it always got.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.core import readers
from cchc_lib.core.errors import DataError
from cchc_lib.core.frame_meta import SharedMap
from cchc_lib.core.schemas import (
    Field,
    TableSpec,
    choice_series,
    convert_column,
    norm_text,
    parse_bool_series,
    parse_date_series,
    rename_headers,
)

# Field kinds checked here; a spec with another kind (numbers, patterns) takes the general path.
FAST_KINDS = {"text", "date", "choice", "bool"}


def _strings(arr) -> pd.Series:
    """Arrow text → pandas "string" (Arrow-backed, no Python object per cell)."""
    import pyarrow as pa

    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr], type=arr.type)
    return pd.Series(pd.arrays.ArrowStringArray(arr))


def _text(col, f: Field | None) -> pd.Series | None:
    """Stripped text, empty cells missing; None when a required cell is empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pc.utf8_trim_whitespace(col)
    empty = pc.equal(t, "")
    if pc.any(empty).as_py():
        if f is not None and (not f.nullable or f.unique):
            return None
        t = pc.if_else(empty, pa.scalar(None, t.type), t)
    return _strings(t)


# From this many ids on, ``_all_distinct`` hashes them group by group (below: one table).
GROUPED_FROM = 100_000
_GROUP_ROWS = 8192


def _all_distinct(s: pd.Series) -> bool:
    """Whether no two cells are equal (a missing cell counts as a value).

    One hash table of a million ids misses the CPU's caches at nearly every insert (and
    slows most when another program shares the machine). The ids are first put in
    groups by their last two bytes (equal ids share them) and each group of about 8 000
    hashed alone, its table small: half the time. Ids whose last bytes do not spread them
    (half or more in one group) take the single table.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    wide = arr.type == pa.large_string()
    if n < GROUPED_FROM or arr.null_count or not (wide or arr.type == pa.string()) or arr.buffers()[2] is None:
        # ``unique`` hashes about a third faster than the ``count_distinct`` aggregation.
        return len(pc.unique(arr)) == n
    width = 8 if wide else 4
    offsets = np.frombuffer(arr.buffers()[1], dtype=f"<i{width}", count=n + 1, offset=width * arr.offset)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    ends, lengths = offsets[1:], np.diff(offsets)
    last = np.where(lengths >= 1, data[np.maximum(ends - 1, 0)], 0).astype(np.uint16)
    second = np.where(lengths >= 2, data[np.maximum(ends - 2, 0)], 0).astype(np.uint16)
    key = last | (second << 8)
    counts = np.bincount(key, minlength=1 << 16)
    if counts.max() * 2 >= n:
        return len(pc.unique(arr)) == n
    grouped = arr.take(pa.array(np.argsort(key, kind="stable")))
    # Cut between whole groups of equal keys, about every _GROUP_ROWS ids.
    group_ends = np.cumsum(counts)
    cuts = np.unique(group_ends[np.searchsorted(group_ends, np.arange(_GROUP_ROWS, n, _GROUP_ROWS))])
    bounds = [0, *cuts[cuts < n].tolist(), n]
    return all(len(pc.unique(grouped.slice(a, b - a))) == b - a for a, b in pairwise(bounds))


def _coded(col, f: Field) -> pd.Series | None:
    """A repeating column (dates, words, yes/no) checked and typed per distinct value."""
    import pyarrow as pa

    if not pa.types.is_dictionary(col.type):
        col = col.dictionary_encode()
    col = col.unify_dictionaries()
    dictionary = col.chunks[0].dictionary if col.num_chunks else pa.array([], pa.string())
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in col.chunks])
    values = _strings(dictionary).str.strip()
    blank = values.eq("").to_numpy(dtype=bool)
    if blank.any() and not f.nullable:
        return None
    values = values.mask(blank)
    if f.kind == "date":
        typed = parse_date_series(values)
    elif f.kind == "bool":
        typed = parse_bool_series(values)
    else:
        if not (norm_text(values).isin(list(f.choices)) | blank).all():
            return None
        words = choice_series(values, f.choices).to_numpy(dtype=object, na_value=None)
        return _strings(pa.array(words, type=pa.string()).take(pa.array(codes)))
    if (typed.isna().to_numpy() & ~blank).any():
        return None
    if f.kind == "bool":
        return pd.Series(typed.fillna(False).to_numpy(dtype=bool).take(codes))
    return pd.Series(typed.to_numpy(dtype="datetime64[ns]").take(codes))


def _column(col, f: Field | None) -> pd.Series | None:
    if f is None or f.kind == "text":
        return _text(col, f)
    return _coded(col, f)


def _mapping(headers: list[str], spec: TableSpec) -> tuple[list[str], dict[str, str]] | None:
    """(column ids in file order, {id: header}) as ``rename_headers`` gives them; None when
    a required column is missing or two columns would get one name."""
    renamed = rename_headers(pd.DataFrame(columns=headers), spec)
    names, header_map = list(renamed.columns), renamed.attrs["header_map"]
    if len(set(names)) != len(names) or any(f.required and f.name not in header_map for f in spec.fields):
        return None
    # An empty row (all cells blank) is skipped by the general path: here a required
    # column without an empty cell proves there is none.
    if not any(not f.nullable for f in spec.fields if f.name in header_map):
        return None
    return names, header_map


def _arrow_table(data, start: int, delimiter: str, spec: TableSpec):
    """The file as Arrow (``readers.arrow_csv``), the spec's coded columns dictionary-encoded."""
    nl = data.find(b"\n", start)
    header = readers.header_cells(data[start : nl if nl >= 0 else len(data)], delimiter) or []
    mapping = _mapping([h.strip() for h in header if h.strip()], spec)
    if mapping is None:
        return None
    kinds = {f.name: f.kind for f in spec.fields}
    coded = frozenset(h for name, h in mapping[1].items() if kinds[name] != "text")
    return readers.arrow_csv(data, start, delimiter, coded)


def typed_csv(path: Path | str, spec: TableSpec) -> tuple[pd.DataFrame, list[str]] | None:
    """(typed table indexed by spreadsheet row, the file's column headers), or None.

    The table equals ``convert(blank_to_none(rename_headers(read_csv(path))), spec)``
    when the general path finds no problem. None: the file is not a clean CSV of this
    spec (a shape problem, an empty row, a bad cell, a repeated id, a missing column, a
    kind not checked here) and the general path must run.
    """
    path = Path(path)
    if path.suffix.lower() in {*readers.EXCEL_SUFFIXES, ".parquet"}:
        return None
    if any(f.kind not in FAST_KINDS or f.pattern or (f.unique and f.kind != "text") for f in spec.fields):
        return None
    try:
        data, start, delimiter, file = readers.csv_source(path, mapped=True)
    except (DataError, OSError, ValueError):
        return None  # the general path raises the message that fits
    try:
        table = _arrow_table(data, start, delimiter, spec)
    finally:
        with suppress(BufferError):  # a view still held elsewhere: the mapping closes when freed
            data.close()
    if table is None or table.num_rows == 0:
        return None
    names, header_map = _mapping(table.column_names, spec) or (None, None)
    if names is None:
        return None
    fields = {f.name: f for f in spec.fields if f.name in header_map}
    index = pd.RangeIndex(2, 2 + table.num_rows, name="row")

    # Two threads (pyarrow and NumPy release the GIL): one converts the id column and
    # proves its ids distinct (a hash of every id, the longest single step), the other
    # converts the rest meanwhile.
    def convert(i: int) -> pd.Series | None:
        s = _column(table.column(i), fields.get(names[i]))
        if s is not None and getattr(fields.get(names[i]), "unique", False) and not _all_distinct(s):
            return None
        return s

    order = sorted(range(len(names)), key=lambda i: not getattr(fields.get(names[i]), "unique", False))
    with ThreadPoolExecutor(2) as pool:
        done = dict(zip(order, pool.map(convert, order), strict=True))
    if any(s is None for s in done.values()):
        return None
    cols: dict[str, pd.Series] = {names[i]: done[i].set_axis(index) for i in range(len(names))}  # file order
    for f in spec.fields:
        if f.name not in header_map:
            cols[f.name] = convert_column(f, pd.Series(None, index=index, dtype=object))
    df = pd.DataFrame(cols, index=index)
    df.attrs = {"file": file, "blank_rows": 0, "header_map": SharedMap(header_map)}
    return df, table.column_names
