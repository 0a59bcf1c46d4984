"""Input problems are keyed messages worded when shown: the same loader warning reads in
Vietnamese on the console and in English in an English report's appendix C."""

from __future__ import annotations

from datetime import date

import pytest

from cchc_lib import i18n
from cchc_lib.core.errors import DataError, Issue, Msg
from cchc_lib.progress.loader import load_progress
from tests.test_i18n import vietnamese_words

T = i18n.table("report")


def _percent_target(plan) -> str:
    t = plan.targets
    return t.loc[(t["unit"] == "percent") & t["measurable"], "target_id"].iloc[0]


@pytest.fixture
def warned(plan, tmp_path):
    """A year folder that loads with two warnings: a rate typed as a fraction, an unknown file."""
    (tmp_path / "indicators.csv").write_text(
        f'target_id,period,value\n{_percent_target(plan)},{plan.year}-Q1,"0,425"\n', encoding="utf-8"
    )
    (tmp_path / "old-report.txt").write_text("x", encoding="utf-8")
    return load_progress(tmp_path, plan)


def _messages(a, lang: str) -> list[str]:
    from cchc_lib.report import appendix

    frame = appendix.warnings_frame(a, T[lang], lang)
    return list(frame[T[lang]["warn_cols"][-1]])


def test_appendix_c_words_loader_warnings_in_the_report_language(plan, warned):
    from cchc_lib.assessment.engine import assess

    a = assess(plan, warned, f"{plan.year}-Q1")
    vi, en = _messages(a, "vi"), _messages(a, "en")
    assert len(vi) == len(en) >= 2
    assert any("tỷ lệ 0,425% rất nhỏ: nếu là 42,5% hãy ghi 42,5" in m and "(đang ghi: '0,425')" in m for m in vi)
    assert any("a rate of 0.425% is very small: if it is 42.5%, write 42.5" in m for m in en)
    assert any("(written: '0,425')" in m for m in en)  # the cell quoted as the analyst typed it
    assert any("không thuộc loại dữ liệu nào" in m for m in vi)
    assert all(not vietnamese_words(m) for m in en), en


def test_a_data_error_reads_in_either_language(plan, tmp_path):
    (tmp_path / "tasks.csv").write_text(
        f"task_id,period,status,completed_on\n{plan.tasks['task_id'].iloc[0]},{plan.year}-Q1,,01/01/1990\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_progress(tmp_path, plan)
    exc = caught.value
    assert str(exc) == exc.render("vi") and "Số liệu tiến độ có lỗi" in str(exc)
    en = exc.render("en")
    assert en.startswith("The progress data has errors to correct before assessing")
    assert "tasks.csv, row 2, column 'completed_on'" in en
    assert f"the completion date is before the plan year {plan.year} (written: '01/01/1990')" in en
    assert not vietnamese_words(en)


def test_values_are_written_in_each_language_format():
    issue = Issue("a.csv", Msg.of("numerator_range", den=1250.5), row=3, column="numerator", value="2000,25")
    vi = "tệp a.csv, dòng 3, cột 'numerator': tử số phải từ 0 đến mẫu số (1250,5) (đang ghi: '2000,25')"
    assert issue.text("vi") == vi
    assert issue.text("en").endswith("between 0 and the denominator (1250.5) (written: '2000,25')")
    late = Msg.of("before_received", what=Msg.of("date_name.returned"), received=date(2031, 2, 3))
    when = Issue("a.xlsx [trang Nhiệm vụ]", late)
    assert "file a.xlsx [sheet Nhiệm vụ]" in when.text("en")
    assert "date returned before the date received (03/02/2031)" in when.text("en")


def test_a_message_survives_the_trip_through_pandera():
    msg = Msg.of("not_in", what=Msg.of("ref.task"), where="tasks.csv", sample=("A", "B"))
    back = Msg.from_token(msg.token())
    assert back == msg and back.text("en") == "needs a task id listed in tasks.csv (A, B)"
    assert Msg.from_token("plain text") is None


def test_an_english_text_summary_lists_the_warnings_in_english(plan, warned):
    from cchc_lib.assessment.engine import assess
    from cchc_lib.report.narrative import text_summary

    text = text_summary(assess(plan, warned, f"{plan.year}-Q1"), lang="en")
    assert "a rate of 0.425% is very small" in text and "rất nhỏ" not in text
