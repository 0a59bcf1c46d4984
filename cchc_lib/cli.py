"""The ``cchc`` command: argument parsing and messages only; the work is in cchc_lib."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from cchc_lib.core.errors import DataError
from cchc_lib.core.paths import PlanChoiceError, choose_plan
from cchc_lib.core.periods import PeriodError
from cchc_lib.i18n.fmt import FormatError
from cchc_lib.plan.deadlines import DeadlineError
from cchc_lib.report.pdf import PdfSupportError


class OptionError(Exception):
    """A command-line value the user can correct; the message names the option."""


USER_ERRORS = (DataError, PeriodError, DeadlineError, FormatError, OptionError, PdfSupportError, PlanChoiceError)


def _resolve_plan(args: argparse.Namespace) -> str:
    """``--plan``, or the plan ``--data`` lies under, or the only one there is; kept in ``args.plan``."""
    args.plan = str(choose_plan(args.plan, getattr(args, "data", None)))
    return args.plan


def _plan(args: argparse.Namespace):
    """The plan of ``_resolve_plan``, loaded and validated."""
    from cchc_lib.plan.model import load_plan

    return load_plan(_resolve_plan(args))


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r):  # first two columns (id, name) left-aligned, counts right-aligned
        return "  ".join(str(c).ljust(w) if i <= 1 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "GHI CHÚ"}


# -- argument values, checked before any work starts ------------------------------------------


def _shown(value: str) -> str:
    """A value as typed, with control characters made visible (never echoed raw)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in str(value))


def check_formats(text: str) -> tuple[str, ...]:
    """``--formats``: known formats only (the list is ``cchc_lib.report.formats.FORMATS``)."""
    from cchc_lib.report.formats import FORMATS, split_formats

    known, unknown = split_formats(text)
    choices = ", ".join(FORMATS)
    if unknown:
        names = ", ".join(f"'{_shown(u)}'" for u in unknown)
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
        f"Tùy chọn --report-date: '{_shown(text)}' không phải một ngày có thật. "
        "Ghi theo dạng dd/mm/yyyy hoặc yyyy-mm-dd, ví dụ 20/06/2024 hoặc 2024-06-20."
    )


