"""Modules another library imports eagerly but rarely uses are loaded on first use only."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from cchc_lib.core import deferred


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.slow  # a fresh interpreter
def test_the_report_export_side_does_not_build_the_iri_grammar():
    """nbformat → jsonschema imported rfc3987_syntax, which builds a Lark grammar (1.7 s) at import."""
    pytest.importorskip("rfc3987_syntax")
    out = _fresh("import sys, cchc_lib.report.run; print('rfc3987_syntax.syntax_helpers' in sys.modules)")
    assert out == "False"


@pytest.mark.slow  # a fresh interpreter
def test_jsonschema_iri_checks_answer_as_with_the_module_itself():
    pytest.importorskip("rfc3987_syntax")
    code = (
        "import cchc_lib.report.run, jsonschema\n"
        "fc = jsonschema.FormatChecker()\n"
        "values = ['http://例え.jp/ä?x=1', 'a b', 'relative/path', 'http://[::1', '']\n"
        "print([fc.conforms(v, f) for f in ('iri', 'iri-reference') for v in values])\n"
        "from rfc3987_syntax import is_valid_syntax as real\n"
        "print([real(r, v) for r in ('iri', 'iri_reference') for v in values])\n"
    )
    ours, real = _fresh(code).splitlines()
    assert ours == real and "True" in ours and "False" in ours


def test_defer_leaves_a_missing_or_loaded_module_alone(monkeypatch):
    deferred.defer("cchc_no_such_module_here", ("f",))
    assert "cchc_no_such_module_here" not in sys.modules
    loaded = types.ModuleType("cchc_loaded_already")
    monkeypatch.setitem(sys.modules, "cchc_loaded_already", loaded)
    deferred.defer("cchc_loaded_already", ("f",))
    assert sys.modules["cchc_loaded_already"] is loaded
