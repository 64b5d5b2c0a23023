"""The Prefect UI, driven by a headless browser: what an operator reads and clicks.

It reuses test_deployments.py's real `prefect server start` and `python -m flows.deployments`
(serve) against the fixture web, opens the server's own UI in Chromium (Debian's
/usr/bin/chromium, driven by Playwright; Playwright never downloads a browser here), and:
- screenshots the deployments list and checks it reads what each deployment does and when
  (`ingest` / `daily-HHMM-utc`, `report` / `daily-0600-utc`, `reprocess` / `manual`);
- opens Deployments -> ingest -> Run -> Custom run, screenshots the generated form and checks its
  titles and descriptions (no snake_case, "Empty: ..." says what a blank field means), changes
  two parameters, submits, and follows "View run" until the run is Completed;
- screenshots that finished run's Artifacts tab and checks the two artifacts are there.
Screenshots go to $AKHBAR_UI_SHOTS (a folder) if set, else to the test's tmp_path.

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


def _form_property(pg, title: str):
    """One parameter of the UI's schema form, by its label (its title, e.g. `Dry run`)."""
    label = pg.locator(".schema-form-property__label", has_text=re.compile(rf"^\s*{re.escape(title)}\b"))
    return pg.locator(".schema-form-property").filter(has=label)


def _submit(pg):
    """Submit the custom-run form; the toast's "View run" button. If the UI says "Oops. Something
    went wrong." (its request to create the run failed; seen once in CI, the cause not captured),
    submit again, as a person would."""
    view_run, oops = pg.get_by_role("button", name="View run"), pg.get_by_text("Something went wrong")
    for _ in range(3):
        seen = oops.count()
        pg.get_by_role("button", name="Submit", exact=True).click()
        for _ in range(150):  # 30 s
            if view_run.count():
                return view_run.last
            if oops.count() > seen:
                break
            pg.wait_for_timeout(200)
        else:
            raise AssertionError("neither the run's toast nor an error 30 s after Submit")
    raise AssertionError("the UI could not create the run three times")


def _tab(pg, name: str):
    """A tab of Prefect's UI (plain <li class="p-tab">, no ARIA role)."""
    return pg.locator("li.p-tab").filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))


def _status(url: str, deployment_id) -> str | None:
    with td.api(url) as client:
        status = client.read_deployment(deployment_id).status
    return getattr(status, "value", status)


def _shots(tmp_path):
    folder = os.environ.get("AKHBAR_UI_SHOTS")
    path = tmp_path if not folder else __import__("pathlib").Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shot(page, folder, name: str):
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{path}: empty screenshot"
    return path


def test_deployments_form_and_artifacts_read_well_and_a_custom_run_completes(browser, serving, page, tmp_path):
    expect = sync_api.expect
    url, dep = serving["url"], serving["deployment"]
    ui = url.removesuffix("/api")
    shots = _shots(tmp_path)
    schedule_name = td.DEPLOYMENT.split("/")[1]
    try:
        # 1. the deployments list says what runs and when (and that serve is polling: Ready)
        td._wait_for("the deployment to be Ready", lambda: _status(url, dep.id) == "READY", serving["serve"], 90)
        page.goto(f"{ui}/deployments")
        row = page.locator("tr").filter(has=page.get_by_role("link", name="ingest", exact=True))
        expect(row.get_by_role("link", name=schedule_name, exact=True)).to_be_visible()
        for flow_name, name in (("report", "daily-0600-utc"), ("reprocess", "manual")):
            other = page.locator("tr").filter(has=page.get_by_role("link", name=flow_name, exact=True))
            expect(other.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="akhbar", exact=True)).to_have_count(0)  # no more akhbar/akhbar/akhbar
        _shot(page, shots, "1-deployments")

        row.get_by_role("link", name=schedule_name, exact=True).click()
        page.wait_for_url(f"**/deployments/deployment/{dep.id}**")
        _tab(page, "Description").click()
        expect(page.get_by_text("Poll every feed of the catalog").first).to_be_visible()
        expect(page.get_by_text(td.CRON).first).to_be_visible()  # the schedule, in words the README uses

        # 2. the custom-run form: titles and descriptions a person can act on
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_role("button", name="Custom run", exact=True).click()
        page.wait_for_url(f"**/deployments/deployment/{dep.id}/run**")
        max_per_feed = _form_property(page, "Max new articles per feed").locator("input[type=number]")
        expect(max_per_feed).to_be_visible()
        for title, words in (("Catalog file", "Empty: the bundled catalog"), ("Only these outlets", "Empty: every feed"),
                             ("Published since", "Empty: no limit"), ("Dry run", "write nothing")):
            expect(_form_property(page, title)).to_contain_text(words)
        form_text = page.locator(".schema-form-property").all_inner_texts()
        assert not [t for t in form_text if re.search(r"\b[a-z]+_[a-z_]+\b", t.splitlines()[0])], form_text
        assert not [t for t in form_text if "Property is type None" in t], form_text
        max_per_feed.fill("5")
        dry_run = _form_property(page, "Dry run").get_by_role("switch")
        expect(dry_run).to_have_attribute("aria-checked", "false")
        dry_run.click()
        expect(dry_run).to_have_attribute("aria-checked", "true")
        _shot(page, shots, "2-custom-run-form")

        # the toast "<run name> scheduled to start now  [View run]"; Prefect 3.9's UI mounts its
        # toast container twice, so two identical toasts overlap: the last one is on top
        _submit(page).click()
        page.wait_for_url(re.compile(r"/runs/flow-run/[0-9a-f-]{36}"))
        run_id = re.search(r"/flow-run/([0-9a-f-]{36})", page.url).group(1)

        final = td._wait_final(url, [run_id], serving["serve"], timeout=150)[run_id]
        assert final.state.is_completed(), f"{final.state}\n{serving['serve'].tail()}"
        assert final.deployment_id == dep.id
        assert final.parameters["max_per_feed"] == 5 and final.parameters["dry_run"] is True, final.parameters
        assert final.parameters["db"] == str(serving["db"])  # the deployment's defaults were kept
        assert "since" not in final.parameters or final.parameters["since"] in (None, "")  # blank stayed blank

        # 3. the finished run: its readable name, and its artifacts
        page.reload()
        expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
        expect(page.get_by_text(final.name).first).to_be_visible()
        assert final.name.startswith("ingest-catalog-") and final.name.endswith("-dry-run-" + final.name[-13:])
        _tab(page, "Artifacts").click()
        for key in ("akhbar-ingest-summary", "akhbar-ingest-feeds"):
            expect(page.get_by_text(key).first).to_be_visible()
        _shot(page, shots, "3-run-artifacts")
        # the per-feed table: outcome and problem first, so a failing feed's reason is on screen
        page.get_by_text("akhbar-ingest-feeds").first.click()
        headers = page.locator("table th")
        expect(headers.first).to_contain_text("outcome")
        assert [h.strip().lower() for h in headers.all_inner_texts()[:3]] == ["outcome", "problem", "outlet"]
        _shot(page, shots, "4-feeds-artifact")
    except BaseException as exc:
        shot = tmp_path / "ui-failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            (tmp_path / "ui-failure.html").write_text(page.content())
            exc.add_note(f"UI at failure: {shot} (and ui-failure.html), url {page.url}")
        except Exception as shot_exc:  # the browser itself may be gone
            exc.add_note(f"no screenshot: {shot_exc}")
        raise
