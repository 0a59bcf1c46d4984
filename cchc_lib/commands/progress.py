"""``cchc sample-data`` and ``cchc template``: the progress data of a year and its input workbook."""

from __future__ import annotations

import argparse

from cchc_lib.commands.options import (
    check_data_folder,
    check_output_folder,
    chosen_plan,
    plan_arg,
    resolve_plan,
)


def cmd_sample_data(args: argparse.Namespace) -> int:
    from cchc_lib.progress.sample import default_sample_dir, write_sample

    plan = chosen_plan(args)
    if args.out:
        check_output_folder(args.out)
    seed = plan.year if args.seed is None else args.seed
    out = write_sample(plan, args.out or default_sample_dir(plan), seed=seed)
    print(f"Đã ghi DỮ LIỆU MẪU (seed {seed}) cho kế hoạch {plan.plan_id} vào: {out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from cchc_lib.core.paths import progress_dir
    from cchc_lib.progress.inputs import year_folder
    from cchc_lib.progress.loader import load_progress
    from cchc_lib.progress.template import write_template

    resolve_plan(args)
    check_data_folder(args.data, args.plan)
    plan = chosen_plan(args)
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


def register(sub) -> None:
    """Add ``sample-data`` and ``template`` to the ``cchc`` parser."""
    sd = sub.add_parser("sample-data", help="ghi bộ DỮ LIỆU MẪU (tổng hợp, cố định theo seed) cho một năm")
    plan_arg(sd)
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
    plan_arg(t)
    t.add_argument("--period", required=True, help="kỳ báo cáo trong năm kế hoạch, ví dụ <năm>-Q2")
    t.add_argument(
        "--data",
        help="số liệu các kỳ trước (thư mục tiến độ) để ghi phần đã chuyển sang từ kỳ trước; "
        "mặc định thư mục của năm kế hoạch nếu đã có",
    )
    t.add_argument("--out", help="thư mục hoặc tệp .xlsx (mặc định thư mục hiện tại)")
    t.set_defaults(func=cmd_template)
