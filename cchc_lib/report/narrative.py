"""Sentences and paragraphs generated from an Assessment, in Vietnamese (default) or English.

Every number in a sentence comes from the assessment tables and is formatted by ``fmt``
(42,3%; −7,7 điểm phần trăm; ngày 14 tháng 6 năm 2024). Nothing here knows the sample:
change the data and the text follows. Functions return plain text; HTML escaping is the
job of the templates that place the text (Jinja2 autoescape).
"""

from __future__ import annotations

import pandas as pd

from cchc_lib import i18n
from cchc_lib.assessment.counts import measurable, status_counts, task_counts
from cchc_lib.core.periods import describe_window, label, next_period_of, window
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report.methodology import objective_word

PHRASES = i18n.table("narrative")

_COMPARATOR_KEY = {"≥": "at_least", "≤": "at_most", "=": "equal"}


def P(lang: str, key: str, **kw) -> str:
    return PHRASES[lang][key].format(**kw)


def indicator(row, lang: str) -> str:
    name = row.get("indicator_en") if lang == "en" else None
    return str(name) if name is not None and not pd.isna(name) and name else str(row["indicator"])


def target_text(row, lang: str) -> str:
    key = _COMPARATOR_KEY.get(row["comparator"]) if pd.notna(row["comparator"]) else None
    cmp = PHRASES[lang]["comparator"][key] if key else ""
    val = fmt.value(row["target_value"], row["unit"], lang)
    return f"{cmp} {val}".strip()


def target_sentence(row, lang: str = "vi") -> str:
    """'Tỷ lệ hồ sơ giải quyết trực tuyến đạt 42,3%, thấp hơn chỉ tiêu tối thiểu 50% (−7,7 điểm phần trăm) — …'"""
    name = indicator(row, lang)
    status = row["status"]
    if status == "no_data":
        return P(lang, "no_data", indicator=name)
    if status == "not_due":
        return P(lang, "not_due", indicator=name)
    if status == "not_measurable":
        return ""
    actual = fmt.value(row["actual"], row["unit"], lang)
    diff = row["actual"] - row["target_value"]
    rel = "higher" if diff > 1e-9 else "lower" if diff < -1e-9 else "equal"
    text = P(lang, "reached", indicator=name, actual=actual)
    if row["actual_source"] in ("dossiers", "feedback"):
        text += P(lang, "source_records", source=vocab.SOURCE[lang][row["actual_source"]])
    text += ", " + P(lang, "vs_target", rel=P(lang, rel), target=target_text(row, lang))
    if row["unit"] == "percent" and rel != "equal":
        text += P(lang, "diff_pp", diff=fmt.pp_diff(diff, 1, lang))
    if status in ("on_track", "at_risk"):
        if pd.notna(row.get("projected")):
            text += P(lang, "projection", projected=fmt.value(row["projected"], row["unit"], lang))
        elif row["basis"] == "level" and abs(row["expected"] - row["target_value"]) > 1e-9:
            text += P(lang, "expected", expected=fmt.value(row["expected"], row["unit"], lang))
    text += P(lang, "verdict", status=vocab.target_status(status, lang)) + "."
    if pd.notna(row.get("conflict_with")) and row["conflict_with"]:
        text += P(lang, "conflict", others=row["conflict_with"])
    return text


def rating_sentence(a, lang: str = "vi") -> str:
    o = a.overall
    if o["rating"] is None:
        return ""
    if o.get("target_level") is None:  # the plan sets no rating objective: nothing to judge against
        return ""
    verdict = "rating_met" if o["rating_level"] >= o["target_level"] else "rating_not_met"
    return P(
        lang,
        "rating",
        rating=vocab.rating(o["rating"], lang),
        score=fmt.number(o["score"], 1, lang),
        verdict=P(lang, verdict),
        objective=objective_word(o["target_level"], a.rules, lang),
    )


def _parts(counts: dict[str, int], words: dict[str, str], lang: str) -> str:
    parts = [f"{fmt.number(n, 0, lang)} {words[k].lower()}" for k, n in counts.items() if n]
    return ", ".join(parts) if parts else P(lang, "none")


