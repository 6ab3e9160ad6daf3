"""Showing a question, parsing and judging an answer, and what is revealed afterwards."""

import html
import random
import re
from dataclasses import dataclass, field
from string import ascii_uppercase

from django.utils.safestring import SafeString, mark_safe

from codedrill.content.keys import normalize
from codedrill.content.markdown import highlight_code
from codedrill.content.models import QuestionVersion
from codedrill.content.proofs import BLANK_RE, fill_blanks

SHORT_ANSWER_LIMIT = 500
_TAG_RE = re.compile(r"<[^>]+>")
_INLINE_CODE_RE = re.compile(r"`([^`]+)`")
# Short answers whose key has one of these shapes are checked for that shape before they are
# judged, so "4 seconds" for a whole number is sent back to be fixed instead of marked wrong.
# The shape tells no more than the stem already does ("Answer with a whole number").
SHORT_FORMATS = [
    (re.compile(r"-?\d+"), "a whole number, such as 12", r"-?[0-9]+"),
    (
        re.compile(r"-?\d+( -?\d+)+"),
        "whole numbers separated by spaces, such as 2 7",
        r" *-?[0-9]+( +-?[0-9]+)+ *",
    ),
]


class BadAnswer(ValueError):
    """An answer that is not one of the question's possible answers; it uses no attempt."""


def shuffled_order(options: list[dict], rng: random.Random) -> list[str]:
    """A display order of some options (their ids): fresh per attempt with a fresh `rng`."""
    order = [option["id"] for option in options]
    rng.shuffle(order)
    return order


def learner_order(learner, options: list[dict], item: str) -> list[str]:
    """The learner's own display order of an item's options (`item`: the question's or quiz
    item's UUID), the same on every visit and in the pages and the API. Authors list the key
    first, so the written order would give it away. A visitor who is no learner yet gets one
    order shared by all visitors."""
    who = learner.pk if learner.is_authenticated else "visitor"
    return shuffled_order(options, random.Random(f"{who}:{item}"))  # noqa: S311 - not a secret


def plain(fragment: str) -> str:
    return html.unescape(_TAG_RE.sub("", fragment))


def inline_code(text: str) -> SafeString:
    """Plain text with `backticks` shown as code (setup lines, the rule to remember)."""
    escaped = html.escape(text)
    return mark_safe(_INLINE_CODE_RE.sub(r"<code>\1</code>", escaped))  # noqa: S308 - escaped


def short_format(version: QuestionVersion) -> dict | None:
    """The shape a short answer must have, from its key: {"label", "pattern"} (an HTML pattern
    attribute), or None when any text goes."""
    if version.kind != "short":
        return None
    for shape, label, pattern in SHORT_FORMATS:
        if shape.fullmatch(normalize(version.key)):
            return {"shape": shape, "label": label, "pattern": pattern}
    return None


