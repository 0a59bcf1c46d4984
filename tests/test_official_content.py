"""The official report's content: the Ministry's outline, its prose, and one truth for every count."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from cchc_lib import assess
from cchc_lib.core.periods import PeriodError, label, parse_period
from cchc_lib.i18n import fmt
from cchc_lib.report.official import build, check_official_period, is_official_period, prose
from cchc_lib.report.official.annex import results_table_data
from tests.official_helpers import count_tasks, leftover_words

OFFICIAL = ("2024-Q1", "2024-H1", "2024-Q3", "2024")


@pytest.fixture(scope="module")
def assessments(plan, sample_progress):
    return {p: assess(plan, sample_progress, p) for p in OFFICIAL}


@pytest.fixture(scope="module")
def h1(assessments):
    return assessments["2024-H1"]


def _texts(doc, kind):
    return [b.text for b in doc.blocks if b.kind == kind]


def _section(doc, heading_start: str) -> list:
    """The blocks from the h1/h2 whose text starts with ``heading_start`` to the next heading of that level."""
    out, level = None, None
    for b in doc.blocks:
        if out is None:
            if b.kind in ("h1", "h2") and b.text.startswith(heading_start):
                out, level = [], b.kind
            continue
        if b.kind == level or (level == "h2" and b.kind == "h1"):
            break
        out.append(b)
    assert out is not None, heading_start
    return out


@pytest.mark.slow
def test_outline_follows_the_ministry_in_both_languages(h1):
    vi, en = build(h1, "vi"), build(h1, "en")
    assert _texts(vi, "h1") == [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    assert [t for t in _texts(vi, "h2")][:5] == [
        "1. Công tác kế hoạch",
        "2. Công tác kiểm tra",
        "3. Công tác tuyên truyền",
        "4. Khảo sát sự hài lòng của người dân, tổ chức",
        "5. Sáng kiến, mô hình mới trong cải cách hành chính",
    ]
    assert [t.split(". ")[0] for t in _texts(en, "h1")] == ["I", "II", "III", "IV", "V"]
    assert vi.summary == "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024"
    assert [a.label for a in vi.annexes] == ["Phụ lục I", "Phụ lục II"]


@pytest.mark.slow
def test_direction_area_is_section_one_and_the_other_areas_are_section_two_in_plan_order(h1, plan):
    direction = plan.meta["direction_area"]
    doc = build(h1, "vi")
    areas = [a for a in plan.areas.sort_values("order")["area_id"] if a != direction]
    s2 = [b.text for b in _section(doc, "II.") if b.kind == "h2"]
    assert s2 == [f"{i}. {plan.area_name(a)}" for i, a in enumerate(areas, 1)]
    # the direction area's dated tasks are told in section I
    s1 = " ".join(b.text for b in _section(doc, "I."))
    for _, r in h1.tasks[(h1.tasks["area_id"] == direction) & ~h1.tasks["recurring"]].iterrows():
        if r["status"] in ("done_on_time", "done_late", "overdue"):
            assert prose.task_name(r) in s1


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("period", OFFICIAL)
@pytest.mark.slow
def test_no_sentence_is_repeated_and_no_bare_code_is_printed(assessments, plan, period, lang):
    doc = build(assessments[period], lang)
    sentences = doc.body_sentences()
    repeated = sorted({s for s in sentences if sentences.count(s) > 1})
    assert not repeated
    text = "\n".join(doc.paragraphs())
    codes = list(plan.tasks["task_id"]) + list(plan.targets["target_id"]) + list(plan.areas["area_id"])
    found = [c for c in codes if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text)]
    assert not found


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


COUNT_PATTERNS = {
    "vi": {
        "area": r"Kế hoạch giao (?:([\d.]+) chỉ tiêu và )?([\d.]+) nhiệm vụ \(([\d.]+) nhiệm vụ có thời hạn, "
        r"([\d.]+) nhiệm vụ thường xuyên\) thuộc lĩnh vực ([^.]+)\.",
        "met": r"([\d.]+) chỉ tiêu đã đạt",
        "weak": r"([\d.]+) chỉ tiêu chưa đạt hoặc có nguy cơ không đạt",
        "overdue": r"([\d.]+) nhiệm vụ quá hạn chưa hoàn thành",
        "on_time": r"([\d.]+) nhiệm vụ có thời hạn hoàn thành đúng hạn",
        "missing": r"([\d.]+) nhiệm vụ thường xuyên chưa có báo cáo",
        "tthc": r"tiếp nhận ([\d.]+) hồ sơ \(([\d.]+) trực tuyến, ([\d.]+) trực tiếp, ([\d.]+) qua",
    },
    "en": {
        "area": r"The plan sets (?:([\d,]+) targets and )?([\d,]+) tasks \(([\d,]+) with a deadline, "
        r"([\d,]+) standing duties\) in the area of ([^.]+)\.",
        "met": r"([\d,]+) targets met",
        "weak": r"([\d,]+) targets missed or at risk",
        "overdue": r"([\d,]+) overdue tasks not completed",
        "on_time": r"([\d,]+) tasks with a deadline completed on time",
        "missing": r"([\d,]+) standing duties without a report",
        "tthc": r"received ([\d,]+) dossiers \(([\d,]+) online, ([\d,]+) in person, ([\d,]+) by public",
    },
}


def _counts_checked(a, lang: str) -> int:
    """Parse every count the text states and compare it with the assessment; how many were checked."""
    pat, plan, checked = COUNT_PATTERNS[lang], a.plan, 0
    doc = build(a, lang)
    text = "\n".join(b.text for b in doc.blocks)
    for m in re.finditer(pat["area"], text):
        area = next(x for x in plan.areas["area_id"] if prose.mid(plan.area_name(x, lang)) == m.group(5))
        k, t = a.tasks[a.tasks["area_id"] == area], a.targets[a.targets["area_id"] == area]
        if m.group(1):
            assert _number(m.group(1)) == len(t)
        stated = (_number(m.group(2)), _number(m.group(3)), _number(m.group(4)))
        assert stated == (len(k), int((~k["recurring"]).sum()), int(k["recurring"].sum()))
        checked += 1
    s3 = "\n".join(b.text for b in _section(doc, "III."))
    scored = a.targets[a.targets["measurable"] & (a.targets["kpi"].fillna("") != "rating")]
    expect = {
        "met": count_tasks(scored, "met"),
        "weak": count_tasks(scored, "missed", "at_risk"),
        "overdue": count_tasks(a.tasks, "overdue"),
        "on_time": count_tasks(a.tasks, "done_on_time"),
        "missing": count_tasks(a.tasks, "recurring_missing"),
    }
    for key, value in expect.items():
        m = re.search(pat[key], s3)
        assert (m is not None) == (value > 0), key
        if m:
            assert _number(m.group(1)) == value, key
            checked += 1
    table = results_table_data(a).sum()
    m = re.search(pat["tthc"], text)
    new = int(table["new_online"] + table["new_direct"] + table["new_postal"])
    assert [_number(g) for g in m.groups()] == [new, table["new_online"], table["new_direct"], table["new_postal"]]
    assert new == a.tthc.counts["dossiers_received"]
    return checked + 1


@pytest.mark.slow
def test_every_count_in_the_text_agrees_with_the_assessment(assessments):
    """Each sentence that states a count is parsed and compared with the assessment tables."""
    assert sum(_counts_checked(a, "vi") for a in assessments.values()) >= 4 * 8


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.slow
def test_counts_agree_under_calendar_quarters_and_in_english(plan, sample_progress, lang):
    for period in ("2024-Q1", "2024-Q3"):
        assert _counts_checked(assess(plan, sample_progress, period, cutoff="calendar"), lang) >= 8


@pytest.mark.slow
def test_overdue_task_names_unit_deadline_reason_and_who_finishes_it_next_period(h1):
    doc = build(h1, "vi")
    s2 = "\n".join(b.text for b in _section(doc, "II.")) + "\n".join(b.text for b in _section(doc, "I."))
    s4 = "\n".join(b.text for b in _section(doc, "IV."))
    overdue = h1.tasks[h1.tasks["status"] == "overdue"]
    assert len(overdue)
    nxt = label(parse_period("2024-H2"))
    for _, r in overdue.iterrows():
        name, unit = prose.task_name(r), h1.plan.unit_name(r["lead_unit_id"])
        told = next(line for line in s2.split("\n") if f"“{name}”" in line)
        assert unit in told and fmt.date_short(r["deadline"]) in told
        assert (prose.clean(r["update_note"]) if pd.notna(r["update_note"]) else "chưa báo cáo lý do") in told
        plan_next = next(line for line in s4.split("\n") if f"“{name}”" in line)
        assert plan_next.startswith(prose.sentence_case(unit)) and nxt in plan_next


@pytest.mark.slow
def test_a_deadline_before_the_plan_is_not_headlined_as_days_overdue(h1):
    decided = pd.Timestamp(h1.plan.meta["decision_date"])
    odd = h1.tasks[(h1.tasks["status"] == "overdue") & (h1.tasks["deadline"] <= decided)]
    assert len(odd) and odd["deadline_before_plan"].all()
    text = "\n".join(b.text for b in build(h1, "vi").blocks)
    for _, r in odd.iterrows():
        line = next(x for x in text.split("\n") if f"“{prose.task_name(r)}”" in x and "chưa hoàn thành" in x)
        assert "trước ngày ban hành Kế hoạch" in line and "chậm" not in line


@pytest.mark.slow
def test_completed_task_names_its_evidence(h1):
    text = "\n".join(b.text for b in build(h1, "vi").blocks)
    done = h1.tasks[h1.tasks["status"].isin(["done_on_time", "done_late"]) & h1.tasks["evidence"].notna()]
    assert len(done)
    for _, r in done.iterrows():
        line = next(x for x in text.split("\n") if f"“{prose.task_name(r)}”" in x)
        assert prose.clean(r["evidence"]) in line and fmt.date_short(r["completed_on"]) in line


@pytest.mark.slow
def test_the_index_estimate_never_meets_its_own_target(h1):
    doc = build(h1, "vi")
    rating = h1.targets[h1.targets["kpi"].fillna("") == "rating"]
    assert len(rating)
    line = next(
        b.text for b in doc.blocks if b.text.startswith(prose.sentence_case(prose.indicator(rating.iloc[0], "vi")))
    )
    assert "ước tính nội bộ" in line and ": đạt" not in line


@pytest.mark.slow
def test_section_notes_go_to_their_section_and_an_empty_section_says_so_once(h1):
    notes = pd.DataFrame(
        {
            "period": ["2024-H1"],
            "area_id": [""],
            "highlights": [pd.NA],
            "difficulties": [pd.NA],
            "proposals": [pd.NA],
            "section": ["initiatives"],
            "text": ["Thí điểm mô hình “Chủ nhật xanh” tại Bộ phận một cửa"],
        }
    )
    a = dataclasses.replace(h1, progress=dataclasses.replace(h1.progress, notes=notes))
    doc = build(a, "vi")
    assert [b.text for b in _section(doc, "5. Sáng kiến")] == ["Thí điểm mô hình “Chủ nhật xanh” tại Bộ phận một cửa."]
    # proposals: nothing given → one line
    assert [b.text for b in _section(doc, "V.")] == ["Trong kỳ, không có nội dung báo cáo về đề xuất, kiến nghị."]


def test_official_periods_and_the_explicit_exception():
    assert [is_official_period(parse_period(p)) for p in OFFICIAL] == [True] * 4
    for p in ("2024-Q2", "2024-Q4", "2024-H2"):
        assert not is_official_period(parse_period(p))
        with pytest.raises(PeriodError, match="official-anyway"):
            check_official_period(parse_period(p))
        check_official_period(parse_period(p), anyway=True)


@pytest.mark.slow
def test_date_line_is_blank_by_default_and_filled_with_leading_zeros(h1):
    assert build(h1, "vi").date_line == "Hải Dương, ngày      tháng      năm 2024"
    assert build(h1, "vi", report_date="2024-02-05").date_line == "Hải Dương, ngày 05 tháng 02 năm 2024"
    assert build(h1, "vi", report_date="2024-06-18").date_line == "Hải Dương, ngày 18 tháng 6 năm 2024"


@pytest.mark.slow
def test_header_signature_and_recipients_come_from_the_plan_or_a_parameter(h1, plan):
    doc = build(h1, "vi")
    report = plan.meta["report"]
    assert doc.issuer_lines == ["ỦY BAN NHÂN DÂN", plan.meta["commune"].upper()]
    assert doc.number.startswith("Số:") and doc.number.endswith("/BC-UBND") and not re.search(r"\d", doc.number)
    assert doc.recipients == report["recipients"]
    assert doc.copies[0] == "- Như trên;" and doc.copies[-1] == "- Lưu: VT."
    assert doc.sign_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and doc.signer == plan.meta["signer"]
    assert build(h1, "vi", recipients="Ủy ban nhân dân tỉnh").recipients == ["Ủy ban nhân dân tỉnh"]


@pytest.mark.parametrize("lang,other", [("en", "vi"), ("vi", "en")])
@pytest.mark.slow
def test_no_tool_phrase_of_the_other_language(assessments, lang, other):
    for a in assessments.values():
        doc = build(a, lang)
        assert leftover_words("\n".join(doc.paragraphs()), a, other) == []
