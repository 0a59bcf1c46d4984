"""The argument parser, its mistakes said in the analyst's language (exit 2, the option named).

argparse words its errors in English; the few shapes it uses are recognised here and said
again from the message catalogue (``[cli_args]``). An unrecognised shape is kept as it is.
Its help headings ("usage:", "options:", "positional arguments:", the -h help) are English
too and are replaced from the same section, for every subcommand and formatter.
"""

from __future__ import annotations

import argparse
import re
import sys

from cchc_lib.core.errors import visible
from cchc_lib.i18n import t

LANG = "vi"  # the CLI speaks Vietnamese (--lang chooses the reports' language only)


def say(key: str, **fields) -> str:
    """A command-line message (catalogue section ``[cli]``) in the CLI's language."""
    return t(f"cli.{key}", LANG, **fields)


_SHAPES = (
    ("required", re.compile(r"the following arguments are required: (?P<names>.+)")),
    ("choice", re.compile(r"argument (?P<option>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)")),
    ("number", re.compile(r"argument (?P<option>\S+): invalid (?P<kind>int|float) value: (?P<value>.+)")),
    ("one_value", re.compile(r"argument (?P<option>\S+): expected one argument")),
    ("unknown", re.compile(r"unrecognized arguments: (?P<names>.+)")),
)


def _first_option(option: str) -> str:
    """``-p/--plan`` → ``--plan``: the long name, as the help and the messages write it."""
    return option.split("/")[-1]


def translate(message: str, prog: str, lang: str = LANG) -> str:
    """An argparse error message in ``lang``; a shape not known here is returned unchanged."""
    for key, shape in _SHAPES:
        m = shape.fullmatch(message.strip())
        if not m:
            continue
        found = m.groupdict()
        if "option" in found:
            found["option"] = _first_option(found["option"])
        if key == "choice":
            opt = found.pop("option")
            found["what"] = (
                t("cli_args.option", lang, option=opt) if opt.startswith("-") else t("cli_args.command", lang)
            )
            found["choices"] = found["choices"].replace("'", "")
        if key == "number":
            found["kind"] = t(f"cli_args.kind_{found['kind']}", lang)
        return t(f"cli_args.{key}", lang, prog=prog, **found)
    return message


def _worded(formatter_class: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    """``formatter_class`` with the usage prefix from the catalogue (argparse's is "usage: ")."""

    class Worded(formatter_class):
        def add_usage(self, usage, actions, groups, prefix=None):
            prefix = t("cli_args.usage", LANG) if prefix is None else prefix
            super().add_usage(usage, actions, groups, prefix)

    return Worded


class Parser(argparse.ArgumentParser):
    """``ArgumentParser`` whose errors and help headings are said from the catalogue; subcommands inherit it."""

    def __init__(self, *args, formatter_class: type[argparse.HelpFormatter] = argparse.HelpFormatter, **kwargs):
        super().__init__(*args, formatter_class=_worded(formatter_class), **kwargs)
        self._positionals.title = t("cli_args.positionals", LANG)
        self._optionals.title = t("cli_args.optionals", LANG)
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = t("cli_args.help", LANG)

    def error(self, message: str):  # argparse's hook: print usage and the message, exit 2
        self.print_usage(sys.stderr)
        text = translate(message, self.prog)
        self.exit(2, visible(t("cli_args.error", LANG, prog=self.prog, message=text)) + "\n")
