"""``cchc report`` makes both documents at once: the official report in a thread while the
assessment runs, the appendix PDF in a child process beside the main PDF.

The command-level tests replace the two runs by fakes (no kernel): they check what the user
sees — both documents made concurrently, each published whatever the other does, the exit
code of the first failure, nothing published after Ctrl-C. The slow ones run the real pieces.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from cchc_lib import cli
from cchc_lib.commands import report as report_cmd
from cchc_lib.report import document, kernel, official, pdf, run
from cchc_lib.report.background import Background
from cchc_lib.report.run import ReportError

from .conftest import PLAN_DIR

WAIT = 60  # seconds a fake waits for the other document before the test fails


class _Assessment:
    """What a successful assessment run returns, with real files to list."""

    def __init__(self, folder: Path):
        self.html = folder / "danh-gia.html"
        self.html.write_text("x", encoding="utf-8")
        self.index = None
        self.sizes: dict = {}

    def files(self):
        return {"html": self.html}


class _Official:
    def __init__(self, folder: Path):
        self.files = {"docx": folder / "chinh-thuc.docx"}
        self.files["docx"].write_bytes(b"x")


@pytest.fixture
def fakes(tmp_path, monkeypatch):
    """Both runs replaced; ``fakes.assessment`` / ``fakes.official`` are what each does."""
    log = []
    started = threading.Event()

    def produce(*args, **kwargs):
        log.append(("assessment", threading.current_thread() is threading.main_thread()))
        fakes.kwargs = kwargs
        return fakes.assessment()

    class _Worker:  # the appendices' PDF process, without a process
        def __init__(self, folder, probe=False):
            self.folder, self.probed, self.stopped = folder, probe, False
            fakes.workers.append(self)

        def stop(self):
            self.stopped = True

    def produce_official(*args, cancel=None, **kwargs):
        log.append(("official", threading.current_thread() is threading.main_thread()))
        started.set()
        return fakes.official(cancel)

    def fakes():
        pass

    fakes.log, fakes.started, fakes.workers = log, started, []
    monkeypatch.setattr(pdf, "PdfWorker", _Worker)
    fakes.assessment = lambda: _Assessment(tmp_path)
    fakes.official = lambda cancel: _Official(tmp_path)
    monkeypatch.setattr(document, "produce", produce)
    monkeypatch.setattr(official, "produce_official", produce_official)
    monkeypatch.setattr(report_cmd, "_load_inputs", lambda args, digest=False: None)
    monkeypatch.setattr(report_cmd, "_assess", lambda inputs: None)
    monkeypatch.setattr(kernel, "early_kernel", lambda folder: contextlib.nullcontext())  # no real kernel
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: (0, ""))
    return fakes


def report(tmp_path, period="2024-Q1", *extra):
    args = ["report", "--plan", "hai-duong-2024", "--period", period, "--data", "sample"]
    return cli.main([*args, "--out", str(tmp_path / "r"), "--quiet", *extra])


def test_the_official_report_is_made_while_the_assessment_runs(tmp_path, fakes, capsys):
    def assessment():
        # the official report started before the assessment ended: they run at the same time
        assert fakes.started.wait(WAIT), "the official report did not start while the assessment ran"
        return _Assessment(tmp_path)

    fakes.assessment = assessment
    assert report(tmp_path) == 0
    assert sorted(fakes.log) == [("assessment", True), ("official", False)]
    out = capsys.readouterr().out
    assert "danh-gia.html" in out and "chinh-thuc.docx" in out


def test_a_relative_out_folder_is_fixed_before_the_notebook_changes_the_working_folder(
    tmp_path, fakes, monkeypatch, capsys
):
    """papermill changes the process's working folder while the notebook runs; the official
    report, made meanwhile, must still write under the --out the user typed."""
    monkeypatch.chdir(tmp_path)
    seen = {}

    def assessment():
        os.chdir(tmp_path / "elsewhere")  # what papermill's chdir(<notebook folder>) does
        assert fakes.started.wait(WAIT)
        return _Assessment(tmp_path)

    def made(cancel):
        fakes.started.set()
        return _Official(tmp_path)

    (tmp_path / "elsewhere").mkdir()
    fakes.assessment, fakes.official = assessment, made
    real = official.produce_official
    monkeypatch.setattr(official, "produce_official", lambda *a, **k: seen.setdefault("out", a[6]) and real(*a, **k))
    args = ["report", "--plan", "hai-duong-2024", "--period", "2024-Q1", "--data", "sample", "--out", "r", "--quiet"]
    assert cli.main(args) == 0
    assert Path(seen["out"]) == tmp_path.resolve() / "r"


def test_an_internal_quarter_makes_the_assessment_only_and_no_thread(tmp_path, fakes, capsys):
    assert report(tmp_path, "2024-Q2") == 0
    assert fakes.log == [("assessment", True)]
    assert "--official-anyway" in capsys.readouterr().out


def test_a_failed_assessment_still_publishes_the_official_report_and_exits_3(tmp_path, fakes, capsys):
    def assessment():
        raise ReportError("Không tạo được báo cáo 'x': notebook bị lỗi ở ô số 3")

    fakes.assessment = assessment
    assert report(tmp_path) == 3
    captured = capsys.readouterr()
    assert "ô số 3" in captured.err and "chinh-thuc.docx" in captured.out


def test_a_failed_official_report_leaves_the_assessment_published_and_is_its_own_error(tmp_path, fakes, capsys):
    def failing(cancel):
        raise RuntimeError("hỏng khi viết DOCX")

    fakes.official = failing
    assert report(tmp_path) == 1
    captured = capsys.readouterr()
    assert "danh-gia.html" in captured.out
    assert "Lỗi không mong đợi: RuntimeError: hỏng khi viết DOCX" in captured.err and "Traceback" not in captured.err


def test_when_both_fail_both_messages_are_shown_and_the_assessments_code_wins(tmp_path, fakes, capsys):
    def assessment():
        raise ReportError("Không tạo được báo cáo đánh giá")

    def failing(cancel):
        raise RuntimeError("hỏng khi viết DOCX")

    fakes.assessment, fakes.official = assessment, failing
    assert report(tmp_path) == 3
    err = capsys.readouterr().err
    assert "Không tạo được báo cáo đánh giá" in err and "RuntimeError: hỏng khi viết DOCX" in err


def test_ctrl_c_during_the_assessment_stops_the_official_report_before_it_publishes(tmp_path, fakes, capsys):
    seen = {}

    def slow_official(cancel):
        seen["stopped"] = cancel.wait(WAIT)  # a long step; then the check before publishing
        raise official.Cancelled

    def assessment():
        assert fakes.started.wait(WAIT)
        raise KeyboardInterrupt

    fakes.assessment, fakes.official = assessment, slow_official
    assert report(tmp_path) == 130
    assert seen == {"stopped": True}
    assert "Đã dừng theo yêu cầu." in capsys.readouterr().err


def test_the_pdf_check_is_asked_of_the_appendix_pdf_worker_started_with_the_kernel(tmp_path, fakes, monkeypatch):
    asked = []
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: asked.append(worker) or (0, ""))
    assert report(tmp_path) == 0
    (worker,) = fakes.workers  # one process for the check and the appendices' PDF, not two
    assert worker.probed and asked == [worker] and fakes.kwargs["pdf_worker"] is worker
    assert worker.stopped  # whatever the run did, the process is ended on the way out


@pytest.mark.parametrize("extra", [("--formats", "html"), ("--appendices", "inline"), ("--only", "official")])
def test_no_appendix_pdf_no_worker_and_the_check_runs_alone_if_a_pdf_is_made(tmp_path, fakes, monkeypatch, extra):
    asked = []
    monkeypatch.setattr(pdf, "probe_pdf_support", lambda timeout=120, worker=None: asked.append(worker) or (0, ""))
    assert report(tmp_path, "2024-Q1", *extra) == 0
    assert fakes.workers == []
    assert asked == ([] if "html" in extra else [None])


def test_background_hands_back_the_value_or_the_exception():
    assert Background(lambda x, cancel: (x, cancel.is_set()), 7).result() == (7, False)
    with pytest.raises(ValueError, match="sai"):
        Background(lambda cancel: (_ for _ in ()).throw(ValueError("sai"))).result()
    job = Background(lambda cancel: cancel.wait(WAIT))
    job.stop()
    assert job.result() is True


def test_the_batch_runner_keeps_each_job_on_one_core(monkeypatch, tmp_path):
    """``cchc batch`` runs one job per core: inside a job no second PDF process is started."""
    from cchc_lib.city.batch import Job, _default_runner

    calls = []
    monkeypatch.setattr(document, "produce", lambda *a, **k: calls.append(k))
    monkeypatch.setattr(official, "produce_official", lambda *a, **k: None)
    _default_runner(Job(PLAN_DIR.name, str(PLAN_DIR), "sample", "2024-Q1", out=str(tmp_path)))
    assert calls and calls[0]["parallel"] is False


# -- the real pieces ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_stopped_official_report_writes_nothing(tmp_path):
    from cchc_lib.progress.inputs import load_inputs

    inputs = load_inputs(PLAN_DIR, "sample", "2024-Q1", "nd09", "vi")
    stop = threading.Event()
    stop.set()
    with pytest.raises(official.Cancelled):
        official.produce_official(
            PLAN_DIR, "sample", "2024-Q1", formats=("html",), out=tmp_path / "r", inputs=inputs, cancel=stop
        )
    assert not any((tmp_path / "r").rglob("*.*"))


PAGE = "<h1>Phụ lục</h1>" + "".join(f"<p>Dòng {i}: tiếng Việt có dấu — ổn định.</p>" for i in range(60))


@pytest.mark.slow
def test_a_pdf_made_in_a_child_process_has_the_same_bytes(tmp_path):
    kw = {"lang": "vi", "running_head": "xã Hải Dương — Quý I/2024"}
    child = pdf.start_pdf(PAGE, tmp_path / "pdf" / "a.pdf", **kw)
    assert child.wait().read_bytes() == pdf.html_to_pdf(PAGE, **kw)
    child.stop()  # once ended: nothing to do


@pytest.mark.slow
def test_a_child_that_fails_says_what_it_wrote_last(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "_CHILD", "import sys; sys.exit('WeasyPrint hỏng')")
    child = pdf.start_pdf(PAGE, tmp_path / "a.pdf")
    with pytest.raises(RuntimeError, match="WeasyPrint hỏng"):
        child.wait()


@pytest.mark.slow
def test_a_worker_started_ahead_makes_the_same_bytes_and_takes_one_job_only(tmp_path):
    kw = {"lang": "vi", "running_head": "xã Hải Dương — Quý I/2024"}
    worker = pdf.PdfWorker(tmp_path / "w")
    try:
        child = pdf.start_pdf(PAGE, tmp_path / "w" / "a.pdf", worker=worker, **kw)
        assert child.proc is worker.proc  # no second process started
        second = pdf.start_pdf(PAGE, tmp_path / "w" / "b.pdf", worker=worker, **kw)
        assert second.proc is not worker.proc  # the worker was taken: a child of its own
        assert child.wait().read_bytes() == second.wait().read_bytes() == pdf.html_to_pdf(PAGE, **kw)
    finally:
        worker.stop()
    assert worker.proc.returncode == 0


@pytest.mark.slow
def test_a_probing_worker_answers_the_pdf_check_then_makes_the_same_bytes(tmp_path):
    worker = pdf.PdfWorker(tmp_path / "w", probe=True)
    try:
        pdf.check_pdf_support(worker)
        assert worker.support() == (0, "") or worker.proc.poll() is None  # asked once: answered "ok"
        child = pdf.start_pdf(PAGE, tmp_path / "w" / "a.pdf", worker=worker)
        assert child.proc is worker.proc and child.wait().read_bytes() == pdf.html_to_pdf(PAGE)
    finally:
        worker.stop()


@pytest.mark.slow
def test_a_probing_worker_on_a_machine_without_fonts_says_how_to_install_them(tmp_path, monkeypatch):
    conf = tmp_path / "fonts.conf"  # fontconfig that knows no font: WeasyPrint crashes
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>\n')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    worker = pdf.PdfWorker(tmp_path / "w", probe=True)
    try:
        with pytest.raises(pdf.PdfSupportError, match="chưa có phông chữ"):
            pdf.check_pdf_support(worker)
    finally:
        worker.stop()


@pytest.mark.slow
def test_a_worker_given_nothing_is_ended_and_one_that_failed_is_replaced(tmp_path, monkeypatch):
    idle = pdf.PdfWorker(tmp_path / "idle")
    idle.stop()
    assert idle.proc.poll() is not None
    monkeypatch.setattr(pdf, "_CHILD", "import sys; sys.exit('WeasyPrint hỏng')")
    broken = pdf.PdfWorker(tmp_path / "broken")
    broken.proc.wait()
    monkeypatch.undo()
    child = pdf.start_pdf(PAGE, tmp_path / "broken" / "a.pdf", worker=broken)
    assert child.proc is not broken.proc and child.wait().read_bytes() == pdf.html_to_pdf(PAGE)


@pytest.mark.notebook
def test_one_cchc_report_call_publishes_both_documents_and_the_index_lists_them(tmp_path, capsys):
    out = tmp_path / "r"
    args = ["report", "--plan", "hai-duong-2024", "--period", "2024-Q1", "--data", "sample", "--out", str(out)]
    assert cli.main([*args, "--quiet"]) == 0
    folder = out / "hai-duong-2024" / "2024-Q1"
    names = {p.name for p in folder.iterdir()}
    official_stem = "bao-cao-chinh-thuc_hai-duong-2024_2024-Q1_nd09_vi"
    assessment_stem = "bao-cao-cchc_hai-duong-2024_2024-Q1_nd09_vi_du-lieu-mau"
    assert {f"{official_stem}.{k}" for k in ("docx", "html", "pdf", "json")} <= names
    assert {f"{assessment_stem}{s}" for s in (".ipynb", ".html", ".pdf", ".json", "_phu-luc.pdf")} <= names
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]  # nothing half-written
    assert not list(out.rglob(".staging-*"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{official_stem}.docx" in index and f"{assessment_stem}.pdf" in index
    said = capsys.readouterr().out
    assert f"{official_stem}.pdf" in said and f"{assessment_stem}_phu-luc.pdf" in said


def _notebook_with_an_appendix(path: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    show = "from IPython.display import HTML, display\ndisplay(HTML({!r}))"
    cells = [
        new_code_cell(show.format("<h2>I. Kết quả</h2><p>Đạt 3/4 chỉ tiêu.</p>")),
        new_code_cell(show.format(PAGE), metadata={"tags": ["appendix"]}),
    ]
    nbformat.write(
        new_notebook(
            cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
        ),
        path,
    )
    return path


@pytest.mark.notebook
def test_the_appendix_pdf_made_beside_the_main_one_is_published_with_it_or_not_at_all(tmp_path, monkeypatch):
    from cchc_lib.report.run import run_report

    nb = _notebook_with_an_appendix(tmp_path / "t.ipynb")
    out = tmp_path / "r" / "p" / "q"
    header = {"lang": "vi", "commune": "xã A", "period_label": "Quý I/2024"}
    kw = {"stem": "t", "header": header, "progress": False}
    workers = []
    monkeypatch.setattr(run, "PdfWorker", lambda folder: workers.append(pdf.PdfWorker(folder)) or workers[-1])
    done = run_report(nb, {}, out, **kw)
    assert done.annex["pdf"].name == "t_phu-luc.pdf" and done.pdf.is_file()
    # the appendices' PDF came from the process started with the kernel, which has ended
    assert len(workers) == 1 and workers[0].used and workers[0].proc.returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"t.pdf", "t_phu-luc.pdf", "t_phu-luc.html"} <= set(before)
    monkeypatch.setattr(pdf, "_CHILD", "import sys; sys.exit('WeasyPrint hỏng')")
    with pytest.raises(ReportError) as info:
        run_report(nb, {}, out, **kw)
    assert info.value.step == "pdf" and "WeasyPrint hỏng" in str(info.value)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # nothing replaced
    assert not list(out.parent.glob(".staging-*"))


@pytest.mark.slow
def test_weasyprint_is_imported_while_the_kernel_runs():
    """``preload`` (called before papermill starts) imports WeasyPrint in this process meanwhile."""
    import subprocess
    import sys

    code = (
        "import sys, threading; from cchc_lib.report import pdf; assert 'weasyprint' not in sys.modules; "
        "pdf.preload(); [t.join() for t in threading.enumerate() if t.name == 'cchc-weasyprint-import']; "
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr


@pytest.mark.notebook
def test_ctrl_c_while_both_documents_are_made_leaves_no_kernel_and_no_half_written_file(tmp_path):
    import signal
    import time

    from .test_kernel import _cli, _kernels_using

    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    args = ["--plan", str(PLAN_DIR), "--period", "2024-Q1", "--data", "sample", "--out", str(out)]
    proc = _cli(args, tmp, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline, runtime = time.monotonic() + 300, None
    while time.monotonic() < deadline and proc.poll() is None and runtime is None:
        found = [p for p in tmp.glob(f"{kernel.RUNTIME_PREFIX}*") if (p / "kernel.json").exists()]
        runtime = found[0] if found and _kernels_using(found[0]) else None
        time.sleep(0.2)
    assert runtime is not None, proc.communicate()[1]
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err, err
    time.sleep(0.5)
    assert _kernels_using(runtime) == [] and not list(out.rglob(".staging-*"))
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert not [n for n in names if n.endswith(".tmp")]
    assert not [n for n in names if n.startswith("bao-cao-cchc_")]  # the assessment was stopped
    official_files = {n for n in names if n.startswith("bao-cao-chinh-thuc_")}
    assert not official_files or {n.rsplit(".", 1)[1] for n in official_files} == {"docx", "html", "pdf", "json"}


@pytest.mark.notebook
def test_the_kernel_runs_in_the_notebooks_folder_and_this_process_never_changes_its_own(tmp_path, monkeypatch):
    """The official report's thread reads relative paths while the notebook runs: only the
    kernel starts in the notebook's folder (papermill's ``cwd`` would chdir the process)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from cchc_lib.report.run import run_report

    folder = tmp_path / "nb"
    folder.mkdir()
    nb = folder / "t.ipynb"
    cells = [new_code_cell("import os, time\ntime.sleep(1)\nprint(os.getcwd())")]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(new_notebook(cells=cells, metadata=meta), nb)
    monkeypatch.chdir(tmp_path)
    seen, running = set(), threading.Event()

    def watch():
        while not running.is_set():
            seen.add(os.getcwd())
            running.wait(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        done = run_report(nb, {}, tmp_path / "r" / "p" / "q", stem="t", formats=("html",), header={"lang": "vi"})
    finally:
        running.set()
        watcher.join()
    assert seen == {str(tmp_path)}
    ran = nbformat.read(done.notebook, as_version=4)
    printed = "".join(o.get("text", "") for c in ran.cells for o in c.get("outputs", []))
    assert printed.strip() == str(folder.resolve())
