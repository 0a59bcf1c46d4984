"""Shared fixtures: the curated plan, and writable copies of it for bad-input tests."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_lib import load_plan

REPO = Path(__file__).resolve().parents[1]
PLAN_DIR = REPO / "data" / "plans" / "hai-duong-2024"
RAW_FILE = REPO / "data" / "raw" / "hai-duong-2024_qd-07-qd-ubnd_ke-hoach-cchc.txt"


GUARDED = ("data", "notebooks", "cchc_lib")  # folders no test may change (use tmp_path)


def _repo_state() -> str | None:
    """``git status`` of the guarded folders; None outside a git checkout (installed package)."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", *GUARDED],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout


@pytest.fixture(scope="session", autouse=True)
def repository_untouched():
    """Fail the run when a test wrote into the repository's data, notebooks or package."""
    before = _repo_state()
    yield
    after = _repo_state()
    if before is not None and after is not None and after != before:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        pytest.fail("Tests changed the repository (write to tmp_path instead): " + "; ".join(changed), pytrace=False)


@pytest.fixture(scope="session")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A writable copy of the plan in a folder named by its own id (load_plan checks the two agree)."""
    dest = tmp_path / PLAN_DIR.name
    shutil.copytree(PLAN_DIR, dest)
    return dest


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def edit_cell(path: Path, row_index: int, column: str, value: str) -> int:
    """Set one cell (0-based data row); returns the spreadsheet row number (header = 1)."""
    header, rows = read_rows(path)
    rows[row_index][column] = value
    write_rows(path, header, rows)
    return row_index + 2


@pytest.fixture(scope="session")
def sample_progress(plan, tmp_path_factory):
    """The synthetic sample year, written to a temporary folder (never the repo's data)."""
    from cchc_lib.progress.loader import load_progress
    from cchc_lib.progress.sample import write_sample

    folder = write_sample(plan, tmp_path_factory.mktemp("sample"))
    return load_progress(folder, plan)


# --- keeping `make check` fast --------------------------------------------------------------
# A test without the slow/notebook/browser mark runs in `make check`, which should stay under a
# minute. Tests that took longer than this are listed at the end of the run (nothing fails:
# timings depend on the machine), so the author can mark them `slow`.
FAST_TEST_SECONDS = 2.0
_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report):
    marked = {"slow", "notebook", "browser"} & set(report.keywords)
    if report.when == "call" and report.duration > FAST_TEST_SECONDS and not marked:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter):
    if _unmarked_slow:
        terminalreporter.section("tests to mark slow (make check)")
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda x: -x[1]):
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")
