"""``cchc assess`` and ``cchc report``: one period's assessment on screen, and the report files."""

from __future__ import annotations

import argparse
import sys

from cchc_lib.commands.options import (
    check_data_folder,
    check_report_args,
    chosen_plan,
    data_arg,
    period_args,
    plan_arg,
    resolve_plan,
)
from cchc_lib.commands.parser import say


def _load_inputs(args):
    from cchc_lib.progress.inputs import load_inputs

    resolve_plan(args)
    check_data_folder(args.data, args.plan)
    inputs = load_inputs(resolve_plan(args), args.data, args.period, args.cutoff, args.lang)
    if inputs.notice:
        print(inputs.notice, file=sys.stderr)
    return inputs


def cmd_assess(args: argparse.Namespace) -> int:
    from cchc_lib.assessment.engine import assess
    from cchc_lib.report.narrative import text_summary

    inputs = _load_inputs(args)
    a = assess(inputs.plan, inputs.progress, inputs.period, cutoff=inputs.cutoff)
    print(text_summary(a, lang=args.lang))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from cchc_lib.report.choice import documents_for
    from cchc_lib.report.index import human_size
    from cchc_lib.report.official import produce_official
    from cchc_lib.report.run import ReportError

    resolve_plan(args)
    formats, report_date = check_report_args(args)
    period = chosen_plan(args).check_period(args.period)  # a period of another year is refused
    docs = documents_for(period, args.only, args.official_anyway, args.lang)
    if docs.note:
        print(docs.note)
    if docs.assessment:
        print(say("making_assessment", period=args.period, language=args.lang, cutoff=args.cutoff), flush=True)
        try:
            result = _produce_assessment(args, formats, report_date)
        except ReportError as exc:
            print(str(exc), file=sys.stderr)
            return 3
        for kind, path in result.files().items():
            shown = kind.replace("annex_", say("annex") + " ")  # the appendix file's formats
            print(f"  {shown:12} {path}  ({human_size(result.sizes.get(kind, path.stat().st_size), args.lang)})")
        if result.index is not None:
            print(f"  {say('index'):12} {result.index}")
    if docs.official:
        print(say("making_official", period=args.period, language=args.lang), flush=True)
        off = produce_official(
            args.plan,
            args.data,
            args.period,
            args.cutoff,
            args.lang,
            (*formats, "docx"),
            args.out,
            report_date,
            args.recipients,
            anyway=args.official_anyway,
        )
        for kind, path in off.files.items():
            print(f"  {kind:8} {path}  ({human_size(path.stat().st_size, args.lang)})")
    return 0


def _produce_assessment(args, formats, report_date):
    from cchc_lib.report.document import produce as produce_assessment

    return produce_assessment(
        args.plan,
        args.data,
        args.period,
        args.cutoff,
        args.lang,
        tuple(f for f in formats if f != "docx"),
        args.out,
        report_date,
        progress_bar=not args.quiet,
        appendices=args.appendices,
    )


def register(sub) -> None:
    """Add ``assess`` and ``report`` to the ``cchc`` parser."""
    from cchc_lib.report.formats import FORMATS

    a = sub.add_parser("assess", help=say("help.assess"))
    plan_arg(a)
    data_arg(a)
    period_args(a)
    a.set_defaults(func=cmd_assess)

    r = sub.add_parser("report", help=say("help.report"))
    plan_arg(r)
    data_arg(r)
    period_args(r)
    r.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=say("help.formats", formats=", ".join(FORMATS), default=",".join(FORMATS)),
    )
    r.add_argument("--out", default="reports", help=say("help.reports_out"))
    r.add_argument(
        "--report-date",
        help=say("help.report_date"),
    )
    r.add_argument(
        "--only",
        default="both",
        choices=["both", "official", "assessment"],
        help=say("help.only"),
    )
    r.add_argument(
        "--appendices",
        default="separate",
        choices=["separate", "inline", "none"],
        help=say("help.appendices"),
    )
    r.add_argument(
        "--official-anyway",
        action="store_true",
        help=say("help.official_anyway"),
    )
    r.add_argument("--recipients", help=say("help.recipients"))
    r.add_argument("--quiet", action="store_true", help=say("help.quiet"))
    r.set_defaults(func=cmd_report)
