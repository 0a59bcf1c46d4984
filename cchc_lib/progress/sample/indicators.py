"""Entered indicator values of the sample year: quarterly paths towards each target."""

from __future__ import annotations

import math

import numpy as np

from cchc_lib.assessment.engine import load_rules
from cchc_lib.progress.sample.calendar import _Calendar
from cchc_lib.progress.sample.common import _num, _pick

# --- indicators --------------------------------------------------------------------------

# What a percentage's denominator counts, from the plan's wording: (keywords, low, high).
_DENOMINATORS = (
    (("máy tính",), 16, 24),
    (("hệ thống thông tin",), 3, 6),
    (("thôn", "tổ dân phố"), 6, 12),
    (("hộ gia đình",), 1800, 2600),
    (("từ 15 tuổi",), 5200, 6800),
    (("người dân trên địa bàn",), 7500, 9200),
    (("được khảo sát",), 150, 260),
    (("cán bộ", "công chức", "viên chức"), 18, 26),
    (("giải pháp",), 4, 8),
    (("văn bản", "vbqppl"), 3, 8),
    (("quyết định công bố",), 3, 6),
    (("cơ quan, đơn vị",), 3, 6),
    (("dịch vụ công trực tuyến",), 60, 95),
    (("tthc",), 105, 130),
)

_SOURCES = (
    (("văn bản điện tử", "chữ ký số"), "Hệ thống quản lý văn bản và điều hành"),
    (("ứng dụng công dân", "ví điện tử"), "Số liệu của Tổ công nghệ số cộng đồng"),
    (("định danh điện tử",), "Số liệu của Công an xã"),
    (("internet", "điện thoại thông minh", "thanh toán điện tử"), "Tổ công nghệ số cộng đồng; doanh nghiệp viễn thông"),
    (("hài lòng",), "Kết quả khảo sát của UBND xã"),
    (("hồ sơ", "dvctt", "tthc", "một cửa"), "Hệ thống thông tin giải quyết TTHC của tỉnh"),
)

_APP_SOURCE = "Số liệu của Tổ công nghệ số cộng đồng"

_INDICATOR_NOTES = (
    "Số liệu tạm tính đến ngày chốt báo cáo",
    "Theo danh sách cập nhật đầu năm",
    "Đã đối chiếu với báo cáo của các thôn",
    "Số liệu ước tính",
)


def _unit_abbr(name: str) -> str:
    """'Văn hoá – Xã hội' → 'VH-XH'."""
    parts = [p for p in (s.strip() for s in name.replace("—", "–").replace("-", "–").split("–")) if p]
    return "-".join("".join(w[0].upper() for w in p.split()) for p in parts)


def _source(t, unit_names: dict, levels: dict, app: str = "") -> str:
    text = str(t.indicator).casefold()
    if app and app.casefold() in text:  # the plan's citizen app (meta.toml [terms] citizen_app)
        return _APP_SOURCE
    for keys, source in _SOURCES:
        if any(k in text for k in keys):
            return source
    unit = t.lead_unit_id if isinstance(t.lead_unit_id, str) else None
    name = unit_names.get(unit)
    if not name:
        return "Báo cáo của UBND xã"
    if levels.get(unit) == "commune" and any(d in name for d in "–—-"):
        return f"Báo cáo của công chức {_unit_abbr(name)}"
    return f"Báo cáo của {name}"


def _denominator(t, rng) -> int | None:
    # What the count is of: the wording before any parenthesis ("(trừ văn bản Mật)").
    text = (t.denominator if isinstance(t.denominator, str) else "").split("(")[0].casefold()
    if not text or "hồ sơ" in text:
        return None
    for keys, lo, hi in _DENOMINATORS:
        if any(k in text for k in keys):
            return int(rng.integers(lo, hi + 1))
    return None


def _final_value(tv: float, comparator: str, unit: str, outcome: str, rng) -> float:
    """Year-end value for an outcome: 'met', 'near' (slightly short), 'missed'."""
    up = comparator != "≤"  # '≥' and '=' are approached from below
    if unit == "percent":
        room = 100 - tv if up else tv
        if outcome == "met":
            gain = 0 if comparator == "=" else rng.uniform(0, min(12, room)) * (rng.random() < 0.7)
            v = tv + gain if up else tv - gain
        elif outcome == "near":
            v = tv - rng.uniform(1, 5) if up else tv + rng.uniform(1, 5)
        else:
            v = tv - rng.uniform(10, 25) if up else tv + rng.uniform(10, 25)
        return float(np.clip(v, 0, 100))
    if unit == "rating":
        return float(np.clip(tv if outcome == "met" else tv - 1, 1, 4))
    if comparator == "=" and tv == 0:  # "= 0" (no disciplined official): a miss is one or two
        return 0.0 if outcome == "met" else float(1 + (outcome == "missed"))
    step = {"met": 0.0, "near": 0.15, "missed": 0.4}[outcome]
    if unit == "per_month":
        return max(0.0, tv * (1 - step) if up else tv * (1 + step))
    return max(0.0, round(tv * (1 - step)) if up else round(tv * (1 + step)))


