"""Reporting periods: windows under Decree 09/2019 and calendar conventions, parsing, labels."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime

import pandas as pd
import pytest

from cchc_lib.core.periods import (
    CUTOFFS,
    Period,
    PeriodError,
    Window,
    check_cutoff,
    describe_window,
    label,
    label_title,
    parse_period,
    period_end_date,
    periods_in_year,
    previous,
    quarters_until,
    window,
    year_to_date,
)

D = date

# Hand-written from the decree's rule (15th of the month before → 14th of the last month)
# and from the calendar; not computed, so that a wrong rule cannot agree with itself.
EXPECTED_2024 = {
    ("2024-Q1", "nd09"): (D(2023, 12, 15), D(2024, 3, 14)),
    ("2024-Q2", "nd09"): (D(2024, 3, 15), D(2024, 6, 14)),
    ("2024-Q3", "nd09"): (D(2024, 6, 15), D(2024, 9, 14)),
    ("2024-Q4", "nd09"): (D(2024, 9, 15), D(2024, 12, 14)),
    ("2024-H1", "nd09"): (D(2023, 12, 15), D(2024, 6, 14)),
    ("2024-H2", "nd09"): (D(2024, 6, 15), D(2024, 12, 14)),
    ("2024", "nd09"): (D(2023, 12, 15), D(2024, 12, 14)),
    ("2024-Q1", "calendar"): (D(2024, 1, 1), D(2024, 3, 31)),
    ("2024-Q2", "calendar"): (D(2024, 4, 1), D(2024, 6, 30)),
    ("2024-Q3", "calendar"): (D(2024, 7, 1), D(2024, 9, 30)),
    ("2024-Q4", "calendar"): (D(2024, 10, 1), D(2024, 12, 31)),
    ("2024-H1", "calendar"): (D(2024, 1, 1), D(2024, 6, 30)),
    ("2024-H2", "calendar"): (D(2024, 7, 1), D(2024, 12, 31)),
    ("2024", "calendar"): (D(2024, 1, 1), D(2024, 12, 31)),
}


@pytest.mark.parametrize(("code", "cutoff"), sorted(EXPECTED_2024))
def test_every_window_of_2024(code: str, cutoff: str) -> None:
    w = window(code, cutoff)
    assert (w.start, w.end) == EXPECTED_2024[code, cutoff]
    assert w.cutoff == cutoff
    assert w.period == parse_period(code)
    assert period_end_date(code, cutoff) == w.end


def test_expected_table_covers_every_period_and_cutoff() -> None:
    assert {(str(p), c) for p in periods_in_year(2024) for c in CUTOFFS} == set(EXPECTED_2024)


def test_default_cutoff_is_decree_09() -> None:
    assert window("2024-Q2") == window("2024-Q2", "nd09")


def test_quarters_tile_the_year_without_gaps_or_overlaps() -> None:
    for cutoff in CUTOFFS:
        quarters = [window(Period(2024, "quarter", q), cutoff) for q in range(1, 5)]
        year = window("2024", cutoff)
        assert quarters[0].start == year.start and quarters[-1].end == year.end
        for before, after in zip(quarters, quarters[1:]):
            assert (after.start - before.end).days == 1
        assert sum(w.days for w in quarters) == year.days


def test_days_counts_both_ends_and_leap_february() -> None:
    # 2024 is a leap year: Q1 calendar = 31 + 29 + 31; nd09 Q1 = 17 (Dec) + 31 + 29 + 14.
    assert window("2024-Q1", "calendar").days == 91
    assert window("2024-Q1", "nd09").days == 91
    assert window("2023-Q1", "calendar").days == 90
    assert window("2024", "calendar").days == 366
    assert window("2024-Q1", "calendar").contains(D(2024, 2, 29))
    assert window("2024-Q1", "nd09").contains(D(2024, 2, 29))


@pytest.mark.parametrize(
    ("day", "cutoff", "code"),
    [
        (D(2024, 6, 14), "nd09", "2024-Q2"),
        (D(2024, 6, 15), "nd09", "2024-Q3"),
        (D(2024, 3, 31), "calendar", "2024-Q1"),
        (D(2024, 3, 31), "nd09", "2024-Q2"),
        (D(2023, 12, 15), "nd09", "2024-Q1"),
        (D(2023, 12, 14), "nd09", "2023-Q4"),
        (D(2024, 12, 20), "nd09", "2025-Q1"),
        (D(2024, 12, 31), "calendar", "2024-Q4"),
    ],
)
def test_edge_days_fall_in_exactly_one_quarter(day: date, cutoff: str, code: str) -> None:
    years = (day.year, day.year + 1)
    owners = [
        str(p) for y in years for p in periods_in_year(y) if p.kind == "quarter" and window(p, cutoff).contains(day)
    ]
    assert owners == [code]


def test_contains_accepts_datetimes_and_rejects_missing() -> None:
    q2 = window("2024-Q2")
    assert q2.contains(datetime(2024, 6, 14, 23, 59))
    assert q2.contains(pd.Timestamp("2024-03-15 00:00"))
    assert not q2.contains(pd.Timestamp("2024-06-15 00:00"))
    assert not q2.contains(None)
    assert not q2.contains(pd.NaT)


def test_mask_is_inclusive_keeps_index_and_treats_nat_as_outside() -> None:
    stamps = pd.Series(
        pd.to_datetime(["2024-03-14 23:59", "2024-03-15 00:00", "2024-06-14 16:30", "2024-06-15 00:00", None]),
        index=list("abcde"),
    )
    mask = window("2024-Q2").mask(stamps)
    assert mask.dtype == bool
    assert list(mask.index) == list("abcde")
    assert mask.tolist() == [False, True, True, False, False]


def test_mask_matches_contains_for_tz_aware_and_date_object_columns() -> None:
    q2 = window("2024-Q2")
    naive = pd.Series(pd.to_datetime(["2024-06-14 23:00", "2024-06-15 01:00", None]))
    aware = naive.dt.tz_localize("Asia/Ho_Chi_Minh")
    assert q2.mask(aware).tolist() == [True, False, False]
    objects = pd.Series([D(2024, 6, 14), None, D(2024, 6, 15)])
    assert q2.mask(objects).tolist() == [q2.contains(v) for v in objects]


def test_mask_refuses_text_columns() -> None:
    with pytest.raises(TypeError, match="datetime"):
        window("2024-Q2").mask(pd.Series(["14/06/2024"]))


def test_year_to_date() -> None:
    assert year_to_date("2024-Q3") == Window(D(2023, 12, 15), D(2024, 9, 14), "nd09", Period(2024, "quarter", 3))
    ytd = year_to_date("2024-H1", "calendar")
    assert (ytd.start, ytd.end) == (D(2024, 1, 1), D(2024, 6, 30))
    assert year_to_date("2024-Q1") == window("2024-Q1")
    assert year_to_date("2024", "calendar") == window("2024", "calendar")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2024-Q1", "2023-Q4"),
        ("2024-Q3", "2024-Q2"),
        ("2024-H1", "2023-H2"),
        ("2024-H2", "2024-H1"),
        ("2024", "2023"),
    ],
)
def test_previous(code: str, expected: str) -> None:
    assert previous(code) == parse_period(expected)


def test_previous_stops_at_the_first_supported_year() -> None:
    assert previous("1900-Q1") is None


def test_periods_in_year_order() -> None:
    assert [p.code for p in periods_in_year(2024)] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2024-H1",
        "2024-H2",
        "2024",
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2024-Q1", ["2024-Q1"]),
        ("2024-Q3", ["2024-Q1", "2024-Q2", "2024-Q3"]),
        ("2024-H1", ["2024-Q1", "2024-Q2"]),
        ("2024-H2", ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
        ("2024", ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
    ],
)
def test_quarters_until(code: str, expected: list[str]) -> None:
    quarters = quarters_until(code)
    assert [q.code for q in quarters] == expected
    end = period_end_date(code)
    assert all(period_end_date(q) <= end for q in quarters)


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("2024-Q1", "Quý I/2024", "Q1 2024"),
        ("2024-Q2", "Quý II/2024", "Q2 2024"),
        ("2024-Q3", "Quý III/2024", "Q3 2024"),
        ("2024-Q4", "Quý IV/2024", "Q4 2024"),
        ("2024-H1", "6 tháng đầu năm 2024", "first half of 2024"),
        ("2024-H2", "6 tháng cuối năm 2024", "second half of 2024"),
        ("2024", "năm 2024", "year 2024"),
    ],
)
def test_labels_round_trip(code: str, vi: str, en: str) -> None:
    assert label(code) == vi
    assert label(code, "en") == en
    assert parse_period(vi) == parse_period(code)  # a label can be typed back in


def test_label_title_capitalises_first_letter_only() -> None:
    assert label_title("2024") == "Năm 2024"
    assert label_title("2024-H1") == "6 tháng đầu năm 2024"
    assert label_title("2024-H2", "en") == "Second half of 2024"
    assert label_title("2024-Q2", "en") == "Q2 2024"


def test_label_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="Ngôn ngữ 'fr'"):
        label("2024", "fr")


def test_describe_window() -> None:
    assert describe_window(window("2024-Q2")) == (
        "từ ngày 15/03/2024 đến ngày 14/06/2024 (mốc số liệu theo Nghị định 09/2019/NĐ-CP)"
    )
    assert describe_window(window("2024-Q2", "calendar")) == (
        "từ ngày 01/04/2024 đến ngày 30/06/2024 (theo quý dương lịch)"
    )
    assert describe_window(window("2024-Q2"), "en") == (
        "from 15/03/2024 to 14/06/2024 (data cut-off under Decree 09/2019/ND-CP)"
    )
    assert describe_window(window("2024-Q1", "calendar"), "en") == ("from 01/01/2024 to 31/03/2024 (calendar quarters)")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2024-Q2", "2024-Q2"),
        ("2024Q2", "2024-Q2"),
        ("2024 q2", "2024-Q2"),
        ("Q2/2024", "2024-Q2"),
        ("q2-2024", "2024-Q2"),
        ("2024-H1", "2024-H1"),
        ("2024h2", "2024-H2"),
        ("H1/2024", "2024-H1"),
        ("2024", "2024"),
        (2024, "2024"),
        ("Quý II/2024", "2024-Q2"),
        ("Quý 2/2024", "2024-Q2"),
        ("quý iv/2024", "2024-Q4"),
        ("QUÝ I / 2024", "2024-Q1"),
        ("Quí III/2024", "2024-Q3"),
        ("Quý 3 năm 2024", "2024-Q3"),
        ("6 tháng đầu năm 2024", "2024-H1"),
        ("  6  Tháng Cuối Năm 2024 ", "2024-H2"),
        ("năm 2024", "2024"),
        ("Năm 2024", "2024"),
    ],
)
def test_parse_accepted_forms(text: str | int, code: str) -> None:
    period = parse_period(text)
    assert period.code == code
    assert str(period) == code


def test_parse_decomposed_unicode() -> None:
    # Text copied from PDFs often carries combining accents (NFD).
    import unicodedata

    assert parse_period(unicodedata.normalize("NFD", "Quý II/2024")).code == "2024-Q2"


def test_parse_returns_period_unchanged() -> None:
    p = Period(2024, "half", 2)
    assert parse_period(p) is p


@pytest.mark.parametrize("text", ["xyz", "", "2024-Q5", "Q0/2024", "2024-H3", "2024-6T", "Quý V/2024", "24-Q2", None])
def test_parse_rejects_with_vietnamese_hint(text: object) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)  # type: ignore[arg-type]
    message = str(err.value)
    assert message.startswith(f"Kỳ báo cáo '{text}' không hợp lệ")
    assert "2024-Q2 (quý), 2024-H1 (6 tháng) hoặc 2024 (năm)" in message


def test_parse_rejects_implausible_year() -> None:
    with pytest.raises(PeriodError, match="Kỳ báo cáo '1024' không hợp lệ: năm '1024' nằm ngoài"):
        parse_period("1024")


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((2024, "month", 1), "Loại kỳ 'month'"),
        ((2024, "quarter", 5), "từ 1 đến 4"),
        ((2024, "half", 0), "từ 1 đến 2"),
        ((2024, "year", 2), "từ 1 đến 1"),
        ((20224, "quarter", 1), "Năm '20224'"),
    ],
)
def test_period_validates_its_fields(args: tuple, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        Period(*args)


def test_period_is_frozen_hashable_and_normalises_numpy_ints() -> None:
    import numpy as np

    p = Period(np.int64(2024), "quarter", np.int64(2))  # type: ignore[arg-type]
    assert type(p.year) is int and p == Period(2024, "quarter", 2)
    assert len({p, Period(2024, "quarter", 2)}) == 1
    with pytest.raises(FrozenInstanceError):
        p.year = 2025  # type: ignore[misc]


def test_check_cutoff() -> None:
    assert CUTOFFS == ("nd09", "calendar")
    assert check_cutoff(" ND09 ") == "nd09"
    with pytest.raises(PeriodError) as err:
        check_cutoff("monthly")
    message = str(err.value)
    assert message.startswith("Mốc chốt số liệu 'monthly' không hợp lệ")
    assert "'nd09'" in message and "'calendar'" in message
    with pytest.raises(PeriodError):
        window("2024-Q2", "monthly")


def test_next_period_of_steps_forward_across_the_year():
    from cchc_lib.core.periods import next_period_of

    assert next_period_of("2024-Q4").code == "2025-Q1"
    assert next_period_of("2024-Q2").code == "2024-Q3"
    assert next_period_of("2024-H1").code == "2024-H2"
    assert next_period_of("2024").code == "2025"
