"""``cchc validate`` and ``cchc plan new|build|export|import``: the plan folder and its workbook."""

from __future__ import annotations

import argparse

from cchc_lib.commands.options import (
    check_plan_rules,
    chosen_plan,
    plan_arg,
)


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r):  # first two columns (id, name) left-aligned, counts right-aligned
        return "  ".join(str(c).ljust(w) if i <= 1 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "GHI CHÚ"}


def cmd_validate(args: argparse.Namespace) -> int:
    plan = chosen_plan(args)
    check_plan_rules(args.plan)  # "hợp lệ" covers the plan's own rules.toml too
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


def register(sub) -> None:
    """Add ``validate`` and the ``plan`` family to the ``cchc`` parser."""
    v = sub.add_parser("validate", help="kiểm tra dữ liệu kế hoạch và in tóm tắt, các phát hiện rà soát")
    plan_arg(v)
    v.set_defaults(func=cmd_validate)

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
