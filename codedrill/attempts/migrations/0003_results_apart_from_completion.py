"""Until now a Test's and a Challenge's "progress" was their best score. Rebuild both rows from
the attempts: completion 100 once one is finished, and the best result apart; tally concepts
from finished tests and challenges (the weakest concepts on "My learning")."""

from django.db import migrations
from django.utils import timezone

MAX_ATTEMPTS = 2  # rules.MAX_ATTEMPTS when this was written


def _finished(problem, now) -> bool:
    return (
        problem.correct
        or len(problem.answers) >= MAX_ATTEMPTS
        or (problem.deadline is not None and problem.deadline <= now)
    )


def _best(best: dict, key: tuple, right: int, total: int) -> None:
    old = best.get(key)
    if old is None or right * old[1] > old[0] * total:
        best[key] = (right, total)


def _tally(tallies: dict, key: tuple, concepts, right: bool) -> None:
    for concept in concepts:
        tally = tallies.setdefault((*key, concept), [0, 0])
        tally[0 if right else 1] += 1


def rebuild(apps, schema_editor):
    ModeProgress = apps.get_model("progress", "ModeProgress")
    ConceptProgress = apps.get_model("progress", "ConceptProgress")
    TestAttempt = apps.get_model("attempts", "TestAttempt")
    Challenge = apps.get_model("attempts", "Challenge")
    now = timezone.now()
    best = {}  # (learner, pattern, mode) -> (right, total)
    tallies = {}  # (learner, pattern, concept) -> [right, missed]
    for test in TestAttempt.objects.filter(finished_at__isnull=False):
        key = (test.learner_id, test.pattern_id)
        questions = list(test.questions.select_related("version"))
        _best(best, (*key, "test"), test.score, len(questions))
        for q in questions:
            _tally(tallies, key, q.version.concepts, bool(q.correct))
    for challenge in Challenge.objects.all():
        problems = list(challenge.problems.select_related("version"))
        if not problems or not all(_finished(p, now) for p in problems):
            continue
        challenge.finished_at = now
        challenge.save(update_fields=["finished_at"])
        key = (challenge.learner_id, challenge.pattern_id)
        _best(best, (*key, "challenge"), sum(p.correct for p in problems), len(problems))
        for p in problems:
            _tally(tallies, key, p.version.concepts, p.correct)
    ModeProgress.objects.filter(mode__in=["test", "challenge"]).delete()
    ModeProgress.objects.bulk_create(
        ModeProgress(
            learner_id=learner,
            pattern_id=pattern,
            mode=mode,
            percent=100,
            best_right=right,
            best_total=total,
        )
        for (learner, pattern, mode), (right, total) in best.items()
    )
    ConceptProgress.objects.bulk_create(
        ConceptProgress(learner_id=learner, pattern_id=pattern, concept=concept, right=r, missed=m)
        for (learner, pattern, concept), (r, m) in tallies.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("attempts", "0002_challenge_finished_at"),
        ("progress", "0001_initial"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
