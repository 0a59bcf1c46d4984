"""Finishing the exported HTML: the offline guarantee, table wrappers, heading ids, contents.

:func:`finish_html` runs on what nbconvert rendered, in this order: remove every reference
to the network and embed local images; wrap tables for phones; drop the template's header
when the notebook prints its own title; keep headings with what follows on paper; give
h2/h3 headings ids; put the table of contents at the top.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

from bs4 import BeautifulSoup, Comment
from markupsafe import escape as _esc

from cchc_lib.report.formats import WORDS

log = logging.getLogger(__name__)

TOC_MARKER = "<!--cchc:toc-->"

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //cdn…
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^;]*;?", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^)]*\)", re.IGNORECASE)
_FETCHING_TAGS = ["script", "link", "iframe", "embed", "object", "source", "audio", "video"]
_URL_ATTRS = ("src", "href", "xlink:href", "action", "poster", "background")


def finish_html(html: str, *, lang: str = "vi", base_dir: Path | None = None) -> str:
    """Post-process the rendered report.

    Removes every reference to the network (external scripts, stylesheets, fonts,
    images; an outside link becomes its text plus the address), embeds local images,
    wraps tables for horizontal scrolling (class ``cols-some``/``cols-many`` by column
    count, for screen.css), labels table cells by their column header for the phone
    cards, adds the phone hint to figures, marks output wrappers that end with a heading or a bold
    label ``keep-with-next`` (print.css), drops the template's header when the
    notebook prints its own title (h1), gives h2/h3 headings ids and puts the table of
    contents at the top: at the ``<!--cchc:toc-->`` marker, or before the first h2 when
    the notebook has its own title block.
    """
    soup = BeautifulSoup(html, "html.parser")
    removed = _strip_network(soup, base_dir or Path.cwd())
    if removed:
        log.warning("Đã bỏ %d tham chiếu ra ngoài mạng trong báo cáo (báo cáo phải đọc được offline).", removed)
    _wrap_tables(soup)
    _label_cells(soup)
    _hint_figures(soup, lang)
    main = soup.find("main") or soup.body or soup
    own_title = _drop_template_header(soup, main)
    _keep_headings_with_next(main)
    entries = _number_headings(soup, main)
    _place_toc(soup, main, entries, lang, own_title)
    return str(soup)


# -- offline ------------------------------------------------------------------------------


def _is_external(url: str) -> bool:
    return bool(_EXTERNAL.match(url or ""))


def _clean_css(text: str) -> str:
    text = _CSS_IMPORT.sub("", text)
    return _CSS_URL.sub("none", text)


def _embed_local(src: str, base_dir: Path) -> str | None:
    """A data: URI for an image the notebook referenced by a relative path, if it exists."""
    if not src or _SCHEME.match(src) or src.startswith("#"):
        return None
    path = (base_dir / unquote(src.split("?")[0].split("#")[0])).resolve()
    if not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _strip_network(soup: BeautifulSoup, base_dir: Path) -> int:
    """Remove or neutralise every reference to the network; the number removed."""
    removed = _drop_fetching_tags(soup) + _fix_images(soup, base_dir)
    _unlink_external(soup)
    for tag in soup.find_all(True):
        for attr in _URL_ATTRS:
            if attr in tag.attrs and _is_external(str(tag.attrs[attr])):
                del tag.attrs[attr]
                removed += 1
        if "style" in tag.attrs:
            tag["style"] = _clean_css(tag["style"])
    for style in soup.find_all("style"):
        if style.string:
            cleaned = _clean_css(style.string)
            if cleaned != style.string:
                style.string.replace_with(cleaned)
                removed += 1
    return removed


def _drop_fetching_tags(soup: BeautifulSoup) -> int:
    removed = 0
    for tag in soup.find_all(_FETCHING_TAGS):
        ref = tag.get("src") or tag.get("href") or tag.get("data") or ""
        if tag.name == "script" and not tag.get("src"):
            continue  # inline script: harmless offline (and blocked by the CSP anyway)
        if tag.name == "link" and not _is_external(ref):
            continue
        tag.decompose()
        removed += 1
    return removed


def _fix_images(soup: BeautifulSoup, base_dir: Path) -> int:
    """Outside images become their alt text; local ones are embedded as data: URIs."""
    removed = 0
    for img in soup.find_all("img"):
        src = img.get("src", "")
        if _is_external(src):
            alt = img.get("alt") or ""
            img.replace_with(soup.new_string(f"[{alt}]" if alt else ""))
            removed += 1
            continue
        if not src.startswith("data:"):
            embedded = _embed_local(src, base_dir)
            if embedded:
                img["src"] = embedded
        if img.get("srcset"):
            del img["srcset"]
    return removed


def _unlink_external(soup: BeautifulSoup) -> None:
    """An outside link is kept as visible text (with its address), never as a link."""
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if _is_external(href):
            text = a.get_text(" ", strip=True)
            span = soup.new_tag("span", attrs={"class": "external-link"})
            span.string = text if text.strip() == href.strip() or not text else f"{text} ({href.strip()})"
            a.replace_with(span)


# -- layout -------------------------------------------------------------------------------


def _wrap_tables(soup: BeautifulSoup) -> None:
    """Tables scroll sideways on phones; wide ones get a minimum width there (screen.css)
    so that their text columns scroll into view instead of being squeezed letter-thin."""
    for table in soup.find_all("table"):
        first_row = table.find("tr")
        cols = 0
        for cell in first_row.find_all(["th", "td"], recursive=False) if first_row else []:
            span = str(cell.get("colspan", "1")).strip()
            cols += int(span) if span.isdigit() else 1
        if cols >= 4:
            size = "cols-many" if cols >= 6 else "cols-some"
            table["class"] = [*table.get("class", []), size]
        parent = table.parent
        classes = set(parent.get("class", [])) if parent is not None and parent.name == "div" else set()
        if classes & {"table-wrap", "cchc-table-wrap"}:
            continue
        table.wrap(soup.new_tag("div", attrs={"class": "table-wrap"}))


def _label_cells(soup: BeautifulSoup) -> None:
    """Each body cell gets its column header as ``data-label``, and the table the class
    ``as-cards``: on a phone screen.css shows every row as a card of labelled cells. Only
    tables whose last header row has one header per body column (no spans) qualify."""
    for table in soup.find_all("table"):
        head = table.find("thead")
        rows = head.find_all("tr") if head else []
        if not rows:
            continue
        ths = rows[-1].find_all(["th", "td"], recursive=False)
        if any(str(th.get("colspan", "1")).strip() != "1" for th in ths):
            continue
        labels = [" ".join(th.get_text(" ", strip=True).split()) for th in ths]
        body = [tr for tb in table.find_all("tbody", recursive=False) for tr in tb.find_all("tr", recursive=False)]
        cells = [tr.find_all(["td", "th"], recursive=False) for tr in body]
        if not body or any(len(row) != len(labels) for row in cells):
            continue
        for row in cells:
            for cell, label in zip(row, labels, strict=True):
                cell["data-label"] = label
        table["class"] = [*table.get("class", []), "as-cards"]


def _hint_figures(soup: BeautifulSoup, lang: str) -> None:
    """A figure with an image gets a one-line hint, shown only on phones where the chart
    keeps its legible width and scrolls sideways (screen.css)."""
    for fig in soup.find_all("figure"):
        if fig.find("img") is None or fig.find(class_="scroll-hint") is not None:
            continue
        hint = soup.new_tag("span", attrs={"class": "scroll-hint", "aria-hidden": "true"})
        hint.string = WORDS[lang]["scroll_hint"]
        fig.insert(0, hint)


def _drop_template_header(soup: BeautifulSoup, main) -> bool:
    """A notebook that prints its own title block (h1) replaces the template's header."""
    header = soup.find("header", class_="report-head")
    own_title = main.find("h1") is not None
    if header is not None and own_title:
        header.decompose()
    return own_title