@dataclass
class Shown:
    """A question version as one learner sees it: options in `order`, lettered in that order."""

    version: QuestionVersion
    order: list[str] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # option id -> "right" or "wrong"

    def __post_init__(self):
        ids = [o["id"] for o in self.version.options]
        if sorted(self.order) != sorted(ids):
            self.order = ids  # authored order (a version's option ids never change)

    @property
    def kind(self) -> str:
        return self.version.kind

    @property
    def options(self) -> list[dict]:
        """Options in display order with their letter; a blank's options are lettered per blank."""
        by_id = {o["id"]: o for o in self.version.options}
        counters: dict[str, int] = {}
        shown = []
        for option_id in self.order:
            option = by_id[option_id]
            group = option.get("blank", "")
            n = counters[group] = counters.get(group, 0) + 1
            shown.append(
                {
                    "id": option_id,
                    "letter": ascii_uppercase[n - 1],
                    "number": n,
                    # Blank options are code, shown as text; the others are rendered Markdown.
                    "html": option.get("html") or html.escape(option["text"]),
                    "blank": option.get("blank"),
                    "mark": self.marks.get(option_id, ""),
                }
            )
        return shown

    @property
    def blanks(self) -> list[dict]:
        names = list(dict.fromkeys(BLANK_RE.findall(self.version.code)))
        return [
            {"name": name, "options": [o for o in self.options if o["blank"] == name]}
            for name in names
        ]

    @property
    def letter_keys(self) -> str:
        """The keys that choose an option, as the form's hint names them."""
        if self.kind == "blank":
            return "the letters shown"
        return f"A–{ascii_uppercase[len(self.order) - 1]}"

    @property
    def setup_html(self) -> SafeString:
        return inline_code(self.version.setup)

    @property
    def short_format(self) -> dict | None:
        return short_format(self.version)

    def mark(self, answer, finished: bool) -> "Shown":
        """Mark the options against the learner's last `answer`. While the question is open
        only a wrong single pick is marked: marking picks among several would tell which of
        them are right. Once finished, the right options and every wrong pick are marked."""
        if answer is None or self.kind in ("short", "order"):
            return self
        key = self.version.key
        picked = list(answer.values()) if self.kind == "blank" else answer
        picked = [picked] if self.kind == "single" else picked
        keyed = list(key.values()) if self.kind == "blank" else key
        keyed = [keyed] if self.kind == "single" else keyed
        if finished:
            self.marks = {i: "wrong" for i in picked if i not in keyed}
            self.marks |= {i: "right" for i in keyed}
        elif self.kind == "single" and answer != key:
            self.marks = {answer: "wrong"}
        return self

    @property
    def code_html(self) -> SafeString:
        return mark_safe(self.version.code_html)  # noqa: S308 - highlighted at publish

    def prefill(self, answer) -> dict:
        """What the form shows as already chosen: a canonical answer (or None) as form state."""
        if answer is None:
            answer = {} if self.kind == "blank" else []
        if self.kind == "short":
            return {"chosen": [], "text": answer or "", "slots": []}
        if self.kind == "order":
            slots = [answer[i] if i < len(answer) else "" for i in range(len(self.order))]
            return {"chosen": [], "text": "", "slots": slots}
        chosen = list(answer.values()) if self.kind == "blank" else [answer]
        if self.kind == "multiple":
            chosen = list(answer)
        return {"chosen": chosen, "text": "", "slots": []}

    def as_json(self) -> dict:
        """The question as the API shows it: no key, hint, solution or mistakes."""
        return {
            "id": str(self.version.question.uuid),
            "kind": self.kind,
            "difficulty": self.version.difficulty,
            "category": self.version.category,
            "concepts": self.version.concepts,
            "setup": self.version.setup,
            "stem": self.version.stem,
            "code": self.version.code,
            "blanks": [b["name"] for b in self.blanks],
            "options": [
                {k: o[k] for k in ("id", "letter", "html", "blank") if o[k] is not None}
                for o in self.options
            ],
        }

    def describe(self, answer) -> SafeString:
        """A canonical answer (the key or a learner's) in words: the options' letters and text."""
        if self.kind == "short":
            return mark_safe(f"<code>{html.escape(answer)}</code>")  # noqa: S308 - escaped
        if self.kind == "single":
            return self.label(answer)
        if self.kind == "blank":
            parts = [self.label(answer[b["name"]]) for b in self.blanks if b["name"] in answer]
        else:
            parts = [self.label(i) for i in answer]
        joiner = " → " if self.kind == "order" else "; "
        return mark_safe(joiner.join(parts))  # noqa: S308 - sanitized parts

    def label(self, option_id: str) -> SafeString:
        option = next(o for o in self.options if o["id"] == option_id)
        prefix = f"blank [{option['blank']}] " if option["blank"] else ""
        return mark_safe(f"{prefix}{option['letter']}: {option['html']}")  # noqa: S308 - sanitized


def from_form(version: QuestionVersion, data) -> object:
    """The raw answer from an HTML form (a QueryDict), before parse()."""
    if version.kind in ("multiple", "order"):
        return data.getlist("answer")
    if version.kind == "blank":
        names = dict.fromkeys(BLANK_RE.findall(version.code))
        return {name: data.get(f"blank-{name}", "") for name in names}
    return data.get("answer", "")


