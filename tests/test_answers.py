"""codedrill.quiz.answers on plain, unsaved question versions (no database, so `make mutate`
runs these per mutant in a moment): how each kind of question is shown, lettered, marked,
prefilled and described, how a form or a JSON body becomes an answer, how an answer is judged,
and what the reveal shows. Every expected value is written out here, from the rules in the
module's docstrings, README.md and docs/authoring.md, never read from the code under test."""

import re
from types import SimpleNamespace
from uuid import UUID

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from codedrill.content.models import Question, QuestionVersion
from codedrill.quiz.answers import (
    BadAnswer,
    Shown,
    from_form,
    inline_code,
    is_correct,
    learner_order,
    parse,
    plain,
    reveal,
    reveal_json,
    short_format,
)

UUID_1 = UUID("00000000-0000-4000-8000-000000000001")


def version(kind: str, **fields) -> QuestionVersion:
    """An unsaved version as publishing stores it: options {id, html}, or {id, text, blank}
    for a blank; everything a reveal reads has a value."""
    defaults = {
        "question": Question(uuid=UUID_1, slug="q"),
        "kind": kind,
        "difficulty": "easy",
        "category": "concept",
        "concepts": ["await"],
        "setup": "Run with `uvicorn`",
        "stem": "<p>Which?</p>",
        "rule": "Use `await` & wait",
        "hint": "<p>Think.</p>",
        "solution": ["<p>First.</p>", "<p>Then.</p>"],
        "mistakes": [],
    }
    return QuestionVersion(**(defaults | fields))


def choice_options(*ids: str) -> list[dict]:
    return [{"id": i, "html": f"<em>{i}</em> text"} for i in ids]


def single() -> QuestionVersion:
    return version(
        "single",
        options=choice_options("ant", "bee", "cat", "dog"),
        key="cat",
        mistakes=[{"option": "ant", "html": "<p>Tempting, but no.</p>"}],
    )


def multiple() -> QuestionVersion:
    return version(
        "multiple", options=choice_options("ant", "bee", "cat", "dog"), key=["dog", "ant"]
    )


def order() -> QuestionVersion:
    return version(
        "order", options=choice_options("first", "second", "third"),
        key=["second", "first", "third"],
    )  # fmt: skip


def short(key: str = "Hello World") -> QuestionVersion:
    return version(
        "short", options=[], key=key, mistakes=[{"answer": "<b>x</b>", "html": "<p>No.</p>"}]
    )


BLANK_CODE = "rows = ___b___\nkept = ___a___(rows)\nagain = ___b___\n"


def blank() -> QuestionVersion:
    """Blank `b` comes first in the code (and twice); options are code text, `<` included."""
    return version(
        "blank",
        code=BLANK_CODE,
        options=[
            {"id": "b1", "blank": "b", "text": "list(q)"},
            {"id": "a1", "blank": "a", "text": "sorted"},
            {"id": "b2", "blank": "b", "text": "q if n < 2 else []"},
            {"id": "a2", "blank": "a", "text": "set"},
            {"id": "b3", "blank": "b", "text": "q.all()"},
        ],
        key={"b": "b1", "a": "a1"},
        mistakes=[{"option": "b2", "html": "<p>Not a list.</p>"}],
    )


def marks(shown: Shown) -> dict:
    """The marks as a page renders them: option id -> mark, for the marked options."""
    return {o["id"]: o["mark"] for o in shown.options if o["mark"]}


# --- Shown: options in the learner's order, lettered in that order ---------------------------


def test_options_are_lettered_in_display_order_with_their_html():
    shown = Shown(single(), ["dog", "cat", "ant", "bee"])
    assert [(o["id"], o["letter"], o["number"]) for o in shown.options] == [
        ("dog", "A", 1), ("cat", "B", 2), ("ant", "C", 3), ("bee", "D", 4),
    ]  # fmt: skip
    assert shown.options[0]["html"] == "<em>dog</em> text"
    assert shown.options[0]["blank"] is None and shown.options[0]["mark"] == ""
    assert shown.letter_keys == "A–D"
    assert shown.kind == "single"


