"""nbconvert exporters: an executed notebook to the report's HTML or PDF.

Also available to ``jupyter nbconvert`` as ``--to cchc_html`` and ``--to cchc_pdf`` (entry
points in ``pyproject.toml``). The header then comes from the notebook's ``metadata.cchc``
(which :func:`cchc_lib.report.run.run_report` writes into the executed notebook) or from the
exporter options ``--CchcHTMLExporter.commune=…`` etc.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, List, Unicode, default

from cchc_lib.i18n import fmt
from cchc_lib.report.formats import TEMPLATES, WORDS, read_template
from cchc_lib.report.html import finish_html
from cchc_lib.report.pdf import html_to_pdf

# Cells that never reach a report (outputs included).
REMOVED_CELL_TAGS = frozenset(
    {
        "parameters",
        "injected-parameters",
        "remove-cell",
        "remove_cell",
        "papermill-error-cell-tag",
    }
)

_OBJECT_REPR = re.compile(r"^<[^\n<>]+>$")  # <matplotlib.axes._axes.Axes at 0x…>


class CchcCleanPreprocessor(Preprocessor):
    """Remove what a reader must not see: parameters cells and warnings.

    * cells tagged ``parameters``, ``injected-parameters`` (papermill), ``remove-cell`` or
      papermill's error markers are dropped with their outputs;
    * ``stream`` outputs named ``stderr`` (warnings, logging) are dropped;
    * a bare object repr as the only output (``<Axes at 0x…>``) is dropped.
    """

    remove_cell_tags = List(Unicode(), default_value=sorted(REMOVED_CELL_TAGS)).tag(config=True)
    drop_object_reprs = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        drop = set(self.remove_cell_tags)
        nb.cells = [c for c in nb.cells if not drop.intersection(c.get("metadata", {}).get("tags", []))]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [out for out in cell.get("outputs", []) if self._shown(out)]
        return nb, resources

    def _shown(self, out) -> bool:
        if out.output_type == "stream" and out.get("name") == "stderr":
            return False
        if self.drop_object_reprs and out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if set(data) == {"text/plain"} and _OBJECT_REPR.match(str(data["text/plain"]).strip()):
                return False
        return True


def _b64_filter(data: Any) -> str:
    """Base64 for a data: URI: PNG/JPEG output data already is; SVG text gets encoded."""
    text = data if isinstance(data, str) else "".join(data)
    if "<" in text:  # SVG markup; base64 never contains "<"
        return base64.b64encode(text.encode("utf-8")).decode("ascii")
    return re.sub(r"\s+", "", text)


class CchcHTMLExporter(HTMLExporter):
    """A notebook to a self-contained HTML report (``jupyter nbconvert --to cchc_html``).

    Header values, in order of precedence: these options, the notebook's
    ``metadata.cchc`` (``commune``, ``period_label``, ``lang``, ``title``), papermill's
    ``lang`` parameter, defaults (Vietnamese, a generic title).
    """

    export_from_notebook = "CCHC report (HTML)"

    lang = Unicode("", help="Report language, 'vi' or 'en' (default: from the notebook)").tag(config=True)
    commune = Unicode("", help="Commune shown in the header, as meta.toml writes it (e.g. 'xã …')").tag(config=True)
    period_label = Unicode("", help="Period shown in the header, e.g. 'Quý II/2024'").tag(config=True)
    report_title = Unicode("", help="Report title (<title> and first heading)").tag(config=True)

    @default("template_name")
    def _cchc_template_name(self):
        return "base"  # nbconvert's own macros dir; our template stands alone

    @default("template_file")
    def _cchc_template_file(self):
        return "cchc_report.html.j2"

    @default("extra_template_paths")
    def _cchc_template_paths(self):
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _cchc_exclude_input(self):
        return True

    @default("exclude_input_prompt")
    def _cchc_exclude_input_prompt(self):
        return True

    @default("exclude_output_prompt")
    def _cchc_exclude_output_prompt(self):
        return True

    @default("exclude_anchor_links")
    def _cchc_exclude_anchor_links(self):
        return True

    @default("embed_images")
    def _cchc_embed_images(self):
        return True

    def __init__(self, config=None, **kw):
        super().__init__(config=config, **kw)
        self.register_preprocessor(CchcCleanPreprocessor, enabled=True)

    def default_filters(self):
        yield from super().default_filters()
        yield ("cchc_b64", _b64_filter)

    def header_for(self, nb) -> dict[str, str]:
        meta = dict(nb.get("metadata", {}).get("cchc", {}) or {})
        params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
        lang = self.lang or meta.get("lang") or params.get("lang") or "vi"
        fmt.check_lang(lang)
        commune = self.commune or meta.get("commune") or ""
        period_label = self.period_label or meta.get("period_label") or ""
        title = self.report_title or meta.get("title") or WORDS[lang]["default_title"]
        running = " — ".join(x for x in (commune, period_label) if x)
        return {"lang": lang, "commune": commune, "period_label": period_label, "title": title, "running_head": running}

    def from_notebook_node(self, nb, resources=None, **kw):
        header = self.header_for(nb)
        resources = dict(resources or {})
        resources["cchc"] = {
            **header,
            "words": WORDS[header["lang"]],
            "report_css": read_template("report.css"),
            "screen_css": read_template("screen.css"),
            "print_css": read_template("print.css"),
        }
        html, resources = super().from_notebook_node(nb, resources, **kw)
        base = resources.get("metadata", {}).get("path") or os.getcwd()
        html = finish_html(html, lang=header["lang"], base_dir=Path(base))
        resources["cchc_header"] = header
        return html, resources


class CchcPDFExporter(CchcHTMLExporter):
    """The same report as a PDF for printing (``jupyter nbconvert --to cchc_pdf``)."""

    export_from_notebook = "CCHC report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        header = resources["cchc_header"]
        base = resources.get("metadata", {}).get("path") or os.getcwd()
        pdf = html_to_pdf(html, lang=header["lang"], running_head=header["running_head"], base_url=base)
        resources["output_extension"] = ".pdf"
        return pdf, resources
