"""Each page still answers exactly what it answered before the fixes."""

from codedrill.lab.engine import QUERY_COUNTER

PAGES = ["/books/", "/tagged/", "/authors/"]
BOOKS = """A Map of Salt by Ada
Cold Harbour by Boris
Evening Tides by Ada
Glass Orchard by Chen
Iron Lanterns by Boris
Kite Season by Ada
Long Road North by Ada
Night Ferry by Boris
Quiet Arithmetic by Chen"""
TAGGED = """A Map of Salt: poetry, travel
Cold Harbour: crime
Evening Tides: poetry
Glass Orchard: classic, poetry
Iron Lanterns: classic, crime
Kite Season: no tags
Long Road North: travel
Night Ferry: crime, travel
Quiet Arithmetic: classic"""
AUTHORS = """Ada: 4
Boris: 3
Chen: 2
Dina: 0"""


def answered(project, path, expected):
    run = project.run(PAGES, server="gunicorn", middleware=[QUERY_COUNTER])
    found = run.requests[PAGES.index(path)]
    assert found.status == 200, f"{path} answered {found.status}; the server's output says why."
    assert found.body == expected, (
        f"{path} no longer answers what it did: each line, and the order of the lines, must "
        "stay as they were."
    )


def test_the_books_page_is_unchanged(project):
    answered(project, "/books/", BOOKS)


def test_the_tagged_page_is_unchanged(project):
    answered(project, "/tagged/", TAGGED)


def test_the_authors_page_is_unchanged(project):
    answered(project, "/authors/", AUTHORS)
