"""Which targets and tasks the dashboard shows: text folding, filter masks, the selection.

Everything here is plain pandas/numpy over an ``Assessment``, so the tests and the benchmark
call it without widgets. ``masks`` gives boolean rows; ``selection`` the report's display
tables (``tables.target_table`` / ``tables.task_table``) restricted to them.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from cchc_lib.assessment.engine import Assessment, is_value
from cchc_lib.i18n import fmt
from cchc_lib.report import tables

__all__ = ["ATTENTION", "TARGET_SEARCH", "TASK_SEARCH", "fold", "haystack", "masks", "selection", "slug"]

# The "Cần chú ý" choice of each status filter: what a chairman wants to see first.
ATTENTION = {"targets": ("at_risk", "missed", "no_data"), "tasks": ("overdue", "done_late", "recurring_missing")}
# Columns a free-text search looks in.
TARGET_SEARCH = ("target_id", "indicator", "indicator_en", "text")
TASK_SEARCH = ("task_id", "text")


def fold(text) -> str:
    """Lower case, without diacritics, single spaces: ``fold("Hồ sơ  ĐẤT đai") == "ho so dat dai"``.

    NFD splits a letter from its marks (ồ → o + ̂ + ̀) and the marks are dropped; đ has no
    decomposition in Unicode, so it is mapped to d by hand.
    """
    if fmt.is_missing(text):
        return ""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.casefold().split())


def haystack(frame: pd.DataFrame, cols: tuple[str, ...]) -> list[str]:
    """One folded text per row, of the given columns: what a search looks in (built once per view)."""
    present = [c for c in cols if c in frame.columns]
    return [
        fold(" ".join("" if fmt.is_missing(v) else str(v) for v in row))
        for row in frame[present].itertuples(index=False)
    ]


def slug(text: str) -> str:
    """A short file-name part from free text ("Hồ sơ đất" → "ho-so-dat")."""
    return re.sub(r"[^a-z0-9.]+", "-", fold(text)).strip("-")[:40]


def _codes(x) -> tuple[str, ...] | None:
    if x is None or x == "" or (isinstance(x, (list, tuple, set, frozenset)) and not x):
        return None
    return (x,) if isinstance(x, str) else tuple(x)


def masks(
    a: Assessment,
    area: str | None = None,
    unit: str | None = None,
    target_status=None,
    task_status=None,
    search: str = "",
    haystacks: tuple[list[str], list[str]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean row masks over ``a.targets`` and ``a.tasks`` for the given filters.

    ``area`` and ``unit`` are ids (an area id, a unit id; the lead unit); the statuses are a
    code or a list of codes; ``search`` matches, without case or diacritics, the id, the
    indicator and the plan text of a target and the id and text of a task. ``haystacks``
    are the folded texts of ``haystack`` when the caller keeps them.
    """
    t, k = a.targets, a.tasks
    mt, mk = np.ones(len(t), bool), np.ones(len(k), bool)
    if area:
        mt &= is_value(t["area_id"], area).to_numpy()
        mk &= is_value(k["area_id"], area).to_numpy()
    if unit:
        mt &= is_value(t["lead_unit_id"], unit).to_numpy()
        mk &= is_value(k["lead_unit_id"], unit).to_numpy()
    ts, ks = _codes(target_status), _codes(task_status)
    if ts:
        mt &= t["status"].isin(list(ts)).fillna(False).to_numpy(dtype=bool)
    if ks:
        mk &= k["status"].isin(list(ks)).fillna(False).to_numpy(dtype=bool)
    q = fold(search)
    if q:
        ht, hk = haystacks or (haystack(t, TARGET_SEARCH), haystack(k, TASK_SEARCH))
        mt &= np.fromiter((q in h for h in ht), bool, len(ht))
        mk &= np.fromiter((q in h for h in hk), bool, len(hk))
    return mt, mk


def selection(
    a: Assessment,
    area: str | None = None,
    unit: str | None = None,
    target_status=None,
    task_status=None,
    search: str = "",
    lang: str = "vi",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The target and task display tables of ``a`` (as in the report) restricted to the filters.

    Columns are the reader's headers plus ``_status`` (the status code, used for colours and
    dropped on export). See ``masks`` for the meaning of the filters.
    """
    mt, mk = masks(a, area, unit, target_status, task_status, search)
    return (
        tables.target_table(a, lang)[mt].reset_index(drop=True),
        tables.task_table(a, lang)[mk].reset_index(drop=True),
    )
