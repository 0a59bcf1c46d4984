"""A synthetic city (``cchc sample-city``): many commune plans, a year of data each, one log.

For demos, tests and benchmarks of the city's view. Laid out like the repository's
``data/``::

    DIR/plans/<plan-id>/                 a plan per commune (variants of the shipped plans)
    DIR/progress/<plan-id>/<year>/       its synthetic year (the commune sample generator)
    DIR/city/dossiers/commune=…/month=…/ the city-wide dossier log, partitioned Parquet

Each commune's plan is a variant of one of the plans found under ``base`` (the
repository's own plans by default), chosen in turn: its own name and id, the year asked
for, a random share of targets and tasks left out, measurable target values moved a little,
deadlines moved to the year. Everything is deterministic by seed and marked as sample
(meta ``sample = true``; names end in "(mẫu)").
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["commune_names", "write_sample_city"]

# Syllables of plausible (fictional) commune names; pairs are unique within a city.
_FIRST = ("An", "Bình", "Phú", "Hòa", "Tân", "Phong", "Thuận", "Vinh", "Hương", "Quảng", "Lộc", "Minh")
_SECOND = ("Lợi", "Thạnh", "Xuân", "Hải", "Sơn", "Điền", "Mỹ", "Hưng", "Thọ", "Phước", "Long", "Trung")


def commune_names(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng([seed, 1])
    pairs = [(a, b) for a in _FIRST for b in _SECOND if a != b]
    if n > len(pairs):
        raise ValueError(f"tối đa {len(pairs)} xã mẫu (yêu cầu {n})")
    idx = rng.permutation(len(pairs))[:n]
    return [f"{pairs[i][0]} {pairs[i][1]}" for i in sorted(idx)]


def _slug(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_meta(path: Path, meta: dict) -> None:
    lines = []
    tables = {k: v for k, v in meta.items() if isinstance(v, dict)}
    for k, v in meta.items():
        if not isinstance(v, dict):
            lines.append(f"{k} = {_toml_value(v)}")
    for name, table in tables.items():
        lines.append(f"\n[{name}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _vary_plan(base: Path, out: Path, plan_id: str, name: str, year: int, rng: np.random.Generator) -> None:
    """Copy ``base`` to ``out`` as commune ``name``'s plan for ``year``, with variations."""
    shutil.copytree(base, out)
    meta = tomllib.loads((base / "meta.toml").read_text(encoding="utf-8-sig"))
    base_year, old_commune = int(meta["year"]), str(meta.get("commune", ""))
    commune = f"xã {name} (mẫu)"

    def move(text: str) -> str:
        text = text.replace(str(base_year), str(year)).replace(str(base_year - 1), str(year - 1))
        bare = old_commune.removeprefix("xã ").strip()
        return text.replace(bare, f"{name} (mẫu)") if bare else text

    for key, value in list(meta.items()):
        if isinstance(value, str):
            meta[key] = move(value)
    meta.update(plan_id=plan_id, commune=commune, year=year, sample=True)
    if "decision_date" in meta and hasattr(meta["decision_date"], "replace"):
        meta["decision_date"] = meta["decision_date"].replace(year=year)
    meta.pop("source_file", None)
    _write_meta(out / "meta.toml", meta)

    for csv in sorted(out.glob("*.csv")):
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df = df.map(move)
        if csv.stem == "targets" and "target_value" in df:
            df = _vary_targets(df, rng)
        if csv.stem == "tasks":
            keep = rng.random(len(df)) > 0.15
            df = df[keep]
        df.to_csv(csv, index=False, encoding="utf-8-sig")


def _vary_targets(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Move measurable percentage targets a little (never above 100, never below 0)."""
    values = pd.to_numeric(df["target_value"], errors="coerce")
    pct = (df.get("unit", "") == "%") & values.notna() & (values < 100) & (values > 0)
    moved = (values + rng.choice([-10, -5, 0, 0, 5], len(df))).clip(1, 100)
    df.loc[pct, "target_value"] = moved[pct].map(lambda v: f"{v:g}")
    return df


def write_sample_city(
    out: str | Path, *, year: int, communes: int = 40, seed: int = 2024, base: str | Path | None = None
) -> Path:
    """Write a synthetic city of ``communes`` plans with a year of data each under ``out``.

    ``year`` has no default: the city's year is the caller's choice, never the package's."""
    from cchc_lib.city.citylog import write_city_log
    from cchc_lib.core import paths
    from cchc_lib.plan.model import load_plan
    from cchc_lib.progress.loader import load_dossiers
    from cchc_lib.progress.sample import write_sample

    out = Path(out)
    base_root = Path(base) if base else paths.data_root() / "plans"
    bases = sorted(p for p in base_root.iterdir() if (p / "meta.toml").is_file()) if base_root.is_dir() else []
    if not bases:
        raise FileNotFoundError(f"không có kế hoạch mẫu nào trong {base_root}")
    (out / "plans").mkdir(parents=True, exist_ok=True)
    logs = []
    for i, name in enumerate(commune_names(communes, seed)):
        plan_id = f"{_slug(name)}-{year}"
        plan_dir = out / "plans" / plan_id
        if plan_dir.exists():
            shutil.rmtree(plan_dir)
        _vary_plan(bases[i % len(bases)], plan_dir, plan_id, name, year, np.random.default_rng([seed, 2, i]))
        plan = load_plan(plan_dir)
        data_dir = write_sample(plan, out / "progress" / plan_id / str(year), seed=seed + i)
        dossiers = load_dossiers(data_dir / "dossiers.csv")
        logs.append(dossiers.assign(commune=plan_id))
    log = pd.concat(logs, ignore_index=True)
    keep = ["commune", "field", "received_date", "due_date", "returned_date", "channel"]
    keep += [c for c in ("dossier_digitized", "result_digitized", "rating") if c in log.columns]
    write_city_log(log[keep], out / "city" / "dossiers")
    return out
