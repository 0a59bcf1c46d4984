"""The assessment as a reader gets it: appendices in their own "Phụ lục" file, phone and wide screens."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cchc_lib import cli
from cchc_lib.report import annex, run

STEM = "bao-cao-cchc_hai-duong-2024_2024-Q2_nd09_vi_du-lieu-mau"
ANNEX_IDS = ("pl-chi-tieu", "pl-nhiem-vu", "pl-so-lieu", "pl-ra-soat", "pl-phuong-phap")


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """The sample assessment through the CLI, HTML only, appendices as by default."""
    out = tmp_path_factory.mktemp("reports")
    args = ["report", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", "sample"]
    assert cli.main([*args, "--only", "assessment", "--formats", "html", "--out", str(out), "--quiet"]) == 0
    return out, out / "hai-duong-2024" / "2024-Q2"


@pytest.mark.slow
@pytest.mark.notebook
def test_cli_writes_the_appendices_to_their_own_file(cli_run):
    out, folder = cli_run
    main = (folder / f"{STEM}.html").read_text(encoding="utf-8")
    annex_file = folder / f"{STEM}_phu-luc.html"
    text = annex_file.read_text(encoding="utf-8")
    for anchor in ANNEX_IDS:
        assert f'id="{anchor}"' in text and f'id="{anchor}"' not in main
    # the main document names and links the annex; the annex says what it is, and that it is sample data
    assert f'<a href="{annex_file.name}">{annex_file.name}</a>' in main
    assert re.search(r"<title>Phụ lục — DỮ LIỆU MẪU — [^<]*Quý II/2024", text)
    assert "I. Công tác chỉ đạo, điều hành" in main and "I. Công tác chỉ đạo, điều hành" not in text
    sidecar = json.loads((folder / f"{STEM}.json").read_text(encoding="utf-8"))
    assert sidecar["files"]["annex_html"] == annex_file.name
    assert sidecar["sizes"]["annex_html"] == annex_file.stat().st_size
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"hai-duong-2024/2024-Q2/{annex_file.name}" in index and "Phụ lục (HTML)" in index


def _notebook(path):
    cells = [
        new_code_cell('lang = "vi"', metadata={"tags": ["parameters"]}),
        new_code_cell('from IPython.display import HTML\nHTML("<h2>I. Thân bài</h2><p>Nội dung chính.</p>")'),
        new_code_cell('HTML("<h2>Phụ lục</h2><p>Bảng tham chiếu.</p>")', metadata={"tags": ["appendix"]}),
    ]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(new_notebook(cells=cells, metadata=meta), path)
    return path


HEADER = {"commune": "xã Thử", "period_label": "Quý II/2024", "lang": "vi", "title": "Báo cáo thử"}


def _run(nb, out_dir, mode, formats=("html",)):
    return run.run_report(
        nb, {"lang": "vi"}, out_dir, stem="thu", formats=formats, header=HEADER, progress=False, appendices=mode
    )


@pytest.mark.slow
def test_inline_none_and_a_failed_annex_publishes_nothing(tmp_path, monkeypatch):
    nb = _notebook(tmp_path / "thu.ipynb")
    inline = _run(nb, tmp_path / "inline" / "p", "inline")
    assert "Bảng tham chiếu" in inline.html.read_text(encoding="utf-8") and inline.annex == {}
    none = _run(nb, tmp_path / "none" / "p", "none")
    html = none.html.read_text(encoding="utf-8")
    assert "Bảng tham chiếu" not in html and "Nội dung chính" in html and "thu_phu-luc" not in html
    assert sorted(p.name for p in none.html.parent.iterdir()) == ["thu.html", "thu.ipynb", "thu.json"]

    out_dir = tmp_path / "sep" / "p"
    first = _run(nb, out_dir, "separate")
    assert first.annex["html"].name == "thu_phu-luc.html"
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    def failing(job, nb, stem, key, swap):
        if key == "annex_":
            raise RuntimeError("hỏng khi xuất phụ lục")
        return real(job, nb, stem, key, swap)

    real = run._export_one
    monkeypatch.setattr(run, "_export_one", failing)
    with pytest.raises(run.ReportError):
        _run(nb, out_dir, "separate")
    # both or neither: the main document of the failed run was not published either
    assert {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()} == before


def test_split_and_note():
    nb = new_notebook(
        cells=[new_code_cell("a"), new_code_cell("b", metadata={"tags": ["appendix"]})],
        metadata={"cchc": {"title": "T"}},
    )
    main, extra = annex.split(nb, "separate", lang="en", title="T")
    assert [c.source for c in main.cells] == ["a"] and [c.source for c in extra.cells] == ["b"]
    assert extra.metadata["cchc"]["title"] == "Appendices — T" and nb.metadata["cchc"]["title"] == "T"
    assert annex.annex_stem("x", "en") == "x_appendices" and annex.annex_stem("x", "vi") == "x_phu-luc"
    note = annex.note_html("x_appendices", ("html", "pdf"), "en", links=False)
    assert "<strong>x_appendices.pdf</strong>" in note and "<a " not in note
    with pytest.raises(ValueError, match="inline"):
        annex.check_mode("beside")


def _shown(html: str, tags=()):
    cell = new_code_cell("", metadata={"tags": list(tags)})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": ""})]
    return cell


def test_the_annex_file_carries_the_reports_stylesheet_without_the_header():
    """The report's styles are shown by its header cell, which stays in the main file: without
    them the annex's tables lost their widths and badges (Phụ lục B ran to many more pages)."""
    style = "<style>.cchc-report table{width:100%}</style>"
    nb = new_notebook(
        cells=[
            _shown(style + "<div class='cchc-head'>UBND</div>"),
            _shown("<p>thân bài</p>" + style),
            _shown("<table><tr><td>B</td></tr></table>", ["appendix"]),
        ]
    )
    main, extra = annex.split(nb, "separate", lang="vi", title="T")
    assert len(main.cells) == 2
    first, rest = extra.cells[0], extra.cells[1:]
    assert first.outputs[0]["data"]["text/html"] == style  # once, without the header's own markup
    assert [c.outputs[0]["data"]["text/html"] for c in rest] == ["<table><tr><td>B</td></tr></table>"]
    bare = new_notebook(cells=[_shown("<p>x</p>"), _shown("<p>y</p>", ["appendix"])])
    assert len(annex.split(bare, "separate", lang="vi", title="T")[1].cells) == 1  # no style, no extra cell


