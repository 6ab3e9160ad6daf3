import shutil
import subprocess
import uuid

import pytest
import yaml
from conftest import BUNDLED_CONTENT, CODEDRILL

from codedrill.content.models import ContentVersion, Pattern, Question, QuestionVersion
from codedrill.content.modes import MODE_SLUGS
from codedrill.content.publish import ContentInvalid, publish
from codedrill.progress.models import ModeProgress

PATTERN_YAML = "django/when-async-helps/pattern.yaml"


def errors_of(root) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        publish(root)
    return [str(error) for error in caught.value.errors]


def test_it_publishes_the_bundled_content(pattern):
    assert pattern.title == "When async helps and when it does not in Django"
    assert pattern.live_modes() == MODE_SLUGS
    assert ContentVersion.objects.count() == 1


def test_invalid_content_changes_nothing_and_names_file_and_line(pattern, content_copy):
    path = content_copy / PATTERN_YAML
    path.write_text(
        path.read_text().replace("badge:", "badges:").replace("title: When", "titel: When")
    )
    errors = errors_of(content_copy)
    assert any(f"{path}:" in e and "unknown field `badges`" in e and "`badge`" in e for e in errors)
    assert any("unknown field `titel`. Did you mean `title`?" in e for e in errors)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "titel" in text)
    assert any(e.startswith(f"{path}:{line}:") for e in errors)
    assert ContentVersion.objects.count() == 1
    assert Pattern.objects.get(uuid=pattern.uuid).badge == "Async Django Mastery"


def test_it_reports_every_bad_file_not_just_the_first(content_copy, db):
    (content_copy / PATTERN_YAML).write_text("uuid: [unclosed\n")
    broken = content_copy / "django/second/pattern.yaml"
    broken.parent.mkdir()
    broken.write_text("slug: Not A Slug\n")
    errors = errors_of(content_copy)
    assert any(
        e.startswith(f"{content_copy / PATTERN_YAML}:") and "invalid YAML" in e for e in errors
    )
    assert any(e.startswith(f"{broken}:") and "missing field `uuid`" in e for e in errors)


def test_duplicate_uuids_are_refused(content_copy, db):
    shutil.copytree(content_copy / "django/when-async-helps", content_copy / "django/copy")
    path = content_copy / "django/copy/pattern.yaml"
    path.write_text(path.read_text().replace("slug: async-django", "slug: async-django-2"))
    assert any("duplicate uuid" in e for e in errors_of(content_copy))


