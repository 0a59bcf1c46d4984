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
    monkeypatch.setattr(cli, "cmd_validate", boom)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["validate"].set_defaults(func=boom)
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi: RuntimeError: hỏng" in err and "Traceback" not in err


def test_console_script_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "cchc_lib.cli", "validate"], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert "Cải cách thủ tục hành chính" in proc.stdout
