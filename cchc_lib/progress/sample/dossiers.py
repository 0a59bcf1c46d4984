"""The one-stop dossier log and the petitions (phản ánh, kiến nghị) of the sample year."""

from __future__ import annotations

import datetime as dt

import numpy as np

from cchc_lib.progress.sample.calendar import _Calendar
from cchc_lib.progress.sample.common import (
    DIRECT,
    DISSATISFIED,
    NEUTRAL,
    NO,
    ONLINE,
    POSTAL,
    SATISFIED,
    VERY_SATISFIED,
    YES,
    _d,
    _pick,
)
from cchc_lib.progress.sample.notes import DEFAULT_APP

# --- dossiers ----------------------------------------------------------------------------

# field: (share, late probability, [(procedure, weight, working days, online logit offset)])
_FIELDS = {
    "Chứng thực": (
        0.45,
        0.004,
        (
            ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", 0.78, 0, -0.35),
            ("Chứng thực chữ ký trong các giấy tờ, văn bản", 0.12, 0, -3.0),
            ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 0.04, 2, -2.0),
            ("Chứng thực văn bản thỏa thuận phân chia di sản", 0.03, 3, -2.0),
            ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", 0.03, 2, -2.0),
        ),
    ),
    "Hộ tịch": (
        0.30,
        0.015,
        (
            ("Đăng ký khai sinh", 0.28, 0, 0.9),
            (
                "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                0.08,
                3,
                2.2,
            ),
            ("Đăng ký khai tử", 0.12, 0, 0.5),
            ("Đăng ký kết hôn", 0.12, 0, 0.2),
            ("Xác nhận tình trạng hôn nhân", 0.20, 3, 0.9),
            ("Cấp bản sao trích lục hộ tịch", 0.12, 0, 0.9),
            ("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 0.06, 3, 0.1),
            ("Đăng ký nhận cha, mẹ, con", 0.02, 3, -0.3),
        ),
    ),
    "Lao động – Thương binh và Xã hội": (
        0.10,
        0.05,
        (
            ("Xác nhận hồ sơ hưởng chế độ ưu đãi người có công", 0.15, 5, -0.2),
            ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", 0.28, 7, 0.1),
            ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", 0.12, 3, -0.5),
            ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", 0.08, 10, -0.5),
            ("Xác nhận đối tượng được miễn, giảm học phí", 0.25, 3, 0.4),
            ("Đăng ký hỗ trợ tiền điện cho hộ nghèo, hộ chính sách xã hội", 0.12, 5, 0.0),
        ),
    ),
    "Đất đai": (
        0.07,
        0.14,
        (
            ("Hòa giải tranh chấp đất đai", 0.20, 30, -1.5),
            ("Xác nhận nguồn gốc, hiện trạng sử dụng đất", 0.35, 10, -0.3),
            ("Xác nhận hồ sơ đề nghị cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 0.25, 20, -0.4),
            ("Xác nhận đơn đề nghị cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất", 0.20, 5, 0.0),
        ),
    ),
    "Xây dựng": (
        0.03,
        0.06,
        (
            ("Tiếp nhận thông báo khởi công xây dựng nhà ở riêng lẻ", 0.55, 1, 0.2),
            ("Xác nhận hiện trạng nhà ở, công trình xây dựng", 0.45, 5, -0.3),
        ),
    ),
    "Văn hóa": (
        0.02,
        0.03,
        (
            ("Xét tặng danh hiệu Gia đình văn hóa hằng năm", 0.45, 5, 0.5),
            ("Thông báo tổ chức lễ hội cấp xã", 0.30, 5, 0.0),
            ("Đăng ký tổ chức lễ hội cấp xã", 0.25, 5, 0.0),
        ),
    ),
    "Nông nghiệp": (
        0.015,
        0.05,
        (
            ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", 0.6, 10, -0.5),
            ("Xác nhận đơn đề nghị hỗ trợ giống cây trồng, vật nuôi", 0.4, 5, 0.0),
        ),
    ),
    "Thi đua – Khen thưởng": (
        0.01,
        0.03,
        (
            ("Tặng Giấy khen của Chủ tịch UBND cấp xã về thực hiện nhiệm vụ chính trị", 0.6, 10, 0.0),
            ("Tặng Giấy khen của Chủ tịch UBND cấp xã cho gia đình", 0.4, 10, 0.0),
        ),
    ),
    "Nuôi con nuôi": (0.005, 0.05, (("Đăng ký nuôi con nuôi trong nước", 1.0, 20, -0.5),)),
}
LAND_FIELD = "Đất đai"
# Share of rated dossiers whose rating is "satisfied", per field (exact, so the land target is missed).
_SATISFIED = {
    "Chứng thực": 0.93,
    "Hộ tịch": 0.92,
    "Lao động – Thương binh và Xã hội": 0.88,
    LAND_FIELD: 0.79,
    "Xây dựng": 0.85,
    "Văn hóa": 0.92,
}
_TARGET_DOSSIERS = 3500
# Month factors for the volume of dossiers: pre-Tết rush, school enrolment in summer, floods in autumn.
_MONTH_VOLUME = {
    1: 1.35,
    2: 0.85,
    3: 1.0,
    4: 0.95,
    5: 1.0,
    6: 1.1,
    7: 1.15,
    8: 1.15,
    9: 0.95,
    10: 0.85,
    11: 0.9,
    12: 1.05,
}
_MONTH_LATE = {1: 1.4, 2: 1.2, 10: 1.6, 11: 1.6}  # rush before Tết; storms and floods in autumn


def _receipts(rng, cal: _Calendar):
    """Receipt days: a Poisson count per day, weighted by working days and month volume."""
    first = np.datetime64(cal.year_start)
    last = np.datetime64(f"{cal.year}-12-31")
    days = np.arange(first, last + 1)
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    working = np.is_busday(days, holidays=cal.holidays)
    saturday = (weekday == 5) & ~np.isin(days, cal.holidays)
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    weight = np.where(working, 1.0, np.where(saturday, 0.12, 0.0)) * np.vectorize(_MONTH_VOLUME.get)(months)
    lam = weight * _TARGET_DOSSIERS / weight.sum()
    received = np.repeat(days, rng.poisson(lam))
    t = (received - first).astype("int64") / float((last - first).astype("int64"))  # 0 … 1 over the data span
    return received, t, last


def _procedures(rng, n: int) -> dict:
    """Field and procedure of each dossier, with its processing days and channel offset."""
    names = list(_FIELDS)
    shares = np.array([_FIELDS[f][0] for f in names])
    field_idx = rng.choice(len(names), size=n, p=shares / shares.sum())
    procedure = np.empty(n, dtype=object)
    proc_days = np.zeros(n, dtype=int)
    offset = np.zeros(n)
    late_p = np.zeros(n)
    for fi, name in enumerate(names):
        sel = np.flatnonzero(field_idx == fi)
        procs = _FIELDS[name][2]
        w = np.array([p[1] for p in procs])
        pick = rng.choice(len(procs), size=len(sel), p=w / w.sum())
        procedure[sel] = [procs[k][0] for k in pick]
        proc_days[sel] = [procs[k][2] for k in pick]
        offset[sel] = [procs[k][3] for k in pick]
        late_p[sel] = _FIELDS[name][1]
    field = np.array(names, dtype=object)[field_idx]
    return {"field": field, "procedure": procedure, "proc_days": proc_days, "offset": offset, "late_p": late_p}


def _channels(u, t, offset, field):
    """The online share rises through the year; fields differ (hộ tịch high, chứng thực low)."""
    base = 0.15 + 0.37 * t
    logit = np.log(base / (1 - base)) + offset + 0.3
    online = u[:, 0] < 1 / (1 + np.exp(-logit))
    postal_p = np.where(np.isin(field, ["Lao động – Thương binh và Xã hội", LAND_FIELD, "Nuôi con nuôi"]), 0.02, 0.004)
    postal = ~online & (u[:, 1] < postal_p)
    return online, np.where(online, ONLINE, np.where(postal, POSTAL, DIRECT))


def _returns(rng, u, cal: _Calendar, received, p: dict, last):
    """Due date (received + working days) and return date: on time, late, or still pending."""
    proc_days, field, hol = p["proc_days"], p["field"], cal.holidays
    due = np.where(proc_days == 0, received, np.busday_offset(received, proc_days, roll="forward", holidays=hol))
    rec_month = received.astype("datetime64[M]").astype(int) % 12 + 1
    late = u[:, 2] < p["late_p"] * np.vectorize(lambda m: _MONTH_LATE.get(m, 1.0))(rec_month)
    lo = np.where(proc_days <= 1, 0, proc_days - np.maximum(1, proc_days // 2))
    k = lo + np.floor(u[:, 3] * (proc_days - lo + 1)).astype(int)
    on_time_return = np.where(k == 0, received, np.busday_offset(received, k, roll="forward", holidays=hol))
    delay = 1 + np.floor(u[:, 4] * np.where(field == LAND_FIELD, 15, 5)).astype(int)
    late_return = np.busday_offset(due, delay, roll="forward", holidays=hol)
    returned = np.where(late, late_return, on_time_return).astype("datetime64[D]")
    returned = np.where(returned > last, np.datetime64("NaT"), returned)
    # A few dossiers stuck past their due date at year end (waiting for a site check, another agency).
    stuck_pool = np.flatnonzero(
        np.isin(field, [LAND_FIELD, "Lao động – Thương binh và Xã hội", "Xây dựng"])
        & (due >= np.datetime64(f"{cal.year}-10-01"))
        & (due <= np.datetime64(f"{cal.year}-12-10"))
        & ~np.isnat(returned)
    )
    if len(stuck_pool):
        returned[rng.choice(stuck_pool, size=min(5, len(stuck_pool)), replace=False)] = np.datetime64("NaT")
    return due, returned


def _ratings(rng, u, field, pending, is_late):
    """About 40 % of resolved dossiers rated (land 50 %); exact satisfied share per field,
    the unsatisfied ones drawn mostly among late dossiers."""
    rating = np.full(len(field), None, dtype=object)
    rated = ~pending & (u[:, 7] < np.where(field == LAND_FIELD, 0.5, 0.4))
    for name in _FIELDS:
        idx = np.flatnonzero(rated & (field == name))
        if not len(idx):
            continue
        n_unsat = len(idx) - int(round(_SATISFIED.get(name, 0.9) * len(idx)))
        w = np.where(is_late[idx], 6.0, 1.0)
        unsat = rng.choice(idx, size=n_unsat, replace=False, p=w / w.sum()) if n_unsat else np.array([], dtype=int)
        sat = np.setdiff1d(idx, unsat)
        rating[sat] = np.where(rng.random(len(sat)) < 0.35, VERY_SATISFIED, SATISFIED)
        rating[unsat] = np.where(rng.random(len(unsat)) < 0.7, NEUTRAL, DISSATISFIED)
    return rating


def _gen_dossiers(plan, rng, cal: _Calendar) -> list[dict]:
    # The draws happen in a fixed order (receipts, procedures, uniforms, stuck, ratings,
    # numbering): changing it changes every sample file.
    received, t, last = _receipts(rng, cal)
    n = len(received)
    p = _procedures(rng, n)
    field = p["field"]
    u = rng.random((n, 8))
    online, channel = _channels(u, t, p["offset"], field)
    due, returned = _returns(rng, u, cal, received, p, last)
    pending = np.isnat(returned)
    is_late = ~pending & (returned > due)
    # Digitisation: online dossiers are electronic; paper ones are scanned more and more often.
    dossier_dig = online | (u[:, 5] < 0.55 + 0.22 * t)
    result_dig = u[:, 6] < 0.62 + 0.24 * t
    rating = _ratings(rng, u, field, pending, is_late)

    # Dossier numbers run by receipt year, as in the one-stop system.
    order = np.lexsort((np.arange(n), received))
    start_prev = int(rng.integers(3100, 3600))  # dossiers the previous year had logged by 15/12
    rows = []
    counters = {cal.year - 1: start_prev, cal.year: 0}
    for i in order:
        y = int(str(received[i])[:4])
        counters[y] = counters.get(y, 0) + 1
        rows.append(
            {
                "dossier_id": f"HS-{y}-{counters[y]:06d}",
                "field": field[i],
                "procedure": p["procedure"][i],
                "received_date": _d(received[i]),
                "due_date": _d(due[i]),
                "returned_date": _d(returned[i]),
                "channel": channel[i],
                "dossier_digitized": YES if dossier_dig[i] else NO,
                "result_digitized": "" if pending[i] else (YES if result_dig[i] else NO),
                "rating": rating[i],
            }
        )
    return rows


# --- feedback ----------------------------------------------------------------------------

_PETITIONS = (
    "Đề nghị sửa chữa đèn chiếu sáng tuyến đường liên thôn bị hỏng",
    "Phản ánh rác thải tồn đọng ven đường ra bãi biển",
    "Đề nghị hướng dẫn thủ tục cấp đổi Giấy chứng nhận quyền sử dụng đất",
    "Phản ánh việc trả kết quả chứng thực chậm so với giấy hẹn",
    "Kiến nghị nạo vét mương thoát nước trước mùa mưa bão",
    "Phản ánh tiếng ồn karaoke sau 22 giờ tại khu dân cư",
    "Đề nghị hỗ trợ cài đặt {app} cho người cao tuổi",
    "Phản ánh lấn chiếm hành lang đường giao thông để kinh doanh",
    "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi từ đủ 75 tuổi",
    "Phản ánh tình trạng sạt lở bờ biển sau đợt triều cường",
    "Kiến nghị sửa chữa đoạn đường bê tông bị hư hỏng",
    "Phản ánh không nộp được hồ sơ trên Cổng Dịch vụ công quốc gia",
    "Đề nghị công khai danh sách hộ nghèo, hộ cận nghèo năm mới",
    "Phản ánh tình trạng chăn thả gia súc tự do trên tuyến đường chính",
    "Phản ánh nước sinh hoạt yếu vào giờ cao điểm",
    "Đề nghị đính chính thông tin sai trong trích lục khai sinh",
    "Phản ánh đổ trộm phế thải xây dựng ven đầm phá",
    "Kiến nghị hỗ trợ ngư dân sửa chữa thuyền bị hư hỏng do bão",
    "Phản ánh thái độ phục vụ của công chức tại Bộ phận một cửa",
    "Đề nghị bố trí thêm ghế chờ tại Bộ phận một cửa",
    "Phản ánh cây xanh có nguy cơ gãy đổ trước trường tiểu học",
    "Đề nghị hướng dẫn thủ tục đăng ký hưởng trợ cấp người khuyết tật",
    "Phản ánh ô nhiễm mùi từ cơ sở chăn nuôi gần khu dân cư",
    "Kiến nghị lắp đặt biển báo giảm tốc độ gần trường mầm non",
    "Phản ánh tình trạng khai thác cát trái phép ven sông",
    "Đề nghị hỗ trợ kinh phí sửa chữa nhà văn hóa thôn",
    "Phản ánh chậm chi trả tiền hỗ trợ sau thiên tai",
    "Đề nghị kiểm tra việc xây dựng công trình không phép",
    "Phản ánh hệ thống loa truyền thanh thôn phát quá sớm",
    "Kiến nghị mở rộng đường kiệt vào khu tái định cư",
    "Đề nghị hướng dẫn kích hoạt tài khoản định danh điện tử mức 2",
    "Phản ánh ngập úng cục bộ khi mưa lớn tại khu dân cư mới",
    "Đề nghị tổ chức tiêm phòng dại cho chó, mèo tại thôn",
    "Phản ánh việc thu phí vệ sinh môi trường chưa thống nhất giữa các thôn",
    "Kiến nghị tăng cường tuần tra an ninh trật tự khu vực bãi biển về đêm",
    "Đề nghị giải quyết dứt điểm tranh chấp ranh giới thửa đất giữa hai hộ",
    "Phản ánh máy tra cứu TTHC tại Bộ phận một cửa không hoạt động",
    "Đề nghị hướng dẫn thanh toán phí, lệ phí trực tuyến",
)


def _gen_feedback(plan, rng, cal: _Calendar) -> list[dict]:
    year = cal.year
    n = int(rng.integers(28, 37))
    jan2, dec9 = dt.date(year, 1, 2), dt.date(year, 12, 9)
    received = sorted(cal.random_workday(rng, jan2, dec9) for _ in range(n - 1))
    received.append(cal.random_workday(rng, dt.date(year, 12, 16), dt.date(year, 12, 23)))  # pending at year end
    app = plan.term("citizen_app", DEFAULT_APP)
    picks = rng.permutation(max(n, len(_PETITIONS)))[:n]
    summaries = [_PETITIONS[i % len(_PETITIONS)].format(app=app) for i in picks]
    late = set(int(i) for i in rng.choice(n - 1, size=int(rng.integers(1, 3)), replace=False))
    rows = []
    for i, day in enumerate(received):
        due = day + dt.timedelta(days=int(rng.integers(10, 16)))
        resolved = None
        if i == n - 1:
            resolved = None
        elif i in late:
            resolved = min(due + dt.timedelta(days=int(rng.integers(2, 13))), dt.date(year, 12, 31))
        else:
            resolved = day + dt.timedelta(days=int(rng.integers(2, (due - day).days + 1)))
        rating = None
        if resolved is not None and rng.random() < 0.45:
            if i in late:
                rating = _pick(rng, (NEUTRAL, DISSATISFIED))
            else:
                rating = SATISFIED if rng.random() < 0.85 else NEUTRAL
        rows.append(
            {
                "feedback_id": f"PAKN-{year}-{i + 1:03d}",
                "received_date": _d(day),
                "due_date": _d(due),
                "resolved_date": _d(resolved),
                "rating": rating,
                "summary": summaries[i],
            }
        )
    return rows
