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


def render_html(d: Official, page_css: str = "") -> str:
    """Self-contained HTML (one inline stylesheet, no scripts, fonts or external links)."""
    env = _env()
    css = resources.files("cchc_lib.report").joinpath("templates/official/official.css").read_text(encoding="utf-8")
    macro = env.get_template("blocks.html.j2").module.block
    return env.get_template("official.html.j2").render(d=d, css=css, page_css=page_css, block=macro)


def print_css(d: Official) -> str:
    fonts = [
        {"url": _css_string(p.resolve().as_uri()), "weight": _STYLE[k][0], "style": _STYLE[k][1]}
        for k, p in serif_font_files().items()
    ]
    tpl = _env(html=False).get_template("print.css.j2")
    return tpl.render(fonts=fonts, sample=d.sample, mark=_css_string(d.sample_mark))


def render_pdf(d: Official, html: str | None = None) -> bytes:
    """PDF bytes; deterministic for the same document (WeasyPrint writes no date by itself)."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"))
    page = html if html is not None else render_html(d)
    document = weasyprint.HTML(string=page, url_fetcher=fetcher)
    sheet = weasyprint.CSS(string=print_css(d), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[sheet])
