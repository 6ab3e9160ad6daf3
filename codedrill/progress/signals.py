"""`result_recorded(learner_id, pattern_id, mode, right, total)`: a Challenge or Test just
finished with this result, or a project's full submission left `right` of `total` steps passed
(sent by `ModeProgress.record_result` and `record_steps`, inside their transactions).
Apps that report results elsewhere (the LMS gradebook: codedrill.lti) listen here, so the
rules that finish an attempt stay in one place and know nothing of them."""

from django.dispatch import Signal

result_recorded = Signal()
