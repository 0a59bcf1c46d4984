"""Reports name their inputs relative to the data root, never by the machine's absolute path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import nbformat
import pytest

from cchc_lib.assessment.engine import assess
from cchc_lib.core import paths
from cchc_lib.progress.loader import load_progress
from cchc_lib.progress.sample import write_sample
from cchc_lib.report.document import Report
from cchc_lib.report.official import write_official
from cchc_lib.report.run import _Job, _without_machine_paths

DRIVE = re.compile(r"\b[A-Za-z]:[\\/]")


def machine_paths(text: str, *folders: Path) -> list[str]:
    """Absolute paths in ``text``: the given folders, /tmp, /home, a Windows drive letter."""
    found = [str(f) for f in folders if str(f) in text]
    found += re.findall(r"(?<![\w.])/(?:tmp|home|Users|root|work)/[^\s\"'<]*", text)
    return found + DRIVE.findall(text)


def test_a_file_under_the_data_root_is_named_from_there(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path.anchor)
    f = tmp_path / "data" / "progress" / "xa-a-2031" / "2031" / "q2.xlsx"
    assert paths.shown_name(f) == "progress/xa-a-2031/2031/q2.xlsx"
    assert paths.shown_label(f"{f} [trang Nhập liệu]") == "progress/xa-a-2031/2031/q2.xlsx [trang Nhập liệu]"


def test_a_file_elsewhere_is_named_by_its_folder_and_name(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path.anchor)  # the file is not under the working folder either (bar the root)
    f = tmp_path / "elsewhere" / "2031" / "tasks.csv"
    assert paths.shown_name(f) == "2031/tasks.csv"
    assert paths.shown_label("—") == "—"
    params = paths.shown_params({"plan": str(tmp_path / "data" / "plans" / "xa-a"), "data": str(f.parent), "n": 3})
    assert params == {"plan": "plans/xa-a", "data": "elsewhere/2031", "n": 3}


def test_a_file_under_the_working_folder_is_named_from_there(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert paths.shown_name(tmp_path / "mine" / "2031" / "q1.csv") == "mine/2031/q1.csv"
    assert paths.shown_name("mine/q1.csv") == "mine/q1.csv"


@pytest.fixture(scope="module")
def outside(plan, tmp_path_factory):
    """An assessment of the sample year kept in a folder outside the data root."""
    folder = write_sample(plan, tmp_path_factory.mktemp("machine") / "somewhere" / "2024")
    return assess(plan, load_progress(folder, plan), "2024-H1"), folder


@pytest.mark.slow
def test_appendix_c_names_each_source_without_the_machine_path(outside):
    a, folder = outside
    for lang in ("vi", "en"):
        html = str(Report(a, lang).appendix().data)
        assert machine_paths(html, folder, folder.parent) == []
        assert "2024/tasks.csv" in html and "2024/dossiers.csv" in html


@pytest.mark.slow
def test_appendix_c_names_sources_under_the_data_root_from_there(plan, tmp_path, monkeypatch):
    root = tmp_path / "data"
    monkeypatch.setenv("CCHC_DATA", str(root))
    folder = write_sample(plan, root / "progress" / plan.plan_id / "2024")
    a = assess(plan, load_progress(folder, plan), "2024-Q1")
    html = str(Report(a, "vi").appendix().data)
    assert f"progress/{plan.plan_id}/2024/tasks.csv" in html
    assert machine_paths(html, tmp_path) == []


@pytest.mark.slow
def test_official_report_and_its_sidecar_name_no_machine_path(outside, tmp_path):
    a, folder = outside
    res = write_official(a, tmp_path / "out", lang="vi", formats=("html",))
    text = "\n".join(p.text for p in docx.Document(res.files["docx"]).paragraphs)
    for content in (text, res.files["html"].read_text(encoding="utf-8"), res.sidecar.read_text(encoding="utf-8")):
        assert machine_paths(content, folder, tmp_path) == []


def test_published_notebook_and_sidecar_parameters_are_relative(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA", str(tmp_path / "data"))
    plan_dir, data_dir = tmp_path / "data" / "plans" / "xa-a", tmp_path / "x" / "2031"
    params = {"plan": str(plan_dir), "data": str(data_dir), "period": "2031-Q1"}
    nb = nbformat.v4.new_notebook()
    source = "".join(f"{k} = {json.dumps(v)}\n" for k, v in params.items())
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})]
    nb.metadata["papermill"] = {
        "parameters": dict(params),
        "input_path": str(tmp_path / "nb" / "q.ipynb"),
        "output_path": str(tmp_path / "stage" / "s.ipynb"),
    }
    job = _Job(tmp_path / "nb" / "q.ipynb", tmp_path / "out", "s", ("html",), {}, params, tmp_path / "stage")
    _without_machine_paths(nb, job)
    written = nbformat.writes(nb)
    assert machine_paths(written, tmp_path) == []
    assert 'plan = "plans/xa-a"' in nb.cells[0].source and nb.metadata["papermill"]["input_path"] == "q.ipynb"
    assert nb.metadata["papermill"]["parameters"]["period"] == "2031-Q1"


def test_a_sheet_is_named_in_the_reports_language(tmp_path, monkeypatch):
    from cchc_lib.report.appendix import source_name

    monkeypatch.setenv("CCHC_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path.anchor)
    label = f"{tmp_path / 'x' / '2031' / 'q2.xlsx'} [trang Nhập liệu]"
    assert source_name(label, "en") == "2031/q2.xlsx [sheet Nhập liệu]"
    assert source_name(label, "vi") == "2031/q2.xlsx [trang Nhập liệu]"
    assert source_name(str(tmp_path / "x" / "2031" / "tasks.csv"), "en") == "2031/tasks.csv"
