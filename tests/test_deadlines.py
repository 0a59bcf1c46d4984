import datetime as dt

import pytest

from cchc_lib.plan.deadlines import DeadlineError, is_recurring, parse_deadline


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Trước ngày 05/01/2024", dt.date(2024, 1, 5)),
        ("trước ngày 5/1/2024", dt.date(2024, 1, 5)),
        ("Chậm nhất ngày 30/06/2024", dt.date(2024, 6, 30)),
        ("15/01/2024", dt.date(2024, 1, 15)),
        ("Quý I/2024", dt.date(2024, 3, 31)),
        ("Quý IV/2024", dt.date(2024, 12, 31)),
        ("Quý 2 năm 2024", dt.date(2024, 6, 30)),
        ("6 tháng đầu năm 2024", dt.date(2024, 6, 30)),
        ("Tháng 2/2024", dt.date(2024, 2, 29)),
        ("Trong năm 2024", dt.date(2024, 12, 31)),
        ("Năm 2024", dt.date(2024, 12, 31)),
        ("  năm   2024. ", dt.date(2024, 12, 31)),
    ],
)
def test_phrases_give_the_last_due_day(text, expected):
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text", ["Thường xuyên", "thường xuyên", "", None, "Hằng quý"])
def test_standing_duties_and_blanks_have_no_date(text):
    assert parse_deadline(text) is None


def test_recurring_words():
    assert is_recurring("Thường xuyên") and not is_recurring("Quý I/2024") and not is_recurring(None)


@pytest.mark.parametrize("text", ["sớm", "Quý V/2024", "31/02/2024", "Trước ngày 2024"])
def test_unknown_phrases_raise_with_the_accepted_forms(text):
    with pytest.raises(DeadlineError, match="Quý I/2024"):
        parse_deadline(text)