def _keep_headings_with_next(main) -> None:
    """A heading that ends its output's wrapper would lose "break-after: avoid" (it only
    acts between siblings): mark the wrappers so print.css keeps them with what follows.
    A paragraph that is only a bold label ("<p><strong>Bảng chỉ tiêu</strong></p>") is a
    heading for the table under it and gets the same treatment."""
    labels = [
        p
        for p in main.find_all("p")
        if len(kids := [k for k in p.contents if getattr(k, "name", None) or str(k).strip()]) == 1
        and getattr(kids[0], "name", None) in ("strong", "b")
    ]
    for p in labels:
        p["class"] = [*p.get("class", []), "keep-with-next"]
    for h in [*main.find_all(["h1", "h2", "h3", "h4"]), *labels]:
        node = h
        while node.parent is not None and node.parent is not main and node.parent.name != "body":
            following = [s for s in node.next_siblings if getattr(s, "name", None) or str(s).strip()]
            if following:
                break
            node = node.parent
            classes = node.get("class", [])
            if "keep-with-next" not in classes:
                node["class"] = [*classes, "keep-with-next"]


# -- headings and contents ------------------------------------------------------------------


def _slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:60].strip("-") or "muc"


def _number_headings(soup: BeautifulSoup, main) -> list[tuple[int, str, str]]:
    """Give every h2/h3 an id (unique in the page); (level, id, text) of each, in order."""
    used = {t["id"] for t in soup.find_all(id=True)}
    entries: list[tuple[int, str, str]] = []
    for h in main.find_all(["h2", "h3"]):
        for anchor in h.find_all("a", class_="anchor-link"):
            anchor.decompose()
        text = " ".join(h.get_text(" ", strip=True).split())
        if not text:
            continue
        if not h.get("id"):
            base = _slug(text)
            hid, n = base, 2
            while hid in used:
                hid, n = f"{base}-{n}", n + 1
            h["id"] = hid
            used.add(hid)
        entries.append((int(h.name[1]), h["id"], text))
    return entries


