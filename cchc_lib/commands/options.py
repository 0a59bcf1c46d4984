"""Values the commands share, checked before any work starts: the plan, argument values, folders.

A value the user can correct ends as ``OptionError`` (exit 2) naming the option and what to do.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from cchc_lib.commands.parser import LANG
from cchc_lib.core.paths import choose_plan
from cchc_lib.i18n import t


class OptionError(Exception):
    """A command-line value the user can correct; the message names the option."""


def resolve_plan(args: argparse.Namespace) -> str:
    """``--plan``, or the plan ``--data`` lies under, or the only one there is; kept in ``args.plan``."""
    args.plan = str(choose_plan(args.plan, getattr(args, "data", None)))
    return args.plan


def chosen_plan(args: argparse.Namespace):
    """The plan of ``_resolve_plan``, loaded and validated."""
    from cchc_lib.plan.model import load_plan

    return load_plan(resolve_plan(args))


def shown(value: str) -> str:
    """A value as typed, with control characters made visible (never echoed raw)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in str(value))


def check_formats(text: str) -> tuple[str, ...]:
    """``--formats``: known formats only (the list is ``cchc_lib.report.formats.FORMATS``)."""
    from cchc_lib.report.formats import FORMATS, split_formats

    known, unknown = split_formats(text)
    choices = ", ".join(FORMATS)
    if unknown:
        names = ", ".join(f"'{shown(u)}'" for u in unknown)
        raise OptionError(t("cli.formats_unknown", LANG, names=names, choices=choices))
    if not known:
        raise OptionError(t("cli.formats_none", LANG, choices=choices))
    return known


def check_report_date(text: str | None) -> str:
    """``--report-date`` as dd/mm/yyyy or yyyy-mm-dd; returned as yyyy-mm-dd ("" = today)."""
    if not text or not text.strip():
        return ""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day.isoformat()
    raise OptionError(t("cli.report_date", LANG, value=shown(text)))


def check_output_folder(text: str, option: str = "--out") -> Path:
    """A folder the run can write into: made here if missing (as the run would), writable."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise OptionError(t("cli.out_is_file", LANG, option=option, value=shown(text)))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(t("cli.out_not_made", LANG, option=option, value=shown(text), reason=_reason(exc))) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OptionError(t("cli.out_not_writable", LANG, option=option, value=shown(text)))
    return path


def _reason(exc: OSError) -> str:
    import errno

    names = {
        errno.EACCES: "denied",
        errno.EPERM: "denied",
        errno.EROFS: "read_only",
        errno.ENOTDIR: "not_dir",
        errno.ENOENT: "no_path",
        errno.ENOSPC: "full",
    }
    name = names.get(exc.errno)
    return t(f"cli.os_reason.{name}", LANG) if name else exc.strerror or str(exc)


def check_data_folder(data: str | None, plan: str) -> None:
    """``--data`` names a folder: a file there gets its own message, not "folder not found"."""
    from cchc_lib.core.paths import plan_dir, progress_dir

    if not data:
        return
    folder = progress_dir(data, plan_dir(plan).name)
    if folder.is_file():
        raise OptionError(t("cli.data_is_file", LANG, value=shown(data)))


def check_plan_rules(plan: str) -> None:
    """The plan's own rules.toml reads as TOML with numbers where numbers belong (DataError)."""
    from cchc_lib.assessment.engine import load_rules
    from cchc_lib.core.paths import plan_dir

    rules = plan_dir(plan) / "rules.toml"
    if rules.is_file():
        load_rules(path=rules)


def check_report_args(args: argparse.Namespace) -> tuple[tuple[str, ...], str]:
    """What ``cchc report`` checks first, before loading anything: (formats, report date).
    Whether this machine can make PDFs is checked by :func:`start_pdf_check`."""
    formats = check_formats(args.formats)
    report_date = check_report_date(args.report_date)
    check_output_folder(args.out)
    check_data_folder(args.data, args.plan)
    check_plan_rules(args.plan)
    return formats, report_date


def _pdf_check(worker=None, cancel=None) -> None:
    from cchc_lib.report.pdf import check_pdf_support

    check_pdf_support(worker)


def start_pdf_check(formats: tuple[str, ...], worker=None):
    """The PDF check (a child process writes a one-line PDF: a second or two) started in a
    thread, so that it runs while the inputs load; ``.result()`` raises ``PdfSupportError``
    (None when no PDF is asked for). ``worker``: the appendices' :class:`PdfWorker`, started
    with ``probe=True``, answers instead of a process of its own."""
    from cchc_lib.report.background import Background

    return Background(_pdf_check, worker) if "pdf" in formats else None


def plan_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plan", help=t("cli.help.plan", LANG))


DATA_HELP = t("cli.help.data", LANG)


def data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=None, help=DATA_HELP)


def period_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """--period, --cutoff, --lang: the same three choices for assess, report and explore."""
    if required:
        p.add_argument("--period", required=True, help=t("cli.help.period", LANG))
    else:
        p.add_argument("--period", help=t("cli.help.first_period", LANG))
    cutoff_lang_args(p)


def cutoff_lang_args(p: argparse.ArgumentParser) -> None:
    """--cutoff and --lang, the same for one commune's commands and the city's."""
    p.add_argument("--cutoff", default="nd09", choices=["nd09", "calendar"], help=t("cli.help.cutoff", LANG))
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help=t("cli.help.lang", LANG))
