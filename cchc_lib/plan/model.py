"""The Plan model: a curated CCHC plan loaded from ``data/plans/<plan-id>/`` and validated.

``load_plan`` reads the seven files described in ``docs/plan-data.md``, checks every cell
(reporting all problems at once, by file, row and column), resolves every spelling of a
unit to its ``unit_id`` and derives typed columns (deadline dates, flags, numbers).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from cchc_lib.core import paths
from cchc_lib.core.errors import DataError, Issue, Msg, display_path, toml_issue
from cchc_lib.core.readers import read_csv
from cchc_lib.core.schemas import Field, TableSpec, accepts, choice_map, element_check, isin_check, load_table, norm_key
from cchc_lib.plan.deadlines import DeadlineError, is_recurring, parse_deadline

PLAN_FILES = ("areas", "objectives", "targets", "tasks", "units")
OPTIONAL_FILES = ("corrections",)

COMPARATORS = choice_map(
    {"≥": (">=", "=>", "tối thiểu", "ít nhất"), "≤": ("<=", "=<", "tối đa", "không quá"), "=": ("==", "bằng")}
)
TARGET_UNITS = choice_map(
    {
        "percent": ("%", "phần trăm"),
        "count": ("số lượng", "cái"),
        "per_month": ("/tháng", "mỗi tháng"),
        "rating": ("xếp loại",),
    }
)
KPIS = (
    "online_rate",
    "on_time_rate",
    "dossier_digitization_rate",
    "result_digitization_rate",
    "satisfaction_rate",
    "land_satisfaction_rate",
    "feedback_resolved_rate",
    "feedback_on_time_rate",
    "rating",
)
LEVELS = choice_map({"commune": ("xã", "cấp xã"), "city": ("thành phố", "huyện", "cấp huyện", "tỉnh")})

AREAS = TableSpec(
    "areas",
    (
        Field("area_id", nullable=False, unique=True, pattern=r"[IVX]+\.\d+", pattern_hint="ví dụ II.6"),
        Field("order", "integer", nullable=False),
        Field("name", nullable=False),
        Field("name_en"),
        Field("annex_group", pattern=r"[IVX]+", pattern_hint="số La Mã, ví dụ VI"),
        Field("lead_unit"),
        Field("source_ref"),
    ),
)
OBJECTIVES = TableSpec(
    "objectives",
    (
        Field("objective_id", nullable=False, unique=True, pattern=r"O\d+", pattern_hint="ví dụ O7"),
        Field("text", nullable=False),
        Field("target_id", required=False),
        Field("source_ref"),
        Field("note", required=False),
    ),
)
TARGETS = TableSpec(
    "targets",
    (
        Field(
            "target_id",
            nullable=False,
            unique=True,
            pattern=r"T\d+(\.\d+)*\.\d{2}[a-z]?",  # T<area>.<nn>; the area part may have levels (3.2)
            pattern_hint="T, số của lĩnh vực, dấu chấm và số thứ tự hai chữ số: T<lĩnh vực>.<nn>, ví dụ T3.2.06",
        ),
        Field("area_id", nullable=False),
        Field("text", nullable=False),
        Field("indicator", nullable=False),
        Field("indicator_en"),
        Field("measurable", "bool", nullable=False),
        Field("comparator", "choice", choices=COMPARATORS),
        Field("target_value", "number"),
        Field("unit", "choice", choices=TARGET_UNITS),
        Field("denominator"),
        Field("source_ref", nullable=False),
        Field("lead_unit"),
        Field("kpi", "choice", required=False, choices=choice_map({k: () for k in KPIS})),
        Field("note", required=False),
    ),
)
TASKS = TableSpec(
    "tasks",
    (
        Field(
            "task_id",
            nullable=False,
            unique=True,
            pattern=r"(NV|PL)\d+(\.\d+)*\.\d{2}",
            pattern_hint="NV hoặc PL, số của lĩnh vực (nhóm), dấu chấm và số thứ tự hai chữ số, "
            "ví dụ NV3.2.01, PL3.2.01",
        ),
        Field("area_id", nullable=False),
        Field("text", nullable=False),
        Field("product"),
        Field("lead_unit", nullable=False),
        Field("support_units"),
        Field("deadline_text"),
        Field("recurring", "bool"),
        Field("budget", "number", required=False),
        Field("source_ref", nullable=False),
        Field("source_label", required=False),
        Field("note", required=False),
    ),
)
UNITS = TableSpec(
    "units",
    (
        Field(
            "unit_id",
            nullable=False,
            unique=True,
            pattern=r"[a-z0-9][a-z0-9\-]*",
            pattern_hint="chữ thường không dấu và gạch nối, ví dụ vp-tk",
        ),
        Field("name", nullable=False),
        Field("name_en"),
        Field("aliases"),
        Field("level", "choice", nullable=False, choices=LEVELS),
        Field("responsibilities"),
        Field("source_ref"),
    ),
)
CORRECTIONS = TableSpec(
    "corrections",
    (
        Field("source_ref", nullable=False),
        Field("original", nullable=False),
        Field("corrected", nullable=False),
        Field("note"),
    ),
)


class PlanMeta(BaseModel):
    """``meta.toml``: the plan's identity. Unknown keys are kept."""

    model_config = ConfigDict(extra="allow")
    plan_id: str
    commune: str
    city: str = ""
    province: str = ""
    year: int
    decision_number: str
    decision_date: dt.date
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    title: str
    source_file: str = ""
    sample: bool = False
    language: str = "vi"
    # The area that is "Tổ chức chỉ đạo, điều hành": section I of the report. Empty: the
    # report's section I is written from the general notes alone and every area is in II.
    direction_area: str = ""
    # The plan's own words for the reports (docs/plan-data.md, "terms"); missing keys fall
    # back to the library's generic wording.
    terms: dict[str, str] = {}


