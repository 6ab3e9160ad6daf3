"""Project mode in Chromium: a learner edits their files in the code editor under the site's
CSP, runs the visible tests and reads each step's verdict as it arrives, fixes the code and
submits for all tests; the same works as plain textareas without JavaScript; keyboard users
can leave the editor; axe finds nothing serious. One test, so the sandbox runs twice in all."""

import threading
import time

import pytest
from conftest import BUNDLED_CONTENT, REPO
from django.db import connection
from playwright.sync_api import Page, expect

from codedrill.projects import rules
from codedrill.projects.models import ProjectSubmission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
SOLUTION = {
    p.name: p.read_text()
    for p in (BUNDLED_CONTENT / "django/when-async-helps/project/solution").glob("*.py")
}


@pytest.fixture
def worker(full_sandbox):
    """A worker in this process, as `codedrill labworker` performs queued submissions."""
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            queued = ProjectSubmission.objects.filter(status="queued")
            for submission_id in queued.values_list("pk", flat=True):
                rules.perform(submission_id)
            time.sleep(0.2)
        connection.close()  # this thread's own; PostgreSQL cannot drop a database still in use

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(60)


def replace_in_editor(page: Page, name: str, text: str) -> None:
    """Select all in the editor of file `name` and paste `text` over it, as a learner would
    (typing would auto-indent; inserting the text natively bypasses the editor)."""
    editor = page.get_by_role("textbox", name=name)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    editor.evaluate(
        """(content, text) => { const data = new DataTransfer(); data.setData('text/plain', text);
            content.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data})); }""",
        text,
    )
    expect(editor).to_contain_text(text.splitlines()[0])


def verdicts(page: Page) -> list[str]:
    return page.locator(".results .verdict").all_inner_texts()


def axe_serious(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in serious]


def test_a_learner_edits_runs_fixes_and_submits_a_project(
    browser, page: Page, live_server, pattern, worker
):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    project_url = live_server.url + "/patterns/async-django/project/"
    page.goto(project_url)
    editors = page.locator(".cm-editor")
    expect(editors).to_have_count(2)
    expect(page.locator("textarea[data-editor]").first).to_be_hidden()
    # Python highlighting: tokens in spans, coloured by the editor's own styles, which the CSP
    # must let through (CodeMirror adds them as constructed stylesheets, not inline styles).
    expect(page.locator(".cm-content .cm-line span").first).to_be_visible()
    token, text = page.evaluate(
        """() => { const root = document.querySelector('.code-editor').shadowRoot;
                   return [root.querySelector('.cm-line span'), root.querySelector('.cm-content')]
                       .map(e => getComputedStyle(e).color); }"""
    )
    assert token != text

    # Escape, then Tab, leaves the editor (Tab alone indents).
    page.get_by_role("textbox", name="middleware.py").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.code-editor')")
    expect(page.locator(":focus")).to_have_text("Reset middleware.py to the starter")

    # Fix one step, run the visible tests: its verdict comes in without a reload.
    replace_in_editor(page, "middleware.py", SOLUTION["middleware.py"])
    page.get_by_role("button", name="Run the visible tests").click()
    expect(page.locator("#run-part")).to_be_visible()
    page.evaluate("() => { window.stayed = true; }")  # gone if the page reloads
    expect(page.locator(".results")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => window.stayed === true")
    assert verdicts(page) == ["passed so far", "failed", "failed"]
    expect(page.locator(".step.failed .message").first).to_contain_text("s")  # a reason to read
    run_url = page.url

    # The draft was kept: fix the rest and submit for all tests.
    page.get_by_role("link", name="Back to your code").click()
    expect(page.locator(".code-editor")).to_have_count(2)
    expect(page.get_by_role("textbox", name="middleware.py")).to_contain_text("sync_capable")
    replace_in_editor(page, "dashboard.py", SOLUTION["dashboard.py"])
    page.get_by_role("button", name="Submit for all tests").click()
    expect(page.locator(".results")).to_be_visible(timeout=60_000)
    assert verdicts(page) == ["passed", "passed", "passed"]
    expect(page.locator(".explanation")).to_have_count(3)
    all_url = page.url
    page.goto(project_url)
    expect(page.locator(".meta")).to_contain_text("3 of 3 steps passed")
    expect(page.get_by_role("heading", name="Reference solution")).to_be_visible()
    assert violations == []

    # Without JavaScript the files are plain textareas, and the forms work the same: the
    # reference again is answered from the stored results at once.
    plain = browser.new_context(java_script_enabled=False)
    nojs = plain.new_page()
    nojs.goto(project_url)
    expect(nojs.locator(".cm-editor")).to_have_count(0)
    for name, text in SOLUTION.items():
        nojs.get_by_label(name, exact=True).fill(text)
    nojs.get_by_role("button", name="Submit for all tests").click()
    expect(nojs.locator(".results .verdict")).to_have_text(["passed"] * 3)
    expect(nojs.locator("#run-part")).to_contain_text("The same files were tested before")
    plain.close()

    # axe: the project page with its editors, and both results pages, light and dark (axe is
    # injected: the site's CSP would forbid it).
    # At a phone's 320 px, where nothing may scroll the page sideways.
    audited = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    audited.add_cookies(page.context.cookies())  # the learner's session: their results pages
    audit = audited.new_page()
    found = {}
    for scheme in ("light", "dark"):
        audit.emulate_media(color_scheme=scheme)
        for url in (project_url, run_url, all_url):
            audit.goto(url)
            assert audit.evaluate("() => document.documentElement.scrollWidth") <= 320, url
            if serious := axe_serious(audit):
                found[f"{url} ({scheme})"] = serious
    audited.close()
    assert not found
