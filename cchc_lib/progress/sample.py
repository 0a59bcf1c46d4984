"""Synthetic progress data ("dữ liệu mẫu") for a plan: one plausible, deterministic year.

``write_sample(plan, out_dir, seed)`` writes the five progress inputs that
``progress.load_progress`` reads (``tasks``, ``indicators``, ``dossiers``, ``feedback``,
``notes``) plus a ``meta.toml`` that marks the folder as sample data, so that every report
built on it can say so. Everything is derived from the plan's own tables (targets, tasks,
areas, units, year); no target or task id is written into the code, so another plan (or
next year's) gets its own sample.

The year is shaped to exercise the assessment rather than to flatter it:

* tasks: most deadline tasks done on time; some done late, two overdue (one through the
  whole year, one until Q3), one not started by its deadline; tasks led by a unit above
  the commune left without updates in some quarters; standing duties reported in most
  quarters, with a few quarters missing. A finished task is reported again in every later
  quarter as "Hoàn thành" with the same completion date (each quarter's sheet is complete
  on its own);
* indicators: quarterly trajectories rising towards the year-end target, about 60 %
  met, some slightly below, a few clearly missed; some given as numerator/denominator;
* dossiers: a commune one-stop log (≈3,500 dossiers from 15/12 of the previous year to
  31/12), online share rising from about a quarter to about a half, land dossiers later
  and less satisfied than the rest (the 85 % land target is missed);
* feedback and notes: petitions with one or two late and one pending at year end;
  quarterly notes in administrative Vietnamese (including ``&``, ``<``, ``>`` and quotes,
  which the reports must escape).

Randomness comes only from ``numpy.random.default_rng`` seeded with ``[seed, part]`` (one
independent stream per file), rows are sorted and numbers formatted with fixed rules, so
the same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.core import paths
from cchc_lib.core.periods import window

__all__ = [
    "DEFAULT_SEED",
    "DESCRIPTION",
    "GENERATOR",
    "GENERATOR_VERSION",
    "SAMPLE_DIRNAME",
    "SAMPLE_FILES",
    "default_sample_dir",
    "ensure_sample",
    "write_sample",
]

SAMPLE_DIRNAME = "sample"
DEFAULT_SEED = 2024
GENERATOR = "cchc sample-data"
GENERATOR_VERSION = 1  # bump when the generated data changes, so ensure_sample rewrites it
DESCRIPTION = "DỮ LIỆU MẪU — số liệu tổng hợp ngẫu nhiên (có kiểm soát) để minh họa, không phải số liệu thật của xã"
SAMPLE_FILES = ("meta.toml", "tasks.csv", "indicators.csv", "dossiers.csv", "feedback.csv", "notes.csv")

# One independent random stream per part: changing one generator leaves the others' output alone.
_PART = {"tasks": 1, "indicators": 2, "dossiers": 3, "feedback": 4, "notes": 5}

_HEADERS = {
    "tasks": ("task_id", "period", "status", "completed_on", "evidence", "note"),
    "indicators": ("target_id", "period", "value", "numerator", "denominator", "source", "note"),
    "dossiers": (
        "dossier_id",
        "field",
        "procedure",
        "received_date",
        "due_date",
        "returned_date",
        "channel",
        "dossier_digitized",
        "result_digitized",
        "rating",
    ),
    "feedback": ("feedback_id", "received_date", "due_date", "resolved_date", "rating", "summary"),
    "notes": ("period", "area_id", "highlights", "difficulties", "proposals", "section", "text"),
}

# Vocabulary as an analyst types it (all accepted by progress.TASK_STATUSES, CHANNELS, RATINGS).
NOT_STARTED, IN_PROGRESS, DONE = "Chưa thực hiện", "Đang thực hiện", "Hoàn thành"
ONLINE, DIRECT, POSTAL = "Trực tuyến", "Trực tiếp", "Bưu chính công ích"
YES, NO = "Có", "Không"
VERY_SATISFIED, SATISFIED, NEUTRAL, DISSATISFIED = "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"


# --- public API --------------------------------------------------------------------------


def default_sample_dir(plan) -> Path:
    """Where the sample data of a plan lives: ``data/progress/<plan-id>/sample``."""
    return paths.data_root() / "progress" / plan.plan_id / SAMPLE_DIRNAME


def write_sample(plan, out_dir, seed: int = DEFAULT_SEED) -> Path:
    """Write a synthetic year of progress inputs for ``plan`` into ``out_dir``; return it.

    The folder is created if missing; files of the same names are overwritten, nothing
    else in it is touched. The same plan and seed always give byte-identical files.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed phải là số nguyên không âm (đang là {seed!r})")
    seed = int(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cal = _Calendar(int(plan.year))
    docs = _Documents()
    tables = {
        "tasks": _gen_tasks(plan, _rng(seed, "tasks"), cal, docs),
        "indicators": _gen_indicators(plan, _rng(seed, "indicators"), cal),
        "dossiers": _gen_dossiers(plan, _rng(seed, "dossiers"), cal),
        "feedback": _gen_feedback(plan, _rng(seed, "feedback"), cal),
        "notes": _gen_notes(plan, _rng(seed, "notes"), cal),
    }
    tables["tasks"] = docs.resolve(tables["tasks"])
    for kind, rows in tables.items():
        _write_csv(out / f"{kind}.csv", _HEADERS[kind], rows)
    (out / "meta.toml").write_text(_meta_toml(plan, seed), encoding="utf-8-sig", newline="")
    return out


def ensure_sample(plan, seed: int = DEFAULT_SEED) -> Path:
    """The plan's sample folder, (re)written when missing, incomplete or from another seed/version."""
    folder = default_sample_dir(plan)
    if not _is_current(folder, plan, seed):
        write_sample(plan, folder, seed)
    return folder


def _is_current(folder: Path, plan, seed: int) -> bool:
    if not all((folder / name).is_file() for name in SAMPLE_FILES):
        return False
    try:
        meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False
    return (
        meta.get("sample") is True
        and meta.get("generator") == GENERATOR
        and meta.get("generator_version") == GENERATOR_VERSION
        and meta.get("seed") == seed
        and meta.get("plan_id") == plan.plan_id
    )


# --- plumbing ----------------------------------------------------------------------------


def _rng(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng([seed, _PART[part]])


def _toml_str(text: str) -> str:
    # A JSON string (non-ASCII kept) is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _meta_toml(plan, seed: int) -> str:
    lines = [
        "# Dữ liệu mẫu do 'cchc sample-data' tạo ra; không phải số liệu thật.",
        "sample = true",
        f"description = {_toml_str(DESCRIPTION)}",
        f"plan_id = {_toml_str(plan.plan_id)}",
        f"year = {int(plan.year)}",
        f"seed = {seed}",
        f"generator = {_toml_str(GENERATOR)}",
        f"generator_version = {GENERATOR_VERSION}",
    ]
    return "\n".join(lines) + "\n"


def _write_csv(path: Path, header: tuple[str, ...], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # what Excel writes for "CSV UTF-8"
    writer.writerow(header)
    for r in rows:
        writer.writerow(["" if r.get(h) is None else str(r.get(h)) for h in header])
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def _d(day) -> str:
    """dd/mm/yyyy for a date, a Timestamp or a numpy datetime64; empty for missing."""
    if day is None or (isinstance(day, float) and math.isnan(day)):
        return ""
    if isinstance(day, np.datetime64):
        if np.isnat(day):
            return ""
        day = day.astype("datetime64[D]").item()
    if isinstance(day, pd.Timestamp):
        if pd.isna(day):
            return ""
        day = day.date()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _num(x: float, decimals: int = 1) -> str:
    """Fixed formatting: at most ``decimals`` decimals, no trailing zeros, '.' as decimal point."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


# --- calendar ----------------------------------------------------------------------------

# Lunar-calendar public holidays (Tết Nguyên đán break, Giỗ Tổ Hùng Vương) of recent years;
# a year not listed simply has only the fixed-date holidays.
_LUNAR_HOLIDAYS = {
    2023: (("2023-01-20", "2023-01-26"), ("2023-04-29", "2023-04-29")),
    2024: (("2024-02-08", "2024-02-14"), ("2024-04-18", "2024-04-18")),
    2025: (("2025-01-25", "2025-02-02"), ("2025-04-07", "2025-04-07")),
    2026: (("2026-02-14", "2026-02-22"), ("2026-04-26", "2026-04-26")),
}
# Bridge days the government swapped in some years.
_EXTRA_HOLIDAYS = {2024: ("2024-04-29", "2024-09-03"), 2025: ("2025-09-01",)}


class _Calendar:
    """Working days of the plan year and the quarters' windows (both conventions)."""

    def __init__(self, year: int):
        self.year = year
        days: set[np.datetime64] = set()
        for y in (year - 1, year, year + 1):
            for md in ("01-01", "04-30", "05-01", "09-02"):
                days.add(np.datetime64(f"{y}-{md}"))
            for start, end in _LUNAR_HOLIDAYS.get(y, ()):
                days.update(np.arange(np.datetime64(start), np.datetime64(end) + 1))
            days.update(np.datetime64(d) for d in _EXTRA_HOLIDAYS.get(y, ()))
        self.holidays = np.array(sorted(days), dtype="datetime64[D]")
        self.quarters = []
        for q in range(1, 5):
            code = f"{year}-Q{q}"
            w, c = window(code, "nd09"), window(code, "calendar")
            self.quarters.append({"code": code, "n": q, "start": w.start, "end": w.end, "cal_end": c.end})
        self.year_start = self.quarters[0]["start"]  # 15/12 of the previous year
        self.last_end = self.quarters[-1]["end"]  # 14/12: the last day a completion can be reported

    def is_workday(self, day: dt.date) -> bool:
        return bool(np.is_busday(np.datetime64(day), holidays=self.holidays))

    def workday_on_or_before(self, day: dt.date) -> dt.date:
        return np.busday_offset(np.datetime64(day), 0, roll="backward", holidays=self.holidays).item()

    def random_workday(self, rng, lo: dt.date, hi: dt.date) -> dt.date:
        """A working day in [lo, hi] (hi itself if the span holds none)."""
        span = max(0, (hi - lo).days)
        day = lo + dt.timedelta(days=int(rng.integers(span + 1)))
        day = self.workday_on_or_before(day)
        return day if day >= lo else hi

    def quarter_of(self, day: dt.date) -> int | None:
        """Index of the first quarter whose nd09 window end is on or after ``day``."""
        for i, q in enumerate(self.quarters):
            if day <= q["end"]:
                return i
        return None


# --- document references -----------------------------------------------------------------


class _Documents:
    """Numbers documents (Kế hoạch số 12/KH-UBND …) in date order, per type and year.

    The generators register a document with its date and get a placeholder; once every
    document is known the numbers are assigned so that they grow with the date, at a
    rate that looks like a commune's register (other documents fill the gaps).
    """

    KINDS = {  # prefix, number suffix, documents per day of the year
        "KH": ("Kế hoạch", "KH-UBND", 0.55),
        "BC": ("Báo cáo", "BC-UBND", 0.9),
        "QĐ": ("Quyết định", "QĐ-UBND", 0.75),
        "CV": ("Công văn", "UBND-VP", 1.6),
        "TB": ("Thông báo", "TB-UBND", 0.35),
    }

    def __init__(self):
        self.items: list[tuple[str, dt.date]] = []

    def add(self, kind: str, day: dt.date) -> str:
        self.items.append((kind, day))
        return f"\x00{len(self.items) - 1}\x00"

    def _numbers(self) -> dict[int, str]:
        out = {}
        groups: dict[tuple[str, int], list[int]] = {}
        for i, (kind, day) in enumerate(self.items):
            groups.setdefault((kind, day.year), []).append(i)
        for (kind, _), idx in groups.items():
            base, _, issuer = kind.partition("@")  # "KH@city": a series of the city's register
            label, suffix, rate = self.KINDS[base]
            rate *= 3 if issuer else 1
            prev = 0
            for i in sorted(idx, key=lambda j: (self.items[j][1], j)):
                day = self.items[i][1]
                n = max(prev + 1, int(rate * day.timetuple().tm_yday) + 1)
                prev = n
                out[i] = f"{label} số {n}/{suffix} ngày {_d(day)}"
        return out

    def resolve(self, rows: list[dict]) -> list[dict]:
        numbers = self._numbers()
        for r in rows:
            text = r.get("evidence")
            if text and "\x00" in text:
                parts = text.split("\x00")
                r["evidence"] = "".join(numbers[int(p)] if k % 2 else p for k, p in enumerate(parts))
        return rows


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


def _gen_tasks(plan, rng, cal: _Calendar, docs: _Documents) -> list[dict]:
    tasks = plan.tasks.sort_values("task_id")
    unit_names = dict(zip(plan.units["unit_id"], plan.units["name"]))
    levels = dict(zip(plan.units["unit_id"], plan.units["level"]))
    roles = _task_roles(plan, cal, rng)
    qs = cal.quarters
    rows: list[dict] = []

    # Standing duties: a quarterly CCHC report each quarter is the usual evidence.
    quarter_report = [docs.add("BC", cal.random_workday(rng, q["end"] - dt.timedelta(days=10), q["end"])) for q in qs]
    recurring = tasks[tasks["recurring"].astype(bool)]
    n_pairs = len(recurring) * len(qs)
    missing: set[tuple[int, int]] = set()
    if n_pairs:
        k = max(3, round(0.05 * n_pairs))
        picks = rng.choice(n_pairs, size=min(k, n_pairs), replace=False)
        missing = {(int(p) // len(qs), int(p) % len(qs)) for p in picks}
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
            rows.append(
                {
                    "task_id": t.task_id,
                    "period": q["code"],
                    "status": status,
                    "completed_on": None,
                    "evidence": evidence,
                    "note": note,
                }
            )

    dated = tasks[~tasks["recurring"].astype(bool) & tasks["deadline"].notna()]
    for t in dated.itertuples():
        role = roles[t.task_id]
        deadline = t.deadline.date()
        status, done_on = _timeline(role, deadline, cal, rng)
        city_unit = unit_names.get(t.lead_unit_id) if levels.get(t.lead_unit_id) == "city" else None
        city = str(plan.meta.get("city") or "thành phố") if city_unit else None
        done_ref = _evidence_done(docs, t, done_on, city) if done_on is not None else None
        first_done = True
        for qi, q in enumerate(qs):
            s = status[qi]
            if s is None:
                continue
            past_due = deadline < q["end"]
            evidence = note = None
            completed = None
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
            rows.append(
                {
                    "task_id": t.task_id,
                    "period": q["code"],
                    "status": s,
                    "completed_on": completed,
                    "evidence": evidence,
                    "note": note,
                }
            )
    rows.sort(key=lambda r: (r["period"], r["task_id"]))
    return rows


# --- indicators --------------------------------------------------------------------------

# What a percentage's denominator counts, from the plan's wording: (keywords, low, high).
_DENOMINATORS = (
    (("máy tính",), 16, 24),
    (("hệ thống thông tin",), 3, 6),
    (("thôn", "tổ dân phố"), 6, 12),
    (("hộ gia đình",), 1800, 2600),
    (("từ 15 tuổi",), 5200, 6800),
    (("người dân trên địa bàn",), 7500, 9200),
    (("được khảo sát",), 150, 260),
    (("cán bộ", "công chức", "viên chức"), 18, 26),
    (("giải pháp",), 4, 8),
    (("văn bản", "vbqppl"), 3, 8),
    (("quyết định công bố",), 3, 6),
    (("cơ quan, đơn vị",), 3, 6),
    (("dịch vụ công trực tuyến",), 60, 95),
    (("tthc",), 105, 130),
)

_SOURCES = (
    (("văn bản điện tử", "chữ ký số"), "Hệ thống quản lý văn bản và điều hành"),
    (("hue-s", "ví điện tử"), "Số liệu của Tổ công nghệ số cộng đồng"),
    (("định danh điện tử",), "Số liệu của Công an xã"),
    (("internet", "điện thoại thông minh", "thanh toán điện tử"), "Tổ công nghệ số cộng đồng; doanh nghiệp viễn thông"),
    (("hài lòng",), "Kết quả khảo sát của UBND xã"),
    (("hồ sơ", "dvctt", "tthc", "một cửa"), "Hệ thống thông tin giải quyết TTHC của tỉnh"),
)

_INDICATOR_NOTES = (
    "Số liệu tạm tính đến ngày chốt báo cáo",
    "Theo danh sách cập nhật đầu năm",
    "Đã đối chiếu với báo cáo của các thôn",
    "Số liệu ước tính",
)


def _unit_abbr(name: str) -> str:
    """'Văn hoá – Xã hội' → 'VH-XH'."""
    parts = [p for p in (s.strip() for s in name.replace("—", "–").replace("-", "–").split("–")) if p]
    return "-".join("".join(w[0].upper() for w in p.split()) for p in parts)


def _source(t, unit_names: dict, levels: dict) -> str:
    text = str(t.indicator).casefold()
    for keys, source in _SOURCES:
        if any(k in text for k in keys):
            return source
    unit = t.lead_unit_id if isinstance(t.lead_unit_id, str) else None
    name = unit_names.get(unit)
    if not name:
        return "Báo cáo của UBND xã"
    if levels.get(unit) == "commune" and any(d in name for d in "–—-"):
        return f"Báo cáo của công chức {_unit_abbr(name)}"
    return f"Báo cáo của {name}"


def _denominator(t, rng) -> int | None:
    # What the count is of: the wording before any parenthesis ("(trừ văn bản Mật)").
    text = (t.denominator if isinstance(t.denominator, str) else "").split("(")[0].casefold()
    if not text or "hồ sơ" in text:
        return None
    for keys, lo, hi in _DENOMINATORS:
        if any(k in text for k in keys):
            return int(rng.integers(lo, hi + 1))
    return None


def _final_value(tv: float, comparator: str, unit: str, outcome: str, rng) -> float:
    """Year-end value for an outcome: 'met', 'near' (slightly short), 'missed'."""
    up = comparator != "≤"  # '≥' and '=' are approached from below
    if unit == "percent":
        room = 100 - tv if up else tv
        if outcome == "met":
            gain = 0 if comparator == "=" else rng.uniform(0, min(12, room)) * (rng.random() < 0.7)
            v = tv + gain if up else tv - gain
        elif outcome == "near":
            v = tv - rng.uniform(1, 5) if up else tv + rng.uniform(1, 5)
        else:
            v = tv - rng.uniform(10, 25) if up else tv + rng.uniform(10, 25)
        return float(np.clip(v, 0, 100))
    if unit == "rating":
        return float(np.clip(tv if outcome == "met" else tv - 1, 1, 4))
    step = {"met": 0.0, "near": 0.15, "missed": 0.4}[outcome]
    if unit == "per_month":
        return max(0.0, tv * (1 - step) if up else tv * (1 + step))
    return max(0.0, round(tv * (1 - step)) if up else round(tv * (1 + step)))


def _numerators(values, den: int, tv: float, up: bool, outcome: str) -> list[int]:
    """Counts out of ``den`` that follow a percentage path, never falling back, with the
    year-end outcome kept (a miss stays below the target after rounding, a hit reaches it)."""
    need = math.ceil(tv * den / 100 - 1e-9)  # smallest count that meets a '≥' target
    nums = np.clip(np.round(np.asarray(values, dtype=float) * den / 100), 0, den).astype(int)
    if up:
        if outcome == "met":
            nums[-1] = max(nums[-1], need)
        else:
            nums = np.minimum(nums, max(0, need - 1))
        nums = np.maximum.accumulate(nums)
    else:  # '≤': the count falls towards the ceiling
        ceiling = math.floor(tv * den / 100 + 1e-9)
        if outcome == "met":
            nums[-1] = min(nums[-1], ceiling)
        else:
            nums = np.maximum(nums, min(den, ceiling + 1))
        nums = np.minimum.accumulate(nums)
    return [int(x) for x in nums]


def _gen_indicators(plan, rng, cal: _Calendar) -> list[dict]:
    t = plan.targets
    kpi = t["kpi"].astype("string").fillna("").str.strip()
    chosen = t[t["measurable"].astype(bool) & (kpi == "")].sort_values("target_id")
    unit_names = dict(zip(plan.units["unit_id"], plan.units["name"]))
    levels = dict(zip(plan.units["unit_id"], plan.units["level"]))
    n = len(chosen)
    n_missed = max(1, round(0.12 * n)) if n >= 4 else 0
    n_near = max(1, round(0.28 * n)) if n >= 3 else 0
    outcomes = np.array(["met"] * n, dtype=object)
    perm = rng.permutation(n)
    outcomes[perm[:n_missed]] = "missed"
    outcomes[perm[n_missed : n_missed + n_near]] = "near"
    nq = len(cal.quarters)
    # A couple of targets lack a value in one quarter (the row is simply absent).
    gaps = {int(i): int(rng.integers(nq - 1)) for i in rng.choice(n, size=min(2, n), replace=False)} if n else {}
    rows = []
    for i, tr in enumerate(chosen.itertuples()):
        tv, comp, unit = float(tr.target_value), str(tr.comparator), str(tr.unit)
        outcome = outcomes[i]
        final = _final_value(tv, comp, unit, outcome, rng)
        up = comp != "≤"
        den = _denominator(tr, rng) if unit == "percent" else None
        use_ratio = den is not None and ("máy tính" in str(tr.denominator).casefold() or rng.random() < 0.4)
        source = _source(tr, unit_names, levels)
        if unit == "percent":
            already = tv >= 100 and outcome == "met" and rng.random() < 0.3  # steady 100 % all year
            gap = 0.0 if already else rng.uniform(6, 25)
            steps = np.sort(rng.uniform(0, 1, nq - 1))
            frac = np.append(np.clip(steps * np.array([0.6, 0.85, 1.0][: nq - 1]), 0, 1), 1.0)
            values = final - gap * (1 - frac) if up else final + gap * (1 - frac)
            values = np.clip(values, 0, 100)
            values = np.maximum.accumulate(values) if up else np.minimum.accumulate(values)
            values = np.round(values, 1)
            values[-1] = round(final, 1)
            if outcome != "met":  # rounding must not turn a miss into a hit
                values[-1] = min(values[-1], tv - 0.1) if up else max(values[-1], tv + 0.1)
            values = np.maximum.accumulate(values) if up else np.minimum.accumulate(values)
        elif unit == "per_month":
            target_q = max(1, math.ceil(tv * 3 - 1e-9))
            final_q = {"met": target_q + int(rng.integers(0, 2)), "near": target_q - 1, "missed": max(0, target_q - 2)}[
                outcome
            ]
            counts = [max(0, final_q + int(rng.integers(-1, 2))) for _ in range(nq - 1)] + [final_q]
            values = np.array(counts, dtype=float) / 3
        elif unit == "rating":
            values = np.full(nq, final)
        else:  # count: cumulative, growing to the year-end figure
            frac = np.array([(q + 1) / nq for q in range(nq)])
            values = np.round(final * frac)
        nums = _numerators(values, den, tv, up, outcome) if use_ratio else None
        for qi, q in enumerate(cal.quarters):
            if gaps.get(i) == qi:
                continue
            row = {
                "target_id": tr.target_id,
                "period": q["code"],
                "value": None,
                "numerator": None,
                "denominator": None,
                "source": source,
                "note": _pick(rng, _INDICATOR_NOTES) if rng.random() < 0.12 else None,
            }
            if nums is not None:
                row["numerator"], row["denominator"] = str(nums[qi]), str(den)
            else:
                row["value"] = _num(float(values[qi]), 2 if unit == "per_month" else 1)
            rows.append(row)
    rows.sort(key=lambda r: (r["period"], r["target_id"]))
    return rows


# --- dossiers ----------------------------------------------------------------------------

# field: (share, late probability, [(procedure, weight, working days, online logit offset)])
_FIELDS = {
    "Chứng thực": (
        0.45,
        0.004,
        (
            ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", 0.78, 0, -0.35),
            ("Chứng thực chữ ký trong các giấy tờ, văn bản", 0.12, 0, -3.0),
            ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 0.04, 2, -2.0),
            ("Chứng thực văn bản thỏa thuận phân chia di sản", 0.03, 3, -2.0),
            ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", 0.03, 2, -2.0),
        ),
    ),
    "Hộ tịch": (
        0.30,
        0.015,
        (
            ("Đăng ký khai sinh", 0.28, 0, 0.9),
            (
                "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                0.08,
                3,
                2.2,
            ),
            ("Đăng ký khai tử", 0.12, 0, 0.5),
            ("Đăng ký kết hôn", 0.12, 0, 0.2),
            ("Xác nhận tình trạng hôn nhân", 0.20, 3, 0.9),
            ("Cấp bản sao trích lục hộ tịch", 0.12, 0, 0.9),
            ("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 0.06, 3, 0.1),
            ("Đăng ký nhận cha, mẹ, con", 0.02, 3, -0.3),
        ),
    ),
    "Lao động – Thương binh và Xã hội": (
        0.10,
        0.05,
        (
            ("Xác nhận hồ sơ hưởng chế độ ưu đãi người có công", 0.15, 5, -0.2),
            ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", 0.28, 7, 0.1),
            ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", 0.12, 3, -0.5),
            ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", 0.08, 10, -0.5),
            ("Xác nhận đối tượng được miễn, giảm học phí", 0.25, 3, 0.4),
            ("Đăng ký hỗ trợ tiền điện cho hộ nghèo, hộ chính sách xã hội", 0.12, 5, 0.0),
        ),
    ),
    "Đất đai": (
        0.07,
        0.14,
        (
            ("Hòa giải tranh chấp đất đai", 0.20, 30, -1.5),
            ("Xác nhận nguồn gốc, hiện trạng sử dụng đất", 0.35, 10, -0.3),
            ("Xác nhận hồ sơ đề nghị cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 0.25, 20, -0.4),
            ("Xác nhận đơn đề nghị cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất", 0.20, 5, 0.0),
        ),
    ),
    "Xây dựng": (
        0.03,
        0.06,
        (
            ("Tiếp nhận thông báo khởi công xây dựng nhà ở riêng lẻ", 0.55, 1, 0.2),
            ("Xác nhận hiện trạng nhà ở, công trình xây dựng", 0.45, 5, -0.3),
        ),
    ),
    "Văn hóa": (
        0.02,
        0.03,
        (
            ("Xét tặng danh hiệu Gia đình văn hóa hằng năm", 0.45, 5, 0.5),
            ("Thông báo tổ chức lễ hội cấp xã", 0.30, 5, 0.0),
            ("Đăng ký tổ chức lễ hội cấp xã", 0.25, 5, 0.0),
        ),
    ),
    "Nông nghiệp": (
        0.015,
        0.05,
        (
            ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", 0.6, 10, -0.5),
            ("Xác nhận đơn đề nghị hỗ trợ giống cây trồng, vật nuôi", 0.4, 5, 0.0),
        ),
    ),
    "Thi đua – Khen thưởng": (
        0.01,
        0.03,
        (
            ("Tặng Giấy khen của Chủ tịch UBND cấp xã về thực hiện nhiệm vụ chính trị", 0.6, 10, 0.0),
            ("Tặng Giấy khen của Chủ tịch UBND cấp xã cho gia đình", 0.4, 10, 0.0),
        ),
    ),
    "Nuôi con nuôi": (0.005, 0.05, (("Đăng ký nuôi con nuôi trong nước", 1.0, 20, -0.5),)),
}
LAND_FIELD = "Đất đai"
# Share of rated dossiers whose rating is "satisfied", per field (exact, so the land target is missed).
_SATISFIED = {
    "Chứng thực": 0.93,
    "Hộ tịch": 0.92,
    "Lao động – Thương binh và Xã hội": 0.88,
    LAND_FIELD: 0.79,
    "Xây dựng": 0.85,
    "Văn hóa": 0.92,
}
_TARGET_DOSSIERS = 3500
# Month factors for the volume of dossiers: pre-Tết rush, school enrolment in summer, floods in autumn.
_MONTH_VOLUME = {
    1: 1.35,
    2: 0.85,
    3: 1.0,
    4: 0.95,
    5: 1.0,
    6: 1.1,
    7: 1.15,
    8: 1.15,
    9: 0.95,
    10: 0.85,
    11: 0.9,
    12: 1.05,
}
_MONTH_LATE = {1: 1.4, 2: 1.2, 10: 1.6, 11: 1.6}  # rush before Tết; storms and floods in autumn


def _gen_dossiers(plan, rng, cal: _Calendar) -> list[dict]:
    year = cal.year
    first = np.datetime64(cal.year_start)
    last = np.datetime64(f"{year}-12-31")
    end_of_data = last
    days = np.arange(first, last + 1)
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    working = np.is_busday(days, holidays=cal.holidays)
    saturday = (weekday == 5) & ~np.isin(days, cal.holidays)
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    weight = np.where(working, 1.0, np.where(saturday, 0.12, 0.0)) * np.vectorize(_MONTH_VOLUME.get)(months)
    lam = weight * _TARGET_DOSSIERS / weight.sum()
    per_day = rng.poisson(lam)
    received = np.repeat(days, per_day)
    n = len(received)
    t = (received - first).astype("int64") / float((last - first).astype("int64"))  # 0 … 1 over the data span

    names = list(_FIELDS)
    shares = np.array([_FIELDS[f][0] for f in names])
    field_idx = rng.choice(len(names), size=n, p=shares / shares.sum())
    procedure = np.empty(n, dtype=object)
    proc_days = np.zeros(n, dtype=int)
    offset = np.zeros(n)
    late_p = np.zeros(n)
    for fi, name in enumerate(names):
        sel = np.flatnonzero(field_idx == fi)
        procs = _FIELDS[name][2]
        w = np.array([p[1] for p in procs])
        pick = rng.choice(len(procs), size=len(sel), p=w / w.sum())
        procedure[sel] = [procs[k][0] for k in pick]
        proc_days[sel] = [procs[k][2] for k in pick]
        offset[sel] = [procs[k][3] for k in pick]
        late_p[sel] = _FIELDS[name][1]
    field = np.array(names, dtype=object)[field_idx]

    # Channel: the online share rises through the year; fields differ (hộ tịch high, chứng thực low).
    base = 0.15 + 0.37 * t
    logit = np.log(base / (1 - base)) + offset + 0.3
    p_online = 1 / (1 + np.exp(-logit))
    u = rng.random((n, 8))
    online = u[:, 0] < p_online
    postal_p = np.where(np.isin(field, ["Lao động – Thương binh và Xã hội", LAND_FIELD, "Nuôi con nuôi"]), 0.02, 0.004)
    postal = ~online & (u[:, 1] < postal_p)
    channel = np.where(online, ONLINE, np.where(postal, POSTAL, DIRECT))

    # Due date: received + processing time in working days (same day when 0).
    due = np.where(
        proc_days == 0, received, np.busday_offset(received, proc_days, roll="forward", holidays=cal.holidays)
    )
    rec_month = received.astype("datetime64[M]").astype(int) % 12 + 1
    late_p = late_p * np.vectorize(lambda m: _MONTH_LATE.get(m, 1.0))(rec_month)
    late = u[:, 2] < late_p
    lo = np.where(proc_days <= 1, 0, proc_days - np.maximum(1, proc_days // 2))
    k = lo + np.floor(u[:, 3] * (proc_days - lo + 1)).astype(int)
    on_time_return = np.where(k == 0, received, np.busday_offset(received, k, roll="forward", holidays=cal.holidays))
    max_delay = np.where(field == LAND_FIELD, 15, 5)
    delay = 1 + np.floor(u[:, 4] * max_delay).astype(int)
    late_return = np.busday_offset(due, delay, roll="forward", holidays=cal.holidays)
    returned = np.where(late, late_return, on_time_return).astype("datetime64[D]")
    returned = np.where(returned > end_of_data, np.datetime64("NaT"), returned)
    # A few dossiers stuck past their due date at year end (waiting for a site check, another agency).
    stuck_pool = np.flatnonzero(
        np.isin(field, [LAND_FIELD, "Lao động – Thương binh và Xã hội", "Xây dựng"])
        & (due >= np.datetime64(f"{year}-10-01"))
        & (due <= np.datetime64(f"{year}-12-10"))
        & ~np.isnat(returned)
    )
    if len(stuck_pool):
        stuck = rng.choice(stuck_pool, size=min(5, len(stuck_pool)), replace=False)
        returned[stuck] = np.datetime64("NaT")
    pending = np.isnat(returned)
    is_late = ~pending & (returned > due)

    # Digitisation: online dossiers are electronic; paper ones are scanned more and more often.
    dossier_dig = online | (u[:, 5] < 0.55 + 0.22 * t)
    result_dig = u[:, 6] < 0.62 + 0.24 * t

    # Ratings: about 40 % of resolved dossiers rated (land 50 %); exact satisfied share per field,
    # the unsatisfied ones drawn mostly among late dossiers.
    rating = np.full(n, None, dtype=object)
    rate_p = np.where(field == LAND_FIELD, 0.5, 0.4)
    rated = ~pending & (u[:, 7] < rate_p)
    for name in names:
        idx = np.flatnonzero(rated & (field == name))
        if not len(idx):
            continue
        n_unsat = len(idx) - int(round(_SATISFIED.get(name, 0.9) * len(idx)))
        w = np.where(is_late[idx], 6.0, 1.0)
        unsat = rng.choice(idx, size=n_unsat, replace=False, p=w / w.sum()) if n_unsat else np.array([], dtype=int)
        sat = np.setdiff1d(idx, unsat)
        rating[sat] = np.where(rng.random(len(sat)) < 0.35, VERY_SATISFIED, SATISFIED)
        rating[unsat] = np.where(rng.random(len(unsat)) < 0.7, NEUTRAL, DISSATISFIED)

    # Dossier numbers run by receipt year, as in the one-stop system.
    order = np.lexsort((np.arange(n), received))
    start_prev = int(rng.integers(3100, 3600))  # dossiers the previous year had logged by 15/12
    rows = []
    counters = {year - 1: start_prev, year: 0}
    for i in order:
        r = received[i]
        y = int(str(r)[:4])
        counters[y] = counters.get(y, 0) + 1
        rows.append(
            {
                "dossier_id": f"HS-{y}-{counters[y]:06d}",
                "field": field[i],
                "procedure": procedure[i],
                "received_date": _d(r),
                "due_date": _d(due[i]),
                "returned_date": _d(returned[i]),
                "channel": channel[i],
                "dossier_digitized": YES if dossier_dig[i] else NO,
                "result_digitized": "" if pending[i] else (YES if result_dig[i] else NO),
                "rating": rating[i],
            }
        )
    return rows


# --- feedback ----------------------------------------------------------------------------

_PETITIONS = (
    "Đề nghị sửa chữa đèn chiếu sáng tuyến đường liên thôn bị hỏng",
    "Phản ánh rác thải tồn đọng ven đường ra bãi biển",
    "Đề nghị hướng dẫn thủ tục cấp đổi Giấy chứng nhận quyền sử dụng đất",
    "Phản ánh việc trả kết quả chứng thực chậm so với giấy hẹn",
    "Kiến nghị nạo vét mương thoát nước trước mùa mưa bão",
    "Phản ánh tiếng ồn karaoke sau 22 giờ tại khu dân cư",
    "Đề nghị hỗ trợ cài đặt ứng dụng Hue-S cho người cao tuổi",
    "Phản ánh lấn chiếm hành lang đường giao thông để kinh doanh",
    "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi từ đủ 75 tuổi",
    "Phản ánh tình trạng sạt lở bờ biển sau đợt triều cường",
    "Kiến nghị sửa chữa đoạn đường bê tông bị hư hỏng",
    "Phản ánh không nộp được hồ sơ trên Cổng Dịch vụ công quốc gia",
    "Đề nghị công khai danh sách hộ nghèo, hộ cận nghèo năm mới",
    "Phản ánh tình trạng chăn thả gia súc tự do trên tuyến đường chính",
    "Phản ánh nước sinh hoạt yếu vào giờ cao điểm",
    "Đề nghị đính chính thông tin sai trong trích lục khai sinh",
    "Phản ánh đổ trộm phế thải xây dựng ven đầm phá",
    "Kiến nghị hỗ trợ ngư dân sửa chữa thuyền bị hư hỏng do bão",
    "Phản ánh thái độ phục vụ của công chức tại Bộ phận một cửa",
    "Đề nghị bố trí thêm ghế chờ tại Bộ phận một cửa",
    "Phản ánh cây xanh có nguy cơ gãy đổ trước trường tiểu học",
    "Đề nghị hướng dẫn thủ tục đăng ký hưởng trợ cấp người khuyết tật",
    "Phản ánh ô nhiễm mùi từ cơ sở chăn nuôi gần khu dân cư",
    "Kiến nghị lắp đặt biển báo giảm tốc độ gần trường mầm non",
    "Phản ánh tình trạng khai thác cát trái phép ven sông",
    "Đề nghị hỗ trợ kinh phí sửa chữa nhà văn hóa thôn",
    "Phản ánh chậm chi trả tiền hỗ trợ sau thiên tai",
    "Đề nghị kiểm tra việc xây dựng công trình không phép",
    "Phản ánh hệ thống loa truyền thanh thôn phát quá sớm",
    "Kiến nghị mở rộng đường kiệt vào khu tái định cư",
    "Đề nghị hướng dẫn kích hoạt tài khoản định danh điện tử mức 2",
    "Phản ánh ngập úng cục bộ khi mưa lớn tại khu dân cư mới",
    "Đề nghị tổ chức tiêm phòng dại cho chó, mèo tại thôn",
    "Phản ánh việc thu phí vệ sinh môi trường chưa thống nhất giữa các thôn",
    "Kiến nghị tăng cường tuần tra an ninh trật tự khu vực bãi biển về đêm",
    "Đề nghị giải quyết dứt điểm tranh chấp ranh giới thửa đất giữa hai hộ",
    "Phản ánh máy tra cứu TTHC tại Bộ phận một cửa không hoạt động",
    "Đề nghị hướng dẫn thanh toán phí, lệ phí trực tuyến",
)


def _gen_feedback(plan, rng, cal: _Calendar) -> list[dict]:
    year = cal.year
    n = int(rng.integers(28, 37))
    jan2, dec9 = dt.date(year, 1, 2), dt.date(year, 12, 9)
    received = sorted(cal.random_workday(rng, jan2, dec9) for _ in range(n - 1))
    received.append(cal.random_workday(rng, dt.date(year, 12, 16), dt.date(year, 12, 23)))  # pending at year end
    summaries = [_PETITIONS[i % len(_PETITIONS)] for i in rng.permutation(max(n, len(_PETITIONS)))[:n]]
    late = set(int(i) for i in rng.choice(n - 1, size=int(rng.integers(1, 3)), replace=False))
    rows = []
    for i, day in enumerate(received):
        due = day + dt.timedelta(days=int(rng.integers(10, 16)))
        resolved = None
        if i == n - 1:
            resolved = None
        elif i in late:
            resolved = min(due + dt.timedelta(days=int(rng.integers(2, 13))), dt.date(year, 12, 31))
        else:
            resolved = day + dt.timedelta(days=int(rng.integers(2, (due - day).days + 1)))
        rating = None
        if resolved is not None and rng.random() < 0.45:
            if i in late:
                rating = _pick(rng, (NEUTRAL, DISSATISFIED))
            else:
                rating = SATISFIED if rng.random() < 0.85 else NEUTRAL
        rows.append(
            {
                "feedback_id": f"PAKN-{year}-{i + 1:03d}",
                "received_date": _d(day),
                "due_date": _d(due),
                "resolved_date": _d(resolved),
                "rating": rating,
                "summary": summaries[i],
            }
        )
    return rows


# --- notes -------------------------------------------------------------------------------

# Per area (by the digit of II.<n>). A text tagged "[14]" fits only those quarters (Tết
# comes in Q1, storms and floods in Q4); untagged texts fit any quarter.
_AREA_NOTES = {
    1: {
        "highlights": (
            "[1]Ban hành kế hoạch theo dõi tình hình thi hành pháp luật năm {year}; rà soát các văn bản QPPL do HĐND, UBND xã ban hành, không phát hiện văn bản trái pháp luật.",
            "[23]Tổ chức 02 đợt tuyên truyền pháp luật lưu động tại các thôn, lồng ghép nội dung Luật Đất đai năm 2024.",
            "Tổ hòa giải ở cơ sở hòa giải thành công phần lớn vụ việc phát sinh; đăng tải tài liệu phổ biến pháp luật trên Trang thông tin điện tử của xã.",
            "[34]Hoàn thành rà soát, hệ thống hóa văn bản QPPL của xã; cập nhật kịp thời văn bản hết hiệu lực.",
        ),
        "difficulties": (
            "Công chức Tư pháp – Hộ tịch kiêm nhiệm nhiều việc, thời gian dành cho theo dõi thi hành pháp luật còn hạn chế.",
            "Một số văn bản hướng dẫn của cấp trên ban hành chậm nên việc triển khai ở xã còn lúng túng.",
        ),
        "proposals": (
            "Đề nghị Phòng Tư pháp thành phố tổ chức tập huấn về Luật Đất đai năm 2024 và các nghị định hướng dẫn.",
            "Đề nghị thành phố cung cấp tài liệu phổ biến pháp luật bằng hình thức điện tử để đăng trên nhóm Zalo các thôn.",
        ),
    },
    2: {
        "highlights": (
            "[12]Niêm yết, công khai đầy đủ TTHC tại Bộ phận một cửa và trên Cổng thông tin điện tử của xã; bố trí mã QR tra cứu thủ tục.",
            "[234]Tỷ lệ hồ sơ trực tuyến tăng nhờ tổ công nghệ số cộng đồng hướng dẫn tại nhà.",
            "Duy trì trả kết quả chứng thực trong ngày; nhiều hồ sơ hộ tịch được giải quyết theo phương châm “4 tại chỗ”.",
            "[34]Thực hiện liên thông khai sinh – thường trú – bảo hiểm y tế trên môi trường điện tử; tỷ lệ số hóa kết quả tiếp tục tăng.",
        ),
        "difficulties": (
            "[1]Lượng hồ sơ chứng thực tăng mạnh trước Tết Nguyên đán, Bộ phận một cửa phải làm thêm sáng thứ Bảy.",
            "[3]Hồ sơ chứng thực tăng cao trong mùa tuyển sinh, thời gian chờ của người dân kéo dài vào buổi sáng.",
            "Hồ sơ đất đai còn trễ hạn do phải xác minh nguồn gốc đất, chờ ý kiến của cơ quan chuyên môn thành phố.",
            "Người cao tuổi còn ngại nộp hồ sơ trực tuyến, chủ yếu vẫn đến nộp trực tiếp.",
            "[4]Một số hồ sơ đất đai tồn đọng do mưa lũ, chưa thể xác minh thực địa.",
        ),
        "proposals": (
            "Đề nghị UBND thành phố hỗ trợ máy quét tài liệu tốc độ cao cho Bộ phận một cửa.",
            "Đề nghị Văn phòng UBND tỉnh hoàn thiện chức năng kết xuất báo cáo thống kê trên Hệ thống thông tin giải quyết TTHC.",
        ),
    },
    3: {
        "highlights": (
            "Rà soát chức năng, nhiệm vụ của công chức chuyên môn; phân công lại nhiệm vụ khi 01 công chức nghỉ hưu.",
            "Ban hành quy chế làm việc của UBND xã nhiệm kỳ 2021–2026 (sửa đổi), phân định rõ trách nhiệm từng vị trí.",
            "Duy trì thực hiện nguyên tắc một việc chỉ giao một người chủ trì; không có nhiệm vụ chồng chéo giữa các công chức.",
        ),
        "difficulties": (
            "Chưa có hướng dẫn cụ thể về sắp xếp đơn vị hành chính cấp xã nên việc kiện toàn bộ máy còn chờ.",
        ),
        "proposals": ("Đề nghị UBND thành phố sớm hướng dẫn việc bố trí công chức dôi dư sau sắp xếp.",),
    },
    4: {
        "highlights": (
            "[14]Đánh giá, xếp loại chất lượng cán bộ, công chức gắn với mức độ hài lòng của người dân.",
            "[23]Cử 03 công chức tham gia lớp bồi dưỡng kỹ năng số do thành phố tổ chức.",
            "Duy trì kiểm tra công vụ đột xuất; không phát hiện trường hợp vi phạm giờ giấc, thái độ phục vụ.",
        ),
        "difficulties": (
            "[12]Kế hoạch đào tạo, bồi dưỡng CBCCVC năm {year} phụ thuộc vào kế hoạch của Phòng Nội vụ thành phố nên xã chưa chủ động được.",
            "Số lượng công chức ít, nhiều vị trí kiêm nhiệm nên khó bố trí đi học tập trung.",
        ),
        "proposals": ("Đề nghị Phòng Nội vụ thành phố sớm phân bổ chỉ tiêu bồi dưỡng cho xã.",),
    },
    5: {
        "highlights": (
            "[1]Công khai dự toán ngân sách xã năm {year} đúng quy định; thực hiện tiết kiệm 10% chi thường xuyên.",
            "Thực hiện cơ chế tự chủ về kinh phí quản lý hành chính; chi trả qua tài khoản cho 100% cán bộ, công chức.",
            "[34]Công khai tình hình thực hiện dự toán ngân sách 6 tháng, 9 tháng theo quy định.",
            "[23]Rà soát, cắt giảm các khoản chi chưa cần thiết; ưu tiên kinh phí cho chuyển đổi số và Bộ phận một cửa.",
        ),
        "difficulties": ("Nguồn thu tiền sử dụng đất đạt thấp so với dự toán, ảnh hưởng đến nguồn chi đầu tư.",),
        "proposals": ("Đề nghị thành phố bổ sung kinh phí sửa chữa trụ sở Bộ phận một cửa.",),
    },
    6: {
        "highlights": (
            "Duy trì phát hành bản tin chuyển đổi số trên nhóm Zalo của các thôn và hệ thống loa truyền thanh.",
            "100% văn bản đi (trừ văn bản mật) được ký số và gửi qua Hệ thống quản lý văn bản và điều hành.",
            "[23]Tổ công nghệ số cộng đồng hỗ trợ người dân cài đặt Hue-S, kích hoạt tài khoản định danh điện tử tại nhà văn hóa thôn.",
            "[34]Cài đặt phần mềm phòng, chống mã độc tập trung cho máy tính của cán bộ, công chức.",
        ),
        "difficulties": (
            "[12]Một số máy tính cấu hình thấp, chưa cài được phần mềm phòng, chống mã độc tập trung.",
            "Đường truyền tại Bộ phận một cửa chập chờn, tốc độ thực tế < 30 Mbps vào giờ cao điểm.",
            "Tỷ lệ người dân thanh toán điện tử còn thấp, chủ yếu là người trẻ tuổi.",
        ),
        "proposals": (
            "Đề nghị UBND thành phố hỗ trợ máy quét tài liệu và nâng cấp mạng <100 Mbps> cho Bộ phận một cửa.",
            'Đề nghị doanh nghiệp viễn thông hỗ trợ gói cước "Internet cáp quang cho hộ nghèo" trên địa bàn xã.',
        ),
    },
    7: {
        "highlights": (
            "[1]Ban hành Kế hoạch kiểm tra công tác CCHC năm {year}; kiểm tra đột xuất Bộ phận một cửa 01 lần.",
            "Lồng ghép nội dung CCHC vào các cuộc họp giao ban hằng tháng của UBND xã.",
            "[4]Tự đánh giá, chấm điểm Chỉ số CCHC năm {year} theo hướng dẫn của thành phố.",
            "[23]Kiểm tra việc thực hiện nhiệm vụ CCHC tại Bộ phận một cửa và các công chức chuyên môn.",
        ),
        "difficulties": ("Công tác tuyên truyền CCHC chưa đa dạng, chủ yếu qua hệ thống loa truyền thanh.",),
        "proposals": ("Đề nghị thành phố tổ chức tập huấn nghiệp vụ chấm điểm Chỉ số CCHC cho công chức phụ trách.",),
    },
}


def _fits(text: str, quarter: int) -> tuple[bool, str]:
    """Whether a bank text suits the quarter (1–4), and the text without its tag."""
    if text.startswith("["):
        tag, _, rest = text[1:].partition("]")
        return str(quarter) in tag, rest
    return True, text


# The general note of each quarter (area_id left empty).
_GENERAL_NOTES = (
    {
        "highlights": "UBND xã ban hành Kế hoạch CCHC năm {year} ngay từ đầu năm; tổ chức hội nghị triển khai đến toàn thể cán bộ, công chức và trưởng các thôn.",
        "difficulties": "Lượng hồ sơ tăng cao trước Tết; một số công chức kiêm nhiệm nhiều việc nên việc cập nhật số liệu CCHC còn chậm.",
        "proposals": "Đề nghị Phòng Nội vụ thành phố sớm ban hành hướng dẫn chấm điểm Chỉ số CCHC năm {year}.",
    },
    {
        "highlights": "Sơ kết 6 tháng công tác CCHC; các chỉ tiêu về hồ sơ trực tuyến, số hóa hồ sơ có chuyển biến so với quý I.",
        "difficulties": "Hệ thống thông tin giải quyết TTHC của tỉnh nâng cấp trong tháng 5 nên việc tiếp nhận trực tuyến bị gián đoạn 03 ngày.",
        "proposals": "Đề nghị UBND thành phố bổ sung kinh phí hoạt động cho tổ công nghệ số cộng đồng các thôn.",
    },
    {
        "highlights": "Kiện toàn Tổ 1 & Tổ 2 công nghệ số cộng đồng tại các thôn ven biển; phối hợp Đoàn Thanh niên ra quân hỗ trợ người dân cài đặt Hue-S, VNeID trong đợt cao điểm hè.",
        "difficulties": "Một số nhiệm vụ trong Phụ lục kế hoạch có thời hạn trong quý I chưa hoàn thành, cần tiếp tục đôn đốc.",
        "proposals": "Đề nghị các phòng, ban thành phố hướng dẫn cụ thể nhiệm vụ do thành phố chủ trì để xã phối hợp.",
    },
    {
        "highlights": "Dù chịu ảnh hưởng của mưa lũ, Bộ phận một cửa vẫn duy trì tiếp nhận, trả kết quả; tỷ lệ hồ sơ trực tuyến tiếp tục tăng.",
        "difficulties": "Mưa lũ làm gián đoạn đường truyền; hồ sơ đất đai tồn đọng do chưa thể xác minh thực địa.",
        "proposals": 'Đề nghị UBND thành phố & VNPT hỗ trợ nâng cấp đường truyền <100 Mbps> và đầu tư "Bộ phận một cửa hiện đại" trong năm tới.',
    },
)


def _area_digit(area_id: str) -> int | None:
    tail = str(area_id).rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _gen_notes(plan, rng, cal: _Calendar) -> list[dict]:
    year = cal.year
    areas = [a for a in plan.areas.sort_values("order")["area_id"] if _area_digit(a) in _AREA_NOTES]
    rows = []
    used: dict[tuple[str, str], str] = {}  # last text per area and column, not repeated next quarter
    for qi, q in enumerate(cal.quarters):
        g = _GENERAL_NOTES[qi % len(_GENERAL_NOTES)]
        rows.append({"period": q["code"], "area_id": "", **{k: v.format(year=year) for k, v in g.items()}})
        # The one-stop and digital areas every quarter, three or four others in turn.
        fixed = [a for a in areas if _area_digit(a) in (2, 6)]
        others = [a for a in areas if a not in fixed]
        k = min(len(others), int(rng.integers(3, 5)))
        picked = {others[i] for i in rng.choice(len(others), size=k, replace=False)} if others else set()
        for a in areas:
            if a not in fixed and a not in picked:
                continue
            bank = _AREA_NOTES[_area_digit(a)]
            row = {"period": q["code"], "area_id": a}
            for col in ("highlights", "difficulties", "proposals"):
                fitting = [t for ok, t in (_fits(x, q["n"]) for x in bank[col]) if ok]
                keep = col == "highlights" or rng.random() < (0.75 if col == "difficulties" else 0.5)
                text = None
                if fitting and keep:
                    fresh = [t for t in fitting if t != used.get((a, col))] or fitting
                    text = fresh[int(rng.integers(len(fresh)))]
                    used[(a, col)] = text
                row[col] = text.format(year=year) if text else None
            rows.append(row)
    rows.sort(key=lambda r: (r["period"], r["area_id"]))
    return rows
