"""One real-browser test: the Voilà page of the dashboard, served on 127.0.0.1, driven with a
headless Chromium (Debian's /usr/bin/chromium through Playwright).

The page must work without the internet: every request the browser makes is checked to go
to the local server, and any other request is blocked, so a page that needed a CDN would
fail here. The page is opened with the printed address, token included. Screenshots (desktop
and a 412 px phone) land in the test's temporary folder, or in $CCHC_TEST_ARTIFACTS when set.

Skipped only when Chromium or Playwright is missing; .ci/run installs both.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cchc_lib.explore.serve import NOTEBOOK, free_port, serve, stop, wait_until_ready

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} không có (Debian: apt-get install chromium); .ci/run cài sẵn")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("thiếu gói playwright (pip install playwright); .ci/run cài sẵn")
    return sync_playwright


def _rows(page) -> int:
    return page.locator(".cchc-targets tbody tr").count()


@pytest.mark.browser
def test_voila_page_filters_by_area_offline(plan, sample_progress, tmp_path):
    sync_playwright = _playwright()
    artifacts = Path(os.environ.get("CCHC_TEST_ARTIFACTS") or tmp_path / "artifacts")
    artifacts.mkdir(parents=True, exist_ok=True)
    n_all = len(plan.targets)
    n_ii6 = int((plan.targets["area_id"] == "II.6").sum())
    ii6_label = f"II.6 {plan.area_name('II.6')}"

    proc = serve(
        NOTEBOOK,
        port=free_port(),
        host="127.0.0.1",
        plan=str(plan.path),
        data=str(sample_progress.path),
        period="2024-Q2",
        cutoff="nd09",
        lang="vi",
        out_dir=tmp_path,
        quiet=True,
    )
    assert "?token=" in proc.url
    local = re.match(r"http://127\.0\.0\.1:\d+", proc.url).group(0)
    outside: list[str] = []
    try:
        wait_until_ready(proc.url, timeout=120, proc=proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:

                def guard(route):
                    url = route.request.url
                    if url.startswith(local) or url.startswith(("data:", "blob:")):
                        route.continue_()
                    else:  # the internet is not there in a commune office: refuse, and remember
                        outside.append(url)
                        route.abort()

                page = browser.new_page(viewport={"width": 1280, "height": 1700})
                page.route("**/*", guard)
                page.goto(proc.url, timeout=120_000)
                page.wait_for_function(
                    f"() => document.querySelectorAll('.cchc-targets tbody tr').length == {n_all}", timeout=120_000
                )
                assert "DỮ LIỆU MẪU" in page.inner_text(".cchc-header")
                assert page.locator(".cchc-targets").inner_text().count("T2.07") == 1

                page.locator(".cchc-area select").select_option(label=ii6_label)
                page.wait_for_function(
                    f"() => document.querySelectorAll('.cchc-targets tbody tr').length == {n_ii6}", timeout=30_000
                )
                text = page.locator(".cchc-targets").inner_text()
                assert "T6.13" in text and "T2.07" not in text
                assert _rows(page) == n_ii6
                page.screenshot(path=str(artifacts / "explore.png"))

                phone = browser.new_page(viewport={"width": 412, "height": 915}, device_scale_factor=2)
                phone.route("**/*", guard)
                phone.goto(proc.url, timeout=120_000)
                phone.wait_for_function(
                    f"() => document.querySelectorAll('.cchc-targets tbody tr').length == {n_all}", timeout=120_000
                )
                # nothing wider than the screen: controls wrap, the tables scroll inside their own box
                width, client = phone.evaluate(
                    "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert width <= client
                assert phone.locator(".cchc-table-wrap").first.evaluate("e => getComputedStyle(e).overflowX") == "auto"
                phone.screenshot(path=str(artifacts / "explore-phone.png"))
            finally:
                browser.close()
    finally:
        stop(proc)
    assert outside == [], f"trang tải tài nguyên từ ngoài máy chủ: {outside}"
    assert (artifacts / "explore.png").stat().st_size > 10_000
