"""The Excel data-entry template for one reporting period.

``write_template(plan, "2024-Q2", out)`` writes a workbook a commune officer fills in and
drops into ``data/progress/<plan-id>/<folder>/``; ``progress.load_progress`` reads it back
with no conversion step:

* one sheet per input kind, named so that ``progress.kind_of`` recognises it ("Chỉ tiêu",
  "Nhiệm vụ", "Hồ sơ TTHC", "Phản ánh kiến nghị", "Ghi chú"), plus a first sheet
  "Hướng dẫn" that no kind claims, so it is never read as data;
* row 1 holds the Vietnamese ``label`` of every field of ``progress.SPECS`` (which
  ``schemas.rename_headers`` maps back to the canonical ids), then grey *reference*
  columns (what the target or task is, its plan value, deadline, last period's figure).
  Reference headers are chosen so that they never map to a field: the loader keeps them
  as extra columns and ignores them;
* rows are pre-filled with the keys (every measurable target, every task, one note per
  area plus a general one) and the period code. A pre-filled row left empty is counted
  as "not entered", never as an error;
* drop-down lists carry the display words of ``STATUS_WORDS``, ``CHANNEL_WORDS``,
  ``RATING_WORDS`` and "Có"/"Không"; date cells are formatted dd/mm/yyyy so that typed
  dates stay real dates.

The file is reproducible: no timestamps in cells, document properties dated from the
period, and the zip entries carry a fixed date, so the same plan, period and progress
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from cchc_lib.core.errors import DataError, Issue, Msg, display_path
from cchc_lib.core.periods import Period, PeriodError, label, parse_period, periods_in_year, window
from cchc_lib.i18n import fmt
from cchc_lib.progress.loader import Progress
from cchc_lib.progress.specs import STATUS_WORDS, kind_of
from cchc_lib.progress.template_cells import (
    _DOSSIER_KPIS,
    _FEEDBACK_KPIS,
    _WRAP_FIELDS,
    INSTRUCTIONS_SHEET,
    KEY_ROWS,
    KPI_FROM_DOSSIERS,
    KPI_FROM_FEEDBACK,
    LOG_ROWS,
    REFERENCE_COLUMNS,
    SHEET_NAMES,
    SHEET_ORDER,
    TOP_WRAP,
    UNIT_WORDS,
    _add,
    _list_validation,
    _new_sheet,
    _number_validation,
    _Sheet,
    _text,
    _validate_common,
    _write_row,
    template_name,
)
from cchc_lib.progress.template_guide import write_instructions

__all__ = [
    "INSTRUCTIONS_SHEET",
    "REFERENCE_COLUMNS",
    "SHEET_NAMES",
    "SHEET_ORDER",
    "template_name",
    "write_template",
]

# --- previous-period lookups -------------------------------------------------------------


def _before(df: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Rows of periods that ended (calendar) before ``period`` starts, oldest first: Q1 and H1
    are before Q3, but H1 is not before Q2."""
    start = window(period, "calendar").start
    spans = {code: window(code, "calendar") for code in df["period"].dropna().unique()}
    df = df[df["period"].map(lambda c: spans[c].end < start)].copy()
    df["_end"] = df["period"].map(lambda c: spans[c].end)
    df["_start"] = df["period"].map(lambda c: spans[c].start)
    return df.sort_values(["_end", "_start"], kind="stable")


def _previous_values(progress: Progress | None, period: Period, targets: pd.DataFrame) -> dict[str, str]:
    """target_id → the latest value entered before this period, "as of" its period."""
    if progress is None or progress.indicators.empty:
        return {}
    units = dict(zip(targets["target_id"], targets["unit"]))
    df = _before(progress.indicators[progress.indicators["value"].notna()], period)
    out = {}
    for r in df.drop_duplicates("target_id", keep="last").itertuples():
        unit = units.get(r.target_id)
        out[r.target_id] = f"{fmt.value(r.value, None if pd.isna(unit) else unit)} ({label(r.period)})"
    return out


