"""Printed column widths of a report table, worked out when the table is built.

WeasyPrint's automatic table layout measures every cell twice with Pango (narrowest and
widest width) before laying it out: a sixth of the PDF's time for a report of tables, more for the appendices.
The print stylesheet lays out a table that carries its widths with ``table-layout: fixed``
instead (nothing measured), so those widths must be what the automatic layout would give:
this module runs the same algorithm (CSS 2.1 / css-tables-3 width distribution, as
WeasyPrint does it) on widths estimated from the text, with the advance widths of DejaVu
Sans, the PDF's font. Estimates err on the wide side for a column's narrowest width, so
no word is broken where the automatic layout would not break it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Advance widths of DejaVu Sans (regular, bold), in thousandths of an em, for the characters
# U+0020 … U+007E; a Vietnamese letter has the width of its base letter (the marks do not
# advance). Other characters count as _OTHER.
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 "
    "636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 "
    "603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 "
    "634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 "
    "696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 "
    "733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 "
    "712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
_WIDTHS = {
    weight: dict(zip((chr(c) for c in range(0x20, 0x7F)), (int(w) / 1000 for w in table.split()), strict=True))
    for weight, table in (("regular", _REGULAR), ("bold", _BOLD))
}
_OTHER = {"regular": 0.64, "bold": 0.71}  # a wide letter's width: the estimate errs wide
_WIDE = {"—": 1.0, "–": 0.5, "…": 1.0, "≥": 0.838, "≤": 0.838, "→": 0.838}

# What the stylesheets give a table cell when printed, in ems of the table's type (8.5pt,
# print.css): padding .4em each side and half of each side's 1px border (style.html.j2); a
# badge is a block of 7pt type with .25em padding each side (print.css); a long-text column
# ("text") asks for 42% of the table and at least 12em (style.html.j2).
CELL_EXTRA = 0.8 + 0.75 / 8.5
BADGE_SCALE = 7 / 8.5
BADGE_EXTRA = 0.5 * BADGE_SCALE
TEXT_SHARE = 42.0
TEXT_MIN = 12.0
# How much of that floor a long-text column gives up to keep a table on the page
GIVE = 0.2
# The width a printed table gets: A4 (21cm) less the PDF's side margins (2cm each), in ems of
# 8.5pt type (1cm = 72/2.54 pt).
TABLE_EMS = 17 * 72 / 2.54 / 8.5
# Rounding of the estimates: a word is kept whole if Pango measures it up to this much wider
# (kerning, shaping, the marks of stacked diacritics).
SLACK = 1.03


def text_width(text: str, bold: bool = False) -> float:
    """Width of ``text`` on one line, in ems of its type size (DejaVu Sans)."""
    weight = "bold" if bold else "regular"
    widths, other = _WIDTHS[weight], _OTHER[weight]
    total = 0.0
    for ch in text:
        w = widths.get(ch)
        if w is None:
            w = _WIDE.get(ch)
        if w is None:
            base = unicodedata.normalize("NFD", ch)[:1]
            w = widths.get(base, 0.0 if unicodedata.combining(ch) else other)
        total += w
    return total


# A line may break after a slash or hyphen that a letter follows ("1/tháng", "data/plans",
# "ke-hoach"), not before a digit ("20/04/2024", "-2,5"), as Pango does (Unicode line breaking)
_BREAK_AFTER = re.compile(r"(?<=[/\-])(?=[^\d\s/\-])")


def _words(text: str) -> list[str]:
    """The pieces a line may break between."""
    return [piece for word in text.split() for piece in _BREAK_AFTER.split(word)]


def cell_widths(text: str, bold: bool = False, badge: bool = False) -> tuple[float, float]:
    """(narrowest, widest) width of a cell holding ``text``, in ems of the table's type."""
    if badge:  # one block on one line, never wrapped (print.css)
        w = text_width(text) * BADGE_SCALE * SLACK + BADGE_EXTRA + CELL_EXTRA
        return w, w
    words = _words(text)
    narrow = max((text_width(w, bold) for w in words), default=0.0) * SLACK
    wide = text_width(" ".join(text.split()), bold) * SLACK
    return narrow + CELL_EXTRA, wide + CELL_EXTRA


def _spread(low: list[float], high: list[float], room: float) -> list[float]:
    """Between two guesses, in proportion to how far apart they are, to fill ``room``."""
    apart = sum(high) - sum(low)
    if apart <= 0:
        return list(high)
    ratio = (room - sum(low)) / apart
    return [a + (b - a) * ratio for a, b in zip(low, high, strict=True)]


