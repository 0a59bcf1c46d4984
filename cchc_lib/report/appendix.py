"""The assessment's appendix (Phụ lục): every target and task, the data read and its warnings,
the plan review and the method.

Kept apart from ``document.Report`` so each table is a function of its own; the Report only
places the subsections (inline or in the separate appendix file).
"""

from __future__ import annotations

import pandas as pd

from cchc_lib.core.errors import sheet_label
from cchc_lib.core.paths import shown_label
from cchc_lib.i18n import fmt
from cchc_lib.report import methodology, tables


def source_name(label: str, lang: str) -> str:
    """A source as the appendix names it: relative to the data root, its sheet in ``lang``."""
    return sheet_label(shown_label(label), lang)


def inputs_frame(a, t: dict, lang: str) -> pd.DataFrame:
    """One row per file read: rows read, merged, used, not entered, in the window, in the year."""

    def n(v):
        return fmt.number(v, 0, lang)

    rows = [
        [
            t["kind"].get(r.kind, r.kind),
            source_name(r.file, lang),
            n(r.rows_read),
            n(r.rows_merged),
            n(r.rows_used),
            n(r.rows_not_entered),
            n(r.rows_in_window),
            n(r.rows_in_ytd),
        ]
        for r in a.inputs.itertuples()
    ]
    return pd.DataFrame(rows, columns=t["inputs_cols"])


def warnings_frame(a, t: dict, lang: str = "vi") -> pd.DataFrame:
    """The data warnings (loader and assessment), each worded in ``lang`` from its catalogue key."""
    rows = [
        [
            t["severity"].get(r.severity, r.severity),
            source_name(r.file, lang) if r.file else "",
            "" if pd.isna(r.row) else int(r.row),
            r.column or "",
            r.issue.message(lang),
        ]
        for r in a.warnings.itertuples()
    ]
    return pd.DataFrame(rows, columns=t["warn_cols"])


def lint_frame(plan, t: dict, lang: str = "vi") -> pd.DataFrame:
    """The plan review's findings (deadlines before the plan, city-scope rows, conflicts…)."""
    rows = [
        [t["severity"].get(r.severity, r.severity), r.message, ", ".join(map(str, r.refs))]
        for r in plan.lint(lang).itertuples()
    ]
    return pd.DataFrame(rows, columns=t["lint_cols"])


def subsections(a, t: dict, lang: str) -> list[dict]:
    """The appendix's parts, in order, as the report template takes them."""
    data = (
        tables.to_html(inputs_frame(a, t, lang))
        + "<p><strong>"
        + t["warnings"]
        + "</strong></p>"
        + tables.to_html(warnings_frame(a, t, lang), empty=t["no_warnings"])
    )
    return [
        {
            "heading": t["a1"],
            "anchor": "pl-chi-tieu",
            "html": tables.to_html(tables.target_table(a, lang), badge_col=tables.H[lang]["status"]),
        },
        {
            "heading": t["a2"],
            "anchor": "pl-nhiem-vu",
            "intro": t["a2_note"],
            "html": tables.to_html(
                tables.task_table(a, lang, compact=True, text_limit=220),
                badge_col=tables.H[lang]["task_status"],
            ),
        },
        {"heading": t["a3"], "anchor": "pl-so-lieu", "intro": t["inputs"], "html": data},
        {
            "heading": t["a4"],
            "anchor": "pl-ra-soat",
            "intro": t["lint_intro"],
            "html": tables.to_html(lint_frame(a.plan, t, lang)),
        },
        {"heading": t["a5"], "anchor": "pl-phuong-phap", "bullets": methodology.method_lines(a.rules, lang)},
    ]