def _previous_status(progress: Progress | None, period: Period, tasks: pd.DataFrame) -> dict[str, str]:
    """task_id → what the periods before this one recorded (what carries over).

    A deadline task done in an earlier period says so, with its date and evidence: it needs
    no new entry and stays done. Otherwise the latest status, with the period it is from; a
    standing duty says it needs this quarter's report.
    """
    recurring = dict(zip(tasks["task_id"], tasks["recurring"]))
    out: dict[str, str] = {t: "Thường xuyên – cần báo cáo kỳ này" for t, r in recurring.items() if r}
    if progress is None or progress.tasks.empty:
        return out
    df = _before(progress.tasks[progress.tasks["status"].notna()], period)
    for task_id, group in df.groupby("task_id", sort=False):
        done = group[(group["status"] == "done") & group["completed_on"].notna()]
        last = group.iloc[-1]
        if not recurring.get(task_id, False) and not done.empty:
            first = done.sort_values("completed_on", kind="stable").iloc[0]
            evidence = f"; {first['evidence']}" if pd.notna(first["evidence"]) else ""
            out[task_id] = (
                f"Đã hoàn thành ngày {fmt.date_short(first['completed_on'].date())} ({label(first['period'])})"
                f"{evidence} – đã chuyển sang, không cần nhập lại"
            )
        elif recurring.get(task_id, False):
            out[task_id] = f"Thường xuyên – cần báo cáo kỳ này (kỳ gần nhất: {label(last['period'])})"
        else:
            out[task_id] = f"{STATUS_WORDS['vi'][last['status']]} ({label(last['period'])})"
    return out


# --- sheets ------------------------------------------------------------------------------


def _how_to_compute(t) -> str:
    kpi = None if pd.isna(t.kpi) else t.kpi
    if kpi in _DOSSIER_KPIS:
        return KPI_FROM_DOSSIERS
    if kpi in _FEEDBACK_KPIS:
        return KPI_FROM_FEEDBACK
    if t.unit == "rating":
        return "Nhập kết quả xếp loại bằng số: 1 yếu, 2 trung bình, 3 khá, 4 tốt"
    if t.unit == "per_month":
        return "Nhập số bình quân mỗi tháng trong kỳ"
    if t.unit == "count":
        return "Nhập số lượng đạt được"
    base = "Nhập tỷ lệ % (ví dụ 42,5), hoặc nhập Tử số và Mẫu số để tự tính"
    den = _text(t.denominator)
    return f"{base}; mẫu số: {den}" if den else base


def _plan_value(t) -> str:
    if pd.isna(t.target_value):
        return ""
    comparator = "" if pd.isna(t.comparator) else f"{t.comparator} "
    return comparator + fmt.value(t.target_value, None if pd.isna(t.unit) else t.unit)


def _indicators(wb: Workbook, plan, period: Period, progress, period_codes: list[str]) -> _Sheet:
    sheet = _new_sheet(wb, "indicators")
    targets = plan.targets[plan.targets["measurable"]]
    prev = _previous_values(progress, period, plan.targets)
    ranges: dict[str, list[str]] = {}
    value_col = sheet.letter("value")
    for row, t in enumerate(targets.itertuples(), start=2):
        _write_row(
            sheet,
            row,
            {"target_id": t.target_id, "period": period.code},
            {
                "Lĩnh vực": t.area_id,
                "Tên chỉ tiêu": t.indicator,
                "Nội dung chỉ tiêu": t.text,
                "Chỉ tiêu kế hoạch": _plan_value(t),
                "Đơn vị tính": UNIT_WORDS.get(t.unit, _text(t.unit)),
                "Cách tính": _how_to_compute(t),
                "Số liệu gần nhất (kỳ)": prev.get(t.target_id),
            },
        )
        ranges.setdefault(t.unit, []).append(f"{value_col}{row}")
    ws = sheet.ws
    _add(
        ws,
        _number_validation(
            "decimal",
            0,
            100,
            "Tỷ lệ phần trăm",
            "Nhập tỷ lệ từ 0 đến 100, ví dụ 42,5 (không nhập 0,425, không gõ dấu %).",
        ),
        ranges.get("percent", []),
    )
    _add(
        ws,
        _number_validation("whole", 1, 4, "Xếp loại", "Nhập 1 (yếu), 2 (trung bình), 3 (khá) hoặc 4 (tốt)."),
        ranges.get("rating", []),
    )
    _add(
        ws,
        _number_validation("decimal", 0, None, "Số lượng", "Nhập một số không âm.", operator="greaterThanOrEqual"),
        ranges.get("count", []) + ranges.get("per_month", []),
    )
    num, den = sheet.letter("numerator"), sheet.letter("denominator")
    _add(
        ws,
        _number_validation(
            "decimal",
            0,
            None,
            "Tử số, mẫu số",
            "Tử số và mẫu số nhập cùng nhau (số không âm; mẫu số lớn hơn 0).",
            operator="greaterThanOrEqual",
        ),
        [f"{num}2:{den}{KEY_ROWS}"],
    )
    _validate_common(sheet, period_codes, plan.year, KEY_ROWS)
    return sheet


