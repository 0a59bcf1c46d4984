"""A plan's rules.toml: overrides are read, and mistakes are named by file and key."""

import pytest

from cchc_lib.assessment.engine import load_rules
from cchc_lib.core.errors import DataError


def _rules(tmp_path, text: str) -> dict:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path=path)


def test_valid_overrides_are_merged_over_the_defaults(tmp_path):
    rules = _rules(
        tmp_path,
        '[targets]\nrate_margin_pp = 3\nrate_targets = ["X1"]\n'
        '[scores.target_points]\nat_risk = "skip"\n[scores.area_weights]\n"Z.9" = 2\n',
    )
    assert rules["targets"]["rate_margin_pp"] == 3 and rules["targets"]["rate_targets"] == ["X1"]
    assert rules["scores"]["target_points"]["at_risk"] == "skip" and rules["scores"]["area_weights"]["Z.9"] == 2
    assert rules["targets"]["level_tolerance"] == load_rules()["targets"]["level_tolerance"]  # untouched keys kept


def test_every_value_of_the_wrong_kind_is_listed_with_its_key(tmp_path):
    with pytest.raises(DataError) as info:
        _rules(
            tmp_path,
            '[targets]\nrate_margin_pp = "skip"\nrate_targets = "X1"\n'
            '[scores.target_points]\nmet = "một trăm"\n[scores.area_weights]\n"Z.9" = "hai"\n',
        )
    msg = str(info.value)
    assert "(4 lỗi)" in msg and f"tệp {tmp_path / 'rules.toml'}: khóa" in msg
    assert "'targets.rate_margin_pp' phải là một số (" in msg  # "skip" only where points are
    assert "'targets.rate_targets' phải là một danh sách" in msg
    assert "'scores.target_points.met' phải là một số hoặc \"skip\"" in msg and "'một trăm'" in msg
    assert "'scores.area_weights.\"Z.9\"' phải là một số" in msg


def test_a_file_that_is_not_toml_is_named_with_its_line(tmp_path):
    with pytest.raises(DataError) as info:
        _rules(tmp_path, "# quy tắc\n[targets]\nrate_margin_pp = 5,0\n")
    assert f"tệp {tmp_path / 'rules.toml'}, dòng 3: không đúng cú pháp TOML" in str(info.value)


def test_a_file_not_saved_as_utf8_is_named(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes(b"# quy t\xe1c\n")  # Windows-1258 bytes, not UTF-8
    with pytest.raises(DataError, match="rules.toml: tệp phải lưu theo bảng mã UTF-8"):
        load_rules(path=path)


@pytest.mark.parametrize("name", ["rules.toml", "meta.toml"])
def test_a_toml_file_that_does_not_parse_is_told_in_vietnamese_with_its_line_and_column(plan_copy, name, capsys):
    """tomllib explains in English; the analyst reads the line, the column and how TOML is
    written, in Vietnamese, and nothing of tomllib's words."""
    from cchc_lib.cli import main

    path = plan_copy / name
    path.write_text(path.read_text(encoding="utf-8") + "\nkhóa không hợp lệ\n", encoding="utf-8")
    assert main(["validate", "--plan", str(plan_copy)]) == 2
    err = capsys.readouterr().err
    assert name in err and "không đúng cú pháp TOML, ký tự thứ" in err and "dòng " in err
    assert "(at line" not in err and "Invalid" not in err and "Expected" not in err and "Traceback" not in err