def split_list(text: str | None) -> list[str]:
    """A ``;``-separated cell as a list; blank or missing cells give []."""
    if text is None or pd.isna(text):
        return []
    return [p.strip() for p in str(text).split(";") if p.strip()]


class UnitDirectory:
    """Every spelling of a unit (name and aliases) → its unit_id, matched by ``norm_key``."""

    def __init__(self, units: pd.DataFrame, file: str):
        self.names: dict[str, str] = {}
        issues = []
        for row, rec in units.iterrows():
            for spelling in [rec["name"], *split_list(rec["aliases"])]:
                key = norm_key(spelling)
                other = self.names.get(key)
                if other and other != rec["unit_id"]:
                    issues.append(
                        Issue(
                            file,
                            f"cách viết '{spelling}' đã thuộc đơn vị '{other}'; "
                            "một cách viết chỉ được thuộc một đơn vị",
                            row=int(row),
                            column="aliases",
                        )
                    )
                self.names[key] = rec["unit_id"]
        if issues:
            raise DataError(issues)

    def resolve(self, spelling: str | None) -> str | None:
        return None if spelling is None or pd.isna(spelling) else self.names.get(norm_key(spelling))

    def knows(self, spelling: str) -> bool:
        return norm_key(spelling) in self.names

    def check(self, many: bool = False):
        hint = (
            "cần tên một đơn vị có trong units.csv (cột name hoặc aliases); nếu là cách viết khác "
            "của một đơn vị đã có, thêm vào cột aliases của đơn vị đó"
        )
        if many:
            return element_check(
                lambda t: all(self.knows(p) for p in split_list(t)), hint + " (nhiều đơn vị cách nhau bằng dấu ;)"
            )
        return element_check(self.knows, hint)


def _tuples(s: pd.Series, fn) -> pd.Series:
    """Object column of tuples (Series.map would turn them into lists)."""
    return pd.Series([fn(v) for v in s], index=s.index, dtype=object)


