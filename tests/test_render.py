"""Rendering pipeline: papermill run, self-contained HTML, printable PDF, atomic output, index.

One small notebook (built here with nbformat) is executed once per language for the whole
module; most assertions read those shared results. Text is read back from the PDF with
whatever is installed (pypdf, pdfminer, poppler's pdftotext); without any of them the
check falls back to WeasyPrint's own layout of the same HTML plus a look for the
embedded fonts and their ToUnicode maps inside the PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cchc_lib.report import exporters, run
from cchc_lib.report.html import finish_html
from cchc_lib.report.index import human_size, write_index
from cchc_lib.report.pdf import PdfSupportError, check_pdf_support, html_to_pdf, pdf_css
from cchc_lib.report.run import ReportError, run_report

HEADER_VI = {
    "commune": "xã Hải Dương",
    "period_label": "Quý II/2024",
    "lang": "vi",
    "title": "Báo cáo đánh giá CCHC Quý II/2024",
}
HEADER_EN = {
    "commune": "Hai Duong commune",
    "period_label": "Q2 2024",
    "lang": "en",
    "title": "Administrative reform assessment, Q2 2024",
}
RECORD = {"plan_id": "hai-duong-2024", "period": "2024-Q2", "cutoff": "nd09", "sample": True}

TABLE_HTML = (
    '<h2 id="sec-1">I. Công tác chỉ đạo, điều hành</h2>\n'
    "<p>Trong quý, UBND xã đã ban hành 3 văn bản chỉ đạo.</p>\n"
    "<h3>1. Kết quả tiếp nhận hồ sơ</h3>\n"
    "<table><thead><tr><th>Tổ dân phố</th><th>Số hồ sơ</th><th>Tỷ lệ đúng hạn</th></tr></thead>"
    "<tbody><tr><td>Tổ 1 &amp; Tổ 2</td><td>1.234</td><td>98,5%</td></tr>"
    "<tr><td>Thôn Thuận Hòa</td><td>56</td><td>100,0%</td></tr></tbody></table>"
)
FIGURE_CODE = """\
import io
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import Image, display
fig, ax = plt.subplots(figsize=(5, 2.5))
ax.bar(["Quý I", "Quý II"], [42.3, 57.1])
ax.set_title("Tỷ lệ hồ sơ trực tuyến (%)")
buf = io.BytesIO()
fig.savefig(buf, format="png", dpi=80)
plt.close(fig)
display(Image(data=buf.getvalue(), format="png"))
"""
FAILING_CELL = 5  # index of the `if boom:` cell in the notebook below


def make_notebook(path: Path) -> Path:
    cells = [
        new_code_cell('lang = "vi"\nboom = False', metadata={"tags": ["parameters"]}),
        new_code_cell(f"from IPython.display import HTML, display\ndisplay(HTML({TABLE_HTML!r}))"),
        new_code_cell(FIGURE_CODE),
        new_code_cell(
            'import warnings\nwarnings.warn("LỜI CẢNH BÁO KHÔNG ĐƯỢC IN")\n'
            'print("Ghi chú: số liệu tính đến 14/06/2024")'
        ),
        new_markdown_cell("## II. Kết quả thực hiện các nhiệm vụ\n\nĐoạn văn có **chữ đậm**."),
        new_code_cell("if boom:\n    1 / 0", metadata={"tags": ["kiem-tra"]}),
    ]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, path)
    return path


# -- PDF reading helpers ----------------------------------------------------------------


def _pdf_streams(data: bytes) -> bytes:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return b"\n".join(out)


def pdf_text(path: Path) -> str | None:
    """Text extracted from the PDF by a real extractor, or None when none is installed."""
    try:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        return extract_text(str(path))
    except ImportError:
        pass
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
    return None


def pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    except ImportError:
        pass
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    return None


def layout_text_and_pages(html: str, header: dict) -> tuple[str, int]:
    """The PDF's text and page count as WeasyPrint lays it out (fallback)."""
    import weasyprint

    running = f"{header['commune']} — {header['period_label']}"
    doc = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=pdf_css(header["lang"], running))])
    words = []
    for page in doc.pages:
        for box in page._page_box.descendants():
            if getattr(box, "text", None):
                words.append(box.text)
    return " ".join(words), len(doc.pages)


