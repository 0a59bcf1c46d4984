"""The windows of one assessment, computed once.

Every helper of the engine needs the period's window, the year to date, the whole year
and the end of each period of the year under the chosen cut-off; ``Context.of`` computes
them once and the helpers read them, instead of each walking ``periods`` again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cchc_lib.core.periods import Period, Window, parse_period, periods_in_year, quarters_until, window, year_to_date


@dataclass(frozen=True)
class Context:
    period: Period
    cutoff: str
    win: Window
    ytd: Window
    year: Window
    ends: dict[str, pd.Timestamp] = field(repr=False)  # period code → last day, every period of the year
    starts: dict[str, pd.Timestamp] = field(repr=False)

    @classmethod
    def of(cls, period: Period | str, cutoff: str) -> Context:
        p = parse_period(period)
        wins = {q.code: window(q, cutoff) for q in periods_in_year(p.year)}
        return cls(
            period=p,
            cutoff=cutoff,
            win=wins[p.code],
            ytd=year_to_date(p, cutoff),
            year=wins[str(p.year)],
            ends={c: pd.Timestamp(w.end) for c, w in wins.items()},
            starts={c: pd.Timestamp(w.start) for c, w in wins.items()},
        )

    @property
    def end(self) -> pd.Timestamp:
        return self.ends[self.period.code]

    @property
    def final(self) -> bool:
        """The period reaches the end of the year: a target not met now is missed."""
        return self.win.end >= self.year.end

    @property
    def elapsed_share(self) -> float:
        total = (self.year.end - self.year.start).days + 1
        return min(1.0, max(0.0, ((self.win.end - self.year.start).days + 1) / total))

    def end_of(self, code: str) -> pd.Timestamp:
        return self.ends[code] if code in self.ends else pd.Timestamp(window(code, self.cutoff).end)

    def quarters(self) -> list[Period]:
        """The quarters of the year up to the period's end."""
        return quarters_until(self.period)
