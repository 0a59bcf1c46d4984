"""The draft plan: parsed decision → the plan tables, each row with its source and flags.

Ids follow docs/plan-data.md (T<area>.<nn>, NV<area>.<nn>, PL<area>.<nn>, O<n>). Nothing
is dropped: a value the parser is unsure of is kept with a note in "Cần kiểm tra", and a
draft builds as it is, so the analyst can review in Excel and rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pandas as pd

from cchc_lib.core.schemas import norm_key
from cchc_lib.plan.deadlines import DeadlineError, is_recurring, parse_deadline
from cchc_lib.plan.importer.cells import split_units
from cchc_lib.plan.importer.quantities import _RATING, split_targets
from cchc_lib.plan.importer.structure import AnnexRow, Area, Parsed
from cchc_lib.plan.importer.units import UnitBook, lead_for
from cchc_lib.plan.layout import REVIEW_COL, SOURCE_COL

ROMANS = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
DUPLICATE_SIMILARITY = 0.85  # a Phụ lục row this close to a section II target restates it
CONFLICT_OVERLAP = 0.7  # share of words two targets' subjects must have in common to be "the same quantity"
_QUANT_WORDS = re.compile(r"\d+(?:[.,]\d+)?\s*%?|tối thiểu|ít nhất|không quá|tối đa|đạt|phấn đấu|tỷ lệ|trên tổng số")


def text_similarity(a: str, b: str) -> float:
    """Similarity of two texts after normalising case, accents' composition and spacing."""
    return SequenceMatcher(None, norm_key(a), norm_key(b), autojunk=False).ratio()


@dataclass
class Rows:
    """Rows of one table plus, per row, where it came from and what to check."""

    records: list[dict] = field(default_factory=list)

    def add(self, rec: dict, loc: str, flags: list[str] | None = None) -> dict:
        rec[SOURCE_COL] = loc
        rec[REVIEW_COL] = list(flags or [])
        self.records.append(rec)
        return rec

    def frame(self, columns: list[str]) -> pd.DataFrame:
        rows = [{**r, REVIEW_COL: "; ".join(dict.fromkeys(r[REVIEW_COL]))} for r in self.records]
        return pd.DataFrame(rows, columns=[*columns, SOURCE_COL, REVIEW_COL], dtype=object)


def area_id(area: Area) -> str:
    return f"{area.section}.{area.number}"


def area_name(heading: str) -> str:
    name = re.sub(r"^về\s+", "", heading.strip(" :"), flags=re.I)
    return name[:1].upper() + name[1:]


def indicator(text: str) -> str:
    """A short draft name: "Tỷ lệ <what the percentage counts>", or the first words."""
    m = re.search(r"\d+(?:[.,]\d+)?\s*%\s*(?:các\s+)?(.+)", text)
    words = (m.group(1) if m else re.sub(r"^(phấn đấu|tiếp tục)\s+", "", text, flags=re.I)).split()
    short = " ".join(words[:10]).rstrip(",;:")
    return ("Tỷ lệ " + short) if m else short[:1].upper() + short[1:]


def _subject(text: str) -> set[str]:
    return set(re.findall(r"\w+", _QUANT_WORDS.sub(" ", norm_key(text))))


