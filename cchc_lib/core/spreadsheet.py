"""Text written into a spreadsheet stays text: no cell we write can run as a formula.

A plan sentence, a unit's evidence or a search typed in the dashboard may start with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return; Excel and LibreOffice would read such a cell
as a formula (``=HYPERLINK("http://…"&A1, …)`` sends data away). OWASP's advice for "CSV
injection" is to put a single quote before it, which spreadsheets read as "this is text":

* CSV: the quote is written into the cell (``'=1+1``);
* xlsx: the cell is stored as a string with Excel's own "quote prefix" flag, which is how
  Excel keeps a typed ``'=1+1`` — the value stays ``=1+1`` for anyone reading the file back.

Only text is touched: numbers (negative ones too) stay numbers, and a text that is nothing
but a number (``-12``, ``-3,5``, ``+10%``) has nothing to run, so it stays as it is.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FORMULA_STARTS", "defuse", "defuse_frame", "keep_as_text", "looks_like_formula"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed number with Vietnamese or English separators and an optional percent sign.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,\s]*%?")


def looks_like_formula(value) -> bool:
    """True for text a spreadsheet could run: it starts with one of ``FORMULA_STARTS``."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def defuse(value):
    """``value`` for a CSV cell: text that could run gets a leading ``'``; anything else is unchanged."""
    return "'" + value if looks_like_formula(value) else value


def defuse_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through ``defuse`` (number columns untouched)."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            out[col] = out[col].map(defuse)
    return out


def keep_as_text(cell) -> None:
    """Make an openpyxl cell holding formula-like text a plain string with Excel's quote prefix."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