def _place_toc(soup: BeautifulSoup, main, entries: list[tuple[int, str, str]], lang: str, own_title: bool) -> None:
    """The table of contents goes at the top: in place of the marker, or, when the
    notebook opens with its own title block, just before the first section (h2)."""
    marker = soup.find(string=lambda t: isinstance(t, Comment) and t.strip() == TOC_MARKER[4:-3])
    toc = _toc_html(entries, lang)
    if toc:
        first_h2 = main.find("h2")
        if marker is not None and (not own_title or first_h2 is None):
            marker.replace_with(BeautifulSoup(toc, "html.parser"))
            marker = None
        elif first_h2 is not None:
            anchor = first_h2  # the output holding the first section, as a child of <main>
            while anchor.parent is not None and anchor.parent is not main:
                anchor = anchor.parent
            anchor.insert_before(BeautifulSoup(toc, "html.parser"))
    if marker is not None:
        marker.extract()


def _toc_html(entries: list[tuple[int, str, str]], lang: str) -> str:
    if not entries:
        return ""
    esc = _esc
    title = WORDS[lang]["toc"]
    parts = [
        f'<nav class="toc" aria-label="{esc(title)}"><details class="toc-fold">'
        f'<summary class="toc-title">{esc(title)}</summary><ol>'
    ]
    open_sub = False
    seen_h2 = False
    for level, hid, text in entries:
        link = f'<a href="#{esc(quote(hid, safe=""))}">{esc(text)}</a>'
        if level == 3 and seen_h2:
            if not open_sub:
                parts.append("<ol>")
                open_sub = True
            parts.append(f"<li>{link}</li>")
            continue
        if open_sub:
            parts.append("</ol>")
            open_sub = False
        if seen_h2:
            parts.append("</li>")
        parts.append(f"<li>{link}")
        seen_h2 = True
    if open_sub:
        parts.append("</ol>")
    if seen_h2:
        parts.append("</li>")
    parts.append("</ol></details></nav>")
    return "".join(parts)
