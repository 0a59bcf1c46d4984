"""HTML pieces of the dashboard: the header, escaped text, a detail table."""

from __future__ import annotations

import html

from cchc_lib.core.periods import describe_window, label
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import tables

__all__ = ["esc", "header_html", "short", "table", "text"]


def header_html(plan, a, t: dict, lang: str) -> str:
    """Title, the sample-data banner, the period's data window and the estimated score."""
    title = t["title"].format(year=plan.year, commune=plan.meta.get("commune", ""))
    parts = [f"<h2>{html.escape(title)}</h2>"]
    if a.is_sample:
        parts.append(f'<div class="cchc-banner">{html.escape(t["sample"])}</div>')
    window = html.escape(describe_window(a.window, lang))
    parts.append(f"<p>{t['window'].format(label=html.escape(label(a.period, lang)), window=window)}</p>")
    o = a.overall
    if o.get("rating"):
        badge = tables.badge(o["rating"], vocab.rating(o["rating"], lang))
        parts.append(
            f"<p>{t['score'].format(score=fmt.number(o['score'], 1, lang), badge=badge)} "
            f'<span class="cchc-x-caveat">{html.escape(t["caveat"])}</span></p>'
        )
    return "".join(parts)


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
