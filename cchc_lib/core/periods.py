"""Reporting periods (quarter, half-year, year) and the date windows they cover.

Two conventions exist for what a "quarter" means in a commune's reform report:

* ``nd09`` (default): Decree 09/2019/NĐ-CP, Art. 12 fixes the data cut-off of periodic
  reports from the 15th of the month before the period to the 14th of its last month
  (Q1 = 15/12 of the previous year – 14/03), so that figures can be compiled before the
  report is due.
* ``calendar``: plain calendar quarters, halves and year (Q2 = 01/04 – 30/06), which is
  what a plan's deadlines ("Quý I/2024" → 31/03/2024) refer to.

Everything here is computed from one rule: a period is a span of months, and a
convention turns that span into a start and an end date.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from cchc_lib.i18n.catalog import lookup, t
from cchc_lib.i18n.fmt import check_lang, date_short

if TYPE_CHECKING:  # pandas is only needed by Window.mask
    import pandas as pd

__all__ = [
    "CUTOFFS",
    "KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "PeriodError",
    "Window",
    "check_cutoff",
    "describe_window",
    "label",
    "label_title",
    "parse_period",
    "period_end_date",
    "periods_in_year",
    "next_period_of",
    "previous",
    "quarters_until",
    "window",
    "year_to_date",
]

Kind = Literal["quarter", "half", "year"]

KINDS: tuple[str, ...] = ("quarter", "half", "year")
CUTOFFS: tuple[str, ...] = ("nd09", "calendar")
DEFAULT_CUTOFF = "nd09"

# Bounds that catch typing slips such as "20224" or "1024" in a period or a file name.
MIN_YEAR = 1900
MAX_YEAR = 2100

# How many periods of each kind a year holds; also the valid range of Period.number.
_PER_YEAR = {"quarter": 4, "half": 2, "year": 1}
_MONTHS = {"quarter": 3, "half": 6, "year": 12}
_ROMAN = ("I", "II", "III", "IV")  # quarter numbers as Vietnamese documents type them

MESSAGES = "vi"  # a period typed wrongly is told on the command line, which speaks Vietnamese


def _said(key: str, **fields) -> str:
    return t(f"input.period.{key}", MESSAGES, **fields)


class PeriodError(ValueError):
    """A reporting period, or its cut-off convention, that the user typed wrongly."""


@dataclass(frozen=True)
class Period:
    """One reporting period; ``number`` is the quarter (1–4), half (1–2) or 1 for a year."""

    year: int
    kind: Kind
    number: int = 1

    def __post_init__(self) -> None:
        # numpy/pandas integers come from data frames; store plain ints so codes and
        # equality behave the same whatever the source.
        for name in ("year", "number"):
            value = getattr(self, name)
            if isinstance(value, numbers.Integral) and not isinstance(value, bool):
                object.__setattr__(self, name, int(value))
        if self.kind not in _PER_YEAR:
            raise PeriodError(_said("kind", kind=self.kind))
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not (MIN_YEAR <= self.year <= MAX_YEAR):
            raise PeriodError(_said("year", year=self.year, low=MIN_YEAR, high=MAX_YEAR))
        top = _PER_YEAR[self.kind]
        if isinstance(self.number, bool) or not isinstance(self.number, int) or not (1 <= self.number <= top):
            raise PeriodError(_said("number", number=self.number, kind=self.kind, top=top))

    @property
    def code(self) -> str:
        """Canonical machine code used in file names and tables: 2024-Q2, 2024-H1, 2024."""
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}-{'Q' if self.kind == 'quarter' else 'H'}{self.number}"

    def __str__(self) -> str:
        return self.code


def _months(period: Period) -> tuple[int, int]:
    """First and last calendar month of the period — the single source for all windows."""
    size = _MONTHS[period.kind]
    last = period.number * size
    return last - size + 1, last


# ---------------------------------------------------------------------------- parsing

_NUM = r"(?P<num>[1-4]|iv|iii|ii|i)"
_YEAR = r"(?P<year>\d{4})"
_SEP = r"\s*[-–/.\s]?\s*"
_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(rf"^{pattern}$"), kind)
    for pattern, kind in (
        (rf"{_YEAR}{_SEP}(?P<letter>[qh])\s*(?P<num>[1-4])", None),
        (rf"(?P<letter>[qh])\s*(?P<num>[1-4]){_SEP}{_YEAR}", None),
        (rf"qu[yý]\s*{_NUM}\s*(?:/|-|năm)\s*{_YEAR}", "quarter"),
        (rf"(?:6|sáu) tháng (?P<half>đầu|cuối) năm\s*{_YEAR}", "half"),
        (rf"(?:năm\s*)?{_YEAR}", "year"),
    )
)


def _normalise(text: str) -> str:
    """NFC (text pasted from Word/PDF is often decomposed), lower case, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("quí", "quý")  # older spelling still common in documents
    return " ".join(text.split())


def parse_period(text: str | int | Period) -> Period:
    """Read a period typed by a user (CLI option, spreadsheet cell) in any common form."""
    if isinstance(text, Period):
        return text
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise PeriodError(_said("invalid", text=text, reason=_said("forms")))
    cleaned = _normalise(text)
    for pattern, kind in _PATTERNS:
        m = pattern.match(cleaned)
        if not m:
            continue
        year = int(m["year"])
        groups = m.groupdict()
        if kind is None:
            kind = "quarter" if groups["letter"] == "q" else "half"
            number = int(groups["num"])
        elif kind == "quarter":
            num = groups["num"]
            number = int(num) if num.isdigit() else _ROMAN.index(num.upper()) + 1
        elif kind == "half":
            number = 1 if groups["half"] == "đầu" else 2
        else:
            number = 1
        if kind == "half" and number > 2:
            break
        try:
            return Period(year, kind, number)  # type: ignore[arg-type]
        except PeriodError as exc:  # only the year can still be wrong here
            reason = str(exc)
            reason = reason[:1].lower() + reason[1:]
            raise PeriodError(_said("invalid", text=text, reason=reason)) from None
    raise PeriodError(_said("invalid", text=text, reason=_said("forms")))


