"""The official report's Word file, read back with python-docx: the Decree 30/2020/NĐ-CP form."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.shared import Mm, Pt

from cchc_lib import assess
from cchc_lib.assessment import tthc
from cchc_lib.report.official import build
from cchc_lib.report.official.docx import write_docx

FONT = "Times New Roman"


@pytest.fixture(scope="module")
def h1(plan, sample_progress):
    return assess(plan, sample_progress, "2024-H1")


@pytest.fixture(scope="module")
def docs(h1):
    return {lang: Document(io.BytesIO(write_docx(build(h1, lang)))) for lang in ("vi", "en")}


def _near(length, mm: float) -> bool:
    return abs(length - Mm(mm)) < Mm(0.5)


@pytest.mark.slow
def test_page_is_a4_portrait_with_the_decree_margins(docs):
    s = docs["vi"].sections[0]
    assert _near(s.page_width, 210) and _near(s.page_height, 297)
    assert Mm(20) - Mm(0.5) <= s.top_margin <= Mm(25) and Mm(20) - Mm(0.5) <= s.bottom_margin <= Mm(25)
    assert Mm(30) - Mm(0.5) <= s.left_margin <= Mm(35) and Mm(15) - Mm(0.5) <= s.right_margin <= Mm(20)


@pytest.mark.slow
def test_styles_are_times_new_roman_13_to_14_justified_with_first_line_indent(docs):
    st = docs["vi"].styles
    normal = st["Normal"]
    assert normal.font.name == FONT and Pt(13) <= normal.font.size <= Pt(14)
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
    pf = normal.paragraph_format
    assert pf.alignment == 3 and Mm(10) <= pf.first_line_indent <= Mm(13) and pf.space_after >= Pt(6)
    for name in ("Heading 1", "Heading 2", "Title"):
        assert st[name].font.name == FONT and st[name].font.bold and st[name].font.size == Pt(14)
    runs = [r for p in docs["vi"].paragraphs for r in p.runs]
    assert all(r.font.name in (None, FONT) for r in runs)


def test_header_table_holds_issuer_number_national_title_and_date(docs, plan):
    left, right = docs["vi"].tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", plan.meta["commune"].upper()]
    assert lines[2].startswith("Số:") and lines[2].endswith("/BC-UBND")
    assert all(r.bold for p in left.paragraphs[:2] for r in p.runs)
    right_lines = [p.text for p in right.paragraphs if p.text]
    assert right_lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right_lines[2] == "Hải Dương, ngày      tháng      năm 2024"
    assert right.paragraphs[-1].runs[0].italic
    texts = [p.text for p in docs["vi"].paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024"
    assert "Kính gửi:" in texts


@pytest.mark.slow
def test_section_headings_are_real_word_headings(docs):
    h1 = [p.text for p in docs["vi"].paragraphs if p.style.name == "Heading 1"]
    assert [t.split(". ")[0] for t in h1] == ["I", "II", "III", "IV", "V"]
    assert all(t == t.upper() for t in h1)
    h2 = [p.text for p in docs["vi"].paragraphs if p.style.name == "Heading 2"]
    assert "2. Công tác kiểm tra" in h2 and "2. Tồn tại, hạn chế và nguyên nhân" in h2
    assert [p.text.split(". ")[0] for p in docs["en"].paragraphs if p.style.name == "Heading 1"][-1] == "V"


def test_page_number_field_from_page_two_and_the_sample_mark_on_every_page(docs):
    s = docs["vi"].sections[0]
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml
    for hdr in (s.header, s.first_page_header):
        assert "DỮ LIỆU MẪU" in "".join(p.text for p in hdr.paragraphs)
    for annex in docs["vi"].sections[1:]:  # annexes are numbered from their first page
        assert not annex.different_first_page_header_footer


def test_closing_has_recipients_and_signature(docs, plan):
    copies, sign = _closing(docs["vi"])
    c = [p for p in copies.paragraphs if p.text]
    assert c[0].text == "Nơi nhận:" and c[0].runs[0].bold and c[0].runs[0].italic and c[0].runs[0].font.size == Pt(12)
    assert c[1].text == "- Như trên;" and c[-1].text == "- Lưu: VT." and c[1].runs[0].font.size == Pt(11)
    s = [p.text for p in sign.paragraphs if p.text]
    assert s == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", plan.meta["signer"]]


def _closing(doc):
    for t in doc.tables:
        cells = t.rows[0].cells
        if len(cells) == 2 and cells[0].paragraphs and cells[0].paragraphs[0].text == "Nơi nhận:":
            return cells
    raise AssertionError("no closing table")


def test_annexes_are_landscape_tables_with_the_one_stop_results(docs, h1):
    doc = docs["vi"]
    wide = doc.sections[1]
    assert wide.page_width > wide.page_height and _near(wide.page_width, 297)
    table = next(t for t in doc.tables if len(t.columns) == 14 and t.rows[0].cells[0].text == "STT")
    assert table.rows[1].cells[8].text == "Trước hạn"
    assert [c.text for c in table.rows[1].cells[2:]] == [
        "Tổng số",
        "Kỳ trước chuyển qua",
        "Mới tiếp nhận trực tuyến",
        "Mới tiếp nhận trực tiếp",
        "Mới tiếp nhận qua bưu chính",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Chưa đến hạn",
        "Quá hạn",
    ]
    data = tthc.one_stop_results(h1.progress.dossiers, h1.window)
    total = [c.text for c in table.rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert [int(x.replace(".", "")) for x in total[2:]] == [int(data[c].sum()) for c in tthc.RESULT_COLUMNS]
    assert len(table.rows) == 2 + len(data) + 1
    assert table.style.name == "Table Grid"


@pytest.mark.slow
def test_the_same_assessment_gives_the_same_file(h1):
    doc = build(h1, "vi")
    assert write_docx(doc) == write_docx(doc)
