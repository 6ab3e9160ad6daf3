"""The products a basket holds, and how many of each are in stock."""

from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=60)
    stock = models.IntegerField()

    def __str__(self):
        return self.name
