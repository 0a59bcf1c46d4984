"""The shape every Vietnamese CCHC plan shares, found in a stream of blocks.

A decision (số, ngày, người ký) followed by the plan: I. Mục tiêu (numbered objectives),
II. Nhiệm vụ (numbered areas, each with "a) Mục tiêu" and "b) Nhiệm vụ" bullets), III.
(points to the Phụ lục), IV. Tổ chức thực hiện (numbered units and their duties), and the
Phụ lục table. Sections are recognised by their words, not their numbers, because plans
misnumber them; anything odd found on the way is kept as a note for the analyst.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cchc_lib.plan.importer.sources import Block, Cell, Para, Table

_ROMAN_HEAD = re.compile(r"^([IVX]+)\.\s*(.+)$")
_NUM_HEAD = re.compile(r"^(\d+)\.\s*(.+)$")
_LETTER_HEAD = re.compile(r"^([a-zđ])\)\s*(.*)$")
_PLACE = r"(?:[A-ZÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZÀ-Ỹ][\wÀ-ỹ]*)*"


@dataclass
class Item:
    text: str
    loc: str
    ref: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Area:
    number: int
    heading: str
    loc: str
    section: str = "II"
    targets: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)


@dataclass
class Unit:
    number: int
    name: str
    loc: str
    duties: list[Item] = field(default_factory=list)


@dataclass
class AnnexRow:
    group: str
    group_loc: str
    number: int
    text: str
    product: str
    lead: str
    support: str
    deadline: str
    budget: str
    loc: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    meta: dict = field(default_factory=dict)
    meta_loc: dict = field(default_factory=dict)
    objectives: list[Item] = field(default_factory=list)
    area_section: str = "II"  # the roman numeral of the section that holds the areas
    areas: list[Area] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    annex: list[AnnexRow] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (location, note) about the document
    spellings: list[tuple[str, str]] = field(default_factory=list)  # (unit spelling, location)


def _heading_like(p: Para) -> bool:
    """A heading, or a short line without final punctuation (headings lose their style in PDFs)."""
    return p.heading or (not p.bullet and len(p.text.split()) <= 20 and not p.text.rstrip().endswith((".", ";")))


def _section_kind(text: str) -> str | None:
    t = text.casefold()
    if "tổ chức thực hiện" in t:
        return "units"
    if "cụ thể" in t or "phụ lục" in t:
        return "annex_note"
    if "mục tiêu" in t:
        return "objectives"
    if "nhiệm vụ" in t:
        return "areas"
    return None


def parse(blocks: list[Block]) -> Parsed:
    out = Parsed()
    paras = [b for b in blocks if isinstance(b, Para)]
    _meta(paras, out)
    start = next((i for i, p in enumerate(paras) if p.heading and p.text.casefold().strip(" :") == "kế hoạch"), 0)
    section = None
    area: Area | None = None
    mode = "targets"
    unit: Unit | None = None
    counters: dict[str, int] = {}
    stray: list[str] = []
    for p in paras[start + 1 :]:
        t = p.text
        if re.match(r"^(TM\.|KT\.)", t) or re.match(r"^phụ lục\b", t, re.I):
            section = None
            continue
        m = _ROMAN_HEAD.match(t)
        if m and _heading_like(p) and (kind := _section_kind(m.group(2))):
            section, area, unit = kind, None, None
            if kind == "areas":
                out.area_section = m.group(1)
            continue
        if section == "objectives":
            n = _NUM_HEAD.match(t)
            if n and _heading_like(p):
                stray.append(f"tiêu đề lạc “{t}” ({p.loc}) nằm trong mục Mục tiêu, không phải mục tiêu: đã bỏ qua")
                out.notes.append((p.loc, stray[-1]))
            elif n:
                out.objectives.append(Item(n.group(2).strip(), p.loc, f"I.{n.group(1)}", stray[:]))
                stray.clear()
        elif section == "areas":
            n = _NUM_HEAD.match(t)
            letter = _LETTER_HEAD.match(t)
            if n and _heading_like(p) and not p.bullet:
                area = Area(int(n.group(1)), n.group(2).strip(" :"), p.loc, out.area_section)
                out.areas.append(area)
                mode = "targets"
            elif letter and _heading_like(p):
                words = letter.group(2).casefold()
                mode = (
                    "tasks"
                    if "nhiệm vụ" in words or (letter.group(1) == "b" and "mục tiêu" not in words)
                    else "targets"
                )
            elif area is not None:
                _add_item(area, mode, p, counters)
        elif section == "units":
            n = _NUM_HEAD.match(t)
            if n and _heading_like(p) and not p.bullet:
                unit = Unit(int(n.group(1)), n.group(2).strip(" :"), p.loc)
                out.units.append(unit)
                out.spellings.append((unit.name, p.loc))
            elif unit is not None and p.bullet:
                unit.duties.append(Item(t, p.loc, f"IV.{unit.number}"))
            else:
                unit = None  # a closing remark ends the list of duties
    for b in blocks:
        if isinstance(b, Table):
            out.annex.extend(_annex(b, out))
    return out


def _add_item(area: Area, mode: str, p: Para, counters: dict[str, int]) -> None:
    if p.text.rstrip().endswith(":"):
        return  # "Phấn đấu đạt và vượt các chỉ tiêu chủ yếu:" introduces the bullets below
    key = f"{area.section}.{area.number}.{'a' if mode == 'targets' else 'b'}"
    counters[key] = counters.get(key, 0) + 1
    item = Item(p.text.rstrip(" ;"), p.loc, f"{key}-{counters[key]}")
    (area.targets if mode == "targets" else area.tasks).append(item)


# --- decision metadata -------------------------------------------------------------------


def _date(m: re.Match) -> dt.date | None:
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


_DATE_WORDS = r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
_DATE_SLASH = r"ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"


def _meta(paras: list[Para], out: Parsed) -> None:
    meta, loc = out.meta, out.meta_loc

    def put(key, value, where):
        if value and key not in meta:
            meta[key], loc[key] = value, where

    for p in paras:
        t = p.text
        if m := re.search(r"Số:\s*(\d+\s*/\s*[A-ZĐ]+(?:-[A-ZĐ]+)+)", t):
            put("decision_number", m.group(1).replace(" ", ""), p.loc)
        m = re.search(r"kèm theo\s+Quyết định số\s+(\d+/[A-ZĐ]+(?:-[A-ZĐ]+)+)", t)
        if m:  # "(Ban hành kèm theo Quyết định số 07/QĐ-UBND ngày 10 tháng 01 năm 2024 …)"
            put("decision_number", m.group(1), p.loc)
            for rx in (_DATE_WORDS, _DATE_SLASH):
                if d := re.search(rx, t[m.end() :]):
                    put("decision_date", _date(d), p.loc)
                    break
        if m := re.match(r"^Ban hành\s+(Kế hoạch .+)$", t):
            put("title", m.group(1)[0].upper() + m.group(1)[1:], p.loc)
        if m := re.search(r"Kế hoạch cải cách hành chính năm\s+(\d{4})", t, re.I):
            put("year", int(m.group(1)), p.loc)
        if m := re.search(rf"\b(xã|phường|thị trấn)\s+({_PLACE})", t):
            put("commune", f"{m.group(1)} {m.group(2)}", p.loc)
        if m := re.search(rf"\b(thành phố|thị xã|huyện|quận)\s+({_PLACE})", t):
            put("city", f"{m.group(1)} {m.group(2)}", p.loc)
        if m := re.search(rf"\btỉnh\s+({_PLACE})", t):
            put("province", f"tỉnh {m.group(1)}", p.loc)
    _signer(paras, out)
    if "commune" in meta:
        meta.setdefault("issuer", "Ủy ban nhân dân " + meta["commune"])
        loc.setdefault("issuer", loc["commune"])


def _signer(paras: list[Para], out: Parsed) -> None:
    for i, p in enumerate(paras[:-1]):
        m = re.match(r"^(?:TM|KT)\.\s.*?((?:PHÓ\s+)?CHỦ TỊCH)\s*$", p.text)
        if not m:
            continue
        name = paras[i + 1].text
        if 2 <= len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split()):
            out.meta.setdefault("signer", name)
            out.meta_loc.setdefault("signer", paras[i + 1].loc)
            out.meta.setdefault("signer_title", m.group(1).capitalize().replace("Chủ tịch", "Chủ tịch"))
            out.meta_loc.setdefault("signer_title", p.loc)
            return


# --- the Phụ lục table -------------------------------------------------------------------

_COLS = {
    "group": ("nhiệm vụ chung",),
    "text": ("nhiệm vụ cụ thể", "nội dung"),
    "product": ("sản phẩm",),
    "lead": ("chủ trì",),
    "support": ("phối hợp",),
    "deadline": ("thời gian", "thời hạn"),
    "budget": ("kinh phí",),
}


def _header(cells: list[Cell]) -> dict[str, int] | None:
    found = {}
    for j, c in enumerate(cells):
        t = c.text.casefold()
        for key, words in _COLS.items():
            if key not in found and any(w in t for w in words):
                found[key] = j
                break
    return found if {"text", "lead"} <= found.keys() else None


def _cell(cells: list[Cell], cols: dict[str, int], key: str) -> str:
    return cells[cols[key]].text if key in cols and cols[key] < len(cells) else ""


def _annex(table: Table, out: Parsed) -> list[AnnexRow]:
    from cchc_lib.plan.importer.cells import place_cells

    cols = None
    rows: list[AnnexRow] = []
    group, group_loc = "", ""
    stray: list[str] = []
    for cells in table.rows:
        if (h := _header(cells)) is not None:
            cols = cols or h
            continue
        if cols is None:
            continue
        label, text = _cell(cells, cols, "group"), _cell(cells, cols, "text")
        if label and re.match(r"^[IVX]+\.\s", label):
            group, group_loc = label, cells[cols["group"]].loc
        if not text:
            continue
        others = [c.text for j, c in enumerate(cells) if j not in (cols.get("group"), cols["text"]) and c.text]
        if re.match(r"^[IVX]+\.\s", text) and not others:
            where = cells[cols["text"]].loc
            stray.append(f"dòng tiêu đề lạc “{text}” ({where}) nằm trong cột Nhiệm vụ cụ thể, không phải nhiệm vụ")
            out.notes.append((where, stray[-1]))
            group, group_loc = text, where
            continue
        num = re.match(r"^(\d+)\.\s*", text)
        row = AnnexRow(
            group,
            group_loc,
            int(num.group(1)) if num else 0,
            text[num.end() :] if num else text,
            _cell(cells, cols, "product"),
            "",
            "",
            "",
            "",
            cells[cols["text"]].loc,
        )
        row.notes.extend(stray)
        stray.clear()
        place_cells(row, cells, cols)
        for u in (row.lead, row.support):
            for s in [x for x in u.split(";") if x.strip()]:
                out.spellings.append((s.strip(), row.loc.rsplit(", ô", 1)[0]))
        rows.append(row)
    return rows
