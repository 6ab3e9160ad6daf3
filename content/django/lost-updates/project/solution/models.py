"""The shop's products and its orders, one order for each item sold. The steps need no change
here."""

from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=60)
    stock = models.IntegerField()

    def __str__(self):
        return self.name


class Order(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")

    def __str__(self):
        return f"an order for a {self.product}"
