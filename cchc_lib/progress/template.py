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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.core.errors import DataError, Issue, display_path
from cchc_lib.core.periods import (
    Period,
    PeriodError,
    describe_window,
    label,
    parse_period,
    periods_in_year,
    previous,
    window,
)
from cchc_lib.core.spreadsheet import keep_as_text
from cchc_lib.i18n import fmt
from cchc_lib.progress.loader import CHANNEL_WORDS, RATING_WORDS, SPECS, STATUS_WORDS, Progress, kind_of

__all__ = [
    "INSTRUCTIONS_SHEET",
    "REFERENCE_COLUMNS",
    "SHEET_NAMES",
    "SHEET_ORDER",
    "template_name",
    "write_template",
]

INSTRUCTIONS_SHEET = "Hướng dẫn"


def _sheet_name(kind: str, candidates: tuple[str, ...]) -> str:
    """The first Vietnamese name that ``kind_of`` maps back to ``kind``."""
    for name in candidates:
        if kind_of(name) == kind:
            return name
    return kind  # the canonical id is always recognised


SHEET_NAMES: dict[str, str] = {
    "indicators": _sheet_name("indicators", ("Chỉ tiêu",)),
    "tasks": _sheet_name("tasks", ("Nhiệm vụ",)),
    "dossiers": _sheet_name("dossiers", ("Hồ sơ TTHC", "Hồ sơ")),
    "feedback": _sheet_name("feedback", ("Phản ánh kiến nghị", "Phản ánh, kiến nghị")),
    "notes": _sheet_name("notes", ("Ghi chú",)),
}
SHEET_ORDER = ("indicators", "tasks", "dossiers", "feedback", "notes")  # after the instructions

# Read-only information after the input columns (header, width, wrap text).
REFERENCE_COLUMNS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "indicators": (
        ("Lĩnh vực", 9, False),
        ("Tên chỉ tiêu", 42, True),
        ("Nội dung chỉ tiêu", 60, True),
        ("Chỉ tiêu kế hoạch", 14, False),
        ("Đơn vị tính", 13, False),
        ("Cách tính", 46, True),
        ("Kỳ trước", 12, False),
    ),
    "tasks": (
        ("Lĩnh vực", 9, False),
        ("Nội dung nhiệm vụ", 60, True),
        ("Đơn vị chủ trì", 22, True),
        ("Thời hạn", 26, True),
        ("Tình trạng kỳ trước", 30, True),
    ),
    "dossiers": (),
    "feedback": (),
    "notes": (("Tên lĩnh vực", 40, True),),
}

# Input column widths by field id (characters); others get _DEFAULT_WIDTH.
_WIDTHS = {
    "target_id": 12,
    "task_id": 13,
    "period": 12,
    "value": 14,
    "numerator": 10,
    "denominator": 10,
    "source": 24,
    "note": 28,
    "status": 17,
    "completed_on": 15,
    "evidence": 30,
    "dossier_id": 20,
    "field": 22,
    "procedure": 40,
    "received_date": 15,
    "due_date": 15,
    "returned_date": 16,
    "channel": 20,
    "dossier_digitized": 13,
    "result_digitized": 14,
    "rating": 16,
    "feedback_id": 16,
    "resolved_date": 15,
    "summary": 50,
    "area_id": 12,
    "highlights": 50,
    "difficulties": 50,
    "proposals": 50,
}
_DEFAULT_WIDTH = 14
_WRAP_FIELDS = {"source", "note", "evidence", "procedure", "summary", "highlights", "difficulties", "proposals"}

UNIT_WORDS = {"percent": "%", "count": "số lượng", "per_month": "số/tháng", "rating": "xếp loại 1–4"}
YES_NO = ("Có", "Không")
DATE_FORMAT = "dd/mm/yyyy"
KEY_ROWS = 1000  # validations on the pre-filled sheets reach this row (room for added rows)
LOG_ROWS = 5000  # … and on the pasted logs (dossiers, feedback)

_DOSSIER_KPIS = {
    "online_rate",
    "on_time_rate",
    "dossier_digitization_rate",
    "result_digitization_rate",
    "satisfaction_rate",
    "land_satisfaction_rate",
}
_FEEDBACK_KPIS = {"feedback_resolved_rate", "feedback_on_time_rate"}
KPI_FROM_DOSSIERS = "Tự tính từ sổ hồ sơ một cửa nếu trang Hồ sơ TTHC có dữ liệu; chỉ nhập khi không có sổ hồ sơ"
KPI_FROM_FEEDBACK = (
    "Tự tính từ sổ phản ánh, kiến nghị nếu trang Phản ánh kiến nghị có dữ liệu; chỉ nhập khi không có sổ phản ánh"
)

