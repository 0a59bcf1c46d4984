"""The assessment ``cchc report`` made, handed to its notebook's kernel.

``cchc report`` loads, checks and assesses the inputs before the notebook runs (a data error
is one message before any run, and the official report needs the assessment too). Without
a hand-off the notebook's first cell loads and assesses the same files again in the kernel.
Instead the assessment is pickled into a private temporary folder (mode 0700, removed when
the run ends) under a key: the hash of the package's code, of the plan folder and of the
data folder (each taken before it was read), their paths, the period, cut-off and language.
``Report.build(..., handoff=path)`` computes the key of what it would load itself and uses
the file only when the keys are equal; the key is read before anything is unpickled. With
no file, another key or any problem it loads as before, which is what a notebook run by
hand does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MAGIC = b"cchc-handoff-1 "
NAME = "assessment.pickle"


def key(plan_dir, plan_hash: str, data_dir, data_hash: str, period: str, cutoff: str, lang: str) -> str:
    """What an assessment depends on, in one hash."""
    from cchc_lib.core.fingerprint import code_hash

    parts = [code_hash(), str(Path(plan_dir)), plan_hash, str(Path(data_dir)), data_hash, period, cutoff, lang]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def key_of_inputs(inputs) -> str | None:
    """The key of loaded inputs (``load_inputs(..., digest=True)``); None without digests."""
    if getattr(inputs, "digests", None) is None or inputs.period is None:
        return None
    plan_dir, plan_hash, data_dir, data_hash = inputs.digests
    return key(plan_dir, plan_hash, data_dir, data_hash, inputs.period.code, inputs.cutoff, inputs.lang)


def key_of_files(plan, data, period, cutoff, lang) -> str | None:
    """The key of what ``load_inputs`` would read for these notebook parameters now; None
    unless plan and data name existing folders (as ``cchc report`` passes them)."""
    from cchc_lib.core.fingerprint import folder_digest

    plan_dir, data_dir = Path(str(plan)), Path(str(data))
    if not (plan_dir.is_absolute() and data_dir.is_absolute() and plan_dir.is_dir() and data_dir.is_dir()):
        return None
    plan_dir, data_dir = plan_dir.resolve(), data_dir.resolve()
    return key(plan_dir, folder_digest(plan_dir), data_dir, folder_digest(data_dir), str(period), cutoff, lang)


@contextlib.contextmanager
def handed_off(inputs, assessment) -> Iterator[str]:
    """The path of a private file holding ``assessment`` under the key of ``inputs`` for the
    block ("" when the inputs carry no digests); the file and its folder are removed after."""
    k = key_of_inputs(inputs)
    if k is None:
        yield ""
        return
    folder = Path(tempfile.mkdtemp(prefix="cchc-handoff-"))  # mode 0700: this user only
    try:
        path = folder / NAME
        with open(path, "wb") as f:
            f.write(MAGIC + k.encode("ascii") + b"\n")
            pickle.dump(assessment, f, protocol=pickle.HIGHEST_PROTOCOL)
        yield str(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read(path: str | os.PathLike, expected: str | None):
    """The assessment stored at ``path`` under the key ``expected``; None when there is no
    such file, it holds another key (nothing is unpickled then) or it cannot be read."""
    if not path or not expected:
        return None
    try:
        with open(path, "rb") as f:
            if f.readline() != MAGIC + expected.encode("ascii") + b"\n":
                return None
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
