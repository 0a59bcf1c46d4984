"""The plan-entry workbook: ``plan new`` writes it, ``plan export`` fills it from a plan
folder, ``plan build`` validates it and writes the plan folder the loader reads.

The workbook is the plan folder in Excel clothes (layout in ``plan.layout``): the same
tables and columns, Vietnamese headers, drop-downs, and the TOML files as key/value sheets.
Building checks every sheet before stopping, so the analyst sees all problems at once.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cchc_lib.core import paths
from cchc_lib.core.errors import DataError, Issue, display_path
from cchc_lib.core.readers import read_csv
from cchc_lib.core.schemas import norm_key, parse_bool_series, parse_number_series
from cchc_lib.core.spreadsheet import keep_as_text
from cchc_lib.plan import layout, model
from cchc_lib.plan.layout import COLUMNS, SHEETS, Sheet

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")
MAX_ROWS = 1000  # rows covered by drop-downs


def _put(ws, row: int, col: int, value) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    keep_as_text(cell)  # "=" is a comparator and plan text may start with "=", "+", "-", "@": never a formula
    if isinstance(value, dt.date):
        cell.number_format = "dd/mm/yyyy"


def _shown(table: str, col: str, text: str):
    """A plan-folder cell as the workbook shows it: flags có/không, numbers as numbers."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return None
    spec = next(s.spec for s in SHEETS if s.table == table)
    f = next((f for f in spec.fields if f.name == col), None)
    if f is None:
        return text
    if f.kind == "bool":
        return {True: "có", False: "không"}.get(parse_bool_series(pd.Series([text])).iloc[0], text)
    if f.kind in ("number", "integer"):
        n = parse_number_series(pd.Series([text])).iloc[0]
        return text if pd.isna(n) else (int(n) if float(n).is_integer() else float(n))
    if f.kind == "choice" and f.choices and f.name in ("unit", "level"):
        canonical = f.choices.get(norm_key(text), text)
        return layout.display_choices(f.choices).get(canonical, text)
    return text


def _table_sheet(wb: Workbook, sheet: Sheet, df: pd.DataFrame | None) -> None:
    ws = wb.create_sheet(sheet.title)
    labels = COLUMNS[sheet.table]
    cols = [f.name for f in sheet.spec.fields]
    extra = [c for c in (df.columns if df is not None else []) if c not in cols]
    headers = [labels[c][0] if c in labels else c for c in cols] + extra
    for j, h in enumerate(headers, start=1):
        _put(ws, 1, j, h)
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        col = (cols + extra)[j - 1]
        if col in labels and labels[col][1]:
            cell.comment = Comment(labels[col][1] + (f"\nVí dụ: {labels[col][2]}" if labels[col][2] else ""), "cchc")
        width = 60 if col in ("text", "responsibilities", "note", "product") else 18
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "B2"
    if df is None:
        return
    for i, (_, rec) in enumerate(df.iterrows(), start=2):
        for j, col in enumerate(cols + extra, start=1):
            v = rec.get(col)
            value = _shown(sheet.table, col, v) if col in cols else (None if pd.isna(v) or v == "" else v)
            _put(ws, i, j, value)
            if col == layout.REVIEW_COL and value:
                for k in range(1, len(headers) + 1):
                    ws.cell(row=i, column=k).fill = REVIEW_FILL


def _validation(ws, col_name: str, formula: str, strict: bool) -> None:
    headers = [c.value for c in ws[1]]
    labels = {v[0]: k for t in COLUMNS.values() for k, v in t.items()}
    for j, h in enumerate(headers, start=1):
        if labels.get(h) == col_name or h == col_name:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict)
            dv.error = "Chọn một giá trị trong danh sách"
            letter = ws.cell(row=1, column=j).column_letter
            dv.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(dv)


def _lists_sheet(wb: Workbook, year: int) -> str:
    """Hidden sheet with the deadline forms; returns the range the drop-down refers to."""
    ws = wb.create_sheet(layout.LISTS_SHEET)
    forms = ["Thường xuyên", *[f"Quý {q}/{year}" for q in ("I", "II", "III", "IV")]]
    forms += [f"6 tháng đầu năm {year}", f"Trong năm {year}", f"Năm {year}", f"Trước ngày 31/03/{year}"]
    for i, f in enumerate(forms, start=1):
        _put(ws, i, 1, f)
    ws.sheet_state = "hidden"
    return f"'{layout.LISTS_SHEET}'!$A$1:$A${len(forms)}"


