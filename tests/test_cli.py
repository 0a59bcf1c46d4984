"""`cchc validate` prints the summary and the findings; bugs do not show tracebacks."""

import subprocess
import sys

from cchc_lib import cli


def test_validate_prints_summary_and_lint(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Quyết định số 07/QĐ-UBND ngày 10/01/2024" in out
    assert "Tổng cộng" in out and " 51 " in out and " 47 " in out and " 21" in out
    assert "Chỉ tiêu mâu thuẫn" in out and "IV.4" in out and "Phòng Nội vụ" in out
    assert "Dữ liệu kế hoạch hợp lệ." in out


def test_validate_unknown_plan_exits_non_zero(capsys):
    assert cli.main(["validate", "--plan", "khong-co"]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy thư mục kế hoạch 'khong-co'" in err and "hai-duong-2024" in err


def test_unexpected_errors_are_short_without_debug(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(cli, "cmd_validate", boom)  # the parser binds the command when it is built
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi: RuntimeError: hỏng" in err and "Traceback" not in err
    assert "cchc --debug" in err


def test_debug_flag_prints_the_traceback(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(cli, "cmd_validate", boom)
    assert cli.main(["--debug", "validate"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: hỏng" in err


def test_console_script_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "cchc_lib.cli", "validate"], capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode == 0, proc.stderr
    assert "Cải cách thủ tục hành chính" in proc.stdout


def test_sample_data_template_and_assess_commands(tmp_path, capsys):
    sample = tmp_path / "sample"
    assert cli.main(["sample-data", "--out", str(sample)]) == 0
    assert "DỮ LIỆU MẪU" in capsys.readouterr().out and (sample / "dossiers.csv").exists()

    assert cli.main(["assess", "--period", "2024-Q2", "--data", str(sample)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DỮ LIỆU MẪU") and "Quý II/2024" in out and "Điểm theo lĩnh vực:" in out

    assert cli.main(["template", "--period", "2024-Q3", "--data", str(sample), "--out", str(tmp_path / "tpl")]) == 0
    assert (tmp_path / "tpl" / "mau-nhap-lieu_hai-duong-2024_2024-Q3.xlsx").exists()


def test_a_mistyped_period_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["assess", "--period", "2024-Q5", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2024-Q5" in err and "2024-Q2" in err and "Traceback" not in err
