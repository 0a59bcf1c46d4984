"""The official report as an editable Word file (python-docx), in the Decree 30/2020/NĐ-CP form.

Real Word styles carry the form (Normal = Times New Roman 14, justified, first-line
indent 1,27 cm, 6 pt after; "Heading 1"/"Heading 2" for "I. …"/"1. …"; "Table Grid" for
tables), so the office edits the draft as any other document. A4 portrait, margins
20/20/30/15 mm; page numbers centred at the top from page 2 (a different first-page
header and a PAGE field); annexes in sections of their own (landscape for wide tables).
"""

from __future__ import annotations

import io
import weakref

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from cchc_lib.report.official.model import Block, Official, Table

FONT = "Times New Roman"
BODY_PT = 14
ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}


def _font(style_or_run, size: float | None = None, bold=None, italic=None) -> None:
    f = style_or_run.font
    f.name = FONT
    f.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _styles(doc) -> None:
    st = doc.styles
    normal = st["Normal"]
    _font(normal, BODY_PT)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(1.27)
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(6), 1.0
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Title", BODY_PT)):
        s = st[name]
        _font(s, size, bold=True, italic=False)
        s.paragraph_format.first_line_indent = Cm(1.27) if name != "Title" else Cm(0)
        s.paragraph_format.space_before, s.paragraph_format.space_after = Pt(6), Pt(6)
        s.paragraph_format.keep_with_next = True
        s.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Title" else WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size in (("CCHC Form", 13), ("CCHC Table", 12), ("CCHC Recipients", 11)):
        s = st.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
        s.base_style = normal
        _font(s, size)
        s.paragraph_format.first_line_indent = Cm(0)
        s.paragraph_format.space_after = Pt(0)
        s.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    st["CCHC Recipients"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _page(section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    w, h = (PAGE["height"], PAGE["width"]) if landscape else (PAGE["width"], PAGE["height"])
    section.page_width, section.page_height = w, h
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance = Mm(10)


_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style(paragraph, name: str):
    """``paragraph.style = name`` with the style id looked up once per document: python-docx
    scans every style of the document on each assignment, hundreds of times per report."""
    part = paragraph.part
    ids = _STYLE_IDS.setdefault(part, {})
    if name not in ids:
        ids[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    paragraph._p.style = ids[name]
    return paragraph


def _para(container, text: str = "", style: str = "Normal", *, bold=None, italic=None, size=None, align=None):
    p = _style(container.add_paragraph(), style)
    if text:
        _font(p.add_run(text), size, bold, italic)
    if align is not None:
        p.paragraph_format.alignment = align
    return p


def _rule(paragraph, inset_cm: float) -> None:
    """A line under a centred paragraph, ``inset_cm`` shorter than the column on each side."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)
    paragraph.paragraph_format.left_indent = Cm(inset_cm)
    paragraph.paragraph_format.right_indent = Cm(inset_cm)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _two_columns(doc, left_cm: float, right_cm: float):
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for cell, width in zip(t.rows[0].cells, (Cm(left_cm), Cm(right_cm))):
        cell.width = width
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # start empty
    return t.rows[0].cells


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    _font(run, BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _headers(section, doc_: Official) -> None:
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    _style(p, "CCHC Form")
    _page_field(p)
    if doc_.sample:
        for hdr in (section.header, section.first_page_header):
            _para(hdr, doc_.sample_mark, "CCHC Form", bold=True, size=11)


def _heading_block(doc, d: Official) -> None:
    left, right = _two_columns(doc, 6.0, 10.5)
    for line in d.issuer_lines:
        _para(left, line, "CCHC Form", bold=True)
    _rule(_para(left, "", "CCHC Form"), 1.9)
    _para(left, d.number, "CCHC Form").paragraph_format.space_before = Pt(6)
    _para(right, d.nation, "CCHC Form", bold=True, size=13)
    _rule(_para(right, d.motto, "CCHC Form", bold=True, size=14), 1.5)
    _para(right, d.date_line, "CCHC Form", italic=True, size=14).paragraph_format.space_before = Pt(6)
    _para(doc, "", "CCHC Form")
    _para(doc, d.title, "Title")
    summary = _para(doc, d.summary, "CCHC Form", bold=True, size=14)
    _rule(_para(doc, "", "CCHC Form"), 6.0)
    summary.paragraph_format.space_after = Pt(0)
    if d.recipients:
        if len(d.recipients) == 1:
            _para(doc, f"{d.to_label} {d.recipients[0]}.", "CCHC Form", size=14).paragraph_format.space_before = Pt(6)
        else:
            p = _para(doc, d.to_label, "CCHC Form", size=14)
            p.paragraph_format.space_before = Pt(6)
            for i, r in enumerate(d.recipients):
                end = ";" if i < len(d.recipients) - 1 else "."
                _para(doc, f"- {r}{end}", "CCHC Form", size=14)
    _para(doc, "", "CCHC Form")


def _table(container, t: Table, width_cm: float) -> None:
    ncols = len(t.align)
    table = container.add_table(rows=len(t.header) + len(t.rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(t.widths)
    widths = [Cm(width_cm * w / total) for w in t.widths]
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(t.header):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            a, b = table.cell(r, c), table.cell(r + cell.rowspan - 1, c + cell.colspan - 1)
            merged = a.merge(b) if (a._tc is not b._tc) else a
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    taken.add((rr, cc))
            _style(merged.paragraphs[0], "CCHC Table")
            _font(merged.paragraphs[0].add_run(cell.text), bold=True)
            c += cell.colspan
    grid = table._cells  # what table.cell(r, c) reads, built once (python-docx rebuilds it per call)
    for i, row in enumerate(t.rows):
        bold = t.total_row and i == len(t.rows) - 1
        for j, text in enumerate(row):
            p = _style(grid[(len(t.header) + i) * ncols + j].paragraphs[0], "CCHC Table")
            p.paragraph_format.alignment = ALIGN[t.align[j]]
            _font(p.add_run(text), bold=bold or None)
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = widths[j]
    for r in range(len(t.header)):  # header rows repeat on every page
        trpr = table.rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _blocks(doc, blocks: list[Block], width_cm: float) -> None:
    for b in blocks:
        if b.kind == "h1":
            _style(doc.add_paragraph(b.text), "Heading 1")
        elif b.kind in ("h2", "h3"):
            _style(doc.add_paragraph(b.text), "Heading 2")
        elif b.kind == "item":
            _style(doc.add_paragraph(f"- {b.text}"), "Normal")
        elif b.kind == "table" and b.table is not None:
            _table(doc, b.table, width_cm)
            _para(doc, "", "CCHC Table")
        else:
            _style(doc.add_paragraph(b.text), "Normal")


def _closing(doc, d: Official) -> None:
    _para(doc, "", "CCHC Table")
    left, right = _two_columns(doc, 8.0, 8.0)
    p = _para(left, d.copies_label, "CCHC Recipients", bold=True, italic=True, size=12)
    for c in d.copies:
        _para(left, c, "CCHC Recipients", size=11)
    p.paragraph_format.space_after = Pt(0)
    for line in d.sign_lines:
        _para(right, line, "CCHC Form", bold=True, size=14)
    for _ in range(4):
        _para(right, "", "CCHC Form")
    _para(right, d.signer, "CCHC Form", bold=True, size=14)


def _annex(doc, ax, d: Official) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, ax.landscape)
    section.different_first_page_header_footer = False  # an annex's first page is numbered
    _para(doc, ax.label, "CCHC Form", bold=True, size=14)
    _para(doc, ax.title, "CCHC Form", bold=True, size=14)
    _para(doc, ax.subtitle, "CCHC Form", italic=True, size=13)
    _para(doc, "", "CCHC Form")
    width = (297 - 45) / 10 if ax.landscape else (210 - 45) / 10
    _blocks(doc, ax.blocks, width)


def write_docx(d: Official) -> bytes:
    """The document as DOCX bytes (deterministic: fixed core properties, no timestamps)."""
    import datetime as dt

    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    _headers(section, d)
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    _heading_block(doc, d)
    _blocks(doc, d.blocks, (210 - 45) / 10)
    _closing(doc, d)
    for ax in d.annexes:
        _annex(doc, ax, d)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = d.doc_title, "", ""
    props.language = "vi-VN" if d.lang == "vi" else "en-GB"
    fixed = dt.datetime(2000, 1, 1)
    props.created = props.modified = fixed
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same document gives the same bytes: zip entries get a fixed date."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
