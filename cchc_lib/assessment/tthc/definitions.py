"""What the one-stop KPIs are: their names, units, canonical words and the flags behind each rate.

One place for the definitions the computing modules, the config check and the reports share.
"""

from __future__ import annotations

from cchc_lib import i18n

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
DOSSIER_SPEC: dict[str, tuple[str, str]] = {
    "online_rate": ("received_online", "received"),
    "on_time_rate": ("returned_on_time", "returned_or_overdue"),
    "overdue_pending": ("pending_overdue", "pending"),
    "dossier_digitization_rate": ("received_digitized", "received_digitizable"),
    "result_digitization_rate": ("returned_digitized", "returned_digitizable"),
    "satisfaction_rate": ("satisfied", "rated"),
    "land_satisfaction_rate": ("land_satisfied", "land_rated"),
}
FEEDBACK_SPEC: dict[str, tuple[str, str]] = {
    "feedback_resolved_rate": ("received_resolved", "received"),
    "feedback_on_time_rate": ("resolved_on_time", "resolved_or_overdue"),
}


class TthcInputError(ValueError):
    """A dossier or feedback table that does not have the shape the loader promises."""