@pytest.mark.parametrize(
    "given",
    [
        [],
        ["ant", "bee", "cat"],
        ["ant", "bee", "cat", "dog", "eel"],
        ["ant", "ant", "bee", "cat"],
        None,
    ],
)
def test_an_order_that_is_not_of_these_options_falls_back_to_the_authored_one(given):
    shown = Shown(single(), given) if given is not None else Shown(single())
    assert [o["id"] for o in shown.options] == ["ant", "bee", "cat", "dog"]


def test_a_blanks_options_are_lettered_per_blank_and_shown_as_escaped_code():
    shown = Shown(blank(), ["b1", "a2", "b2", "a1", "b3"])
    assert [(o["id"], o["letter"], o["blank"]) for o in shown.options] == [
        ("b1", "A", "b"), ("a2", "A", "a"), ("b2", "B", "b"), ("a1", "B", "a"), ("b3", "C", "b"),
    ]  # fmt: skip
    assert shown.options[2]["html"] == "q if n &lt; 2 else []"
    # The blanks in the order the code first names them, each with its own options.
    assert [(b["name"], [o["id"] for o in b["options"]]) for b in shown.blanks] == [
        ("b", ["b1", "b2", "b3"]), ("a", ["a2", "a1"]),
    ]  # fmt: skip
    assert shown.letter_keys == "the letters shown"


def test_setup_and_code_are_shown_as_html():
    shown = Shown(version("single", options=[], key="", setup="Run `a<b` now", code_html="<pre/>"))
    assert shown.setup_html == "Run <code>a&lt;b</code> now"
    assert shown.code_html == "<pre/>"


def test_as_json_shows_the_question_without_what_stays_on_the_server():
    shown = Shown(blank(), ["b1", "a2", "b2", "a1", "b3"])
    assert shown.as_json() == {
        "id": "00000000-0000-4000-8000-000000000001",
        "kind": "blank",
        "difficulty": "easy",
        "category": "concept",
        "concepts": ["await"],
        "setup": "Run with `uvicorn`",
        "stem": "<p>Which?</p>",
        "code": BLANK_CODE,
        "blanks": ["b", "a"],
        "options": [
            {"id": "b1", "letter": "A", "html": "list(q)", "blank": "b"},
            {"id": "a2", "letter": "A", "html": "set", "blank": "a"},
            {"id": "b2", "letter": "B", "html": "q if n &lt; 2 else []", "blank": "b"},
            {"id": "a1", "letter": "B", "html": "sorted", "blank": "a"},
            {"id": "b3", "letter": "C", "html": "q.all()", "blank": "b"},
        ],
    }
    options = Shown(single(), ["bee", "ant", "cat", "dog"]).as_json()["options"]
    assert options[0] == {"id": "bee", "letter": "A", "html": "<em>bee</em> text"}  # no blank


# --- Shown.mark: open, only a wrong single pick; finished, the right options and wrong picks --


def test_an_open_single_question_marks_only_a_wrong_pick():
    wrong = Shown(single()).mark("ant", finished=False)
    assert marks(wrong) == {"ant": "wrong"}
    assert marks(Shown(single()).mark("cat", finished=False)) == {}


@pytest.mark.parametrize(
    "make,answer",
    [(multiple, ["ant", "bee"]), (multiple, ["ant", "dog"]), (blank, {"b": "b2", "a": "a1"})],
    ids=["multiple-wrong", "multiple-right", "blank-wrong"],
)
def test_an_open_question_of_several_picks_marks_nothing(make, answer):
    assert marks(Shown(make()).mark(answer, finished=False)) == {}


def test_a_finished_single_question_marks_the_key_right_and_a_wrong_pick_wrong():
    assert marks(Shown(single()).mark("ant", finished=True)) == {"ant": "wrong", "cat": "right"}
    assert marks(Shown(single()).mark("cat", finished=True)) == {"cat": "right"}


