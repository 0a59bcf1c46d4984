"""Content hashes: of a folder's files and of the package's own code.

A result made from some inputs may be reused only while those inputs, and the code that
made it, are byte for byte the same: ``cchc batch`` skips a report whose hash is unchanged,
and ``cchc report`` hands its assessment to the notebook's kernel under such a key
(:mod:`cchc_lib.report.handoff`). Names and bytes of every file count, never times.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CODE_SUFFIXES = (".py", ".toml", ".j2", ".css", ".ipynb", ".html")


def hash_tree(h, folder: Path, *, suffixes: tuple[str, ...] | None = None) -> None:
    """Feed ``h`` with the relative name and bytes of every file under ``folder``, in order."""
    if not folder.exists():
        h.update(b"<missing>" + str(folder.name).encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if suffixes and path.suffix not in suffixes:
            continue
        if "__pycache__" in path.parts:
            continue
        h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())


def folder_digest(folder: Path) -> str:
    """The hash of everything under ``folder`` (a plan or a year of progress data)."""
    h = hashlib.sha256()
    hash_tree(h, Path(folder))
    return h.hexdigest()


def code_hash() -> str:
    """A hash of the package's own source (its version included), templates, configuration
    and notebooks."""
    import cchc_lib
    from cchc_lib.core.paths import notebook

    h = hashlib.sha256()
    hash_tree(h, Path(cchc_lib.__file__).parent, suffixes=CODE_SUFFIXES)
    for name in ("quarterly_assessment.ipynb",):
        path = notebook(name)
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()
