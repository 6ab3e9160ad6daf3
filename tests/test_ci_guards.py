"""The suite's own guards: under CI a test whose tool is missing fails, saying what to install;
elsewhere it is skipped with the same words. Checked on this machine whatever it has."""

import conftest
import pytest

from codedrill import sandbox
from codedrill.settings import env_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("on", True), ("false", False), ("0", False), ("", False)],
)
def test_ci_counts_only_when_it_says_so(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert env_bool("CI") is expected


@pytest.mark.parametrize(
    ("in_ci", "outcome"), [(True, pytest.fail.Exception), (False, pytest.skip.Exception)]
)
def test_a_missing_sandbox_fails_ci_and_skips_elsewhere(monkeypatch, in_ci, outcome):
    monkeypatch.setattr(conftest, "IN_CI", in_ci)
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "no bwrap")
    with pytest.raises(outcome, match=r"\(no bwrap\): .*apt-get install bubblewrap"):
        conftest.require_sandbox()


def test_a_present_sandbox_lets_the_test_run(monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", True)
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: None)
    conftest.require_sandbox()  # neither skips nor fails


def test_a_missing_browser_stops_ci_before_any_test_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.UsageError, match="apt-get install chromium"):
        conftest.pytest_collection_modifyitems(None, [])
