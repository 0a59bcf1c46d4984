"""Synthetic one-stop dossier logs for benchmarks (a city's year: ~1,000,000 rows).

``typed_dossiers`` builds the typed table that ``progress.load_dossiers`` returns;
``write_commune_csv`` writes it the way a commune's one-stop system exports it (UTF-8,
dd/mm/yyyy dates, Vietnamese words for channel, rating and yes/no), and
``write_parquet`` writes the typed table as Parquet.

Everything is drawn from a seeded NumPy generator, so a given ``rows``/``seed`` always
gives the same file and the same KPIs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FIELDS = (
    ("Hộ tịch", 0.34, "Đăng ký khai sinh", 3),
    ("Chứng thực", 0.30, "Chứng thực bản sao từ bản chính", 0),
    ("Đất đai", 0.10, "Đăng ký biến động đất đai", 10),
    ("Lao động – Thương binh và Xã hội", 0.08, "Xác nhận hộ nghèo, cận nghèo", 5),
    ("Tư pháp", 0.06, "Xác nhận tình trạng hôn nhân", 3),
    ("Văn hóa – Thông tin", 0.04, "Công nhận gia đình văn hóa", 7),
    ("Xây dựng", 0.04, "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15),
    ("Nông nghiệp", 0.04, "Hỗ trợ thiệt hại do thiên tai", 10),
)
CHANNEL_CODES = ("online", "direct", "postal")
CHANNEL_VI = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}
RATING_VI = {"satisfied": "Hài lòng", "neutral": "Bình thường", "dissatisfied": "Không hài lòng"}
YES_NO_VI = {True: "Có", False: "Không"}

CSV_COLUMNS = {  # typed column → header of the commune export (the loader's display headers)
    "dossier_id": "Mã hồ sơ",
    "field": "Lĩnh vực",
    "procedure": "Tên thủ tục",
    "received_date": "Ngày tiếp nhận",
    "due_date": "Ngày hẹn trả",
    "returned_date": "Ngày trả kết quả",
    "channel": "Hình thức nộp",
    "dossier_digitized": "Số hóa hồ sơ",
    "result_digitized": "Số hóa kết quả",
    "rating": "Đánh giá",
}


def typed_dossiers(rows: int = 1_000_000, seed: int = 2024) -> pd.DataFrame:
    """A year of dossiers received 15/12/2023–14/12/2024, exported on 14/12/2024."""
    rng = np.random.default_rng(seed)
    names, weights, procedures, legal_days = zip(*FIELDS)
    f = rng.choice(len(names), size=rows, p=np.array(weights) / sum(weights))
    start = np.datetime64("2023-12-15")
    export_day = np.datetime64("2024-12-14")
    received = start + rng.integers(0, (export_day - start).astype(int) + 1, rows).astype("timedelta64[D]")
    legal = np.array(legal_days)[f]
    spot = legal == 0
    due = received + legal.astype("timedelta64[D]")
    # Most dossiers come back before the due date, ~8% late; on-the-spot ones the same day.
    took = np.where(spot, 0, np.maximum(0, legal - 1 - rng.poisson(1.0, rows)))
    late = rng.random(rows) < 0.08
    took = np.where(late & ~spot, legal + 1 + rng.poisson(3.0, rows), took)
    returned = received + took.astype("timedelta64[D]")
    returned = np.where(returned > export_day, np.datetime64("NaT"), returned)
    channel = rng.choice(3, size=rows, p=[0.45, 0.50, 0.05])
    rating_pick = rng.choice(4, size=rows, p=[0.50, 0.08, 0.02, 0.40])  # last = not rated
    rating_pick = np.where(np.isnat(returned), 3, rating_pick)
    rating = pd.Series(
        pd.Categorical.from_codes(np.where(rating_pick == 3, -1, rating_pick), categories=list(RATING_VI))
    ).astype("str")
    return pd.DataFrame(
        {
            "dossier_id": pd.Series(np.char.add("HS-", np.arange(rows).astype(str)), dtype="str"),
            "field": pd.Series(np.array(names, dtype=object)[f], dtype="str"),
            "procedure": pd.Series(np.array(procedures, dtype=object)[f], dtype="str"),
            "received_date": pd.to_datetime(received).as_unit("ns"),
            "due_date": pd.to_datetime(np.where(spot, np.datetime64("NaT"), due)).as_unit("ns"),
            "returned_date": pd.to_datetime(returned).as_unit("ns"),
            "channel": pd.Series(np.array(CHANNEL_CODES, dtype=object)[channel], dtype="str"),
            "dossier_digitized": rng.random(rows) < 0.7,
            "result_digitized": rng.random(rows) < 0.6,
            "rating": rating,
        }
    )


def write_commune_csv(df: pd.DataFrame, path: Path) -> Path:
    """The typed table as a commune export: Vietnamese headers and words, dd/mm/yyyy."""
    out = pd.DataFrame(
        {
            CSV_COLUMNS["dossier_id"]: df["dossier_id"],
            CSV_COLUMNS["field"]: df["field"],
            CSV_COLUMNS["procedure"]: df["procedure"],
        }
    )
    for col in ("received_date", "due_date", "returned_date"):
        out[CSV_COLUMNS[col]] = df[col].dt.strftime("%d/%m/%Y").fillna("")
    out[CSV_COLUMNS["channel"]] = df["channel"].map(CHANNEL_VI)
    for col in ("dossier_digitized", "result_digitized"):
        out[CSV_COLUMNS[col]] = df[col].map(YES_NO_VI)
    out[CSV_COLUMNS["rating"]] = df["rating"].map(RATING_VI).fillna("")
    out.to_csv(path, index=False, encoding="utf-8")
    return path


def write_parquet(df: pd.DataFrame, path: Path) -> Path:
    df.to_parquet(path, index=False)
    return path
