"""Shared plumbing of the sample generator: the analyst's vocabulary and fixed number formats."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

# Vocabulary as an analyst types it (all accepted by progress.TASK_STATUSES, CHANNELS, RATINGS).
NOT_STARTED, IN_PROGRESS, DONE = "Chưa thực hiện", "Đang thực hiện", "Hoàn thành"
ONLINE, DIRECT, POSTAL = "Trực tuyến", "Trực tiếp", "Bưu chính công ích"
YES, NO = "Có", "Không"
VERY_SATISFIED, SATISFIED, NEUTRAL, DISSATISFIED = "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"


def _toml_str(text: str) -> str:
    # A JSON string (non-ASCII kept) is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _write_csv(path: Path, header: tuple[str, ...], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # what Excel writes for "CSV UTF-8"
    writer.writerow(header)
    for r in rows:
        writer.writerow(["" if r.get(h) is None else str(r.get(h)) for h in header])
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def _d(day) -> str:
    """dd/mm/yyyy for a date, a Timestamp or a numpy datetime64; empty for missing."""
    if day is None or (isinstance(day, float) and math.isnan(day)):
        return ""
    if isinstance(day, np.datetime64):
        if np.isnat(day):
            return ""
        day = day.astype("datetime64[D]").item()
    if isinstance(day, pd.Timestamp):
        if pd.isna(day):
            return ""
        day = day.date()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _num(x: float, decimals: int = 1) -> str:
    """Fixed formatting: at most ``decimals`` decimals, no trailing zeros, '.' as decimal point."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]
