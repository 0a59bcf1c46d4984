"""Problems found in user-supplied files, worded so an analyst can fix them.

Every problem names the file, the spreadsheet row (header = row 1), the column and what
was expected. Loading collects all problems of a file before failing, so one run shows
everything to fix rather than one error at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_SHOWN = 30  # a longer list is cut, with the number left out stated

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (a NUL byte, an escape sequence) shown as \\x00, never sent raw to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass(frozen=True)
class Issue:
    """One problem in one cell (or one file, when ``row``/``column`` are None)."""

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"  # "error" stops loading; "warning" is reported and kept

    def location(self) -> str:
        parts = [f"tệp {self.file}"] if self.file else []
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.expected}" if where else self.expected[:1].upper() + self.expected[1:]
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "…"
            text += f" (đang ghi: '{shown}')"
        return visible(text)


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_issue(file: str, exc: Exception) -> Issue:
    """A TOML file that does not parse: its line and column and how TOML is written, in
    Vietnamese (tomllib's own explanation is English, so it is left out)."""
    where = _TOML_WHERE.search(str(exc))
    col = f", ký tự thứ {where.group(2)}" if where else ""
    return Issue(
        file,
        f"không đúng cú pháp TOML{col} (mỗi dòng dạng khóa = giá trị; chữ đặt trong ngoặc kép; số viết "
        "với dấu chấm thập phân, ví dụ 5.0; tiêu đề nhóm trong ngoặc vuông, ví dụ [scores])",
        row=int(where.group(1)) if where else None,
    )


class DataError(Exception):
    """Input files that cannot be used as they are. ``issues`` lists every problem."""

    def __init__(self, issues: list[Issue] | Issue, title: str | None = None):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        self.title = title or "Dữ liệu đầu vào có lỗi, cần sửa trước khi chạy tiếp"
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.issues)
        lines = [f"{self.title} ({n} lỗi):" if n > 1 else f"{self.title}:"]
        for issue in self.issues[:MAX_SHOWN]:
            lines.append(f"  - {issue}")
        if n > MAX_SHOWN:
            lines.append(f"  … và {n - MAX_SHOWN} lỗi khác cùng loại chưa liệt kê.")
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
        expected: str,
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
