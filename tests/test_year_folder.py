"""The analyst's year, played from the documented commands: one folder per plan-year, each
quarter's workbook beside the earlier ones, any period (re)assessed with the same result."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_lib.cli import build_parser, main
from cchc_lib.core.paths import REPO_ROOT
from cchc_lib.progress import workflow

PLAN = "hai-duong-2024"
FOLDER = f"data/progress/{PLAN}/2024"


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A working folder like the analyst's: data/plans/<plan> and nothing else yet."""
    shutil.copytree(REPO_ROOT / "data" / "plans" / PLAN, tmp_path / "data" / "plans" / PLAN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CCHC_DATA", raising=False)
    return tmp_path


def run(capsys, command: str) -> tuple[int, str, str]:
    code = main(command.split()[1:])  # drop the program name "cchc"
    out = capsys.readouterr()
    return code, out.out, out.err


def documented(period: str) -> list[str]:
    return workflow.commands(PLAN, 2024, period)


def _col(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _row(ws, key: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)


def fill(path: Path, tasks=(), values=(), dossiers=()) -> None:
    """Type into the workbook as the analyst would (drop-down words, real dates)."""
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    for task_id, status, done_on, evidence in tasks:
        r = _row(ws, task_id)
        ws.cell(r, _col(ws, "Tình trạng"), status)
        ws.cell(r, _col(ws, "Ngày hoàn thành"), done_on)
        ws.cell(r, _col(ws, "Văn bản, sản phẩm"), evidence)
    ws = wb["Chỉ tiêu"]
    for target_id, value in values:
        ws.cell(_row(ws, target_id), _col(ws, "Giá trị đạt được"), value)
    ws = wb["Hồ sơ TTHC"]
    heads = [c.value for c in ws[1]]
    for i, d in enumerate(dossiers, start=2):
        for key, value in d.items():
            ws.cell(i, heads.index(key) + 1, value)
    wb.save(path)


def D(ident, channel, received, due, returned=None):
    return {
        "Mã hồ sơ": ident,
        "Lĩnh vực": "Hộ tịch",
        "Ngày tiếp nhận": received,
        "Ngày hẹn trả": due,
        "Ngày trả kết quả": returned,
        "Hình thức nộp": channel,
    }


d = dt.datetime
D1 = D("HS-1", "Trực tuyến", d(2024, 1, 10), d(2024, 1, 15), d(2024, 1, 12))
D2_PENDING = D("HS-2", "Trực tiếp", d(2024, 3, 1), d(2024, 3, 20))
D2_RETURNED = D("HS-2", "Trực tiếp", d(2024, 3, 1), d(2024, 3, 20), d(2024, 3, 18))
D3 = D("HS-3", "Trực tuyến", d(2024, 4, 1), d(2024, 4, 5), d(2024, 4, 10))  # late
D4 = D("HS-4", "Trực tiếp", d(2024, 7, 1), d(2024, 7, 5), d(2024, 7, 2))


def workbook(office, period: str) -> Path:
    return office / FOLDER / f"mau-nhap-lieu_{PLAN}_{period}.xlsx"


def assessment(period: str):
    from cchc_lib.assessment.engine import assess
    from cchc_lib.progress.inputs import load_inputs

    i = load_inputs(PLAN, None, period)  # the defaults: the plan's year folder
    assert not i.sample and i.notice is None
    return assess(i.plan, i.progress, i.period, i.cutoff)


def numbers(a) -> dict:
    """Every figure a report states, for comparing two runs."""
    t = a.targets[["target_id", "actual", "status", "value_period"]].astype(str).values.tolist()
    k = a.tasks[["task_id", "status", "completed_on", "evidence", "days_late"]].astype(str).values.tolist()
    ytd = None if a.tthc_ytd is None else a.tthc_ytd["value"].round(6).astype(str).to_dict()
    return {"targets": t, "tasks": k, "ytd": ytd, "overall": {k: str(v) for k, v in a.overall.items()}}


def play_year(office, capsys, report: bool) -> dict:
    """Q1 → Q4 from the documented commands; returns what each period gave when first made."""
    made = {}

    def quarter(period: str, **typed):
        template, assess_cmd, report_cmd = documented(period)
        assert run(capsys, template)[0] == 0
        fill(workbook(office, period), **typed)
        code, out, err = run(capsys, assess_cmd)
        assert code == 0, err
        if report:
            code, out, err = run(capsys, report_cmd + " --formats html --report-date 2024-12-20 --quiet")
            assert code == 0, err
        made[period] = numbers(assessment(period))

    quarter(
        "2024-Q1",
        tasks=[("PL2.01", "Hoàn thành", d(2024, 3, 12), "KH 15/KH-UBND"), ("NV2.04", "Đang thực hiện", None, None)],
        values=[("T6.17", 40)],
        dossiers=[D1, D2_PENDING],
    )
    # Q2: the Q1 value is revised in the Q1 workbook (docs: "correct it in that quarter's own file").
    wb = load_workbook(workbook(office, "2024-Q1"))
    ws = wb["Chỉ tiêu"]
    ws.cell(_row(ws, "T6.17"), _col(ws, "Giá trị đạt được"), 42)
    wb.save(workbook(office, "2024-Q1"))
    made["2024-Q1 revised"] = numbers(assessment("2024-Q1"))
    quarter(
        "2024-Q2",
        tasks=[("PL1.02", "Hoàn thành", d(2024, 5, 20), "QĐ 30/QĐ-UBND"), ("NV2.04", "Đang thực hiện", None, None)],
        values=[("T6.17", 55)],
        dossiers=[D2_RETURNED, D3],  # the export repeats HS-2, now returned
    )
    quarter("2024-Q3", tasks=[("NV2.04", "Đang thực hiện", None, None)], values=[("T6.17", 63)], dossiers=[D4])
    quarter("2024-Q4", values=[("T6.17", 70)])
    for period in ("2024-H1", "2024"):
        _, assess_cmd, report_cmd = documented(period)
        assert run(capsys, assess_cmd)[0] == 0
        if report:
            assert run(capsys, report_cmd + " --formats html --report-date 2024-12-20 --quiet")[0] == 0
        made[period] = numbers(assessment(period))
    return made


def check_year(office, made: dict) -> None:
    q2 = assessment("2024-Q2")
    k = q2.tasks.set_index("task_id")
    # carried over: done in Q1, its Q2 row left empty
    assert k.at["PL2.01", "status"] == "done_on_time"
    assert (k.at["PL2.01", "completed_on"], k.at["PL2.01", "evidence"]) == (d(2024, 3, 12), "KH 15/KH-UBND")
    assert k.at["PL1.02", "status"] == "done_late" and k.at["PL1.02", "days_late"] == 126  # 15/01 → 20/05
    q4 = assessment("2024-Q4").tasks.set_index("task_id")
    assert q4.at["PL2.01", "status"] == "done_on_time" and q4.at["NV2.04", "status"] == "recurring_missing"
    # merged dossiers: HS-2 given twice, counted once, returned
    dossiers = q2.progress.dossiers.set_index("dossier_id")
    assert sorted(dossiers.index) == ["HS-1", "HS-2", "HS-3", "HS-4"]
    src = q2.progress.sources
    q2_sheet = src[src["file"].str.contains("2024-Q2") & (src["kind"] == "dossiers")].iloc[0]
    q1_sheet = src[src["file"].str.contains("2024-Q1") & (src["kind"] == "dossiers")].iloc[0]
    assert (q1_sheet["rows_read"], q1_sheet["rows_merged"], q1_sheet["rows_used"]) == (2, 1, 1)
    assert (q2_sheet["rows_read"], q2_sheet["rows_merged"], q2_sheet["rows_used"]) == (2, 0, 2)
    # year-to-date KPIs by hand (Decree 09 windows from 15/12/2023)
    hand = {
        "2024-Q1": (100 * 1 / 2, 100 * 1 / 1),  # HS-1 online of HS-1, HS-2; HS-1 on time (HS-2 pending, not due)
        "2024-Q2": (100 * 2 / 3, 100 * 2 / 3),  # HS-3 online; HS-3 late
        "2024-H1": (100 * 2 / 3, 100 * 2 / 3),
        "2024": (100 * 2 / 4, 100 * 3 / 4),  # HS-4 in person, on time
    }
    for period, (online, on_time) in hand.items():
        ytd = assessment(period).tthc_ytd
        assert ytd.at["online_rate", "value"] == pytest.approx(online), period
        assert ytd.at["on_time_rate", "value"] == pytest.approx(on_time), period
    # indicator "as of": the revised Q1 value in Q1, Q2's in H1, Q4's for the year
    for period, (value, as_of) in {
        "2024-Q1": (42, "2024-Q1"),
        "2024-H1": (55, "2024-Q2"),
        "2024": (70, "2024-Q4"),
    }.items():
        t = assessment(period).targets.set_index("target_id").loc["T6.17"]
        assert (t["actual"], t["value_period"]) == (value, as_of), period
    # same inputs, same numbers: Q1 (after its revision) and Q2 made again at the end of the year
    assert numbers(assessment("2024-Q1")) == made["2024-Q1 revised"]
    assert numbers(assessment("2024-Q2")) == made["2024-Q2"]
    assert made["2024-Q1"] != made["2024-Q1 revised"]  # the revision did change Q1 …
    assert made["2024-Q1"]["ytd"] == made["2024-Q1 revised"]["ytd"]  # … and nothing else about it


@pytest.mark.slow
def test_the_documented_year_assessed_quarter_by_quarter(office, capsys):
    made = play_year(office, capsys, report=False)
    check_year(office, made)
    # the Q2 workbook showed what carried over from Q1
    wb = load_workbook(workbook(office, "2024-Q2"), read_only=True)
    ws = wb["Nhiệm vụ"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    heads = [c.value for c in next(ws.iter_rows(max_row=1))]
    carried = rows["PL2.01"][heads.index("Chuyển sang từ kỳ trước")]
    assert "Đã hoàn thành ngày 12/03/2024 (Quý I/2024); KH 15/KH-UBND" in carried and "không cần nhập lại" in carried
    assert "Thường xuyên – cần báo cáo kỳ này" in rows["NV2.04"][heads.index("Chuyển sang từ kỳ trước")]
    latest = wb["Chỉ tiêu"]
    heads = [c.value for c in next(latest.iter_rows(max_row=1))]
    t617 = next(r for r in latest.iter_rows(min_row=2, values_only=True) if r[0] == "T6.17")
    assert t617[heads.index("Số liệu gần nhất (kỳ)")] == "42% (Quý I/2024)"


@pytest.mark.notebook
def test_the_documented_year_reported_and_regenerated(office, capsys):
    made = play_year(office, capsys, report=True)
    check_year(office, made)
    reports = office / "reports" / PLAN
    q2 = reports / "2024-Q2" / f"bao-cao-cchc_{PLAN}_2024-Q2_nd09_vi.html"
    first = q2.read_bytes()
    _, _, report_cmd = documented("2024-Q2")
    assert run(capsys, report_cmd + " --formats html --report-date 2024-12-20 --quiet")[0] == 0
    # Regenerated after Q3 and Q4 were entered: the report is the same to the byte; only
    # appendix C (data quality: one row per file read, in the "Phụ lục" file) now also lists
    # the later workbooks.
    again = q2.read_text(encoding="utf-8")
    assert again == first.decode("utf-8")
    annex = q2.with_name(q2.stem + "_phu-luc.html").read_text(encoding="utf-8")
    appendix_c = annex.split('id="pl-so-lieu"')[1].split('id="pl-ra-soat"')[0]
    assert all(f"2024-{q}.xlsx" in appendix_c for q in ("Q1", "Q2", "Q3", "Q4"))
    first = q2.read_bytes()
    for period in ("2024-Q1", "2024-Q3", "2024-Q4", "2024-H1", "2024"):
        assert (reports / period / f"bao-cao-cchc_{PLAN}_{period}_nd09_vi.html").is_file()
    # a sample run beside the real year leaves the real reports and the index intact
    index_before = (office / "reports" / "index.html").read_text(encoding="utf-8")
    code, _, _ = run(capsys, f"cchc report --plan {PLAN} --period 2024-Q2 --data sample --formats html --quiet")
    assert code == 0
    assert q2.read_bytes() == first
    sample = q2.with_name(q2.stem + "_du-lieu-mau.html")
    assert "DỮ LIỆU MẪU" in sample.read_text(encoding="utf-8")
    index = (office / "reports" / "index.html").read_text(encoding="utf-8")
    assert q2.name in index and sample.name in index
    assert index_before.count(".html") < index.count(".html")
    sidecar = json.loads(q2.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["sample"] is False


# --- defaults that cannot betray ------------------------------------------------------------------


@pytest.mark.slow
def test_data_defaults_to_the_plans_year_folder_and_the_sample_only_with_a_notice(office, capsys):
    code, out, err = run(capsys, f"cchc assess --plan {PLAN} --period 2024-Q1")
    assert code == 0 and "DỮ LIỆU MẪU" in err and f"{FOLDER}" in err
    (office / FOLDER).mkdir(parents=True)
    (office / FOLDER / "tasks.csv").write_text("task_id,period,status\nNV2.04,2024-Q1,Đang thực hiện\n")
    code, out, err = run(capsys, f"cchc assess --plan {PLAN} --period 2024-Q1")
    assert code == 0 and "DỮ LIỆU MẪU" not in out + err


@pytest.mark.slow
def test_a_period_outside_the_plan_year_is_exit_2(office, capsys):
    for cmd in ("assess", "template"):
        code, out, err = run(capsys, f"cchc {cmd} --plan {PLAN} --period 2023-Q1 --data sample")
        assert code == 2
        assert "kỳ 2023-Q1 nằm ngoài năm của kế hoạch" in err and "Traceback" not in err


def test_data_naming_a_file_is_exit_2_with_a_message(office, capsys):
    (office / "x.csv").write_text("a\n1\n")
    code, _, err = run(capsys, f"cchc assess --plan {PLAN} --period 2024-Q1 --data x.csv")
    assert code == 2 and "--data" in err and "'x.csv' là một tệp, không phải thư mục" in err


@pytest.mark.slow
def test_a_csv_renamed_xlsx_in_the_folder_is_exit_2_naming_it(office, capsys):
    (office / FOLDER).mkdir(parents=True)
    (office / FOLDER / "so-lieu.xlsx").write_text("task_id,period\n")
    code, _, err = run(capsys, f"cchc assess --plan {PLAN} --period 2024-Q1")
    assert code == 2 and "so-lieu.xlsx: tệp không phải bảng tính Excel .xlsx thật" in err


# --- one workflow, said the same everywhere ---------------------------------------------------


@pytest.mark.slow
def test_readme_docs_help_and_the_workbook_give_the_same_commands(office, capsys, plan):
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    each_quarter = readme[readme.index("## Each quarter") : readme.index("## Commands")]
    docs = (REPO_ROOT / "docs" / "progress-data.md").read_text(encoding="utf-8")
    for command in documented("2024-Q2"):
        assert command in each_quarter and command in docs
    with pytest.raises(SystemExit):
        build_parser().parse_args(["template", "--help"])
    help_text = capsys.readouterr().out
    for command in workflow.commands("<mã-kế-hoạch>", "<năm>", "<kỳ>"):
        assert command in help_text
    from cchc_lib.progress.template import write_template

    path = write_template(plan, "2024-Q3", office)
    guide = "\n".join(str(r[0]) for r in load_workbook(path, read_only=True)["Hướng dẫn"].iter_rows(values_only=True))
    for command in workflow.commands(plan.plan_id, plan.year, "2024-Q3"):
        assert command in guide
    assert FOLDER + "/" in guide and "mỗi kỳ một thư mục" not in guide
    # the old contradictions are gone: no per-quarter folder, no report command without its data
    assert not re.search(r"data/progress/[^/\s]+/2024-Q\d", each_quarter + guide)
