"""Reading a plan-entry workbook back into plan tables, checking everything at once.

Each sheet goes through the plan folder's own table specs (``plan.model``) with the
workbook headers accepted as column names, so a message quotes the sheet, the row and
the header as the analyst wrote it. Problems of every sheet are collected before failing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from pathlib import Path
from zipfile import BadZipFile

import pandas as pd
from openpyxl import load_workbook
from pydantic import ValidationError

from cchc_lib.core.errors import DataError, Issue, Msg, display_path
from cchc_lib.core.readers import read_excel
from cchc_lib.core.schemas import accepts, element_check, isin_check, load_table
from cchc_lib.plan import layout, model
from cchc_lib.plan.deadlines import DeadlineError, parse_deadline
from cchc_lib.plan.layout import SHEETS

DEADLINE_HINT = (
    "không đọc được thời hạn: cần dạng 'Trước ngày 05/01/2024', 'Quý I/2024', "
    "'6 tháng đầu năm 2024', 'Trong năm 2024', 'Năm 2024' hoặc 'Thường xuyên'"
)


def _kv_rows(ws, label: str, issues: list[Issue]) -> list[tuple[int, str, object]]:
    """(row, key, value) of a Khóa/Giá trị sheet; blank values are left out."""
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    missing = [h for h in (layout.KEY, layout.VALUE) if h not in header]
    if missing:
        issues.append(Issue(label, f"thiếu cột '{missing[0]}' ở dòng tiêu đề (cần các cột Khóa và Giá trị)", row=1))
        return []
    k, v = header.index(layout.KEY), header.index(layout.VALUE)
    out = []
    for n, r in enumerate(rows[1:], start=2):
        key = r[k] if k < len(r) else None
        value = r[v] if v < len(r) else None
        if key is None or str(key).strip() == "" or value is None or str(value).strip() == "":
            continue
        out.append((n, str(key).strip(), layout.value_from_cell(value)))
    return out


def _nest(rows, label: str, issues: list[Issue]) -> tuple[dict, dict[str, int]]:
    data: dict = {}
    where: dict[str, int] = {}
    for n, key, value in rows:
        try:
            parts = layout.split_key(key)
        except (tomllib.TOMLDecodeError, ValueError):
            issues.append(
                Issue(
                    label,
                    'khóa không hợp lệ (chữ, số, gạch nối; phần có dấu chấm đặt trong "…")',
                    row=n,
                    column=layout.KEY,
                    value=key,
                )
            )
            continue
        d = data
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = value
        where[parts[0]] = n
    return data, where


def _meta(wb, file: str, plan_id: str, issues: list[Issue]) -> dict:
    label = f"{file} [trang {layout.META_SHEET}]"
    raw, where = _nest(_kv_rows(wb[layout.META_SHEET], label, issues), label, issues)
    raw["plan_id"] = plan_id
    try:
        model.PlanMeta(**raw)
    except ValidationError as exc:
        for e in exc.errors():
            key = str(e["loc"][0])
            name = layout.META_LABELS.get(key, (key,))[0]
            if e["type"] == "missing":
                issues.append(Issue(label, f"thiếu '{name}' (khóa {key}): cần điền ở cột {layout.VALUE}"))
            else:
                issues.append(
                    Issue(
                        label,
                        f"'{name}' (khóa {key}): {e['msg']}",
                        row=where.get(key),
                        column=layout.VALUE,
                        value=str(raw.get(key)),
                    )
                )
    return {"plan_id": plan_id, **{k: v for k, v in raw.items() if k != "plan_id"}}


def _sheet(path: Path, title: str, issues: list[Issue]) -> pd.DataFrame | None:
    try:
        df = read_excel(path, title)
    except DataError as exc:
        issues.extend(exc.issues)
        return None
    return df.drop(columns=[c for c in layout.REVIEW_COLUMNS if c in df.columns])


def _load(df: pd.DataFrame | None, spec, issues: list[Issue], extra=None) -> pd.DataFrame | None:
    if df is None:
        return None
    try:
        return load_table(df, spec, extra)
    except DataError as exc:
        issues.extend(exc.issues)
        return None


def _measurable(targets: pd.DataFrame, issues: list[Issue]) -> None:
    headers = targets.attrs.get("header_map", {})
    for row, rec in targets[targets["measurable"]].iterrows():
        for col in ("comparator", "target_value", "unit"):
            if pd.isna(rec[col]):
                issues.append(
                    Issue(
                        targets.attrs["file"],
                        "chỉ tiêu đo được phải có giá trị ở cột này",
                        row=int(row),
                        column=headers.get(col, col),
                    )
                )


def _tables(path: Path, present: set[str], issues: list[Issue]) -> dict[str, pd.DataFrame]:
    raw = {s.title: _sheet(path, s.title, issues) for s in SHEETS if s.title in present}
    spec = {s.title: s.spec for s in SHEETS}
    out: dict[str, pd.DataFrame] = {}
    units = _load(raw.get("Đơn vị"), spec["Đơn vị"], issues)
    directory = None
    if units is not None:
        try:
            directory = model.UnitDirectory(units, units.attrs["file"])
        except DataError as exc:
            issues.extend(exc.issues)
        out["units"] = units
    unit_check = {"lead_unit": [directory.check()]} if directory else {}
    areas = _load(raw.get("Lĩnh vực"), spec["Lĩnh vực"], issues, unit_check)
    area_ids = list(areas["area_id"]) if areas is not None else None
    in_areas = {"area_id": [isin_check(area_ids, Msg.of("ref.area"), "trang Lĩnh vực")]} if area_ids is not None else {}
    targets = _load(raw.get("Chỉ tiêu"), spec["Chỉ tiêu"], issues, {**in_areas, **unit_check})
    if targets is not None:
        _measurable(targets, issues)
    task_checks = {
        **in_areas,
        **unit_check,
        "deadline_text": [element_check(accepts(parse_deadline, DeadlineError), DEADLINE_HINT)],
    }
    if directory:
        task_checks["support_units"] = [directory.check(many=True)]
    tasks = [_load(raw.get(t), spec[t], issues, task_checks) for t in ("Nhiệm vụ", "Phụ lục")]
    _cross_duplicates([t for t in tasks if t is not None], issues)
    t_check = (
        {"target_id": [isin_check(list(targets["target_id"]), Msg.of("ref.target"), "trang Chỉ tiêu")]}
        if (targets is not None)
        else {}
    )
    objectives = _load(raw.get("Mục tiêu chung"), spec["Mục tiêu chung"], issues, t_check)
    corrections = _load(raw.get("Sửa lỗi"), spec["Sửa lỗi"], issues)
    for name, df in (("areas", areas), ("targets", targets), ("objectives", objectives), ("corrections", corrections)):
        if df is not None:
            out[name] = df
    if all(t is not None for t in tasks):
        out["tasks"] = pd.concat(tasks, ignore_index=True)
    return out


def _cross_duplicates(tasks: list[pd.DataFrame], issues: list[Issue]) -> None:
    if len(tasks) < 2:
        return
    first = dict(zip(tasks[0]["task_id"], tasks[0].index))
    for row, tid in tasks[1]["task_id"].items():
        if tid in first:
            issues.append(
                Issue(
                    tasks[1].attrs["file"],
                    f"mã '{tid}' đã có ở {tasks[0].attrs['file']} dòng {first[tid]}; mỗi mã chỉ được xuất hiện một lần",
                    row=int(row),
                    column=tasks[1].attrs.get("header_map", {}).get("task_id", "task_id"),
                )
            )


def read_workbook(path: Path, plan_id: str) -> tuple[dict, dict[str, pd.DataFrame], dict]:
    """meta, validated tables and rules from a plan-entry workbook; DataError lists every problem."""
    file = display_path(path)
    if not path.exists():
        raise DataError(Issue(file, "không tìm thấy tệp sổ kế hoạch (.xlsx)"))
    try:
        wb = load_workbook(path, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(Issue(file, f"không mở được tệp Excel (.xlsx): {exc}")) from None
    issues: list[Issue] = []
    present = set(wb.sheetnames)
    needed = [layout.META_SHEET, *[s.title for s in SHEETS if s.required]]
    for title in needed:
        if title not in present:
            about = next((s.about for s in SHEETS if s.title == title), "thông tin chung của kế hoạch")
            issues.append(
                Issue(file, f"thiếu trang tính '{title}' ({about}); các trang có: {', '.join(wb.sheetnames)}")
            )
    meta = _meta(wb, file, plan_id, issues) if layout.META_SHEET in present else {}
    rules: dict = {}
    if layout.RULES_SHEET in present:
        label = f"{file} [trang {layout.RULES_SHEET}]"
        rules, _ = _nest(_kv_rows(wb[layout.RULES_SHEET], label, issues), label, issues)
    wb.close()
    tables = _tables(path, present, issues)
    if issues:
        raise DataError(issues, title=f"Sổ kế hoạch {file} có lỗi, cần sửa rồi chạy lại 'cchc plan build'")
    return meta, tables, rules


# --- writing the plan folder -------------------------------------------------------------


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.date | pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return str(v)


def write_csv(df: pd.DataFrame, spec, path: Path) -> None:
    cols = [f.name for f in spec.fields] + [c for c in df.columns if c not in {f.name for f in spec.fields}]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for _, rec in df.iterrows():
        w.writerow([_text(rec.get(c)) for c in cols])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")  # BOM: Excel on Windows shows Vietnamese


def write_folder(folder: Path, meta: dict, tables: dict[str, pd.DataFrame], rules: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.toml").write_text(layout.dump_toml(meta), encoding="utf-8")
    if rules:
        (folder / "rules.toml").write_text(layout.dump_toml(rules), encoding="utf-8")
    specs = {s.table: s.spec for s in SHEETS}
    for name, df in tables.items():
        write_csv(df, specs[name], folder / f"{name}.csv")
    return folder
