"""Values the commands share, checked before any work starts: the plan, argument values, folders.

A value the user can correct ends as ``OptionError`` (exit 2) naming the option and what to do.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from cchc_lib.core.paths import choose_plan


class OptionError(Exception):
    """A command-line value the user can correct; the message names the option."""


def resolve_plan(args: argparse.Namespace) -> str:
    """``--plan``, or the plan ``--data`` lies under, or the only one there is; kept in ``args.plan``."""
    args.plan = str(choose_plan(args.plan, getattr(args, "data", None)))
    return args.plan


def chosen_plan(args: argparse.Namespace):
    """The plan of ``_resolve_plan``, loaded and validated."""
    from cchc_lib.plan.model import load_plan

    return load_plan(resolve_plan(args))


def shown(value: str) -> str:
    """A value as typed, with control characters made visible (never echoed raw)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in str(value))


def check_formats(text: str) -> tuple[str, ...]:
    """``--formats``: known formats only (the list is ``cchc_lib.report.formats.FORMATS``)."""
    from cchc_lib.report.formats import FORMATS, split_formats

    known, unknown = split_formats(text)
    choices = ", ".join(FORMATS)
    if unknown:
        names = ", ".join(f"'{shown(u)}'" for u in unknown)
        raise OptionError(
            f"Tùy chọn --formats: không có định dạng {names}. Các định dạng có: {choices} "
            "(cách nhau bằng dấu phẩy, ví dụ --formats html,pdf)."
        )
    if not known:
        raise OptionError(f"Tùy chọn --formats: chưa chọn định dạng nào. Các định dạng có: {choices}.")
    return known


def check_report_date(text: str | None) -> str:
    """``--report-date`` as dd/mm/yyyy or yyyy-mm-dd; returned as yyyy-mm-dd ("" = today)."""
    if not text or not text.strip():
        return ""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day.isoformat()
    raise OptionError(
        f"Tùy chọn --report-date: '{shown(text)}' không phải một ngày có thật. "
        "Ghi theo dạng dd/mm/yyyy hoặc yyyy-mm-dd, ví dụ 20/06/2024 hoặc 2024-06-20."
    )


def check_output_folder(text: str, option: str = "--out") -> Path:
    """A folder the run can write into: made here if missing (as the run would), writable."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise OptionError(
            f"Tùy chọn {option}: '{shown(text)}' là một tệp, không phải thư mục. "
            f"Hãy chỉ một thư mục (chưa có thì sẽ được tạo), ví dụ {option} reports."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(
            f"Tùy chọn {option}: không tạo được thư mục '{shown(text)}' ({_reason(exc)}). Hãy chọn thư mục khác."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OptionError(
            f"Tùy chọn {option}: không có quyền ghi vào thư mục '{shown(text)}'. "
            f"Hãy chọn thư mục khác bằng {option}, hoặc nhờ người quản trị máy cấp quyền ghi."
        )
    return path


def _reason(exc: OSError) -> str:
    import errno

    words = {
        errno.EACCES: "không có quyền ghi",
        errno.EPERM: "không có quyền ghi",
        errno.EROFS: "ổ đĩa chỉ cho đọc",
        errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
        errno.ENOENT: "đường dẫn không tồn tại",
        errno.ENOSPC: "ổ đĩa đã đầy",
    }
    return words.get(exc.errno, exc.strerror or str(exc))


def check_data_folder(data: str | None, plan: str) -> None:
    """``--data`` names a folder: a file there gets its own message, not "folder not found"."""
    from cchc_lib.core.paths import plan_dir, progress_dir

    if not data:
        return
    folder = progress_dir(data, plan_dir(plan).name)
    if folder.is_file():
        raise OptionError(
            f"Tùy chọn --data: '{shown(data)}' là một tệp, không phải thư mục. Hãy chỉ thư mục chứa các tệp "
            "số liệu tiến độ (ví dụ thư mục có tệp tasks.csv hoặc tệp Excel nhập liệu), không chỉ một tệp."
        )


def check_plan_rules(plan: str) -> None:
    """The plan's own rules.toml reads as TOML with numbers where numbers belong (DataError)."""
    from cchc_lib.assessment.engine import load_rules
    from cchc_lib.core.paths import plan_dir

    rules = plan_dir(plan) / "rules.toml"
    if rules.is_file():
        load_rules(path=rules)


def check_report_args(args: argparse.Namespace) -> tuple[tuple[str, ...], str]:
    """What ``cchc report`` checks first, before loading anything: (formats, report date).
    Whether this machine can make PDFs is checked by :func:`start_pdf_check`."""
    formats = check_formats(args.formats)
    report_date = check_report_date(args.report_date)
    check_output_folder(args.out)
    check_data_folder(args.data, args.plan)
    check_plan_rules(args.plan)
    return formats, report_date


def _pdf_check(cancel=None) -> None:
    from cchc_lib.report.pdf import check_pdf_support

    check_pdf_support()


def start_pdf_check(formats: tuple[str, ...]):
    """The PDF check (a child process writes a one-line PDF: a second or two) started in a
    thread, so that it runs while the inputs load; ``.result()`` raises ``PdfSupportError``
    (None when no PDF is asked for)."""
    from cchc_lib.report.background import Background

    return Background(_pdf_check) if "pdf" in formats else None


def plan_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--plan",
        help="mã kế hoạch (thư mục trong data/plans/) hoặc đường dẫn thư mục; bắt buộc khi có nhiều kế hoạch, "
        "trừ khi --data là một thư mục trong data/progress/<mã kế hoạch>/",
    )


DATA_HELP = (
    "thư mục số liệu tiến độ: đường dẫn, hoặc tên thư mục trong data/progress/<mã kế hoạch>/. "
    "Mặc định: thư mục của năm kế hoạch (data/progress/<mã kế hoạch>/<năm>/); nếu chưa có thì dùng "
    "dữ liệu mẫu và in lưu ý. 'sample' = DỮ LIỆU MẪU"
)


def data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=None, help=DATA_HELP)


def period_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """--period, --cutoff, --lang: the same three choices for assess, report and explore."""
    if required:
        p.add_argument("--period", required=True, help="kỳ báo cáo trong năm kế hoạch: <năm>-Q2, <năm>-H1 hoặc <năm>")
    else:
        p.add_argument("--period", help="kỳ mở đầu (mặc định quý I của năm kế hoạch)")
    p.add_argument("--cutoff", default="nd09", choices=["nd09", "calendar"], help="mốc số liệu (mặc định nd09)")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="ngôn ngữ (mặc định vi)")
