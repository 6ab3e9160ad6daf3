"""The learner's experience in Chromium, at desktop and phone widths: what each screen says,
where the feedback and the focus go, the countdown, marks on the options, progress, "My
learning", and that nothing scrolls sideways even at 320 px."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from test_modes_browser import AXE

from codedrill.accounts.models import Session, User
from codedrill.attempts import rules
from codedrill.attempts.models import Challenge, ChallengeProblem, TestAttempt
from codedrill.content.modes import MODES
from codedrill.quiz.answers import Shown
from codedrill.review import queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATTERN = "/patterns/async-django/"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def site(live_server, pattern, settings):
    settings.CHALLENGE_SECONDS = 90  # the live server runs in this process
    return live_server.url


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def screen(request, browser, site) -> Page:
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 800})
    page = context.new_page()
    yield page
    context.close()


def learner_of(page: Page) -> User:
    """The learner of the browser's session (a guest after its first write)."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return User.objects.get(pk=Session.objects.get(session_key=key).get_decoded()["_auth_user_id"])


def press(page: Page, option_id: str) -> None:
    """Choose an option by the letter shown beside it."""
    shown = page.locator(f"label.choice:has(input[value='{option_id}']) .letter").first
    page.keyboard.press(shown.inner_text().lower())


def choose(page: Page, version, answer) -> None:
    """Enter an answer of a choice kind: letters for options, an option per place in an order."""
    if version.kind == "order":
        places = page.locator("select[name=answer]")
        for place, option in enumerate(answer):
            places.nth(place).select_option(option)
        return
    for option in answer if isinstance(answer, list) else [answer]:
        press(page, option)


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls {overflow}px sideways"


def answer_and_stay(page: Page, button: str) -> None:
    """Submit without a reload: a marker on the window survives, and focus is on the
    feedback, a live region."""
    page.evaluate("window.stayed = true")
    page.get_by_role("button", name=button).click()
    expect(page.locator("#feedback")).to_be_focused()
    assert page.evaluate("window.stayed === true"), "the answer reloaded the page"
    expect(page.locator("#feedback")).to_have_attribute("role", "status")


def start_challenge(page: Page, site: str) -> Challenge:
    page.goto(site + PATTERN + "challenge/")
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem 1/5")
    return Challenge.objects.latest("pk")


def problem(challenge: Challenge, n: int) -> ChallengeProblem:
    return challenge.problems.select_related("version").get(position=n)


def test_the_pattern_page_claims_only_live_modes_with_icons_and_states(screen: Page, site, pattern):
    live = pattern.live_modes()
    screen.goto(site + PATTERN)
    expect(screen.get_by_text(f"{len(live)} modes available")).to_be_visible()
    cards = screen.locator(".mode-card")
    expect(cards).to_have_count(len(MODES))
    expect(screen.locator(".mode-card use")).to_have_count(len(MODES))
    assert "icons.svg#learn" in screen.locator(".mode-card use").first.get_attribute("href")
    expect(screen.get_by_text("Not started")).to_have_count(len(live))
    expect(screen.locator(".mode-card.soon")).to_have_count(len(MODES) - len(live))
    description = screen.locator('meta[name="description"]').get_attribute("content")
    assert pattern.summary[:40] in description
    expect(screen.get_by_role("link", name="Your badges")).to_be_visible()
    no_sideways_scroll(screen)


