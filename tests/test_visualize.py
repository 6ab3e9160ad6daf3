"""Visualize: stepping through a trace by links, its quiz, and the progress both earn."""

import re

import pytest

from codedrill.accounts.models import User
from codedrill.learning.models import TraceProgress
from codedrill.progress.models import ModeProgress
from codedrill.quiz.answers import plain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

BASE = "/patterns/async-django/visualize"


def current_line(html: str) -> int:
    marked = re.search(r'aria-current="step"><span class="visually-hidden">Current line: </span>'
                       r'<span class="linenos">\s*(\d+)</span>', html)  # fmt: skip
    return int(marked.group(1))


def table_rows(html: str) -> list[str]:
    body = html.split('<table class="execution">')[1].split("</tbody>")[0]
    return re.findall(r"<tr[^>]*><th scope=\"row\">\d+</th>", body)


def test_visualize_steps_through_a_trace_by_plain_links(client, pattern):
    trace = pattern.traces.get(slug="1-two-requests-await")
    steps = trace.data["steps"]
    assert client.get(f"{BASE}/").headers["Location"] == f"{BASE}/1-two-requests-await/"

    first = client.get(f"{BASE}/{trace.slug}/").content.decode()
    assert "Step 1 of 10" in first
    assert 'data-key="prev"' not in first
    assert 'data-key="next" href="?step=2#stepper"' in first
    assert current_line(first) == steps[0]["line"]
    assert len(table_rows(first)) == 1

    html = client.get(f"{BASE}/{trace.slug}/?step=3").content.decode()
    assert 'data-key="prev" href="?step=2#stepper"' in html
    assert current_line(html) == steps[2]["line"] == 10
    rows = table_rows(html)
    assert len(rows) == 3 and 'class="current" aria-current="step"' in rows[-1]
    live = html.split('aria-live="polite">')[1].split("</div>")[0]
    assert plain(live).strip() == plain(steps[2]["says"])
    # loop_busy_with went from A to nothing at step 3, and the tracker says so.
    assert re.search(
        r"<code>loop_busy_with</code></th><td>nothing <span class=\"tag\">changed", html
    )
    for moment in trace.data["moments"]:
        assert moment in html

    last = client.get(f"{BASE}/{trace.slug}/?step=10").content.decode()
    assert 'data-key="next"' not in last and "Finish the trace" in last
    for bad in ("0", "11", "x", "-1"):
        assert client.get(f"{BASE}/{trace.slug}/?step={bad}").status_code == 404
    assert client.get(f"{BASE}/no-such-trace/").status_code == 404


def test_the_quiz_shows_key_and_solution_only_after_answering(client, pattern):
    trace = pattern.traces.get(slug="2-blocking-call")
    first, second, _third = trace.data["quiz"]
    solutions = [plain(step) for item in trace.data["quiz"] for step in item["solution"]]
    page = f"{BASE}/{trace.slug}/"

    before = plain(client.get(page).content.decode())
    assert not any(text in before for text in solutions)
    assert "Answer:" not in before and "Correct." not in before

    wrong = next(o["id"] for o in first["options"] if o["id"] != first["key"])
    response = client.post(f"{page}quiz/{first['id']}", {"choice": wrong, "step": "4"})
    assert response.headers["Location"] == f"{page}?step=4#q-{first['id']}"
    after = plain(client.get(f"{page}?step=4").content.decode())
    assert "Not correct." in after
    assert re.search(r"Answer: [AB]: Only after A's view has finished", after)
    assert all(plain(step) in after for step in first["solution"])
    assert not any(plain(step) in after for step in second["solution"])

    # The first answer is final: answering again changes nothing.
    client.post(f"{page}quiz/{first['id']}", {"choice": first["key"], "step": "1"})
    learner = User.objects.get()
    progress = TraceProgress.objects.get(learner=learner, trace=trace)
    assert progress.answers == {first["id"]: {"choice": wrong, "correct": False}}

    client.post(f"{page}quiz/{second['id']}", {"choice": second["key"], "step": "1"})
    assert "Correct." in plain(client.get(page).content.decode())