def distribute(
    narrow: Sequence[float], wide: Sequence[float], shares: Sequence[float], room: float = TABLE_EMS
) -> list[float]:
    """Column widths of a table ``room`` wide whose columns need ``narrow`` … ``wide`` and ask
    for ``shares`` (percent of the table; 0: none), as the automatic layout gives them
    (https://www.w3.org/TR/css-tables-3/#width-distribution-algorithm): the first of the
    guesses narrowest / narrowest-or-share / widest (a column with a share: its share) that
    fills the room, from the one before it in proportion; when even the widest leave room,
    the spare room goes to the columns without a share in proportion to their widest."""
    if sum(narrow) >= room:  # the table is wider than the page: its narrowest widths
        return list(narrow)
    asked = [max(s / 100 * room, n) if s else n for s, n in zip(shares, narrow, strict=True)]
    widest = [a if s else w for s, a, w in zip(shares, asked, wide, strict=True)]
    guesses = [list(narrow), asked, widest]
    for low, high in zip(guesses, guesses[1:]):
        if sum(high) >= room:
            return _spread(low, high, room)
    spare = room - sum(widest)
    free = [i for i, (s, w) in enumerate(zip(shares, wide, strict=True)) if not s and w > 0]
    weights = [wide[i] for i in free] if free else [shares[i] for i in range(len(shares))]
    free = free or list(range(len(shares)))
    total = sum(weights) or len(weights)
    out = list(widest)
    for i, w in zip(free, weights, strict=True):
        out[i] += spare * (w or 1) / total
    return out


def _columns(header, rows, badge_col, text_cols, badge_wraps: bool):
    """Each column's [narrowest, widest, share, longest word], a text column's narrowest at
    least :data:`TEXT_MIN`; a badge that wraps takes at most two lines."""
    out = []
    for i, head in enumerate(header):
        n, w = cell_widths(str(head), bold=True)
        for row in rows:
            cn, cw = cell_widths(row[i], badge=i == badge_col)
            if i == badge_col and badge_wraps:  # half of it and a word: two lines at most
                word = (cell_widths(row[i])[0] - CELL_EXTRA) * BADGE_SCALE
                cn = (cw - BADGE_EXTRA - CELL_EXTRA) / 2 + word + BADGE_EXTRA + CELL_EXTRA
            n, w = max(n, cn), max(w, cw)
        own = n
        if i in text_cols:
            n, w = max(n, TEXT_MIN + CELL_EXTRA), max(w, TEXT_MIN + CELL_EXTRA)
        out.append([n, w, TEXT_SHARE if i in text_cols else 0.0, own])
    return out


def _give(columns, text_cols, room: float) -> bool:
    """Narrow the long-text columns below their floor (down to :data:`GIVE` of it, never below
    their longest word) so that the columns fit ``room``; False when that is not enough."""
    over = sum(c[0] for c in columns) - room
    if over <= 0:
        return True
    can = {i: min(columns[i][0] * GIVE, columns[i][0] - columns[i][3]) for i in text_cols}
    if not can or sum(can.values()) < over:
        return False
    for i, most in can.items():
        columns[i][0] -= over * most / sum(can.values())
    return True


def layout(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    badge_col: int | None = None,
    text_cols: Sequence[int] = (),
) -> tuple[list[float], bool]:
    """Each column's share of the printed table's width, in percent (one decimal), and whether
    the badges must wrap.

    When the columns' narrowest widths overflow the page the automatic layout makes the
    table wider than the page, its right side cut off beyond the margin; here the long-text
    columns give up a little of their width instead, or, when that is not enough (a long
    badge never wraps), the badges wrap onto two lines."""
    columns = _columns(header, rows, badge_col, text_cols, badge_wraps=False)
    wraps = not _give(columns, text_cols, TABLE_EMS) and badge_col is not None
    if wraps:
        columns = _columns(header, rows, badge_col, text_cols, badge_wraps=True)
        _give(columns, text_cols, TABLE_EMS)
    narrow, wide, shares = ([c[k] for c in columns] for k in range(3))
    widths = distribute(narrow, wide, shares)
    total = sum(widths) or 1.0
    shares = [round(100 * w / total, 1) for w in widths]
    if shares:  # rounded, they add up to 100 exactly: the widest takes the difference
        widest = shares.index(max(shares))
        shares[widest] = round(shares[widest] + 100 - sum(shares), 1)
    return shares, wraps
