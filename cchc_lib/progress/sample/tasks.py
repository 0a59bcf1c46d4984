"""Quarterly task updates of the sample year: most on time, some late, a few overdue."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cchc_lib.progress.sample.calendar import _Calendar, _Documents
from cchc_lib.progress.sample.common import DONE, IN_PROGRESS, NOT_STARTED, _d, _pick

# --- tasks -------------------------------------------------------------------------------

_OVERDUE_NOTES = (
    "Chậm tiến độ do chờ văn bản hướng dẫn của cơ quan cấp trên",
    "Đang hoàn thiện dự thảo, trình lãnh đạo UBND xã cho ý kiến",
    "Công chức phụ trách kiêm nhiệm nhiều việc nên chưa hoàn thành",
)
_NOT_STARTED_NOTES = (
    "Chưa triển khai do chưa bố trí được kinh phí",
    "Chưa triển khai, chờ hướng dẫn của thành phố",
)
_RECURRING_NOTES = (
    "Lồng ghép trong cuộc họp giao ban hằng tháng",
    "Đã cập nhật trên Cổng thông tin điện tử của xã",
    "Phối hợp với các thôn triển khai",
    "Thực hiện theo kế hoạch của UBND thành phố",
)


def _doc_kind(product: str | None) -> str | None:
    """The kind of document a task's product is (None: a non-document product)."""
    text = (product or "").casefold()
    keys = {
        "kế hoạch": "KH",
        "quyết định": "QĐ",
        "báo cáo": "BC",
        "văn bản chỉ đạo": "CV",
        "thiết bị": None,
        "hạ tầng": None,
        "biên bản": None,
    }
    found = [(text.find(k), kind) for k, kind in keys.items() if k in text]
    if not found:
        return "BC"
    return min(found, key=lambda t: t[0])[1]


def _evidence_done(docs: _Documents, task, day: dt.date, city: str | None) -> str:
    """The document that proves a task done; a task led above the commune cites the city's own."""
    kind = _doc_kind(task.product if isinstance(task.product, str) else None)
    if kind is None:
        return f"Biên bản nghiệm thu ngày {_d(day)}"
    if city:
        return f"{docs.add(kind + '@city', day)} của UBND {city}"
    return docs.add(kind, day)


def _task_roles(plan, cal: _Calendar, rng) -> dict[str, str]:
    """Which deadline task plays which part in the year (deterministic for a seed)."""
    tasks = plan.tasks
    levels = dict(zip(plan.units["unit_id"], plan.units["level"]))
    dated = tasks[~tasks["recurring"].astype(bool) & tasks["deadline"].notna()].sort_values("task_id")
    roles: dict[str, str] = {}
    early, late_deadline = [], []
    q2_end = pd.Timestamp(cal.quarters[1]["end"])
    for t in dated.itertuples():
        if levels.get(t.lead_unit_id) == "city":
            roles[t.task_id] = "sparse"
        elif t.deadline <= q2_end:
            early.append(t.task_id)
        else:
            late_deadline.append(t.task_id)
    order = [early[i] for i in rng.permutation(len(early))]
    for task_id, role in zip(order, ("overdue_q4", "late", "not_started", "overdue_q3")):
        roles[task_id] = role
    if len(late_deadline) >= 4:  # one year-end task still running at the last report
        roles[late_deadline[int(rng.integers(len(late_deadline)))]] = "running"
    for task_id in early + late_deadline:
        roles.setdefault(task_id, "on_time")
    return roles


def _timeline(role: str, deadline: dt.date, cal: _Calendar, rng) -> tuple[list[str | None], dt.date | None]:
    """Status per quarter (None = no update) and the completion date, for a deadline task."""
    qs = cal.quarters
    nq = len(qs)
    start_floor = cal.year_start
    dq = cal.quarter_of(deadline)  # quarter whose report first covers the deadline (None: after Q4)
    done_on: dt.date | None = None
    begun: dt.date = start_floor
    status: list[str | None] = [None] * nq
    if role in ("on_time", "running"):
        span = min(240, max(10, int((deadline - start_floor).days * 0.6)))
        lo = max(start_floor, deadline - dt.timedelta(days=span))
        hi = min(deadline - dt.timedelta(days=1), cal.last_end)
        if role == "on_time" and hi >= lo:
            done_on = lo + dt.timedelta(days=int(((hi - lo).days) * rng.random() ** 0.7))
            done_on = max(lo, cal.workday_on_or_before(done_on))
            begun = done_on - dt.timedelta(days=int(rng.integers(30, 200)))
        else:
            begun = start_floor + dt.timedelta(days=int(rng.integers(60, 200)))
    elif role in ("late", "sparse"):
        first = qs[dq]["end"] + dt.timedelta(days=1) if dq is not None and dq + 1 < nq else None
        if first is not None:
            lo = max(first, deadline + dt.timedelta(days=20))
            hi = min(cal.last_end, deadline + dt.timedelta(days=120))
            if role == "sparse":  # the city finishes late in the year
                lo = max(lo, qs[min(2, nq - 1)]["start"])
                hi = max(lo, cal.last_end - dt.timedelta(days=20))
            hi = max(hi, lo)
            done_on = cal.random_workday(rng, lo, hi)
        begun = deadline - dt.timedelta(days=int(rng.integers(10, 60)))
    elif role == "overdue_q4":
        begun = deadline - dt.timedelta(days=int(rng.integers(10, 40)))
    elif role == "overdue_q3":
        begun = deadline - dt.timedelta(days=int(rng.integers(10, 40)))
        last = qs[-1]
        done_on = cal.random_workday(rng, last["start"] + dt.timedelta(days=5), last["end"] - dt.timedelta(days=10))
    elif role == "not_started":
        k = dq if dq is not None else nq - 1
        begun = qs[min(k, nq - 1)]["end"] + dt.timedelta(days=int(rng.integers(10, 40)))
        if k + 2 < nq:
            q = qs[k + 2]
            done_on = cal.random_workday(rng, q["start"] + dt.timedelta(days=5), q["end"] - dt.timedelta(days=5))
    for i, q in enumerate(qs):
        if done_on is not None and done_on <= q["end"]:
            status[i] = DONE
        elif begun <= q["end"]:
            status[i] = IN_PROGRESS
        else:
            status[i] = NOT_STARTED
    if role == "sparse":  # a unit above the commune: no update in every other quarter
        for i in range(0, nq, 2):
            status[i] = None
    return status, done_on