def test_bad_quiz_answers_get_a_clear_error_and_record_nothing(client, pattern):
    trace = pattern.traces.get(slug="2-blocking-call")
    item = trace.data["quiz"][0]
    url = f"{BASE}/{trace.slug}/quiz/{item['id']}"
    response = client.post(url, {"choice": "not-an-option", "step": "2"})
    assert response.status_code == 400
    assert "Choose one of the options." in response.content.decode()
    assert client.post(url, {"step": "2"}).status_code == 400
    assert client.post(f"{BASE}/{trace.slug}/quiz/nope", {"choice": "a"}).status_code == 404
    assert client.post(url, {"choice": item["key"], "step": "99"}).status_code == 404
    assert client.get(url).status_code == 405
    assert not TraceProgress.objects.exclude(answers={}).exists()


def test_stepping_through_and_answering_every_trace_completes_visualize(client, pattern):
    traces = list(pattern.traces.all())
    percent = lambda: ModeProgress.objects.get(mode="visualize").percent  # noqa: E731

    response = client.post(f"{BASE}/{traces[0].slug}/finish")
    assert response.headers["Location"] == f"{BASE}/{traces[0].slug}/?step=10#quiz"
    assert percent() == 12  # 1 of 8: two traces, each stepped through plus 3 questions
    html = client.get(f"{BASE}/{traces[0].slug}/?step=10").content.decode()
    assert "Finish the trace" not in html and "Stepped through" in html

    for trace in traces:
        client.post(f"{BASE}/{trace.slug}/finish")
        for item in trace.data["quiz"]:
            client.post(f"{BASE}/{trace.slug}/quiz/{item['id']}", {"choice": item["key"]})
    assert percent() == 100
    assert "Quiz 3/3" in client.get(f"{BASE}/{traces[1].slug}/").content.decode()


def test_a_guests_visualize_work_joins_the_account_it_logs_in_to(pattern, learner):
    blocking, two = pattern.traces.all()
    guest = User.create_guest()
    TraceProgress.objects.create(learner=guest, trace=blocking, finished=True)
    TraceProgress.objects.create(
        learner=guest, trace=two, answers={"q1": {"choice": "a", "correct": True}, "q2": {}}
    )
    TraceProgress.objects.create(
        learner=learner, trace=two, answers={"q2": {"choice": "b", "correct": False}}
    )

    learner.merge_guest(guest)

    mine = {row.trace: row for row in TraceProgress.objects.filter(learner=learner)}
    assert mine[blocking].finished and not mine[two].finished
    assert mine[two].answers == {
        "q1": {"choice": "a", "correct": True},
        "q2": {"choice": "b", "correct": False},
    }
    assert ModeProgress.objects.get(learner=learner, mode="visualize").percent == 12
    exported = learner.export_data()["visualize"]
    assert {row["trace"] for row in exported} == {"2-blocking-call", "1-two-requests-await"}


@pytest.mark.parametrize("step", ["\u00b2", "\u0663", "9" * 5000, "-1", "0", ""])
def test_a_step_that_is_not_a_plain_number_in_range_is_404(client, pattern, step):
    trace = pattern.traces.get(slug="2-blocking-call")
    assert client.get(f"{BASE}/{trace.slug}/", {"step": step}).status_code == 404
    item = trace.data["quiz"][0]
    url = f"{BASE}/{trace.slug}/quiz/{item['id']}"
    assert client.post(url, {"choice": item["key"], "step": step}).status_code == 404
    assert not TraceProgress.objects.exclude(answers={}).exists()


def test_the_setup_line_shows_backticks_as_code_like_a_questions(client, pattern):
    trace = pattern.traces.get(slug="1-two-requests-await")
    trace.data["setup"] = "Django 5.2 under uvicorn. A view calls `slow()` <b>twice</b>."
    trace.save()
    html = client.get(f"{BASE}/{trace.slug}/").content.decode()
    assert "calls <code>slow()</code> &lt;b&gt;twice&lt;/b&gt;." in html
