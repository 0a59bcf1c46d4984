"""The plan-entry workbook's layout: sheets, Vietnamese headers, help texts, TOML values.

One sheet per file of the plan folder (docs/plan-data.md), except that ``tasks.csv`` is
entered on two sheets — the "b) Nhiệm vụ" bullets of section II and the rows of the Phụ
lục — because the analyst copies them from two different places of the decision. The
column ids are the plan folder's; the headers are what the analyst reads, and either is
accepted when the workbook is built.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace

from cchc_lib.core.schemas import TableSpec, norm_key
from cchc_lib.plan import model


@dataclass(frozen=True)
class Sheet:
    title: str
    table: str  # file name in the plan folder, without .csv
    spec: TableSpec
    about: str  # one line for the "Hướng dẫn" sheet
    id_prefix: str = ""  # tasks: NV (section II) or PL (Phụ lục)
    required: bool = True


# header label, help text, example — per column id (the same id may appear in several tables)
COLUMNS: dict[str, dict[str, tuple[str, str, str]]] = {
    "areas": {
        "area_id": ("Mã lĩnh vực", "số mục trong kế hoạch", "III.2"),
        "order": ("Thứ tự", "thứ tự hiển thị", "2"),
        "name": ("Tên lĩnh vực", "tên tiếng Việt", "Cải cách thủ tục hành chính"),
        "name_en": ("Tên tiếng Anh", "tên tiếng Anh (cho báo cáo tiếng Anh)", "Administrative procedure reform"),
        "annex_group": ("Nhóm Phụ lục", "số La Mã của nhóm tương ứng trong Phụ lục", "II"),
        "lead_unit": ("Đơn vị theo dõi", "đơn vị mục IV giao theo dõi lĩnh vực (chọn trong danh sách)", ""),
        "source_ref": ("Nguồn", "vị trí trong văn bản", "III.2"),
    },
    "objectives": {
        "objective_id": ("Mã mục tiêu", "O1, O2, …", "O7"),
        "text": ("Nội dung", "nguyên văn mục tiêu chung (mục I)", ""),
        "target_id": ("Mã chỉ tiêu đo", "chỉ tiêu đo mục tiêu này, nếu có", "T3.6.04"),
        "source_ref": ("Nguồn", "vị trí trong văn bản", "I.7"),
        "note": ("Ghi chú", "", ""),
    },
    "targets": {
        "target_id": ("Mã chỉ tiêu", "T<số lĩnh vực>.<hai chữ số>, không trùng", "T3.2.01"),
        "area_id": ("Lĩnh vực", "mã lĩnh vực (chọn trong danh sách)", "III.2"),
        "text": ("Nội dung (nguyên văn)", "đoạn nhỏ nhất của văn bản nêu chỉ tiêu", ""),
        "indicator": ("Tên chỉ số", "tên ngắn", "Tỷ lệ hồ sơ giải quyết trực tuyến"),
        "indicator_en": ("Tên chỉ số (tiếng Anh)", "", "Share of dossiers handled online"),
        "measurable": ("Đo được", "có nếu chỉ tiêu có con số", "có"),
        "comparator": ("So sánh", "≥ (tối thiểu), ≤ (không quá), = (bằng)", "≥"),
        "target_value": ("Giá trị", "một số; 90% ghi là 90", "50"),
        "unit": ("Đơn vị đo", "%, số lượng, /tháng, xếp loại…", "%"),
        "denominator": ("Mẫu số", "tỷ lệ trên tổng số gì", "tổng số hồ sơ TTHC tiếp nhận"),
        "source_ref": ("Nguồn", "vị trí trong văn bản", "II.2.a-5"),
        "lead_unit": ("Đơn vị chủ trì", "chọn trong danh sách đơn vị", ""),
        "kpi": ("Chỉ số một cửa (kpi)", "chỉ số tính từ sổ hồ sơ một cửa đo chỉ tiêu này, nếu có", "online_rate"),
        "note": ("Ghi chú", "mâu thuẫn, cách hiểu", ""),
    },
    "tasks": {
        "task_id": ("Mã nhiệm vụ", "NV<số lĩnh vực>.<hai chữ số> (mục II) hoặc PL<số nhóm>.<hai chữ số> (Phụ lục)", ""),
        "area_id": ("Lĩnh vực", "mã lĩnh vực (chọn trong danh sách)", "III.2"),
        "text": ("Nội dung nhiệm vụ", "nguyên văn, bỏ số thứ tự", ""),
        "product": ("Sản phẩm", "cột Sản phẩm của Phụ lục", "Kế hoạch"),
        "lead_unit": ("Cơ quan chủ trì", "chọn trong danh sách đơn vị", ""),
        "support_units": ("Cơ quan phối hợp", "nhiều đơn vị cách nhau bằng dấu ;", ""),
        "deadline_text": ("Thời hạn", "Trước ngày dd/mm/yyyy, Quý I/yyyy, Trong năm yyyy, Thường xuyên…", ""),
        "recurring": ("Thường xuyên", "có nếu là nhiệm vụ thường xuyên", "không"),
        "budget": ("Kinh phí (đồng)", "số, để trống nếu không có", ""),
        "source_ref": ("Nguồn", "vị trí trong văn bản", ""),
        "source_label": ("Nhãn nhóm (Phụ lục)", "nhãn nhóm in trong Phụ lục", ""),
        "note": ("Ghi chú", "ô lệch cột, dòng sao chép…", ""),
    },
    "units": {
        "unit_id": ("Mã đơn vị", "chữ thường không dấu và gạch nối", "vp-tk"),
        "name": ("Tên đơn vị", "tên chuẩn", "Văn phòng – Thống kê"),
        "name_en": ("Tên tiếng Anh", "", "Office – Statistics officer"),
        "aliases": ("Cách viết khác", "mọi cách viết trong văn bản, cách nhau bằng dấu ;", "Công chức VP-TK xã"),
        "level": ("Cấp", "xã hoặc thành phố (cấp trên xã)", "xã"),
        "responsibilities": ("Nhiệm vụ tại mục IV", "mỗi nhiệm vụ một dòng trong ô", ""),
        "source_ref": ("Nguồn", "mục IV.n", "IV.1"),
    },
    "corrections": {
        "source_ref": ("Nguồn", "bản ghi được sửa", "I.7"),
        "original": ("Nguyên văn", "chữ trong văn bản", "Phân đầu"),
        "corrected": ("Đã sửa thành", "", "Phấn đấu"),
        "note": ("Ghi chú", "", ""),
    },
}


def _labelled(spec: TableSpec) -> TableSpec:
    """The plan folder's spec with the workbook headers accepted as column names."""
    labels = COLUMNS[spec.name]
    fields = tuple(replace(f, label=labels[f.name][0]) if f.name in labels else f for f in spec.fields)
    return replace(spec, fields=fields)


