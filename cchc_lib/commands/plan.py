"""``cchc validate`` and ``cchc plan new|build|export|import``: the plan folder and its workbook."""

from __future__ import annotations

import argparse

from cchc_lib.commands.options import (
    check_plan_rules,
    chosen_plan,
    plan_arg,
)
from cchc_lib.commands.parser import LANG, say
from cchc_lib.i18n import lookup
from cchc_lib.i18n.fmt import date_short


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r):  # first two columns (id, name) left-aligned, counts right-aligned
        return "  ".join(str(c).ljust(w) if i <= 1 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def cmd_validate(args: argparse.Namespace) -> int:
    plan = chosen_plan(args)
    check_plan_rules(args.plan)  # "hợp lệ" covers the plan's own rules.toml too
    m = plan.meta
    print(say("plan.title", title=m["title"]))
    date = date_short(m["decision_date"], LANG)
    print(say("plan.decision", number=m["decision_number"], date=date, issuer=m.get("issuer") or m["commune"]))
    print(say("plan.folder", folder=plan.path) + "\n")
    s = plan.summary()
    rows = [[r.area_id, r.name, r.targets, r.measurable, r.tasks_section_ii, r.tasks_annex] for r in s.itertuples()]
    total = [s.targets.sum(), s.measurable.sum(), s.tasks_section_ii.sum(), s.tasks_annex.sum()]
    rows.append(["", say("plan.total"), *total])
    print(_table(rows, list(lookup("cli.plan.columns", LANG))))
    units = ", ".join(plan.units["name"])
    print("\n" + say("plan.objectives_units", objectives=len(plan.objectives), units=len(plan.units), names=units))
    findings = plan.lint()
    print("\n" + say("plan.findings", n=len(findings)))
    for f in findings.itertuples():
        print(f"  [{lookup('cli.severity', LANG).get(f.severity, f.severity)}] {f.message}")
    print("\n" + say("plan.valid"))
    return 0


def cmd_plan_new(args: argparse.Namespace) -> int:
    from cchc_lib.plan.workbook import new_workbook

    out = new_workbook(args.out, year=args.year)
    print(say("plan.new_written", out=out))
    return 0


def cmd_plan_build(args: argparse.Namespace) -> int:
    from cchc_lib.plan.model import load_plan
    from cchc_lib.plan.workbook import build_plan

    folder = build_plan(args.workbook, args.id, args.out)
    plan = load_plan(folder)
    print(say("plan.built", plan=plan.plan_id, folder=folder))
    counts = {k: len(getattr(plan, k)) for k in ("areas", "targets", "tasks", "units", "objectives")}
    print(say("plan.built_counts", **counts))
    findings = plan.lint()
    if len(findings):
        print(say("plan.built_findings", n=len(findings), folder=folder))
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from cchc_lib.plan.workbook import export_plan

    out = export_plan(args.plan_id, args.out)
    print(say("plan.exported", plan=args.plan_id, out=out))
    return 0


def cmd_plan_import(args: argparse.Namespace) -> int:
    from cchc_lib.plan.importer import import_decision

    draft = import_decision(args.decision, args.out)
    print(say("plan.imported", decision=args.decision, out=draft.path))
    print(f"  {draft.counts()}")
    print(say("plan.imported_flagged", n=draft.flagged, out=draft.path))
    return 0


def register(sub) -> None:
    """Add ``validate`` and the ``plan`` family to the ``cchc`` parser."""
    v = sub.add_parser("validate", help=say("help.validate"))
    plan_arg(v)
    v.set_defaults(func=cmd_validate)

    pl = sub.add_parser("plan", help=say("help.plan_family"))
    psub = pl.add_subparsers(dest="plan_command", required=True)
    pn = psub.add_parser("new", help=say("help.plan_new"))
    pn.add_argument("--out", required=True, help=say("help.xlsx_out"))
    pn.add_argument("--year", type=int, help=say("help.plan_year"))
    pn.set_defaults(func=cmd_plan_new)
    pb = psub.add_parser("build", help=say("help.plan_build"))
    pb.add_argument("workbook", help=say("help.workbook"))
    pb.add_argument("--id", required=True, help=say("help.plan_id"))
    pb.add_argument("--out", help=say("help.plans_out"))
    pb.set_defaults(func=cmd_plan_build)
    pe = psub.add_parser("export", help=say("help.plan_export"))
    pe.add_argument("plan_id", help=say("help.plan_folder"))
    pe.add_argument("--out", required=True, help=say("help.xlsx_out"))
    pe.set_defaults(func=cmd_plan_export)
    pi = psub.add_parser("import", help=say("help.plan_import"))
    pi.add_argument("decision", help=say("help.decision"))
    pi.add_argument("--out", required=True, help=say("help.xlsx_out"))
    pi.set_defaults(func=cmd_plan_import)
