"""The analyst's quarter in commands, written once.

The workbook's "Hướng dẫn" sheet, ``cchc template --help``, README "Each quarter" and
docs/progress-data.md all show these commands; a test compares them, so the four cannot
say different things again.
"""

from __future__ import annotations

from cchc_lib.i18n import lookup, t

LANG = "vi"  # the workbook and the CLI are Vietnamese
STEPS = lookup("cli.workflow.steps", LANG)  # what each of ``commands`` does, in order


def folder(plan_id: str, year: int | str) -> str:
    return f"data/progress/{plan_id}/{year}/"


def commands(plan_id: str, year: int | str, period: str) -> list[str]:
    """The three commands of one quarter, in order."""
    return [
        f"cchc template --plan {plan_id} --period {period} --data {year} --out {folder(plan_id, year)}",
        f"cchc assess --plan {plan_id} --period {period} --data {year}",
        f"cchc report --plan {plan_id} --period {period} --data {year}",
    ]


def help_epilog() -> str:
    lines = [t("cli.workflow.heading", LANG)]
    names = lookup("cli.workflow.placeholders", LANG)  # plan id, year, period
    for step, command in zip(STEPS, commands(*names)):
        lines.append(f"  {command}")
        lines.append(f"      → {step}")
    return "\n".join(lines)
