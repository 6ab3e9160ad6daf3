"""The ORM from an async view: the sync call, the async methods, and sync_to_async.

Every request to `/async-methods/` and `/sync-to-async/` creates a user with a fresh name, so
the count grows as the run goes on.
"""

import threading
import uuid

from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core.exceptions import SynchronousOnlyOperation
from django.http import HttpResponse, JsonResponse
from django.urls import path


def _new_name():
    return f"learner-{uuid.uuid4().hex[:12]}"


async def sync_call(request):
    try:
        total = User.objects.count()  # the plain ORM, called from code running on a loop
    except SynchronousOnlyOperation as exc:
        return HttpResponse(f"{type(exc).__name__}: {exc}", status=500)
    return HttpResponse(f"{total} users")


async def async_methods(request):
    user = await User.objects.acreate(username=_new_name())
    again = await User.objects.aget(pk=user.pk)
    total = await User.objects.acount()
    return JsonResponse({"created": again.username, "users": total})


def _create_and_count():
    user = User.objects.create(username=_new_name())
    return user.username, User.objects.count(), threading.current_thread().name


async def wrapped(request):
    name, total, thread = await sync_to_async(_create_and_count)()
    return JsonResponse({"created": name, "users": total, "sync_code_ran_on": thread})


urlpatterns = [
    path("sync-call/", sync_call),
    path("async-methods/", async_methods),
    path("sync-to-async/", wrapped),
]