SHEETS = (
    Sheet("Lĩnh vực", "areas", _labelled(model.AREAS), "các lĩnh vực cải cách của mục II"),
    Sheet("Mục tiêu chung", "objectives", _labelled(model.OBJECTIVES), "các mục tiêu chung của mục I"),
    Sheet("Chỉ tiêu", "targets", _labelled(model.TARGETS), "mỗi dòng một chỉ tiêu, một con số"),
    Sheet("Nhiệm vụ", "tasks", _labelled(model.TASKS), "các gạch đầu dòng “b) Nhiệm vụ” của mục II", "NV"),
    Sheet("Phụ lục", "tasks", _labelled(model.TASKS), "các dòng của bảng Phụ lục", "PL"),
    Sheet("Đơn vị", "units", _labelled(model.UNITS), "đơn vị chủ trì, phối hợp và mọi cách viết tên"),
    Sheet("Sửa lỗi", "corrections", _labelled(model.CORRECTIONS), "lỗi nhận dạng chữ đã sửa", required=False),
)
META_SHEET = "Thông tin chung"
RULES_SHEET = "Quy tắc"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
KEY, VALUE, LABEL, NOTE = "Khóa", "Giá trị", "Mục", "Ghi chú"
# Columns the import adds for the analyst's review; not part of the plan folder.
SOURCE_COL, REVIEW_COL = "Vị trí trong văn bản", "Cần kiểm tra"
REVIEW_COLUMNS = (SOURCE_COL, REVIEW_COL)

