"""The official report's PDF and HTML: A4, fonts embedded, sample mark on every page, one language."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from cchc_lib import assess
from cchc_lib.report.official import build
from cchc_lib.report.official.html import render_html, render_pdf, serif_font_files
from tests.conftest import REPO
from tests.official_helpers import leftover_words

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def h1(plan, sample_progress):
    return assess(plan, sample_progress, "2024-H1")


@pytest.fixture(scope="module")
def pdfs(h1):
    return {lang: render_pdf(build(h1, lang)) for lang in ("vi", "en")}


def _pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


@pytest.mark.slow
def test_every_page_is_a4_portrait_or_a_landscape_annex(pdfs):
    pages = _pages(pdfs["vi"])
    sizes = [tuple(round(float(x), 1) for x in (p.mediabox.width, p.mediabox.height)) for p in pages]
    assert sizes[0] == (595.3, 841.9)
    assert set(sizes) <= {(595.3, 841.9), (841.9, 595.3)}
    assert (841.9, 595.3) in sizes  # the one-stop annex


@pytest.mark.slow
def test_fonts_are_embedded_and_serif(pdfs):
    names = set()
    for page in _pages(pdfs["vi"]):
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font else None
            desc = desc or font["/FontDescriptor"]
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names and all(re.search(r"Times|Liberation-?Serif", n) for n in names), names


def _top_margin_texts(page) -> list[str]:
    """Text drawn in the top margin (above 20 mm from the top edge)."""
    top = float(page.mediabox.height) - 20 * 72 / 25.4
    found: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5]
        if text.strip() and y > top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.slow
def test_sample_mark_on_every_page_and_page_numbers_from_page_two(pdfs):
    pages = _pages(pdfs["vi"])
    assert len(pages) > 2
    for i, page in enumerate(pages, start=1):
        assert "DỮ LIỆU MẪU" in page.extract_text(), i
        top = _top_margin_texts(page)
        assert "DỮ LIỆU MẪU" in top, i
        assert (str(i) in top) == (i > 1), (i, top)


@pytest.mark.slow
def test_no_absolute_path_in_pdf_or_html(h1, pdfs, tmp_path):
    html = render_html(build(h1, "vi"))
    for data in (pdfs["vi"], pdfs["en"], html.encode("utf-8")):
        for path in (str(REPO), str(tmp_path.parent), "/usr/share", "file:"):
            assert path.encode() not in data
    text = "".join(p.extract_text() for p in _pages(pdfs["vi"]))
    assert not re.search(r"(?:[A-Za-z]:\\|/(?:home|tmp|work|usr)/)", text)


@pytest.mark.slow
def test_html_is_self_contained_and_escaped(h1):
    html = render_html(build(h1, "vi"))
    assert "<script" not in html and "http://" not in html and "https://" not in html and "@font-face" not in html
    # the sample notes carry "<" and ">" (e.g. "< 30 Mbps"): they are escaped text, not markup
    assert "&lt; 30 Mbps" in html


@pytest.mark.parametrize("lang,other", [("en", "vi"), ("vi", "en")])
@pytest.mark.slow
def test_no_tool_phrase_of_the_other_language_in_the_pdf(h1, pdfs, lang, other):
    doc = build(h1, lang)
    text = "\n".join(p.extract_text() for p in _pages(pdfs[lang]))
    assert leftover_words(text, h1, other, marks=(doc.sample_mark,)) == []


def test_pdf_font_is_times_new_roman_or_liberation_serif():
    files = serif_font_files()
    assert files, "cài fonts-liberation2 (Debian) hoặc Times New Roman"
    assert set(files) == {"regular", "bold", "italic", "bold_italic"}
