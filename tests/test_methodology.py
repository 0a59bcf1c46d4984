"""The methodology appendix states the numbers of the rules it is given, never its own."""

from __future__ import annotations

import copy

import pytest

from cchc_lib.assessment.engine import load_rules
from cchc_lib.report.methodology import method_lines, objective_word, rating_bands


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_default_bands_read_as_the_rules_state_them(rules):
    assert rating_bands(rules, "vi") == "Tốt ≥ 85, Khá ≥ 70, Trung bình ≥ 50, Yếu < 50"
    assert rating_bands(rules, "en") == "Excellent ≥ 85, Good ≥ 70, Average ≥ 50, Poor < 50"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_rule_number_appears_and_follows_a_change(rules, lang):
    changed = copy.deepcopy(rules)
    changed["targets"]["rate_margin_pp"] = 7
    changed["targets"]["level_tolerance"] = 0.12
    changed["rating"]["min_coverage"] = 0.4
    changed["rating"]["bands"][0]["min"] = 90
    changed["scores"]["target_points"]["on_track"] = 75
    changed["scores"]["task_weights"]["deadline"] = 3
    before, after = " ".join(method_lines(rules, lang)), " ".join(method_lines(changed, lang))
    under = "dưới" if lang == "vi" else "fewer than"
    for old, new in (("5 đi" if lang == "vi" else "5 perc", "7 đi" if lang == "vi" else "7 perc"), ("5%", "12%")):
        assert old in before and new in after, (old, new)
    assert f"{under} 50%" in before and f"{under} 40%" in after
    assert "≥ 85" in before and "≥ 90" in after and "≥ 85" not in after
    assert " 80" in before and " 75" in after
    assert ("trọng số 2" if lang == "vi" else "weighs 2") in before
    assert ("trọng số 3" if lang == "vi" else "weighs 3") in after


def test_scored_and_skipped_statuses_come_from_the_points_tables(rules):
    text = " ".join(method_lines(rules, "en"))
    assert "Met 100" in text and "Missed 0" in text and "Done late 60" in text
    assert "not scored: not yet due, no data, not quantified" in text


def test_objective_word_is_the_band_of_the_objective_level(rules):
    assert objective_word(3, rules, "vi") == "khá"
    assert objective_word(4, rules, "en") == "excellent"
    assert objective_word(9, rules, "en") == "—"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_grading_rule_is_described_from_the_rules(rules, lang):
    changed = copy.deepcopy(rules)
    changed["grading"]["min_evidence"] = 3
    changed["grading"]["standing_duties_count"] = True
    before, after = " ".join(method_lines(rules, lang)), " ".join(method_lines(changed, lang))
    least = "ít nhất" if lang == "vi" else "at least"
    assert f"{least} 1 " in before and f"{least} 3 " in after and f"{least} 1 " not in after
    phrase = "Chưa đủ căn cứ đánh giá" if lang == "vi" else "Not enough evidence to assess"
    assert phrase in before
    no = "không được tính là căn cứ" if lang == "vi" else "do not count as evidence"
    yes = "cũng được tính là căn cứ" if lang == "vi" else "count as evidence too"
    assert no in before and yes not in before and yes in after and no not in after
    outside = "Chỉ chấm điểm đơn vị chủ trì cấp xã" if lang == "vi" else "Only commune-level lead units are scored"
    assert outside in before