# Styles: blue headers for what the officer types, grey for what the plan says.
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_INPUT_HEAD_FONT = Font(bold=True, color="FFFFFF")
_REF_HEAD_FILL = PatternFill("solid", fgColor="BFBFBF")
_REF_HEAD_FONT = Font(bold=True, color="404040")
_REF_FILL = PatternFill("solid", fgColor="F2F2F2")
_REF_FONT = Font(color="595959")
_KEY_FONT = Font(bold=True)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP = Alignment(vertical="top")
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def template_name(plan, period: Period | str) -> str:
    """File name of the template when ``out`` is a folder."""
    return f"mau-nhap-lieu_{plan.plan_id}_{parse_period(period).code}.xlsx"


# --- cells -------------------------------------------------------------------------------


def _put(
    ws: Worksheet, row: int, col: int, value, *, ref: bool = False, wrap: bool = False, number_format: str | None = None
):
    """Write one cell; text is always text (a plan sentence starting with '=' is no formula)."""
    if value is not None and not isinstance(value, str) and fmt.is_missing(value):
        value = None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    keep_as_text(cell)
    cell.alignment = _TOP_WRAP if wrap else _TOP
    cell.border = _BORDER
    if ref:
        cell.fill = _REF_FILL
        cell.font = _REF_FONT
    if number_format:
        cell.number_format = number_format
    return cell


def _text(x) -> str | None:
    return None if x is None or fmt.is_missing(x) or str(x).strip() == "" else str(x)


@dataclass
class _Sheet:
    """One data sheet being written: its worksheet, kind and column positions."""

    ws: Worksheet
    kind: str

    @property
    def fields(self):
        return SPECS[self.kind].fields

    def col(self, field_name: str) -> int:
        return 1 + [f.name for f in self.fields].index(field_name)

    def ref_col(self, header: str) -> int:
        return 1 + len(self.fields) + [h for h, _, _ in REFERENCE_COLUMNS[self.kind]].index(header)

    def letter(self, field_name: str) -> str:
        return get_column_letter(self.col(field_name))

    @property
    def width(self) -> int:
        return len(self.fields) + len(REFERENCE_COLUMNS[self.kind])


def _new_sheet(wb: Workbook, kind: str) -> _Sheet:
    ws = wb.create_sheet(SHEET_NAMES[kind])
    sheet = _Sheet(ws, kind)
    for i, f in enumerate(sheet.fields, start=1):
        cell = ws.cell(row=1, column=i, value=f.label or f.name)
        cell.fill, cell.font = _INPUT_HEAD_FILL, _INPUT_HEAD_FONT
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(f.name, _DEFAULT_WIDTH)
        if f.kind == "date":
            # Column style: a date typed into any new row is shown (and kept) as a date.
            ws.column_dimensions[get_column_letter(i)].number_format = DATE_FORMAT
    for j, (header, width, _) in enumerate(REFERENCE_COLUMNS[kind], start=len(sheet.fields) + 1):
        cell = ws.cell(row=1, column=j, value=header)
        cell.fill, cell.font = _REF_HEAD_FILL, _REF_HEAD_FONT
        ws.column_dimensions[get_column_letter(j)].width = width
    for c in range(1, sheet.width + 1):
        ws.cell(row=1, column=c).alignment = _HEAD_ALIGN
        ws.cell(row=1, column=c).border = _BORDER
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "B2" if kind in ("indicators", "tasks") else "A2"
    return sheet


def _write_row(sheet: _Sheet, row: int, inputs: dict, refs: dict) -> None:
    """Input cells (keys pre-filled, others empty but styled) and grey reference cells."""
    for f in sheet.fields:
        value = inputs.get(f.name)
        cell = _put(
            sheet.ws,
            row,
            sheet.col(f.name),
            value,
            wrap=f.name in _WRAP_FIELDS,
            number_format=DATE_FORMAT if f.kind == "date" else None,
        )
        if f.name in ("target_id", "task_id", "area_id") and value:
            cell.font = _KEY_FONT
    for header, _, wrap in REFERENCE_COLUMNS[sheet.kind]:
        _put(sheet.ws, row, sheet.ref_col(header), refs.get(header), ref=True, wrap=wrap)


