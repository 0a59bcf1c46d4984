"""The official report as plain data: header fields, blocks of text, tables, annexes.

``content.build`` fills these from one Assessment; ``docx.py`` and ``html.py`` only lay
them out, so the Word file, the HTML and the PDF say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    header: list[list[Cell]]
    rows: list[list[str]]
    align: list[str]  # per column: "l", "c" or "r"
    widths: list[float]  # relative widths
    total_row: bool = False  # the last row is a total (bold)


@dataclass
class Block:
    """``kind``: "h1" (I. …), "h2" (1. …), "h3" (a) …), "p" (body paragraph), "item"
    (a "- " line), "table"."""

    kind: str
    text: str = ""
    table: Table | None = None


@dataclass
class Annex:
    label: str  # "Phụ lục I"
    title: str
    subtitle: str  # "(Kèm theo Báo cáo số …)"
    blocks: list[Block]
    landscape: bool = False


@dataclass
class Official:
    lang: str
    sample: bool
    sample_mark: str
    sample_note: str
    issuer_lines: list[str]  # ["ỦY BAN NHÂN DÂN", "XÃ HẢI DƯƠNG"]
    number: str  # "Số:        /BC-UBND"
    nation: str
    motto: str
    date_line: str
    title: str  # "BÁO CÁO"
    summary: str
    to_label: str
    recipients: list[str]
    blocks: list[Block]
    copies_label: str
    copies: list[str]
    sign_lines: list[str]  # ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    signer: str
    annexes: list[Annex] = field(default_factory=list)
    doc_title: str = ""  # HTML <title>, DOCX core properties
    page_word: str = "Trang"

    def paragraphs(self) -> list[str]:
        """Every text of the document in reading order (tests, search, word counts)."""
        out = [*self.issuer_lines, self.number, self.nation, self.motto, self.date_line, self.title, self.summary]
        out += [self.to_label, *self.recipients]
        out += _block_texts(self.blocks)
        out += [self.copies_label, *self.copies, *self.sign_lines, self.signer]
        for ax in self.annexes:
            out += [ax.label, ax.title, ax.subtitle, *_block_texts(ax.blocks)]
        return [t for t in out if t]

    def body_sentences(self) -> list[str]:
        """The sentences of the body paragraphs and items (prose only: no headings, tables)."""
        import re

        out = []
        for b in self.blocks:
            if b.kind in ("p", "item"):
                out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ“])", b.text) if s.strip()]
        return out


def _block_texts(blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        if b.table is not None:
            out += [c.text for row in b.table.header for c in row]
            out += [c for row in b.table.rows for c in row]
        else:
            out.append(b.text)
    return out
