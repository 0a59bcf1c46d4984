"""cchc_lib.core.spreadsheet: which text a spreadsheet could run, and how it is kept as text."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from cchc_lib.core.spreadsheet import defuse, defuse_frame, keep_as_text, looks_like_formula


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-", "=", "-cmd"])
def test_text_starting_like_a_formula_is_defused_with_a_quote(text):
    assert looks_like_formula(text)
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("value", ["Hồ sơ", "", " =1", "'=1", "-5", "-3,5", "+10%", "-1.234,5", -5, -2.5, None])
def test_plain_text_numbers_and_numeric_strings_are_left_alone(value):
    assert not looks_like_formula(value)
    assert defuse(value) is value


def test_defuse_frame_changes_text_cells_only():
    df = pd.DataFrame({"a": ["=1", "x", None], "n": [-1.0, 2.0, -3.0], "i": [-1, 0, 1]})
    out = defuse_frame(df)
    assert out["a"].tolist()[:2] == ["'=1", "x"] and out["a"].isna().tolist()[2]
    pd.testing.assert_series_equal(out["n"], df["n"])
    pd.testing.assert_series_equal(out["i"], df["i"])
    assert df["a"].tolist()[0] == "=1"  # the caller's frame is not modified


def test_keep_as_text_turns_an_openpyxl_formula_into_quoted_text():
    ws = Workbook().active
    ws["A1"] = "=1+1"
    ws["A2"] = -4
    ws["A3"] = "ordinary"
    assert ws["A1"].data_type == "f"
    for c in ("A1", "A2", "A3"):
        keep_as_text(ws[c])
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix and ws["A1"].value == "=1+1"
    assert ws["A2"].data_type == "n" and not ws["A2"].quotePrefix
    assert not ws["A3"].quotePrefix
