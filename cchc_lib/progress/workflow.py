"""The analyst's quarter in commands, written once.

The workbook's "Hướng dẫn" sheet, ``cchc template --help``, README "Each quarter" and
docs/progress-data.md all show these commands; a test compares them, so the four cannot
say different things again.
"""

from __future__ import annotations

STEPS = (
    "mẫu nhập liệu của kỳ (đã ghi sẵn phần chuyển sang từ các kỳ trước), lưu vào thư mục của năm",
    "kiểm tra và xem đánh giá trên màn hình",
    "lập báo cáo",
)


def folder(plan_id: str, year: int | str) -> str:
    return f"data/progress/{plan_id}/{year}/"


def commands(plan_id: str, year: int | str, period: str) -> list[str]:
    """The three commands of one quarter, in order."""
    return [
        f"cchc template --plan {plan_id} --period {period} --data {year} --out {folder(plan_id, year)}",
        f"cchc assess --plan {plan_id} --period {period} --data {year}",
        f"cchc report --plan {plan_id} --period {period} --data {year}",
    ]


def help_epilog() -> str:
    lines = [
        "Mỗi quý (một thư mục cho cả năm: các tệp của từng quý để cạnh nhau, chương trình tự gộp):",
    ]
    for step, command in zip(STEPS, commands("<mã-kế-hoạch>", "<năm>", "<kỳ>")):
        lines.append(f"  {command}")
        lines.append(f"      → {step}")
    return "\n".join(lines)