@dataclass
class DraftTables:
    parsed: Parsed
    book: UnitBook = field(default_factory=UnitBook)
    areas: Rows = field(default_factory=Rows)
    targets: Rows = field(default_factory=Rows)
    tasks: Rows = field(default_factory=Rows)
    objectives: Rows = field(default_factory=Rows)
    leads: dict[str, str] = field(default_factory=dict)  # area id → lead unit name

    def build(self) -> None:
        self._units()
        self._areas()
        for area in self.parsed.areas:
            self._targets(area)
            self._section_tasks(area)
        self._annex()
        self._objectives()
        self._conflicts()

    def _units(self) -> None:
        for u in self.parsed.units:
            unit = self.book.add(u.name, u.loc)
            unit.duties.extend(d.text for d in u.duties)
            unit.source_ref = f"IV.{u.number}"
        for spelling, loc in self.parsed.spellings:
            for part in split_units(spelling)[0]:
                self.book.add(part, loc)

    def _areas(self) -> None:
        listed = [u for u in self.book.units if u.duties]
        for i, area in enumerate(self.parsed.areas, start=1):
            lead, clear = lead_for(area.heading, listed)
            flags = []
            if lead is None:
                flags.append("mục IV không nêu đơn vị theo dõi lĩnh vực này: cần chọn đơn vị")
            elif not clear:
                flags.append(f"đơn vị theo dõi suy ra từ mục IV chưa chắc chắn ({lead.name}): cần xem lại")
            self.leads[area_id(area)] = lead.name if lead else ""
            self.areas.add(
                {
                    "area_id": area_id(area),
                    "order": i,
                    "name": area_name(area.heading),
                    "name_en": "",
                    "annex_group": ROMANS[area.number] if area.number < len(ROMANS) else "",
                    "lead_unit": lead.name if lead else None,
                    "source_ref": area_id(area),
                },
                area.loc,
                flags,
            )

    def _next_id(self, rows: Rows, prefix: str, aid: str) -> str:
        digit = aid.rsplit(".", 1)[-1]
        n = sum(1 for r in rows.records if str(r.get("target_id", r.get("task_id"))).startswith(f"{prefix}{digit}."))
        return f"{prefix}{digit}.{n + 1:02d}"

    def _target(self, aid: str, atom, ref: str, loc: str, lead: str | None, extra=None) -> dict:
        rec = {
            "target_id": self._next_id(self.targets, "T", aid),
            "area_id": aid,
            "text": atom.text,
            "indicator": indicator(atom.text),
            "indicator_en": "",
            "measurable": atom.measurable,
            "comparator": atom.comparator or None,
            "target_value": atom.value,
            "unit": atom.unit or None,
            "denominator": "",
            "source_ref": ref,
            "lead_unit": lead or None,
            "kpi": None,
            "note": "",
            "_group": (ref, atom.group) if atom.group else None,
        }
        return self.targets.add(rec, loc, [*atom.flags, *(extra or [])])

    def _targets(self, area: Area) -> None:
        aid = area_id(area)
        for item in area.targets:
            for atom in split_targets(item.text):
                self._target(aid, atom, item.ref, item.loc, self.leads.get(aid))

    def _section_tasks(self, area: Area) -> None:
        aid = area_id(area)
        listed = [u for u in self.book.units if u.duties]
        area_lead = next((u for u in listed if u.name == self.leads.get(aid)), None)
        for item in area.tasks:
            lead, flags = area_lead, []
            if lead is None:
                flags.append("không xác định được đơn vị chủ trì: cần chọn đơn vị")
            self.tasks.add(
                {
                    "task_id": self._next_id(self.tasks, "NV", aid),
                    "area_id": aid,
                    "text": item.text,
                    "product": "",
                    "lead_unit": lead.name if lead else None,
                    "support_units": "",
                    "deadline_text": "",
                    "recurring": True,
                    "budget": None,
                    "source_ref": item.ref,
                    "source_label": "",
                    "note": f"Đơn vị chủ trì theo phân công tại mục {lead.source_ref}." if lead else "",
                },
                item.loc,
                flags,
            )

    def _group_area(self, label: str) -> tuple[Area | None, list[str]]:
        """The area a Phụ lục group belongs to, by its name; the printed numeral may be wrong."""
        m = re.match(r"^([IVX]+)\.\s*(.*)$", label)
        numeral, name = (m.group(1), m.group(2)) if m else ("", label)
        scored = sorted(
            (
                (text_similarity(name, area_name(a.heading)) + _word_share(name, a.heading), -i, a)
                for i, a in enumerate(self.parsed.areas)
            ),
            key=lambda s: s[:2],
            reverse=True,
        )
        if not scored:
            return None, ["Phụ lục có nhóm nhưng kế hoạch không có lĩnh vực nào"]
        area = scored[0][2]
        flags = []
        if numeral and numeral != ROMANS[area.number]:
            flags.append(f"nhóm in là “{label}” nhưng theo tên là lĩnh vực {area_id(area)}: đã xếp vào {area_id(area)}")
        if scored[0][0] < 0.6:
            flags.append(f"nhóm “{label}” khớp yếu với lĩnh vực {area_id(area)}: cần xem lại")
        return area, flags

    def _annex(self) -> None:
        for row in self.parsed.annex:
            area, flags = self._group_area(row.group) if row.group else (None, ["dòng Phụ lục không thuộc nhóm nào"])
            if area is None:
                area = self.parsed.areas[-1] if self.parsed.areas else None
                if area is None:
                    return
            self._annex_row(row, area, flags)

    def _annex_row(self, row: AnnexRow, area: Area, flags: list[str]) -> None:
        aid = area_id(area)
        deadline, flags = row.deadline, [*flags, *row.notes]
        note = list(row.notes)
        try:
            parse_deadline(deadline or None)
        except DeadlineError:
            flags.append(f"không đọc được thời hạn “{deadline}”: đã để trống, ghi vào Ghi chú")
            note.append(f"Thời hạn trong văn bản: “{deadline}”.")
            deadline = ""
        support, guessed = split_units(row.support)
        if guessed:
            flags.append("ô Cơ quan phối hợp được tách thành nhiều đơn vị theo dấu phẩy: cần xem lại")
        group_ref = ROMANS[area.number] if area.number < len(ROMANS) else str(area.number)
        ref = f"PL.{group_ref}.{row.number or len([r for r in self.tasks.records if r['area_id'] == aid]) + 1}"
        task = self.tasks.add(
            {
                "task_id": self._next_id(self.tasks, "PL", aid),
                "area_id": aid,
                "text": row.text,
                "product": row.product,
                "lead_unit": row.lead or self.leads.get(aid) or None,
                "support_units": ";".join(support),
                "deadline_text": deadline,
                "recurring": is_recurring(deadline),
                "budget": row.budget or None,
                "source_ref": ref,
                "source_label": row.group,
                "note": " ".join(note),
            },
            row.loc,
            flags,
        )
        atoms = [a for a in split_targets(row.text) if a.measurable]
        if not atoms:
            return
        same = max(
            ((text_similarity(row.text, t["text"]), t) for t in self.targets.records),
            default=(0, None),
            key=lambda s: s[0],
        )
        if same[0] >= DUPLICATE_SIMILARITY:
            task["note"] = (task["note"] + f" Trùng nội dung chỉ tiêu {same[1]['target_id']}.").strip()
            return
        for atom in atoms:
            t = self._target(
                aid, atom, ref, row.loc, row.lead, ["chỉ tiêu chỉ có ở Phụ lục (không có trong mục II): cần xem lại"]
            )
            task["note"] = (task["note"] + f" Là chỉ tiêu {t['target_id']}.").strip()

    def _objectives(self) -> None:
        areas = self.parsed.areas
        direction = next((a for a in areas if "chỉ đạo" in a.heading.casefold()), areas[-1] if areas else None)
        for obj in self.parsed.objectives:
            target_id = None
            if _RATING.search(obj.text) and direction is not None:
                atoms = [a for a in split_targets(obj.text) if a.unit == "rating"]
                if atoms:
                    t = self._target(
                        area_id(direction),
                        atoms[0],
                        obj.ref,
                        obj.loc,
                        self.leads.get(area_id(direction)),
                        [f"mục tiêu xếp loại được gắn vào lĩnh vực {area_id(direction)}: cần xem lại"],
                    )
                    t["kpi"] = "rating"
                    target_id = t["target_id"]
            self.objectives.add(
                {
                    "objective_id": f"O{obj.ref.rsplit('.', 1)[-1]}",
                    "text": obj.text,
                    "target_id": target_id,
                    "source_ref": obj.ref,
                    "note": " ".join(obj.notes),
                },
                obj.loc,
                obj.notes,
            )

    def _conflicts(self) -> None:
        """Two targets that measure the same thing at different levels: flag both."""
        meas = [t for t in self.targets.records if t["measurable"]]
        for i, a in enumerate(meas):
            for b in meas[i + 1 :]:
                if a["unit"] != b["unit"] or a["target_value"] == b["target_value"]:
                    continue
                if a["_group"] is not None and a["_group"] == b["_group"]:
                    continue
                sa, sb = _subject(a["text"]), _subject(b["text"])
                if sa and sb and len(sa & sb) / len(sa | sb) >= CONFLICT_OVERLAP:
                    for x, y in ((a, b), (b, a)):
                        x[REVIEW_COL].append(
                            f"mâu thuẫn với chỉ tiêu {y['target_id']} ({y['source_ref']}: {y['comparator']} "
                            f"{_num(y['target_value'])}): cả hai có trong quyết định, giữ cả hai"
                        )


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def _word_share(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", norm_key(a))), set(re.findall(r"\w+", norm_key(b)))
    return len(wa & wb) / len(wa) if wa else 0.0
