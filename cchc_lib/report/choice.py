"""Which documents a run makes for a period: the one decision ``cchc report`` and ``cchc batch`` share.

The assessment report is made for any period. The official report (sent upward) is made
only for an official period — Quý I, 6 tháng, Quý III, năm (``config/official.toml``) —
unless the user asks for it anyway; for an internal period it is left out with a note, or
refused when it is the only document asked for. Keeping this in one place means a batch
makes exactly the files a hand-run ``cchc report`` would.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc_lib.core.periods import Period, PeriodError, label, parse_period
from cchc_lib.i18n import t

__all__ = ["ONLY", "Documents", "documents_for"]

ONLY: tuple[str, ...] = ("both", "official", "assessment")  # the values of ``--only``


@dataclass(frozen=True)
class Documents:
    """What to make; ``note`` says why the official report is left out ("" when it is not)."""

    assessment: bool
    official: bool
    note: str = ""


def documents_for(period: Period | str, only: str = "both", anyway: bool = False, lang: str = "vi") -> Documents:
    """The documents for ``period`` given ``--only`` and ``--official-anyway``.

    Raises ``PeriodError`` (bad input, exit 2) when only the official report is asked for an
    internal period without ``anyway``; ``ValueError`` for an ``only`` outside ``ONLY`` (a bug).
    """
    from cchc_lib.report.official.sections import is_official_period

    if only not in ONLY:
        raise ValueError(f"only={only!r}: expected one of {ONLY}")
    period = parse_period(period)
    allowed = anyway or is_official_period(period)
    if only == "official" and not allowed:
        raise PeriodError(t("documents.official_refused", lang, period=label(period, lang)))
    official = only in ("both", "official") and allowed
    note = "" if official or only == "assessment" else t("documents.official_skipped", lang, period=label(period, lang))
    return Documents(assessment=only in ("both", "assessment"), official=official, note=note)