@dataclass
class Plan:
    """A validated plan: ``meta`` plus one DataFrame per table (see docs/plan-data.md)."""

    meta: dict
    areas: pd.DataFrame
    objectives: pd.DataFrame
    targets: pd.DataFrame
    tasks: pd.DataFrame
    units: pd.DataFrame
    corrections: pd.DataFrame
    path: Path = field(default_factory=Path)

    @property
    def plan_id(self) -> str:
        return self.meta["plan_id"]

    @property
    def year(self) -> int:
        return int(self.meta["year"])

    @property
    def is_sample(self) -> bool:
        return bool(self.meta.get("sample"))

    @property
    def direction_area(self) -> str | None:
        """The area reported as section I ("chỉ đạo, điều hành"), or None."""
        return self.meta.get("direction_area") or None

    def check_period(self, period):
        """``period`` parsed, or PeriodError when it lies outside the plan's year."""
        from cchc_lib.core.periods import PeriodError, parse_period

        per = parse_period(period)
        if per.year != self.year:
            raise PeriodError(
                str(
                    Msg.of(
                        "period_outside_plan",
                        period=per.code,
                        plan=self.plan_id,
                        year=str(self.year),
                        other=str(per.year),
                    )
                )
            )
        return per

    def term(self, key: str, default: str = "") -> str:
        """A word of the plan's own (``[terms]`` of meta.toml), else ``default``."""
        return str((self.meta.get("terms") or {}).get(key) or default)

    @property
    def rating_target(self) -> pd.Series | None:
        """The plan's rating objective (its measurable target of unit "rating"), or None."""
        t = self.targets
        hit = t[t["measurable"] & t["unit"].eq("rating").fillna(False)]
        return hit.iloc[0] if len(hit) else None

    def area_name(self, area_id: str, lang: str = "vi") -> str:
        return self._name("areas", "area_id", area_id, lang)

    def unit_name(self, unit_id: str, lang: str = "vi") -> str:
        return self._name("units", "unit_id", unit_id, lang)

    def _name(self, table: str, key: str, code, lang: str) -> str:
        """The first row's name for ``code`` (English when asked and given), else the code.

        Reports ask for names hundreds of times (a lead unit per task row): a dictionary
        built once per table, rebuilt when the table is replaced, instead of a filter each time."""
        frame = getattr(self, table)
        cached = self.__dict__.setdefault("_name_tables", {}).get(table)
        if cached is None or cached[0] is not frame:
            names = {}
            english = frame["name_en"] if "name_en" in frame else pd.Series(None, index=frame.index, dtype=object)
            for c, vi, en in zip(frame[key], frame["name"], english):
                if not pd.isna(c):  # a blank code matches nothing, as in a filter
                    names.setdefault(c, (vi, en))
            cached = (frame, names)
            self.__dict__["_name_tables"][table] = cached
        found = cached[1].get(code)
        if found is None:
            return code
        vi, en = found
        name = en if lang == "en" else vi
        return str(name) if pd.notna(name) and name else str(vi)

    def lint(self, lang: str = "vi") -> pd.DataFrame:
        """Findings about the plan document itself (conflicts, odd deadlines, numbering),
        worded in ``lang``."""
        from cchc_lib.plan.lint import lint_plan

        return lint_plan(self, lang)

    def summary(self) -> pd.DataFrame:
        """Targets and tasks per area: what ``cchc validate`` prints."""
        t, k = self.targets, self.tasks
        out = self.areas[["area_id", "name"]].copy()
        out["targets"] = out["area_id"].map(t.groupby("area_id").size()).fillna(0).astype(int)
        out["measurable"] = out["area_id"].map(t[t["measurable"]].groupby("area_id").size()).fillna(0).astype(int)
        out["tasks_section_ii"] = (
            out["area_id"].map(k[k["task_id"].str.startswith("NV")].groupby("area_id").size()).fillna(0).astype(int)
        )
        out["tasks_annex"] = (
            out["area_id"].map(k[k["task_id"].str.startswith("PL")].groupby("area_id").size()).fillna(0).astype(int)
        )
        return out.reset_index(drop=True)


def _read_meta(path: Path) -> dict:
    file = display_path(path)
    if not path.exists():
        raise DataError(Issue(file, "thiếu tệp meta.toml (thông tin kế hoạch: xã, năm, số quyết định…)"))
    from cchc_lib.core.readers import decode_utf8

    try:
        raw = tomllib.loads(decode_utf8(path.read_bytes(), file))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(toml_issue(file, exc)) from None
    try:
        return PlanMeta(**raw).model_dump()
    except ValidationError as exc:
        issues = [
            Issue(file, f"khóa '{'.'.join(map(str, e['loc']))}': {e['msg']}", column=".".join(map(str, e["loc"])))
            for e in exc.errors()
        ]
        raise DataError(issues) from None


def _check_plan_id(meta: dict, folder: Path) -> None:
    """The plan id in meta.toml is the folder's name: reports, batches and progress folders
    are found by the folder and labelled by the id, so two names would mix communes up."""
    if meta["plan_id"] != folder.name:
        from cchc_lib.i18n import t

        message = t("plan_check.id_mismatch", "vi", plan_id=meta["plan_id"], folder=folder.name)
        raise DataError(Issue(display_path(folder / "meta.toml"), message))  # a TOML key, not a column


def _load(folder: Path, name: str, spec: TableSpec, extra=None) -> pd.DataFrame:
    path = folder / f"{name}.csv"
    if not path.exists():
        raise DataError(Issue(display_path(path), f"thiếu tệp {name}.csv của kế hoạch (xem docs/plan-data.md)"))
    return load_table(read_csv(path), spec, extra)


