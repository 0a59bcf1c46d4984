"""Turn the parameterised notebook into the report files: executed notebook, HTML, PDF.

One call does the whole job::

    from cchc_lib.report.render import run_report
    result = run_report(
        "notebooks/quarterly_assessment.ipynb",
        {"plan": "hai-duong-2024", "data": "sample", "period": "2024-Q2",
         "cutoff": "nd09", "lang": "vi"},
        Path("reports/hai-duong-2024/2024-Q2"),
        stem="bao-cao-2024-Q2-vi",
        header={"commune": "xã Hải Dương", "period_label": "Quý II/2024",
                "lang": "vi", "title": "Báo cáo đánh giá CCHC Quý II/2024"},
    )

What it guarantees:

* **Offline and private.** The HTML is one file: stylesheets inline, images as
  ``data:`` URIs, no script, font or stylesheet fetched from anywhere, and a
  Content-Security-Policy that forbids it. Any http(s) reference an output carries is
  removed (an outside link is kept as visible text). The PDF is made by WeasyPrint
  from the same HTML with fetching limited to ``file:`` and ``data:``.
* **A report, not a notebook.** No code, no prompts, no parameters cells (tagged
  ``parameters`` / ``injected-parameters``), no stderr (warnings); a table of contents
  from the h2/h3 headings at the top; readable on a phone; a print stylesheet.
* **PDF for paper.** A4, 2 cm margins, running header "commune — period", page numbers
  ("Trang 3/12" / "Page 3 of 12"), figures and table rows never split, headings kept
  with what follows; DejaVu Sans bundled with matplotlib embedded, so Vietnamese text
  prints and copies the same on every machine.
* **Atomic output.** Everything is produced in a staging folder beside ``out_dir``;
  files move into ``out_dir`` (``os.replace``, one file at a time) only when every
  format succeeded. On failure no earlier report file is touched, the staging folder is
  removed, the notebook as far as it ran is kept in ``out_dir/_loi/`` and a
  :class:`ReportError` says, in Vietnamese first, which cell failed and why.
* **Index.** Each report gets a sidecar JSON (``<stem>.json``) and
  ``reports_root/index.html`` is rebuilt from all of them (:func:`write_index`).

The same export is available to ``jupyter nbconvert``: ``--to cchc_html`` and
``--to cchc_pdf`` (entry points in ``pyproject.toml``). The header then comes from the
notebook's ``metadata.cchc`` (which :func:`run_report` writes into the executed
notebook) or from the exporter options ``--CchcHTMLExporter.commune=…`` etc.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
import nbformat
from bs4 import BeautifulSoup, Comment
from markupsafe import escape as _esc
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, Unicode, default

from cchc_lib import i18n
from cchc_lib.i18n import fmt

__all__ = [
    "FORMATS",
    "CchcCleanPreprocessor",
    "CchcHTMLExporter",
    "CchcPDFExporter",
    "ReportError",
    "ReportResult",
    "html_to_pdf",
    "human_size",
    "pdf_css",
    "run_report",
    "write_index",
]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS: tuple[str, ...] = ("html", "pdf")
FAILED_DIR = "_loi"  # out_dir/_loi/<stem>.ipynb: the notebook as far as it ran
SIDECAR_KIND = "cchc-report"
SIDECAR_SCHEMA = 1

# Cells that never reach a report (outputs included).
REMOVED_CELL_TAGS = frozenset(
    {
        "parameters",
        "injected-parameters",
        "remove-cell",
        "remove_cell",
        "papermill-error-cell-tag",
    }
)

WORDS = i18n.table("render")

_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //cdn…
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^;]*;?", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^)]*\)", re.IGNORECASE)
_OBJECT_REPR = re.compile(r"^<[^\n<>]+>$")  # <matplotlib.axes._axes.Axes at 0x…>
TOC_MARKER = "<!--cchc:toc-->"


def _local_kernel_manager():
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class LocalKernelManager(AsyncKernelManager):
        """On Linux and macOS the report's kernel talks over local Unix sockets (IPC), not
        TCP ports: nothing listens on the network while a report runs, and the kernel does
        not warn about unencrypted TCP on every run. Windows has no IPC transport in ZeroMQ,
        so there it keeps the loopback TCP default."""

        @default("transport")
        def _default_transport(self) -> str:
            return "ipc" if os.name == "posix" else "tcp"

    return LocalKernelManager


LocalKernelManager = _local_kernel_manager()


class ReportError(RuntimeError):
    """A report could not be produced. The message says what failed and where to look.

    Attributes (None when not applicable): ``stem``, ``step`` ("execute", "html",
    "pdf"), ``cell_index`` (index in the source notebook, from 0), ``cell_tags``,
    ``cell_first_line``, ``ename``, ``evalue``, ``kept_notebook`` (Path of the notebook
    kept for debugging), ``out_dir``.
    """

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.stem = details.get("stem")
        self.step = details.get("step")
        self.cell_index = details.get("cell_index")
        self.cell_tags = details.get("cell_tags") or []
        self.cell_first_line = details.get("cell_first_line")
        self.ename = details.get("ename")
        self.evalue = details.get("evalue")
        self.kept_notebook = details.get("kept_notebook")
        self.out_dir = details.get("out_dir")


@dataclass(frozen=True)
class ReportResult:
    """What :func:`run_report` produced. Paths are final (inside ``out_dir``)."""

    notebook: Path
    html: Path | None
    pdf: Path | None
    sidecar: Path
    index: Path | None
    sizes: dict[str, int] = field(default_factory=dict)  # "notebook", "html", "pdf": bytes
    seconds: dict[str, float] = field(default_factory=dict)  # "execute", "html", "pdf", "total"

    def files(self) -> dict[str, Path]:
        out = {"notebook": self.notebook, "html": self.html, "pdf": self.pdf}
        return {k: v for k, v in out.items() if v is not None}


# --------------------------------------------------------------------------------------
# small helpers


def human_size(n: int, lang: str = "vi") -> str:
    """A byte count as people read it: "532 B", "48,3 KB", "1,2 MB" (vi) / "1.2 MB" (en).

    Binary multiples (1 KB = 1024 B), as Windows Explorer counts; the next unit from
    1000 of the current one on, so a size never shows four digits before the comma.
    """
    fmt.check_lang(lang)
    n = int(n)
    if n < 0:
        raise ValueError(f"Kích thước tệp không thể âm: {n}")
    if n < 1000:
        return f"{fmt.number(n, 0, lang)} B"
    units = ("KB", "MB", "GB", "TB")
    value = n / 1024
    i = 0
    while i < len(units) - 1 and round(value, 1) >= 1000:  # "1,0 MB", never "1.005,2 KB"
        value /= 1024
        i += 1
    return f"{fmt.number(value, 1, lang)} {units[i]}"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (safe inside a stylesheet)."""
    out = []
    for ch in str(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:60].strip("-") or "muc"


