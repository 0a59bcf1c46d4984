"""The report's kernel: private to each run, so runs at once, a read-only package and an
interrupted run all behave; a kernel that cannot start is one message, not a traceback.

These start real kernels (``cchc report`` as a subprocess, HTML only to keep them affordable).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cchc_lib.report import kernel
from cchc_lib.report.run import ReportError, run_report

from .conftest import PLAN_DIR, REPO
from .test_cli import _as_ordinary_user

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def sample_dir(plan, tmp_path_factory):
    from cchc_lib.progress.sample import write_sample

    return write_sample(plan, tmp_path_factory.mktemp("kernel-sample"))


def _cli(args: list[str], tmp: Path, **kw) -> subprocess.Popen:
    """``cchc report`` in a child process whose temporary folder is ``tmp`` (to look into)."""
    env = {**os.environ, "TMPDIR": str(tmp), **kw.pop("env", {})}
    return subprocess.Popen(
        [sys.executable, "-m", "cchc_lib.cli", "report", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        **kw,
    )


def _kernels_using(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (a kernel's connection file is there)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder).encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize(
    "runs",
    [
        # same period into two folders, two periods into one folder, both languages
        [("2024-Q1", "vi", "a"), ("2024-Q2", "vi", "a"), ("2024-Q2", "vi", "b"), ("2024-H1", "en", "a")],
        # the very same report twice at once, into the same folder
        [("2024-Q3", "vi", "a"), ("2024-Q3", "vi", "a"), ("2024-Q2", "en", "b"), ("2024", "vi", "b")],
    ],
    ids=["round-1", "round-2"],
)
def test_four_reports_at_once_all_succeed(sample_dir, tmp_path, runs):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    procs = [
        _cli(
            [
                "--plan",
                str(PLAN_DIR),
                "--period",
                period,
                "--lang",
                lang,
                "--data",
                str(sample_dir),
                "--formats",
                "html",
            ]
            + ["--out", str(tmp_path / out)],
            tmp,
        )
        for period, lang, out in runs
    ]
    results = [(p.communicate(timeout=900)[1], p.returncode) for p in procs]
    for (period, lang, _), (err, code) in zip(runs, results):
        assert code == 0, f"{period} {lang}: {err}"
        assert "Traceback" not in err and "Invalid Signature" not in err
    for out in {r[2] for r in runs}:
        index = (tmp_path / out / "index.html").read_text(encoding="utf-8")
        for period, lang, folder in runs:
            if folder == out:
                stem = f"bao-cao-cchc_hai-duong-2024_{period}_nd09_{lang}_du-lieu-mau"  # sample data, named so
                html = tmp_path / out / "hai-duong-2024" / period / f"{stem}.html"
                assert html.is_file() and f"{stem}.html" in index  # every report listed
        assert not list((tmp_path / out).rglob(".staging-*"))
    assert not list(tmp.glob(f"{kernel.RUNTIME_PREFIX}*"))  # every runtime folder removed
    assert not list((REPO / "notebooks").glob("kernel-ipc-*"))


def _read_only_package(dest: Path) -> Path:
    """cchc_lib laid out as pip installs it (notebooks inside the package), without write bits."""
    shutil.copytree(REPO / "cchc_lib", dest / "cchc_lib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "notebooks", dest / "cchc_lib" / "notebooks", ignore=shutil.ignore_patterns(".*"))
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return dest


def test_a_read_only_installed_package_runs_its_report(sample_dir, tmp_path):
    site = _read_only_package(tmp_path / "site")
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    as_user = _as_ordinary_user if os.geteuid() == 0 else None  # root would write anyway
    try:
        where = subprocess.run(
            [sys.executable, "-c", "import cchc_lib.report.run as r; print(r.__file__)"],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            preexec_fn=as_user,
            cwd=tmp_path,  # not the repository, whose cchc_lib would be found first
        )
        assert where.stdout.strip() == str(site / "cchc_lib" / "report" / "run.py")  # the copy, not the repo
        proc = _cli(
            ["--plan", str(PLAN_DIR), "--period", "2024-Q2", "--data", str(sample_dir), "--formats", "html"]
            + ["--out", str(tmp_path / "out")],
            tmp_path,
            env=env,
            preexec_fn=as_user,
            cwd=tmp_path,
        )
        out, err = proc.communicate(timeout=900)
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert (tmp_path / "out" / "hai-duong-2024" / "2024-Q2").is_dir()
    assert sorted(p.name for p in (site / "cchc_lib" / "notebooks").iterdir()) == sorted(
        p.name for p in (REPO / "notebooks").iterdir() if not p.name.startswith(".") and p.name != "__pycache__"
    )  # nothing written into the package


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_an_interrupted_run_leaves_no_kernel_and_no_runtime_folder(sample_dir, tmp_path, sig):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    args = ["--plan", str(PLAN_DIR), "--period", "2024-Q2", "--data", str(sample_dir), "--formats", "html"]
    # A child inherits an ignored SIGINT across exec (another test's library may have set
    # SIG_IGN in this pytest process; a shell does so for background jobs): give the run the
    # terminal's default, as a user pressing Ctrl-C has it.
    proc = _cli([*args, "--out", str(out)], tmp, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    runtime = None
    while time.monotonic() < deadline and proc.poll() is None:
        found = [p for p in tmp.glob(f"{kernel.RUNTIME_PREFIX}*") if (p / "kernel.json").exists()]
        if found and _kernels_using(found[0]):
            runtime = found[0]
            break
        time.sleep(0.2)
    assert runtime is not None, proc.communicate()[1]
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Đã dừng theo yêu cầu." in err and "Traceback" not in err
    assert not runtime.exists()
    time.sleep(0.5)  # a killed kernel may take a moment to leave the process table
    assert _kernels_using(runtime) == []
    assert not list(out.rglob(".staging-*"))
    assert not out.exists() or list(out.iterdir()) == []  # no empty reports/<plan>/ folder left behind
    assert not (out / "hai-duong-2024").exists()


def test_a_kernel_that_cannot_start_is_one_message(tmp_path, monkeypatch, capfd, caplog):
    spec = tmp_path / "jupyter" / "kernels" / "broken"
    spec.mkdir(parents=True)
    crash = (
        "import sys; sys.stderr.write('Traceback (most recent call last):\\nRuntimeError: nhân hỏng\\n'); sys.exit(1)"
    )
    (spec / "kernel.json").write_text(
        json.dumps({"argv": [sys.executable, "-c", crash], "display_name": "broken", "language": "python"}),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = tmp_path / "t.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), nb)
    with pytest.raises(ReportError) as info:
        run_report(
            nb,
            {},
            tmp_path / "r" / "p" / "q",
            stem="t",
            formats=("html",),
            header={"lang": "vi"},
            progress=False,
            kernel_name="broken",
            start_timeout=10,
        )
    msg = str(info.value)
    assert msg.startswith("Không chạy được notebook t.ipynb") and "RuntimeError: nhân hỏng" in msg
    assert "Traceback" not in capfd.readouterr().err  # the kernel's own output went to its log
    assert not [r for r in caplog.records if r.name.startswith("papermill") and r.levelno >= logging.ERROR]
    assert not list((tmp_path / "r" / "p").glob(".staging-*"))


def test_bad_input_found_after_the_early_kernel_started_leaves_no_kernel(sample_dir, tmp_path):
    """``cchc report`` starts its kernel before loading the inputs: a data error is still exit
    2 with its message, and the kernel started meanwhile is gone with its runtime folder."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    broken = tmp_path / "broken"
    shutil.copytree(sample_dir, broken)
    text = (broken / "tasks.csv").read_text(encoding="utf-8-sig").replace("Hoàn thành", "Xong rồi", 1)
    (broken / "tasks.csv").write_text(text, encoding="utf-8-sig")
    args = ["--plan", str(PLAN_DIR), "--period", "2024-Q2", "--data", str(broken), "--out", str(tmp_path / "out")]
    _, err = _cli(args, tmp).communicate(timeout=300)
    assert "tasks.csv" in err and "cột 'status'" in err and "Traceback" not in err
    time.sleep(0.5)  # a killed kernel may take a moment to leave the process table
    assert _kernels_using(tmp) == []
    assert not list(tmp.glob(f"{kernel.RUNTIME_PREFIX}*"))
    assert not (tmp_path / "out" / "hai-duong-2024").exists()


