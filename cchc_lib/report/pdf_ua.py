"""A leaner browser stylesheet for the PDFs: the same bytes, less styling work.

WeasyPrint's own stylesheet (``html5_ua.css``) gives every element of the document styles
for five pseudo-elements that only footnotes use (``::footnote-call``, ``::footnote-marker``,
``::note-call``, ``::note-marker``, ``::note-callback``) and a ``::marker`` that only list
items and ``<summary>`` show: WeasyPrint then works out eight pseudo-element styles for
each of the report's ~1,500 elements (a tenth of a PDF's time). The report uses no
footnotes, so the PDF is laid out with that stylesheet less those rules and with
``::marker`` limited to ``li`` and ``summary`` (the elements that are list items there).
Any other rule is kept as it is, and when WeasyPrint's stylesheet no longer has the rules
as expected it is left alone. The PDF child process loads this file by its path: no cchc
import here.
"""

from __future__ import annotations

_FOOTNOTE_RULES = ("::footnote-call", "::footnote-marker", "::note-call", "::note-marker", "::note-callback")
_MARKER = "::marker {"
_LIST_MARKERS = "li::marker, summary::marker {"


def lean_css(ua: str) -> str | None:
    """``ua`` without the footnote pseudo-element rules, ``::marker`` limited to list items
    and summaries; None when ``ua`` does not have them as one-line rules (another version)."""
    lines = ua.splitlines()
    kept = [line for line in lines if not line.startswith(_FOOTNOTE_RULES)]
    markers = [i for i, line in enumerate(kept) if line.startswith(_MARKER)]
    if len(lines) - len(kept) != len(_FOOTNOTE_RULES) or len(markers) != 1:
        return None
    kept[markers[0]] = kept[markers[0]].replace(_MARKER, _LIST_MARKERS, 1)
    return "\n".join(kept) + "\n"


def install() -> None:
    """Lay documents out with :func:`lean_css` of WeasyPrint's stylesheet (idempotent; forms
    keep WeasyPrint's own); left as it is when this WeasyPrint differs."""
    try:
        import weasyprint
        from weasyprint import html as wp_html
        from weasyprint.css.counters import CounterStyle
    except ImportError:  # the PDF step says what is missing
        return
    own = weasyprint.HTML.__dict__.get("_ua_stylesheets")
    ua = getattr(wp_html, "UA", None)
    if own is None or getattr(own, "cchc_lean", False) or not isinstance(ua, str):
        return
    text = lean_css(ua)
    if text is None:
        return
    # its own counter styles: WeasyPrint's stylesheet has registered the same ones already
    lean = weasyprint.CSS(string=text, counter_style=CounterStyle())

    def ua_stylesheets(self, forms=False):
        return own(self, forms) if forms else [lean]

    ua_stylesheets.cchc_lean, ua_stylesheets.__wrapped__ = True, own
    weasyprint.HTML._ua_stylesheets = ua_stylesheets