def area_paragraph(a, area_id: str, lang: str = "vi") -> str:
    t = a.targets[["area_id", "measurable", "status"]]  # the columns counted, before filtering
    t = t[t["area_id"] == area_id]
    k = a.tasks[["area_id", "status", "recurring"]]
    k = k[k["area_id"] == area_id]
    row = a.areas.set_index("area_id").loc[area_id]
    out = []
    if len(t):
        c = status_counts(t)
        counts = {**c.as_dict(), "not_measurable": len(t) - c.total}
        ordered = {s: counts.get(s, 0) for s in vocab.TARGET_ORDER}
        out.append(
            P(
                lang,
                "area_targets",
                n=fmt.number(len(t), 0, lang),
                m=fmt.number(c.total, 0, lang),
                parts=_parts(ordered, vocab.TARGET_STATUS[lang], lang),
            )
        )
    if len(k):
        counts = task_counts(k).by_status
        ordered = {s: counts.get(s, 0) for s in vocab.TASK_ORDER}
        out.append(P(lang, "area_tasks", parts=_parts(ordered, vocab.TASK_STATUS[lang], lang)))
    if row.get("grading") == "insufficient_evidence":
        out.append(P(lang, "area_insufficient"))
    elif pd.notna(row["score"]):
        out.append(
            P(
                lang,
                "area_score",
                score=fmt.number(row["score"], 1, lang),
                coverage=fmt.percent(100 * row["data_coverage"], 0, lang) if pd.notna(row["data_coverage"]) else "—",
            )
        )
    return " ".join(out)


def summary_paragraph(a, lang: str = "vi") -> str:
    c = status_counts(a.targets)  # objective 7 (the rating) counts as a target, as in the charts
    k = task_counts(a.tasks, a.window.end)
    text = P(
        lang,
        "summary",
        end=fmt.date_long(a.window.end, lang),
        n=fmt.number(c.total, 0, lang),
        **{s: fmt.number(v, 0, lang) for s, v in c.as_dict().items()},
        due=fmt.number(k.due, 0, lang),
        done=fmt.number(k.due_done, 0, lang),
        late=fmt.number(k.due_late, 0, lang),
        overdue=fmt.number(k.due_overdue, 0, lang),
    )
    if a.tthc is not None:
        o = a.tthc.overall
        ytd_k = a.tthc_ytd
        text += " " + P(
            lang,
            "summary_tthc",
            received=fmt.number(a.tthc.counts["dossiers_received"], 0, lang),
            online=fmt.percent(o.at["online_rate", "value"], 1, lang),
            on_time=fmt.percent(o.at["on_time_rate", "value"], 1, lang),
            online_ytd=fmt.percent(ytd_k.at["online_rate", "value"], 1, lang),
            on_time_ytd=fmt.percent(ytd_k.at["on_time_rate", "value"], 1, lang),
        )
    rs = rating_sentence(a, lang)
    return text + (" " + rs if rs else "")


def top_risks(a, lang: str = "vi", n: int = 5) -> list[str]:
    """The targets furthest from their value and the tasks longest overdue."""
    t = a.targets[a.targets["status"].isin(["at_risk", "missed"]) & (a.targets["kpi"].fillna("") != "rating")].copy()
    t["_rel"] = t["gap"] / t["target_value"].where(t["target_value"] != 0, 1)
    t = t.sort_values(["_rel", "target_id"]).head(n)
    out = [
        P(
            lang,
            "risk_target",
            indicator=indicator(r, lang),
            tid=r["target_id"],
            actual=fmt.value(r["actual"], r["unit"], lang),
            target=target_text(r, lang),
            status=vocab.target_status(r["status"], lang),
        )
        for _, r in t.iterrows()
    ]
    out += [overdue_sentence(a, r, lang) for _, r in overdue_tasks(a).head(n).iterrows()]
    return out


def overdue_tasks(a) -> pd.DataFrame:
    """Overdue tasks, longest delay first; those whose deadline falls before the plan itself
    (a date to confirm with the issuer, not a delay) after the real delays."""
    k = a.tasks[a.tasks["status"] == "overdue"]
    before = k.get("deadline_before_plan", pd.Series(False, index=k.index)).astype(bool)
    return k.assign(_odd=before).sort_values(["_odd", "days_late", "task_id"], ascending=[True, False, True])


