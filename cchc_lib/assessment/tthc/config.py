"""Settings of ``config/tthc.toml``: the land fields and the Decision 766/QĐ-TTg groups.

Checked when read, so a bad edit of the file fails loudly instead of skewing a report.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from cchc_lib.assessment.tthc.definitions import KPI_NAMES, KPI_UNITS
from cchc_lib.core.schemas import norm_key


@dataclass(frozen=True)
class Group766:
    """One group of Decision 766/QĐ-TTg and which of our KPIs (if any) inform it."""

    group_id: str
    name: str
    name_en: str
    max_points: float
    kpis: tuple[str, ...]
    needs: str
    note: str
    needs_en: str = ""
    note_en: str = ""

    @property
    def coverage(self) -> str:
        return "partial" if self.kpis else "none"


@dataclass(frozen=True)
class TthcConfig:
    """Settings from ``cchc_lib/config/tthc.toml`` (land fields, Decision 766 groups)."""

    land_fields: tuple[str, ...]
    groups: tuple[Group766, ...]
    disclaimer: str
    disclaimer_en: str
    source: str

    # Mapping-style access, for callers that read the config like the TOML table
    # (``load_config().get("land_fields")``).
    def get(self, key: str, default: object = None) -> object:
        return getattr(self, key, default) if key in self.__dataclass_fields__ else default

    def __getitem__(self, key: str) -> object:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)


def _parse_config(raw: Mapping) -> TthcConfig:
    """Check the file's promises (known KPIs, 100 points) so a bad edit fails loudly."""
    land = raw.get("land_fields", ["Đất đai"])
    if isinstance(land, str) or not all(isinstance(x, str) for x in land):
        raise ValueError('tthc.toml: land_fields phải là danh sách tên lĩnh vực, ví dụ ["Đất đai"].')
    d766 = raw["decision_766"]
    groups = []
    for g in d766["groups"]:
        unknown = [k for k in g.get("kpis", []) if k not in KPI_NAMES or KPI_UNITS[k] != "percent"]
        if unknown:
            raise ValueError(
                f"tthc.toml: nhóm '{g['id']}' dùng chỉ số không hợp lệ {unknown}; "
                f"chỉ chấp nhận các tỷ lệ trong {KPI_NAMES}."
            )
        groups.append(
            Group766(
                group_id=g["id"],
                name=g["name"],
                name_en=g["name_en"],
                max_points=float(g["max_points"]),
                kpis=tuple(g.get("kpis", [])),
                needs=g.get("needs", ""),
                note=g.get("note", ""),
                needs_en=g.get("needs_en", ""),
                note_en=g.get("note_en", ""),
            )
        )
    total = sum(g.max_points for g in groups)
    if abs(total - 100) > 1e-9:
        raise ValueError(f"tthc.toml: tổng điểm tối đa các nhóm Quyết định 766 là {total:g}, cần đúng 100.")
    return TthcConfig(
        land_fields=tuple(land),
        groups=tuple(groups),
        disclaimer=d766["disclaimer"],
        disclaimer_en=d766["disclaimer_en"],
        source=d766["source"],
    )


@lru_cache(maxsize=1)
def load_config() -> TthcConfig:
    """The packaged ``config/tthc.toml`` (read once; it ships with the package)."""
    text = resources.files("cchc_lib").joinpath("config", "tthc.toml").read_text(encoding="utf-8")
    return _parse_config(tomllib.loads(text))


def _land_keys(land_fields: str | Iterable[str] | None) -> frozenset[str]:
    if land_fields is None:
        land_fields = load_config().land_fields
    elif isinstance(land_fields, str):
        land_fields = [land_fields]
    return frozenset(norm_key(f) for f in land_fields)


def is_land_field(name: object, land_fields: str | Iterable[str] | None = None) -> bool:
    """True when a field name is one of the land fields (case, NFC and spacing ignored)."""
    if name is None or name is pd.NA or (isinstance(name, float) and name != name):
        return False
    return norm_key(str(name)) in _land_keys(land_fields)
