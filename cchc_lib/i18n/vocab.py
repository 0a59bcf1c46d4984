"""Status words, colours and labels shared by narrative, tables, charts and the dashboard.

One place for the words analysts use ("Đạt", "Có nguy cơ không đạt", "Hoàn thành trễ
hạn"…) so that a table, a chart legend and a sentence never disagree.
"""

from __future__ import annotations

TARGET_STATUS = {
    "vi": {
        "met": "Đạt",
        "on_track": "Đúng tiến độ",
        "at_risk": "Có nguy cơ không đạt",
        "missed": "Không đạt",
        "not_due": "Chưa đến kỳ đánh giá",
        "no_data": "Chưa có số liệu",
        "not_measurable": "Không định lượng",
    },
    "en": {
        "met": "Met",
        "on_track": "On track",
        "at_risk": "At risk",
        "missed": "Missed",
        "not_due": "Not yet due",
        "no_data": "No data",
        "not_measurable": "Not quantified",
    },
}

TASK_STATUS = {
    "vi": {
        "done_on_time": "Hoàn thành đúng hạn",
        "done_late": "Hoàn thành trễ hạn",
        "in_progress": "Đang thực hiện",
        "overdue": "Quá hạn",
        "not_due": "Chưa đến hạn",
        "recurring_reported": "Thường xuyên – có báo cáo",
        "recurring_missing": "Thường xuyên – chưa báo cáo",
        "cancelled": "Không thực hiện",
    },
    "en": {
        "done_on_time": "Done on time",
        "done_late": "Done late",
        "in_progress": "In progress",
        "overdue": "Overdue",
        "not_due": "Not yet due",
        "recurring_reported": "Standing duty – reported",
        "recurring_missing": "Standing duty – not reported",
        "cancelled": "Cancelled",
    },
}

# Colour-blind-safe palette (Okabe–Ito based): good = bluish green, risk = orange,
# bad = vermilion, neutral = greys. Text on these backgrounds stays readable in print.
STATUS_COLORS = {
    "met": "#009E73",
    "on_track": "#56B4E9",
    "at_risk": "#E69F00",
    "missed": "#D55E00",
    "not_due": "#BBBBBB",
    "no_data": "#DDDDDD",
    "not_measurable": "#F2F2F2",
    "done_on_time": "#009E73",
    "done_late": "#F0E442",
    "in_progress": "#56B4E9",
    "overdue": "#D55E00",
    "recurring_reported": "#8FD1B9",
    "recurring_missing": "#E69F00",
    "cancelled": "#F2F2F2",
}

RATING = {
    "vi": {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"},
    "en": {"tot": "Excellent", "kha": "Good", "trung_binh": "Average", "yeu": "Poor"},
}
RATING_COLORS = {"tot": "#009E73", "kha": "#56B4E9", "trung_binh": "#E69F00", "yeu": "#D55E00"}

TREND = {
    "vi": {"up": "↑ tăng", "down": "↓ giảm", "flat": "→ không đổi"},
    "en": {"up": "↑ up", "down": "↓ down", "flat": "→ unchanged"},
}

SOURCE = {
    "vi": {
        "dossiers": "sổ hồ sơ một cửa",
        "feedback": "sổ phản ánh, kiến nghị",
        "entered": "số liệu báo cáo",
        "estimate": "ước tính",
    },
    "en": {
        "dossiers": "one-stop dossier log",
        "feedback": "petition log",
        "entered": "reported figure",
        "estimate": "estimate",
    },
}

TARGET_ORDER = tuple(TARGET_STATUS["vi"])
TASK_ORDER = tuple(TASK_STATUS["vi"])


def target_status(code: str | None, lang: str = "vi") -> str:
    return TARGET_STATUS[lang].get(code, "—") if code else "—"


def task_status(code: str | None, lang: str = "vi") -> str:
    return TASK_STATUS[lang].get(code, "—") if code else "—"


def rating(code: str | None, lang: str = "vi") -> str:
    return RATING[lang].get(code, "—") if code else "—"


def text_color(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (#rrggbb)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#FFFFFF"
