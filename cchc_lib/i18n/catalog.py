"""The message catalogue: every word the tool writes, one TOML file per language.

``vi.toml`` and ``en.toml`` beside this module hold the same keys (tests/test_i18n.py
checks keys and ``{placeholders}``); code asks for a dotted key such as
``"report.s1"`` and never writes a word of either language itself. Data files rather
than gettext: the texts are keyed by meaning (not by their Vietnamese wording), many are
lists or small tables (column headers, status words), and analysts can read and correct
a TOML file without tools.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

LANGS: tuple[str, ...] = ("vi", "en")


class CatalogueError(KeyError):
    """A key the catalogue does not hold (a programming error, named precisely)."""

    def __str__(self) -> str:
        return str(self.args[0])


class FrozenDict(dict):
    """A dict that refuses changes, so no caller can alter the words another module reads.

    A dict subclass rather than a MappingProxyType: nbconvert deep-copies its resources and
    pickling must work; a frozen value is its own copy.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("Danh mục từ ngữ chỉ đọc: sửa vi.toml / en.toml thay vì sửa trong chương trình.")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenDict:
        return self

    def __reduce__(self):
        return (FrozenDict, (dict(self),))


def _freeze(value: Any) -> Any:
    """Read-only tables and tuples all the way down."""
    if isinstance(value, dict):
        return FrozenDict({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@cache
def catalogue(lang: str) -> Mapping[str, Any]:
    """The whole catalogue of one language, read once per process."""
    if lang not in LANGS:
        raise CatalogueError(f"Ngôn ngữ '{lang}' không có trong danh mục từ ngữ: chỉ có {', '.join(LANGS)}.")
    text = files("cchc_lib.i18n").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return _freeze(tomllib.loads(text))


def lookup(key: str, lang: str = "vi") -> Any:
    """The entry at a dotted key: a string, a tuple of strings or a read-only table."""
    node: Any = catalogue(lang)
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise CatalogueError(f"Danh mục từ ngữ '{lang}.toml' không có khóa '{key}'.")
        node = node[part]
    return node


def t(key: str, lang: str = "vi", **fields: Any) -> str:
    """The text at ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``."""
    text = lookup(key, lang)
    if not isinstance(text, str):
        raise CatalogueError(f"Khóa '{key}' trong '{lang}.toml' không phải một câu chữ.")
    return text.format(**fields) if fields else text


def table(section: str) -> Mapping[str, Any]:
    """``{lang: entries}`` for a section, the shape the report and dashboard index by language."""
    return FrozenDict({lang: lookup(section, lang) for lang in LANGS})


def word(section: str, code: Any, lang: str = "vi", missing: str = "—") -> str:
    """A code's word from a small table (status, rating, trend); ``missing`` for None or unknown codes."""
    if not code:
        return missing
    return lookup(section, lang).get(code, missing)
