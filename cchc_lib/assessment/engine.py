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

import numpy as np
import pandas as pd

from cchc_lib.assessment import tthc
from cchc_lib.assessment.context import Context
from cchc_lib.assessment.rules_file import read_rules_file
from cchc_lib.core.errors import Issue
from cchc_lib.core.periods import (
    Period,
    PeriodError,
    Window,
    check_cutoff,
    parse_period,
    previous,
    quarters_until,
)
from cchc_lib.i18n.fmt import percent

if TYPE_CHECKING:
    from cchc_lib.plan.model import Plan
    from cchc_lib.progress.loader import Progress

TARGET_STATUSES = ("met", "on_track", "at_risk", "missed", "not_due", "no_data", "not_measurable")
TASK_STATUSES = (
    "done_on_time",
    "done_late",
    "in_progress",
    "overdue",
    "not_due",
    "recurring_reported",
    "recurring_missing",
    "cancelled",
)
RECORD_KPIS = set(tthc.KPI_NAMES)


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


def is_value(s: pd.Series, value: str) -> pd.Series:
    """Element-wise ``s == value`` as plain booleans, a missing cell being simply "not equal".

    Public because the dashboard filters the assessment's tables the same way.
    """
    return s.eq(value).fillna(False).astype(bool)


_is = is_value  # the engine's short name


def _points(table: dict, status: str) -> float:
    v = table.get(status, "skip")
    return np.nan if v == "skip" else float(v)


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


# --- targets -----------------------------------------------------------------------------


def _target_basis(t: pd.DataFrame, rules: dict) -> pd.Series:
    """ "rate", "level" or "rating" per target (rules.toml [targets] explains each)."""
    r = rules["targets"]
    rate = t["kpi"].isin(list(RECORD_KPIS)) | t["unit"].isin(r["rate_units"]) | t["target_id"].isin(r["rate_targets"])
    rate &= ~t["target_id"].isin(r["level_targets"])
    rating = _is(t["unit"], "rating") | _is(t["kpi"], "rating")
    return pd.Series(np.select([rating, rate], ["rating", "rate"], "level"), index=t.index)


def _entered_values(progress, period: Period) -> pd.DataFrame:
    """Entered indicator values that apply to ``period``: its own row, else the latest
    quarter inside it (values are levels "as of" the end of the period they are given for)."""
    ind = progress.indicators
    if ind.empty:
        return pd.DataFrame(columns=["target_id", "value", "value_period", "source", "note"])
    candidates = [period.code] + [q.code for q in reversed(quarters_until(period)) if period.kind != "quarter"]
    rank = {code: i for i, code in enumerate(candidates)}
    sel = ind[ind["period"].isin(candidates)].copy()
    sel["_rank"] = sel["period"].map(rank)
    sel = sel.sort_values(["target_id", "_rank"]).drop_duplicates("target_id")
    return sel.rename(columns={"period": "value_period"})[["target_id", "value", "value_period", "source", "note"]]


def _record_kpis(progress, win: Window, land_fields) -> pd.DataFrame | None:
    have = {"dossiers": not progress.dossiers.empty, "feedback": not progress.feedback.empty}
    if not any(have.values()):
        return None
    k = tthc.kpis(progress.dossiers, progress.feedback, win, land_fields=land_fields)
    k["source"] = ["feedback" if name.startswith("feedback") else "dossiers" for name in k.index]
    k["available"] = [have[s] for s in k["source"]]
    return k


def _quarter_history(progress: Progress, ctx: Context) -> pd.DataFrame:
    """Entered quarterly values up to the period, with the day each one stands for."""
    ind = progress.indicators
    codes = {q.code: ctx.end_of(q.code) for q in ctx.quarters()}
    if ind.empty:
        return pd.DataFrame(columns=["target_id", "period", "value", "at"])
    h = ind[ind["period"].isin(list(codes))][["target_id", "period", "value"]].copy()
    h["at"] = h["period"].map(codes)
    return h.dropna(subset=["value"]).sort_values(["target_id", "at"])


def _projection(history: pd.DataFrame, year_end: pd.Timestamp) -> pd.Series:
    """Year-end value projected from the first and the latest entered value (straight line).

    A level that climbs 9 points a quarter from 35% will not reach 80% by December even if
    it is above a pro-rated share of the target today; the pace is what tells.
    """
    out = {}
    for tid, g in history.groupby("target_id"):
        if len(g) < 2:
            continue
        (v0, t0), (v1, t1) = g.iloc[0][["value", "at"]], g.iloc[-1][["value", "at"]]
        if t1 > t0:
            out[tid] = v1 + (v1 - v0) * (year_end - t1).days / (t1 - t0).days
    return pd.Series(out, dtype="float64")


