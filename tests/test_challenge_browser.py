"""A whole Challenge and a whole Test in Chromium by keyboard alone: one Challenge problem runs
out of time, then a second challenge with every problem right earns the badge; and each
bundled pattern's Challenge and Test, taken whole."""

import pytest
from playwright.sync_api import Page, expect
from test_modes_browser import tab_to, tab_to_input

from codedrill.attempts.models import Challenge, TestAttempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECONDS = 8  # the test-only short clock: long enough to answer by keyboard on a busy machine


@pytest.fixture
def site(live_server, pattern, settings):
    settings.CHALLENGE_SECONDS = SECONDS  # the live server runs in this process
    return live_server.url


def answer_right_by_keyboard(page: Page, n: int) -> None:
    problem = Challenge.objects.latest("pk").problems.select_related("version").get(position=n)
    answer_by_keyboard(page, problem.version, problem.order, problem.version.key)
    expect(page.get_by_role("status")).to_contain_text("Correct")


def start_challenge(page: Page, site: str, slug: str = "async-django") -> None:
    page.goto(site + f"/patterns/{slug}/")
    tab_to(page, "^Take the challenge$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenge")
    tab_to(page, "^Start (the|a new) challenge$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem 1/5")


def test_a_whole_challenge_by_keyboard_with_a_timeout_then_the_badge(page: Page, site):
    start_challenge(page, site)
    # Problem 1: let the clock run out. The countdown reaches 0:00 and asks the server.
    expect(page.get_by_role("timer")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Time is up", timeout=(SECONDS + 5) * 1000)
    expect(page.get_by_text("Final answer:")).to_be_visible()
    for n in range(2, 6):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Problem {n}/5")
        answer_right_by_keyboard(page, n)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("4 of 5 right.")).to_be_visible()
    expect(page.get_by_text("out of time")).to_be_visible()

    start_challenge(page, site)
    for n in range(1, 6):
        if n > 1:
            page.keyboard.press("ArrowRight")
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Problem {n}/5")
        answer_right_by_keyboard(page, n)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("5 of 5 right.")).to_be_visible()
    expect(page.get_by_text("You earned the badge")).to_be_visible()

    page.goto(site + "/patterns/async-django/")
    expect(page.get_by_text("Earned on")).to_be_visible()
    page.goto(site + "/badges/")
    expect(page.get_by_text("Async Django Mastery")).to_be_visible()


@pytest.mark.parametrize(
    ("slug", "badge"),
    [("n-plus-one", "N+1 Query Hunter"), ("lost-updates", "Concurrency-Safe Django")],
)
def test_another_patterns_challenge_all_right_earns_its_badge(page: Page, site, slug, badge):
    start_challenge(page, site, slug)
    for n in range(1, 6):
        if n > 1:
            page.keyboard.press("ArrowRight")
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Problem {n}/5")
        answer_right_by_keyboard(page, n)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("5 of 5 right.")).to_be_visible()
    page.goto(site + "/badges/")
    expect(page.get_by_text(badge)).to_be_visible()


def answer_by_keyboard(page: Page, version, order: list[str], answer) -> None:
    """Answer a Test question of any kind from the keyboard."""
    if version.kind == "short":
        tab_to_input(page, "input[name=answer]")
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
        return
    if version.kind == "order":
        for option in answer:
            tab_to_input(page, "select[name=answer]")
            for _ in range(order.index(option) + 1):  # past "Choose…" to the item's letter
                page.keyboard.press("ArrowDown")
        tab_to_input(page, "form[data-choices] button")  # its label depends on the position
        page.keyboard.press("Enter")
        return
    for option in answer if isinstance(answer, list) else [answer]:
        page.keyboard.press("abcdefghij"[order.index(option)])
    page.keyboard.press("Enter")


@pytest.mark.parametrize("slug", ["async-django", "n-plus-one", "lost-updates"])
def test_a_whole_test_by_keyboard(page: Page, site, slug):
    page.goto(site + f"/patterns/{slug}/")
    tab_to(page, "^Take the test$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test")
    tab_to(page, "^Start the test$")
    page.keyboard.press("Enter")
    missed = None
    for n in range(1, 11):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {n}/10")
        question = TestAttempt.objects.latest("pk").questions.select_related("version")
        question = question.get(position=n)
        version, answer = question.version, question.version.key
        if missed is None and version.kind == "single":
            missed, answer = n, next(i for i in question.order if i != version.key)
        answer_by_keyboard(page, version, question.order, answer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    tab_to(page, "^Finish the test$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test results")
    expect(page.get_by_text("9/10 — Strong")).to_be_visible()
    assert page.locator(".answer-row").count() == 10
