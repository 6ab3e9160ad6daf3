"""Sessions move from Django's table to accounts.Session (0002), each with its user: a guest's
progress is reached through the guest's session alone, so none may be lost on the way."""

from django.db import migrations
from django.utils import timezone


def _live_batches(model, size: int = 500):
    """The model's unexpired rows, a batch at a time; the caller deletes each batch it got."""
    model.objects.filter(expire_date__lte=timezone.now()).delete()
    while rows := list(model.objects.order_by("pk")[:size]):
        yield rows
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()


def _user_id(store, session_data: str) -> int | None:
    try:
        return int(store.decode(session_data)["_auth_user_id"])
    except (KeyError, TypeError, ValueError):
        return None


def forwards(apps, schema_editor):
    from codedrill.accounts.sessions import SessionStore

    Old, New = apps.get_model("sessions", "Session"), apps.get_model("accounts", "Session")
    User = apps.get_model("accounts", "User")
    store = SessionStore()  # signs with the salt of Django's store, so it reads Django's rows
    for rows in _live_batches(Old):
        ids = {row.pk: _user_id(store, row.session_data) for row in rows}
        users = set(User.objects.filter(pk__in=set(ids.values())).values_list("pk", flat=True))
        New.objects.bulk_create(
            New(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=ids[row.pk] if ids[row.pk] in users else None,
            )
            for row in rows
        )


def backwards(apps, schema_editor):
    Old, New = apps.get_model("sessions", "Session"), apps.get_model("accounts", "Session")
    for rows in _live_batches(New):
        Old.objects.bulk_create(
            Old(session_key=r.session_key, session_data=r.session_data, expire_date=r.expire_date)
            for r in rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
