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

The package: ``definitions`` (names, units, words), ``config`` (tthc.toml), ``arrays`` (the
logs as arrays, flags per window), ``compute`` (the KPIs), ``results`` (the results table and
Decision 766). Every public name is importable from here, as it was from the single module.
"""

from __future__ import annotations

from cchc_lib.assessment.tthc.compute import TthcResult, assess_tthc, kpis, kpis_by_field, kpis_by_month, month_slices
from cchc_lib.assessment.tthc.config import Group766, TthcConfig, is_land_field, load_config
from cchc_lib.assessment.tthc.definitions import (
    CHANNELS,
    DOSSIER_COLUMNS,
    DOSSIER_KPIS,
    DOSSIER_SPEC,
    FEEDBACK_COLUMNS,
    FEEDBACK_KPIS,
    KPI_LABELS,
    KPI_NAMES,
    KPI_UNITS,
    NO_FIELD,
    RATINGS,
    TthcInputError,
)
from cchc_lib.assessment.tthc.results import RESULT_COLUMNS, decision_766, one_stop_results

__all__ = [
    "CHANNELS",
    "DOSSIER_COLUMNS",
    "DOSSIER_KPIS",
    "DOSSIER_SPEC",
    "FEEDBACK_COLUMNS",
    "FEEDBACK_KPIS",
    "Group766",
    "KPI_LABELS",
    "KPI_NAMES",
    "KPI_UNITS",
    "NO_FIELD",
    "RATINGS",
    "RESULT_COLUMNS",
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
    "month_slices",
    "one_stop_results",
]
