"""Status words, colours and labels shared by narrative, tables, charts and the dashboard.

The words ("Đạt", "Có nguy cơ không đạt", "Hoàn thành trễ hạn"…) live in the message
catalogue (vi.toml / en.toml) so that a table, a chart legend and a sentence never
disagree; the colours and the display order live here.
"""

from __future__ import annotations

from cchc_lib.i18n.catalog import table, word

TARGET_STATUS = table("target_status")

TASK_STATUS = table("task_status")

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

RATING = table("rating")
RATING_COLORS = {"tot": "#009E73", "kha": "#56B4E9", "trung_binh": "#E69F00", "yeu": "#D55E00"}

TREND = table("trend")

SOURCE = table("source")

TARGET_ORDER = tuple(TARGET_STATUS["vi"])
TASK_ORDER = tuple(TASK_STATUS["vi"])


def target_status(code: str | None, lang: str = "vi") -> str:
    return word("target_status", code, lang)


def task_status(code: str | None, lang: str = "vi") -> str:
    return word("task_status", code, lang)


def rating(code: str | None, lang: str = "vi") -> str:
    return word("rating", code, lang)


def text_color(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (#rrggbb)."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#FFFFFF"
