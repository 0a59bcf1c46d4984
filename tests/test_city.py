"""A five-commune city end to end: sample-city → batch on a local Dask cluster → city report."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from cchc_lib.city import batch, consolidate
from cchc_lib.city.sample import commune_names, write_sample_city
from cchc_lib.cli import main

pytest.importorskip("distributed")
pytestmark = pytest.mark.notebook  # runs real reports (papermill, nbconvert)

PERIOD = "2024-H1"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = write_sample_city(tmp_path_factory.mktemp("city") / "data", communes=5, year=2024, seed=11)
    return root


def test_sample_city_lays_out_plans_progress_and_a_partitioned_log(city):
    plans = sorted(p.name for p in (city / "plans").iterdir())
    assert len(plans) == 5
    for plan_id in plans:
        assert (city / "progress" / plan_id / "2024" / "dossiers.csv").is_file()
        meta = (city / "plans" / plan_id / "meta.toml").read_text(encoding="utf-8")
        assert "sample = true" in meta and "(mẫu)" in meta
    communes = {p.name.removeprefix("commune=") for p in (city / "city" / "dossiers").iterdir()}
    assert communes == set(plans)


def test_commune_names_are_unique_and_deterministic():
    assert commune_names(40, 3) == commune_names(40, 3)
    assert len(set(commune_names(40, 3))) == 40


def test_batch_reports_every_commune_isolates_a_failure_and_skips_unchanged(city, tmp_path, capsys):
    root = tmp_path / "data"
    shutil.copytree(city, root)
    broken = sorted((root / "plans").iterdir())[0].name
    tasks_csv = root / "progress" / broken / "2024" / "tasks.csv"
    tasks_csv.write_text(tasks_csv.read_text(encoding="utf-8-sig") + "NV-KHONG-CO,2024-Q1,xong,,\n", encoding="utf-8")
    out = tmp_path / "reports"
    args = ["batch", "--root", str(root), "--periods", PERIOD, "--formats", "html", "--out", str(out), "--workers", "2"]

    assert main(args) == 3  # one commune failed, the others were made
    first = capsys.readouterr().out
    assert f"{broken} {PERIOD}: LỖI" in first
    assert "Xong: 4" in first and "lỗi: 1" in first
    made = sorted({p.parent.parent.name for p in out.glob(f"*/{PERIOD}/*.html")})
    assert len(made) == 4 and broken not in made
    # an official period: the official report (DOCX) is made beside the assessment
    assert len(list(out.glob(f"*/{PERIOD}/*.docx"))) == 4
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(plan_id in index for plan_id in made)

    assert main(args) == 3
    second = capsys.readouterr().out
    assert "bỏ qua (không đổi): 4" in second  # the four good ones are skipped, the broken one retried

    good = made[0]
    notes = root / "progress" / good / "2024" / "notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8-sig"), encoding="utf-8")  # same content: still skipped
    (root / "plans" / good / "meta.toml").write_text(
        (root / "plans" / good / "meta.toml").read_text(encoding="utf-8") + "\n# sửa\n", encoding="utf-8"
    )
    assert main(args) == 3
    third = capsys.readouterr().out
    assert f"{good} {PERIOD}: xong" in third and "bỏ qua (không đổi): 3" in third


def test_content_hash_changes_with_inputs_and_parameters(city):
    plan = sorted((city / "plans").iterdir())[0]
    job = batch.jobs_for(city, [plan], [PERIOD], formats=["html"])[0]
    code = batch.code_hash()
    h = batch.content_hash(job, code)
    assert h == batch.content_hash(job, code)
    assert h != batch.content_hash(job, code + "x")
    other = batch.jobs_for(city, [plan], [PERIOD], formats=["html"], lang="en")[0]
    assert h != batch.content_hash(other, code)


def test_city_view_ranks_reliable_communes_and_lists_the_missing(city, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(city, root)
    missing = sorted((root / "plans").iterdir())[-1].name
    shutil.rmtree(root / "progress" / missing / "2024")
    view = consolidate.build_city_view(root, PERIOD)
    assert len(view.table) == 4
    assert list(view.problems["plan_id"]) == [missing] and list(view.problems["problem"]) == ["missing"]
    ranked = view.table.dropna(subset=["rank"])
    assert list(ranked["score"]) == sorted(ranked["score"], reverse=True)
    assert ranked["rank"].iloc[0] == 1
    # the league table's counts are the assessments' own
    for row in view.table.itertuples():
        a = view.assessments[row.plan_id]
        measurable = a.targets[a.targets["status"].astype(str) != "not_measurable"]
        assert row.targets_at_risk == int((measurable["status"].astype(str) == "at_risk").sum())
        assert row.tasks_overdue == int((a.tasks["status"].astype(str) == "overdue").sum())
    assert view.sample


def test_outliers_follow_tukeys_rule():
    table = pd.DataFrame({"score": [70.0, 71.0, 72.0, 73.0, 20.0]})
    assert list(consolidate.outliers(table, "score")) == [False, False, False, False, True]
    assert not consolidate.outliers(table.head(3), "score").any()  # too few to judge


def test_city_report_writes_html_pdf_and_excel_with_the_league_table(city, tmp_path, capsys):
    out = tmp_path / "reports"
    assert (
        main(["city", "--root", str(city), "--period", PERIOD, "--formats", "html,pdf", "--out", str(out), "--quiet"])
        == 0
    )
    folder = out / "city" / PERIOD
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    assert "Bảng xếp hạng các xã" in html and "DỮ LIỆU MẪU" in html
    view = consolidate.build_city_view(city, PERIOD)
    for commune in view.table["commune"]:
        assert commune in html
    assert next(folder.glob("*.pdf")).read_bytes().startswith(b"%PDF")
    xlsx = next(folder.glob("*.xlsx"))
    league = pd.read_excel(xlsx, sheet_name=0)
    assert list(league["Xã"].str.replace(" (khác thường)", "", regex=False)) == list(view.table["commune"])
    sidecar = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
    assert sidecar.get("period") == PERIOD
