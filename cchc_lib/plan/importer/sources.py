"""Reading a decision (.txt, .docx, .pdf) into one stream of paragraphs and tables.

Whatever the format, the parser of the plan's structure sees the same blocks: a
paragraph with its text, whether it is a heading or a bullet, and where it came from
(line, paragraph or table cell), so every imported row can point the analyst back to it.
Conversions leave scars — a bullet broken by a page break, markdown marks, HTML bold tags
in table cells — and they are mended here, once, for all formats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib.core.errors import DataError, Issue, display_path


@dataclass
class Para:
    text: str
    loc: str  # "dòng 94", "đoạn 57"
    heading: bool = False
    bullet: str = ""  # "-" or "+" (a sub-bullet), "" for running text


@dataclass
class Cell:
    text: str
    loc: str
    bold: bool = False


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    loc: str = ""


Block = Para | Table

_BULLET = re.compile(r"^\s*([-–•+])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BOLD_TAG = re.compile(r"</?b>", re.I)


def clean(text: str) -> str:
    """NFC, no markdown emphasis or HTML bold, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _BOLD_TAG.sub("", text).replace("**", "").replace("\u00a0", " ")
    text = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _starts_lower(text: str) -> bool:
    """A continuation starts in lower case; "a) Mục tiêu" does too but opens a subsection."""
    return bool(text) and text[0].islower() and not re.match(r"^[a-zđ]\)\s", text)


def _mend(paras: list[Para]) -> list[Para]:
    """Join a paragraph that starts in lower case to the one before: a bullet broken by a
    line or page break ("… an toàn thông" / "tin và …")."""
    out: list[Para] = []
    for p in paras:
        if out and not p.heading and not p.bullet and _starts_lower(p.text) and not out[-1].heading:
            out[-1].text = f"{out[-1].text} {p.text}"
            continue
        out.append(p)
    return out


def _para(text: str, loc: str, heading: bool = False) -> Para | None:
    m = _BULLET.match(text)
    bullet = ""
    if m:
        bullet = "+" if m.group(1) == "+" else "-"
        text = text[m.end() :]
    text = clean(text)
    return Para(text, loc, heading=heading, bullet=bullet) if text else None


def read_text_lines(lines: list[str], loc_word: str = "dòng") -> list[Block]:
    """Plain text (or text extracted from a PDF): blank lines end paragraphs, lines with
    several tabs are table rows (one cell per tab), ``#``/``**`` lines are headings."""
    blocks: list[Block] = []
    buf: list[tuple[int, str]] = []

    def flush():
        if not buf:
            return
        raw = " ".join(t for _, t in buf)
        heading = bool(_MD_HEADING.match(buf[0][1])) or re.fullmatch(r"\s*\*\*[^*]+\*\*\s*", raw) is not None
        p = _para(_MD_HEADING.sub("", raw), f"{loc_word} {buf[0][0]}", heading)
        if p:
            blocks.append(p)
        buf.clear()

    for n, line in enumerate(lines, start=1):
        if line.count("\t") >= 2:
            flush()
            cells = [
                Cell(clean(c), f"{loc_word} {n}, ô {j}", bold=bool(_BOLD_TAG.search(c)))
                for j, c in enumerate(line.rstrip("\n").split("\t"), start=1)
            ]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Table([cells], f"{loc_word} {n}"))
            continue
        if not line.strip():
            flush()
            continue
        if buf and _BULLET.match(line):
            flush()
        buf.append((n, line.rstrip()))
    flush()
    return _merge_tables(_mend_blocks(blocks))


def _mend_blocks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    run: list[Para] = []
    for b in blocks:
        if isinstance(b, Para):
            run.append(b)
            continue
        out.extend(_mend(run))
        run = []
        out.append(b)
    out.extend(_mend(run))
    return out


def _merge_tables(blocks: list[Block]) -> list[Block]:
    """A table broken by page breaks comes back as one table."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and out and isinstance(out[-1], Table):
            out[-1].rows.extend(b.rows)
        else:
            out.append(b)
    return out


def read_docx(path: Path) -> list[Block]:
    """Word: heading styles are headings, list styles are bullets, tables keep their cells;
    a merged cell (the same cell repeated across the grid) is read once per row."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise DataError(Issue(display_path(path), f"không mở được tệp Word (.docx): {exc}")) from None
    blocks: list[Block] = []
    n_par = n_tab = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n_par += 1
            p = docx.text.paragraph.Paragraph(child, document)
            style = (p.style.name if p.style is not None else "") or ""
            text = p.text
            if style.lower().startswith("list") and not _BULLET.match(text):
                text = ("+ " if "2" in style else "- ") + text
            for k, part in enumerate(text.split("\n")):
                para = _para(part, f"đoạn {n_par}" + (f", dòng {k + 1}" if k else ""), style.startswith("Heading"))
                if para:
                    blocks.append(para)
        elif tag == "tbl":
            n_tab += 1
            blocks.append(_docx_table(docx.table.Table(child, document), n_tab))
    return _merge_tables(_mend_blocks(blocks))


def _docx_table(table, n: int) -> Table:
    rows = []
    above: list = []
    for i, row in enumerate(table.rows, start=1):
        seen, cells = set(), []
        for j, cell in enumerate(row.cells, start=1):
            key = id(cell._tc)
            continued = j - 1 < len(above) and above[j - 1] is cell._tc  # vertical merge
            text = "" if key in seen or continued else cell.text
            seen.add(key)
            bold = any(r.bold for p in cell.paragraphs for r in p.runs if r.text.strip())
            cells.append(Cell(clean(text), f"bảng {n}, hàng {i}, ô {j}", bold=bold and not continued))
        above = [c._tc for c in row.cells]
        rows.append(cells)
    return Table(rows, f"bảng {n}")


def read_pdf(path: Path) -> list[Block]:
    """A PDF with a text layer; a scanned PDF has none and is refused with a clear message."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise DataError(Issue(display_path(path), f"không đọc được tệp PDF: {exc}")) from None
    if not any(p.strip() for p in pages):
        raise DataError(
            Issue(display_path(path), "tệp PDF không có lớp chữ (bản quét); cần bản Word hoặc PDF xuất từ Word")
        )
    lines: list[str] = []
    for page in pages:
        lines.extend(page.splitlines())
        lines.append("")
    return read_text_lines(_pdf_paragraphs(lines))


def _pdf_paragraphs(lines: list[str]) -> list[str]:
    """PDF text has no blank lines between paragraphs: start one before each heading-like or
    bullet line so the text reader sees the same shape as a .txt conversion."""
    out: list[str] = []
    for line in lines:
        if _BULLET.match(line) or re.match(r"^\s*([IVX]+|\d+|[a-z])[.)]\s", line):
            out.append("")
        out.append(line)
    return out


def read_decision(path: Path | str) -> list[Block]:
    path = Path(path)
    file = display_path(path)
    if not path.exists():
        raise DataError(Issue(file, "không tìm thấy tệp quyết định"))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in (".txt", ".md", ".text"):
        from cchc_lib.core.readers import decode_utf8

        return read_text_lines(decode_utf8(path.read_bytes(), file).splitlines())
    raise DataError(Issue(file, f"không đọc được loại tệp '{suffix}': cần .docx, .txt hoặc .pdf có lớp chữ"))
