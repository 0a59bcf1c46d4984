"""The city's commands (``cchc sample-city``, ``cchc batch``, ``cchc city``): parsing and messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_lib.commands.options import check_output_folder, cutoff_lang_args
from cchc_lib.commands.parser import say
from cchc_lib.core.errors import DataError, Issue, Msg


def _list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _need_city_extra() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import duckdb  # noqa: F401
    except ImportError as exc:
        raise DataError(Issue("cchc", Msg.of("city.missing_extra", name=exc.name))) from None


def check_root(text: str) -> Path:
    root = Path(text)
    if not (root / "plans").is_dir():
        raise DataError(Issue(str(root), Msg.of("city.no_plans_folder")))
    return root


def cmd_sample_city(args: argparse.Namespace) -> int:
    from cchc_lib.city.sample import write_sample_city

    check_output_folder(args.out)
    out = write_sample_city(args.out, communes=args.communes, year=args.year, seed=args.seed)
    print(say("city_sample_written", communes=args.communes, year=args.year, seed=args.seed, out=out))
    print(say("city_sample_plans", folder=out / "plans"))
    print(say("city_sample_progress", folder=out / "progress"))
    print(say("city_sample_dossiers", folder=out / "city" / "dossiers"))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from cchc_lib.city.batch import find_plans, jobs_for, run_batch, summary
    from cchc_lib.core.periods import parse_period
    from cchc_lib.report.choice import documents_for

    _need_city_extra()
    root = check_root(args.root)
    check_output_folder(args.out)
    periods = [parse_period(p).code for p in _list(args.periods)]
    if not periods:
        raise DataError(Issue("--periods", Msg.of("city.no_periods")))
    for period in periods:  # --only official for an internal period is refused before any report starts
        documents_for(period, args.only, args.official_anyway, args.lang)
    plans = find_plans(root, _list(args.plans) or None)
    if not plans:
        raise DataError(Issue(str(root / "plans"), Msg.of("city.no_plan_matches", pattern=args.plans or "*")))
    jobs = jobs_for(
        root,
        plans,
        periods,
        cutoff=args.cutoff,
        lang=args.lang,
        formats=_list(args.formats),
        out=args.out,
        only=args.only,
        official_anyway=args.official_anyway,
    )
    print(say("city_batch", jobs=len(jobs), plans=len(plans), periods=len(periods)), flush=True)
    table = run_batch(jobs, scheduler=args.scheduler, workers=args.workers, force=args.force)
    print(summary(table))
    return 0 if not (table["status"] == "failed").any() else 3


def cmd_city(args: argparse.Namespace) -> int:
    from cchc_lib.city.report import produce_city
    from cchc_lib.report.render import ReportError

    root = check_root(args.root)
    check_output_folder(args.out)
    try:
        result, excel = produce_city(
            root,
            args.period,
            args.cutoff,
            args.lang,
            tuple(_list(args.formats)),
            args.out,
            _list(args.plans) or None,
            progress_bar=not args.quiet,
        )
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    for kind, path in result.files().items():
        print(f"  {kind:8} {path}")
    print(f"  excel    {excel}")
    return 0


def _output_args(p: argparse.ArgumentParser) -> None:
    """--formats, --out, --cutoff, --lang: what batch and city make and in which language."""
    p.add_argument("--formats", default="html,pdf", help=say("help.city_formats"))
    p.add_argument("--out", default="reports", help=say("help.reports_out"))
    cutoff_lang_args(p)


def register(sub) -> None:
    """Add the city's commands to the ``cchc`` parser."""
    sc = sub.add_parser("sample-city", help=say("help.sample_city"))
    sc.add_argument("--communes", type=int, default=40, help=say("help.communes"))
    sc.add_argument("--year", type=int, required=True, help=say("help.city_year"))
    sc.add_argument("--seed", type=int, default=2024, help=say("help.city_seed"))
    sc.add_argument("--out", required=True, help=say("help.city_out"))
    sc.set_defaults(func=cmd_sample_city)

    b = sub.add_parser("batch", help=say("help.batch"))
    b.add_argument("--root", default="data", help=say("help.root"))
    b.add_argument("--plans", help=say("help.batch_plans"))
    b.add_argument("--periods", required=True, help=say("help.periods"))
    _output_args(b)
    b.add_argument("--scheduler", help=say("help.scheduler"))
    b.add_argument("--workers", type=int, help=say("help.workers"))
    b.add_argument("--force", action="store_true", help=say("help.force"))
    b.add_argument(
        "--only",
        default="both",
        choices=["both", "official", "assessment"],
        help=say("help.batch_only"),
    )
    b.add_argument(
        "--official-anyway",
        action="store_true",
        help=say("help.batch_official_anyway"),
    )
    b.set_defaults(func=cmd_batch)

    c = sub.add_parser("city", help=say("help.city_report"))
    c.add_argument("--root", default="data", help=say("help.root"))
    c.add_argument("--plans", help=say("help.city_plans_all"))
    c.add_argument("--period", required=True, help=say("help.city_period"))
    _output_args(c)
    c.add_argument("--quiet", action="store_true", help=say("help.quiet"))
    c.set_defaults(func=cmd_city)
