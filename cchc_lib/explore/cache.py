"""Assessments of the dashboard's year, computed once per (period, cut-off) and shared.

A mixin of ``Dashboard``: the foreground and the background prefetch ask for the same key
through one ``Future``, so an assessment is never computed twice.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import Future

from cchc_lib.assessment.engine import Assessment, assess
from cchc_lib.core.periods import Period, parse_period, periods_in_year

__all__ = ["AssessmentCache"]


class AssessmentCache:
    """``assessment(period, cutoff)``, ``cached()`` and ``start_prefetch()`` over ``self._cache``."""

    def assessment(self, period: str | Period | None = None, cutoff: str | None = None) -> Assessment:
        """The assessment of ``period`` under ``cutoff`` (default: the selected ones), computed once."""
        code = parse_period(period).code if period is not None else self.period.value
        key = (code, cutoff or self.cutoff.value)
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if owner:
                fut = self._cache[key] = Future()
        if owner:
            try:
                fut.set_result(assess(self.plan, self.progress, key[0], key[1], rules=self.rules))
            except BaseException as exc:
                with self._lock:
                    self._cache.pop(key, None)
                fut.set_exception(exc)
        return fut.result()

    def cached(self) -> list[tuple[str, str]]:
        with self._lock:
            return [k for k, f in self._cache.items() if f.done()]

    def start_prefetch(self) -> threading.Thread:
        """Compute the quarters, then the halves and the year, of the selected cut-off in the background."""
        cutoff = self.cutoff.value
        order = [p for p in periods_in_year(self.year) if p.kind == "quarter"] + [
            p for p in periods_in_year(self.year) if p.kind != "quarter"
        ]

        def run():
            for p in order:
                with contextlib.suppress(Exception):  # the foreground will report it when asked
                    self.assessment(p, cutoff)

        self._prefetcher = threading.Thread(target=run, name="cchc-prefetch", daemon=True)
        self._prefetcher.start()
        return self._prefetcher
