"""Checks of one progress source beyond cell types: what the plan and the calendar allow.

Each ``check_<kind>`` takes the typed table of one source (rows whose cells failed their
type check are already reported and hold missing values) and returns the rows kept, the
errors, the warnings and how many pre-filled template rows were left empty. Every rule
runs on every row, so one run lists every problem of the file, cross-column ones included.
"""

from __future__ import annotations

import pandas as pd

from cchc_lib.core.errors import Issue, Msg, typed
from cchc_lib.core.periods import Period, PeriodError, parse_period, periods_in_year, window
from cchc_lib.core.schemas import accepts, element_check, isin_check

CUTOFFS = ("nd09", "calendar")  # worded by the catalogue's input.cutoff.<name>
MAX_LISTED = 50  # per vectorised check of a large log; the rest is counted

_period_ok = accepts(parse_period, PeriodError)


def canonical_period(df: pd.DataFrame) -> pd.DataFrame:
    """Period text → code ("Quý II/2024" → "2024-Q2"); unreadable ones (already reported) → missing."""

    def code(text):
        try:
            return parse_period(text).code
        except (PeriodError, TypeError):
            return None

    df["period"] = df["period"].map(code).astype("string")
    return df


def period_checks(year: int) -> list:
    return [
        element_check(_period_ok, Msg.of("period_hint", year=str(year))),
        element_check(
            lambda t: not _period_ok(t) or parse_period(t).year == year,
            Msg.of("period_year", year=str(year)),
        ),
    ]


def extra_checks(kind: str, plan) -> dict:
    """Checks against the plan's own tables (ids, year)."""
    period = {"period": period_checks(plan.year)}
    if kind == "indicators":
        ids = list(plan.targets["target_id"])
        return {"target_id": [isin_check(ids, Msg.of("ref.target"), "targets.csv")], **period}
    if kind == "tasks":
        return {"task_id": [isin_check(list(plan.tasks["task_id"]), Msg.of("ref.task"), "tasks.csv")], **period}
    if kind == "notes":
        return {"area_id": [isin_check(list(plan.areas["area_id"]), Msg.of("ref.note_area"), "areas.csv")], **period}
    return {}


def duplicates(df: pd.DataFrame, keys: list[str], file: str) -> list[Issue]:
    """The same key twice in one source."""
    dup = df[df.duplicated(keys, keep=False) & df[keys].notna().all(axis=1)]
    out = []
    for values, group in dup.groupby(keys, sort=False):
        rows = ", ".join(map(str, group.index))
        shown = ", ".join(map(str, values if isinstance(values, tuple) else (values,)))
        out.append(
            Issue(
                file,
                Msg.of("duplicate_key", keys=" + ".join(keys), values=shown, rows=rows),
                row=int(group.index[0]),
                column=keys[0],
            )
        )
    return out


# --- indicators --------------------------------------------------------------------------


def _ratio_problem(num, den, val, unit, file, row) -> tuple[Issue | None, float]:
    """Numerator/denominator entered: (error or None, the value they give)."""
    if pd.isna(num) != pd.isna(den):
        column = "denominator" if pd.isna(den) else "numerator"
        return Issue(file, Msg.of("ratio_together"), row=row, column=column), val
    if pd.isna(den):
        return None, val
    if den <= 0:
        return Issue(file, Msg.of("denominator_positive"), row=row, column="denominator", value=typed(den)), val
    if num < 0 or num > den:
        msg = Msg.of("numerator_range", den=float(den))
        return Issue(file, msg, row=row, column="numerator", value=typed(num)), val
    ratio = 100 * num / den if unit == "percent" else num
    if pd.notna(val) and abs(val - ratio) > 0.05:
        msg = Msg.of("ratio_mismatch", ratio=round(float(ratio), 2))
        return Issue(file, msg, row=row, column="value", value=typed(val)), val
    return None, ratio