def test_a_finished_multiple_question_marks_every_key_right_and_each_wrong_pick():
    shown = Shown(multiple()).mark(
        ["ant", "bee"], finished=True
    )  # one right, one wrong, one missed
    assert marks(shown) == {"ant": "right", "bee": "wrong", "dog": "right"}


def test_a_finished_blank_question_marks_each_blanks_key_and_wrong_pick():
    shown = Shown(blank()).mark({"b": "b2", "a": "a1"}, finished=True)
    assert marks(shown) == {"b1": "right", "b2": "wrong", "a1": "right"}


@pytest.mark.parametrize(
    "make,answer",
    [(short, "nope"), (order, ["first", "second", "third"]), (single, None), (multiple, None)],
)
@pytest.mark.parametrize("finished", [False, True])
def test_short_and_order_answers_and_no_answer_mark_nothing(make, answer, finished):
    shown = Shown(make())
    assert shown.mark(answer, finished) is shown
    assert shown.marks == {}


def test_mark_returns_the_shown_question_itself():
    shown = Shown(single())
    assert shown.mark("ant", finished=True) is shown
    assert shown.mark("ant", finished=False) is shown


# --- Shown.prefill: a canonical answer as form state ------------------------------------------


def chosen(shown: Shown, form: dict) -> list[str]:
    """The options a page shows checked (`o.id in form.chosen` in quiz/_choice.html)."""
    return [o["id"] for o in shown.options if o["id"] in form["chosen"]]


@pytest.mark.parametrize(
    "make,answer,picked",
    [
        (single, "bee", ["bee"]),
        (multiple, ["ant", "dog"], ["ant", "dog"]),
        (blank, {"b": "b2", "a": "a1"}, ["a1", "b2"]),
    ],
)
def test_a_choice_answer_is_put_back_as_the_options_checked(make, answer, picked):
    shown = Shown(make())
    form = shown.prefill(answer)
    assert sorted(form["chosen"]) == picked == sorted(chosen(shown, form))
    assert (form["text"], form["slots"]) == ("", [])


@pytest.mark.parametrize("make", [single, multiple, blank])
def test_no_answer_checks_no_option(make):
    shown = Shown(make())
    form = shown.prefill(None)
    assert chosen(shown, form) == [] and (form["text"], form["slots"]) == ("", [])
    if make is not single:
        assert form["chosen"] == []


def test_a_short_answer_is_put_back_as_its_text():
    assert Shown(short()).prefill("hello") == {"chosen": [], "text": "hello", "slots": []}
    assert Shown(short()).prefill(None) == {"chosen": [], "text": "", "slots": []}


def test_an_order_answer_fills_one_slot_per_position():
    shown = Shown(order())
    assert shown.prefill(["third", "first", "second"]) == {
        "chosen": [], "text": "", "slots": ["third", "first", "second"],
    }  # fmt: skip
    assert shown.prefill(None) == {"chosen": [], "text": "", "slots": ["", "", ""]}
    assert shown.prefill(["second"])["slots"] == ["second", "", ""]


# --- Shown.describe and label: an answer in words -----------------------------------------------


def test_describe_names_each_option_by_its_letter_and_text():
    assert Shown(single(), ["dog", "cat", "ant", "bee"]).describe("cat") == "B: <em>cat</em> text"
    described = Shown(multiple(), ["dog", "cat", "ant", "bee"]).describe(["ant", "dog"])
    assert described == "C: <em>ant</em> text; A: <em>dog</em> text"
    described = Shown(order(), ["third", "first", "second"]).describe(["second", "first", "third"])
    assert described == "C: <em>second</em> text → B: <em>first</em> text → A: <em>third</em> text"


def test_describe_a_blank_answer_blank_by_blank_in_code_order():
    shown = Shown(blank(), ["b1", "a2", "b2", "a1", "b3"])
    assert shown.describe({"a": "a1", "b": "b2"}) == (
        "blank [b] B: q if n &lt; 2 else []; blank [a] B: sorted"
    )
    assert shown.describe({"a": "a2"}) == "blank [a] A: set"


def test_describe_a_short_answer_as_escaped_code():
    assert Shown(short()).describe("<b>x</b> & y") == "<code>&lt;b&gt;x&lt;/b&gt; &amp; y</code>"


