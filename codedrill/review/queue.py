"""The spaced-review queue (FSRS): flashcards a learner rated and questions they missed."""


def add_missed(learner, question) -> None:
    """Put a missed question (codedrill.content.models.Question) in the learner's queue, due
    now; a question already queued stays once. Called by the Test when it is finished."""
    raise NotImplementedError  # implemented by the review app's work in progress
