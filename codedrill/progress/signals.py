"""`result_recorded(learner_id, pattern_id, mode, right, total)`: a Challenge or Test just
finished with this result (sent by `ModeProgress.record_result`, inside its transaction).
Apps that report results elsewhere (the LMS gradebook: codedrill.lti) listen here, so the
rules that finish an attempt stay in one place and know nothing of them."""

from django.dispatch import Signal

result_recorded = Signal()
