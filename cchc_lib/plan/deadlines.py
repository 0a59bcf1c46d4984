"""Deadline phrases as Vietnamese plans write them, turned into dates.

A phrase names the *latest* acceptable day: "Quý I/2024" is due by 31/03/2024, "Trong
năm 2024" by 31/12/2024. Standing duties ("Thường xuyên") have no date and are judged
every period instead. An unknown phrase raises, so a deadline is never silently lost.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
RECURRING_WORDS = (
    "thường xuyên",
    "hằng năm",
    "hàng năm",
    "hằng quý",
    "hàng quý",
    "hằng tháng",
    "hàng tháng",
    "định kỳ",
)

_DATE = r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:(?:trước|chậm nhất|hạn chót|hạn|đến|trước hoặc trong)\s+)?(?:ngày\s+)?{_DATE}$"), "date"),
    (re.compile(r"^(?:trong\s+)?quý\s+([ivx]+|[1-4])\s*(?:/|năm)\s*(\d{4})$"), "quarter"),
    (re.compile(r"^(?:trong\s+)?6 tháng (đầu|cuối) năm\s+(\d{4})$"), "half"),
    (re.compile(r"^(?:trong\s+)?tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})$"), "month"),
    (re.compile(r"^(?:trong\s+|cả\s+|trước hết\s+)?năm\s+(\d{4})$"), "year"),
]


class DeadlineError(ValueError):
    """A deadline phrase that cannot be read."""


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().strip().rstrip(".;")
    return re.sub(r"\s+", " ", text)


def is_recurring(text: str | None) -> bool:
    return bool(text) and any(w in _norm(text) for w in RECURRING_WORDS)


def parse_deadline(text: str | None) -> dt.date | None:
    """Latest due day of a phrase; None for standing duties and empty cells."""
    if text is None or not str(text).strip():
        return None
    s = _norm(str(text))
    if is_recurring(s):
        return None
    for rx, kind in _PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        try:
            if kind == "date":
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            if kind == "quarter":
                q = int(m[1]) if m[1].isdigit() else ROMAN.get(m[1], 0)
                if q not in (1, 2, 3, 4):
                    break
                month = 3 * q
                return dt.date(int(m[2]), month, calendar.monthrange(int(m[2]), month)[1])
            if kind == "half":
                return dt.date(int(m[2]), 6, 30) if m[1] == "đầu" else dt.date(int(m[2]), 12, 31)
            if kind == "month":
                y, mo = int(m[2]), int(m[1])
                return dt.date(y, mo, calendar.monthrange(y, mo)[1])
            if kind == "year":
                return dt.date(int(m[1]), 12, 31)
        except (ValueError, TypeError):
            break
    raise DeadlineError(
        f"không hiểu thời hạn '{text}': cần dạng 'Trước ngày 05/01/2024', 'Quý I/2024', "
        "'6 tháng đầu năm 2024', 'Tháng 3/2024', 'Trong năm 2024', 'Năm 2024' hoặc 'Thường xuyên'"
    )
