"""codedrill's PostgreSQL backend: the health check runs once a connection has been idle, not on
every request. No server needed: the connection is a stand-in and the check is counted."""

import dj_database_url
import pytest

from codedrill.postgresql import base


@pytest.fixture
def wrapper(monkeypatch):
    """A connection that has been opened, whose health checks are counted (all pass)."""
    settings = dj_database_url.parse("postgres://u:p@127.0.0.1:5999/x", conn_health_checks=True)
    wrapper = base.DatabaseWrapper(settings | {"ENGINE": "codedrill.postgresql", "OPTIONS": {}})
    wrapper.connection = object()
    wrapper.health_check_enabled = True  # what connect() sets from CONN_HEALTH_CHECKS
    wrapper.checks = 0

    def is_usable():
        wrapper.checks += 1
        return True

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return wrapper


def request(wrapper):
    """What Django does for a request with queries: reset the check, then query (twice)."""
    wrapper.health_check_done = False
    wrapper.close_if_health_check_failed()
    wrapper.close_if_health_check_failed()


def test_a_busy_connection_is_checked_once_then_not_while_requests_follow(wrapper, monkeypatch):
    clock = iter([100.0, 100.5, 101.2, 101.9])
    monkeypatch.setattr(base, "monotonic", lambda: next(clock))
    for _ in range(4):
        request(wrapper)
    assert wrapper.checks == 1  # the first request only: each next came within IDLE_SECONDS


def test_a_connection_idle_longer_than_the_limit_is_checked_again(wrapper, monkeypatch):
    clock = iter([100.0, 100.0 + base.IDLE_SECONDS + 0.1, 100.0 + 2 * base.IDLE_SECONDS + 0.3])
    monkeypatch.setattr(base, "monotonic", lambda: next(clock))
    for _ in range(3):
        request(wrapper)
    assert wrapper.checks == 3


def test_a_failed_check_closes_the_connection(wrapper, monkeypatch):
    closed = []
    monkeypatch.setattr(wrapper, "is_usable", lambda: False)
    monkeypatch.setattr(wrapper, "close", lambda: closed.append(True))
    request(wrapper)
    assert closed
