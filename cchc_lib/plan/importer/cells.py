"""Putting the cells of a Phụ lục row back where they belong.

Converted tables shift cells: a lead unit lands in the coordinating column, a deadline
in the budget column. A cell is recognised by what it holds (a deadline phrase, a number,
a unit's name), the row is rebuilt from that, and a note says what was moved.
"""

from __future__ import annotations

import re

from cchc_lib.plan.deadlines import DeadlineError, is_recurring, parse_deadline

_COL_VI = {
    "lead": "Cơ quan chủ trì",
    "support": "Cơ quan phối hợp",
    "deadline": "Thời gian thực hiện",
    "budget": "Kinh phí",
}
# words a unit's name starts with, after a comma, when a cell lists several units
_UNIT_HEAD = r"(?:Công chức|Cán bộ|CC\.|UBND|Ủy ban|Uỷ ban|Phòng|Ban |Các |Văn phòng|Trưởng|Hội |Đoàn |Công an|Quân sự)"
_PLACE_END = re.compile(r"(xã|phường|thị trấn|thành phố|huyện|tỉnh)\s*$", re.I)
_NUMBER = re.compile(r"^[\d.,\s]+(?:đồng|triệu|tr\.?đ|nghìn)?$", re.I)


def is_deadline(text: str) -> bool:
    if is_recurring(text):
        return True
    try:
        return parse_deadline(text) is not None
    except DeadlineError:
        return bool(re.search(r"\b(quý|năm|tháng|ngày)\b.*\d{4}", text, re.I))


def split_units(text: str) -> tuple[list[str], bool]:
    """Several units in one cell: split at ';', and at ', ' where a place word ends the first
    unit and a unit word starts the next ("…đơn vị xã, Công chức chuyên môn xã"). Returns
    the parts and whether a comma split was guessed."""
    parts: list[str] = []
    guessed = False
    for chunk in (c.strip() for c in text.split(";")):
        if not chunk:
            continue
        start = 0
        for m in re.finditer(rf",\s+(?={_UNIT_HEAD})", chunk):
            if _PLACE_END.search(chunk[start : m.start()]):
                parts.append(chunk[start : m.start()].strip())
                start = m.end()
                guessed = True
        parts.append(chunk[start:].strip())
    return [p for p in parts if p], guessed


def place_cells(row, cells, cols: dict[str, int]) -> None:
    """Fill lead, support, deadline and budget of ``row`` from the cells right of the product."""
    first = min(cols.get(k, 99) for k in ("lead", "support", "deadline", "budget"))
    found = [(j, c.text) for j, c in enumerate(cells) if j >= first and c.text]
    deadline_at = next((j for j, t in reversed(found) if is_deadline(t)), None)
    units, budget = [], ""
    for j, t in found:
        if j == deadline_at:
            row.deadline = t
        elif _NUMBER.match(t):
            budget = t
        else:
            units.append((j, t))
    row.budget = budget
    if units:
        row.lead = units[0][1]
        row.support = "; ".join(t for _, t in units[1:])
    moved = []
    if units and units[0][0] != cols.get("lead"):
        moved.append(f"cơ quan chủ trì ({units[0][1]}) nằm ở cột {_col_name(cols, units[0][0])}")
    if deadline_at is not None and deadline_at != cols.get("deadline"):
        moved.append(f"thời gian ({row.deadline}) nằm ở cột {_col_name(cols, deadline_at)}")
    if moved:
        row.notes.append("Ô lệch cột trong Phụ lục: " + "; ".join(moved) + "; đã đưa về đúng cột.")
    if not units:
        row.notes.append("Không thấy cơ quan chủ trì trong dòng Phụ lục.")


def _col_name(cols: dict[str, int], j: int) -> str:
    for key, idx in cols.items():
        if idx == j:
            return _COL_VI.get(key, key)
    return f"số {j + 1}"
