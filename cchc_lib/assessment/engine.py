"""Verdicts for every target and task of a plan, for one reporting period.

``assess(plan, progress, period, cutoff)`` applies the rules of ``config/rules.toml``
(explained in docs/methodology.md) and returns an ``Assessment``: target and task tables
with a status each, area and unit scores, a composite score with an estimated rating
against the plan's rating objective, the one-stop (TTHC) KPIs computed from the dossier log, and every
data-quality warning. The same inputs always give the same tables.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cchc_lib.assessment import tthc
from cchc_lib.assessment.context import Context
from cchc_lib.assessment.rules_file import read_rules_file
from cchc_lib.assessment.scores import GRADINGS, _score_block, composite, rating_for
from cchc_lib.assessment.targets import (
    RECORD_KPIS,
    TARGET_STATUSES,
    _judge,
    assess_targets,
    is_value,
    judge_targets,
    target_base,
)
from cchc_lib.assessment.tasks import TASK_STATUSES, assess_tasks
from cchc_lib.core.errors import Issue, Msg
from cchc_lib.core.periods import (
    Period,
    PeriodError,
    Window,
    check_cutoff,
    parse_period,
    quarters_until,
)

if TYPE_CHECKING:
    from cchc_lib.plan.model import Plan
    from cchc_lib.progress.loader import Progress

__all__ = [  # the engine's public names; the steps live in targets, tasks and scores
    "GRADINGS",
    "RECORD_KPIS",
    "TARGET_STATUSES",
    "TASK_STATUSES",
    "Assessment",
    "_judge",
    "area_history",
    "assess",
    "assess_targets",
    "assess_tasks",
    "composite",
    "is_value",
    "load_rules",
    "rating_for",
]

# --- configuration ---------------------------------------------------------------------


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_rules(plan=None, path: Path | None = None) -> dict:
    """Default rules, overridden by the plan's own ``rules.toml`` and then by ``path``."""
    rules = tomllib.loads(resources.files("cchc_lib.config").joinpath("rules.toml").read_text(encoding="utf-8"))
    for extra in ([plan.path / "rules.toml"] if plan is not None else []) + ([Path(path)] if path else []):
        if extra.exists():
            rules = _merge(rules, read_rules_file(extra, rules))  # DataError naming file and key
    return rules


# --- the result --------------------------------------------------------------------------


@dataclass
class Assessment:
    """Everything a report needs for one plan, one period and one cut-off convention."""

    plan: object
    progress: object
    period: Period
    cutoff: str
    window: Window
    ytd_window: Window
    targets: pd.DataFrame
    tasks: pd.DataFrame
    areas: pd.DataFrame
    units: pd.DataFrame
    overall: dict
    tthc: tthc.TthcResult | None
    tthc_ytd: pd.DataFrame | None  # the same KPIs over the year to date
    tthc_766: pd.DataFrame
    warnings: pd.DataFrame
    inputs: pd.DataFrame
    rules: dict = field(repr=False, default_factory=dict)

    @property
    def is_sample(self) -> bool:
        return bool(getattr(self.plan, "is_sample", False) or getattr(self.progress, "is_sample", False))


# --- entry point -------------------------------------------------------------------------


def _inputs_summary(progress, win: Window, ytd: Window) -> pd.DataFrame:
    src = progress.sources.copy()
    if src.empty:
        return src.assign(rows_in_window=pd.Series(dtype=int), rows_in_ytd=pd.Series(dtype=int))
    in_win, in_ytd = [], []
    for kind, file in zip(src["kind"], src["file"]):
        df = progress.table(kind)
        df = df[df["source_file"] == file] if "source_file" in df.columns else df
        if kind in ("dossiers", "feedback"):
            in_win.append(int(win.mask(df["received_date"]).sum()))
            in_ytd.append(int(ytd.mask(df["received_date"]).sum()))
        elif "period" in df.columns:
            codes = {q.code for q in quarters_until(win.period)} | {win.period.code}
            in_win.append(int((df["period"] == win.period.code).sum()))
            in_ytd.append(int(df["period"].isin(codes).sum()))
        else:
            in_win.append(len(df))
            in_ytd.append(len(df))
    src["rows_in_window"], src["rows_in_ytd"] = in_win, in_ytd
    return src


def _warnings_frame(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "severity": i.severity,
                "file": i.file,
                "row": i.row,
                "column": i.column,
                "message": i.message(),
                "text": str(i),
                "issue": i,  # worded again in the reader's language (Issue.message / Issue.text)
            }
            for i in issues
        ],
        columns=["severity", "file", "row", "column", "message", "text", "issue"],
    )


