"""Problems found in user-supplied files, worded so an analyst can fix them.

Every problem names the file, the spreadsheet row (header = row 1), the column and what
was expected. Loading collects all problems of a file before failing, so one run shows
everything to fix rather than one error at a time.

What was expected is a ``Msg``: a catalogue key (section ``[input]``) and its values,
worded only when shown, so the same warning reads in Vietnamese on the console and in
English in an English report (numbers and dates in that language's format).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cchc_lib.core.periods import Period, label
from cchc_lib.i18n import fmt
from cchc_lib.i18n.catalog import t

MAX_SHOWN = 30  # a longer list is cut, with the number left out stated

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (a NUL byte, an escape sequence) shown as \\x00, never sent raw to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def typed(x: float, lang: str = "vi") -> str:
    """A number as an analyst types it, without grouping: 0,425 in Vietnamese, 0.425 in English."""
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "vi" else text


def shown_value(value: Any, lang: str = "vi") -> str:
    """A message value in ``lang``: numbers and dates in its format, lists joined, ``Msg`` worded."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, Period):
        return label(value, lang)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return fmt.number(value, 0, lang)
    if isinstance(value, float):
        return typed(value, lang)
    if isinstance(value, date):  # pandas.Timestamp too
        return fmt.date_short(value, lang)
    if isinstance(value, (list, tuple)):  # clauses (messages) join with semicolons, values with commas
        sep = "; " if value and all(isinstance(v, Msg) for v in value) else ", "
        return sep.join(shown_value(v, lang) for v in value)
    return str(value)


def _plain(value: Any) -> Any:
    """A field value as JSON (a nested Msg as {"$msg": …}), for ``Msg.token``."""
    if isinstance(value, Msg):
        return {"$msg": [value.key, {k: _plain(v) for k, v in value.fields}]}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return {"$date": value.isoformat()[:10]}
    return value


def _typed(value: Any) -> Any:
    """The inverse of ``_plain``."""
    if isinstance(value, dict) and "$msg" in value:
        key, fields = value["$msg"]
        return Msg.of(key, **{k: _typed(v) for k, v in fields.items()})
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    return value


_TOKEN = "\x1emsg:"  # a Msg carried through a library that only passes strings (pandera)


@dataclass(frozen=True)
class Msg:
    """A message keyed by meaning (``[input]`` section of the catalogue) and its values.

    Worded when shown, in the reader's language; ``str()`` is the Vietnamese wording.
    """

    key: str
    fields: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, /, **fields: Any) -> Msg:
        return cls(key, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()))

    def text(self, lang: str = "vi") -> str:
        return t(f"input.{self.key}", lang, **{k: shown_value(v, lang) for k, v in self.fields})

    def __str__(self) -> str:
        return self.text("vi")

    def token(self) -> str:
        """The message as one string (JSON values) that ``from_token`` turns back into a Msg."""
        return _TOKEN + json.dumps(_plain(self), ensure_ascii=False)

    @staticmethod
    def from_token(text: str) -> Msg | None:
        return _typed(json.loads(text[len(_TOKEN) :])) if text.startswith(_TOKEN) else None


def worded(text: str | Msg, lang: str = "vi") -> str:
    """A message in ``lang`` (a plain string is shown as it is)."""
    return text.text(lang) if isinstance(text, Msg) else str(text)


def sheet_label(file: str, lang: str = "vi") -> str:
    """A source label "book.xlsx [trang X]" (as the loader names a sheet) with "sheet" in ``lang``."""
    head, sep, sheet = file.partition(" [trang ")
    return f"{head} [{t('source.sheet', lang, sheet=sheet[:-1])}]" if sep and sheet.endswith("]") else file


@dataclass(frozen=True)
class Issue:
    """One problem in one cell (or one file, when ``row``/``column`` are None)."""

    file: str
    expected: str | Msg
    row: int | None = None
    column: str | None = None
    value: str | None = None  # the cell as the analyst wrote it, quoted as it is in every language
    severity: str = "error"  # "error" stops loading; "warning" is reported and kept

    def location(self, lang: str = "vi") -> str:
        parts = [t("input.where.file", lang, file=sheet_label(self.file, lang))] if self.file else []
        if self.row is not None:
            parts.append(t("input.where.row", lang, row=self.row))
        if self.column is not None:
            parts.append(t("input.where.column", lang, column=self.column))
        return ", ".join(parts)

    def message(self, lang: str = "vi") -> str:
        """What was expected, in ``lang``, with the value as written (no location)."""
        text = worded(self.expected, lang)
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "…"
            text += t("input.where.value", lang, value=shown)
        return visible(text)

    def text(self, lang: str = "vi") -> str:
        """The whole problem in ``lang``: where, then what was expected."""
        where, what = self.location(lang), self.message(lang)
        return visible(f"{where}: {what}") if where else what[:1].upper() + what[1:]

    def __str__(self) -> str:
        return self.text("vi")


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_issue(file: str, exc: Exception) -> Issue:
    """A TOML file that does not parse: its line and column and how TOML is written, in
    Vietnamese (tomllib's own explanation is English, so it is left out)."""
    where = _TOML_WHERE.search(str(exc))
    return Issue(
        file,
        Msg.of("toml_at", char=int(where.group(2))) if where else Msg.of("toml"),
        row=int(where.group(1)) if where else None,
    )


class DataError(Exception):
    """Input files that cannot be used as they are. ``issues`` lists every problem."""

    def __init__(self, issues: list[Issue] | Issue, title: str | Msg | None = None):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        self.title = title or Msg.of("title.input")
        super().__init__(self.render())

    def render(self, lang: str = "vi") -> str:
        n, title = len(self.issues), worded(self.title, lang)
        lines = [t("input.title.many", lang, title=title, n=n) if n > 1 else f"{title}:"]
        for issue in self.issues[:MAX_SHOWN]:
            lines.append(f"  - {issue.text(lang)}")
        if n > MAX_SHOWN:
            lines.append(t("input.title.more", lang, n=n - MAX_SHOWN))
        return "\n".join(lines)


def display_path(path: Path | str) -> str:
    """A path as the analyst knows it: relative to the working folder when possible."""
    p = Path(path)
    try:  # the link itself, not where it points (a dangling link is named as the analyst sees it)
        return str((p.parent.resolve() / p.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


@dataclass
class IssueLog:
    """Collects issues for one file; ``raise_if_errors`` fails with all of them at once."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        expected: str | Msg,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        severity: str = "error",
    ) -> None:
        shown = None if value is None else str(value)
        self.issues.append(Issue(self.file, expected, row, column, shown, severity))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DataError(self.errors)
