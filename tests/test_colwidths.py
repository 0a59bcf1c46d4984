"""Printed column widths worked out when a table is built (cchc_lib.report.colwidths): the
PDF lays such a table out with them (table-layout: fixed) instead of measuring every cell,
so they must be what WeasyPrint's automatic layout gives, keep every word whole and keep
the table on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cchc_lib.report import colwidths, tables
from cchc_lib.report.formats import TEMPLATES, read_template

SHORT = "Chưa đủ căn cứ đánh giá"
LONG = "Thường xuyên – có báo cáo — quý có báo cáo: 1/1, 2/2, 3/3 và báo cáo năm đã gửi"


def _frame(status: str, rows: int = 6) -> pd.DataFrame:
    h = tables.H["vi"]
    return pd.DataFrame(
        {
            h["target_id"]: [f"T{i}.{i + 10}" for i in range(rows)],
            h["indicator"]: [
                "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình " * (1 + i % 2)
                for i in range(rows)
            ],
            h["plan"]: ["tối thiểu 80%", "1/tháng", "100%", "—", "tối thiểu 1.250", "95,5%"][:rows],
            h["actual"]: ["87,5%", "−12,3 đpt", "20/04/2024", "—", "1.234", "0,0"][:rows],
            h["status"]: [status] * rows,
            "_status": ["met"] * rows,
        }
    )


def test_a_vietnamese_letter_is_as_wide_as_its_base_letter():
    assert colwidths.text_width("ệ") == colwidths.text_width("e") > 0
    assert colwidths.text_width("Đạt", bold=True) > colwidths.text_width("Đạt")
    assert colwidths.text_width("") == 0


def test_a_line_breaks_at_spaces_and_after_a_slash_or_hyphen_before_a_letter():
    assert colwidths._words("1/tháng data/plans 20/04/2024 hai-duong -2,5") == [
        "1/",
        "tháng",
        "data/",
        "plans",
        "20/04/2024",
        "hai-",
        "duong",
        "-2,5",
    ]


def test_the_shares_add_up_to_the_whole_table():
    for status in (SHORT, LONG):
        df = _frame(status)
        cols = [c for c in df.columns if not c.startswith("_")]
        rows = [[str(v) for v in r] for r in df[cols].to_numpy()]
        shares, _ = colwidths.layout(cols, rows, badge_col=4, text_cols=[1])
        assert len(shares) == len(cols) and abs(sum(shares) - 100) < 1e-9
        assert all(s > 0 for s in shares)


def test_the_widths_go_with_the_table_for_print_only():
    html = tables.to_html(_frame(SHORT), badge_col=tables.H["vi"]["status"])
    widths = re.findall(r'<col style="--cchc-w:([\d.]+)%">', html)
    assert len(widths) == 5 and "cchc-sized" in html and "cchc-badges-wrap" not in html
    # only the print stylesheet reads them: the screen and the phone lay the table out as before
    assert "--cchc-w" in read_template("print.css")
    assert "--cchc-w" not in read_template("screen.css") + read_template("report.css")
    wide = tables.to_html(_frame(LONG), badge_col=tables.H["vi"]["status"])
    assert "cchc-badges-wrap" in wide


def _page(table: str) -> str:
    """The table as the report prints it: its stylesheets, inside the report's body."""
    style = (TEMPLATES / "report" / "style.html.j2").read_text(encoding="utf-8")
    return (
        f"<html><head><style>{read_template('report.css')}</style>"
        f'<style media="print">{read_template("print.css")}</style>{style}</head>'
        f'<body><main class="report-body">{table}</main></body></html>'
    )


def _auto(html: str) -> str:
    """The same table left to the automatic layout (as before the widths)."""
    return html.replace("cchc-sized", "").replace("cchc-badges-wrap", "")


def _render(html: str):
    """The first table's (column widths in % of its width, right edge past the body, cells
    with a word broken, lines of each badge)."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    from cchc_lib.report import pdf

    src = pdf._sources(html, "vi", "", None)
    doc = weasyprint.HTML(string=html, base_url=src["base_url"]).render(stylesheets=[weasyprint.CSS(string=src["css"])])
    page = doc.pages[0]._page_box
    right = page.margin_width() - page.margin_right
    table = next(b for b in page.descendants() if isinstance(b, boxes.TableBox))
    shares = [100 * w / sum(table.column_widths) for w in table.column_widths]
    broken, badges = 0, []
    for cell in (b for b in page.descendants() if isinstance(b, boxes.TableCellBox)):
        source = " ".join("".join(cell.element.itertext()).split())
        lines = ["".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox)) for line in cell.children]
        done = 0
        for line in lines[:-1]:
            done += len(line.replace(" ", ""))
            at = [k for k, ch in enumerate(source) if ch != " "][done - 1]
            broken += at + 1 < len(source) and source[at + 1] != " " and source[at] not in "/-"
        lines_of_badge = {  # an inline badge broken over lines is one box per line
            round(t.position_y)
            for b in cell.descendants()
            if b.element_tag == "span" and "cchc-badge" in (b.element.get("class") or "")
            for t in b.descendants()
            if isinstance(t, boxes.TextBox)
        }
        badges += [len(lines_of_badge)] if lines_of_badge else []
    return shares, table.position_x + table.border_width() - right, broken, badges


@pytest.mark.slow
def test_the_printed_widths_are_the_automatic_layouts_and_keep_words_whole():
    html = tables.to_html(_frame(SHORT), badge_col=tables.H["vi"]["status"])
    fixed, past, broken, badges = _render(_page(html))
    auto, auto_past, auto_broken, _ = _render(_page(_auto(html)))
    assert max(abs(a - b) for a, b in zip(fixed, auto, strict=True)) < 2  # percentage points
    assert past <= 0.5 and auto_past <= 0.5
    assert broken == auto_broken == 0 and badges == [1] * 6


@pytest.mark.slow
def test_a_table_too_wide_for_the_page_stays_on_it_its_badges_on_two_lines():
    html = tables.to_html(_frame(LONG), badge_col=tables.H["vi"]["status"])
    _, auto_past, _, _ = _render(_page(_auto(html)))
    assert auto_past > 20  # what the automatic layout does: the right side past the margin
    _, past, broken, badges = _render(_page(html))
    assert past <= 0.5 and broken == 0
    assert badges == [2] * 6  # on two lines, not three: its column is wide enough
    assert Path(TEMPLATES / "print.css").read_text(encoding="utf-8").count("cchc-badges-wrap") == 1
