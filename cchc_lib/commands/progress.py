"""``cchc sample-data`` and ``cchc template``: the progress data of a year and its input workbook."""

from __future__ import annotations

import argparse

from cchc_lib.commands.options import (
    check_data_folder,
    check_output_folder,
    chosen_plan,
    plan_arg,
    resolve_plan,
)
from cchc_lib.commands.parser import say


def cmd_sample_data(args: argparse.Namespace) -> int:
    from cchc_lib.progress.sample import default_sample_dir, write_sample

    plan = chosen_plan(args)
    if args.out:
        check_output_folder(args.out)
    seed = plan.year if args.seed is None else args.seed
    out = write_sample(plan, args.out or default_sample_dir(plan), seed=seed)
    print(say("sample_written", seed=seed, plan=plan.plan_id, out=out))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from cchc_lib.core.paths import progress_dir
    from cchc_lib.progress.inputs import year_folder
    from cchc_lib.progress.loader import load_progress
    from cchc_lib.progress.template import write_template

    resolve_plan(args)
    check_data_folder(args.data, args.plan)
    plan = chosen_plan(args)
    plan.check_period(args.period)
    data = progress_dir(args.data, plan.plan_id) if args.data else year_folder(plan)
    if not data.exists():
        # The first quarter: nothing to carry over yet (the folder is made by --out).
        print(say("no_earlier_data", folder=data))
        data = None
    progress = load_progress(data, plan) if data else None
    out = write_template(plan, args.period, args.out or ".", progress=progress)
    print(say("template_written", out=out))
    if progress is not None:
        print(say("template_carried", folder=progress.path))
    return 0


def register(sub) -> None:
    """Add ``sample-data`` and ``template`` to the ``cchc`` parser."""
    sd = sub.add_parser("sample-data", help=say("help.sample_data"))
    plan_arg(sd)
    sd.add_argument("--out", help=say("help.sample_out"))
    sd.add_argument("--seed", type=int, help=say("help.seed"))
    sd.set_defaults(func=cmd_sample_data)

    from cchc_lib.progress.workflow import help_epilog

    t = sub.add_parser(
        "template",
        help=say("help.template"),
        epilog=help_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plan_arg(t)
    t.add_argument("--period", required=True, help=say("help.template_period"))
    t.add_argument(
        "--data",
        help=say("help.template_data"),
    )
    t.add_argument("--out", help=say("help.template_out"))
    t.set_defaults(func=cmd_template)