def check_output_folder(text: str, option: str = "--out") -> Path:
    """A folder the run can write into: made here if missing (as the run would), writable."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise OptionError(
            f"Tùy chọn {option}: '{_shown(text)}' là một tệp, không phải thư mục. "
            f"Hãy chỉ một thư mục (chưa có thì sẽ được tạo), ví dụ {option} reports."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(
            f"Tùy chọn {option}: không tạo được thư mục '{_shown(text)}' ({_reason(exc)}). Hãy chọn thư mục khác."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OptionError(
            f"Tùy chọn {option}: không có quyền ghi vào thư mục '{_shown(text)}'. "
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
            f"Tùy chọn --data: '{_shown(data)}' là một tệp, không phải thư mục. Hãy chỉ thư mục chứa các tệp "
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
    """Everything ``cchc report`` can check before a kernel starts: (formats, report date)."""
    from cchc_lib.report.pdf import check_pdf_support

    formats = check_formats(args.formats)
    report_date = check_report_date(args.report_date)
    check_output_folder(args.out)
    check_data_folder(args.data, args.plan)
    check_plan_rules(args.plan)
    if "pdf" in formats:
        check_pdf_support()
    return formats, report_date


def cmd_validate(args: argparse.Namespace) -> int:
    plan = _plan(args)
    m = plan.meta
    print(f"Kế hoạch: {m['title']}")
    print(
        f"Quyết định số {m['decision_number']} ngày {m['decision_date']:%d/%m/%Y} — {m.get('issuer') or m['commune']}"
    )
    print(f"Thư mục: {plan.path}\n")
    s = plan.summary()
    rows = [[r.area_id, r.name, r.targets, r.measurable, r.tasks_section_ii, r.tasks_annex] for r in s.itertuples()]
    rows.append(["", "Tổng cộng", s.targets.sum(), s.measurable.sum(), s.tasks_section_ii.sum(), s.tasks_annex.sum()])
    print(_table(rows, ["Mục", "Lĩnh vực", "Chỉ tiêu", "Đo được", "Nhiệm vụ", "Nhiệm vụ (Phụ lục)"]))
    print(f"\nMục tiêu chung: {len(plan.objectives)}; đơn vị: {len(plan.units)} ({', '.join(plan.units['name'])})")
    findings = plan.lint()
    print(f"\nRà soát văn bản kế hoạch: {len(findings)} phát hiện")
    for f in findings.itertuples():
        print(f"  [{SEVERITY_VI.get(f.severity, f.severity)}] {f.message}")
    print("\nDữ liệu kế hoạch hợp lệ.")
    return 0


def cmd_sample_data(args: argparse.Namespace) -> int:
    from cchc_lib.progress.sample import default_sample_dir, write_sample

    plan = _plan(args)
    seed = plan.year if args.seed is None else args.seed
    out = write_sample(plan, args.out or default_sample_dir(plan), seed=seed)
    print(f"Đã ghi DỮ LIỆU MẪU (seed {seed}) cho kế hoạch {plan.plan_id} vào: {out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from cchc_lib.core.paths import progress_dir
    from cchc_lib.progress.inputs import year_folder
    from cchc_lib.progress.loader import load_progress
    from cchc_lib.progress.template import write_template

    _resolve_plan(args)
    check_data_folder(args.data, args.plan)
    plan = _plan(args)
    plan.check_period(args.period)
    data = progress_dir(args.data, plan.plan_id) if args.data else year_folder(plan)
    if not data.exists():
        # The first quarter: nothing to carry over yet (the folder is made by --out).
        print(f"Chưa có số liệu các kỳ trước ({data}): mẫu nhập liệu không có phần chuyển sang.")
        data = None
    progress = load_progress(data, plan) if data else None
    out = write_template(plan, args.period, args.out or ".", progress=progress)
    print(f"Đã ghi mẫu nhập liệu: {out}")
    if progress is not None:
        print(f"  (tình trạng và số liệu các kỳ trước lấy từ {progress.path})")
    return 0


def _load_inputs(args):
    from cchc_lib.progress.inputs import load_inputs

    _resolve_plan(args)
    check_data_folder(args.data, args.plan)
    inputs = load_inputs(_resolve_plan(args), args.data, args.period, args.cutoff, args.lang)
    if inputs.notice:
        print(inputs.notice, file=sys.stderr)
    return inputs


def cmd_assess(args: argparse.Namespace) -> int:
    from cchc_lib.assessment.engine import assess
    from cchc_lib.report.narrative import text_summary

    inputs = _load_inputs(args)
    a = assess(inputs.plan, inputs.progress, inputs.period, cutoff=inputs.cutoff)
    print(text_summary(a, lang=args.lang))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from cchc_lib.report.choice import documents_for
    from cchc_lib.report.index import human_size
    from cchc_lib.report.official import produce_official
    from cchc_lib.report.run import ReportError

    _resolve_plan(args)
    formats, report_date = check_report_args(args)
    period = _plan(args).check_period(args.period)  # a period of another year is refused
    docs = documents_for(period, args.only, args.official_anyway, args.lang)
    if docs.note:
        print(docs.note)
    if docs.assessment:
        print(f"Đang lập báo cáo đánh giá {args.period} ({args.lang}, mốc {args.cutoff})…", flush=True)
        try:
            result = _produce_assessment(args, formats, report_date)
        except ReportError as exc:
            print(str(exc), file=sys.stderr)
            return 3
        for kind, path in result.files().items():
            print(f"  {kind:8} {path}  ({human_size(result.sizes.get(kind, path.stat().st_size), args.lang)})")
        if result.index is not None:
            print(f"  mục lục  {result.index}")
    if docs.official:
        print(f"Đang lập báo cáo chính thức {args.period} ({args.lang})…", flush=True)
        off = produce_official(
            args.plan,
            args.data,
            args.period,
            args.cutoff,
            args.lang,
            (*formats, "docx"),
            args.out,
            report_date,
            args.recipients,
            anyway=args.official_anyway,
        )
        for kind, path in off.files.items():
            print(f"  {kind:8} {path}  ({human_size(path.stat().st_size, args.lang)})")
    return 0


def _produce_assessment(args, formats, report_date):
    from cchc_lib.report.document import produce as produce_assessment

    return produce_assessment(
        args.plan,
        args.data,
        args.period,
        args.cutoff,
        args.lang,
        tuple(f for f in formats if f != "docx"),
        args.out,
        report_date,
        progress_bar=not args.quiet,
        appendices=args.appendices,
    )


def cmd_explore(args: argparse.Namespace) -> int:
    from cchc_lib.explore.serve import explore_command

    if args.city:
        return _explore_city(args)
    _resolve_plan(args)
    check_data_folder(args.data, args.plan)
    plan = _plan(args)
    period = args.period or f"{plan.year}-Q1"  # the year's first quarter; the page switches periods itself
    plan.check_period(period)
    return explore_command(
        str(plan.path),
        args.data,
        period,
        args.cutoff,
        args.lang,
        serve_page=args.serve,
        port=args.port,
        host=args.host,
        open_browser=not args.no_browser,
    )


def _explore_city(args: argparse.Namespace) -> int:
    """``cchc explore --city``: the city's widget view (league table, pick a commune, drill down)."""
    from cchc_lib.city.commands import check_root
    from cchc_lib.explore.city import explore_city_command
    from cchc_lib.i18n import t

    if not args.period:
        raise OptionError(t("city.need_period", "vi"))
    root = check_root(args.root)
    plans = [p.strip() for p in (args.plans or "").split(",") if p.strip()] or None
    return explore_city_command(
        root,
        args.period,
        args.cutoff,
        args.lang,
        plans,
        serve_page=args.serve,
        port=args.port,
        host=args.host,
        open_browser=not args.no_browser,
    )


