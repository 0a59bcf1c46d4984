"""Sections I and II of the official report, and the helpers every section shares.

I. Công tác chỉ đạo, điều hành (kế hoạch; kiểm tra; tuyên truyền; khảo sát sự hài lòng;
sáng kiến, mô hình mới) · II. results area by area · III. đánh giá chung (ưu điểm; tồn tại,
hạn chế và nguyên nhân) · IV. phương hướng kỳ tới · V. đề xuất, kiến nghị · Phụ lục (one-stop
results by field; targets). Each part takes the plan's tasks and targets that belong to it,
the analyst's notes for it and computed figures; a part with nothing says so in one line.
Everything plan-specific (issuing body, recipients, which area is "direction") comes from
the plan's meta.toml ([report], docs/plan-data.md).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from importlib import resources

import pandas as pd

from cchc_lib.assessment.counts import DONE, task_counts
from cchc_lib.core.periods import PeriodError, label, window
from cchc_lib.i18n import fmt
from cchc_lib.report.official import annex, prose
from cchc_lib.report.official.model import Block
from cchc_lib.report.official.prose import words

SECTION_I = ("plan", "inspection", "communication", "survey", "initiatives")


@lru_cache(maxsize=1)
def settings() -> dict:
    text = resources.files("cchc_lib.config").joinpath("official.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def period_key(period) -> str:
    return {"quarter": f"Q{period.number}", "half": f"H{period.number}", "year": "Y"}[period.kind]


def is_official_period(period) -> bool:
    """Quý I, 6 tháng, Quý III and năm go upward; the others are internal (config/official.toml)."""
    return period_key(period) in settings()["official_periods"]


def check_official_period(period, anyway: bool = False) -> None:
    if anyway or is_official_period(period):
        return
    raise PeriodError(
        f"{label(period)} không phải kỳ báo cáo chính thức gửi cấp trên (chỉ quý I, 6 tháng, quý III và năm). "
        "Thêm --official-anyway để vẫn lập báo cáo chính thức cho kỳ này, hoặc --only assessment."
    )


# -- meta ---------------------------------------------------------------------------------


def meta(plan, key: str, lang: str, default=None):
    """``[report]`` key of the plan's meta.toml; ``<key>_en`` first for English."""
    report = plan.meta.get("report") or {}
    if lang == "en" and report.get(f"{key}_en") not in (None, "", []):
        return report[f"{key}_en"]
    value = report.get(key)
    return default if value in (None, "", []) else value


def _commune(plan, lang: str) -> str:
    return meta(plan, "commune", lang, plan.meta["commune"]) if lang == "en" else plan.meta["commune"]


def _body(plan, lang: str) -> str:
    return meta(plan, "issuing_body", lang, words(lang)["body_default"])


def _date_line(plan, a, lang: str, report_date: dt.date | None) -> str:
    w = words(lang)
    place = meta(plan, "place", lang, _commune(plan, lang))
    if report_date is None:
        return w["date_blank"].format(place=place, year=a.period.year)
    return w["date_filled"].format(place=place, date=fmt.date_long(report_date, lang))


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    return [prose.clean(v) for v in value if prose.clean(v)]


# -- notes --------------------------------------------------------------------------------


def _period_codes(a) -> list[str]:
    from cchc_lib.core.periods import quarters_until

    inside = [q.code for q in quarters_until(a.period) if window(q, a.cutoff).start >= a.window.start]
    return list(dict.fromkeys([a.period.code, *inside]))


def notes(a, column: str, *, area_id: str | None = None, section: str | None = None) -> list[str]:
    """The analyst's notes of the period (and the quarters inside it), as written."""
    n = a.progress.notes
    if n.empty:
        return []
    sel = n[n["period"].isin(_period_codes(a))]
    if "section" in sel.columns:
        sel = sel[sel["section"].fillna("") == (section or "")]
    if area_id is not None:
        sel = sel[sel["area_id"].fillna("") == area_id]
    if column not in sel.columns:
        return []
    texts = [prose.clean(v) for v in sel[column].dropna()]
    return list(dict.fromkeys(t + "." for t in texts if t))


def section_notes(a, section: str) -> list[str]:
    return notes(a, "text", section=section) + notes(a, "highlights", section=section)


# -- section I ------------------------------------------------------------------------------


def _direction_area(plan) -> str | None:
    """``direction_area`` of meta.toml (the plan workbook's "Lĩnh vực chỉ đạo, điều hành")."""
    area = plan.meta.get("direction_area") or meta(plan, "direction_area", "vi")
    return str(area) if area is not None and area in set(plan.areas["area_id"]) else None


def _classify(text: str, explicit: dict[str, str], ident: str) -> str:
    if ident in explicit:
        return explicit[ident]
    low = str(text).lower()
    for key, needles in settings()["sections"].items():
        if any(n in low for n in needles):
            return key
    return "plan"