def test_a_challenge_says_what_is_true_marks_options_and_keeps_picks(screen: Page, site):
    challenge = start_challenge(screen, site)
    # Problem 1, right at the first attempt: one used, finished, and why.
    p1 = problem(challenge, 1)
    key = p1.version.key
    choose(screen, p1.version, key)
    answer_and_stay(screen, "Submit answer")
    expect(screen.locator("#feedback")).to_contain_text("Correct.")
    bar = screen.get_by_role("group", name="Problem status")
    expect(bar).to_contain_text("Attempts used: 1 of 2")
    expect(bar).to_contain_text("Finished: right")
    if p1.version.kind != "order":  # an order's places are selects, not marked choices
        expect(screen.locator(".choice.right")).to_have_count(
            len(key) if isinstance(key, list) else 1
        )
    # The feedback is in one place: right after the answer form.
    order = screen.evaluate(
        "() => [...document.querySelectorAll('.statusbar, .stem, form.answer, #feedback')]"
        ".map(e => e.className || e.id)"
    )
    assert order.index("feedback") > order.index("answer")

    # The multiple-choice problem: a wrong attempt keeps its picks and marks nothing yet;
    # the single ones mark a wrong pick.
    for n in range(2, 6):
        screen.goto(f"{site}/challenges/{challenge.pk}/{n}/")
        p = problem(challenge, n)
        version = p.version
        if version.kind == "order":
            continue  # its places are selects: no picks to keep or mark
        if version.kind == "multiple":
            wrong = [i for i in p.order if i not in version.key][:1] + list(version.key)
            for option in wrong:
                press(screen, option)
            answer_and_stay(screen, "Submit answer")
            expect(screen.locator("#feedback")).to_contain_text("one more attempt")
            expect(screen.locator("input[type=checkbox]:checked")).to_have_count(len(wrong))
            expect(screen.locator(".choice.wrong, .choice.right")).to_have_count(0)
        else:
            wrong = next(i for i in p.order if i != version.key)
            press(screen, wrong)
            answer_and_stay(screen, "Submit answer")
            expect(screen.locator(".choice.wrong")).to_contain_text("your pick, not right")
            expect(screen.locator(".choice.right")).to_have_count(0)  # the key stays hidden
            press(screen, next(i for i in p.order if i not in (version.key, wrong)))
            answer_and_stay(screen, "Submit answer")
            expect(screen.locator("#feedback")).to_contain_text("both attempts are used")
            expect(screen.locator(".choice.right")).to_have_count(1)  # now the key is shown
            expect(screen.get_by_role("group", name="Problem status")).to_contain_text(
                "Attempts used: 2 of 2"
            )
            break
    no_sideways_scroll(screen)


def test_the_countdown_is_sticky_turns_urgent_and_speaks_twice(screen: Page, site):
    challenge = start_challenge(screen, site)
    bar = screen.locator(".statusbar")
    expect(bar.get_by_role("timer")).to_be_visible()
    assert bar.evaluate("e => getComputedStyle(e).position") == "sticky"
    screen.set_viewport_size({"width": screen.viewport_size["width"], "height": 400})
    screen.mouse.wheel(0, 3000)
    screen.wait_for_timeout(300)
    box = bar.bounding_box()
    assert box["y"] <= 1 and screen.evaluate("window.scrollY") > 100  # still in view
    assert bar.get_by_role("timer").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 20
    # The timer itself is not a live region (role=timer is off by default)...
    assert bar.get_by_role("timer").get_attribute("aria-live") is None
    alert = screen.locator("[data-clock-alert]")
    expect(alert).to_have_attribute("aria-live", "assertive")
    expect(alert).to_have_text("")
    # ...but one minute and ten seconds before the end are announced.
    p = problem(challenge, 1)
    ChallengeProblem.objects.filter(pk=p.pk).update(deadline=p.deadline - timedelta(seconds=28))
    screen.reload()
    expect(alert).to_have_text("One minute left.", timeout=5000)
    expect(screen.locator(".statusbar.low")).to_have_count(1)
    ChallengeProblem.objects.filter(pk=p.pk).update(deadline=p.deadline - timedelta(seconds=78))
    screen.reload()
    expect(alert).to_have_text("Ten seconds left.", timeout=5000)
    expect(screen.locator(".statusbar.critical")).to_have_count(1)
    # A timeout with nothing used says so.
    expect(screen.locator("#feedback")).to_contain_text("Time is up", timeout=15000)
    status = screen.get_by_role("group", name="Problem status")
    expect(status).to_contain_text("Attempts used: 0 of 2")
    expect(status).to_contain_text("Finished: time ran out")


def test_the_challenge_intro_lists_its_problems_and_resumes(screen: Page, site, pattern):
    screen.goto(site + PATTERN + "challenge/")
    lineup = screen.locator(".lineup li")
    expect(lineup).to_have_count(5)
    for version in rules.lineup(pattern):
        expect(screen.locator(".lineup")).to_contain_text(version.difficulty.capitalize())
    start_challenge(screen, site)
    screen.goto(site + PATTERN + "challenge/")
    resume = screen.get_by_role("link", name="Resume at problem 1")
    expect(resume).to_have_class(re.compile("button"))
    expect(screen.get_by_role("button", name="Start a new challenge")).to_have_class("link")
    no_sideways_scroll(screen)


def test_the_badge_has_an_emblem_a_moment_and_a_page(screen: Page, site):
    challenge = start_challenge(screen, site)
    learner = learner_of(screen)
    for n in range(1, 5):  # four right through the rules, the fifth in the browser
        rules.show_problem(problem(challenge, n))
        rules.answer_problem(learner, challenge.pk, n, problem(challenge, n).version.key)
    screen.goto(f"{site}/challenges/{challenge.pk}/5/")
    p5 = problem(challenge, 5)
    choose(screen, p5.version, p5.version.key)
    answer_and_stay(screen, "Submit answer")
    earned = screen.locator(".earned")
    expect(earned).to_contain_text("Badge earned: Async Django Mastery")
    assert "icons.svg#badge" in earned.locator("use").get_attribute("href")
    screen.get_by_role("navigation", name="Site").get_by_role("link", name="Your badges").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Your badges")
    expect(screen.locator(".badge-card .emblem")).to_be_visible()
    # The results table fits a phone: one block per row.
    screen.goto(f"{site}/challenges/{challenge.pk}/results/")
    expect(screen.get_by_text("5 of 5 right.")).to_be_visible()
    no_sideways_scroll(screen)


