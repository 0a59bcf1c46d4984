"""The statistics annexes: one-stop results by field, and the targets with their results."""

from __future__ import annotations

import pandas as pd

from cchc_lib.assessment import tthc
from cchc_lib.i18n import fmt
from cchc_lib.report.official import prose
from cchc_lib.report.official.model import Annex, Block, Cell, Table
from cchc_lib.report.official.prose import words


def results_table_data(a) -> pd.DataFrame | None:
    """``tthc.one_stop_results`` for the report window; None without a dossier log."""
    if a.progress.dossiers.empty:
        return None
    return tthc.one_stop_results(a.progress.dossiers, a.window, land_fields=tthc.load_config().land_fields)


def tthc_table(a, lang: str) -> Table | None:
    data = results_table_data(a)
    if data is None:
        return None
    w = words(lang)
    top, cols = w["tthc_cols_top"], w["tthc_cols"]
    header = [
        [Cell(top[0], rowspan=2), Cell(top[1], rowspan=2), Cell(top[2], 5), Cell(top[3], 4), Cell(top[4], 3)],
        [Cell(c) for c in cols],
    ]
    n = lambda x: fmt.number(int(x), 0, lang)  # noqa: E731
    rows = []
    for i, (name, r) in enumerate(data.iterrows(), start=1):
        field = w["no_field"] if name == tthc.NO_FIELD else str(name)
        rows.append([str(i), field, *(n(r[c]) for c in tthc.RESULT_COLUMNS)])
    total = data.sum()
    rows.append(["", w["total"], *(n(total[c]) for c in tthc.RESULT_COLUMNS)])
    return Table(
        header=header,
        rows=rows,
        align=["c", "l", *["r"] * len(tthc.RESULT_COLUMNS)],
        widths=[0.6, 3.2, *[1.05] * len(tthc.RESULT_COLUMNS)],
        total_row=True,
    )


def targets_table(a, lang: str) -> Table:
    w = words(lang)
    t = a.targets[a.targets["measurable"]]
    rows = []
    for i, (_, r) in enumerate(t.iterrows(), start=1):
        if prose.is_rating(r):
            result, verdict = fmt.value(r["actual"], r["unit"], lang), w["status_word"]["estimate"]
        else:
            result = fmt.value(r["actual"], r["unit"], lang)
            verdict = w["status_word"].get(r["status"], r["status"])
        rows.append(
            [str(i), prose.sentence_case(prose.indicator(r, lang)), prose.target_value(r, lang), result, verdict]
        )
    return Table(
        header=[[Cell(c) for c in w["target_cols"]]],
        rows=rows,
        align=["c", "l", "c", "c", "c"],
        widths=[0.6, 7.0, 2.0, 1.7, 2.2],
    )


def annexes(a, lang: str, issuer: str) -> list[Annex]:
    w = words(lang)
    period = prose.period_phrase(a.period, lang).upper()
    window = w["annex_window"].format(
        start=fmt.date_short(a.window.start, lang), end=fmt.date_short(a.window.end, lang)
    )
    sub = w["annex_of"].format(symbol=_symbol(a.plan), year=a.period.year, issuer=issuer)
    out = []
    table = tthc_table(a, lang)
    blocks = [Block("p", window), Block("table", table=table)] if table else [Block("p", w["tthc_none"])]
    out.append(Annex("", w["annex_tthc"].format(period=period), sub, blocks, landscape=True))
    if a.targets["measurable"].any():
        out.append(
            Annex("", w["annex_targets"].format(period=period), sub, [Block("table", table=targets_table(a, lang))])
        )
    romans = ("I", "II", "III", "IV", "V")
    for i, ax in enumerate(out):
        ax.label = w["annex"].format(n=romans[i]) if len(out) > 1 else w["annex"].format(n="").strip()
    return out


def _symbol(plan) -> str:
    from cchc_lib.report.official.sections import meta

    return meta(plan, "doc_symbol", "vi", "BC-UBND")
