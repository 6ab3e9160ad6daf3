"""Every learning mode in Chromium by keyboard alone, and axe-core on every mode page."""

import re

import pytest
from conftest import REPO
from playwright.sync_api import Page, expect

from codedrill.quiz.answers import plain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
PATTERN = "/patterns/async-django/"


@pytest.fixture
def site(live_server, pattern):
    return live_server.url


def tab_to(page: Page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element's accessible text is `name` (a regex)."""
    wanted = re.compile(name)
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(); }"
        )
        if wanted.search(text):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def tab_to_input(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on an element matching the CSS `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector!r}")


def open_mode(page: Page, site: str, title: str) -> None:
    page.goto(site + PATTERN)
    tab_to(page, f"^{title}$")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def key_for(page: Page, inputs: str, option_id: str) -> str:
    """The key to press for an option: the letter of its place among the `inputs` (a selector)
    of its group, as this learner's page shows them."""
    shown = page.locator(inputs).evaluate_all("inputs => inputs.map(i => i.value)")
    return "abcdefghij"[shown.index(option_id)]


def test_the_reading_modes_by_keyboard(page: Page, site):
    for title, after in [("Learn", "Why"), ("Why", "Visualize"), ("Deep dive", "Review")]:
        open_mode(page, site, title)
        tab_to(page, "^Done")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text(after)
    page.goto(site + PATTERN)
    expect(page.get_by_text("Done", exact=True)).to_have_count(3)


def test_try_by_keyboard_wrong_then_right(page: Page, site, pattern):
    version = pattern.pool("try")[0].current
    open_mode(page, site, "Try")
    tab_to(page, "^Start with task 1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Task 1/5")
    blanks = list(version.key.items())
    for blank, keyed in blanks:  # a wrong option for every blank
        wrong = next(o["id"] for o in version.options if o["blank"] == blank and o["id"] != keyed)
        tab_to_input(page, f'input[name="blank-{blank}"]')
        page.keyboard.press(key_for(page, f'input[name="blank-{blank}"]', wrong))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("2 attempts left")
    for blank, keyed in blanks:
        tab_to_input(page, f'input[name="blank-{blank}"]')
        page.keyboard.press(key_for(page, f'input[name="blank-{blank}"]', keyed))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Correct.")
    expect(page.get_by_text("The completed code")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Task 2/5")


def test_practice_by_keyboard_hint_answer_next(page: Page, site, pattern):
    version = pattern.pool("practice")[0].current
    open_mode(page, site, "Practice")
    tab_to(page, "^Start with problem 1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Problem 1/5")
    expect(page.get_by_role("note")).to_have_count(0)
    tab_to(page, "^Show a hint")
    page.keyboard.press("Enter")
    expect(page.get_by_role("note")).to_contain_text("Hint")
    page.keyboard.press(key_for(page, 'input[name="answer"]', version.key))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Correct.")
    expect(page.get_by_text("Final answer:")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Problem 2/5")


def mode_pages(pattern) -> list[str]:
    pages = [PATTERN]
    for mode in pattern.live_modes():
        pages.append(f"{PATTERN}{mode}/")
    pages += [f"{PATTERN}try/1/", f"{PATTERN}practice/1/", f"{PATTERN}review/1/"]
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_mode_page(browser, site, pattern, scheme):
    # axe is injected as a script, which the site's CSP would block: this context bypasses CSP.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in mode_pages(pattern):
        page.goto(site + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]} "
            f"{v['nodes'][0]['failureSummary'][:200]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
    context.close()
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


def test_visualize_by_keyboard_step_finish_and_quiz(page: Page, site, pattern):
    trace = pattern.traces.order_by("slug").first()
    steps, item = len(trace.data["steps"]), trace.data["quiz"][0]
    open_mode(page, site, "Visualize")
    expect(page.get_by_role("heading", name="Step 1 of")).to_be_visible()
    for n in range(2, steps + 1):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("heading", name=f"Step {n} of {steps}")).to_be_visible()
    expect(page.locator(".code [aria-current=step]")).to_have_count(1)
    tab_to(page, "^Finish the trace$")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stepped through").first).to_be_visible()
    page.keyboard.press(key_for(page, f'#q-{item["id"]} input[name="choice"]', item["key"]))
    page.keyboard.press("Enter")
    expect(page.locator(f"#q-{item['id']} .verdict")).to_have_text("Correct.")


def test_review_by_keyboard_flip_a_card_and_rate_it(page: Page, site, pattern):
    card = pattern.cards.first()
    open_mode(page, site, "Review")
    tab_to(page, re.escape(" ".join(plain(card.front).split())[:30]))
    back = page.locator(f"#card-{card.uuid} .back")
    expect(back).to_be_hidden()
    page.keyboard.press("Space")
    expect(back).to_be_visible()
    tab_to(page, "^Good$")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Rated Good").first).to_be_visible()