META_LABELS = {
    "commune": ("Xã", "xã Hải Châu"),
    "city": ("Thành phố / huyện", "thành phố Huế"),
    "province": ("Tỉnh", "tỉnh Thừa Thiên Huế"),
    "year": ("Năm kế hoạch", "2025"),
    "decision_number": ("Số quyết định", "07/QĐ-UBND"),
    "decision_date": ("Ngày quyết định", "10/01/2025"),
    "issuer": ("Cơ quan ban hành", "Ủy ban nhân dân xã …"),
    "signer": ("Người ký", ""),
    "signer_title": ("Chức vụ người ký", "Chủ tịch"),
    "title": ("Tên kế hoạch", "Kế hoạch cải cách hành chính năm 2025 của xã …"),
    "source_file": ("Tệp văn bản gốc", "data/raw/…"),
    "sample": ("Dữ liệu mẫu", "false"),
    "language": ("Ngôn ngữ", "vi"),
    "direction_area": ("Lĩnh vực chỉ đạo, điều hành", "mã lĩnh vực báo cáo ở mục I của báo cáo, ví dụ II.7"),
}


def display_choices(choices: dict[str, str]) -> dict[str, str]:
    """canonical value → the word the workbook shows (the first other word accepted for it)."""
    shown: dict[str, str] = {}
    for word, canonical in choices.items():
        if word != norm_key(canonical) and canonical not in shown:
            shown[canonical] = word
    for canonical in choices.values():
        shown.setdefault(canonical, canonical)
    return shown


# --- TOML values in cells ----------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{s}"'


def dump_toml(data: dict) -> str:
    """A TOML document: scalars first, then one [table] per nested dict (any depth)."""
    lines: list[str] = []

    def emit(d: dict, prefix: list[str]) -> None:
        scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in d.items() if isinstance(v, dict)}
        if prefix and (scalars or not tables):
            lines.append(("\n" if lines else "") + "[" + ".".join(toml_key(p) for p in prefix) + "]")
        lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in scalars.items())
        for k, v in tables.items():
            emit(v, [*prefix, k])

    emit(data, [])
    return "\n".join(lines) + "\n"


def flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Nested tables → dotted keys (``weights."III.1"``), so each value gets its own row."""
    out: list[tuple[str, object]] = []
    for k, v in data.items():
        key = f"{prefix}.{toml_key(k)}" if prefix else toml_key(k)
        out.extend(flatten(v, key) if isinstance(v, dict) and v else [(key, v)])
    return out


def split_key(dotted: str) -> list[str]:
    """``a."III.1".b`` → ["a", "III.1", "b"], read by TOML itself so quoting rules are TOML's."""
    parsed = tomllib.loads(f"{dotted} = 0")
    parts = []
    while isinstance(parsed, dict):
        ((k, parsed),) = parsed.items()
        parts.append(k)
    return parts


def cell_for(v):
    """A value as the workbook shows it: numbers, dates and flags natively; lists as TOML;
    a string that TOML would read as something else (``"2024"``) stays quoted."""
    if isinstance(v, bool | int | float | dt.date):
        return v
    if isinstance(v, list | tuple | dict):
        return toml_value(v)
    s = str(v)
    try:
        tomllib.loads(f"v = {s}")
        return toml_value(s)
    except tomllib.TOMLDecodeError:
        return s


def value_from_cell(v):
    """The reverse of ``cell_for``; dd/mm/yyyy text is a date too (as an analyst types it)."""
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time() else v
    if not isinstance(v, str):
        return v
    s = v.strip()
    if m := _DMY.fullmatch(s):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    try:
        return tomllib.loads(f"v = {s}")["v"]
    except tomllib.TOMLDecodeError:
        return s