def _judge(actual, target, comparator, basis, expected, projected, final, rules, unit=None) -> str:
    """The status of one measurable target (docs/methodology.md, "Targets")."""
    if pd.isna(actual):
        return "no_data"
    if comparator == "=":
        if abs(actual - target) < 1e-9:
            return "met"
        if actual > target:  # beyond an "=" target: a count or a level does not come back
            return "missed" if final or basis != "rate" else "at_risk"
        comparator = "≥"  # below it: on the way up, judged as "≥"
    sign = -1 if comparator == "≤" else 1
    gap = sign * (actual - target)
    if gap >= 0:
        return "met"
    if final:
        return "missed"
    r = rules["targets"]
    tol = r["level_tolerance"] * abs(target)
    if basis == "rating":  # on the rating scale itself: any level short of the objective is a risk
        return "at_risk"
    if basis == "rate":
        return "on_track" if gap >= -(r["rate_margin_pp"] if unit == "percent" else tol) else "at_risk"
    if pd.notna(projected):
        return "on_track" if sign * (projected - target) >= -tol else "at_risk"
    return "on_track" if sign * (actual - expected) >= -tol else "at_risk"


def _target_actuals(plan: Plan, progress: Progress, ctx: Context, land_fields) -> pd.DataFrame:
    """actual (year to date for rates from records; entered level otherwise) per target."""
    t = plan.targets[["target_id", "kpi", "unit"]].copy()
    win, ytd = ctx.win, ctx.ytd
    entered = _entered_values(progress, ctx.period).set_index("target_id")
    t["actual"] = np.nan
    t["actual_period"] = np.nan
    t["actual_source"] = pd.Series(pd.NA, index=t.index, dtype="string")
    t["value_period"] = pd.Series(pd.NA, index=t.index, dtype="string")
    rec_ytd, rec_win = _record_kpis(progress, ytd, land_fields), _record_kpis(progress, win, land_fields)
    for i, r in t.iterrows():
        if rec_ytd is not None and r["kpi"] in rec_ytd.index and rec_ytd.at[r["kpi"], "available"]:
            t.at[i, "actual"] = rec_ytd.at[r["kpi"], "value"]
            t.at[i, "actual_period"] = rec_win.at[r["kpi"], "value"]
            t.at[i, "actual_source"] = rec_ytd.at[r["kpi"], "source"]
        elif r["target_id"] in entered.index:
            t.at[i, "actual"] = entered.at[r["target_id"], "value"]
            t.at[i, "actual_source"] = "entered"
            t.at[i, "value_period"] = entered.at[r["target_id"], "value_period"]
    return t


def _with_overrides(history: pd.DataFrame, overrides: dict, ctx: Context) -> pd.DataFrame:
    """Quarterly history as if each override had been entered for the period (a quarter)."""
    period = ctx.period
    if not overrides or period.kind != "quarter":
        return history
    at = ctx.end
    keep = history[~(history["target_id"].isin(list(overrides)) & (history["period"] == period.code))]
    new = pd.DataFrame(
        {"target_id": list(overrides), "period": period.code, "value": [float(v) for v in overrides.values()], "at": at}
    )
    return pd.concat([keep.astype({"value": "float64"}), new], ignore_index=True).sort_values(["target_id", "at"])


def _statuses(t: pd.DataFrame, rules: dict, final: bool) -> list[str]:
    annual = set(rules["targets"]["annual_targets"])
    out = []
    for _, r in t.iterrows():
        if not r["measurable"]:
            out.append("not_measurable")
        elif pd.isna(r["actual"]) and r["target_id"] in annual and not final:
            out.append("not_due")
        else:
            out.append(
                _judge(
                    r["actual"],
                    r["target_value"],
                    r["comparator"],
                    r["basis"],
                    r["expected"],
                    r["projected"],
                    final,
                    rules,
                    r["unit"],
                )
            )
    return out


