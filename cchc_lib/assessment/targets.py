"""Target verdicts: the actual of each target, its status under the pace rule, its trend.

Split from the engine so each step (actuals, pace, status, trend, conflicts) is a function
of its own; ``assess_targets`` chains them. docs/methodology.md, "Targets", explains the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cchc_lib.assessment import tthc
from cchc_lib.assessment.context import Context
from cchc_lib.core.errors import Issue, Msg
from cchc_lib.core.periods import Period, Window, previous, quarters_until

if TYPE_CHECKING:
    from cchc_lib.plan.model import Plan
    from cchc_lib.progress.loader import Progress

TARGET_STATUSES = ("met", "on_track", "at_risk", "missed", "not_due", "no_data", "not_measurable")
RECORD_KPIS = set(tthc.KPI_NAMES)


def is_value(s: pd.Series, value: str) -> pd.Series:
    """Element-wise ``s == value`` as plain booleans, a missing cell being simply "not equal".

    Public because the dashboard filters the assessment's tables the same way.
    """
    return s.eq(value).fillna(False).astype(bool)


_is = is_value  # the short name


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
    h = history.dropna(subset=["target_id"])
    first = h.drop_duplicates("target_id", keep="first").set_index("target_id")
    last = h.drop_duplicates("target_id", keep="last").set_index("target_id")
    first = first.loc[last.index]
    v0, v1 = first["value"].to_numpy(dtype="float64"), last["value"].to_numpy(dtype="float64")
    t0, t1 = pd.to_datetime(first["at"]), pd.to_datetime(last["at"])
    keep = (t1 > t0).to_numpy(dtype=bool)
    ahead = (pd.Timestamp(year_end) - t1).dt.days.to_numpy()
    span = (t1 - t0).dt.days.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        proj = v1 + (v1 - v0) * ahead / span
    return pd.Series(dict(zip(last.index[keep], proj[keep].tolist())), dtype="float64")


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
    """actual (year to date for rates from records; entered level otherwise) per target.

    Built as plain lists and set once per column: a cell written with ``.at`` into a typed
    column costs as much as the rest of a target's assessment."""
    t = plan.targets[["target_id", "kpi", "unit"]].copy()
    win, ytd = ctx.win, ctx.ytd
    entered = _entered_values(progress, ctx.period).set_index("target_id")
    rec_ytd, rec_win = _record_kpis(progress, ytd, land_fields), _record_kpis(progress, win, land_fields)
    records = {} if rec_ytd is None else {k: r for k, r in rec_ytd.iterrows() if r["available"]}
    values = {tid: (r["value"], r["value_period"]) for tid, r in entered.iterrows()}
    cols: dict[str, list] = {"actual": [], "actual_period": [], "actual_source": [], "value_period": []}
    for kpi, tid in zip(t["kpi"], t["target_id"]):
        if not pd.isna(kpi) and kpi in records:
            row = (records[kpi]["value"], rec_win.at[kpi, "value"], records[kpi]["source"], pd.NA)
        elif tid in values:
            row = (values[tid][0], np.nan, "entered", values[tid][1])
        else:
            row = (np.nan, np.nan, pd.NA, pd.NA)
        for name, v in zip(cols, row):
            cols[name].append(v)
    for name in ("actual", "actual_period"):
        t[name] = pd.Series([np.nan if pd.isna(v) else float(v) for v in cols[name]], index=t.index, dtype="float64")
    for name in ("actual_source", "value_period"):
        t[name] = pd.Series(cols[name], index=t.index, dtype="string")
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
    names = ["measurable", "actual", "target_id", "target_value", "comparator", "basis", "expected", "projected"]
    rows = t[[*names, "unit"]].astype(object).to_numpy()  # the cells ``iterrows`` gave, without a Series per row
    for measurable, actual, tid, value, comparator, basis, expected, projected, unit in rows:
        if not measurable:
            out.append("not_measurable")
        elif pd.isna(actual) and tid in annual and not final:
            out.append("not_due")
        else:
            out.append(_judge(actual, value, comparator, basis, expected, projected, final, rules, unit))
    return out


def _apply_overrides(t: pd.DataFrame, overrides: dict, period: Period) -> pd.Series:
    """Put each what-if value in place as if measured or entered; returns which targets a
    projection may use (entered values, and what-ifs of targets not computed from records)."""
    entered_like = t["actual_source"].eq("entered").fillna(False)
    for tid, value in overrides.items():
        i = t.index[t["target_id"] == tid]
        from_records = t.loc[i, "actual_source"].isin(["dossiers", "feedback"]).fillna(False)
        entered_like.loc[i] = ~from_records
        t.loc[i, "value_period"] = t.loc[i, "value_period"].where(from_records, period.code)
        t.loc[i, ["actual", "actual_period"]] = [float(value), np.nan]
        t.loc[i, "actual_source"] = "what-if"
    return entered_like


