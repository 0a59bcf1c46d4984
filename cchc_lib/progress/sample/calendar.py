"""The plan year's working days, quarters and document numbering for the sample generator."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib import resources

import numpy as np

from cchc_lib.core.periods import window
from cchc_lib.progress.sample.common import _d

# --- calendar ----------------------------------------------------------------------------


@cache
def _holidays() -> dict:
    """``config/holidays.toml``: fixed-date holidays and, per year, the lunar ones."""
    text = resources.files("cchc_lib.config").joinpath("holidays.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


class _Calendar:
    """Working days of the plan year and the quarters' windows (both conventions)."""

    def __init__(self, year: int):
        self.year = year
        days: set[np.datetime64] = set()
        table = _holidays()
        for y in (year - 1, year, year + 1):
            for md in table["fixed"]:
                days.add(np.datetime64(f"{y}-{md}"))
            listed = table["years"].get(str(y), {})
            for start, end in listed.get("ranges", ()):
                days.update(np.arange(np.datetime64(start), np.datetime64(end) + 1))
            days.update(np.datetime64(d) for d in listed.get("days", ()))
        self.holidays = np.array(sorted(days), dtype="datetime64[D]")
        self.quarters = []
        for q in range(1, 5):
            code = f"{year}-Q{q}"
            w, c = window(code, "nd09"), window(code, "calendar")
            self.quarters.append({"code": code, "n": q, "start": w.start, "end": w.end, "cal_end": c.end})
        self.year_start = self.quarters[0]["start"]  # 15/12 of the previous year
        self.last_end = self.quarters[-1]["end"]  # 14/12: the last day a completion can be reported

    def is_workday(self, day: dt.date) -> bool:
        return bool(np.is_busday(np.datetime64(day), holidays=self.holidays))

    def workday_on_or_before(self, day: dt.date) -> dt.date:
        return np.busday_offset(np.datetime64(day), 0, roll="backward", holidays=self.holidays).item()

    def random_workday(self, rng, lo: dt.date, hi: dt.date) -> dt.date:
        """A working day in [lo, hi] (hi itself if the span holds none)."""
        span = max(0, (hi - lo).days)
        day = lo + dt.timedelta(days=int(rng.integers(span + 1)))
        day = self.workday_on_or_before(day)
        return day if day >= lo else hi

    def quarter_of(self, day: dt.date) -> int | None:
        """Index of the first quarter whose nd09 window end is on or after ``day``."""
        for i, q in enumerate(self.quarters):
            if day <= q["end"]:
                return i
        return None


# --- document references -----------------------------------------------------------------


class _Documents:
    """Numbers documents (Kế hoạch số 12/KH-UBND …) in date order, per type and year.

    The generators register a document with its date and get a placeholder; once every
    document is known the numbers are assigned so that they grow with the date, at a
    rate that looks like a commune's register (other documents fill the gaps).
    """

    KINDS = {  # prefix, number suffix, documents per day of the year
        "KH": ("Kế hoạch", "KH-UBND", 0.55),
        "BC": ("Báo cáo", "BC-UBND", 0.9),
        "QĐ": ("Quyết định", "QĐ-UBND", 0.75),
        "CV": ("Công văn", "UBND-VP", 1.6),
        "TB": ("Thông báo", "TB-UBND", 0.35),
    }

    def __init__(self):
        self.items: list[tuple[str, dt.date]] = []

    def add(self, kind: str, day: dt.date) -> str:
        self.items.append((kind, day))
        return f"\x00{len(self.items) - 1}\x00"

    def _numbers(self) -> dict[int, str]:
        out = {}
        groups: dict[tuple[str, int], list[int]] = {}
        for i, (kind, day) in enumerate(self.items):
            groups.setdefault((kind, day.year), []).append(i)
        for (kind, _), idx in groups.items():
            base, _, issuer = kind.partition("@")  # "KH@city": a series of the city's register
            label, suffix, rate = self.KINDS[base]
            rate *= 3 if issuer else 1
            prev = 0
            for i in sorted(idx, key=lambda j: (self.items[j][1], j)):
                day = self.items[i][1]
                n = max(prev + 1, int(rate * day.timetuple().tm_yday) + 1)
                prev = n
                out[i] = f"{label} số {n}/{suffix} ngày {_d(day)}"
        return out

    def resolve(self, rows: list[dict]) -> list[dict]:
        numbers = self._numbers()
        for r in rows:
            text = r.get("evidence")
            if text and "\x00" in text:
                parts = text.split("\x00")
                r["evidence"] = "".join(numbers[int(p)] if k % 2 else p for k, p in enumerate(parts))
        return rows
