"""A visitor who has answered nothing crawls every page and API response they can reach: no
solution step, common mistake, hint or trace-quiz solution may appear anywhere."""

import re
from urllib.parse import urljoin, urlparse

import pytest

from codedrill.quiz.answers import plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

HREF_RE = re.compile(r'href="([^"#]+)')
SKIP = ("/admin/", "/static/", "/logout/", "/account/")


def squash(text: str) -> str:
    return " ".join(plain(text).split())


def secrets(pattern) -> dict[str, str]:
    """Every text kept back until answering, as the first 50 characters of its plain text."""
    found = {}
    for question in pattern.questions.select_related("current"):
        version = question.current
        texts = [version.hint, *version.solution, *(m["html"] for m in version.mistakes)]
        for text in texts:
            found[squash(text)[:50]] = question.slug
    for trace in pattern.traces.all():
        for item in trace.data["quiz"]:
            for step in item["solution"]:
                found[squash(step)[:50]] = f"{trace.slug} quiz"
    return found


def crawl(client, start: str, limit: int = 200) -> dict[str, str]:
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 302:  # e.g. Visualize opens its first trace
            response = client.get(response["Location"])
        if response.status_code != 200:
            continue
        body = response.content.decode()
        pages[url] = body
        if response["Content-Type"].startswith("text/html"):
            for href in HREF_RE.findall(body):
                target = urljoin(url, href.replace("&amp;", "&"))
                parsed = urlparse(target)
                if parsed.netloc or target.startswith(SKIP):
                    continue
                queue.append(target)
    return pages


def test_nothing_early_in_any_page_or_api_response(client, pattern):
    pages = crawl(client, "/")
    api = ["/api/v1/patterns", "/api/v1/patterns/async-django"] + [
        f"/api/v1/patterns/async-django/modes/{mode}" for mode in pattern.live_modes()
    ]
    for url in api:
        pages[url] = client.get(url).content.decode()
    # The crawl reached every live mode and every question of the untimed modes.
    for mode in pattern.live_modes():
        assert f"/patterns/async-django/{mode}/" in pages
    for n in range(1, 6):
        assert f"/patterns/async-django/practice/{n}/" in pages
        assert f"/patterns/async-django/try/{n}/" in pages
    hidden = secrets(pattern)
    leaks = [
        f"{url}: {owner}: {text!r}"
        for url, body in pages.items()
        for text, owner in hidden.items()
        if text in squash(body)
    ]
    assert leaks == []
    assert not any("Final answer" in squash(body) for body in pages.values())
