"""How long the exploration dashboard takes to answer a widget change, on the sample year.

    .venv/bin/python benchmarks/bench_explore.py            # best of 5
    .venv/bin/python benchmarks/bench_explore.py --repeat 3

Each interaction is timed the way a user causes it: set the widget's value and wait for the
handler to return (that is when ipywidgets has sent the new outputs to the page). Beside
them, references measured in the same run: ``assess()`` itself, and building the full
target and task tables with ``tables.target_table`` / ``task_table`` + ``to_html``.

"cold" means the work is done for the first time (new assessment, new chart); "cached"
means the same state was seen before. The goal: every interaction well under 1 s. Nothing
is asserted; numbers are printed (see benchmarks/README.md for recorded ones).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cchc_lib import load_plan  # noqa: E402
from cchc_lib.assessment.engine import assess  # noqa: E402
from cchc_lib.explore.dashboard import Dashboard  # noqa: E402
from cchc_lib.explore.whatif import what_if  # noqa: E402
from cchc_lib.progress.loader import load_progress  # noqa: E402
from cchc_lib.progress.sample import ensure_sample  # noqa: E402
from cchc_lib.report import tables  # noqa: E402


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--repeat", type=int, default=5, help="repetitions of each cached/steady measurement (best is shown)"
    )
    args = ap.parse_args(argv)
    r = max(1, args.repeat)

    plan = load_plan("hai-duong-2024")
    ensure_sample(plan)
    progress = load_progress("sample", plan)
    out = tempfile.mkdtemp(prefix="bench-explore-")
    rows: list[tuple[str, str, list[float]]] = []

    def add(group, name, times):
        rows.append((group, name, times))

    # references ---------------------------------------------------------------------------
    assess(plan, progress, "2024-Q2")  # imports, rule files: not what we compare
    add("reference", "assess() one period (warm imports)", timed(lambda: assess(plan, progress, "2024-Q2"), r))
    a = assess(plan, progress, "2024-Q2")

    def full_tables():
        tables.to_html(tables.target_table(a), badge_col="Đánh giá")
        tables.to_html(tables.task_table(a), badge_col="Tình trạng")

    add("reference", "target_table+task_table+to_html, all rows", timed(full_tables, r))

    # the dashboard ------------------------------------------------------------------------
    builds = []
    for _ in range(min(r, 3)):
        t0 = time.perf_counter()
        d = Dashboard(plan, progress, "2024-Q2", "nd09", "vi", out_dir=out)
        builds.append(time.perf_counter() - t0)
    add("dashboard", "build + first display (one assessment)", builds)

    cold = []
    for code in ("2024-Q3", "2024-Q4", "2024-H1", "2024-H2", "2024"):
        cold += timed(lambda c=code: setattr(d.period, "value", c))
    add("period", "change period, cold (new assessment)", cold)

    def back_and_forth():
        d.period.value = "2024-Q2"
        d.period.value = "2024-Q3"

    add("period", "change period, cached (x2 per sample)", [t / 2 for t in timed(back_and_forth, r)])
    add("period", "change cut-off, cold (new assessment)", timed(lambda: setattr(d.cutoff, "value", "calendar")))
    d.period.value = "2024-Q2"
    d.cutoff.value = "nd09"

    areas = ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "II.7", ""]
    seq = iter(areas * (r + 1))
    add("filter", "area (tables tab shown)", timed(lambda: setattr(d.area, "value", next(seq)), len(areas)))
    words = iter(["ho so", "Hue-S", "truc tuyen", "so", ""] * (r + 1))
    add("filter", "search text (tables tab shown)", timed(lambda: setattr(d.search, "value", next(words)), 5))
    add(
        "filter",
        "unit + status together (set_filters)",
        timed(lambda: d.set_filters(unit="vh-xh", target_status="attention"), r),
    )
    d.set_filters()

    d.tabs.selected_index = d.TAB_CHART
    seq = iter(areas)
    add("chart", "area, chart tab shown, cold chart", timed(lambda: setattr(d.area, "value", next(seq)), len(areas)))
    seq = iter(areas * r)
    add("chart", "area, chart tab shown, cached chart", timed(lambda: setattr(d.area, "value", next(seq)), len(areas)))
    d.area.value = ""
    add("chart", "switch to 'actual vs plan', cold", timed(lambda: setattr(d.chart_kind, "value", "actual")))
    d.chart_kind.value = "status"

    d2 = Dashboard(plan, progress, "2024-Q2", "nd09", "vi", out_dir=out)  # only 2024-Q2 assessed so far
    add(
        "detail",
        "open detail tab, cold (assesses the other 3 quarters)",
        timed(lambda: setattr(d2.tabs, "selected_index", d2.TAB_DETAIL)),
    )
    ids = iter(list(d2.a.targets["target_id"])[1:] * (r + 1))
    add("detail", "pick another target, history cached", timed(lambda: setattr(d2.target_pick, "value", next(ids)), 10))
    kids = iter(list(d2.a.tasks["task_id"])[1:] * (r + 1))
    add("detail", "pick another task, history cached", timed(lambda: setattr(d2.task_pick, "value", next(kids)), 10))

    # what the served page does: prefetch=True computes the other periods in a background thread
    t0 = time.perf_counter()
    d3 = Dashboard(plan, progress, "2024-Q2", "nd09", "vi", out_dir=out, prefetch=True)
    seq = iter(areas * 2)
    add("prefetch", "area filter while the prefetch runs", timed(lambda: setattr(d3.area, "value", next(seq)), 4))
    d3._prefetcher.join()
    add("prefetch", "background prefetch of the 6 other periods (total)", [time.perf_counter() - t0])
    add("prefetch", "open detail tab after prefetch", timed(lambda: setattr(d3.tabs, "selected_index", d3.TAB_DETAIL)))
    codes = iter(["2024-Q3", "2024-H1", "2024", "2024-Q1", "2024-H2"])
    add("prefetch", "change period after prefetch", timed(lambda: setattr(d3.period, "value", next(codes)), 5))

    d2.tabs.selected_index = d2.TAB_WHATIF
    d2.wi_target.value = "T2.07"
    vals = iter([30, 40, 50, 60, 70, 80] * (r + 1))
    add("what-if", "move the value slider (T2.07)", timed(lambda: setattr(d2.wi_value, "value", next(vals)), 6))
    add("what-if", "what_if() alone (T6.13, projection)", timed(lambda: what_if(d2.a, "T6.13", 48.0), r))

    d2.tabs.selected_index = 0
    add("export", "Tải Excel (all rows)", timed(lambda: d2.export("xlsx"), min(r, 3)))
    add("export", "Tải CSV (all rows)", timed(lambda: d2.export("csv"), min(r, 3)))

    # report -----------------------------------------------------------------------------------
    ref = min(rows[0][2])
    print(f"cchc explore — sample year hai-duong-2024, Python {sys.version.split()[0]}, best of {r}\n")
    print(f"{'group':<10} {'interaction':<55} {'best s':>8} {'median s':>9} {'worst s':>8} {'× assess':>9}")
    for group, name, times in rows:
        best, med, worst = min(times), statistics.median(times), max(times)
        print(f"{group:<10} {name:<55} {best:8.3f} {med:9.3f} {worst:8.3f} {best / ref:9.2f}")
    slow = [
        (n, max(t))
        for g, n, t in rows
        if g not in ("reference", "dashboard", "export") and "total" not in n and max(t) >= 1.0
    ]
    print(
        "\nGoal: every interaction well under 1 s.",
        "Met." if not slow else "Not met by: " + "; ".join(f"{n} ({s:.2f} s)" for n, s in slow),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
