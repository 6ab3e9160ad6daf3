"""One product and how many of it are in stock."""

from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=60)
    stock = models.IntegerField()

    def __str__(self):
        return self.name
