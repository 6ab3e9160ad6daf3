import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.utils import timezone

from codedrill.accounts.signals import guest_merged, learner_data

GUEST_PREFIX = "guest-"


class User(AbstractUser):
    """A learner. Guests are real rows, so their progress needs no special case anywhere."""

    is_guest = models.BooleanField(default=False)

    @classmethod
    def create_guest(cls) -> "User":
        guest = cls(username=GUEST_PREFIX + secrets.token_hex(8), is_guest=True)
        guest.set_unusable_password()
        guest.save()
        return guest

    def merge_guest(self, guest: "User") -> None:
        """Move a guest's progress into this account, then delete the guest."""
        assert guest.is_guest and guest.pk != self.pk
        with transaction.atomic():
            guest_merged.send(sender=User, guest=guest, user=self)
            guest.delete()

    def export_data(self) -> dict:
        data = {
            "format": "codedrill-export/1",
            "exported_at": timezone.now().isoformat(),
            "account": {
                "username": self.username,
                "email": self.email,
                "is_guest": self.is_guest,
                "date_joined": self.date_joined.isoformat(),
            },
        }
        for _receiver, part in learner_data.send(sender=User, user=self):
            data.update(part)
        return data


class LoginFailure(models.Model):
    """One failed login, kept for LOGIN_FAILURE_WINDOW seconds to rate-limit guessing."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(db_index=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.created:%Y-%m-%d %H:%M}"

    @classmethod
    def blocked(cls, username: str, address: str) -> bool:
        """Too many recent failures for this username, or from this address (4× more)."""
        recent = cls.objects.filter(
            created__gte=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
        )
        limit = settings.LOGIN_FAILURE_LIMIT
        return (
            recent.filter(username=username.lower()).count() >= limit
            or recent.filter(address=address).count() >= 4 * limit
        )

    @classmethod
    def record(cls, username: str, address: str) -> None:
        cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
        cls.objects.filter(created__lt=cutoff).delete()
        cls.objects.create(username=username.lower(), address=address)

    @classmethod
    def clear(cls, username: str) -> None:
        cls.objects.filter(username=username.lower()).delete()


class Session(AbstractBaseSession):
    """A browser's session, with the user it is logged in as (from `_auth_user_id`, kept in
    step on every save) as a foreign key, so the session and its user are read in one query
    (codedrill.accounts.sessions). Deleting a user deletes their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
    )

    @classmethod
    def get_session_store_class(cls):
        from codedrill.accounts.sessions import SessionStore

        return SessionStore
