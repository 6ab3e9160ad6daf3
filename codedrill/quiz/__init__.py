"""How a question is shown, answered and revealed: the one place every mode and the API use.

A question is shown with its options in a display order (authored, or shuffled per attempt) and
lettered A, B, C… at that moment. Answers arrive as a form or as JSON and are parsed into one
canonical value per kind, so equal answers compare equal (what makes a repeated submission
idempotent). Nothing here touches the database.
"""
