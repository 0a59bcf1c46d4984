"""What the report's kernel imports: the notebook's own code, and nothing of the export side.

The kernel's import time is paid on every report. Exporting (nbconvert, WeasyPrint, the
DOCX writer), reading workbooks and the city tools belong to the parent process or to other
commands; a module-level import that drags one of them into the kernel makes every report
slower without anything to show for it. The notebook's code cells are run here in a fresh
interpreter, as the kernel runs them, and its module table is read at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cchc_lib.report.document import notebook_path

# Never needed to run the notebook: the parent process exports, other commands read workbooks.
NOT_IN_KERNEL = (
    "weasyprint",
    "docx",
    "openpyxl",
    "dask",
    "distributed",
    "duckdb",
    "papermill",
    "nbconvert",
    "nbclient",
    "pypdf",
    "playwright",
    "cchc_lib.report.official",
    "cchc_lib.report.pdf",
    "cchc_lib.city",
    "cchc_lib.explore",
)

RUN_CELLS = r"""
import ast, json, sys
import IPython.display

shown = []
IPython.display.display = lambda *objs, **kw: shown.extend(objs)
nb = json.load(open(sys.argv[1], encoding="utf-8"))
injected = dict(plan="hai-duong-2024", data="sample", period="2024-Q2", cutoff="nd09", lang="vi")
scope = {}
for cell in nb["cells"]:
    if cell["cell_type"] != "code":
        continue
    if "parameters" in cell.get("metadata", {}).get("tags", []):  # its defaults, then papermill's values
        exec("".join(cell["source"]), scope)
        scope.update(injected)
        continue
    tree = ast.parse("".join(cell["source"]))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "cell", "exec"), scope)
    if last is not None:  # what the cell displays, as IPython would
        shown.append(eval(compile(ast.Expression(last.value), "cell", "eval"), scope))
html = "".join(getattr(o, "data", None) or "" for o in shown)
print(json.dumps({"modules": sorted(sys.modules), "html": len(html), "images": html.count("data:image/png")}))
"""


@pytest.mark.slow
def test_the_notebook_code_imports_nothing_of_the_export_side():
    out = subprocess.run(
        [sys.executable, "-c", RUN_CELLS, str(notebook_path())],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["images"] >= 6 and result["html"] > 10_000  # the notebook really ran: sections and charts
    loaded = set(result["modules"])
    dragged = sorted(m for m in loaded if any(m == name or m.startswith(name + ".") for name in NOT_IN_KERNEL))
    assert dragged == []
