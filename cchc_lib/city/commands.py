"""The city's commands (``cchc sample-city``, ``cchc batch``, ``cchc city``): parsing and messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc_lib.commands.options import check_output_folder
from cchc_lib.core.errors import DataError, Issue


def _list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _need_city_extra() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import duckdb  # noqa: F401
    except ImportError as exc:
        raise DataError(
            Issue(
                "cchc",
                f"thiếu thư viện '{exc.name}' cho các lệnh của thành phố: cài bằng "
                "\".venv/bin/pip install -e '.[city]'\" (hoặc 'make test', đã gồm các thư viện này)",
            )
        ) from None


def check_root(text: str) -> Path:
    root = Path(text)
    if not (root / "plans").is_dir():
        raise DataError(
            Issue(str(root), "không có thư mục plans/ — --root phải là thư mục dữ liệu chứa plans/ và progress/")
        )
    return root


def cmd_sample_city(args: argparse.Namespace) -> int:
    from cchc_lib.city.sample import write_sample_city

    check_output_folder(args.out)
    out = write_sample_city(args.out, communes=args.communes, year=args.year, seed=args.seed)
    print(f"Đã ghi THÀNH PHỐ MẪU ({args.communes} xã, năm {args.year}, seed {args.seed}) vào: {out}")
    print(f"  kế hoạch: {out / 'plans'}")
    print(f"  số liệu:  {out / 'progress'}")
    print(f"  sổ hồ sơ toàn thành phố: {out / 'city' / 'dossiers'}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from cchc_lib.city.batch import find_plans, jobs_for, run_batch, summary
    from cchc_lib.core.periods import parse_period
    from cchc_lib.report.choice import documents_for

    _need_city_extra()
    root = check_root(args.root)
    check_output_folder(args.out)
    periods = [parse_period(p).code for p in _list(args.periods)]
    if not periods:
        raise DataError(Issue("--periods", "cần ít nhất một kỳ, ví dụ 2024-Q1,2024-H1"))
    for period in periods:  # --only official for an internal period is refused before any report starts
        documents_for(period, args.only, args.official_anyway, args.lang)
    plans = find_plans(root, _list(args.plans) or None)
    if not plans:
        raise DataError(Issue(str(root / "plans"), f"không có kế hoạch nào khớp với '{args.plans or '*'}'"))
    jobs = jobs_for(
        root,
        plans,
        periods,
        cutoff=args.cutoff,
        lang=args.lang,
        formats=_list(args.formats),
        out=args.out,
        only=args.only,
        official_anyway=args.official_anyway,
    )
    print(f"Lập {len(jobs)} báo cáo ({len(plans)} xã × {len(periods)} kỳ) trên Dask…", flush=True)
    table = run_batch(jobs, scheduler=args.scheduler, workers=args.workers, force=args.force)
    print(summary(table))
    return 0 if not (table["status"] == "failed").any() else 3


def cmd_city(args: argparse.Namespace) -> int:
    from cchc_lib.city.report import produce_city
    from cchc_lib.report.render import ReportError

    root = check_root(args.root)
    check_output_folder(args.out)
    try:
        result, excel = produce_city(
            root,
            args.period,
            args.cutoff,
            args.lang,
            tuple(_list(args.formats)),
            args.out,
            _list(args.plans) or None,
            progress_bar=not args.quiet,
        )
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    for kind, path in result.files().items():
        print(f"  {kind:8} {path}")
    print(f"  excel    {excel}")
    return 0


def register(sub) -> None:
    """Add the city's commands to the ``cchc`` parser."""
    sc = sub.add_parser("sample-city", help="ghi THÀNH PHỐ MẪU: nhiều kế hoạch xã, số liệu một năm, sổ hồ sơ chung")
    sc.add_argument("--communes", type=int, default=40, help="số xã (mặc định 40)")
    sc.add_argument("--year", type=int, required=True, help="năm kế hoạch, ví dụ 2024")
    sc.add_argument("--seed", type=int, default=2024, help="hạt giống ngẫu nhiên (mặc định 2024)")
    sc.add_argument("--out", required=True, help="thư mục ghi (có plans/, progress/, city/)")
    sc.set_defaults(func=cmd_sample_city)

    b = sub.add_parser("batch", help="lập báo cáo của mọi xã, mọi kỳ trên Dask (cụm cục bộ hoặc cụm có sẵn)")
    b.add_argument("--root", default="data", help="thư mục dữ liệu chứa plans/ và progress/ (mặc định data/)")
    b.add_argument("--plans", help="mã kế hoạch hoặc mẫu (glob), cách nhau bằng dấu phẩy; mặc định: tất cả")
    b.add_argument("--periods", required=True, help="các kỳ, cách nhau bằng dấu phẩy: 2024-Q1,2024-H1")
    b.add_argument("--formats", default="html,pdf", help="định dạng xuất (mặc định html,pdf)")
    b.add_argument("--out", default="reports", help="thư mục gốc chứa báo cáo (mặc định reports/)")
    b.add_argument("--scheduler", help="địa chỉ cụm Dask có sẵn, ví dụ tcp://host:8786; mặc định: cụm cục bộ")
    b.add_argument("--workers", type=int, help="số tiến trình của cụm cục bộ (mặc định 2)")
    b.add_argument("--force", action="store_true", help="lập lại cả báo cáo có đầu vào không đổi")
    b.add_argument(
        "--only",
        default="both",
        choices=["both", "official", "assessment"],
        help="như cchc report: chỉ báo cáo chính thức (official) hoặc báo cáo đánh giá (assessment); mặc định cả hai",
    )
    b.add_argument(
        "--official-anyway",
        action="store_true",
        help="như cchc report: lập báo cáo chính thức cả cho quý II, quý IV, 6 tháng cuối năm",
    )
    b.add_argument("--cutoff", default="nd09", choices=["nd09", "calendar"], help="mốc số liệu (mặc định nd09)")
    b.add_argument("--lang", default="vi", choices=["vi", "en"], help="ngôn ngữ (mặc định vi)")
    b.set_defaults(func=cmd_batch)

    c = sub.add_parser("city", help="báo cáo tổng hợp các xã của thành phố (xếp hạng, phân bố, xã thiếu số liệu)")
    c.add_argument("--root", default="data", help="thư mục dữ liệu chứa plans/ và progress/ (mặc định data/)")
    c.add_argument("--plans", help="mã kế hoạch hoặc mẫu, cách nhau bằng dấu phẩy; mặc định: tất cả")
    c.add_argument("--period", required=True, help="kỳ: 2024-H1, 2024-Q3, 2024…")
    c.add_argument("--formats", default="html,pdf", help="định dạng xuất (mặc định html,pdf)")
    c.add_argument("--out", default="reports", help="thư mục gốc chứa báo cáo (mặc định reports/)")
    c.add_argument("--cutoff", default="nd09", choices=["nd09", "calendar"], help="mốc số liệu (mặc định nd09)")
    c.add_argument("--lang", default="vi", choices=["vi", "en"], help="ngôn ngữ (mặc định vi)")
    c.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    c.set_defaults(func=cmd_city)
