"""``cchc plan import``: the signed decision (.docx, .txt, .pdf) → a pre-filled plan workbook.

sources (read the file) → structure (find the plan's sections) → draft (tables, ids, flags)
→ the plan's own lint run on the draft → the workbook of ``plan.workbook``. Every row
carries its location in the decision and what the analyst should check.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cchc_lib.core.errors import DataError, display_path
from cchc_lib.plan.importer.draft import DraftTables, Rows
from cchc_lib.plan.importer.sources import Para, read_decision
from cchc_lib.plan.importer.structure import parse
from cchc_lib.plan.layout import REVIEW_COL, SHEETS, SOURCE_COL

__all__ = ["Draft", "draft_from_file", "import_decision"]

META_DEFAULTS = {"sample": False, "language": "vi"}


@dataclass
class Draft:
    meta: dict
    tables: dict[str, pd.DataFrame]
    notes: dict[str, str] = field(default_factory=dict)  # meta key → what to check
    path: Path | None = None

    @property
    def flagged(self) -> int:
        return int(sum((df[REVIEW_COL].fillna("") != "").sum() for df in self.tables.values()))

    def counts(self) -> str:
        t, k = self.tables["targets"], self.tables["tasks"]
        return (
            f"{len(self.tables['areas'])} lĩnh vực, {len(t)} chỉ tiêu ({int(t['measurable'].sum())} đo được), "
            f"{len(k)} nhiệm vụ ({int(k['task_id'].str.startswith('PL').sum())} ở Phụ lục), "
            f"{len(self.tables['units'])} đơn vị, {len(self.tables['objectives'])} mục tiêu chung"
        )


def _columns(table: str) -> list[str]:
    return [f.name for f in next(s.spec for s in SHEETS if s.table == table).fields]


def _unit_rows(d: DraftTables) -> Rows:
    rows = Rows()
    for u in d.book.units:
        flags = [] if u.source_ref else ["đơn vị không có ở mục IV: kiểm tra tên chuẩn và cấp"]
        if len(u.spellings) > 0:
            flags.append(f"đã gộp {len(u.spellings) + 1} cách viết: kiểm tra cột Cách viết khác")
        rows.add(
            {
                "unit_id": u.unit_id,
                "name": u.name,
                "name_en": "",
                "aliases": ";".join(u.spellings),
                "level": u.level,
                "responsibilities": "\n".join(u.duties),
                "source_ref": u.source_ref,
            },
            ", ".join([*u.locs[:3], "…"] if len(u.locs) > 3 else u.locs),
            flags,
        )
    return rows


def _meta(parsed, path: Path, direction: str | None) -> tuple[dict, dict[str, str]]:
    meta = {**parsed.meta, "source_file": display_path(path), **META_DEFAULTS}
    notes = {k: f"đọc từ {parsed.meta_loc[k]}" for k in parsed.meta if k in parsed.meta_loc}
    if direction:
        meta["direction_area"] = direction
        notes["direction_area"] = "lĩnh vực có tên “chỉ đạo, điều hành”: cần xem lại"
    # where the plan lists its areas' standing duties, in the reports' words
    meta["terms"] = {
        "tasks_section": f"mục {parsed.area_section}",
        "tasks_section_en": f"section {parsed.area_section}",
    }
    for key in ("commune", "year", "decision_number", "decision_date", "title"):
        if key not in meta:
            notes[key] = "không tìm thấy trong văn bản: cần điền"
    return meta, notes


def _lint_flags(draft: Draft) -> None:
    """The plan's own lint, run on the draft: its findings become review flags on the rows
    they name (conflicts, deadlines before the decision, group labels, copied rows…)."""
    from cchc_lib.plan.build import write_folder
    from cchc_lib.plan.model import load_plan

    plan_tables = {k: df.drop(columns=[SOURCE_COL, REVIEW_COL]) for k, df in draft.tables.items()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(Path(tmp) / "draft", {"plan_id": "draft", **draft.meta}, plan_tables, {})
        try:
            findings = load_plan(folder).lint()
        except DataError as exc:
            draft.notes["title"] = "; ".join([draft.notes.get("title", ""), *[str(i) for i in exc.issues[:5]]]).strip(
                "; "
            )
            return
    for f in findings.itertuples():
        refs = {str(r) for r in f.refs}
        hit_any = False
        for df in draft.tables.values():
            hit = df[df.columns[0]].astype(str).isin(refs)
            if not hit.any() and "source_ref" in df.columns:
                hit = df["source_ref"].astype(str).isin(refs)
            for i in df.index[hit]:
                hit_any = True
                old = df.at[i, REVIEW_COL]
                if f.message not in old:
                    df.at[i, REVIEW_COL] = f"{old}; {f.message}".strip("; ")
        if not hit_any:  # about the document as a whole (e.g. a gap in the numbering)
            draft.notes["source_file"] = "; ".join([draft.notes.get("source_file", ""), f.message]).strip("; ")


def draft_from_file(path: Path | str) -> Draft:
    path = Path(path)
    blocks = read_decision(path)
    parsed = parse(blocks)
    d = DraftTables(parsed)
    d.build()
    tables = {
        "areas": d.areas.frame(_columns("areas")),
        "objectives": d.objectives.frame(_columns("objectives")),
        "targets": d.targets.frame(_columns("targets")),
        "tasks": d.tasks.frame(_columns("tasks")),
        "units": _unit_rows(d).frame(_columns("units")),
        "corrections": Rows().frame(_columns("corrections")),
    }
    direction = next((a for a in parsed.areas if "chỉ đạo" in a.heading.casefold()), None)
    meta, notes = _meta(parsed, path, f"{direction.section}.{direction.number}" if direction else None)
    if not parsed.annex and any(isinstance(b, Para) and "phụ lục" in b.text.casefold() for b in blocks):
        notes["source_file"] = (
            "văn bản có Phụ lục nhưng không đọc được bảng (bảng trong PDF mất cấu trúc cột): "
            "cần nhập trang Phụ lục từ bản Word hoặc bằng tay"
        )
    draft = Draft(meta, tables, notes)
    if all(k in meta for k in ("commune", "year", "decision_number", "decision_date", "title")):
        _lint_flags(draft)
    return draft


def import_decision(path: Path | str, out: Path | str) -> Draft:
    """Read the decision and write the pre-filled plan workbook to ``out``."""
    draft = draft_from_file(path)
    draft.path = layout_write(draft, out)
    return draft


def layout_write(draft: Draft, out: Path | str) -> Path:
    from cchc_lib.plan.workbook import write_workbook

    return write_workbook(out, draft.meta, draft.tables, notes=draft.notes)