# --- validations -------------------------------------------------------------------------


def _list_validation(words, title: str, prompt: str | None = None) -> DataValidation | None:
    """A drop-down; None when Excel could not hold the list (inline lists stop at 255 characters)."""
    formula = '"' + ",".join(words) + '"'
    if len(formula) > 255 or any("," in w or '"' in w for w in words):
        return None
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = title
    dv.error = f"Chọn một trong các giá trị: {', '.join(words)}."
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = title
        dv.prompt = prompt
    return dv


def _number_validation(kind: str, low, high, title: str, message: str, operator: str = "between") -> DataValidation:
    args = {"formula1": str(low)} if operator != "between" else {"formula1": str(low), "formula2": str(high)}
    dv = DataValidation(type=kind, operator=operator, allow_blank=True, **args)
    # "warning": Excel asks before keeping an odd value instead of refusing it, so a
    # decimal comma typed on an English-locale Excel ("42,5", kept as text and read
    # correctly by the loader) is not blocked.
    dv.errorStyle = "warning"
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = dv.promptTitle = title
    dv.error = message
    dv.prompt = message
    return dv


def _date_validation(year: int) -> DataValidation:
    dv = DataValidation(
        type="date",
        operator="between",
        allow_blank=True,
        formula1=f"DATE({year - 1},1,1)",
        formula2=f"DATE({year + 1},12,31)",
    )
    dv.errorStyle = "warning"
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = dv.promptTitle = "Ngày"
    dv.error = (
        "Cần một ngày dạng dd/mm/yyyy, ví dụ 14/06/2024 (máy cài tiếng Anh - Mỹ: gõ 2024-06-14 "
        "để Excel không đảo ngày và tháng)."
    )
    dv.prompt = "Ghi ngày dạng dd/mm/yyyy, ví dụ 14/06/2024."
    return dv


def _add(ws: Worksheet, dv: DataValidation | None, ranges: list[str]) -> None:
    if dv is not None and ranges:
        for r in ranges:
            dv.add(r)
        ws.add_data_validation(dv)


def _validate_common(sheet: _Sheet, period_codes: list[str], year: int, last_row: int) -> None:
    """Drop-downs and checks every sheet of this kind gets, by field type."""
    ws = sheet.ws

    def col_range(name):
        return f"{sheet.letter(name)}2:{sheet.letter(name)}{last_row}"

    names = [f.name for f in sheet.fields]
    if "period" in names:
        _add(
            ws,
            _list_validation(period_codes, "Kỳ báo cáo", "Mã kỳ báo cáo, ví dụ " + period_codes[1]),
            [col_range("period")],
        )
    if "status" in names:
        _add(ws, _list_validation(list(STATUS_WORDS["vi"].values()), "Tình trạng"), [col_range("status")])
    if "channel" in names:
        _add(ws, _list_validation(list(CHANNEL_WORDS["vi"].values()), "Hình thức nộp"), [col_range("channel")])
    if "rating" in names:
        _add(ws, _list_validation(list(RATING_WORDS["vi"].values()), "Đánh giá"), [col_range("rating")])
    bools = [col_range(f.name) for f in sheet.fields if f.kind == "bool"]
    _add(ws, _list_validation(YES_NO, "Có hoặc Không"), bools)
    dates = [col_range(f.name) for f in sheet.fields if f.kind == "date"]
    _add(ws, _date_validation(year), dates)


# --- previous-period lookups -------------------------------------------------------------


def _previous_values(progress: Progress | None, period: Period, targets: pd.DataFrame) -> dict[str, str]:
    """target_id → last period's measured value, formatted in the target's unit."""
    prev = previous(period)
    if progress is None or prev is None or progress.indicators.empty:
        return {}
    units = dict(zip(targets["target_id"], targets["unit"]))
    df = progress.indicators
    df = df[(df["period"] == prev.code) & df["value"].notna()]
    return {
        r.target_id: fmt.value(r.value, None if pd.isna(units.get(r.target_id)) else units.get(r.target_id))
        for r in df.itertuples()
    }


