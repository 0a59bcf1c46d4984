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
    """A plan folder from a plan id (``hai-duong-2024``) or a path to the folder."""
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
