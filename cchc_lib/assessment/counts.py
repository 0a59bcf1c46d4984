"""One count of target statuses, used by every sentence, card and table that states one.

The parts always add up to the whole: met + on track + at risk + missed + not due + no
data = measurable targets (a status outside these would be a bug, and fails loudly).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

MEASURABLE_STATUSES = ("met", "on_track", "at_risk", "missed", "not_due", "no_data")


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

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def status_counts(targets: pd.DataFrame) -> StatusCounts:
    """Counts of the measurable targets by status (objective 7's rating included)."""
    m = targets[targets["measurable"].astype(bool)]
    c = m["status"].value_counts()
    odd = sorted(set(c.index) - set(MEASURABLE_STATUSES))
    if odd:
        raise ValueError(f"trạng thái chỉ tiêu không được đếm: {odd}")
    counts = StatusCounts(**{s: int(c.get(s, 0)) for s in MEASURABLE_STATUSES})
    assert counts.total == len(m)
    return counts
