"""Turn the parameterised notebook into the report files: executed notebook, HTML, PDF.

One call does the whole job::

    from cchc_lib.report.render import run_report
    result = run_report(
        "notebooks/quarterly_assessment.ipynb",
        {"plan": plan_id, "data": "sample", "period": period,
         "cutoff": "nd09", "lang": "vi"},
        Path("reports") / plan_id / period,
        stem=f"bao-cao-{period}-vi",
        header={"commune": commune, "period_label": period_label,
                "lang": "vi", "title": f"Báo cáo đánh giá CCHC {period_label}"},
    )

The steps, each in its own module:

* :mod:`.run` — the staged run: papermill executes the notebook in a private kernel
  (:mod:`.kernel`), the exports are staged beside ``out_dir`` and moved in only when
  every format succeeded; a failure leaves earlier reports untouched and says which cell
  failed (:class:`ReportError`).
* :mod:`.exporters` — the nbconvert exporters (``jupyter nbconvert --to cchc_html`` /
  ``--to cchc_pdf``): no code, prompts, parameters or warnings in the report.
* :mod:`.html` — offline and private: stylesheets inline, images as ``data:`` URIs,
  nothing fetched from the network (a Content-Security-Policy forbids it), a table of
  contents, readable on a phone, a print stylesheet.
* :mod:`.pdf` — A4, running header, page numbers, DejaVu Sans embedded; the same HTML
  gives the same bytes.
* :mod:`.index` — a sidecar JSON per report and ``reports/index.html`` from all of them.
* :mod:`.formats` — the output formats (one list), templates and the words they print.

This module gathers the public names so that ``from cchc_lib.report.render import …``
keeps working.
"""

from __future__ import annotations

from cchc_lib.report.exporters import CchcCleanPreprocessor, CchcHTMLExporter, CchcPDFExporter
from cchc_lib.report.formats import FORMATS
from cchc_lib.report.html import finish_html
from cchc_lib.report.index import human_size, write_index
from cchc_lib.report.pdf import html_to_pdf, pdf_css
from cchc_lib.report.run import ReportError, ReportResult, run_report

__all__ = [
    "FORMATS",
    "CchcCleanPreprocessor",
    "CchcHTMLExporter",
    "CchcPDFExporter",
    "ReportError",
    "ReportResult",
    "finish_html",
    "html_to_pdf",
    "human_size",
    "pdf_css",
    "run_report",
    "write_index",
]
