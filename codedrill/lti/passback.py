"""Grades to the platform's gradebook (LTI Assignment and Grade Services), sent by a task so a
platform that is slow or down never holds up or fails a learner's answer; and the learner's LTI
rows in their data export."""

import logging

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade as LtiGrade
from pylti1p3.service_connector import ServiceConnector

from codedrill.accounts.signals import learner_data
from codedrill.lti.models import Grade, Identity
from codedrill.lti.tool import http_session, registration
from codedrill.progress.signals import result_recorded

log = logging.getLogger(__name__)


@receiver(result_recorded)
def grade_result(sender, learner_id, pattern_id, mode, right, total, **kwargs) -> None:
    """A finished Challenge or Test: each course item of that mode the learner launched keeps
    it if it is their best there, and then sends it, once the answer is committed."""
    seats = Grade.objects.filter(
        identity__learner_id=learner_id, placement__pattern_id=pattern_id, placement__mode=mode
    ).select_related("placement")
    for seat in seats:
        if seat.placement.graded and seat.improve(right, total):
            transaction.on_commit(lambda pk=seat.pk: send_grade.enqueue(pk))


@task()
def send_grade(grade_id: int) -> None:
    send(Grade.objects.select_related("placement__platform", "identity").get(pk=grade_id))


def send(grade: Grade) -> bool:
    """Post the grade's result as the learner's score on the placement's line item. A failure
    is kept on the grade (the admin shows it; `codedrill lti-sendgrades` tries again)."""
    placement = grade.placement
    score = (
        LtiGrade()
        .set_score_given(grade.right)
        .set_score_maximum(grade.total)
        # A project with steps still to pass is not done; a Test or Challenge sent is.
        .set_activity_progress(
            "Completed"
            if grade.right == grade.total or placement.mode != "project"
            else "InProgress"
        )
        .set_grading_progress("FullyGraded")
        .set_user_id(grade.identity.subject)
        .set_timestamp(timezone.now().isoformat())
    )
    connector = ServiceConnector(registration(placement.platform), http_session())
    try:
        AssignmentsGradesService(connector, placement.ags).put_grade(score)
    except Exception as error:  # noqa: BLE001 - any failure of the platform is kept, not raised
        log.warning("Sending grade %s to %s failed: %s", grade.pk, placement.platform, error)
        Grade.objects.filter(pk=grade.pk, updated=grade.updated).update(error=str(error)[:2000])
        return False
    # Unless a better result came in meanwhile (it has its own sending queued).
    Grade.objects.filter(pk=grade.pk, updated=grade.updated).update(sent=True, error="")
    return True


@receiver(learner_data)
def export_lti(sender, user, **kwargs) -> dict:
    """The LMS identities a learner was launched as, and the results sent to each course."""
    identities = Identity.objects.filter(learner=user).select_related("platform")
    grades = Grade.objects.filter(identity__learner=user).select_related("placement__pattern")
    return {
        "lti_identities": [
            {"platform": i.platform.issuer, "deployment": i.deployment_id, "subject": i.subject}
            for i in identities
        ],
        "lti_grades": [
            {
                "course": g.placement.context_title or g.placement.context_id,
                "pattern": g.placement.pattern.slug,
                "mode": g.placement.mode,
                "right": g.right,
                "total": g.total,
                "sent": g.sent,
            }
            for g in grades
        ],
    }
