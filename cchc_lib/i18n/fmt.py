"""Numbers, rates and dates written the way Vietnamese (and English) reports write them.

Separators and month names come from Babel's CLDR data, never hand-rolled: Vietnamese
writes 1.234,5 and English 1,234.5. Two conventions are imposed on top of Babel because
official reports follow them and Babel does not:

* rounding is half-up (42,25 → 42,3), as in administrative statistics; Babel rounds
  half-even;
* negative numbers use the true minus sign "−" (U+2212) so that a sign never looks like
  a dash or a hyphenated range in printed tables.

Every function returns "—" for a missing value (None, NaN, NaT, pandas.NA), so a report
shows an explicit gap instead of "nan".
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from cchc_lib.i18n.catalog import LANGS, lookup, t

__all__ = [
    "DASH",
    "LANGS",
    "LOCALES",
    "MINUS",
    "RATING_WORDS",
    "FormatError",
    "check_lang",
    "count",
    "counted",
    "date_long",
    "date_short",
    "is_missing",
    "number",
    "percent",
    "pp_diff",
    "rating_word",
    "signed",
    "value",
]

MESSAGES = "vi"  # a value that cannot be formatted is told to the analyst in Vietnamese
LOCALES = {"vi": "vi_VN", "en": "en_GB"}  # en_GB: day-first dates like the Vietnamese
DASH = "—"
MINUS = "\u2212"

# The plan's rating scale (objective 7, unit = rating): code and level; the words, lower
# case mid-sentence, are the catalogue's rating words.
_RATING_SCALE = (("yeu", 1), ("trung_binh", 2), ("kha", 3), ("tot", 4))
RATING_WORDS: dict[str, dict[str | int, str]] = {
    lang: {key: lookup(f"rating.{code}", lang).lower() for code, level in _RATING_SCALE for key in (code, level)}
    for lang in LANGS
}


class FormatError(ValueError):
    """A value or option that cannot be formatted (unknown language, text instead of a number)."""


def check_lang(lang: str) -> str:
    """Return the language code, or say which ones the reports are written in."""
    if lang not in LANGS:
        raise FormatError(t("input.format.lang", MESSAGES, code=lang))
    return lang


def is_missing(x: Any) -> bool:
    """None, NaN, NaT or pandas.NA — anything a report should show as a gap."""
    if x is None:
        return True
    try:
        return bool(x != x)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def _rounded(x: Any, decimals: int) -> Decimal:
    """Round half-up on the decimal digits the user sees (42.25 is 42.25, not 42.2499…)."""
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise FormatError(t("input.format.decimals", MESSAGES, decimals=decimals))
    if isinstance(x, (str, bytes)):
        raise FormatError(t("input.format.not_number", MESSAGES, value=x))
    try:
        return Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise FormatError(t("input.format.not_finite", MESSAGES, value=x)) from None


@functools.lru_cache(maxsize=4096)
def _digits(q: Decimal, decimals: int, lang: str) -> str:
    """Babel's digits of a rounded magnitude. Cached: a report writes the same few numbers
    (counts, tick labels, 100%) hundreds of times, and Babel is most of a number's cost."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(q, format=pattern, locale=LOCALES[lang])


def _format(x: Any, decimals: int, lang: str, plus: bool) -> str:
    """Shared core of number/signed: half-up rounding, Babel digits, typographic sign."""
    check_lang(lang)
    if is_missing(x):
        return DASH
    q = _rounded(x, decimals)
    digits = _digits(abs(q), decimals, lang)
    sign = MINUS if q < 0 else "+" if plus and q > 0 else ""
    return sign + digits


def number(x: Any, decimals: int = 0, lang: str = "vi") -> str:
    """'1.234' / '42,3' (vi), '1,234' / '42.3' (en); negatives with '−'."""
    return _format(x, decimals, lang, plus=False)


def signed(x: Any, decimals: int = 0, lang: str = "vi") -> str:
    """A change, always signed: '+1.234', '−3,5'; zero stays unsigned."""
    return _format(x, decimals, lang, plus=True)


def percent(x: Any, decimals: int = 1, lang: str = "vi") -> str:
    """A rate already on the 0–100 scale: '42,3%' (no space, as Vietnamese documents write it)."""
    text = number(x, decimals, lang)
    return text if text == DASH else text + "%"


