"""Declarative table schemas shared by plan and progress validation.

A table is read as text (``readers``), headers are mapped to canonical column ids, then
validated with pandera against a schema built from ``Field`` specs, and only then
converted to typed columns. Validating the *text* lets each check carry the Vietnamese
wording of what was expected, and pandera collects every failing cell (lazy validation)
with its row, so the analyst gets the whole list at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaErrors

from cchc_lib.core.errors import DataError, Issue, Msg
from cchc_lib.core.frame_meta import SharedMap

TRUE_WORDS = {"true", "có", "co", "yes", "y", "x", "1", "đúng", "dung", "rồi", "đã"}
FALSE_WORDS = {"false", "không", "khong", "no", "n", "0", "sai", "chưa"}


def norm_key(text: str) -> str:
    """Case-, accent-composition- and spacing-insensitive key for matching labels."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    text = re.sub(r"\s*[–—\-]\s*", "-", text)
    return re.sub(r"\s+", " ", text)


# --- value parsers -----------------------------------------------------------------------
# Vectorised: a dossier log of a whole city (a million rows) goes through the same code as
# a 50-row target table. Each parser takes a Series (text, or already typed when read from
# Parquet/Excel) and returns the parsed Series with missing values where the text is invalid.


def on_distinct(parser):
    """Run a parser on the distinct values only, then spread the result back.

    A dossier log has a million rows but a few hundred distinct dates and a handful of
    channel words; parsing each distinct value once is what keeps loading fast.
    """

    def wrapper(s: pd.Series) -> pd.Series:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        parsed = parser(pd.Series(uniques, dtype=s.dtype if len(uniques) else object))
        values = parsed.to_numpy(dtype=object if parsed.dtype == object else None)
        out = (
            pd.Series(values.take(codes) if len(values) else values[:0], index=s.index).astype(parsed.dtype)
            if len(values)
            else pd.Series(index=s.index, dtype=parsed.dtype)
        )
        return out.mask(codes < 0) if (codes < 0).any() else out

    wrapper.__doc__ = parser.__doc__
    return wrapper


@on_distinct
def norm_text(s: pd.Series) -> pd.Series:
    """Vectorised ``norm_key``: NFC, case-folded, single spaces, dashes without spaces."""
    s = s.astype("string").str.normalize("NFC").str.casefold().str.strip()
    s = s.str.replace(r"\s*[–—\-]\s*", "-", regex=True)
    return s.str.replace(r"\s+", " ", regex=True)


BOOL_WORDS = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}


@on_distinct
def parse_bool_series(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean")
    return norm_text(s).map(BOOL_WORDS).astype("boolean")


_NUMBER_RX = r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)%?"
# "1.250", "1,250", "12.500.000", "1,250.5", "1.250,5": digits grouped by three. Such a
# number means one thing in Vietnamese and another in English, so it is refused with the
# form to write instead (an Excel number cell never reaches this: see readers._cell_text).
_GROUPED_RX = r"[+-]?[1-9]\d{0,2}(?:[.,]\d{3})+(?:[.,]\d+)?%?"
GROUPED_HINT = Msg.of("grouped").token()


