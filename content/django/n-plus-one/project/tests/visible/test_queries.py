"""The tests you can read. They serve your shop under gunicorn (one sync worker, Django's
default middleware) with 9 books by 4 authors, ask for each page once, and count the queries
each page sends, the way Django's assertNumQueries counts them."""

from codedrill.lab.engine import QUERY_COUNTER

PAGES = ["/books/", "/tagged/", "/authors/"]


def page(project, path):
    run = project.run(PAGES, server="gunicorn", middleware=[QUERY_COUNTER])
    found = run.requests[PAGES.index(path)]
    assert found.status == 200, f"{path} answered {found.status}; the server's output says why."
    return found


def test_books_come_with_their_author_in_one_query(project):
    books = page(project, "/books/")
    assert books.queries == 1, (
        f"/books/ sent {books.queries} queries to list 9 books. One query for the books is "
        "enough when each book's author comes in the same query."
    )


def test_tagged_books_take_two_queries(project):
    tagged = page(project, "/tagged/")
    assert tagged.queries == 2, (
        f"/tagged/ sent {tagged.queries} queries to list 9 books with their tags. Two are "
        "enough: one for the books, one for every book's tags."
    )


def test_authors_are_counted_in_one_query(project):
    authors = page(project, "/authors/")
    assert authors.queries == 1, (
        f"/authors/ sent {authors.queries} queries to list 4 authors and count their books. "
        "The database can count them in the query that lists the authors."
    )
