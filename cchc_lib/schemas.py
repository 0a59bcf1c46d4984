"""Declarative table schemas shared by plan and progress validation.

A table is read as text (``readers``), headers are mapped to canonical column ids, then
validated with pandera against a schema built from ``Field`` specs, and only then
converted to typed columns. Validating the *text* lets each check carry the Vietnamese
wording of what was expected, and pandera collects every failing cell (lazy validation)
with its row, so the analyst gets the whole list at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import DataError, Issue

TRUE_WORDS = {"true", "có", "co", "yes", "y", "x", "1", "đúng", "dung", "rồi", "đã"}
FALSE_WORDS = {"false", "không", "khong", "no", "n", "0", "sai", "chưa"}


def norm_key(text: str) -> str:
    """Case-, accent-composition- and spacing-insensitive key for matching labels."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    text = re.sub(r"\s*[–—\-]\s*", "-", text)
    return re.sub(r"\s+", " ", text)


# --- value parsers -----------------------------------------------------------------------

def parse_bool(text: str) -> bool | None:
    key = norm_key(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS or key == "":
        return False if key else None
    return None


def is_bool_text(text: str) -> bool:
    return parse_bool(text) is not None


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)%?$")


def parse_number(text: str) -> float | None:
    """A number as an analyst types it: "90", "12,5" (decimal comma), "12.5", "42,3%".

    Thousands separators are refused rather than guessed: "1.234" is 1,234 in Vietnamese
    but 1.234 in English, and a silently wrong number is worse than a clear error.
    """
    s = str(text).strip().replace("\u2212", "-").replace(" ", "")
    if not _NUMBER.match(s):
        return None
    return float(s.rstrip("%").replace(",", "."))


