"""A shelf of books: each has one author (a foreign key) and a few tags (many-to-many)."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=60)

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, related_name="books")

    def __str__(self):
        return self.title
