"""The city's widget view: picking a commune shows that commune's numbers and its own dashboard."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cchc_lib import i18n
from cchc_lib.assessment.engine import assess
from cchc_lib.city.report import CityReport
from cchc_lib.city.sample import write_sample_city
from cchc_lib.cli import main
from cchc_lib.explore.city import CityDashboard
from cchc_lib.i18n import fmt
from cchc_lib.plan.model import load_plan
from cchc_lib.progress.loader import load_progress

PERIOD = "2024-H1"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    base = tmp_path_factory.mktemp("city")
    root = write_sample_city(base / "data", communes=3, year=2024, seed=11)
    view = CityDashboard.build(root, PERIOD, prefetch=False, out_dir=base / "out")
    return root, view


def _shown(summary: str) -> dict[str, str]:
    """The summary table as {label: value}, the way the page prints it."""
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<th>(.*?)</th><td>(.*?)</td>", summary)}


def _expected(root, plan_id: str, lang: str = "vi") -> tuple[str, dict[str, str]]:
    """The commune's numbers from its own assessment, made here independently of the city view."""
    plan = load_plan(root / "plans" / plan_id)
    a = assess(plan, load_progress(root / "progress" / plan_id / "2024", plan), PERIOD)
    w = i18n.lookup("city", lang)
    status = a.targets["status"].astype(str)
    measurable = int((status != "not_measurable").sum())
    k = a.tthc.overall
    numbers = {
        w["rating"]: i18n.word("rating", a.overall["rating"], lang),
        w["score"]: fmt.number(a.overall["score"], 1, lang),
        w["met"]: f"{int((status == 'met').sum())}/{measurable}",
        w["at_risk"]: str(int((status == "at_risk").sum())),
        w["missed"]: str(int((status == "missed").sum())),
        w["overdue"]: str(int((a.tasks["status"].astype(str) == "overdue").sum())),
        w["online_rate"]: fmt.percent(k.at["online_rate", "value"], 1, lang),
        w["on_time_rate"]: fmt.percent(k.at["on_time_rate", "value"], 1, lang),
    }
    return plan.meta["commune"], numbers


@pytest.mark.slow  # the three-commune city is assessed once per module (several seconds)
def test_the_picker_lists_every_ranked_commune_and_starts_empty(city):
    root, d = city
    assert d.commune.value == "" and d.drill.children == ()
    assert {v for _, v in d.commune.options if v} == {p.name for p in (root / "plans").iterdir()}
    assert "<table" in d.league.value  # the league table of the city report, shown above the picker


@pytest.mark.slow  # the three-commune city is assessed once per module (several seconds)
def test_picking_a_commune_shows_its_assessment_numbers_and_switching_updates_them(city):
    root, d = city
    first, second = [v for _, v in d.commune.options if v][:2]
    for plan_id in (first, second, first):
        d.pick(plan_id)
        commune, numbers = _expected(root, plan_id)
        shown = _shown(d.summary.value)
        assert commune in html.unescape(d.summary.value)
        for label, value in numbers.items():
            assert shown[label] == value, (plan_id, label)
        drilled = d.drill.children[0]
        assert drilled is d.dashboards[plan_id].widget
        assert d.dashboards[plan_id].plan.plan_id == plan_id
    other_commune = _expected(root, second)[0]
    assert other_commune not in html.unescape(d.summary.value)


@pytest.mark.slow  # the three-commune city is assessed once per module (several seconds)
def test_the_drill_down_dashboard_reuses_the_city_assessment_on_the_city_period(city):
    _, d = city
    plan_id = [v for _, v in d.commune.options if v][-1]
    d.pick(plan_id)
    board = d.dashboards[plan_id]
    assert board.a is d.view.assessments[plan_id]  # handed over, not computed again
    assert board.period.value == PERIOD
    d.pick("")
    assert d.drill.children == () and html.escape(d.w["pick_hint"]) in d.summary.value


@pytest.mark.slow  # the three-commune city is assessed once per module (several seconds)
def test_the_view_speaks_english_when_chosen(city):
    root, d = city
    en = CityDashboard(CityReport(d.view, "en"), prefetch=False)
    plan_id = [v for _, v in en.commune.options if v][0]
    en.pick(plan_id)
    _, numbers = _expected(root, plan_id, "en")
    shown = _shown(en.summary.value)
    assert shown == {**shown, **numbers}
    assert en.commune.options[0][0] == i18n.t("city.pick_none", "en")


@pytest.mark.slow  # the three-commune city is assessed once per module (several seconds)
def test_a_commune_whose_dashboard_cannot_open_is_named_and_the_page_stays(city, monkeypatch):
    import cchc_lib.explore.dashboard as dashboard
    from cchc_lib.core.errors import DataError, Issue

    def broken(*args, **kwargs):
        raise DataError(Issue("tasks.csv", "ô hỏng"))

    monkeypatch.setattr(dashboard, "Dashboard", broken)
    d = CityDashboard(CityReport(city[1].view, "vi"), prefetch=False)
    plan_id = [v for _, v in d.commune.options if v][0]
    d.pick(plan_id)
    assert d.drill.children == () and "ô hỏng" in html.unescape(d.message.value)
    assert d.row(plan_id)["commune"] in html.unescape(d.message.value)
    assert _shown(d.summary.value)  # the summary from the league table is still shown


# --- cchc explore --city: the CLI serves city.ipynb with the widget view, behind a token ----------


class _FakeServer:
    """Stands in for the Voilà process: records what it was started on, then 'runs' at once."""

    started: list = []

    def __init__(self, cmd, cwd=None, env=None, stdout=None, stderr=None):
        workdir = Path(cwd)
        nb = next(workdir.glob("*.ipynb"))
        self.started.append(
            {
                "cmd": cmd,
                "notebook": nb.name,
                "source": nb.read_text(encoding="utf-8"),
                "config": json.loads((workdir / "voila.json").read_text(encoding="utf-8")),
            }
        )
        self.returncode = 0

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0


def test_cli_explore_city_serves_the_city_notebook_with_the_widget_view_behind_a_token(tmp_path, monkeypatch, capsys):
    import cchc_lib.explore.serve as serve

    (tmp_path / "data" / "plans").mkdir(parents=True)
    _FakeServer.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", _FakeServer)
    monkeypatch.setattr(serve, "wait_until_ready", lambda *a, **k: 0.0)
    args = ["explore", "--city", "--root", str(tmp_path / "data"), "--period", "2024-H1", "--serve", "--no-browser"]
    assert main(args) == 0
    [run] = _FakeServer.started
    out = capsys.readouterr().out
    token = run["config"]["Voila"]["token"]
    assert run["notebook"] == "city.ipynb" and f"?token={token}" in out and len(token) >= 24
    assert run["config"]["VoilaConfiguration"]["show_tracebacks"] is False
    assert run["config"]["Voila"]["tornado_settings"]["allow_remote_access"] is False
    source = "".join("".join(c["source"]) for c in json.loads(run["source"])["cells"])
    assert "dashboard = True" in source and 'period = "2024-H1"' in source
    assert f'root = "{(tmp_path / "data").resolve()}"' in source


def test_cli_explore_city_needs_a_period_and_a_data_root(tmp_path, capsys):
    (tmp_path / "data" / "plans").mkdir(parents=True)
    assert main(["explore", "--city", "--root", str(tmp_path / "data")]) == 2
    assert "--period" in capsys.readouterr().err
    assert main(["explore", "--city", "--root", str(tmp_path / "nowhere"), "--period", "2024-H1"]) == 2
    err = capsys.readouterr().err
    assert "plans/" in err and "Traceback" not in err