def is_number_text(text: str) -> bool:
    return parse_number(text) is not None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy (Vietnamese usage) or ISO yyyy-mm-dd; never mm/dd/yyyy."""
    s = str(text).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def is_date_text(text: str) -> bool:
    return parse_date(text) is not None


# --- field specs -------------------------------------------------------------------------

EXPECT = {
    "number": "cần một số (ví dụ 90 hoặc 12,5; không dùng dấu phân cách hàng nghìn)",
    "integer": "cần một số nguyên (ví dụ 3)",
    "bool": "cần true/false (hoặc có/không)",
    "date": "cần một ngày dạng dd/mm/yyyy (ví dụ 14/06/2024) hoặc yyyy-mm-dd",
}


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
    return out


def element_check(fn: Callable[[str], bool], error: str) -> pa.Check:
    return pa.Check(lambda s: s.map(fn).astype(bool), error=error)


def _column(f: Field, extra: list[pa.Check]) -> pa.Column:
    checks = list(extra)
    if f.kind in ("number", "integer", "bool", "date"):
        fn = {"number": is_number_text, "bool": is_bool_text, "date": is_date_text,
              "integer": lambda t: (v := parse_number(t)) is not None and float(v).is_integer()}[f.kind]
        checks.append(element_check(fn, EXPECT[f.kind]))
    if f.kind == "choice" and f.choices:
        shown = ", ".join(dict.fromkeys(f.choices.values()))
        checks.append(element_check(lambda t: norm_key(t) in f.choices, f"cần một trong các giá trị: {shown}"))
    if f.pattern:
        rx = re.compile(f.pattern)
        checks.append(element_check(lambda t: bool(rx.fullmatch(t)), f"không đúng dạng mã ({f.pattern_hint or f.pattern})"))
    return pa.Column(None, checks=checks, nullable=f.nullable, unique=f.unique, required=f.required)


def _issues_from(errors: SchemaErrors, df: pd.DataFrame, file: str) -> list[Issue]:
    issues: list[Issue] = []
    fc = errors.failure_cases
    dups: dict[tuple[str, str], list[int]] = {}
    for rec in fc.itertuples(index=False):
        col, check, value, row = rec.column, str(rec.check), rec.failure_case, rec.index
        row = None if row is None or pd.isna(row) else int(row)
        if check == "column_in_dataframe":
            issues.append(Issue(file, f"thiếu cột bắt buộc '{value}' (xem docs để biết các cột cần có)", row=1))
        elif check == "not_nullable":
            issues.append(Issue(file, "ô bắt buộc, không được để trống", row=row, column=col))
        elif check == "field_uniqueness":
            dups.setdefault((col, str(value)), []).append(row)
        elif check.startswith("dtype(") or check.startswith("coerce_dtype("):
            continue
        else:
            issues.append(Issue(file, check, row=row, column=col, value=None if value is None else str(value)))
    for (col, value), rows in dups.items():
        rows = sorted(r for r in rows if r is not None)
        issues.append(Issue(file, f"giá trị '{value}' bị trùng ở các dòng {', '.join(map(str, rows))}; mỗi mã chỉ được xuất hiện một lần",
                            row=rows[0] if rows else None, column=col))
    issues.sort(key=lambda i: (i.row or 0, i.column or ""))
    return issues


def validate_text(df: pd.DataFrame, spec: TableSpec, file: str,
                  extra: dict[str, list[pa.Check]] | None = None) -> None:
    """Check the raw text cells against the spec; raise DataError listing every problem."""
    extra = extra or {}
    cols = {f.name: _column(f, extra.get(f.name, [])) for f in spec.fields}
    schema = pa.DataFrameSchema(cols, strict=False)
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        raise DataError(_issues_from(exc, df, file)) from None


def is_missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def blank_to_none(df: pd.DataFrame) -> pd.DataFrame:
    """Empty cells become None in object columns (pandas would otherwise infer NaN-backed str)."""
    cols = {c: pd.Series([None if is_missing(v) or str(v).strip() == "" else str(v).strip() for v in df[c]],
                         index=df.index, dtype=object) for c in df.columns}
    out = pd.DataFrame(cols, index=df.index)
    out.attrs.update(df.attrs)
    return out


def convert(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Typed columns from validated text: numbers float64, flags bool, dates datetime64."""
    out = df.copy()
    for f in spec.fields:
        if f.name not in out.columns:
            if f.kind == "bool":
                out[f.name] = False
            elif f.kind in ("number", "integer"):
                out[f.name] = float("nan")
            elif f.kind == "date":
                out[f.name] = pd.NaT
            else:
                out[f.name] = None
        s = out[f.name]
        if f.kind in ("number", "integer"):
            out[f.name] = pd.to_numeric(s.map(lambda v: None if is_missing(v) else parse_number(v)), errors="raise").astype("float64")
            if f.kind == "integer" and not out[f.name].isna().any():
                out[f.name] = out[f.name].astype("int64")
        elif f.kind == "bool":
            out[f.name] = s.map(lambda v: False if is_missing(v) else bool(parse_bool(v))).astype(bool)
        elif f.kind == "date":
            out[f.name] = pd.to_datetime(s.map(lambda v: None if is_missing(v) else parse_date(v)))
        elif f.kind == "choice" and f.choices:
            out[f.name] = s.map(lambda v: None if is_missing(v) else f.choices[norm_key(v)]).astype("string")
        else:
            out[f.name] = s.astype("string")
    out.attrs.update(df.attrs)
    return out


def load_table(raw: pd.DataFrame, spec: TableSpec, extra: dict[str, list[pa.Check]] | None = None) -> pd.DataFrame:
    """Header mapping → text validation → typed table. Row numbers stay in the index."""
    file = raw.attrs.get("file", spec.name)
    df = blank_to_none(rename_headers(raw, spec))
    validate_text(df, spec, file, extra)
    return convert(df, spec)


def isin_check(allowed: list[str], what: str, where: str) -> pa.Check:
    """Reference to another table: the message lists a few valid values."""
    allowed_set = set(allowed)
    sample = ", ".join(allowed[:8]) + (", …" if len(allowed) > 8 else "")
    return element_check(lambda t: t in allowed_set, f"cần một {what} có trong {where} ({sample})")


def choice_map(canonical: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{"done": ("hoàn thành", "xong")} → normalised word → canonical value."""
    out: dict[str, str] = {}
    for value, words in canonical.items():
        for w in (value, *words):
            out[norm_key(w)] = value
    return out


@dataclass
class Loaded:
    """A validated table plus what loading it counted (for the 'read vs used' report)."""

    table: pd.DataFrame
    file: str
    rows_read: int
    blank_rows: int = 0
    notes: list[Issue] = field(default_factory=list)
