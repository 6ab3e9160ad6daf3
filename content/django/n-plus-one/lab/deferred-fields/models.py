"""Books with a long blurb: the column `only()` leaves out."""

from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
    blurb = models.TextField()

    def __str__(self):
        return self.title
