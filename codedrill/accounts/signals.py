"""Hooks through which apps that store a learner's data take part in account life.

`guest_merged(guest, user)`: a guest just logged in to an existing account; move the guest's
rows to `user` (keeping the better of two where both have one). The guest is deleted afterwards.
`learner_data(user)`: return a dict of this app's data about `user` for the JSON export.
"""

from django.dispatch import Signal

guest_merged = Signal()
learner_data = Signal()
