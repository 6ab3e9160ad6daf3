"""How `codedrill check` paces its runs: by each proof's CPU share, so that waiting proofs
overlap while a timed proof that computes keeps the cores its claim assumes. The sandbox is
replaced by a stand-in that reports what a run of each kind would cost."""

import threading
import time

import pytest
from conftest import EXAMPLE_CONTENT

from codedrill.content import check as checker
from codedrill.content.check import Cache, ProofRun, run_proofs
from codedrill.content.loader import load_tree

COMPUTING = "practice-easy-three-waiting-requests"  # a timed proof, here made to compute


class Stand:
    """Runs each job for `seconds`, reporting a computing job's run as keeping one core busy
    and every other run as waiting; remembers what ran beside what."""

    def __init__(self, seconds: float = 0.05):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.running: list = []
        self.most_at_once = 0
        self.beside: dict[int, list] = {}  # a computing run's number: the others as it started

    def __call__(self, job, timeout, weak):
        with self.lock:
            if job.item.slug == COMPUTING:
                self.beside[len(self.beside)] = [j.item.slug for j in self.running]
            self.running.append(job)
            self.most_at_once = max(self.most_at_once, len(self.running))
        time.sleep(self.seconds * (4 if job.item.slug == COMPUTING else 1))
        with self.lock:
            self.running.remove(job)
        computing = job.item.slug == COMPUTING
        seconds = 1.0
        cpu, busiest = (1.0, 1.0) if computing else (0.1, 0.3)
        return ProofRun("ok", {"same": True}, "", seconds, cpu=cpu, busiest=busiest)


@pytest.fixture
def stand(monkeypatch):
    monkeypatch.setattr(checker.os, "cpu_count", lambda: 2)
    stand = Stand()
    monkeypatch.setattr(checker, "_run", stand)
    return stand


def test_waiting_proofs_run_more_at_once_than_there_are_cores(stand):
    patterns, _errors = load_tree(EXAMPLE_CONTENT)
    settled = run_proofs(patterns, timeout=60, workers=None)
    assert all(run.status == "ok" for run in settled.values())
    # Shares of 0.1 (a tenth of a core busy) on 2 cores; the old scheduler ran 2 at once.
    assert stand.most_at_once > 2


def test_a_computing_timed_proof_counts_only_runs_that_had_a_core_of_their_own(stand):
    patterns, _errors = load_tree(EXAMPLE_CONTENT)
    settled = run_proofs(patterns, timeout=60, workers=None)
    (verdict,) = [run for (_id, _o), run in settled.items() if _slug(patterns, _id) == COMPUTING]
    assert verdict.status == "ok" and verdict.runs == 3
    # Its first run, its share unknown, started beside others and did not count: it ran 4
    # times. Each later run had a core of its own: beside another run of it, nothing else.
    assert len(stand.beside) == 4
    for number, others in stand.beside.items():
        if number:
            assert others in ([], [COMPUTING]), others


def test_a_share_from_an_earlier_check_paces_the_first_run(stand, tmp_path):
    patterns, _errors = load_tree(EXAMPLE_CONTENT)
    cache = tmp_path / "cache.json"
    run_proofs(patterns, timeout=60, workers=None, cache=Cache(cache))
    stand.beside.clear()
    again = run_proofs(patterns, timeout=60, workers=None, cache=Cache(cache, reuse=False))
    assert all(run.runs >= 1 and not run.cached for run in again.values())
    assert len(stand.beside) == 3  # known to compute from the start: no run wasted


def test_workers_runs_that_many_at_a_time(stand):
    patterns, _errors = load_tree(EXAMPLE_CONTENT)
    settled = run_proofs(patterns, timeout=60, workers=1)
    assert all(run.status == "ok" for run in settled.values())
    assert stand.most_at_once == 1


@pytest.mark.parametrize(
    ("cpu", "busiest", "timed", "share"),
    [
        (1.0, 0.4, True, 0.1),  # a timed proof that waits: its average
        (6.0, 0.95, True, 1),  # one that computes: a whole core
        (4.0, 0.6, True, 1),  # the same on a machine loaded by others
        (6.0, 0.3, True, 1),  # on one loaded more: what it spends tells
        (9.0, 1.8, True, 2),  # on two cores at once: both
        (6.0, 0.95, False, 0.6),  # an untimed one that computes: its average
        (0.05, 0.1, False, 0.1),  # at least MIN_SHARE
    ],
)
def test_a_runs_share(cpu, busiest, timed, share):
    run = ProofRun("ok", {}, "", 10.0, cpu=cpu, busiest=busiest)
    assert checker._share(run, timed, cores=2) == pytest.approx(share)


def _slug(patterns, item_id):
    for pattern in patterns:
        for item in [*pattern.questions, *pattern.traces, *pattern.experiments]:
            if item.id == item_id:
                return item.slug
    return None