def _previous_status(progress: Progress | None, period: Period, tasks: pd.DataFrame) -> dict[str, str]:
    """task_id → what the periods before this one recorded.

    A deadline task done in an earlier period says so (with its date): it needs no new
    entry. Otherwise the latest status before this period, with the period it is from.
    "Before" means the period ended (calendar) before this one starts, so Q1 and H1 are
    before Q3 but H1 is not before Q2.
    """
    if progress is None or progress.tasks.empty:
        return {}
    start = window(period, "calendar").start
    df = progress.tasks[progress.tasks["status"].notna()].copy()
    spans = {code: window(code, "calendar") for code in df["period"].dropna().unique()}
    df = df[df["period"].map(lambda c: spans[c].end < start)]
    if df.empty:
        return {}
    df["_end"] = df["period"].map(lambda c: spans[c].end)
    df["_start"] = df["period"].map(lambda c: spans[c].start)
    df = df.sort_values(["_end", "_start"], kind="stable")
    recurring = dict(zip(tasks["task_id"], tasks["recurring"]))
    out: dict[str, str] = {}
    for task_id, group in df.groupby("task_id", sort=False):
        done = group[group["status"] == "done"]
        if not recurring.get(task_id, False) and not done.empty:
            first = done.iloc[0]
            when = f"ngày {fmt.date_short(first['completed_on'].date())} " if pd.notna(first["completed_on"]) else ""
            out[task_id] = f"Đã hoàn thành {when}({label(first['period'])}) – không cần nhập lại"
        else:
            last = group.iloc[-1]
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
                "Kỳ trước": prev.get(t.target_id),
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
                "Tình trạng kỳ trước": before.get(t.task_id),
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
            sheet.ws.column_dimensions[get_column_letter(sheet.col(f.name))].alignment = _TOP_WRAP
    _validate_common(sheet, period_codes, plan.year, LOG_ROWS)
    return sheet


def _filters(sheet: _Sheet, last_row: int) -> None:
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(sheet.width)}{max(last_row, 2)}"


# --- instructions ------------------------------------------------------------------------


