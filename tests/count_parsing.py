"""Read back every count a report states, with patterns built from the catalogue's own sentences.

A sentence's pattern is its catalogue template with each ``{placeholder}`` turned into a
group (a number for the placeholders that carry counts), so a reworded sentence changes its
pattern with it and cannot silently escape the count-consistency test.
"""

from __future__ import annotations

import html
import re
import string
from functools import cache

from cchc_lib import i18n

NUMBER = r"\d{1,3}(?:[.,]\d{3})*"


@cache
def pattern(key: str, lang: str, numbers: frozenset[str], choices: tuple = ()) -> re.Pattern:
    """The regex of catalogue sentence ``key``: ``numbers`` placeholders match a count,
    ``choices`` (``(name, (text, …))`` pairs) one of the given texts (names that may hold
    the sentence's own punctuation, such as an area called "…: e-government")."""
    options = dict(choices)
    template = i18n.lookup(key, lang)
    out, seen = [], set()
    parsed = list(string.Formatter().parse(template))
    for i, (literal, name, _spec, _conv) in enumerate(parsed):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            out.append(f"(?P={name})")
        elif name in numbers:
            out.append(f"(?P<{name}>{NUMBER})")
        elif name in options:
            alternatives = "|".join(re.escape(o) for o in sorted(options[name], key=len, reverse=True))
            out.append(f"(?P<{name}>{alternatives})")
        else:
            last = i == len(parsed) - 1  # nothing follows: take the rest
            out.append(f"(?P<{name}>.+)" if last else f"(?P<{name}>.+?)")
        seen.add(name)
    return re.compile("".join(out))


def number(text: str) -> int:
    """'1.234' (vi) or '1,234' (en) → 1234."""
    return int(re.sub(r"[.,]", "", text))


def find(key: str, lang: str, text: str, *numbers: str, choices: dict | None = None) -> list[dict[str, object]]:
    """Every match of sentence ``key`` in ``text``: the ``numbers`` as ints, the rest as text."""
    out, fixed = [], tuple((k, tuple(v)) for k, v in sorted((choices or {}).items()))
    for m in pattern(key, lang, frozenset(numbers), fixed).finditer(text):
        out.append({k: number(v) if k in numbers else v for k, v in m.groupdict().items()})
    return out


def status_parts(parts: str, words: dict[str, str]) -> dict[str, int]:
    """'3 đạt, 2 đúng tiến độ' → {'met': 3, 'on_track': 2} (the words of a status table)."""
    by_word = {w.lower(): code for code, w in words.items()}
    out: dict[str, int] = {}
    for piece in parts.split(", "):
        n, _, word = piece.partition(" ")
        assert word in by_word, f"unknown status word in {piece!r}"
        out[by_word[word]] = number(n)
    return out


def plain(markup: str) -> list[str]:
    """The text of an HTML document, one string per block element."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)</?(p|li|h\d|div|tr|td|th|br|table|section)\b[^>]*>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]
