"""Administrative sentences about one task or one target, built from the assessment row.

A sentence names the task (its own words, shortened), the lead unit, the deadline, the
document that proves completion and the reason given for a delay; never a bare code.
"""

from __future__ import annotations

import re

import pandas as pd

from cchc_lib import i18n
from cchc_lib.i18n import fmt

W = i18n.table("official")  # the official report's words, vi and en (catalogue section "official")

_SENTENCE_END = re.compile(r"(?<=[^\d\s][.;:])\s+")


def words(lang: str):
    """The official report's words in ``lang`` (read-only; lists are tuples)."""
    return W[fmt.check_lang(lang)]


def period_phrase(period, lang: str) -> str:
    """'quý I năm 2024', '6 tháng đầu năm 2024', 'năm 2024' (the report's summary line)."""
    w = words(lang)
    p = w["periods"]
    if period.kind == "quarter":
        return p["Q"].format(quarter=w["quarter_names"][period.number - 1], year=period.year)
    if period.kind == "half":
        return p[f"H{period.number}"].format(year=period.year)
    return p["Y"].format(year=period.year)


def clean(text) -> str:
    """One line of user text: whitespace collapsed, final full stop removed."""
    text = " ".join(str(text).split())
    return text.rstrip(" .;")


def task_name(row, limit: int = 140) -> str:
    """The task in its own words: the first sentence of the plan's text, shortened at a word."""
    text = clean(row["text"])
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(" .;:")
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first[:1].lower() + first[1:] if first[1:2].islower() else first


def unit(plan, unit_id, lang: str) -> str:
    if unit_id is None or pd.isna(unit_id) or not str(unit_id):
        return "—"
    return plan.unit_name(str(unit_id), lang)


def mid(name: str) -> str:
    """'Cải cách thể chế' → 'cải cách thể chế' inside a sentence; acronyms stay."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def indicator(row, lang: str) -> str:
    name = row.get("indicator_en") if lang == "en" else None
    if name is None or pd.isna(name) or not str(name):
        name = row["indicator"]
    return clean(name)


def target_value(row, lang: str) -> str:
    cmp = words(lang)["comparator"].get(row["comparator"], "") if pd.notna(row["comparator"]) else ""
    return f"{cmp} {fmt.value(row['target_value'], row['unit'], lang)}".strip()


def done_sentence(row, plan, lang: str) -> str:
    w = words(lang)
    evidence = w["evidence"].format(evidence=clean(row["evidence"])) if pd.notna(row["evidence"]) else w["no_evidence"]
    kw = {
        "unit": sentence_case(unit(plan, row["lead_unit_id"], lang)),
        "text": task_name(row),
        "completed": fmt.date_short(row["completed_on"], lang),
        "evidence": evidence,
    }
    if pd.isna(row["deadline"]):
        return w["done_nodeadline"].format(**kw)
    days = int(row["days_late"]) if pd.notna(row["days_late"]) else 0
    timing = w["on_time"] if days <= 0 else w["late_by"].format(days=fmt.number(days, 0, lang))
    return w["done"].format(timing=timing, deadline=fmt.date_short(row["deadline"], lang), **kw)


def reason(row, lang: str) -> str:
    w = words(lang)
    return w["reason"].format(note=clean(row["update_note"])) if pd.notna(row["update_note"]) else w["no_reason"]


def overdue_sentence(row, plan, a, lang: str) -> str:
    """A deadline before the plan itself is told as such, not headlined as months overdue."""
    w = words(lang)
    kw = {
        "text": task_name(row),
        "unit": unit(plan, row["lead_unit_id"], lang),
        "deadline": fmt.date_short(row["deadline"], lang),
        "end": fmt.date_short(a.window.end, lang),
        "reason": reason(row, lang),
    }
    if row["deadline_before_plan"]:  # the engine's flag, from the plan review (one source)
        return w["overdue_odd"].format(**kw)
    return w["overdue"].format(days=fmt.number(row["days_late"], 0, lang), **kw)


def other_task_sentence(row, plan, lang: str) -> str:
    w = words(lang)
    kw = {"text": task_name(row), "unit": unit(plan, row["lead_unit_id"], lang)}
    if row["status"] == "cancelled":
        note = w["cancel_reason"].format(note=clean(row["update_note"])) if pd.notna(row["update_note"]) else ""
        return w["cancelled"].format(reason=note, **kw)
    return w["in_progress"].format(deadline=fmt.date_short(row["deadline"], lang), **kw)


def is_rating(row) -> bool:
    kpi = row.get("kpi")
    return kpi is not None and not pd.isna(kpi) and kpi == "rating"


def target_sentence(row, a, lang: str) -> str:
    w = words(lang)
    name, goal = sentence_case(indicator(row, lang)), target_value(row, lang)
    status = row["status"]
    if is_rating(row):  # the tool's own estimate never "meets" its target
        return w["target_estimate"].format(indicator=name, target=goal, score=fmt.number(a.overall["score"], 1, lang))
    if status == "no_data":
        return w["target_no_data"].format(indicator=name, target=goal)
    if status == "not_due":
        return w["target_not_due"].format(indicator=name, target=goal)
    text = w["target"].format(
        indicator=name,
        actual=fmt.value(row["actual"], row["unit"], lang),
        target=goal,
        verdict=w["verdict"][status],
    )
    if pd.notna(row.get("conflict_with")) and row["conflict_with"]:
        others = a.targets[a.targets["target_id"].isin(str(row["conflict_with"]).split(", "))]
        other = "; ".join(target_value(r, lang) for _, r in others.iterrows())
        text += w["target_conflict"].format(other=other)
    return text
