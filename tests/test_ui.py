"""The Prefect UI, driven by a headless browser: a custom run of `ingest/akhbar` from the Run menu.

It reuses test_deployments.py's real `prefect server start` and `python -m flows.deployments`
(serve) against the fixture web, opens the server's own UI in Chromium (Debian's
/usr/bin/chromium, driven by Playwright; Playwright never downloads a browser here), and clicks
through Deployments -> akhbar (flow ingest) -> Run -> Custom run, changes two parameters in the
generated form, submits, and follows the "View run" link until the run is Completed.

Skipped, not failed, when Playwright or Chromium is missing (.ci/run installs Chromium best-effort).
Set AKHBAR_CHROMIUM to use another Chromium binary.
"""

from __future__ import annotations

import os
import re

import pytest

from tests import test_deployments as td

CHROMIUM = os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium")
# Offline-safe headless Chromium: no GPU, no QUIC, and none of the background fetches
# (component updates, sync, field trials) that would flood a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ACTION_TIMEOUT_MS = 20_000

pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

# the real server and serve process of test_deployments.py (module scope: one of each for this file)
server = td.server
serving = td.serving


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium; requested before the server fixtures so a broken browser skips cheaply."""
    with sync_api.sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        except sync_api.Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    """A fresh browser context (no saved UI preference, so the server's default UI) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        yield pg
    finally:
        context.close()


def _form_property(pg, name: str):
    """One parameter of the UI's schema form, by its label (`max_per_feed (Optional)`)."""
    label = pg.locator(".schema-form-property__label", has_text=re.compile(rf"^\s*{re.escape(name)}\b"))
    return pg.locator(".schema-form-property").filter(has=label)


def test_custom_run_from_the_ui_with_changed_parameters_completes(browser, serving, page, tmp_path):
    expect = sync_api.expect
    url, dep = serving["url"], serving["deployment"]
    ui = url.removesuffix("/api")
    try:
        page.goto(f"{ui}/deployments")
        # the deployments table: the row of flow `ingest` (reprocess/report are also named akhbar)
        row = page.locator("tr").filter(has=page.get_by_role("link", name="ingest", exact=True))
        row.get_by_role("link", name=td.DEPLOYMENT.split("/")[1], exact=True).click()
        page.wait_for_url(f"**/deployments/deployment/{dep.id}**")

        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_role("button", name="Custom run", exact=True).click()
        page.wait_for_url(f"**/deployments/deployment/{dep.id}/run**")

        max_per_feed = _form_property(page, "max_per_feed").locator("input[type=number]")
        expect(max_per_feed).to_be_visible()
        max_per_feed.fill("5")
        dry_run = _form_property(page, "dry_run").get_by_role("switch")
        expect(dry_run).to_have_attribute("aria-checked", "false")
        dry_run.click()
        expect(dry_run).to_have_attribute("aria-checked", "true")

        page.get_by_role("button", name="Submit", exact=True).click()
        # the toast "<run name> scheduled to start now  [View run]"; Prefect 3.9's UI mounts its
        # toast container twice, so two identical toasts overlap: the last one is on top
        page.get_by_role("button", name="View run").last.click()
        page.wait_for_url(re.compile(r"/runs/flow-run/[0-9a-f-]{36}"))
        run_id = re.search(r"/flow-run/([0-9a-f-]{36})", page.url).group(1)

        final = td._wait_final(url, [run_id], serving["serve"], timeout=75)[run_id]
        assert final.state.is_completed(), f"{final.state}\n{serving['serve'].tail()}"
        assert final.deployment_id == dep.id
        assert final.parameters["max_per_feed"] == 5 and final.parameters["dry_run"] is True, final.parameters
        assert final.parameters["db"] == str(serving["db"])  # the deployment's defaults were kept

        page.reload()
        expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
    except BaseException as exc:
        shot = tmp_path / "ui-failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            (tmp_path / "ui-failure.html").write_text(page.content())
            exc.add_note(f"UI at failure: {shot} (and ui-failure.html), url {page.url}")
        except Exception as shot_exc:  # the browser itself may be gone
            exc.add_note(f"no screenshot: {shot_exc}")
        raise
