"""A plan-year's progress inputs: what was measured, done and recorded, validated against the plan.

A year folder (``data/progress/<plan-id>/<year>/``) receives each quarter's workbook beside
the earlier ones, plus any CSV/Excel/Parquet exports. A file belongs to a kind by its
sheet names or by a name that starts with the kind's name (``ho-so_2024-Q2.xlsx``,
``tasks-q3.csv``); all sources of a kind are combined (``combine``). See
docs/progress-data.md.

Nothing is dropped silently: template rows left empty are counted as "not entered",
every other row is used, merged with the same fact from another source, or rejected with
its file, sheet, row and column; every problem of every file is collected in one pass.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cchc_lib.core.errors import DataError, Issue, Msg, display_path, toml_issue
from cchc_lib.core.fast_csv import typed_csv
from cchc_lib.core.frame_meta import SharedMap, SharedSet
from cchc_lib.core.readers import EXCEL_SUFFIXES, excel_sheet_states, read_table
from cchc_lib.core.schemas import load_table_collecting, norm_key
from cchc_lib.progress.combine import combine
from cchc_lib.progress.rules import RULES, canonical_period, extra_checks
from cchc_lib.progress.specs import (  # noqa: F401  (re-exported: the loader's public names)
    CHANNEL_WORDS,
    CHANNELS,
    KIND_NAMES,
    KINDS,
    RATING_WORDS,
    RATINGS,
    SPECS,
    STATUS_WORDS,
    TASK_STATUSES,
    empty_table,
    header_of,
    kind_of,
    kind_of_file,
)

DATA_SUFFIXES = {".csv", ".parquet", *EXCEL_SUFFIXES}
IGNORED_FILES = {"meta.toml", "readme.md", "readme.txt"}
IGNORED_SHEETS = {norm_key(n) for n in ("Hướng dẫn", "Huong dan", "README", "Instructions")}
SOURCE_COLUMNS = ["kind", "file", "rows_read", "rows_merged", "rows_used", "rows_not_entered", "blank_rows"]


@dataclass
class Progress:
    """Validated progress inputs, each kind combined from all its sources.

    Every table carries ``source_file`` and ``source_row`` (where the row came from);
    ``headers`` maps a source to {column id: header as written there}, so that later
    messages name the column as the analyst sees it.
    """

    indicators: pd.DataFrame
    tasks: pd.DataFrame
    dossiers: pd.DataFrame
    feedback: pd.DataFrame
    notes: pd.DataFrame
    sources: pd.DataFrame  # SOURCE_COLUMNS
    warnings: list[Issue] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    path: Path | None = None
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def is_sample(self) -> bool:
        return bool(self.meta.get("sample"))

    def table(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)

    def header(self, kind: str, source_file: str, column: str) -> str:
        return header_of(kind, column, self.headers.get(source_file))


def _empty(kind: str) -> pd.DataFrame:
    df = empty_table(kind)
    df.insert(0, "source_row", pd.Series(dtype="int64"))
    df.insert(0, "source_file", pd.Series(dtype="string"))
    return df


# --- discovery -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str
    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return display_path(self.path) + (f" [trang {self.sheet}]" if self.sheet else "")


def _warn(where: str, text: Msg) -> Issue:
    return Issue(where, text, severity="warning")


def _not_a_file(path: Path) -> Issue | None:
    """Links and folders that look like inputs are reported, never skipped silently."""
    looks = path.suffix.lower() in DATA_SUFFIXES or kind_of_file(path.stem) is not None
    if path.is_symlink() and not path.exists():
        return Issue(display_path(path), Msg.of("loader.dangling_link"))
    if path.is_dir():
        if looks:
            return Issue(
                display_path(path),
                Msg.of("loader.folder_not_file"),
            )
        return _warn(display_path(path), Msg.of("loader.subfolder"))
    return None


def _workbook_sources(path: Path) -> tuple[list[Source], list[Issue]]:
    sources, notes = [], []
    states = excel_sheet_states(path)
    named = [(kind_of(s), s) for s, visible in states if visible]
    for s, visible in states:
        if not visible:
            notes.append(
                _warn(
                    f"{display_path(path)} [trang {s}]",
                    Msg.of("loader.hidden_sheet"),
                )
            )
    if not any(k for k, _ in named) and (kind := kind_of_file(path.stem)) and named:
        return [Source(kind, path, named[0][1])], notes  # an export named for its kind, first visible sheet
    for k, s in named:
        if k:
            sources.append(Source(k, path, s))
        elif norm_key(s) not in IGNORED_SHEETS:
            notes.append(
                _warn(
                    f"{display_path(path)} [trang {s}]",
                    Msg.of("loader.unknown_sheet", kinds=", ".join(KINDS)),
                )
            )
    return sources, notes


def discover(folder: Path) -> tuple[list[Source], list[Issue]]:
    """Files and sheets in a year folder, by kind; the rest is reported (errors and warnings)."""
    sources: list[Source] = []
    notes: list[Issue] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.name.lower() in IGNORED_FILES:
            continue
        if (odd := _not_a_file(path)) is not None:
            notes.append(odd)
            continue
        suffix = path.suffix.lower()
        if suffix not in DATA_SUFFIXES:
            notes.append(
                _warn(
                    display_path(path),
                    Msg.of("loader.unknown_type"),
                )
            )
        elif suffix in EXCEL_SUFFIXES:
            try:
                found, more = _workbook_sources(path)
            except DataError as exc:
                notes.extend(exc.issues)
                continue
            sources += found
            notes += more
        elif kind := kind_of_file(path.stem):
            sources.append(Source(kind, path))
        else:
            notes.append(
                _warn(
                    display_path(path),
                    Msg.of("loader.unknown_name", kinds=", ".join(KINDS), suffix=suffix),
                )
            )
    return sources, notes


# --- one source ---------------------------------------------------------------------------


def load_kind(kind: str, source: Source | Path | str, plan=None) -> tuple[pd.DataFrame, dict, list[Issue]]:
    """Read and validate one input; returns the table, its counts and its warnings.

    Raises ``DataError`` with every problem of the source: cell types, rules against the
    plan and across columns all run before failing.
    """
    if not isinstance(source, Source):
        source = Source(kind, Path(source))
    extra = extra_checks(kind, plan) if plan is not None else {}
    # A clean CSV log is checked and typed on Arrow; anything amiss takes the general path,
    # which words every problem with its row and column (core/fast_csv.py).
    fast = typed_csv(source.path, SPECS[kind]) if not extra and source.sheet is None else None
    if fast is not None:
        df, columns = fast
        errors, file, rows_read, blank_rows = [], df.attrs["file"], len(df), 0
    else:
        raw = read_table(source.path, source.sheet, lenient=True)  # shape problems join the others below
        file = raw.attrs.get("file", source.label)
        if raw.empty and len(raw.columns) == 0:
            raise DataError(Issue(file, Msg.of("loader.no_header")))
        df, errors = load_table_collecting(raw, SPECS[kind], extra)
        errors = list(raw.attrs.get("row_issues", [])) + errors
        columns, rows_read, blank_rows = list(raw.columns), len(raw), int(raw.attrs.get("blank_rows", 0))
    headers = {k: v for k, v in df.attrs.get("header_map", {}).items()}
    shown_to_id = {v: k for k, v in headers.items()}
    df.attrs["reported"] = SharedSet((i.row, shown_to_id.get(i.column, i.column)) for i in errors)
    if "period" in df.columns and kind != "dossiers":
        df = canonical_period(df)
    df, more, warnings, not_entered = RULES[kind](df, plan, file)

    def named(issues: list[Issue]) -> list[Issue]:
        return [replace(i, column=headers.get(i.column, i.column)) for i in issues]

    errors = errors + named(more)
    if errors:
        raise DataError(sorted(errors, key=lambda i: (i.file, i.row or 0)))
    counts = {
        "kind": kind,
        "file": file,
        "rows_read": rows_read,
        "rows_used": len(df),
        "rows_not_entered": not_entered,
        "blank_rows": blank_rows,
    }
    df.attrs = {
        "file": file,
        "header_map": SharedMap(headers),
        "extra_columns": [c for c in columns if c not in headers.values()],
    }
    df = df.reset_index(names="source_row")
    df.insert(0, "source_file", pd.Series(file, index=df.index, dtype="string"))
    return df, counts, named(warnings)


def load_dossiers(path: Path | str) -> pd.DataFrame:
    """A one-stop dossier log (CSV, Excel or Parquet) as a validated, typed table."""
    return load_kind("dossiers", path)[0]


def _read_meta(folder: Path) -> dict:
    path = folder / "meta.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(Issue(display_path(path), Msg.of("loader.not_utf8"))) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(toml_issue(display_path(path), exc)) from None


# --- the folder ---------------------------------------------------------------------------


def _folder(path, plan) -> Path:
    from cchc_lib.core import paths

    folder = paths.progress_dir(path, plan.plan_id)
    if folder.is_file():
        raise DataError(Issue(display_path(folder), Msg.of("loader.data_is_file")))
    if not folder.is_dir():
        raise DataError(
            Issue(
                display_path(folder),
                Msg.of("loader.no_folder"),
            )
        )
    return folder


def _not_entered_note(c: dict) -> Issue:
    return _warn(c["file"], Msg.of("loader.not_entered", n=c["rows_not_entered"]))


def load_progress(path: str | os.PathLike, plan) -> Progress:
    """Load every input of a year folder, combine each kind's sources, validate against ``plan``."""
    folder = _folder(path, plan)
    sources, notes = discover(folder)
    errors = [i for i in notes if i.severity == "error"]
    warnings = [i for i in notes if i.severity != "error"]
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in KINDS}
    headers: dict[str, dict[str, str]] = {}
    counts = []
    for s in sources:
        try:
            df, c, w = load_kind(s.kind, s, plan)
        except DataError as exc:
            errors.extend(exc.issues)
            continue
        parts[s.kind].append(df)
        headers[c["file"]] = df.attrs["header_map"]
        counts.append(c)
        warnings += w + ([_not_entered_note(c)] if c["rows_not_entered"] else [])
    tables = {}
    merged = pd.Series(0, index=[c["file"] for c in counts], dtype="int64")
    for kind in KINDS:
        if not parts[kind]:
            tables[kind] = _empty(kind)
            continue
        tables[kind], problems, m = combine(kind, parts[kind], headers)
        errors += problems
        merged = merged.add(m, fill_value=0).astype("int64")
    if errors:
        raise DataError(errors, title=Msg.of("title.progress"))
    for c in counts:
        c["rows_merged"] = int(merged.get(c["file"], 0))
        c["rows_used"] -= c["rows_merged"]
    return Progress(
        **tables,
        sources=pd.DataFrame(counts, columns=SOURCE_COLUMNS),
        warnings=warnings,
        meta=_read_meta(folder),
        path=folder,
        headers=headers,
    )