def check_pdf(pdf: Path, html: Path, header: dict, expected: list[str], pages_in: range = range(1, 3)) -> None:
    """A PDF with the expected text, a page count in ``pages_in``, and a last page numbered N of N."""
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    text, pages = pdf_text(pdf), pdf_pages(pdf)
    if text is None or pages is None:
        text, pages = layout_text_and_pages(html.read_text(encoding="utf-8"), header)
        streams = _pdf_streams(data)
        assert b"/FontFile2" in streams and b"/ToUnicode" in streams  # embedded, extractable
    assert pages in pages_in, pages
    text = " ".join(text.split())
    assert (f"Trang {pages}/{pages}" if header["lang"] == "vi" else f"Page {pages} of {pages}") in text
    for snippet in expected:
        assert snippet in text, snippet


# -- shared runs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    (root / "notebooks").mkdir()
    nb = make_notebook(root / "notebooks" / "test_report.ipynb")
    reports = root / "reports"
    out_dir = reports / "hai-duong-2024" / "2024-Q2"
    vi = run_report(
        nb,
        {"lang": "vi", "boom": False},
        out_dir,
        stem="bao-cao-2024-Q2-vi",
        header=HEADER_VI,
        progress=False,
        record=RECORD,
    )
    en = run_report(
        nb,
        {"lang": "en", "boom": False},
        out_dir,
        stem="bao-cao-2024-Q2-en",
        header=HEADER_EN,
        progress=False,
        record=RECORD,
    )
    return {"root": root, "nb": nb, "reports": reports, "out_dir": out_dir, "vi": vi, "en": en}


@pytest.fixture(scope="module")
def html_vi(site) -> str:
    return site["vi"].html.read_text(encoding="utf-8")


# -- run_report: files ------------------------------------------------------------------


@pytest.mark.slow
def test_result_paths_sizes_and_timings(site):
    res = site["vi"]
    out_dir = site["out_dir"]
    for key in ("notebook", "html", "pdf"):
        path = getattr(res, key)
        assert path.parent == out_dir and path.is_file()
        assert res.sizes[key] == path.stat().st_size > 0
    assert res.notebook.name == "bao-cao-2024-Q2-vi.ipynb"
    assert set(res.seconds) >= {"execute", "html", "pdf", "total"}
    assert all(v >= 0 for v in res.seconds.values())
    # staging removed, nothing left beside the reports
    assert not [p for p in out_dir.parent.iterdir() if p.name.startswith(".staging")]
    assert not list(out_dir.glob(".*"))
    # the executed notebook carries the header, so nbconvert alone can redo the export
    assert nbformat.read(res.notebook, as_version=4).metadata["cchc"]["commune"] == "xã Hải Dương"


@pytest.mark.slow
def test_sidecar_json(site):
    data = json.loads(site["vi"].sidecar.read_text(encoding="utf-8"))
    assert data["kind"] == "cchc-report"
    assert (data["plan_id"], data["period"], data["cutoff"], data["lang"]) == (
        "hai-duong-2024",
        "2024-Q2",
        "nd09",
        "vi",
    )
    assert data["commune"] == "xã Hải Dương" and data["period_label"] == "Quý II/2024"
    assert data["sample"] is True
    assert data["files"] == {
        "notebook": "bao-cao-2024-Q2-vi.ipynb",
        "html": "bao-cao-2024-Q2-vi.html",
        "pdf": "bao-cao-2024-Q2-vi.pdf",
    }
    assert data["sizes"]["pdf"] == site["vi"].pdf.stat().st_size
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data["generated_at"])


