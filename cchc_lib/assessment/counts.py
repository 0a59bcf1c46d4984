"""One count of target and task statuses, used by every sentence, card and table that states one.

The assessment's summary, strengths and shortcomings, its area table, the official report
and the city's league table all take their numbers from here, so no two texts can count
the same thing differently. The parts always add up to the whole: met + on track + at risk
+ missed + not due + no data = measurable targets (the index estimate of objective 7
included); every task carries exactly one task status. A status outside these would be a
bug, and fails loudly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from cchc_lib.assessment.targets import TARGET_STATUSES
from cchc_lib.assessment.tasks import TASK_STATUSES

# the statuses a measurable target can have (the engine's own list, less "not measurable")
MEASURABLE_STATUSES = tuple(s for s in TARGET_STATUSES if s != "not_measurable")
DONE = ("done_on_time", "done_late")


@dataclass(frozen=True)
class StatusCounts:
    met: int
    on_track: int
    at_risk: int
    missed: int
    not_due: int
    no_data: int

    @property
    def total(self) -> int:
        return sum(asdict(self).values())

    @property
    def weak(self) -> int:
        """Targets at risk or missed: the shortcomings' count."""
        return self.at_risk + self.missed

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def measurable(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets every count is taken over (objective 7's rating included)."""
    return targets[targets["measurable"].astype(bool)]


def status_counts(targets: pd.DataFrame) -> StatusCounts:
    """Counts of the measurable targets by status."""
    m = measurable(targets[["measurable", "status"]])  # the two columns counted: a cheap filter
    c = m["status"].astype(str).value_counts()
    odd = sorted(set(c.index) - set(MEASURABLE_STATUSES))
    if odd:
        raise ValueError(f"trạng thái chỉ tiêu không được đếm: {odd}")
    counts = StatusCounts(**{s: int(c.get(s, 0)) for s in MEASURABLE_STATUSES})
    assert counts.total == len(m)
    return counts


@dataclass(frozen=True)
class TaskCounts:
    """Tasks by status, and the dated tasks due by the end of the window (the summary's basis).

    ``done_on_time`` counts every task finished on time, including those finished before a
    deadline still ahead (``done_ahead``); ``due_done`` only those whose deadline has passed.
    A text that states both says so, or a reader sees "6 done on time" beside "4 of 9 due done"."""

    by_status: dict[str, int]
    dated: int
    recurring: int
    due: int
    due_done: int
    due_late: int
    due_overdue: int
    done_ahead: int

    def of(self, *statuses: str) -> int:
        """How many tasks carry one of ``statuses``."""
        return sum(self.by_status[s] for s in statuses)

    @property
    def total(self) -> int:
        return self.dated + self.recurring


def due_tasks(tasks: pd.DataFrame, end) -> pd.DataFrame:
    """Dated tasks whose deadline falls on or before ``end`` (the window's last day)."""
    dated = tasks[~tasks["recurring"].astype(bool)]
    return dated[dated["deadline"].notna() & (dated["deadline"] <= pd.Timestamp(end))]


def task_counts(tasks: pd.DataFrame, end=None) -> TaskCounts:
    """Counts of ``tasks`` by status; with ``end``, also of the dated tasks due by then."""
    tasks = tasks[["status", "recurring", "deadline"] if end is not None else ["status", "recurring"]]
    c = tasks["status"].astype(str).value_counts()
    odd = sorted(set(c.index) - set(TASK_STATUSES))
    if odd:
        raise ValueError(f"trạng thái nhiệm vụ không được đếm: {odd}")
    due = due_tasks(tasks, end) if end is not None else tasks.iloc[0:0]
    ahead = tasks.iloc[0:0] if end is None else tasks[tasks["deadline"] > pd.Timestamp(end)]
    recurring = int(tasks["recurring"].astype(bool).sum())
    counts = TaskCounts(
        by_status={s: int(c.get(s, 0)) for s in TASK_STATUSES},
        dated=len(tasks) - recurring,
        recurring=recurring,
        due=len(due),
        due_done=int(due["status"].isin(DONE).sum()),
        due_late=int((due["status"] == "done_late").sum()),
        due_overdue=int((due["status"] == "overdue").sum()),
        done_ahead=int(ahead["status"].isin(DONE).sum()),
    )
    assert sum(counts.by_status.values()) == len(tasks)
    return counts
