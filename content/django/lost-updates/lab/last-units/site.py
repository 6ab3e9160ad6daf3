"""A shop with 5 teapots left, more buyers than teapots, and three ways to sell the last ones.

Every purchase waits `delay` seconds for the payment provider (`time.sleep` here). A buyer who
finds none left is told so with a 409.
"""

import time

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Product


def seed():
    Product.objects.create(pk=1, name="Teapot", stock=5)


def pay(request):
    time.sleep(float(request.GET["delay"]))  # the payment provider's answer


SOLD_OUT = "sold out"


def check_then_update(request):
    """Look at the stock, pay, then take one off with F()."""
    if Product.objects.get(pk=1).stock < 1:
        return HttpResponse(SOLD_OUT, status=409)
    pay(request)
    Product.objects.filter(pk=1).update(stock=F("stock") - 1)
    return HttpResponse("sold")


def conditional_update(request):
    """Take one off only where one is left, in one UPDATE; pay once it is yours."""
    taken = Product.objects.filter(pk=1, stock__gt=0).update(stock=F("stock") - 1)
    if not taken:
        return HttpResponse(SOLD_OUT, status=409)
    pay(request)
    return HttpResponse("sold")


def locked_check(request):
    """Lock the row, look at the stock, pay, write the stock less one."""
    with transaction.atomic():
        teapot = Product.objects.select_for_update().get(pk=1)
        if teapot.stock < 1:
            return HttpResponse(SOLD_OUT, status=409)
        pay(request)
        teapot.stock -= 1
        teapot.save()
    return HttpResponse("sold")


def stock(request):
    return HttpResponse(str(Product.objects.get(pk=1).stock))


urlpatterns = [
    path("check-then-update/", check_then_update),
    path("conditional-update/", conditional_update),
    path("locked-check/", locked_check),
    path("stock/", stock),
]