def direction_items(a) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Tasks and targets of the direction area, split into the five parts of section I."""
    area = _direction_area(a.plan)
    explicit = {}
    for key, ids in (meta(a.plan, "sections", "vi", {}) or {}).items():
        explicit.update({str(i): key for i in ids})
    tasks = a.tasks[a.tasks["area_id"] == area] if area else a.tasks.iloc[0:0]
    targets = a.targets[a.targets["area_id"] == area] if area else a.targets.iloc[0:0]
    tk = tasks.apply(lambda r: _classify(r["text"], explicit, r["task_id"]), axis=1) if len(tasks) else pd.Series()
    tg = (
        targets.apply(lambda r: _classify(r["text"], explicit, r["target_id"]), axis=1) if len(targets) else pd.Series()
    )
    return {
        k: (tasks[tk == k] if len(tasks) else tasks, targets[tg == k] if len(targets) else targets) for k in SECTION_I
    }


def _ref(a, r, lang: str) -> str:
    return words(lang)["task_ref"].format(text=prose.task_name(r), unit=prose.unit(a.plan, r["lead_unit_id"], lang))


def task_blocks(a, tasks: pd.DataFrame, lang: str, scope: str) -> list[Block]:
    """Dated tasks one by one (done in the period, overdue, in progress), tasks done in
    earlier periods named in one line, standing duties as counts with the missing named."""
    w, out = words(lang), []
    start = pd.Timestamp(a.window.start)
    dated = tasks[~tasks["recurring"]].sort_values(["deadline", "task_id"], na_position="last")
    earlier = dated[dated["status"].isin(DONE) & (dated["completed_on"] < start)]
    for _, r in dated.drop(earlier.index).iterrows():
        if r["status"] in DONE:
            out.append(Block("item", prose.done_sentence(r, a.plan, lang)))
        elif r["status"] == "overdue":
            out.append(Block("item", prose.overdue_sentence(r, a.plan, a, lang)))
        elif r["status"] == "cancelled" or (r["status"] == "in_progress" and pd.notna(r["deadline"])):
            out.append(Block("item", prose.other_task_sentence(r, a.plan, lang)))
    if len(earlier):
        out.append(
            Block("p", w["done_before"].format(tasks="; ".join(_ref(a, r, lang) for _, r in earlier.iterrows())))
        )
    rec, k = tasks[tasks["recurring"]], task_counts(tasks)
    if k.recurring:
        missing = rec[rec["status"] == "recurring_missing"]
        n = lambda x: fmt.number(x, 0, lang)  # noqa: E731
        if k.of("recurring_missing"):
            text = w["recurring_counts"].format(
                scope=scope,
                n=n(k.recurring),
                reported=n(k.of("recurring_reported")),
                missing=n(k.of("recurring_missing")),
            )
            out.append(Block("p", text))
            refs = "; ".join(_ref(a, r, lang) for _, r in missing.iterrows())
            out.append(Block("p", w["recurring_missing"].format(tasks=refs)))
        else:
            out.append(Block("p", w["recurring_all"].format(n=n(k.recurring), scope=scope)))
    return out


def target_blocks(a, targets: pd.DataFrame, lang: str) -> list[Block]:
    measured = targets[targets["measurable"]]
    return [Block("item", prose.target_sentence(r, a, lang)) for _, r in measured.iterrows()]


def _survey_blocks(a, lang: str) -> list[Block]:
    if a.tthc is None:
        return []
    o, w = a.tthc.overall, words(lang)
    if int(o.at["satisfaction_rate", "denominator"]) == 0:
        return []
    n = lambda k, c: fmt.number(int(o.at[k, c]), 0, lang)  # noqa: E731
    text = w["survey"].format(
        satisfied=n("satisfaction_rate", "numerator"),
        rated=n("satisfaction_rate", "denominator"),
        rate=fmt.percent(o.at["satisfaction_rate", "value"], 1, lang),
    )
    if int(o.at["land_satisfaction_rate", "denominator"]):
        text += w["survey_land"].format(
            satisfied=n("land_satisfaction_rate", "numerator"),
            rated=n("land_satisfaction_rate", "denominator"),
            rate=fmt.percent(o.at["land_satisfaction_rate", "value"], 1, lang),
        )
    return [Block("p", text)]


def section_direction(a, lang: str) -> list[Block]:
    w, plan = words(lang), a.plan
    out = [Block("h1", w["s1"])]
    parts = direction_items(a)
    for i, key in enumerate(SECTION_I, start=1):
        blocks: list[Block] = []
        if key == "plan":
            blocks.append(
                Block(
                    "p",
                    w["plan_issued"].format(
                        year=plan.year,
                        number=plan.meta["decision_number"],
                        date=fmt.date_short(plan.meta["decision_date"], lang),
                        targets=fmt.number(len(plan.targets), 0, lang),
                        tasks=fmt.number(len(plan.tasks), 0, lang),
                    ),
                )
            )
        if key == "survey":
            blocks += _survey_blocks(a, lang)
        tasks, targets = parts[key]
        blocks += task_blocks(a, tasks, lang, w["s1_topic"][key]) + target_blocks(a, targets, lang)
        blocks += [Block("p", t) for t in section_notes(a, key)]
        if not blocks:
            blocks.append(Block("p", w["nothing"].format(topic=w["s1_topic"][key])))
        out += [Block("h2", f"{i}. {w['s1_sub'][key]}"), *blocks]
    return out


# -- section II -----------------------------------------------------------------------------


def _tthc_area(a) -> str | None:
    """The area whose targets are measured from the dossier log (where the one-stop results go)."""
    from cchc_lib.assessment.tthc import DOSSIER_KPIS

    t = a.targets[a.targets["kpi"].isin(DOSSIER_KPIS)]
    return str(t["area_id"].iloc[0]) if len(t) else None


def tthc_blocks(a, lang: str) -> list[Block]:
    w = words(lang)
    table = annex.results_table_data(a)
    if table is None:
        return [Block("p", w["tthc_none"])]
    s = table.sum()
    n = lambda k: fmt.number(int(s[k]), 0, lang)  # noqa: E731
    return [
        Block(
            "p",
            w["tthc"].format(
                received=fmt.number(int(s["to_resolve"] - s["carried_over"]), 0, lang),
                online=n("new_online"),
                direct=n("new_direct"),
                postal=n("new_postal"),
                carried=n("carried_over"),
                resolved=n("resolved"),
                early=n("resolved_early"),
                on_time=n("resolved_on_time"),
                late=n("resolved_late"),
                pending=n("pending"),
                not_due=n("pending_not_due"),
                overdue=n("pending_overdue"),
            ),
        )
    ]


def area_blocks(a, area_id: str, lang: str) -> list[Block]:
    w = words(lang)
    n = lambda x: fmt.number(x, 0, lang)  # noqa: E731
    tasks = a.tasks[a.tasks["area_id"] == area_id]
    targets = a.targets[a.targets["area_id"] == area_id]
    dated, k = tasks[~tasks["recurring"]], task_counts(tasks)
    scope = w["area_scope"].format(area=prose.mid(a.plan.area_name(area_id, lang)))
    parts = []
    if len(targets):
        parts.append(w["n_targets"].format(n=n(len(targets))))
    if len(tasks):
        parts.append(w["n_tasks_split"].format(n=n(k.total), dated=n(k.dated), recurring=n(k.recurring)))
    out = []
    if parts:
        out.append(
            Block(
                "p",
                w["area_counts"].format(
                    parts=w["join_and"].join(parts),
                    area=prose.mid(a.plan.area_name(area_id, lang)),
                ),
            )
        )
    if len(dated):
        from cchc_lib.i18n import vocab

        dk = task_counts(dated).by_status
        by = [(s, dk[s]) for s in vocab.TASK_ORDER if dk.get(s)]
        text = ", ".join(f"{n(c)} {vocab.TASK_STATUS[lang][s].lower()}" for s, c in by)
        out.append(Block("p", w["task_counts"].format(end=fmt.date_short(a.window.end, lang), scope=scope, parts=text)))
    out += task_blocks(a, tasks, lang, scope) + target_blocks(a, targets, lang)
    if area_id == _tthc_area(a):
        out.append(Block("p", tthc_blocks(a, lang)[0].text))
    out += [Block("p", w["notes_lead"].format(text=t)) for t in notes(a, "highlights", area_id=area_id)]
    out += [Block("p", w["difficulty_lead"].format(text=t)) for t in notes(a, "difficulties", area_id=area_id)]
    return out


def section_results(a, lang: str) -> list[Block]:
    w = words(lang)
    out = [Block("h1", w["s2"])]
    direction = _direction_area(a.plan)
    areas = [x for x in a.plan.areas.sort_values("order")["area_id"] if x != direction]
    for i, area_id in enumerate(areas, start=1):
        out.append(Block("h2", f"{i}. {a.plan.area_name(area_id, lang)}"))
        out += area_blocks(a, area_id, lang) or [
            Block("p", w["nothing"].format(topic=prose.mid(a.plan.area_name(area_id, lang))))
        ]
    if _tthc_area(a) is None:
        out.append(Block("h2", f"{len(areas) + 1}. {w['tthc_heading']}"))
        out += tthc_blocks(a, lang)
    return out
