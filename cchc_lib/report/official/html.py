"""The official report as self-contained HTML, and as PDF through WeasyPrint.

The PDF uses Times New Roman when its files are on the machine and Liberation Serif
(metric compatible, same line breaks; Debian package fonts-liberation2, which covers
Vietnamese) otherwise; the font is embedded, the file paths stay in the print stylesheet
only. Page numbers, the sample mark and the landscape annex are CSS paged media.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import jinja2

from cchc_lib.report import pdf_png, pdf_ua
from cchc_lib.report.official.model import Official

# (folder, {style: file}) in order of preference; the first complete set is used.
SERIF_CANDIDATES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "C:/Windows/Fonts",
        {"regular": "times.ttf", "bold": "timesbd.ttf", "italic": "timesi.ttf", "bold_italic": "timesbi.ttf"},
    ),
    (
        "/usr/share/fonts/truetype/msttcorefonts",
        {
            "regular": "Times_New_Roman.ttf",
            "bold": "Times_New_Roman_Bold.ttf",
            "italic": "Times_New_Roman_Italic.ttf",
            "bold_italic": "Times_New_Roman_Bold_Italic.ttf",
        },
    ),
    (
        "/Library/Fonts",
        {
            "regular": "Times New Roman.ttf",
            "bold": "Times New Roman Bold.ttf",
            "italic": "Times New Roman Italic.ttf",
            "bold_italic": "Times New Roman Bold Italic.ttf",
        },
    ),
    *(
        (
            folder,
            {
                "regular": "LiberationSerif-Regular.ttf",
                "bold": "LiberationSerif-Bold.ttf",
                "italic": "LiberationSerif-Italic.ttf",
                "bold_italic": "LiberationSerif-BoldItalic.ttf",
            },
        )
        for folder in ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/liberation-serif")
    ),
)
_STYLE = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bold_italic": (700, "italic"),
}


def serif_font_files() -> dict[str, Path]:
    """Times New Roman's four files if present, else Liberation Serif 2's; {} if neither."""
    extra = os.environ.get("CCHC_SERIF_FONT_DIR")
    candidates = list(SERIF_CANDIDATES)
    if extra:  # a folder holding either set (e.g. fonts copied from a Windows PC)
        candidates = [(extra, files) for _, files in SERIF_CANDIDATES[::2]] + candidates
    for folder, files in candidates:
        paths = {k: Path(folder) / name for k, name in files.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return {}


def _env(html: bool = True) -> jinja2.Environment:
    """HTML templates autoescape every value; the print stylesheet quotes its own strings."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("cchc_lib.report", "templates/official"),
        autoescape=jinja2.select_autoescape(default=html, default_for_string=html),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def render_html(d: Official, *, body: bool = True, annexes: list | None = None) -> str:
    """Self-contained HTML (one inline stylesheet, no scripts, fonts or external links).

    ``body=False`` / ``annexes=[…]`` render a part only (the PDF prints each annex as a
    part of its own, so that a landscape annex gets the whole width of its page)."""
    env = _env()
    css = resources.files("cchc_lib.report").joinpath("templates/official/official.css").read_text(encoding="utf-8")
    macro = env.get_template("blocks.html.j2").module.block
    shown = d.annexes if annexes is None else annexes
    return env.get_template("official.html.j2").render(d=d, css=css, body=body, annexes=shown, block=macro)


def print_css(d: Official, *, first_page: int = 0, landscape: bool = False) -> str:
    fonts = [
        {"url": _css_string(p.resolve().as_uri()), "weight": _STYLE[k][0], "style": _STYLE[k][1]}
        for k, p in serif_font_files().items()
    ]
    tpl = _env(html=False).get_template("print.css.j2")
    return tpl.render(
        fonts=fonts, sample=d.sample, mark=_css_string(d.sample_mark), first_page=first_page, landscape=landscape
    )


def render_pdf(d: Official) -> bytes:
    """PDF bytes: the body, then each annex on pages of its own orientation, numbered on.

    WeasyPrint lays a document out at the width of its first page, so a landscape annex
    is rendered as a document of its own and the pages are joined. Deterministic for the
    same document (WeasyPrint writes no date by itself)."""
    import weasyprint

    pdf_png.install()  # no chart in it today; an image added later is treated as the assessment's
    pdf_ua.install()  # the same stylesheet as the assessment's PDFs, whichever is made first
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"))

    def part(html: str, css: str):
        return weasyprint.HTML(string=html, url_fetcher=fetcher).render(
            stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)]
        )

    main = part(render_html(d, annexes=[]), print_css(d))
    pages = list(main.pages)
    for ax in d.annexes:
        doc = part(
            render_html(d, body=False, annexes=[ax]),
            print_css(d, first_page=len(pages) + 1, landscape=ax.landscape),
        )
        pages += doc.pages
    return main.copy(pages).write_pdf()
