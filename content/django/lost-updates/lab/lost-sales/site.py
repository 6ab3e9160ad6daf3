"""A shop with one product, 100 teapots in stock, and three ways to sell one.

Every purchase waits `delay` seconds for the payment provider (`time.sleep` here) between
looking at the product and taking it off stock. Real payments take that long or longer; here
the pause is what makes the race happen on every run rather than now and then.
"""

import time

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Product


def seed():
    Product.objects.create(pk=1, name="Teapot", stock=100)


def pay(request):
    time.sleep(float(request.GET["delay"]))  # the payment provider's answer


def save(request):
    """Read the product, pay, write back the stock less one."""
    teapot = Product.objects.get(pk=1)
    pay(request)
    teapot.stock -= 1
    teapot.save()
    return HttpResponse(f"sold; {teapot.stock} left")


def atomic_save(request):
    """The same, inside a transaction."""
    with transaction.atomic():
        teapot = Product.objects.get(pk=1)
        pay(request)
        teapot.stock -= 1
        teapot.save()
    return HttpResponse(f"sold; {teapot.stock} left")


def f_update(request):
    """Pay, then let the database take one off whatever the stock is by then."""
    pay(request)
    Product.objects.filter(pk=1).update(stock=F("stock") - 1)
    return HttpResponse("sold")


def stock(request):
    return HttpResponse(str(Product.objects.get(pk=1).stock))


urlpatterns = [
    path("save/", save),
    path("atomic-save/", atomic_save),
    path("f-update/", f_update),
    path("stock/", stock),
]
