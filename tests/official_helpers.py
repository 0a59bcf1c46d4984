"""Shared by the official-report tests: assessments of the sample year, and text checks."""

from __future__ import annotations

import re

import pandas as pd

from cchc_lib import i18n
from cchc_lib.report.official import prose

W = i18n.table("official")  # the official report's words (catalogue section "official")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_VI_LETTERS = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def tool_fragments(lang: str, min_words: int = 2) -> set[str]:
    """The fixed parts of every phrase the tool writes in ``lang`` (placeholders removed)."""
    out = set()
    for s in _strings(W[lang]):
        for part in _PLACEHOLDER.split(s):
            part = " ".join(part.split()).strip(" .,;:()“”-—")
            if len(part.split()) >= min_words:
                out.add(part)
    return out


def user_texts(a) -> list[str]:
    """Words the tool quotes from the plan and the analyst (they stay in their language)."""
    texts: list[str] = []
    n = a.progress.notes
    for col in ("highlights", "difficulties", "proposals", "text"):
        if col in n.columns:
            texts += [prose.clean(v) for v in n[col].dropna()]
    texts += [prose.task_name(r) for _, r in a.tasks.iterrows()]
    texts += [prose.task_name(r, 80) for _, r in a.tasks.iterrows()]
    for col in ("evidence", "update_note"):
        texts += [prose.clean(v) for v in a.tasks[col].dropna()]
    texts += [str(x) for x in a.plan.units["name"]] + [str(x) for x in a.plan.areas["name"]]
    texts += [prose.clean(x) for x in a.plan.targets["indicator"]]
    texts += [str(f) for f in a.progress.dossiers["field"].dropna().unique()] if not a.progress.dossiers.empty else []
    return sorted({t for t in texts if t}, key=len, reverse=True)


def squash(text: str) -> str:
    """Whitespace removed: a PDF breaks lines (and "91/KH" into "91/ KH") where it likes."""
    return re.sub(r"\s+", "", text)


def without_user_text(text: str, a) -> str:
    text = squash(text)
    for t in user_texts(a):
        text = text.replace(squash(t), "|")
        text = text.replace(squash(prose.mid(t)), "|")
    return text


def leftover_words(text: str, a, other_lang: str, marks: tuple[str, ...] = ()) -> list[str]:
    """Fixed phrases of ``other_lang`` found in ``text`` once quoted user text is removed.

    ``marks``: running text of the page margins (page numbers, the sample mark) that a
    PDF's text extraction may drop into the middle of a sentence; removed first."""
    for m in marks:
        text = re.sub(rf"\s*\d*\s*{re.escape(m)}\s*", " ", text)
    rest = without_user_text(text, a).lower()
    frags = tool_fragments(other_lang)
    if other_lang == "vi":  # an English phrase may share plain words with Vietnamese ones
        frags = {f for f in frags if _VI_LETTERS.search(f)}
    return sorted(f for f in frags if squash(f).lower() in rest)


def count_tasks(df: pd.DataFrame, *statuses: str) -> int:
    return int(df["status"].isin(statuses).sum())
