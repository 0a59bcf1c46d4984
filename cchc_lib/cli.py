"""The ``cchc`` command: the parser assembled from each family of commands, and the exit codes.

Exit 0 done · 2 bad input the user can correct (the message names the file, row, column or
option and what to do) · 3 a report run that failed · 1 our own bug · 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from cchc_lib.commands.options import OptionError
from cchc_lib.commands.parser import Parser, say
from cchc_lib.core.errors import DataError, visible
from cchc_lib.core.paths import PlanChoiceError
from cchc_lib.core.periods import PeriodError
from cchc_lib.i18n.fmt import FormatError
from cchc_lib.plan.deadlines import DeadlineError
from cchc_lib.report.pdf import PdfSupportError

USER_ERRORS = (DataError, PeriodError, DeadlineError, FormatError, OptionError, PdfSupportError, PlanChoiceError)


def build_parser() -> argparse.ArgumentParser:
    """Every command, in the order the help lists them; each family adds its own."""
    from cchc_lib.city.commands import register as city
    from cchc_lib.commands import explore, plan, progress, report

    p = Parser(prog="cchc", description=say("help.description"))
    p.add_argument("--debug", action="store_true", help=say("help.debug"))
    sub = p.add_subparsers(dest="command", required=True)
    for register in (plan.register, progress.register, report.register, explore.register, city):
        register(sub)
    return p


def failure(exc: BaseException, debug: bool = False) -> tuple[str, int]:
    """(message, exit code) for an exception that ended a command (also one of two documents
    that ``cchc report`` makes at once, when the other failed too)."""
    if isinstance(exc, USER_ERRORS):  # every message may quote what was typed: no raw control characters
        return visible(str(exc)), 2
    if isinstance(exc, KeyboardInterrupt):
        return say("interrupted"), 130
    if debug:  # a bug, not bad input: short message, details on request
        traceback.print_exception(exc)
    return say("unexpected", kind=type(exc).__name__, message=visible(str(exc))), 1


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console too
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (Exception, KeyboardInterrupt) as exc:
        message, code = failure(exc, args.debug)
        print(message, file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