def _noun(printed: str, forms: tuple[str, str]) -> str:
    """Singular only when the reader sees exactly '1' ('1.0 percentage points' stays plural)."""
    return forms[0] if printed.lstrip("+" + MINUS) == "1" else forms[1]


def pp_diff(x: Any, decimals: int = 1, lang: str = "vi") -> str:
    """Difference of two rates: '−7,7 điểm phần trăm' — never '%', which would mean a ratio."""
    text = signed(x, decimals, lang)
    if text == DASH:
        return DASH
    return f"{text} {_noun(text, lookup('fmt.pp', lang))}"


def _whole_or_one(x: Any) -> int:
    """Decimals a target value needs: none for 90, one for 42.5."""
    return 0 if _rounded(x, 1) == _rounded(x, 0) else 1


def count(n: Any, noun_vi: str, noun_en: str | tuple[str, str], lang: str = "vi") -> str:
    """'1.234 hồ sơ' / '1,234 dossiers'; give noun_en as (singular, plural) when not '+s'."""
    check_lang(lang)
    if is_missing(n):
        return DASH
    text = number(n, _whole_or_one(n), lang)
    if lang == "vi":
        return f"{text} {noun_vi}"
    forms = (noun_en, noun_en + "s") if isinstance(noun_en, str) else noun_en
    return f"{text} {_noun(text, forms)}"


def counted(n: Any, noun: str, lang: str = "vi") -> str:
    """'1.234 nhiệm vụ' / '1 task', the noun from the catalogue ('task', 'target', 'unit')."""
    check_lang(lang)
    if is_missing(n):
        return DASH
    text = number(n, _whole_or_one(n), lang)
    return f"{text} {_noun(text, lookup(f'noun.{noun}', lang))}"


def _checked_date(d: Any, lang: str) -> date | None:
    """Validate the shared inputs of the date formatters; None means 'print a gap'."""
    check_lang(lang)
    if is_missing(d):
        return None
    if not isinstance(d, date):
        raise FormatError(t("input.format.not_date", MESSAGES, value=d))
    return d


def date_short(d: date | None, lang: str = "vi") -> str:
    """'14/06/2024' in both languages (day first, as Vietnamese and British readers expect)."""
    if _checked_date(d, lang) is None:
        return DASH
    # Babel's "dd/MM/yyyy" in both locales, written directly: all digits, nothing the locale
    # changes, and a report prints hundreds of dates
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def date_long(d: date | None, lang: str = "vi") -> str:
    """'ngày 14 tháng 6 năm 2024' / '14 June 2024'.

    Vietnamese follows Decree 30/2020/NĐ-CP on document formatting: a day below 10 and
    the months 1 and 2 get a leading zero ('ngày 05 tháng 01 năm 2024').
    """
    if _checked_date(d, lang) is None:
        return DASH
    if lang == "en":
        day, month = str(d.day), format_date(d, "MMMM", locale=LOCALES[lang])
    else:
        day, month = f"{d.day:02d}", f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return t("fmt.date_long", lang, day=day, month=month, year=d.year)


def _rating_key(x: Any) -> str | int | None:
    """'3', 3, 3.0 and numpy 3 all mean level 3; codes are matched case-insensitively."""
    if isinstance(x, str):
        key = x.strip().lower()
        return int(key) if key.isdigit() else key
    if isinstance(x, bool):
        return None
    try:
        level = float(x)
    except (TypeError, ValueError):
        return None
    return int(level) if level.is_integer() else None


def rating_word(x: Any, lang: str = "vi") -> str:
    """Word for a rating level given as 1–4 or as a code ('kha'): 'khá' / 'good'."""
    check_lang(lang)
    if is_missing(x):
        return DASH
    word = RATING_WORDS[lang].get(_rating_key(x))
    if word is None:
        scale = ", ".join(f"{level} ({RATING_WORDS['vi'][level]})" for _, level in _RATING_SCALE)
        raise FormatError(t("input.format.rating", MESSAGES, value=x, scale=scale))
    return word


def value(x: Any, unit: str | None, lang: str = "vi") -> str:
    """A target or measured value in its plan unit (percent, count, per_month, rating)."""
    check_lang(lang)
    if is_missing(x):
        return DASH
    if unit == "rating":
        return rating_word(x, lang)
    decimals = _whole_or_one(x)
    if unit == "percent":
        return percent(x, decimals, lang)
    text = number(x, decimals, lang)
    if unit == "per_month":
        return lookup("fmt.per_month", lang).format(value=text)
    return text
