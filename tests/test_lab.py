"""The Lab's rules through the pages and the API: predict, run (memoized or live), read; bounds,
rate limits, a full queue, other learners' runs, and a worker that died."""

import re
from datetime import timedelta

import pytest
from conftest import BUNDLED_CONTENT
from django.utils import timezone

from codedrill import sandbox
from codedrill.content.models import Experiment
from codedrill.content.publish import publish
from codedrill.lab import runs
from codedrill.lab.models import LabResult, LabRun, memo_key
from codedrill.progress.models import ModeProgress

pytestmark = pytest.mark.usefixtures("published_for_module")
API = "/api/v1"
BLOCKING = "/patterns/async-django/lab/blocking-async/"
SETUP = {"server": "uvicorn", "endpoint": "/blocking/", "requests": "3", "delay": "0.3",
         "predict_wall": "1", "predict_probe": "0.5"}  # fmt: skip
# An N+1 experiment: a list of `rows` books, their authors and tags (content/django/n-plus-one).
RELATED = "/patterns/n-plus-one/lab/related-loading/"
ROWS_SETUP = {"server": "gunicorn", "endpoint": "/plain/", "requests": "2", "rows": "10",
              "predict_queries": "11"}  # fmt: skip


@pytest.fixture
def experiment(pattern):
    return Experiment.objects.get(pattern=pattern, slug="blocking-async")


def api_body(experiment, **changes):
    body = {"experiment": str(experiment.uuid), "server": "uvicorn", "endpoint": "/blocking/",
            "parameters": {"requests": 3, "delay": 0.3},
            "prediction": {"wall": 1, "probe": 0.5}}  # fmt: skip
    return {**body, **changes}


def test_the_lab_lists_every_experiment_with_its_question(client, pattern):
    html = client.get("/patterns/async-django/lab/").content.decode()
    for experiment in pattern.experiments.all():
        assert experiment.title in html and experiment.question in html
    assert "What happens to a quick request behind three blocking ones?" in html


def test_a_run_needs_a_prediction_and_bounded_parameters(client, experiment):
    unpredicted = client.post(BLOCKING, {**SETUP, "predict_wall": ""})
    assert unpredicted.status_code == 400
    assert "Predict first: how many seconds will the whole run take?" in unpredicted.text
    too_many = client.post(BLOCKING, {**SETUP, "requests": "11"})
    assert too_many.status_code == 400 and "Requests must be between 1 and 10." in too_many.text
    for bad in ("nan", "1e999", "²", "-1"):
        response = client.post(BLOCKING, {**SETUP, "delay": bad})
        assert response.status_code == 400, bad
    assert not LabRun.objects.exists()


def test_the_api_refuses_bad_runs_with_a_clear_400(client, experiment):
    client.get(f"{API}/csrf")
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    for body, message in [
        (api_body(experiment, server="granian"), "Server must be one of uvicorn."),
        (api_body(experiment, prediction={}), "Predict first"),
        (api_body(experiment, parameters={"colour": 1}), "Unknown parameter 'colour'."),
    ]:
        response = client.post(f"{API}/lab/runs", body, content_type="application/json", **csrf)
        assert response.status_code == 400 and message in response.json()["detail"]
        csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    assert not LabRun.objects.exists()


def test_a_live_run_measures_the_blocking_call_and_is_then_memoized(
    client, learner, other_learner, experiment, full_sandbox
):
    client.force_login(learner)
    response = client.post(BLOCKING, {**SETUP, "live": "on"})
    run = LabRun.objects.get()
    assert response.url == f"/lab/runs/{run.pk}/"
    assert run.status == "queued" and run.live and run.task_id
    assert "Waiting in the queue: position 1." in client.get(response.url).text
    runs.perform(run.pk)  # what the worker does with the task
    run.refresh_from_db()
    assert run.status == "done", run.reason
    result = run.result
    # Three 0.3 s blocking calls hold the loop: the probe waits for them, about 3 x the delay.
    assert 0.3 * 2 < result.probe < 0.3 * 3 + 1.0
    assert len(result.requests) == 4 and result.requests[-1]["probe"]
    assert "held the event loop" in result.reading
    assert result.knobs["described"] == "uvicorn (ASGI), 1 worker"
    page = client.get(response.url).text
    assert result.reading in page and "<svg" in page and "The timeline as a table" in page
    assert ModeProgress.objects.get(learner=learner, mode="lab").percent == round(100 / 7)
    # The same setup again reads the stored measurement at once, for anyone.
    client.force_login(other_learner)
    again = client.post(BLOCKING, SETUP)
    memo = LabRun.objects.get(pk=int(again.url.split("/")[-2]))
    assert memo.status == "done" and memo.result == result and not memo.live
    assert LabResult.objects.count() == 1