def _pace(t: pd.DataFrame, progress: Progress, ctx: Context, overrides: dict, entered_like: pd.Series) -> None:
    """``expected`` (the pro-rated path of a level, the target itself otherwise), its public
    copy ``expected_now`` (what the pace rule asks for at the cut-off, shown beside each
    status), and ``projected`` (where a level's pace leads by the year end)."""
    level = (t["basis"] == "level") & t["measurable"] & ~_is(t["comparator"], "≤") & (not ctx.final)
    t["expected"] = np.where(level, t["target_value"] * ctx.elapsed_share, t["target_value"])
    t["expected_now"] = t["expected"].where(t["measurable"].astype(bool))
    history = _with_overrides(
        _quarter_history(progress, ctx),
        {k: v for k, v in overrides.items() if k in set(t.loc[entered_like, "target_id"])},
        ctx,
    )
    projected = _projection(history, pd.Timestamp(ctx.year.end))
    t["projected"] = t["target_id"].map(projected).where(level & entered_like)
    t.loc[_is(t["unit"], "percent"), "projected"] = t["projected"].clip(0, 100)  # a share cannot pass 100%


def _gap_and_trend(t: pd.DataFrame) -> None:
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


def _conflicts(t: pd.DataFrame) -> None:
    """Same KPI, different thresholds: each target is assessed, and names the others."""
    keep = (t["measurable"] & t["kpi"].notna()).to_numpy(dtype=bool)
    groups: dict = {}  # kpi -> [(row, target id, (comparator, value))], in table order
    cols = (t.index[keep], t["kpi"][keep], t["target_id"][keep], t["comparator"][keep], t["target_value"][keep])
    for i, kpi, tid, comp, value in zip(*cols):
        threshold = (None if pd.isna(comp) else comp, None if pd.isna(value) else value)  # blanks alike
        groups.setdefault(kpi, []).append((i, tid, threshold))
    names: dict = {}
    for rows in groups.values():
        if len({threshold for _, _, threshold in rows}) > 1:
            ids = [tid for _, tid, _ in rows]
            names.update({i: ", ".join(x for x in ids if x != me) for i, me, _ in rows})
    t["conflict_with"] = pd.Series(names, index=t.index, dtype="string")


def _ignored_entries(t: pd.DataFrame, progress: Progress) -> list[Issue]:
    """Entered values that the records override are reported, never silently replaced."""
    if progress.indicators.empty:
        return []
    source = dict(zip(t["target_id"], t["actual_source"].fillna("")))
    from_records = [tid for tid, s in source.items() if s in ("dossiers", "feedback")]
    ignored = progress.indicators[progress.indicators["target_id"].isin(from_records)]
    out = []
    for _, r in ignored.iterrows():
        log = Msg.of(f"log.{source[r['target_id']]}")
        out.append(
            Issue(
                str(r["source_file"]),
                Msg.of("assessment.entry_ignored", target=r["target_id"], period=r["period"], log=log),
                row=int(r["source_row"]),
                column=progress.header("indicators", str(r["source_file"]), "value"),
                severity="warning",
            )
        )
    return out


def target_base(
    plan: Plan,
    progress: Progress,
    ctx: Context,
    rules: dict,
    land_fields=None,
    overrides: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Everything about the targets that does not depend on the estimated rating: actuals,
    what-ifs, previous actuals and pace. The engine judges the targets twice (without, then
    with the composite's rating), so it computes this once; returns the table and which
    rows are the tool's own rating estimate."""
    overrides = overrides or {}
    t = plan.targets.copy()
    t["basis"] = _target_basis(t, rules)
    acts = _target_actuals(plan, progress, ctx, land_fields)
    t = t.join(acts[["actual", "actual_period", "actual_source", "value_period"]])
    entered_like = _apply_overrides(t, overrides, ctx.period)
    is_rating = _is(t["kpi"], "rating")
    # An entered rating (the province's published result) is used as entered; otherwise the
    # tool's own estimate is shown, labelled so, and never certifies its own target.
    estimated = is_rating & ~t["actual_source"].eq("entered").fillna(False)
    # Previous period, same kind, same year: the trend.
    prev = previous(ctx.period)
    if prev is not None and prev.year == ctx.period.year:
        prev_acts = _target_actuals(plan, progress, Context.of(prev, ctx.cutoff), land_fields)["actual"]
    else:
        prev_acts = pd.Series(np.nan, index=t.index)
    t["previous_actual"] = prev_acts.where(~is_rating)
    _pace(t, progress, ctx, overrides, entered_like)
    return t, estimated


def judge_targets(
    base: tuple[pd.DataFrame, pd.Series], progress: Progress, ctx: Context, rules: dict, rating_level: float | None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Status, gap, trend and conflicts of the targets of ``target_base``, given the rating."""
    t, estimated = base[0].copy(), base[1]
    if rating_level is not None:
        t.loc[estimated, "actual"] = rating_level
        t.loc[estimated, "actual_source"] = "estimate"
    t["status"] = _statuses(t, rules, ctx.final)
    # the tool's own estimate of the rating never meets its own target (only an entered one can)
    est = estimated & t["actual_source"].eq("estimate").fillna(False)
    t.loc[est, "status"] = np.where(t.loc[est, "status"].isin(["met", "on_track"]), "on_track", "at_risk")
    _gap_and_trend(t)
    _conflicts(t)
    t["status"] = t["status"].astype("string")
    return t, _ignored_entries(t, progress)


def assess_targets(
    plan: Plan,
    progress: Progress,
    ctx: Context,
    rules: dict,
    rating_level: float | None,
    land_fields=None,
    overrides: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Every target with its actual, expected-by-now level, projection, status, gap and trend."""
    base = target_base(plan, progress, ctx, rules, land_fields, overrides)
    return judge_targets(base, progress, ctx, rules, rating_level)
