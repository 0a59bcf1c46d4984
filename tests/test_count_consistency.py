"""One truth: every count the assessment and the official report state equals the assessment's.

Each document is rendered by the functions that write it (narrative, summary cards, area
table; the official report's content, its DOCX and HTML), every count stated in the text is
read back with patterns built from the catalogue's own sentences (``tests/count_parsing``)
and compared with ``assessment.counts``. A sentence whose count is not zero must be found,
so a reworded sentence fails here rather than going unchecked.
"""

from __future__ import annotations

import io
import re

import docx
import pytest

from cchc_lib import assess, i18n
from cchc_lib.assessment.counts import status_counts, task_counts
from cchc_lib.i18n import vocab
from cchc_lib.report import narrative, tables
from cchc_lib.report.document import Report
from cchc_lib.report.official import build, prose, sections
from cchc_lib.report.official.annex import results_table_data
from cchc_lib.report.official.docx import write_docx
from cchc_lib.report.official.html import render_html
from tests.count_parsing import find, number, plain, status_parts

PERIODS = ("2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-Q4", "2024-H2", "2024")
CUTOFFS = ("nd09", "calendar")
LANGS = ("vi", "en")
FAST = [("2024-H1", "nd09", "vi"), ("2024-Q3", "calendar", "en")]
ALL = [(p, c, lang) for p in PERIODS for c in CUTOFFS for lang in LANGS]
SLOW = [pytest.param(*x, marks=pytest.mark.slow) for x in ALL if x not in FAST]


@pytest.fixture(scope="module")
def assessments(plan, sample_progress):
    cache = {}

    def get(period: str, cutoff: str):
        if (period, cutoff) not in cache:
            cache[(period, cutoff)] = assess(plan, sample_progress, period, cutoff)
        return cache[(period, cutoff)]

    return get


def _one(key: str, lang: str, text: str, *numbers: str) -> dict | None:
    found = find(key, lang, text, *numbers)
    assert len(found) <= 1, f"{key} stated {len(found)} times"
    return found[0] if found else None


def _stated(key: str, lang: str, text: str, expected: int, field: str = "n") -> int:
    """``expected`` read back from sentence ``key`` (which must be there when it is not 0)."""
    m = _one(key, lang, text, field)
    assert (m is not None) == (expected > 0), f"{key}: expected {expected}, sentence {'found' if m else 'missing'}"
    if m is not None:
        assert m[field] == expected, f"{key}: text says {m[field]}, the assessment {expected}"
        return 1
    return 0


def _on_time(key: str, lang: str, text: str, k) -> int:
    """Tasks done on time; when some were done ahead of a deadline after the window, the
    sentence says how many (else "6 done on time" reads against "4 of 9 due done")."""
    ahead = find(f"{key}_ahead", lang, text, "n", "ahead")
    if k.done_ahead:
        assert [(m["n"], m["ahead"]) for m in ahead] == [(k.of("done_on_time"), k.done_ahead)], key
        assert find(key, lang, text, "n") == [], key
        assert k.of("done_on_time") - k.done_ahead == k.due_done - k.due_late, "on time = due on time + ahead"
        return 2
    assert ahead == [], key
    return _stated(key, lang, text, k.of("done_on_time"))


# -- the assessment ---------------------------------------------------------------------------


def assessment_counts(a, lang: str) -> int:
    """Summary sentence, cards, strengths and shortcomings, area paragraphs and area table."""
    c, k = status_counts(a.targets), task_counts(a.tasks, a.window.end)
    fields = ("n", *c.as_dict(), "due", "done", "late", "overdue")
    s = _one("narrative.summary", lang, narrative.summary_paragraph(a, lang), *fields)
    assert s is not None, "summary sentence"
    expect = {"n": c.total, **c.as_dict(), "due": k.due, "done": k.due_done, "late": k.due_late}
    expect["overdue"] = k.due_overdue
    assert {f: s[f] for f in expect} == expect
    checked = len(fields)

    cards = dict(
        (lab, val)
        for val, lab in re.findall(
            r'<div class="v"[^>]*>([^<]*)</div><div class="l">([^<]*)</div>', Report(a, lang).summary_html()
        )
    )
    labels = i18n.lookup("report.cards", lang)
    assert cards[labels[0]] == f"{c.met}/{c.total}" and cards[labels[1]] == str(c.at_risk)
    assert cards[labels[2]] == str(c.missed) and cards[labels[3]] == f"{k.due_done}/{k.due}"
    assert cards[labels[4]] == str(k.of("overdue"))
    checked += 5

    good, bad = "\n".join(narrative.strengths(a, lang)), "\n".join(narrative.shortcomings(a, lang))
    checked += _stated("narrative.strength_target", lang, good, c.met)
    checked += _on_time("narrative.strength_tasks", lang, good, k)
    checked += _stated("narrative.weak_targets", lang, bad, c.weak)
    checked += _stated("narrative.weak_tasks", lang, bad, k.of("overdue"))
    checked += _stated("narrative.weak_missing", lang, bad, k.of("recurring_missing"))
    checked += _stated("narrative.weak_data", lang, bad, c.no_data)
    return checked + _area_counts(a, lang) + _unit_counts(a, lang)


