"""One-stop (TTHC) KPIs from the dossier log and the feedback (phản ánh, kiến nghị) log.

The commune's quarterly report quotes a handful of one-stop rates (online submission,
on-time resolution, digitisation, satisfaction, feedback handled); this module computes
them for a reporting window, per field and per month, always with the numerator and
denominator behind each rate so a reader can check the arithmetic.

Inputs are the typed tables of ``progress.load_dossiers`` / the feedback loader (dates as
datetime64, date-only; canonical words ``online``/``direct``/``postal`` and
``satisfied``/``neutral``/``dissatisfied``). A city's yearly log is about a million rows,
so every measure is a boolean mask over NumPy arrays, counted with ``count_nonzero`` or
``bincount``; dates are turned into day numbers once per call and reused.

Rules (window W = [start, end], both days included, dates compared by day):

* received in W / returned in W / resolved in W: the day falls in W (``Window.mask``);
* pending at W.end: received on or before ``end`` and not returned by ``end``;
* pending-overdue at W.end: pending at ``end`` with ``due_date < end``. A dossier due on
  ``end`` itself can still be returned on time that day, so it is not yet overdue;
* on time: returned on or before ``due_date``; no due date (resolved on the spot) is on
  time. Pending-overdue dossiers count as late in the on-time denominator (domain rule:
  "pending dossiers already past due count as overdue");
* a rate with denominator 0 is NaN ("Chưa có số liệu"), never 0% and never an error.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from cchc_lib import i18n
from cchc_lib.core.periods import Window
from cchc_lib.core.schemas import norm_key
from cchc_lib.i18n.fmt import DASH

__all__ = [
    "CHANNELS",
    "KPI_LABELS",
    "KPI_NAMES",
    "KPI_UNITS",
    "RATINGS",
    "Group766",
    "TthcConfig",
    "TthcInputError",
    "TthcResult",
    "assess_tthc",
    "decision_766",
    "is_land_field",
    "kpis",
    "kpis_by_field",
    "kpis_by_month",
    "load_config",
    "one_stop_results",
]

KPI_NAMES: tuple[str, ...] = (
    "online_rate",
    "on_time_rate",
    "overdue_pending",
    "dossier_digitization_rate",
    "result_digitization_rate",
    "satisfaction_rate",
    "land_satisfaction_rate",
    "feedback_resolved_rate",
    "feedback_on_time_rate",
)
DOSSIER_KPIS: tuple[str, ...] = KPI_NAMES[:7]
FEEDBACK_KPIS: tuple[str, ...] = KPI_NAMES[7:]

KPI_UNITS: dict[str, str] = {name: "count" if name == "overdue_pending" else "percent" for name in KPI_NAMES}

KPI_LABELS = i18n.table("kpi")

# Canonical words of the validated tables (progress.CHANNELS / progress.RATINGS keys).
CHANNELS: tuple[str, ...] = ("online", "direct", "postal")
RATINGS: tuple[str, ...] = ("satisfied", "neutral", "dissatisfied")

DOSSIER_COLUMNS = ("field", "received_date", "due_date", "returned_date", "channel")
DOSSIER_OPTIONAL = ("dossier_digitized", "result_digitized", "rating")
FEEDBACK_COLUMNS = ("received_date", "due_date", "resolved_date")

NO_FIELD = "(chưa ghi lĩnh vực)"  # label for dossiers whose field is missing

# KPI name → (numerator flag, denominator flag); flags are built by _dossier_flags /
# _feedback_flags. overdue_pending is a count: its "denominator" is every dossier still
# pending at the end of the window, so a reader sees "12 of 40 pending are overdue".
_DOSSIER_SPEC: dict[str, tuple[str, str]] = {
    "online_rate": ("received_online", "received"),
    "on_time_rate": ("returned_on_time", "returned_or_overdue"),
    "overdue_pending": ("pending_overdue", "pending"),
    "dossier_digitization_rate": ("received_digitized", "received_digitizable"),
    "result_digitization_rate": ("returned_digitized", "returned_digitizable"),
    "satisfaction_rate": ("satisfied", "rated"),
    "land_satisfaction_rate": ("land_satisfied", "land_rated"),
}
_FEEDBACK_SPEC: dict[str, tuple[str, str]] = {
    "feedback_resolved_rate": ("received_resolved", "received"),
    "feedback_on_time_rate": ("resolved_on_time", "resolved_or_overdue"),
}


class TthcInputError(ValueError):
    """A dossier or feedback table that does not have the shape the loader promises."""


# ---------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Group766:
    """One group of Decision 766/QĐ-TTg and which of our KPIs (if any) inform it."""

    group_id: str
    name: str
    name_en: str
    max_points: float
    kpis: tuple[str, ...]
    needs: str
    note: str
    needs_en: str = ""
    note_en: str = ""

    @property
    def coverage(self) -> str:
        return "partial" if self.kpis else "none"


@dataclass(frozen=True)
class TthcConfig:
    """Settings from ``cchc_lib/config/tthc.toml`` (land fields, Decision 766 groups)."""

    land_fields: tuple[str, ...]
    groups: tuple[Group766, ...]
    disclaimer: str
    disclaimer_en: str
    source: str

    # Mapping-style access, for callers that read the config like the TOML table
    # (``load_config().get("land_fields")``).
    def get(self, key: str, default: object = None) -> object:
        return getattr(self, key, default) if key in self.__dataclass_fields__ else default

    def __getitem__(self, key: str) -> object:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)


def _parse_config(raw: Mapping) -> TthcConfig:
    """Check the file's promises (known KPIs, 100 points) so a bad edit fails loudly."""
    land = raw.get("land_fields", ["Đất đai"])
    if isinstance(land, str) or not all(isinstance(x, str) for x in land):
        raise ValueError('tthc.toml: land_fields phải là danh sách tên lĩnh vực, ví dụ ["Đất đai"].')
    d766 = raw["decision_766"]
    groups = []
    for g in d766["groups"]:
        unknown = [k for k in g.get("kpis", []) if k not in KPI_NAMES or KPI_UNITS[k] != "percent"]
        if unknown:
            raise ValueError(
                f"tthc.toml: nhóm '{g['id']}' dùng chỉ số không hợp lệ {unknown}; "
                f"chỉ chấp nhận các tỷ lệ trong {KPI_NAMES}."
            )
        groups.append(
            Group766(
                group_id=g["id"],
                name=g["name"],
                name_en=g["name_en"],
                max_points=float(g["max_points"]),
                kpis=tuple(g.get("kpis", [])),
                needs=g.get("needs", ""),
                note=g.get("note", ""),
                needs_en=g.get("needs_en", ""),
                note_en=g.get("note_en", ""),
            )
        )
    total = sum(g.max_points for g in groups)
    if abs(total - 100) > 1e-9:
        raise ValueError(f"tthc.toml: tổng điểm tối đa các nhóm Quyết định 766 là {total:g}, cần đúng 100.")
    return TthcConfig(
        land_fields=tuple(land),
        groups=tuple(groups),
        disclaimer=d766["disclaimer"],
        disclaimer_en=d766["disclaimer_en"],
        source=d766["source"],
    )


