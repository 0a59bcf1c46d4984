"""The printed report: the report's HTML laid out by WeasyPrint on A4, fonts embedded.

The PDF uses DejaVu Sans as shipped inside matplotlib (a cchc dependency), so Vietnamese
text prints and copies the same on every machine; fetching is limited to ``file:`` and
``data:`` URLs.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import jinja2

from cchc_lib.i18n import fmt
from cchc_lib.report.formats import TEMPLATES, WORDS


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


# When WeasyPrint subsets fonts with fontTools (no HarfBuzz-subset library on the machine),
# fontTools stamps each subset font's head.modified with the current time, so two runs a
# second apart differ by a few bytes. fontTools takes that time from SOURCE_DATE_EPOCH
# when it is set (the reproducible-builds.org convention): it is set to this value while
# a PDF is written, unless the caller set it already.
FONT_TIMESTAMP = "0"  # 1970-01-01: a constant, so every machine stamps the same
_env_lock = threading.Lock()


@contextmanager
def _fixed_font_timestamps():
    with _env_lock:
        if os.environ.get("SOURCE_DATE_EPOCH"):
            yield
            return
        os.environ["SOURCE_DATE_EPOCH"] = FONT_TIMESTAMP
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def html_to_pdf(
    html: str, *, lang: str = "vi", running_head: str = "", base_url: str | os.PathLike | None = None
) -> bytes:
    """Render a report's HTML to PDF bytes with WeasyPrint (print medium + :func:`pdf_css`).

    Deterministic: the same HTML gives the same bytes (no dates, no random identifier,
    fixed font timestamps).
    """
    import weasyprint

    fetcher = _offline_fetcher()
    base = Path(base_url) if base_url else TEMPLATES
    document = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=pdf_css(lang, running_head), url_fetcher=fetcher)
    with _fixed_font_timestamps():
        return document.write_pdf(stylesheets=[stylesheet])


# -- can this machine make PDFs? ---------------------------------------------------------------

# WeasyPrint needs Pango (a system library, not a Python package) and at least one font
# known to fontconfig: without Pango the import fails with "cannot load library", without
# any font WeasyPrint crashes the process (a segmentation fault), even with the bundled
# fonts given by @font-face. A one-line PDF made in a child process finds both before a
# kernel starts (WeasyPrint alone: importing cchc_lib would double the time).
_PROBE = "import weasyprint; weasyprint.HTML(string='<p>Tiếng Việt</p>').write_pdf()"
PDF_HELP = (
    "Cách khắc phục — cài các thư viện hệ thống WeasyPrint cần:\n"
    "  Debian/Ubuntu: sudo apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core\n"
    "  conda: conda install -c conda-forge pango fonts-conda-ecosystem\n"
    "Trong lúc chờ, báo cáo HTML vẫn lập được: thêm --formats html vào lệnh cchc report."
)


class PdfSupportError(RuntimeError):
    """This machine cannot make PDFs (missing system library or fonts); says how to fix it."""


def probe_pdf_support(timeout: float = 120) -> tuple[int | None, str]:
    """(exit code, stderr) of a child process that writes a one-line PDF; None on timeout."""
    import subprocess
    import sys

    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, ""
    return proc.returncode, proc.stderr


def check_pdf_support() -> None:
    """Raise :class:`PdfSupportError` with the fix when WeasyPrint cannot run here."""
    code, err = probe_pdf_support()
    if code in (0, None):  # None: a slow machine; the run itself will tell
        return
    last = next((line.strip() for line in reversed(err.splitlines()) if line.strip()), "")
    if "cannot load library" in err or "OSError" in last:
        raise PdfSupportError(
            "Không tạo được PDF: máy này thiếu thư viện hệ thống Pango mà WeasyPrint (công cụ in PDF) "
            f"cần.\nChi tiết: {last}\n{PDF_HELP}"
        )
    crashed = code < 0 or code == 0xC0000005  # killed by a signal (POSIX) / access violation (Windows)
    if crashed or "No fonts configured" in err:  # what WeasyPrint does without any font
        raise PdfSupportError(
            "Không tạo được PDF: WeasyPrint (công cụ in PDF) dừng đột ngột — máy này chưa có phông chữ "
            f"nào (fontconfig không thấy phông).\n{PDF_HELP}"
        )
    raise PdfSupportError(
        f"Không tạo được PDF: WeasyPrint (công cụ in PDF) không chạy được.\nChi tiết: {last}\n{PDF_HELP}"
    )
