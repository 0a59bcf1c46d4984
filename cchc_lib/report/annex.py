"""Appendices in the document, in a file of their own, or left out (``cchc report --appendices``).

The appendices are reference tables (every target, every task, data quality, plan review,
method): dozens of pages a reader of the report does not turn. A notebook marks the cells
that hold them with the tag ``appendix``; :func:`split` then makes, from one executed
notebook, the main document and (``separate``) an annex document ``<stem>_phu-luc``
(English: ``_appendices``) that :mod:`.run` exports and publishes together with the main
one. A notebook without tagged cells gives one document whatever the mode.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

import nbformat
from markupsafe import escape

from cchc_lib.report.formats import WORDS

APPENDIX_TAG = "appendix"
MODES: tuple[str, ...] = ("separate", "inline", "none")
DEFAULT_MODE = "separate"
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S | re.I)


def check_mode(mode: str) -> str:
    """``mode`` lower-cased; ValueError naming the choices otherwise."""
    value = str(mode or "").strip().lower()
    if value not in MODES:
        raise ValueError(f"Cách đặt phụ lục không hợp lệ: '{mode}' (chỉ có: {', '.join(MODES)}).")
    return value


def annex_stem(stem: str, lang: str) -> str:
    """The annex file's stem: the main stem plus the language's suffix (``_phu-luc``)."""
    return stem + WORDS[lang]["annex_suffix"]


def _is_appendix(cell) -> bool:
    return APPENDIX_TAG in cell.get("metadata", {}).get("tags", [])


def has_appendix(nb) -> bool:
    return any(_is_appendix(c) for c in nb.cells)


def note_html(name: str, formats: Iterable[str], lang: str, *, links: bool) -> str:
    """The line at the end of the main document that names the annex file(s); ``links``
    makes each name a relative link (HTML), without them the PDF names the files only."""
    names = [f"{name}.{ext}" for ext in formats]
    shown = [f'<a href="{escape(n)}">{escape(n)}</a>' if links else f"<strong>{escape(n)}</strong>" for n in names]
    text = str(escape(WORDS[lang]["annex_note"])).replace("{files}", ", ".join(shown))
    return f'<p class="cchc-annex-note">{text}</p>'


def split(nb, mode: str, *, lang: str, title: str):
    """(main notebook, annex notebook or None): ``inline`` keeps everything in one document,
    ``none`` drops the appendix cells, ``separate`` moves them to the annex notebook, whose
    header (``metadata.cchc``) carries the annex title. The given notebook is not changed."""
    mode = check_mode(mode)
    if mode == "inline" or not has_appendix(nb):
        return nb, None
    main = copy.deepcopy(nb)
    main.cells = [c for c in nb.cells if not _is_appendix(c)]
    if mode == "none":
        return main, None
    annex = copy.deepcopy(nb)
    annex.cells = [c for c in annex.cells if _is_appendix(c)]
    styles = _styles(main)
    if styles:  # the report's stylesheet is shown by its header cell, which stays in the main file
        annex.cells.insert(0, _html_cell(styles))
    meta = dict(annex.metadata.get("cchc", {}) or {})
    meta["title"] = WORDS[lang]["annex_title"].format(title=title)
    annex.metadata["cchc"] = meta
    return main, annex


def _styles(nb) -> str:
    """Every ``<style>`` block the cells' HTML outputs hold, each once, in order."""
    found: dict[str, None] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html", "")
            for block in _STYLE.findall("".join(markup) if isinstance(markup, list) else markup):
                found.setdefault(block, None)
    return "".join(found)


def _html_cell(markup: str):
    """A code cell without code whose output is ``markup`` (as the report's cells show theirs)."""
    return nbformat.v4.new_code_cell(
        "", outputs=[nbformat.v4.new_output("display_data", data={"text/html": markup, "text/plain": ""})]
    )


def with_note(nb, note: str):
    """A copy of ``nb`` ending with ``note`` shown as an HTML output, as the cells above it are."""
    out = copy.deepcopy(nb)
    out.cells.append(_html_cell(note))
    return out
