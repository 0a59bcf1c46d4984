"""The official report the commune signs and sends upward (Decree 30/2020/NĐ-CP form).

``write_official(a, out_dir, …)`` builds the content once from an Assessment
(``content.build``) and writes it as DOCX (the office's working file), HTML and PDF,
with a sidecar JSON so ``reports/index.html`` lists it beside the assessment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib.report.official.content import build
from cchc_lib.report.official.sections import check_official_period, is_official_period

__all__ = [
    "Cancelled",
    "OfficialResult",
    "build",
    "check_official_period",
    "is_official_period",
    "stem_for",
    "write_official",
]

FORMATS = ("docx", "html", "pdf")
DOCUMENT = "official"


class Cancelled(Exception):
    """The run was stopped (Ctrl-C in ``cchc report``) before the files were written."""


def _check(cancel) -> None:
    """Stop between steps once ``cancel`` (a ``threading.Event``) is set: nothing is published."""
    if cancel is not None and cancel.is_set():
        raise Cancelled


@dataclass
class OfficialResult:
    files: dict[str, Path]
    sidecar: Path
    seconds: dict[str, float] = field(default_factory=dict)


def stem_for(plan_id: str, period_code: str, cutoff: str, lang: str) -> str:
    return f"bao-cao-chinh-thuc_{plan_id}_{period_code}_{cutoff}_{lang}"


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_official(
    a,
    out_dir: str | os.PathLike,
    *,
    lang: str = "vi",
    formats=FORMATS,
    report_date: dt.date | str | None = None,
    recipients: list[str] | str | None = None,
    record: dict | None = None,
    cancel=None,
) -> OfficialResult:
    """Write ``<stem>.docx/.html/.pdf`` and ``<stem>.json`` for ``a`` into ``out_dir``.

    The DOCX is always written (it is the document the office edits and signs);
    HTML and PDF when listed in ``formats``. ``cancel``: an Event checked between steps
    (the report then runs beside the assessment in a thread that Ctrl-C must stop);
    once set, :class:`Cancelled` is raised and no file is written."""
    from cchc_lib.report.official.docx import write_docx
    from cchc_lib.report.official.html import render_html, render_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = {"docx", *(f for f in formats if f in FORMATS)}
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    doc = build(a, lang, report_date=report_date, recipients=recipients)
    seconds["content"] = time.perf_counter() - t
    stem = stem_for(a.plan.plan_id, a.period.code, a.cutoff, lang)
    data: dict[str, bytes] = {}
    t = time.perf_counter()
    data["docx"] = write_docx(doc)
    seconds["docx"] = time.perf_counter() - t
    _check(cancel)
    if wanted & {"html", "pdf"}:
        t = time.perf_counter()
        html = render_html(doc)
        seconds["html"] = time.perf_counter() - t
        if "html" in wanted:
            data["html"] = html.encode("utf-8")
        if "pdf" in wanted:
            t = time.perf_counter()
            data["pdf"] = render_pdf(doc)
            seconds["pdf"] = time.perf_counter() - t
    _check(cancel)
    files = {}
    for kind in FORMATS:
        if kind in data:
            files[kind] = out / f"{stem}.{kind}"
            _write(files[kind], data[kind])
    sidecar = out / f"{stem}.json"
    rec = dict(record or {})
    info = {
        "kind": "cchc-report",
        "schema": 1,
        "document": DOCUMENT,
        "stem": stem,
        "plan_id": a.plan.plan_id,
        "commune": a.plan.meta["commune"],
        "period": a.period.code,
        "period_label": rec.pop("period_label", a.period.code),
        "lang": lang,
        "cutoff": a.cutoff,
        "title": doc.doc_title,
        "sample": bool(a.is_sample),
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "formats": [k for k in FORMATS if k in files],
        "files": {k: p.name for k, p in files.items()},
        "sizes": {k: len(v) for k, v in data.items()},
        **rec,
    }
    _write(sidecar, (json.dumps(info, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return OfficialResult(files=files, sidecar=sidecar, seconds=seconds)


def produce_official(
    plan,
    data,
    period,
    cutoff="nd09",
    lang="vi",
    formats=FORMATS,
    out="reports",
    report_date: str | None = None,
    recipients: str | None = None,
    anyway: bool = False,
    *,
    inputs=None,
    cancel=None,
    assessment=None,
) -> OfficialResult:
    """``cchc report --only official``: load, assess once, write, refresh the index.

    Raises ``PeriodError`` for Quý II/IV and the second half unless ``anyway`` (these
    reports are internal; config/official.toml). ``inputs``: the same arguments already
    loaded by ``progress.inputs.load_inputs`` (``cchc report`` loads once for both
    documents) and ``assessment`` theirs, already made (then for the same period and
    cut-off); ``cancel``: see :func:`write_official`."""
    import sys

    from cchc_lib.assessment.engine import assess
    from cchc_lib.core.periods import label, parse_period
    from cchc_lib.progress.inputs import load_inputs
    from cchc_lib.report.index import write_index

    check_official_period(parse_period(period), anyway)
    if inputs is None:
        inputs = load_inputs(plan, data, period, cutoff, lang)  # the one loader: defaults and checks
        if inputs.notice:
            print(inputs.notice, file=sys.stderr, flush=True)
    p, per = inputs.plan, inputs.period
    a = assessment if assessment is not None else assess(p, inputs.progress, per, inputs.cutoff)
    _check(cancel)
    root = Path(out).resolve()
    result = write_official(
        a,
        root / p.plan_id / per.code,
        lang=lang,
        formats=formats,
        report_date=report_date or None,
        recipients=recipients,
        record={"period_label": label(per, lang)},
        cancel=cancel,
    )
    write_index(root)
    return result
