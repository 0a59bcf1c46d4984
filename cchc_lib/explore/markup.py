"""Small HTML pieces the dashboard's panes share (escaped text, a detail table)."""

from __future__ import annotations

import html

from cchc_lib.i18n import fmt

__all__ = ["esc", "short", "table", "text"]


def esc(x) -> str:
    """Escaped text of a cell; a missing cell is empty."""
    return "" if fmt.is_missing(x) else html.escape(str(x))


def short(value, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word with "…" (dropdown labels)."""
    value = " ".join(str(value).split()) if not fmt.is_missing(value) else ""
    return value if len(value) <= limit else value[: limit - 1].rstrip(" ,;:–-") + "…"


def text(x) -> str:
    """Stripped text of a cell; a missing cell is empty."""
    return "" if fmt.is_missing(x) else str(x).strip()


def table(head: list[str], body: list[str], cls: str = "cchc-x-detail-table") -> str:
    """A scrollable table: escaped ``head`` and ready ``<tr>`` rows."""
    th = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    return (
        f'<div class="cchc-table-wrap"><table class="cchc-table {cls}"><thead><tr>{th}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
