"""Reading a plan's ``rules.toml``: TOML errors and values of the wrong kind named by file and key.

A plan may override any rule of ``cchc_lib/config/rules.toml``. A value of the wrong kind
(``rate_margin_pp = "5,0"``: text where a number belongs) would otherwise surface deep in
the assessment as a Python error; here it is a :class:`DataError` naming the file, the key
and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from cchc_lib.core.errors import DataError, Issue, Msg, display_path, toml_issue

SKIP = "skip"  # the one text allowed where points are numbers: "left out of the score"


def read_rules_file(path: Path, defaults: dict) -> dict:
    """The rules in ``path``, checked against the kinds of values in ``defaults``."""
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(Issue(name, Msg.of("loader.not_utf8"))) from None
    except OSError as exc:
        raise DataError(Issue(name, Msg.of("rules.unreadable", reason=str(exc.strerror or exc)))) from None
    try:
        rules = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(toml_issue(name, exc)) from None
    issues: list[Issue] = []
    _check_kinds(defaults, rules, name, "", issues)
    if issues:
        raise DataError(issues)
    return rules


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _kind(v: Any) -> str | None:
    if _is_number(v):
        return "number"
    if isinstance(v, dict):
        return "table"
    if isinstance(v, list):
        return "list"
    return None  # text, dates, booleans: not checked


# Tables whose keys belong to the plan (area ids), empty in the library's defaults: the kind
# of their values cannot be read off a default, so it is written here.
_PLAN_KEYED = {"scores.area_weights.": "number"}


def _expected(default: dict, key: str, prefix: str = "") -> str | None:
    """The kind a key must hold: its default's, or for a key the defaults do not have
    (an area weight of this plan) the kind every value of its table has."""
    if key in default:
        return _kind(default[key])
    if prefix in _PLAN_KEYED:
        return _PLAN_KEYED[prefix]
    kinds = {_kind(v) for k, v in default.items() if not (isinstance(v, str) and v == SKIP)}
    return kinds.pop() if len(kinds) == 1 else None


def _check_kinds(default: dict, over: dict, name: str, prefix: str, issues: list[Issue]) -> None:
    skip_allowed = any(isinstance(v, str) and v == SKIP for v in default.values())
    for key, value in over.items():
        dotted = prefix + (key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"')  # as TOML writes it
        want = _expected(default, key, prefix)
        if want == "table" and isinstance(value, dict):
            _check_kinds(default.get(key) or {}, value, name, f"{dotted}.", issues)
            continue
        if want is None or _kind(value) == want or (want == "number" and skip_allowed and value == SKIP):
            continue
        kind = "number_or_skip" if want == "number" and skip_allowed else want
        issues.append(Issue(name, Msg.of(f"rules.{kind}", name=dotted, skip=SKIP), value=str(value)))