def test_a_test_shows_your_answer_beside_the_key_and_checks_formats(screen: Page, site, pattern):
    screen.goto(site + PATTERN + "test/")
    screen.get_by_role("button", name="Start the test").click()
    test = TestAttempt.objects.latest("pk")
    # Question 1 becomes a short question whose answer is a whole number.
    whole = next(
        q.current
        for q in pattern.pool("test")
        if Shown(q.current).short_format and q.current.key.isdigit()
    )
    test.questions.filter(position=1).update(version=whole, order=[])
    screen.goto(f"{site}/tests/{test.pk}/1/")
    screen.get_by_label("Your answer").fill("4 seconds")
    screen.get_by_role("button", name=re.compile("^Save")).click()
    assert screen.get_by_label("Your answer").evaluate("e => !e.validity.valid")
    expect(screen.locator(".help")).to_contain_text("Answer with a whole number")
    assert test.questions.get(position=1).answer is None
    for q in test.questions.select_related("version"):
        if q.version.kind != "short":
            rules.answer_test_question(q, q.version.key)
    screen.goto(f"{site}/tests/{test.pk}/results/")
    screen.get_by_role("button", name="Finish the test").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Test results")
    rows = screen.locator(".answer-row")
    expect(rows).to_have_count(10)
    expect(rows.first.locator(".answer-compare")).to_contain_text("Your answer")
    expect(rows.first.locator(".answer-compare")).to_contain_text("Key")
    expect(rows.first.locator(".steps")).to_be_hidden()  # solutions collapsed
    height = screen.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"the verdict page is {height}px tall"
    rows.first.get_by_text("Question and solution").click()
    expect(rows.first.locator(".steps")).to_be_visible()
    no_sideways_scroll(screen)
    # Progress: the Test is done, and its score is a separate fact.
    screen.goto(site + PATTERN)
    card = screen.locator(".mode-card", has_text="Ten questions that tell you")
    expect(card).to_contain_text("Done")
    expect(card).to_contain_text(re.compile(r"Best: \d+/10"))


def test_reading_modes_count_as_read_once_scrolled_through(screen: Page, site):
    for mode in ["deep-dive", "review"]:
        screen.goto(site + PATTERN + mode + "/")
        screen.mouse.wheel(0, 100000)
        expect(screen.locator("[data-read-note]")).to_be_visible()
    screen.goto(site + PATTERN)
    for blurb in ["How it works under the hood", "Cheat sheet, flashcards"]:
        expect(screen.locator(".mode-card", has_text=blurb)).to_contain_text("Done")


