"""Atomic targets from a "Mục tiêu" bullet: one quantity each, with comparator and unit.

A bullet is cut into sentences, a sentence into clauses at ';'. Every quantity found
("100%", "tối thiểu 50%", "không quá 2%", "ít nhất 02 lần/năm", "1 tháng có 1 bản tin",
"mức tốt") is one target; "tương ứng là 80%, 75%" is several, flagged for review. A
sentence without any quantity is a non-measurable target; a clause without one inside a
sentence that has one is context and stays with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

GE = ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "trở lên", "từ", "trên", "vượt", "đạt")
LE = ("không quá", "tối đa", "không vượt quá", "dưới", "không cao hơn", "giảm xuống", "trở xuống")
EQ = ("bằng", "đúng")
# the rating scale of docs/plan-data.md (1 yếu … 4 tốt)
RATINGS = {"yếu": 1, "kém": 1, "trung bình": 2, "khá": 3, "tốt": 4, "xuất sắc": 5}

_NUM = r"(\d+(?:[.,]\d+)?)"
_PERCENT = re.compile(_NUM + r"\s*%")
_PER_PERIOD = re.compile(r"(\d+)\s*tháng\s+có\s+(\d+)")  # "1 tháng có 1 bản tin"
_RATE = re.compile(_NUM + r"\s+([^\d;,.]{1,30}?)\s*/\s*(tháng|năm|quý)")  # "02 lần/năm"
_RATING = re.compile(r"\bmức\s+(xuất sắc|tốt|khá|trung bình|yếu|kém)(\s+trở lên)?", re.I)
_MONTHLY = re.compile(r"\b(mỗi|hằng|hàng|một)\s+tháng\b|/\s*tháng", re.I)
# "Không để xảy ra …", "Không có …": a target of zero occurrences
_NONE = re.compile(r"^(không để xảy ra|không để|không có)\s", re.I)
_COUNT = re.compile(r"(tối thiểu|ít nhất|không quá|tối đa|không dưới|bằng)\s+(?:có\s+)?" + _NUM + r"\s+(?!%)(\w+)")


@dataclass
class Quantity:
    comparator: str
    value: float
    unit: str  # percent | count | per_month | rating
    start: int  # position in the clause
    flags: list[str] = field(default_factory=list)


@dataclass
class Atomic:
    text: str
    measurable: bool
    comparator: str = ""
    value: float | None = None
    unit: str = ""
    flags: list[str] = field(default_factory=list)
    group: int = 0  # targets split from one "tương ứng" phrase share a group


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _comparator(before: str, after: str = "") -> tuple[str, bool]:
    """Comparator from the words just before a number (and "trở lên/xuống" after); the
    second value is False when nothing said it and "≥" is the plan convention."""
    b = before.casefold()[-40:]
    a = after.casefold()[:20]
    if "trở xuống" in a:
        return "≤", True
    if "trở lên" in a:
        return "≥", True
    hits = []
    for words, comp in ((LE, "≤"), (GE, "≥"), (EQ, "=")):
        for w in words:
            i = b.rfind(w)
            if i >= 0 and re.search(rf"(^|\W){re.escape(w)}(\W|$)", b[i - 1 if i else 0 :]):
                hits.append((i + len(w), len(w), comp))
    if not hits:
        return "≥", False
    return max(hits)[2], True


def quantities(clause: str) -> list[Quantity]:
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(m, q: Quantity):
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(q)

    for m in _PER_PERIOD.finditer(clause):
        comp, said = _comparator(clause[: m.start()])
        months = int(m.group(1))
        add(m, Quantity(comp, int(m.group(2)) / months, "per_month", m.start()))
    for m in _RATE.finditer(clause):
        comp, said = _comparator(clause[: m.start()])
        period = m.group(3)
        unit = "per_month" if period == "tháng" else "count"
        flags = [] if period != "quý" else ["số lần mỗi quý: ghi là số lượng, cần xem lại"]
        add(m, Quantity(comp, _num(m.group(1)), unit, m.start(), flags))
    for m in _PERCENT.finditer(clause):
        comp, said = _comparator(clause[: m.start()], clause[m.end() :])
        flags = [] if said or _num(m.group(1)) > 0 else ["0% không kèm từ so sánh: cần xem lại"]
        if said and clause[: m.start()].casefold().rstrip().endswith("trên"):
            flags.append("“trên” nghĩa là lớn hơn hẳn; đã ghi ≥, cần xem lại")
        add(m, Quantity(comp, _num(m.group(1)), "percent", m.start(), flags))
    for m in _RATING.finditer(clause):
        level = m.group(1).casefold()
        comp = "≥" if m.group(2) or level == "tốt" else "="
        flags = [] if level in ("yếu", "trung bình", "khá", "tốt") else [f"mức “{level}” ngoài thang 1–4: cần xem lại"]
        add(m, Quantity(comp, float(RATINGS[level]), "rating", m.start(), flags))
    for m in _COUNT.finditer(clause):
        comp, _ = _comparator(m.group(1) + " ")
        monthly = _MONTHLY.search(clause[m.end() :]) is not None
        add(m, Quantity(comp, _num(m.group(2)), "per_month" if monthly else "count", m.start()))
    if not found and (m := _NONE.match(clause)):
        add(m, Quantity("=", 0.0, "count", 0, [f"“{m.group(1)}” đọc là = 0 (số lượng): cần xem lại"]))
    return sorted(found, key=lambda q: q.start)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ“\"(\d])", text.strip())
    return [p.strip().rstrip(".;: ") for p in parts if p.strip().rstrip(".;: ")]


def split_targets(bullet: str) -> list[Atomic]:
    """Every atomic target of one bullet, in order."""
    bullet = bullet.strip().rstrip(".;: ")
    sentences = _sentences(bullet)
    if not any(quantities(s) for s in sentences):
        return [Atomic(bullet, False)]
    out: list[Atomic] = []
    group = 0
    for sentence in sentences:
        clauses = [c.strip() for c in sentence.split(";") if c.strip()]
        if not any(quantities(c) for c in clauses):
            out.append(Atomic(sentence, False))
            continue
        for clause, qs, notes in _clauses(clauses):
            text = re.sub(r"^(trong đó|đồng thời|và)\s*,?\s*", "", clause, flags=re.I)
            if len(qs) > 1:
                group += 1
                note = (
                    f"một câu nêu {len(qs)} con số ({', '.join(_fmt(q) for q in qs)}): "
                    "đã tách thành từng chỉ tiêu theo thứ tự, cần xem lại chỉ tiêu nào ứng với số nào"
                )
                for q in qs:
                    out.append(Atomic(text, True, q.comparator, q.value, q.unit, [note, *q.flags, *notes], group))
            else:
                q = qs[0]
                out.append(Atomic(text, True, q.comparator, q.value, q.unit, [*q.flags, *notes]))
    return out


_ORIENTATION = re.compile(r"^(tiến tới|hướng tới|từng bước|phấn đấu tiến tới)\b", re.I)


def _clauses(clauses: list[str]) -> list[tuple[str, list[Quantity], list[str]]]:
    """Clauses with their quantities; a clause without one belongs to its neighbour ("…về
    TTHC; được tích hợp, đồng bộ…"), except an orientation ("tiến tới …"), which is noted."""
    out: list[tuple[str, list[Quantity], list[str]]] = []
    pending: list[str] = []
    for clause in clauses:
        qs = quantities(clause)
        if qs:
            out.append(("; ".join([*pending, clause]), qs, []))
            pending = []
        elif _ORIENTATION.match(clause):
            if out:
                out[-1][2].append(f"phần “{clause[:60]}…” là định hướng, không có con số: không tính là chỉ tiêu")
        elif out:
            out[-1] = (f"{out[-1][0]}; {clause}", out[-1][1], out[-1][2])
        else:
            pending.append(clause)
    return out


def _fmt(q: Quantity) -> str:
    v = int(q.value) if float(q.value).is_integer() else q.value
    return f"{v}%" if q.unit == "percent" else str(v)