# -- HTML -------------------------------------------------------------------------------


def test_html_content(html_vi):
    assert html_vi.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html_vi
    assert '<meta charset="utf-8"' in html_vi
    assert 'name="viewport"' in html_vi
    assert "<title>Báo cáo đánh giá CCHC Quý II/2024</title>" in html_vi
    assert "xã Hải Dương — Quý II/2024" in html_vi
    assert '<h2 id="sec-1">I. Công tác chỉ đạo, điều hành</h2>' in html_vi
    assert "Tổ 1 &amp; Tổ 2" in html_vi  # escaped by the notebook, not unescaped here
    assert re.search(r'<img [^>]*src="data:image/png;base64,[A-Za-z0-9+/]{100,}', html_vi)
    assert "Ghi chú: số liệu tính đến 14/06/2024" in html_vi  # stdout kept
    assert "Đoạn văn có <strong>chữ đậm</strong>" in html_vi  # Markdown cell rendered


def test_html_has_no_code_prompts_parameters_or_stderr(html_vi):
    for banned in (
        "injected-parameters",
        "boom = ",
        "boom",
        "In&nbsp;[",
        "Out[",
        "In [",
        "jp-InputPrompt",
        "jp-OutputPrompt",
        "display(HTML",
        "import warnings",
        "LỜI CẢNH BÁO",
        "UserWarning",
        "<Figure size",
    ):
        assert banned not in html_vi, banned


def test_html_is_offline(html_vi):
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html_vi, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", html_vi, re.I)
    assert "require.js" not in html_vi.lower() and "mathjax" not in html_vi.lower()
    assert "<script" not in html_vi and "<link" not in html_vi
    assert "Content-Security-Policy" in html_vi


def test_html_toc_phone_and_print(html_vi):
    toc = re.search(r'<nav [^>]*class="toc".*?</nav>', html_vi, re.S).group(0)
    assert html_vi.index(toc) < html_vi.index('<h2 id="sec-1">')  # at the top
    assert '<a href="#sec-1">I. Công tác chỉ đạo, điều hành</a>' in toc
    # a heading without an id gets one, and the TOC links to it (h3 nested under its h2)
    h3_id = re.search(r'<h3 id="([^"]+)">1\. Kết quả tiếp nhận hồ sơ</h3>', html_vi).group(1)
    assert f'<a href="#{h3_id}">1. Kết quả tiếp nhận hồ sơ</a>' in toc
    assert "II. Kết quả thực hiện các nhiệm vụ" in toc
    assert re.search(r'<div class="table-wrap"><table', html_vi)
    assert "overflow-x: auto" in html_vi and "max-width: 100%" in html_vi
    assert '<style media="print">' in html_vi and "break-inside: avoid" in html_vi
    assert '<style media="screen">' in html_vi and "@media (max-width: 600px)" in html_vi
    assert "system-ui" in html_vi and "file://" not in html_vi


def test_html_in_english(site):
    html = site["en"].html.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Contents" in html
    assert "<title>Administrative reform assessment, Q2 2024</title>" in html


def test_html_export_is_reproducible(site, html_vi):
    nb = nbformat.read(site["vi"].notebook, as_version=4)
    again, _ = exporters.CchcHTMLExporter().from_notebook_node(
        nb, resources={"metadata": {"path": str(site["nb"].parent), "name": "x"}}
    )
    assert again == html_vi
    assert "generated_at" not in html_vi


# -- PDF --------------------------------------------------------------------------------


def test_pdf_vietnamese(site):
    check_pdf(
        site["vi"].pdf,
        site["vi"].html,
        HEADER_VI,
        ["Công tác chỉ đạo, điều hành", "Trang 1/", "Tổ 1 & Tổ 2", "Kết quả tiếp nhận hồ sơ"],
    )


def test_pdf_english_page_label(site):
    check_pdf(site["en"].pdf, site["en"].html, HEADER_EN, ["Page 1 of"])


