"""What only a browser shows: a guest reads, signs up, and finds the progress still there."""

import re

import pytest
from playwright.sync_api import Page, expect

from codedrill.content.modes import MODES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, pattern):
    return live_server.url


def test_a_guest_reads_learn_signs_up_and_keeps_progress(page: Page, site, pattern):
    page.goto(site + "/")
    page.get_by_role("link", name="When async helps and when it does not in Django").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "When async helps and when it does not in Django"
    )
    expect(page.get_by_text(f"{len(pattern.live_modes())} modes available")).to_be_visible()
    expect(page.get_by_text("Coming soon")).to_have_count(len(MODES) - len(pattern.live_modes()))

    page.get_by_role("link", name="Learn", exact=True).click()
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Done")).click()
    page.goto(site + "/patterns/async-django/")
    expect(page.get_by_text("Done", exact=True)).to_be_visible()

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password", exact=True).fill("tape-reel-1952")
    page.get_by_label("Password confirmation").fill("tape-reel-1952")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Welcome, grace")

    page.goto(site + "/patterns/async-django/")
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="grace")).to_be_visible()


def test_the_pages_load_no_third_party_resources(page: Page, site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ["/", "/patterns/async-django/", "/patterns/async-django/learn/", "/signup/"]:
        page.goto(site + path)
    assert requested and all(url.startswith(site) for url in requested)


def test_the_csp_blocks_nothing_on_our_pages(page: Page, site):
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    for path in ["/", "/patterns/async-django/", "/patterns/async-django/learn/", "/login/"]:
        page.goto(site + path)
    assert violations == []