# -- screens ----------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"

_MEASURE = """() => {
  const doc = document.documentElement;
  const toc = document.querySelector('nav.toc details');
  const tables = [...document.querySelectorAll('.report-body table')].map(t => {
    const wrap = t.parentElement.getBoundingClientRect();
    return {table: t.getBoundingClientRect().width, column: wrap.width, cards: t.classList.contains('as-cards')};
  });
  const row = document.querySelector('table.as-cards tbody tr');
  const cell = row && row.querySelector('td[data-label]');
  const fig = document.querySelector('.cchc-figure');
  return {
    scroll: doc.scrollWidth, viewport: window.innerWidth,
    toc_open: toc ? toc.open : null,
    toc_list_visible: toc ? toc.querySelector('ol').checkVisibility() : null,
    toc_height: toc ? toc.getBoundingClientRect().height : null,
    tables,
    row_display: row && getComputedStyle(row).display,
    thead_height: row && row.closest('table').querySelector('thead').getBoundingClientRect().height,
    label: cell && getComputedStyle(cell, '::before').content,
    label_attr: cell && cell.dataset.label,
    img_width: fig && fig.querySelector('img').getBoundingClientRect().width,
    hint_shown: fig && getComputedStyle(fig.querySelector('.scroll-hint')).display !== 'none',
  };
}"""


def _measure(html_path, width: int, height: int) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} không có (Debian: apt-get install chromium); .ci/run cài sẵn")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("thiếu gói playwright (pip install playwright); .ci/run cài sẵn")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            # offline: only the file itself and its data: images may load
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page.goto(html_path.as_uri())
            return page.evaluate(_MEASURE)
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.notebook
def test_phone_cards_folded_contents_and_no_sideways_scroll(cli_run):
    m = _measure(cli_run[1] / f"{STEM}.html", 390, 844)
    assert m["scroll"] <= m["viewport"] == 390  # the page never scrolls sideways
    # the contents are folded to their one-line title
    assert m["toc_open"] is False and not m["toc_list_visible"] and m["toc_height"] < 60
    assert m["row_display"] == "block" and m["thead_height"] <= 1  # a row is a card, headers hidden
    assert m["label_attr"] and m["label"] == f'"{m["label_attr"]}"'  # each cell says its column
    assert all(t["table"] <= t["column"] + 1 for t in m["tables"] if t["cards"])
    # a chart keeps a legible width (it scrolls inside its figure) and says so
    assert m["img_width"] >= 600 and m["hint_shown"]


@pytest.mark.browser
@pytest.mark.notebook
def test_wide_screen_tables_fit_the_column_and_contents_show(cli_run):
    m = _measure(cli_run[1] / f"{STEM}.html", 1280, 900)
    assert m["scroll"] <= 1280 and m["toc_list_visible"] and m["row_display"] == "table-row"
    wide = [t for t in m["tables"] if t["table"] > t["column"] + 1]
    assert m["tables"] and wide == []
    assert not m["hint_shown"] and m["img_width"] <= 900
