"""Where plans, progress data and reports live.

The data root is, in order: the ``CCHC_DATA`` environment variable, ``./data`` when the
working folder has plans, or the ``data/`` folder of the repository this package sits in
(the editable install the README sets up). A plan or progress argument may always be a
plain path instead of an id.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# The repository this package sits in when installed editable (the README's set-up); only
# used to find ``data/`` and ``reports/`` there, never the package's own files.
REPO_ROOT = Path(__file__).resolve().parents[2]


def data_root() -> Path:
    env = os.environ.get("CCHC_DATA")
    if env:
        return Path(env)
    local = Path.cwd() / "data"
    if (local / "plans").is_dir():
        return local
    return REPO_ROOT / "data"


def plan_dir(ref: str | os.PathLike) -> Path:
    """A plan folder from a plan id (a folder name in ``data/plans/``) or a path to the folder."""
    p = Path(ref)
    if p.is_dir():
        return p
    return data_root() / "plans" / str(ref)


def progress_dir(ref: str | os.PathLike, plan_id: str) -> Path:
    """Progress inputs by folder name under ``data/progress/<plan-id>/``, or a path."""
    named = data_root() / "progress" / plan_id / str(ref)
    p = Path(ref)
    if len(p.parts) == 1 and (named.exists() or not p.exists()):
        return named
    return p


def known_plans() -> list[str]:
    root = data_root() / "plans"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def notebook(name: str) -> Path:
    """A notebook shipped with the package (``cchc_lib.notebooks``), installed or editable."""
    return Path(str(resources.files("cchc_lib.notebooks").joinpath(name)))


def plan_from_data(data: str | os.PathLike | None) -> str | None:
    """The plan id of a progress folder given as a path inside ``data/progress/<plan-id>/``."""
    if data is None:
        return None
    p = Path(data)
    if len(p.parts) == 1 and not p.exists():
        return None  # a bare folder name: it says nothing about the plan
    root = (data_root() / "progress").resolve()
    try:
        rel = p.resolve().relative_to(root)
    except ValueError:
        return None
    return rel.parts[0] if rel.parts and (data_root() / "plans" / rel.parts[0]).is_dir() else None


class PlanChoiceError(ValueError):
    """No plan given where the data folder does not say which one and several exist."""


def choose_plan(plan: str | os.PathLike | None, data: str | os.PathLike | None = None) -> str | os.PathLike:
    """The plan to use: ``plan`` when given, else the one ``data`` lies under, else the only one.

    With several plans and nothing to tell them apart there is no safe default: a report of
    one commune's plan for another's year is worse than a question."""
    if plan:
        return plan
    inferred = plan_from_data(data)
    if inferred:
        return inferred
    known = known_plans()
    if len(known) == 1:
        return known[0]
    listed = ", ".join(known) or "(chưa có kế hoạch nào trong data/plans/)"
    raise PlanChoiceError(f"cần chọn kế hoạch bằng --plan <mã kế hoạch>; các kế hoạch có sẵn: {listed}")