def _dropdowns(wb: Workbook, year: int) -> None:
    deadlines = _lists_sheet(wb, year)
    areas = f"'{SHEETS[0].title}'!$A$2:$A$200"
    units = "'Đơn vị'!$B$2:$B$500"
    t_units = ",".join(dict.fromkeys(layout.display_choices(model.TARGET_UNITS).values()))
    levels = ",".join(dict.fromkeys(layout.display_choices(model.LEVELS).values()))
    kpis = ",".join(model.KPIS)
    for sheet in SHEETS:
        ws = wb[sheet.title]
        if sheet.table != "areas":
            _validation(ws, "area_id", areas, strict=True)
        for col in ("lead_unit", "support_units"):
            _validation(ws, col, units, strict=False)  # aliases are accepted too
        if sheet.table == "targets":
            _validation(ws, "comparator", '"≥,≤,="', strict=True)
            _validation(ws, "unit", f'"{t_units}"', strict=False)
            _validation(ws, "measurable", '"có,không"', strict=True)
            _validation(ws, "kpi", f'"{kpis}"', strict=False)
        if sheet.table == "tasks":
            _validation(ws, "deadline_text", deadlines, strict=False)
            _validation(ws, "recurring", '"có,không"', strict=True)
        if sheet.table == "units":
            _validation(ws, "level", f'"{levels}"', strict=False)


def _kv_sheet(wb: Workbook, title: str, rows: list[tuple[str, object, str]], with_label: bool) -> None:
    ws = wb.create_sheet(title)
    head = [layout.KEY, layout.LABEL, layout.VALUE, layout.NOTE] if with_label else [layout.KEY, layout.VALUE]
    for j, h in enumerate(head, start=1):
        _put(ws, 1, j, h)
        ws.cell(row=1, column=j).font, ws.cell(row=1, column=j).fill = Font(bold=True), HEADER_FILL
    for i, (key, value, note) in enumerate(rows, start=2):
        label, example = layout.META_LABELS.get(key, ("", "")) if with_label else ("", "")
        cells = [key, label, layout.cell_for(value) if value is not None else None, note or example]
        for j, v in enumerate(cells if with_label else [cells[0], cells[2]], start=1):
            _put(ws, i, j, v)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 24
    ws.column_dimensions["C"].width = 70


def _help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(layout.HELP_SHEET, 0)
    lines = [
        ("SỔ NHẬP KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", True),
        ("Mỗi trang là một phần của kế hoạch. Dòng 1 là tiêu đề cột, không sửa; mỗi dòng sau là một bản ghi.", False),
        (
            "Nhập theo thứ tự: Thông tin chung → Đơn vị → Lĩnh vực → Chỉ tiêu → Nhiệm vụ → Phụ lục → Mục tiêu chung.",
            False,
        ),
        (
            "Ô có mũi tên là danh sách chọn. Đơn vị có thể ghi theo cách viết khác nếu đã khai ở cột “Cách viết khác”.",
            False,
        ),
        ("Số ghi bằng chữ số: 90% ghi 90; số thập phân dùng dấu phẩy (12,5). Ngày ghi dd/mm/yyyy.", False),
        (
            f"Cột “{layout.REVIEW_COL}” (nếu có) do chức năng nhập từ quyết định ghi: xem lại dòng đó rồi xóa ghi chú.",
            False,
        ),
        (
            "Khi xong: cchc plan build <tệp.xlsx> --id <mã-kế-hoạch>. "
            "Mọi lỗi được liệt kê cùng lúc theo trang, dòng, cột.",
            False,
        ),
        ("", False),
        ("Các trang", True),
        (f"{layout.META_SHEET}: số, ngày quyết định, xã, năm… (cột Khóa không sửa)", False),
        *[(f"{s.title}: {s.about}", False) for s in SHEETS],
        (f"{layout.RULES_SHEET}: quy tắc riêng của kế hoạch (rules.toml), mỗi khóa một dòng; có thể để trống", False),
        ("", False),
        ("Các cột và ví dụ", True),
    ]
    for sheet in SHEETS:
        lines.append((sheet.title, True))
        for label, meaning, example in COLUMNS[sheet.table].values():
            lines.append((f"  {label}: {meaning}" + (f" — ví dụ: {example}" if example else ""), False))
    for i, (text, bold) in enumerate(lines, start=1):
        _put(ws, i, 1, text)
        ws.cell(row=i, column=1).font = Font(bold=bold)
    ws.column_dimensions["A"].width = 130


