"""The printed report: the report's HTML laid out by WeasyPrint on A4, fonts embedded.

The PDF uses DejaVu Sans as shipped inside matplotlib (a cchc dependency), so Vietnamese
text prints and copies the same on every machine; fetching is limited to ``file:`` and
``data:`` URLs.
"""

from __future__ import annotations

import contextlib
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import jinja2

from cchc_lib.i18n import fmt
from cchc_lib.report import pdf_png, pdf_ua
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


def _import_weasyprint() -> None:
    with contextlib.suppress(Exception):  # the PDF step imports it again and says what is wrong
        import weasyprint  # noqa: F401


def preload() -> None:
    """Import WeasyPrint in a background thread (about half a second of CPU) while this
    process only waits for the notebook's kernel, so the PDF step after it does not pay it."""
    threading.Thread(target=_import_weasyprint, name="cchc-weasyprint-import", daemon=True).start()


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


def _sources(html: str, lang: str, running_head: str, base_url) -> dict[str, str]:
    """What WeasyPrint is given for one PDF: the base URL, the PDF stylesheet and (for the
    child process, which imports no cchc module) the files of :mod:`.pdf_png` and :mod:`.pdf_ua`."""
    base = Path(base_url) if base_url else TEMPLATES
    return {
        "base_url": base.resolve().as_uri() + "/",
        "css": pdf_css(lang, running_head),
        "patches": [pdf_png.__file__, pdf_ua.__file__],
    }


def html_to_pdf(
    html: str, *, lang: str = "vi", running_head: str = "", base_url: str | os.PathLike | None = None
) -> bytes:
    """Render a report's HTML to PDF bytes with WeasyPrint (print medium + :func:`pdf_css`).

    Deterministic: the same HTML gives the same bytes (no dates, no random identifier,
    fixed font timestamps).
    """
    import weasyprint

    pdf_png.install()
    pdf_ua.install()
    fetcher = _offline_fetcher()
    src = _sources(html, lang, running_head, base_url)
    document = weasyprint.HTML(string=html, base_url=src["base_url"], url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=src["css"], url_fetcher=fetcher)
    with _fixed_font_timestamps():
        return document.write_pdf(stylesheets=[stylesheet])


# -- a PDF made in a child process, beside the one made here ------------------------------------

# WeasyPrint holds the GIL for most of its work, so two PDFs in two threads take longer than
# one after the other; a second process makes the appendices' PDF on the other core while
# this one makes the report's. The child imports WeasyPrint only (not cchc_lib and pandas:
# half the start-up) and does exactly what html_to_pdf does (pdf_png and pdf_ua included,
# loaded by their paths), so the bytes are the same.
# It takes its job file from argv, or, started ahead as a PdfWorker, from one line of stdin
# (an empty line or end of input: no job, it ends). "-P": the child's working folder never
# shadows a library module.
_CHILD = """\
import importlib.util, json, sys
import weasyprint
args = [a for a in sys.argv[1:] if a != "--probe"]
if "--probe" in sys.argv:  # a worker also answers "can this machine make PDFs?" (check_pdf_support)
    weasyprint.HTML(string="<p>Tiếng Việt</p>").write_pdf()
    print("ok", flush=True)
spec = args[0] if args else sys.stdin.readline().strip()
if not spec:
    sys.exit(0)
job = json.loads(open(spec, encoding="utf-8").read())
for n, path in enumerate(job["patches"]):
    found = importlib.util.spec_from_file_location(f"cchc_pdf_patch{n}", path)
    found.loader.exec_module(mod := importlib.util.module_from_spec(found))
    mod.install()
fetch = weasyprint.URLFetcher(allowed_protocols=("file", "data"))
html = open(job["html"], encoding="utf-8").read()
css = weasyprint.CSS(string=job["css"], url_fetcher=fetch)
pdf = weasyprint.HTML(string=html, base_url=job["base_url"], url_fetcher=fetch).write_pdf(stylesheets=[css])
open(job["pdf"], "wb").write(pdf)
"""


def _spawn(args: list[str], folder: Path, log: Path, stdin, stdout=None):
    """The child process running :data:`_CHILD` in ``folder``, its stderr in ``log``."""
    import subprocess
    import sys

    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH"):  # as _fixed_font_timestamps does here
        env["SOURCE_DATE_EPOCH"] = FONT_TIMESTAMP
    with open(log, "wb") as err:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-P", "-c", _CHILD, *args],
            stdin=stdin,
            stdout=subprocess.DEVNULL if stdout is None else stdout,
            stderr=err,
            cwd=str(folder),
            env=env,
        )