def _scored(plan, progress, ctx: Context, rules: dict, tasks: pd.DataFrame, land, overrides):
    """Targets, area and unit scores and the composite, in the order they depend on each other.

    The rating target's actual is the composite's own estimate, so targets are judged once
    without it (for the scores), then again with it; what does not depend on the rating
    (actuals, previous actuals, pace) is computed once for both."""
    base = target_base(plan, progress, ctx, rules, land, overrides)
    targets, _ = judge_targets(base, progress, ctx, rules, None)
    scored = targets[~is_value(targets["kpi"], "rating")]
    areas = _score_block(scored, tasks, "area_id", list(plan.areas["area_id"]), rules, "area_id")
    areas.insert(1, "name", areas["area_id"].map(plan.area_name))
    goal = plan.rating_target if hasattr(plan, "rating_target") else None
    overall = composite(areas, scored, tasks, rules, None if goal is None else float(goal["target_value"]))
    targets, warnings = judge_targets(base, progress, ctx, rules, overall["rating_level"])
    scored = targets[~is_value(targets["kpi"], "rating")]
    leads = set(tasks["lead_unit_id"]) | set(targets["lead_unit_id"])
    unit_ids = [u for u in plan.units["unit_id"] if u in leads]
    level = dict(zip(plan.units["unit_id"], plan.units["level"]))
    graded = {u: level.get(u) in set(rules["grading"]["unit_levels"]) for u in unit_ids}
    units = _score_block(scored, tasks, "lead_unit_id", unit_ids, rules, "unit_id", graded)
    units.insert(1, "name", units["unit_id"].map(plan.unit_name))
    units.insert(2, "level", units["unit_id"].map(level))
    return targets, areas, units, overall, warnings


def assess(
    plan: Plan,
    progress: Progress,
    period: str | Period,
    cutoff: str = "nd09",
    rules: dict | None = None,
    overrides: dict[str, float] | None = None,
) -> Assessment:
    """Assess every target and task of ``plan`` for ``period`` under ``cutoff``.

    ``overrides`` ({target_id: value}) is a what-if: each value replaces the target's actual
    as if it had been measured (or entered for this period), and everything downstream —
    status, pace projection, area and unit scores, composite, rating — follows."""
    period = parse_period(period)
    cutoff = check_cutoff(cutoff)
    rules = rules or load_rules(plan)
    land = tthc.load_config().land_fields
    ctx = Context.of(period, cutoff)
    win, ytd = ctx.win, ctx.ytd
    issues = list(progress.warnings)
    _check_year(plan, period)

    tasks = assess_tasks(plan, progress, ctx, rules)
    targets, areas, units, overall, w = _scored(plan, progress, ctx, rules, tasks, land, overrides)
    issues += w
    result, result_ytd = None, None
    t766 = pd.DataFrame()
    if not progress.dossiers.empty or not progress.feedback.empty:
        result = tthc.assess_tthc(progress.dossiers, progress.feedback, win, ytd, land_fields=land)
        result_ytd = tthc.kpis(progress.dossiers, progress.feedback, ytd, land_fields=land)
        t766 = tthc.decision_766(result)
    if not overall["reliable"]:
        issues.append(
            Issue(
                "",
                Msg.of("assessment.low_coverage", share=float(round(100 * rules["rating"]["min_coverage"]))),
                severity="warning",
            )
        )
    return Assessment(
        plan=plan,
        progress=progress,
        period=period,
        cutoff=cutoff,
        window=win,
        ytd_window=ytd,
        targets=targets.reset_index(drop=True),
        tasks=tasks.reset_index(drop=True),
        areas=areas,
        units=units,
        overall=overall,
        tthc=result,
        tthc_ytd=result_ytd,
        tthc_766=t766,
        warnings=_warnings_frame(issues),
        inputs=_inputs_summary(progress, win, ytd),
        rules=rules,
    )


def area_history(
    plan,
    progress,
    period: str | Period,
    cutoff: str = "nd09",
    rules: dict | None = None,
    known: Assessment | None = None,
) -> pd.DataFrame:
    """Area scores for each quarter of the year up to ``period`` (the heat map's data).

    ``known`` is an assessment already made for one of those quarters; it is reused."""
    period = parse_period(period)
    rows = []
    for q in quarters_until(period):
        same = known is not None and known.period == q and known.cutoff == cutoff
        areas = known.areas if same else _area_scores(plan, progress, q, cutoff, rules)
        rows.append(areas[["area_id", "name", "score"]].assign(period=q.code))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["area_id", "name", "score", "period"])


def _area_scores(plan, progress, period: Period, cutoff: str, rules: dict | None) -> pd.DataFrame:
    """One quarter's area scores, as ``assess`` computes them, without the one-stop tables
    and summaries the heat map does not show (they were most of an earlier quarter's cost)."""
    cutoff = check_cutoff(cutoff)
    rules = rules or load_rules(plan)
    _check_year(plan, period)
    ctx = Context.of(period, cutoff)
    tasks = assess_tasks(plan, progress, ctx, rules)
    return _scored(plan, progress, ctx, rules, tasks, tthc.load_config().land_fields, None)[1]


def _check_year(plan, period: Period) -> None:
    if period.year != plan.year:
        raise PeriodError(
            f"Kỳ báo cáo {period.code} không thuộc năm của kế hoạch ({plan.year}): chọn một kỳ của năm {plan.year}"
        )
