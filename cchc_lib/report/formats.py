"""What a report is written as: the output formats, the templates, and the few words they print.

``FORMATS`` is the one list of output formats: ``cchc report --formats`` checks its values
against it before anything runs, and :func:`cchc_lib.report.run.run_report` refuses any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cchc_lib import i18n

TEMPLATES = Path(__file__).resolve().parent / "templates"

FORMATS: tuple[str, ...] = ("html", "pdf")

WORDS = i18n.table("render")  # the words the templates print (catalogue section "render")


def read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def split_formats(formats: Iterable[str] | str) -> tuple[tuple[str, ...], list[str]]:
    """(known formats in the order given, without repeats; the unknown ones as written).

    ``formats`` is a list or the comma-separated text of ``--formats`` ("html, PDF").
    """
    if isinstance(formats, str):
        formats = formats.split(",")
    wanted = [str(f).strip() for f in formats if str(f).strip()]
    known = tuple(dict.fromkeys(f.lower() for f in wanted if f.lower() in FORMATS))
    unknown = [f for f in wanted if f.lower() not in FORMATS]
    return known, unknown


def check_formats(formats: Iterable[str] | str) -> tuple[str, ...]:
    """The formats asked for, lower-cased; ValueError naming any unknown one.

    None at all is allowed: the run then keeps only the executed notebook.
    """
    known, unknown = split_formats(formats)
    if unknown:
        raise ValueError(f"Định dạng không hỗ trợ: {', '.join(unknown)} (chỉ có: {', '.join(FORMATS)}).")
    return known
