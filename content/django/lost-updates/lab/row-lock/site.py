"""A shop with one product, 100 teapots in stock, and four ways to sell one safely, or not.

Every purchase waits `delay` seconds for the payment provider (`time.sleep` here). The views
that lock the teapot's row hold the lock while they wait, so the next buyer waits too.
"""

import time

from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Product


def seed():
    Product.objects.create(pk=1, name="Teapot", stock=100)


def pay(request):
    time.sleep(float(request.GET["delay"]))  # the payment provider's answer


def sell(request, teapot):
    pay(request)
    teapot.stock -= 1
    teapot.save()
    return HttpResponse(f"sold; {teapot.stock} left")


def locked(request):
    """Lock the row, pay, write the stock less one; the lock goes at commit."""
    with transaction.atomic():
        return sell(request, Product.objects.select_for_update().get(pk=1))


def nowait(request):
    """The same, but a buyer who finds the row locked is turned away at once."""
    try:
        with transaction.atomic():
            return sell(request, Product.objects.select_for_update(nowait=True).get(pk=1))
    except DatabaseError:
        return HttpResponse("busy: try again", status=409)


def lock_without_atomic(request):
    """A row lock asked for outside any transaction."""
    return sell(request, Product.objects.select_for_update().get(pk=1))


def f_update(request):
    """No lock held while paying: one UPDATE, which locks the row only while it runs."""
    pay(request)
    Product.objects.filter(pk=1).update(stock=F("stock") - 1)
    return HttpResponse("sold")


def stock(request):
    return HttpResponse(str(Product.objects.get(pk=1).stock))


urlpatterns = [
    path("locked/", locked),
    path("nowait/", nowait),
    path("lock-without-atomic/", lock_without_atomic),
    path("f-update/", f_update),
    path("stock/", stock),
]
