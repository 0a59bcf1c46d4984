"""``cchc report`` hands its assessment to the notebook's kernel (``report.handoff``): the
report built from it is the report built by loading, and it is used only for the very files
and code it was made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cchc_lib.progress.inputs import load_inputs
from cchc_lib.progress.sample import write_sample
from cchc_lib.report import handoff
from cchc_lib.report.document import Report

from .conftest import PLAN_DIR, edit_cell, read_rows

pytestmark = pytest.mark.slow  # loads and assesses the sample year several times

PERIOD = "2024-Q2"
SECTIONS = ("header_html", "summary_html", "direction", "one_stop", "units", "overall_assessment")
SECTIONS += ("next_period", "proposals", "appendix")


@pytest.fixture
def folders(plan, tmp_path) -> tuple[Path, Path]:
    """A copy of the plan and a sample year of its own (both may be changed by a test)."""
    plan_dir = tmp_path / PLAN_DIR.name
    shutil.copytree(PLAN_DIR, plan_dir)
    return plan_dir, write_sample(plan, tmp_path / "data")


def _html(r: Report) -> dict[str, str]:
    out = {name: str(getattr(r, name)()) if not name.endswith("_html") else getattr(r, name)() for name in SECTIONS}
    out.update({area: r.area_html(area) for area in r.areas()})
    return out


def _handed(plan_dir, data_dir):
    from cchc_lib.assessment.engine import assess

    inputs = load_inputs(plan_dir, data_dir, PERIOD, digest=True)
    return inputs, assess(inputs.plan, inputs.progress, inputs.period, inputs.cutoff)


def test_the_report_from_the_handoff_is_the_report_from_the_files(folders, monkeypatch):
    plan_dir, data_dir = folders
    loaded = Report.build(str(plan_dir), str(data_dir), PERIOD, report_date="2024-07-01")
    inputs, a = _handed(plan_dir, data_dir)
    with handoff.handed_off(inputs, a) as path:
        assert Path(path).is_file()
        with monkeypatch.context() as m:
            m.setattr(Report, "_assess", staticmethod(lambda *args: pytest.fail("loaded again")))
            handed = Report.build(str(plan_dir), str(data_dir), PERIOD, report_date="2024-07-01", handoff=path)
    assert not Path(path).exists() and not Path(path).parent.exists()  # removed with its folder
    assert _html(handed) == _html(loaded)
    assert handed.history.equals(loaded.history)


@pytest.mark.parametrize("changed", ["data", "plan", "period", "language"])
def test_the_handoff_is_ignored_when_what_it_was_made_from_differs(folders, monkeypatch, changed):
    plan_dir, data_dir = folders
    inputs, a = _handed(plan_dir, data_dir)
    loads = []
    real = Report._assess
    monkeypatch.setattr(Report, "_assess", staticmethod(lambda *args: loads.append(args) or real(*args)))
    period, lang = PERIOD, "vi"
    with handoff.handed_off(inputs, a) as path:
        if changed == "data":  # a task marked done after the hand-off was made
            _, rows = read_rows(data_dir / "tasks.csv")
            edit_cell(data_dir / "tasks.csv", 0, "note", rows[0]["note"] + " (sửa sau)")
        elif changed == "plan":
            (plan_dir / "meta.toml").write_text((plan_dir / "meta.toml").read_text("utf-8") + "\n", "utf-8")
        elif changed == "period":
            period = "2024-Q3"
        else:
            lang = "en"
        r = Report.build(str(plan_dir), str(data_dir), period, lang=lang, handoff=path)
    assert len(loads) == 1  # loaded from the files, as without a hand-off
    assert r.a.period.code == period


def test_a_file_of_another_key_is_never_unpickled(tmp_path):
    path = tmp_path / "x.pickle"
    path.write_bytes(handoff.MAGIC + b"0" * 64 + b"\n" + b"not a pickle")
    assert handoff.read(path, "1" * 64) is None
    path.write_bytes(handoff.MAGIC + b"1" * 64 + b"\n" + b"not a pickle")
    assert handoff.read(path, "1" * 64) is None  # the key matches, the rest is unreadable: loaded instead
    assert handoff.read(tmp_path / "missing.pickle", "1" * 64) is None


def test_inputs_loaded_by_hand_carry_no_key(folders):
    plan_dir, data_dir = folders
    inputs = load_inputs(plan_dir, data_dir, PERIOD)
    assert inputs.digests is None and handoff.key_of_inputs(inputs) is None
    with handoff.handed_off(inputs, None) as path:
        assert path == ""
    assert handoff.key_of_files("hai-duong-2024", "sample", PERIOD, "nd09", "vi") is None  # not folders: load
