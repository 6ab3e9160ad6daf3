"""The Lab in Chromium: predict, run live and read the measured timeline, without a reload."""

import threading
import time

import pytest
from conftest import BUNDLED_CONTENT, REPO
from playwright.sync_api import Page, expect

from codedrill.content.publish import publish
from codedrill.lab import runs
from codedrill.lab.models import LabRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def worker(full_sandbox):
    """A lab worker in this process: it takes queued runs and measures them in the sandbox, as
    `codedrill labworker` does with the task each one is queued with."""
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            for run_id in LabRun.objects.filter(status="queued").values_list("pk", flat=True):
                runs.perform(run_id)
            time.sleep(0.2)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(60)


def test_a_learner_predicts_runs_and_reads_a_live_blocking_call(
    page: Page, live_server, pattern, worker
):
    page.goto(live_server.url + "/patterns/async-django/")
    page.get_by_role("link", name="Lab", exact=True).click()
    page.get_by_role("link", name="A blocking call inside an async view").click()
    page.get_by_label("Server").select_option("uvicorn")
    page.get_by_label("Endpoint").select_option("/blocking/")
    page.get_by_label("Requests (1–10)").fill("3")
    page.get_by_label("Delay (0.1–2.0)").fill("0.5")
    page.get_by_label("How many seconds will the whole run take?").fill("0.6")
    page.get_by_label("How many seconds will the probe request take?").fill("0.1")
    page.get_by_label("Measure it live now").check()
    page.get_by_role("button", name="Predict and run").click()
    expect(page.locator("#run-part")).to_be_visible()
    page.evaluate("() => { window.stayed = true; }")  # gone if the page reloads
    expect(page.get_by_role("heading", name="What happened")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => window.stayed === true")  # the result came in without a reload
    probe_row = page.locator("table.prediction tr", has_text="Probe request")
    predicted, measured = (
        float(cell.rstrip(" s")) for cell in probe_row.locator("td").all_inner_texts()
    )
    assert predicted == 0.1
    assert 2 * 0.5 < measured < 3 * 0.5 + 1.0  # about three delays: the loop was held
    expect(page.locator(".reading")).to_contain_text("held the event loop")
    expect(page.locator("figure.timeline svg rect.bar")).to_have_count(4)
    page.get_by_text("The timeline as a table").click()
    expect(page.locator(".timeline-table tbody tr")).to_have_count(4)


def test_a_learner_sets_rows_sees_each_requests_queries_and_compares_two_runs(
    page: Page, live_server, pattern, worker
):
    page.goto(live_server.url + "/patterns/n-plus-one/lab/")
    page.get_by_role("link", name="A list page and its related rows").click()
    for endpoint, predicted in (("/plain/", "13"), ("/prefetch-object/", "2")):
        page.get_by_label("Server").select_option("gunicorn")
        page.get_by_label("Endpoint").select_option(endpoint)
        page.get_by_label("Requests (1–10)").fill("2")
        page.get_by_label("Rows (1–200)").fill("12")
        page.get_by_label("How many database queries will one request run?").fill(predicted)
        page.get_by_label("Measure it live now").check()
        page.get_by_role("button", name="Predict and run").click()
        expect(page.get_by_role("heading", name="What happened")).to_be_visible(timeout=60_000)
        row = page.locator("table.prediction tr", has_text="Queries per request")
        measured = "25" if endpoint == "/plain/" else "2"  # 1 + 2 x 12 rows, or 2 at any rows
        expect(row.locator("td")).to_have_text([predicted, measured])
        expect(page.locator("figure.timeline svg text", has_text="queries")).to_have_count(2)
        page.get_by_role("link", name="Change the setup").click()
    page.get_by_role("checkbox", name="/plain/").check()
    page.get_by_role("checkbox", name="/prefetch-object/").check()
    page.get_by_role("button", name="Compare the checked runs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Runs side by side")
    expect(page.locator(".compare section")).to_have_count(2)
    expect(page.locator(".compare")).to_contain_text("queries per request: 25")
    expect(page.locator(".compare")).to_contain_text("queries per request: 2")
    page.get_by_text("The timeline as a table").first.click()
    table = page.locator(".timeline-table").first
    expect(table.get_by_role("columnheader", name="Queries")).to_be_visible()


def test_axe_finds_nothing_serious_on_the_lab_pages(browser, live_server, pattern, worker):
    context = browser.new_context(bypass_csp=True)  # axe is injected; the site's CSP forbids it
    page = context.new_page()
    page.goto(live_server.url + "/patterns/async-django/lab/blocking-async/")
    page.get_by_label("How many seconds will the whole run take?").fill("1")
    page.get_by_label("How many seconds will the probe request take?").fill("1")
    page.get_by_label("Delay (0.1–2.0)").fill("0.1")
    page.get_by_role("button", name="Predict and run").click()
    expect(page.get_by_role("heading", name="What happened")).to_be_visible(timeout=60_000)
    lab = live_server.url + "/patterns/async-django/lab/"
    found = serious_violations(page, [page.url, lab, lab + "blocking-async/"])
    context.close()
    assert not found


def serious_violations(page: Page, urls: list[str]) -> dict:
    """What axe finds serious or critical on each page, by address (a page whose context
    bypasses the site's CSP: axe is injected)."""
    found = {}
    for url in urls:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            found[url] = serious
    return found


@pytest.fixture
def drafts(transactional_db):
    """The lost-updates pattern: PostgreSQL experiments."""
    publish(BUNDLED_CONTENT)


def test_a_learner_predicts_the_stock_a_postgresql_race_leaves(
    browser, live_server, drafts, worker
):
    context = browser.new_context(bypass_csp=True)  # axe is injected; the site's CSP forbids it
    page = context.new_page()
    page.goto(live_server.url + "/patterns/lost-updates/lab/lost-sales/")
    expect(page.locator("#database")).to_have_text(
        "Database: PostgreSQL, a new database for each run, with Django's default settings "
        "(READ COMMITTED, autocommit)."
    )
    page.get_by_label("Endpoint").select_option("/save/")
    page.get_by_label("Requests (1–20)").fill("4")
    page.get_by_label("Threads (1–16)").fill("4")
    page.get_by_label("What will /stock/ answer once every request has been answered").fill("96")
    page.get_by_label("Measure it live now").check()
    page.get_by_role("button", name="Predict and run").click()
    expect(page.get_by_role("heading", name="What happened")).to_be_visible(timeout=90_000)
    row = page.locator("table.prediction tr", has_text="/stock/: teapots left of the 100")
    predicted, measured = row.locator("td").all_inner_texts()
    assert predicted == "96" and 96 < int(measured) <= 99  # sales lost: more than 96 left
    expect(page.locator(".reading")).to_contain_text("sales were lost")
    expect(page.locator("dl.knobs")).to_contain_text("postgresql")
    found = serious_violations(
        page, [page.url, live_server.url + "/patterns/lost-updates/lab/lost-sales/"]
    )
    context.close()
    assert not found
