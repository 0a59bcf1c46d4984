"""Combining every source of one kind found in a year folder.

A year folder accumulates each quarter's workbook and exports, so the same fact can
arrive twice. The rules (docs/progress-data.md, "Several files of one kind"):

* indicators, tasks, notes: a row is identified by its key ((target, period), (task,
  period), (period, area)). The same key in two sources with the same content is one row;
  with different content it is an error naming both places.
* dossiers, feedback: each export repeats the dossiers still pending, so an id in several
  sources is one dossier in its latest state: a returned (resolved) record beats a pending
  one, empty cells are filled from the other record, "digitised" flags are true if any
  source says so. Two sources that disagree on what the dossier *is* (received date,
  field, channel, …) or on how it ended (two return dates, two ratings) are an error
  naming both places.

``rows_merged`` counts, per source, the rows that were the same fact as a row of another
source and were counted there.
"""

from __future__ import annotations

import pandas as pd

from cchc_lib.core.errors import Issue, Msg
from cchc_lib.progress.specs import KEYS, SPECS, header_of

# Log columns that say what the record is (must agree) and how it ended (latest wins).
IDENTITY = {
    "dossiers": ("field", "procedure", "received_date", "due_date", "channel"),
    "feedback": ("received_date", "due_date", "summary"),
}
OUTCOME = {"dossiers": ("returned_date", "rating"), "feedback": ("resolved_date", "rating")}
FLAGS = {"dossiers": ("dossier_digitized", "result_digitized"), "feedback": ()}
DONE = {"dossiers": "returned_date", "feedback": "resolved_date"}
MAX_CONFLICTS = 200


def _shown(value):
    """A cell for a message: a date or number is worded in the reader's format when shown."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Msg.of("empty")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return str(value)


def _place(r) -> Msg:
    return Msg.of("place", file=str(r["source_file"]), row=str(int(r["source_row"])))


def _conflict(kind: str, what: Msg, col: str, a, b, headers: dict) -> Issue:
    head = header_of(kind, col, headers.get(a["source_file"]))
    return Issue(
        a["source_file"],
        Msg.of(
            "conflict", what=what, column=head, a=_place(a), a_value=_shown(a[col]), b=_place(b), b_value=_shown(b[col])
        ),
        row=int(a["source_row"]),
        column=head,
    )


def _key_text(kind: str, key: tuple) -> Msg:
    """The fact two sources disagree on ("Target …, period …"); an empty area is a general note."""
    values = {k: (v if v != "" else Msg.of("general")) for k, v in zip(KEYS[kind], key)}
    return Msg.of(f"record.{kind}", **values)


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def combine_keyed(kind: str, df: pd.DataFrame, headers: dict) -> tuple[pd.DataFrame, list[Issue], pd.Series]:
    """One row per key; (table, errors, merged rows per source)."""
    keys = list(KEYS[kind])
    content = [f.name for f in SPECS[kind].fields if f.name not in keys]
    dup = df.duplicated(keys, keep=False) & df[keys].notna().all(axis=1)
    errors: list[Issue] = []
    drop = []
    for key, group in df[dup].groupby(keys, sort=False):
        first = group.iloc[0]
        for i in range(1, len(group)):
            other = group.iloc[i]
            diff = [c for c in content if not _same(first[c], other[c])]
            if diff:
                key = key if isinstance(key, tuple) else (key,)
                errors.append(_conflict(kind, _key_text(kind, key), diff[0], first, other, headers))
            else:
                drop.append(group.index[i])
    merged = df.loc[drop, "source_file"].value_counts()
    return df.drop(index=drop), errors, merged


def combine_log(kind: str, df: pd.DataFrame, headers: dict) -> tuple[pd.DataFrame, list[Issue], pd.Series]:
    """One record per id, in its latest state; (table, errors, merged rows per source)."""
    id_col = KEYS[kind][0]
    dup = df.duplicated(id_col, keep=False)
    if not dup.any():
        return df, [], pd.Series(dtype="int64")
    d = df[dup].copy()
    d["_done"] = d[DONE[kind]].notna()
    d["_order"] = range(len(d))
    d = d.sort_values([id_col, "_done", "_order"], ascending=[True, False, True], kind="stable")
    errors: list[Issue] = []
    g = d.groupby(id_col, sort=False)
    for col in (*IDENTITY[kind], *OUTCOME[kind]):
        counts = g[col].nunique(dropna=True)
        for ident in counts.index[counts > 1][: MAX_CONFLICTS - len(errors)]:
            rows = d[d[id_col] == ident]
            values = rows[col].dropna()
            a, b = rows.loc[values.index[0]], rows.loc[values[values != values.iloc[0]].index[0]]
            errors.append(_conflict(kind, Msg.of(f"record.{kind}", id=str(ident)), col, a, b, headers))
    if errors:
        return df, errors, pd.Series(dtype="int64")
    best = g.first()  # first non-missing value of each column, the finished record first
    for flag in FLAGS[kind]:
        best[flag] = g[flag].any()
    chosen = g.head(1).set_index(id_col)
    best["source_file"], best["source_row"] = chosen["source_file"], chosen["source_row"]
    best = best.reset_index()[df.columns]
    merged = d.loc[~d.index.isin(g.head(1).index), "source_file"].value_counts()
    out = pd.concat([df[~dup], best], ignore_index=True).astype(df.dtypes.to_dict())
    return out, [], merged


def combine(kind: str, parts: list[pd.DataFrame], headers: dict) -> tuple[pd.DataFrame, list[Issue], pd.Series]:
    """All sources of one kind as one table (each part carries ``source_file``, ``source_row``)."""
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    if len(parts) == 1:
        return df, [], pd.Series(dtype="int64")
    if kind in ("dossiers", "feedback"):
        return combine_log(kind, df, headers)
    return combine_keyed(kind, df, headers)
