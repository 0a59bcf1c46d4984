"""The "Hướng dẫn" sheet: how to fill the workbook, and the quarter's commands (``workflow``)."""

from __future__ import annotations

from openpyxl.styles import Border, Font
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.core.periods import Period, describe_window, label, window
from cchc_lib.progress import workflow
from cchc_lib.progress.specs import CHANNEL_WORDS, RATING_WORDS, STATUS_WORDS
from cchc_lib.progress.template_cells import SHEET_NAMES, put

Line = tuple[str, str | None]  # (style: title | head | text | blank, text)


def _sheets_part() -> list[Line]:
    sheets = SHEET_NAMES
    return [
        ("head", "1. Các trang cần nhập"),
        (
            "text",
            f"• Trang “{sheets['indicators']}”: mỗi dòng là một chỉ tiêu đo được của kế hoạch. Nhập "
            "“Giá trị đạt được”, "
            "hoặc “Tử số” và “Mẫu số” để chương trình tự tính tỷ lệ. Ghi “Nguồn số liệu” nếu có.",
        ),
        (
            "text",
            f"• Trang “{sheets['tasks']}”: mỗi dòng là một nhiệm vụ. Chọn “Tình trạng”; nhiệm vụ có thời hạn đã "
            "“Hoàn thành” phải có “Ngày hoàn thành”. Ghi số, ký hiệu văn bản hoặc sản phẩm ở cột “Văn bản, sản phẩm”.",
        ),
        (
            "text",
            f"• Trang “{sheets['dossiers']}”: sổ theo dõi hồ sơ thủ tục hành chính, thường dán từ tệp xuất của "
            "Hệ thống thông tin giải quyết TTHC (một cửa điện tử). Mỗi hồ sơ một dòng, giữ nguyên dòng tiêu đề.",
        ),
        ("text", f"• Trang “{sheets['feedback']}”: mỗi phản ánh, kiến nghị một dòng."),
        (
            "text",
            f"• Trang “{sheets['notes']}”: nhận xét của kỳ: kết quả nổi bật, tồn tại, đề xuất — một dòng nhận xét "
            "chung (Mã lĩnh vực để trống) và một dòng cho mỗi lĩnh vực; các dòng cuối (cột “Mục báo cáo”) là "
            "từng mục của báo cáo chính thức (công tác kiểm tra, tuyên truyền, sáng kiến…): ghi vào cột “Nội dung”.",
        ),
        (
            "text",
            "• Trang nào không có số liệu thì để trống; dòng đã có sẵn mã mà không nhập gì thì chương trình "
            "coi là “chưa nhập” và không dùng, không báo lỗi.",
        ),
    ]


def _writing_part() -> list[Line]:
    status = ", ".join(STATUS_WORDS["vi"].values())
    channel = ", ".join(CHANNEL_WORDS["vi"].values())
    rating = ", ".join(RATING_WORDS["vi"].values())
    return [
        ("head", "2. Cách ghi"),
        (
            "text",
            "• Cột tiêu đề màu xanh đậm là cột nhập liệu. Cột tiêu đề màu xám là thông tin tham khảo lấy từ kế hoạch "
            "(nội dung, chỉ tiêu kế hoạch, thời hạn, số liệu kỳ trước): không cần sửa, chương trình "
            "không đọc các cột này.",
        ),
        ("text", "• Không đổi tên các trang, không sửa dòng tiêu đề, không xóa cột mã và cột “Kỳ báo cáo”."),
        ("text", f"• Tình trạng nhiệm vụ: {status}."),
        ("text", f"• Hình thức nộp hồ sơ: {channel}."),
        ("text", f"• Đánh giá (mức độ hài lòng): {rating}."),
        ("text", "• Số hóa hồ sơ, số hóa kết quả: Có hoặc Không."),
        (
            "text",
            "• Ngày tháng ghi dạng dd/mm/yyyy, ví dụ 14/06/2024. Nếu máy tính cài định dạng tiếng Anh (Mỹ), "
            "gõ 2024-06-14 để Excel không đảo ngày và tháng.",
        ),
        ("text", "• Tỷ lệ phần trăm ghi số trên thang 0–100: ghi 42,5 (không ghi 0,425 và không gõ dấu %)."),
        ("text", "• Số không dùng dấu phân cách hàng nghìn: ghi 1250, không ghi 1.250."),
        ("text", "• Xếp loại ghi bằng số: 1 yếu, 2 trung bình, 3 khá, 4 tốt."),
    ]


def _saving_part(plan, period: Period) -> list[Line]:
    folder = workflow.folder(plan.plan_id, plan.year)
    commands = workflow.commands(plan.plan_id, plan.year, period.code)
    return [
        ("head", "3. Lưu tệp và lập báo cáo"),
        (
            "text",
            f"• Lưu tệp (định dạng .xlsx) vào thư mục của năm: {folder} — tệp của mọi kỳ trong năm để chung "
            "một thư mục, cạnh nhau (cùng với tệp xuất CSV/Excel nếu có); chương trình tự gộp, "
            "số liệu trùng nhau chỉ tính một lần.",
        ),
        (
            "text",
            "• Nhiệm vụ đã hoàn thành ở kỳ trước được chuyển sang (cột “Chuyển sang từ kỳ trước”): không cần nhập lại. "
            "Nhiệm vụ thường xuyên vẫn cần báo cáo mỗi kỳ. Sửa số liệu của kỳ trước ngay trong tệp của kỳ đó.",
        ),
        ("text", "• Các lệnh của mỗi kỳ (theo thứ tự):"),
        *[("text", f"    {i}. {c}") for i, c in enumerate(commands, start=1)],
        (
            "text",
            "• Nếu số liệu có lỗi, chương trình báo tên trang, số dòng và tên cột cần sửa; sửa trong "
            "tệp này rồi chạy lại.",
        ),
        ("text", "• Trang “Hướng dẫn” này không được đọc như số liệu."),
    ]


def write_instructions(ws: Worksheet, plan, period: Period) -> None:
    """The guide sheet: which sheets to fill, how to write values, where to save and what to run."""
    win = window(period)
    lines: list[Line] = [
        ("title", "HƯỚNG DẪN NHẬP SỐ LIỆU TIẾN ĐỘ CẢI CÁCH HÀNH CHÍNH"),
        ("text", f"{plan.meta.get('title', '')}".strip()),
        ("text", f"Kỳ báo cáo: {label(period)} (mã {period.code}); số liệu tính {describe_window(win)}."),
        ("blank", None),
        *_sheets_part(),
        ("blank", None),
        *_writing_part(),
        ("blank", None),
        *_saving_part(plan, period),
    ]
    ws.column_dimensions["A"].width = 120
    for row, (style, text) in enumerate(lines, start=1):
        if text is None:
            continue
        cell = put(ws, row, 1, text, wrap=True)
        cell.border = Border()
        if style == "title":
            cell.font = Font(bold=True, size=14, color="1F4E78")
        elif style == "head":
            cell.font = Font(bold=True, size=12)
    ws.sheet_view.showGridLines = False