def cmd_plan_new(args: argparse.Namespace) -> int:
    from cchc_lib.plan.workbook import new_workbook

    out = new_workbook(args.out, year=args.year)
    print(
        f"Đã ghi sổ nhập kế hoạch (trống): {out}\nĐiền các trang theo trang 'Hướng dẫn', rồi chạy: "
        f"cchc plan build {out} --id <mã-kế-hoạch>"
    )
    return 0


def cmd_plan_build(args: argparse.Namespace) -> int:
    from cchc_lib.plan.model import load_plan
    from cchc_lib.plan.workbook import build_plan

    folder = build_plan(args.workbook, args.id, args.out)
    plan = load_plan(folder)
    print(f"Đã dựng kế hoạch {plan.plan_id} vào: {folder}")
    print(
        f"  {len(plan.areas)} lĩnh vực, {len(plan.targets)} chỉ tiêu, {len(plan.tasks)} nhiệm vụ, "
        f"{len(plan.units)} đơn vị, {len(plan.objectives)} mục tiêu chung"
    )
    findings = plan.lint()
    if len(findings):
        print(f"Rà soát văn bản kế hoạch: {len(findings)} phát hiện (xem 'cchc validate --plan {folder}')")
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from cchc_lib.plan.workbook import export_plan

    out = export_plan(args.plan_id, args.out)
    print(f"Đã xuất kế hoạch {args.plan_id} ra sổ: {out}")
    return 0


