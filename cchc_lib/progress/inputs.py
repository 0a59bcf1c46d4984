"""The one way in: plan + progress for (plan, data, period, cut-off, language).

The CLI, both notebooks and the dashboard call ``load_inputs``; the defaults live here
once, so they cannot drift between the four:

* ``data`` left empty means the plan's own year folder, ``data/progress/<plan-id>/<year>/``
  (the year is the plan's, from its meta.toml). When that folder does not exist yet, the
  sample year is used with a printed notice (``Inputs.notice``); ``data="sample"`` asks for
  the sample explicitly. The sample is never used silently.
* a period outside the plan's year is refused (exit 2 in the CLI), never assessed with a
  trailing warning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cchc_lib.core import paths
from cchc_lib.core.errors import Msg
from cchc_lib.core.periods import Period, check_cutoff
from cchc_lib.i18n.fmt import check_lang
from cchc_lib.plan.model import Plan, load_plan
from cchc_lib.progress.loader import Progress, load_progress

SAMPLE = "sample"


@dataclass
class Inputs:
    """What every consumer needs before assessing: validated, with the choices made."""

    plan: Plan
    progress: Progress
    period: Period | None
    cutoff: str
    lang: str
    notice: str | None = None  # to print: the sample was used because no real data exists
    # (plan folder, its hash, data folder, its hash), taken before each was read (digest=True)
    digests: tuple[Path, str, Path, str] | None = None

    @property
    def sample(self) -> bool:
        return self.progress.is_sample


def year_folder(plan: Plan) -> Path:
    """Where the analyst's data for the plan's year lives: ``data/progress/<plan-id>/<year>/``."""
    return paths.data_root() / "progress" / plan.plan_id / str(plan.year)


def check_period(plan: Plan, period: Period | str) -> Period:
    """The period, parsed, if it belongs to the plan's year (``Plan.check_period``)."""
    return plan.check_period(period)


def resolve_data(plan: Plan, data: str | os.PathLike | None) -> tuple[str | os.PathLike, str | None]:
    """(folder to load, notice to print) for a ``--data`` value; writes the sample when it is used."""
    from cchc_lib.progress.sample import ensure_sample

    if data in (None, ""):
        folder = year_folder(plan)
        if folder.is_dir():
            return folder, None
        notice = str(Msg.of("sample_notice", year=str(plan.year), folder=folder))
        return ensure_sample(plan), notice
    if str(data) == SAMPLE:
        return ensure_sample(plan), None
    return data, None


def load_inputs(
    plan: Plan | str | os.PathLike,
    data: Progress | str | os.PathLike | None = None,
    period: Period | str | None = None,
    cutoff: str = "nd09",
    lang: str = "vi",
    digest: bool = False,
) -> Inputs:
    """Load and check everything a run needs; raises the user-facing errors (exit 2).

    ``digest``: also hash each folder just before reading it (``Inputs.digests``), so that
    what was loaded can be told from a later change of the files (``report.handoff``)."""
    from cchc_lib.core.fingerprint import folder_digest

    check_lang(lang)
    cutoff = check_cutoff(cutoff)
    plan_hash = None
    if isinstance(plan, Plan):
        p = plan
    else:  # --plan, or the plan --data lies under, or the only plan there is
        ref = paths.choose_plan(plan, None if isinstance(data, Progress) else data)
        plan_dir = paths.plan_dir(ref).resolve()
        plan_hash = folder_digest(plan_dir) if digest and plan_dir.is_dir() else None
        p = load_plan(ref)
    per = check_period(p, period) if period is not None else None
    if isinstance(data, Progress):
        return Inputs(p, data, per, cutoff, lang)
    folder, notice = resolve_data(p, data)
    data_dir = paths.progress_dir(folder, p.plan_id).resolve()
    data_hash = folder_digest(data_dir) if plan_hash and data_dir.is_dir() else None
    progress = load_progress(folder, p)
    digests = (plan_dir, plan_hash, data_dir, data_hash) if data_hash else None
    return Inputs(p, progress, per, cutoff, lang, notice, digests)