def test_a_query_count_run_needs_bounded_rows_and_a_whole_number_of_queries(client, pattern):
    form = client.get(RELATED).text
    assert "Rows (1–200)" in form and "How many database queries will one request run?" in form
    assert "predict_wall" not in form  # this experiment asks for the queries alone
    for changes, message in [
        ({"rows": "0"}, "Rows must be between 1 and 200."),
        ({"rows": "201"}, "Rows must be between 1 and 200."),
        ({"rows": "many"}, "Rows must be a number."),
        ({"predict_queries": ""}, "Predict first: how many database queries will one request"),
        ({"predict_queries": "2.5"}, "A prediction of queries is a whole number from 0 to 10000."),
        ({"predict_queries": "-1"}, "A prediction of queries is a whole number from 0 to 10000."),
    ]:
        response = client.post(RELATED, {**ROWS_SETUP, **changes})
        assert response.status_code == 400 and message in response.text, changes
    client.get(f"{API}/csrf")
    related = Experiment.objects.get(slug="related-loading")
    body = {"experiment": str(related.uuid), "server": "gunicorn", "endpoint": "/plain/",
            "parameters": {"rows": 1000}, "prediction": {"queries": 3}}  # fmt: skip
    response = client.post(f"{API}/lab/runs", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"] == "Rows must be between 1 and 200."
    assert not LabRun.objects.exists()


def test_a_live_n_plus_one_run_shows_each_requests_queries_and_compares_with_another(
    client, learner, pattern, full_sandbox
):
    client.force_login(learner)
    measured = []
    for endpoint in ("/plain/", "/prefetch-related/"):
        response = client.post(RELATED, {**ROWS_SETUP, "endpoint": endpoint, "live": "on"})
        run = LabRun.objects.get(pk=int(response.url.split("/")[-2]))
        runs.perform(run.pk)
        run.refresh_from_db()
        assert run.status == "done", run.reason
        measured.append(run)
    lazy, prefetched = measured
    # 10 books: the list, then each book's author and its tags, one query each.
    assert [r["queries"] for r in lazy.result.requests] == [21, 21]
    assert [r["queries"] for r in prefetched.result.requests] == [2, 2]
    assert lazy.prediction == {"queries": 11} and lazy.parameters["rows"] == 10
    assert "one for the list and 2 more for every book" in lazy.result.reading
    assert "only 2 queries for 10 books" in prefetched.result.reading
    page = client.get(f"/lab/runs/{lazy.pk}/").text
    predicted = re.search(r"Queries per request</th><td>(.*?)</td><td>(.*?)</td>", page)
    assert predicted.groups() == ("11", "21")
    assert '<th scope="col">Queries</th>' in page and "<td>21</td></tr>" in page
    assert ">21 queries</text>" in page  # on the timeline, beside each bar
    compared = client.get("/lab/compare/", {"runs": [lazy.pk, prefetched.pk]}).text
    assert "queries per request: 21" in compared and "queries per request: 2<" in compared
    listed = client.get(RELATED).text
    assert "queries per request: 21" in listed and "queries per request: 2<" in listed


def test_another_learners_run_does_not_exist_for_you(client, learner, other_learner, experiment):
    run = LabRun.objects.create(learner=learner, experiment=experiment, server="uvicorn",
                                endpoint="/blocking/", parameters={}, prediction={})  # fmt: skip
    client.force_login(other_learner)
    for url in (f"/lab/runs/{run.pk}/", f"/lab/runs/{run.pk}/part",
                f"/lab/compare/?runs={run.pk}", f"{API}/lab/runs/{run.pk}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    client.force_login(learner)
    assert client.get(f"{API}/lab/runs/{run.pk}").json()["status"] == "queued"


def test_live_runs_per_guest_are_limited_with_the_time_to_wait(client, settings, experiment):
    settings.LAB_GUEST_RUNS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(BLOCKING, {**SETUP, "live": "on"}).status_code == 302
    refused = client.post(BLOCKING, {**SETUP, "live": "on"})
    assert refused.status_code == 429
    assert "Live runs are limited to 2 an hour for guests" in refused.text
    assert "Your next live run is possible in 60 min." in refused.text
    client.get(f"{API}/csrf")
    response = client.post(
        f"{API}/lab/runs", api_body(experiment, live=True), content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )  # fmt: skip
    assert response.status_code == 429 and 3500 < int(response["Retry-After"]) <= 3600
    assert LabRun.objects.count() == 2


def test_a_full_queue_refuses_live_runs_with_503_and_still_serves_stored_ones(
    client, settings, learner, experiment
):
    settings.LAB_QUEUE_LIMIT = 1
    client.force_login(learner)
    client.post(BLOCKING, {**SETUP, "live": "on"})
    refused = client.post(BLOCKING, {**SETUP, "delay": "0.4", "live": "on"})
    assert refused.status_code == 503 and "The lab queue is full" in refused.text
    client.get(f"{API}/csrf")
    response = client.post(
        f"{API}/lab/runs", api_body(experiment, live=True), content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )  # fmt: skip
    assert response.status_code == 503 and int(response["Retry-After"]) >= 1
    stored = LabResult.objects.create(
        key=runs.memo_key(experiment, "uvicorn", "/blocking/", {"requests": 3, "delay": 0.3}),
        experiment=experiment, server="uvicorn", endpoint="/blocking/",
        parameters={"requests": 3, "delay": 0.3}, requests=[], wall=1.0, probe=0.9, cpu={},
        knobs={}, reading="stored", machine={},
    )  # fmt: skip
    memo = client.post(BLOCKING, SETUP)
    assert memo.status_code == 302
    assert LabRun.objects.get(pk=int(memo.url.split("/")[-2])).result == stored


def test_without_the_sandbox_live_runs_are_refused_naming_what_is_missing(
    client, monkeypatch, experiment
):
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "missing bwrap")
    response = client.post(BLOCKING, {**SETUP, "live": "on"})
    assert response.status_code == 503
    assert "Live runs are off on this server: missing bwrap." in response.text


def test_a_run_whose_worker_died_is_retried_once_then_failed(learner, experiment, settings):
    settings.LAB_STALE_SECONDS = 5
    run = LabRun.objects.create(learner=learner, experiment=experiment, server="uvicorn",
                                endpoint="/blocking/", parameters={}, prediction={},
                                status="running", attempts=1, live=True,
                                heartbeat=timezone.now() - timedelta(seconds=6))  # fmt: skip
    runs.recover_stalled()
    run.refresh_from_db()
    assert run.status == "queued" and run.task_id
    LabRun.objects.filter(pk=run.pk).update(
        status="running", attempts=2, heartbeat=timezone.now() - timedelta(seconds=6)
    )
    runs.recover_stalled()
    run.refresh_from_db()
    assert run.status == "failed" and "stopped during this run, twice" in run.reason
    fresh = LabRun.objects.create(learner=learner, experiment=experiment, server="uvicorn",
                                  endpoint="/blocking/", parameters={}, prediction={},
                                  status="running", attempts=1, live=True,
                                  heartbeat=timezone.now())  # fmt: skip
    runs.recover_stalled()
    fresh.refresh_from_db()
    assert fresh.status == "running"  # its worker is alive


# A PostgreSQL experiment with a tally: the lost-updates pattern's.
LOST_SALES = "/patterns/lost-updates/lab/lost-sales/"
TALLY_SETUP = {"server": "gunicorn", "endpoint": "/save/", "requests": "10", "threads": "8",
               "delay": "0.2", "predict_tally": "90"}  # fmt: skip


@pytest.fixture
def drafts(db):
    publish(BUNDLED_CONTENT)
    return Experiment.objects.get(slug="lost-sales")


def test_a_postgresql_experiment_says_so_and_asks_what_its_tally_will_say(client, drafts):
    form = client.get(LOST_SALES).text
    assert "Database: PostgreSQL, a new database for each run" in form
    assert "Once every request has been answered: /stock/, teapots left of the 100" in form
    ask = ("What will /stock/ answer once every request has been answered (teapots left of "
           "the 100 in stock)?")  # fmt: skip
    assert ask in form and "predict_wall" not in form
    assert re.search(r'name="predict_tally" type="number" inputmode="numeric" step="1" '
                     r'min="-10000" max="10000"', form)  # fmt: skip
    listed = client.get(f"{API}/patterns/lost-updates/lab").json()
    found = {e["slug"]: e for e in listed}["lost-sales"]
    assert found["database"] == "postgresql" and found["predict"] == ["tally"]
    assert found["tally"] == {"path": "/stock/", "label": "teapots left of the 100 in stock"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requests": "0"}, "Requests must be between 1 and 20."),
        ({"requests": "many"}, "Requests must be a number."),
        ({"threads": "17"}, "Threads must be between 1 and 16."),
        ({"delay": "5"}, "Delay must be between 0.1 and 1.0."),
        ({"endpoint": "/steal/"}, "Unknown endpoint &#x27;/steal/&#x27;."),
        ({"server": "uvicorn"}, "Server must be one of gunicorn."),
        ({"predict_tally": ""}, "Predict first: what will /stock/ answer once every request"),
        ({"predict_tally": "2.5"}, "A prediction of /stock/ is a whole number from -10000 to"),
        ({"predict_tally": "-10001"}, "A prediction of /stock/ is a whole number from -10000"),
    ],
)
def test_bad_buyers_or_strategies_get_a_clear_400(client, drafts, changes, message):
    response = client.post(LOST_SALES, {**TALLY_SETUP, **changes})
    assert response.status_code == 400 and message in response.text, response.text[-3000:]
    assert not LabRun.objects.exists()


