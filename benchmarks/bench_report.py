"""Time a full quarterly report (execute + HTML + PDF) against a floor measured in the same run.

    .venv/bin/python benchmarks/bench_report.py [--repeat 3] [--notebook PATH] [--keep DIR]

OURS   ``run.run_report`` on notebooks/quarterly_assessment.ipynb with the parameters
       plan="hai-duong-2024", data="sample", period="2024-Q2", cutoff="nd09", lang="vi":
       papermill execution, HTML export, WeasyPrint PDF, sidecar JSON, index page.
OFFICIAL  the official report of the same period from the same inputs: load, assess,
       content, DOCX, HTML and PDF (``report.official.write_official``), in this process.
BOTH   ``cchc report`` for the same period with ``--official-anyway`` (both documents, every
       format), timed as one call: what a user waits for. The official report is made in a
       thread while the notebook runs and the appendix PDF beside the main one, so BOTH is
       less than OURS + OFFICIAL (goal: BOTH <= 4 x FLOOR).
FLOOR  the same ``run_report`` call on a notebook that only imports the libraries the
       report uses (cchc_lib, pandas, seaborn, matplotlib) with the same parameters
       cell: kernel start-up, imports, the export machinery on an almost empty page.

Each is run ``--repeat`` times (best run kept, by total time), alternating so that
all see the same machine state. ``--sequential`` times OURS with the appendix PDF made
after the main one in this process (``run_report(parallel=False)``, as ``cchc batch`` does).
Printed: seconds per step (execute, html, pdf, total), file sizes, PDF pages when
poppler's ``pdfinfo`` is installed, and the ratio OURS / FLOOR. Goal: ratio <= 2. Timings are printed, never asserted.

Without the report notebook (written elsewhere) the script says so and stops; pass
``--notebook`` to time another notebook with the same parameters.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cchc_lib.report.index import human_size  # noqa: E402
from cchc_lib.report.run import run_report  # noqa: E402

NOTEBOOK = REPO / "notebooks" / "quarterly_assessment.ipynb"
PARAMETERS = {"plan": "hai-duong-2024", "data": "sample", "period": "2024-Q2", "cutoff": "nd09", "lang": "vi"}
HEADER = {
    "commune": "xã Hải Dương",
    "period_label": "Quý II/2024",
    "lang": "vi",
    "title": "Báo cáo đánh giá kết quả thực hiện kế hoạch CCHC Quý II/2024",
}
STEPS = ("execute", "html", "pdf", "total")


def floor_notebook(path: Path) -> Path:
    """Parameters cell + the imports of the report, nothing else."""
    params = "\n".join(f"{k} = {v!r}" for k, v in PARAMETERS.items())
    nb = new_notebook(
        cells=[
            new_code_cell(params, metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import cchc_lib\nimport pandas\nimport seaborn\nimport matplotlib\nimport matplotlib.pyplot"
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, path)
    return path


def pdf_pages(path: Path) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return m.group(1) if m else "?"


def run(notebook: Path, root: Path, stem: str, parallel: bool = True):
    out_dir = root / "reports" / "hai-duong-2024" / "2024-Q2"
    return run_report(
        notebook,
        PARAMETERS,
        out_dir,
        stem=stem,
        header=HEADER,
        progress=False,
        record={"sample": True},
        parallel=parallel,
    )


def run_both(root: Path) -> float:
    """Wall time of ``cchc report`` making both documents for PARAMETERS (one call, as typed)."""
    from cchc_lib import cli

    p = PARAMETERS
    argv = ["report", "--plan", p["plan"], "--data", p["data"], "--period", p["period"], "--cutoff", p["cutoff"]]
    argv += ["--lang", p["lang"], "--official-anyway", "--quiet", "--out", str(root / "reports")]
    said = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stdout(said):
        code = cli.main(argv)
    wall = time.perf_counter() - t
    if code != 0:
        raise SystemExit(f"cchc report failed (exit {code}):\n{said.getvalue()}")
    return wall


def run_official(root: Path) -> tuple[float, dict[str, float], dict[str, int]]:
    """Load, assess and write the official report (DOCX, HTML, PDF) for PARAMETERS."""
    from cchc_lib.assessment.engine import assess
    from cchc_lib.plan.model import load_plan
    from cchc_lib.progress.loader import load_progress
    from cchc_lib.report.official import write_official

    t = time.perf_counter()
    plan = load_plan(PARAMETERS["plan"])
    a = assess(plan, load_progress(PARAMETERS["data"], plan), PARAMETERS["period"], PARAMETERS["cutoff"])
    steps = {"assess": time.perf_counter() - t}
    res = write_official(a, root / "official", lang=PARAMETERS["lang"])
    steps.update(res.seconds)
    return time.perf_counter() - t, steps, {k: p.stat().st_size for k, p in res.files.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--notebook", type=Path, default=NOTEBOOK)
    ap.add_argument("--keep", type=Path, help="keep the outputs in this folder (default: temporary)")
    ap.add_argument("--sequential", action="store_true", help="OURS without the appendix PDF in a child process")
    args = ap.parse_args(argv)

    if not args.notebook.is_file():
        print(
            f"Chưa có notebook báo cáo {args.notebook} — chưa đo được. "
            "(Report notebook not found; use --notebook PATH to time another one.)"
        )
        return 2

    root = Path(tempfile.mkdtemp(prefix="bench-report-")) if args.keep is None else args.keep
    root.mkdir(parents=True, exist_ok=True)
    floor_nb = floor_notebook(root / "floor.ipynb")
    best: dict[str, object] = {}
    pages: dict[str, str] = {}
    runs: dict[str, list[float]] = {"OURS": [], "FLOOR": [], "BOTH": []}
    official: tuple[float, dict[str, float], dict[str, int]] | None = None
    try:
        for i in range(args.repeat):
            got = run_official(root)
            print(f"  run {i + 1} OFFICIAL {got[0]:6.2f} s", flush=True)
            if official is None or got[0] < official[0]:
                official = got
            for name, nb, stem in (("FLOOR", floor_nb, "floor"), ("OURS", args.notebook, "report")):
                t = time.perf_counter()
                res = run(nb, root / name.lower(), stem, parallel=not args.sequential)
                wall = time.perf_counter() - t
                runs[name].append(wall)
                print(f"  run {i + 1} {name:<5} {wall:6.2f} s", flush=True)
                if name not in best or res.seconds["total"] < best[name].seconds["total"]:
                    best[name] = res
                    pages[name] = pdf_pages(res.pdf)
            runs["BOTH"].append(run_both(root / "both"))
            print(f"  run {i + 1} BOTH  {runs['BOTH'][-1]:6.2f} s", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)

    print()
    print(f"notebook: {args.notebook.relative_to(REPO) if args.notebook.is_relative_to(REPO) else args.notebook}")
    print(f"parameters: {PARAMETERS}")
    print(f"best of {args.repeat} (seconds, time.perf_counter):")
    print(f"{'':<7}" + "".join(f"{s:>9}" for s in STEPS) + f"{'HTML':>10}{'PDF':>10}{'pages':>7}")
    for name in ("OURS", "FLOOR"):
        res = best[name]
        print(
            f"{name:<7}"
            + "".join(f"{res.seconds.get(s, 0):9.2f}" for s in STEPS)
            + f"{human_size(res.sizes.get('html', 0), 'en'):>10}"
            + f"{human_size(res.sizes.get('pdf', 0), 'en'):>10}{pages[name]:>7}"
        )
    ours, floor = best["OURS"].seconds, best["FLOOR"].seconds
    print("ratio  " + "".join(f"{ours[s] / floor[s]:9.2f}" if floor.get(s) else f"{'—':>9}" for s in STEPS))
    verdict = "meets" if ours["total"] <= 2 * floor["total"] else "misses"
    print(f"\nOURS / FLOOR = {ours['total'] / floor['total']:.2f} (goal <= 2: {verdict})")
    total, steps, sizes = official
    print(
        "OFFICIAL "
        + f"{total:.2f} s ("
        + ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
        + "); "
        + ", ".join(f"{k.upper()} {human_size(v, 'en')}" for k, v in sizes.items())
    )
    both = min(runs["BOTH"])
    verdict = "meets" if both <= 4 * floor["total"] else "misses"
    print(
        f"BOTH (cchc report, one call) = {both:.2f} s (OURS + OFFICIAL one after the other would be "
        f"{ours['total'] + total:.2f} s); BOTH / FLOOR = {both / floor['total']:.2f} (goal <= 4: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
