"""Quarterly notes of the sample year, in administrative Vietnamese.

The texts live in ``config/sample_notes.toml``, by theme (institutions, procedures, …); an
area gets the theme its name speaks of, whatever the plan numbers it, so a finance area
never receives a text about staff appraisal.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from importlib import resources

from cchc_lib.progress.sample.calendar import _Calendar

FALLBACK_THEME = "khac"
DIRECTION_THEME = "chi_dao"
COLUMNS = ("highlights", "difficulties", "proposals")
DEFAULT_APP = "ứng dụng công dân số của tỉnh"


@cache
def _bank() -> dict:
    text = resources.files("cchc_lib.config").joinpath("sample_notes.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


def area_themes(plan) -> dict[str, str]:
    """Theme of each area: the plan's direction area, else the first theme its name matches."""
    themes = _bank()["themes"]
    out = {}
    for a in plan.areas.sort_values("order").itertuples():
        name = _norm(a.name)
        if a.area_id == plan.direction_area:
            out[a.area_id] = DIRECTION_THEME
            continue
        out[a.area_id] = next(
            (key for key, th in themes.items() if any(_norm(m) in name for m in th.get("match", ()))),
            FALLBACK_THEME,
        )
    return out


def _upper_level(plan) -> str:
    """The level above the commune as the notes name it: 'thành phố', 'huyện', 'thị xã' or 'tỉnh'."""
    own = plan.term("upper_level")
    if own:
        return own
    city = _norm(plan.meta.get("city") or "")
    return next((w for w in ("thành phố", "thị xã", "huyện") if city.startswith(w)), "tỉnh")


def _fits(text: str, quarter: int) -> tuple[bool, str]:
    """Whether a bank text suits the quarter (1–4), and the text without its tag."""
    if text.startswith("["):
        tag, _, rest = text[1:].partition("]")
        return str(quarter) in tag, rest
    return True, text


def _gen_notes(plan, rng, cal: _Calendar) -> list[dict]:
    bank = _bank()
    words = {"year": cal.year, "app": plan.term("citizen_app", DEFAULT_APP), "upper": _upper_level(plan)}
    themes = area_themes(plan)
    areas = list(themes)
    fixed = [a for a in areas if bank["themes"][themes[a]].get("every_quarter")]
    others = [a for a in areas if a not in fixed]
    rows = []
    used: dict[tuple[str, str], str] = {}  # last text per area and column, not repeated next quarter
    for qi, q in enumerate(cal.quarters):
        g = bank["general"][qi % len(bank["general"])]
        rows.append({"period": q["code"], "area_id": "", **{k: g[k].format(**words) for k in COLUMNS}})
        # The one-stop and digital areas every quarter, three or four others in turn.
        k = min(len(others), int(rng.integers(3, 5)))
        picked = {others[i] for i in rng.choice(len(others), size=k, replace=False)} if others else set()
        for a in areas:
            if a not in fixed and a not in picked:
                continue
            texts = bank["themes"][themes[a]]
            row = {"period": q["code"], "area_id": a}
            for col in COLUMNS:
                fitting = [t for ok, t in (_fits(x, q["n"]) for x in texts.get(col, ())) if ok]
                keep = col == "highlights" or rng.random() < (0.75 if col == "difficulties" else 0.5)
                text = None
                if fitting and keep:
                    fresh = [t for t in fitting if t != used.get((a, col))] or fitting
                    text = fresh[int(rng.integers(len(fresh)))]
                    used[(a, col)] = text
                row[col] = text.format(**words) if text else None
            rows.append(row)
    rows.sort(key=lambda r: (r["period"], r["area_id"]))
    return rows