def check_cutoff(name: str) -> str:
    """Return the canonical cut-off name, or say which ones exist."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in CUTOFFS:
        raise PeriodError(_said("cutoff", name=name))
    return key


# ---------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """The inclusive date range whose records count towards a period's report."""

    start: date
    end: date
    cutoff: str
    period: Period

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, d: date | datetime | None) -> bool:
        """True when the day of ``d`` falls in the window; a missing date never does."""
        if d is None or d != d:  # None, NaT
            return False
        if isinstance(d, datetime):
            d = d.date()
        return self.start <= d <= self.end

    def mask(self, series: pd.Series) -> pd.Series:
        """Vectorised ``contains`` for a datetime column; NaT gives False.

        The whole end day counts, so a record stamped 14/06 at 16:30 is in Q2 (nd09).
        A timezone-aware column is compared on its own wall clock; a column of ``date``
        objects is converted first.
        """
        import pandas as pd

        if not pd.api.types.is_datetime64_any_dtype(series):
            values = series.dropna()
            if not all(isinstance(v, date) for v in values):
                raise TypeError(
                    f"Cột ngày phải có kiểu datetime (dùng pandas.to_datetime trước): kiểu hiện tại là {series.dtype}."
                )
            series = pd.to_datetime(series)
        tz = series.dt.tz
        lower = pd.Timestamp(self.start, tz=tz)
        upper = pd.Timestamp(self.end + timedelta(days=1), tz=tz)
        return (series >= lower) & (series < upper)


def window(period: Period | str, cutoff: str = DEFAULT_CUTOFF) -> Window:
    """Date window of a period under a cut-off convention."""
    period = parse_period(period)
    cutoff = check_cutoff(cutoff)
    first, last = _months(period)
    year = period.year
    if cutoff == "calendar":
        start = date(year, first, 1)
        end = date(year + last // 12, last % 12 + 1, 1) - timedelta(days=1)
    else:
        start = date(year - 1, 12, 15) if first == 1 else date(year, first - 1, 15)
        end = date(year, last, 14)
    return Window(start, end, cutoff, period)


def period_end_date(period: Period | str, cutoff: str = DEFAULT_CUTOFF) -> date:
    """Last day counted for the period."""
    return window(period, cutoff).end


def year_to_date(period: Period | str, cutoff: str = DEFAULT_CUTOFF) -> Window:
    """Window from the start of the period's year to the end of the period (cumulative KPIs)."""
    own = window(period, cutoff)
    start = window(Period(own.period.year, "year"), cutoff).start
    return Window(start, own.end, own.cutoff, own.period)


# ---------------------------------------------------------------------------- sequences


def previous(period: Period | str) -> Period | None:
    """Same kind, one step back (for quarter-on-quarter comparison); None before MIN_YEAR."""
    period = parse_period(period)
    year, number = period.year, period.number - 1
    if number < 1:
        year, number = year - 1, _PER_YEAR[period.kind]
    if year < MIN_YEAR:
        return None
    return Period(year, period.kind, number)


def next_period_of(period: Period | str) -> Period | None:
    """Same kind, one step forward (what "next period" means in section IV of a report)."""
    period = parse_period(period)
    year, number = period.year, period.number + 1
    if number > _PER_YEAR[period.kind]:
        year, number = year + 1, 1
    if year > MAX_YEAR:
        return None
    return Period(year, period.kind, number)


def periods_in_year(year: int) -> list[Period]:
    """Every reportable period of a year: Q1..Q4, H1, H2, then the year."""
    return [
        Period(year, kind, n)  # type: ignore[arg-type]
        for kind in KINDS
        for n in range(1, _PER_YEAR[kind] + 1)
    ]


def quarters_until(period: Period | str) -> list[Period]:
    """Quarters of the period's year that end no later than it does (year-to-date series)."""
    period = parse_period(period)
    _, last = _months(period)
    return [Period(period.year, "quarter", q) for q in range(1, last // 3 + 1)]


# ---------------------------------------------------------------------------- wording


def label(period: Period | str, lang: str = "vi") -> str:
    """Name of the period as reports write it mid-sentence: 'Quý II/2024', 'Q2 2024'."""
    period = parse_period(period)
    lang = check_lang(lang)
    y, n = period.year, period.number
    if period.kind == "quarter":
        return t("period.quarter", lang, number=lookup("period.quarter_numbers", lang)[n - 1], year=y)
    if period.kind == "half":
        return t(f"period.half_{n}", lang, year=y)
    return t("period.year", lang, year=y)


def label_title(period: Period | str, lang: str = "vi") -> str:
    """Label for headings and sentence starts: 'Năm 2024', 'First half of 2024'."""
    text = label(period, lang)
    return text[:1].upper() + text[1:]


def describe_window(win: Window, lang: str = "vi") -> str:
    """One phrase that tells the reader which days the figures cover and why."""
    lang = check_lang(lang)
    start, end = date_short(win.start, lang), date_short(win.end, lang)
    return t("period.window", lang, start=start, end=end, note=t(f"cutoff_note.{win.cutoff}", lang))
