"""Prepared queries (codedrill.prepared) find what the ORM finds, converted the same way, and
refuse what they cannot run as written."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Value
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from codedrill.accounts.models import Session, User
from codedrill.content.models import Pattern
from codedrill.prepared import Param, Prepared

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.fields}


def test_a_prepared_query_finds_the_rows_the_orm_finds(pattern):
    by_uuid = Prepared(lambda: Pattern.objects.filter(uuid=Param("uuid"), is_active=True))
    found = by_uuid.first(uuid=pattern.uuid)  # a UUID: SQLite stores it as 32 hex digits
    assert found is not pattern and fields(found) == fields(pattern)
    assert isinstance(found.concepts, list) and found.is_active is True  # JSON, a boolean
    assert found.version.published_at == pattern.version.published_at
    pattern.is_active = False
    pattern.save()
    assert by_uuid.first(uuid=pattern.uuid) is None
    assert by_uuid.all(uuid=pattern.uuid) == []


def test_select_related_rows_come_with_the_query(learner, django_assert_num_queries):
    now = timezone.now()
    kept = Session.objects.create(session_key="k" * 32, user=learner, session_data="x",
                                  expire_date=now + timedelta(days=1))  # fmt: skip
    Session.objects.create(session_key="e" * 32, user=learner, session_data="x",
                           expire_date=now - timedelta(seconds=1))  # fmt: skip
    live = Prepared(
        lambda: Session.objects.select_related("user").filter(
            session_key=Param("key"), expire_date__gt=Param("now")
        )
    )
    with django_assert_num_queries(1):
        found = live.first(key=kept.session_key, now=now)
        assert found.user.username == "ada"
        assert found.expire_date == kept.expire_date and found.expire_date.tzinfo is not None
    assert live.first(key="e" * 32, now=now) is None  # compared as a datetime: expired
    assert live.first(key="e" * 32, now=now - timedelta(seconds=2)).session_key == "e" * 32
    nobody = Session.objects.create(session_key="n" * 32, session_data="x",
                                    expire_date=now + timedelta(days=1))  # fmt: skip
    assert live.first(key=nobody.session_key, now=now).user is None  # the outer join's NULL


def test_values_are_values_and_never_none(pattern):
    by_slug = Prepared(lambda: Pattern.objects.filter(slug=Param("slug")))
    with pytest.raises(ValueError, match="slug is None"):
        by_slug.first(slug=None)
    with pytest.raises(KeyError):
        by_slug.first(name="async-django")


@pytest.mark.parametrize(
    "build",
    [
        lambda: Pattern.objects.filter(slug__contains=Param("slug")),  # the value is rewritten
        lambda: Pattern.objects.filter(pk__in=[Param("pk")]),
        lambda: Pattern.objects.annotate(x=Value(1)).filter(slug=Param("slug")),
        lambda: Pattern.objects.filter(slug=Param("slug")).values("pk"),
    ],
)
def test_what_a_param_cannot_stand_for_is_refused_when_compiled(build):
    with pytest.raises(TypeError, match="Param|model instances"):
        Prepared(build).first(slug="async-django", pk=1)


@pytest.mark.django_db(transaction=True)
def test_a_lock_needs_a_transaction(learner):
    locked = Prepared(lambda: User.objects.select_for_update().filter(pk=Param("pk")))
    with transaction.atomic():
        assert locked.first(pk=learner.pk) == learner
    with pytest.raises(TransactionManagementError):
        locked.first(pk=learner.pk)


def test_an_integer_beyond_its_column_is_equal_to_no_row(pattern):
    by_pk = Prepared(lambda: Pattern.objects.filter(pk=Param("pk")))
    assert by_pk.first(pk=pattern.pk) == pattern
    assert by_pk.first(pk=2**63) is None  # SQLite's driver would raise OverflowError
    assert by_pk.first(pk=-(2**63) - 1) is None
    after = Prepared(lambda: Pattern.objects.filter(pk__gt=Param("pk")))
    with pytest.raises(ValueError, match="beyond"):
        after.first(pk=2**63)