def _require_when_measurable(targets: pd.DataFrame, file: str) -> None:
    issues = []
    for row, rec in targets[targets["measurable"]].iterrows():
        for col in ("comparator", "target_value", "unit"):
            if pd.isna(rec[col]):
                issues.append(
                    Issue(
                        file, "chỉ tiêu đo được (measurable = true) phải có giá trị ở cột này", row=int(row), column=col
                    )
                )
    if issues:
        raise DataError(issues)


def load_plan(ref: str | os.PathLike) -> Plan:
    """Load and validate a plan by id (``data/plans/<id>``) or folder path."""
    folder = paths.plan_dir(ref)
    if not folder.is_dir():
        known = ", ".join(paths.known_plans()) or "(chưa có kế hoạch nào)"
        raise DataError(
            Issue(display_path(folder), f"không tìm thấy thư mục kế hoạch '{ref}'. Các kế hoạch có sẵn: {known}")
        )
    meta = _read_meta(folder / "meta.toml")
    _check_plan_id(meta, folder)

    year = meta["year"]  # the examples in messages use the plan's own year
    units = _load(folder, "units", UNITS)
    directory = UnitDirectory(units, display_path(folder / "units.csv"))
    areas = _load(folder, "areas", AREAS, {"lead_unit": [directory.check()]})
    area_ids = list(areas["area_id"])
    in_areas = isin_check(area_ids, Msg.of("ref.area"), "areas.csv")
    if meta.get("direction_area") and meta["direction_area"] not in area_ids:
        raise DataError(
            Issue(
                display_path(folder / "meta.toml"),
                f"direction_area = '{meta['direction_area']}' không có trong areas.csv "
                f"(cần một mã lĩnh vực: {', '.join(area_ids)})",
                column="direction_area",
            )
        )
    targets = _load(folder, "targets", TARGETS, {"area_id": [in_areas], "lead_unit": [directory.check()]})
    _require_when_measurable(targets, display_path(folder / "targets.csv"))
    tasks = _load(
        folder,
        "tasks",
        TASKS,
        {
            "area_id": [in_areas],
            "lead_unit": [directory.check()],
            "support_units": [directory.check(many=True)],
            "deadline_text": [
                element_check(
                    accepts(parse_deadline, DeadlineError),
                    f"không đọc được thời hạn: cần dạng 'Trước ngày dd/mm/{year}', 'Quý I/{year}', "
                    f"'6 tháng đầu năm {year}', 'Trong năm {year}', 'Năm {year}' hoặc 'Thường xuyên'",
                )
            ],
        },
    )
    target_ids = list(targets["target_id"])
    objectives = _load(
        folder, "objectives", OBJECTIVES, {"target_id": [isin_check(target_ids, Msg.of("ref.target"), "targets.csv")]}
    )
    corr_path = folder / "corrections.csv"
    corrections = (
        load_table(read_csv(corr_path), CORRECTIONS)
        if corr_path.exists()
        else pd.DataFrame({c.name: pd.Series(dtype="string") for c in CORRECTIONS.fields})
    )

    # Derived columns: resolved unit ids, deadline dates, recurring flag.
    areas["lead_unit_id"] = areas["lead_unit"].map(directory.resolve).astype("string")
    targets["lead_unit_id"] = targets["lead_unit"].map(directory.resolve).astype("string")
    tasks["lead_unit_id"] = tasks["lead_unit"].map(directory.resolve).astype("string")
    tasks["support_unit_ids"] = _tuples(
        tasks["support_units"], lambda t: tuple(directory.resolve(p) for p in split_list(t))
    )
    tasks["deadline"] = pd.to_datetime(tasks["deadline_text"].map(lambda t: parse_deadline(None if pd.isna(t) else t)))
    tasks["recurring"] = tasks["recurring"] | tasks["deadline_text"].map(
        lambda t: is_recurring(None if pd.isna(t) else t)
    ).astype(bool)
    units["aliases_list"] = _tuples(units["aliases"], lambda t: tuple(split_list(t)))

    tables = {
        name: df.reset_index(drop=True)
        for name, df in dict(
            areas=areas, objectives=objectives, targets=targets, tasks=tasks, units=units, corrections=corrections
        ).items()
    }
    tables["areas"] = tables["areas"].sort_values("order", kind="stable").reset_index(drop=True)
    return Plan(meta=meta, path=folder, **tables)
