"""The list of reports: a sidecar JSON beside each report, and ``reports/index.html`` built from them."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from cchc_lib import i18n
from cchc_lib.i18n import fmt
from cchc_lib.report.formats import TEMPLATES, WORDS

log = logging.getLogger(__name__)

FAILED_DIR = "_loi"  # out_dir/_loi/<stem>.ipynb: the notebook as far as it ran
SIDECAR_KIND = "cchc-report"
SIDECAR_SCHEMA = 1


def human_size(n: int, lang: str = "vi") -> str:
    """A byte count as people read it: "532 B", "48,3 KB", "1,2 MB" (vi) / "1.2 MB" (en).

    Binary multiples (1 KB = 1024 B), as Windows Explorer counts; the next unit from
    1000 of the current one on, so a size never shows four digits before the comma.
    """
    fmt.check_lang(lang)
    n = int(n)
    if n < 0:
        raise ValueError(f"Kích thước tệp không thể âm: {n}")
    if n < 1000:
        return f"{fmt.number(n, 0, lang)} B"
    units = ("KB", "MB", "GB", "TB")
    value = n / 1024
    i = 0
    while i < len(units) - 1 and round(value, 1) >= 1000:  # "1,0 MB", never "1.005,2 KB"
        value /= 1024
        i += 1
    return f"{fmt.number(value, 1, lang)} {units[i]}"


_THREADS = threading.Lock()  # one writer per process; _index_lock orders processes (POSIX)


def atomic_write(path: Path, data: bytes | str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def sidecar(
    stem: str,
    params: Mapping[str, Any],
    hdr: Mapping[str, str],
    record: Mapping[str, Any] | None,
    formats: Iterable[str],
    staged: Mapping[str, Path],
    sizes: Mapping[str, int],
) -> dict[str, Any]:
    """The facts the index shows about one report (``<stem>.json`` beside it)."""
    rec = dict(record or {})
    data = {
        "kind": SIDECAR_KIND,
        "schema": SIDECAR_SCHEMA,
        "stem": stem,
        "plan_id": rec.pop("plan_id", params.get("plan")),
        "commune": hdr["commune"],
        "period": rec.pop("period", params.get("period")),
        "period_label": hdr["period_label"],
        "lang": hdr["lang"],
        "cutoff": rec.pop("cutoff", params.get("cutoff")),
        "title": hdr["title"],
        "sample": bool(rec.pop("sample", params.get("data") == "sample")),
        # the only value that changes between two identical runs; never in the report itself
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "formats": list(formats),
        "files": {k: p.name for k, p in staged.items() if k != "sidecar"},
        "sizes": dict(sizes),
        "parameters": dict(params),
    }
    for key, value in rec.items():
        data.setdefault(key, value)
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _period_sort_key(period: Any, cutoff: Any) -> tuple:
    from cchc_lib.core import periods

    try:
        p = periods.parse_period(period)
        win = periods.window(p, cutoff if cutoff in periods.CUTOFFS else periods.DEFAULT_CUTOFF)
        return (0, win.end, -win.days, str(period))
    except Exception:
        return (1, date.max, 0, str(period))


def _cutoff_note(cutoff: Any, lang: str = "vi") -> str:
    return i18n.lookup("cutoff_note", lang).get(str(cutoff), "")


def _generated_text(value: Any) -> str:
    try:
        dt = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "")
    return dt.strftime("%d/%m/%Y %H:%M")


def _scan_sidecars(root: Path) -> list[tuple[Path, dict]]:
    found = []
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part == FAILED_DIR for part in rel.parts[:-1]):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Bỏ qua %s: không đọc được JSON (%s)", path, exc)
            continue
        if isinstance(data, dict) and data.get("kind") == SIDECAR_KIND:
            found.append((path, data))
    return found


# The two documents a run writes (sidecar "document"; older sidecars have none: assessment).
DOCUMENT_NAMES = i18n.lookup("document", "vi")  # the index page is written in Vietnamese


def _row(root: Path, path: Path, data: dict) -> dict[str, Any]:
    """One line of the index: the report's facts and links to the files that exist."""
    folder = path.parent
    files = []
    names = data.get("files") or {}
    sizes = data.get("sizes") or {}
    annex = WORDS["vi"]["annex_file"]  # the index page is written in Vietnamese
    kinds = (("docx", "DOCX"), ("html", "HTML"), ("pdf", "PDF"), ("notebook", "Notebook"))
    kinds += (("annex_html", f"{annex} (HTML)"), ("annex_pdf", f"{annex} (PDF)"))
    for key, label in kinds:
        name = names.get(key)
        if not name or not (folder / name).is_file():
            continue
        rel = (folder / name).relative_to(root).as_posix()
        size = sizes.get(key, (folder / name).stat().st_size)
        files.append({"href": quote(rel), "label": label, "size": human_size(size, "vi")})
    lang = data.get("lang") or "vi"
    return {
        "plan_id": str(data.get("plan_id") or "—"),
        "commune": str(data.get("commune") or ""),
        "period": str(data.get("period") or ""),
        "period_label": str(data.get("period_label") or data.get("period") or "—"),
        "cutoff_note": _cutoff_note(data.get("cutoff")),
        "lang": lang,
        "lang_name": WORDS.get(lang, {}).get("lang_name", lang),
        "document": DOCUMENT_NAMES.get(str(data.get("document") or "assessment"), ""),
        "sample": bool(data.get("sample")),
        "generated": _generated_text(data.get("generated_at")),
        "files": files,
        "_key": (
            str(data.get("plan_id") or ""),
            _period_sort_key(data.get("period"), data.get("cutoff")),
            0 if lang == "vi" else 1,
            lang,
            0 if data.get("document") == "official" else 1,
            str(data.get("stem") or path.stem),
        ),
    }


def write_index(reports_root: str | os.PathLike) -> Path:
    """Rebuild ``reports_root/index.html`` from every report's sidecar JSON.

    Sorted by plan, period (in time order), language; links are relative; sample-data
    reports are flagged "DỮ LIỆU MẪU"; the page is self-contained and escaped.
    """
    root = Path(reports_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    with _THREADS, _index_lock(root):  # the two documents of cchc report finish in two threads
        return _write_index(root)


def _write_index(root: Path) -> Path:
    rows = sorted((_row(root, path, data) for path, data in _scan_sidecars(root)), key=lambda r: r["_key"])
    groups: list[dict] = []
    for r in rows:
        if not groups or groups[-1]["plan_id"] != r["plan_id"]:
            groups.append({"plan_id": r["plan_id"], "commune": r["commune"], "reports": []})
        groups[-1]["reports"].append(r)
        groups[-1]["commune"] = groups[-1]["commune"] or r["commune"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    page = env.get_template("index.html.j2").render(groups=groups, reports=rows)
    target = root / "index.html"
    atomic_write(target, page)
    return target


@contextmanager
def _index_lock(root: Path):
    """Runs that finish at the same time write the index one after another, each from a
    fresh scan, so the last one written lists every report. Locks the folder itself
    (POSIX ``flock``); where a folder cannot be opened (Windows) there is no lock."""
    try:
        import fcntl

        fd = os.open(root, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
