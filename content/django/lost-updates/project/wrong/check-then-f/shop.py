"""The shop's checkout: one product at a time, or a basket of two, all or nothing.

Every item sold is booked for delivery with the warehouse first, which answers in about 0.2 s
(a sleep here, standing in for the warehouse's web API). A buyer who finds none left is
answered 409.
"""

import time

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from lab_app.models import Order, Product


def book_delivery(product):
    time.sleep(0.2)  # the warehouse's answer


def sold_out(product):
    return HttpResponse(f"{product.name}: sold out", status=409)


def buy(request, pk):
    """Sell one of product `pk`."""
    product = Product.objects.get(pk=pk)
    if product.stock < 1:
        return sold_out(product)
    book_delivery(product)
    # The database subtracts from the stock as it is now: no sale is lost.
    Product.objects.filter(pk=pk).update(stock=F("stock") - 1)
    Order.objects.create(product=product)
    return HttpResponse("sold")


def basket(request, first, second):
    """Sell one of product `first` and one of product `second`, or neither."""
    with transaction.atomic():
        # Both rows locked in one query, in primary-key order: every basket waits for the
        # same row first, so no two baskets each hold a row the other is waiting for.
        products = Product.objects.select_for_update().filter(pk__in=[first, second])
        products = list(products.order_by("pk"))
        for product in products:
            if product.stock < 1:
                return sold_out(product)
        for product in products:
            book_delivery(product)
            product.stock -= 1
            product.save()
            Order.objects.create(product=product)
    return HttpResponse("sold")


def report(request):
    """Every product's stock and orders, one line each. The tests read this page."""
    lines = [
        f"{p.pk} {p.name}: {p.stock} in stock, {p.orders.count()} orders"
        for p in Product.objects.order_by("pk")
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


urlpatterns = [
    path("buy/<int:pk>/", buy),
    path("basket/<int:first>/<int:second>/", basket),
    path("report/", report),
]
