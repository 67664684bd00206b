"""The HTML report opened in a real headless Chromium: it renders without errors, shows its chart
and its content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskmanual.case.store import open_store
from riskmanual.reports import gather
from riskmanual.reports.render import html

from . import TODAY, build_case

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH")
def test_the_html_report_renders_in_chromium_without_errors(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    store = open_store(str(tmp_path / "cases.sqlite"), key_path=tmp_path / "pseudonym.key", actor="Anna Handläggare")
    case = build_case(store, hostile=True)
    page_file = tmp_path / "report.html"
    page_file.write_text(html(gather(store, case.second, lang="sv", today=TODAY)), "utf-8")
    store.close()
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # noqa: BLE001 - any failure to start is a reason to skip, with the reason
            pytest.skip(f"Chromium does not start under playwright: {exc}")
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("dialog", lambda dialog: errors.append(f"a dialog opened: {dialog.message}"))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("svg.chart").is_visible()
            assert page.locator("svg.chart").bounding_box()["height"] > 100
            body = page.inner_text("body")
            assert "Vad bedömningen visar" in body and case.pseudonym in body
            assert "<script>alert(1)</script>" in body  # shown as text, never run
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert (tmp_path / "report.png").stat().st_size > 10_000
