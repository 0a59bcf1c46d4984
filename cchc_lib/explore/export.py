"""The dashboard's "Tải Excel" / "Tải CSV": the tables shown, written where the analyst finds them.

Every text cell is written as text (``cchc_lib.core.spreadsheet``): a task's evidence or a
search typed in the page that starts with ``=`` must not become a live formula in Excel.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cchc_lib.core import paths
from cchc_lib.core.spreadsheet import defuse_frame, keep_as_text
from cchc_lib.explore.words import L

__all__ = ["default_out_dir", "export_selection"]


def default_out_dir() -> Path:
    """``reports/explore`` of the repository (editable install), else of the working folder."""
    repo_reports = paths.REPO_ROOT / "reports"
    base = repo_reports if repo_reports.is_dir() else Path.cwd() / "reports"
    return (base / "explore").resolve()


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in df.columns if not str(c).startswith("_")]]


def export_selection(
    targets: pd.DataFrame,
    tasks: pd.DataFrame,
    out_dir,
    fmt: str = "xlsx",
    stem: str = "cchc-explore",
    info: dict | None = None,
    lang: str = "vi",
) -> list[Path]:
    """Write the two tables (columns starting with ``_`` left out); return the paths written.

    ``fmt="xlsx"``: one workbook with the sheets "Chỉ tiêu" and "Nhiệm vụ" (header row frozen,
    columns sized), plus a sheet "Thông tin" with ``info`` (period, window, filters…) when
    given. ``fmt="csv"``: ``<stem>_chi-tieu.csv`` and ``<stem>_nhiem-vu.csv``, UTF-8 with a
    byte-order mark so that Excel on Windows shows the diacritics, CRLF rows. Files of the same name are
    replaced. Text that a spreadsheet could run as a formula is kept as text in both.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t, k = _visible(targets), _visible(tasks)
    if fmt == "csv":
        written = [out / f"{stem}_chi-tieu.csv", out / f"{stem}_nhiem-vu.csv"]
        for df, path in zip((t, k), written, strict=True):
            # CRLF rows (RFC 4180, as Excel writes them): pandas then also quotes a cell holding a
            # lone CR, which would otherwise end the row there and start the next one with its text.
            defuse_frame(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return written
    if fmt != "xlsx":
        raise ValueError(f"Định dạng '{fmt}' không hỗ trợ: chỉ 'xlsx' hoặc 'csv'.")
    names = L[lang if lang in L else "vi"]["sheets"]
    frames = [(names[0], t), (names[1], k)]
    if info:
        frames.append((names[2], pd.DataFrame({"": list(info), " ": [str(v) for v in info.values()]})))
    path = out / f"{stem}.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for sheet, df in frames:
            df.to_excel(xw, sheet_name=sheet, index=False)
            _finish_sheet(xw.sheets[sheet], df)
    return [path]


def _finish_sheet(ws, df: pd.DataFrame) -> None:
    """Bold frozen header, columns sized to their text, wrapped cells; formula-like text kept as text."""
    from openpyxl.styles import Alignment, Font

    ws.freeze_panes = "A2"
    for j, col in enumerate(df.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in df.iloc[:, j - 1]])
        letter = ws.cell(row=1, column=j).column_letter
        ws.column_dimensions[letter].width = min(60, max(8, longest + 2))
        ws.cell(row=1, column=j).font = Font(bold=True)
    for row in ws.iter_rows():
        for cell in row:
            keep_as_text(cell)
            if cell.row > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
