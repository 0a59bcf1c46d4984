"""The periodic report's one-stop results table (counts per field) and the rough Decision 766 reading.

Both read the same prepared logs and KPIs as the rest of the package; nothing here is an official score.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cchc_lib import i18n
from cchc_lib.assessment.tthc.arrays import _day, _eq, _prepare_dossiers
from cchc_lib.assessment.tthc.compute import TthcResult
from cchc_lib.assessment.tthc.config import TthcConfig, load_config
from cchc_lib.assessment.tthc.definitions import KPI_LABELS, NO_FIELD
from cchc_lib.core.periods import Window
from cchc_lib.i18n.fmt import DASH

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
