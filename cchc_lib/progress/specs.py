"""What each kind of progress input looks like: columns, accepted words, names.

A progress folder holds up to five kinds of input, each optional: ``indicators``
(measured target values), ``tasks`` (task status updates), ``dossiers`` (the one-stop
system's dossier log), ``feedback`` (petitions, PAKN) and ``notes`` (the analyst's text
per period and area). See docs/progress-data.md.
"""

from __future__ import annotations

import re

import pandas as pd

from cchc_lib import i18n
from cchc_lib.core.schemas import Field, TableSpec, choice_map, convert, norm_key

KINDS = ("indicators", "tasks", "dossiers", "feedback", "notes")

# Display words for the canonical values: the drop-down lists of the template, tables,
# narrative. The loader accepts these, the canonical ids and the documented synonyms below.
STATUS_WORDS = i18n.table("progress_status")
CHANNEL_WORDS = i18n.table("channel")
RATING_WORDS = i18n.table("satisfaction")

# Documented synonyms (docs/progress-data.md lists every one; a test keeps them in step).
STATUS_SYNONYMS = {
    "not_started": ("chưa triển khai", "chưa bắt đầu"),
    "in_progress": ("đang triển khai",),
    "done": ("đã hoàn thành",),
    "cancelled": ("dừng thực hiện",),
}
CHANNEL_SYNONYMS = {"online": ("dịch vụ công trực tuyến",), "direct": (), "postal": ("bưu chính",)}
RATING_SYNONYMS = {"satisfied": ("rất hài lòng",), "neutral": (), "dissatisfied": ("chưa hài lòng",)}


def _choices(words: dict, synonyms: dict) -> dict[str, str]:
    return choice_map({key: (words["vi"][key], words["en"][key], *synonyms.get(key, ())) for key in words["vi"]})


# Sections of the official report an analyst can write to (notes, column "Mục báo cáo").
NOTE_SECTIONS = choice_map(
    {
        "plan": ("công tác kế hoạch", "kế hoạch"),
        "inspection": ("công tác kiểm tra", "kiểm tra"),
        "communication": ("công tác tuyên truyền", "tuyên truyền"),
        "survey": ("khảo sát sự hài lòng", "khảo sát"),
        "initiatives": ("sáng kiến, mô hình mới", "sáng kiến", "mô hình mới"),
        "strengths": ("ưu điểm",),
        "shortcomings": ("tồn tại, hạn chế", "tồn tại", "hạn chế", "tồn tại, hạn chế và nguyên nhân"),
        "causes": ("nguyên nhân",),
        "next": ("phương hướng, nhiệm vụ kỳ tới", "phương hướng", "nhiệm vụ kỳ tới"),
        "proposals": ("đề xuất, kiến nghị", "đề xuất", "kiến nghị"),
    }
)

TASK_STATUSES = _choices(STATUS_WORDS, STATUS_SYNONYMS)
CHANNELS = _choices(CHANNEL_WORDS, CHANNEL_SYNONYMS)
RATINGS = _choices(RATING_WORDS, RATING_SYNONYMS)


def _shown(words: dict) -> tuple[str, ...]:
    return tuple(words["vi"].values())