def test_practice_reads_right_keys_letters_and_code_at_text_size(screen: Page, site, pattern):
    screen.goto(site + PATTERN + "practice/")
    expect(screen.locator("main")).not_to_contain_text("Untimed, with unlimited")
    screen.goto(site + PATTERN + "practice/1/")
    version = pattern.pool("practice")[0].current
    expect(screen.locator(".keys")).to_have_text(re.compile("A–[B-J] to choose"))
    body = float(screen.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    code = screen.locator(".stem code, .choice code").first
    assert float(code.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 0.9 * body
    if "`" in version.setup:
        expect(screen.locator(".setup code").first).to_be_visible()
        expect(screen.locator(".setup")).not_to_contain_text("`")
    press(screen, version.key)
    expect(screen.locator(f"input[value='{version.key}']")).to_be_checked()
    answer_and_stay(screen, "Check my answer")
    expect(screen.locator("#feedback")).to_have_text("Correct.")
    expect(screen.locator(".reveal h2")).to_have_text("Solution")  # h1 → h2, no skipped level
    expect(screen.get_by_role("link", name="All problems")).to_be_visible()
    screen.goto(site + PATTERN + "review/1/")
    expect(screen.get_by_role("link", name="All quick quiz questions")).to_be_visible()
    no_sideways_scroll(screen)


def test_a_missed_question_in_the_queue_is_whole_and_rated_after_answering(
    screen: Page, site, pattern
):
    screen.goto(site + PATTERN + "learn/")
    screen.get_by_role("button", name=re.compile("^Done")).click()  # become a guest
    expect(screen.get_by_role("heading", level=1)).to_have_text("Why")
    missed = next(q for q in pattern.pool("test") if q.current.code and q.current.kind == "single")
    queue.add_missed(learner_of(screen), missed)
    screen.goto(site + "/review/")
    card = screen.locator(".queue-question")
    expect(card.locator(".code")).to_be_visible()
    expect(card.locator(".choice")).to_have_count(len(missed.current.options))
    expect(screen.get_by_role("button", name="Good")).to_have_count(0)  # not before answering
    card.locator(f"input[value='{missed.current.key}']").check()
    answer_and_stay(screen, "Check my answer")
    expect(screen.locator("#feedback")).to_have_text("Correct.")
    expect(screen.get_by_text("Final answer:")).to_be_visible()
    screen.get_by_role("button", name="Good").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(screen.get_by_role("status")).to_contain_text("rated Good")
    no_sideways_scroll(screen)


def test_my_learning_shows_progress_reviews_badges_and_weak_concepts(screen: Page, site, pattern):
    screen.goto(site + PATTERN + "learn/")
    screen.get_by_role("button", name=re.compile("^Done")).click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Why")
    learner = learner_of(screen)
    test = rules.start_test(learner, pattern)
    for q in test.questions.select_related("version"):
        if q.position > 3:
            rules.answer_test_question(q, q.version.key)
    rules.finish_test(test)
    screen.get_by_role("link", name="My learning").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("My learning")
    card = screen.locator(".pattern-progress", has_text=pattern.title)
    expect(card.get_by_role("img")).to_have_attribute("aria-label", re.compile(r"\d+% done"))
    expect(card).to_contain_text(re.compile(r"Best Test: \d+/10"))
    expect(card.locator("li.state-done")).to_have_count(2)  # Learn, and the finished Test
    tiles = screen.get_by_role("list", name="At a glance")
    expect(tiles).to_contain_text("3 reviews due today")
    weak = screen.locator(".weak li")
    expect(weak.first).to_be_visible()
    expect(weak.first.get_by_role("link").first).to_have_attribute("href", re.compile(PATTERN))
    no_sideways_scroll(screen)
    data = screen.request.get(site + "/api/v1/me/progress").json()
    assert data["review_due_today"] == 3 and data["weakest_concepts"]
    (mine,) = [p for p in data["patterns"] if p["slug"] == pattern.slug]
    modes = {m["slug"]: m for m in mine["modes"]}
    assert modes["learn"]["state"] == "done" and modes["test"]["best"]["total"] == 10


def test_touch_screens_hide_the_keys_hint(browser, site):
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(site + PATTERN + "practice/1/")
    expect(page.locator(".keys")).to_be_hidden()
    context.close()


def test_nothing_scrolls_sideways_at_320px(browser, site, pattern):
    learner_pages = [
        "/",
        PATTERN,
        PATTERN + "challenge/",
        PATTERN + "test/",
        PATTERN + "practice/1/",
        PATTERN + "try/1/",
        PATTERN + "learn/",
        PATTERN + "deep-dive/",
        PATTERN + "review/",
        PATTERN + "visualize/",
        "/me/",
        "/review/",
        "/badges/",
    ]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in learner_pages:
        page.goto(site + path)
        no_sideways_scroll(page)
    challenge = start_challenge(page, site)
    no_sideways_scroll(page)
    learner = learner_of(page)
    test = rules.start_test(learner, pattern)
    rules.finish_test(test)
    for path in [f"/challenges/{challenge.pk}/results/", f"/tests/{test.pk}/results/"]:
        page.goto(site + path)
        no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_new_screens(browser, site, pattern, scheme):
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    challenge = start_challenge(page, site)
    learner = learner_of(page)
    rules.answer_problem(learner, challenge.pk, 1, problem(challenge, 1).version.key)
    test = rules.start_test(learner, pattern)
    rules.finish_test(test)  # every question missed: all queued
    paths = [
        f"/challenges/{challenge.pk}/1/",
        f"/challenges/{challenge.pk}/2/",
        f"/challenges/{challenge.pk}/results/",
        PATTERN + "challenge/",
        f"/tests/{test.pk}/results/",
        f"/tests/{test.pk}/1/",
        "/me/",
        "/review/",
        "/badges/",
    ]
    found = {}
    for path in paths:
        page.goto(site + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        if result["violations"]:
            found[path] = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]]
    context.close()
    assert not found, found


def test_the_practice_page_keeps_its_budget(browser, site):
    context = browser.new_context()
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(len(request.response().body())))
    page.goto(site + PATTERN + "practice/1/", wait_until="networkidle")
    context.close()
    assert len(sizes) <= 5 and sum(sizes) <= 60_000, (len(sizes), sum(sizes))