def _row(task_id, period, status, completed=None, evidence=None, note=None) -> dict:
    return {
        "task_id": task_id,
        "period": period,
        "status": status,
        "completed_on": completed,
        "evidence": evidence,
        "note": note,
    }


def _recurring_rows(recurring, rng, cal: _Calendar, docs: _Documents, quarter_report: list) -> list[dict]:
    """Standing duties: about 5 % of (task, quarter) pairs left unreported, the rest in progress
    or done, usually evidenced by the quarterly CCHC report."""
    qs = cal.quarters
    n_pairs = len(recurring) * len(qs)
    missing: set[tuple[int, int]] = set()
    if n_pairs:
        k = max(3, round(0.05 * n_pairs))
        picks = rng.choice(n_pairs, size=min(k, n_pairs), replace=False)
        missing = {(int(p) // len(qs), int(p) % len(qs)) for p in picks}
    rows = []
    for ti, t in enumerate(recurring.itertuples()):
        for qi, q in enumerate(qs):
            u = rng.random(4)
            if (ti, qi) in missing:
                continue
            status = DONE if u[0] < 0.2 else IN_PROGRESS
            if u[1] < 0.5:
                evidence = quarter_report[qi]
            elif u[1] < 0.75:
                kind = _pick(rng, ("BC", "KH", "CV", "TB"))
                evidence = docs.add(kind, cal.random_workday(rng, q["start"] + dt.timedelta(days=5), q["end"]))
            else:
                evidence = None
            note = _pick(rng, _RECURRING_NOTES) if u[2] < 0.1 else None
            rows.append(_row(t.task_id, q["code"], status, None, evidence, note))
    return rows


def _dated_rows(plan, dated, roles: dict, rng, cal: _Calendar, docs: _Documents) -> list[dict]:
    """Dated tasks follow the timeline of their role (on time, late, overdue, city-led …)."""
    unit_names = dict(zip(plan.units["unit_id"], plan.units["name"]))
    levels = dict(zip(plan.units["unit_id"], plan.units["level"]))
    rows = []
    for t in dated.itertuples():
        role = roles[t.task_id]
        deadline = t.deadline.date()
        status, done_on = _timeline(role, deadline, cal, rng)
        city_unit = unit_names.get(t.lead_unit_id) if levels.get(t.lead_unit_id) == "city" else None
        city = str(plan.meta.get("city") or "thành phố") if city_unit else None
        done_ref = _evidence_done(docs, t, done_on, city) if done_on is not None else None
        first_done = True
        for qi, q in enumerate(cal.quarters):
            s = status[qi]
            if s is None:
                continue
            past_due = deadline < q["end"]
            evidence = note = completed = None
            if s == DONE:
                completed = _d(done_on)
                evidence = done_ref
                if first_done and done_on > deadline:
                    note = "Hoàn thành chậm so với thời hạn của kế hoạch"
                first_done = False
            elif s == IN_PROGRESS:
                if rng.random() < 0.35:
                    evidence = docs.add("CV", cal.random_workday(rng, q["start"] + dt.timedelta(days=3), q["end"]))
                    evidence += " về việc triển khai thực hiện"
                if past_due:
                    note = _pick(rng, _OVERDUE_NOTES)
                if role == "sparse" and city_unit:
                    note = f"Nhiệm vụ do {city_unit} chủ trì; xã phối hợp, chờ văn bản triển khai"
            elif s == NOT_STARTED and past_due:
                note = _pick(rng, _NOT_STARTED_NOTES)
            rows.append(_row(t.task_id, q["code"], s, completed, evidence, note))
    return rows


def _gen_tasks(plan, rng, cal: _Calendar, docs: _Documents) -> list[dict]:
    # Draw order is fixed (roles, quarterly reports, standing duties, dated tasks): changing it
    # changes every sample file.
    tasks = plan.tasks.sort_values("task_id")
    roles = _task_roles(plan, cal, rng)
    quarter_report = [
        docs.add("BC", cal.random_workday(rng, q["end"] - dt.timedelta(days=10), q["end"])) for q in cal.quarters
    ]
    recurring = tasks[tasks["recurring"].astype(bool)]
    rows = _recurring_rows(recurring, rng, cal, docs, quarter_report)
    dated = tasks[~tasks["recurring"].astype(bool) & tasks["deadline"].notna()]
    rows += _dated_rows(plan, dated, roles, rng, cal, docs)
    rows.sort(key=lambda r: (r["period"], r["task_id"]))
    return rows