def _value_problems(val, unit, has_den, file, row) -> list[Issue]:
    out = []
    if unit == "percent" and 0 < val < 1 and not has_den:
        # 0,62 is a valid share, but far more often a 62% typed as a fraction.
        out.append(
            Issue(
                file,
                Msg.of("percent_tiny", value=float(val), percent=float(val * 100)),
                row=row,
                column="value",
                value=typed(val),
                severity="warning",
            )
        )
    if unit == "percent" and not 0 <= val <= 100:
        out.append(
            Issue(
                file,
                Msg.of("percent_range", right=42.5, wrong=0.425),
                row=row,
                column="value",
                value=typed(val),
            )
        )
    elif unit == "rating" and val not in (1, 2, 3, 4):
        out.append(Issue(file, Msg.of("rating_number"), row=row, column="value", value=typed(val)))
    elif val < 0:
        out.append(Issue(file, Msg.of("negative"), row=row, column="value", value=typed(val)))
    return out


def check_indicators(df: pd.DataFrame, plan, file: str):
    errors, warnings = [], []
    entered = df["value"].notna() | df["numerator"].notna() | df["denominator"].notna()
    not_entered = int((~entered & df["target_id"].notna()).sum())
    df = df[entered].copy()
    targets = {
        tid: (unit if pd.notna(unit) else None, bool(m))
        for tid, unit, m in zip(plan.targets["target_id"], plan.targets["unit"], plan.targets["measurable"])
    }
    rows = df[["target_id", "numerator", "denominator", "value"]].copy()
    rows.attrs = {}  # read row by row: the file's metadata need not be copied into each row
    values = {}  # row -> the value computed from the ratio; written into df once, after the loop
    for row, r in rows.iterrows():
        if r["target_id"] not in targets:
            continue  # already reported by the id check
        unit, measurable = targets[r["target_id"]]
        problem, val = _ratio_problem(r["numerator"], r["denominator"], r["value"], unit, file, row)
        if problem is not None:
            errors.append(problem)
            continue
        values[row] = val
        if pd.isna(val):
            continue
        for issue in _value_problems(val, unit, pd.notna(r["denominator"]), file, row):
            (warnings if issue.severity == "warning" else errors).append(issue)
        if not measurable:
            warnings.append(
                Issue(
                    file,
                    Msg.of("not_measurable", target=r["target_id"]),
                    row=row,
                    column="value",
                    severity="warning",
                )
            )
    if values:
        df.loc[list(values), "value"] = list(values.values())
    errors += duplicates(df, ["target_id", "period"], file)
    return df, errors, warnings, not_entered


# --- tasks -------------------------------------------------------------------------------


def _counting_period(day: pd.Timestamp, year: int, cutoff: str) -> Period | None:
    for p in periods_in_year(year):
        if p.kind == "quarter":
            w = window(p, cutoff)
            if pd.Timestamp(w.start) <= day <= pd.Timestamp(w.end):
                return p
    return None


def _late_completion(done_on: pd.Timestamp, period: str, year: int, file: str, row: int) -> Issue | None:
    """A completion date after the end of the period it is reported for: where it will count."""
    parts = []
    for cutoff in CUTOFFS:
        end = window(period, cutoff).end
        if done_on > pd.Timestamp(end):
            later = _counting_period(done_on, year, cutoff)
            counts = Msg.of("counts_from", period=later) if later else Msg.of("counts_not_in_year")
            cut = Msg.of(f"cutoff.{cutoff}")
            parts.append(Msg.of("period_ended", cutoff=cut, period=parse_period(period), end=end, counts=counts))
    if not parts:
        return None
    return Issue(
        file,
        Msg.of("late_completion", parts=parts),
        row=row,
        column="completed_on",
        value=f"{done_on:%d/%m/%Y}",
        severity="warning",
    )