def _unit_counts(a, lang: str) -> int:
    """The unit table's target and task counts, unit by unit."""
    h, checked = tables.H[lang], 0
    ids = {a.plan.unit_name(u, lang): u for u in a.units["unit_id"]}
    for _, row in tables.unit_table(a, lang).iterrows():
        unit = ids[row[h["unit"]]]
        c = status_counts(a.targets[a.targets["lead_unit_id"] == unit])
        k = task_counts(a.tasks[a.tasks["lead_unit_id"] == unit])
        assert [int(x) for x in row[h["targets_line"]].split(" / ")] == [c.met, c.at_risk, c.missed], unit
        stated = [int(x) for x in row[h["tasks_line"]].split(" / ")]
        assert stated == [k.of("done_on_time"), k.of("done_late"), k.of("overdue")], unit
        checked += 6
    return checked


def _area_counts(a, lang: str) -> int:
    checked, h = 0, tables.H[lang]
    table = tables.area_table(a, lang).set_index(h["area_id"])
    totals = {"met": 0, "at_risk": 0, "missed": 0}
    for area_id in a.plan.areas["area_id"]:
        t, tk = a.targets[a.targets["area_id"] == area_id], a.tasks[a.tasks["area_id"] == area_id]
        c, k = status_counts(t), task_counts(tk)
        text = narrative.area_paragraph(a, area_id, lang)
        m = _one("narrative.area_targets", lang, text, "n", "m")
        assert (m is not None) == bool(len(t))
        if m:
            assert (m["n"], m["m"]) == (len(t), c.total)
            parts = status_parts(m["parts"], dict(vocab.TARGET_STATUS[lang]))
            assert parts == {s: v for s, v in {**c.as_dict(), "not_measurable": len(t) - c.total}.items() if v}
            checked += 2 + len(parts)
        m = _one("narrative.area_tasks", lang, text)
        assert (m is not None) == bool(len(tk))
        if m:
            parts = status_parts(m["parts"], dict(vocab.TASK_STATUS[lang]))
            assert parts == {s: v for s, v in k.by_status.items() if v}
            checked += len(parts)
        row = table.loc[area_id]
        met, at_risk, missed = (int(x) for x in row[h["targets_line"]].split(" / "))
        assert (met, at_risk, missed) == (c.met, c.at_risk, c.missed)
        assert [int(x) for x in row[h["tasks_line"]].split(" / ")] == [
            k.of("done_on_time"),
            k.of("done_late"),
            k.of("overdue"),
        ]
        for key, v in zip(totals, (met, at_risk, missed)):
            totals[key] += v
        checked += 6
    c = status_counts(a.targets)
    assert totals == {"met": c.met, "at_risk": c.at_risk, "missed": c.missed}, "the area table adds up"
    return checked


# -- the official report -----------------------------------------------------------------------


def _scopes(a, lang: str) -> dict[str, object]:
    """The tasks each 'scope' of the official report's task sentences speaks of."""
    w = i18n.lookup("official", lang)
    out = {w["s1_topic"][key]: tasks for key, (tasks, _) in sections.direction_items(a).items()}
    for area_id in a.plan.areas["area_id"]:
        name = prose.mid(a.plan.area_name(area_id, lang))
        out[w["area_scope"].format(area=name)] = a.tasks[a.tasks["area_id"] == area_id]
    return out


