"""Synthetic progress data ("dữ liệu mẫu") for a plan: one plausible, deterministic year.

``write_sample(plan, out_dir, seed)`` writes the five progress inputs that
``progress.load_progress`` reads (``tasks``, ``indicators``, ``dossiers``, ``feedback``,
``notes``) plus a ``meta.toml`` that marks the folder as sample data, so that every report
built on it can say so. Everything is derived from the plan's own tables (targets, tasks,
areas, units, year); no target, task or area id is written into the code, so another plan
(or next year's) gets its own sample. Texts are chosen by what an area is about (its name),
not by its number; holidays and note texts are data in ``cchc_lib/config``.

The year is shaped to exercise the assessment rather than to flatter it:

* tasks: most deadline tasks done on time; some done late, two overdue (one through the
  whole year, one until Q3), one not started by its deadline; tasks led by a unit above
  the commune left without updates in some quarters; standing duties reported in most
  quarters, with a few quarters missing. A finished task is reported again in every later
  quarter as "Hoàn thành" with the same completion date (each quarter's sheet is complete
  on its own);
* indicators: quarterly trajectories rising towards the year-end target, about 60 %
  met, some slightly below, a few clearly missed; some given as numerator/denominator;
* dossiers: a commune one-stop log (≈3,500 dossiers from 15/12 of the previous year to
  31/12), online share rising from about a quarter to about a half, land dossiers later
  and less satisfied than the rest (the 85 % land target is missed);
* feedback and notes: petitions with one or two late and one pending at year end;
  quarterly notes in administrative Vietnamese (including ``&``, ``<``, ``>`` and quotes,
  which the reports must escape).

Randomness comes only from ``numpy.random.default_rng`` seeded with ``[seed, part]`` (the
seed defaults to the plan's year; one
independent stream per file), rows are sorted and numbers formatted with fixed rules, so
the same seed gives byte-identical files.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np

from cchc_lib.core import paths
from cchc_lib.progress.sample.calendar import _Calendar, _Documents
from cchc_lib.progress.sample.common import _toml_str, _write_csv
from cchc_lib.progress.sample.dossiers import _gen_dossiers, _gen_feedback
from cchc_lib.progress.sample.indicators import _gen_indicators
from cchc_lib.progress.sample.notes import _gen_notes
from cchc_lib.progress.sample.tasks import _gen_tasks

__all__ = [
    "DEFAULT_SEED",
    "DESCRIPTION",
    "GENERATOR",
    "GENERATOR_VERSION",
    "SAMPLE_DIRNAME",
    "SAMPLE_FILES",
    "default_sample_dir",
    "ensure_sample",
    "write_sample",
]

SAMPLE_DIRNAME = "sample"
DEFAULT_SEED = None  # the plan's year: each plan-year has its own sample, reproducible
GENERATOR = "cchc sample-data"
GENERATOR_VERSION = 1  # bump when the generated data changes, so ensure_sample rewrites it
DESCRIPTION = "DỮ LIỆU MẪU — số liệu tổng hợp ngẫu nhiên (có kiểm soát) để minh họa, không phải số liệu thật của xã"
SAMPLE_FILES = ("meta.toml", "tasks.csv", "indicators.csv", "dossiers.csv", "feedback.csv", "notes.csv")

# One independent random stream per part: changing one generator leaves the others' output alone.
_PART = {"tasks": 1, "indicators": 2, "dossiers": 3, "feedback": 4, "notes": 5}

_HEADERS = {
    "tasks": ("task_id", "period", "status", "completed_on", "evidence", "note"),
    "indicators": ("target_id", "period", "value", "numerator", "denominator", "source", "note"),
    "dossiers": (
        "dossier_id",
        "field",
        "procedure",
        "received_date",
        "due_date",
        "returned_date",
        "channel",
        "dossier_digitized",
        "result_digitized",
        "rating",
    ),
    "feedback": ("feedback_id", "received_date", "due_date", "resolved_date", "rating", "summary"),
    "notes": ("period", "area_id", "highlights", "difficulties", "proposals", "section", "text"),
}

# --- public API --------------------------------------------------------------------------


def default_sample_dir(plan) -> Path:
    """Where the sample data of a plan lives: ``data/progress/<plan-id>/sample``."""
    return paths.data_root() / "progress" / plan.plan_id / SAMPLE_DIRNAME


def write_sample(plan, out_dir, seed: int | None = DEFAULT_SEED) -> Path:
    """Write a synthetic year of progress inputs for ``plan`` into ``out_dir``; return it.

    The folder is created if missing; files of the same names are overwritten, nothing
    else in it is touched. The same plan and seed always give byte-identical files.
    """
    seed = int(plan.year) if seed is None else seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed phải là số nguyên không âm (đang là {seed!r})")
    seed = int(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cal = _Calendar(int(plan.year))
    docs = _Documents()
    tables = {
        "tasks": _gen_tasks(plan, _rng(seed, "tasks"), cal, docs),
        "indicators": _gen_indicators(plan, _rng(seed, "indicators"), cal),
        "dossiers": _gen_dossiers(plan, _rng(seed, "dossiers"), cal),
        "feedback": _gen_feedback(plan, _rng(seed, "feedback"), cal),
        "notes": _gen_notes(plan, _rng(seed, "notes"), cal),
    }
    tables["tasks"] = docs.resolve(tables["tasks"])
    for kind, rows in tables.items():
        _write_csv(out / f"{kind}.csv", _HEADERS[kind], rows)
    (out / "meta.toml").write_text(_meta_toml(plan, seed), encoding="utf-8-sig", newline="")
    return out


def ensure_sample(plan, seed: int | None = DEFAULT_SEED) -> Path:
    """The plan's sample folder, (re)written when missing, incomplete or from another seed/version."""
    seed = int(plan.year) if seed is None else seed
    folder = default_sample_dir(plan)
    if not _is_current(folder, plan, seed):
        write_sample(plan, folder, seed)
    return folder


def _is_current(folder: Path, plan, seed: int) -> bool:
    if not all((folder / name).is_file() for name in SAMPLE_FILES):
        return False
    try:
        meta = tomllib.loads((folder / "meta.toml").read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False
    return (
        meta.get("sample") is True
        and meta.get("generator") == GENERATOR
        and meta.get("generator_version") == GENERATOR_VERSION
        and meta.get("seed") == seed
        and meta.get("plan_id") == plan.plan_id
    )


def _rng(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng([seed, _PART[part]])


def _meta_toml(plan, seed: int) -> str:
    lines = [
        "# Dữ liệu mẫu do 'cchc sample-data' tạo ra; không phải số liệu thật.",
        "sample = true",
        f"description = {_toml_str(DESCRIPTION)}",
        f"plan_id = {_toml_str(plan.plan_id)}",
        f"year = {int(plan.year)}",
        f"seed = {seed}",
        f"generator = {_toml_str(GENERATOR)}",
        f"generator_version = {GENERATOR_VERSION}",
    ]
    return "\n".join(lines) + "\n"