def _squeeze(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.replace("\u2212", "-", regex=False).str.replace(" ", "", regex=False)


def looks_grouped(s: pd.Series) -> pd.Series:
    """Text that uses thousands separators (True), for the check that refuses it."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return pd.Series(False, index=s.index)
    return _squeeze(s).str.fullmatch(_GROUPED_RX).fillna(False).astype(bool)


@on_distinct
def parse_number_series(s: pd.Series) -> pd.Series:
    """ "90", "12,5" (decimal comma), "12.5", "42,3%". Thousands separators are refused
    rather than guessed: "1.234" is 1,234 in Vietnamese but 1.234 in English, and a
    silently wrong number is worse than a clear error."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    t = _squeeze(s)
    ok = t.str.fullmatch(_NUMBER_RX).fillna(False).astype(bool) & ~t.str.fullmatch(_GROUPED_RX).fillna(False)
    out = pd.to_numeric(t.where(ok).str.rstrip("%").str.replace(",", ".", regex=False), errors="coerce")
    return out.astype("float64")


DATE_YEARS = (1900, 2100)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")


@on_distinct
def parse_date_series(s: pd.Series) -> pd.Series:
    """dd/mm/yyyy (Vietnamese usage) or ISO yyyy-mm-dd; never mm/dd/yyyy."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize(None).dt.normalize() if getattr(s.dt, "tz", None) else s.dt.normalize()
    t = s.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = t.notna()
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        got = pd.to_datetime(t[todo], format=fmt, errors="coerce")
        # A year like 0024 (a slip for 2024) parses but is no date of a plan year, and
        # would overflow pandas' nanosecond dates: it is refused like any unreadable date.
        hit = got.notna() & got.dt.year.between(DATE_YEARS[0], DATE_YEARS[1])
        out.loc[got.index[hit]] = got[hit].astype("datetime64[ns]")
        todo.loc[got.index[hit]] = False
    return out.dt.normalize()


# --- field specs -------------------------------------------------------------------------

# What a cell of each kind must hold, as pandera check messages (``Msg.token``).
EXPECT = {kind: Msg.of(f"expect.{kind}").token() for kind in ("number", "integer", "bool", "date")}


@dataclass(frozen=True)
class Field:
    """One column of a table: its id, type, and what counts as valid."""

    name: str
    kind: str = "text"  # text | number | integer | bool | date | choice
    required: bool = True  # the column must be present
    nullable: bool = True  # cells may be empty
    unique: bool = False
    choices: dict[str, str] | None = None  # accepted word (normalised) -> canonical value
    pattern: str | None = None  # regex the text must match
    pattern_hint: str = ""
    headers: tuple[str, ...] = ()  # other accepted header spellings (Vietnamese display headers)
    label: str = ""  # Vietnamese display header
    shown: tuple[str, ...] = ()  # the words a choice error lists (the template's drop-down)


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def rename_headers(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Map display headers and aliases ("Mã chỉ tiêu", "target id") to canonical ids."""
    lookup: dict[str, str] = {}
    for f in spec.fields:
        for h in (f.name, f.label, *f.headers):
            if h:
                lookup[norm_key(h).replace(" ", "_")] = f.name
    mapping = {}
    for col in df.columns:
        key = norm_key(col).replace(" ", "_")
        if key in lookup and lookup[key] not in mapping.values():
            mapping[col] = lookup[key]
    out = df.rename(columns=mapping)
    out.attrs.update(df.attrs)
    # Messages quote the header as the analyst wrote it ("Tình trạng"), not our id.
    out.attrs["header_map"] = SharedMap({new: old for old, new in mapping.items()})
    return out


def choice_series(s: pd.Series, choices: dict[str, str]) -> pd.Series:
    """Accepted words → canonical values (missing where the word is not accepted)."""
    return on_distinct(lambda u: norm_text(u).map(choices).astype("string"))(s)


PARSERS = {"number": parse_number_series, "bool": parse_bool_series, "date": parse_date_series}


def accepts(parser: Callable, error: type[Exception] = ValueError) -> Callable[[str], bool]:
    """A predicate for ``element_check``: does ``parser`` read the text without ``error``?"""

    def ok(text: str) -> bool:
        try:
            parser(text)
            return True
        except error:
            return False

    return ok


def element_check(fn: Callable[[str], bool], error: str | Msg) -> pa.Check:
    """A check run cell by cell: for small tables and lookups that have no vector form.

    A ``Msg`` error travels through pandera as its token and is worded when shown."""
    text = error.token() if isinstance(error, Msg) else error
    return pa.Check(lambda s: s.map(fn).astype(bool), error=text)


def _column(f: Field, extra: list[pa.Check]) -> pa.Column:
    checks = list(extra)
    if f.kind == "integer":
        checks.append(
            pa.Check(
                lambda s: ((v := parse_number_series(s)).notna() & (v % 1 == 0)) | looks_grouped(s),
                error=EXPECT["integer"],
            )
        )
        checks.append(pa.Check(lambda s: ~looks_grouped(s), error=GROUPED_HINT))
    elif f.kind == "number":
        # One message per cell: grouped digits get their own, everything else the generic one.
        checks.append(pa.Check(lambda s: parse_number_series(s).notna() | looks_grouped(s), error=EXPECT["number"]))
        checks.append(pa.Check(lambda s: ~looks_grouped(s), error=GROUPED_HINT))
    elif f.kind in PARSERS:
        parser = PARSERS[f.kind]
        checks.append(pa.Check(lambda s: parser(s).notna(), error=EXPECT[f.kind]))
    if f.kind == "choice" and f.choices:
        shown = ", ".join(f.shown or dict.fromkeys(f.choices.values()))
        checks.append(
            pa.Check(lambda s: norm_text(s).isin(list(f.choices)), error=Msg.of("one_of", words=shown).token())
        )
    if f.pattern:
        pattern = f.pattern
        checks.append(
            pa.Check(
                lambda s: s.astype("string").str.fullmatch(pattern).fillna(False).astype(bool),
                error=Msg.of("pattern", hint=f.pattern_hint or f.pattern).token(),
            )
        )
    return pa.Column(None, checks=checks, nullable=f.nullable, unique=f.unique, required=f.required)


def _issues_from(errors: SchemaErrors, df: pd.DataFrame, file: str) -> list[Issue]:
    issues: list[Issue] = []
    headers = df.attrs.get("header_map", {})
    fc = errors.failure_cases.assign(column=lambda f: f["column"].map(lambda c: headers.get(c, c)))
    dups: dict[tuple[str, str], list[int]] = {}
    for rec in fc.itertuples(index=False):
        col, check, value, row = rec.column, str(rec.check), rec.failure_case, rec.index
        row = None if row is None or pd.isna(row) else int(row)
        if check == "column_in_dataframe":
            issues.append(Issue(file, Msg.of("missing_column", column=str(value)), row=1))
        elif check == "not_nullable":
            issues.append(Issue(file, Msg.of("required_cell"), row=row, column=col))
        elif check == "field_uniqueness":
            dups.setdefault((col, str(value)), []).append(row)
        elif check.startswith("dtype(") or check.startswith("coerce_dtype("):
            continue
        else:
            shown = None if value is None else str(value)
            issues.append(Issue(file, Msg.from_token(check) or check, row=row, column=col, value=shown))
    for (col, value), rows in dups.items():
        rows = sorted(r for r in rows if r is not None)
        issues.append(
            Issue(
                file,
                Msg.of("duplicate_id", value=value, rows=", ".join(map(str, rows))),
                row=rows[0] if rows else None,
                column=col,
            )
        )
    issues.sort(key=lambda i: (i.row or 0, i.column or ""))
    return issues


def text_issues(
    df: pd.DataFrame, spec: TableSpec, file: str, extra: dict[str, list[pa.Check]] | None = None
) -> list[Issue]:
    """Every problem of the raw text cells against the spec (empty when all is well)."""
    extra = extra or {}
    cols = {f.name: _column(f, extra.get(f.name, [])) for f in spec.fields}
    schema = pa.DataFrameSchema(cols, strict=False)
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        return _issues_from(exc, df, file)
    return []


def validate_text(df: pd.DataFrame, spec: TableSpec, file: str, extra: dict[str, list[pa.Check]] | None = None) -> None:
    """Check the raw text cells against the spec; raise DataError listing every problem."""
    issues = text_issues(df, spec, file, extra)
    if issues:
        raise DataError(issues)


def _stripped_or_missing(s: pd.Series) -> pd.Series:
    """``s.str.strip()`` with empty cells made missing, done on the Arrow array itself (what
    pandas' Arrow strings do inside ``str.strip`` and ``mask``, without their per-column cost)."""
    stripped = pc.utf8_trim_whitespace(pyarrow.array(s.astype("string")))
    kept = pc.if_else(pc.equal(stripped, ""), pyarrow.scalar(None, stripped.type), stripped)
    return pd.Series(pd.arrays.ArrowStringArray(kept), index=s.index, name=s.name)


def blank_to_none(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells stripped, empty ones missing; typed columns (Parquet, Excel) kept as they are."""
    cols = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            s = _stripped_or_missing(s)
        cols[c] = s
    out = pd.DataFrame(cols, index=df.index)
    out.attrs.update(df.attrs)
    return out


def convert_column(f: Field, s: pd.Series) -> pd.Series:
    """One validated text column (or a column of None for an absent field) typed."""
    if f.kind in ("number", "integer"):
        out = parse_number_series(s)
        return out.astype("int64") if f.kind == "integer" and not out.isna().any() else out
    if f.kind == "bool":
        return parse_bool_series(s).fillna(False).astype(bool)
    if f.kind == "date":
        return parse_date_series(s)
    if f.kind == "choice" and f.choices:
        return choice_series(s, f.choices)
    return s.astype("string")


def convert(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Typed columns from validated text: numbers float64, flags bool, dates datetime64."""
    out = df.copy()
    for f in spec.fields:
        if f.name not in out.columns:
            out[f.name] = pd.Series(None, index=out.index, dtype=object)
        out[f.name] = convert_column(f, out[f.name])
    out.attrs.update(df.attrs)
    return out


def load_table(raw: pd.DataFrame, spec: TableSpec, extra: dict[str, list[pa.Check]] | None = None) -> pd.DataFrame:
    """Header mapping → text validation → typed table. Row numbers stay in the index."""
    file = raw.attrs.get("file", spec.name)
    df = blank_to_none(rename_headers(raw, spec))
    validate_text(df, spec, file, extra)
    return convert(df, spec)


def load_table_collecting(
    raw: pd.DataFrame, spec: TableSpec, extra: dict[str, list[pa.Check]] | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Like ``load_table`` but returns the typed table *and* the problems, so that later
    checks (cross-column, against the plan) still run and one pass reports everything.
    Cells that failed are missing in the typed table; a missing required column is fatal."""
    file = raw.attrs.get("file", spec.name)
    df = blank_to_none(rename_headers(raw, spec))
    issues = text_issues(df, spec, file, extra)
    if any(isinstance(i.expected, Msg) and i.expected.key == "missing_column" for i in issues):
        raise DataError(issues)
    return convert(df, spec), issues


def isin_check(allowed: list[str], what: Msg, where: str) -> pa.Check:
    """Reference to another table (``what``: an ``input.ref.*`` message); lists a few valid values."""
    allowed_set = set(allowed)
    sample = ", ".join(allowed[:8]) + (", …" if len(allowed) > 8 else "")
    return element_check(lambda t: t in allowed_set, Msg.of("not_in", what=what, where=where, sample=sample))


def choice_map(canonical: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{"done": ("hoàn thành", "xong")} → normalised word → canonical value."""
    out: dict[str, str] = {}
    for value, words in canonical.items():
        for w in (value, *words):
            out[norm_key(w)] = value
    return out