def assess_targets(
    plan: Plan,
    progress: Progress,
    ctx: Context,
    rules: dict,
    rating_level: float | None,
    land_fields=None,
    overrides: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    period, cutoff, year_win = ctx.period, ctx.cutoff, ctx.year
    share, final = ctx.elapsed_share, ctx.final
    warnings: list[Issue] = []
    t = plan.targets.copy()
    t["basis"] = _target_basis(t, rules)
    acts = _target_actuals(plan, progress, ctx, land_fields)
    t = t.join(acts[["actual", "actual_period", "actual_source", "value_period"]])
    overrides = overrides or {}
    entered_like = t["actual_source"].eq("entered").fillna(False)  # what a projection may use
    for tid, value in overrides.items():  # a what-if: the value as if measured or entered
        i = t.index[t["target_id"] == tid]
        from_records = t.loc[i, "actual_source"].isin(["dossiers", "feedback"]).fillna(False)
        entered_like.loc[i] = ~from_records
        t.loc[i, "value_period"] = t.loc[i, "value_period"].where(from_records, period.code)
        t.loc[i, ["actual", "actual_period"]] = [float(value), np.nan]
        t.loc[i, "actual_source"] = "what-if"
    is_rating = _is(t["kpi"], "rating")
    # An entered rating (the province's published result) is used as entered; otherwise the
    # tool's own estimate is shown, labelled so, and never certifies its own target.
    estimated = is_rating & ~t["actual_source"].eq("entered").fillna(False)
    if rating_level is not None:
        t.loc[estimated, "actual"] = rating_level
        t.loc[estimated, "actual_source"] = "estimate"
    # Previous period, same kind, same year: the trend.
    prev = previous(period)
    if prev is not None and prev.year == period.year:
        prev_acts = _target_actuals(plan, progress, Context.of(prev, cutoff), land_fields)["actual"]
    else:
        prev_acts = pd.Series(np.nan, index=t.index)
    t["previous_actual"] = prev_acts.where(~is_rating)
    # Where a level should be by now: pro-rated from zero, and where its pace leads.
    level = (t["basis"] == "level") & t["measurable"] & ~_is(t["comparator"], "≤") & (not final)
    t["expected"] = np.where(level, t["target_value"] * share, t["target_value"])
    history = _with_overrides(
        _quarter_history(progress, ctx),
        {k: v for k, v in overrides.items() if k in set(t.loc[entered_like, "target_id"])},
        ctx,
    )
    projected = _projection(history, pd.Timestamp(year_win.end))
    t["projected"] = t["target_id"].map(projected).where(level & entered_like)
    t.loc[_is(t["unit"], "percent"), "projected"] = t["projected"].clip(0, 100)  # a share cannot pass 100%
    t["status"] = _statuses(t, rules, final)
    # the tool's own estimate of the rating never meets its own target (only an entered one can)
    est = estimated & t["actual_source"].eq("estimate").fillna(False)
    t.loc[est, "status"] = np.where(t.loc[est, "status"].isin(["met", "on_track"]), "on_track", "at_risk")
    sign = np.where(_is(t["comparator"], "≤"), -1, 1)
    gap = sign * (t["actual"] - t["target_value"])
    gap = gap.where(~_is(t["comparator"], "="), -(t["actual"] - t["target_value"]).abs())  # any miss is short
    t["gap"] = np.where(t["measurable"], gap, np.nan)
    diff = t["actual"] - t["previous_actual"]
    t["trend"] = (
        pd.Series(
            np.select([diff > 1e-9, diff < -1e-9, diff.abs() <= 1e-9], ["up", "down", "flat"], default=""),
            index=t.index,
        )
        .replace("", pd.NA)
        .astype("string")
    )
    # Conflicting targets: same KPI, different thresholds — each is assessed, both are shown.
    groups = t[t["measurable"] & t["kpi"].notna()].groupby("kpi")
    t["conflict_with"] = pd.Series(pd.NA, index=t.index, dtype="string")
    for _kpi, g in groups:
        if g[["comparator", "target_value"]].drop_duplicates().shape[0] > 1:
            for i in g.index:
                t.at[i, "conflict_with"] = ", ".join(x for x in g["target_id"] if x != t.at[i, "target_id"])
    # Entered values that the records override are reported, never silently replaced.
    if not progress.indicators.empty:
        from_records = t.loc[t["actual_source"].isin(["dossiers", "feedback"]), "target_id"]
        ignored = progress.indicators[progress.indicators["target_id"].isin(from_records)]
        for _, r in ignored.iterrows():
            log = (
                "sổ hồ sơ một cửa"
                if t.loc[t["target_id"] == r["target_id"], "actual_source"].iloc[0] == "dossiers"
                else "sổ phản ánh, kiến nghị"
            )
            warnings.append(
                Issue(
                    str(r["source_file"]),
                    f"giá trị nhập tay của chỉ tiêu {r['target_id']} ({r['period']}) không dùng: "
                    f"chỉ tiêu này được tính từ {log}",
                    row=int(r["source_row"]),
                    column=progress.header("indicators", str(r["source_file"]), "value"),
                    severity="warning",
                )
            )
    t["status"] = t["status"].astype("string")
    return t, warnings


# --- tasks -------------------------------------------------------------------------------


def assess_tasks(plan: Plan, progress: Progress, ctx: Context, rules: dict) -> pd.DataFrame:
    period, win, end = ctx.period, ctx.win, ctx.end
    inside = [q.code for q in ctx.quarters() if ctx.starts[q.code] >= pd.Timestamp(win.start)]
    upd = progress.tasks
    if not upd.empty:
        upd = upd.copy()
        upd["_end"] = upd["period"].map(ctx.end_of)
        upd = upd[upd["_end"] <= end].sort_values(["task_id", "_end"])
    t = plan.tasks.copy()
    out = {
        c: []
        for c in (
            "status",
            "days_late",
            "completed_on",
            "last_status",
            "last_period",
            "evidence",
            "reports",
            "update_note",
        )
    }
    for _, task in t.iterrows():
        mine = upd[upd["task_id"] == task["task_id"]] if not upd.empty else upd
        last = mine.iloc[-1] if len(mine) else None
        done = mine[(mine["status"] == "done")] if len(mine) else mine
        done_on = pd.NaT
        if len(done):
            dated = done["completed_on"].dropna()
            dated = dated[dated <= end]
            done_on = dated.min() if len(dated) else pd.NaT
        late = np.nan
        if task["recurring"]:
            reported = set(mine["period"]) if len(mine) else set()
            have = [q for q in inside if q in reported]
            need_all = rules["tasks"]["recurring_quarters_required"] == "all"
            ok = period.code in reported or (bool(have) and (len(have) == len(inside) or not need_all))
            status = "recurring_reported" if ok else "recurring_missing"
            reports = f"{len(have)}/{len(inside)}"
        else:
            deadline = task["deadline"]
            reports = ""
            if last is not None and last["status"] == "cancelled":
                status = "cancelled"
            elif pd.notna(done_on):
                status = "done_on_time" if pd.isna(deadline) or done_on <= deadline else "done_late"
                late = max(0, (done_on - deadline).days) if pd.notna(deadline) else 0
            elif pd.notna(deadline) and deadline < end:
                status = "overdue"
                late = (end - deadline).days
            elif last is not None and last["status"] in ("in_progress", "done"):
                status = "in_progress"
            else:
                status = "not_due"
        out["status"].append(status)
        out["days_late"].append(late)
        out["completed_on"].append(done_on)
        out["last_status"].append(None if last is None else last["status"])
        out["last_period"].append(None if last is None else last["period"])
        # A finished task keeps the evidence of the update that finished it (no re-entry needed).
        source = done.iloc[0] if len(done) and pd.notna(done_on) else last
        out["evidence"].append(None if source is None or pd.isna(source["evidence"]) else source["evidence"])
        out["reports"].append(reports)
        out["update_note"].append(None if last is None or pd.isna(last["note"]) else last["note"])
    for col, values in out.items():
        t[col] = values
    t["status"] = t["status"].astype("string")
    t["days_late"] = pd.to_numeric(t["days_late"]).astype("float64")
    t["completed_on"] = pd.to_datetime(t["completed_on"])
    t["due_in_window"] = t["deadline"].between(pd.Timestamp(win.start), end)
    return t


# --- scores ------------------------------------------------------------------------------


def _score_block(
    targets: pd.DataFrame, tasks: pd.DataFrame, key: str, ids: list[str], rules: dict, id_name: str
) -> pd.DataFrame:
    s = rules["scores"]
    tp = targets["status"].map(lambda x: _points(s["target_points"], x))
    kp = tasks["status"].map(lambda x: _points(s["task_points"], x))
    kw = np.where(tasks["recurring"], s["task_weights"]["recurring"], s["task_weights"]["deadline"]).astype(float)
    kw = pd.Series(kw, index=tasks.index)
    rows = []
    for ident in ids:
        tm, km = targets[key] == ident, tasks[key] == ident
        t_pts, k_pts = tp[tm].dropna(), kp[km].dropna()
        t_score = t_pts.mean() if len(t_pts) else np.nan
        k_score = float(np.average(k_pts, weights=kw[k_pts.index])) if len(k_pts) else np.nan
        w = [(s["weights"]["targets"], t_score), (s["weights"]["tasks"], k_score)]
        w = [(a, b) for a, b in w if pd.notna(b)]
        score = sum(a * b for a, b in w) / sum(a for a, _ in w) if w else np.nan
        measurable = targets[tm & targets["measurable"]]
        row = {
            id_name: ident,
            "score": score,
            "target_score": t_score,
            "task_score": k_score,
            "targets": int(tm.sum()),
            "tasks": int(km.sum()),
            "targets_scored": len(t_pts),
            "tasks_scored": len(k_pts),
            "data_coverage": (measurable["status"] != "no_data").mean() if len(measurable) else np.nan,
        }
        for st in TARGET_STATUSES:
            row[f"t_{st}"] = int((targets.loc[tm, "status"] == st).sum())
        for st in TASK_STATUSES:
            row[f"k_{st}"] = int((tasks.loc[km, "status"] == st).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def rating_for(score: float, rules: dict) -> tuple[str | None, int | None]:
    if pd.isna(score):
        return None, None
    for band in sorted(rules["rating"]["bands"], key=lambda b: -b["min"]):
        if score >= band["min"]:
            return band["code"], int(band["level"])
    return None, None


def composite(
    areas: pd.DataFrame, targets: pd.DataFrame, tasks: pd.DataFrame, rules: dict, target_level: float | None = None
) -> dict:
    """Weighted mean of the area scores, its rating band, and the data coverage behind it.

    ``target_level`` is the plan's rating objective (``Plan.rating_target``), None when the
    plan has none."""
    weights = rules["scores"].get("area_weights", {})
    a = areas.dropna(subset=["score"])
    w = a["area_id"].map(lambda x: float(weights.get(x, 1)))
    score = float((a["score"] * w).sum() / w.sum()) if len(a) and w.sum() > 0 else np.nan
    code, level = rating_for(score, rules)
    # Coverage: the share of things that could have figures and do — measured targets
    # with a value, tasks with at least one update. A score built on little is flagged.
    measured = targets[targets["measurable"] & ~targets["status"].isin(["not_due"])]
    have = int(measured["actual"].notna().sum()) + int(tasks["last_status"].notna().sum())
    possible = len(measured) + len(tasks)
    coverage = have / possible if possible else np.nan
    return {
        "score": score,
        "rating": code,
        "rating_level": level,
        "is_estimate": True,
        "coverage": coverage,
        "reliable": bool(pd.notna(coverage) and coverage >= rules["rating"]["min_coverage"]),
        "target_level": target_level,
    }


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
                "message": i.expected,
                "text": str(i),
            }
            for i in issues
        ],
        columns=["severity", "file", "row", "column", "message", "text"],
    )


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
    if period.year != plan.year:
        raise PeriodError(
            f"Kỳ báo cáo {period.code} không thuộc năm của kế hoạch ({plan.year}): chọn một kỳ của năm {plan.year}"
        )

    tasks = assess_tasks(plan, progress, ctx, rules)
    # First pass without the rating target, whose actual is the composite's own estimate.
    targets, w = assess_targets(plan, progress, ctx, rules, None, land, overrides)
    scored = targets[~_is(targets["kpi"], "rating")]
    areas = _score_block(scored, tasks, "area_id", list(plan.areas["area_id"]), rules, "area_id")
    areas.insert(1, "name", areas["area_id"].map(plan.area_name))
    goal = plan.rating_target if hasattr(plan, "rating_target") else None
    overall = composite(areas, scored, tasks, rules, None if goal is None else float(goal["target_value"]))
    targets, w = assess_targets(plan, progress, ctx, rules, overall["rating_level"], land, overrides)
    issues += w
    units_ids = [
        u for u in plan.units["unit_id"] if (tasks["lead_unit_id"] == u).any() or (targets["lead_unit_id"] == u).any()
    ]
    units = _score_block(targets[~_is(targets["kpi"], "rating")], tasks, "lead_unit_id", units_ids, rules, "unit_id")
    units.insert(1, "name", units["unit_id"].map(plan.unit_name))
    units.insert(2, "level", units["unit_id"].map(dict(zip(plan.units["unit_id"], plan.units["level"]))))

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
                f"dưới {percent(100 * rules['rating']['min_coverage'], 0)} số chỉ tiêu, nhiệm vụ có số liệu để chấm "
                "điểm; xếp loại ước tính không đáng tin cậy",
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
        a = known if same else assess(plan, progress, q, cutoff, rules)
        rows.append(a.areas[["area_id", "name", "score"]].assign(period=q.code))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["area_id", "name", "score", "period"])