@lru_cache(maxsize=1)
def load_config() -> TthcConfig:
    """The packaged ``config/tthc.toml`` (read once; it ships with the package)."""
    text = resources.files("cchc_lib").joinpath("config", "tthc.toml").read_text(encoding="utf-8")
    return _parse_config(tomllib.loads(text))


def _land_keys(land_fields: str | Iterable[str] | None) -> frozenset[str]:
    if land_fields is None:
        land_fields = load_config().land_fields
    elif isinstance(land_fields, str):
        land_fields = [land_fields]
    return frozenset(norm_key(f) for f in land_fields)


def is_land_field(name: object, land_fields: str | Iterable[str] | None = None) -> bool:
    """True when a field name is one of the land fields (case, NFC and spacing ignored)."""
    if name is None or name is pd.NA or (isinstance(name, float) and name != name):
        return False
    return norm_key(str(name)) in _land_keys(land_fields)


# ---------------------------------------------------------------------------- prepared arrays


def _check_columns(df: pd.DataFrame, required: Iterable[str], what: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise TthcInputError(
            f"Bảng {what} thiếu cột {', '.join(missing)}: hãy đọc tệp bằng bộ nạp dữ liệu "
            "(cchc_lib.progress.loader) để có đủ cột đã chuẩn hóa."
        )


def _days(series: pd.Series) -> np.ndarray:
    """Day-level dates as datetime64[D] (NaT kept); a time of day or a timezone is dropped."""
    if not pd.api.types.is_datetime64_any_dtype(series):
        if series.isna().all():  # an empty table, or a column with no date yet
            return np.full(len(series), np.datetime64("NaT"), dtype="datetime64[D]")
        raise TthcInputError(
            f"Cột '{series.name}' phải có kiểu ngày (datetime64), đang là {series.dtype}: "
            "hãy dùng bộ nạp dữ liệu hoặc pandas.to_datetime trước."
        )
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_localize(None)  # wall clock, as Window.mask does
    return series.to_numpy().astype("datetime64[D]")


def _flag(series: pd.Series) -> np.ndarray:
    """Boolean column as a NumPy bool array; a missing value counts as False."""
    return series.to_numpy(dtype=bool, na_value=False)


def _words(series: pd.Series, allowed: tuple[str, ...], what: str) -> None:
    """Fail on a word outside the canonical vocabulary instead of miscounting it."""
    bad = series.notna().to_numpy() & ~series.isin(allowed).to_numpy(dtype=bool, na_value=False)
    if bad.any():
        examples = ", ".join(repr(v) for v in pd.unique(series[bad])[:5])
        raise TthcInputError(
            f"Cột '{series.name}' của bảng {what} có giá trị ngoài {allowed}: {examples}. "
            "Hãy đọc tệp bằng bộ nạp dữ liệu (cchc_lib.progress.loader) để chuẩn hóa các từ."
        )


def _eq(series: pd.Series, word: str) -> np.ndarray:
    return series.eq(word).to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True)