def check_tasks(df: pd.DataFrame, plan, file: str):
    errors, warnings = [], []
    entered = df["status"].notna() | df["completed_on"].notna() | df["evidence"].notna()
    not_entered = int((~entered & df["task_id"].notna()).sum())
    df = df[entered].copy()
    tasks = plan.tasks.set_index("task_id")
    year_start = pd.Timestamp(window(f"{plan.year}-Q1", "nd09").start)
    year_end = max(pd.Timestamp(window(str(plan.year), c).end) for c in CUTOFFS)
    for row, r in df.iterrows():
        if r["task_id"] not in tasks.index or pd.isna(r["period"]):
            continue  # already reported
        done_on = r["completed_on"]
        if pd.isna(r["status"]):
            if (row, "status") not in df.attrs.get("reported", ()):
                errors.append(
                    Issue(
                        file,
                        Msg.of("status_needed"),
                        row=row,
                        column="status",
                    )
                )
        elif pd.notna(done_on) and r["status"] != "done":
            warnings.append(
                Issue(
                    file,
                    Msg.of("date_without_done"),
                    row=row,
                    column="completed_on",
                    severity="warning",
                )
            )
        elif pd.isna(done_on) and r["status"] == "done" and not tasks.loc[r["task_id"], "recurring"]:
            errors.append(
                Issue(
                    file,
                    Msg.of("done_needs_date"),
                    row=row,
                    column="completed_on",
                )
            )
        if pd.notna(done_on):
            day, year = f"{done_on:%d/%m/%Y}", str(plan.year)
            if done_on > year_end:
                errors.append(
                    Issue(file, Msg.of("done_after_year", year=year), row=row, column="completed_on", value=day)
                )
            elif done_on < year_start:
                errors.append(
                    Issue(
                        file,
                        Msg.of("done_before_year", year=year),
                        row=row,
                        column="completed_on",
                        value=day,
                    )
                )
            elif r["status"] == "done" and (late := _late_completion(done_on, r["period"], plan.year, file, row)):
                warnings.append(late)
    errors += duplicates(df, ["task_id", "period"], file)
    return df, errors, warnings, not_entered


# --- logs --------------------------------------------------------------------------------


def date_order(df: pd.DataFrame, file: str, start_col: str, checks: list[tuple[str, str]]) -> list[Issue]:
    """Vectorised order checks (a million rows): ``later`` must not precede ``start_col``.

    ``checks`` pairs a column with the catalogue key (``input.date_name.*``) naming it."""
    errors = []
    for later, name in checks:
        what = Msg.of(f"date_name.{name}")
        bad = df[later].notna() & df[start_col].notna() & (df[later] < df[start_col])
        for row in df.index[bad][:MAX_LISTED]:
            errors.append(
                Issue(
                    file,
                    Msg.of("before_received", what=what, received=df.at[row, start_col].date()),
                    row=int(row),
                    column=later,
                    value=f"{df.at[row, later]:%d/%m/%Y}",
                )
            )
        if bad.sum() > MAX_LISTED:
            more = Msg.of("before_received_more", n=int(bad.sum()) - MAX_LISTED, what=what)
            errors.append(Issue(file, more, column=later))
    return errors


def check_dossiers(df, plan, file):
    checks = [("returned_date", "returned"), ("due_date", "dossier_due")]
    return df, date_order(df, file, "received_date", checks), [], 0


def check_feedback(df, plan, file):
    checks = [("resolved_date", "resolved"), ("due_date", "feedback_due")]
    return df, date_order(df, file, "received_date", checks), [], 0


def check_notes(df, plan, file):
    text_cols = [c for c in ("highlights", "difficulties", "proposals", "text") if c in df.columns]
    entered = df[text_cols].notna().any(axis=1)
    df = df[entered].copy()
    df["area_id"] = df["area_id"].fillna("")
    for col in ("section", "text"):  # older files have no section rows
        if col not in df.columns:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="string")
    df["section"] = df["section"].fillna("")
    return df, duplicates(df, ["period", "area_id", "section"], file), [], int((~entered).sum())


RULES = {
    "indicators": check_indicators,
    "tasks": check_tasks,
    "dossiers": check_dossiers,
    "feedback": check_feedback,
    "notes": check_notes,
}
