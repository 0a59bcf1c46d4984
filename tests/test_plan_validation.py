"""Bad plan files fail with one message naming file, row, column and what was expected."""

import pytest

from cchc_lib import DataError, load_plan
from cchc_lib.cli import main

from .conftest import edit_cell, read_rows, write_rows


def _error(plan_dir) -> str:
    with pytest.raises(DataError) as info:
        load_plan(plan_dir)
    return str(info.value)


def test_missing_column_names_file_and_column(plan_copy):
    path = plan_copy / "targets.csv"
    header, rows = read_rows(path)
    header.remove("target_value")
    for r in rows:
        r.pop("target_value")
    write_rows(path, header, rows)
    msg = _error(plan_copy)
    assert "targets.csv" in msg and "thiếu cột bắt buộc 'target_value'" in msg


def test_unknown_area_id_lists_valid_ids(plan_copy):
    row = edit_cell(plan_copy / "tasks.csv", 3, "area_id", "II.9")
    msg = _error(plan_copy)
    assert f"tasks.csv, dòng {row}, cột 'area_id'" in msg
    assert "mã lĩnh vực có trong areas.csv" in msg and "II.1" in msg and "'II.9'" in msg


def test_duplicate_id_names_both_rows(plan_copy):
    path = plan_copy / "targets.csv"
    _, rows = read_rows(path)
    first = rows[0]["target_id"]
    edit_cell(path, 4, "target_id", first)
    msg = _error(plan_copy)
    assert f"'{first}' bị trùng ở các dòng 2, 6" in msg and "cột 'target_id'" in msg


def test_non_numeric_target_value(plan_copy):
    path = plan_copy / "targets.csv"
    _, rows = read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["measurable"] == "true")
    row = edit_cell(path, i, "target_value", "chín mươi")
    msg = _error(plan_copy)
    assert f"dòng {row}, cột 'target_value': cần một số" in msg and "'chín mươi'" in msg


def test_decimal_comma_is_accepted(plan_copy):
    path = plan_copy / "targets.csv"
    _, rows = read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["measurable"] == "true")
    edit_cell(path, i, "target_value", "87,5")
    plan = load_plan(plan_copy)
    assert plan.targets.iloc[i]["target_value"] == 87.5


def test_measurable_target_without_value(plan_copy):
    path = plan_copy / "targets.csv"
    _, rows = read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["measurable"] == "true")
    row = edit_cell(path, i, "target_value", "")
    msg = _error(plan_copy)
    assert f"dòng {row}, cột 'target_value': chỉ tiêu đo được" in msg


def test_unparseable_deadline(plan_copy):
    row = edit_cell(plan_copy / "tasks.csv", 50, "deadline_text", "sớm nhất có thể")
    msg = _error(plan_copy)
    assert f"tasks.csv, dòng {row}, cột 'deadline_text': không đọc được thời hạn" in msg
    assert "Quý I/2024" in msg


def test_unknown_unit_suggests_adding_an_alias(plan_copy):
    row = edit_cell(plan_copy / "tasks.csv", 0, "lead_unit", "Công chức Địa chính")
    msg = _error(plan_copy)
    assert f"dòng {row}, cột 'lead_unit'" in msg and "units.csv" in msg and "aliases" in msg
    assert "'Công chức Địa chính'" in msg


def test_unknown_support_unit_in_a_list(plan_copy):
    row = edit_cell(plan_copy / "tasks.csv", 0, "support_units", "Công chức VP-TK xã; Ban Quản lý chợ")
    msg = _error(plan_copy)
    assert f"dòng {row}, cột 'support_units'" in msg


def test_invalid_utf8_names_the_line(plan_copy):
    path = plan_copy / "areas.csv"
    data = path.read_bytes().replace(
        "Cải cách thể chế".encode(), "Cai cách the che".encode("cp1258")
    )  # a Windows-1258 save
    path.write_bytes(data)
    msg = _error(plan_copy)
    assert "areas.csv" in msg and "không phải mã UTF-8" in msg and "dòng 2" in msg and "CSV UTF-8" in msg