def parse(version: QuestionVersion, raw) -> object:
    """The canonical answer, or BadAnswer saying what a valid one looks like."""
    ids = [o["id"] for o in version.options]
    kind = version.kind
    if kind == "single":
        if not isinstance(raw, str) or raw not in ids:
            raise BadAnswer("Choose one of the options: send one option id.")
        return raw
    if kind == "multiple":
        if not isinstance(raw, list) or not raw or not all(isinstance(i, str) for i in raw):
            raise BadAnswer("Choose at least one option: send a list of option ids.")
        if any(i not in ids for i in raw) or len(set(raw)) != len(raw):
            raise BadAnswer("Each chosen option must be one of the options, once.")
        return sorted(raw)
    if kind == "order":
        if not isinstance(raw, list) or sorted(map(str, raw)) != sorted(ids):
            raise BadAnswer("Put every item in order once: send a list of all the option ids.")
        return list(raw)
    if kind == "short":
        if not isinstance(raw, str) or not raw.strip():
            raise BadAnswer("Type an answer.")
        if len(raw) > SHORT_ANSWER_LIMIT:
            raise BadAnswer(f"An answer is at most {SHORT_ANSWER_LIMIT} characters.")
        if "\x00" in raw:  # PostgreSQL cannot store it; no answer needs it
            raise BadAnswer("An answer cannot contain a NUL character.")
        expected = short_format(version)
        if expected and not expected["shape"].fullmatch(normalize(raw)):
            raise BadAnswer(f"Answer with {expected['label']}.")
        return normalize(raw)
    # blank: {blank name: option id} for every blank in the code
    names = list(dict.fromkeys(BLANK_RE.findall(version.code)))
    if not isinstance(raw, dict) or sorted(map(str, raw)) != sorted(names):
        raise BadAnswer(f"Fill every blank: send {{blank: option id}} for {', '.join(names)}.")
    blank_of = {o["id"]: o["blank"] for o in version.options}
    answer = {str(name): value for name, value in raw.items()}
    # Any JSON may come in (the review API takes any answer): only a string is an option id.
    if any(
        not isinstance(value, str) or blank_of.get(value) != name for name, value in answer.items()
    ):
        raise BadAnswer("Each blank takes one of its own options.")
    return answer


def is_correct(version: QuestionVersion, answer) -> bool:
    """`answer` must come from parse()."""
    if version.kind == "multiple":
        return answer == sorted(version.key)
    if version.kind == "short":
        return answer == normalize(version.key)
    return answer == version.key


def reveal_json(revealed: dict) -> dict:
    """A reveal() for the API: the same facts, as plain JSON."""
    return {
        "correct": revealed["correct"],
        "key": revealed["key"],
        "final_answer": str(revealed["final_answer"]),
        "quick_check": str(revealed["quick_check"]),
        "steps": [str(step) for step in revealed["solution"]],
        "mistakes": [
            {"option": str(m["label"]), "why": str(m["html"])} for m in revealed["mistakes"]
        ],
        "completed_code": plain(revealed["completed_code"]),  # "" but for a blank question
        "hint": str(revealed["hint"]),
    }


def reveal(shown: Shown, answer=None) -> dict:
    """Everything that stays on the server until the learner has finished a question.

    The final answer is derived from the key, never typed twice; the quick check is the
    question's one-line rule, the takeaway to remember.
    """
    version = shown.version
    key = version.key
    final = shown.describe(key)
    mistakes = []
    for mistake in version.mistakes:
        if "option" in mistake:
            label = shown.label(mistake["option"])
        else:
            label = mark_safe(f"<code>{html.escape(mistake['answer'])}</code>")  # noqa: S308
        mistakes.append({"label": label, "html": mark_safe(mistake["html"])})  # noqa: S308
    completed = ""
    if version.kind == "blank":
        texts = {o["id"]: o["text"] for o in version.options}
        completed = highlight_code(fill_blanks(version.code, {b: texts[i] for b, i in key.items()}))
    return {
        "correct": None if answer is None else is_correct(version, answer),
        "key": key,
        "final_answer": final,
        "quick_check": version.rule,
        "quick_check_html": inline_code(version.rule),
        "solution": [mark_safe(step) for step in version.solution],  # noqa: S308 - sanitized
        "mistakes": mistakes,
        "completed_code": completed,
        "hint": mark_safe(version.hint),  # noqa: S308 - sanitized at publish
    }
