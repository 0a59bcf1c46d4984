"""``cchc assess`` and ``cchc report``: one period's assessment on screen, and the report files."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

from cchc_lib.commands.options import (
    check_data_folder,
    check_report_args,
    chosen_plan,
    data_arg,
    period_args,
    plan_arg,
    resolve_plan,
    start_pdf_check,
)
from cchc_lib.commands.parser import say


def _load_inputs(args, digest: bool = False):
    from cchc_lib.progress.inputs import load_inputs

    resolve_plan(args)
    check_data_folder(args.data, args.plan)
    inputs = load_inputs(resolve_plan(args), args.data, args.period, args.cutoff, args.lang, digest=digest)
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
    """Both documents at once when both are asked for: the official report in a thread
    (:mod:`cchc_lib.report.background`) while the assessment's notebook runs.

    Each is published on its own (atomically) when it succeeds, whatever the other does:
    the official report does not depend on the notebook, and a correct document is not
    held back. The exit code is the first failure's, in the order assessment (3), official
    (2 bad input, 1 a bug); the other one's message is printed too.

    The assessment's kernel is started as soon as the options are checked
    (:func:`cchc_lib.report.kernel.early_kernel`): it boots and imports on the other core
    while this process loads the inputs, and it is stopped on every way out (bad input
    included: exit 2 leaves no kernel running)."""
    from cchc_lib.report import kernel
    from cchc_lib.report.document import notebook_path

    resolve_plan(args)
    formats, report_date = check_report_args(args)
    # one absolute --out for both documents, whatever either one's code does with the
    # working folder (the kernel itself starts in the notebook's folder)
    args.out = str(Path(args.out).resolve())
    folder = notebook_path().parent if args.only != "official" else None
    # SIGTERM stops the kernel and the thread too, as Ctrl-C does
    with (
        kernel.terminate_as_interrupt(),
        kernel.early_kernel(folder) as early,
        _appendix_pdf_worker(args, formats) as worker,
    ):
        return _report(args, formats, report_date, early, worker)


@contextlib.contextmanager
def _appendix_pdf_worker(args, formats):
    """The process that will make the appendices' PDF, started now with the kernel: it
    imports WeasyPrint and answers the PDF check meanwhile (one process, not two, competing
    with the kernel's start and the loading of the inputs); stopped on every way out."""
    if "pdf" not in formats or args.only == "official" or args.appendices != "separate":
        yield None
        return
    from cchc_lib.report.pdf import PdfWorker

    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as folder:
        worker = PdfWorker(Path(folder), probe=True)
        try:
            yield worker
        finally:
            worker.stop()


def _report(args, formats, report_date, early, worker=None) -> int:
    """``cchc report`` once the options are checked and the kernel is starting."""
    from cchc_lib.report import handoff
    from cchc_lib.report.background import Background
    from cchc_lib.report.choice import documents_for

    period = chosen_plan(args).check_period(args.period)  # a period of another year is refused
    docs = documents_for(period, args.only, args.official_anyway, args.lang)
    pdf_check = start_pdf_check(formats, worker if docs.assessment else None)
    if docs.note:
        print(docs.note)
    inputs = _load_inputs(args, digest=True)  # once for both: a data error is one message, before any run
    # assessed once, here, for both documents; the kernel gets it (report.handoff) instead of
    # loading and assessing the same files again. The PDF check answers meanwhile.
    a = _assess(inputs) if docs.assessment else None
    if pdf_check is not None:
        pdf_check.result()
    if docs.assessment:
        print(say("making_assessment", period=args.period, language=args.lang, cutoff=args.cutoff), flush=True)
    if docs.official:
        print(say("making_official", period=args.period, language=args.lang), flush=True)
    if not docs.assessment:
        _show_official(_produce_official(args, formats, report_date, inputs), args)
        return 0
    with handoff.handed_off(inputs, a) as handed:
        official = Background(_produce_official, args, formats, report_date, inputs, a) if docs.official else None
        try:
            code = _assessment(args, formats, report_date, inputs, early, handed, worker)
        except KeyboardInterrupt:
            if official is not None:
                official.stop()  # nothing is published after Ctrl-C
            raise
        except Exception:
            if official is not None:
                _finish_official(official, args, 1)  # published or its message; then this bug
            raise
        if official is None:
            return code
        try:
            return _finish_official(official, args, code)
        except KeyboardInterrupt:
            official.stop()
            raise


def _assess(inputs):
    from cchc_lib.assessment.engine import assess

    return assess(inputs.plan, inputs.progress, inputs.period, cutoff=inputs.cutoff)


def _assessment(args, formats, report_date, inputs, early=None, handed="", worker=None) -> int:
    """Make the assessment and list its files; 3 and the run's message when it failed."""
    from cchc_lib.report.index import human_size
    from cchc_lib.report.run import ReportError

    try:
        result = _produce_assessment(args, formats, report_date, inputs, early, handed, worker)
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    for kind, path in result.files().items():
        shown = kind.replace("annex_", say("annex") + " ")  # the appendix file's formats
        print(f"  {shown:12} {path}  ({human_size(result.sizes.get(kind, path.stat().st_size), args.lang)})")
    if result.index is not None:
        print(f"  {say('index'):12} {result.index}")
    return 0


def _finish_official(official, args, code: int) -> int:
    """Wait for the official report; its failure is the exit code unless the assessment failed first."""
    from cchc_lib.cli import failure

    try:
        result = official.result()
    except Exception as exc:
        if code == 0:
            raise  # reported by cchc's main as when it runs alone
        print(failure(exc, getattr(args, "debug", False))[0], file=sys.stderr)
        return code
    _show_official(result, args)
    return code


def _show_official(result, args) -> None:
    from cchc_lib.report.index import human_size

    for kind, path in result.files.items():
        print(f"  {kind:8} {path}  ({human_size(path.stat().st_size, args.lang)})")


def _produce_official(args, formats, report_date, inputs, assessment=None, cancel=None):
    from cchc_lib.report import official

    return official.produce_official(
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
        inputs=inputs,
        assessment=assessment,
        cancel=cancel,
    )


def _produce_assessment(args, formats, report_date, inputs, early=None, handed="", worker=None):
    from cchc_lib.report import document

    return document.produce(
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
        inputs=inputs,
        early_kernel=early,
        handoff=handed,
        pdf_worker=worker,
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