def _instructions(ws: Worksheet, plan, period: Period) -> None:
    win = window(period)
    folder = f"data/progress/{plan.plan_id}/{period.code}/"
    status = ", ".join(STATUS_WORDS["vi"].values())
    channel = ", ".join(CHANNEL_WORDS["vi"].values())
    rating = ", ".join(RATING_WORDS["vi"].values())
    sheets = SHEET_NAMES
    lines: list[tuple[str, str | None]] = [
        ("title", "HƯỚNG DẪN NHẬP SỐ LIỆU TIẾN ĐỘ CẢI CÁCH HÀNH CHÍNH"),
        ("text", f"{plan.meta.get('title', '')}".strip()),
        ("text", f"Kỳ báo cáo: {label(period)} (mã {period.code}); số liệu tính {describe_window(win)}."),
        ("blank", None),
        ("head", "1. Các trang cần nhập"),
        (
            "text",
            f"• Trang “{sheets['indicators']}”: mỗi dòng là một chỉ tiêu đo được của kế hoạch. "
            "Nhập “Giá trị đạt được”, hoặc “Tử số” và “Mẫu số” để chương trình tự tính tỷ lệ. "
            "Ghi “Nguồn số liệu” nếu có.",
        ),
        (
            "text",
            f"• Trang “{sheets['tasks']}”: mỗi dòng là một nhiệm vụ. Chọn “Tình trạng”; nhiệm vụ có thời hạn đã "
            "“Hoàn thành” phải có “Ngày hoàn thành”. Ghi số, ký hiệu văn bản hoặc sản phẩm ở cột “Văn bản, sản phẩm”.",
        ),
        (
            "text",
            f"• Trang “{sheets['dossiers']}”: sổ theo dõi hồ sơ thủ tục hành chính, thường dán từ tệp xuất của "
            "Hệ thống thông tin giải quyết TTHC (một cửa điện tử). Mỗi hồ sơ một dòng, giữ nguyên dòng tiêu đề.",
        ),
        ("text", f"• Trang “{sheets['feedback']}”: mỗi phản ánh, kiến nghị một dòng."),
        (
            "text",
            f"• Trang “{sheets['notes']}”: nhận xét của kỳ: kết quả nổi bật, tồn tại, đề xuất — một dòng nhận xét "
            "chung (Mã lĩnh vực để trống) và một dòng cho mỗi lĩnh vực; các dòng cuối (cột “Mục báo cáo”) là "
            "từng mục của báo cáo chính thức (công tác kiểm tra, tuyên truyền, sáng kiến…): ghi vào cột “Nội dung”.",
        ),
        (
            "text",
            "• Trang nào không có số liệu thì để trống; dòng đã có sẵn mã mà không nhập gì thì chương trình "
            "coi là “chưa nhập” và không dùng, không báo lỗi.",
        ),
        ("blank", None),
        ("head", "2. Cách ghi"),
        (
            "text",
            "• Cột tiêu đề màu xanh đậm là cột nhập liệu. Cột tiêu đề màu xám là thông tin tham khảo lấy từ kế hoạch "
            "(nội dung, chỉ tiêu kế hoạch, thời hạn, số liệu kỳ trước): không cần sửa, "
            "chương trình không đọc các cột này.",
        ),
        ("text", "• Không đổi tên các trang, không sửa dòng tiêu đề, không xóa cột mã và cột “Kỳ báo cáo”."),
        ("text", f"• Tình trạng nhiệm vụ: {status}."),
        ("text", f"• Hình thức nộp hồ sơ: {channel}."),
        ("text", f"• Đánh giá (mức độ hài lòng): {rating}."),
        ("text", "• Số hóa hồ sơ, số hóa kết quả: Có hoặc Không."),
        (
            "text",
            "• Ngày tháng ghi dạng dd/mm/yyyy, ví dụ 14/06/2024. Nếu máy tính cài định dạng tiếng Anh (Mỹ), "
            "gõ 2024-06-14 để Excel không đảo ngày và tháng.",
        ),
        ("text", "• Tỷ lệ phần trăm ghi số trên thang 0–100: ghi 42,5 (không ghi 0,425 và không gõ dấu %)."),
        ("text", "• Số không dùng dấu phân cách hàng nghìn: ghi 1250, không ghi 1.250."),
        ("text", "• Xếp loại ghi bằng số: 1 yếu, 2 trung bình, 3 khá, 4 tốt."),
        ("blank", None),
        ("head", "3. Lưu tệp và lập báo cáo"),
        (
            "text",
            f"• Lưu tệp (định dạng .xlsx) vào thư mục {folder} — mỗi kỳ một thư mục, trong thư mục chỉ để một "
            "tệp Excel này (không để thêm tệp CSV cùng loại).",
        ),
        ("text", f"• Sau đó chạy lệnh: cchc report --period {period.code}"),
        (
            "text",
            "• Nếu số liệu có lỗi, chương trình báo tên trang, số dòng và tên cột cần sửa; "
            "sửa trong tệp này rồi chạy lại.",
        ),
        ("text", "• Trang “Hướng dẫn” này không được đọc như số liệu."),
    ]
    ws.column_dimensions["A"].width = 120
    for row, (style, text) in enumerate(lines, start=1):
        if text is None:
            continue
        cell = _put(ws, row, 1, text, wrap=True)
        cell.border = Border()
        if style == "title":
            cell.font = Font(bold=True, size=14, color="1F4E78")
        elif style == "head":
            cell.font = Font(bold=True, size=12)
    ws.sheet_view.showGridLines = False


# --- writing -----------------------------------------------------------------------------


def _target_path(plan, period: Period, out: str | os.PathLike) -> Path:
    out = Path(out)
    if out.is_dir():
        return out / template_name(plan, period)
    if out.suffix.lower() == ".xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        return out
    if out.suffix:
        raise DataError(
            Issue(
                display_path(out),
                "tệp mẫu nhập liệu phải có đuôi .xlsx (hoặc chỉ định một thư mục để dùng tên mặc định)",
            )
        )
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
        raise PeriodError(
            f"Kỳ báo cáo {period.code} không thuộc năm kế hoạch {plan.year}: "
            f"chọn một kỳ của năm {plan.year}, ví dụ {plan.year}-Q2"
        )
    path = _target_path(plan, period, out)
    period_codes = [p.code for p in periods_in_year(plan.year)]

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    _instructions(guide, plan, period)
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
        os.replace(tmp, path)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise DataError(
            Issue(display_path(path), "không ghi được tệp: tệp có thể đang mở trong Excel; đóng tệp rồi chạy lại")
        ) from None
    return path
