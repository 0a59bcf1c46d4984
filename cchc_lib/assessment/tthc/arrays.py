"""The dossier and feedback logs as NumPy arrays, and the boolean flags of one window.

A city's yearly log is about a million rows: dates become day numbers once per call and
every measure is a mask counted with ``count_nonzero``, so each window costs only the masks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from cchc_lib.assessment.tthc.config import _land_keys
from cchc_lib.assessment.tthc.definitions import (
    CHANNELS,
    DOSSIER_COLUMNS,
    FEEDBACK_COLUMNS,
    KPI_UNITS,
    NO_FIELD,
    RATINGS,
    TthcInputError,
)
from cchc_lib.core.periods import Window
from cchc_lib.core.schemas import norm_key


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


def _word_masks(series: pd.Series, allowed: tuple[str, ...], what: str, words: tuple[str, ...]) -> dict:
    """One pass over a word column: fail on a word outside the canonical vocabulary instead
    of miscounting it; a mask per word of ``words``, and ``"any"`` (an accepted word)."""
    codes, uniques = pd.factorize(series)
    uniques = list(uniques)  # the distinct words, in order of first appearance
    bad = [u for u in uniques if u not in allowed]
    if bad:
        examples = ", ".join(repr(v) for v in bad[:5])
        raise TthcInputError(
            f"Cột '{series.name}' của bảng {what} có giá trị ngoài {allowed}: {examples}. "
            "Hãy đọc tệp bằng bộ nạp dữ liệu (cchc_lib.progress.loader) để chuẩn hóa các từ."
        )

    def mask(hit: list[bool]) -> np.ndarray:
        return np.array([*hit, False])[codes]  # code -1 (missing) takes the last: False

    return {"any": mask([True] * len(uniques)), **{w: mask([u == w for u in uniques]) for w in words}}


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
    # The three dates as day numbers (``_day_numbers``) and "returned after its due date",
    # for the flags of each window.
    received_n: np.ndarray
    returned_n: np.ndarray
    due_n: np.ndarray
    late: np.ndarray


def _prepare_dossiers(df: pd.DataFrame, land_fields: str | Iterable[str] | None) -> _Dossiers:
    _check_columns(df, DOSSIER_COLUMNS, "hồ sơ")
    n = len(df)
    rating = df["rating"] if "rating" in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")

    def words() -> tuple[dict, dict]:
        channel = _word_masks(df["channel"], CHANNELS, "hồ sơ", ("online",))
        return channel, _word_masks(rating, RATINGS, "hồ sơ", ("satisfied",))

    # The two word columns on a second thread while this one does the fields and dates:
    # factorising Arrow text and NumPy's gathers release the GIL (a city log's million rows).
    with ThreadPoolExecutor(1) as pool:
        words_done = pool.submit(words)
        try:
            prepared = _prepare_rest(df, n, land_fields)
        except TthcInputError:
            words_done.result()  # a word column's error is told first, as before the thread
            raise
        channel, rating = words_done.result()
    return _Dossiers(online=channel["online"], rated=rating["any"], satisfied=rating["satisfied"], **prepared)


def _prepare_rest(df: pd.DataFrame, n: int, land_fields) -> dict:
    """``_Dossiers``' fields other than the word columns' masks."""
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

    received, due, returned = _days(df["received_date"]), _days(df["due_date"]), _days(df["returned_date"])
    return dict(
        n=n,
        received_s=df["received_date"],
        returned_s=df["returned_date"],
        received=received,
        due=due,
        returned=returned,
        received_n=_day_numbers(received),
        returned_n=_day_numbers(returned),
        due_n=_day_numbers(due),
        late=returned > due,  # NaT compares False: no date, not late
        dossier_dig=optional_flag("dossier_digitized"),
        result_dig=optional_flag("result_digitized"),
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


def _within(days: np.ndarray, win: Window) -> np.ndarray:
    """``Window.mask`` on day numbers: the same answer (``_days`` keeps each record's own
    day, the wall clock for a timezone) without a pandas comparison per window."""
    return (days >= _day(win.start)) & (days <= _day(win.end))


# A missing date's day number: after every window, so it is never within one, never on or
# before a window's end and never before it — what NaT gives in those comparisons. (Not in
# "after": compare the dates themselves there, as ``late`` does.)
_NO_DAY = np.iinfo(np.int32).max


def _day_numbers(days: np.ndarray) -> np.ndarray:
    """datetime64[D] as int32 days since 1970, NaT as ``_NO_DAY``: a window's comparisons
    on a million dates cost a tenth of those on datetime64 (which must test NaT each time)."""
    return np.where(np.isnat(days), _NO_DAY, days.view(np.int64)).astype(np.int32)


def _day_number(d: date) -> np.int32:
    return np.int32(np.datetime64(d, "D").astype(np.int64))


def _dossier_flags(p: _Dossiers, win: Window) -> dict[str, np.ndarray]:
    """Per-dossier booleans for one window; every KPI is a pair of these, counted."""
    start, end = _day_number(win.start), _day_number(win.end)
    received = (p.received_n >= start) & (p.received_n <= end)
    returned = (p.returned_n >= start) & (p.returned_n <= end)
    # A missing date is never on or before the end, so "not returned by end" covers
    # pending (no date) and returned later; a missing due date is never "past due".
    pending = (p.received_n <= end) & ~(p.returned_n <= end)
    pending_overdue = pending & (p.due_n < end)
    rated = returned & p.rated
    satisfied = returned & p.satisfied
    flags = {
        "received": received,
        "received_online": received & p.online,
        "returned": returned,
        "returned_on_time": returned & ~p.late,
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
    received = _within(p.received, win)
    resolved = _within(p.resolved, win)
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
