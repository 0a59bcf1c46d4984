"""The city's consolidated view: every commune's assessment for one period, side by side.

The city's home-affairs office (Phòng Nội vụ) reads every commune's report and ranks the
communes. This module assesses each plan found under a data root with the same engine the
commune report uses (``cchc_lib.assessment``) and puts one row per commune in a league
table; communes whose data are missing or unreliable are listed apart, never ranked on
numbers that are not there. Every score and rating here is the toolkit's internal
estimate, as in the commune reports.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.assessment.counts import status_counts, task_counts
from cchc_lib.city.batch import find_plans
from cchc_lib.core.errors import DataError

__all__ = ["CityView", "build_city_view", "commune_row", "outliers"]

ATTENTION = ("at_risk", "missed")
KPI_COLUMNS = ("online_rate", "on_time_rate", "dossier_digitization_rate", "satisfaction_rate")


@dataclass
class CityView:
    """The league table and what stands beside it, for one period."""

    period: str
    cutoff: str
    table: pd.DataFrame  # one row per commune with an assessment, ranked
    problems: pd.DataFrame  # communes without data, with unreadable data, or unreliable
    at_risk: pd.DataFrame  # the targets most often at risk or missed across the city
    groups_766: pd.DataFrame  # Decision 766 group estimates per commune (long form)
    sample: bool = False
    assessments: dict = field(default_factory=dict, repr=False)


def commune_row(a) -> dict:
    """One commune's line of the league table, from its assessment."""
    plan = a.plan
    counts = status_counts(a.targets)
    row = {
        "plan_id": plan.plan_id,
        "commune": plan.meta.get("commune", plan.plan_id),
        "score": float(a.overall["score"]) if a.overall.get("score") is not None else np.nan,
        "rating": a.overall.get("rating"),
        "coverage": float(a.overall.get("coverage") or 0.0),
        "reliable": bool(a.overall.get("reliable")),
        "targets": counts.total,
        **{f"targets_{k}": v for k, v in counts.as_dict().items()},
        "tasks_overdue": task_counts(a.tasks).of("overdue"),
    }
    k = a.tthc.overall if a.tthc is not None else None
    for name in KPI_COLUMNS:
        row[name] = float(k.at[name, "value"]) if k is not None and name in k.index else np.nan
    return row


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _at_risk_targets(assessments: dict) -> pd.DataFrame:
    """Targets at risk or missed, grouped by indicator across communes (plans differ)."""
    rows = []
    for plan_id, a in assessments.items():
        t = a.targets[a.targets["status"].astype(str).isin(ATTENTION)]
        for r in t.itertuples():
            name = r.indicator if isinstance(r.indicator, str) and r.indicator else r.text
            rows.append({"key": _fold(name), "indicator": name, "plan_id": plan_id})
    if not rows:
        return pd.DataFrame(columns=["indicator", "communes", "plan_ids"])
    df = pd.DataFrame(rows)
    out = df.groupby("key").agg(
        indicator=("indicator", "first"),
        communes=("plan_id", "nunique"),
        plan_ids=("plan_id", lambda s: ", ".join(sorted(set(s)))),
    )
    return out.sort_values(["communes", "indicator"], ascending=[False, True]).reset_index(drop=True)


def outliers(table: pd.DataFrame, column: str) -> pd.Series:
    """Tukey's rule: below Q1 − 1.5·IQR or above Q3 + 1.5·IQR (needs at least 4 values)."""
    values = table[column].astype(float)
    ok = values.dropna()
    if len(ok) < 4:
        return pd.Series(False, index=table.index)
    q1, q3 = ok.quantile(0.25), ok.quantile(0.75)
    iqr = q3 - q1
    return (values < q1 - 1.5 * iqr) | (values > q3 + 1.5 * iqr)


def build_city_view(root: str | Path, period: str, cutoff: str = "nd09", plans=None) -> CityView:
    """Assess every plan under ``root/plans`` for ``period``; rank; list the problems."""
    from cchc_lib.assessment.engine import assess
    from cchc_lib.core.periods import parse_period
    from cchc_lib.plan.model import load_plan
    from cchc_lib.progress.loader import load_progress

    root = Path(root)
    per = parse_period(period)
    rows, problems, assessments, groups = [], [], {}, []
    sample = False
    for plan_dir in find_plans(root, plans):
        data_dir = root / "progress" / plan_dir.name / str(per.year)
        try:
            plan = load_plan(plan_dir)
            if not data_dir.is_dir():
                problems.append({"plan_id": plan_dir.name, "commune": plan.meta.get("commune"), "problem": "missing"})
                continue
            a = assess(plan, load_progress(data_dir, plan), per, cutoff=cutoff)
        except DataError as exc:
            message = " ".join(str(exc).split())
            problems.append({"plan_id": plan_dir.name, "commune": None, "problem": "unreadable", "message": message})
            continue
        assessments[plan.plan_id] = a
        sample = sample or a.is_sample
        row = commune_row(a)
        rows.append(row)
        if not row["reliable"]:
            problems.append({"plan_id": plan.plan_id, "commune": row["commune"], "problem": "unreliable"})
        if a.tthc_766 is not None and len(a.tthc_766):
            groups.append(a.tthc_766.assign(plan_id=plan.plan_id))
    table = pd.DataFrame(rows)
    if len(table):
        ranked = table["reliable"]
        table["rank"] = table["score"].where(ranked).rank(ascending=False, method="min").astype("Int64")
        table = table.sort_values(["rank", "commune"], na_position="last").reset_index(drop=True)
        table["outlier"] = outliers(table, "score")
    problems_df = pd.DataFrame(problems, columns=["plan_id", "commune", "problem", "message"])
    groups_df = pd.concat(groups, ignore_index=True) if groups else pd.DataFrame()
    return CityView(per.code, cutoff, table, problems_df, _at_risk_targets(assessments), groups_df, sample, assessments)
