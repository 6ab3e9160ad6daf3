"""The experiment engine, run for real: servers start, requests are timed, nothing is left."""

import pytest
from conftest import left_running

from codedrill.lab import engine
from codedrill.lab.engine import ExperimentError, Server, Site, run
from codedrill.lab.experiments import plan

pytestmark = pytest.mark.content

SITE = Site(
    """
import asyncio
import time
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path


async def wait(request):
    print("waiting", request.GET.get("who", "?"), flush=True)
    await asyncio.sleep(0.5)
    return HttpResponse("waited")


async def broken(request):
    return User.objects.count()  # the sync ORM on the event loop


async def forgot(request):
    asyncio.sleep(0.5)
    return HttpResponse("returned at once")


def sync_wait(request):
    time.sleep(0.5)
    return HttpResponse("slept")


urlpatterns = [
    path("wait/", wait), path("forgot/", forgot), path("sync/", sync_wait), path("broken/", broken)
]
""",
    database=True,
)


def test_uvicorn_overlaps_awaits_and_records_each_request():
    result = run(SITE, Server("uvicorn"), [f"/wait/?who={n}" for n in range(4)])
    assert [r.status for r in result.requests] == [200] * 4
    assert [r.body for r in result.requests] == ["waited"] * 4
    assert all(0.5 <= r.seconds < 1.5 for r in result.requests)
    assert result.wall < 1.5  # four half-second waits overlapped on one event loop
    assert sorted(result.stdout.splitlines()) == [f"waiting {n}" for n in range(4)]
    assert result.knobs["server"] == "uvicorn (ASGI), 1 worker"
    assert result.knobs["event_loop"] == "asyncio" and result.knobs["client_connections"] == 4
    assert left_running(engine.process_groups[-1]) == []


def test_every_warning_is_shown_every_time():
    result = run(SITE, Server("uvicorn"), ["/forgot/"] * 3)
    assert result.wall < 0.5
    assert len([w for w in result.warnings() if "was never awaited" in w]) == 3


def test_the_servers_tracebacks_are_read_as_exception_names():
    result = run(SITE, Server("uvicorn"), ["/broken/", "/wait/"], concurrency=1)
    assert [r.status for r in result.requests] == [500, 200]
    assert result.errors() == ["SynchronousOnlyOperation"]


def test_a_single_threaded_wsgi_worker_serves_one_request_at_a_time():
    result = run(SITE, Server("gunicorn", workers=1, threads=1), ["/sync/"] * 3)
    assert [r.status for r in result.requests] == [200] * 3
    assert result.wall >= 1.5
    assert result.knobs["server"] == "gunicorn (WSGI), 1 worker, 1 thread each"
    assert left_running(engine.process_groups[-1]) == []


def test_a_broken_site_is_reported_with_the_servers_output():
    with pytest.raises(ExperimentError) as caught:
        run(Site("urlpatterns = [\n"), Server("uvicorn"), ["/"])
    assert "SyntaxError" in str(caught.value)
    assert left_running(engine.process_groups[-1]) == []


@pytest.mark.parametrize(
    ("server", "values", "message"),
    [
        ("uvicorn", {"requests": 51}, "requests must be between 1 and 50"),
        ("uvicorn", {"delay": "soon"}, "delay must be a number"),
        ("uvicorn", {"colour": 1}, "unknown parameter 'colour'"),
        ("granian", {}, "server must be one of uvicorn, gunicorn"),
    ],
)
def test_lab_parameters_are_bounded(server, values, message):
    definition = {
        "servers": ["uvicorn", "gunicorn"],
        "endpoints": [{"path": "/wait/", "label": "wait"}],
        "parameters": {
            "requests": {"default": 5, "min": 1, "max": 50},
            "delay": {"default": 1.0, "min": 0.1, "max": 3.0},
        },
    }
    with pytest.raises(ExperimentError, match=message):
        plan(definition, "", server, "/wait/", values)


def test_a_probe_request_follows_the_batch():
    definition = {
        "servers": ["uvicorn"],
        "endpoints": [{"path": "/slow/", "label": "slow"}],
        "parameters": {"requests": {"default": 3, "min": 1, "max": 10}},
        "probe": {"path": "/ping/", "after": 0.2, "label": "one quick request"},
    }
    _site, server, requests = plan(definition, "", "uvicorn", "/slow/", {"requests": 2})
    assert requests == ["/slow/", "/slow/", ("/ping/", 0.2)]
    assert server.describe() == "uvicorn (ASGI), 1 worker"