def _numerators(values, den: int, tv: float, up: bool, outcome: str) -> list[int]:
    """Counts out of ``den`` that follow a percentage path, never falling back, with the
    year-end outcome kept (a miss stays below the target after rounding, a hit reaches it)."""
    need = math.ceil(tv * den / 100 - 1e-9)  # smallest count that meets a '≥' target
    nums = np.clip(np.round(np.asarray(values, dtype=float) * den / 100), 0, den).astype(int)
    if up:
        if outcome == "met":
            nums[-1] = max(nums[-1], need)
        else:
            nums = np.minimum(nums, max(0, need - 1))
        nums = np.maximum.accumulate(nums)
    else:  # '≤': the count falls towards the ceiling
        ceiling = math.floor(tv * den / 100 + 1e-9)
        if outcome == "met":
            nums[-1] = min(nums[-1], ceiling)
        else:
            nums = np.maximum(nums, min(den, ceiling + 1))
        nums = np.minimum.accumulate(nums)
    return [int(x) for x in nums]


def _gen_indicators(plan, rng, cal: _Calendar) -> list[dict]:
    t = plan.targets
    kpi = t["kpi"].astype("string").fillna("").str.strip()
    chosen = t[t["measurable"].astype(bool) & (kpi == "")].sort_values("target_id")
    unit_names = dict(zip(plan.units["unit_id"], plan.units["name"]))
    levels = dict(zip(plan.units["unit_id"], plan.units["level"]))
    n = len(chosen)
    n_missed = max(1, round(0.12 * n)) if n >= 4 else 0
    n_near = max(1, round(0.28 * n)) if n >= 3 else 0
    outcomes = np.array(["met"] * n, dtype=object)
    perm = rng.permutation(n)
    outcomes[perm[:n_missed]] = "missed"
    outcomes[perm[n_missed : n_missed + n_near]] = "near"
    # An "=" target overshot (2 disciplined officials against "= 0") belongs in a year that
    # exercises the rules: when every "=" target would be met, the first one is not.
    equal = np.flatnonzero((chosen["comparator"] == "=").to_numpy())
    if len(equal) and (outcomes[equal] == "met").all():
        outcomes[equal[0]] = "missed"
    annual = set(load_rules(plan)["targets"]["annual_targets"])  # surveys: one value, at year end
    nq = len(cal.quarters)
    # A couple of targets lack a value in one quarter (the row is simply absent).
    gaps = {int(i): int(rng.integers(nq - 1)) for i in rng.choice(n, size=min(2, n), replace=False)} if n else {}
    rows = []
    for i, tr in enumerate(chosen.itertuples()):
        tv, comp, unit = float(tr.target_value), str(tr.comparator), str(tr.unit)
        outcome = outcomes[i]
        final = _final_value(tv, comp, unit, outcome, rng)
        up = comp != "≤"
        den = _denominator(tr, rng) if unit == "percent" else None
        use_ratio = den is not None and ("máy tính" in str(tr.denominator).casefold() or rng.random() < 0.4)
        source = _source(tr, unit_names, levels, plan.term("citizen_app"))
        if unit == "percent":
            already = tv >= 100 and outcome == "met" and rng.random() < 0.3  # steady 100 % all year
            gap = 0.0 if already else rng.uniform(6, 25)
            if not up:  # a ceiling ("≤ 2%") is approached from a few points above, not from 25
                gap = min(gap, tv * gap / 12 + 1)
            steps = np.sort(rng.uniform(0, 1, nq - 1))
            frac = np.append(np.clip(steps * np.array([0.6, 0.85, 1.0][: nq - 1]), 0, 1), 1.0)
            values = final - gap * (1 - frac) if up else final + gap * (1 - frac)
            values = np.clip(values, 0, 100)
            values = np.maximum.accumulate(values) if up else np.minimum.accumulate(values)
            values = np.round(values, 1)
            values[-1] = round(final, 1)
            if outcome != "met":  # rounding must not turn a miss into a hit
                values[-1] = min(values[-1], tv - 0.1) if up else max(values[-1], tv + 0.1)
            values = np.maximum.accumulate(values) if up else np.minimum.accumulate(values)
        elif unit == "per_month":
            target_q = max(1, math.ceil(tv * 3 - 1e-9))
            final_q = {"met": target_q + int(rng.integers(0, 2)), "near": target_q - 1, "missed": max(0, target_q - 2)}[
                outcome
            ]
            counts = [max(0, final_q + int(rng.integers(-1, 2))) for _ in range(nq - 1)] + [final_q]
            values = np.array(counts, dtype=float) / 3
        elif unit == "rating":
            values = np.full(nq, final)
        else:  # count: cumulative, growing to the year-end figure
            frac = np.array([(q + 1) / nq for q in range(nq)])
            values = np.round(final * frac)
        nums = _numerators(values, den, tv, up, outcome) if use_ratio else None
        for qi, q in enumerate(cal.quarters):
            if gaps.get(i) == qi:
                continue
            row = {
                "target_id": tr.target_id,
                "period": q["code"],
                "value": None,
                "numerator": None,
                "denominator": None,
                "source": source,
                "note": _pick(rng, _INDICATOR_NOTES) if rng.random() < 0.12 else None,
            }
            if nums is not None:
                row["numerator"], row["denominator"] = str(nums[qi]), str(den)
            else:
                row["value"] = _num(float(values[qi]), 2 if unit == "per_month" else 1)
            if tr.target_id in annual and qi < nq - 1:
                continue  # drawn all the same, so that other targets keep their numbers
            rows.append(row)
    rows.sort(key=lambda r: (r["period"], r["target_id"]))
    return rows
