"""One report run: execute the notebook, export HTML and PDF, write the sidecar, commit, index.

Everything is produced in a staging folder beside ``out_dir``; files move into ``out_dir``
(``os.replace``, one file at a time) only when every format succeeded. On failure no
earlier report file is touched, the staging folder is removed, the notebook as far as it
ran is kept in ``out_dir/_loi/`` and a :class:`ReportError` says, in Vietnamese first,
which cell failed and why. The kernel runs in a private runtime folder (:mod:`.kernel`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cchc_lib.core.paths import shown_params
from cchc_lib.i18n import fmt
from cchc_lib.report import annex as annexes
from cchc_lib.report import kernel
from cchc_lib.report.exporters import CchcHTMLExporter
from cchc_lib.report.formats import WORDS, check_formats
from cchc_lib.report.index import FAILED_DIR, sidecar, write_index
from cchc_lib.report.pdf import PdfWorker, html_to_pdf, preload, start_pdf


class ReportError(RuntimeError):
    """A report could not be produced. The message says what failed and where to look.

    Attributes (None when not applicable): ``stem``, ``step`` ("execute", "html",
    "pdf"), ``cell_index`` (index in the source notebook, from 0), ``cell_tags``,
    ``cell_first_line``, ``ename``, ``evalue``, ``kept_notebook`` (Path of the notebook
    kept for debugging), ``out_dir``.
    """

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.stem = details.get("stem")
        self.step = details.get("step")
        self.cell_index = details.get("cell_index")
        self.cell_tags = details.get("cell_tags") or []
        self.cell_first_line = details.get("cell_first_line")
        self.ename = details.get("ename")
        self.evalue = details.get("evalue")
        self.kept_notebook = details.get("kept_notebook")
        self.out_dir = details.get("out_dir")


@dataclass(frozen=True)
class ReportResult:
    """What :func:`run_report` produced. Paths are final (inside ``out_dir``)."""

    notebook: Path
    html: Path | None
    pdf: Path | None
    sidecar: Path
    index: Path | None
    sizes: dict[str, int] = field(default_factory=dict)  # "notebook", "html", "pdf", "annex_html"…: bytes
    seconds: dict[str, float] = field(default_factory=dict)  # "execute", "html", "pdf", "total"
    annex: dict[str, Path] = field(default_factory=dict)  # "html", "pdf" of the appendices' own file

    def files(self) -> dict[str, Path]:
        out = {"notebook": self.notebook, "html": self.html, "pdf": self.pdf}
        out.update({f"annex_{k}": v for k, v in self.annex.items()})
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class _Job:
    """One run in progress: what was asked and what is staged so far."""

    notebook: Path
    out_dir: Path
    stem: str
    formats: tuple[str, ...]
    header: dict[str, str]
    params: dict[str, Any]
    staging: Path
    appendices: str = annexes.DEFAULT_MODE
    parallel: bool = True
    transient: dict[str, str] = field(default_factory=dict)
    step: str = "execute"
    staged: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    worker: PdfWorker | None = None  # the appendices' PDF process, started with the kernel
    given_worker: PdfWorker | None = None  # ... or before it, by the caller (run_report's pdf_worker)

    @property
    def executed(self) -> Path:
        return self.staging / f"{self.stem}.ipynb"


def run_report(
    notebook: str | os.PathLike,
    parameters: Mapping[str, Any],
    out_dir: str | os.PathLike,
    *,
    stem: str,
    formats: Iterable[str] = ("html", "pdf"),
    header: Mapping[str, Any],
    progress: bool = True,
    kernel_name: str = "python3",
    record: Mapping[str, Any] | None = None,
    reports_root: str | os.PathLike | None = None,
    cwd: str | os.PathLike | None = None,
    start_timeout: int = 60,
    appendices: str = annexes.DEFAULT_MODE,
    parallel: bool = True,
    early_kernel=None,
    transient: Mapping[str, str] | None = None,
    pdf_worker: PdfWorker | None = None,
) -> ReportResult:
    """Execute ``notebook`` with ``parameters`` and write ``out_dir/<stem>.{ipynb,html,pdf,json}``.

    ``header``: ``commune``, ``period_label``, ``lang`` ("vi"/"en"), ``title`` — the
    running header, ``<title>`` and language of the report; stored in the executed
    notebook's ``metadata.cchc`` so ``jupyter nbconvert --to cchc_pdf`` gives the same.

    ``record``: extra facts for the sidecar JSON and the index. Recognised keys:
    ``plan_id``, ``period``, ``cutoff``, ``sample`` (bool: sample data, flagged "DỮ LIỆU
    MẪU" in the index); defaults come from ``parameters`` (``plan``, ``period``,
    ``cutoff``, ``data == "sample"``). Any other key is stored as given.

    ``appendices``: where the cells tagged ``appendix`` go (:mod:`.annex`): ``separate``
    (their own file ``<stem>_phu-luc.{html,pdf}``, published together with the main one),
    ``inline`` or ``none``. ``parallel``: the appendices' PDF is made by a child process
    while this one makes the main PDF (two cores); False keeps the run to one core, for a
    batch that already runs one report per core. ``early_kernel``: a
    :class:`.kernel.EarlyKernel` started beforehand in the notebook's folder, used (and
    stopped) instead of starting a kernel here. ``transient``: string parameters for this
    run only (a file removed when it ends): given to the kernel, shown empty in the published
    notebook and left out of the sidecar. ``pdf_worker``: a :class:`.pdf.PdfWorker` started
    beforehand, to make the appendices' PDF (else one is started with the kernel).

    ``reports_root`` (default ``out_dir.parent.parent``, i.e. ``reports/`` for
    ``reports/<plan-id>/<period>/``) gets a fresh ``index.html``.

    The notebook runs in ``cwd`` (default: the notebook's folder). Raises
    :class:`ReportError` when a cell raises, the kernel cannot start or an export fails;
    earlier files in ``out_dir`` are then untouched and the notebook as far as it ran is
    kept in ``out_dir/_loi/<stem>.ipynb``.
    """
    t_start = time.perf_counter()
    notebook = Path(notebook).resolve()
    out_dir = Path(out_dir).resolve()
    stem = _check_stem(stem)
    formats = check_formats(formats)
    hdr = _check_header(header)
    appendices = annexes.check_mode(appendices)
    if not notebook.is_file():
        raise ReportError(f"Không tìm thấy notebook: {notebook}", stem=stem, step="execute", out_dir=out_dir)

    made = _make_dirs(out_dir.parent)
    # same filesystem as out_dir, so the final os.replace is a rename
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{stem}-{os.getpid()}-", dir=out_dir.parent))
    job = _Job(notebook, out_dir, stem, formats, hdr, dict(parameters or {}), staging, appendices, parallel)
    job.transient = {k: str(v) for k, v in (transient or {}).items()}
    job.given_worker = pdf_worker
    with kernel.terminate_as_interrupt():
        try:
            nb = _execute(
                job,
                progress=progress,
                kernel_name=kernel_name,
                cwd=cwd,
                start_timeout=start_timeout,
                early=early_kernel,
            )
            _export(job, nb)
            job.step = "sidecar"
            sizes = {k: p.stat().st_size for k, p in job.staged.items()}
            data = sidecar(stem, shown_params(job.params), hdr, record, formats, job.staged, sizes)
            job.staged["sidecar"] = staging / f"{stem}.json"
            job.staged["sidecar"].write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            final = _commit(job)
        except ReportError:
            raise
        except Exception as exc:
            raise _export_error(job, exc) from exc
        finally:
            if job.worker is not None:
                job.worker.stop()
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(made)  # a run stopped before publishing leaves no empty folders
        root = Path(reports_root).resolve() if reports_root else out_dir.parent.parent
        index = write_index(root)
    job.seconds["total"] = time.perf_counter() - t_start
    return ReportResult(
        notebook=final["notebook"],
        html=final.get("html"),
        pdf=final.get("pdf"),
        sidecar=final["sidecar"],
        index=index,
        sizes=sizes,
        seconds=job.seconds,
        annex={k[len("annex_") :]: p for k, p in final.items() if k.startswith("annex_")},
    )


def _make_dirs(folder: Path) -> list[Path]:
    """``mkdir -p`` that returns the folders it created, deepest last."""
    missing = [d for d in (folder, *folder.parents) if not d.exists()][::-1]
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for d in reversed(folders):
        with contextlib.suppress(OSError):  # not empty (published or another run's files): kept
            d.rmdir()


# -- stages -------------------------------------------------------------------------------


def _without_machine_paths(nb, job: _Job) -> None:
    """The published notebook names its inputs as the report does (``core.paths.shown_name``):
    papermill records the absolute paths it ran with in the injected cell and its metadata."""
    shown = shown_params(job.params)
    swaps = {str(v): str(shown[k]) for k, v in job.params.items() if shown[k] != v}
    swaps.update({v: "" for v in job.transient.values() if v})
    for cell in nb.cells:
        if "injected-parameters" in _tags(cell):
            for old, new in swaps.items():
                cell.source = cell.source.replace(repr(old), repr(new)).replace(f'"{old}"', f'"{new}"')
    pm = nb.metadata.get("papermill")
    if pm is not None:
        given = {k: ("" if k in job.transient else v) for k, v in (pm.get("parameters") or {}).items()}
        pm["parameters"] = shown_params(given)
        pm["input_path"] = job.notebook.name
        pm["output_path"] = f"{job.stem}.ipynb"


def _execute(job: _Job, *, progress: bool, kernel_name: str, cwd, start_timeout: int, early=None):
    """1. Run the notebook with papermill in a private kernel; the executed notebook.
    ``early``: a :class:`.kernel.EarlyKernel` already started (in the same folder) to use
    instead of starting one; it is stopped here once the notebook has run."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t = time.perf_counter()
    if "pdf" in job.formats:
        preload()
        if job.parallel and job.appendices == "separate" and annexes.has_appendix(nbformat.read(job.notebook, 4)):
            job.worker = job.given_worker or PdfWorker(job.staging / "pdf")
    folder = Path(cwd).resolve() if cwd else job.notebook.parent
    with kernel.for_papermill(early, folder) as (runtime, engine), _quiet_papermill():
        try:
            # no save after every cell: papermill rewrote the whole growing notebook (charts
            # included) twice per cell; it still writes it once at the end and on a failed cell
            nb = papermill.execute_notebook(
                str(job.notebook),
                str(job.executed),
                parameters={**job.params, **job.transient},
                request_save_on_cell_execute=False,
                progress_bar=progress,
                kernel_name=kernel_name,
                start_timeout=start_timeout,
                **engine,
            )
        except PapermillExecutionError as exc:
            kept = _keep(job.executed, job.out_dir, job.stem)
            raise _execution_error(exc, stem=job.stem, notebook=job.notebook, kept=kept, out_dir=job.out_dir) from exc
        except Exception as exc:
            raise _kernel_error(job, exc, kernel.kernel_log_tail(runtime)) from exc
    nb.metadata["cchc"] = dict(job.header)
    _without_machine_paths(nb, job)
    nbformat.write(nb, job.executed)
    job.staged["notebook"] = job.executed
    job.seconds["execute"] = time.perf_counter() - t
    return nb


@contextlib.contextmanager
def _quiet_papermill():
    """papermill logs a kernel failure itself; the ReportError below says it once, in Vietnamese."""
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _export(job: _Job, nb) -> None:
    """2. HTML, then 3. PDF made from the same HTML; the appendices' own file the same way.
    The main document names the annex file: linked in the HTML, named in the PDF. With
    ``job.parallel`` the annex goes first and its PDF is made in a child process meanwhile."""
    lang = job.header["lang"]
    main, annex = annexes.split(nb, job.appendices, lang=lang, title=job.header["title"])
    if annex is None or not job.formats:
        _export_one(job, main, job.stem, "", None)
        return
    name = annexes.annex_stem(job.stem, lang)
    linked = annexes.note_html(name, job.formats, lang, links=True)
    swap = (linked, annexes.note_html(name, job.formats, lang, links=False))
    main = annexes.with_note(main, linked)
    if not (job.parallel and "pdf" in job.formats):
        _export_one(job, main, job.stem, "", swap)
        _export_one(job, annex, name, "annex_", None)
        return
    child = _export_one(job, annex, name, "annex_", None, background=True)
    try:
        _export_one(job, main, job.stem, "", swap)
        job.step = "pdf"
        t = time.perf_counter()
        job.staged["annex_pdf"] = child.wait()
        job.seconds["pdf"] = job.seconds.get("pdf", 0.0) + time.perf_counter() - t  # the wait beyond the main PDF
    finally:
        child.stop()


def _export_one(job: _Job, nb, stem: str, key: str, swap: tuple[str, str] | None, background: bool = False):
    """One document: ``<stem>.html`` and/or ``<stem>.pdf`` staged under ``<key>html``/``<key>pdf``;
    ``background``: the PDF is started in a child process, whose handle is returned."""
    job.step = "html"
    t = time.perf_counter()
    html, resources = CchcHTMLExporter().from_notebook_node(
        nb, resources={"metadata": {"path": str(job.notebook.parent), "name": stem}}
    )
    if "html" in job.formats:
        job.staged[f"{key}html"] = job.staging / f"{stem}.html"
        job.staged[f"{key}html"].write_text(html, encoding="utf-8")
    job.seconds["html"] = job.seconds.get("html", 0.0) + time.perf_counter() - t
    if "pdf" in job.formats:
        job.step = "pdf"
        t = time.perf_counter()
        used = resources["cchc_header"]
        source = html.replace(*swap) if swap else html
        kw = {"lang": used["lang"], "running_head": used["running_head"], "base_url": job.notebook.parent}
        if background:
            return start_pdf(source, job.staging / "pdf" / f"{stem}.pdf", worker=job.worker, **kw)
        pdf = html_to_pdf(source, **kw)
        job.staged[f"{key}pdf"] = job.staging / f"{stem}.pdf"
        job.staged[f"{key}pdf"].write_bytes(pdf)
        job.seconds["pdf"] = job.seconds.get("pdf", 0.0) + time.perf_counter() - t
    return None


def _commit(job: _Job) -> dict[str, Path]:
    """5. Every format succeeded: move each file into place atomically, sidecar last (it
    announces the rest); a notebook kept from an earlier failure is no longer current."""
    job.step = "commit"
    job.out_dir.mkdir(parents=True, exist_ok=True)
    final: dict[str, Path] = {}
    for key in ("notebook", "html", "pdf", "annex_html", "annex_pdf", "sidecar"):
        if key in job.staged:
            final[key] = job.out_dir / job.staged[key].name
            os.replace(job.staged[key], final[key])
    stale = job.out_dir / FAILED_DIR / f"{job.stem}.ipynb"
    if stale.exists():
        stale.unlink()
        with contextlib.suppress(OSError):  # other failed reports still kept there
            stale.parent.rmdir()
    return final


# -- checks ---------------------------------------------------------------------------------


def _check_header(header: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(header, Mapping):
        raise TypeError("header phải là dict với các khóa commune, period_label, lang, title")
    lang = fmt.check_lang(str(header.get("lang", "vi")))
    return {
        "commune": str(header.get("commune") or ""),
        "period_label": str(header.get("period_label") or ""),
        "lang": lang,
        "title": str(header.get("title") or WORDS[lang]["default_title"]),
    }


def _check_stem(stem: str) -> str:
    if not stem or not re.fullmatch(r"[A-Za-z0-9._-]+", stem) or stem.startswith("."):
        raise ValueError(
            f"Tên tệp báo cáo '{stem}' không hợp lệ: chỉ dùng chữ không dấu, số, '.', '-', '_' "
            "(ví dụ bao-cao-2024-Q2-vi)."
        )
    return stem


# -- failures -------------------------------------------------------------------------------


def _keep(src: Path, out_dir: Path, stem: str) -> Path | None:
    """Move a notebook out of staging to out_dir/_loi/<stem>.ipynb for debugging."""
    if not src.is_file():
        return None
    dest_dir = out_dir / FAILED_DIR
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{stem}.ipynb"
    os.replace(src, dest)
    return dest


def _first_line(source: str) -> str:
    for line in str(source or "").splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 100 else line[:97] + "…"
    return ""


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _failed_cell(exc, kept: Path | None, source_nb: Path) -> tuple[int, list[str], str]:
    """(index in the source notebook, tags, first source line) of the cell that raised."""
    index = exc.cell_index
    tags: list[str] = []
    first = _first_line(exc.source)
    cell_id = None
    injected_before = 0
    if kept is not None:
        try:
            ran = nbformat.read(kept, as_version=4)
            cells = [c for c in ran.cells if "papermill-error-cell-tag" not in _tags(c)]
            if 0 <= exc.cell_index < len(cells):
                tags = _tags(cells[exc.cell_index])
                cell_id = cells[exc.cell_index].get("id")
            injected_before = sum("injected-parameters" in _tags(c) for c in cells[: exc.cell_index])
        except Exception:  # the kept notebook is for humans; the message must still come out
            pass
    try:
        original = nbformat.read(source_nb, as_version=4)
        ids = [c.get("id") for c in original.cells]
        if cell_id and cell_id in ids:
            return ids.index(cell_id), tags, first
        if not any("injected-parameters" in _tags(c) for c in original.cells):
            index = exc.cell_index - injected_before
    except Exception:
        pass
    return index, tags, first


def _execution_error(exc, *, stem: str, notebook: Path, kept: Path | None, out_dir: Path) -> ReportError:
    index, tags, first = _failed_cell(exc, kept, notebook)
    tag_text = ", ".join(tags) if tags else "không có"
    where = f"đã giữ lại notebook chạy dở để kiểm tra tại: {kept}" if kept else "không giữ được notebook chạy dở"
    msg = (
        f"Không tạo được báo cáo '{stem}': notebook {notebook.name} bị lỗi ở ô số {index} "
        f"(đếm từ 0; nhãn: {tag_text}; dòng đầu: {first!r}).\n"
        f"Lỗi: {exc.ename}: {exc.evalue}\n"
        f"{where[0].upper() + where[1:]}.\n"
        f"Các tệp báo cáo đã có trong {out_dir} được giữ nguyên, không bị thay đổi.\n"
        f"[en] Report '{stem}' failed: cell {index} of {notebook.name} (tags: "
        f"{', '.join(tags) or 'none'}; first line: {first!r}) raised {exc.ename}: {exc.evalue}. "
        f"Partially executed notebook: {kept or 'not kept'}. Existing report files were left untouched."
    )
    return ReportError(
        msg,
        stem=stem,
        step="execute",
        cell_index=index,
        cell_tags=tags,
        cell_first_line=first,
        ename=exc.ename,
        evalue=exc.evalue,
        kept_notebook=kept,
        out_dir=out_dir,
    )


def _kernel_error(job: _Job, exc: Exception, log_tail: str) -> ReportError:
    """The notebook did not run (the kernel did not start, died, or did not stop): one
    message with what the kernel itself last wrote, no traceback."""
    kept = _keep(job.executed, job.out_dir, job.stem)
    said = f"{type(exc).__name__}: {exc}"
    if log_tail and log_tail not in said:
        said += f"\nNhân Python (kernel) ghi: {log_tail}"
    return ReportError(
        f"Không chạy được notebook {job.notebook.name} cho báo cáo '{job.stem}': {said}\n"
        + (f"Đã giữ lại notebook chạy dở tại: {kept}.\n" if kept else "")
        + f"Các tệp báo cáo đã có trong {job.out_dir} được giữ nguyên.\n"
        f"[en] Could not execute {job.notebook.name}: {type(exc).__name__}: {exc}",
        stem=job.stem,
        step="execute",
        ename=type(exc).__name__,
        evalue=str(exc),
        kept_notebook=kept,
        out_dir=job.out_dir,
    )


def _export_error(job: _Job, exc: Exception) -> ReportError:
    kept = _keep(job.executed, job.out_dir, job.stem) if job.step != "commit" else None
    what = {"html": "HTML", "pdf": "PDF"}.get(job.step, job.step)
    return ReportError(
        f"Không xuất được báo cáo '{job.stem}' sang {what}: {type(exc).__name__}: {exc}\n"
        + (f"Notebook đã chạy được giữ lại tại: {kept}.\n" if kept else "")
        + f"Các tệp báo cáo đã có trong {job.out_dir} được giữ nguyên, không bị thay đổi.\n"
        f"[en] Export of '{job.stem}' to {what} failed: {type(exc).__name__}: {exc}. "
        "Existing report files were left untouched.",
        stem=job.stem,
        step=job.step,
        ename=type(exc).__name__,
        evalue=str(exc),
        kept_notebook=kept,
        out_dir=job.out_dir,
    )
