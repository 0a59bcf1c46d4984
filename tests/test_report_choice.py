"""The one decision "which documents for this period", shared by ``cchc report`` and ``cchc batch``."""

from __future__ import annotations

import itertools

import pytest

from cchc_lib.core.periods import PeriodError
from cchc_lib.report.choice import ONLY, documents_for

OFFICIAL = ("2024-Q1", "2024-H1", "2024-Q3", "2024")
INTERNAL = ("2024-Q2", "2024-Q4", "2024-H2")


@pytest.mark.parametrize(
    ("period", "only", "anyway"), list(itertools.product(OFFICIAL + INTERNAL, ONLY, (False, True)))
)
def test_documents_for_every_period_kind_only_and_anyway(period, only, anyway):
    allowed = period in OFFICIAL or anyway
    if only == "official" and not allowed:
        with pytest.raises(PeriodError, match="official-anyway"):
            documents_for(period, only, anyway)
        return
    docs = documents_for(period, only, anyway)
    assert docs.assessment == (only in ("both", "assessment"))
    assert docs.official == (only in ("both", "official") and allowed)
    # a note exactly when the user asked for the official report and the period leaves it out
    assert bool(docs.note) == (only == "both" and not allowed)


def test_documents_note_names_the_period_in_the_chosen_language():
    assert "Quý II/2024" in documents_for("2024-Q2").note
    en = documents_for("2024-Q2", lang="en").note
    assert "--official-anyway" in en and "internal" in en


def test_documents_for_refuses_an_unknown_only():
    with pytest.raises(ValueError, match="only"):
        documents_for("2024-Q1", "docx")


def test_batch_runner_makes_the_documents_the_choice_names(monkeypatch, tmp_path):
    """``cchc batch``'s runner follows the same decision: no official report for an internal period."""
    import contextlib
    from types import SimpleNamespace

    import cchc_lib.assessment.engine as engine
    import cchc_lib.progress.inputs as inputs
    import cchc_lib.report.document as document
    import cchc_lib.report.handoff as handoff
    import cchc_lib.report.official as official
    from cchc_lib.city.batch import Job, _default_runner

    made = []  # the runner loads and assesses once for both documents: not what this test is about
    fake = SimpleNamespace(plan=None, progress=None, period=None, cutoff="nd09")
    monkeypatch.setattr(inputs, "load_inputs", lambda *a, **k: fake)
    monkeypatch.setattr(engine, "assess", lambda *a, **k: None)
    monkeypatch.setattr(handoff, "handed_off", lambda *a: contextlib.nullcontext(""))
    monkeypatch.setattr(document, "produce", lambda *a, **k: made.append("assessment"))
    monkeypatch.setattr(official, "produce_official", lambda *a, **k: made.append("official"))
    for period, only, anyway, expected in [
        ("2024-Q1", "both", False, ["assessment", "official"]),
        ("2024-Q2", "both", False, ["assessment"]),
        ("2024-Q2", "both", True, ["assessment", "official"]),
        ("2024-H1", "assessment", False, ["assessment"]),
        ("2024-Q3", "official", False, ["official"]),
    ]:
        made.clear()
        _default_runner(Job("p", str(tmp_path), str(tmp_path), period, only=only, official_anyway=anyway))
        assert made == expected, (period, only, anyway)


def test_batch_jobs_carry_only_and_anyway_into_the_content_hash(tmp_path):
    from cchc_lib.city.batch import content_hash, jobs_for

    plan = tmp_path / "plans" / "xa-mot-2024"
    plan.mkdir(parents=True)
    [both] = jobs_for(tmp_path, [plan], ["2024-Q2"])
    [anyway] = jobs_for(tmp_path, [plan], ["2024-Q2"], only="both", official_anyway=True)
    [assessment] = jobs_for(tmp_path, [plan], ["2024-Q2"], only="assessment")
    assert (both.only, both.official_anyway, anyway.official_anyway, assessment.only) == (
        "both",
        False,
        True,
        "assessment",
    )
    assert len({content_hash(j, "code") for j in (both, anyway, assessment)}) == 3  # a rerun with other options redoes


def test_cli_batch_refuses_only_official_for_an_internal_period_before_any_report(tmp_path, capsys):
    pytest.importorskip("distributed")
    from cchc_lib.cli import main

    (tmp_path / "data" / "plans").mkdir(parents=True)
    args = ["batch", "--root", str(tmp_path / "data"), "--periods", "2024-Q1,2024-Q2", "--only", "official"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Quý II/2024" in err and "--official-anyway" in err and "Traceback" not in err