def _deadline_text(t) -> str:
    text = _text(t.deadline_text)
    if pd.isna(t.deadline):
        return text or "Thường xuyên"
    day = fmt.date_short(t.deadline.date())
    if not text:
        return day
    return text if day in text else f"{text} ({day})"


def _tasks(wb: Workbook, plan, period: Period, progress, period_codes: list[str]) -> _Sheet:
    sheet = _new_sheet(wb, "tasks")
    before = _previous_status(progress, period, plan.tasks)
    for row, t in enumerate(plan.tasks.itertuples(), start=2):
        unit = plan.unit_name(t.lead_unit_id) if pd.notna(t.lead_unit_id) else _text(t.lead_unit)
        _write_row(
            sheet,
            row,
            {"task_id": t.task_id, "period": period.code},
            {
                "Lĩnh vực": t.area_id,
                "Nội dung nhiệm vụ": t.text,
                "Đơn vị chủ trì": unit,
                "Thời hạn": _deadline_text(t),
                "Chuyển sang từ kỳ trước": before.get(t.task_id),
            },
        )
    _validate_common(sheet, period_codes, plan.year, KEY_ROWS)
    return sheet


NOTE_SECTION_ROWS = (
    "Công tác kế hoạch",
    "Công tác kiểm tra",
    "Công tác tuyên truyền",
    "Khảo sát sự hài lòng",
    "Sáng kiến, mô hình mới",
    "Ưu điểm",
    "Tồn tại, hạn chế",
    "Nguyên nhân",
    "Phương hướng, nhiệm vụ kỳ tới",
    "Đề xuất, kiến nghị",
)


def _notes(wb: Workbook, plan, period: Period, period_codes: list[str]) -> _Sheet:
    sheet = _new_sheet(wb, "notes")
    rows = [(None, None, "Nhận xét chung (để trống Mã lĩnh vực)")]
    rows += [(a.area_id, None, a.name) for a in plan.areas.itertuples()]
    # One row per section of the official report: its text goes in "Nội dung".
    rows += [(None, word, f"Báo cáo chính thức — mục “{word}”") for word in NOTE_SECTION_ROWS]
    for row, (area_id, section, name) in enumerate(rows, start=2):
        inputs = {"period": period.code, "area_id": area_id, "section": section}
        _write_row(sheet, row, inputs, {"Tên lĩnh vực": name})
    ws = sheet.ws
    _add(
        ws,
        _list_validation(
            list(plan.areas["area_id"]), "Mã lĩnh vực", "Mã lĩnh vực của kế hoạch; để trống nếu là nhận xét chung."
        ),
        [f"{sheet.letter('area_id')}2:{sheet.letter('area_id')}{KEY_ROWS}"],
    )
    _validate_common(sheet, period_codes, plan.year, KEY_ROWS)
    return sheet


