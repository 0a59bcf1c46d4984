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


def shown_name(path: str | os.PathLike) -> str:
    """A file or folder as a report names it: relative to the data root (``progress/<plan-id>/
    2024/q2.xlsx``), else to the working folder, else its folder and name.

    Never the absolute path of the machine that made the report: a report is sent on and
    read elsewhere, and the path says nothing there (and tells who made it, where)."""
    p = Path(path)
    if not p.is_absolute():
        p = Path.cwd() / p
    p = p.resolve()
    cwd = Path.cwd()
    for root in (data_root(), cwd) if cwd != Path(cwd.anchor) else (data_root(),):
        try:
            rel = p.relative_to(Path(root).resolve())
        except ValueError:
            continue
        if rel.parts:
            return rel.as_posix()
    return Path(p.parent.name, p.name).as_posix() if p.parent.name else p.name


def shown_label(label: str) -> str:
    """``shown_name`` of a source label as the loaders write it: a path, perhaps followed by
    `` [trang <sheet>]``; a label that names no path (``—``, a sheet alone) is kept."""
    text = str(label)
    head, sep, sheet = text.partition(" [")
    looks_like_path = "/" in head or "\\" in head or Path(head).suffix != ""
    if not head or not looks_like_path:
        return text
    return shown_name(head) + (sep + sheet if sep else "")


def shown_params(params: dict) -> dict:
    """Report parameters with every absolute path replaced by its ``shown_name``."""
    out = {}
    for key, value in params.items():
        absolute = isinstance(value, str | os.PathLike) and value and Path(value).is_absolute()
        out[key] = shown_name(value) if absolute else value
    return out
