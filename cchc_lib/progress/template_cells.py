"""Cells, styles, sheet layout and drop-downs of the data-entry workbook (see ``template``)."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.core.periods import Period, parse_period
from cchc_lib.core.spreadsheet import keep_as_text
from cchc_lib.i18n import fmt
from cchc_lib.progress.specs import CHANNEL_WORDS, RATING_WORDS, SPECS, STATUS_WORDS, kind_of

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
        ("Số liệu gần nhất (kỳ)", 18, False),
    ),
    "tasks": (
        ("Lĩnh vực", 9, False),
        ("Nội dung nhiệm vụ", 60, True),
        ("Đơn vị chủ trì", 22, True),
        ("Thời hạn", 26, True),
        ("Chuyển sang từ kỳ trước", 34, True),
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
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def template_name(plan, period: Period | str) -> str:
    """File name of the template when ``out`` is a folder."""
    return f"mau-nhap-lieu_{plan.plan_id}_{parse_period(period).code}.xlsx"


# --- cells -------------------------------------------------------------------------------


def put(
    ws: Worksheet, row: int, col: int, value, *, ref: bool = False, wrap: bool = False, number_format: str | None = None
):
    """Write one cell; text is always text (a plan sentence starting with '=' is no formula)."""
    if value is not None and not isinstance(value, str) and fmt.is_missing(value):
        value = None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    keep_as_text(cell)  # "=", "+", "-", "@"… stay text (OWASP), as in the dashboard's exports
    cell.alignment = TOP_WRAP if wrap else _TOP
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
        cell = put(
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
        put(sheet.ws, row, sheet.ref_col(header), refs.get(header), ref=True, wrap=wrap)


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

    def col_range(name: str) -> str:
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
