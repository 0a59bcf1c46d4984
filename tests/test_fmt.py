"""Vietnamese/English formatting: exact strings as they appear in reports."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from cchc_lib.i18n.fmt import (
    DASH,
    MINUS,
    RATING_WORDS,
    FormatError,
    check_lang,
    count,
    date_long,
    date_short,
    is_missing,
    number,
    percent,
    pp_diff,
    rating_word,
    signed,
    value,
)

MISSING = [None, float("nan"), np.nan, pd.NA, pd.NaT, Decimal("NaN")]


def test_minus_is_the_typographic_sign() -> None:
    assert MINUS == "\u2212"
    assert DASH == "\u2014"


@pytest.mark.parametrize(
    ("x", "decimals", "vi", "en"),
    [
        (1234, 0, "1.234", "1,234"),
        (42.3, 1, "42,3", "42.3"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (0, 0, "0", "0"),
        (7, 2, "7,00", "7.00"),
        (999.5, 0, "1.000", "1,000"),
        (-1234.5, 1, "−1.234,5", "−1,234.5"),
        (-0.04, 1, "0,0", "0.0"),  # rounds to zero: no sign
        (np.int64(1234), 0, "1.234", "1,234"),
        (Decimal("2.5"), 0, "3", "3"),
    ],
)
def test_number(x: object, decimals: int, vi: str, en: str) -> None:
    assert number(x, decimals) == vi
    assert number(x, decimals, "en") == en


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (42.25, 1, "42,3"),  # Babel alone would give 42,2 (half-even)
        (42.35, 1, "42,4"),
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (-2.5, 0, "−3"),  # half away from zero, symmetric for negatives
        (1.005, 2, "1,01"),  # the decimal the user typed, not the binary float
    ],
)
def test_rounding_is_half_up(x: float, decimals: int, expected: str) -> None:
    assert number(x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "decimals", "vi", "en"),
    [
        (42.3, 1, "42,3%", "42.3%"),
        (42.25, 1, "42,3%", "42.3%"),
        (100, 1, "100,0%", "100.0%"),
        (90, 0, "90%", "90%"),
        (-7.7, 1, "−7,7%", "−7.7%"),
        (1234.5, 1, "1.234,5%", "1,234.5%"),
    ],
)
def test_percent(x: float, decimals: int, vi: str, en: str) -> None:
    assert percent(x, decimals) == vi
    assert percent(x, decimals, "en") == en


def test_percent_default_one_decimal_no_space() -> None:
    assert percent(42) == "42,0%"
    assert " " not in percent(42.3)


@pytest.mark.parametrize(
    ("x", "decimals", "vi", "en"),
    [
        (-7.7, 1, "−7,7 điểm phần trăm", "−7.7 percentage points"),
        (3.25, 1, "+3,3 điểm phần trăm", "+3.3 percentage points"),
        (0, 1, "0,0 điểm phần trăm", "0.0 percentage points"),
        (1, 1, "+1,0 điểm phần trăm", "+1.0 percentage points"),
        (1, 0, "+1 điểm phần trăm", "+1 percentage point"),
        (-1, 0, "−1 điểm phần trăm", "−1 percentage point"),
    ],
)
def test_pp_diff(x: float, decimals: int, vi: str, en: str) -> None:
    assert pp_diff(x, decimals) == vi
    assert pp_diff(x, decimals, "en") == en


@pytest.mark.parametrize(
    ("x", "decimals", "vi", "en"),
    [
        (1234, 0, "+1.234", "+1,234"),
        (-3.5, 1, "−3,5", "−3.5"),
        (0, 0, "0", "0"),
        (0.04, 1, "0,0", "0.0"),
    ],
)
def test_signed(x: float, decimals: int, vi: str, en: str) -> None:
    assert signed(x, decimals) == vi
    assert signed(x, decimals, "en") == en


@pytest.mark.parametrize(
    ("d", "short", "vi", "en"),
    [
        (date(2024, 6, 14), "14/06/2024", "ngày 14 tháng 6 năm 2024", "14 June 2024"),
        (date(2024, 1, 5), "05/01/2024", "ngày 05 tháng 01 năm 2024", "5 January 2024"),
        (date(2024, 3, 3), "03/03/2024", "ngày 03 tháng 3 năm 2024", "3 March 2024"),
        (date(2024, 2, 29), "29/02/2024", "ngày 29 tháng 02 năm 2024", "29 February 2024"),
        (date(2024, 1, 10), "10/01/2024", "ngày 10 tháng 01 năm 2024", "10 January 2024"),
        (date(2024, 12, 1), "01/12/2024", "ngày 01 tháng 12 năm 2024", "1 December 2024"),
        (datetime(2024, 10, 9, 16), "09/10/2024", "ngày 09 tháng 10 năm 2024", "9 October 2024"),
        (pd.Timestamp("2024-11-20"), "20/11/2024", "ngày 20 tháng 11 năm 2024", "20 November 2024"),
    ],
)
def test_dates(d: date, short: str, vi: str, en: str) -> None:
    assert date_short(d) == short
    assert date_short(d, "en") == short
    assert date_long(d) == vi
    assert date_long(d, "en") == en


def test_dates_refuse_text() -> None:
    with pytest.raises(FormatError, match="không phải là ngày tháng"):
        date_short("2024-06-14")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "en_noun", "vi", "en"),
    [
        (1234, "dossier", "1.234 hồ sơ", "1,234 dossiers"),
        (1, "dossier", "1 hồ sơ", "1 dossier"),
        (0, "dossier", "0 hồ sơ", "0 dossiers"),
        (2, ("person", "people"), "2 hồ sơ", "2 people"),
        (1, ("person", "people"), "1 hồ sơ", "1 person"),
        (np.int64(3), "dossier", "3 hồ sơ", "3 dossiers"),
    ],
)
def test_count(n: int, en_noun: str | tuple[str, str], vi: str, en: str) -> None:
    assert count(n, "hồ sơ", en_noun) == vi
    assert count(n, "hồ sơ", en_noun, "en") == en


@pytest.mark.parametrize(
    ("x", "unit", "vi", "en"),
    [
        (90, "percent", "90%", "90%"),
        (90.0, "percent", "90%", "90%"),
        (42.5, "percent", "42,5%", "42.5%"),
        (1500, "count", "1.500", "1,500"),
        (2, "per_month", "2/tháng", "2 per month"),
        (1.5, "per_month", "1,5/tháng", "1.5 per month"),
        (1, "rating", "yếu", "poor"),
        (2, "rating", "trung bình", "average"),
        (3.0, "rating", "khá", "good"),
        ("tot", "rating", "tốt", "excellent"),
        (1234.5, None, "1.234,5", "1,234.5"),
        (7, "hours", "7", "7"),
    ],
)
def test_value(x: object, unit: str | None, vi: str, en: str) -> None:
    assert value(x, unit) == vi
    assert value(x, unit, "en") == en


def test_rating_words_by_code_and_level() -> None:
    for lang, words in (("vi", ["yếu", "trung bình", "khá", "tốt"]), ("en", ["poor", "average", "good", "excellent"])):
        for level, (code, word) in enumerate(zip(["yeu", "trung_binh", "kha", "tot"], words), 1):
            assert RATING_WORDS[lang][code] == RATING_WORDS[lang][level] == word
    assert rating_word(" KHA ") == "khá"
    assert rating_word("4", "en") == "excellent"


@pytest.mark.parametrize("bad", [0, 5, 3.5, "gioi", True])
def test_rating_rejects_unknown_levels(bad: object) -> None:
    with pytest.raises(FormatError, match=f"Mức xếp loại '{bad}' không hợp lệ"):
        value(bad, "rating")


@pytest.mark.parametrize("x", MISSING)
def test_missing_values_show_a_dash(x: object) -> None:
    assert is_missing(x)
    for lang in ("vi", "en"):
        assert number(x, lang=lang) == DASH
        assert percent(x, lang=lang) == DASH
        assert pp_diff(x, lang=lang) == DASH
        assert signed(x, 1, lang) == DASH
        assert count(x, "hồ sơ", "dossier", lang) == DASH
        assert value(x, "percent", lang) == DASH
        assert value(x, "rating", lang) == DASH
        assert date_short(x, lang) == DASH
        assert date_long(x, lang) == DASH


def test_present_values_are_not_missing() -> None:
    assert not any(is_missing(x) for x in (0, 0.0, "", date(2024, 1, 1), Decimal(0)))


def test_unknown_language_is_refused_in_vietnamese() -> None:
    assert check_lang("en") == "en"
    with pytest.raises(FormatError, match="Ngôn ngữ 'fr' không được hỗ trợ.*'vi'.*'en'"):
        number(1, lang="fr")
    with pytest.raises(FormatError):
        number(None, lang="fr")  # a wrong option is reported even when the value is missing


@pytest.mark.parametrize("bad", ["42,3", "abc", math.inf, -math.inf])
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(FormatError, match="không phải là số"):
        number(bad)


def test_bad_decimals_are_refused() -> None:
    with pytest.raises(FormatError, match="chữ số thập phân"):
        number(1, -1)


def test_format_error_is_a_value_error() -> None:
    assert issubclass(FormatError, ValueError)