def test_an_early_kernel_is_warm_invisible_and_stopped(tmp_path):
    """The kernel handed to papermill has imported the report's libraries before the first
    cell, runs in its folder, leaves no cell, output or execution count of its own, and is
    stopped with its runtime folder once the notebook has run."""
    folder = tmp_path / "nb"
    folder.mkdir()
    nb = folder / "t.ipynb"
    code = "import os, sys\nprint(all(m in sys.modules for m in ('cchc_lib.report.document', 'seaborn')), os.getcwd())"
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(new_notebook(cells=[new_code_cell(code)], metadata=meta), nb)
    early = kernel.EarlyKernel(folder)
    process = early.km.provisioner.process
    try:
        result = run_report(
            nb, {}, tmp_path / "r" / "p" / "q", stem="t", formats=(), header={"lang": "vi"}, early_kernel=early
        )
        # once the notebook has run, the kernel is stopped politely in a thread (the exports
        # go on meanwhile); close() waits for it
        assert early._stopping is not None
    finally:
        early.close()
    assert not early._stopping.is_alive() and process.poll() is not None
    ran = nbformat.read(result.notebook, as_version=4)
    assert len(ran.cells) == 1
    assert ran.cells[0].execution_count == 1
    assert [o.get("text") for o in ran.cells[0].outputs] == [f"True {folder}\n"]
    assert process.poll() is not None
    assert not early.runtime.exists()


def test_a_transient_parameter_reaches_the_kernel_but_not_the_published_files(tmp_path):
    """The hand-off's path (``report.handoff``) is for the run only: the kernel gets it, the
    published notebook shows it empty and the sidecar does not list it."""
    nb = tmp_path / "t.ipynb"
    cells = [new_code_cell('handoff = ""', metadata={"tags": ["parameters"]}), new_code_cell("print(handoff)")]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(new_notebook(cells=cells, metadata=meta), nb)
    secret = str(tmp_path / "cchc-handoff-x" / "assessment.pickle")
    result = run_report(
        nb, {"lang": "vi"}, tmp_path / "r" / "p" / "q", stem="t", formats=("html",), header={"lang": "vi"},
        progress=False, transient={"handoff": secret},
    )  # fmt: skip
    ran = nbformat.read(result.notebook, as_version=4)
    assert ran.cells[-1].outputs[0]["text"] == secret + "\n"  # the kernel had it
    assert secret not in ran.cells[1].source and secret not in str(ran.metadata)
    assert 'handoff = ""' in ran.cells[1].source and ran.metadata.papermill.parameters["handoff"] == ""
    assert "handoff" not in result.sidecar.read_text(encoding="utf-8")