SPECS: dict[str, TableSpec] = {
    "indicators": TableSpec(
        "indicators",
        (
            Field("target_id", nullable=False, label="Mã chỉ tiêu"),
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field("value", "number", required=False, label="Giá trị đạt được", headers=("kết quả", "giá trị")),
            Field("numerator", "number", required=False, label="Tử số"),
            Field("denominator", "number", required=False, label="Mẫu số"),
            Field("source", required=False, label="Nguồn số liệu"),
            Field("note", required=False, label="Ghi chú"),
        ),
    ),
    "tasks": TableSpec(
        "tasks",
        (
            Field("task_id", nullable=False, label="Mã nhiệm vụ"),
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field(
                "status",
                "choice",
                required=False,
                choices=TASK_STATUSES,
                label="Tình trạng",
                shown=_shown(STATUS_WORDS),
            ),
            Field("completed_on", "date", required=False, label="Ngày hoàn thành"),
            Field("evidence", required=False, label="Văn bản, sản phẩm", headers=("minh chứng",)),
            Field("note", required=False, label="Ghi chú"),
        ),
    ),
    "dossiers": TableSpec(
        "dossiers",
        (
            Field("dossier_id", nullable=False, unique=True, label="Mã hồ sơ", headers=("số hồ sơ",)),
            Field("field", nullable=False, label="Lĩnh vực"),
            Field("procedure", required=False, label="Tên thủ tục", headers=("thủ tục",)),
            Field("received_date", "date", nullable=False, label="Ngày tiếp nhận"),
            Field("due_date", "date", label="Ngày hẹn trả"),
            Field("returned_date", "date", label="Ngày trả kết quả"),
            Field(
                "channel",
                "choice",
                nullable=False,
                choices=CHANNELS,
                label="Hình thức nộp",
                headers=("kênh nộp",),
                shown=_shown(CHANNEL_WORDS),
            ),
            Field("dossier_digitized", "bool", required=False, label="Số hóa hồ sơ"),
            Field("result_digitized", "bool", required=False, label="Số hóa kết quả"),
            Field(
                "rating",
                "choice",
                required=False,
                choices=RATINGS,
                label="Đánh giá",
                headers=("mức độ hài lòng",),
                shown=_shown(RATING_WORDS),
            ),
        ),
    ),
    "feedback": TableSpec(
        "feedback",
        (
            Field("feedback_id", nullable=False, unique=True, label="Mã phản ánh", headers=("số phản ánh",)),
            Field("received_date", "date", nullable=False, label="Ngày tiếp nhận"),
            Field("due_date", "date", label="Hạn xử lý"),
            Field("resolved_date", "date", label="Ngày xử lý xong"),
            Field("rating", "choice", required=False, choices=RATINGS, label="Đánh giá", shown=_shown(RATING_WORDS)),
            Field("summary", required=False, label="Nội dung tóm tắt"),
        ),
    ),
    "notes": TableSpec(
        "notes",
        (
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field("area_id", required=False, label="Mã lĩnh vực"),
            Field("highlights", required=False, label="Kết quả nổi bật"),
            Field("difficulties", required=False, label="Tồn tại, hạn chế, khó khăn"),
            Field("proposals", required=False, label="Đề xuất, kiến nghị"),
            # A row per section of the official report (docs/progress-data.md): the section's
            # key or name, and its text.
            Field("section", "choice", required=False, choices=NOTE_SECTIONS, label="Mục báo cáo"),
            Field("text", required=False, label="Nội dung"),
        ),
    ),
}

# The key of a row: the same key from two sources is one fact, given twice.
KEYS = {
    "indicators": ("target_id", "period"),
    "tasks": ("task_id", "period"),
    "dossiers": ("dossier_id",),
    "feedback": ("feedback_id",),
    "notes": ("period", "area_id", "section"),
}

# Sheet and file names an analyst may use for each kind (besides the canonical id). A file
# belongs to a kind when its name is, or starts with, one of these (``ho-so_2024-Q2.xlsx``).
KIND_NAMES = {
    "indicators": ("chỉ tiêu", "chi tieu", "số liệu chỉ tiêu"),
    "tasks": ("nhiệm vụ", "nhiem vu", "tiến độ nhiệm vụ"),
    "dossiers": ("hồ sơ", "hồ sơ tthc", "ho so", "một cửa", "mot cua"),
    "feedback": ("phản ánh kiến nghị", "phản ánh, kiến nghị", "pakn", "phan anh kien nghi"),
    "notes": ("ghi chú", "nhận xét", "ghi chu", "nhan xet"),
}


def _name_key(name: str) -> str:
    """Names compared with spaces, hyphens, underscores, dots and commas all alike."""
    return re.sub(r"[\s_.,\-–—]+", "-", norm_key(name)).strip("-")


_KIND_BY_NAME = {_name_key(n): k for k, names in KIND_NAMES.items() for n in (k, *names)}
_BY_LENGTH = sorted(_KIND_BY_NAME, key=len, reverse=True)


def kind_of(name: str) -> str | None:
    """Which input kind a sheet name or file stem stands for (exact name)."""
    return _KIND_BY_NAME.get(_name_key(name))


def kind_of_file(stem: str) -> str | None:
    """The kind a file name stands for: the name of a kind, or it followed by a separator
    and anything (``tasks-q3``, ``ho-so_2024-Q2``, ``Hồ sơ TTHC quý 2``)."""
    key = _name_key(stem)
    for name in _BY_LENGTH:
        if key == name or key.startswith(name + "-"):
            return _KIND_BY_NAME[name]
    return None


def empty_table(kind: str) -> pd.DataFrame:
    spec = SPECS[kind]
    return convert(pd.DataFrame({f.name: pd.Series(dtype=object) for f in spec.fields}), spec)


def header_of(spec_kind: str, column: str, header_map: dict | None = None) -> str:
    """The header as the analyst sees it: the file's own header, else the template's label."""
    if header_map and column in header_map:
        return header_map[column]
    try:
        return SPECS[spec_kind].field(column).label or column
    except StopIteration:
        return column
