"""A shop whose every basket holds one cup and one saucer, 100 of each in stock.

The baskets come in turns: the first lists the cup first, the next the saucer first, and so
on. Each item of a basket is reserved with the warehouse as it is taken off stock, which takes
`delay` seconds (`time.sleep` here), inside the basket's one transaction.
"""

import itertools
import time

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Product

CUP, SAUCER = 1, 2
turns = itertools.count()  # the baskets' order of arrival, in this one server process


def seed():
    Product.objects.create(pk=CUP, name="Cup", stock=100)
    Product.objects.create(pk=SAUCER, name="Saucer", stock=100)


def basket():
    """Every second basket lists the saucer first."""
    return [CUP, SAUCER] if next(turns) % 2 == 0 else [SAUCER, CUP]


def reserve(request):
    time.sleep(float(request.GET["delay"]))  # the warehouse's answer


def basket_order(request):
    """Lock each item's row in the basket's order, reserve it, take it off stock."""
    with transaction.atomic():
        for pk in basket():
            item = Product.objects.select_for_update().get(pk=pk)
            reserve(request)
            item.stock -= 1
            item.save()
    return HttpResponse("sold")


def basket_order_f(request):
    """No SELECT: one UPDATE per item with F(), in the basket's order."""
    with transaction.atomic():
        for pk in basket():
            Product.objects.filter(pk=pk).update(stock=F("stock") - 1)
            reserve(request)
    return HttpResponse("sold")


def one_order(request):
    """Lock both rows at once, in primary-key order, then reserve and take off each item."""
    with transaction.atomic():
        items = Product.objects.select_for_update().filter(pk__in=basket()).order_by("pk")
        for item in items:
            reserve(request)
            item.stock -= 1
            item.save()
    return HttpResponse("sold")


def stock(request):
    return HttpResponse(str(Product.objects.get(pk=CUP).stock))


urlpatterns = [
    path("basket-order/", basket_order),
    path("basket-order-f/", basket_order_f),
    path("one-order/", one_order),
    path("stock/", stock),
]