# --- from_form: a form's fields as a raw answer ---------------------------------------------------


@pytest.mark.parametrize(
    "make,query,raw",
    [
        (single, "answer=bee&other=x", "bee"),
        (single, "other=x", ""),
        (short, "answer=+Hello+", " Hello "),
        (short, "", ""),
        (multiple, "answer=dog&answer=ant&other=bee", ["dog", "ant"]),
        (multiple, "other=ant", []),
        (order, "answer=third&answer=first&answer=second", ["third", "first", "second"]),
        (blank, "blank-a=a1&blank-b=b2&blank-c=b1&answer=a2", {"b": "b2", "a": "a1"}),
        (blank, "blank-a=a2", {"b": "", "a": "a2"}),
    ],
)
def test_from_form_reads_the_fields_of_the_questions_kind_only(make, query, raw):
    assert from_form(make(), QueryDict(query)) == raw


def test_a_blank_forms_fields_come_in_code_order():
    assert list(from_form(blank(), QueryDict("blank-a=a1&blank-b=b1"))) == ["b", "a"]


@pytest.mark.parametrize(
    "make,query",
    [
        (single, ""),
        (single, "answer=z"),
        (multiple, ""),
        (order, "answer=first&answer=second"),
        (short, "answer=+++"),
        (blank, "blank-a=a1"),
        (blank, "blank-a=b1&blank-b=a1"),
    ],
)
def test_a_bad_or_missing_form_field_is_a_bad_answer(make, query):
    with pytest.raises(BadAnswer):
        parse(make(), from_form(make(), QueryDict(query)))


# --- parse: the canonical answer, or what a valid one looks like -------------------------------


def refused(v: QuestionVersion, raw) -> str:
    with pytest.raises(BadAnswer) as caught:
        parse(v, raw)
    return str(caught.value)


def test_a_single_answer_is_one_option_id():
    assert parse(single(), "bee") == "bee"
    for raw in ["", "z", "Bee", ["bee"], None, 1]:
        assert refused(single(), raw) == "Choose one of the options: send one option id."


def test_a_multiple_answer_is_a_sorted_list_of_distinct_option_ids():
    assert parse(multiple(), ["dog", "ant"]) == ["ant", "dog"]
    assert parse(multiple(), ["cat"]) == ["cat"]
    for raw in [[], "ant", None, {"ant": "ant"}, ["ant", 1]]:
        assert refused(multiple(), raw) == "Choose at least one option: send a list of option ids."
    for raw in [["ant", "z"], ["ant", "ant"], ["ant", "bee", "cat", "dog", "dog"]]:
        assert refused(multiple(), raw) == "Each chosen option must be one of the options, once."


def test_an_order_answer_is_every_option_once_in_the_learners_order():
    assert parse(order(), ["third", "first", "second"]) == ["third", "first", "second"]
    for raw in [
        [], ["first", "second"], ["first", "second", "third", "third"],
        ["first", "second", "second"], ["first", "second", "fourth"], "first", None,
    ]:  # fmt: skip
        assert refused(order(), raw) == (
            "Put every item in order once: send a list of all the option ids."
        )


def test_a_short_answer_ignores_case_and_extra_spacing_line_by_line():
    assert parse(short(), "  HeLLo \t  World ") == "hello world"
    assert parse(short(), "One\n\n   two  three \n") == "one\ntwo three"
    assert parse(short(), "x" * 500) == "x" * 500


@pytest.mark.parametrize(
    "raw,message",
    [
        ("", "Type an answer."),
        (" \n\t ", "Type an answer."),
        (None, "Type an answer."),
        (["hello"], "Type an answer."),
        ("x" * 501, "An answer is at most 500 characters."),
        ("a\x00b", "An answer cannot contain a NUL character."),
    ],
)
def test_a_short_answer_must_be_some_text_of_at_most_500_characters(raw, message):
    assert refused(short(), raw) == message


