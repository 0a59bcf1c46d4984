"""A second, differently shaped plan runs through the whole toolkit, and the two plans never mix.

``minh-phong-2025`` is fictional (data/plans/minh-phong-2025/meta.toml): six areas III.1–III.6,
direction in III.6, "≤ 2%", "= 0", count and "tốt" rating targets, eight other units. Every
command runs on a copy of the repository's data (``CCHC_DATA``), so nothing is written into it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cchc_lib import load_plan
from cchc_lib.assessment.engine import assess
from cchc_lib.cli import main
from cchc_lib.progress.loader import load_progress

REPO = Path(__file__).resolve().parents[1]
OTHER = "minh-phong-2025"
SHIPPED = "hai-duong-2024"
PERIODS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-H1", "2025-H2", "2025")

# What belongs to the shipped plan only: names, decision, signer, local terms, ids.
SHIPPED_MARKS = (
    r"Hải Dương",
    r"Huế",
    r"Hue-S",
    r"Thừa Thiên",
    r"07/QĐ-UBND",
    r"Lê Xuân Hương",
    r"mục II\b",
    r"(?<![IVX.])II\.[1-7]\b",  # area ids II.1–II.7 (not III.1)
    r"\bT[1-7]\.\d{2}\b",  # target ids T1.01 … (not T3.2.01)
    r"\b(?:NV|PL)[1-7]\.\d{2}\b",
)
# What belongs to the fictional plan only.
OTHER_MARKS = (
    r"Minh Phong",
    r"An Thịnh",
    r"Vạn Xuân",
    r"15/QĐ-UBND",
    r"Trần Thị Mai",
    r"giả định",
    r"mục III\b",
    r"\bT3\.\d\.\d{2}\b",
    r"\b(?:NV|PL)3\.\d\.\d{2}\b",
)


def _leaks(text: str, marks) -> list[str]:
    return [m.group(0) for p in marks for m in [re.search(p, text)] if m]


@pytest.fixture(scope="module")
def data_root(tmp_path_factory, monkeypatch_module):
    """Both plans (and nothing else) in a fresh data folder, used through CCHC_DATA."""
    root = tmp_path_factory.mktemp("data")
    for plan_id in (SHIPPED, OTHER):
        shutil.copytree(REPO / "data" / "plans" / plan_id, root / "plans" / plan_id)
    monkeypatch_module.setenv("CCHC_DATA", str(root))
    return root


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def sample(data_root):
    """``cchc sample-data --plan minh-phong-2025`` into the copy: the generic generator."""
    assert main(["sample-data", "--plan", OTHER]) == 0
    return data_root / "progress" / OTHER / "sample"


@pytest.mark.slow
def test_the_fictional_plan_is_shaped_differently(data_root):
    p = load_plan(OTHER)
    assert list(p.areas["area_id"]) == [f"III.{i}" for i in range(1, 7)] and p.direction_area == "III.6"
    t = p.targets
    assert 28 <= len(t) <= 34 and 33 <= len(p.tasks) <= 37 and len(p.units) == 8
    assert {"≥", "≤", "="} <= set(t["comparator"].dropna())
    assert ((t["comparator"] == "≤") & (t["target_value"] == 2)).any()
    assert ((t["comparator"] == "=") & (t["target_value"] == 0)).any()
    assert (t["unit"] == "count").any()
    assert p.rating_target["target_value"] == 4  # "tốt", not the library's guess
    assert p.tasks["task_id"].str.startswith("PL").sum() >= 10  # a Phụ lục


@pytest.mark.slow
def test_validate_runs_on_it(data_root, capsys):
    assert main(["validate", "--plan", OTHER]) == 0
    out = capsys.readouterr().out
    assert "Minh Phong" in out and "III.6" in out and _leaks(out, SHIPPED_MARKS) == []


@pytest.mark.slow
def test_generated_sample_is_the_committed_one(sample):
    committed = REPO / "data" / "progress" / OTHER / "sample"
    for f in sorted(committed.iterdir()):
        assert (sample / f.name).read_bytes() == f.read_bytes(), f.name


@pytest.mark.slow
def test_sample_notes_follow_the_areas_themes(sample, data_root):
    p = load_plan(OTHER)
    notes = load_progress(sample, p).notes
    finance = " ".join(
        notes.loc[notes["area_id"] == "III.4", ["highlights", "difficulties", "proposals"]].stack().dropna()
    )
    assert "ngân sách" in finance or "chi thường xuyên" in finance
    assert "xếp loại chất lượng cán bộ" not in finance  # staff appraisal belongs to III.3
    text = " ".join(notes[["highlights", "difficulties", "proposals"]].stack().dropna())
    assert "huyện" in text and _leaks(text, SHIPPED_MARKS) == []


@pytest.mark.slow
def test_templates_for_every_quarter(sample, tmp_path):
    for q in PERIODS[:4]:
        assert main(["template", "--plan", OTHER, "--period", q, "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.xlsx"))) == 4


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.slow
def test_assess_every_period_without_the_other_plans_words(sample, period, capsys):
    assert main(["assess", "--plan", OTHER, "--period", period]) == 0
    out = capsys.readouterr().out
    assert "Minh Phong" in out
    assert _leaks(out, SHIPPED_MARKS) == []


@pytest.mark.slow
def test_verdicts_follow_the_plans_own_objectives(sample, data_root):
    p = load_plan(OTHER)
    a = assess(p, load_progress(sample, p), "2025")
    t = a.targets.set_index("target_id")
    overshot = t[(t["comparator"] == "=") & (t["actual"] > t["target_value"])]
    assert len(overshot) and (overshot["status"] == "missed").all()  # "= 0" exceeded is missed
    assert a.overall["target_level"] == 4
    rating = t.loc[p.rating_target["target_id"]]
    # judged against "tốt" (4), the plan's own objective; the tool's estimate never meets it
    if rating["actual_source"] == "estimate":
        assert rating["status"] == ("on_track" if rating["actual"] >= 4 else "at_risk")
    else:
        assert rating["status"] == ("met" if rating["actual"] >= 4 else "missed")
    assert "T3.2.09" in a.rules["targets"]["annual_targets"]  # the plan's own rules.toml
    q2 = assess(p, load_progress(sample, p), "2025-Q2").targets.set_index("target_id")
    assert q2.loc["T3.2.09", "status"] == "not_due"


@pytest.mark.slow
def test_period_of_another_year_is_refused(sample, capsys):
    assert main(["assess", "--plan", OTHER, "--period", "2024-Q2"]) == 2
    err = capsys.readouterr().err
    assert "2024-Q2" in err and "năm 2025" in err and "Traceback" not in err


def test_plan_is_required_when_several_exist(sample, capsys):
    assert main(["assess", "--period", "2025-Q2"]) == 2
    err = capsys.readouterr().err
    assert "--plan" in err and SHIPPED in err and OTHER in err


@pytest.mark.slow
def test_plan_is_inferred_from_a_progress_folder(sample, capsys):
    assert main(["assess", "--data", str(sample), "--period", "2025-Q2"]) == 0
    assert "Minh Phong" in capsys.readouterr().out


@pytest.mark.notebook
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_html_and_pdf(sample, tmp_path, lang):
    from pypdf import PdfReader

    from cchc_lib.report.document import produce

    result = produce(OTHER, "sample", "2025-Q2", "nd09", lang, ("html", "pdf"), tmp_path, "2025-06-20", False)
    html = result.html.read_text(encoding="utf-8")
    pdf = "\n".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    for text in (html, pdf):
        assert _leaks(text, SHIPPED_MARKS) == []
        assert "Minh Phong" in text
    # Section I is the plan's direction area (III.6): section II numbers the other five only.
    p = load_plan(OTHER)
    names = [p.area_name(a, lang) for a in p.areas["area_id"]]
    assert f"5. {names[4]}" in html and f"6. {names[5]}" not in html and names[5] in html
    assert ("tốt trở lên" if lang == "vi" else "excellent or above") in html


@pytest.mark.notebook
def test_shipped_plans_report_has_none_of_the_fictional_words(sample, tmp_path):
    from cchc_lib.report.document import produce

    result = produce(SHIPPED, "sample", "2024-Q2", "nd09", "vi", ("html",), tmp_path, "2024-06-20", False)
    html = result.html.read_text(encoding="utf-8")
    assert _leaks(html, OTHER_MARKS) == []
    assert "Hải Dương" in html and "Hue-S" in html and "mục II" in html


@pytest.mark.notebook
def test_dashboard_notebook_runs_with_the_plan_as_parameter(sample, tmp_path):
    import nbformat
    import papermill

    from cchc_lib.core.paths import notebook

    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(notebook("explore.ipynb")),
        str(out),
        parameters={"plan": OTHER, "data": "sample", "period": "2025-Q3", "out_dir": str(tmp_path / "x")},
        progress_bar=False,
        kernel_name="python3",
    )
    nb = nbformat.read(out, as_version=4)
    outputs = "\n".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    assert "Error" not in outputs and "Traceback" not in outputs
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
    )


@pytest.mark.notebook
def test_dashboard_notebook_without_a_plan_says_so(sample, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from cchc_lib.core.paths import notebook

    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(notebook("explore.ipynb")), str(tmp_path / "x.ipynb"), progress_bar=False, kernel_name="python3"
        )
    assert "--plan" in str(info.value) and OTHER in str(info.value)
