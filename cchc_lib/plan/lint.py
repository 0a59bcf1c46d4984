"""Findings about the plan document itself, not about progress.

A signed plan carries its own flaws: targets that contradict each other, deadlines that
fall before the plan was signed, rows copied from the city's plan, misnumbered headings.
They must be shown to the reader rather than silently "fixed", so each rule here turns
one kind of flaw into a finding: ``code``, ``severity`` (warning | info), a ``message`` in
the reader's language (catalogue section ``lint``; Vietnamese by default) and the ``refs``
(ids and source references) it is about.
"""

from __future__ import annotations

import re

import pandas as pd

from cchc_lib.i18n.catalog import t as tr
from cchc_lib.i18n.catalog import word
from cchc_lib.i18n.fmt import date_short
from cchc_lib.i18n.fmt import value as fmt_value

COLUMNS = ["code", "severity", "message", "refs"]
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
CITY_SCOPE = re.compile(r"trên địa bàn thành phố|HĐND\s*&\s*UBND\s+Thành phố|UBND thành phố ban hành", re.I)


def _finding(code: str, severity: str, message: str, refs) -> dict:
    return {"code": code, "severity": severity, "message": message, "refs": tuple(refs)}


def conflicting_targets(plan, lang: str = "vi") -> list[dict]:
    """Targets measured by the same indicator with different thresholds."""
    t = plan.targets[plan.targets["measurable"] & plan.targets["kpi"].notna()]
    out = []
    for _kpi, group in t.groupby("kpi", sort=True):
        if group[["comparator", "target_value"]].drop_duplicates().shape[0] < 2:
            continue
        parts = [
            tr(
                "lint.level",
                lang,
                comparator=word("lint.comparator", r.comparator, lang, missing=r.comparator),
                value=fmt_value(r.target_value, r.unit, lang),
                ref=r.source_ref,
                tid=r.target_id,
            )
            for r in group.itertuples()
        ]
        indicator = group.iloc[0]["indicator"]
        out.append(
            _finding(
                "conflicting_targets",
                "warning",
                tr("lint.conflicting_targets", lang, indicator=indicator, levels="; ".join(parts)),
                list(group["target_id"]) + list(group["source_ref"]),
            )
        )
    return out


def deadlines_before_decision(plan, lang: str = "vi") -> list[dict]:
    decided = pd.Timestamp(plan.meta["decision_date"])
    t = plan.tasks[plan.tasks["deadline"].notna() & (plan.tasks["deadline"] <= decided)]
    return [
        _finding(
            "deadline_before_decision",
            "warning",
            tr(
                "lint.deadline_before_decision",
                lang,
                tid=r.task_id,
                ref=r.source_ref,
                deadline=r.deadline_text,
                relation=tr("lint.same_day" if r.deadline == decided else "lint.before", lang),
                decided=date_short(decided, lang),
            ),
            [r.task_id, r.source_ref],
        )
        for r in t.itertuples()
    ]


def deadlines_outside_year(plan, lang: str = "vi") -> list[dict]:
    t = plan.tasks[plan.tasks["deadline"].notna() & (plan.tasks["deadline"].dt.year != plan.year)]
    return [
        _finding(
            "deadline_outside_year",
            "warning",
            tr(
                "lint.deadline_outside_year", lang, tid=r.task_id, deadline=date_short(r.deadline, lang), year=plan.year
            ),
            [r.task_id],
        )
        for r in t.itertuples()
    ]


def annex_group_labels(plan, lang: str = "vi") -> list[dict]:
    """Phụ lục group labels whose numeral disagrees with the area they belong to."""
    expected = dict(zip(plan.areas["area_id"], plan.areas["annex_group"]))
    out = []
    tasks = plan.tasks[plan.tasks["source_label"].notna()]
    for (area, label), group in tasks.groupby(["area_id", "source_label"], sort=True):
        m = re.match(r"\s*([IVX]+)\.", str(label))
        want = expected.get(area)
        if m and want and m.group(1) != want:
            out.append(
                _finding(
                    "annex_group_label",
                    "warning",
                    tr(
                        "lint.annex_group_label",
                        lang,
                        label=label,
                        want=want,
                        area=area,
                        n=len(group),
                        tids=", ".join(group["task_id"]),
                    ),
                    list(group["task_id"]),
                )
            )
    return out


def section_numbering(plan, lang: str = "vi") -> list[dict]:
    """Gaps in the numbering of section IV (responsibilities per unit)."""
    refs = plan.units["source_ref"].dropna()
    nums = sorted({int(m.group(1)) for r in refs if (m := re.fullmatch(r"IV\.(\d+)", str(r).strip()))})
    if not nums:
        return []
    missing = [n for n in range(1, max(nums) + 1) if n not in nums]
    if not missing:
        return []
    return [
        _finding(
            "section_numbering_gap",
            "info",
            tr(
                "lint.section_numbering_gap",
                lang,
                missing=", ".join(f"IV.{n}" for n in missing),
                present=", ".join(f"IV.{n}" for n in nums),
            ),
            [f"IV.{n}" for n in missing],
        )
    ]


def leads_outside_commune(plan, lang: str = "vi") -> list[dict]:
    level = dict(zip(plan.units["unit_id"], plan.units["level"]))
    t = plan.tasks[plan.tasks["lead_unit_id"].map(level) != "commune"]
    return [
        _finding(
            "lead_not_commune",
            "warning",
            tr("lint.lead_not_commune", lang, tid=r.task_id, ref=r.source_ref, unit=r.lead_unit),
            [r.task_id, r.lead_unit_id],
        )
        for r in t.itertuples()
    ]


def city_scope_text(plan, lang: str = "vi") -> list[dict]:
    t = plan.tasks[
        plan.tasks["text"].fillna("").str.contains(CITY_SCOPE)
        | plan.tasks["product"].fillna("").str.contains(CITY_SCOPE)
    ]
    return [
        _finding(
            "city_scope",
            "info",
            tr(
                "lint.city_scope",
                lang,
                tid=r.task_id,
                ref=r.source_ref,
                quote=CITY_SCOPE.search(f"{r.text} {r.product}").group(0),
            ),
            [r.task_id],
        )
        for r in t.itertuples()
    ]


def corrections_made(plan, lang: str = "vi") -> list[dict]:
    return [
        _finding(
            "typo_corrected",
            "info",
            tr("lint.typo_corrected", lang, ref=r.source_ref, original=r.original, corrected=r.corrected),
            [r.source_ref],
        )
        for r in plan.corrections.itertuples()
    ]


RULES = (
    conflicting_targets,
    deadlines_before_decision,
    deadlines_outside_year,
    annex_group_labels,
    leads_outside_commune,
    section_numbering,
    city_scope_text,
    corrections_made,
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def lint_plan(plan, lang: str = "vi") -> pd.DataFrame:
    rows = [f for rule in RULES for f in rule(plan, lang)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df.empty:
        return df
    df["_order"] = df["severity"].map(SEVERITY_ORDER)
    return df.sort_values(["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
