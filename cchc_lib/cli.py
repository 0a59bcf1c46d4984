"""The ``cchc`` command: argument parsing and messages only; the work is in cchc_lib."""

from __future__ import annotations

import argparse
import sys
import traceback

from .errors import DataError


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 1 else str(c).rjust(w) if i > 1 else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "GHI CHÚ"}


def cmd_validate(args: argparse.Namespace) -> int:
    from .plan import load_plan

    plan = load_plan(args.plan)
    m = plan.meta
    print(f"Kế hoạch: {m['title']}")
    print(f"Quyết định số {m['decision_number']} ngày {m['decision_date']:%d/%m/%Y} — {m.get('issuer') or m['commune']}")
    print(f"Thư mục: {plan.path}\n")
    s = plan.summary()
    rows = [[r.area_id, r.name, r.targets, r.measurable, r.tasks_section_ii, r.tasks_annex] for r in s.itertuples()]
    rows.append(["", "Tổng cộng", s.targets.sum(), s.measurable.sum(), s.tasks_section_ii.sum(), s.tasks_annex.sum()])
    print(_table(rows, ["Mục", "Lĩnh vực", "Chỉ tiêu", "Đo được", "Nhiệm vụ (mục II)", "Nhiệm vụ (Phụ lục)"]))
    print(f"\nMục tiêu chung: {len(plan.objectives)}; đơn vị: {len(plan.units)} "
          f"({', '.join(plan.units['name'])})")
    findings = plan.lint()
    print(f"\nRà soát văn bản kế hoạch: {len(findings)} phát hiện")
    for f in findings.itertuples():
        print(f"  [{SEVERITY_VI.get(f.severity, f.severity)}] {f.message}")
    print("\nDữ liệu kế hoạch hợp lệ.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cchc", description="Đánh giá thực hiện kế hoạch cải cách hành chính (CCHC) cấp xã.")
    p.add_argument("--debug", action="store_true", help="hiện đầy đủ traceback khi có lỗi không mong đợi")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="kiểm tra dữ liệu kế hoạch và in tóm tắt, các phát hiện rà soát")
    v.add_argument("--plan", default="hai-duong-2024", help="mã kế hoạch (thư mục trong data/plans/) hoặc đường dẫn thư mục")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console too
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: short message, details on request
        if args.debug:
            traceback.print_exc()
        print(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n"
              "Chạy lại với 'cchc --debug …' để xem chi tiết và gửi cho người phát triển.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