def test_pdf_fonts_are_the_bundled_ones(site):
    streams = _pdf_streams(site["vi"].pdf.read_bytes())
    assert b"DejaVu" in streams
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(site["vi"].pdf)], capture_output=True, text=True).stdout
        rows = [line for line in out.splitlines()[2:] if line.strip()]
        assert rows and all(" yes yes yes " in row for row in rows)  # embedded, subset, ToUnicode


@pytest.mark.slow
def test_pdf_running_header_on_later_pages(tmp_path):
    body = "".join(f"<h2>Mục {i}</h2>" + "<p>Nội dung báo cáo cải cách hành chính.</p>" * 12 for i in range(1, 8))
    html = finish_html(f'<html lang="vi"><body><!--cchc:toc--><main>{body}</main></body></html>')
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(html_to_pdf(html, lang="vi", running_head="xã Hải Dương — Quý II/2024"))
    html_file = tmp_path / "long.html"
    html_file.write_text(html, encoding="utf-8")
    check_pdf(pdf, html_file, HEADER_VI, ["xã Hải Dương — Quý II/2024", "Trang 2/", "Mục 7"], range(2, 8))
    assert html_to_pdf(html, lang="vi", running_head="x") == html_to_pdf(html, lang="vi", running_head="x")


def test_pdf_bytes_do_not_depend_on_the_clock(monkeypatch):
    # Without HarfBuzz-subset, fontTools stamps every subset font with the current time.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    html = finish_html('<html lang="vi"><body><main><h2>Mục 1</h2><p>Cải cách hành chính</p></main></body></html>')
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
    first = html_to_pdf(html, lang="vi", running_head="xã Hải Dương")
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    second = html_to_pdf(html, lang="vi", running_head="xã Hải Dương")
    assert first == second
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set only while the PDF is written


@pytest.mark.slow
def test_pdf_support_check_passes_where_weasyprint_works():
    check_pdf_support()  # this machine makes the PDFs of the tests above


@pytest.mark.slow
def test_pdf_support_check_finds_a_machine_without_fonts(tmp_path, monkeypatch):
    # fontconfig that knows no font: WeasyPrint would crash the report's process
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>\n')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    with pytest.raises(PdfSupportError) as info:
        check_pdf_support()
    msg = str(info.value)
    assert "chưa có phông chữ" in msg and "fonts-dejavu-core" in msg and "--formats html" in msg


def test_pdf_css():
    css = pdf_css("vi", 'xã "A" — Quý II/2024')
    assert "size: A4" in css and "margin: 2.3cm 2cm 2cm 2cm" in css
    assert '"Trang " counter(page) "/" counter(pages)' in css
    assert 'content: "xã \\"A\\" — Quý II/2024"' in css
    assert "file://" in css and "DejaVuSans.ttf" in css and "DejaVuSans-Bold.ttf" in css
    assert '"Page " counter(page) " of " counter(pages)' in pdf_css("en")


# -- failures ---------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_failing_cell_keeps_previous_report(site):
    before = _snapshot(site["reports"])
    with pytest.raises(ReportError) as info:
        run_report(
            site["nb"],
            {"lang": "vi", "boom": True},
            site["out_dir"],
            stem="bao-cao-2024-Q2-vi",
            header=HEADER_VI,
            progress=False,
            record=RECORD,
        )
    err = info.value
    msg = str(err)
    assert msg.startswith("Không tạo được báo cáo")  # Vietnamese first
    assert f"ô số {FAILING_CELL}" in msg and "kiem-tra" in msg and "if boom:" in msg
    assert "ZeroDivisionError: division by zero" in msg
    kept = site["out_dir"] / "_loi" / "bao-cao-2024-Q2-vi.ipynb"
    assert err.kept_notebook == kept and kept.is_file() and str(kept) in msg
    assert (err.cell_index, err.ename) == (FAILING_CELL, "ZeroDivisionError")
    after = _snapshot(site["reports"])
    after.pop("hai-duong-2024/2024-Q2/_loi/bao-cao-2024-Q2-vi.ipynb")
    assert after == before  # every earlier file byte-identical, index included
    assert not [p for p in site["out_dir"].parent.iterdir() if p.name.startswith(".staging")]