class PdfChild:
    """A PDF being made by a child process (:func:`start_pdf`); ``wait()`` or ``stop()`` it."""

    def __init__(self, proc, pdf: Path, log: Path):
        self.proc, self.pdf, self.log = proc, pdf, log

    def wait(self) -> Path:
        """The PDF once written; RuntimeError with the child's last words when it failed."""
        code = self.proc.wait()
        if code != 0 or not self.pdf.is_file():
            said = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            from cchc_lib.i18n import t

            raise RuntimeError(t("pdf.child_failed", "vi", code=code, said=said[-1] if said else "—"))
        return self.pdf

    def stop(self) -> None:
        """Kill a child still running (the run failed or was interrupted); no-op once it ended."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class PdfWorker:
    """A child started ahead (while the notebook runs) that imports WeasyPrint and waits for
    one job: :func:`start_pdf` hands it over, so the appendices' PDF, the last thing a run
    waits for, does not begin with the import (about half a second of CPU, more on a busy
    machine). A run ``stop()``s it at its end, given a job or not.

    ``probe``: it first writes a one-line PDF and says so (:meth:`support`), which answers
    :func:`check_pdf_support` without a process of its own (``cchc report`` starts its
    worker before loading the inputs)."""

    def __init__(self, folder: Path, probe: bool = False):
        import subprocess

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = self.folder / "worker.log"
        out = subprocess.PIPE if probe else None
        self.proc = _spawn(["--probe"] if probe else [], self.folder, self.log, subprocess.PIPE, out)
        self.probed = probe
        self.used = False

    def support(self, timeout: float = 120) -> tuple[int | None, str]:
        """What :func:`probe_pdf_support` answers, from this worker's own one-line PDF:
        (0, "") when it wrote it; (exit code, what it wrote) when it ended instead; None on timeout."""
        if not self.probed:
            raise ValueError("this PdfWorker was started without probe=True")
        said: list[bytes] = []
        reader = threading.Thread(target=lambda: said.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not said:
            return None, ""
        if said[0].strip() == b"ok":
            return 0, ""
        return self.proc.wait(), self.log.read_text(encoding="utf-8", errors="replace")

    def give(self, spec: Path):
        """The process, now writing the PDF of ``spec``; None when it cannot take it (given
        a job already, or ended: its import failed), and the caller starts a child itself."""
        if self.used or self.proc.poll() is not None:
            return None
        self.used = True
        try:
            self.proc.stdin.write(f"{spec}\n".encode())
            self.proc.stdin.close()
        except OSError:  # it ended meanwhile
            return None
        return self.proc

    def stop(self) -> None:
        """End it, whatever it is doing (a PDF it was given is waited for by its PdfChild);
        closing its input alone would end an idle one, but only once its import is done."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_pdf(
    html: str,
    pdf: Path,
    *,
    lang: str = "vi",
    running_head: str = "",
    base_url: str | os.PathLike | None = None,
    worker: PdfWorker | None = None,
) -> PdfChild:
    """Start writing ``pdf`` from ``html`` in a child process (``worker`` when it can take it);
    the HTML, job and log files are kept beside ``pdf`` (a staging folder, removed with it)."""
    import json
    import subprocess

    pdf = Path(pdf).resolve()  # the worker runs in a folder of its own
    pdf.parent.mkdir(parents=True, exist_ok=True)
    job = {"html": str(pdf.with_suffix(".src.html")), "pdf": str(pdf), **_sources(html, lang, running_head, base_url)}
    Path(job["html"]).write_text(html, encoding="utf-8")
    spec = pdf.with_suffix(".job.json")
    spec.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    proc = worker.give(spec) if worker is not None else None
    if proc is not None:
        return PdfChild(proc, pdf, worker.log)
    log = pdf.with_suffix(".log")
    return PdfChild(_spawn([str(spec)], pdf.parent, log, subprocess.DEVNULL), pdf, log)


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


def probe_pdf_support(timeout: float = 120, worker: PdfWorker | None = None) -> tuple[int | None, str]:
    """(exit code, stderr) of a child process that writes a one-line PDF; None on timeout.
    ``worker``: a :class:`PdfWorker` started with ``probe=True`` answers instead."""
    import subprocess
    import sys

    if worker is not None:
        return worker.support(timeout)
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


def check_pdf_support(worker: PdfWorker | None = None) -> None:
    """Raise :class:`PdfSupportError` with the fix when WeasyPrint cannot run here
    (``worker``: asked of that :class:`PdfWorker` rather than of a child of its own)."""
    code, err = probe_pdf_support(worker=worker) if worker is not None else probe_pdf_support()
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