def write_workbook(
    path: Path | str,
    meta: dict,
    tables: dict[str, pd.DataFrame] | None = None,
    rules: dict | None = None,
    notes: dict[str, str] | None = None,
) -> Path:
    """Write a plan-entry workbook. ``tables`` are text tables by plan file (tasks hold both
    NV and PL rows); ``notes`` are review notes for meta keys."""
    tables, notes = tables or {}, notes or {}
    wb = Workbook()
    wb.remove(wb.active)
    _help_sheet(wb)
    meta_rows = [(k, meta.get(k), notes.get(k, "")) for k in layout.META_LABELS]
    meta_rows += [(k, v, notes.get(k, "")) for k, v in layout.flatten(meta) if k not in layout.META_LABELS]
    meta_rows = [r for r in meta_rows if r[0] != "plan_id"]
    _kv_sheet(wb, layout.META_SHEET, meta_rows, with_label=True)
    for sheet in SHEETS:
        df = tables.get(sheet.table)
        if df is not None and sheet.id_prefix:
            df = df[df["task_id"].astype("string").str.startswith(sheet.id_prefix).fillna(False)]
        _table_sheet(wb, sheet, df)
    _kv_sheet(wb, layout.RULES_SHEET, [(k, v, "") for k, v in layout.flatten(rules or {})], with_label=False)
    year = meta.get("year") if isinstance(meta.get("year"), int) else dt.date.today().year
    _dropdowns(wb, year)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def new_workbook(path: Path | str, year: int | None = None) -> Path:
    """An empty plan-entry workbook (headers, drop-downs, instructions)."""
    return write_workbook(path, {"year": year or dt.date.today().year, "language": "vi", "sample": False})


def export_plan(ref: str, path: Path | str) -> Path:
    """An existing plan folder as a plan-entry workbook (the files' text, unchanged)."""
    plan = model.load_plan(ref)  # only a valid plan is exported
    folder = plan.path
    tables = {}
    for name in (*model.PLAN_FILES, *model.OPTIONAL_FILES):
        p = folder / f"{name}.csv"
        if p.exists():
            tables[name] = read_csv(p).reset_index(drop=True)
    meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8-sig"))
    rules_path = folder / "rules.toml"
    rules = tomllib.loads(rules_path.read_text(encoding="utf-8-sig")) if rules_path.exists() else {}
    return write_workbook(path, meta, tables, rules)


def plan_workbook_dir(out_root: Path | str | None) -> Path:
    return Path(out_root) if out_root else paths.data_root() / "plans"


def build_plan(xlsx: Path | str, plan_id: str, out_root: Path | str | None = None) -> Path:
    """Validate the workbook and write ``<out_root>/<plan_id>/``; DataError lists every problem."""
    from cchc_lib.plan.build import read_workbook, write_folder

    meta, tables, rules = read_workbook(Path(xlsx), plan_id)
    target = plan_workbook_dir(out_root) / plan_id
    with tempfile.TemporaryDirectory() as tmp:
        staged = write_folder(Path(tmp) / plan_id, meta, tables, rules)
        try:
            model.load_plan(staged)  # the loader has the last word
        except DataError as exc:
            raise DataError(
                [Issue(display_path(xlsx), f"kế hoạch dựng từ sổ chưa hợp lệ: {i}") for i in exc.issues]
            ) from None
        target.mkdir(parents=True, exist_ok=True)
        for f in staged.iterdir():
            shutil.copy2(f, target / f.name)
        if not rules and (target / "rules.toml").exists():
            (target / "rules.toml").unlink()  # the workbook's rules sheet is the source now
    return target


def load_workbook_sheets(path: Path) -> list[str]:
    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