@pytest.mark.slow
def test_export_failure_keeps_previous_report(site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint hỏng")

    monkeypatch.setattr(run, "html_to_pdf", broken)
    before = _snapshot(site["out_dir"])
    before = {k: v for k, v in before.items() if not k.startswith("_loi/")}
    with pytest.raises(ReportError) as info:
        run_report(
            site["nb"],
            {"lang": "en", "boom": False},
            site["out_dir"],
            stem="bao-cao-2024-Q2-en",
            header=HEADER_EN,
            progress=False,
            record=RECORD,
        )
    msg = str(info.value)
    assert msg.startswith("Không xuất được báo cáo") and "PDF" in msg and "WeasyPrint hỏng" in msg
    after = {k: v for k, v in _snapshot(site["out_dir"]).items() if not k.startswith("_loi/")}
    assert after == before
    assert (site["out_dir"] / "_loi" / "bao-cao-2024-Q2-en.ipynb").is_file()
    assert not [p for p in site["out_dir"].parent.iterdir() if p.name.startswith(".staging")]


# -- index ------------------------------------------------------------------------------


def test_index_lists_both_reports(site):
    index = site["reports"] / "index.html"
    assert site["en"].index == index
    html = index.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Danh sách báo cáo" in html
    assert 'href="hai-duong-2024/2024-Q2/bao-cao-2024-Q2-vi.html"' in html
    assert 'href="hai-duong-2024/2024-Q2/bao-cao-2024-Q2-en.pdf"' in html
    assert html.index("bao-cao-2024-Q2-vi.html") < html.index("bao-cao-2024-Q2-en.html")  # vi first
    assert "DỮ LIỆU MẪU" in html and "Quý II/2024" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|/)""", html)


def test_index_escapes_sorts_and_skips(tmp_path):
    def sidecar(rel: str, **data):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        stem = path.stem
        (path.parent / f"{stem}.html").write_text("x", encoding="utf-8")
        base = {
            "kind": "cchc-report",
            "stem": stem,
            "lang": "vi",
            "cutoff": "nd09",
            "generated_at": "2024-06-20T09:30:00+07:00",
            "files": {"html": f"{stem}.html"},
            "sizes": {"html": 1},
        }
        path.write_text(json.dumps({**base, **data}, ensure_ascii=False), encoding="utf-8")

    sidecar("b-plan/2024-Q3/q3.json", plan_id="b-plan", period="2024-Q3", period_label="Quý III/2024")
    sidecar(
        "a-plan/2024-Q2/q2.json",
        plan_id="a-plan",
        period="2024-Q2",
        period_label="Quý II/2024",
        commune="xã <Hải> & Dương",
    )
    sidecar("a-plan/2024-Q1/q1.json", plan_id="a-plan", period="2024-Q1", period_label="Quý I/2024")
    sidecar("a-plan/2024-Q1/_loi/old.json", plan_id="a-plan", period="2023-Q4", period_label="LỖI")
    (tmp_path / "other.json").write_text('{"not": "a report"}', encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    html = write_index(tmp_path).read_text(encoding="utf-8")
    assert "xã &lt;Hải&gt; &amp; Dương" in html
    assert html.index("Quý I/2024") < html.index("Quý II/2024") < html.index("Quý III/2024")
    assert "LỖI" not in html and "DỮ LIỆU MẪU" not in html
    assert "20/06/2024 09:30" in html


# -- nbconvert entry points -------------------------------------------------------------


@pytest.mark.slow
def test_nbconvert_entry_points(site, tmp_path):
    executed = tmp_path / "executed.ipynb"
    shutil.copy(site["vi"].notebook, executed)
    jupyter = Path(sys.executable).with_name("jupyter")
    procs = [
        subprocess.Popen(
            [str(jupyter), "nbconvert", "--to", fmt, str(executed)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for fmt in ("cchc_html", "cchc_pdf")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode("utf-8", "replace")
    html = (tmp_path / "executed.html").read_text(encoding="utf-8")
    assert html == site["vi"].html.read_text(encoding="utf-8")  # same pipeline, same bytes
    pdf = tmp_path / "executed.pdf"
    check_pdf(pdf, tmp_path / "executed.html", HEADER_VI, ["Công tác chỉ đạo", "Trang 1/"])


# -- small pieces -----------------------------------------------------------------------


def test_human_size():
    assert human_size(532) == "532 B"
    assert human_size(1_258_291) == "1,2 MB"
    assert human_size(1_258_291, "en") == "1.2 MB"
    assert human_size(49_459) == "48,3 KB"
    assert human_size(1024 * 1024 - 1) == "1,0 MB"
    assert human_size(1_029_325) == "1,0 MB"  # not "1.005,2 KB"
    assert human_size(999) == "999 B" and human_size(1023) == "1,0 KB"


def test_finish_html_strips_network_references(tmp_path):
    (tmp_path / "local.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    raw = """<html><head>
