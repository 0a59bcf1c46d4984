"""The ``cchc`` command: summaries, exit codes, and argument values checked before any work starts."""

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_lib import cli
from cchc_lib.commands import report as report_cmd
from cchc_lib.report import document, pdf

from .conftest import PLAN_DIR


@pytest.mark.slow
def test_validate_prints_summary_and_lint(capsys):
    assert cli.main(["validate", "--plan", "hai-duong-2024"]) == 0
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

    from cchc_lib.commands import plan

    monkeypatch.setattr(plan, "cmd_validate", boom)  # build_parser binds the command when main() runs
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi: RuntimeError: hỏng" in err and "Traceback" not in err


@pytest.mark.slow
def test_console_script_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "cchc_lib.cli", "validate", "--plan", "hai-duong-2024"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Cải cách thủ tục hành chính" in proc.stdout


@pytest.mark.slow
def test_sample_data_template_and_assess_commands(tmp_path, capsys):
    sample = tmp_path / "sample"
    assert cli.main(["sample-data", "--plan", "hai-duong-2024", "--out", str(sample)]) == 0
    assert "DỮ LIỆU MẪU" in capsys.readouterr().out and (sample / "dossiers.csv").exists()

    assert cli.main(["assess", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", str(sample)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("DỮ LIỆU MẪU") and "Quý II/2024" in out and "Điểm theo lĩnh vực:" in out

    assert (
        cli.main(
            [
                "template",
                "--plan",
                "hai-duong-2024",
                "--period",
                "2024-Q3",
                "--data",
                str(sample),
                "--out",
                str(tmp_path / "tpl"),
            ]
        )
        == 0
    )
    assert (tmp_path / "tpl" / "mau-nhap-lieu_hai-duong-2024_2024-Q3.xlsx").exists()


def test_a_mistyped_period_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["assess", "--plan", "hai-duong-2024", "--period", "2024-Q5", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2024-Q5" in err and "2024-Q2" in err and "Traceback" not in err


@pytest.mark.parametrize("period", ["2023-Q1", "2025", "2023-H1"])
def test_report_for_a_period_outside_the_plans_year_is_exit_2_before_any_run(
    tmp_path, no_run, monkeypatch, capsys, period
):
    from cchc_lib.report import official

    def no_official(*args, **kwargs):
        raise AssertionError("the official report was started for a period of another year")

    monkeypatch.setattr(official, "produce_official", no_official)
    out = tmp_path / "reports"
    assert cli.main(["report", "--plan", "hai-duong-2024", "--period", period, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"kỳ {period} nằm ngoài năm của kế hoạch hai-duong-2024" in err and "Traceback" not in err
    assert no_run.calls == [] and not any(out.rglob("*.*"))


@pytest.mark.parametrize(
    "argv, says",
    [
        (["assess", "--plan", "hai-duong-2024"], "thiếu tùy chọn bắt buộc: --period"),
        (
            ["assess", "--period", "2024-Q2", "--cutoff", "zz"],
            "tùy chọn --cutoff: không có giá trị 'zz'. Các giá trị có: nd09",
        ),
        (["explore", "--port", "abc"], "tùy chọn --port: 'abc' không phải số nguyên"),
        (["assess", "--period"], "tùy chọn --period: cần một giá trị"),
        (["assess", "--period", "2024-Q2", "--bogus"], "không hiểu phần này của lệnh: --bogus"),
        (["frobnicate"], "lệnh: không có giá trị 'frobnicate'"),
    ],
    ids=["missing", "choice", "not-a-number", "no-value", "unknown", "command"],
)
def test_command_line_mistakes_are_said_in_vietnamese_with_exit_2(capsys, argv, says):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and says in err and " lỗi: " in err
    assert "error:" not in err and "invalid" not in err and "required" not in err


@pytest.mark.parametrize("argv", [["--help"], ["template", "--help"], ["report", "-h"]], ids=["cchc", "raw", "report"])
def test_help_headings_are_vietnamese(capsys, argv):
    """argparse's own headings ("usage:", "options:") come from the catalogue, in every subcommand."""
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    out = capsys.readouterr().out
    assert info.value.code == 0 and out.startswith("cách dùng: cchc")
    assert "\ntùy chọn:\n" in out and "hiện hướng dẫn này rồi thoát" in out
    assert [w for w in ("usage:", "options:", "positional arguments:", "show this help") if w in out] == []


def test_a_mistake_shows_the_usage_line_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        cli.main(["assess", "--bogus"])
    err = capsys.readouterr().err
    assert err.startswith("cách dùng: cchc assess") and "usage:" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["sample-data", "--plan", "hai-duong-2024", "--out"],
        ["sample-city", "--year", "2024", "--out"],
        ["city", "--period", "2024-Q2", "--root", str(PLAN_DIR.parent.parent), "--out"],
    ],
    ids=["sample-data", "sample-city", "city"],
)
def test_out_naming_a_file_is_refused_by_every_writing_command(tmp_path, capsys, argv):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    assert cli.main([*argv, str(afile)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "là một tệp, không phải thư mục" in err and "Lỗi không mong đợi" not in err
    assert afile.read_text(encoding="utf-8") == "x"


@pytest.mark.slow
def test_a_template_into_a_folder_without_write_permission_names_the_folder_not_excel(tmp_path, monkeypatch, capsys):
    from pathlib import Path as P

    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(P, "write_bytes", refuse)
    argv = ["template", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", "sample"]
    assert cli.main([*argv, "--out", str(tmp_path / "t.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "không có quyền ghi vào thư mục" in err and "--out" in err and "Excel" not in err


def test_control_characters_typed_in_an_option_are_never_echoed_raw(tmp_path, capsys):
    period = "2024-Q\x012\x1b[31m\x9b"
    assert cli.main(["assess", "--plan", "hai-duong-2024", "--period", period, "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2024-Q\\x012\\x1b[31m\\x9b" in err
    assert not any(ch in err for ch in "\x01\x1b\x9b")


@pytest.mark.slow
def test_report_only_official_writes_docx_and_html_and_the_index_lists_it(tmp_path, capsys):
    sample = tmp_path / "sample"
    assert cli.main(["sample-data", "--plan", "hai-duong-2024", "--out", str(sample)]) == 0
    out = tmp_path / "reports"
    args = [
        "report",
        "--plan",
        "hai-duong-2024",
        "--period",
        "2024-Q1",
        "--data",
        str(sample),
        "--out",
        str(out),
        "--formats",
        "html",
    ]
    assert cli.main([*args, "--only", "official", "--report-date", "2024-03-18", "--quiet"]) == 0
    folder = out / "hai-duong-2024" / "2024-Q1"
    stem = "bao-cao-chinh-thuc_hai-duong-2024_2024-Q1_nd09_vi"
    assert (folder / f"{stem}.docx").is_file() and (folder / f"{stem}.html").is_file()
    assert not (folder / f"{stem}.pdf").exists()
    assert "ngày 18 tháng 3 năm 2024" in (folder / f"{stem}.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Báo cáo chính thức" in index and f"{stem}.docx" in index


@pytest.mark.slow
def test_report_official_for_an_internal_quarter_needs_to_be_asked_for(tmp_path, capsys):
    sample = tmp_path / "sample"
    assert cli.main(["sample-data", "--plan", "hai-duong-2024", "--out", str(sample)]) == 0
    capsys.readouterr()
    args = [
        "report",
        "--plan",
        "hai-duong-2024",
        "--period",
        "2024-Q2",
        "--data",
        str(sample),
        "--out",
        str(tmp_path / "r"),
        "--formats",
        "html",
    ]
    assert cli.main([*args, "--only", "official"]) == 2
    assert "--official-anyway" in capsys.readouterr().err
    assert cli.main([*args, "--only", "official", "--official-anyway", "--report-date", "2024-13-01"]) == 2
    assert "yyyy-mm-dd" in capsys.readouterr().err
    assert not (tmp_path / "r" / "hai-duong-2024").exists()


# -- `cchc report`: what the user typed is checked before a kernel starts -----------------------


class _Produced:
    """What a successful run returns, without running one."""

    index = None
    sizes: dict = {}

    def files(self):
        return {}


class _NoPdfWorker:
    def __init__(self, folder, probe=False):
        self.probed = probe

    def stop(self):
        pass


@pytest.fixture
def no_run(monkeypatch):
    """Fails the test if the report run (papermill, kernel) is started; records its arguments."""
    calls = []

    def produce(*args, **kwargs):
        calls.append(args)
        if not produce.allowed:
            raise AssertionError("the report run started although an argument was wrong")
        return _Produced()

    monkeypatch.setattr(document, "produce", produce)
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: (0, ""))
    monkeypatch.setattr(pdf, "PdfWorker", _NoPdfWorker)  # no process for a run that does not run
    # a run that is allowed needs no loaded inputs (the fake run ignores them): keeps the test fast
    real_load = report_cmd._load_inputs
    monkeypatch.setattr(
        report_cmd, "_load_inputs", lambda args, digest=False: None if produce.allowed else real_load(args, digest)
    )
    real_assess = report_cmd._assess
    monkeypatch.setattr(report_cmd, "_assess", lambda inputs: None if inputs is None else real_assess(inputs))
    produce.allowed = False
    produce.calls = calls
    return produce


def report(tmp_path, *extra):
    return cli.main(
        [
            "report",
            "--plan",
            "hai-duong-2024",
            "--period",
            "2024-Q2",
            "--data",
            "sample",
            "--out",
            str(tmp_path / "r"),
            *extra,
        ]
    )


def test_an_unknown_format_is_refused_with_the_known_ones(tmp_path, no_run, capsys):
    assert report(tmp_path, "--formats", "html,docx") == 2
    err = capsys.readouterr().err
    assert "--formats" in err and "'docx'" in err and "html, pdf" in err and "Traceback" not in err


def test_an_impossible_report_date_names_the_option_and_the_forms(tmp_path, no_run, capsys):
    assert report(tmp_path, "--report-date", "2024-13-45") == 2
    err = capsys.readouterr().err
    assert "--report-date" in err and "2024-13-45" in err and "dd/mm/yyyy" in err and "yyyy-mm-dd" in err


def test_a_report_date_as_dd_mm_yyyy_reaches_the_notebook_as_iso(tmp_path, no_run, capsys):
    no_run.allowed = True
    assert report(tmp_path, "--formats", "html", "--report-date", "20/06/2024") == 0
    assert "2024-06-20" in no_run.calls[0]


def test_out_naming_a_file_is_refused(tmp_path, no_run, capsys):
    (tmp_path / "r").write_text("x", encoding="utf-8")
    assert report(tmp_path) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "là một tệp, không phải thư mục" in err


def test_out_below_a_file_is_refused(tmp_path, no_run, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert (
        cli.main(["report", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--out", str(tmp_path / "file" / "r")])
        == 2
    )
    assert "--out" in capsys.readouterr().err


def _as_ordinary_user():
    """In the child: root without the power to ignore file permissions (Linux capabilities
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped), so a read-only folder is read-only."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl")


@pytest.mark.slow
def test_an_output_folder_without_write_permission_is_refused(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cchc_lib.cli", "report", "--plan", "hai-duong-2024", "--period", "2024-Q2"]
            + ["--formats", "html"]
            + ["--out", str(folder / "reports")],
            capture_output=True,
            text=True,
            encoding="utf-8",
            preexec_fn=_as_ordinary_user if os.geteuid() == 0 else None,
        )
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert "--out" in proc.stderr and "không có quyền ghi" in proc.stderr and "Traceback" not in proc.stderr
    assert not (folder / "reports").exists()


def test_data_pointing_at_a_file_says_it_is_a_file(tmp_path, no_run, capsys):
    data = tmp_path / "tasks.csv"
    data.write_text("task_id\n", encoding="utf-8")
    assert (
        cli.main(
            [
                "report",
                "--plan",
                "hai-duong-2024",
                "--period",
                "2024-Q2",
                "--data",
                str(data),
                "--out",
                str(tmp_path / "r"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "--data" in err and "là một tệp, không phải thư mục" in err and "không tìm thấy" not in err
    assert cli.main(["assess", "--plan", "hai-duong-2024", "--period", "2024-Q2", "--data", str(data)]) == 2


@pytest.fixture
def plan_with_rules(tmp_path):
    def make(text: str) -> Path:
        dest = tmp_path / "hai-duong-2024"
        shutil.copytree(PLAN_DIR, dest)
        (dest / "rules.toml").write_text(text, encoding="utf-8")
        return dest

    return make


def test_a_plan_rules_file_that_is_not_toml_names_the_file_and_line(tmp_path, plan_with_rules, no_run, capsys):
    plan = plan_with_rules("[targets]\nrate_margin_pp = 5,0\n")
    assert cli.main(["report", "--plan", str(plan), "--period", "2024-Q2", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "rules.toml, dòng 2" in err and "TOML" in err and "Traceback" not in err


def test_a_plan_rules_file_with_text_for_a_number_names_the_key(tmp_path, plan_with_rules, no_run, capsys):
    plan = plan_with_rules('[targets]\nrate_margin_pp = "5,0"\n')
    assert cli.main(["report", "--plan", str(plan), "--period", "2024-Q2", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "rules.toml" in err and "'targets.rate_margin_pp' phải là một số" in err and "'5,0'" in err


@pytest.mark.parametrize("rules", ["[targets]\nrate_margin_pp = 5,0\n", '[targets]\nrate_margin_pp = "5,0"\n'])
def test_validate_does_not_call_a_plan_valid_while_its_rules_file_is_broken(plan_with_rules, capsys, rules):
    assert cli.main(["validate", "--plan", str(plan_with_rules(rules))]) == 2
    captured = capsys.readouterr()
    assert "rules.toml" in captured.err and "Traceback" not in captured.err
    assert "hợp lệ." not in captured.out


def test_explore_refuses_a_broken_rules_file_before_a_kernel_starts(plan_with_rules, monkeypatch, capsys):
    from cchc_lib.explore import serve

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a plan with a broken rules.toml")

    monkeypatch.setattr(serve, "explore_command", no_kernel)
    plan = plan_with_rules("[targets]\nrate_margin_pp = 5,0\n")
    assert cli.main(["explore", "--plan", str(plan), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "rules.toml" in err and "TOML" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "probe, says",
    [
        ((1, "OSError: cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"), "Pango"),
        ((-11, ""), "phông chữ"),
    ],
    ids=["no-pango", "no-fonts"],
)
def test_pdf_without_its_system_libraries_says_how_to_install_them(tmp_path, no_run, monkeypatch, capsys, probe, says):
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: probe)
    assert report(tmp_path) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert "apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core" in err
    assert "conda install -c conda-forge pango" in err and "--formats html" in err


def test_an_html_only_report_does_not_need_the_pdf_libraries(tmp_path, no_run, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: (-11, ""))
    no_run.allowed = True
    assert report(tmp_path, "--formats", "html") == 0