def test_a_renamed_pattern_keeps_its_identity_and_progress(pattern, content_copy, learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    path = content_copy / PATTERN_YAML
    path.write_text(path.read_text().replace("slug: async-django", "slug: async-in-django"))
    (content_copy / "django/when-async-helps").rename(content_copy / "django/async")
    publish(content_copy)
    renamed = Pattern.objects.get(uuid=pattern.uuid)
    assert renamed.pk == pattern.pk and renamed.slug == "async-in-django"
    assert ModeProgress.objects.get(learner=learner).pattern == renamed


def test_a_removed_pattern_is_retired_not_deleted(pattern, content_copy, learner):
    ModeProgress.advance(learner, pattern, "learn", 100)
    other = content_copy / "django/other"
    other.mkdir()
    text = (content_copy / PATTERN_YAML).read_text()
    text = text.replace(
        "68fc8104-1e78-4c8d-b1c1-27f2ead669b7", "0b0e3c6e-64f2-4c8c-9f6a-0f3f3c1e2a11"
    )
    (other / "pattern.yaml").write_text(text.replace("slug: async-django", "slug: other"))
    shutil.rmtree(content_copy / "django/when-async-helps")
    publish(content_copy)
    pattern.refresh_from_db()
    assert not pattern.is_active
    assert ModeProgress.objects.filter(pattern=pattern).exists()


def test_the_publish_command_exits_1_and_lists_errors(content_copy, tmp_path):
    (content_copy / PATTERN_YAML).write_text("title: only a title\n")
    result = subprocess.run(
        [CODEDRILL, "publish", str(content_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"CODEDRILL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert f"{content_copy / PATTERN_YAML}:1: missing field `uuid`" in result.stderr
    assert "nothing was published" in result.stderr


QUESTIONS = "django/when-async-helps/questions"


def test_it_publishes_questions_traces_cards_experiments_and_the_cheat_sheet(pattern):
    sources = list((BUNDLED_CONTENT / QUESTIONS).glob("*/question.yaml"))
    assert pattern.questions.filter(is_active=True).count() == len(sources)
    assert all(q.current for q in pattern.questions.all())
    assert pattern.traces.count() >= 2 and pattern.cards.count() >= 12
    assert pattern.experiments.count() >= 7
    assert pattern.pages.filter(mode="review").exists()


def test_republishing_unchanged_content_adds_no_versions(pattern):
    before = QuestionVersion.objects.count()
    publish(BUNDLED_CONTENT)
    assert QuestionVersion.objects.count() == before
    assert ContentVersion.objects.count() == 2


def test_a_reworded_question_gets_a_new_version_and_keeps_the_old(pattern, content_copy):
    path = sorted((content_copy / QUESTIONS).glob("*/question.yaml"))[0]
    question_id = yaml.safe_load(path.read_text())["id"]
    question = Question.objects.get(uuid=question_id)
    shown = question.current
    text = path.read_text().replace("\nstem: |\n", "\nstem: |\n  Think first.\n", 1)
    assert text != path.read_text()
    path.write_text(text)
    publish(content_copy)
    question.refresh_from_db()
    assert question.current != shown and "Think first." in question.current.stem
    shown.refresh_from_db()  # what an attempt showed is still there, unchanged
    assert "Think first." not in shown.stem


def test_a_renamed_question_keeps_its_identity(pattern, content_copy):
    folder = sorted((content_copy / QUESTIONS).iterdir())[0]
    question = Question.objects.get(
        uuid=yaml.safe_load((folder / "question.yaml").read_text())["id"]
    )
    folder.rename(folder.with_name("a-brand-new-name"))
    publish(content_copy)
    renamed = Question.objects.get(uuid=question.uuid)
    assert renamed.pk == question.pk and renamed.slug == "a-brand-new-name"
    assert renamed.current == question.current


def test_a_removed_question_is_retired_with_its_versions(pattern, content_copy):
    folder = sorted((content_copy / QUESTIONS).glob("test-easy-*"))[0]
    # Keep the test pool at 8 easy questions: retire one and add a renamed copy with a new id.
    copy = folder.with_name(folder.name + "-again")
    shutil.copytree(folder, copy)
    data = (copy / "question.yaml").read_text()
    old_id = yaml.safe_load(data)["id"]
    (copy / "question.yaml").write_text(data.replace(str(old_id), str(uuid.uuid4())))
    shutil.rmtree(folder)
    publish(content_copy)
    retired = Question.objects.get(uuid=old_id)
    assert not retired.is_active and retired.versions.exists()


def test_invalid_questions_change_nothing(pattern, content_copy):
    before = (Question.objects.count(), QuestionVersion.objects.count())
    path = sorted((content_copy / QUESTIONS).glob("*/question.yaml"))[0]
    path.write_text(path.read_text() + "\nsurprise: field\n")
    with pytest.raises(ContentInvalid):
        publish(content_copy)
    assert (Question.objects.count(), QuestionVersion.objects.count()) == before
    assert ContentVersion.objects.count() == 1


def test_publishing_to_a_database_not_yet_migrated_says_to_migrate(tmp_path):
    result = subprocess.run(
        [CODEDRILL, "publish", str(BUNDLED_CONTENT)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"CODEDRILL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "The database is not migrated yet: run `codedrill migrate` first." in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_show_a_new_publish_at_once(client, pattern, content_copy):
    """Pages keep what a published version determines (Pattern.published); a publish makes a
    new version, so its changes show on the next request."""
    before = client.get("/patterns/async-django/").content.decode()
    assert 'href="/patterns/async-django/visualize/"' in before
    shutil.rmtree(content_copy / "django/when-async-helps/visualize")
    learn = content_copy / "django/when-async-helps/learn.md"
    learn.write_text(learn.read_text() + "\nA sentence added in the new version.\n")
    publish(content_copy)
    after = client.get("/patterns/async-django/").content.decode()
    assert 'href="/patterns/async-django/visualize/"' not in after
    assert after.count("Coming soon") == 1
    assert (
        "A sentence added in the new version."
        in client.get("/patterns/async-django/learn/").content.decode()
    )