def _review(a, r, lang: str) -> dict:
    m = a.plan.meta
    same = pd.Timestamp(r["deadline"]) == pd.Timestamp(m["decision_date"])
    return {
        "tid": r["task_id"],
        "deadline": fmt.date_short(r["deadline"], lang),
        "relation": P(lang, "deadline_same_day" if same else "deadline_before"),
        "decided": fmt.date_short(m["decision_date"], lang),
        "issuer": m.get("issuer") or m["commune"],
    }


def overdue_sentence(a, r, lang: str) -> str:
    """'<task> quá hạn 20 ngày (hạn …): …', or, for a deadline before the plan was issued, the
    deadline to confirm with the issuer; a row worded for the whole city says so."""
    text = shorten(r["text"])
    if r.get("deadline_before_plan", False):
        out = P(lang, "risk_task_before_plan", text=text, **_review(a, r, lang))
    else:
        days = fmt.number(r["days_late"], 0, lang)
        out = P(lang, "risk_task", tid=r["task_id"], days=days, deadline=fmt.date_short(r["deadline"], lang), text=text)
    return out + (P(lang, "city_scope") if r.get("city_scope", False) else "")


def mid_sentence(name: str) -> str:
    """'Tỷ lệ hồ sơ…' → 'tỷ lệ hồ sơ…' inside a sentence; acronyms ('CBCC…') stay as they are."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def shorten(text, limit: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _notes(a, column: str, area_id: str | None = None, periods: list[str] | None = None) -> list[str]:
    n = a.progress.notes
    if n.empty:
        return []
    codes = periods or [a.period.code]
    n = n[[c for c in dict.fromkeys(("period", "area_id", column)) if c in n.columns]]  # before filtering
    sel = n[n["period"].isin(codes)]
    if area_id is not None:
        sel = sel[sel["area_id"].fillna("") == area_id]
    return [str(v) for v in sel[column].dropna() if str(v).strip()]


def period_codes(a) -> list[str]:
    """The period itself and, for a half-year or year, the quarters inside it."""
    from cchc_lib.core.periods import quarters_until

    inside = [q.code for q in quarters_until(a.period) if window(q, a.cutoff).start >= a.window.start]
    return list(dict.fromkeys([a.period.code, *inside]))


def notes_for(a, column: str, area_id: str | None = None) -> list[str]:
    return _notes(a, column, area_id, period_codes(a))


def scored_areas(a) -> pd.DataFrame:
    """The areas with a score: only these are compared ("highest", "lowest")."""
    return a.areas[(a.areas["grading"] == "scored") & a.areas["score"].notna()]


def strengths(a, lang: str = "vi") -> list[str]:
    out, c, k = [], status_counts(a.targets), task_counts(a.tasks, a.window.end)
    if c.met:
        met = measurable(a.targets)
        names = "; ".join(indicator(r, lang) for _, r in met[met["status"] == "met"].head(4).iterrows())
        out.append(P(lang, "strength_target", n=fmt.number(c.met, 0, lang), names=names))
    ontime = k.of("done_on_time")
    if ontime and k.done_ahead:  # says why it exceeds the summary's "due and done"
        end = fmt.date_short(a.window.end, lang)
        n, ahead = fmt.number(ontime, 0, lang), fmt.number(k.done_ahead, 0, lang)
        out.append(P(lang, "strength_tasks_ahead", n=n, ahead=ahead, end=end))
    elif ontime:
        out.append(P(lang, "strength_tasks", n=fmt.number(ontime, 0, lang)))
    areas = scored_areas(a)
    if len(areas):
        best = areas.sort_values(["score", "area_id"], ascending=[False, True]).iloc[0]
        out.append(
            P(
                lang,
                "strength_area",
                name=f"{best['area_id']} {a.plan.area_name(best['area_id'], lang)}",
                score=fmt.number(best["score"], 1, lang),
            )
        )
    return out + notes_for(a, "highlights", "")


def shortcomings(a, lang: str = "vi") -> list[str]:
    out, c, k = [], status_counts(a.targets), task_counts(a.tasks)
    if c.weak:
        m = measurable(a.targets)
        weak = m[m["status"].isin(["at_risk", "missed"])]
        names = "; ".join(indicator(r, lang) for _, r in weak.sort_values("gap").head(4).iterrows())
        out.append(P(lang, "weak_targets", n=fmt.number(c.weak, 0, lang), names=names))
    if k.of("overdue"):
        overdue = a.tasks[a.tasks["status"] == "overdue"]
        out.append(P(lang, "weak_tasks", n=fmt.number(k.of("overdue"), 0, lang), ids=", ".join(overdue["task_id"])))
    if k.of("recurring_missing"):
        out.append(P(lang, "weak_missing", n=fmt.number(k.of("recurring_missing"), 0, lang)))
    if c.no_data:
        out.append(P(lang, "weak_data", n=fmt.number(c.no_data, 0, lang)))
    insufficient = a.areas[a.areas["grading"] == "insufficient_evidence"]
    if len(insufficient):
        names = "; ".join(f"{r['area_id']} {a.plan.area_name(r['area_id'], lang)}" for _, r in insufficient.iterrows())
        out.append(P(lang, "weak_insufficient", n=fmt.number(len(insufficient), 0, lang), names=names))
    areas = scored_areas(a)
    if len(areas) > 1:
        worst = areas.sort_values(["score", "area_id"]).iloc[0]
        out.append(
            P(
                lang,
                "weak_area",
                name=f"{worst['area_id']} {a.plan.area_name(worst['area_id'], lang)}",
                score=fmt.number(worst["score"], 1, lang),
            )
        )
    return out


def causes(a) -> list[str]:
    """The analyst's own account of difficulties (all areas), as written."""
    return notes_for(a, "difficulties")