class _Dossiers:
    """A dossier table turned into arrays once, reused for every window and grouping."""

    n: int
    received_s: pd.Series  # original columns, for Window.mask
    returned_s: pd.Series
    received: np.ndarray  # datetime64[D]
    due: np.ndarray
    returned: np.ndarray
    online: np.ndarray  # bool
    dossier_dig: np.ndarray | None  # None: column absent → KPI has no data
    result_dig: np.ndarray | None
    rated: np.ndarray
    satisfied: np.ndarray
    land: np.ndarray
    field_codes: np.ndarray  # int, one code per merged field spelling
    field_names: tuple[str, ...]
    field_is_land: np.ndarray  # bool per field code


def _prepare_dossiers(df: pd.DataFrame, land_fields: str | Iterable[str] | None) -> _Dossiers:
    _check_columns(df, DOSSIER_COLUMNS, "hồ sơ")
    _words(df["channel"], CHANNELS, "hồ sơ")
    n = len(df)
    rating = df["rating"] if "rating" in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")
    _words(rating, RATINGS, "hồ sơ")
    rated = rating.isin(RATINGS).to_numpy(dtype=bool, na_value=False)

    # Fields: factorise once, then merge spellings that differ only in case, composition or
    # spacing ("Đất đai" / "đất đai "), so by_field and the land flag agree.
    codes, uniques = pd.factorize(df["field"])
    land_keys = _land_keys(land_fields)
    key_index: dict[str, int] = {}
    names: list[str] = []
    is_land: list[bool] = []
    remap = np.zeros(len(uniques) + 1, dtype=np.int64)  # remap[-1] serves code -1 (no field)
    for i, raw in enumerate(uniques):
        key = norm_key(raw)
        if key not in key_index:
            key_index[key] = len(names)
            names.append(" ".join(unicodedata.normalize("NFC", str(raw)).split()))
            is_land.append(key in land_keys)
        remap[i] = key_index[key]
    if n and (codes < 0).any():
        remap[-1] = len(names)
        names.append(NO_FIELD)
        is_land.append(False)
    field_codes = remap[codes]
    field_is_land = np.array(is_land, dtype=bool)

    def optional_flag(col: str) -> np.ndarray | None:
        return _flag(df[col]) if col in df.columns else None

    return _Dossiers(
        n=n,
        received_s=df["received_date"],
        returned_s=df["returned_date"],
        received=_days(df["received_date"]),
        due=_days(df["due_date"]),
        returned=_days(df["returned_date"]),
        online=_eq(df["channel"], "online"),
        dossier_dig=optional_flag("dossier_digitized"),
        result_dig=optional_flag("result_digitized"),
        rated=rated,
        satisfied=_eq(rating, "satisfied"),
        land=field_is_land[field_codes] if n else np.zeros(0, dtype=bool),
        field_codes=field_codes,
        field_names=tuple(names),
        field_is_land=field_is_land,
    )


