"""A finished Test's result on plain objects (no database, so `make mutate` runs it per mutant
in a moment): the score's verdict and the per-concept breakdown, weakest first, each weak
concept pointing at the modes that teach it."""

from datetime import UTC, datetime
from types import SimpleNamespace

from codedrill.attempts import rules  # `rules.test_result`: a bare test_* name is collected


class Questions(list):
    """A test's questions, as `test.questions` hands them out."""

    def select_related(self, *fields):
        return self


def question(concepts: list[str], correct: bool) -> SimpleNamespace:
    return SimpleNamespace(version=SimpleNamespace(concepts=concepts), correct=correct)


def test_the_breakdown_is_weakest_first_and_sends_weak_concepts_to_their_modes():
    questions = Questions(
        [
            question(["zeta"], True),
            question(["alpha"], False),
            question(["mid", "alpha"], False),
            question(["alpha"], False),
            question(["mid"], True),
            question(["mid"], False),
            question(["mid"], False),
            question(["zeta"], True),
            question(["solo"], True),
            question(["gone"], False),  # a concept the pattern no longer lists
        ]
    )
    pattern = SimpleNamespace(
        concepts=[
            {"slug": "alpha", "title": "Alpha"},
            {"slug": "mid", "title": "Middle"},
            {"slug": "zeta", "title": "Zeta"},
            {"slug": "solo", "title": "Solo"},
        ],
        teaching_modes=lambda: {
            "alpha": ["learn", "practice"], "mid": ["learn"], "zeta": ["learn"], "solo": ["why"],
        },
    )  # fmt: skip
    test = SimpleNamespace(
        finished_at=datetime(2026, 12, 7, tzinfo=UTC), score=4, questions=questions, pattern=pattern
    )
    result = rules.test_result(test)
    assert (result.score, result.total, result.verdict) == (4, 10, "needs work")
    assert result.questions == questions and result.test is test
    # By the share right: 0/3 and 0/1 (in the order met), 1/4, then 2/2 and 1/1.
    breakdown = [
        (c.slug, c.title, c.right, c.total, [m.slug for m in c.modes]) for c in result.breakdown
    ]
    assert breakdown == [
        ("alpha", "Alpha", 0, 3, ["learn", "practice"]),
        ("gone", "gone", 0, 1, []),
        ("mid", "Middle", 1, 4, ["learn"]),
        ("zeta", "Zeta", 2, 2, []),  # never missed: nothing to revisit
        ("solo", "Solo", 1, 1, []),
    ]  # fmt: skip