def official_counts(a, lang: str, paragraphs: list[str]) -> int:
    """Every count of the official report's text (``paragraphs``) against the assessment."""
    text = "\n".join(paragraphs)
    c, k, checked = status_counts(a.targets), task_counts(a.tasks, a.window.end), 0
    m = _one("official.plan_issued", lang, text, "targets", "tasks")
    assert (m["targets"], m["tasks"]) == (len(a.plan.targets), len(a.plan.tasks))
    checked += 2

    scopes, by_name = _scopes(a, lang), {prose.mid(a.plan.area_name(x, lang)): x for x in a.plan.areas["area_id"]}
    names = {"scope": list(scopes), "area": list(by_name)}
    for m in find("official.area_counts", lang, text, choices={"area": names["area"]}):
        area = by_name[m["area"]]
        t, tk = a.targets[a.targets["area_id"] == area], task_counts(a.tasks[a.tasks["area_id"] == area])
        nt = find("official.n_targets", lang, m["parts"], "n")
        assert [x["n"] for x in nt[:1]] == ([len(t)] if len(t) else [])
        split = find("official.n_tasks_split", lang, m["parts"], "n", "dated", "recurring")
        assert [(x["n"], x["dated"], x["recurring"]) for x in split] == [(tk.total, tk.dated, tk.recurring)]
        checked += 4
    for m in find("official.recurring_counts", lang, text, "n", "reported", "missing", choices=names):
        rk = task_counts(scopes[m["scope"]])
        assert (m["n"], m["reported"], m["missing"]) == (
            rk.recurring,
            rk.of("recurring_reported"),
            rk.of("recurring_missing"),
        )
        checked += 3
    for m in find("official.recurring_all", lang, text, "n", choices=names):
        rk = task_counts(scopes[m["scope"]])
        assert m["n"] == rk.recurring == rk.of("recurring_reported")
        checked += 1
    for m in find("official.task_counts", lang, text, choices=names):
        tk = scopes[m["scope"]]
        dk = task_counts(tk[~tk["recurring"]])
        parts = status_parts(m["parts"], dict(vocab.TASK_STATUS[lang]))
        assert parts == {s: v for s, v in dk.by_status.items() if v}
        checked += len(parts)

    checked += _stated("official.strength_targets", lang, text, c.met)
    checked += _on_time("official.strength_tasks", lang, text, k)
    checked += _stated("official.strength_recurring", lang, text, k.of("recurring_reported"))
    checked += _stated("official.weak_targets", lang, text, c.weak)
    checked += _stated("official.weak_tasks", lang, text, k.of("overdue"))
    checked += _stated("official.weak_late", lang, text, k.of("done_late"))
    checked += _stated("official.weak_missing", lang, text, k.of("recurring_missing"))
    checked += _stated("official.weak_data", lang, text, c.no_data)
    checked += _stated("official.next_recurring", lang, text, k.recurring)
    return checked + _official_tthc(a, lang, text)


def _official_tthc(a, lang: str, text: str) -> int:
    data = results_table_data(a)
    if data is None:
        return 0
    s = data.sum()
    fields = ("received", "online", "direct", "postal", "carried", "resolved", "early", "on_time", "late")
    fields += ("pending", "not_due", "overdue")
    m = _one("official.tthc", lang, text, *fields)
    columns = ("new_online", "new_direct", "new_postal", "carried_over", "resolved", "resolved_early")
    columns += ("resolved_on_time", "resolved_late", "pending", "pending_not_due", "pending_overdue")
    assert [m[f] for f in fields[1:]] == [int(s[col]) for col in columns]
    assert m["received"] == int(s["to_resolve"] - s["carried_over"]) == a.tthc.counts["dossiers_received"]
    return len(fields)


def docx_paragraphs(doc) -> list[str]:
    d = docx.Document(io.BytesIO(write_docx(doc)))
    return [p.text for p in d.paragraphs]


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("period, cutoff, lang", FAST + SLOW)
@pytest.mark.slow
def test_every_count_the_assessment_states_is_the_assessments(assessments, period, cutoff, lang):
    assert assessment_counts(assessments(period, cutoff), lang) > 30


@pytest.mark.parametrize("period, cutoff, lang", FAST + SLOW)
@pytest.mark.slow
def test_every_count_the_official_report_states_is_the_assessments(assessments, period, cutoff, lang):
    a = assessments(period, cutoff)
    doc = build(a, lang)
    content = official_counts(a, lang, [b.text for b in doc.blocks])
    assert content > 20
    assert official_counts(a, lang, docx_paragraphs(doc)) == content, "DOCX"
    assert official_counts(a, lang, plain(render_html(doc))) == content, "HTML"


@pytest.mark.slow
def test_a_count_that_disagrees_is_caught(assessments):
    """The checker is not vacuous: one wrong number in one sentence fails it."""
    a = assessments("2024-H1", "nd09")
    texts = [b.text for b in build(a, "vi").blocks]
    c = status_counts(a.targets)
    wrong = i18n.t("official.strength_targets", "vi", n=c.met + 1, names="x")
    bad = [t for t in texts if not find("official.strength_targets", "vi", t, "n")] + [wrong]
    with pytest.raises(AssertionError, match="strength_targets"):
        official_counts(a, "vi", bad)
    summary = narrative.summary_paragraph(a, "en")
    assert find("narrative.summary", "en", summary, "n")[0]["n"] == c.total
    assert number("1.234") == number("1,234") == 1234


@pytest.mark.notebook
def test_official_pdf_states_the_same_counts(assessments):
    """The PDF's text (pypdf), margins' running text removed, carries the same counts."""
    from pypdf import PdfReader

    from cchc_lib.report.official.html import render_pdf

    a = assessments("2024-H1", "nd09")
    doc = build(a, "vi")
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(rf"\s*\d*\s*{re.escape(doc.sample_mark)}\s*", " ", text)
    joined = " ".join(text.split())
    blocks = official_counts(a, "vi", [b.text for b in doc.blocks])
    assert official_counts(a, "vi", [joined]) == blocks
