from codedrill.content.models import ContentVersion, Pattern
from codedrill.content.modes import MODES
from codedrill.progress.models import ModeProgress


def test_it_lists_the_bundled_pattern(client, pattern):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "When async helps and when it does not in Django" in html
    assert 'href="/patterns/async-django/"' in html
    assert f"~{pattern.total_minutes} min" in html


def test_it_hides_retired_patterns(client, pattern):
    Pattern.objects.filter(pk=pattern.pk).update(is_active=False)
    assert "async-django" not in client.get("/").content.decode()
    assert client.get("/patterns/async-django/").status_code == 404


def test_pattern_page_shows_the_ten_modes_with_times(client, pattern):
    response = client.get("/patterns/async-django/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{len(pattern.live_modes())} modes available" in html
    for mode in MODES:
        assert mode.title in html
        assert f"~{pattern.minutes[mode.slug]} min" in html
    assert "Async Django Mastery" in html
    assert "Recommended: Test" in html


def test_pattern_page_links_live_modes_and_marks_the_rest_coming_soon(client, pattern):
    html = client.get("/patterns/async-django/").content.decode()
    assert 'href="/patterns/async-django/lab/"' in html
    assert pattern.live_modes() == [m.slug for m in MODES]
    assert "Coming soon" not in html
    # Without experiments there is no Lab yet. A publish retires them in a new version.
    pattern.experiments.update(is_active=False)
    pattern.version = ContentVersion.objects.create(source="without experiments")
    pattern.save(update_fields=["version"])
    html = client.get("/patterns/async-django/").content.decode()
    assert 'href="/patterns/async-django/learn/"' in html
    assert 'href="/patterns/async-django/lab/"' not in html
    assert html.count("Coming soon") == 1


def test_pattern_page_shows_only_my_progress(client, pattern, learner, other_learner):
    ModeProgress.advance(other_learner, pattern, "learn", 100)
    client.force_login(learner)
    html = client.get("/patterns/async-django/").content.decode()
    assert "Not started" in html and "Done" not in html
    client.force_login(other_learner)
    assert "Done" in client.get("/patterns/async-django/").content.decode()


def test_it_answers_404_for_an_unknown_pattern(client, pattern):
    response = client.get("/patterns/no-such-pattern/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_pattern_page_query_count_is_pinned(client, pattern, learner, django_assert_num_queries):
    client.force_login(learner)
    # The day's first visit renews the session, later ones write nothing; the catalog reads
    # the live modes, which depend on the published version alone (Pattern.published).
    client.get("/")
    # the session with its user, pattern, progress, badge
    with django_assert_num_queries(4):
        client.get("/patterns/async-django/")


def test_the_catalog_groups_patterns_by_track_with_a_heading_each(client, two_tracks):
    html = client.get("/").content.decode()
    sections = html.split('<section class="track"')[1:]
    assert len(sections) == 2  # django, then examples: tracks in order
    django, examples = sections
    assert '<h2 id="track-django">Django</h2>' in django
    assert 'href="/patterns/async-django/"' in django and 'href="/patterns/n-plus-one/"' in django
    assert "awaiting-basics" not in django
    assert '<h2 id="track-examples">Examples</h2>' in examples
    assert f'href="/patterns/{two_tracks.slug}/"' in examples and "async-django" not in examples
