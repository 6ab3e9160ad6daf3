"""Options are shown in each learner's own order in every mode, so the key sits in no fixed
place: authors list it first, and the written order would give it away."""

import math
import re

import pytest
from django.test import Client

from codedrill.content.models import Question, Trace

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_for_module")]

MODES = "/api/v1/patterns/async-django/modes"
LEARNERS = 24


def key_places(client: Client) -> list[tuple[int, int]]:
    """(where the key is shown, how many options it is among) for every question with one key
    in Try, Practice, the Review quiz and the Visualize quizzes, as this client sees them."""
    places = []
    for mode in ("try", "practice", "review"):
        for shown in client.get(f"{MODES}/{mode}").json()["questions"]:
            key = Question.objects.get(uuid=shown["id"]).current.key
            ids = [o["id"] for o in shown["options"]]
            if shown["kind"] == "single":
                places.append((ids.index(key), len(ids)))
            elif shown["kind"] == "blank":
                for blank, option in key.items():
                    group = [o["id"] for o in shown["options"] if o.get("blank") == blank]
                    places.append((group.index(option), len(group)))
    for trace in client.get(f"{MODES}/visualize").json()["traces"]:
        keys = {
            item["id"]: item["key"] for item in Trace.objects.get(slug=trace["slug"]).data["quiz"]
        }
        for shown in trace["quiz"]:
            ids = [o["id"] for o in shown["options"]]
            places.append((ids.index(keys[shown["id"]]), len(ids)))
    return places


def as_learner(django_user_model, n: int) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user(f"learner{n}"))
    return client


def test_the_key_is_spread_across_positions_over_the_whole_bank(django_user_model):
    places = [p for n in range(LEARNERS) for p in key_places(as_learner(django_user_model, n))]
    first = sum(where == 0 for where, _n in places)
    # Shuffled, the key is shown first with chance 1/n for n options.
    expected = sum(1 / n for _where, n in places)
    sigma = math.sqrt(sum((1 / n) * (1 - 1 / n) for _where, n in places))
    assert abs(first - expected) < 4 * sigma, (first, expected, len(places))
    assert {where for where, _n in places} == set(range(max(n for _w, n in places)))


def test_each_learner_keeps_their_order_in_the_pages_and_the_api(django_user_model):
    ada, bob = as_learner(django_user_model, 1), as_learner(django_user_model, 2)
    assert key_places(ada) == key_places(ada)
    orders = {}
    for name, client in (("ada", ada), ("bob", bob)):
        api = client.get(f"{MODES}/practice").json()["questions"]
        for n, shown in enumerate(api, 1):
            page = client.get(f"/patterns/async-django/practice/{n}/").content.decode()
            in_page = re.findall(
                r'<input type="(?:radio|checkbox)" name="answer" value="([^"]+)"', page
            )
            assert in_page == [o["id"] for o in shown["options"]]
        orders[name] = [[o["id"] for o in shown["options"]] for shown in api]
    assert orders["ada"] != orders["bob"]
