"""Units and their spellings: one unit, every way the decision writes it.

"CC.Văn phòng – Thống kê UBND xã", "Công chức Văn phòng – Thống kê UBND xã" and "Công
chức VP-TK xã" are one officer. A spelling is reduced to its core (titles and the
commune's name stripped); cores that are equal, or an abbreviation whose letters are the
initials of another core, are the same unit. Section IV's headings name the units first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from cchc_lib.core.schemas import norm_key

_PREFIX = re.compile(r"^(các\s+)?((cán bộ,?\s*)?công chức|cc\.|cc\s|cán bộ)\s*", re.I)
# "… UBND xã", "… xã <Tên xã>": the commune itself (its name is capitalised; "xã hội" is not a place)
_SUFFIX = re.compile(
    r"\s+(thuộc\s+)?((UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+)?(xã|phường|thị trấn)(\s+[A-ZÀ-Ỹ][\wÀ-ỹ]*)*$"
)
_ORGAN = {"ubnd", "ủy ban nhân dân", "uỷ ban nhân dân"}
_CITY = re.compile(r"\b(thành phố|huyện|tỉnh|quận|thị xã)\b|^phòng\s", re.I)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def _strip(spelling: str) -> tuple[str, bool]:
    """The spelling without an officer title and the commune suffix; True if a title was removed."""
    s = unicodedata.normalize("NFC", spelling).strip()
    titled = False
    m = _PREFIX.match(s)
    if m and s[m.end() :].strip():
        s, titled = s[m.end() :].strip(), True
    stripped = _SUFFIX.sub("", s).strip()
    if stripped and norm_key(stripped) not in _ORGAN:
        s = stripped
    return s, titled


def core(spelling: str) -> str:
    return norm_key(_strip(spelling)[0])


def initials(core_text: str) -> str:
    """ "văn phòng-thống kê" → "vp-tk"."""
    parts = core_text.split("-")
    return "-".join("".join(w[0] for w in p.split() if w) for p in parts)


def _is_abbrev(spelling_core: str) -> bool:
    return bool(re.fullmatch(r"[a-zđ]{1,4}(-[a-zđ]{1,4})+", spelling_core))


@dataclass
class UnitDraft:
    unit_id: str
    name: str
    spellings: list[str] = field(default_factory=list)
    locs: list[str] = field(default_factory=list)
    level: str = "commune"
    duties: list[str] = field(default_factory=list)
    source_ref: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def core(self) -> str:
        return core(self.name)


def _slug(text: str, taken: set[str]) -> str:
    c = core(text)
    base = initials(c) if "-" in c else "-".join(_ascii(c).lower().split()[:4])
    base = re.sub(r"[^a-z0-9-]+", "", _ascii(base).lower()).strip("-") or "don-vi"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


class UnitBook:
    """Clusters spellings into units, in the order they are first met."""

    def __init__(self):
        self.units: list[UnitDraft] = []
        self._ids: set[str] = set()

    def find(self, spelling: str) -> UnitDraft | None:
        c = core(spelling)
        for u in self.units:
            if c == u.core or any(c == core(s) for s in u.spellings):
                return u
        if _is_abbrev(c):
            hits = [u for u in self.units if initials(u.core) == c]
            if len(hits) == 1:
                return hits[0]
        return None

    def add(self, spelling: str, loc: str, name: str | None = None) -> UnitDraft:
        spelling = spelling.strip().rstrip(".;,")
        unit = self.find(spelling)
        if unit is None:
            display = name or core_display(spelling)
            unit = UnitDraft(_slug(display, self._ids), display, locs=[loc])
            unit.level = "city" if _CITY.search(spelling) else "commune"
            self.units.append(unit)
        if norm_key(spelling) not in {norm_key(s) for s in [unit.name, *unit.spellings]}:
            unit.spellings.append(spelling)
            if loc not in unit.locs:
                unit.locs.append(loc)
        return unit


def core_display(spelling: str) -> str:
    """A readable canonical name: a named post without its title ("Công chức Tư pháp – Hộ
    tịch" → "Tư pháp – Hộ tịch"); a collective or an organ as written."""
    s, titled = _strip(spelling)
    named = titled or _SUFFIX.search(spelling.strip()) is not None
    s = s if named and re.search(r"\s[–—-]\s|\w[–—-]\w", s) else spelling.strip()
    return s[0].upper() + s[1:]


def _bigrams(text: str) -> set[str]:
    words = re.findall(r"\w+", norm_key(text))
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def lead_for(area_name: str, units: list[UnitDraft]) -> tuple[UnitDraft | None, bool]:
    """The unit whose section IV duties speak most of the area (shared word pairs); the
    second value is True when the choice is clear (the best scores above the runner-up)."""
    want = _bigrams(re.sub(r"^về\s+", "", area_name, flags=re.I))
    scored = []
    for u in units:
        score = sum(len(want & _bigrams(d)) for d in u.duties)
        scored.append((score, -units.index(u), u))
    scored.sort(reverse=True, key=lambda s: s[:2])
    if not scored or scored[0][0] == 0:
        return None, False
    clear = len(scored) == 1 or scored[0][0] > scored[1][0]
    return scored[0][2], clear
