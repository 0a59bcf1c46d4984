"""Charts of a quarterly assessment, with Vietnamese (or English) titles and captions.

Every function takes an ``Assessment`` (``assess.assess``) and returns a ``Chart``: a
matplotlib ``Figure`` plus a title and a caption computed from the data, so a report can
print "Hình 2. …" under the picture. A ``Chart`` displays itself in Jupyter (``_repr_png_``)
whatever the backend, and ``Chart.to_png()`` gives the bytes for HTML/PDF reports.

Numbers are written by ``fmt`` ("42,3%"), statuses and colours come from ``vocab``. Empty
inputs give a chart that says what is missing instead of an error. The modules: ``base``
(theme, ``Chart``, helpers), ``status`` (status by area, actual vs target), ``tthc``
(one-stop KPIs by month), ``timeline`` (tasks), ``scores`` (area heatmap, unit scorecard).
"""

from __future__ import annotations

import pandas as pd

from cchc_lib.i18n import fmt

from .base import DPI, FONT, LABEL_CHARS, MONTHLY_KPIS, ROW_HEIGHT, WIDTH, Chart, set_theme
from .scores import _history_from, area_heatmap, unit_scorecard
from .status import actual_vs_target, status_by_area
from .timeline import ROWS_PER_PART, task_timeline, task_timeline_parts
from .tthc import tthc_by_month

__all__ = [
    "DPI",
    "FONT",
    "LABEL_CHARS",
    "MONTHLY_KPIS",
    "ROWS_PER_PART",
    "ROW_HEIGHT",
    "WIDTH",
    "Chart",
    "actual_vs_target",
    "all_charts",
    "area_heatmap",
    "set_theme",
    "status_by_area",
    "task_timeline",
    "task_timeline_parts",
    "tthc_by_month",
    "unit_scorecard",
]


def all_charts(a, history: pd.DataFrame | None = None, lang: str = "vi", start: int = 1) -> list[Chart]:
    """The six charts in report order, captions numbered from ``start`` ("Hình 1." …)."""
    lang = fmt.check_lang(lang)
    h = history if history is not None else _history_from(a)
    return [
        status_by_area(a, lang, number=start),
        actual_vs_target(a, lang, number=start + 1),
        tthc_by_month(a, lang, number=start + 2),
        task_timeline(a, lang, number=start + 3),
        area_heatmap(h, lang, number=start + 4, plan=getattr(a, "plan", None)),
        unit_scorecard(a, lang, number=start + 5),
    ]
