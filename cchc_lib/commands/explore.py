"""``cchc explore``: a plan's dashboard, or with ``--city`` the city's widget view."""

from __future__ import annotations

import argparse

from cchc_lib.commands.options import (
    OptionError,
    check_data_folder,
    check_plan_rules,
    chosen_plan,
    data_arg,
    period_args,
    plan_arg,
    resolve_plan,
)
from cchc_lib.commands.parser import say


def cmd_explore(args: argparse.Namespace) -> int:
    from cchc_lib.explore.serve import explore_command

    if args.city:
        return _explore_city(args)
    resolve_plan(args)
    check_data_folder(args.data, args.plan)
    plan = chosen_plan(args)
    check_plan_rules(args.plan)  # before a kernel starts, not in the dashboard's first cell
    period = args.period or f"{plan.year}-Q1"  # the year's first quarter; the page switches periods itself
    plan.check_period(period)
    return explore_command(
        str(plan.path),
        args.data,
        period,
        args.cutoff,
        args.lang,
        serve_page=args.serve,
        port=args.port,
        host=args.host,
        open_browser=not args.no_browser,
    )


def _explore_city(args: argparse.Namespace) -> int:
    """``cchc explore --city``: the city's widget view (league table, pick a commune, drill down)."""
    from cchc_lib.city.commands import check_root
    from cchc_lib.explore.city import explore_city_command
    from cchc_lib.i18n import t

    if not args.period:
        raise OptionError(t("city.need_period", "vi"))
    root = check_root(args.root)
    plans = [p.strip() for p in (args.plans or "").split(",") if p.strip()] or None
    return explore_city_command(
        root,
        args.period,
        args.cutoff,
        args.lang,
        plans,
        serve_page=args.serve,
        port=args.port,
        host=args.host,
        open_browser=not args.no_browser,
    )


def register(sub) -> None:
    """Add ``explore`` to the ``cchc`` parser."""
    e = sub.add_parser("explore", help=say("help.explore"))
    plan_arg(e)
    data_arg(e)
    period_args(e, required=False)
    e.add_argument("--serve", action="store_true", help=say("help.serve"))
    e.add_argument("--port", type=int, help=say("help.port"))
    e.add_argument("--host", default="127.0.0.1", help=say("help.host"))
    e.add_argument("--no-browser", action="store_true", help=say("help.no_browser"))
    e.add_argument("--city", action="store_true", help=say("help.city"))
    e.add_argument("--root", default="data", help=say("help.city_root"))
    e.add_argument("--plans", help=say("help.city_plans"))
    e.set_defaults(func=cmd_explore)
