from django.dispatch import receiver

from codedrill.accounts.signals import guest_merged, learner_data
from codedrill.attempts.models import Badge, Challenge, TestAttempt
from codedrill.attempts.rules import summarize


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@receiver(guest_merged)
def move_attempts(sender, guest, user, **kwargs) -> None:
    Challenge.objects.filter(learner=guest).update(learner=user)
    TestAttempt.objects.filter(learner=guest).update(learner=user)
    for badge in Badge.objects.filter(learner=guest):
        kept = Badge.objects.filter(learner=user, pattern_id=badge.pattern_id).first()
        if kept is None:
            badge.learner = user
            badge.save(update_fields=["learner"])
        elif badge.earned_at < kept.earned_at:  # both earned it: keep the earlier date
            kept.earned_at, kept.challenge_id = badge.earned_at, badge.challenge_id
            kept.save(update_fields=["earned_at", "challenge"])


@receiver(learner_data)
def export_attempts(sender, user, **kwargs) -> dict:
    challenges = Challenge.objects.filter(learner=user).select_related("pattern")
    tests = TestAttempt.objects.filter(learner=user).select_related("pattern")
    return {
        "challenges": [
            _challenge(summarize(c))
            for c in challenges.prefetch_related("problems__version__question")
        ],
        "tests": [_test(t) for t in tests.prefetch_related("questions__version__question")],
        "badges": [
            {
                "pattern": badge.pattern.slug,
                "pattern_uuid": str(badge.pattern.uuid),
                "badge": badge.pattern.badge,
                "earned_at": badge.earned_at.isoformat(),
            }
            for badge in Badge.objects.filter(learner=user).select_related("pattern")
        ],
    }


def _challenge(summary) -> dict:
    challenge = summary.challenge
    return {
        "pattern": challenge.pattern.slug,
        "pattern_uuid": str(challenge.pattern.uuid),
        "started_at": challenge.started_at.isoformat(),
        "finished": summary.finished,
        "score": summary.score,
        "problems": [
            {
                "n": problem.position,
                "question_uuid": str(problem.version.question.uuid),
                "shown_at": _iso(problem.shown_at),
                "deadline": _iso(problem.deadline),
                "answers": problem.answers,
                "correct": status.correct,
                "outcome": status.outcome,
                "hint_asked": _iso(problem.hint_at),
            }
            for problem, status in summary.problems
        ],
    }


def _test(test) -> dict:
    return {
        "pattern": test.pattern.slug,
        "pattern_uuid": str(test.pattern.uuid),
        "started_at": test.started_at.isoformat(),
        "finished_at": _iso(test.finished_at),
        "score": test.score,
        "questions": [
            {
                "n": q.position,
                "question_uuid": str(q.version.question.uuid),
                "answer": q.answer,
                "answered_at": _iso(q.answered_at),
                "correct": q.correct,
            }
            for q in test.questions.all()
        ],
    }