@dataclass(frozen=True)
class _Feedback:
    n: int
    received_s: pd.Series
    resolved_s: pd.Series
    received: np.ndarray
    due: np.ndarray
    resolved: np.ndarray


def _empty_feedback() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]") for c in FEEDBACK_COLUMNS})


def _prepare_feedback(df: pd.DataFrame | None) -> _Feedback:
    if df is None:
        df = _empty_feedback()
    _check_columns(df, FEEDBACK_COLUMNS, "phản ánh, kiến nghị")
    return _Feedback(
        n=len(df),
        received_s=df["received_date"],
        resolved_s=df["resolved_date"],
        received=_days(df["received_date"]),
        due=_days(df["due_date"]),
        resolved=_days(df["resolved_date"]),
    )


# ---------------------------------------------------------------------------- flags per window


def _day(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


def _dossier_flags(p: _Dossiers, win: Window) -> dict[str, np.ndarray]:
    """Per-dossier booleans for one window; every KPI is a pair of these, counted."""
    end = _day(win.end)
    received = win.mask(p.received_s).to_numpy(dtype=bool)
    returned = win.mask(p.returned_s).to_numpy(dtype=bool)
    # NaT compares False, so "not returned by end" covers pending (NaT) and returned later;
    # a NaT due date is never "past due" and never "late".
    pending = (p.received <= end) & ~(p.returned <= end)
    pending_overdue = pending & (p.due < end)
    rated = returned & p.rated
    satisfied = returned & p.satisfied
    flags = {
        "received": received,
        "received_online": received & p.online,
        "returned": returned,
        "returned_on_time": returned & ~(p.returned > p.due),
        # disjoint: returned in W means returned by end, so not pending at end
        "returned_or_overdue": returned | pending_overdue,
        "pending": pending,
        "pending_overdue": pending_overdue,
        "rated": rated,
        "satisfied": satisfied,
        "land_rated": rated & p.land,
        "land_satisfied": satisfied & p.land,
    }
    none = np.zeros(p.n, dtype=bool)
    if p.dossier_dig is None:
        flags["received_digitizable"] = flags["received_digitized"] = none
    else:
        flags["received_digitizable"] = received
        flags["received_digitized"] = received & p.dossier_dig
    if p.result_dig is None:
        flags["returned_digitizable"] = flags["returned_digitized"] = none
    else:
        flags["returned_digitizable"] = returned
        flags["returned_digitized"] = returned & p.result_dig
    return flags


def _feedback_flags(p: _Feedback, win: Window) -> dict[str, np.ndarray]:
    end = _day(win.end)
    received = win.mask(p.received_s).to_numpy(dtype=bool)
    resolved = win.mask(p.resolved_s).to_numpy(dtype=bool)
    pending_overdue = (p.received <= end) & ~(p.resolved <= end) & (p.due < end)
    return {
        "received": received,
        "received_resolved": received & (p.resolved <= end),
        "resolved_on_time": resolved & ~(p.resolved > p.due),
        "resolved_or_overdue": resolved | pending_overdue,
        "resolved": resolved,
        "pending": (p.received <= end) & ~(p.resolved <= end),
    }


def _value(kpi: str, num: np.ndarray, den: np.ndarray, has_data: bool) -> np.ndarray:
    """Percent (NaN where den = 0), or the count itself for overdue_pending."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    if KPI_UNITS[kpi] == "count":
        return num if has_data else np.full_like(num, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)


def _overall_rows(spec: Mapping[str, tuple[str, str]], flags: Mapping[str, np.ndarray], has_data: bool) -> list[dict]:
    rows = []
    for kpi, (num_flag, den_flag) in spec.items():
        num = int(np.count_nonzero(flags[num_flag]))
        den = int(np.count_nonzero(flags[den_flag]))
        rows.append(
            {
                "kpi": kpi,
                "value": float(_value(kpi, num, den, has_data)),
                "numerator": num,
                "denominator": den,
                "unit": KPI_UNITS[kpi],
            }
        )
    return rows


# ---------------------------------------------------------------------------- public API


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    df["value"] = df["value"].astype("float64")
    for col in ("numerator", "denominator"):
        df[col] = df[col].astype("int64")
    return df


def _kpis(d: _Dossiers, f: _Feedback, win: Window) -> pd.DataFrame:
    rows = _overall_rows(_DOSSIER_SPEC, _dossier_flags(d, win), d.n > 0)
    rows += _overall_rows(_FEEDBACK_SPEC, _feedback_flags(f, win), f.n > 0)
    df = _frame(rows, ["kpi", "value", "numerator", "denominator", "unit"])
    return df.set_index("kpi")


def kpis(
    dossiers: pd.DataFrame,
    feedback: pd.DataFrame | None,
    window: Window,
    land_fields: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The nine one-stop KPIs for one window, indexed by KPI name (``KPI_NAMES`` order).

    Columns: ``value`` (percent 0–100, or a count for ``overdue_pending``), ``numerator``,
    ``denominator`` and ``unit``; the report prints "42,3% (127/300)" from them. An empty
    table gives NaN with denominator 0 — "no data", which a report must not show as 0%.
    ``land_fields`` defaults to the list in ``config/tthc.toml``.
    """
    return _kpis(_prepare_dossiers(dossiers, land_fields), _prepare_feedback(feedback), window)


_BY_FIELD_COLUMNS = ["field", "kpi", "value", "numerator", "denominator", "unit"]


def _kpis_by_field(d: _Dossiers, win: Window) -> pd.DataFrame:
    nf = len(d.field_names)
    if d.n == 0 or nf == 0:
        return _frame([], _BY_FIELD_COLUMNS)
    flags = _dossier_flags(d, win)
    counts = {k: np.bincount(d.field_codes[v], minlength=nf) for k, v in flags.items()}
    # Fields with no activity in the window (nothing received, returned or pending) would
    # only add rows of "no data": leave them out. Order: busiest field first.
    activity = counts["received"] + counts["returned"] + counts["pending"]
    order = sorted(
        (i for i in range(nf) if activity[i] > 0),
        key=lambda i: (d.field_names[i] == NO_FIELD, -counts["received"][i], d.field_names[i]),
    )
    rows = []
    for i in order:
        for kpi, (num_flag, den_flag) in _DOSSIER_SPEC.items():
            if kpi == "land_satisfaction_rate" and not d.field_is_land[i]:
                continue  # the land target concerns land fields only
            num, den = int(counts[num_flag][i]), int(counts[den_flag][i])
            rows.append(
                {
                    "field": d.field_names[i],
                    "kpi": kpi,
                    "value": float(_value(kpi, num, den, True)),
                    "numerator": num,
                    "denominator": den,
                    "unit": KPI_UNITS[kpi],
                }
            )
    return _frame(rows, _BY_FIELD_COLUMNS)


def kpis_by_field(
    dossiers: pd.DataFrame, window: Window, land_fields: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Dossier KPIs per field (lĩnh vực), long form, to show where a rate is won or lost.

    Columns: field, kpi, value, numerator, denominator, unit. Spellings that differ only in
    case or spacing are one field. ``land_satisfaction_rate`` appears for land fields only;
    fields with no dossier received, returned or pending in the window are left out.
    Numerators and denominators add up to those of ``kpis``.
    """
    return _kpis_by_field(_prepare_dossiers(dossiers, land_fields), window)


def month_slices(win: Window) -> list[tuple[str, date, date, date, bool]]:
    """Calendar months cut to the window: (label, month_start, start, end, partial).

    A Decree 09 quarter 15/03–14/06 gives 15–31/03 (partial), April, May, 1–14/06
    (partial). Each slice is a ``Window`` of its own when KPIs are computed.
    """
    out = []
    y, m = win.start.year, win.start.month
    while date(y, m, 1) <= win.end:
        first = date(y, m, 1)
        nxt = date(y + m // 12, m % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        start, end = max(first, win.start), min(last, win.end)
        out.append((f"{y:04d}-{m:02d}", first, start, end, (start, end) != (first, last)))
        y, m = nxt.year, nxt.month
    return out


_BY_MONTH_COLUMNS = [
    "month",
    "month_start",
    "start",
    "end",
    "partial",
    "kpi",
    "value",
    "numerator",
    "denominator",
    "unit",
]


def _kpis_by_month(d: _Dossiers, f: _Feedback, win: Window) -> pd.DataFrame:
    rows = []
    for label, first, start, end, partial in month_slices(win):
        sub = replace(win, start=start, end=end)
        head = {
            "month": label,
            "month_start": pd.Timestamp(first),
            "start": pd.Timestamp(start),
            "end": pd.Timestamp(end),
            "partial": partial,
        }
        for row in _overall_rows(_DOSSIER_SPEC, _dossier_flags(d, sub), d.n > 0) + _overall_rows(
            _FEEDBACK_SPEC, _feedback_flags(f, sub), f.n > 0
        ):
            rows.append({**head, **row})
    df = _frame(rows, _BY_MONTH_COLUMNS)
    df["partial"] = df["partial"].astype(bool)
    for col in ("month_start", "start", "end"):
        df[col] = pd.to_datetime(df[col])
    return df


def kpis_by_month(
    dossiers: pd.DataFrame,
    feedback: pd.DataFrame | None,
    window: Window,
    land_fields: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """All nine KPIs per calendar month of the window, long form, for trend charts.

    Columns: month ("2024-04"), month_start (first day of the calendar month), start/end
    (the days actually counted), partial (True when the window cuts the month), kpi,
    value, numerator, denominator, unit. Flow measures (received, returned, ratings) add
    up to the window's; stock measures (pending-overdue, and the denominators that include
    it) are as at each slice's last day, so the last month equals the window's.
    """
    return _kpis_by_month(_prepare_dossiers(dossiers, land_fields), _prepare_feedback(feedback), window)


@dataclass(frozen=True)
class TthcResult:
    """One-stop figures of a report: the period, its fields, the months of the year so far."""

    overall: pd.DataFrame  # kpis() for the report window
    by_field: pd.DataFrame  # kpis_by_field() for the report window
    by_month: pd.DataFrame  # kpis_by_month() for the year-to-date window
    window: Window
    counts: dict[str, int]
    ytd_window: Window | None = None
    land_fields: tuple[str, ...] = field(default_factory=tuple)


def assess_tthc(
    dossiers: pd.DataFrame,
    feedback: pd.DataFrame | None,
    window: Window,
    ytd_window: Window,
    land_fields: str | Iterable[str] | None = None,
) -> TthcResult:
    """Everything the report's one-stop section needs, from one pass of preparation.

    ``window`` is the report period (overall, by field); ``ytd_window`` (usually
    ``periods.year_to_date``) drives the monthly trend so a Q2 report shows January onwards.
    """
    if land_fields is None:
        land = load_config().land_fields
    elif isinstance(land_fields, str):
        land = (land_fields,)
    else:
        land = tuple(land_fields)
    d = _prepare_dossiers(dossiers, land)
    f = _prepare_feedback(feedback)
    dflags = _dossier_flags(d, window)
    fflags = _feedback_flags(f, window)
    counts = {
        "dossiers_input": d.n,
        "dossiers_received": int(np.count_nonzero(dflags["received"])),
        "dossiers_returned": int(np.count_nonzero(dflags["returned"])),
        "dossiers_pending_end": int(np.count_nonzero(dflags["pending"])),
        "dossiers_overdue_pending_end": int(np.count_nonzero(dflags["pending_overdue"])),
        "feedback_input": f.n,
        "feedback_received": int(np.count_nonzero(fflags["received"])),
        "feedback_resolved": int(np.count_nonzero(fflags["resolved"])),
        "feedback_pending_end": int(np.count_nonzero(fflags["pending"])),
    }
    return TthcResult(
        overall=_kpis(d, f, window),
        by_field=_kpis_by_field(d, window),
        by_month=_kpis_by_month(d, f, ytd_window),
        window=window,
        counts=counts,
        ytd_window=ytd_window,
        land_fields=land,
    )


# ---------------------------------------------------------------------------- results table

RESULT_COLUMNS: tuple[str, ...] = (
    "to_resolve",
    "carried_over",
    "new_online",
    "new_direct",
    "new_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_not_due",
    "pending_overdue",
)


def one_stop_results(
    dossiers: pd.DataFrame, window: Window, land_fields: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """The one-stop results table of a periodic report: one row per field, counts only.

    Dossiers to resolve in W = carried over (received before W.start, not returned before
    it) + newly received in W by channel (online / in person / by post). Each of them is
    either resolved in W — early (returned before the due day), on time (on the due day,
    or no due date: resolved on the spot) or late (after it) — or pending at W.end: not yet
    due (due on or after W.end, or no due date) or overdue (due before W.end, the rule of
    ``kpis``). So ``to_resolve = resolved + pending`` on every row, early + on time equals
    the numerator of ``on_time_rate`` and ``pending_overdue`` equals ``overdue_pending``.
    Index: field names (busiest first, unrecorded field last); fields with nothing to
    resolve are left out. Columns: ``RESULT_COLUMNS``.
    """
    d = _prepare_dossiers(dossiers, land_fields)
    nf = len(d.field_names)
    if d.n == 0 or nf == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS), dtype="int64").rename_axis("field")
    start, end = _day(window.start), _day(window.end)
    received = window.mask(d.received_s).to_numpy(dtype=bool)
    returned = window.mask(d.returned_s).to_numpy(dtype=bool)
    # NaT compares False: a dossier never returned is "not returned before start".
    carried = (d.received < start) & ~(d.returned < start)
    pending = (d.received <= end) & ~(d.returned <= end)
    early = returned & (d.returned < d.due)
    late = returned & (d.returned > d.due)
    channel = dossiers["channel"]
    flags = {
        "carried_over": carried,
        "new_online": received & _eq(channel, "online"),
        "new_direct": received & _eq(channel, "direct"),
        "new_postal": received & _eq(channel, "postal"),
        "resolved": returned,
        "resolved_early": early,
        "resolved_on_time": returned & ~early & ~late,
        "resolved_late": late,
        "pending": pending,
        "pending_not_due": pending & ~(d.due < end),
        "pending_overdue": pending & (d.due < end),
    }
    counts = {k: np.bincount(d.field_codes[v], minlength=nf) for k, v in flags.items()}
    counts["to_resolve"] = counts["carried_over"] + np.bincount(d.field_codes[received], minlength=nf)
    table = pd.DataFrame({c: counts[c] for c in RESULT_COLUMNS}, index=pd.Index(d.field_names, name="field"))
    table = table[table["to_resolve"] > 0].astype("int64")
    order = sorted(table.index, key=lambda f: (f == NO_FIELD, -int(table.at[f, "to_resolve"]), f))
    return table.loc[order]


# ---------------------------------------------------------------------------- Decision 766


def decision_766(result: TthcResult, config: TthcConfig | None = None) -> pd.DataFrame:
    """A rough reading of the five Decision 766/QĐ-TTg groups from the commune's own logs.

    ``estimate_points`` = max_points × mean of the supporting rates / 100 (rates without
    data are skipped; none left → NaN). Groups our logs cannot inform have coverage
    "none", no estimate, and a note saying which data would be needed. This is an
    internal early-warning estimate, never the official score: the ``estimate_kind``
    column and ``attrs["disclaimer"]`` say so, and reports must print it.
    """
    cfg = config or load_config()
    overall = result.overall
    labels = KPI_LABELS["vi"]
    rows = []
    for g in cfg.groups:
        values = [overall.at[k, "value"] for k in g.kpis if k in overall.index]
        values = [v for v in values if v == v]
        mean = float(np.mean(values)) if values else np.nan
        estimate = g.max_points * mean / 100 if g.kpis and values else np.nan
        notes = {}
        for lang, (text, needs) in {"vi": (g.note, g.needs), "en": (g.note_en, g.needs_en)}.items():
            if g.coverage != "none" and not values:
                text += " " + i18n.t("tthc.no_data", lang)
            notes[lang] = f"{text} {needs}".strip()
        rows.append(
            {
                "group_id": g.group_id,
                "group": g.name,
                "group_en": g.name_en,
                "max_points": g.max_points,
                "coverage": g.coverage,
                "kpis": g.kpis,
                "measures": "; ".join(labels[k] for k in g.kpis) if g.kpis else DASH,
                "basis_rate": mean,
                "estimate_points": estimate,
                "estimate_kind": cfg.disclaimer.lower(),
                "note": notes["vi"],
                "note_en": notes["en"],
            }
        )
    df = pd.DataFrame(rows)
    covered = df["estimate_points"].notna()
    df.attrs.update(
        {
            "disclaimer": cfg.disclaimer,
            "disclaimer_en": cfg.disclaimer_en,
            "source": cfg.source,
            "points_estimated": float(df.loc[covered, "estimate_points"].sum()),
            "points_covered": float(df.loc[covered, "max_points"].sum()),
            "window_start": result.window.start,
            "window_end": result.window.end,
        }
    )
    return df
