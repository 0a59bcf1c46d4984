"""A quarter's progress inputs: what was measured, done and recorded, validated against the plan.

A progress folder (``data/progress/<plan-id>/…``) holds up to five kinds of input, each
optional: ``indicators`` (measured target values), ``tasks`` (task status updates),
``dossiers`` (the one-stop system's dossier log), ``feedback`` (petitions, PAKN) and
``notes`` (the analyst's text per period and area). Each kind is a CSV, an Excel file or
a sheet of one workbook; headers may be the canonical ids or the Vietnamese display
headers of the data-entry template. See docs/progress-data.md.

Nothing is dropped silently: template rows left empty are counted as "not entered",
every other row is either used or rejected with its file, row and column.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cchc_lib import i18n
from cchc_lib.core.errors import DataError, Issue, display_path
from cchc_lib.core.periods import PeriodError, parse_period, window
from cchc_lib.core.readers import EXCEL_SUFFIXES, excel_sheets, read_table
from cchc_lib.core.schemas import Field, TableSpec, accepts, choice_map, element_check, isin_check, load_table, norm_key

KINDS = ("indicators", "tasks", "dossiers", "feedback", "notes")

TASK_STATUSES = choice_map(
    {
        "not_started": ("chưa thực hiện", "chưa triển khai", "chưa bắt đầu", "not started"),
        "in_progress": ("đang thực hiện", "đang triển khai", "đang làm", "in progress"),
        "done": ("hoàn thành", "đã hoàn thành", "xong", "đã thực hiện", "completed"),
        "cancelled": ("hủy", "huỷ", "không thực hiện", "dừng thực hiện", "canceled"),
    }
)
CHANNELS = choice_map(
    {
        "online": ("trực tuyến", "dịch vụ công trực tuyến", "dvctt", "qua mạng"),
        "direct": ("trực tiếp", "tại bộ phận một cửa", "nộp trực tiếp"),
        "postal": ("bưu chính công ích", "bưu chính", "bcci", "qua bưu điện"),
    }
)
RATINGS = choice_map(
    {
        "satisfied": ("hài lòng", "rất hài lòng"),
        "neutral": ("bình thường", "chấp nhận được", "không ý kiến"),
        "dissatisfied": ("không hài lòng", "chưa hài lòng"),
    }
)

# Sections of the official report an analyst can write to (notes, column "Mục báo cáo").
NOTE_SECTIONS = choice_map(
    {
        "plan": ("công tác kế hoạch", "kế hoạch"),
        "inspection": ("công tác kiểm tra", "kiểm tra"),
        "communication": ("công tác tuyên truyền", "tuyên truyền"),
        "survey": ("khảo sát sự hài lòng", "khảo sát"),
        "initiatives": ("sáng kiến, mô hình mới", "sáng kiến", "mô hình mới"),
        "strengths": ("ưu điểm",),
        "shortcomings": ("tồn tại, hạn chế", "tồn tại", "hạn chế", "tồn tại, hạn chế và nguyên nhân"),
        "causes": ("nguyên nhân",),
        "next": ("phương hướng, nhiệm vụ kỳ tới", "phương hướng", "nhiệm vụ kỳ tới"),
        "proposals": ("đề xuất, kiến nghị", "đề xuất", "kiến nghị"),
    }
)

# Display words for the canonical values (templates, tables, narrative).
STATUS_WORDS = i18n.table("progress_status")
CHANNEL_WORDS = i18n.table("channel")
RATING_WORDS = i18n.table("satisfaction")

PERIOD_HINT = "cần kỳ báo cáo dạng 2024-Q2, 2024-H1, 2024 hoặc 'Quý II/2024'"


_period_ok = accepts(parse_period, PeriodError)


SPECS: dict[str, TableSpec] = {
    "indicators": TableSpec(
        "indicators",
        (
            Field("target_id", nullable=False, label="Mã chỉ tiêu"),
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field("value", "number", required=False, label="Giá trị đạt được", headers=("kết quả", "giá trị")),
            Field("numerator", "number", required=False, label="Tử số"),
            Field("denominator", "number", required=False, label="Mẫu số"),
            Field("source", required=False, label="Nguồn số liệu"),
            Field("note", required=False, label="Ghi chú"),
        ),
    ),
    "tasks": TableSpec(
        "tasks",
        (
            Field("task_id", nullable=False, label="Mã nhiệm vụ"),
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field("status", "choice", required=False, choices=TASK_STATUSES, label="Tình trạng"),
            Field("completed_on", "date", required=False, label="Ngày hoàn thành"),
            Field("evidence", required=False, label="Văn bản, sản phẩm", headers=("minh chứng",)),
            Field("note", required=False, label="Ghi chú"),
        ),
    ),
    "dossiers": TableSpec(
        "dossiers",
        (
            Field("dossier_id", nullable=False, unique=True, label="Mã hồ sơ", headers=("số hồ sơ",)),
            Field("field", nullable=False, label="Lĩnh vực"),
            Field("procedure", required=False, label="Tên thủ tục", headers=("thủ tục",)),
            Field("received_date", "date", nullable=False, label="Ngày tiếp nhận"),
            Field("due_date", "date", label="Ngày hẹn trả"),
            Field("returned_date", "date", label="Ngày trả kết quả"),
            Field("channel", "choice", nullable=False, choices=CHANNELS, label="Hình thức nộp", headers=("kênh nộp",)),
            Field("dossier_digitized", "bool", required=False, label="Số hóa hồ sơ"),
            Field("result_digitized", "bool", required=False, label="Số hóa kết quả"),
            Field("rating", "choice", required=False, choices=RATINGS, label="Đánh giá", headers=("mức độ hài lòng",)),
        ),
    ),
    "feedback": TableSpec(
        "feedback",
        (
            Field("feedback_id", nullable=False, unique=True, label="Mã phản ánh", headers=("số phản ánh",)),
            Field("received_date", "date", nullable=False, label="Ngày tiếp nhận"),
            Field("due_date", "date", label="Hạn xử lý"),
            Field("resolved_date", "date", label="Ngày xử lý xong"),
            Field("rating", "choice", required=False, choices=RATINGS, label="Đánh giá"),
            Field("summary", required=False, label="Nội dung tóm tắt"),
        ),
    ),
    "notes": TableSpec(
        "notes",
        (
            Field("period", nullable=False, label="Kỳ báo cáo"),
            Field("area_id", required=False, label="Mã lĩnh vực"),
            Field("highlights", required=False, label="Kết quả nổi bật"),
            Field("difficulties", required=False, label="Tồn tại, hạn chế, khó khăn"),
            Field("proposals", required=False, label="Đề xuất, kiến nghị"),
            # A row per section of the official report (docs/progress-data.md): the section's
            # key or name, and its text.
            Field("section", "choice", required=False, choices=NOTE_SECTIONS, label="Mục báo cáo"),
            Field("text", required=False, label="Nội dung"),
        ),
    ),
}

# Sheet and file names an analyst may use for each kind (besides the canonical id).
KIND_NAMES = {
    "indicators": ("chỉ tiêu", "chi tieu", "chi-tieu", "số liệu chỉ tiêu"),
    "tasks": ("nhiệm vụ", "nhiem vu", "nhiem-vu", "tiến độ nhiệm vụ"),
    "dossiers": ("hồ sơ", "hồ sơ tthc", "ho so", "ho-so", "một cửa"),
    "feedback": ("phản ánh kiến nghị", "phản ánh, kiến nghị", "pakn", "phan-anh-kien-nghi"),
    "notes": ("ghi chú", "nhận xét", "ghi-chu", "ghi chu"),
}
_KIND_BY_NAME = {norm_key(n): k for k, names in KIND_NAMES.items() for n in (k, *names)}
DATA_SUFFIXES = {".csv", ".parquet", *EXCEL_SUFFIXES}
IGNORED_FILES = {"meta.toml", "readme.md", "readme.txt"}
IGNORED_SHEETS = {norm_key(n) for n in ("Hướng dẫn", "Huong dan", "README", "Instructions")}


def kind_of(name: str) -> str | None:
    """Which input kind a file stem or sheet name stands for."""
    return _KIND_BY_NAME.get(norm_key(name))


@dataclass
class Progress:
    """Validated progress inputs. Absent kinds are empty tables with the canonical columns."""

    indicators: pd.DataFrame
    tasks: pd.DataFrame
    dossiers: pd.DataFrame
    feedback: pd.DataFrame
    notes: pd.DataFrame
    sources: pd.DataFrame  # kind, file, rows_read, rows_used, rows_not_entered, blank_rows
    warnings: list[Issue] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def is_sample(self) -> bool:
        return bool(self.meta.get("sample"))

    def table(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)


def empty_table(kind: str) -> pd.DataFrame:
    from cchc_lib.core.schemas import convert

    spec = SPECS[kind]
    return convert(pd.DataFrame({f.name: pd.Series(dtype=object) for f in spec.fields}), spec)


# --- discovery -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str
    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return display_path(self.path) + (f" [trang {self.sheet}]" if self.sheet else "")


def discover(folder: Path) -> tuple[list[Source], list[Issue]]:
    """Files and sheets in a progress folder, by kind; unknown files become warnings."""
    sources: list[Source] = []
    notes: list[Issue] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
        suffix = path.suffix.lower()
        if path.name.lower() in IGNORED_FILES:
            continue
        if suffix not in DATA_SUFFIXES:
            notes.append(
                Issue(
                    display_path(path),
                    "tệp không thuộc loại dữ liệu nào nên không được đọc (chỉ đọc .csv, .xlsx, .parquet)",
                    severity="warning",
                )
            )
            continue
        kind = kind_of(path.stem)
        if kind:
            sources.append(Source(kind, path))
        elif suffix in EXCEL_SUFFIXES:
            sheets = excel_sheets(path)
            found = [(kind_of(s), s) for s in sheets]
            for k, s in found:
                if k:
                    sources.append(Source(k, path, s))
                elif norm_key(s) not in IGNORED_SHEETS:
                    notes.append(
                        Issue(
                            f"{display_path(path)} [trang {s}]",
                            "trang tính không được đọc: tên trang không "
                            f"ứng với loại dữ liệu nào ({', '.join(KINDS)} hoặc tên tiếng Việt)",
                            severity="warning",
                        )
                    )
        else:
            notes.append(
                Issue(
                    display_path(path),
                    f"tên tệp không ứng với loại dữ liệu nào; đặt tên là một trong: "
                    f"{', '.join(k + suffix for k in KINDS)}",
                    severity="warning",
                )
            )
    return sources, notes


# --- per-kind rules --------------------------------------------------------------------


def _canonical_period(df: pd.DataFrame) -> pd.DataFrame:
    df["period"] = df["period"].map(lambda t: parse_period(t).code).astype("string")
    return df


def _period_checks(plan) -> list:
    year = plan.year
    return [
        element_check(_period_ok, PERIOD_HINT),
        element_check(
            lambda t: not _period_ok(t) or parse_period(t).year == year, f"kỳ báo cáo phải thuộc năm kế hoạch {year}"
        ),
    ]


def _duplicates(df: pd.DataFrame, keys: list[str], file: str) -> list[Issue]:
    dup = df[df.duplicated(keys, keep=False)]
    out = []
    for values, group in dup.groupby(keys, sort=False):
        rows = ", ".join(map(str, group.index))
        out.append(
            Issue(
                file,
                f"trùng {' + '.join(keys)} ({', '.join(map(str, values if isinstance(values, tuple) else (values,)))}) "
                f"ở các dòng {rows}; mỗi kỳ chỉ nhập một dòng",
                row=int(group.index[0]),
                column=keys[0],
            )
        )
    return out


def _check_indicators(df: pd.DataFrame, plan, file: str) -> tuple[pd.DataFrame, list[Issue], list[Issue], int]:
    errors, warnings = [], []
    entered = df["value"].notna() | df["numerator"].notna() | df["denominator"].notna()
    not_entered = int((~entered).sum())
    df = df[entered].copy()
    targets = plan.targets.set_index("target_id")
    for row, r in df.iterrows():
        t = targets.loc[r["target_id"]]
        unit = t["unit"] if pd.notna(t["unit"]) else None
        num, den, val = r["numerator"], r["denominator"], r["value"]
        if pd.isna(num) != pd.isna(den):
            missing = "denominator" if pd.isna(den) else "numerator"
            errors.append(Issue(file, "tử số và mẫu số phải nhập cùng nhau", row=row, column=missing))
            continue
        if pd.notna(den):
            if den <= 0:
                errors.append(Issue(file, "mẫu số phải lớn hơn 0", row=row, column="denominator", value=str(den)))
                continue
            if num < 0 or num > den:
                errors.append(
                    Issue(file, f"tử số phải từ 0 đến mẫu số ({den:g})", row=row, column="numerator", value=f"{num:g}")
                )
                continue
            ratio = 100 * num / den if unit == "percent" else num
            if pd.notna(val) and abs(val - ratio) > 0.05:
                errors.append(
                    Issue(
                        file,
                        f"giá trị không khớp với tử số/mẫu số ({ratio:.2f}); xóa một trong hai hoặc sửa cho khớp",
                        row=row,
                        column="value",
                        value=f"{val:g}",
                    )
                )
                continue
            df.loc[row, "value"] = ratio
            val = ratio
        if unit == "percent" and 0 < val < 1 and pd.isna(den):
            # 0,62 is a valid share, but far more often a 62% typed as a fraction.
            warnings.append(
                Issue(
                    file,
                    f"tỷ lệ {val:g}% rất nhỏ: nếu là {val * 100:g}% hãy ghi {val * 100:g} "
                    "(tỷ lệ phần trăm ghi theo thang 0–100)",
                    row=row,
                    column="value",
                    value=f"{val:g}",
                    severity="warning",
                )
            )
        if unit == "percent" and not 0 <= val <= 100:
            errors.append(
                Issue(
                    file,
                    "tỷ lệ phần trăm phải từ 0 đến 100 (ghi 42,5 chứ không ghi 0,425)",
                    row=row,
                    column="value",
                    value=f"{val:g}",
                )
            )
        elif unit == "rating" and val not in (1, 2, 3, 4):
            errors.append(
                Issue(
                    file,
                    "xếp loại ghi bằng số: 1 yếu, 2 trung bình, 3 khá, 4 tốt",
                    row=row,
                    column="value",
                    value=f"{val:g}",
                )
            )
        elif val < 0:
            errors.append(Issue(file, "giá trị không được âm", row=row, column="value", value=f"{val:g}"))
        if not t["measurable"]:
            warnings.append(
                Issue(
                    file,
                    f"chỉ tiêu {r['target_id']} không định lượng trong kế hoạch; giá trị được giữ để tham khảo, "
                    "không dùng để xếp loại",
                    row=row,
                    column="value",
                    severity="warning",
                )
            )
    errors += _duplicates(df, ["target_id", "period"], file)
    return df, errors, warnings, not_entered


def _check_tasks(df: pd.DataFrame, plan, file: str) -> tuple[pd.DataFrame, list[Issue], list[Issue], int]:
    errors, warnings = [], []
    entered = df["status"].notna() | df["completed_on"].notna() | df["evidence"].notna()
    not_entered = int((~entered).sum())
    df = df[entered].copy()
    tasks = plan.tasks.set_index("task_id")
    year_start = pd.Timestamp(window(f"{plan.year}-Q1", "nd09").start)
    for row, r in df.iterrows():
        if pd.isna(r["status"]):
            errors.append(
                Issue(
                    file,
                    "cần tình trạng: Chưa thực hiện, Đang thực hiện, Hoàn thành hoặc Không thực hiện",
                    row=row,
                    column="status",
                )
            )
            continue
        done_on = r["completed_on"]
        latest_end = max(pd.Timestamp(window(r["period"], c).end) for c in ("nd09", "calendar"))
        if pd.notna(done_on):
            if done_on > latest_end:
                errors.append(
                    Issue(
                        file,
                        f"ngày hoàn thành sau khi kết thúc kỳ {r['period']} ({latest_end:%d/%m/%Y}); "
                        "báo cáo hoàn thành ở kỳ sau",
                        row=row,
                        column="completed_on",
                        value=f"{done_on:%d/%m/%Y}",
                    )
                )
            elif done_on < year_start:
                errors.append(
                    Issue(
                        file,
                        f"ngày hoàn thành trước năm kế hoạch {plan.year}",
                        row=row,
                        column="completed_on",
                        value=f"{done_on:%d/%m/%Y}",
                    )
                )
            if r["status"] != "done":
                warnings.append(
                    Issue(
                        file,
                        "có ngày hoàn thành nhưng tình trạng không phải 'Hoàn thành'; ngày này không được dùng",
                        row=row,
                        column="completed_on",
                        severity="warning",
                    )
                )
        elif r["status"] == "done" and not tasks.loc[r["task_id"], "recurring"]:
            errors.append(
                Issue(
                    file,
                    "nhiệm vụ có thời hạn đã 'Hoàn thành' cần ngày hoàn thành (để xét đúng hạn hay trễ hạn)",
                    row=row,
                    column="completed_on",
                )
            )
    errors += _duplicates(df, ["task_id", "period"], file)
    return df, errors, warnings, not_entered


def _check_dates(df: pd.DataFrame, file: str, start_col: str, checks: list[tuple[str, str]]) -> list[Issue]:
    """Vectorised order checks (a million rows): ``later`` must not precede ``start_col``."""
    errors = []
    for later, what in checks:
        bad = df[later].notna() & (df[later] < df[start_col])
        for row in df.index[bad][:50]:
            errors.append(
                Issue(
                    file,
                    f"{what} trước ngày tiếp nhận ({df.at[row, start_col]:%d/%m/%Y})",
                    row=int(row),
                    column=later,
                    value=f"{df.at[row, later]:%d/%m/%Y}",
                )
            )
        if bad.sum() > 50:
            errors.append(
                Issue(file, f"… và {int(bad.sum()) - 50} dòng khác có {what} trước ngày tiếp nhận", column=later)
            )
    return errors


def _check_dossiers(df, plan, file):
    errors = _check_dates(
        df, file, "received_date", [("returned_date", "ngày trả kết quả"), ("due_date", "ngày hẹn trả")]
    )
    return df, errors, [], 0


def _check_feedback(df, plan, file):
    errors = _check_dates(df, file, "received_date", [("resolved_date", "ngày xử lý xong"), ("due_date", "hạn xử lý")])
    return df, errors, [], 0


def _check_notes(df, plan, file):
    text_cols = [c for c in ("highlights", "difficulties", "proposals", "text") if c in df.columns]
    entered = df[text_cols].notna().any(axis=1)
    df = df[entered].copy()
    df["area_id"] = df["area_id"].fillna("")
    for col in ("section", "text"):  # older files have no section rows
        if col not in df.columns:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="string")
    df["section"] = df["section"].fillna("")
    return df, _duplicates(df, ["period", "area_id", "section"], file), [], int((~entered).sum())


RULES = {
    "indicators": _check_indicators,
    "tasks": _check_tasks,
    "dossiers": _check_dossiers,
    "feedback": _check_feedback,
    "notes": _check_notes,
}


def _extra_checks(kind: str, plan) -> dict:
    if kind == "indicators":
        return {
            "target_id": [isin_check(list(plan.targets["target_id"]), "mã chỉ tiêu", "targets.csv của kế hoạch")],
            "period": _period_checks(plan),
        }
    if kind == "tasks":
        return {
            "task_id": [isin_check(list(plan.tasks["task_id"]), "mã nhiệm vụ", "tasks.csv của kế hoạch")],
            "period": _period_checks(plan),
        }
    if kind == "notes":
        return {
            "area_id": [
                isin_check(list(plan.areas["area_id"]), "mã lĩnh vực (để trống nếu là nhận xét chung)", "areas.csv")
            ],
            "period": _period_checks(plan),
        }
    return {}


def load_kind(kind: str, source: Source | Path | str, plan=None) -> tuple[pd.DataFrame, dict, list[Issue]]:
    """Read and validate one input; returns the table, its counts and its warnings."""
    if not isinstance(source, Source):
        source = Source(kind, Path(source))
    raw = read_table(source.path, source.sheet)
    file = raw.attrs.get("file", source.label)
    spec = SPECS[kind]
    if raw.empty and len(raw.columns) == 0:
        raise DataError(Issue(file, "không có dòng tiêu đề cột"))
    df = load_table(raw, spec, _extra_checks(kind, plan) if plan is not None else {})
    if "period" in df.columns and kind != "dossiers":
        df = _canonical_period(df)
    headers = df.attrs.get("header_map", {})
    df, errors, warnings, not_entered = RULES[kind](df, plan, file)
    errors, warnings = ([replace(i, column=headers.get(i.column, i.column)) for i in lst] for lst in (errors, warnings))
    if errors:
        raise DataError(errors)
    counts = {
        "kind": kind,
        "file": file,
        "rows_read": len(raw),
        "rows_used": len(df),
        "rows_not_entered": not_entered,
        "blank_rows": int(raw.attrs.get("blank_rows", 0)),
    }
    extra = [c for c in raw.columns if c not in {f.name for f in spec.fields}]
    df.attrs["file"] = file
    df.attrs["extra_columns"] = extra
    return df.reset_index(names="source_row"), counts, warnings


def load_dossiers(path: Path | str) -> pd.DataFrame:
    """A one-stop dossier log (CSV, Excel or Parquet) as a validated, typed table."""
    return load_kind("dossiers", path)[0]


def _read_meta(folder: Path) -> dict:
    path = folder / "meta.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(Issue(display_path(path), f"không đọc được TOML: {exc}")) from None


def load_progress(path: str | os.PathLike, plan) -> Progress:
    """Load every input present in a progress folder and validate it against ``plan``."""
    from cchc_lib.core import paths

    folder = paths.progress_dir(path, plan.plan_id)
    if not folder.is_dir():
        raise DataError(
            Issue(
                display_path(folder),
                "không tìm thấy thư mục số liệu tiến độ; tạo thư mục này hoặc "
                "chạy 'cchc sample-data' để có bộ dữ liệu mẫu",
            )
        )
    sources, warnings = discover(folder)
    by_kind: dict[str, list[Source]] = {}
    for s in sources:
        by_kind.setdefault(s.kind, []).append(s)
    errors: list[Issue] = []
    tables: dict[str, pd.DataFrame] = {}
    counts = []
    for kind in KINDS:
        found = by_kind.get(kind, [])
        if len(found) > 1:
            errors.append(
                Issue(
                    display_path(folder),
                    f"có {len(found)} nguồn cho cùng loại '{kind}': "
                    f"{'; '.join(s.label for s in found)}. Chỉ giữ một nguồn.",
                )
            )
            continue
        if not found:
            tables[kind] = empty_table(kind).reset_index(names="source_row")
            continue
        try:
            df, c, w = load_kind(kind, found[0], plan)
        except DataError as exc:
            errors.extend(exc.issues)
            continue
        tables[kind] = df
        counts.append(c)
        warnings.extend(w)
        if c["rows_not_entered"]:
            warnings.append(
                Issue(
                    c["file"],
                    f"{c['rows_not_entered']} dòng chưa nhập số liệu (chỉ có mã, kỳ) — không dùng",
                    severity="warning",
                )
            )
    if errors:
        raise DataError(errors, title="Số liệu tiến độ có lỗi, cần sửa trước khi đánh giá")
    source_cols = ["kind", "file", "rows_read", "rows_used", "rows_not_entered", "blank_rows"]
    return Progress(
        **tables,
        sources=pd.DataFrame(counts, columns=source_cols),
        warnings=warnings,
        meta=_read_meta(folder),
        path=folder,
    )