<script src="https://cdnjs.cloudflare.com/require.js"></script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<style>@import url("https://x.example/a.css"); body{background:url(http://x.example/b.png)}</style>
</head><body><!--cchc:toc--><main>
<h2>Tổng quan</h2><h2>Tổng quan</h2>
<p><a href="https://dichvucong.gov.vn">Cổng Dịch vụ công</a> <a href="#tong-quan">nội bộ</a></p>
<img src="https://x.example/c.png" alt="ảnh ngoài"><img src="local.png">
<div style="background-image: url('//x.example/d.png')">x</div>
</main></body></html>"""
    out = finish_html(raw, base_dir=tmp_path)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", out)
    assert "@import" not in out and "url(http" not in out and "//x.example" not in out
    assert "Cổng Dịch vụ công (https://dichvucong.gov.vn)" in out  # shown as text, not a link
    assert 'src="data:image/png;base64,' in out
    assert '<h2 id="tong-quan">' in out and '<h2 id="tong-quan-2">' in out
    assert '<a href="#tong-quan-2">' in out


def test_finish_html_own_title_block_keep_with_next_and_wide_tables():
    raw = """<html lang="vi"><body><div class="report">
<header class="report-head"><p class="report-meta">xã Hải Dương — Quý II/2024</p>
<h1 class="report-title">T</h1></header>
<!--cchc:toc-->
<main class="report-body">
<div class="cchc-report"><h1 class="cchc-title">BÁO CÁO</h1><ul><li>Kỳ báo cáo</li></ul></div>
<div class="cchc-report"><h2 id="muc-2">II. Kết quả</h2></div>
<figure class="cchc-figure"><img src="data:image/png;base64,iVBORw0KGgo=" alt="x"></figure>
<p><strong>Bảng chỉ tiêu</strong></p>
<table><tr><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th><th>6</th></tr></table>
<table><tr><td>a</td><td>b</td></tr></table>
</main></div></body></html>"""
    out = finish_html(raw)
    assert "report-head" not in out and "xã Hải Dương — Quý II/2024" not in out  # notebook's own title wins
    toc = out.index('class="toc"')
    assert out.index("BÁO CÁO") < toc < out.index('id="muc-2"')  # after the title block, before I.
    assert re.search(r'<div class="cchc-report keep-with-next">\s*<h2 id="muc-2">', out)
    assert re.search(r'<p class="keep-with-next"><strong>Bảng chỉ tiêu', out)
    assert re.search(r'<div class="table-wrap"><table class="cols-many">', out)
    assert re.search(r'<div class="table-wrap"><table>', out)
