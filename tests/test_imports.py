"""`codedrill import gift FILE FOLDER`: a Moodle question file starts a pattern folder whose
questions are unproven until their author proves them: `check` lists each, `publish` refuses."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from codedrill.content.check import check
from codedrill.content.models import Question
from codedrill.content.publish import ContentInvalid, publish

GIFT = r"""// A teacher's quiz, as Moodle writes it.
$CATEGORY: $course$/Async

::Overlap::[html]<p>Which view lets <code>3</code> requests wait together?</p> {
  =An <code>async def</code> view that awaits #Awaiting hands the loop back.
  ~A view that calls <code>time.sleep</code> #It holds the thread.
  ~Neither \= both block
}

::Safe calls::Which calls are safe in an async view? {
  ~%33.33333%await User.objects.aget(pk\=1)
  ~%33.33333%await User.objects.acount()
  ~%33.33333%await sync_to_async(User.objects.count)()
  ~%-100%User.objects.count()
}

::Status::What status code does a missing page answer? {=404 =%50%not found#Close}

::Loop::How many event loops does one uvicorn worker run? {=1 =one}

::Gather::What runs three awaits at once? {=asyncio.gather ~a for loop ~time.sleep}

::Truth::An async view always runs faster. {F}

::Pairs::Match the server to its interface. {
  =uvicorn -> ASGI
  =gunicorn -> WSGI
  =granian -> both
}
"""


def imported(tmp_path, text: str = GIFT) -> tuple:
    source, folder = tmp_path / "quiz.gift", tmp_path / "content" / "imported" / "async-quiz"
    source.write_text(text)
    out = io.StringIO()
    call_command("importquestions", "gift", str(source), str(folder), stdout=out)
    return folder, out.getvalue()


def test_it_starts_a_folder_of_unproven_questions_that_check_reports(tmp_path, db):
    folder, said = imported(tmp_path)
    assert "5 question(s)" in said and "Truth" in said and "Pairs" in said  # skipped, named
    questions = {
        path.parent.name: yaml.safe_load(path.read_text())
        for path in (folder / "questions").glob("*/question.yaml")
    }
    assert sorted(questions) == ["gather", "loop", "overlap", "safe-calls", "status"]
    overlap = questions["overlap"]
    assert overlap["kind"] == "single"
    assert overlap["stem"] == "Which view lets `3` requests wait together?"
    texts = {o["id"]: o["text"] for o in overlap["options"]}
    assert texts[overlap["key"]] == "An `async def` view that awaits"
    assert "Neither = both block" in texts.values()  # GIFT's escape undone
    assert {m["why"] for m in overlap["mistakes"]} >= {"It holds the thread."}
    safe = questions["safe-calls"]
    assert safe["kind"] == "multiple" and len(safe["key"]) == 3
    assert {o["text"] for o in safe["options"] if o["id"] not in safe["key"]} == {
        "User.objects.count()"
    }
    assert questions["status"]["key"] == "404"

    report = check(tmp_path / "content", proofs=True)
    assert not report["ok"]  # unproven keys fail the check
    (pattern,) = report["patterns"]
    assert report["errors"] == [] and pattern["questions"] == 5 and pattern["proven"] == 0
    reasons = [item["reason"] for item in pattern["unproven"]]
    assert len(reasons) == 5 and all(r.startswith("imported from GIFT") for r in reasons)
    with pytest.raises(ContentInvalid) as refused:
        publish(tmp_path / "content")
    errors = [str(error) for error in refused.value.errors]
    assert len(errors) == 5 and all("unproven: imported from GIFT" in e for e in errors)


def test_an_author_who_only_drops_the_mark_is_asked_for_a_proof(tmp_path):
    folder, _ = imported(tmp_path)
    path = folder / "questions" / "overlap" / "question.yaml"
    data = yaml.safe_load(path.read_text())
    del data["unproven"]
    path.write_text(yaml.safe_dump(data))
    report = check(tmp_path / "content", proofs=False)
    assert any("add a `proof`" in error for error in report["errors"])


def test_the_bundled_pattern_s_gift_export_imports_with_every_key(tmp_path, pattern):
    exported = tmp_path / "bundled.gift"
    call_command("export", "gift", "async-django", "-o", str(exported), stderr=io.StringIO())
    folder, _ = imported(tmp_path, exported.read_text())
    live = {q.slug: q.current for q in Question.objects.filter(pattern=pattern, is_active=True)}
    for path in (folder / "questions").glob("*/question.yaml"):
        data = yaml.safe_load(path.read_text())
        version = live[path.parent.name]
        if data["kind"] == "short":
            assert data["key"] == version.key
            continue
        ids = [data["key"]] if data["kind"] == "single" else data["key"]
        original = [version.key] if version.kind == "single" else version.key
        positions = [int(i.removeprefix("option-")) - 1 for i in ids]
        assert [version.options[n]["id"] for n in positions] == original, path.parent.name


def test_a_file_that_is_not_gift_is_a_clear_error(tmp_path):
    source = tmp_path / "broken.gift"
    source.write_text("::Broken:: Which? {=a =b ~c}\n")
    with pytest.raises(CommandError, match="not valid GIFT"):
        call_command("importquestions", "gift", str(source), str(tmp_path / "c" / "t" / "p"))
    assert not (tmp_path / "c").exists()


def test_it_will_not_overwrite_a_folder(tmp_path):
    folder, _ = imported(tmp_path)
    with pytest.raises(CommandError, match="exists"):
        call_command("importquestions", "gift", str(tmp_path / "quiz.gift"), str(folder))
