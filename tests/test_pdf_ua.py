"""The PDFs are laid out with WeasyPrint's stylesheet less the footnote pseudo-elements and
with ``::marker`` on list items only (report/pdf_ua): less styling work, the same bytes."""

from __future__ import annotations

import pytest

from cchc_lib.report import pdf, pdf_ua

_UA = """\
li { display: list-item }
::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }
::footnote-call { content: counter(footnote); vertical-align: super }
::footnote-marker { content: counter(footnote) ". " }
::note-call { content: counter(note) }
::note-marker { content: counter(note) ". " }
::note-callback { content: " ↩" }
p { display: block }
"""


def test_the_lean_stylesheet_drops_the_footnote_rules_and_keeps_every_other():
    lean = pdf_ua.lean_css(_UA)
    assert "footnote" not in lean and "note-" not in lean
    assert "li::marker, summary::marker { font-variant-numeric" in lean
    assert "li { display: list-item }" in lean and "p { display: block }" in lean
    assert lean.count("\n") == 3


def test_another_stylesheet_is_left_alone():
    assert pdf_ua.lean_css(_UA.replace("::note-callback", "::note-back")) is None
    assert pdf_ua.lean_css(_UA.replace("::marker {", "li::marker {")) is None
    assert pdf_ua.lean_css("p { margin: 0 }") is None


def test_weasyprints_own_stylesheet_has_the_rules_and_install_is_idempotent():
    import weasyprint
    from weasyprint import html as wp_html

    assert pdf_ua.lean_css(wp_html.UA) is not None  # this WeasyPrint: the rules as expected
    pdf_ua.install()
    patched = weasyprint.HTML.__dict__["_ua_stylesheets"]
    pdf_ua.install()
    assert weasyprint.HTML.__dict__["_ua_stylesheets"] is patched and patched.cchc_lean


_DOC = """<html><body class="report"><main class="report-body">
<h2>I. Tổng quan</h2><details class="toc-fold" open><summary>Mục lục</summary>
<ol><li><a href="#a">Chỉ tiêu</a></li><li>Nhiệm vụ<ul><li>Quý II</li><li>Quý III</li></ul></li></ol></details>
<p id="a">Đạt 12 / 40 chỉ tiêu; <span class="cchc-badge" style="background:#009E73">Đạt</span></p>
<table class="cchc-table"><thead><tr><th>Mã</th><th class="text">Chỉ tiêu</th></tr></thead>
<tbody><tr><td>T1.01</td><td class="text">Tỷ lệ hồ sơ giải quyết trực tuyến</td></tr></tbody></table>
</main></body></html>"""


@pytest.mark.slow
def test_the_pdf_has_the_same_bytes_as_with_weasyprints_own_stylesheet(monkeypatch):
    import weasyprint

    lean = pdf.html_to_pdf(_DOC, running_head="Xã A")  # installs it
    patched = weasyprint.HTML.__dict__["_ua_stylesheets"]
    calls = []
    monkeypatch.setattr(
        weasyprint.HTML, "_ua_stylesheets", lambda self, forms=False: calls.append(1) or own(self, forms)
    )
    monkeypatch.setattr(pdf_ua, "install", lambda: None)  # WeasyPrint's own, this time
    own = patched.__wrapped__
    assert pdf.html_to_pdf(_DOC, running_head="Xã A") == lean
    assert calls  # it did lay the document out with its own
