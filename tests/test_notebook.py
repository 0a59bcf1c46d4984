"""The quarterly notebook end to end: papermill → HTML and PDF, checked like a reader would."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.core.periods import describe_window, label, window
from cchc_lib.i18n import fmt
from cchc_lib.progress.loader import load_progress
from cchc_lib.report.document import notebook_path, produce

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def sample_dir(plan, tmp_path_factory):
    from cchc_lib.progress.sample import write_sample

    return write_sample(plan, tmp_path_factory.mktemp("nb-sample"))


@pytest.fixture(scope="module")
def q2(sample_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return produce(
        "hai-duong-2024",
        str(sample_dir),
        "2024-Q2",
        "nd09",
        "vi",
        ("html", "pdf"),
        out,
        "2024-06-20",
        progress_bar=False,
    ), out


def _external_refs(html: str) -> list[str]:
    return re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html) + re.findall(
        r"@import|url\(\s*['\"]?https?:", html
    )


def test_html_is_self_contained_and_shows_no_code(q2, plan, sample_dir):
    result, _ = q2
    html = result.html.read_text(encoding="utf-8")
    assert _external_refs(html) == []
    assert "<script src" not in html
    assert "injected-parameters" not in html and "report_date =" not in html and "Report.build" not in html
    assert not re.search(r"In\s*(&nbsp;)?\[\d*\]", html)
    # six charts, the task timeline in parts of at most ROWS_PER_PART tasks
    from cchc_lib.report.charts import ROWS_PER_PART

    tasks = assess(plan, load_progress(sample_dir, plan), "2024-Q2", "nd09").tasks
    dated = int((~tasks["recurring"].fillna(False).astype(bool) & tasks["deadline"].notna()).sum())
    assert "data:image/png;base64," in html and html.count("<figure") == 5 + -(-dated // ROWS_PER_PART)
    assert '<html lang="vi"' in html and "viewport" in html and "@media print" in html


def test_html_has_every_section_and_a_table_of_contents(q2):
    html = q2[0].html.read_text(encoding="utf-8")
    for heading in [
        "Tóm tắt",
        "I. Công tác chỉ đạo, điều hành",
        "II. Kết quả thực hiện các nhiệm vụ cải cách hành chính",
        "Kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa",
        "Kết quả theo đơn vị chủ trì",
        "III. Đánh giá chung",
        "IV. Phương hướng, nhiệm vụ kỳ tới",
        "V. Đề xuất, kiến nghị",
        "Phụ lục",
    ]:
        assert heading in html, heading
    assert 'href="#muc-3"' in html  # TOC links to the headings
    assert "DỮ LIỆU MẪU" in html and "ngày 20 tháng 6 năm 2024" in html


def test_html_numbers_agree_with_assess(q2, plan, sample_dir):
    html = q2[0].html.read_text(encoding="utf-8")
    a = assess(plan, load_progress(sample_dir, plan), "2024-Q2", "nd09")
    assert fmt.percent(a.tthc_ytd.at["online_rate", "value"], 1) in html
    assert fmt.percent(a.tthc.overall.at["on_time_rate", "value"], 1) in html
    assert f"{fmt.number(a.overall['score'], 1)}" in html
    for _, r in a.tasks[a.tasks["status"] == "overdue"].iterrows():
        if r["deadline_before_plan"]:  # a deadline to agree again with the issuer, not a delay
            assert f"{r['task_id']}: thời hạn {fmt.date_short(r['deadline'])}" in html
            assert f"{r['task_id']} quá hạn" not in html
        else:
            assert f"{r['task_id']} quá hạn {fmt.number(r['days_late'])} ngày" in html


def test_pdf_pages_text_and_page_numbers(q2):
    from pypdf import PdfReader

    reader = PdfReader(q2[0].pdf)
    n = len(reader.pages)
    assert n >= 5
    assert f"Trang 1/{n}" in reader.pages[0].extract_text()
    second = reader.pages[1].extract_text()
    assert f"Trang 2/{n}" in second and "xã Hải Dương" in second and "Quý II/2024" in second  # running header
    assert all("DỮ LIỆU MẪU" in p.extract_text() for p in reader.pages)  # the sample says so on every page
    body = "\n".join(p.extract_text() for p in reader.pages[:6])
    assert "Cải cách thủ tục hành chính" in body and "Độc lập – Tự do – Hạnh phúc" in body
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4


def test_outputs_land_in_the_period_folder_with_an_index(q2):
    result, out = q2
    assert result.html.parent == out / "hai-duong-2024" / "2024-Q2"
    assert result.notebook.exists() and result.notebook.suffix == ".ipynb"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert result.html.name in index and "Quý II/2024" in index


@pytest.mark.parametrize(
    "period, cutoff, lang",
    [
        ("2024-Q1", "calendar", "vi"),
        ("2024-Q3", "nd09", "en"),
        ("2024-Q4", "calendar", "en"),
        ("2024-H1", "nd09", "vi"),
        ("2024", "calendar", "vi"),
        ("2024-Q2", "calendar", "en"),
    ],
)
def test_every_period_language_and_convention_runs(sample_dir, tmp_path, period, cutoff, lang):
    result = produce(
        "hai-duong-2024", str(sample_dir), period, cutoff, lang, ("html",), tmp_path, "2024-12-20", progress_bar=False
    )
    html = result.html.read_text(encoding="utf-8")
    assert label(period, lang) in html
    assert ("III. Đánh giá chung" if lang == "vi" else "III. Overall assessment") in html
    assert describe_window(window(period, cutoff), lang) in html  # the window and its cut-off convention
    assert f'<html lang="{lang}"' in html
    assert _external_refs(html) == []


def test_a_failing_cell_keeps_the_previous_report(q2, tmp_path):
    from cchc_lib.report.run import ReportError, run_report

    result, out = q2
    before = {p.name: p.read_bytes() for p in result.html.parent.iterdir() if p.is_file()}
    with pytest.raises(ReportError) as info:
        run_report(
            notebook_path(),
            {
                "plan": "hai-duong-2024",
                "data": "khong-co-thu-muc",
                "period": "2024-Q2",
                "cutoff": "nd09",
                "lang": "vi",
                "report_date": "",
            },
            result.html.parent,
            stem=result.html.stem,
            formats=("html", "pdf"),
            progress=False,
            header={"commune": "xã Hải Dương", "period_label": "Quý II/2024", "lang": "vi", "title": "t"},
            reports_root=out,
            cwd=notebook_path().parent,
        )
    msg = str(info.value)
    assert "ô số 1" in msg and "setup" in msg and "DataError" in msg
    assert "không tìm thấy thư mục số liệu tiến độ" in msg and "_loi" in msg
    after = {p.name: p.read_bytes() for p in result.html.parent.iterdir() if p.is_file()}
    assert after == before


def test_cli_report_with_broken_input_fails_clearly(plan, sample_dir, tmp_path, capsys):
    from cchc_lib.cli import main

    broken = tmp_path / "broken"
    shutil.copytree(sample_dir, broken)
    text = (broken / "tasks.csv").read_text(encoding="utf-8-sig").replace("Hoàn thành", "Xong rồi", 1)
    (broken / "tasks.csv").write_text(text, encoding="utf-8-sig")
    code = main(
        ["report", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", str(broken)]
        + ["--out", str(tmp_path / "r"), "--quiet"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "tasks.csv" in err and "cột 'status'" in err and "Traceback" not in err
    assert not (tmp_path / "r" / "hai-duong-2024").exists()


# -- print layout ---------------------------------------------------------------------------
# The PDF's body area: A4 minus the margins of pdf.css.j2 (top 2,3 cm with the running head,
# bottom 2 cm with the page number); what lies outside is the running head and the page number.
_TOP, _BOTTOM = 841.89 - 2.3 / 2.54 * 72, 2.0 / 2.54 * 72


def _body_lines(page) -> list[tuple[float, str]]:
    """(height from the page foot, text) of the body's text lines top to bottom; an image
    counts as a line at its lower edge (its text is "")."""
    found: dict[float, list[str]] = {}

    def text(t, cm, tm, _font, _size):
        y = cm[5] + tm[5] * cm[3] + tm[4] * cm[1]
        if t.strip() and _BOTTOM - 2 <= y <= _TOP:
            found.setdefault(round(y), []).append(t.strip())

    def image(op, _args, cm, _tm):
        if op == b"Do" and _BOTTOM - 2 <= cm[5] <= _TOP:
            found.setdefault(round(cm[5]), [])

    page.extract_text(visitor_text=text, visitor_operand_before=image)
    return [(y, " ".join(found[y])) for y in sorted(found, reverse=True)]


def _headings(html: str, tags: str = "h2|h3|h4") -> list[str]:
    found = re.findall(rf"<({tags})[^>]*>(.*?)</\1>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for _, h in found]


def _heading_at_foot(texts: list[str], headings: list[str]) -> str | None:
    """The heading a page ends with, whole (it may wrap over its last lines), or None. A
    line that only ends with a heading's last words (a table cell's wrapped "reform") is
    not one: the lines above it must hold the rest of that heading."""
    last = texts[-1] if texts else ""
    if len(last) < 6:
        return None
    for h in headings:
        if not h.endswith(last):
            continue
        tail, k = last, len(texts) - 1
        while len(tail) < len(h) and k > 0:
            k -= 1
            tail = f"{texts[k]} {tail}"
        if " ".join(tail.split()).endswith(" ".join(h.split())):
            return h
    return None


def test_a_heading_at_the_foot_is_found_whole_and_a_cell_ending_with_its_words_is_not():
    headings = ["II.5 Public finance reform", "Targets and tasks by reform area"]
    assert _heading_at_foot(["Text above.", "II.5 Public finance reform"], headings) == headings[0]
    assert _heading_at_foot(["Text above.", "Targets and tasks by", "reform area"], headings) == headings[1]
    row = ["II.1 Institutional 80.7 1 / 0 / 0", "II.2 Administrative procedure 76.3 5 / 6 / 0", "reform"]
    assert _heading_at_foot(row, headings) is None
    assert _heading_at_foot(["A sentence that ends with reform area"], headings) is None
    assert _heading_at_foot([], headings) is None


def assert_print_layout(result) -> None:
    """A page's last body line is never (the end of) a heading; every page is at least 40 %
    filled (lowest text or image against the body height), except the last page and a page
    whose next page opens a section (an h2): a section may end where it ends."""
    from pypdf import PdfReader

    html = result.html.read_text(encoding="utf-8")
    headings, sections = _headings(html), _headings(html, "h2")
    pages = [_body_lines(p) for p in PdfReader(result.pdf).pages]
    for n, lines in enumerate(pages, 1):
        heading = _heading_at_foot([t for _, t in lines], headings)
        assert heading is None, f"trang {n} kết thúc bằng đề mục {heading!r}"
        if n == len(pages):
            continue
        following = next((t for _, t in pages[n] if t), "")
        opens_section = any(following and h.startswith(following[:40]) for h in sections)
        fill = (_TOP - lines[-1][0]) / (_TOP - _BOTTOM) if lines else 0
        assert fill >= 0.4 or opens_section, f"trang {n} chỉ đầy {fill:.0%}"


def test_pdf_has_no_heading_at_a_page_foot_and_no_half_empty_page(q2):
    assert_print_layout(q2[0])


def test_the_annex_pdf_has_no_heading_at_a_page_foot_and_no_half_empty_page(q2):
    from types import SimpleNamespace

    annex = q2[0].annex
    assert_print_layout(SimpleNamespace(html=annex["html"], pdf=annex["pdf"]))


def test_the_year_report_in_print_has_no_orphan_heading_and_no_half_empty_page(sample_dir, tmp_path):
    """The longest document (the whole year: every target judged, every task due)."""
    result = produce(
        "hai-duong-2024", str(sample_dir), "2024", "calendar", "vi", ("html", "pdf"), tmp_path, "", progress_bar=False
    )
    assert_print_layout(result)


def test_annex_pdf_is_marked_and_named_in_the_main_pdf(q2):
    from pypdf import PdfReader

    result, _ = q2
    annex = PdfReader(result.annex["pdf"])
    assert all("DỮ LIỆU MẪU" in p.extract_text() for p in annex.pages)
    assert "A. Toàn bộ chỉ tiêu" in annex.pages[0].extract_text() + annex.pages[1].extract_text()
    main = "".join(p.extract_text() for p in PdfReader(result.pdf).pages).replace("\n", "")
    assert result.annex["pdf"].name in main and "A. Toàn bộ chỉ tiêu" not in main


def test_no_published_file_names_a_machine_path(q2, sample_dir):
    """HTML, appendix, PDF text, sidecar, notebook and index name inputs relative to the data root."""
    from pypdf import PdfReader

    from tests.test_source_names import machine_paths

    result, out = q2
    files = [result.html, result.sidecar, result.notebook, result.index, *result.annex.values()]
    texts = [p.read_text(encoding="utf-8") for p in files if p.suffix != ".pdf"]
    texts += ["\n".join(page.extract_text() for page in PdfReader(p).pages) for p in (result.pdf,)]
    for text in texts:
        assert machine_paths(text, sample_dir, out) == []
    assert json.loads(result.sidecar.read_text(encoding="utf-8"))["parameters"]["data"] == "/".join(
        sample_dir.parts[-2:]
    )


def _vi_tool_phrases() -> set[str]:
    """Every fixed Vietnamese phrase of the catalogue (two words or more, with a Vietnamese
    letter, placeholders removed): none may reach an English document."""
    from cchc_lib.i18n.catalog import catalogue
    from tests.official_helpers import _PLACEHOLDER, _VI_LETTERS, _strings

    out = set()
    for s in _strings(dict(catalogue("vi"))):
        for part in _PLACEHOLDER.split(s):
            part = " ".join(part.split()).strip(" .,;:()“”-—")
            if len(part.split()) >= 2 and _VI_LETTERS.search(part):
                out.add(part)
    return out


def _user_strings(plan, progress) -> list[str]:
    """Every text the plan and the analyst gave (squashed, lower case): it stays Vietnamese."""
    from tests.official_helpers import squash

    vals = {str(v) for v in plan.meta.values() if isinstance(v, str)}
    for df in (plan.targets, plan.tasks, plan.areas, plan.units, progress.tasks, progress.notes, progress.indicators):
        for c in df.columns:
            vals |= {v for v in df[c].dropna() if isinstance(v, str) and len(v) > 3}
    return sorted({squash(v).lower() for v in vals}, key=len, reverse=True)


def _tool_text(html: str, user: list[str]) -> str:
    """The document's text, cell by cell, without the user's words (a cell cut short with
    "…" that starts one of them is the user's too)."""
    import html as htmllib

    from tests.official_helpers import squash

    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    rest = []
    for cell in re.split(r"<[^>]+>", html):
        s = squash(htmllib.unescape(cell)).lower()
        if not s or (s.endswith("…") and any(s.rstrip("…") in u for u in user)):
            continue
        for u in user:
            s = s.replace(u, "|")
        rest.append(s)
    return "\n".join(rest)


def test_english_assessment_and_annex_hold_no_vietnamese_tool_phrase(plan, sample_dir, tmp_path):
    """Read as an English reader would: the report and its annex (HTML, and the PDF made from
    it) carry the plan's and the analyst's own words, in Vietnamese, but no phrase the tool
    writes — the plan review's findings included."""
    from pypdf import PdfReader

    from tests.official_helpers import squash

    result = produce(
        "hai-duong-2024",
        str(sample_dir),
        "2024-Q2",
        "nd09",
        "en",
        ("html", "pdf"),
        tmp_path,
        "2024-06-20",
        progress_bar=False,
    )
    user = _user_strings(plan, load_progress(sample_dir, plan))
    phrases = _vi_tool_phrases()
    assert len(phrases) > 200  # the catalogue is read, not an empty set
    for html in (result.html, result.annex["html"]):
        text = _tool_text(html.read_text(encoding="utf-8"), user)
        assert [p for p in phrases if squash(p).lower() in text] == [], html.name
    findings = {squash(m).lower() for m in plan.lint("vi")["message"]}
    for pdf in (result.pdf, result.annex["pdf"]):
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        assert all("SAMPLE DATA" in p and "DỮ LIỆU MẪU" not in p for p in pages), pdf.name
        text = squash("".join(pages)).lower()
        assert [f for f in findings if f[:40] in text] == [], pdf.name
    assert_print_layout(result)  # English words are longer: the page breaks are checked again
