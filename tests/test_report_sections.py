"""Report sections: the outline of a CCHC report, escaped user text, numbers from assess."""

import datetime as dt
import re

import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables
from cchc_lib.report.document import Report


@pytest.fixture(scope="module")
def report(plan, sample_progress):
    return Report(assess(plan, sample_progress, "2024-Q2"), "vi", dt.date(2024, 6, 20))


def _all_html(r: Report) -> str:
    parts = [
        r.header(),
        r.summary(),
        r.direction(),
        r.results_heading(),
        *[r.area(x) for x in r.areas()],
        r.one_stop(),
        r.units(),
        r.overall_assessment(),
        r.next_period(),
        r.proposals(),
        r.appendix(),
    ]
    return "\n".join(p.data for p in parts)


@pytest.mark.slow
def test_report_follows_the_usual_outline(report):
    html = _all_html(report)
    for heading in [
        "Tóm tắt",
        "I. Công tác chỉ đạo, điều hành",
        "II. Kết quả thực hiện các nhiệm vụ cải cách hành chính",
        "1. Cải cách thể chế",
        "2. Cải cách thủ tục hành chính",
        "Kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa",
        "Kết quả theo đơn vị chủ trì",
        "III. Đánh giá chung",
        "1. Ưu điểm",
        "2. Tồn tại, hạn chế và nguyên nhân",
        "IV. Phương hướng, nhiệm vụ kỳ tới",
        "V. Đề xuất, kiến nghị",
        "Phụ lục",
    ]:
        assert heading in html, heading
    # Headings carry ids for the table of contents.
    assert re.search(r'<h2 id="muc-3">III\. Đánh giá chung</h2>', html)


@pytest.mark.slow
def test_header_states_window_decision_sources_date_and_sample_banner(report):
    h = report.header().data
    assert "DỮ LIỆU MẪU" in h
    assert "từ ngày 15/03/2024 đến ngày 14/06/2024 (mốc số liệu theo Nghị định 09/2019/NĐ-CP)" in h
    assert "Quyết định số 07/QĐ-UBND ngày 10/01/2024" in h
    assert "ngày 20 tháng 6 năm 2024" in h and "Sổ hồ sơ một cửa" in h


@pytest.mark.slow
def test_user_text_is_escaped_everywhere(plan, sample_progress):
    notes = sample_progress.notes
    risky = next(
        t for col in ("highlights", "difficulties", "proposals") for t in notes[col].dropna() if "<" in t or "&" in t
    )
    period = notes.loc[(notes[["highlights", "difficulties", "proposals"]] == risky).any(axis=1), "period"].iloc[0]
    r = Report(assess(plan, sample_progress, period), "vi", dt.date(2024, 12, 20))
    html = _all_html(r)
    assert risky not in html or ("<" not in risky and "&" not in risky)
    escaped = risky.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    assert escaped in html


def test_summary_cards_match_the_assessment(report):
    a = report.a
    s = report.summary().data
    ytd = fmt.percent(a.tthc_ytd.at["online_rate", "value"], 1)
    assert ytd in s
    m = a.targets[a.targets["measurable"]]
    assert f"{int((m['status'] == 'met').sum())}/{len(m)}" in s
    o = a.overall
    assert o["rating"] is not None
    card = re.search(r'<div class="v"[^>]*>([^<]*)</div><div class="l">Xếp loại ước tính\*</div>', s)
    assert card and card.group(1) == f"{vocab.rating(o['rating'], 'vi')} ({fmt.number(o['score'], 1)})"


def test_area_tables_have_one_row_per_target_and_task(report):
    """One badge per target, per dated task and per standing duty not reported; nothing else."""
    a = report.a
    html = report.area("II.2").data
    t = a.targets[a.targets["area_id"] == "II.2"]
    k = a.tasks[a.tasks["area_id"] == "II.2"]
    dated = k[~k["recurring"].astype(bool)]
    missing = k[k["recurring"].astype(bool) & (k["status"] == "recurring_missing")]
    assert len(t) and len(dated)
    assert html.count('class="cchc-badge"') == len(t) + len(dated) + len(missing)
    for row_id in [*t["target_id"], *dated["task_id"], *missing["task_id"]]:
        assert f"<td>{row_id}</td>" in html, row_id


def test_status_badges_carry_colour_inline(report):
    df = tables.target_table(report.a, "vi", "II.2")
    html = tables.to_html(df, badge_col="Đánh giá")
    assert 'style="background:#009E73;color:' in html  # Đạt


def test_appendix_lists_lint_findings_and_inputs(report):
    html = report.appendix().data
    assert "Chỉ tiêu mâu thuẫn" in html and "IV.4" in html
    assert "Sổ hồ sơ một cửa" in html and fmt.number(len(report.a.progress.dossiers)) in html
    # the full target table carries the pace rule beside each status; the method states the grading rule
    assert '<th scope="col">Cần đạt đến nay</th>' in html
    assert "Chưa đủ căn cứ đánh giá" in html and "Chỉ chấm điểm đơn vị chủ trì cấp xã" in html


def test_areas_and_units_without_a_score_say_why(report):
    a = report.a
    summary, units = report.summary().data, report.units().data
    flagged = a.areas.loc[a.areas["grading"] == "insufficient_evidence", "area_id"]
    assert len(flagged) and summary.count("Chưa đủ căn cứ đánh giá") == len(flagged)
    assert units.count("Không chấm điểm: đơn vị cấp trên, xã không chấm điểm") == int(
        (a.units["grading"] == "not_graded").sum()
    )
    assert "Lĩnh vực chưa đủ căn cứ đánh giá" in report.area(flagged.iloc[0]).data


@pytest.mark.slow
def test_english_report(plan, sample_progress):
    r = Report(assess(plan, sample_progress, "2024-Q2"), "en", dt.date(2024, 6, 20))
    html = _all_html(r)
    assert "III. Overall assessment" in html and "SAMPLE DATA" in html and "20 June 2024" in html