def test_a_short_answer_takes_the_shape_of_its_key():
    assert short_format(short("12"))["label"] == "a whole number, such as 12"
    assert parse(short("12"), " -3 ") == "-3"
    assert refused(short("12"), "4 seconds") == "Answer with a whole number, such as 12."
    assert parse(short(" 2   7 "), "2  -7") == "2 -7"
    assert refused(short("2 7"), "2,7") == (
        "Answer with whole numbers separated by spaces, such as 2 7."
    )
    assert parse(short("four"), "4 seconds") == "4 seconds"  # any text goes
    assert short_format(short("four")) is None
    assert short_format(single()) is None


@pytest.mark.parametrize(
    "key,good,bad", [("12", ["12", "-3"], ["4 s", "1 2", ""]), ("2 7", [" 2  -7 "], ["2", "2,7"])]
)
def test_a_short_formats_html_pattern_takes_what_parse_takes(key, good, bad):
    pattern = short_format(short(key))["pattern"]  # a browser matches the whole value
    assert all(re.fullmatch(pattern, text) for text in good)
    assert not any(re.fullmatch(pattern, text) for text in bad)


def test_a_blank_answer_fills_every_blank_with_one_of_its_own_options():
    assert parse(blank(), {"a": "a2", "b": "b3"}) == {"a": "a2", "b": "b3"}
    fill = "Fill every blank: send {blank: option id} for b, a."
    for raw in [{}, {"b": "b1"}, {"a": "a1", "b": "b1", "c": "b2"}, ["b1", "a1"], "b1", None]:
        assert refused(blank(), raw) == fill
    own = "Each blank takes one of its own options."
    for raw in [
        {"a": "b1", "b": "a1"}, {"a": "a1", "b": "z"}, {"a": "a1", "b": ""},
        {"a": "a1", "b": 1}, {"a": "a1", "b": None},
    ]:  # fmt: skip
        assert refused(blank(), raw) == own


@pytest.mark.parametrize("value", [["b1"], {"b1": "b1"}])
def test_a_blank_filled_with_a_list_or_an_object_is_a_bad_answer(value):
    """The review API takes any JSON as an answer; such a value once raised a TypeError (a 500)."""
    assert refused(blank(), {"a": "a1", "b": value}) == "Each blank takes one of its own options."


# --- is_correct: a parsed answer against the key ------------------------------------------------


def test_is_correct_compares_a_parsed_answer_with_the_key():
    assert is_correct(single(), "cat") and not is_correct(single(), "ant")
    assert is_correct(multiple(), parse(multiple(), ["ant", "dog"]))  # the key lists dog first
    assert is_correct(multiple(), parse(multiple(), ["dog", "ant"]))
    assert not is_correct(multiple(), ["ant"]) and not is_correct(multiple(), ["ant", "bee", "dog"])
    assert is_correct(order(), ["second", "first", "third"])
    assert not is_correct(order(), ["first", "second", "third"])
    assert is_correct(short(), parse(short(), "  hello   WORLD "))
    assert not is_correct(short(), parse(short(), "hello"))
    assert is_correct(blank(), {"a": "a1", "b": "b1"})
    assert not is_correct(blank(), {"a": "a1", "b": "b2"})


# --- reveal and reveal_json: what the learner sees once a question is finished ----------------


def test_the_reveal_of_a_single_question():
    shown = Shown(single(), ["dog", "cat", "ant", "bee"])
    revealed = reveal(shown, "ant")
    assert revealed == {
        "correct": False,
        "key": "cat",
        "final_answer": "B: <em>cat</em> text",
        "quick_check": "Use `await` & wait",
        "quick_check_html": "Use <code>await</code> &amp; wait",
        "solution": ["<p>First.</p>", "<p>Then.</p>"],
        "mistakes": [{"label": "C: <em>ant</em> text", "html": "<p>Tempting, but no.</p>"}],
        "completed_code": "",
        "hint": "<p>Think.</p>",
    }
    assert reveal(shown, "cat")["correct"] is True
    assert reveal(shown)["correct"] is None  # nothing answered: no verdict


