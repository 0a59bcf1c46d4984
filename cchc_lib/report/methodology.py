"""The methodology appendix, written from the assessment rules themselves.

Every number the appendix states (margins, tolerances, points per status, weights, rating
bands, the coverage below which a rating is flagged) is read from the merged rules
(``cchc_lib/config/rules.toml`` overridden by the plan's ``rules.toml``), so the text
cannot drift from what the engine computes. The sentences are the catalogue's
(``method.*`` in vi.toml / en.toml).
"""

from __future__ import annotations

from collections.abc import Mapping

from cchc_lib import i18n
from cchc_lib.i18n import fmt, vocab


def rating_bands(rules: Mapping, lang: str = "vi") -> str:
    """'Tốt ≥ 85, Khá ≥ 70, Trung bình ≥ 50, Yếu < 50' from ``rules.rating.bands``."""
    bands = sorted(rules["rating"]["bands"], key=lambda b: -b["min"])
    parts = []
    for i, band in enumerate(bands):
        word = vocab.rating(band["code"], lang)
        if band["min"] > 0 or i == 0:
            parts.append(f"{word} ≥ {fmt.number(band['min'], 0, lang)}")
        else:
            parts.append(f"{word} < {fmt.number(bands[i - 1]['min'], 0, lang)}")
    return ", ".join(parts)


def objective_word(level: int | None, rules: Mapping, lang: str = "vi") -> str:
    """The rating word of a level (3 → 'khá'), lower case for mid-sentence use."""
    for band in rules["rating"]["bands"]:
        if int(band["level"]) == level:
            return vocab.rating(band["code"], lang).lower()
    return fmt.DASH


def _points(points: Mapping, word, lang: str) -> str:
    """'Đạt 100, Đúng tiến độ 80, …' for the statuses that are scored."""
    return ", ".join(f"{word(code, lang)} {fmt.number(p, 0, lang)}" for code, p in points.items() if p != "skip")


def _skipped(points: Mapping, word, lang: str) -> str:
    return ", ".join(word(code, lang).lower() for code, p in points.items() if p == "skip")


def grading_lines(rules: Mapping, lang: str = "vi") -> list[str]:
    """Who is scored at all (rules.toml [grading]): the evidence rule and the unit levels."""
    g = rules["grading"]
    standing = "method.grading_standing_yes" if g["standing_duties_count"] else "method.grading_standing_no"
    level_words = i18n.table("tables")[lang]
    levels = ", ".join(str(level_words.get(x, x)) for x in g["unit_levels"])
    return [
        i18n.t("method.grading", lang, n=fmt.number(g["min_evidence"], 0, lang), standing=i18n.t(standing, lang)),
        i18n.t("method.unit_levels", lang, levels=levels),
    ]


def method_lines(rules: Mapping, lang: str = "vi") -> list[str]:
    """The appendix bullets, each with its numbers from ``rules``."""
    targets, scores = rules["targets"], rules["scores"]

    def n(x) -> str:
        return fmt.number(x, 0, lang)

    return [
        i18n.t("method.periods", lang),
        i18n.t("method.rates", lang, margin=n(targets["rate_margin_pp"])),
        i18n.t("method.levels", lang, tol=n(100 * targets["level_tolerance"])),
        i18n.t("method.tasks", lang),
        i18n.t(
            "method.target_points",
            lang,
            points=_points(scores["target_points"], vocab.target_status, lang),
            skipped=_skipped(scores["target_points"], vocab.target_status, lang),
        ),
        i18n.t(
            "method.task_points",
            lang,
            points=_points(scores["task_points"], vocab.task_status, lang),
            deadline=n(scores["task_weights"]["deadline"]),
            recurring=n(scores["task_weights"]["recurring"]),
        ),
        i18n.t(
            "method.scores",
            lang,
            targets=fmt.percent(100 * scores["weights"]["targets"], 0, lang),
            tasks=fmt.percent(100 * scores["weights"]["tasks"], 0, lang),
            bands=rating_bands(rules, lang),
        ),
        *grading_lines(rules, lang),
        i18n.t("method.coverage", lang, coverage=fmt.percent(100 * rules["rating"]["min_coverage"], 0, lang)),
        i18n.t("method.details", lang),
    ]