def test_a_stock_below_zero_is_a_prediction_and_its_tally_is_shown(client, learner, drafts):
    last_units = Experiment.objects.get(slug="last-units")
    choice = {"server": "gunicorn", "endpoint": "/check-then-update/",
              "parameters": {"requests": 8, "threads": 8, "delay": 0.2}}  # fmt: skip
    LabResult.objects.create(
        key=memo_key(last_units, "gunicorn", choice["endpoint"], choice["parameters"]),
        experiment=last_units, server="gunicorn", endpoint=choice["endpoint"],
        parameters=choice["parameters"], wall=0.3, probe=None, tally=-3, cpu={},
        requests=[{"path": choice["endpoint"], "start": 0, "end": 0.3, "status": 200,
                   "error": "", "probe": False, "queries": 3}] * 8,
        knobs={"database": "postgresql"}, reading="8 of 8 buyers were told", machine={},
    )  # fmt: skip
    run = runs.start(learner, last_units, choice, {"tally": "-3"}, live=False)
    assert run.status == "done" and run.prediction == {"tally": -3}  # read from the memo
    client.force_login(learner)
    page = client.get(f"/lab/runs/{run.pk}/").text
    row = re.search(r"<th scope=\"row\">/stock/: teapots left of the 5</th><td>(.*?)</td>"
                    r"<td>(.*?)</td>", page)  # fmt: skip
    assert row.groups() == ("-3", "-3")
    assert "/stock/ answered -3" in client.get("/patterns/lost-updates/lab/last-units/").text
    assert "/stock/ answered -3" in client.get("/lab/compare/", {"runs": [run.pk]}).text
    api = client.get(f"{API}/lab/runs/{run.pk}").json()
    assert api["tally"] == -3 and api["prediction"] == {"tally": -3}
