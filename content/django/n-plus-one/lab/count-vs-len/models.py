"""Books, each with a blurb long enough that loading every row costs something."""

from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
    blurb = models.TextField()

    def __str__(self):
        return self.title
