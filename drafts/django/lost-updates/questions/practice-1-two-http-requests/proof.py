"""Seed item 1, send two /buy/ requests together to gunicorn with 4 threads, then ask for the
stock once both have answered; report the bodies."""

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

MODELS = """
from django.db import models


class Item(models.Model):
    stock = models.IntegerField()
"""
SEED = """

def seed(request):
    Item.objects.create(pk=1, stock=10)
    return HttpResponse("seeded")


def stock(request):
    return HttpResponse(str(Item.objects.get(pk=1).stock))


urlpatterns = [path("seed/", seed), path("buy/", buy), path("stock/", stock)]
"""
site = Site(code() + SEED, models=MODELS, database="postgresql")
# Both purchases go out together, 0.5 s after the seed; the stock is asked for at 4 s.
requests = ["/seed/", ("/buy/", 0.5), ("/buy/", 0.5), ("/stock/", 4.0)]
result = run(site, Server("gunicorn", threads=4), requests)
observe(bodies=[r.body for r in result.requests])