def test_the_reveal_of_a_short_question_names_a_wrong_answer_as_code():
    revealed = reveal(Shown(short()), "hello world")
    assert revealed["correct"] is True
    assert revealed["final_answer"] == "<code>Hello World</code>"
    assert revealed["mistakes"] == [
        {"label": "<code>&lt;b&gt;x&lt;/b&gt;</code>", "html": "<p>No.</p>"}
    ]


def test_the_reveal_of_a_blank_question_shows_the_completed_code():
    shown = Shown(blank(), ["b1", "a2", "b2", "a1", "b3"])
    revealed = reveal(shown, {"a": "a1", "b": "b2"})
    assert revealed["correct"] is False
    assert revealed["final_answer"] == "blank [b] A: list(q); blank [a] B: sorted"
    assert revealed["mistakes"] == [
        {"label": "blank [b] B: q if n &lt; 2 else []", "html": "<p>Not a list.</p>"}
    ]
    completed = plain(revealed["completed_code"])
    assert completed.strip() == "rows = list(q)\nkept = sorted(rows)\nagain = list(q)"
    assert "<span" in revealed["completed_code"]  # highlighted


def test_reveal_json_is_the_same_facts_as_plain_json():
    shown = Shown(single(), ["dog", "cat", "ant", "bee"])
    assert reveal_json(reveal(shown, "ant")) == {
        "correct": False,
        "key": "cat",
        "final_answer": "B: <em>cat</em> text",
        "quick_check": "Use `await` & wait",
        "steps": ["<p>First.</p>", "<p>Then.</p>"],
        "mistakes": [{"option": "C: <em>ant</em> text", "why": "<p>Tempting, but no.</p>"}],
        "completed_code": "",
        "hint": "<p>Think.</p>",
    }
    as_json = reveal_json(reveal(Shown(blank(), ["b1", "a2", "b2", "a1", "b3"])))
    assert as_json["correct"] is None and as_json["key"] == {"b": "b1", "a": "a1"}
    assert (
        as_json["completed_code"].strip() == "rows = list(q)\nkept = sorted(rows)\nagain = list(q)"
    )
    assert as_json["mistakes"] == [
        {"option": "blank [b] B: q if n &lt; 2 else []", "why": "<p>Not a list.</p>"}
    ]


# --- learner_order: each learner's own order, the same on every visit ---------------------------


def options(n: int) -> list[dict]:
    return [{"id": f"o{i}"} for i in range(n)]


def test_a_learners_order_is_the_same_on_every_visit_and_holds_every_option():
    ada = SimpleNamespace(pk=7, is_authenticated=True)
    first = learner_order(ada, options(6), "item-1")
    assert sorted(first) == [f"o{i}" for i in range(6)]
    again = SimpleNamespace(pk=7, is_authenticated=True)  # the same learner, a new request
    assert learner_order(again, options(6), "item-1") == first


def test_learners_and_items_get_orders_of_their_own_and_the_key_is_not_always_first():
    learners = [SimpleNamespace(pk=pk, is_authenticated=True) for pk in range(1, 9)]
    per_learner = {tuple(learner_order(who, options(6), "item-1")) for who in learners}
    per_item = {tuple(learner_order(learners[0], options(6), f"item-{n}")) for n in range(8)}
    assert len(per_learner) > 1 and len(per_item) > 1
    authored = tuple(f"o{i}" for i in range(6))
    assert any(order != authored for order in per_learner | per_item)


def test_every_visitor_gets_one_shared_order():
    visitor = learner_order(AnonymousUser(), options(6), "item-1")
    assert learner_order(AnonymousUser(), options(6), "item-1") == visitor
    learners = [SimpleNamespace(pk=pk, is_authenticated=True) for pk in range(1, 9)]
    assert any(learner_order(who, options(6), "item-1") != visitor for who in learners)


def test_inline_code_escapes_then_shows_backticks_as_code():
    assert inline_code("a <b> `x & y` c") == "a &lt;b&gt; <code>x &amp; y</code> c"
    assert plain("<p>a &amp; <em>b</em></p>") == "a & b"