def cmd_plan_import(args: argparse.Namespace) -> int:
    from cchc_lib.plan.importer import import_decision

    draft = import_decision(args.decision, args.out)
    print(f"Đã đọc quyết định {args.decision} và ghi bản nháp sổ kế hoạch: {draft.path}")
    print(f"  {draft.counts()}")
    print(
        f"  {draft.flagged} dòng cần kiểm tra (cột 'Cần kiểm tra', tô vàng). Xem lại trong Excel, rồi chạy: "
        f"cchc plan build {draft.path} --id <mã-kế-hoạch>"
    )
    return 0


def _plan_arg(p: argparse.ArgumentParser) -> None:
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


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=None, help=DATA_HELP)


def _period_args(p: argparse.ArgumentParser, required: bool = True) -> None:
    """--period, --cutoff, --lang: the same three choices for assess, report and explore."""
    if required:
        p.add_argument("--period", required=True, help="kỳ báo cáo trong năm kế hoạch: <năm>-Q2, <năm>-H1 hoặc <năm>")
    else:
        p.add_argument("--period", help="kỳ mở đầu (mặc định quý I của năm kế hoạch)")
    p.add_argument("--cutoff", default="nd09", choices=["nd09", "calendar"], help="mốc số liệu (mặc định nd09)")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="ngôn ngữ (mặc định vi)")


