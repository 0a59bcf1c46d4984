"""The one-stop KPIs of a window: overall, per field, per month, and all of them for a report.

Each rate carries its numerator and denominator so a reader can check the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cchc_lib.assessment.tthc.arrays import (
    _dossier_flags,
    _Dossiers,
    _Feedback,
    _feedback_flags,
    _overall_rows,
    _prepare_dossiers,
    _prepare_feedback,
    _value,
)
from cchc_lib.assessment.tthc.config import load_config
from cchc_lib.assessment.tthc.definitions import DOSSIER_SPEC, FEEDBACK_SPEC, KPI_UNITS, NO_FIELD
from cchc_lib.core.periods import Window


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    df["value"] = df["value"].astype("float64")
    for col in ("numerator", "denominator"):
        df[col] = df[col].astype("int64")
    return df


def _kpis(d: _Dossiers, f: _Feedback, win: Window, dflags=None, fflags=None) -> pd.DataFrame:
    """``dflags``/``fflags``: the window's flags when the caller has them already."""
    rows = _overall_rows(DOSSIER_SPEC, _dossier_flags(d, win) if dflags is None else dflags, d.n > 0)
    rows += _overall_rows(FEEDBACK_SPEC, _feedback_flags(f, win) if fflags is None else fflags, f.n > 0)
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


def _kpis_by_field(d: _Dossiers, win: Window, flags=None) -> pd.DataFrame:
    nf = len(d.field_names)
    if d.n == 0 or nf == 0:
        return _frame([], _BY_FIELD_COLUMNS)
    flags = _dossier_flags(d, win) if flags is None else flags
    # One weighted count per flag (no copy of the selected codes); sums of 0/1 are exact.
    counts = {k: np.bincount(d.field_codes, weights=v, minlength=nf).astype(np.int64) for k, v in flags.items()}
    # Fields with no activity in the window (nothing received, returned or pending) would
    # only add rows of "no data": leave them out. Order: busiest field first.
    activity = counts["received"] + counts["returned"] + counts["pending"]
    order = sorted(
        (i for i in range(nf) if activity[i] > 0),
        key=lambda i: (d.field_names[i] == NO_FIELD, -counts["received"][i], d.field_names[i]),
    )
    rows = []
    for i in order:
        for kpi, (num_flag, den_flag) in DOSSIER_SPEC.items():
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
        for row in _overall_rows(DOSSIER_SPEC, _dossier_flags(d, sub), d.n > 0) + _overall_rows(
            FEEDBACK_SPEC, _feedback_flags(f, sub), f.n > 0
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
    # The months' flags on a second thread meanwhile: whole-array NumPy work releases the
    # GIL, and on a city's million rows the months are a third of the time.
    with ThreadPoolExecutor(1) as pool:
        by_month = pool.submit(_kpis_by_month, d, f, ytd_window)
        return _assess(d, f, window, ytd_window, land, by_month)


def _assess(d: _Dossiers, f: _Feedback, window: Window, ytd_window: Window, land, by_month) -> TthcResult:
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
        overall=_kpis(d, f, window, dflags, fflags),
        by_field=_kpis_by_field(d, window, dflags),
        by_month=by_month.result(),
        window=window,
        counts=counts,
        ytd_window=ytd_window,
        land_fields=land,
    )