def _read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def bundled_fonts() -> dict[str, Path]:
    """DejaVu Sans TTF files shipped inside matplotlib (a cchc dependency)."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    fonts = {
        "regular": ttf / "DejaVuSans.ttf",
        "bold": ttf / "DejaVuSans-Bold.ttf",
        "oblique": ttf / "DejaVuSans-Oblique.ttf",
        "bold_oblique": ttf / "DejaVuSans-BoldOblique.ttf",
        "mono": ttf / "DejaVuSansMono.ttf",
    }
    missing = [str(p) for key, p in fonts.items() if key in ("regular", "bold") and not p.is_file()]
    if missing:
        raise FileNotFoundError(
            "Không tìm thấy phông chữ DejaVu Sans đi kèm matplotlib (cần để PDF hiển thị "
            f"đúng tiếng Việt): {', '.join(missing)}. Hãy cài lại matplotlib."
        )
    return fonts


def pdf_css(lang: str = "vi", running_head: str = "") -> str:
    """The PDF-only stylesheet: bundled fonts, A4 page, running header, page numbers."""
    fmt.check_lang(lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False)
    fonts = {key: css_string(p.resolve().as_uri()) for key, p in bundled_fonts().items()}
    return env.get_template("pdf.css.j2").render(
        fonts=fonts,
        running_head=css_string(running_head) if running_head else "none",
        page_label=WORDS[lang]["page"],
    )


def _offline_fetcher():
    """A WeasyPrint URL fetcher that can only read local files and data: URIs."""
    import weasyprint

    return weasyprint.URLFetcher(allowed_protocols=("file", "data"))


def html_to_pdf(
    html: str, *, lang: str = "vi", running_head: str = "", base_url: str | os.PathLike | None = None
) -> bytes:
    """Render a report's HTML to PDF bytes with WeasyPrint (print medium + :func:`pdf_css`).

    Deterministic: the same HTML gives the same bytes (no dates, no random identifier).
    """
    import weasyprint

    fetcher = _offline_fetcher()
    base = Path(base_url) if base_url else TEMPLATES
    document = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=pdf_css(lang, running_head), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


# --------------------------------------------------------------------------------------
# nbconvert: preprocessor and exporters


class CchcCleanPreprocessor(Preprocessor):
    """Remove what a reader must not see: parameters cells and warnings.

    * cells tagged ``parameters``, ``injected-parameters`` (papermill), ``remove-cell`` or
      papermill's error markers are dropped with their outputs;
    * ``stream`` outputs named ``stderr`` (warnings, logging) are dropped;
    * a bare object repr as the only output (``<Axes at 0x…>``) is dropped.
    """

    remove_cell_tags = List(Unicode(), default_value=sorted(REMOVED_CELL_TAGS)).tag(config=True)
    drop_object_reprs = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        drop = set(self.remove_cell_tags)
        nb.cells = [c for c in nb.cells if not drop.intersection(c.get("metadata", {}).get("tags", []))]
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            kept = []
            for out in cell.get("outputs", []):
                if out.output_type == "stream" and out.get("name") == "stderr":
                    continue
                if self.drop_object_reprs and out.output_type in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    if set(data) == {"text/plain"} and _OBJECT_REPR.match(str(data["text/plain"]).strip()):
                        continue
                kept.append(out)
            cell.outputs = kept
        return nb, resources


def _b64_filter(data: Any) -> str:
    """Base64 for a data: URI: PNG/JPEG output data already is; SVG text gets encoded."""
    text = data if isinstance(data, str) else "".join(data)
    if "<" in text:  # SVG markup; base64 never contains "<"
        return base64.b64encode(text.encode("utf-8")).decode("ascii")
    return re.sub(r"\s+", "", text)


class CchcHTMLExporter(HTMLExporter):
    """A notebook to a self-contained HTML report (``jupyter nbconvert --to cchc_html``).

    Header values, in order of precedence: these options, the notebook's
    ``metadata.cchc`` (``commune``, ``period_label``, ``lang``, ``title``), papermill's
    ``lang`` parameter, defaults (Vietnamese, a generic title).
    """

    export_from_notebook = "CCHC report (HTML)"

    lang = Unicode("", help="Report language, 'vi' or 'en' (default: from the notebook)").tag(config=True)
    commune = Unicode("", help="Commune shown in the header, e.g. 'xã Hải Dương'").tag(config=True)
    period_label = Unicode("", help="Period shown in the header, e.g. 'Quý II/2024'").tag(config=True)
    report_title = Unicode("", help="Report title (<title> and first heading)").tag(config=True)

    @default("template_name")
    def _cchc_template_name(self):
        return "base"  # nbconvert's own macros dir; our template stands alone

    @default("template_file")
    def _cchc_template_file(self):
        return "cchc_report.html.j2"

    @default("extra_template_paths")
    def _cchc_template_paths(self):
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _cchc_exclude_input(self):
        return True

    @default("exclude_input_prompt")
    def _cchc_exclude_input_prompt(self):
        return True

    @default("exclude_output_prompt")
    def _cchc_exclude_output_prompt(self):
        return True

    @default("exclude_anchor_links")
    def _cchc_exclude_anchor_links(self):
        return True

    @default("embed_images")
    def _cchc_embed_images(self):
        return True

    def __init__(self, config=None, **kw):
        super().__init__(config=config, **kw)
        self.register_preprocessor(CchcCleanPreprocessor, enabled=True)

    def default_filters(self):
        yield from super().default_filters()
        yield ("cchc_b64", _b64_filter)

    # -- header -------------------------------------------------------------------------

    def header_for(self, nb) -> dict[str, str]:
        meta = dict(nb.get("metadata", {}).get("cchc", {}) or {})
        params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
        lang = self.lang or meta.get("lang") or params.get("lang") or "vi"
        fmt.check_lang(lang)
        commune = self.commune or meta.get("commune") or ""
        period_label = self.period_label or meta.get("period_label") or ""
        title = self.report_title or meta.get("title") or WORDS[lang]["default_title"]
        running = " — ".join(x for x in (commune, period_label) if x)
        return {"lang": lang, "commune": commune, "period_label": period_label, "title": title, "running_head": running}

    def from_notebook_node(self, nb, resources=None, **kw):
        header = self.header_for(nb)
        resources = dict(resources or {})
        resources["cchc"] = {
            **header,
            "words": WORDS[header["lang"]],
            "report_css": _read_template("report.css"),
            "screen_css": _read_template("screen.css"),
            "print_css": _read_template("print.css"),
        }
        html, resources = super().from_notebook_node(nb, resources, **kw)
        base = resources.get("metadata", {}).get("path") or os.getcwd()
        html = finish_html(html, lang=header["lang"], base_dir=Path(base))
        resources["cchc_header"] = header
        return html, resources


class CchcPDFExporter(CchcHTMLExporter):
    """The same report as a PDF for printing (``jupyter nbconvert --to cchc_pdf``)."""

    export_from_notebook = "CCHC report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        header = resources["cchc_header"]
        base = resources.get("metadata", {}).get("path") or os.getcwd()
        pdf = html_to_pdf(html, lang=header["lang"], running_head=header["running_head"], base_url=base)
        resources["output_extension"] = ".pdf"
        return pdf, resources


# --------------------------------------------------------------------------------------
# HTML finishing: offline guarantee, table wrappers, heading ids, table of contents


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


def finish_html(html: str, *, lang: str = "vi", base_dir: Path | None = None) -> str:
    """Post-process the rendered report.

    Removes every reference to the network (external scripts, stylesheets, fonts,
    images; an outside link becomes its text plus the address), embeds local images,
    wraps tables for horizontal scrolling (class ``cols-some``/``cols-many`` by column
    count, for screen.css), marks output wrappers that end with a heading or a bold
    label ``keep-with-next`` (print.css), drops the template's header when the
    notebook prints its own title (h1), gives h2/h3 headings ids and puts the table of
    contents at the top: at the ``<!--cchc:toc-->`` marker, or before the first h2 when
    the notebook has its own title block.
    """
    soup = BeautifulSoup(html, "html.parser")
    base_dir = base_dir or Path.cwd()
    removed = 0

    for tag in soup.find_all(["script", "link", "iframe", "embed", "object", "source", "audio", "video"]):
        ref = tag.get("src") or tag.get("href") or tag.get("data") or ""
        if tag.name == "script" and not tag.get("src"):
            continue  # inline script: harmless offline (and blocked by the CSP anyway)
        if tag.name == "link" and not _is_external(ref):
            continue
        tag.decompose()
        removed += 1
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
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if _is_external(href):
            text = a.get_text(" ", strip=True)
            span = soup.new_tag("span", attrs={"class": "external-link"})
            span.string = text if text.strip() == href.strip() or not text else f"{text} ({href.strip()})"
            a.replace_with(span)
    for tag in soup.find_all(True):
        for attr in ("src", "href", "xlink:href", "action", "poster", "background"):
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
    if removed:
        log.warning("Đã bỏ %d tham chiếu ra ngoài mạng trong báo cáo (báo cáo phải đọc được offline).", removed)

    # tables scroll sideways on phones; wide ones get a minimum width there (screen.css)
    # so that their text columns scroll into view instead of being squeezed letter-thin
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

    main = soup.find("main") or soup.body or soup
    # a notebook that prints its own title block (h1) replaces the template's header
    header = soup.find("header", class_="report-head")
    own_title = main.find("h1") is not None
    if header is not None and own_title:
        header.decompose()

    # A heading that ends its output's wrapper would lose "break-after: avoid" (it only
    # acts between siblings): mark the wrappers so print.css keeps them with what follows.
    # A paragraph that is only a bold label ("<p><strong>Bảng chỉ tiêu</strong></p>")
    # is a heading for the table under it and gets the same treatment.
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

    # The table of contents goes at the top: in place of the marker, or, when the
    # notebook opens with its own title block, just before the first section (h2).
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
    return str(soup)


def _toc_html(entries: list[tuple[int, str, str]], lang: str) -> str:
    if not entries:
        return ""
    esc = _esc
    title = WORDS[lang]["toc"]
    parts = [f'<nav class="toc" aria-label="{esc(title)}"><p class="toc-title">{esc(title)}</p><ol>']
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
    parts.append("</ol></nav>")
    return "".join(parts)


# --------------------------------------------------------------------------------------
# run_report


def _check_header(header: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(header, Mapping):
        raise TypeError("header phải là dict với các khóa commune, period_label, lang, title")
    lang = fmt.check_lang(str(header.get("lang", "vi")))
    out = {
        "commune": str(header.get("commune") or ""),
        "period_label": str(header.get("period_label") or ""),
        "lang": lang,
        "title": str(header.get("title") or WORDS[lang]["default_title"]),
    }
    return out


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = (formats,)
    out = tuple(dict.fromkeys(str(f).lower() for f in formats))
    bad = [f for f in out if f not in FORMATS]
    if bad:
        raise ValueError(f"Định dạng không hỗ trợ: {', '.join(bad)} (chỉ có: {', '.join(FORMATS)}).")
    return out


def _check_stem(stem: str) -> str:
    if not stem or not re.fullmatch(r"[A-Za-z0-9._-]+", stem) or stem.startswith("."):
        raise ValueError(
            f"Tên tệp báo cáo '{stem}' không hợp lệ: chỉ dùng chữ không dấu, số, '.', '-', '_' "
            "(ví dụ bao-cao-2024-Q2-vi)."
        )
    return stem


def _keep(src: Path, out_dir: Path, stem: str) -> Path | None:
    """Move a notebook out of staging to out_dir/_loi/<stem>.ipynb for debugging."""
    if not src.is_file():
        return None
    dest_dir = out_dir / FAILED_DIR
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{stem}.ipynb"
    os.replace(src, dest)
    return dest


def _first_line(source: str) -> str:
    for line in str(source or "").splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 100 else line[:97] + "…"
    return ""


def _failed_cell(exc, kept: Path | None, source_nb: Path) -> tuple[int, list[str], str]:
    """(index in the source notebook, tags, first source line) of the cell that raised."""
    index = exc.cell_index
    tags: list[str] = []
    first = _first_line(exc.source)
    cell_id = None
    injected_before = 0
    if kept is not None:
        try:
            ran = nbformat.read(kept, as_version=4)
            cells = [c for c in ran.cells if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
            if 0 <= exc.cell_index < len(cells):
                cell = cells[exc.cell_index]
                tags = list(cell.get("metadata", {}).get("tags", []))
                cell_id = cell.get("id")
            injected_before = sum(
                "injected-parameters" in c.get("metadata", {}).get("tags", []) for c in cells[: exc.cell_index]
            )
        except Exception:  # the kept notebook is for humans; the message must still come out
            pass
    try:
        original = nbformat.read(source_nb, as_version=4)
        ids = [c.get("id") for c in original.cells]
        if cell_id and cell_id in ids:
            return ids.index(cell_id), tags, first
        if not any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in original.cells):
            index = exc.cell_index - injected_before
    except Exception:
        pass
    return index, tags, first


def _execution_error(exc, *, stem: str, notebook: Path, kept: Path | None, out_dir: Path) -> ReportError:
    index, tags, first = _failed_cell(exc, kept, notebook)
    tag_text = ", ".join(tags) if tags else "không có"
    where = f"đã giữ lại notebook chạy dở để kiểm tra tại: {kept}" if kept else "không giữ được notebook chạy dở"
    msg = (
        f"Không tạo được báo cáo '{stem}': notebook {notebook.name} bị lỗi ở ô số {index} "
        f"(đếm từ 0; nhãn: {tag_text}; dòng đầu: {first!r}).\n"
        f"Lỗi: {exc.ename}: {exc.evalue}\n"
        f"{where[0].upper() + where[1:]}.\n"
        f"Các tệp báo cáo đã có trong {out_dir} được giữ nguyên, không bị thay đổi.\n"
        f"[en] Report '{stem}' failed: cell {index} of {notebook.name} (tags: "
        f"{', '.join(tags) or 'none'}; first line: {first!r}) raised {exc.ename}: {exc.evalue}. "
        f"Partially executed notebook: {kept or 'not kept'}. Existing report files were left untouched."
    )
    return ReportError(
        msg,
        stem=stem,
        step="execute",
        cell_index=index,
        cell_tags=tags,
        cell_first_line=first,
        ename=exc.ename,
        evalue=exc.evalue,
        kept_notebook=kept,
        out_dir=out_dir,
    )


def _atomic_write(path: Path, data: bytes | str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def run_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any],
    out_dir: str | os.PathLike,
    *,
    stem: str,
    formats: Iterable[str] = ("html", "pdf"),
    header: Mapping[str, Any],
    progress: bool = True,
    kernel_name: str = "python3",
    record: Mapping[str, Any] | None = None,
    reports_root: str | os.PathLike | None = None,
    cwd: str | os.PathLike | None = None,
    start_timeout: int = 60,
) -> ReportResult:
    """Execute ``notebook`` with ``parameters`` and write ``out_dir/<stem>.{ipynb,html,pdf,json}``.

    ``header``: ``commune``, ``period_label``, ``lang`` ("vi"/"en"), ``title`` — the
    running header, ``<title>`` and language of the report; stored in the executed
    notebook's ``metadata.cchc`` so ``jupyter nbconvert --to cchc_pdf`` gives the same.

    ``record``: extra facts for the sidecar JSON and the index. Recognised keys:
    ``plan_id``, ``period``, ``cutoff``, ``sample`` (bool: sample data, flagged "DỮ LIỆU
    MẪU" in the index); defaults come from ``parameters`` (``plan``, ``period``,
    ``cutoff``, ``data == "sample"``). Any other key is stored as given.

    ``reports_root`` (default ``out_dir.parent.parent``, i.e. ``reports/`` for
    ``reports/<plan-id>/<period>/``) gets a fresh ``index.html``.

    The notebook runs in ``cwd`` (default: the notebook's folder). Raises
    :class:`ReportError` when a cell raises or an export fails; earlier files in
    ``out_dir`` are then untouched and the notebook as far as it ran is kept in
    ``out_dir/_loi/<stem>.ipynb``.
    """
    t_start = time.perf_counter()
    notebook = Path(notebook).resolve()
    out_dir = Path(out_dir).resolve()
    stem = _check_stem(stem)
    formats = _check_formats(formats)
    hdr = _check_header(header)
    params = dict(parameters or {})
    if not notebook.is_file():
        raise ReportError(f"Không tìm thấy notebook: {notebook}", stem=stem, step="execute", out_dir=out_dir)

    import papermill
    from papermill.exceptions import PapermillExecutionError

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # same filesystem as out_dir, so the final os.replace is a rename
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{stem}-{os.getpid()}-", dir=out_dir.parent))
    seconds: dict[str, float] = {}
    staged: dict[str, Path] = {}
    executed = staging / f"{stem}.ipynb"
    step = "execute"
    try:
        # 1. execute
        t = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                progress_bar=progress,
                kernel_name=kernel_name,
                cwd=str(Path(cwd).resolve() if cwd else notebook.parent),
                start_timeout=start_timeout,
                kernel_manager_class=LocalKernelManager,
            )
        except PapermillExecutionError as exc:
            kept = _keep(executed, out_dir, stem)
            raise _execution_error(exc, stem=stem, notebook=notebook, kept=kept, out_dir=out_dir) from exc
        except Exception as exc:
            kept = _keep(executed, out_dir, stem)
            raise ReportError(
                f"Không chạy được notebook {notebook.name} cho báo cáo '{stem}': "
                f"{type(exc).__name__}: {exc}\n"
                + (f"Đã giữ lại notebook chạy dở tại: {kept}.\n" if kept else "")
                + f"Các tệp báo cáo đã có trong {out_dir} được giữ nguyên.\n"
                f"[en] Could not execute {notebook.name}: {type(exc).__name__}: {exc}",
                stem=stem,
                step="execute",
                ename=type(exc).__name__,
                evalue=str(exc),
                kept_notebook=kept,
                out_dir=out_dir,
            ) from exc
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["cchc"] = dict(hdr)
        nbformat.write(nb, executed)
        staged["notebook"] = executed
        seconds["execute"] = time.perf_counter() - t

        # 2. HTML (the PDF is made from the same HTML)
        step = "html"
        t = time.perf_counter()
        exporter = CchcHTMLExporter()
        html, resources = exporter.from_notebook_node(
            nb, resources={"metadata": {"path": str(notebook.parent), "name": stem}}
        )
        if "html" in formats:
            staged["html"] = staging / f"{stem}.html"
            staged["html"].write_text(html, encoding="utf-8")
        seconds["html"] = time.perf_counter() - t

        # 3. PDF
        if "pdf" in formats:
            step = "pdf"
            t = time.perf_counter()
            header_used = resources["cchc_header"]
            pdf = html_to_pdf(
                html, lang=header_used["lang"], running_head=header_used["running_head"], base_url=notebook.parent
            )
            staged["pdf"] = staging / f"{stem}.pdf"
            staged["pdf"].write_bytes(pdf)
            seconds["pdf"] = time.perf_counter() - t

        # 4. sidecar for the index
        step = "sidecar"
        sizes = {k: p.stat().st_size for k, p in staged.items()}
        sidecar = _sidecar(stem, params, hdr, record, formats, staged, sizes)
        staged["sidecar"] = staging / f"{stem}.json"
        staged["sidecar"].write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

        # 5. commit: every format succeeded → move each file into place atomically
        step = "commit"
        out_dir.mkdir(parents=True, exist_ok=True)
        final: dict[str, Path] = {}
        for key in ("notebook", "html", "pdf", "sidecar"):  # sidecar last: it announces the rest
            if key in staged:
                final[key] = out_dir / staged[key].name
                os.replace(staged[key], final[key])
        stale = out_dir / FAILED_DIR / f"{stem}.ipynb"
        if stale.exists():
            stale.unlink()
            try:
                stale.parent.rmdir()
            except OSError:
                pass
    except ReportError:
        raise
    except Exception as exc:
        kept = _keep(executed, out_dir, stem) if step != "commit" else None
        what = {"html": "HTML", "pdf": "PDF"}.get(step, step)
        raise ReportError(
            f"Không xuất được báo cáo '{stem}' sang {what}: {type(exc).__name__}: {exc}\n"
            + (f"Notebook đã chạy được giữ lại tại: {kept}.\n" if kept else "")
            + f"Các tệp báo cáo đã có trong {out_dir} được giữ nguyên, không bị thay đổi.\n"
            f"[en] Export of '{stem}' to {what} failed: {type(exc).__name__}: {exc}. "
            "Existing report files were left untouched.",
            stem=stem,
            step=step,
            ename=type(exc).__name__,
            evalue=str(exc),
            kept_notebook=kept,
            out_dir=out_dir,
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    root = Path(reports_root).resolve() if reports_root else out_dir.parent.parent
    index = write_index(root)
    seconds["total"] = time.perf_counter() - t_start
    return ReportResult(
        notebook=final["notebook"],
        html=final.get("html"),
        pdf=final.get("pdf"),
        sidecar=final["sidecar"],
        index=index,
        sizes=sizes,
        seconds=seconds,
    )


def _sidecar(stem, params, hdr, record, formats, staged, sizes) -> dict[str, Any]:
    rec = dict(record or {})
    data = {
        "kind": SIDECAR_KIND,
        "schema": SIDECAR_SCHEMA,
        "stem": stem,
        "plan_id": rec.pop("plan_id", params.get("plan")),
        "commune": hdr["commune"],
        "period": rec.pop("period", params.get("period")),
        "period_label": hdr["period_label"],
        "lang": hdr["lang"],
        "cutoff": rec.pop("cutoff", params.get("cutoff")),
        "title": hdr["title"],
        "sample": bool(rec.pop("sample", params.get("data") == "sample")),
        # the only value that changes between two identical runs; never in the report itself
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "formats": list(formats),
        "files": {k: p.name for k, p in staged.items() if k != "sidecar"},
        "sizes": sizes,
        "parameters": params,
    }
    for key, value in rec.items():
        data.setdefault(key, value)
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


# --------------------------------------------------------------------------------------
# index


def _period_sort_key(period: Any, cutoff: Any) -> tuple:
    from cchc_lib.core import periods

    try:
        p = periods.parse_period(period)
        win = periods.window(p, cutoff if cutoff in periods.CUTOFFS else periods.DEFAULT_CUTOFF)
        return (0, win.end, -win.days, str(period))
    except Exception:
        return (1, date.max, 0, str(period))


def _cutoff_note(cutoff: Any, lang: str = "vi") -> str:
    return i18n.lookup("cutoff_note", lang).get(str(cutoff), "")


def _generated_text(value: Any) -> str:
    try:
        dt = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "")
    return dt.strftime("%d/%m/%Y %H:%M")


def _scan_sidecars(root: Path) -> list[tuple[Path, dict]]:
    found = []
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part == FAILED_DIR for part in rel.parts[:-1]):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Bỏ qua %s: không đọc được JSON (%s)", path, exc)
            continue
        if isinstance(data, dict) and data.get("kind") == SIDECAR_KIND:
            found.append((path, data))
    return found


def write_index(reports_root: str | os.PathLike) -> Path:
    """Rebuild ``reports_root/index.html`` from every report's sidecar JSON.

    Sorted by plan, period (in time order), language; links are relative; sample-data
    reports are flagged "DỮ LIỆU MẪU"; the page is self-contained and escaped.
    """
    root = Path(reports_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for path, data in _scan_sidecars(root):
        folder = path.parent
        files = []
        names = data.get("files") or {}
        sizes = data.get("sizes") or {}
        for key, label in (("html", "HTML"), ("pdf", "PDF"), ("notebook", "Notebook")):
            name = names.get(key)
            if not name or not (folder / name).is_file():
                continue
            rel = (folder / name).relative_to(root).as_posix()
            size = sizes.get(key, (folder / name).stat().st_size)
            files.append({"href": quote(rel), "label": label, "size": human_size(size, "vi")})
        lang = data.get("lang") or "vi"
        rows.append(
            {
                "plan_id": str(data.get("plan_id") or "—"),
                "commune": str(data.get("commune") or ""),
                "period": str(data.get("period") or ""),
                "period_label": str(data.get("period_label") or data.get("period") or "—"),
                "cutoff_note": _cutoff_note(data.get("cutoff")),
                "lang": lang,
                "lang_name": WORDS.get(lang, {}).get("lang_name", lang),
                "sample": bool(data.get("sample")),
                "generated": _generated_text(data.get("generated_at")),
                "files": files,
                "_key": (
                    str(data.get("plan_id") or ""),
                    _period_sort_key(data.get("period"), data.get("cutoff")),
                    0 if lang == "vi" else 1,
                    lang,
                    str(data.get("stem") or path.stem),
                ),
            }
        )
    rows.sort(key=lambda r: r["_key"])
    groups: list[dict] = []
    for r in rows:
        if not groups or groups[-1]["plan_id"] != r["plan_id"]:
            groups.append({"plan_id": r["plan_id"], "commune": r["commune"], "reports": []})
        groups[-1]["reports"].append(r)
        groups[-1]["commune"] = groups[-1]["commune"] or r["commune"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    page = env.get_template("index.html.j2").render(groups=groups, reports=rows)
    target = root / "index.html"
    _atomic_write(target, page)
    return target