def build_parser() -> argparse.ArgumentParser:
    from cchc_lib.report.formats import FORMATS

    p = argparse.ArgumentParser(
        prog="cchc", description="Đánh giá thực hiện kế hoạch cải cách hành chính (CCHC) cấp xã."
    )
    p.add_argument("--debug", action="store_true", help="hiện đầy đủ traceback khi có lỗi không mong đợi")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="kiểm tra dữ liệu kế hoạch và in tóm tắt, các phát hiện rà soát")
    _plan_arg(v)
    v.set_defaults(func=cmd_validate)

    sd = sub.add_parser("sample-data", help="ghi bộ DỮ LIỆU MẪU (tổng hợp, cố định theo seed) cho một năm")
    _plan_arg(sd)
    sd.add_argument("--out", help="thư mục ghi (mặc định data/progress/<mã kế hoạch>/sample)")
    sd.add_argument("--seed", type=int, help="hạt giống ngẫu nhiên (mặc định: năm của kế hoạch)")
    sd.set_defaults(func=cmd_sample_data)

    from cchc_lib.progress.workflow import help_epilog

    t = sub.add_parser(
        "template",
        help="ghi tệp Excel mẫu nhập số liệu cho một kỳ",
        epilog=help_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _plan_arg(t)
    t.add_argument("--period", required=True, help="kỳ báo cáo trong năm kế hoạch, ví dụ <năm>-Q2")
    t.add_argument(
        "--data",
        help="số liệu các kỳ trước (thư mục tiến độ) để ghi phần đã chuyển sang từ kỳ trước; "
        "mặc định thư mục của năm kế hoạch nếu đã có",
    )
    t.add_argument("--out", help="thư mục hoặc tệp .xlsx (mặc định thư mục hiện tại)")
    t.set_defaults(func=cmd_template)

    a = sub.add_parser("assess", help="đánh giá một kỳ và in tóm tắt ra màn hình")
    _plan_arg(a)
    _data_arg(a)
    _period_args(a)
    a.set_defaults(func=cmd_assess)

    r = sub.add_parser(
        "report", help="lập báo cáo chính thức (DOCX, PDF, HTML) và báo cáo đánh giá (notebook → HTML, PDF) cho một kỳ"
    )
    _plan_arg(r)
    _data_arg(r)
    _period_args(r)
    r.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help=f"định dạng xuất, cách nhau bằng dấu phẩy: {', '.join(FORMATS)} (mặc định {','.join(FORMATS)})",
    )
    r.add_argument("--out", default="reports", help="thư mục gốc chứa báo cáo (mặc định reports/)")
    r.add_argument(
        "--report-date",
        help="ngày ký dd/mm/yyyy hoặc yyyy-mm-dd: điền dòng ngày tháng của báo cáo chính thức (mặc định để trống) "
        "và ngày lập của báo cáo đánh giá (mặc định hôm nay)",
    )
    r.add_argument(
        "--only",
        default="both",
        choices=["both", "official", "assessment"],
        help="chỉ lập báo cáo chính thức (official) hoặc báo cáo đánh giá (assessment); mặc định cả hai",
    )
    r.add_argument(
        "--appendices",
        default="separate",
        choices=["separate", "inline", "none"],
        help="phụ lục của báo cáo đánh giá: tệp riêng <tên>_phu-luc.html/.pdf (separate, mặc định), "
        "ngay trong báo cáo (inline) hoặc bỏ (none)",
    )
    r.add_argument(
        "--official-anyway",
        action="store_true",
        help="lập báo cáo chính thức cả cho quý II, quý IV, 6 tháng cuối năm (kỳ báo cáo nội bộ)",
    )
    r.add_argument(
        "--recipients", help="'Kính gửi' của báo cáo chính thức, cách nhau bằng ';' (mặc định theo kế hoạch)"
    )
    r.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    r.set_defaults(func=cmd_report)

    e = sub.add_parser("explore", help="mở bảng điều khiển tương tác (JupyterLab, hoặc trang riêng với --serve)")
    _plan_arg(e)
    _data_arg(e)
    _period_args(e, required=False)
    e.add_argument("--serve", action="store_true", help="phục vụ riêng bảng điều khiển (Voilà), không hiện mã")
    e.add_argument("--port", type=int, help="cổng (mặc định 8866 cho --serve)")
    e.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này)")
    e.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")
    e.add_argument(
        "--city", action="store_true", help="bảng của thành phố: xếp hạng các xã, chọn một xã để xem chi tiết"
    )
    e.add_argument("--root", default="data", help="với --city: thư mục dữ liệu chứa plans/ và progress/")
    e.add_argument("--plans", help="với --city: mã kế hoạch hoặc mẫu, cách nhau bằng dấu phẩy; mặc định: tất cả")
    e.set_defaults(func=cmd_explore)

    pl = sub.add_parser("plan", help="nhập kế hoạch: sổ Excel mới, dựng, xuất, đọc từ quyết định")
    psub = pl.add_subparsers(dest="plan_command", required=True)
    pn = psub.add_parser("new", help="ghi sổ Excel trống để nhập một kế hoạch")
    pn.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    pn.add_argument("--year", type=int, help="năm kế hoạch (cho danh sách thời hạn; mặc định năm nay)")
    pn.set_defaults(func=cmd_plan_new)
    pb = psub.add_parser("build", help="kiểm tra sổ Excel và ghi thư mục kế hoạch data/plans/<mã>/")
    pb.add_argument("workbook", help="sổ kế hoạch .xlsx")
    pb.add_argument("--id", required=True, help="mã kế hoạch, ví dụ <xã>-<năm> (tên thư mục)")
    pb.add_argument("--out", help="thư mục chứa các kế hoạch (mặc định data/plans/)")
    pb.set_defaults(func=cmd_plan_build)
    pe = psub.add_parser("export", help="xuất một kế hoạch có sẵn ra sổ Excel để sửa")
    pe.add_argument("plan_id", help="mã kế hoạch hoặc đường dẫn thư mục kế hoạch")
    pe.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    pe.set_defaults(func=cmd_plan_export)
    pi = psub.add_parser("import", help="đọc quyết định ban hành kế hoạch (.docx, .txt, .pdf) thành sổ Excel nháp")
    pi.add_argument("decision", help="tệp quyết định: .docx, .txt hoặc .pdf có lớp chữ")
    pi.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    pi.set_defaults(func=cmd_plan_import)

    from cchc_lib.city.commands import register as register_city

    register_city(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console too
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: short message, details on request
        if args.debug:
            traceback.print_exc()
        print(
            f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n"
            "Chạy lại với 'cchc --debug …' để xem chi tiết và gửi cho người phát triển.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