def _log(wb: Workbook, kind: str, plan, period_codes: list[str]) -> _Sheet:
    """Dossier or feedback log: headers, formats and drop-downs only (pasted from exports)."""
    sheet = _new_sheet(wb, kind)
    for f in sheet.fields:
        if f.name in _WRAP_FIELDS:
            sheet.ws.column_dimensions[get_column_letter(sheet.col(f.name))].alignment = TOP_WRAP
    _validate_common(sheet, period_codes, plan.year, LOG_ROWS)
    return sheet


def _filters(sheet: _Sheet, last_row: int) -> None:
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(sheet.width)}{max(last_row, 2)}"


# --- writing -----------------------------------------------------------------------------


def _target_path(plan, period: Period, out: str | os.PathLike) -> Path:
    out = Path(out)
    if out.is_dir():
        return out / template_name(plan, period)
    if out.suffix.lower() == ".xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        return out
    if out.suffix:
        raise DataError(Issue(display_path(out), Msg.of("template.suffix")))
    out.mkdir(parents=True, exist_ok=True)
    return out / template_name(plan, period)


def _fixed_stamp(period: Period) -> dt.datetime:
    """Document date derived from the period (its first calendar day), never the clock."""
    return dt.datetime.combine(window(period, "calendar").start, dt.time())


def _workbook_bytes(wb: Workbook, stamp: dt.datetime) -> bytes:
    """Serialise like ``Workbook.save`` but reproducibly.

    ``save`` stamps the document with the current time and every zip entry with the
    clock; here the properties keep ``stamp`` and the entries are rewritten with it.
    """
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    fixed = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


def write_template(plan, period: Period | str, out: str | os.PathLike, progress: Progress | None = None) -> Path:
    """Write the data-entry workbook for ``period`` of ``plan``; return the file written.

    ``out`` is a folder (the file is named ``mau-nhap-lieu_<plan-id>_<period>.xlsx``) or
    an ``.xlsx`` path. ``progress`` (earlier periods, from ``load_progress``) fills the
    "Kỳ trước" and "Tình trạng kỳ trước" reference columns.
    """
    if kind_of(INSTRUCTIONS_SHEET) is not None:  # the loader would read the prose as data
        raise RuntimeError(f"tên trang '{INSTRUCTIONS_SHEET}' trùng tên một loại dữ liệu trong progress.KIND_NAMES")
    period = parse_period(period)
    if period.year != plan.year:
        raise PeriodError(str(Msg.of("template.other_year", period=period.code, year=str(plan.year))))
    path = _target_path(plan, period, out)
    period_codes = [p.code for p in periods_in_year(plan.year)]

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    write_instructions(guide, plan, period)
    builders = {
        "indicators": lambda: _indicators(wb, plan, period, progress, period_codes),
        "tasks": lambda: _tasks(wb, plan, period, progress, period_codes),
        "dossiers": lambda: _log(wb, "dossiers", plan, period_codes),
        "feedback": lambda: _log(wb, "feedback", plan, period_codes),
        "notes": lambda: _notes(wb, plan, period, period_codes),
    }
    sheets = {kind: builders[kind]() for kind in SHEET_ORDER}
    for kind in ("indicators", "tasks", "notes"):
        _filters(sheets[kind], sheets[kind].ws.max_row)
    wb.active = 0

    stamp = _fixed_stamp(period)
    commune = plan.meta.get("commune", "")
    props = wb.properties
    props.title = f"Mẫu nhập số liệu tiến độ CCHC – {label(period)} – {commune}".strip(" –")
    props.subject = str(plan.meta.get("title", ""))
    props.creator = "cchc"
    props.lastModifiedBy = "cchc"
    props.language = "vi-VN"
    props.keywords = f"{plan.plan_id} {period.code}"
    props.created = stamp
    props.modified = stamp

    data = _workbook_bytes(wb, stamp)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
    except PermissionError:  # the folder itself refuses: Excel has nothing to do with it
        raise DataError(Issue(display_path(path), Msg.of("template.write_denied"))) from None
    try:
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise DataError(Issue(display_path(path), Msg.of("template.write_locked"))) from None
    return path