def next_period(a, lang: str = "vi") -> list[str]:
    """Tasks falling due in the next period, overdue tasks and targets at risk."""
    nxt = next_period_of(a.period)
    out = []
    if nxt is not None and nxt.year == a.plan.year:
        w = window(nxt, a.cutoff)
        due = a.tasks[
            ~a.tasks["recurring"]
            & a.tasks["deadline"].between(pd.Timestamp(w.start), pd.Timestamp(w.end))
            & ~a.tasks["status"].isin(["done_on_time", "done_late", "cancelled"])
        ]
        out += [
            P(
                lang,
                "next_due",
                tid=r["task_id"],
                text=shorten(r["text"], 90),
                deadline=fmt.date_short(r["deadline"], lang),
                unit=a.plan.unit_name(r["lead_unit_id"], lang),
            )
            for _, r in due.iterrows()
        ]
    out += [
        P(lang, "next_before_plan", **_review(a, r, lang))
        if r.get("deadline_before_plan", False)
        else P(lang, "next_overdue", tid=r["task_id"], days=fmt.number(r["days_late"], 0, lang))
        for _, r in overdue_tasks(a).iterrows()
    ]
    risk = a.targets[a.targets["status"] == "at_risk"].sort_values("gap").head(6)
    out += [
        P(
            lang,
            "next_risk",
            indicator=mid_sentence(indicator(r, lang)),
            actual=fmt.value(r["actual"], r["unit"], lang),
            target=target_text(r, lang),
        )
        for _, r in risk.iterrows()
    ]
    return out


def proposals(a) -> list[str]:
    return notes_for(a, "proposals")


def window_sentence(a, lang: str = "vi") -> str:
    return P(lang, "window", label=label(a.period, lang), window=describe_window(a.window, lang))


def text_summary(a, lang: str = "vi") -> str:
    """Plain-text summary for the terminal (``cchc assess``)."""
    lines = [
        f"{a.plan.meta['commune']} — {label(a.period, lang)}",
        window_sentence(a, lang),
        "",
        summary_paragraph(a, lang),
        "",
    ]
    head = P(lang, "text_risks")
    lines.append(head)
    lines += [f"  - {r}" for r in top_risks(a, lang)] or ["  " + P(lang, "nothing")]
    lines.append("")
    lines.append(P(lang, "text_scores"))
    for _, r in a.areas.iterrows():
        scored = r["grading"] == "scored"
        score = fmt.number(r["score"], 1, lang) if scored else i18n.t("tables.insufficient_evidence", lang)
        lines.append(f"  {r['area_id']:5} {score:>6}  {a.plan.area_name(r['area_id'], lang)}")
    if len(a.warnings):
        lines.append("")
        lines.append(P(lang, "text_warnings", n=len(a.warnings)))
        lines += [f"  - {w.text(lang)}" for w in a.warnings["issue"].head(10)]
        if len(a.warnings) > 10:
            lines.append("  …")
    if a.is_sample:
        lines.insert(0, P(lang, "text_sample"))
    return "\n".join(lines)