def test_all_problems_of_a_file_are_listed_together(plan_copy):
    path = plan_copy / "tasks.csv"
    edit_cell(path, 1, "area_id", "II.9")
    edit_cell(path, 2, "deadline_text", "mai")
    with pytest.raises(DataError) as info:
        load_plan(plan_copy)
    assert len(info.value.issues) == 2
    assert "(2 lỗi)" in str(info.value)


def test_meta_with_bad_date(plan_copy):
    path = plan_copy / "meta.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("decision_date = 2024-01-10", 'decision_date = "10 tháng 1"'),
        encoding="utf-8",
    )
    msg = _error(plan_copy)
    assert "meta.toml" in msg and "decision_date" in msg


def test_empty_file(plan_copy):
    (plan_copy / "units.csv").write_bytes(b"")
    assert "units.csv" in _error(plan_copy) and "tệp rỗng" in _error(plan_copy)


def test_missing_plan_folder_lists_known_plans(tmp_path):
    msg = _error(tmp_path / "no-such-plan")
    assert "không tìm thấy thư mục kế hoạch" in msg


def test_cli_reports_bad_input_without_traceback(plan_copy, capsys):
    edit_cell(plan_copy / "tasks.csv", 3, "area_id", "II.9")
    code = main(["validate", "--plan", str(plan_copy)])
    err = capsys.readouterr().err
    assert code == 2
    assert "cột 'area_id'" in err and "Traceback" not in err


def test_a_row_with_one_cell_too_many_is_an_error_naming_file_and_row(plan_copy):
    path = plan_copy / "tasks.csv"
    _, rows = read_rows(path)
    k = next(k for k, r in enumerate(rows) if r["task_id"].startswith("PL"))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(rows[k]["task_id"] + ","))
    lines[i] += ","  # even an empty extra cell: the row's cells have shifted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    msg = _error(plan_copy)
    assert f"tasks.csv, dòng {k + 2}" in msg and "ô nhưng dòng tiêu đề có" in msg


def test_direction_area_must_be_an_area(plan_copy):
    meta = plan_copy / "meta.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('direction_area = "II.7"', 'direction_area = "II.9"'))
    msg = _error(plan_copy)
    assert "meta.toml" in msg and "direction_area = 'II.9'" in msg and "II.7" in msg


def _renamed(plan_copy, name: str):
    """The plan copy moved to a folder whose name is not the plan_id of its meta.toml."""
    return plan_copy.rename(plan_copy.with_name(name))


def test_a_plan_id_that_differs_from_its_folder_is_refused_naming_file_and_both_names(plan_copy):
    plan_id = plan_copy.name
    folder = _renamed(plan_copy, "xa-khac-2024")
    msg = _error(folder)
    assert "meta.toml" in msg and f"'{plan_id}'" in msg and "'xa-khac-2024'" in msg


def test_cli_validate_refuses_a_plan_id_that_differs_from_its_folder(plan_copy, capsys):
    folder = _renamed(plan_copy, "xa-khac-2024")
    assert main(["validate", "--plan", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "meta.toml" in err and "xa-khac-2024" in err and plan_copy.name in err and "Traceback" not in err


@pytest.mark.slow
def test_cli_report_refuses_a_plan_id_that_differs_from_its_folder_before_any_run(
    plan_copy, tmp_path, monkeypatch, capsys
):
    import cchc_lib.report.document as document

    def started(*args, **kwargs):
        raise AssertionError("the report run started although the plan folder is wrong")

    monkeypatch.setattr(document, "produce", started)
    folder = _renamed(plan_copy, "xa-khac-2024")
    args = ["report", "--plan", str(folder), "--period", "2024-Q1", "--formats", "html", "--out", str(tmp_path / "r")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "meta.toml" in err and "xa-khac-2024" in err and "Traceback" not in err
